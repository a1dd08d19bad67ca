"""Key notation and tmux command-line words: canonical keys, quoting, splitting."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aisession_tui.keymaps import (
    Command,
    canonical_key,
    parse_command_line,
    quote_word,
    split_words,
)


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        # What tmux 3.3a's `bind-key` + `list-keys` turned these spellings into.
        ("C-M-b", "M-C-b"),
        ("M-C-b", "M-C-b"),
        ("c-a", "C-a"),
        ("C-A", "C-a"),
        ("^a", "C-a"),
        ("C-@", "C-Space"),
        ("C-i", "Tab"),
        ("C-m", "Enter"),
        ("C-[", "Escape"),
        ("C-h", "C-h"),
        ("C-\\", "C-\\"),
        ("C-M-Up", "C-M-Up"),
        ("M-C-Up", "C-M-Up"),
        ("S-M-Up", "M-S-Up"),
        ("C-S-Up", "C-S-Up"),
        ("C-S-a", "S-C-a"),
        ("PageUp", "PPage"),
        ("PgUp", "PPage"),
        ("PageDown", "NPage"),
        ("Insert", "IC"),
        ("Delete", "DC"),
        ("space", "Space"),
        ("ppage", "PPage"),
        ("\\;", ";"),
        ("\\#", "#"),
        ("M-{", "M-{"),
        ("kpenter", "KPEnter"),
        ("wheelUpPane", "WheelUpPane"),
        ("M-MouseDown3Pane", "M-MouseDown3Pane"),
        ("F12", "F12"),
        ("é", "é"),
    ],
)
def test_canonical_key(written: str, canonical: str) -> None:
    assert canonical_key(written) == canonical


@pytest.mark.parametrize("bad", ["", "Foo", "C-", "C-Foo", "F13", "ab", "\x01", "MouseDown4Pane"])
def test_invalid_keys_are_rejected(bad: str) -> None:
    with pytest.raises(ValueError):
        canonical_key(bad)


def test_quote_word_matches_tmux_list_keys_escaping() -> None:
    assert [quote_word(key) for key in ['"', "#", "$", "%", "'", ";", "{", "}", "~"]] == [
        '\\"',
        "\\#",
        "\\$",
        "\\%",
        "\\'",
        "\\;",
        "\\{",
        "\\}",
        "\\~",
    ]
    assert [quote_word(key) for key in ["&", "(", ",", "-", "M-{", "C-\\", ""]] == [
        "&",
        "(",
        ",",
        "-",
        '"M-{"',
        "C-\\\\",
        "''",
    ]
    assert quote_word("kill-pane #P? (y/n)") == '"kill-pane #P? (y/n)"'
    assert quote_word('say "hi"') == '"say \\"hi\\""'
    assert quote_word('a"b') == "'a\"b'"


@given(st.text(st.characters(exclude_categories=("Cs",)), max_size=30))
def test_quoted_words_split_back_to_themselves(word: str) -> None:
    assert split_words(quote_word(word)) == [word]


def test_split_words_understands_quotes_blocks_and_separators() -> None:
    text = 'command-prompt -I "#S" { rename-session "%%" } ; select-pane \\; send-keys -M'
    assert parse_command_line(text) == [
        ["command-prompt", "-I", "#S", 'rename-session "%%"'],
        ["select-pane"],
        ["send-keys", "-M"],
    ]
    assert split_words('a;b \'c d\' "e\\"f"') == ["a", ";", "b", "c d", 'e"f']
    assert split_words("if -F '#{x}' { a ; b } { c }") == ["if", "-F", "#{x}", "a ; b", "c"]


@pytest.mark.parametrize("broken", ['"open', "'open", "{ open", "a { b { c }"])
def test_unterminated_quotes_and_blocks_raise(broken: str) -> None:
    with pytest.raises(ValueError):
        split_words(broken)


def test_send_keys_x_becomes_a_copy_mode_action_and_back() -> None:
    assert Command.from_words(["send-keys", "-X", "cursor-up"]) == Command("copy-mode:cursor-up")
    assert Command.from_words(["send-keys", "-FX", "search-forward", "#{w}"]) == Command(
        "copy-mode:search-forward", ("-F", "#{w}")
    )
    assert Command.from_words(["send-keys", "-X", "-N5", "scroll-up"]) == Command(
        "copy-mode:scroll-up", ("-N", "5")
    )
    assert Command.from_words(["send-keys", "-M"]) == Command("send-keys", ("-M",))
    assert Command.from_words(["send-keys", "-X", "-t", "=", "cancel"]).action == "send-keys"
    command = Command("copy-mode:scroll-up", ("-N", "5"))
    assert Command.from_words(command.words()) == command


def test_keymaps_and_config_do_not_import_textual() -> None:
    code = (
        "import sys, aisession_tui.keymaps, aisession_tui.keymaps.actions, aisession_tui.config\n"
        "aisession_tui.keymaps.load_keymap()\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
