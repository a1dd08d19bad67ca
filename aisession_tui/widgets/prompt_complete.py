"""Tab completion in the ``:`` prompt, as tmux's ``status_prompt_complete``.

The word before the cursor is completed: a command name (or alias) when it starts a
command (the line's first word, or the first after ``;``), a target in a ``-t`` / ``-s``
word (``-tma`` -> ``-tmain:``), an option name when it follows
``set-option`` / ``set-window-option`` / ``show-options`` / ``show-window-options`` (or
their aliases) and is not a flag or a flag's value. One match completes the word (a command
gets a space after it, as in tmux); several complete their longest common prefix and are
returned so the caller can show them. Headless: no Textual.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache

OPTION_COMMANDS = frozenset({"set-option", "set", "set-window-option", "setw", "show-options",
                             "show", "show-window-options", "showw"})
"""Commands whose argument is an option name."""
_VALUE_FLAGS = frozenset("t")
"""Flags of those commands that take a value (``-t target``)."""


@dataclass(frozen=True)
class Completion:
    """The completed text, the new cursor position and every candidate."""

    text: str
    cursor: int
    candidates: tuple[str, ...]


@cache
def command_names() -> tuple[str, ...]:
    """Every command name and alias the server runs, sorted."""
    from aisession_tui.server.commands import commands

    return tuple(sorted(commands()))


@cache
def option_names() -> tuple[str, ...]:
    """Every option of tmux 3.3a's table, sorted."""
    from aisession_tui.server.option_table import BY_NAME

    return tuple(sorted(BY_NAME))


def complete(text: str, cursor: int,
             targets: tuple[list[str], list[str]] | None = None) -> Completion:
    """Complete the word before ``cursor`` in ``text`` (see the module docstring); a
    ``-t`` / ``-s`` word completes its target (``targets``: the session names and the
    current session's window indexes), as tmux's."""
    before = text[:cursor]
    start = max(before.rfind(" "), before.rfind(";")) + 1
    word = before[start:]
    if word[:2] in ("-t", "-s") and targets is not None:
        inner = complete_target(word[2:], len(word) - 2, *targets)
        if inner.text == word[2:]:
            return Completion(text, cursor, tuple(word[:2] + name for name in inner.candidates))
        new_word = word[:2] + inner.text
        return Completion(text[:start] + new_word + text[cursor:], start + len(new_word),
                          tuple(word[:2] + name for name in inner.candidates))
    words = before[:start].replace(";", " ; ").split()
    if words and words[-1] != ";":
        command_start = len(words) - words[::-1].index(";") if ";" in words else 0
        command = words[command_start:]
        at_start = False
    else:
        command = []
        at_start = True
    if at_start:
        choices = command_names()
    elif (command[0] in OPTION_COMMANDS and not word.startswith("-")
          and not _is_flag_value(command[1:])):
        choices = option_names()
    else:
        return Completion(text, cursor, ())
    candidates = tuple(name for name in choices if name.startswith(word))
    if not candidates:
        return Completion(text, cursor, ())
    if len(candidates) == 1:
        replacement = candidates[0] + (" " if at_start else "")
    else:
        replacement = os.path.commonprefix(list(candidates))
    new_text = text[:start] + replacement + text[cursor:]
    return Completion(new_text, start + len(replacement), candidates)


def _is_flag_value(arguments: list[str]) -> bool:
    """Whether the word being typed is the value of the flag just before it (``-t``)."""
    if not arguments:
        return False
    last = arguments[-1]
    return last.startswith("-") and len(last) >= 2 and last[-1] in _VALUE_FLAGS


def complete_target(text: str, cursor: int, sessions: list[str], windows: list[str], *,
                    window_only: bool = False) -> Completion:
    """Tab in a ``target`` or ``window-target`` prompt (tmux's ``status_prompt_complete``
    for those types): the word before the cursor completes to a session name followed by
    ``:``; after a colon, or in a window-target prompt, to a window index of
    ``windows`` (the current session's). tmux offers several windows in a menu; here they
    are the candidates, and their common prefix is put in."""
    before = text[:cursor]
    start = before.rfind(" ") + 1
    word = before[start:]
    if window_only:
        prefix, rest = "", word
        choices = list(windows)
    elif ":" in word:
        prefix, _, rest = word.partition(":")
        prefix += ":"
        choices = list(windows) if prefix == ":" else []
    else:
        prefix, rest = "", word
        choices = [f"{name}:" for name in sessions]
    candidates = tuple(sorted(prefix + name for name in choices if name.startswith(rest)))
    if not candidates:
        return Completion(text, cursor, ())
    replacement = os.path.commonprefix(list(candidates))
    if replacement == word:
        return Completion(text, cursor, candidates)
    new_text = text[:start] + replacement + text[cursor:]
    return Completion(new_text, start + len(replacement), candidates)
