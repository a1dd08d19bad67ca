"""The prompt's vi keys (``status-keys vi``), as tmux's ``status_prompt_translate_key``.

A vi prompt opens in insert ("entry") mode, where keys type as usual and Escape switches to
command mode (the prompt is then drawn in ``message-command-style``); there ``i``, ``a``,
``A``, ``I``, ``s``, ``S``, ``C`` go back to insert mode and the other keys move, delete,
walk the history or cancel (``q``). :func:`translate` says what a key does: nothing, type
its character, or act as the emacs-style key it stands for (``h`` -> ``left``). Word
motions (``b w e`` and ``B W E``) are returned as ``word-*`` actions.

Headless: Textual key names in, action names out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ENTRY_KEYS = frozenset({
    "ctrl+a", "ctrl+c", "ctrl+e", "ctrl+g", "ctrl+h", "tab", "ctrl+k", "ctrl+n", "ctrl+p",
    "ctrl+t", "ctrl+u", "ctrl+w", "ctrl+y", "enter", "ctrl+j", "ctrl+left", "ctrl+right",
    "backspace", "delete", "down", "end", "home", "left", "right", "up"})
"""Insert-mode keys that keep their own meaning (the rest type their character)."""

TO_ENTRY = frozenset("AICsa")
"""Command-mode keys that go back to insert mode, then act (``A``: end of line...)."""

COMMAND_KEYS = {
    "A": "end", "$": "end", "I": "home", "0": "home", "^": "home", "C": "ctrl+k",
    "D": "ctrl+k", "X": "backspace", "b": "word-back", "B": "WORD-back", "d": "ctrl+u",
    "e": "word-end", "E": "WORD-end", "w": "word-next", "W": "WORD-next", "p": "ctrl+y",
    "q": "ctrl+c", "s": "delete", "delete": "delete", "x": "delete", "down": "down",
    "j": "down", "left": "left", "h": "left", "a": "right", "right": "right", "l": "right",
    "up": "up", "k": "up", "ctrl+h": "backspace", "ctrl+c": "ctrl+c", "enter": "enter",
    "ctrl+j": "enter"}
"""What each command-mode key does (after any switch to insert mode)."""


@dataclass(frozen=True)
class Translation:
    """What a key does in a vi prompt: ``command`` is the mode after it; ``action`` a key
    name to act as, ``"type"`` to type the key's character, or None to drop it."""

    command: bool
    action: str | None


def translate(key: str, character: str | None, command: bool) -> Translation:
    """The effect of ``key`` in a vi prompt in command mode (``command``) or insert mode."""
    name = character if character and len(character) == 1 and character.isprintable() \
        else key
    if not command:
        if key == "escape":
            return Translation(True, None)
        return Translation(False, key if key in ENTRY_KEYS else "type")
    if key == "backspace":
        return Translation(True, "left")
    if name == "S":
        return Translation(False, "ctrl+u")
    if name == "i" or key == "escape":
        return Translation(False, None)
    return Translation(name not in TO_ENTRY, COMMAND_KEYS.get(name))


def word_motion(action: str, text: str, cursor: int) -> int:
    """Where a ``word-*`` / ``WORD-*`` action puts the cursor in ``text``: words are runs
    of letters, digits and ``_`` (WORDs: of non-blanks)."""
    pattern = re.compile(r"\S+" if action.startswith("WORD") else r"\w+")
    spans = [match.span() for match in pattern.finditer(text)]
    if action.endswith("back"):
        starts = [start for start, _ in spans if start < cursor]
        return starts[-1] if starts else 0
    if action.endswith("next"):
        starts = [start for start, _ in spans if start > cursor]
        return starts[0] if starts else len(text)
    ends = [end - 1 for _, end in spans if end - 1 > cursor]
    return ends[0] if ends else max(0, len(text) - 1)


def delete_word(text: str, cursor: int, separators: str) -> tuple[str, int, str]:
    """C-w as tmux: back over blanks, then over a run of separators or of other
    characters; the new text, cursor and the deleted text (which C-y puts back)."""
    index = cursor
    while index > 0:
        index -= 1
        if text[index] != " ":
            break
    is_separator = index < len(text) and text[index] in separators
    while index > 0:
        index -= 1
        if text[index] == " " or (text[index] in separators) != is_separator:
            index += 1
            break
    return text[:index] + text[cursor:], index, text[index:cursor]


def paste_text(data: str) -> str:
    """What C-y puts in from a paste buffer: its text up to the first control character."""
    for index, char in enumerate(data):
        if char < " " or char == "\x7f":
            return data[:index]
    return data
