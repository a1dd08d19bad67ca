"""The attached client: its memory with 4 panes, and keystroke to screen through the app.

* ``client RSS, 4 panes``: a server with a session ``mem`` of 4 tiled panes (200x50
  window), each showing ``seq`` output and then running ``cat``. The real client runs in a
  real terminal - a private tmux server is the terminal (``new-session -d -x 200 -y 51``,
  the pane's command ``exec``s the client, so the pane's pid is the client's) - and its
  ``VmRSS`` is read from ``/proc`` once the terminal shows the status line and the last
  pane's text (median of three reads after a short settle). The tmux figure is a tmux
  client attached the same way to a tmux session of 4 such panes: the C client is a thin
  terminal relay, so the ratio mostly says what a Python/Textual client costs.
* ``app key to screen``: the real :class:`~aisession_tui.client.app.MultiplexerApp` in this
  process (Textual's headless driver: every frame is composed, nothing is written to a
  terminal) attached to a pane running ``cat``. A sample starts when the app sends the
  ``input`` request and ends when the pane view's ``row_strip`` (what the compositor's
  ``render_lines`` call draws each row with) produced the row with
  the echo (``x``, then DEL so the line never grows); p50 and p99 idle, then while
  another pane of the same window floods (``while :; do seq 100000; done``), so the app
  also renders the flood. No tmux figure (tmux has no such client-side render step).
"""

from __future__ import annotations

import asyncio
import shlex
import statistics
import subprocess
import time
import uuid
from typing import Any

from .common import KEY_TO_SCREEN_TARGETS, BenchContext, Figure, Series, percentile
from .sides import COLUMNS, LINES, SIZE_FLAGS, AiSessionSide, TmuxSide, new_side, rss_mb

SEQ_LINES = 2000
SETTLE = 0.5
KEY_GAP = 0.03
KEY_TIMEOUT = 30.0


class Terminal:
    """A private tmux server that acts as the real terminal of one client process."""

    def __init__(self, ctx: BenchContext) -> None:
        self.name = f"bench-term-{uuid.uuid4().hex[:8]}"
        ctx.cleanup.add(f"terminal {self.name}", self.stop)

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.name, "-f", "/dev/null", *args],
                              capture_output=True, text=True, timeout=30,
                              check=False).stdout

    def start(self, command: str) -> int:
        """Run ``command`` (it must ``exec`` the client) in a 200x51 terminal; its pid."""
        self.tmux("new-session", "-d", "-x", str(COLUMNS), "-y", str(LINES + 1), "-s", "t",
                  command)
        return int(self.tmux("display-message", "-p", "-t", "t", "#{pane_pid}").strip())

    def wait_for(self, *texts: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.tmux("capture-pane", "-p", "-t", "t")
            if all(text in screen for text in texts):
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"the client never showed {texts}; screen:\n{screen}")
            time.sleep(0.1)

    def stop(self) -> None:
        self.tmux("kill-server")


def _four_panes(side: AiSessionSide | TmuxSide) -> None:
    """Session ``mem``: 4 tiled panes of ``seq`` output, then ``cat``."""
    command = f"seq {SEQ_LINES}; echo pane-ready; exec cat"
    side.command("new-session", "-d", "-s", "mem", *SIZE_FLAGS, command)
    for _ in range(3):
        side.command("split-window", "-t", "mem", command)
        side.command("select-layout", "-t", "mem", "tiled")
    deadline = time.monotonic() + 60
    for index in range(4):
        while "pane-ready" not in side.command("capture-pane", "-p", "-t", f"mem.{index}"):
            if time.monotonic() > deadline:
                raise RuntimeError(f"{side.label}: pane {index} never got ready")
            time.sleep(0.05)


def _client_command(side: AiSessionSide | TmuxSide) -> str:
    env = " ".join(f"{key}={shlex.quote(value)}" for key, value in side.env.items()
                   if key in ("HOME", "AI_SESSION_HOME", "LANG", "PATH"))
    return (f"exec env -u TMUX {env} TERM=xterm-256color "
            f"{shlex.join(side.cli)} attach -t mem")


def _client_rss(ctx: BenchContext, label: str) -> float:
    side = new_side(label, ctx)
    terminal = Terminal(ctx)
    try:
        side.start()
        _four_panes(side)
        pid = terminal.start(_client_command(side))
        terminal.wait_for("[mem]", "pane-ready")
        reads = []
        for _ in range(3):
            time.sleep(SETTLE / 3)
            reads.append(rss_mb(pid))
        return statistics.median(reads)
    finally:
        terminal.stop()
        side.stop()


async def _app_samples(side: AiSessionSide, keys: int, flood: bool) -> list[float]:
    """Key-to-render samples through the real app attached to ``mem``."""
    from aisession_tui.client.frame_rate import raise_frame_rate

    raise_frame_rate()  # as the real client does before importing the app
    from aisession_tui.client.app import create_app
    from aisession_tui.config import Config
    from aisession_tui.keymaps import load_keymap

    config = Config(theme="tmux", prefix="C-b", mode_keys="emacs", status_right="",
                    mouse=True, history_limit=2000, side_panel_width=30, repeat_time=500)
    app = create_app(side.socket, "mem", config=config, keymap=load_keymap(None, "C-b"),
                     env=side.env)
    target = int(side.command("display-message", "-p", "-t", "mem.0", "#{pane_id}")
                 .strip()[1:])
    state: dict[str, Any] = {"want": None, "done": asyncio.Event()}
    async with app.run_test(size=(COLUMNS, LINES + 1)) as pilot:
        while target not in app.window_view.panes or not app.attached.is_set():
            await asyncio.sleep(0.02)
        view = app.window_view.panes[target]
        original = view.row_strip

        def row_strip(y: int, width: int) -> Any:
            strip = original(y, width)
            want = state["want"]
            if want is not None and y == view.cursor[1]:
                echoed = strip.text.startswith("x")
                if echoed == (want == "x"):
                    state["want"] = None
                    state["done"].set()
            return strip

        view.row_strip = row_strip  # type: ignore[method-assign]
        if flood:
            side.command("send-keys", "-t", "mem.3", "-l",
                         "exec sh -c 'while :; do seq 100000; done'\r")
        await pilot.pause(0.5)
        samples = []
        for index in range(keys):
            data = "x" if index % 2 == 0 else "\x7f"
            await asyncio.sleep(KEY_GAP)
            state["done"].clear()
            state["want"] = data
            started = time.perf_counter()
            app.send_bytes(target, data.encode())
            await asyncio.wait_for(state["done"].wait(), KEY_TIMEOUT)
            samples.append(time.perf_counter() - started)
        view.row_strip = original  # type: ignore[method-assign]
    return samples


def _app_run(ctx: BenchContext, keys: int, flood: bool) -> list[float]:
    side = AiSessionSide(ctx)
    try:
        side.start()
        side.command("new-session", "-d", "-s", "mem", *SIZE_FLAGS, "exec cat")
        for _ in range(3):
            side.command("split-window", "-t", "mem", "exec cat" if not flood else "sh")
        side.command("select-layout", "-t", "mem", "tiled")
        return asyncio.run(_app_samples(side, keys, flood))
    finally:
        side.stop()


def run(ctx: BenchContext) -> list[Figure]:
    runs = 1 if ctx.quick else min(ctx.runs, 3)
    keys = 100 if ctx.quick else 300
    figures = []
    values: dict[str, list[float]] = {"ai-session": [], "tmux": []}
    for index in range(runs):
        for label in ("ai-session", "tmux"):
            value = _client_rss(ctx, label)
            ctx.log(f"client RSS {label}: run {index + 1}/{runs} = {value:.1f} MB")
            values[label].append(value)
    figures.append(Figure(
        workload="client RSS, 4 panes", detail="VmRSS of the attached client process "
        f"({COLUMNS}x{LINES + 1} terminal, 4 tiled panes of seq output)", unit="MB",
        ai=Series(values["ai-session"]), tmux=Series(values["tmux"]),
        note="tmux's client relays the server's output; ai-session's renders it"))
    from textual.constants import MAX_FPS as max_fps

    for flood in (False, True):
        p50s, p99s = [], []
        for index in range(runs):
            samples = _app_run(ctx, keys, flood)
            p50s.append(percentile(samples, 0.5) * 1000)
            p99s.append(percentile(samples, 0.99) * 1000)
            ctx.log(f"app key to screen{' (flood)' if flood else ''}: run {index + 1}/"
                    f"{runs} p50 {p50s[-1]:.1f} ms p99 {p99s[-1]:.1f} ms")
        where = "while another pane floods" if flood else "idle"
        for name, series in (("p50", p50s), ("p99", p99s)):
            figures.append(Figure(
                workload=f"app key to screen {name}, {where}",
                detail=f"input request to PaneView.row_strip of the echo, {keys} keys, "
                f"real app, headless driver, Textual redraw cap {max_fps} fps", unit="ms",
                ai=Series(series),
                target=KEY_TO_SCREEN_TARGETS["flood" if flood else "idle"]
                if name == "p99" else None))
    return figures
