"""Raw terminal output -> the plain text a person saw, fast enough for every command.

``render_plain`` removes every escape sequence (CSI, OSC, DCS/SOS/PM/APC strings,
charset selects and other ESC sequences, their 8-bit C1 forms), applies carriage-return
overwrites, backspaces and erase-in-line (so ``50%\\r100%`` gives ``100%`` and a
``\\r ESC[K`` progress bar leaves its last state), turns cursor-forward into spaces,
keeps tabs, drops every other control character, decodes UTF-8 with replacement,
returns lines separated by ``\\n`` and strips trailing spaces and tabs per line.

Invariants: the result never contains ESC, ``\\r`` or any C0/C1 control except ``\\t``
and ``\\n``. Cursor movement across lines (up/down, absolute positioning) is not
replayed: text drawn that way comes out in stream order. Work is done with regular
expressions over the whole text; only lines containing ``\\r``, backspace or erase-in-line
go through a small per-line loop over text runs.
"""

from __future__ import annotations

import re

# Controls dropped up front: everything in C0 except BS, TAB, LF, CR, BEL and ESC (BEL
# and ESC still delimit sequences), plus DEL.
_EARLY_CONTROLS = re.compile("[\x00-\x06\x0b-\x0c\x0e-\x1a\x1c-\x1f\x7f]")
# Erase in line becomes a sentinel (NUL was removed above): to end of line, whole line.
_ERASE_TO_END = "\x00"
_ERASE_LINE = "\x01"
# Each pattern starts with a literal ESC so the regex engine can skip plain text quickly.
_ERASE_IN_LINE = re.compile("\x1b\\[([0-2]?)K")
_CURSOR_FORWARD = re.compile("\x1b\\[([0-9]{0,4})C")
_CSI = re.compile("\x1b\\[[0-?]*[ -/]*[@-~]?")
_OTHER_ESCAPES = re.compile(
    "\x1b\\][^\x07\x1b\x9c]*(?:\x07|\x1b\\\\|\x9c)?"  # OSC
    "|\x1b[P^_X][^\x07\x1b\x9c]*(?:\x07|\x1b\\\\|\x9c)?"  # DCS, PM, APC, SOS strings
    "|\x1b[ -/]*[0-~]?"  # charset selects, ESC 7/8/=/>/M/c ..., a lone ESC
)
_C1_CONTROL = re.compile("[\x80-\x9f]")
_C1_SEQUENCE = re.compile(
    "\x9b[0-?]*[ -/]*[@-~]?"  # 8-bit CSI
    "|[\x90\x98\x9d\x9e\x9f][^\x07\x1b\x9c]*(?:\x07|\x1b\\\\|\x9c)?"  # 8-bit OSC, DCS ...
    "|[\x80-\x9f]"  # the remaining C1 controls
)
_LINE_EDITS = re.compile("([\r\b\x00\x01])")


def render_plain(data: bytes | str) -> str:
    """Return the text a person saw for raw terminal output ``data``."""
    text = data.decode("utf-8", "replace") if isinstance(data, (bytes, bytearray)) else data
    text = _EARLY_CONTROLS.sub("", text)
    if not text.isascii() and _C1_CONTROL.search(text):
        text = _C1_SEQUENCE.sub("", text)
    if "\x1b" in text:
        if "K" in text:
            text = _ERASE_IN_LINE.sub(_erase_sentinel, text)
        if "C" in text:
            text = _CURSOR_FORWARD.sub(_forward_spaces, text)
        text = _CSI.sub("", text)
        if "\x1b" in text:
            text = _OTHER_ESCAPES.sub("", text)
    text = text.replace("\x07", "")
    while "\r\n" in text:
        text = text.replace("\r\n", "\n")
    lines = text.split("\n")
    if "\r" in text or "\b" in text or _ERASE_TO_END in text or _ERASE_LINE in text:
        lines = [_replay_line(line) if _needs_replay(line) else line for line in lines]
    return "\n".join([line.rstrip(" \t") for line in lines])


def _erase_sentinel(match: re.Match[str]) -> str:
    return _ERASE_LINE if match.group(1) == "2" else _ERASE_TO_END if match.group(1) != "1" else ""


def _forward_spaces(match: re.Match[str]) -> str:
    return " " * max(1, int(match.group(1) or 1))


def _needs_replay(line: str) -> bool:
    return "\r" in line or "\b" in line or _ERASE_TO_END in line or _ERASE_LINE in line


def _replay_line(line: str) -> str:
    """Replay one line's text runs with CR, BS and erase-in-line on a one-line cursor."""
    cells: list[str] = []
    cursor = 0
    for token in _LINE_EDITS.split(line):
        if not token:
            continue
        if token == "\r":
            cursor = 0
        elif token == "\b":
            cursor = max(0, cursor - 1)
        elif token == _ERASE_TO_END:
            del cells[cursor:]
        elif token == _ERASE_LINE:
            cells.clear()
        else:
            if cursor > len(cells):
                cells.extend(" " * (cursor - len(cells)))
            cells[cursor : cursor + len(token)] = token
            cursor += len(token)
    return "".join(cells)
