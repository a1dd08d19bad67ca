"""Themes are tmux config files of style options; the client's CSS colours come from them.

One configuration language: a theme is a file of ``set -g`` lines for tmux's style options
(``status-style``, ``window-status-current-style``, ``message-style``, ``mode-style``,
``pane-border-style``, ``pane-active-border-style`` ...), loaded with ``source-file`` like any
tmux config - tmux 3.3a reads the same file the same way. The built-in ones (``dark.conf``,
``light.conf``) sit next to this module (``builtin_theme_path``); without one the look is
tmux's defaults. The status line, messages, copy-mode selection and pane borders are drawn
straight from the options (palette colours stay the terminal's palette colours).

The Textual widgets that CSS styles (the prompt, side panel borders)
take the same options as CSS variables (``css_variables``: ``$status-bg``, ``$message-fg``,
``$message-command-bg``, ``$pane-border`` ...; Textual draws these, so a 256-colour entry
reaches the terminal as Textual renders its RGB value). Colours tmux has no option for (backgrounds of Textual's own widgets)
are the fixed ``BASE_THEME``.

The old TOML theme files are converted once, on demand: ``python -m aisession_tui.themes
FILE.toml > FILE.conf`` (``convert_toml_theme``); ``legacy_theme_notice`` is what the
client says at attach while a ``theme`` setting or ``themes/*.toml`` files remain.
Invariant: nothing here raises on a user's file; a problem is a message.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path

from textual.theme import Theme

from aisession_tui.server.styles import (
    COLOUR_256,
    COLOUR_RGB,
    StyleError,
    palette_rgb,
    parse_style,
)

__all__ = [
    "BASE_THEME",
    "BUILTIN_THEMES_DIR",
    "DEFAULT_OPTION_STYLES",
    "ThemeConversionError",
    "builtin_theme_path",
    "builtin_themes",
    "convert_toml_theme",
    "css_variables",
    "legacy_theme_notice",
]

BUILTIN_THEMES_DIR = Path(__file__).parent

DEFAULT_OPTION_STYLES: Mapping[str, str] = {
    "status-style": "bg=green,fg=black",
    "message-style": "bg=yellow,fg=black",
    "message-command-style": "bg=black,fg=yellow",
    "mode-style": "bg=yellow,fg=black",
    "pane-border-style": "default",
    "pane-active-border-style": "fg=green",
}
"""tmux 3.3a's defaults of the style options the CSS variables come from."""

BASE_THEME = Theme(
    name="ai-session",
    primary="ansi_green",
    secondary="ansi_cyan",
    accent="ansi_yellow",
    warning="ansi_yellow",
    error="ansi_red",
    success="ansi_green",
    foreground="#e5e5e5",
    background="#000000",
    surface="#101010",
    panel="#1c1c1c",
    dark=True,
)
"""Textual's own colours (no tmux option says them): a black terminal's, with tmux's
green and yellow from the terminal's palette."""

_NAMED = ("black", "red", "green", "yellow", "blue", "magenta", "cyan", "white")


def builtin_themes() -> dict[str, Path]:
    """The theme files shipped with ai-session, by name (``dark``, ``light``)."""
    return {path.stem: path for path in sorted(BUILTIN_THEMES_DIR.glob("*.conf"))}


def builtin_theme_path(name: str) -> Path | None:
    """The shipped theme file called ``name`` (None: there is none)."""
    return builtin_themes().get(name)


def css_colour(colour: int, fallback: str) -> str:
    """A tmux colour as a Textual CSS colour: the 16 palette colours stay ANSI colours (the
    terminal's scheme decides their look), 256-colour entries and RGB are RGB, ``default``
    and ``terminal`` are ``fallback``."""
    if colour & COLOUR_RGB:
        return f"#{colour & 0xFFFFFF:06x}"
    if colour & COLOUR_256:
        number = colour & 0xFF
        if number >= 16:
            return f"#{palette_rgb(number):06x}"
        colour = number if number < 8 else number - 8 + 90
    if 0 <= colour <= 7:
        return f"ansi_{_NAMED[colour]}"
    if 90 <= colour <= 97:
        return f"ansi_bright_{_NAMED[colour - 90]}"
    return fallback


def css_variables(styles: Mapping[str, str] | None = None) -> dict[str, str]:
    """The CSS variables (``$status-bg`` ...) from the style options in ``styles`` (tmux's
    defaults for those missing or unparsable). ``default`` colours become the base theme's
    foreground and background."""
    given = dict(styles or {})

    def style(name: str) -> tuple[str, str]:
        try:
            parsed = parse_style(given.get(name, DEFAULT_OPTION_STYLES[name]))
        except StyleError:
            parsed = parse_style(DEFAULT_OPTION_STYLES[name])
        return (css_colour(parsed.fg, str(BASE_THEME.foreground)),
                css_colour(parsed.bg, str(BASE_THEME.background)))

    status_fg, status_bg = style("status-style")
    message_fg, message_bg = style("message-style")
    command_fg, command_bg = style("message-command-style")
    mode_fg, mode_bg = style("mode-style")
    return {
        "status-bg": status_bg, "status-fg": status_fg,
        "message-bg": message_bg, "message-fg": message_fg,
        "message-command-bg": command_bg, "message-command-fg": command_fg,
        "copy-mode-selection-bg": mode_bg, "copy-mode-selection-fg": mode_fg,
        "pane-border": style("pane-border-style")[0],
        "pane-active-border": style("pane-active-border-style")[0],
        "panel-bg": str(BASE_THEME.surface),
    }  # fmt: skip


class ThemeConversionError(Exception):
    """A TOML theme file could not be converted; the message names the file and why."""


_TOML_TO_OPTIONS = (
    ("status-style", "status-bg", "status-fg"),
    ("window-status-current-style", "status-current-bg", "status-current-fg"),
    ("message-style", "message-bg", "message-fg"),
    ("message-command-style", "message-bg", "message-fg"),
    ("mode-style", "copy-mode-selection-bg", "copy-mode-selection-fg"),
    ("pane-border-style", None, "pane-border"),
    ("pane-active-border-style", None, "pane-active-border"),
)
"""(option, TOML background key, TOML foreground key) for each option a theme sets."""

_TEXTUAL_ONLY = {"name", "dark", "primary", "secondary", "accent", "foreground", "background",
                 "surface", "panel", "boost", "warning", "error", "success", "panel-bg"}
"""Old keys with no tmux option: left out of the conversion (listed in a comment)."""


def _toml_colour(path: Path, key: str, value: object) -> str:
    """An old theme colour (``#rrggbb``) as a tmux colour word."""
    if not isinstance(value, str) or not value.strip():
        raise ThemeConversionError(f'{path}: {key} must be a colour string such as "#00cd00"')
    word = value.strip()
    try:
        parse_style(f"fg={word}")
    except StyleError:
        raise ThemeConversionError(f"{path}: {key} = {value!r} is not a colour tmux knows"
                                   ) from None
    return word


def convert_toml_theme(path: Path) -> str:
    """An old TOML theme file as a tmux config of style options (the text of a ``.conf``).

    Raises:
        ThemeConversionError: the file cannot be read, is not TOML, or a colour is not one.
    """
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise ThemeConversionError(f"{path}: invalid TOML: {error}") from None
    except OSError as error:
        raise ThemeConversionError(f"{path}: cannot read: {error.strerror or error}") from None
    known = {key for _, bg, fg in _TOML_TO_OPTIONS for key in (bg, fg) if key} | _TEXTUAL_ONLY
    unknown = sorted(set(data) - known)
    if unknown:
        raise ThemeConversionError(f"{path}: unknown key(s) {', '.join(unknown)}")
    lines = [f"# Converted from {path.name} by ai-session: tmux style options, load it with",
             "# source-file (tmux 3.3a reads it the same way)."]
    for option, bg_key, fg_key in _TOML_TO_OPTIONS:
        parts = []
        if bg_key is not None and bg_key in data:
            parts.append(f"bg={_toml_colour(path, bg_key, data[bg_key])}")
        if fg_key in data:
            parts.append(f"fg={_toml_colour(path, fg_key, data[fg_key])}")
        if parts:
            lines.append(f'set -g {option} "{",".join(parts)}"')
    dropped = sorted(key for key in data if key in _TEXTUAL_ONLY - {"name"})
    if dropped:
        lines.append(f"# Not converted (no tmux option for them): {', '.join(dropped)}")
    return "\n".join(lines) + "\n"


def legacy_theme_notice(theme_setting: str | None, user_themes_dir: Path) -> str | None:
    """What to tell a user whose config still names a theme or who has TOML theme files
    (None: nothing to say). ``theme_setting`` is ``config.toml``'s ``theme`` when stated."""
    old_files = sorted(user_themes_dir.glob("*.toml")) if user_themes_dir.is_dir() else []
    if theme_setting == "tmux":  # the old default: tmux's look, which is the default now
        theme_setting = None
    if not theme_setting and not old_files:
        return None
    parts = ["Themes are tmux config files now (config.toml's theme and themes/*.toml are"
             " no longer read):"]
    if theme_setting:
        builtin = builtin_theme_path(theme_setting)
        if builtin is not None:
            parts.append(f"add 'source-file {builtin}' to ~/.tmux.conf;")
        else:
            parts.append(f"theme {theme_setting!r} is not built in (built in:"
                         f" {', '.join(builtin_themes())});")
    for old in old_files:
        parts.append(f"convert {old.name} with 'python -m aisession_tui.themes {old}"
                     f" > {old.with_suffix('.conf')}' and source-file that;")
    return " ".join(parts).rstrip(";")
