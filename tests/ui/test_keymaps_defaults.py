"""tmux.toml against tmux 3.3a's own default tables (tests/fixtures/tmux/, copied from
shared/reference/tmux-3.3a-list-keys*.txt, the output of tmux 3.3a's `list-keys`).

Every reference binding must be in the default keymap with the same commands and repeat
flag, or be listed as left out (with a reason) in the header comment of tmux.toml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from aisession_tui.keymaps import (
    DEFAULT_KEYMAP_FILE,
    Command,
    canonical_key,
    load_keymap,
    split_commands,
    split_words,
)
from aisession_tui.keymaps.actions import ACTIONS

REFERENCE_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "tmux"
"""tmux 3.3a's `list-keys` and `list-keys -N` output, kept with the tests."""
LIST_KEYS = REFERENCE_DIR / "tmux-3.3a-list-keys.txt"
LIST_KEYS_NOTES = REFERENCE_DIR / "tmux-3.3a-list-keys-N.txt"

pytestmark = pytest.mark.skipif(not LIST_KEYS.exists(), reason="tmux reference tables not present")

MOUSE_CONDITION = "#{||:#{pane_in_mode},#{mouse_any_flag}}"
"""tmux.toml's header: bindings under this if-shell keep only the second branch."""


@dataclass(frozen=True)
class ReferenceBinding:
    table: str
    key: str
    raw_key: str
    repeat: bool
    commands: tuple[Command, ...]


def _normalise(words_per_command: list[list[str]]) -> tuple[Command, ...]:
    commands: list[Command] = []
    for words in words_per_command:
        if words[:3] == ["if-shell", "-F", MOUSE_CONDITION]:
            commands.extend(_normalise(split_commands(split_words(words[4]))))
        else:
            commands.append(Command.from_words(words))
    return tuple(commands)


def parse_list_keys_line(line: str) -> ReferenceBinding:
    words = split_words(line)
    assert words[0] == "bind-key"
    repeat = words[1] == "-r"
    index = 2 if repeat else 1
    assert words[index] == "-T"
    raw_key = line.split()[index + 2]
    return ReferenceBinding(
        table=words[index + 1],
        key=canonical_key(words[index + 2]),
        raw_key=raw_key,
        repeat=repeat,
        commands=_normalise(split_commands(words[index + 3 :])),
    )


def reference_bindings() -> list[ReferenceBinding]:
    lines = LIST_KEYS.read_text().splitlines()
    return [parse_list_keys_line(line) for line in lines if line.strip()]


def reference_notes() -> dict[str, str]:
    notes = {}
    for line in LIST_KEYS_NOTES.read_text().splitlines():
        prefix, key, note = line.split(None, 2)
        assert prefix == "C-b"
        notes[canonical_key(key)] = note
    return notes


def documented_left_outs() -> dict[tuple[str, str], str]:
    """(table, key) -> reason, from the comment block at the top of tmux.toml."""
    header = []
    for line in DEFAULT_KEYMAP_FILE.read_text().splitlines():
        if not line.startswith("#"):
            break
        header.append(line)
    start = next(i for i, line in enumerate(header) if line.startswith("# Left out"))
    left_outs = {}
    for line in header[start + 1 :]:
        match = re.match(r"^#\s+(prefix|root|copy-mode|copy-mode-vi)\s+(\S+)\s+(.+)$", line)
        if match is None:
            break
        left_outs[(match[1], canonical_key(match[2]))] = match[3]
    return left_outs


def test_reference_parses_to_255_bindings_in_four_tables() -> None:
    bindings = reference_bindings()
    assert len(bindings) == 255
    counts = {
        table: sum(b.table == table for b in bindings) for table in {b.table for b in bindings}
    }
    assert counts == {"prefix": 85, "root": 14, "copy-mode": 72, "copy-mode-vi": 84}


def test_every_reference_binding_is_reproduced_or_documented_as_left_out() -> None:
    keymap = load_keymap()
    left_outs = documented_left_outs()
    missing = []
    for reference in reference_bindings():
        ours = keymap.tables[reference.table].get(reference.key)
        if (reference.table, reference.key) in left_outs:
            assert ours is None, f"{reference.table} {reference.key} is documented as left out"
            continue
        if ours is None:
            missing.append(f"{reference.table} {reference.key}")
            continue
        assert ours.commands == reference.commands, f"{reference.table} {reference.key}"
        assert ours.repeat == reference.repeat, f"{reference.table} {reference.key}"
    assert missing == []


def test_left_outs_are_real_reference_bindings_each_with_a_reason() -> None:
    reference_keys = {(b.table, b.key) for b in reference_bindings()}
    left_outs = documented_left_outs()
    assert left_outs, "tmux.toml documents its left-out bindings"
    for (table, key), reason in left_outs.items():
        assert (table, key) in reference_keys
        command, _, why = reason.partition(": ")
        assert command and len(why) > 10, f"{table} {key} needs a reason"


def test_brief_essentials_are_bound_in_the_prefix_table() -> None:
    keymap = load_keymap()
    essential = [
        "%", '"', "Up", "Down", "Left", "Right", "o", ";", "q", "C-Up", "M-Up", "z", "x", "!",
        "{", "}", "C-o", "M-o", "Space", "M-1", "M-5", "c", "n", "p", "l", "0", "9", "'", "w",
        ",", "$", "&", "s", "d", "[", "PPage", "]", ":", "?", "C-b", ".", "f", "#", "=", "-",
        "m", "M",
    ]  # fmt: skip
    assert [key for key in essential if keymap.lookup("prefix", key) is None] == []


def test_additions_use_only_keys_tmux_leaves_unbound() -> None:
    keymap = load_keymap()
    reference_keys = {(b.table, b.key) for b in reference_bindings()}
    additions = [
        binding
        for table in keymap.tables.values()
        for binding in table.values()
        if (binding.table, binding.key) not in reference_keys
    ]
    assert {(b.table, b.key) for b in additions} == {
        ("prefix", "A"),
        ("prefix", "P"),
        ("prefix", "B"),
        ("prefix", "S"),
    }
    assert {b.action for b in additions} == {"toggle-panel"}
    assert sorted(b.args for b in additions) == [(), ("bus",), ("context",), ("parsed",)]
    assert all(b.note for b in additions)


def test_prefix_notes_match_tmux_list_keys_n() -> None:
    keymap = load_keymap()
    left_outs = documented_left_outs()
    for key, note in reference_notes().items():
        if ("prefix", key) in left_outs:
            continue
        assert keymap.tables["prefix"][key].note == note


def test_notes_output_is_formatted_like_list_keys_n() -> None:
    keymap = load_keymap()
    left_outs = documented_left_outs()
    expected = [
        line.split(None, 2)
        for line in LIST_KEYS_NOTES.read_text().splitlines()
        if ("prefix", canonical_key(line.split()[1])) not in left_outs
    ]
    ours = [line.split(None, 2) for line in keymap.notes()]
    reference_keys = {key for _, key, _ in expected}
    assert [entry for entry in ours if entry[1] in reference_keys] == expected
    widths = {len(line) - len(line.split(None, 2)[2]) for line in keymap.notes()}
    assert len(widths) == 1, "the key column is padded to one width"


def test_list_keys_lines_read_back_as_the_reference_lines() -> None:
    keymap = load_keymap()
    reference = {(b.table, b.key): b for b in reference_bindings()}
    lines = keymap.list_keys()
    assert len(lines) == sum(len(table) for table in keymap.tables.values())
    compared = 0
    for line in lines:
        ours = parse_list_keys_line(line)
        expected = reference.get((ours.table, ours.key))
        if expected is None:
            continue
        assert ours.raw_key == expected.raw_key, line
        assert ours.commands == expected.commands, line
        assert ours.repeat == expected.repeat, line
        compared += 1
    assert compared == len(reference) - len(documented_left_outs())


def test_list_keys_uses_tmux_columns() -> None:
    keymap = load_keymap()
    lines = keymap.list_keys("prefix")
    assert lines[0].startswith("bind-key    -T prefix ")
    assert any(line.startswith("bind-key -r -T prefix ") for line in lines)
    split_line = next(line for line in lines if line.split()[3] == "\\%")
    assert split_line.split(None, 4)[4] == "split-window -h"
    command_columns = {
        len(line) - len(line.split(None, 4 if line.startswith("bind-key -r") else 3)[-1])
        for line in lines
    }
    assert len(command_columns) == 1


def test_every_default_action_is_registered_and_registry_is_consistent() -> None:
    keymap = load_keymap()
    used = {
        c.action for table in keymap.tables.values() for b in table.values() for c in b.commands
    }
    assert used <= set(ACTIONS)
    for action_id, action in ACTIONS.items():
        assert action.id == action_id
        assert action.description and action.description[0].isupper()


def test_copy_mode_actions_render_as_send_keys_x() -> None:
    keymap = load_keymap()
    vi_up = keymap.lookup("copy-mode-vi", "k")
    assert vi_up is not None and vi_up.action == "copy-mode:cursor-up"
    assert vi_up.command_line() == "send-keys -X cursor-up"
    wheel = keymap.lookup("copy-mode", "WheelUpPane")
    assert wheel is not None
    assert wheel.command_line() == "select-pane \\; send-keys -X -N 5 scroll-up"
    star = keymap.lookup("copy-mode-vi", "*")
    assert star is not None
    assert star.command_line() == 'send-keys -FX search-forward "#{copy_cursor_word}"'
