"""show-messages lists the configuration errors met at start (file:line: message)."""

from __future__ import annotations


def test_config_errors_are_kept_for_show_messages(server, tmp_path) -> None:
    config = tmp_path / "bad.conf"
    config.write_text("set -g @a 1\nset -g nosuch-option 2\nset -g @b 3\n")
    assert server.cli("-f", str(config), "new-session", "-d", "-s", "s").code == 0
    result = server.cli("show-messages")
    assert result.code == 0
    assert f"{config}:2: invalid option: nosuch-option" in result.out.splitlines()
    assert server.cli("show", "-gv", "@b").out == "3\n"  # the rest of the file loaded
