"""Key encoding between tmux key names, Textual key events and the bytes a child reads.

Three directions live here, all pure functions over strings (this module never imports
Textual):

- tmux key names -> bytes, exactly as tmux 3.3a ``send-keys`` writes them to a pane
  (``tmux_key_bytes``, ``send_keys_payload``). ``None`` means "not a key tmux can send":
  send-keys then types the argument literally, as tmux does. An empty ``b""`` means tmux
  accepts the key but writes nothing (``C-1``, ``C-Enter``).
- Textual key events -> bytes, as xterm would send them to the program in a pane
  (``textual_key_bytes``), plus ``bracketed_paste`` and ``mouse_report``.
- tmux key names <-> Textual ``event.key`` names, for keymaps and ``list-keys``
  (``tmux_key_to_textual``, ``textual_to_tmux_key``), both going through tmux's canonical
  key so ``C-i`` is ``Tab`` and ``C-[`` is ``Escape`` as in tmux.

Invariant: a parsed tmux key is a ``TmuxKey`` whose ``base`` is either one character
(after tmux's control conversion: ``C-a`` is ``"\\x01"`` with ``ctrl`` cleared) or one of
the canonical special names in ``SPECIAL_KEYS``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

ESC = "\x1b"

SPECIAL_KEYS: tuple[str, ...] = (
    *(f"F{number}" for number in range(1, 13)),
    "IC", "DC", "Home", "End", "NPage", "PPage", "BTab", "BSpace",
    "Up", "Down", "Left", "Right",
    "KP/", "KP*", "KP-", "KP+", "KP.", "KPEnter",
    *(f"KP{digit}" for digit in range(10)),
)
"""Canonical tmux spellings of the keys that are not characters."""

_NAME_TABLE: dict[str, str] = {
    **{name.lower(): name for name in SPECIAL_KEYS},
    "insert": "IC",
    "delete": "DC",
    "pagedown": "NPage",
    "pgdn": "NPage",
    "pageup": "PPage",
    "pgup": "PPage",
    "tab": "\t",
    "space": " ",
    "enter": "\r",
    "escape": ESC,
}
"""tmux's key table, keyed case-insensitively; values are a special name or a char."""

_CURSOR_FINAL = {"Up": "A", "Down": "B", "Right": "C", "Left": "D"}
_SS3_FUNCTION = {"F1": "P", "F2": "Q", "F3": "R", "F4": "S"}
_TILDE_NUMBER = {
    "F5": 15, "F6": 17, "F7": 18, "F8": 19, "F9": 20, "F10": 21, "F11": 23, "F12": 24,
    "IC": 2, "DC": 3, "PPage": 5, "NPage": 6,
}
_KEYPAD: dict[str, tuple[str, str]] = {
    "KP/": ("/", "o"), "KP*": ("*", "j"), "KP-": ("-", "m"), "KP+": ("+", "k"),
    "KP.": (".", "n"), "KPEnter": ("\n", "M"),
    **{f"KP{digit}": (str(digit), "pqrstuvwxy"[digit]) for digit in range(10)},
}
"""Keypad keys: (numeric-mode bytes, final of ``ESC O x`` in application keypad mode)."""

_CTRL_UNCONVERTED = "!#()+,-.0123456789:;<=>'\r\t\x7f`/"
"""Characters tmux keeps as ``ctrl`` + char instead of turning into a control code."""

_CTRL_ONLY_FALLBACK = {"2": b"\x00", " ": b"\x00", "6": b"\x1e", "-": b"\x1f", "/": b"\x1f"}
"""What tmux 3.3a writes for a ctrl-only key with no sequence of its own (else nothing)."""

_US_SHIFTED = dict(zip("`1234567890-=[]\\;',./", "~!@#$%^&*()_+{}|:\"<>?"))
_MODIFIER_KEYS = frozenset(
    f"{side}_{name}"
    for side in ("left", "right")
    for name in ("shift", "control", "ctrl", "alt", "super", "hyper", "meta")
) | {"iso_level3_shift", "iso_level5_shift", "caps_lock", "num_lock", "scroll_lock"}

_TEXTUAL_REPLACEMENTS = {
    "solidus": "slash",
    "reverse_solidus": "backslash",
    "commercial_at": "at",
    "hyphen_minus": "minus",
    "plus_sign": "plus",
    "low_line": "underscore",
}


def _textual_char_name(char: str) -> str:
    """The name Textual gives a printable character key (``%`` -> ``percent_sign``)."""
    if char.isalnum():
        return char
    try:
        name = unicodedata.name(char).lower().replace("-", "_").replace(" ", "_")
    except ValueError:
        return char
    return _TEXTUAL_REPLACEMENTS.get(name, name)


_CHAR_BY_TEXTUAL_NAME: dict[str, str] = {
    _textual_char_name(chr(code)): chr(code) for code in range(0x21, 0x7F)
} | {"@": "@", "space": " ", "left_square_brace": "["}

_TEXTUAL_SPECIAL: dict[str, str] = {
    "up": "Up", "down": "Down", "left": "Left", "right": "Right",
    "home": "Home", "end": "End", "insert": "IC", "delete": "DC",
    "pageup": "PPage", "pagedown": "NPage", "backspace": "BSpace",
    **{f"f{number}": f"F{number}" for number in range(1, 13)},
}
_TMUX_SPECIAL_TO_TEXTUAL = {tmux: textual for textual, tmux in _TEXTUAL_SPECIAL.items()}
_TMUX_SPECIAL_TO_TEXTUAL["BTab"] = "tab"
_KEYPAD_TEXTUAL: dict[str, str] = {
    "decimal": ".", "divide": "/", "multiply": "*", "subtract": "-", "add": "+",
    "equal": "=", "separator": ",",
}
_KEYPAD_APP_FINAL = {"decimal": "n", "divide": "o", "multiply": "j", "subtract": "m",
                     "add": "k", "equal": "X", "separator": "l"}
_CHAR_TO_TEXTUAL_NAME = {"\t": "tab", "\r": "enter", ESC: "escape", " ": "space"}


@dataclass(frozen=True)
class TmuxKey:
    """A tmux key after parsing: one character or a ``SPECIAL_KEYS`` name, plus modifiers."""

    base: str
    ctrl: bool = False
    meta: bool = False
    shift: bool = False


def parse_tmux_key(name: str) -> TmuxKey | None:
    """Parse a tmux key name as ``key_string_lookup_string`` does; ``None`` if not a key."""
    if name.lower() in ("none", "any"):
        return None
    if name.startswith("0x"):
        return _parse_hex_key(name[2:])
    ctrl = meta = shift = False
    rest = name
    if rest.startswith("^") and len(rest) > 1:
        ctrl = True
        rest = rest[1:]
    while len(rest) >= 2 and rest[1] == "-":
        modifier = rest[0].lower()
        if modifier == "c":
            ctrl = True
        elif modifier == "m":
            meta = True
        elif modifier == "s":
            shift = True
        else:
            return None
        rest = rest[2:]
    if rest == "":
        return None
    if len(rest) == 1:
        if ord(rest) < 32:
            return None
        base = rest
    else:
        found = _NAME_TABLE.get(rest.lower())
        if found is None:
            return None
        base = found
    if ctrl and len(base) == 1 and ord(base) <= 127 and base not in _CTRL_UNCONVERTED + ESC:
        code = ord(base)
        if 97 <= code <= 122:
            code -= 96
        elif 64 <= code <= 95:
            code -= 64
        elif code == 32:
            code = 0
        elif code == 63:
            code = 127
        else:
            return None
        base = chr(code)
        ctrl = False
    return TmuxKey(base, ctrl, meta, shift)


def _parse_hex_key(digits: str) -> TmuxKey | None:
    end = 0
    while end < len(digits) and digits[end] in "0123456789abcdefABCDEF":
        end += 1
    if end == 0:
        return None
    code = int(digits[:end], 16)
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return TmuxKey(chr(code))


def tmux_key_name(key: TmuxKey) -> str:
    """tmux's canonical spelling of a key, as ``list-keys`` prints it (``M-C-a``, ``C-M-Up``)."""
    base = key.base
    if len(base) == 1 and (ord(base) < 32 or ord(base) == 127) and base not in "\t\r" + ESC:
        prefix = ("M-" if key.meta else "") + ("S-" if key.shift else "")
        if base == "\x00":
            return prefix + ("C-@" if prefix else "C-Space")
        if base == "\x7f":
            return prefix + "C-?"
        return prefix + "C-" + (chr(ord(base) + 96) if ord(base) <= 26 else chr(ord(base) + 64))
    prefix = ("C-" if key.ctrl else "") + ("M-" if key.meta else "") + ("S-" if key.shift else "")
    spelled = {"\t": "Tab", "\r": "Enter", ESC: "Escape", " ": "Space"}.get(base, base)
    return prefix + spelled


def normalize_tmux_key(name: str) -> str | None:
    """The canonical spelling of a tmux key name (``c-A`` -> ``C-a``), ``None`` if not a key."""
    key = parse_tmux_key(name)
    return None if key is None else tmux_key_name(key)


def _modifier_param(shift: bool, meta: bool, ctrl: bool) -> int:
    return 1 + (1 if shift else 0) + (2 if meta else 0) + (4 if ctrl else 0)


def _modifiable_sequence(base: str, param: int, app_cursor: bool) -> str | None:
    """xterm sequence for arrows, Home/End, F1-F12, IC/DC, PPage/NPage; ``param`` 1 = none."""
    if base in _CURSOR_FINAL:
        final = _CURSOR_FINAL[base]
        if param == 1:
            return f"{ESC}O{final}" if app_cursor else f"{ESC}[{final}"
        return f"{ESC}[1;{param}{final}"
    if base in _SS3_FUNCTION:
        final = _SS3_FUNCTION[base]
        return f"{ESC}O{final}" if param == 1 else f"{ESC}[1;{param}{final}"
    if base in _TILDE_NUMBER:
        number = _TILDE_NUMBER[base]
        return f"{ESC}[{number}~" if param == 1 else f"{ESC}[{number};{param}~"
    return None


def tmux_key_bytes(
    name: str, *, app_cursor: bool = False, app_keypad: bool = False
) -> bytes | None:
    """Bytes tmux 3.3a ``send-keys NAME`` writes to a pane.

    Returns ``None`` when tmux would type ``name`` literally instead (not a key name, or a
    key with no encoding such as ``S-a``), and ``b""`` when tmux sends nothing (``C-1``).
    """
    key = parse_tmux_key(name)
    if key is None:
        return None
    base, ctrl, meta, shift = key.base, key.ctrl, key.meta, key.shift
    if base == "BSpace":
        base = "\x7f"
    if len(base) == 1:
        if ord(base) > 0x7F:
            return (ESC if meta else "").encode() + base.encode()
        if not ctrl and not shift:
            return ((ESC if meta else "") + base).encode()
        if ctrl and not shift and not meta:
            return _CTRL_ONLY_FALLBACK.get(base, b"")
        return None
    if base in ("Home", "End"):
        if not (ctrl or meta or shift):
            return f"{ESC}[{1 if base == 'Home' else 4}~".encode()
        final = "H" if base == "Home" else "F"
        return f"{ESC}[1;{_modifier_param(shift, meta, ctrl)}{final}".encode()
    sequence = _modifiable_sequence(base, _modifier_param(shift, meta, ctrl), app_cursor)
    if sequence is not None:
        return sequence.encode()
    if base == "BTab":
        plain = f"{ESC}[Z"
    else:
        numeric, app_final = _KEYPAD[base]
        plain = f"{ESC}O{app_final}" if app_keypad else numeric
    if not (ctrl or shift):
        return ((ESC if meta else "") + plain).encode()
    if ctrl and not shift and not meta:
        return b""
    return None


def _parse_hex_byte(text: str) -> int | None:
    """``strtol(text, 16)`` that must consume everything, as tmux's ``send-keys -H``."""
    body = text.lstrip(" \t\n\v\f\r")
    negative = body.startswith("-")
    body = body[1:] if body[:1] in "+-" else body
    if body[:2].lower() == "0x" and len(body) > 2:
        body = body[2:]
    if body == "" or any(char not in "0123456789abcdefABCDEF" for char in body):
        return None
    value = -int(body, 16) if negative else int(body, 16)
    return value if 0 <= value <= 0xFF else None


def send_keys_payload(
    keys: list[str],
    *,
    literal: bool = False,
    hex_mode: bool = False,
    repeat: int = 1,
    app_cursor: bool = False,
    app_keypad: bool = False,
) -> bytes:
    """The bytes of ``send-keys [-l] [-H] [-N repeat] key...``; the whole list repeats.

    Raises:
        ValueError: ``repeat`` below 1 (``repeat count too small``) or, with ``hex_mode``,
            an argument that is not one hex byte (tmux 3.3a silently skips it instead).
    """
    if repeat < 1:
        raise ValueError("repeat count too small")
    parts: list[bytes] = []
    for key in keys:
        if hex_mode:
            value = _parse_hex_byte(key)
            if value is None:
                raise ValueError(f"invalid hex key: {key!r} (expected one byte, 00 to ff)")
            parts.append(bytes([value]))
            continue
        encoded = None if literal else tmux_key_bytes(
            key, app_cursor=app_cursor, app_keypad=app_keypad
        )
        parts.append(key.encode("utf-8", "ignore") if encoded is None else encoded)
    return b"".join(parts) * repeat


def _split_textual_key(key: str) -> tuple[set[str], str]:
    if key == "+" or "+" not in key:
        return set(), key
    head, _, base = key.rpartition("+")
    if base == "":
        head, base = head.removesuffix("+"), "+"
    return {token for token in head.split("+") if token}, base


def _textual_base_char(base: str) -> str | None:
    if len(base) == 1:
        return base
    if base in _CHAR_BY_TEXTUAL_NAME:
        return _CHAR_BY_TEXTUAL_NAME[base]
    try:
        return unicodedata.lookup(base.replace("_", " "))
    except KeyError:
        return None


def _control_byte(char: str) -> str | None:
    """xterm's legacy ctrl encoding of a character, ``None`` when ctrl changes nothing."""
    code = ord(char)
    if 97 <= code <= 122 or 64 <= code <= 95:
        return chr(code & 0x1F)
    return {" ": "\x00", "2": "\x00", "3": ESC, "4": "\x1c", "5": "\x1d", "6": "\x1e",
            "7": "\x1f", "/": "\x1f", "-": "\x1f", "8": "\x7f", "?": "\x7f",
            "~": "\x1e", "`": "\x00"}.get(char)


def textual_key_bytes(
    key: str,
    character: str | None,
    *,
    app_cursor: bool = False,
    app_keypad: bool = False,
) -> bytes | None:
    """Bytes xterm sends for a Textual key event; ``None`` for keys a child never sees.

    Works both with a real terminal's events (``character`` set, legacy or kitty
    protocol) and with ``pilot.press`` (no character for ctrl keys): control bytes are
    derived from the key name. ``meta`` counts as alt; ``super``/``hyper`` combinations
    and modifier-only or lock keys return ``None``.
    """
    modifiers, base = _split_textual_key(key)
    if base in _MODIFIER_KEYS or modifiers & {"super", "hyper"}:
        return None
    ctrl = "ctrl" in modifiers
    alt = "alt" in modifiers or "meta" in modifiers
    shift = "shift" in modifiers
    prefix = ESC if alt else ""
    param = _modifier_param(shift, alt, ctrl)
    if base in _TEXTUAL_SPECIAL and base != "backspace":
        tmux_name = _TEXTUAL_SPECIAL[base]
        if tmux_name in ("Home", "End"):
            final = "H" if tmux_name == "Home" else "F"
            if param == 1:
                return f"{ESC}{'O' if app_cursor else '['}{final}".encode()
            return f"{ESC}[1;{param}{final}".encode()
        sequence = _modifiable_sequence(tmux_name, param, app_cursor)
        return None if sequence is None else sequence.encode()
    if base.startswith("f") and base[1:].isdigit() and 13 <= int(base[1:]) <= 24:
        tmux_name = f"F{int(base[1:]) - 12}"
        sequence = _modifiable_sequence(tmux_name, _modifier_param(True, alt, ctrl), False)
        return None if sequence is None else sequence.encode()
    if base == "tab":
        return f"{ESC}[Z".encode() if shift else (prefix + "\t").encode()
    if base in ("enter", "return"):
        return (prefix + "\r").encode()
    if base == "escape":
        return (prefix + ESC).encode()
    if base == "backspace":
        if ctrl:
            return (prefix + "\x08").encode()
        plain = character if character in ("\x08", "\x7f") else "\x7f"
        return (prefix + plain).encode()
    if base in _KEYPAD_TEXTUAL:
        if app_keypad:
            return f"{prefix}{ESC}O{_KEYPAD_APP_FINAL[base]}".encode()
        return (prefix + _KEYPAD_TEXTUAL[base]).encode()
    if base == "kp_begin":
        return f"{ESC}{'O' if app_cursor else '['}E".encode()
    char = _textual_base_char(base)
    if char is None:
        if character and character.isprintable() and not ctrl:
            return (prefix + character).encode()
        return None
    if ctrl:
        control = _control_byte(char)
        return (prefix + (control if control is not None else char)).encode()
    if character and character.isprintable() and len(character) == 1 or character and ord(character[0]) < 32 and not (shift or alt):
        text = character
    elif shift and char.isalpha():
        text = char.upper()
    elif shift:
        text = _US_SHIFTED.get(char, char)
    else:
        text = char
    return (prefix + text).encode()


def bracketed_paste(text: str, enabled: bool) -> bytes:
    """Bytes for pasting ``text`` into a child; line feeds become carriage returns.

    With ``enabled`` (the child set mode 2004) the text is wrapped in ``ESC [200~`` /
    ``ESC [201~`` and any embedded end marker is removed so the paste cannot end early.
    """
    body = text.replace("\r\n", "\r").replace("\n", "\r")
    if not enabled:
        return body.encode()
    end_marker = "\x1b[201~"
    while end_marker in body:
        body = body.replace(end_marker, "")
    return f"\x1b[200~{body}{end_marker}".encode()


def mouse_report(
    button: int,
    x: int,
    y: int,
    *,
    press: bool,
    motion: bool = False,
    sgr: bool,
    modifiers: int = 0,
) -> bytes:
    """An xterm mouse report for a child that enabled mouse mode 1000/1002/1003.

    Args:
        button: 0 left, 1 middle, 2 right, 3 none (motion only), 64/65 wheel up/down.
        x, y: 0-based cell; reports are 1-based.
        press: press (or wheel) versus release.
        motion: a drag or move event (adds 32).
        sgr: SGR encoding (mode 1006) instead of the X10/normal byte encoding.
        modifiers: 4 shift, 8 meta, 16 ctrl, added to the button code.

    The X10/normal encoding cannot express a release of a specific button (it sends 3)
    and caps coordinates at 223; SGR has no such limit.
    """
    code = button + modifiers + (32 if motion else 0)
    if sgr:
        final = "M" if press or button >= 64 else "m"
        return f"\x1b[<{code};{x + 1};{y + 1}{final}".encode()
    if not press and button < 64:
        code = 3 + modifiers + (32 if motion else 0)
    column = min(x + 1, 223) + 32
    row = min(y + 1, 223) + 32
    return b"\x1b[M" + bytes([code + 32, column, row])


def tmux_key_to_textual(name: str) -> str:
    """The Textual ``event.key`` for the keypress tmux calls ``name`` (``C-b`` -> ``ctrl+b``).

    Goes through tmux's canonical key, so ``C-i`` gives ``tab`` and ``C-Space`` gives
    ``ctrl+@`` (what a legacy terminal delivers). Keypad keys give the main-keyboard
    name Textual reports for them. Raises ``ValueError`` for a name tmux does not know.
    """
    key = parse_tmux_key(name)
    if key is None:
        raise ValueError(f"unknown key: {name}")
    modifiers: set[str] = set()
    if key.ctrl:
        modifiers.add("ctrl")
    if key.meta:
        modifiers.add("alt")
    if key.shift:
        modifiers.add("shift")
    base = key.base
    if base in _TMUX_SPECIAL_TO_TEXTUAL:
        if base == "BTab":
            modifiers.add("shift")
        textual_base = _TMUX_SPECIAL_TO_TEXTUAL[base]
    elif base in _KEYPAD:
        numeric = _KEYPAD[base][0]
        textual_base = "enter" if base == "KPEnter" else _textual_char_name(numeric)
    elif base in _CHAR_TO_TEXTUAL_NAME:
        textual_base = _CHAR_TO_TEXTUAL_NAME[base]
    elif ord(base) < 32 or ord(base) == 127:
        modifiers.add("ctrl")
        if base == "\x00":
            textual_base = "@"
        elif base == "\x7f":
            textual_base = "question_mark"
        elif ord(base) <= 26:
            textual_base = chr(ord(base) + 96)
        else:
            textual_base = _textual_char_name(chr(ord(base) + 64))
    elif base.isalpha() and base.isupper() and modifiers:
        modifiers.add("shift")
        textual_base = base.lower()
    else:
        textual_base = _textual_char_name(base)
    return "+".join([*sorted(modifiers), textual_base])


def textual_to_tmux_key(key: str) -> str:
    """The tmux key name (canonical, as ``list-keys`` prints it) for a Textual key.

    Raises ``ValueError`` for keys tmux has no name for (modifier-only keys, ``super``).
    """
    modifiers, base = _split_textual_key(key)
    if base in _MODIFIER_KEYS or modifiers & {"super", "hyper"} or not base:
        raise ValueError(f"no tmux name for key: {key}")
    ctrl = "ctrl" in modifiers
    meta = "alt" in modifiers or "meta" in modifiers
    shift = "shift" in modifiers
    tmux_base: str
    if base == "tab" and shift:
        tmux_base, shift = "BTab", False
    elif base in _TEXTUAL_SPECIAL:
        tmux_base = _TEXTUAL_SPECIAL[base]
    elif base.startswith("f") and base[1:].isdigit() and 13 <= int(base[1:]) <= 24:
        tmux_base, shift = f"F{int(base[1:]) - 12}", True
    elif base in ("enter", "return", "tab", "escape", "space"):
        tmux_base = {"enter": "\r", "return": "\r", "tab": "\t", "escape": ESC, "space": " "}[base]
    elif base in _KEYPAD_TEXTUAL and base not in ("equal", "separator"):
        tmux_base = next(name for name, (text, _) in _KEYPAD.items()
                         if text == _KEYPAD_TEXTUAL[base])
    else:
        char = _textual_base_char(base)
        if char is None or len(char) != 1:
            raise ValueError(f"no tmux name for key: {key}")
        if shift and not ctrl:
            char = char.upper() if char.isalpha() else _US_SHIFTED.get(char, char)
            shift = False
        tmux_base = char
    if len(tmux_base) == 1:
        converted = parse_tmux_key(("C-" if ctrl else "") + tmux_name_of_char(tmux_base))
        if converted is None:
            converted = TmuxKey(tmux_base, ctrl)
        return tmux_key_name(TmuxKey(converted.base, converted.ctrl, meta, shift))
    return tmux_key_name(TmuxKey(tmux_base, ctrl, meta, shift))


def tmux_name_of_char(char: str) -> str:
    """A key name tmux parses back to ``char`` (``Space`` for a space, hex for controls)."""
    if char == " ":
        return "Space"
    if ord(char) < 32:
        return {"\t": "Tab", "\r": "Enter", ESC: "Escape"}.get(char, f"0x{ord(char):x}")
    return char
