"""tmux key names: read any spelling tmux 3.3a accepts and print it the way tmux prints it.

``normalise_key("^a") == "C-a"``, ``"C-M-a" -> "M-C-a"``, ``"C-i" -> "Tab"``,
``"PgUp" -> "PPage"``; an unknown name gives None (tmux's ``bad key``). A control letter is
folded into the key (``C-a`` is one character, as in a terminal), so other modifiers are
printed before it; modifiers on a named key print as ``C-``, ``M-``, ``S-`` in that order.
Key options (``prefix``, ``prefix2``, ``backspace``) store the printed form.
"""

from __future__ import annotations

import re

_NAMED = {
    name.lower(): printed
    for names, printed in (
        (("F1",), "F1"), (("F2",), "F2"), (("F3",), "F3"), (("F4",), "F4"), (("F5",), "F5"),
        (("F6",), "F6"), (("F7",), "F7"), (("F8",), "F8"), (("F9",), "F9"),
        (("F10",), "F10"), (("F11",), "F11"), (("F12",), "F12"),
        (("IC", "Insert"), "IC"), (("DC", "Delete"), "DC"), (("Home",), "Home"),
        (("End",), "End"), (("NPage", "PageDown", "PgDn"), "NPage"),
        (("PPage", "PageUp", "PgUp"), "PPage"), (("BTab",), "BTab"), (("BSpace",), "BSpace"),
        (("Up",), "Up"), (("Down",), "Down"), (("Left",), "Left"), (("Right",), "Right"),
        (("KP/",), "KP/"), (("KP*",), "KP*"), (("KP-",), "KP-"), (("KP7",), "KP7"),
        (("KP8",), "KP8"), (("KP9",), "KP9"), (("KP+",), "KP+"), (("KP4",), "KP4"),
        (("KP5",), "KP5"), (("KP6",), "KP6"), (("KP1",), "KP1"), (("KP2",), "KP2"),
        (("KP3",), "KP3"), (("KPEnter",), "KPEnter"), (("KP0",), "KP0"), (("KP.",), "KP."),
    )
    for name in names
}
_CHARACTER_NAMES = {"tab": 9, "space": 32, "enter": 13, "escape": 27}
_MOUSE = re.compile(
    r"(Mouse(Down|Up|Drag|DragEnd)[123]|WheelUp|WheelDown|(Double|Triple|Second)Click[123])"
    r"(Pane|Status|StatusLeft|StatusRight|StatusDefault|Border)?$")
_NOT_CONTROL = "!#()+,-.0123456789:;<=>'\r\t\x7f`/"
"""Characters that keep a separate ``C-`` modifier instead of becoming a control code."""


def _character_name(code: int) -> str:
    if code == 0:
        return "C-Space"
    if code == 9:
        return "Tab"
    if code == 13:
        return "Enter"
    if code == 27:
        return "Escape"
    if code == 32:
        return "Space"
    if code == 127:
        return "C-?"
    if code < 32:
        return "C-" + (chr(code + 96) if code <= 26 else chr(code + 64))
    return chr(code)


def normalise_key(text: str) -> str | None:
    """tmux's printed form of the key ``text`` names, or None for a bad key."""
    if text.lower() == "none":
        return "None"
    if text.lower() == "any":
        return "Any"
    if _MOUSE.match(text) or re.fullmatch(r"User\d+", text):
        return text
    if text.startswith("0x") and len(text) > 2:
        try:
            code = int(text, 0)
        except ValueError:
            return None
        return _character_name(code) if 0 <= code < 0x110000 else None
    if text.startswith("^") and len(text) == 2:
        text = "C-" + text[1]
    modifiers = set()
    while len(text) > 2 and text[1] == "-" and text[0] in "CcMmSs":
        modifiers.add(text[0].upper())
        text = text[2:]
    if text == "":
        return None
    lowered = text.lower()
    if lowered in _NAMED:
        base = _NAMED[lowered]
        return "".join(f"{m}-" for m in "CMS" if m in modifiers) + base
    if lowered in _CHARACTER_NAMES:
        code = _CHARACTER_NAMES[lowered]
    elif len(text) == 1:
        code = ord(text)
    else:
        return None
    if "C" in modifiers and text not in _NOT_CONTROL and code not in (9, 13, 27):
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
        modifiers.discard("C")
    return "".join(f"{m}-" for m in "CMS" if m in modifiers) + _character_name(code)
