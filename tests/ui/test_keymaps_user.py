"""The user's keymap.toml: overrides, unbinding, prefix change, errors and fallback."""

from __future__ import annotations

from pathlib import Path

import pytest

from aisession_tui.keymaps import (
    Command,
    KeymapError,
    default_keymap_path,
    default_mode_keys,
    load_keymap,
    load_keymap_or_default,
)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "keymap.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_user_file(tmp_path: Path) -> None:
    keymap = load_keymap(tmp_path / "missing.toml")
    assert keymap.prefix == "C-b"
    binding = keymap.lookup("prefix", "%")
    assert binding is not None
    assert (binding.action, binding.args, binding.note) == (
        "split-window",
        ("-h",),
        "Split window horizontally",
    )
    kill = keymap.lookup("prefix", "x")
    assert kill is not None and kill.action == "confirm-before" and kill.args[-1] == "kill-pane"
    assert keymap.lookup("prefix", "PageUp") is keymap.lookup("prefix", "PPage")
    assert keymap.lookup("prefix", "not a key") is None
    assert keymap.keys_for("toggle-panel") == ["A", "P", "B", "S"]


def test_user_bindings_override_add_and_unbind(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[prefix]
"|" = "split-window -h"
"%" = { action = "split-window", args = ["-h", "-c", "#{pane_current_path}"], note = "Split here" }
"&" = "none"
"M-Up" = { action = "resize-pane", args = ["-U", "10"], repeat = true }

[root]
"M-Left" = "select-pane -L"

[copy-mode-vi]
"v" = { action = "copy-mode:begin-selection" }
"y" = { commands = [["copy-mode:copy-selection"], ["copy-mode:cancel"]] }
"Y" = "send-keys -X copy-line \\\\; send-keys -X cancel"
""",
    )
    keymap = load_keymap(path)
    bar = keymap.lookup("prefix", "|")
    assert bar is not None and bar.commands == (Command("split-window", ("-h",)),)
    assert bar.note is None and bar.description == "Split the pane"
    percent = keymap.lookup("prefix", "%")
    assert percent is not None and percent.args == ("-h", "-c", "#{pane_current_path}")
    assert percent.note == "Split here"
    assert keymap.lookup("prefix", "&") is None
    resize = keymap.lookup("prefix", "M-Up")
    assert resize is not None and resize.repeat and resize.args == ("-U", "10")
    assert keymap.lookup("root", "M-Left") is not None
    vi_v = keymap.lookup("copy-mode-vi", "v")
    assert vi_v is not None and vi_v.action == "copy-mode:begin-selection"
    vi_y = keymap.lookup("copy-mode-vi", "y")
    assert vi_y is not None
    assert [c.action for c in vi_y.commands] == ["copy-mode:copy-selection", "copy-mode:cancel"]
    vi_big_y = keymap.lookup("copy-mode-vi", "Y")
    assert vi_big_y is not None
    assert [c.action for c in vi_big_y.commands] == ["copy-mode:copy-line", "copy-mode:cancel"]
    # Untouched defaults stay, in their place; additions go at the end.
    keys = list(keymap.tables["prefix"])
    assert keys[0] == "C-b" and keys[-1] == "|"
    assert any(
        line.endswith("split-window -h") and " | " in line for line in keymap.list_keys("prefix")
    )


def test_prefix_change_rebinds_send_prefix(tmp_path: Path) -> None:
    path = write(tmp_path, '[options]\nprefix = "C-a"\n')
    keymap = load_keymap(path)
    assert keymap.prefix == "C-a"
    send = keymap.lookup("prefix", "C-a")
    assert send is not None and send.action == "send-prefix"
    assert keymap.lookup("prefix", "C-b") is None
    assert next(iter(keymap.tables["prefix"])) == "C-a"
    assert keymap.notes()[0].split() == ["C-a", "C-a", "Send", "the", "prefix", "key"]
    assert all(line.startswith("C-a ") for line in keymap.notes())


def test_prefix_argument_applies_when_file_sets_none(tmp_path: Path) -> None:
    keymap = load_keymap(None, prefix="c-x")
    assert keymap.prefix == "C-x"
    assert keymap.lookup("prefix", "C-x") is not None
    from_file = load_keymap(write(tmp_path, '[options]\nprefix = "C-a"\n'), prefix="C-x")
    assert from_file.prefix == "C-a"


def test_prefix_change_keeps_keys_the_user_bound(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[options]\nprefix = "C-a"\n[prefix]\n"C-a" = "last-window"\n"C-b" = "send-prefix"\n',
    )
    keymap = load_keymap(path)
    last = keymap.lookup("prefix", "C-a")
    assert last is not None and last.action == "last-window"
    kept = keymap.lookup("prefix", "C-b")
    assert kept is not None and kept.action == "send-prefix"


def test_prefix_replaces_a_default_binding_on_that_key() -> None:
    keymap = load_keymap(None, prefix="C-o")
    rotate = keymap.lookup("prefix", "C-o")
    assert rotate is not None and rotate.action == "send-prefix"
    assert keymap.keys_for("send-prefix") == ["C-o"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '[prefix]\n"x" = "frobnicate-pane"\n',
            ["[prefix]", "'x'", "unknown action 'frobnicate-pane'"],
        ),
        ('[copy-mode]\n"k" = "copy-mode:fly"\n', ["[copy-mode]", "'k'", "copy-mode:fly"]),
        ('[prefix]\n"NotAKey" = "new-window"\n', ["[prefix]", "'NotAKey'", "unknown key"]),
        ("[prefix\n", ["invalid TOML"]),
        ('[modal]\n"x" = "new-window"\n', ["unknown table [modal]"]),
        ('[prefix]\n"x" = 3\n', ["[prefix]", "'x'", "binding is"]),
        ('[prefix]\n"x" = { action = "new-window", args = "-d" }\n', ["args must be a list"]),
        (
            '[prefix]\n"x" = { action = "new-window", colour = "red" }\n',
            ["unknown field(s) colour"],
        ),
        ('[prefix]\n"x" = { args = ["-d"] }\n', ["exactly one of 'action' or 'commands'"]),
        ('[prefix]\n"x" = { action = "kill-server", args = ["-a"] }\n', ["takes no arguments"]),
        (
            '[prefix]\n"x" = { action = "copy-mode:cursor-up", args = ["far"] }\n',
            ["takes no arguments"],
        ),
        ('[prefix]\n"x" = "toggle-panel sidebar"\n', ["toggle-panel takes one of"]),
        ('[prefix]\n"x" = "display-message \\"unterminated"\n', ["unterminated"]),
        ('[prefix]\n"x" = ""\n', ["no command given"]),
        ('[options]\nprefix = "C-Nope"\n', ["[options] prefix", "unknown key"]),
        ("[options]\nescape-time = 0\n", ["unknown option(s) escape-time"]),
    ],
)
def test_broken_user_file_raises_a_clear_error(
    tmp_path: Path, text: str, expected: list[str]
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(KeymapError) as raised:
        load_keymap(path)
    message = str(raised.value)
    assert message.startswith(str(path))
    for fragment in expected:
        assert fragment in message


def test_copy_mode_modifiers_are_allowed_on_argumentless_copy_commands(tmp_path: Path) -> None:
    path = write(
        tmp_path, '[copy-mode]\n"J" = { action = "copy-mode:scroll-down", args = ["-N", "3"] }\n'
    )
    binding = load_keymap(path).lookup("copy-mode", "J")
    assert binding is not None and binding.command_line() == "send-keys -X -N 3 scroll-down"


def test_load_or_default_falls_back_with_the_message(tmp_path: Path) -> None:
    path = write(tmp_path, '[prefix]\n"x" = "frobnicate-pane"\n')
    keymap, message = load_keymap_or_default(path, prefix="C-a")
    assert message is not None and "frobnicate-pane" in message and str(path) in message
    assert "default key bindings" in message
    assert keymap.prefix == "C-a"
    default_x = keymap.lookup("prefix", "x")
    assert default_x is not None and default_x.action == "confirm-before"

    keymap, message = load_keymap_or_default(None, prefix="Hyper-q")
    assert message is not None and "Hyper-q" in message
    assert keymap.prefix == "C-b"

    keymap, message = load_keymap_or_default(write(tmp_path, '[prefix]\n"|" = "split-window -h"\n'))
    assert message is None and keymap.lookup("prefix", "|") is not None


def test_default_keymap_path_respects_xdg(tmp_path: Path) -> None:
    assert (
        default_keymap_path({"XDG_CONFIG_HOME": str(tmp_path)})
        == tmp_path / "ai-session" / "keymap.toml"
    )
    assert default_keymap_path({}) == Path.home() / ".config" / "ai-session" / "keymap.toml"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "emacs"),
        ({"EDITOR": "vim"}, "vi"),
        ({"EDITOR": "/usr/bin/nvim"}, "vi"),
        ({"EDITOR": "nano"}, "emacs"),
        ({"VISUAL": "emacs", "EDITOR": "vim"}, "emacs"),
        ({"VISUAL": "vi"}, "vi"),
        ({"EDITOR": "/home/vivian/bin/nano"}, "emacs"),
    ],
)
def test_default_mode_keys_follows_visual_then_editor(env: dict[str, str], expected: str) -> None:
    assert default_mode_keys(env) == expected
