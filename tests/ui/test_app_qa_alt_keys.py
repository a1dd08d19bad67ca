"""Alt keys as a real terminal sends them (ESC + key) through the client's input parser:
every one keeps its Alt, as tmux's ``M-key``, and encodes back to the same bytes for the
child; sequences that only start with ESC stay what they are.
"""

from __future__ import annotations

import pytest

from aisession_tui.client.alt_keys import AltKeyParser
from aisession_tui.terminal.keys import textual_key_bytes, textual_to_tmux_key


def parsed(data: str) -> list[tuple[str, str | None]]:
    """(key, character) of every key event the parser makes from ``data`` (then EOF)."""
    parser = AltKeyParser()
    tokens = [*parser.feed(data), *parser.feed("")]
    return [(token.key, token.character) for token in tokens if hasattr(token, "key")]


@pytest.mark.parametrize(("typed", "tmux_name"), [
    ("\x1b.", "M-."), ("\x1b5", "M-5"), ("\x1b1", "M-1"), ("\x1b-", "M--"),
    ("\x1b=", "M-="), ("\x1b\r", "M-Enter"), ("\x1b ", "M-Space"),
    ("\x1b\x7f", "M-BSpace"), ("\x1b\t", "M-Tab"), ("\x1bb", "M-b"), ("\x1bf", "M-f"),
    ("\x1ba", "M-a"), ("\x1b/", "M-/"), ("\x1b_", "M-_"), ("\x1b[", "M-["),
])
def test_esc_and_a_key_is_alt_and_that_key(typed: str, tmux_name: str) -> None:
    [(key, character)] = parsed(typed)
    assert textual_to_tmux_key(key) == tmux_name
    assert textual_key_bytes(key, character) == typed.encode()


def test_sequences_and_plain_keys_around_alt_keys_are_unchanged() -> None:
    assert parsed("\x1b[A") == [("up", None)]
    assert parsed("\x1bOP") == [("f1", None)]
    assert parsed("\x1b") == [("escape", "\x1b")]
    assert parsed("ab\x1b.c") == [("a", "a"), ("b", "b"), ("alt+full_stop", "."),
                                  ("c", "c")]
    assert parsed("\x1bA") == [("alt+shift+a", "A")]
