"""customize-mode's pieces that follow tmux 3.3a's window-customize.c without a server:
the order of a group's options, which layer a value comes from, the line text, the scope
an edit key sets, the commands ``d`` and ``u`` run, and a key's preview."""

from __future__ import annotations

from aisession_tui.client.customize import (
    GLOBAL_SESSION,
    GLOBAL_WINDOW,
    PANE,
    SERVER,
    SESSION,
    WINDOW,
    Entry,
    Place,
    key_preview,
    option_entry,
    option_names,
    option_text,
    option_values,
    reset_commands,
    target_scope,
    unset_command,
)

PLACE = Place(3, "p", "0", "1")


def test_show_options_lines_become_values() -> None:
    values = option_values('escape-time 500\ncommand-alias[0] "a=b c"\ncopy-command ""\n')
    assert values == {"escape-time": "500", "command-alias[0]": "a=b c", "copy-command": ""}


def test_user_options_come_first_then_names_in_order() -> None:
    layers = [(GLOBAL_WINDOW, {"mode-keys": "emacs", "@b": "1", "aggressive-resize": "off"}),
              (WINDOW, {"@a": "2"}), (PANE, {})]
    assert option_names(layers) == ["@b", "@a", "aggressive-resize", "mode-keys"]


def test_the_narrowest_layer_gives_the_value_and_the_scope_shows() -> None:
    layers = [(GLOBAL_WINDOW, {"mode-keys": "emacs"}), (WINDOW, {"mode-keys": "vi"}),
              (PANE, {})]
    entry = option_entry("mode-keys", layers)
    assert (entry.scope, entry.value, entry.global_value) == (WINDOW, "vi", "emacs")
    assert option_text(entry, PLACE) == "#[reverse](window 0)#[default] vi"
    assert option_text(Entry("escape-time", SERVER, "500"), PLACE) == "500 milliseconds"


def test_edit_keys_pick_tmux_s_scopes() -> None:
    assert target_scope(GLOBAL_SESSION, False, True) == SESSION      # Enter on a global one
    assert target_scope(GLOBAL_WINDOW, False, True) == PANE
    assert target_scope(GLOBAL_WINDOW, False, False) == WINDOW       # w
    assert target_scope(PANE, True, False) == GLOBAL_WINDOW          # S / W
    assert target_scope(SERVER, False, True) == SERVER


def test_reset_unsets_every_scope_up_and_unset_only_its_own() -> None:
    entry = Entry("mode-keys", PANE, "vi")
    assert reset_commands(entry, PLACE) == [
        ["set-option", "-u", "-p", "-t", "%3", "mode-keys"],
        ["set-option", "-u", "-w", "-t", "%3", "mode-keys"],
        ["set-option", "-u", "-gw", "mode-keys"]]
    item = Entry("command-alias", SERVER, "x", index=2, array=True)
    assert unset_command(item, PLACE) == ["set-option", "-u", "-s", "command-alias[2]"]


def test_a_key_s_preview() -> None:
    entry = Entry(table="prefix", key="C-b", command="send-prefix", note="Send the prefix key")
    assert key_preview(entry) == ["Send the prefix key.", "", "This key is in the prefix table.",
                                  "This key does not repeat.", "", "Command: send-prefix"]


def test_preview_lines_wrap_as_screen_write_text() -> None:
    from aisession_tui.widgets.tree_preview import wrap_line

    assert wrap_line("This is a window and pane option.", 10) == [
        "This is a", "window and", "pane", "option."]
    assert wrap_line("averyveryverylongword x", 10) == ["averyveryv", "erylongwor", "d x"]
    assert wrap_line("fits", 10) == ["fits"]


def test_a_style_option_s_sample_is_drawn_in_its_style() -> None:
    from aisession_tui.widgets.tmux_styles import parse_or_default
    from aisession_tui.widgets.tree_preview import PreviewContent, preview_cells

    style = parse_or_default("bg=yellow,fg=black")
    content = PreviewContent("message-style", text=["This is a style option: ", ""],
                             wrap=True, samples={0: ("EXAMPLE", style)})
    row = preview_cells(content, 40, 6)[1]
    assert "".join(char for char, _ in row[2:33]) == "This is a style option: EXAMPLE"
    assert {cell_style for _, cell_style in row[26:33]} == {style}
    assert row[25][1] != style


def test_d_on_a_key_binds_tmux_s_default_again() -> None:
    from aisession_tui.client.customize import reset_key_commands

    changed = Entry(table="prefix", key="C-b", command="last-window", repeat=True)
    assert reset_key_commands(changed) == ("bind-key -N 'Send the prefix key' -T prefix C-b "
                                           "send-prefix")
    assert key_preview(changed)[-1] == "The default is: send-prefix"
    assert reset_key_commands(Entry(table="prefix", key="C-b", command="send-prefix",
                                    note="mine")) is None
    assert reset_key_commands(Entry(table="prefix", key="F12", command="x")) == [
        ["unbind-key", "-T", "prefix", "F12"]]
