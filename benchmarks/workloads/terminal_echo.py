"""Keystroke to screen in a real terminal, ai-session's client and tmux's side by side.

What a user feels: a key written into the CLIENT's terminal until the echoed character
appears in what the client writes back to that terminal. The suite owns the terminal: a PTY
pair (:func:`pty.fork`, 200x51 set with ``TIOCSWINSZ`` before ``exec``, ``TERM=
xterm-256color``) whose slave side runs the real client (``ai-session attach -t term`` or
``tmux attach -t term``); a reader thread feeds every byte from the master into the
project's own emulator (:class:`~aisession_tui.terminal.emulator.Emulator`, full screen:
cursor addressing, alternate screen) and answers the terminal queries a real terminal
answers (device attributes, cursor position).

Session ``term`` on each side: 4 tiled panes (200x50). Pane 0, the measured and active one,
prints :data:`MARKER` and then ``exec``s ``cat``; panes 1 and 2 run ``cat``, pane 3 ``sh``.
The echo cell is where the marker line ends on the terminal, one row below (found on the
emulated screen once the client has drawn its status line, so no layout is assumed).

A sample: ``x`` (then DEL, alternately, so the line never grows) is written to the master
with :func:`time.perf_counter` just before; the reader thread stops the clock right after
feeding the chunk that made the echo cell show ``x`` (or no longer show it). One key every
:data:`KEY_GAP` seconds at most. Idle, then while pane 3 floods (``exec sh -c 'while :; do
seq 100000; done'`` typed into its shell with ``send-keys``), so the client also draws the
flood. The first :data:`WARMUP_KEYS` keys of each condition are not recorded.

Invariants:
* the client process is registered with the run's cleanup before anything can fail, and is
  killed (then reaped) with its PTY closed on every exit path; servers go through
  :meth:`~.sides._ServerSide.stop`;
* the harness's own parsing of the client's output is inside every sample, for both sides
  alike; nothing else runs in this process while sampling.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import termios
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from aisession_tui.terminal.emulator import Emulator

from .common import KEY_TO_SCREEN_TARGETS, BenchContext, Figure, Series, percentile
from .sides import COLUMNS, LINES, SIZE_FLAGS, AiSessionSide, TmuxSide, new_side

SESSION = "term"
MARKER = "measured-pane-ready"
TERMINAL_LINES = LINES + 1
KEY_GAP = 0.03
KEY_TIMEOUT = 30.0
DRAW_TIMEOUT = 60.0
WARMUP_KEYS = 6
FLOOD_SETTLE = 0.5
FLOOD_COMMAND = "exec sh -c 'while :; do seq 100000; done'\r"
CLIENT_ENV = ("HOME", "AI_SESSION_HOME", "LANG", "PATH")


class EchoCell:
    """Where the measured pane's echo lands on the terminal, found from the marker line."""

    def __init__(self, row: int, column: int) -> None:
        self.row = row
        self.column = column

    @classmethod
    def find(cls, screen: Emulator, marker: str) -> EchoCell | None:
        """The cell below the start of the only row showing ``marker``; None if not one."""
        rows = [(y, text.find(marker)) for y, text in enumerate(screen.display())
                if marker in text]
        if len(rows) != 1 or rows[0][0] + 1 >= screen.lines:
            return None
        row, column = rows[0]
        return cls(row + 1, column)

    def shows(self, screen: Emulator, char: str) -> bool:
        """Whether the cell holds ``char`` (a blank cell holds ``" "``)."""
        return (screen.line_text(self.row)[self.column:self.column + 1] or " ") == char

    def watch(self, echoed: bool) -> Callable[[Emulator], bool]:
        """A predicate: the cell shows the echoed ``x`` (``echoed``) or no longer does."""

        def check(screen: Emulator) -> bool:
            return self.shows(screen, "x") == echoed

        return check


class PtyTerminal:
    """A terminal this process owns: a PTY whose slave runs one client, read by a thread.

    Every byte read from the master is fed to :attr:`screen`; replies the emulator
    produces (DA, DSR) are written back to the master as a terminal would. A watch
    (``predicate``) set with :meth:`expect` is checked after each chunk; the first chunk
    that satisfies it records :func:`time.perf_counter` and wakes :meth:`wait`.
    """

    def __init__(self, ctx: BenchContext, label: str, argv: list[str],
                 env: dict[str, str]) -> None:
        self.label = label
        self.screen = Emulator(COLUMNS, TERMINAL_LINES, history_limit=0,
                               on_reply=self._reply)
        self.lock = threading.Lock()
        self._predicate: Callable[[Emulator], bool] | None = None
        self._seen = threading.Event()
        self._seen_at = 0.0
        self._closed = False
        self.received = 0
        self.parse_seconds = 0.0
        self.pid, self.master = _spawn(argv, env)
        self._release = ctx.cleanup.add(f"{label} client in a pty", self._stop)
        self._reader = threading.Thread(target=self._read_loop, name=f"pty {label}",
                                        daemon=True)
        self._reader.start()

    def _reply(self, data: bytes) -> None:
        try:
            os.write(self.master, data)
        except OSError:
            pass

    def _read_loop(self) -> None:
        while not self._closed:
            try:
                ready, _, _ = select.select([self.master], [], [], 0.2)
                if not ready:
                    continue
                data = os.read(self.master, 1 << 16)
            except OSError:
                return
            if not data:
                return
            with self.lock:
                started = time.perf_counter()
                self.screen.feed(data)
                self.parse_seconds += time.perf_counter() - started
                self.received += len(data)
                predicate = self._predicate
                if predicate is not None and predicate(self.screen):
                    self._seen_at = time.perf_counter()
                    self._predicate = None
                    self._seen.set()

    def type(self, data: bytes) -> None:
        os.write(self.master, data)

    def expect(self, predicate: Callable[[Emulator], bool]) -> None:
        """Watch for ``predicate`` on the chunks read from now on."""
        with self.lock:
            self._seen.clear()
            self._predicate = predicate

    def wait(self, timeout: float) -> float:
        """The perf_counter time at which the expected screen was first seen."""
        if not self._seen.wait(timeout):
            with self.lock:
                self._predicate = None
                screen = "\n".join(self.screen.display())
            raise TimeoutError(f"{self.label}: the terminal never showed the change; "
                               f"screen:\n{screen}")
        return self._seen_at

    def wait_until(self, predicate: Callable[[Emulator], bool], timeout: float) -> None:
        """Wait until the screen satisfies ``predicate`` (checked now and on every chunk)."""
        self.expect(predicate)
        with self.lock:
            if predicate(self.screen):
                self._predicate = None
                return
        self.wait(timeout)

    def snapshot(self) -> list[str]:
        with self.lock:
            return self.screen.display()

    def _alive(self) -> bool:
        pid, _ = os.waitpid(self.pid, os.WNOHANG)
        return pid == 0

    def _stop(self) -> None:
        self._closed = True
        try:
            if self._alive():
                os.kill(self.pid, signal.SIGTERM)
                deadline = time.monotonic() + 5
                while self._alive() and time.monotonic() < deadline:
                    time.sleep(0.05)
                if self._alive():
                    os.kill(self.pid, signal.SIGKILL)
                    os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
        self._reader.join(5)
        os.close(self.master)

    def close(self) -> None:
        self._release()


def _spawn(argv: list[str], env: dict[str, str]) -> tuple[int, int]:
    """Fork ``argv`` on a new PTY (controlling terminal, 200x51); (pid, master fd)."""
    size = struct.pack("HHHH", TERMINAL_LINES, COLUMNS, 0, 0)
    pid, master = pty.fork()
    if pid == 0:
        try:
            fcntl.ioctl(0, termios.TIOCSWINSZ, size)
            os.execvpe(argv[0], argv, env)
        finally:
            os._exit(127)
    return pid, master


def _client_argv(side: AiSessionSide | TmuxSide) -> tuple[list[str], dict[str, str]]:
    env = {key: value for key, value in side.env.items() if key in CLIENT_ENV}
    env["TERM"] = "xterm-256color"
    return [*side.cli, "attach", "-t", SESSION], env


def _session(side: AiSessionSide | TmuxSide) -> None:
    """Session ``term``: 4 tiled panes, pane 0 (marker, then ``cat``) active."""
    side.command("new-session", "-d", "-s", SESSION, *SIZE_FLAGS,
                 f"echo {MARKER}; exec cat")
    for command in ("exec cat", "exec cat", "exec sh"):
        side.command("split-window", "-t", SESSION, command)
        side.command("select-layout", "-t", SESSION, "tiled")
    side.command("select-pane", "-t", f"{SESSION}.0")
    deadline = time.monotonic() + DRAW_TIMEOUT
    while MARKER not in side.command("capture-pane", "-p", "-t", f"{SESSION}.0"):
        if time.monotonic() > deadline:
            raise RuntimeError(f"{side.label}: the measured pane never printed its marker")
        time.sleep(0.05)


def _echo_cell(terminal: PtyTerminal) -> EchoCell:
    status = f"[{SESSION}]"
    found: list[EchoCell] = []

    def drawn(screen: Emulator) -> bool:
        if not any(status in line for line in screen.display()):
            return False
        cell = EchoCell.find(screen, MARKER)
        if cell is None or not cell.shows(screen, " "):
            return False
        found.append(cell)
        return True

    terminal.wait_until(drawn, DRAW_TIMEOUT)
    return found[-1]


@dataclass
class Condition:
    """One condition's samples and what the terminal (the harness) went through meanwhile."""

    samples: list[float]
    bytes_per_second: float
    parse_busy: float

    def log_line(self) -> str:
        return (f"p50 {percentile(self.samples, 0.5) * 1000:.1f} ms, "
                f"p99 {percentile(self.samples, 0.99) * 1000:.1f} ms, terminal got "
                f"{self.bytes_per_second / 1000:.0f} kB/s, harness parsing "
                f"{self.parse_busy:.0%} of the time")


def _samples(terminal: PtyTerminal, cell: EchoCell, keys: int) -> Condition:
    samples = []
    received = parsed = began = 0.0
    for index in range(WARMUP_KEYS + keys):
        if index == WARMUP_KEYS:
            received, parsed, began = (terminal.received, terminal.parse_seconds,
                                       time.perf_counter())
        key, echoed = ("x", True) if index % 2 == 0 else ("\x7f", False)
        time.sleep(KEY_GAP)
        terminal.expect(cell.watch(echoed))
        started = time.perf_counter()
        terminal.type(key.encode())
        seen = terminal.wait(KEY_TIMEOUT)
        if index >= WARMUP_KEYS:
            samples.append(seen - started)
    elapsed = time.perf_counter() - began
    return Condition(samples, (terminal.received - received) / elapsed,
                     (terminal.parse_seconds - parsed) / elapsed)


def _one_run(ctx: BenchContext, label: str, keys: int) -> dict[str, Condition]:
    """Idle and flood conditions of one side, on a fresh server and client."""
    side = new_side(label, ctx)
    terminal: PtyTerminal | None = None
    try:
        side.start()
        _session(side)
        argv, env = _client_argv(side)
        terminal = PtyTerminal(ctx, label, argv, env)
        cell = _echo_cell(terminal)
        idle = _samples(terminal, cell, keys)
        side.command("send-keys", "-t", f"{SESSION}.3", "-l", FLOOD_COMMAND)
        received = terminal.received
        deadline = time.monotonic() + FLOOD_SETTLE
        while time.monotonic() < deadline or terminal.received - received < 1 << 16:
            if time.monotonic() > deadline + DRAW_TIMEOUT:
                raise RuntimeError(f"{label}: the flood never reached the terminal")
            time.sleep(0.05)
        flood = _samples(terminal, cell, keys)
        return {"idle": idle, "flood": flood}
    finally:
        if terminal is not None:
            terminal.close()
        side.stop()


def run(ctx: BenchContext) -> list[Figure]:
    runs = 1 if ctx.quick else min(ctx.runs, 3)
    keys = 60 if ctx.quick else 300
    results: dict[tuple[str, str], list[Condition]] = {}
    for index in range(runs):
        for label in ("ai-session", "tmux"):
            for condition, result in _one_run(ctx, label, keys).items():
                results.setdefault((label, condition), []).append(result)
                ctx.log(f"terminal key to screen {label} {condition}: run {index + 1}/"
                        f"{runs}: {result.log_line()}")
    figures = []
    for condition, where in (("idle", "idle"), ("flood", "while another pane floods")):
        def series(label: str, fraction: float, condition: str = condition) -> Series:
            return Series([percentile(result.samples, fraction) * 1000
                           for result in results[(label, condition)]])

        def medians(attribute: str, condition: str = condition) -> dict[str, float]:
            return {label: statistics.median(getattr(result, attribute)
                                             for result in results[(label, condition)])
                    for label in ("ai-session", "tmux")}

        throughput = medians("bytes_per_second")
        busy = medians("parse_busy")
        note = ("terminal received " + ", ".join(
            f"{label} {throughput[label] / 1000:.0f} kB/s (harness parsing "
            f"{busy[label]:.0%} of the time)" for label in ("ai-session", "tmux")))
        for name, fraction in (("p50", 0.5), ("p99", 0.99)):
            figures.append(Figure(
                workload=f"terminal key to screen {name}, {where}",
                detail=f"key written to the client's PTY to the echo on the emulated "
                f"terminal ({COLUMNS}x{TERMINAL_LINES}, 4 tiled panes), {keys} keys a run, "
                f"real clients", unit="ms", ai=series("ai-session", fraction),
                tmux=series("tmux", fraction), note=note,
                target=KEY_TO_SCREEN_TARGETS[condition] if name == "p99" else None,
                extra={"terminal_bytes_per_second": throughput,
                       "harness_parse_busy": busy}))
    return figures
