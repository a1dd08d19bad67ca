"""The e2e harness: a private tmux server whose pane is the real terminal of the real
``ai-session`` client, and the generator each test module's ``harness`` fixture yields from.

Not a test module; the e2e tests import ``Harness``, ``running_harness``, the ``harness`` and
``oracle_harness`` fixtures and :func:`start_tmux_oracle` from here.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import DEADLINE, IsolatedServer, LiveTmux, wait_until

SETTLED = 0.15
"""How long both screens must stay the same before :func:`same_window_runs` takes them."""


class Harness:
    """A private tmux server whose one pane runs the ai-session client."""

    def __init__(self, server: IsolatedServer) -> None:
        self.server = server
        self.name = f"aie2e{uuid.uuid4().hex[:8]}"

    def tmux(self, *args: str) -> str:
        """Run a tmux command on the harness server."""
        return subprocess.run(["tmux", "-L", self.name, "-f", "/dev/null", *args],
                              capture_output=True, text=True, timeout=30, check=False).stdout

    def client_command(self, *args: str) -> str:
        """The shell command that runs ``ai-session -L <server> args`` in the harness."""
        env = " ".join(f"{key}={_quote(value)}" for key, value in (
            ("HOME", str(self.server.home)), ("AI_SESSION_HOME", str(self.server.data)),
            ("SHELL", "/bin/bash"), ("LANG", "C.UTF-8"), ("TERM", "xterm-256color"),
            ("PATH", "/usr/bin:/bin")))
        words = " ".join(_quote(word) for word in args)
        return (f"env -u TMUX {env} {_quote(sys.executable)} -m aisession_tui.cli "
                f"-L {self.server.name} {words}; echo client-exited; sleep 60")

    def start(self, *args: str) -> None:
        """A 120x40 terminal running the client."""
        self.tmux("new-session", "-d", "-x", "120", "-y", "40", "-s", "h",
                  self.client_command(*args))

    def respawn(self, *args: str) -> None:
        """Run the client again in the same terminal."""
        self.tmux("respawn-pane", "-k", "-t", "h", self.client_command(*args))

    def screen(self) -> str:
        """What the terminal shows."""
        return self.tmux("capture-pane", "-p", "-t", "h")

    def wait_for(self, text: str) -> str:
        """Wait until ``text`` is on the terminal."""
        try:
            return wait_until(lambda: text in self.screen(), DEADLINE,
                              message=f"{text!r} in the terminal") and self.screen()
        except AssertionError as exc:
            raise AssertionError(f"{exc}; the terminal shows:\n{self.screen()}") from None

    def wait_attached(self) -> None:
        """Wait until the client in this terminal is attached to the server (listed with
        this terminal's tty). Before that the server may have painted the session while
        the client's renderer starts: the status line shows, but commands that need a
        client (a prompt, a chooser, ``list-clients``) would find none yet."""
        tty = self.tmux("display-message", "-p", "-t", "h", "#{pane_tty}").strip()
        wait_until(lambda: tty in self.server.ok("list-clients", "-F", "#{client_tty}").split(),
                   DEADLINE, message=f"the client on {tty} attached")

    def keys(self, *keys: str) -> None:
        """tmux send-keys."""
        self.tmux("send-keys", "-t", "h", *keys)

    def stop(self) -> None:
        """Kill the harness tmux server."""
        self.tmux("kill-server")


def _quote(word: str) -> str:
    return "'" + word.replace("'", "'\\''") + "'"


def running_harness(server: IsolatedServer) -> Iterator[Harness]:
    """A harness for one test, stopped (its tmux server killed) when the test ends; each
    test module's ``harness`` fixture yields from it."""
    instance = Harness(server)
    try:
        yield instance
    finally:
        instance.stop()


def tmux_client_command(oracle: LiveTmux, server: IsolatedServer, command: str) -> str:
    """The shell command line that runs tmux 3.3a's client (no config, bash, the test's
    HOME, outside any tmux) with ``command`` (shell-quoted) on ``oracle``'s socket."""
    env = " ".join(f"{key}={_quote(value)}" for key, value in (
        ("HOME", str(server.home)), ("SHELL", "/bin/bash"), ("LANG", "C.UTF-8"),
        ("TERM", "xterm-256color"), ("PATH", "/usr/bin:/bin")))
    return f"env -u TMUX {env} tmux -L {oracle.name} -f /dev/null {command}"


def start_terminal_program(harness: Harness, command: str) -> None:
    """``command`` as the program of ``harness``'s 120x40 terminal."""
    harness.tmux("new-session", "-d", "-x", "120", "-y", "40", "-s", "h", command)


def start_tmux_oracle(harness: Harness, oracle: LiveTmux, server: IsolatedServer,
                      after: str = "") -> None:
    """tmux 3.3a itself (no config, bash, session ``p``) as ``harness``'s terminal program,
    on ``oracle``'s socket: the same kind of terminal the ai-session client gets, for
    comparing screens. ``after`` is a tmux command line (shell-quoted) appended with
    ``\\;``, run once the session exists."""
    command = tmux_client_command(oracle, server, "new-session -s p")
    if after:
        command += f" {after}"
    start_terminal_program(harness, command)


class SideBySide:
    """ai-session's client and tmux 3.3a itself, each in its own harness terminal, both
    showing session ``p`` (see :func:`side_by_side`)."""

    def __init__(self, server: IsolatedServer, ours: Harness, theirs: Harness) -> None:
        self.server = server
        self.ours = ours
        self.theirs = theirs
        self.oracle = LiveTmux(dict(server.env))
        self.screens: list[tuple[Any, Any]] = []
        """What :meth:`same` saw at each step."""

    def same(self, what: str) -> list[list[tuple[str, str]]]:
        """Assert both terminals show the same window (:func:`window_runs`), once both have
        changed from what the previous call saw; their rows."""
        ours, theirs = same_window_runs(self.ours, self.theirs,
                                        self.screens[-1] if self.screens else None)
        self.screens.append((ours, theirs))
        if ours != theirs:
            row = next(row for row in range(max(len(ours), len(theirs)))
                       if ours[row:row + 1] != theirs[row:row + 1])
            raise AssertionError(f"{what}: row {row} differs:\n ours   {ours[row:row + 1]}"
                                 f"\n theirs {theirs[row:row + 1]}\nours:\n"
                                 f"{self.ours.screen()}\ntheirs:\n{self.theirs.screen()}")
        return ours

    def start(self) -> None:
        """Session ``p`` in both, each attached in its terminal."""
        self.server.ok("new-session", "-d", "-s", "p")
        self.ours.start("attach", "-t", "p")
        start_tmux_oracle(self.theirs, self.oracle, self.server)
        self.ours.wait_for("0:bash*")
        self.ours.wait_attached()
        self.theirs.wait_for("0:bash*")

    def both(self, *args: str) -> None:
        """Run one command in both servers; it must succeed in both."""
        self.server.ok(*args)
        code, _, err = self.oracle.run(*args)
        assert code == 0, err

    def keys(self, *keys: str) -> None:
        """Type the same keys in both terminals."""
        for terminal in (self.ours, self.theirs):
            terminal.keys(*keys)


@pytest.fixture
def side_by_side(server: IsolatedServer, harness: Harness,
                 oracle_harness: Harness) -> Iterator[SideBySide]:
    """:class:`SideBySide` started (tmux killed when the test ends)."""
    pair = SideBySide(server, harness, oracle_harness)
    try:
        pair.start()
        yield pair
    finally:
        pair.oracle.kill()


@pytest.fixture
def harness(server: IsolatedServer) -> Iterator[Harness]:
    """The terminal of the ai-session client (import it into a test module)."""
    yield from running_harness(server)


@pytest.fixture
def oracle_harness(server: IsolatedServer) -> Iterator[Harness]:
    """A second terminal, for tmux itself (:func:`start_tmux_oracle`)."""
    yield from running_harness(server)


def sgr_cells(line: str) -> list[tuple[str, str]]:
    """(character, SGR state in effect) of each cell of a captured line, the state
    normalised (``30`` and ``38;5;0`` are the same colour) so two terminals that reach the
    same colours by different sequences compare equal."""
    state: dict[str, str] = {}
    cells: list[tuple[str, str]] = []
    for escape, text in re.findall(r"(\x1b\[[0-9;]*m)?([^\x1b]*)", line):
        if escape:
            codes = escape[2:-1].split(";") if escape[2:-1] else ["0"]
            index = 0
            while index < len(codes):
                code = codes[index] or "0"
                if code == "0":
                    state.clear()
                elif code in ("38", "48") and codes[index + 1:index + 2] == ["5"]:
                    state[code] = codes[index + 2]
                    index += 2
                elif code in ("38", "48") and codes[index + 1:index + 2] == ["2"]:
                    state[code] = "#" + "".join(f"{int(c):02x}" for c in codes[index + 2:index + 5])
                    index += 4
                elif code in ("39", "49"):
                    state.pop(code[0] + "8", None)
                elif 30 <= int(code) <= 37 or 90 <= int(code) <= 97:
                    state["38"] = str(int(code) - 30 if int(code) < 90 else int(code) - 82)
                elif 40 <= int(code) <= 47 or 100 <= int(code) <= 107:
                    state["48"] = str(int(code) - 40 if int(code) < 100 else int(code) - 92)
                else:
                    state[code] = "on"
                index += 1
        key = ",".join(f"{k}={v}" for k, v in sorted(state.items()))
        cells.extend((char, key) for char in text)
    return cells


def sgr_runs(line: str) -> list[tuple[str, str]]:
    """(attributes in effect, text) runs of a captured line: ``sgr_cells`` merged where
    neighbouring cells share their attributes."""
    runs: list[tuple[str, str]] = []
    for char, key in sgr_cells(line):
        if runs and runs[-1][0] == key:
            runs[-1] = (key, runs[-1][1] + char)
        else:
            runs.append((key, char))
    return runs


def window_runs(harness: Harness) -> list[list[tuple[str, str]]]:
    """The terminal's rows above its status line as (SGR state, text) runs, each row's
    trailing unstyled blanks dropped. ``capture-pane -e`` carries the SGR state from one
    line to the next (a line may start with no sequence and still be coloured), so the
    capture is read as one stream."""
    text = subprocess.run(["tmux", "-L", harness.name, "capture-pane", "-e", "-p", "-N", "-t", "h"],
                          capture_output=True, text=True, timeout=30, check=False).stdout
    rows: list[list[tuple[str, str]]] = [[]]
    for char, key in sgr_cells(text.rstrip("\n")):
        if char == "\n":
            rows.append([])
        elif rows[-1] and rows[-1][-1][0] == key:
            rows[-1][-1] = (key, rows[-1][-1][1] + char)
        else:
            rows[-1].append((key, char))
    rows = rows[:-1]  # the status line
    for row in rows:
        while row and row[-1][1].strip() == "" and "48=" not in row[-1][0]:
            row.pop()
        if row and "48=" not in row[-1][0]:
            row[-1] = (row[-1][0], row[-1][1].rstrip())
    return rows


def same_window_runs(ours: Harness, theirs: Harness, before: tuple[Any, Any] | None = None
                     ) -> tuple[list[list[tuple[str, str]]], list[list[tuple[str, str]]]]:
    """Both terminals' :func:`window_runs`, once they agree, each differs from its own rows
    in ``before`` (the pair this returned for the step before, so a comparison never passes
    on two screens neither has redrawn yet), and they have stayed so for
    :data:`SETTLED` seconds (a redraw passes through screens both sides may show for a
    moment - a cleared popup - that are not where either ends); at the deadline, as they
    are, for the caller's assertion to show the difference."""
    agreed: list[Any] = []  # [rows, first seen]

    def ready() -> bool:
        mine, other = window_runs(ours), window_runs(theirs)
        changed = before is None or (mine != before[0] and other != before[1])
        if not (changed and mine == other):
            agreed.clear()
            return False
        if not agreed or agreed[0] != mine:
            agreed[:] = [mine, time.monotonic()]
        return time.monotonic() - agreed[1] >= SETTLED

    try:
        wait_until(ready, message="the same screens")
    except AssertionError:
        return window_runs(ours), window_runs(theirs)
    return agreed[0], agreed[0]
