"""config.toml: defaults, round trip through save/load, notices instead of crashes."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from aisession_tui.config import Config, config_dir, default_config_path, load_config, save_config


def test_defaults_follow_tmux(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", "vim")
    config, notices = load_config(tmp_path / "missing.toml")
    assert notices == []
    assert config.theme == "tmux" and config.prefix == "C-b"
    assert config.mode_keys == "vi"
    assert config.status_position == "bottom" and config.history_limit == 2000
    assert config.mouse is True and config.side_panel_width == 40
    assert config.status_right == ' "#{=21:pane_title}" %H:%M %d-%b-%y'
    monkeypatch.setenv("EDITOR", "nano")
    assert Config().mode_keys == "emacs"


def test_round_trip_through_save_and_load(tmp_path: Path) -> None:
    original = Config(
        theme="light",
        prefix="C-a",
        mode_keys="vi",
        status_position="top",
        history_limit=50000,
        mouse=False,
        status_right="#H %H:%M",
        side_panel_width=60,
        repeat_time=300,
    )
    path = save_config(original, tmp_path / "nested" / "config.toml")
    text = path.read_text()
    assert 'status-position = "top"' in text and "history-limit = 50000" in text
    loaded, notices = load_config(path)
    assert notices == []
    assert loaded == original


def test_unknown_keys_and_wrong_values_give_notices_and_keep_defaults(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        'theme = "dark"\n'
        'history-limit = "lots"\n'
        "mouse = 1\n"
        'status-position = "left"\n'
        'prefix = "C-Nope"\n'
        "side_panel_width = 55\n"
        "side-panel-width-max = 80\n"
        "repeat-time = -1\n"
    )
    config, notices = load_config(path)
    assert config.theme == "dark" and config.side_panel_width == 55
    assert config.history_limit == 2000 and config.mouse is True
    assert config.status_position == "bottom" and config.prefix == "C-b"
    assert config.repeat_time == 500
    assert len(notices) == 6
    assert all(notice.startswith(str(path)) for notice in notices)
    joined = "\n".join(notices)
    for fragment in (
        "history-limit must be a whole number",
        "mouse must be true or false",
        'status-position must be "top" or "bottom"',
        "prefix unknown key",
        "unknown setting 'side-panel-width-max'",
        "repeat-time must be",
    ):
        assert fragment in joined


def test_prefix_is_stored_canonical(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('prefix = "c-A"\n')
    assert load_config(path)[0].prefix == "C-a"


def test_broken_toml_gives_one_notice_and_defaults(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("theme = \n")
    config, notices = load_config(path)
    assert config == Config()
    assert len(notices) == 1 and "invalid TOML" in notices[0] and str(path) in notices[0]


def test_saved_file_is_plain_toml_with_tmux_option_names(tmp_path: Path) -> None:
    path = save_config(Config(), tmp_path / "config.toml")
    data = tomllib.loads(path.read_text())
    assert set(data) == {
        "theme",
        "prefix",
        "mode-keys",
        "status-position",
        "history-limit",
        "mouse",
        "status-right",
        "side-panel-width",
        "side-panel-min",
        "side-panel-max",
        "repeat-time",
    }


def test_config_dir_respects_xdg(tmp_path: Path) -> None:
    assert config_dir({"XDG_CONFIG_HOME": str(tmp_path)}) == tmp_path / "ai-session"
    assert config_dir({"XDG_CONFIG_HOME": "relative/dir"}) == Path.home() / ".config" / "ai-session"
    assert config_dir({}) == Path.home() / ".config" / "ai-session"
    assert (
        default_config_path({"XDG_CONFIG_HOME": str(tmp_path)})
        == tmp_path / "ai-session" / "config.toml"
    )


def test_default_path_is_used_when_none_given(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    written = save_config(Config(theme="dark"))
    assert written == tmp_path / "ai-session" / "config.toml"
    assert load_config()[0].theme == "dark"
