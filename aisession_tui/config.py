"""The client's settings (:class:`Config`), and the reader of an old ``config.toml`` for
its one-shot conversion into tmux's language (:mod:`aisession_tui.config_convert`).

ai-session reads one configuration language, tmux's: the settings ``config.toml`` held are
tmux options (``prefix``, ``mode-keys``, ``status-position``, ``history-limit``, ``mouse``,
``status-right``, ``repeat-time``) or, for ai-session's own side panel, user options
(``@side-panel-width``, ``@side-panel-min``, ``@side-panel-max``). An existing
``config.toml`` is read once (:func:`load_config`, with tomllib) and converted.

Discovery: ``$XDG_CONFIG_HOME/ai-session/config.toml``, else
``~/.config/ai-session/config.toml`` (beside the old ``keymap.toml``). Its keys were tmux
option names (``mode-keys``, ``history-limit``...); the underscore spelling of a field
(``history_limit``) is accepted too. ``Config.stated`` records which settings a file
named (those are converted); a ``Config`` built in code (tests, benchmarks) states every
setting. The running client's ``Config`` states none: the server's options are the truth.

Invariant: ``load_config`` never raises for a bad file. Unreadable TOML, unknown keys and
values of the wrong type or range each produce a notice (a sentence naming the file and
the key) and leave that setting at its default. This module never imports Textual.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import tomli_w

from aisession_tui.keymaps import DEFAULT_PREFIX, canonical_key, default_mode_keys

__all__ = ["Config", "config_dir", "default_config_path", "load_config", "save_config"]

TMUX_STATUS_RIGHT = ' "#{=21:pane_title}" %H:%M %d-%b-%y'
"""tmux 3.3a's default ``status-right``."""


@dataclass
class Config:
    """Client settings, defaulting to tmux's behaviour.

    Attributes:
        theme: No longer read: themes are tmux config files loaded with ``source-file``
            (``aisession_tui.themes``); a stated one is answered with a notice at attach
            saying which file to source.
        prefix: The prefix key in tmux notation.
        mode_keys: ``vi`` or ``emacs``, set as the server's global ``mode-keys`` at attach
            when stated (the default follows $VISUAL/$EDITOR, as tmux's does).
        status_position: ``top`` or ``bottom``.
        history_limit: Lines of scrollback kept per pane.
        mouse: Whether the mouse selects panes, scrolls and copies.
        status_right: Format string on the right of the status line.
        side_panel_width: Width of the side panel (context, parsed output, bus): cells
            (``40``) or a share of the terminal (``"30%"``), kept between
            ``side_panel_min`` and ``side_panel_max`` cells.
        side_panel_min: The narrowest the side panel gets (cells).
        side_panel_max: The widest the side panel gets (cells).
        repeat_time: Milliseconds during which a ``repeat`` binding works without the prefix.
        stated: The settings the file named (``load_config``); None, for a config built in
            code, states them all. Not compared and never saved.
    """

    theme: str = "tmux"
    prefix: str = DEFAULT_PREFIX
    mode_keys: str = field(default_factory=default_mode_keys)
    status_position: str = "bottom"
    history_limit: int = 2000
    mouse: bool = True
    status_right: str = TMUX_STATUS_RIGHT
    side_panel_width: int | str = 40
    side_panel_min: int = 20
    side_panel_max: int = 80
    repeat_time: int = 500
    stated: frozenset[str] | None = field(default=None, compare=False, repr=False)

    def states(self, name: str) -> bool:
        """Whether this config chose setting ``name`` (field spelling) rather than
        defaulting it: the client pushes a stated ``mode_keys`` to the server."""
        return self.stated is None or name in self.stated


def config_dir(env: Mapping[str, str] | None = None) -> Path:
    """``$XDG_CONFIG_HOME/ai-session``, else ``~/.config/ai-session``."""
    environment = os.environ if env is None else env
    base = environment.get("XDG_CONFIG_HOME") or ""
    root = Path(base) if os.path.isabs(base) else Path.home() / ".config"
    return root / "ai-session"


def default_config_path(env: Mapping[str, str] | None = None) -> Path:
    """Where ``config.toml`` is looked for."""
    return config_dir(env) / "config.toml"


def _check_choice(*choices: str) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if value in choices:
            return None
        return "must be " + " or ".join(f'"{choice}"' for choice in choices)

    return check


def _check_int(minimum: int) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if isinstance(value, int) and not isinstance(value, bool) and value >= minimum:
            return None
        return f"must be a whole number of at least {minimum}"

    return check


def _check_width(value: Any) -> str | None:
    """Cells (at least 10) or a percentage of the terminal (``"30%"``, 1 to 90)."""
    if isinstance(value, str) and value.endswith("%") and value[:-1].isdigit():
        return None if 1 <= int(value[:-1]) <= 90 else "must be a percentage from 1% to 90%"
    return _check_int(10)(value)


def _check_bool(value: Any) -> str | None:
    return None if isinstance(value, bool) else "must be true or false"


def _check_string(value: Any) -> str | None:
    return None if isinstance(value, str) else "must be a string"


def _check_non_empty_string(value: Any) -> str | None:
    return None if isinstance(value, str) and value else "must be a non-empty string"


def _check_key(value: Any) -> str | None:
    if not isinstance(value, str):
        return 'must be a key in tmux notation, such as "C-a"'
    try:
        canonical_key(value)
    except ValueError as error:
        return str(error)
    return None


_CHECKS: dict[str, Callable[[Any], str | None]] = {
    "theme": _check_non_empty_string,
    "prefix": _check_key,
    "mode_keys": _check_choice("vi", "emacs"),
    "status_position": _check_choice("top", "bottom"),
    "history_limit": _check_int(0),
    "mouse": _check_bool,
    "status_right": _check_string,
    "side_panel_width": _check_width,
    "side_panel_min": _check_int(10),
    "side_panel_max": _check_int(10),
    "repeat_time": _check_int(0),
}


def _file_key(field_name: str) -> str:
    return field_name.replace("_", "-")


def load_config(path: Path | None = None) -> tuple[Config, list[str]]:
    """Read ``config.toml`` (default location when ``path`` is None).

    Returns:
        The configuration and notices about anything in the file that was ignored.
    """
    config_path = default_config_path() if path is None else path
    config = Config(stated=frozenset())
    if not config_path.exists():
        return config, []
    try:
        with config_path.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        return config, [f"{config_path}: invalid TOML ({error}); using the default settings"]
    except OSError as error:
        return config, [
            f"{config_path}: cannot read ({error.strerror or error}); using the default settings"
        ]
    notices: list[str] = []
    stated: set[str] = set()
    known = ", ".join(_file_key(name) for name in _CHECKS)
    for key, value in data.items():
        name = key.replace("-", "_")
        check = _CHECKS.get(name)
        if check is None:
            notices.append(f"{config_path}: unknown setting {key!r} ignored; known: {known}")
            continue
        problem = check(value)
        if problem is not None:
            default = getattr(config, name)
            notices.append(f"{config_path}: {key} {problem}; using {default!r}")
            continue
        setattr(config, name, canonical_key(value) if name == "prefix" else value)
        stated.add(name)
    config.stated = frozenset(stated)
    return config, notices


def save_config(config: Config, path: Path | None = None) -> Path:
    """Write every setting of ``config`` to ``path`` (default location), creating its folder.

    Returns:
        The path written.
    """
    config_path = default_config_path() if path is None else path
    config_path.parent.mkdir(parents=True, exist_ok=True)
    data = {_file_key(item.name): getattr(config, item.name) for item in fields(config)
            if item.name in _CHECKS}
    config_path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return config_path

