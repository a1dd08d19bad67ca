"""Themes: built-ins load and convert to Textual themes; user themes; broken files fall back."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.color import Color
from textual.theme import Theme
from textual.widgets import Static

from aisession_tui.themes import (
    DEFAULT_THEME,
    MULTIPLEXER_COLOURS,
    load_themes,
    resolve_theme,
    theme_variable_defaults,
    to_textual_theme,
)


def test_builtin_themes_load_with_every_multiplexer_colour() -> None:
    themes, notices = load_themes(None)
    assert notices == []
    assert {"tmux", "dark", "light"} <= set(themes)
    for spec in themes.values():
        assert set(spec.multiplexer_colours) == set(MULTIPLEXER_COLOURS)
        for colour in (*spec.app_colours.values(), *spec.multiplexer_colours.values()):
            Color.parse(colour)
    assert themes["light"].dark is False and themes["dark"].dark is True


def test_default_theme_looks_like_tmux() -> None:
    tmux = load_themes(None)[0][DEFAULT_THEME]
    status_bg = Color.parse(tmux.multiplexer_colours["status-bg"])
    status_fg = Color.parse(tmux.multiplexer_colours["status-fg"])
    assert status_bg.g > 150 and status_bg.r < 50 and status_bg.b < 50, "green status line"
    assert status_fg == Color(0, 0, 0), "black status text"
    assert tmux.multiplexer_colours["pane-active-border"] == tmux.multiplexer_colours["status-bg"]


def test_conversion_to_textual_theme_carries_css_variables() -> None:
    for spec in load_themes(None)[0].values():
        theme = to_textual_theme(spec)
        assert isinstance(theme, Theme)
        assert theme.name == spec.name and theme.dark == spec.dark
        assert theme.primary == spec.app_colours["primary"]
        assert theme.variables == dict(spec.multiplexer_colours)
        theme.to_color_system().generate()


class StatusApp(App[None]):
    """A status line styled only through the theme's CSS variables."""

    CSS = "#status { background: $status-bg; color: $status-fg; }"

    def compose(self) -> ComposeResult:
        yield Static("0:bash*", id="status")


async def test_css_variables_resolve_in_a_running_app() -> None:
    themes, _ = load_themes(None)
    app = StatusApp()
    for spec in themes.values():
        app.register_theme(to_textual_theme(spec))
    app.theme = "light"
    async with app.run_test() as pilot:
        status = app.query_one("#status")
        assert status.styles.background == Color.parse(
            themes["light"].multiplexer_colours["status-bg"]
        )
        app.theme = "tmux"
        await pilot.pause()
        assert status.styles.background == Color.parse(
            themes["tmux"].multiplexer_colours["status-bg"]
        )


class DefaultsApp(StatusApp):
    def get_theme_variable_defaults(self) -> dict[str, str]:
        return theme_variable_defaults()


async def test_variable_defaults_keep_css_working_under_textual_themes() -> None:
    app = DefaultsApp()
    app.theme = "textual-dark"
    async with app.run_test():
        status = app.query_one("#status")
        assert status.styles.background == Color.parse(theme_variable_defaults()["status-bg"])


def test_user_theme_is_added_and_missing_colours_are_derived(tmp_path: Path) -> None:
    (tmp_path / "solar.toml").write_text(
        'name = "solar"\ndark = false\nprimary = "#268bd2"\nbackground = "#fdf6e3"\n'
        'warning = "#b58900"\nstatus-fg = "#002b36"\n'
    )
    themes, notices = load_themes(tmp_path)
    assert notices == []
    solar = themes["solar"]
    assert solar.dark is False
    colours = solar.multiplexer_colours
    assert colours["status-bg"] == "#268bd2"
    assert colours["status-fg"] == "#002b36"
    assert colours["status-current-fg"] == "#002b36"
    assert colours["message-bg"] == "#b58900"
    assert colours["panel-bg"] == "#fdf6e3"
    spec, notice = resolve_theme("solar", tmp_path)
    assert spec == solar and notice is None


def test_user_theme_replaces_builtin_of_same_name(tmp_path: Path) -> None:
    (tmp_path / "mine.toml").write_text('name = "dark"\nprimary = "#ff0000"\n')
    spec, notice = resolve_theme("dark", tmp_path)
    assert notice is None and spec.app_colours["primary"] == "#ff0000"


def test_broken_user_theme_falls_back_to_default_with_one_notice(tmp_path: Path) -> None:
    (tmp_path / "broken.toml").write_text("name = \n")
    (tmp_path / "badcolour.toml").write_text('primary = "not-a-colour"\n')
    (tmp_path / "extra.toml").write_text('primary = "#123456"\nstatus-colour = "red"\n')
    themes, notices = load_themes(tmp_path)
    assert "broken" not in themes and "badcolour" not in themes and "extra" not in themes
    assert len(notices) == 3
    assert any("invalid TOML" in n and "broken.toml" in n for n in notices)
    assert any("'not-a-colour' is not a colour" in n for n in notices)
    assert any("unknown key(s) status-colour" in n for n in notices)

    spec, notice = resolve_theme("badcolour", tmp_path)
    assert spec.name == DEFAULT_THEME
    assert notice is not None and "badcolour.toml" in notice and "'tmux'" in notice


def test_missing_theme_falls_back_and_lists_available(tmp_path: Path) -> None:
    spec, notice = resolve_theme("nope", tmp_path / "no-such-dir")
    assert spec.name == DEFAULT_THEME
    assert notice is not None and "'nope' not found" in notice and "dark, light, tmux" in notice
