"""The one-shot conversion of an old ``config.toml`` into tmux's language, as
``keymaps/convert.py`` converts ``keymap.toml``: each setting it states becomes a
``set-option -g`` line (tmux's option, or a ``@side-panel-*`` user option for ai-session's
side panel) in ``config.conf``, which ``ai-session.conf`` sources; the old file is renamed
``config.toml.converted``. Headless (no Textual but the themes notice's lazy import).
"""

from __future__ import annotations

from pathlib import Path

from aisession_tui.config import Config, load_config
from aisession_tui.keymaps import quote_word
from aisession_tui.keymaps.convert import Conversion, Migration, install_conversion

_AS_OPTIONS = {
    "prefix": "prefix", "mode_keys": "mode-keys", "status_position": "status-position",
    "history_limit": "history-limit", "mouse": "mouse", "status_right": "status-right",
    "repeat_time": "repeat-time", "side_panel_width": "@side-panel-width",
    "side_panel_min": "@side-panel-min", "side_panel_max": "@side-panel-max",
}
"""Each setting of ``config.toml`` as the option that holds it now (tmux's own, or a user
option for ai-session's side panel)."""


def convert_config(config: Config) -> list[str]:
    """The ``set-option -g`` lines for the settings ``config`` states (``theme`` has no
    option: themes are files to ``source-file``, as its notice says)."""
    lines = []
    for name, option in _AS_OPTIONS.items():
        if not config.states(name):
            continue
        value = getattr(config, name)
        if isinstance(value, bool):
            value = "on" if value else "off"
        lines.append(f"set-option -g {option} {quote_word(str(value))}")
    return lines


def migrate_user_config(directory: Path) -> Migration:
    """Convert ``directory/config.toml`` once into tmux's language, as ``keymap.toml`` is
    (``keymaps/convert.py``): its settings become ``set-option -g`` lines in
    ``config.conf`` beside it, which ``ai-session.conf`` sources, and the old file is
    renamed ``config.toml.converted``. A setting with a bad value is left out and reported;
    a file that is not valid TOML is left where it is, with a message. Returns the
    ``Migration`` (messages, and the file the running server should source now)."""
    toml_file = directory / "config.toml"
    if not toml_file.is_file():
        return Migration()
    config, notices = load_config(toml_file)
    if config.stated == frozenset() and any("invalid TOML" in notice or "cannot read" in notice
                                            for notice in notices):
        return Migration(messages=[
            f"{notice}; config.toml is no longer read: fix it to have it converted, or "
            "write set-option lines in ai-session.conf" for notice in notices])
    if config.states("theme"):
        from aisession_tui.themes import legacy_theme_notice  # (the client's: Textual)

        notice = legacy_theme_notice(config.theme, directory / "themes")
        if notice:
            notices.append(notice)
    conversion = Conversion(lines=convert_config(config), problems=notices)
    return install_conversion(toml_file, directory / "config.conf", conversion)
