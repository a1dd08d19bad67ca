"""Window sizes with several attached clients, compared with live tmux 3.3a.

The same scenario (clients attaching with a size, resizing, typing, leaving) runs in tmux,
whose clients are real ``tmux attach`` processes on pseudo-terminals of that size (one more
line: their status line), and in ai-session, whose clients are protocol clients attached
with that pane area. After each step both servers list every window's
``#{window_width}x#{window_height}``; the lists must be equal. Covers ``window-size``
(latest, largest, smallest, manual), ``aggressive-resize``, a session growing back when the
client that shrank it leaves, and ``resize-window`` making a window manual. Without
grouped sessions every client of a session shows the same current window, so
``aggressive-resize`` changes nothing there, in tmux as here.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import struct
import subprocess
import termios
import threading
from typing import Any

import pytest
from conftest import wait_until

from aisession_tui.cli.async_client import AsyncClient, open_client

SIZES = "#{session_name}:#{window_index}=#{window_width}x#{window_height}"

Step = tuple[Any, ...]


class TmuxTerminalClient:
    """``tmux attach`` on a pseudo-terminal of ``columns`` x ``lines + 1`` (its status
    line), its output drained so the server never waits on it."""

    def __init__(self, base: list[str], env: dict[str, str], target: str, columns: int,
                 lines: int, flags: tuple[str, ...] = ()) -> None:
        self.master, slave = os.openpty()
        self._set_size(slave, columns, lines)

        def controlling_terminal() -> None:
            os.setsid()
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.process = subprocess.Popen(
            [*base, "attach", *flags, "-t", target], stdin=slave, stdout=slave, stderr=slave,
            env={**env, "TERM": "xterm-256color"}, preexec_fn=controlling_terminal,
            close_fds=True)
        os.close(slave)
        self.reader = threading.Thread(target=self._drain, daemon=True)
        self.reader.start()

    @staticmethod
    def _set_size(fd: int, columns: int, lines: int) -> None:
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", lines + 1, columns, 0, 0))

    def _drain(self) -> None:
        while True:
            try:
                if not os.read(self.master, 65536):
                    return
            except OSError:
                return

    def resize(self, columns: int, lines: int) -> None:
        self._set_size(self.master, columns, lines)  # the kernel sends SIGWINCH

    def type(self, text: str) -> None:
        os.write(self.master, text.encode())

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(30)
        try:
            os.close(self.master)
        except OSError:
            pass


def tmux_window_sizes(live_tmux: Any, step: Step) -> list[str]:
    """``list-windows -a`` in tmux. Once, on a loaded machine, tmux answered with no windows
    at all (exit 0) right after a client left; the session never goes away in these tests,
    so an empty answer is asked again."""
    answers: list[str] = []

    def listed() -> bool:
        code, out, err = live_tmux.run("list-windows", "-a", "-F", SIZES)
        assert code == 0, f"tmux list-windows after {step}: {err}"
        answers[:] = out.split()
        return bool(answers)

    wait_until(listed, 30, message="tmux lists the session's windows")
    return answers


def run_in_tmux(live_tmux: Any, steps: list[Step]) -> list[list[str]]:
    """The window sizes after each step, in tmux."""
    clients: dict[str, TmuxTerminalClient] = {}
    sizes: dict[str, tuple[int, int]] = {}
    targets: dict[str, str] = {}

    def client_sizes() -> list[str]:
        return sorted(live_tmux.run("list-clients", "-F",
                                    "#{client_width}x#{client_height}")[1].split())

    def settled() -> None:
        expected = sorted(f"{columns}x{lines + 1}" for columns, lines in sizes.values())
        wait_until(lambda: client_sizes() == expected, 30, message=f"tmux clients {expected}")

    seen: list[list[str]] = []
    try:
        for step in steps:
            kind, *rest = step
            if kind == "attach":
                name, target, columns, lines, *flags = rest
                clients[name] = TmuxTerminalClient(live_tmux.base, live_tmux.env, target,
                                                   columns, lines, tuple(flags))
                sizes[name] = (columns, lines)
                targets[name] = target
            elif kind == "resize":
                name, columns, lines = rest
                clients[name].resize(columns, lines)
                sizes[name] = (columns, lines)
            elif kind == "type":
                # A key press makes its client the latest; wait until the pane got it.
                target = targets[rest[0]]
                typed = live_tmux.run("capture-pane", "-p", "-t", target)[1].count("#")
                clients[rest[0]].type("#")
                wait_until(lambda t=target, n=typed: live_tmux.run(
                    "capture-pane", "-p", "-t", t)[1].count("#") > n, 30,
                           message="the key reached the pane")
            elif kind == "leave":
                clients.pop(rest[0]).close()
                del sizes[rest[0]]
            else:
                code, _, err = live_tmux.run(*step)
                assert code == 0, err
            settled()
            seen.append(tmux_window_sizes(live_tmux, step))
    finally:
        for client in clients.values():
            client.close()
    return seen


def run_in_ai_session(server: Any, steps: list[Step]) -> list[list[str]]:
    """The window sizes after each step, in ai-session (protocol clients)."""

    async def scenario() -> list[list[str]]:
        clients: dict[str, AsyncClient] = {}
        seen: list[list[str]] = []
        try:
            for step in steps:
                kind, *rest = step
                if kind == "attach":
                    name, target, columns, lines, *flags = rest
                    clients[name] = await open_client(server.socket,
                                                      on_notification=lambda *_: None)
                    await clients[name].request("attach", {
                        "target": target, "columns": columns, "lines": lines,
                        "flags": "read-only,ignore-size" if "-r" in flags else ""})
                elif kind == "resize":
                    name, columns, lines = rest
                    await clients[name].request("resize", {"columns": columns,
                                                           "lines": lines})
                elif kind == "type":
                    await clients[rest[0]].request("input", {"data": "#"})
                elif kind == "leave":
                    await clients.pop(rest[0]).close()
                    left = len(clients)
                    await asyncio.to_thread(wait_until, lambda n=left: len(server.ok(
                        "list-clients", "-F", "x").split()) == n, 30, 0.02, "left")
                else:
                    server.ok(*step)
                seen.append(server.ok("list-windows", "-a", "-F", SIZES).split())
        finally:
            for client in clients.values():
                await client.close()
        return seen

    return asyncio.run(scenario())


def compare(server: Any, live_tmux: Any, setup: list[Step], steps: list[Step]) -> None:
    for step in setup:
        server.ok(*step)
        code, _, err = live_tmux.run(*step)
        assert code == 0, err
    expected = run_in_tmux(live_tmux, steps)
    got = run_in_ai_session(server, steps)
    for step, want, have in zip(steps, expected, got, strict=True):
        assert have == want, f"after {step}: tmux {want}, ai-session {have}"


SESSION = [("new-session", "-d", "-s", "main", "-x", "80", "-y", "24"),
           ("new-window", "-d", "-t", "main")]

SHRINK_AND_LEAVE: list[Step] = [
    ("attach", "A", "main", 160, 45),
    ("attach", "B", "main", 100, 29),
    ("resize", "A", 150, 39),
    ("resize", "B", 90, 19),
    ("type", "A"),
    ("leave", "B"),
    ("attach", "B", "main", 120, 50),
    ("leave", "A"),
]


@pytest.mark.fake_pty
@pytest.mark.parametrize("policy", ["latest", "largest", "smallest", "manual"])
def test_window_size_policies_follow_the_clients_as_tmux(server, live_tmux, policy):
    setup = [*SESSION, ("set-option", "-g", "window-size", policy)]
    compare(server, live_tmux, setup, SHRINK_AND_LEAVE)


@pytest.mark.fake_pty
def test_session_grows_back_when_the_smaller_client_leaves(server, live_tmux):
    steps: list[Step] = [("attach", "big", "main", 160, 45),
                         ("attach", "small", "main", 100, 29),
                         ("leave", "small")]
    compare(server, live_tmux, SESSION, steps)


@pytest.mark.fake_pty
@pytest.mark.parametrize("aggressive", ["on", "off"])
def test_aggressive_resize_counts_only_clients_showing_the_window(server, live_tmux,
                                                                  aggressive):
    setup = [*SESSION, ("set-option", "-g", "window-size", "smallest"),
             ("set-option", "-g", "aggressive-resize", aggressive),
             ("new-session", "-d", "-s", "other", "-x", "70", "-y", "20")]
    steps: list[Step] = [("attach", "A", "main", 150, 40),
                         ("attach", "B", "other", 90, 30),
                         ("resize", "A", 140, 35),
                         ("select-window", "-t", "main:1"),
                         ("resize", "A", 130, 33),
                         ("leave", "B")]
    compare(server, live_tmux, setup, steps)


@pytest.mark.fake_pty
def test_resize_window_makes_the_window_manual(server, live_tmux):
    steps: list[Step] = [("attach", "A", "main", 150, 40),
                         ("resize-window", "-t", "main:0", "-x", "70", "-y", "20"),
                         ("resize", "A", 140, 35),
                         ("attach", "B", "main", 100, 30),
                         ("show-options", "-w", "-t", "main:0", "window-size"),
                         ("leave", "B")]
    compare(server, live_tmux, SESSION, steps)


@pytest.mark.fake_pty
@pytest.mark.parametrize("policy", ["largest", "smallest"])
def test_a_read_only_client_is_ignored_while_another_is_not(server, live_tmux, policy):
    """``attach -r`` sets ignore-size: its size counts only while every client has it."""
    setup = [*SESSION, ("set-option", "-g", "window-size", policy)]
    steps: list[Step] = [("attach", "R", "main", 160, 45, "-r"),
                         ("attach", "A", "main", 100, 29),
                         ("resize", "R", 60, 19),
                         ("leave", "A"),
                         ("attach", "S", "main", 90, 25, "-r")]
    compare(server, live_tmux, setup, steps)
