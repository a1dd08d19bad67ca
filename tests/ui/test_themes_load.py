"""Themes are tmux config files: the shipped ones parse in ai-session's and tmux's config
language, the CSS variables come from the style options (palette colours stay ANSI), old
TOML themes convert once to the same language, and old settings get a clear notice."""

from __future__ import annotations

import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.color import Color
from textual.widgets import Static

from aisession_tui.server.styles import is_valid_style
from aisession_tui.themes import (
    BASE_THEME,
    DEFAULT_OPTION_STYLES,
    ThemeConversionError,
    builtin_theme_path,
    builtin_themes,
    convert_toml_theme,
    css_variables,
    legacy_theme_notice,
)

OLD_DARK = (
    'name = "dark"\ndark = true\nprimary = "#5fafff"\nbackground = "#1b1d23"\n'
    'status-bg = "#2c3039"\nstatus-fg = "#d7dae0"\nstatus-current-bg = "#5fafff"\n'
    'status-current-fg = "#1b1d23"\npane-border = "#4a5060"\npane-active-border = "#5fafff"\n'
    'message-bg = "#ffd75f"\nmessage-fg = "#1b1d23"\ncopy-mode-selection-bg = "#3d5a80"\n'
    'copy-mode-selection-fg = "#ffffff"\npanel-bg = "#23262e"\n'
)


def _set_lines(path: Path) -> list[tuple[str, str]]:
    """(option, value) of each ``set -g option "value"`` line."""
    pairs = []
    for line in path.read_text().splitlines():
        if line.startswith("set -g "):
            option, value = line.removeprefix("set -g ").split(" ", 1)
            pairs.append((option, value.strip('"')))
    return pairs


def test_builtin_themes_are_files_of_valid_style_options() -> None:
    themes = builtin_themes()
    assert set(themes) == {"dark", "light"}
    assert builtin_theme_path("dark") == themes["dark"] and builtin_theme_path("x") is None
    for path in themes.values():
        pairs = _set_lines(path)
        assert pairs, path
        for option, value in pairs:
            assert option.endswith("-style") and is_valid_style(value), (option, value)


def test_default_variables_are_tmux_defaults_in_the_terminal_palette() -> None:
    variables = css_variables()
    assert variables["status-bg"] == "ansi_green" and variables["status-fg"] == "ansi_black"
    assert variables["message-bg"] == "ansi_yellow"
    assert variables["copy-mode-selection-bg"] == "ansi_yellow"
    assert variables["pane-active-border"] == "ansi_green"
    assert variables["pane-border"] == str(BASE_THEME.foreground)  # fg=default
    for value in variables.values():
        Color.parse(value)


def test_variables_follow_the_options() -> None:
    variables = css_variables({"status-style": "bg=colour236,fg=brightred",
                               "message-style": "fg=#102030", "mode-style": "bogus=1",
                               "pane-border-style": "fg=colour3"})
    assert variables["status-bg"] == "#303030" and variables["status-fg"] == "ansi_bright_red"
    assert variables["message-fg"] == "#102030"
    assert variables["message-bg"] == str(BASE_THEME.background)  # bg=default
    assert variables["copy-mode-selection-bg"] == "ansi_yellow"  # bad style: tmux's default
    assert variables["pane-border"] == "ansi_yellow"  # colour3 is palette entry 3


class StatusApp(App[None]):
    """A status line styled only through the CSS variables."""

    CSS = "#status { background: $status-bg; color: $status-fg; }"
    options: dict[str, str] = {}

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return css_variables()

    def get_css_variables(self) -> dict[str, str]:
        return {**super().get_css_variables(), **css_variables(self.options)}

    def compose(self) -> ComposeResult:
        yield Static("0:bash*", id="status")


async def test_css_variables_resolve_and_follow_the_options() -> None:
    app = StatusApp()
    async with app.run_test() as pilot:
        status = app.query_one("#status")
        assert status.styles.background.ansi == 2  # ansi_green: the terminal's green
        app.options = {"status-style": "bg=#123456"}
        app.refresh_css(animate=False)
        await pilot.pause()
        assert status.styles.background == Color.parse("#123456")


def test_old_toml_theme_converts_to_style_options(tmp_path: Path) -> None:
    old = tmp_path / "dark.toml"
    old.write_text(OLD_DARK)
    text = convert_toml_theme(old)
    converted = tmp_path / "dark.conf"
    converted.write_text(text)
    pairs = dict(_set_lines(converted))
    assert pairs["status-style"] == "bg=#2c3039,fg=#d7dae0"
    assert pairs["window-status-current-style"] == "bg=#5fafff,fg=#1b1d23"
    assert pairs["message-style"] == pairs["message-command-style"] == "bg=#ffd75f,fg=#1b1d23"
    assert pairs["mode-style"] == "bg=#3d5a80,fg=#ffffff"
    assert pairs["pane-border-style"] == "fg=#4a5060"
    assert pairs["pane-active-border-style"] == "fg=#5fafff"
    assert all(is_valid_style(value) for value in pairs.values())
    assert "Not converted" in text and "panel-bg" in text and "primary" in text


def test_conversion_errors_name_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("name = \n")
    with pytest.raises(ThemeConversionError, match="broken.toml: invalid TOML"):
        convert_toml_theme(broken)
    bad = tmp_path / "bad.toml"
    bad.write_text('status-bg = "not-a-colour"\n')
    with pytest.raises(ThemeConversionError, match="'not-a-colour' is not a colour"):
        convert_toml_theme(bad)
    extra = tmp_path / "extra.toml"
    extra.write_text('status-colour = "red"\n')
    with pytest.raises(ThemeConversionError, match="unknown key"):
        convert_toml_theme(extra)


def test_conversion_command_prints_the_conf(tmp_path: Path) -> None:
    old = tmp_path / "mine.toml"
    old.write_text(OLD_DARK)
    done = subprocess.run([sys.executable, "-m", "aisession_tui.themes", str(old)],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0 and done.stdout == convert_toml_theme(old)
    missing = subprocess.run([sys.executable, "-m", "aisession_tui.themes",
                              str(tmp_path / "nope.toml")],
                             capture_output=True, text=True, timeout=60, check=False)
    assert missing.returncode == 1 and "nope.toml: cannot read" in missing.stderr
    assert missing.stdout == ""


def test_legacy_settings_get_one_clear_notice(tmp_path: Path) -> None:
    themes_dir = tmp_path / "themes"
    assert legacy_theme_notice(None, themes_dir) is None
    assert legacy_theme_notice("tmux", themes_dir) is None  # the old default: nothing to do
    notice = legacy_theme_notice("dark", themes_dir)
    assert notice is not None and f"source-file {builtin_theme_path('dark')}" in notice
    unknown = legacy_theme_notice("solar", themes_dir)
    assert unknown is not None and "'solar' is not built in" in unknown
    themes_dir.mkdir()
    (themes_dir / "solar.toml").write_text(OLD_DARK)
    files = legacy_theme_notice(None, themes_dir)
    assert files is not None and "python -m aisession_tui.themes" in files
    assert str(themes_dir / "solar.conf") in files


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
@pytest.mark.parametrize("name", ["dark", "light"])
def test_tmux_reads_the_builtin_theme_as_ai_session_does(name: str, tmp_path: Path) -> None:
    """tmux 3.3a sources the file without errors and shows the same option values."""
    path = builtin_themes()[name]
    socket = f"theme-{uuid.uuid4().hex[:8]}"
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "TERM": "xterm-256color"}
    tmux = ["tmux", "-L", socket, "-f", "/dev/null"]
    try:
        subprocess.run([*tmux, "new-session", "-d", "-x", "80", "-y", "24"], env=env,
                       check=True, timeout=30)
        sourced = subprocess.run([*tmux, "source-file", str(path)], env=env,
                                 capture_output=True, text=True, timeout=30, check=False)
        assert sourced.returncode == 0, sourced.stderr
        for option, value in _set_lines(path):
            shown = subprocess.run([*tmux, "show", "-gv", option], env=env,
                                   capture_output=True, text=True, timeout=30, check=True)
            assert shown.stdout.strip() == value
    finally:
        subprocess.run([*tmux, "kill-server"], env=env, capture_output=True, timeout=30,
                       check=False)
    assert DEFAULT_OPTION_STYLES["status-style"] == "bg=green,fg=black"
