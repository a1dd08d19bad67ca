"""Themes as data: TOML files loaded into ``ThemeSpec`` and converted to Textual themes.

A theme file is flat TOML::

    name = "mine"                   # defaults to the file name without .toml
    dark = true
    primary = "#00cd00"             # Textual's theme colours: primary (required), secondary,
    background = "#000000"          # accent, foreground, background, surface, panel, boost,
                                    # warning, error, success
    status-bg = "#00cd00"           # multiplexer colours, exposed to CSS as $status-bg ...
    status-fg = "#000000"

Multiplexer colours (``MULTIPLEXER_COLOURS``): ``status-bg``/``status-fg`` (status line),
``status-current-bg``/``-fg`` (the current window in it), ``pane-border``,
``pane-active-border``, ``message-bg``/``-fg`` (messages and the prompt),
``copy-mode-selection-bg``/``-fg`` and ``panel-bg`` (side panels). One left out of a user
theme is derived from the app colours (see ``_DERIVED_FROM``).

Built-in themes (``tmux`` - the default, tmux's green status line - ``dark`` and ``light``)
sit next to this module; users add files in ``~/.config/ai-session/themes/``, and a user
theme of the same name replaces the built-in. Invariant: a broken user file never stops the
client - it is skipped with one notice, and ``resolve_theme`` falls back to the default.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from textual.color import Color, ColorParseError
from textual.theme import Theme

__all__ = [
    "APP_COLOURS",
    "BUILTIN_THEMES_DIR",
    "DEFAULT_THEME",
    "MULTIPLEXER_COLOURS",
    "ThemeSpec",
    "default_user_themes_dir",
    "load_themes",
    "resolve_theme",
    "theme_variable_defaults",
    "to_textual_theme",
]

DEFAULT_THEME = "tmux"
"""The theme used when none is configured or the configured one cannot be used."""

BUILTIN_THEMES_DIR = Path(__file__).parent

APP_COLOURS = (
    "primary", "secondary", "accent", "foreground", "background", "surface", "panel",
    "boost", "warning", "error", "success",
)  # fmt: skip
"""Colours passed to ``textual.theme.Theme``; ``primary`` is required."""

MULTIPLEXER_COLOURS = (
    "status-bg", "status-fg", "status-current-bg", "status-current-fg", "pane-border",
    "pane-active-border", "message-bg", "message-fg", "copy-mode-selection-bg",
    "copy-mode-selection-fg", "panel-bg",
)  # fmt: skip
"""Colours that become CSS variables (``$status-bg``...)."""

_DERIVED_FROM: dict[str, tuple[str, ...]] = {
    "status-bg": ("primary",),
    "status-fg": ("background",),
    "status-current-bg": ("status-bg",),
    "status-current-fg": ("status-fg",),
    "pane-border": ("foreground",),
    "pane-active-border": ("primary",),
    "message-bg": ("warning", "accent", "primary"),
    "message-fg": ("background",),
    "copy-mode-selection-bg": ("accent", "primary"),
    "copy-mode-selection-fg": ("background",),
    "panel-bg": ("panel", "surface", "background"),
}
"""For a multiplexer colour a theme leaves out: the first of these colours it has."""

_BASE_COLOURS = {True: ("#000000", "#e5e5e5"), False: ("#ffffff", "#000000")}
"""(background, foreground) assumed for deriving when a theme gives neither, by ``dark``."""


class ThemeError(Exception):
    """A theme file could not be used; the message names the file and the problem."""


@dataclass(frozen=True)
class ThemeSpec:
    """A theme as data.

    Attributes:
        name: Theme name, as ``Config.theme`` refers to it.
        dark: Whether it is a dark theme.
        app_colours: Textual theme colours given by the file (``primary`` always present).
        multiplexer_colours: Every ``MULTIPLEXER_COLOURS`` entry, given or derived.
        source: The file it came from.
    """

    name: str
    dark: bool
    app_colours: Mapping[str, str]
    multiplexer_colours: Mapping[str, str]
    source: Path


def default_user_themes_dir(env: Mapping[str, str] | None = None) -> Path:
    """``$XDG_CONFIG_HOME/ai-session/themes`` (``~/.config`` when unset)."""
    from aisession_tui.config import config_dir

    return config_dir(env) / "themes"


def _check_colour(path: Path, key: str, value: object) -> str:
    if not isinstance(value, str):
        raise ThemeError(f'{path}: {key} must be a colour string such as "#00cd00"')
    try:
        Color.parse(value)
    except ColorParseError:
        raise ThemeError(f"{path}: {key} = {value!r} is not a colour") from None
    return value


def _parse_theme_file(path: Path) -> ThemeSpec:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise ThemeError(f"{path}: invalid TOML: {error}") from None
    except OSError as error:
        raise ThemeError(f"{path}: cannot read: {error.strerror or error}") from None
    known = {"name", "dark", *APP_COLOURS, *MULTIPLEXER_COLOURS}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ThemeError(f"{path}: unknown key(s) {', '.join(unknown)}")
    name = data.get("name", path.stem)
    if not isinstance(name, str) or not name:
        raise ThemeError(f"{path}: name must be a non-empty string")
    dark = data.get("dark", True)
    if not isinstance(dark, bool):
        raise ThemeError(f"{path}: dark must be true or false")
    if "primary" not in data:
        raise ThemeError(f"{path}: primary colour is required")
    app_colours = {key: _check_colour(path, key, data[key]) for key in APP_COLOURS if key in data}
    given = {key: _check_colour(path, key, data[key]) for key in MULTIPLEXER_COLOURS if key in data}
    background, foreground = _BASE_COLOURS[dark]
    known_colours = {"background": background, "foreground": foreground, **app_colours, **given}
    for key in MULTIPLEXER_COLOURS:
        if key not in known_colours:
            source = next(source for source in _DERIVED_FROM[key] if source in known_colours)
            known_colours[key] = known_colours[source]
    multiplexer = {key: known_colours[key] for key in MULTIPLEXER_COLOURS}
    return ThemeSpec(name, dark, app_colours, multiplexer, path)


def _load_dir(directory: Path) -> tuple[dict[str, ThemeSpec], dict[str, str]]:
    """Themes by name, and error messages by file stem, for ``directory/*.toml``."""
    themes: dict[str, ThemeSpec] = {}
    failures: dict[str, str] = {}
    if not directory.is_dir():
        return themes, failures
    for path in sorted(directory.glob("*.toml")):
        try:
            spec = _parse_theme_file(path)
        except ThemeError as error:
            failures[path.stem] = str(error)
        else:
            themes[spec.name] = spec
    return themes, failures


def _load_all(user_dir: Path | None) -> tuple[dict[str, ThemeSpec], dict[str, str]]:
    themes, builtin_failures = _load_dir(BUILTIN_THEMES_DIR)
    if builtin_failures or DEFAULT_THEME not in themes:
        raise RuntimeError(f"built-in themes are broken: {builtin_failures}")
    failures: dict[str, str] = {}
    if user_dir is not None:
        user_themes, failures = _load_dir(user_dir)
        themes.update(user_themes)
    return themes, failures


def load_themes(user_dir: Path | None = None) -> tuple[dict[str, ThemeSpec], list[str]]:
    """Built-in themes plus the user's, by name.

    Returns:
        The themes (a user theme replaces a built-in of the same name) and one notice per
        user file that could not be used.
    """
    themes, failures = _load_all(user_dir)
    notices = [f"{message}; theme file skipped" for message in failures.values()]
    return themes, notices


def resolve_theme(name: str, user_dir: Path | None = None) -> tuple[ThemeSpec, str | None]:
    """The theme called ``name``, or the default and one notice saying why not."""
    themes, failures = _load_all(user_dir)
    fallback_name = name if name in themes else DEFAULT_THEME
    if name in failures:
        return themes[fallback_name], f"{failures[name]}; using the theme {fallback_name!r}"
    if name in themes:
        return themes[name], None
    available = ", ".join(sorted(themes))
    return themes[DEFAULT_THEME], (
        f"Theme {name!r} not found (available: {available}); using the theme {DEFAULT_THEME!r}"
    )


def to_textual_theme(spec: ThemeSpec) -> Theme:
    """A Textual ``Theme`` carrying the multiplexer colours as CSS variables (``$status-bg``)."""
    colours = spec.app_colours
    return Theme(
        name=spec.name,
        primary=colours["primary"],
        secondary=colours.get("secondary"),
        warning=colours.get("warning"),
        error=colours.get("error"),
        success=colours.get("success"),
        accent=colours.get("accent"),
        foreground=colours.get("foreground"),
        background=colours.get("background"),
        surface=colours.get("surface"),
        panel=colours.get("panel"),
        boost=colours.get("boost"),
        dark=spec.dark,
        variables=dict(spec.multiplexer_colours),
    )


def theme_variable_defaults() -> dict[str, str]:
    """The default theme's multiplexer variables, for ``App.get_theme_variable_defaults``.

    With these, CSS that uses ``$status-bg`` keeps working under any Textual theme.
    """
    themes, _ = _load_all(None)
    return dict(themes[DEFAULT_THEME].multiplexer_colours)
