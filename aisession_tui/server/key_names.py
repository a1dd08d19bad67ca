"""tmux key names: read any spelling tmux 3.3a accepts and print it the way tmux prints it.

``normalise_key("^a") == "C-a"``, ``"C-M-a" -> "M-C-a"``, ``"C-i" -> "Tab"``,
``"PgUp" -> "PPage"``; an unknown name gives None (tmux's ``bad key``). A control letter is
folded into the key (``C-a`` is one character, as in a terminal), so other modifiers are
printed before it; modifiers on a named key print as ``C-``, ``M-``, ``S-`` in that order.
Key options (``prefix``, ``prefix2``, ``backspace``) store the printed form. Keyboard keys
are read and printed by :func:`aisession_tui.terminal.keys.normalize_tmux_key` (the one
parser the client and send-keys use); this module adds the names that are not keyboard keys
(``None``, ``Any``, mouse keys, ``UserN``).
"""

from __future__ import annotations

import re

from ..terminal.keys import normalize_tmux_key

_MOUSE = re.compile(
    r"(Mouse(Down|Up|Drag|DragEnd)[123]|WheelUp|WheelDown|(Double|Triple|Second)Click[123])"
    r"(Pane|Status|StatusLeft|StatusRight|StatusDefault|Border)?$")


def normalise_key(text: str) -> str | None:
    """tmux's printed form of the key ``text`` names, or None for a bad key."""
    if text.lower() == "none":
        return "None"
    if text.lower() == "any":
        return "Any"
    if _MOUSE.match(text) or re.fullmatch(r"User\d+", text):
        return text
    return normalize_tmux_key(text)

