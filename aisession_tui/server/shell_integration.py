"""Shell integration: launching bash/zsh with prompt hooks, and tracking their commands.

Owns two things:

* ``shell_command`` builds the argv and extra environment that start the user's shell with
  hooks injected, without editing any of the user's rc files (bash: ``--rcfile`` of a
  packaged file that sources ``~/.bashrc`` first; zsh: a private ``ZDOTDIR`` whose
  ``.zshenv`` restores the user's ``ZDOTDIR`` and defers the hooks until after the
  user's ``.zshrc``). Any other shell or program starts untouched.
* ``CommandTracker`` reads the raw PTY bytes (before the emulator) and turns the hooks'
  sequences into command records.

Wire format emitted by the hooks (all terminated by ST = ``ESC \\``; BEL is accepted too):

* ``OSC 133 ; A``  the prompt starts;  ``OSC 133 ; B``  the prompt ends (input starts);
* ``OSC 133 ; C ; <text>``  a command line is about to run; ``<text>`` is the command
  line as UTF-8, percent-encoded (RFC 3986 style: every byte outside ``A-Za-z0-9._~/-``
  is ``%XX``);
* ``OSC 133 ; D ; <exit code>``  that command finished (never sent without a C);
* ``OSC 7 ; file://<host><percent-encoded absolute cwd>``  at every prompt.

Invariants of the tracker: feeding is chunk-boundary independent (a sequence split at
any byte gives the same events as unsplit input); plain output costs one ``bytes.find``
per chunk plus a list append; the integration's own sequences (OSC 133 and OSC 7) never
appear in a record's output, every other byte between C and D does (up to the cap).
pyte 0.8.2 draws nothing for OSC 133/7, so the same bytes can be fed to the emulator
unchanged; but it keys OSCs on their first digit only, so ``OSC 133;A`` reaches
``Screen.set_icon_name("3;A")`` (harmless unless the emulator shows the icon name).
"""

from __future__ import annotations

import os
import re
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..protocol.paths import private_dir

SHELL_DATA = Path(__file__).resolve().parent / "shell"
"""The shells' integration scripts (a package directory: ``importlib.resources`` cost ~3 ms
of imports at every server start for the same path)."""
ZSH_ORIGINAL_ZDOTDIR_ENV = "AI_SESSION_ZSH_ZDOTDIR"
ZSH_INTEGRATION_ENV = "AI_SESSION_ZSH_INTEGRATION"
OUTPUT_CAP_BYTES = 8 * 1024 * 1024
_OWN_SEQUENCE_CAP_BYTES = 1024 * 1024

_OWN_SEQUENCE_START = re.compile(rb"\x1b\](?:133|7);")
_OWN_PREFIXES = (b"\x1b]133;", b"\x1b]7;")


def _partial_start_length(data: bytes) -> int:
    """Length of the tail of ``data`` that may begin one of our sequences (0 if none)."""
    tail_start = data.rfind(b"\x1b", max(0, len(data) - 6))
    if tail_start < 0:
        return 0
    tail = data[tail_start:]
    return len(tail) if any(prefix.startswith(tail) for prefix in _OWN_PREFIXES) else 0


def _sequence_end(data: bytes, body_start: int) -> tuple[int, int] | None:
    """Find the terminator of the sequence whose body starts at ``body_start``.

    Returns (terminator start, index after it), (-1, -1) when the sequence is malformed
    (an ESC not followed by a backslash) or longer than the cap, None when incomplete.
    """
    limit = min(len(data), body_start + _OWN_SEQUENCE_CAP_BYTES)
    bell = data.find(b"\x07", body_start, limit)
    escape = data.find(b"\x1b", body_start, bell if bell >= 0 else limit)
    if escape >= 0:
        if escape + 1 >= len(data):
            return None
        if data[escape + 1] == 0x5C:  # backslash: ST
            return escape, escape + 2
        return -1, -1
    if bell >= 0:
        return bell, bell + 1
    if limit < len(data) or limit - body_start >= _OWN_SEQUENCE_CAP_BYTES:
        return -1, -1
    return None


def shell_command(shell: str, *, state_dir: Path) -> tuple[list[str], dict[str, str]]:
    """Return ``(argv, extra_env)`` starting ``shell`` with ai-session's prompt hooks.

    ``state_dir`` is a private directory of the server where the zsh ``ZDOTDIR`` is
    written. bash and zsh (recognised by the program's basename) get hooks; anything
    else is returned as ``[shell]`` with no extra environment.
    """
    name = os.path.basename(shell)
    if name == "bash":
        rcfile = Path(str(SHELL_DATA / "bashrc.bash"))
        return [shell, "--rcfile", str(rcfile), "-i"], {}
    if name == "zsh":
        return [shell, "-i"], _zsh_environment(Path(state_dir))
    return [shell], {}


def _zsh_environment(state_dir: Path) -> dict[str, str]:
    zdotdir = state_dir / "zsh"
    private_dir(zdotdir)
    bootstrap = Path(str(SHELL_DATA / "zsh" / "zshenv.zsh")).read_text(encoding="utf-8")
    zshenv = zdotdir / ".zshenv"
    if not zshenv.exists() or zshenv.read_text(encoding="utf-8") != bootstrap:
        temporary = zdotdir / ".zshenv.tmp"
        temporary.write_text(bootstrap, encoding="utf-8")
        temporary.replace(zshenv)
    environment = {
        "ZDOTDIR": str(zdotdir),
        ZSH_INTEGRATION_ENV: str(Path(str(SHELL_DATA / "zsh" / "integration.zsh"))),
    }
    original = os.environ.get("ZDOTDIR")
    if original is not None:
        environment[ZSH_ORIGINAL_ZDOTDIR_ENV] = original
    return environment


@dataclass
class CommandRecord:
    """One command line run at a prompt: what, where, when, how it ended, what it printed.

    ``output`` holds the raw bytes between C and D without the integration's own
    sequences. When more than the cap arrived, ``truncated`` is True and ``output`` is
    the first half-cap followed directly by the last half-cap bytes.
    """

    text: str
    cwd: str | None
    started_at: float
    finished_at: float
    exit_code: int | None
    output: bytes
    truncated: bool


@dataclass(frozen=True)
class PromptShown:
    """The shell started drawing a prompt (it is about to wait for a command)."""

    cwd: str | None
    at: float


@dataclass(frozen=True)
class CommandStarted:
    """A command line is about to run."""

    text: str
    cwd: str | None
    started_at: float


@dataclass(frozen=True)
class CommandFinished:
    """A command line finished; exit_code is None when the shell never reported it."""

    record: CommandRecord


CommandEvent = PromptShown | CommandStarted | CommandFinished


class _OutputBuffer:
    """Bytes of one command's output: keeps the first and last half of ``cap`` bytes."""

    def __init__(self, cap: int) -> None:
        self._head_cap = cap // 2
        self._tail_cap = cap - self._head_cap
        self._head: list[bytes] = []
        self._head_size = 0
        self._tail: deque[bytes] = deque()
        self._tail_size = 0
        self.truncated = False

    def append(self, data: bytes) -> None:
        if self._head_size < self._head_cap:
            room = self._head_cap - self._head_size
            taken = data[:room]
            self._head.append(taken)
            self._head_size += len(taken)
            data = data[room:]
            if not data:
                return
        self._tail.append(data)
        self._tail_size += len(data)
        while self._tail_size > self._tail_cap:
            excess = self._tail_size - self._tail_cap
            first = self._tail[0]
            self.truncated = True
            if len(first) <= excess:
                self._tail.popleft()
                self._tail_size -= len(first)
            else:
                self._tail[0] = first[excess:]
                self._tail_size -= excess

    def getvalue(self) -> bytes:
        return b"".join(self._head) + b"".join(self._tail)


@dataclass
class _RunningCommand:
    text: str
    cwd: str | None
    started_at: float
    output: _OutputBuffer


class CommandTracker:
    """Follows one pane's shell through its OSC 133 / OSC 7 sequences.

    ``feed`` takes raw PTY bytes in any chunking and returns the events they complete.
    """

    def __init__(self, output_cap: int = OUTPUT_CAP_BYTES) -> None:
        self.cwd: str | None = None
        self.at_prompt = False
        self.integrated = False
        self.running: CommandStarted | None = None
        self._output_cap = output_cap
        self._command: _RunningCommand | None = None
        self._drawing_prompt = False
        self._pending = b""

    def running_output(self) -> bytes:
        """The raw output of the command running now (empty at a prompt)."""
        return self._command.output.getvalue() if self._command is not None else b""

    def feed(self, data: bytes, now: float) -> list[CommandEvent]:
        events: list[CommandEvent] = []
        if self._pending:
            data = self._pending + data
            self._pending = b""
        position = 0
        length = len(data)
        while True:
            match = _OWN_SEQUENCE_START.search(data, position)
            if match is None:
                break
            start = match.start()
            sequence_end = _sequence_end(data, match.end())
            if sequence_end is None:
                self._plain(data, position, start)
                self._pending = data[start:]
                return events
            terminator_start, after = sequence_end
            if terminator_start < 0:
                # Malformed or oversized: ordinary output, scanning resumes after ESC ].
                self._plain(data, position, start + 2)
                position = start + 2
                continue
            self._plain(data, position, start)
            self._handle(data[start + 2 : terminator_start], now, events)
            position = after
        plain_end = length - _partial_start_length(data)
        self._plain(data, position, plain_end)
        if plain_end < length:
            self._pending = data[plain_end:]
        return events

    def _plain(self, data: bytes, start: int, end: int) -> None:
        if end > start and self._command is not None:
            self._command.output.append(data[start:end])

    def _handle(self, payload: bytes, now: float, events: list[CommandEvent]) -> None:
        if payload.startswith(b"7;"):
            self.cwd = _cwd_from_url(payload[2:])
            return
        fields = payload.split(b";", 2)
        kind = fields[1] if len(fields) > 1 else b""
        self.integrated = True
        if kind == b"A":
            if self._command is not None:
                self._finish(None, now, events)
            if not self._drawing_prompt and not self.at_prompt:
                self._drawing_prompt = True
                events.append(PromptShown(cwd=self.cwd, at=now))
        elif kind == b"B":
            self._drawing_prompt = False
            self.at_prompt = True
        elif kind == b"C":
            if self._command is not None:
                self._finish(None, now, events)
            text = unquote(fields[2].decode("ascii", "replace")) if len(fields) > 2 else ""
            self.at_prompt = False
            self._drawing_prompt = False
            self._command = _RunningCommand(text, self.cwd, now, _OutputBuffer(self._output_cap))
            self.running = CommandStarted(text=text, cwd=self.cwd, started_at=now)
            events.append(self.running)
        elif kind == b"D" and self._command is not None:
            self._finish(_exit_code(fields[2] if len(fields) > 2 else b""), now, events)

    def _finish(self, exit_code: int | None, now: float, events: list[CommandEvent]) -> None:
        command = self._command
        assert command is not None
        self._command = None
        self.running = None
        record = CommandRecord(
            text=command.text,
            cwd=command.cwd,
            started_at=command.started_at,
            finished_at=now,
            exit_code=exit_code,
            output=command.output.getvalue(),
            truncated=command.output.truncated,
        )
        events.append(CommandFinished(record))


def _exit_code(field: bytes) -> int | None:
    try:
        return int(field.split(b";", 1)[0])
    except ValueError:
        return None


def _cwd_from_url(url: bytes) -> str | None:
    parts = urlsplit(url.decode("ascii", "replace"))
    if parts.scheme != "file" or not parts.path:
        return None
    return unquote(parts.path, errors="replace")
