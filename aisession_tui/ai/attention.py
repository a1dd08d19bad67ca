"""Attention state of a pane: does it need a person (or an agent) to look at it?

States, in order of precedence:

* ``done``: the pane's child exited;
* ``waiting``: a question or prompt is on screen and the program is blocked on it:
  y/n prompts (``[y/N]``, ``(yes/no)``), password and passphrase prompts, ``Continue?``,
  ``Press Enter``, agent CLIs asking for approval ("Do you want to proceed?",
  ``❯ 1. Yes``);
* ``running``: a command is running (shell integration says so; a pane without
  integration counts as running while its output is recent);
* ``error``: back at the shell prompt and the last command failed (non-zero exit);
* ``idle``: at the shell prompt (or quiet) after a success.

Heuristic for "blocked on it" (Linux): the processes of the pane's foreground process
group (``tcgetpgrp`` on the PTY master: the leader and its descendants) are looked at in
/proc. One asleep in a read of the terminal (``wchan`` ``wait_woken``/``n_tty_read``, or
``syscall`` ``read`` on a tty descriptor) proves a tty read. One running on a CPU, or
asleep in anything but a read, poll, select, epoll or a wait for a child (``nanosleep``,
a pipe, a lock), or in an epoll set that holds no terminal (an event loop waiting for a
timer or a socket), proves the program is busy: then no question on screen makes it
``waiting`` ("a running program that prints a question is not flagged"). Otherwise, a
process in poll/select/epoll (line editors, REPLs, Node-based agent CLIs) may be waiting:
a known prompt pattern (after ``POLL_QUIET_SECONDS`` of silence), or a REPL prompt
where the cursor sits (``>>>``, ``...``,
``>``, ``irb(main):001:0>``, ``sqlite>``, ``db=#``, ``In [3]:``, ``(Pdb)``), counts once
the output is quiet. When /proc cannot tell, a prompt pattern counts after
``QUIET_SECONDS`` of silence. A line that merely ends like a question (``?``, ``:``,
``>``) counts with the tty read seen, or where the cursor sits after ``QUIET_SECONDS``
of silence with the group asleep in poll (a Node readline question). A full-screen program (the alternate screen:
the editor of ``git commit``, a pager) reading or polling the terminal in silence for
``QUIET_SECONDS`` waits for its user too.

Agent CLIs draw their approval screens inside boxes (``│ Do you want to proceed?``,
``│ ❯ 1. Yes``) and keep the cursor elsewhere, so their patterns are looked for in the
last :data:`BOTTOM_LINES` non-empty rows of the whole screen, box borders stripped.
:func:`classify` is pure; :func:`pane_attention` gathers the inputs from a pane.
"""

from __future__ import annotations

import os
import platform
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

STATES = ("running", "idle", "waiting", "error", "done")
QUIET_SECONDS = 1.0
"""Output silence after which a prompt pattern counts as waiting without the /proc proof."""
RECENT_OUTPUT_SECONDS = 2.0
"""A pane without shell integration is ``running`` while its output is this recent."""
TAIL_LINES = 4
"""Non-empty screen lines (up to the cursor) searched for a prompt."""

BOTTOM_LINES = 12
"""Non-empty rows at the bottom of the screen searched for an agent CLI's approval screen."""
POLL_QUIET_SECONDS = 0.3
"""Output silence after which a prompt pattern counts when the program is seen polling
the terminal (an agent CLI's approval menu has been drawn)."""
REPL_QUIET_SECONDS = 0.15
"""Output silence after which a REPL prompt at the cursor counts (the REPL has drawn it)."""

WAITING_PATTERNS = tuple(re.compile(pattern, re.IGNORECASE) for pattern in (
    r"[\[(]\s*(y|yes)\s*/\s*(n|no)\s*[\])]",          # [y/N] (Y/n) (yes/no)
    r"[\[(]\s*(n|no)\s*/\s*(y|yes)\s*[\])]",
    r"\(y\)es\s*/\s*\(n\)o",                            # aider: (Y)es/(N)o/(D)on't ask again
    r"\b(password|passphrase|passcode|pin)\b[^:\n]{0,60}:\s*$",
    r"\b(continue|proceed)\s*\?\s*$",
    r"\bdo you want to (proceed|continue|make this edit|create|run|allow|delete|overwrite)\b",
    r"\b(would you like to|are you sure)\b.*\?",
    r"^\s*[❯›>▶▌●]\s*1\.\s*(yes|allow|approve|proceed)\b",  # agent CLI approval menus
    r"\bno, and tell \w+ what to do differently\b",   # Claude Code, Codex
    r"\byes, allow (once|always)\b",                    # Gemini CLI
    r"\ballow execution of\b",
    r"\bpress (enter|return|any key)\b",
    r"\benter to (confirm|select)\b",
    r"\b(allow|approve) (this|command|once|always)\b",
    r"\boverwrite\b.*\?\s*$",
))
REPL_PROMPT = re.compile(
    r"^(>>>|\.\.\.|>|>>|irb\([^)]*\):\d+(:\d+)?[>*\"']|[\w.-]*[=\-(~][#>]|sqlite>|\s*\.\.\.>"
    r"|In \[\d+\]:|\s+\.\.\.:|mysql>|ghci>|Prelude[\w. ]*>|scala>|\(Pdb\)|ipdb>|\(gdb\)"
    r"|\w+>|>\?)( |$)")
"""A REPL's prompt at the start of the cursor's row: Python, Node, Ruby, SQLite, psql,
IPython, MySQL, GHCi, Scala, pdb, gdb, Lua, Octave."""
BOX_EDGES = "│┃║|╎╏"
QUESTION_END = re.compile(r"[?:>]\s*$")
_MACHINE = platform.machine()
_READ_SYSCALL = {"x86_64": "0", "aarch64": "63", "arm64": "63"}.get(_MACHINE)
_POLL_SYSCALLS = {"x86_64": {"7", "23", "232", "270", "271", "281", "441"},
                  "aarch64": {"20", "22", "72", "73", "441"},
                  "arm64": {"20", "22", "72", "73", "441"}}.get(_MACHINE, set())
"""poll, select, epoll_wait, pselect6, ppoll, epoll_pwait(2)."""
_EPOLL_SYSCALLS = {"x86_64": {"232", "281", "441"}, "aarch64": {"22", "441"},
                   "arm64": {"22", "441"}}.get(_MACHINE, set())
_CHILD_WAIT_SYSCALLS = {"x86_64": {"61", "247"}, "aarch64": {"260", "95"},
                        "arm64": {"260", "95"}}.get(_MACHINE, set())
"""wait4, waitid: a shell or a make waiting for its child says nothing by itself."""
_TTY_WAIT_CHANNELS = {"wait_woken", "n_tty_read"}
_POLL_CHANNELS = ("poll_schedule_timeout", "do_select", "do_sys_poll", "do_epoll_wait",
                  "ep_poll")
_CHILD_WAIT_CHANNELS = ("do_wait", "kernel_wait4")
MAX_GROUP_PROCESSES = 32


@dataclass(frozen=True)
class AttentionInputs:
    """Everything :func:`classify` looks at."""

    dead: bool
    integrated: bool
    at_prompt: bool
    command_running: bool
    last_exit_code: int | None
    screen_tail: Sequence[str]
    quiet_for: float
    blocked_on_tty: bool | None
    """True/False when /proc could tell, None when it could not."""
    waits_in_poll: bool | None = None
    """True: asleep in poll/select/epoll (may wait for input); False together with
    ``blocked_on_tty`` False: busy (running, sleeping, reading a pipe); None: unknown."""
    cursor_line: str = ""
    """The cursor's row up to the cursor (a REPL's prompt sits there)."""
    screen_bottom: Sequence[str] = ()
    """The last non-empty rows of the whole screen (an agent CLI's approval box)."""
    full_screen: bool = False
    """The alternate screen is on (an editor, a pager, a full-screen TUI)."""


def _unboxed(line: str) -> str:
    return line.strip().strip(BOX_EDGES).strip()


def prompt_on_screen(lines: Sequence[str]) -> bool:
    """True when one of the last lines matches a known question or approval prompt
    (box borders around the line are ignored)."""
    return any(pattern.search(_unboxed(line)) or pattern.search(line)
               for line in lines for pattern in WAITING_PATTERNS)


def repl_prompt(cursor_line: str) -> bool:
    """True when the cursor's row starts with a REPL prompt (text typed after it is fine)."""
    return bool(cursor_line) and REPL_PROMPT.match(cursor_line) is not None


def classify(inputs: AttentionInputs) -> str:
    """The attention state (one of :data:`STATES`)."""
    if inputs.dead:
        return "done"
    busy = inputs.command_running or not inputs.integrated
    if busy:
        reading = bool(inputs.blocked_on_tty)
        working = inputs.blocked_on_tty is False and inputs.waits_in_poll is False
        if not working:
            quiet_enough = inputs.quiet_for >= (POLL_QUIET_SECONDS if inputs.waits_in_poll
                                                else QUIET_SECONDS)
            if (prompt_on_screen(inputs.screen_tail)
                    or prompt_on_screen(inputs.screen_bottom)) and (reading or quiet_enough):
                return "waiting"
            if repl_prompt(inputs.cursor_line) and inputs.quiet_for >= REPL_QUIET_SECONDS \
                    and (reading or inputs.waits_in_poll
                         or inputs.quiet_for >= QUIET_SECONDS):
                return "waiting"
            if inputs.waits_in_poll and inputs.quiet_for >= QUIET_SECONDS \
                    and QUESTION_END.search(inputs.cursor_line):
                return "waiting"  # a line editor's question (Node readline, prompt_toolkit)
            if inputs.full_screen and (reading or inputs.waits_in_poll) \
                    and inputs.quiet_for >= QUIET_SECONDS:
                return "waiting"
        last = inputs.screen_tail[-1] if inputs.screen_tail else ""
        if reading and inputs.command_running and QUESTION_END.search(last):
            return "waiting"
        if inputs.command_running or inputs.quiet_for < RECENT_OUTPUT_SECONDS:
            return "running"
        return "idle"
    if inputs.last_exit_code not in (None, 0):
        return "error"
    return "idle"


def screen_tail(display: Sequence[str], cursor_y: int, count: int = TAIL_LINES) -> list[str]:
    """The last ``count`` non-empty lines of the screen up to the cursor's row."""
    upto = display[: max(0, cursor_y) + 1] if 0 <= cursor_y < len(display) else display
    return [line.rstrip() for line in upto if line.strip()][-count:]


def screen_bottom(display: Sequence[str], count: int = BOTTOM_LINES) -> list[str]:
    """The last ``count`` non-empty rows of the whole screen."""
    return [line.rstrip() for line in display if line.strip()][-count:]


def cursor_line(display: Sequence[str], cursor_x: int, cursor_y: int) -> str:
    """The cursor's row up to the cursor."""
    if not 0 <= cursor_y < len(display):
        return ""
    return display[cursor_y][:max(0, cursor_x)]


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="ascii", errors="replace") as handle:
            return handle.read()
    except OSError:
        return None


def process_wait(pid: int) -> str | None:
    """What one process is doing: ``tty`` (reading a terminal), ``poll`` (asleep in
    poll/select/epoll), ``child`` (waiting for a child), ``busy`` (on a CPU or asleep in
    anything else), or None when /proc cannot tell."""
    stat = _read(f"/proc/{pid}/stat")
    if stat is None:
        return None
    state = stat.rpartition(")")[2].split()[:1]
    if state and state[0] == "R":
        return "busy"
    if blocked_on_tty(pid) is True:
        return "tty"
    syscall = (_read(f"/proc/{pid}/syscall") or "").split()
    channel = (_read(f"/proc/{pid}/wchan") or "").strip()
    number = syscall[0] if syscall else ""
    if number in _EPOLL_SYSCALLS and len(syscall) > 1:
        watched = _epoll_watches_tty(pid, syscall[1])
        if watched is not None:
            return "poll" if watched else "busy"  # an event loop with no terminal to read
    if number in _POLL_SYSCALLS or channel.startswith(_POLL_CHANNELS):
        return "poll"
    if number in _CHILD_WAIT_SYSCALLS or channel.startswith(_CHILD_WAIT_CHANNELS):
        return "child"
    if number == "running":
        return "busy"
    if not number and channel in ("", "0"):
        return None
    return "busy"


def _epoll_watches_tty(pid: int, epfd_hex: str) -> bool | None:
    """Whether the epoll set ``pid`` waits on holds a terminal (None: cannot tell)."""
    try:
        epfd = int(epfd_hex, 16)
    except ValueError:
        return None
    info = _read(f"/proc/{pid}/fdinfo/{epfd}")
    if info is None:
        return None
    for line in info.splitlines():
        if line.startswith("tfd:"):
            try:
                target = os.readlink(f"/proc/{pid}/fd/{int(line.split()[1])}")
            except (OSError, ValueError, IndexError):
                continue
            if target.startswith(("/dev/pts/", "/dev/tty")):
                return True
    return False


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        text = _read(f"/proc/{pid}/task/{task}/children") or ""
        found.extend(int(each) for each in text.split() if each.isdigit())
    return found


def _group_of(pid: int) -> int | None:
    stat = _read(f"/proc/{pid}/stat")
    if stat is None:
        return None
    fields = stat.rpartition(")")[2].split()
    return int(fields[2]) if len(fields) > 2 and fields[2].isdigit() else None


def group_wait(leader: int, shell: int | None = None) -> str | None:
    """What the foreground group (``leader`` and its descendants, at most
    :data:`MAX_GROUP_PROCESSES`) is doing: ``tty`` if one reads the terminal, else
    ``busy`` if one works, else ``poll`` if one polls, else None (unknown). When the
    leader has exited (``seq 1 500 | less``: ``seq`` leads the group), the members are
    found among the children of ``shell``."""
    seen: list[str | None] = []
    start = [leader]
    if shell is not None and not os.path.exists(f"/proc/{leader}"):
        start = [pid for pid in _children(shell) if _group_of(pid) == leader]
    pending, visited = start, 0
    while pending and visited < MAX_GROUP_PROCESSES:
        pid = pending.pop(0)
        visited += 1
        kind = process_wait(pid)
        if kind == "tty":
            return "tty"
        seen.append(kind)
        pending.extend(_children(pid))
    if "busy" in seen:
        return "busy"
    if "poll" in seen:
        return "poll"
    return None


def blocked_on_tty(pid: int, tty: str | None = None) -> bool | None:
    """Whether ``pid`` sleeps in a read of a terminal (None when /proc cannot tell)."""
    try:
        with open(f"/proc/{pid}/wchan", encoding="ascii", errors="replace") as handle:
            channel = handle.read().strip()
    except OSError:
        channel = ""
    if channel in _TTY_WAIT_CHANNELS:
        return True
    try:
        with open(f"/proc/{pid}/syscall", encoding="ascii", errors="replace") as handle:
            fields = handle.read().split()
    except OSError:
        return None if not channel or channel == "0" else False
    if len(fields) < 2 or fields[0] != _READ_SYSCALL:
        return False
    try:
        target = os.readlink(f"/proc/{pid}/fd/{int(fields[1], 16)}")
    except (OSError, ValueError):
        return None
    return target == tty if tty else target.startswith(("/dev/pts/", "/dev/tty"))


def pane_attention(pane: Any, now: float | None = None) -> str:
    """The attention state of a server :class:`Pane` (duck-typed: tracker, emulator,
    backend, commands, last_output, dead)."""
    if pane.dead:
        return "done"
    now = time.time() if now is None else now
    tracker = pane.tracker
    integrated = bool(pane.integrated and tracker.integrated)
    running = integrated and tracker.running is not None
    last_exit = pane.commands[-1].exit_code if pane.commands else None
    emulator = pane.emulator
    display = emulator.display()
    tail = screen_tail(display, emulator.cursor_y)
    bottom = screen_bottom(display)
    at_cursor = cursor_line(display, emulator.cursor_x, emulator.cursor_y)
    blocked: bool | None = None
    polling: bool | None = None
    if (running or not integrated) and (tail or bottom):
        try:
            group = os.tcgetpgrp(pane.backend.fd)
        except OSError:
            group = None
        if group is not None and group > 0:
            kind = group_wait(group, pane.pid)
            if kind is not None:
                blocked, polling = kind == "tty", kind == "poll"
    return classify(AttentionInputs(
        dead=False, integrated=integrated, at_prompt=bool(tracker.at_prompt),
        command_running=running, last_exit_code=last_exit, screen_tail=tail,
        quiet_for=max(0.0, now - pane.last_output), blocked_on_tty=blocked,
        waits_in_poll=polling, cursor_line=at_cursor, screen_bottom=bottom,
        full_screen=bool(emulator.alternate_screen)))
