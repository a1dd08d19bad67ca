"""Attach and cold start to the final frame, in a real terminal, with tmux side by side.

What a user waits for: from the moment the client process is started in a terminal until
that terminal shows the session, complete. The suite owns the terminal, as
``terminal_echo`` does: a PTY (:func:`.terminal_echo._spawn`, 200x51, ``TERM=
xterm-256color``) whose master is read by a thread into the project's emulator, answering
the terminal's queries. Before the client starts, the terminal shows a line of its own
(``previous-screen``, printed by ``sh`` just before it ``exec``s the client), as a shell
prompt would be.

* attach: a server with session ``att`` (one 200x50 pane that printed :data:`MARKER` and
  runs ``cat``); the client is ``attach -t att``; each run is the median of several
  attaches, each detached with ``C-b d`` before the next;
* cold start: no server; the client is ``new-session -s att 'echo MARKER; exec cat'``,
  which starts the server, makes the session and attaches; ``kill-server`` after each.

The final frame is a screen showing the status line's ``[att]`` and the marker, with the
previous screen gone. A frame drawn before it is a screen where the client paused its
output (nothing more was waiting on the PTY when the screen was read), different from the
previous screen and from the final one, that stayed unchanged for :data:`VISIBLE_FRAME`
seconds or more (long enough for a terminal to show it): a blank alternate screen, a
status line with an empty session name, a half-drawn pane. A screen read while more
output was already waiting is the middle of one write, not a frame (the harness's own
parsing can be slower than the client's writing). The count is per attach (median).

The client runs as a person types it: ``tmux``, and the ``ai-session`` script installed
beside this interpreter (:func:`_client_cli`).

Memory, once attached: the RSS of the process started in the terminal (the thin client;
tmux's client), and the RSS and PSS of the renderer drawing for it (forked from the
zygote, so much of it is shared; PSS counts a shared page in parts).

ai-session is measured twice: through the thin client (the default: a renderer forked
from the server's zygote draws on the passed terminal) and with ``AI_SESSION_THIN=0``
(the Textual client in the attaching process, as before the thin client).
"""

from __future__ import annotations

import os
import select
import signal
import statistics
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from aisession_tui.terminal.emulator import Emulator

from .common import BenchContext, Figure, Series, Target
from .sides import COLUMNS, SIZE_FLAGS, AiSessionSide, TmuxSide, new_side
from .terminal_echo import TERMINAL_LINES, _spawn

SESSION = "att"
MARKER = "attach-marker-ready"
PREVIOUS = "previous-screen"
VISIBLE_FRAME = 0.010
"""A screen that stays this long is one a terminal draws (60 Hz is 16.7 ms a frame)."""
DRAW_TIMEOUT = 60.0
CLIENT_ENV = ("HOME", "AI_SESSION_HOME", "LANG", "PATH")
ATTACH_TARGET = Target("absolute", 50.0)
"""The issue's goal: attach and cold start in under 50 ms to the final screen."""


@dataclass
class Attach:
    """One client start: seconds to the final frame and frames drawn before it, and the
    memory of the attaching process and of its renderer (MB; 0 where there is none)."""

    seconds: float
    frames_before: int
    client_rss: float = 0.0
    renderer_rss: float = 0.0
    renderer_pss: float = 0.0
    client_cpu: float = 0.0
    """CPU ms of the process started in the terminal, up to the final frame."""
    renderer_cpu: float = 0.0
    """CPU ms of the renderer for this attach, up to the final frame (a spare's build,
    done before the client started, not counted)."""
    server_cpu: float = 0.0
    """CPU ms the server spent from the client's start to the final frame."""
    from_spare: bool = False


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry))
    return found


def _zygote_children(server_pid: int) -> list[int]:
    zygotes = []
    for child in _children(server_pid):
        try:
            if b"client.zygote" in Path(f"/proc/{child}/cmdline").read_bytes():
                zygotes.append(child)
        except OSError:
            continue
    return [child for zygote in zygotes for child in _children(zygote)]


def _has_terminal(pid: int) -> bool:
    try:
        return os.readlink(f"/proc/{pid}/fd/0").startswith("/dev/pts/")
    except OSError:
        return False


def _renderers(server_pid: int) -> list[int]:
    """The renderers of an ai-session server drawing for a client: its zygote's children
    holding a terminal."""
    return [pid for pid in _zygote_children(server_pid) if _has_terminal(pid)]


def _spares(server_pid: int) -> list[int]:
    """The spare renderers of an ai-session server: its zygote's children waiting for a
    client (no terminal)."""
    return [pid for pid in _zygote_children(server_pid) if not _has_terminal(pid)]


def _cpu_ns(pid: int) -> int:
    """CPU time of ``pid`` so far, in nanoseconds (``/proc/PID/schedstat``); 0 if gone."""
    try:
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0


def _private_dirty_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Private_Dirty:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _memory_mb(pid: int) -> tuple[float, float]:
    """(RSS, PSS) of ``pid`` in MB; PSS shares pages copied on write from the zygote."""
    rss = pss = 0.0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Rss:"):
                rss = int(line.split()[1]) / 1024
            elif line.startswith("Pss:"):
                pss = int(line.split()[1]) / 1024
    except OSError:
        pass
    return rss, pss


class RecordingTerminal:
    """A PTY running one client; every chunk read is fed to an emulator and the screen
    after it recorded with its time."""

    def __init__(self, argv: list[str], env: dict[str, str],
                 predicate: Callable[[list[str]], bool]) -> None:
        self.screen = Emulator(COLUMNS, TERMINAL_LINES, history_limit=0, on_reply=self._reply)
        self.states: list[tuple[float, tuple[str, ...]]] = []
        self.lock = threading.Lock()
        self.final_at = 0.0
        self.final = threading.Event()
        self.predicate = predicate
        self.closed = False
        self.started = time.perf_counter()
        self.pid, self.master = _spawn(argv, env)
        self.reader = threading.Thread(target=self._read, daemon=True, name="pty attach")
        self.reader.start()

    def _reply(self, data: bytes) -> None:
        try:
            os.write(self.master, data)
        except OSError:
            pass

    def _read(self) -> None:
        while not self.closed:
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
                self.screen.feed(data)
                now = time.perf_counter()
                lines = self.screen.display()
                if not _pending(self.master):  # the client paused: a screen it drew
                    self.states.append((now, tuple(lines)))
                if not self.final.is_set() and self.predicate(lines):
                    self.final_at = now
                    self.final.set()

    def wait_final(self, label: str) -> None:
        if not self.final.wait(DRAW_TIMEOUT):
            with self.lock:
                screen = "\n".join(self.screen.display())
            raise TimeoutError(f"{label}: the final frame never came; screen:\n{screen}")

    def frames_before_final(self) -> int:
        """Distinct screens other than the previous one and the final one that stayed
        at least :data:`VISIBLE_FRAME` before the final frame."""
        with self.lock:
            states = [state for state in self.states if state[0] <= self.final_at]
        if not states:
            return 0
        final = states[-1][1]
        previous = next((lines for _, lines in states if any(PREVIOUS in line
                                                             for line in lines)), None)
        seen: set[tuple[str, ...]] = set()
        for (when, lines), (after, _) in zip(states, states[1:]):
            if after - when >= VISIBLE_FRAME and lines not in (final, previous):
                seen.add(lines)
        return len(seen)

    def type(self, data: bytes) -> None:
        os.write(self.master, data)

    def finish(self, timeout: float = 20.0) -> None:
        """Wait for the client to exit (after a detach); kill it if it does not."""
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                pid, _ = os.waitpid(self.pid, os.WNOHANG)
                if pid:
                    break
                time.sleep(0.02)
            else:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
        self.closed = True
        self.reader.join(5)
        os.close(self.master)


def _pending(fd: int) -> bool:
    """Whether more output is already waiting (the screen is mid-write, not a frame)."""
    try:
        return bool(select.select([fd], [], [], 0)[0])
    except OSError:
        return False


def _final(lines: list[str]) -> bool:
    return (any(f"[{SESSION}]" in line for line in lines)
            and any(MARKER in line for line in lines)
            and not any(PREVIOUS in line for line in lines))


def _client_cli(side: AiSessionSide | TmuxSide) -> list[str]:
    """The command a person types: tmux's binary; the ``ai-session`` script installed
    beside this interpreter (as ``pip install`` makes it; ``python -m aisession_tui.cli``,
    the other workloads' way, adds runpy's imports, ~4 ms) when there is one."""
    script = Path(sys.executable).parent / "ai-session"
    if isinstance(side, AiSessionSide) and script.is_file() and os.access(script, os.X_OK):
        return [str(script), *side.cli[3:]]
    return side.cli


def _client_env(side: AiSessionSide | TmuxSide, thin: bool) -> dict[str, str]:
    env = {key: value for key, value in side.env.items() if key in CLIENT_ENV}
    env["TERM"] = "xterm-256color"
    if not thin:
        env["AI_SESSION_THIN"] = "0"
    return env


def _one_client(ctx: BenchContext, label: str, argv: list[str],
                env: dict[str, str], server_pid: int = 0) -> Attach:
    """Start ``argv`` in a fresh terminal, wait for the final frame, detach."""
    wrapped = ["sh", "-c", f"printf '%s\\n' {PREVIOUS}; exec \"$@\"", "sh", *argv]
    ours = bool(server_pid) and label != "tmux"
    spares_before = {pid: _cpu_ns(pid) for pid in _spares(server_pid)} if ours else {}
    server_before = _cpu_ns(server_pid) if server_pid else 0
    terminal = RecordingTerminal(wrapped, env, _final)
    release = ctx.cleanup.add(f"{label} client", lambda: terminal.finish(1.0))
    try:
        terminal.wait_final(label)
        result = Attach(terminal.final_at - terminal.started, terminal.frames_before_final())
        result.client_cpu = _cpu_ns(terminal.pid) / 1e6
        if server_pid:
            result.server_cpu = (_cpu_ns(server_pid) - server_before) / 1e6
        result.client_rss = _memory_mb(terminal.pid)[0]
        renderers = _renderers(server_pid) if ours else []
        if len(renderers) == 1:
            renderer = renderers[0]
            result.renderer_rss, result.renderer_pss = _memory_mb(renderer)
            result.from_spare = renderer in spares_before
            result.renderer_cpu = (_cpu_ns(renderer) - spares_before.get(renderer, 0)) / 1e6
        terminal.type(b"\x02d")
        return result
    finally:
        release()


def _session(side: AiSessionSide | TmuxSide) -> None:
    side.command("new-session", "-d", "-s", SESSION, *SIZE_FLAGS, f"echo {MARKER}; exec cat")
    deadline = time.monotonic() + DRAW_TIMEOUT
    while MARKER not in side.command("capture-pane", "-p", "-t", SESSION):
        if time.monotonic() > deadline:
            raise RuntimeError(f"{side.label}: the pane never printed its marker")
        time.sleep(0.05)


ATTACH_PAUSE = 1.0
"""Seconds between a detach and the next attach, on every side: people attach seconds
apart, and the zygote makes its next spare once idle (:data:`aisession_tui.client.zygote.
SPARE_AFTER_IDLE`)."""
SPARE_IDLE_WINDOW = 10.0
"""Seconds over which a waiting spare's CPU time is measured."""
SPARE_TIMEOUT = 15.0
"""Seconds to wait for a spare to be built and waiting before measuring it."""
MEMORY_KEYS = ("client", "renderer_rss", "renderer_pss", "client_cpu", "renderer_cpu",
               "server_cpu", "from_spare")


def _attach_runs(ctx: BenchContext, label: str, thin: bool, attaches: int
                 ) -> tuple[Series, Series, dict[str, Series]]:
    side = new_side("tmux" if label == "tmux" else "ai-session", ctx)
    if label == "ai-session no spare":
        side.env["AI_SESSION_SPARE"] = "0"  # the server's environment, so its zygote's
    try:
        side.start()
        _session(side)
        argv = [*_client_cli(side), "attach", "-t", SESSION]
        env = _client_env(side, thin)
        frames: list[float] = []
        memory: dict[str, list[float]] = {key: [] for key in MEMORY_KEYS}

        def one() -> Attach:
            time.sleep(ATTACH_PAUSE / 2 if ctx.quick else ATTACH_PAUSE)
            return _one_client(ctx, label, argv, env, side.pid)

        def once(index: int) -> float:
            results = [one() for _ in range(attaches)]
            if index >= 0:
                frames.append(statistics.median(r.frames_before for r in results))
                for key, attribute in (("client", "client_rss"), ("renderer_rss", None),
                                       ("renderer_pss", None), ("client_cpu", None),
                                       ("renderer_cpu", None), ("server_cpu", None)):
                    memory[key].append(statistics.median(
                        getattr(r, attribute or key) for r in results))
                memory["from_spare"].append(sum(r.from_spare for r in results))
            return statistics.median(r.seconds for r in results) * 1000

        times = ctx.repeat(f"attach {label}", once)
        series = {key: Series(values) for key, values in memory.items()}
        if label == "ai-session":
            series.update(_spare_idle(ctx, side.pid))
        return times, Series(frames), series
    finally:
        side.stop()


def _spare_idle(ctx: BenchContext, server_pid: int) -> dict[str, Series]:
    """CPU time of a waiting spare over :data:`SPARE_IDLE_WINDOW`, and its memory."""
    deadline = time.monotonic() + SPARE_TIMEOUT
    while True:
        found = _spares(server_pid)
        if len(found) == 1:
            first = _cpu_ns(found[0])
            time.sleep(0.5)
            if _cpu_ns(found[0]) == first:
                break  # built and waiting
        if time.monotonic() > deadline:
            ctx.log("no spare renderer came to wait (spares off, or a version without)")
            return {}
        time.sleep(0.1)
    spare = found[0]
    window = 2.0 if ctx.quick else SPARE_IDLE_WINDOW
    ctx.log(f"spare {spare}: CPU over {window:g} s of waiting")
    before = _cpu_ns(spare)
    time.sleep(window)
    idle_ms = (_cpu_ns(spare) - before) / 1e6
    rss, pss = _memory_mb(spare)
    return {"spare_idle_cpu": Series([idle_ms]), "spare_rss": Series([rss]),
            "spare_pss": Series([pss]), "spare_private": Series([_private_dirty_mb(spare)])}


def _cold_runs(ctx: BenchContext, label: str, thin: bool,
               cpu: list[float] | None = None) -> tuple[Series, Series]:
    """Cold starts: ms to the final frame, frames before it (``cpu``: gets the CPU ms of
    the process started in the terminal, up to the final frame, of each measured run)."""
    side = new_side("tmux" if label == "tmux" else "ai-session", ctx)
    ctx.cleanup.add(f"{label} cold server", side.stop)
    argv = [*_client_cli(side), "new-session", "-s", SESSION, f"echo {MARKER}; exec cat"]
    env = _client_env(side, thin)
    frames: list[float] = []

    serial = iter(range(1_000_000))

    def once(index: int) -> float:
        if label != "tmux":  # a fresh home: nothing to resurrect from an earlier run
            home = ctx.workdir / f"cold-{side.name}-{next(serial)}"
            # private, as the CLI makes a home it creates: a 0755 one makes the CLI print
            # "made ... private" on the terminal, which counted as a frame before the final
            home.mkdir(mode=0o700)
            env["AI_SESSION_HOME"] = side.env["AI_SESSION_HOME"] = str(home)
        try:
            result = _one_client(ctx, label, argv, env)
        finally:
            side.run_cli("kill-server", check=False)
            _wait_no_server(side)
        if index >= 0:
            frames.append(result.frames_before)
            if cpu is not None:
                cpu.append(result.client_cpu)
        return result.seconds * 1000

    try:
        return ctx.repeat(f"cold start {label}", once), Series(frames)
    finally:
        side.stop()


def _wait_no_server(side: AiSessionSide | TmuxSide) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if side.run_cli("has-session", check=False).returncode != 0:
            return
        time.sleep(0.05)


LABELS = (("ai-session", True), ("ai-session no spare", True),
          ("ai-session in-process", False), ("tmux", True))
VARIANTS = (("ai-session", ""),
            ("ai-session no spare", ", no spare renderer (AI_SESSION_SPARE=0)"),
            ("ai-session in-process", ", in-process client (AI_SESSION_THIN=0)"))


def run(ctx: BenchContext) -> list[Figure]:
    attaches = 2 if ctx.quick else 5
    attach: dict[str, tuple[Series, Series]] = {}
    cold: dict[str, tuple[Series, Series]] = {}
    memory: dict[str, dict[str, Series]] = {}
    for label, thin in LABELS:
        times, frames, memory[label] = _attach_runs(ctx, label, thin, attaches)
        attach[label] = (times, frames)
    for label, thin in LABELS:
        if label != "ai-session no spare":  # a cold start has no spare yet either way
            cold[label] = _cold_runs(ctx, label, thin)
    figures = []
    for name, results, detail in (
            ("attach to final frame", attach,
             f"`attach -t {SESSION}` started in a {COLUMNS}x{TERMINAL_LINES} PTY until the "
             f"session is on screen, median of {attaches} attaches a run, "
             f"{ATTACH_PAUSE:g} s apart"),
            ("cold new-session to final frame", cold,
             f"`new-session -s {SESSION}` with no server running, started in a PTY until "
             f"the session is on screen, one start a run")):
        for label, suffix in VARIANTS:
            if label not in results:
                continue
            figures.append(Figure(
                workload=f"{name}{suffix}", detail=detail, unit="ms",
                ai=results[label][0], tmux=results["tmux"][0], target=ATTACH_TARGET))
            figures.append(Figure(
                workload=f"{name}{suffix}: frames before it", unit="frames",
                detail=f"screens other than the previous and the final one that stayed "
                       f">= {VISIBLE_FRAME * 1000:.0f} ms",
                ai=results[label][1], tmux=results["tmux"][1]))
    spare, plain = memory["ai-session"], memory["ai-session no spare"]
    figures.append(Figure(
        workload="attaches served by a spare", unit="of 5" if attaches == 5 else "attaches",
        detail=f"attaches of a run whose renderer was a spare made before the client "
               f"started (of {attaches})",
        ai=spare["from_spare"]))
    for key, what in (("client_cpu", "the process started in the terminal"),
                      ("server_cpu", "the server"),
                      ("renderer_cpu", "the renderer (a spare's build before the client "
                                       "started not counted)")):
        tmux = memory["tmux"][key] if key != "renderer_cpu" else None
        figures.append(Figure(
            workload=f"attach CPU: {key.split('_')[0]}", unit="ms",
            detail=f"CPU time of {what} from the client's start to the final frame "
                   f"(/proc/PID/schedstat), median of the attaches",
            ai=spare[key], tmux=tmux,
            note=f"no spare: {plain[key].median:.1f} ms"))
    if "spare_idle_cpu" in spare:
        figures.append(Figure(
            workload="waiting spare: CPU", unit="ms",
            detail=f"CPU time of a built spare renderer over {2.0 if ctx.quick else SPARE_IDLE_WINDOW:g} s of "
                   f"waiting for a client (/proc/PID/schedstat)",
            ai=spare["spare_idle_cpu"]))
        figures.append(Figure(
            workload="waiting spare: RSS / PSS / private dirty", unit="MB",
            detail="a waiting spare's VmRSS (mostly shared with the zygote); its PSS and "
                   "private dirty memory in the note",
            ai=spare["spare_rss"],
            note=f"PSS {spare['spare_pss'].median:.1f} MB, private dirty "
                 f"{spare['spare_private'].median:.1f} MB"))
    figures.append(Figure(
        workload="attaching process RSS (thin client)", unit="MB",
        detail="VmRSS of the process started in the terminal, once attached",
        ai=memory["ai-session"]["client"], tmux=memory["tmux"]["client"],
        note=f"the in-process client: {memory['ai-session in-process']['client'].median:.1f} MB"))
    figures.append(Figure(
        workload="renderer RSS (thin client)", unit="MB",
        detail="VmRSS of the renderer drawing for the attached client (forked from the "
               "zygote: most of it is shared with the zygote and the other renderers)",
        ai=memory["ai-session"]["renderer_rss"]))
    figures.append(Figure(
        workload="renderer PSS (thin client)", unit="MB",
        detail="proportional set size of the renderer: its own pages, plus its share of "
               "those it shares with the zygote",
        ai=memory["ai-session"]["renderer_pss"]))
    return figures
