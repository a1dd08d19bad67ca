"""Key options and key tables spell keys as tmux 3.3a prints them (one key parser: the
terminal's). The expected spellings are what tmux 3.3a's ``list-keys`` and ``show -gv
prefix`` print for the same input."""

from __future__ import annotations

import pytest

from aisession_tui.server.key_names import normalise_key


@pytest.mark.parametrize(("text", "printed"), [
    ("^a", "C-a"), ("C-M-a", "M-C-a"), ("C-i", "Tab"), ("PgUp", "PPage"),
    ("M-C-Space", "M-C-@"), ("C-é", "C-é"), ("0x01", "C-a"), ("s-up", "S-Up"),
    ("none", "None"), ("any", "Any"), ("MouseDown1Pane", "MouseDown1Pane"),
    ("User0", "User0"), ("F13", None), ("C-", None),
])
def test_keys_spelled_as_tmux_prints_them(text, printed):
    assert normalise_key(text) == printed
