"""tmux's ``utf8_stravis(.., VIS_OCTAL|VIS_CSTYLE|VIS_TAB|VIS_NL)``: how tmux 3.3a stores
session names (``new-session -s``, ``rename-session``) and names given by
``rename-window``.

A backslash is doubled, tab, newline and the other C escapes are written C-style
(``\\t``, ``\\n``, ``\\r``, ``\\a``, ``\\b``, ``\\v``, ``\\f``, ``\\0``), any other control
character and DEL in octal (``\\033``); printable text, spaces and non-ASCII characters
are kept as they are. ``vis("hello \\\\ x")`` is ``hello \\\\\\\\ x`` as ``#{window_name}``
shows it in tmux.
"""

from __future__ import annotations

C_STYLE = {"\n": "\\n", "\r": "\\r", "\b": "\\b", "\a": "\\a", "\v": "\\v", "\t": "\\t",
           "\f": "\\f"}
"""The characters VIS_CSTYLE writes as C escapes."""


def vis(text: str) -> str:
    """``text`` encoded as tmux encodes a session or renamed window's name."""
    out: list[str] = []
    for position, char in enumerate(text):
        if char == "\\":
            out.append("\\\\")
        elif char in C_STYLE:
            out.append(C_STYLE[char])
        elif char == "\0":
            following = text[position + 1:position + 2]
            out.append("\\000" if following.isdigit() else "\\0")
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\{ord(char):03o}")
        else:
            out.append(char)
    return "".join(out)
