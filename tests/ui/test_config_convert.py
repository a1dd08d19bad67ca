"""The one-shot conversion of an old ``config.toml`` into tmux's language: each setting
becomes a ``set-option -g`` line (ai-session's side-panel settings user options) in
``config.conf``, which ``ai-session.conf`` sources; the old file is renamed; a bad value or
unknown key is left out and reported; a file that is not valid TOML is left alone and
reported. A converted file takes effect in a live server, and the side panel follows the
``@side-panel-*`` options at run time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aisession_tui.config_convert import migrate_user_config
from aisession_tui.keymaps import parse_command_line

OLD = """prefix = "C-a"
mode-keys = "vi"
status-position = "top"
history_limit = 5000
mouse = false
status-right = "#H \\"%H:%M\\""
repeat-time = 300
side-panel-width = "30%"
side-panel-min = 25
side-panel-max = 70
history-limit-typo = 1
"""


def test_every_setting_becomes_a_set_option_line(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text(OLD)
    migration = migrate_user_config(tmp_path)
    converted = tmp_path / "config.conf"
    assert migration.source == converted
    lines = [line for line in converted.read_text().splitlines() if not line.startswith("#")]
    assert [words for line in lines for words in parse_command_line(line)] == [
        ["set-option", "-g", "prefix", "C-a"], ["set-option", "-g", "mode-keys", "vi"],
        ["set-option", "-g", "status-position", "top"],
        ["set-option", "-g", "history-limit", "5000"], ["set-option", "-g", "mouse", "off"],
        ["set-option", "-g", "status-right", '#H "%H:%M"'],
        ["set-option", "-g", "repeat-time", "300"],
        ["set-option", "-g", "@side-panel-width", "30%"],
        ["set-option", "-g", "@side-panel-min", "25"],
        ["set-option", "-g", "@side-panel-max", "70"]]
    assert f"source-file -q {converted}" in (tmp_path / "ai-session.conf").read_text()
    assert not (tmp_path / "config.toml").exists()
    assert (tmp_path / "config.toml.converted").exists()
    assert any("history-limit-typo" in message for message in migration.messages)
    assert migrate_user_config(tmp_path).source is None  # once only


def test_bad_values_are_reported_and_left_out(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('mouse = "maybe"\nprefix = "C-a"\n')
    migration = migrate_user_config(tmp_path)
    assert (tmp_path / "config.conf").read_text().splitlines()[1:] == [
        "set-option -g prefix C-a"]
    assert any("mouse" in message for message in migration.messages)


def test_invalid_toml_is_left_alone_and_reported(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("prefix = \n")
    migration = migrate_user_config(tmp_path)
    assert migration.source is None
    assert (tmp_path / "config.toml").exists()
    assert not (tmp_path / "config.conf").exists()
    assert any("invalid TOML" in message for message in migration.messages)


def test_a_converted_file_takes_effect_in_the_server(server: Any, tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text(OLD)
    migration = migrate_user_config(tmp_path)
    server.ok("new-session", "-d", "-s", "c")
    server.ok("source-file", str(migration.source))
    assert server.ok("show-options", "-gv", "prefix") == "C-a\n"
    assert server.ok("show-options", "-gv", "@side-panel-width") == "30%\n"


def test_side_panel_follows_its_user_options_live(server: Any) -> None:
    import asyncio

    from app_harness import make_app, wait_for, wait_text

    server.ok("new-session", "-d", "-s", "main")

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(120, 30)) as pilot:
            await wait_for(lambda: app.attached.is_set(), "attach")
            await wait_text(app, "$")
            await pilot.press("ctrl+b", "A")
            await wait_for(lambda: app.side_panel.display, "the panel")
            await asyncio.to_thread(server.ok, "set-option", "-g", "@side-panel-width", "50%")
            await wait_for(lambda: app.panel_width() == 60, "half of 120 columns")
            await wait_for(lambda: app.side_panel.outer_size.width == 60, "the panel redrawn")
            await asyncio.to_thread(server.ok, "set-option", "-g", "@side-panel-max", "45")
            await wait_for(lambda: app.panel_width() == 45, "kept under its maximum")
            await asyncio.to_thread(server.ok, "set-option", "-g", "@side-panel-width", "bad")
            await pilot.pause()
            assert app.panel_width() == 45  # an invalid width leaves the setting as it was

    asyncio.run(scenario())
