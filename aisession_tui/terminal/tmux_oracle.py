"""Replay byte streams in a live tmux server and read back what its panes show.

The differential tests and the fuzzer benchmark use this to compare the emulator with
tmux 3.3a: each stream becomes a detached session of its own size whose pane runs
``stty raw -echo; cat FILE`` (raw, so tmux receives the bytes unchanged) and then sleeps
(``pane_current_command`` becomes ``sleep`` once the stream is written); all streams of a batch go through one tmux server and
one ``capture-pane -p`` / ``capture-pane -p -e`` / cursor query per stream.

Headless: no Textual, no Rich; it only runs the ``tmux`` binary given to it.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self

_MARK = "\x1f--aisession-oracle--"
_QUERY_BATCH = 25
_DEADLINE = 120.0


def _chain(commands: list[list[str]]) -> list[str]:
    """tmux commands as one argument list separated by ``;``."""
    chained: list[str] = []
    for command in commands:
        if chained:
            chained.append(";")
        chained += command
    return chained


@dataclass(frozen=True)
class PaneResult:
    """What one pane shows: ``capture-pane -p`` and ``-p -e`` lines, and the cursor; with
    the history, ``capture-pane -p -J`` lines too (``joined``)."""

    text: list[str]
    escaped: list[str]
    cursor: tuple[int, int]
    joined: list[str] = field(default_factory=list)


def tmux_binary() -> str | None:
    """The tmux executable, or None when tmux is not installed."""
    return shutil.which("tmux")


class TmuxOracle:
    """One private tmux server (``-f /dev/null``, its socket in a temporary directory
    removed by :meth:`close`) replaying streams in batches; ``name`` labels it.
    ``history_limit``: the panes' ``history-limit``."""

    def __init__(self, name: str, *, binary: str = "tmux", history_limit: int = 2000) -> None:
        self.name = name
        self.binary = binary
        self.history_limit = history_limit
        self._directory = Path(tempfile.mkdtemp(prefix="aisession-oracle-"))
        self._counter = 0
        self._started = False
        self._history = False

    def _tmux(self, *args: str, check: bool = True) -> str:
        environment = dict(os.environ)
        environment.pop("TMUX", None)
        socket = str(self._directory / "socket")  # removed with the directory
        result = subprocess.run([self.binary, "-S", socket, "-f", "/dev/null", *args],
                                capture_output=True, check=False, env=environment, timeout=120)
        if check and result.returncode != 0:
            raise RuntimeError(f"tmux {args[:2]} failed: {result.stderr!r}")
        return result.stdout.decode("utf-8", "surrogateescape")

    def replay(self, streams: list[tuple[bytes, int, int]], *,
               resizes: tuple[tuple[int, int], ...] = (), after: bytes = b"",
               history: bool = False) -> list[PaneResult]:
        """Replay ``(data, columns, lines)`` streams; return each pane's result in order.

        With ``resizes``, every pane is then resized to each ``(columns, lines)`` in turn
        and the captures include the history (``-S -``, and a ``-J`` capture), as they do
        with ``history``. ``after``: bytes every pane then writes, after the resizes."""
        sessions = []
        commands: list[list[str]] = []
        fifos = []
        for data, columns, lines in streams:
            self._counter += 1
            session = f"s{self._counter}"
            path = self._directory / f"{session}.bin"
            path.write_bytes(data)
            if after:
                fifo = self._directory / f"{session}.fifo"
                os.mkfifo(fifo)
                fifos.append(fifo)
                # the pane's command is its process group leader's: ``sh`` while
                # head waits for the bytes (``bash`` while cat writes)
                then = shlex.quote(f"head -c {len(after)} {shlex.quote(str(fifo))}; "
                                   "exec sleep 100000")
                script = f"stty raw -echo; cat {shlex.quote(str(path))}; exec sh -c {then}"
            else:
                script = f"stty raw -echo; cat {shlex.quote(str(path))}; exec sleep 100000"
            commands.append(["new-session", "-d", "-s", session, "-x", str(columns),
                             "-y", str(lines), script])
            sessions.append(session)
        if not self._started:
            # the option first: the first pane takes it too
            self._tmux("set", "-g", "history-limit", str(self.history_limit), ";",
                       *commands.pop(0))
            self._started = True
        for start in range(0, len(commands), _QUERY_BATCH):
            self._tmux(*_chain(commands[start:start + _QUERY_BATCH]))
        self._wait_until_written(set(sessions), "sh" if after else "sleep")
        for columns, lines in resizes:
            for start in range(0, len(sessions), _QUERY_BATCH):
                self._tmux(*_chain([["resize-window", "-t", session, "-x", str(columns),
                                     "-y", str(lines)]
                                    for session in sessions[start:start + _QUERY_BATCH]]))
        if after:
            for fifo in fifos:
                with open(fifo, "wb") as writer:
                    writer.write(after)
            self._wait_until_written(set(sessions))
        self._history = bool(resizes) or history
        results = []
        for start in range(0, len(sessions), _QUERY_BATCH):
            results += self._query(sessions[start:start + _QUERY_BATCH])
        self._tmux("kill-session", "-a", "-t", sessions[-1], check=False)
        return results

    def _wait_until_written(self, sessions: set[str], command: str = "sleep") -> None:
        """Wait until every pane's ``cat`` is done (its command has become ``command``)."""
        deadline = time.monotonic() + _DEADLINE
        while True:
            listing = self._tmux("list-panes", "-a", "-F",
                                 "#{session_name} #{pane_current_command}")
            done = {line.split(" ", 1)[0] for line in listing.splitlines()
                    if line.endswith(" " + command)}
            if sessions <= done:
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"tmux panes still writing: {sorted(sessions - done)[:5]}")
            time.sleep(0.02)

    def _query(self, sessions: list[str]) -> list[PaneResult]:
        """Both captures and the cursor of each session, in one tmux command line."""
        query: list[str] = []
        for session in sessions:
            history = ["-S", "-"] if self._history else []
            query += ["capture-pane", "-p", *history, "-t", session, ";",
                         "display", "-p", _MARK, ";",
                         "capture-pane", "-p", "-e", *history, "-t", session, ";",
                         "display", "-p", _MARK, ";",
                         "display", "-p", "-t", session, "#{cursor_x},#{cursor_y}", ";",
                         "display", "-p", _MARK, ";"]
            if self._history:
                query += ["capture-pane", "-p", "-J", *history, "-t", session, ";",
                          "display", "-p", _MARK, ";"]
        output = self._tmux(*query[:-1])
        pieces = output.split(_MARK + "\n")
        results = []
        parts = 4 if self._history else 3
        for index in range(len(sessions)):
            text, escaped, cursor, *joined = pieces[parts * index:parts * index + parts]
            x, y = cursor.strip().split(",")
            results.append(PaneResult(text.split("\n")[:-1], escaped.split("\n")[:-1],
                                      (int(x), int(y)),
                                      joined[0].split("\n")[:-1] if joined else []))
        return results

    def close(self) -> None:
        """Kill the tmux server and remove the stream files."""
        if self._started:
            self._tmux("kill-server", check=False)
            self._started = False
        shutil.rmtree(self._directory, ignore_errors=True)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
