"""The one argv parser every front end uses: tmux getopt rules and seed long options."""

from __future__ import annotations

import pytest

from aisession_tui.server.commands import UnknownCommand, all_specs, commands, find
from aisession_tui.server.commands.spec import UsageError, parse_args


def test_values_attached_or_separate_and_grouped_flags():
    args = parse_args(find("new-session"), ["-dP", "-sdev", "-x", "80", "-F#{pane_id}", "vim"])
    assert args.flags == {"d": True, "P": True, "s": "dev", "x": "80", "F": "#{pane_id}"}
    assert args.positional == ["vim"]


def test_options_stop_at_first_positional_like_tmux():
    args = parse_args(find("send-keys"), ["-t", "x", "ls", "-l", "Enter"])
    assert args.positional == ["ls", "-l", "Enter"] and "l" not in args.flags


def test_double_dash_ends_options_and_repeatable_flags_collect():
    args = parse_args(find("new-session"), ["-e", "A=1", "-eB=2", "--", "-x"])
    assert args.all("e") == ["A=1", "B=2"] and args.positional == ["-x"]


def test_seed_verbs_take_long_options_anywhere():
    args = parse_args(find("exec"), ["dev", "pytest -q", "--json", "--timeout=5"])
    assert args.positional == ["dev", "pytest -q"]
    assert args.flags == {"json": True, "timeout": "5"}
    with pytest.raises(UsageError, match="unknown option --nope"):
        parse_args(find("exec"), ["dev", "x", "--nope"])


@pytest.mark.parametrize("argv, message", [
    (["-Q"], "command has-session: unknown flag -Q"),
    (["-t"], "command has-session: -t expects an argument"),
    (["a"], "command has-session: too many arguments (need at most 0)"),
])
def test_errors_carry_tmux_wording_and_only_our_verbs_add_usage(argv, message):
    with pytest.raises(UsageError) as info:
        parse_args(find("has-session"), argv)
    assert info.value.message == message
    assert str(info.value) == message  # as tmux 3.3a prints it
    with pytest.raises(UsageError) as ours:
        parse_args(find("exec"), ["--nosuch"])
    assert str(ours.value).endswith("usage: exec " + find("exec").usage)


def test_aliases_and_unique_prefixes_resolve():
    assert find("ls").name == "list-sessions"
    assert find("splitw").name == "split-window"
    assert find("list-s").name == "list-sessions"
    with pytest.raises(UnknownCommand, match="ambiguous command: list"):
        find("list-")
    with pytest.raises(UnknownCommand, match="unknown command: frobnicate"):
        find("frobnicate")


def test_every_command_module_is_registered_once_with_usage():
    names = [spec.name for spec in all_specs()]
    assert len(names) == len(set(names))
    for spec in all_specs():
        assert spec.usage_line.startswith(spec.name)
        assert spec.summary
    for required in ("new-session", "has-session", "list-sessions", "kill-session",
                     "kill-server", "new-window", "split-window", "select-pane",
                     "select-window", "list-windows", "list-panes", "send-keys",
                     "capture-pane", "display-message", "resize-pane", "select-layout",
                     "kill-pane", "kill-window", "rename-session", "rename-window",
                     "respawn-pane", "wait-for", "create", "list", "exec", "kill", "cleanup"):
        assert required in commands()


def test_target_kinds_name_flags_the_command_has() -> None:
    from aisession_tui.server.commands.spec import CLIENT, NONE, PANE, SESSION, WINDOW

    kinds = (NONE, PANE, WINDOW, SESSION, CLIENT)
    declared = 0
    for spec in all_specs():
        assert spec.target in kinds and spec.source in kinds, spec.name
        flags = spec._flag_table()
        if spec.target != NONE:
            assert flags.get("t") is True, f"{spec.name}: target kind without -t value"
            declared += 1
        if spec.source != NONE:
            assert flags.get("s") is True, f"{spec.name}: source kind without -s value"
    assert declared >= 25
