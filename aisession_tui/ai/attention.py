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

Heuristic for "blocked on it" (Linux): the pane's foreground process group leader
(``tcgetpgrp`` on the PTY master) is asleep in a read of the terminal: ``/proc/PID/wchan``
is ``wait_woken`` or ``n_tty_read`` (the kernel's tty read wait), or ``/proc/PID/syscall``
shows ``read`` (syscall 0 on x86-64, 63 on arm64) on a descriptor that is the pane's tty.
Programs that wait with poll/epoll (Node-based agent CLIs) never show that, so a prompt
pattern on screen also counts once the pane's output has been quiet for
``QUIET_SECONDS``. A prompt line alone (without a known pattern) counts only when the
process is seen blocked in the tty read and the line ends like a question (``?``, ``:``,
``>``). :func:`classify` is pure; :func:`pane_attention` gathers the inputs from a pane.
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

WAITING_PATTERNS = tuple(re.compile(pattern, re.IGNORECASE) for pattern in (
    r"[\[(]\s*(y|yes)\s*/\s*(n|no)\s*[\])]",          # [y/N] (Y/n) (yes/no)
    r"[\[(]\s*(n|no)\s*/\s*(y|yes)\s*[\])]",
    r"\b(password|passphrase|passcode|pin)\b[^:\n]{0,60}:\s*$",
    r"\b(continue|proceed)\s*\?\s*$",
    r"\bdo you want to (proceed|continue|make this edit|create|run|allow)\b",
    r"\b(would you like to|are you sure)\b.*\?",
    r"^\s*[❯›>]\s*1\.\s*yes\b",                        # agent CLI approval menus
    r"\bpress (enter|return|any key)\b",
    r"\b(allow|approve) (this|command|once|always)\b",
    r"\boverwrite\b.*\?\s*$",
))
QUESTION_END = re.compile(r"[?:>]\s*$")
_READ_SYSCALL = {"x86_64": "0", "aarch64": "63", "arm64": "63"}.get(platform.machine())
_TTY_WAIT_CHANNELS = {"wait_woken", "n_tty_read"}


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


def prompt_on_screen(lines: Sequence[str]) -> bool:
    """True when one of the last lines matches a known question or approval prompt."""
    return any(pattern.search(line) for line in lines for pattern in WAITING_PATTERNS)


def classify(inputs: AttentionInputs) -> str:
    """The attention state (one of :data:`STATES`)."""
    if inputs.dead:
        return "done"
    busy = inputs.command_running or not inputs.integrated
    if busy:
        if prompt_on_screen(inputs.screen_tail) and (
                inputs.blocked_on_tty or inputs.quiet_for >= QUIET_SECONDS):
            return "waiting"
        last = inputs.screen_tail[-1] if inputs.screen_tail else ""
        if inputs.blocked_on_tty and inputs.command_running and QUESTION_END.search(last):
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
    tail = screen_tail(emulator.display(), emulator.cursor_y)
    blocked: bool | None = None
    if (running or not integrated) and tail:
        try:
            group = os.tcgetpgrp(pane.backend.fd)
        except OSError:
            group = None
        if group is not None:
            blocked = blocked_on_tty(group)
    return classify(AttentionInputs(
        dead=False, integrated=integrated, at_prompt=bool(tracker.at_prompt),
        command_running=running, last_exit_code=last_exit, screen_tail=tail,
        quiet_for=max(0.0, now - pane.last_output), blocked_on_tty=blocked))
