"""Replay byte streams in a live tmux server and read back what its panes show.

The differential tests and the fuzzer benchmark use this to compare the emulator with
tmux 3.3a: each stream becomes a detached session of its own size whose pane runs
``stty raw -echo; cat FILE`` (raw, so tmux receives the bytes unchanged), then signals a
``wait-for`` channel and sleeps; all streams of a batch go through one tmux server and
one ``capture-pane -p`` / ``capture-pane -p -e`` / cursor query per stream.

Headless: no Textual, no Rich; it only runs the ``tmux`` binary given to it.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Self

_MARK = "\x1f--aisession-oracle--"
_QUERY_BATCH = 25


@dataclass(frozen=True)
class PaneResult:
    """What one pane shows: ``capture-pane -p`` and ``-p -e`` lines, and the cursor."""

    text: list[str]
    escaped: list[str]
    cursor: tuple[int, int]


def tmux_binary() -> str | None:
    """The tmux executable, or None when tmux is not installed."""
    return shutil.which("tmux")


class TmuxOracle:
    """One private tmux server (``-L name -f /dev/null``) replaying streams in batches."""

    def __init__(self, name: str, *, binary: str = "tmux") -> None:
        self.name = name
        self.binary = binary
        self._directory = Path(tempfile.mkdtemp(prefix="aisession-oracle-"))
        self._counter = 0
        self._started = False

    def _tmux(self, *args: str, check: bool = True) -> str:
        environment = dict(os.environ)
        environment.pop("TMUX", None)
        result = subprocess.run([self.binary, "-L", self.name, "-f", "/dev/null", *args],
                                capture_output=True, check=False, env=environment, timeout=120)
        if check and result.returncode != 0:
            raise RuntimeError(f"tmux {args[:2]} failed: {result.stderr!r}")
        return result.stdout.decode("utf-8", "surrogateescape")

    def replay(self, streams: list[tuple[bytes, int, int]]) -> list[PaneResult]:
        """Replay ``(data, columns, lines)`` streams; return each pane's result in order."""
        sessions = []
        for data, columns, lines in streams:
            self._counter += 1
            session = f"s{self._counter}"
            path = self._directory / f"{session}.bin"
            path.write_bytes(data)
            script = (f"stty raw -echo; cat {shlex.quote(str(path))}; "
                      f"tmux wait-for -S {session}; exec sleep 100000")
            if not self._started:
                self._tmux("new-session", "-d", "-s", session, "-x", str(columns),
                           "-y", str(lines), script, ";", "set", "-g", "history-limit", "2000")
                self._started = True
            else:
                self._tmux("new-session", "-d", "-s", session, "-x", str(columns),
                           "-y", str(lines), script)
            sessions.append(session)
        for session in sessions:
            self._tmux("wait-for", session)
        results = []
        for start in range(0, len(sessions), _QUERY_BATCH):
            results += self._query(sessions[start:start + _QUERY_BATCH])
        self._tmux("kill-session", "-a", "-t", sessions[-1], check=False)
        return results

    def _query(self, sessions: list[str]) -> list[PaneResult]:
        """Both captures and the cursor of each session, in one tmux command line."""
        commands: list[str] = []
        for session in sessions:
            commands += ["capture-pane", "-p", "-t", session, ";",
                         "display", "-p", _MARK, ";",
                         "capture-pane", "-p", "-e", "-t", session, ";",
                         "display", "-p", _MARK, ";",
                         "display", "-p", "-t", session, "#{cursor_x},#{cursor_y}", ";",
                         "display", "-p", _MARK, ";"]
        output = self._tmux(*commands[:-1])
        pieces = output.split(_MARK + "\n")
        results = []
        for index in range(len(sessions)):
            text, escaped, cursor = pieces[3 * index:3 * index + 3]
            x, y = cursor.strip().split(",")
            results.append(PaneResult(text.split("\n")[:-1], escaped.split("\n")[:-1],
                                      (int(x), int(y))))
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
