"""The one-shot conversion of an old keymap.toml into tmux's language: each entry on its
own (a bad one costs that entry only, and is reported), the result loads in ai-session's
server and in tmux 3.3a without an error, the file is converted once, a file that is not
TOML is reported and left alone, and start-up notices stay for show-messages (C-b ~)."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from pathlib import Path
from typing import Any

from app_harness import make_app, wait_for, wait_text

from aisession_tui.keymaps.convert import migrate_user_keymap

OLD_KEYMAP = """\
[options]
prefix = "C-a"

[prefix]
"%" = { action = "split-window", args = ["-h"], note = "Split window horizontally" }
"|" = "split-window -h ; select-pane -t 0"
"x" = "none"
"M-Up" = { action = "resize-pane", args = ["-U", "5"], repeat = true }
"Q" = { action = "no-such-action" }
"A" = { action = "toggle-panel", args = ["context"] }
"Nokey" = "kill-pane"

[copy-mode-vi]
"v" = { action = "copy-mode:begin-selection" }
"y" = { commands = [["copy-mode:copy-selection"], ["copy-mode:cancel"]] }

[bogus]
a = "b"
"""

EXPECTED = [
    "set-option -g prefix C-a",
    "unbind-key C-b",
    "bind-key C-a send-prefix",
    'bind-key -N "Split window horizontally" -T prefix \\% split-window -h',
    "bind-key -T prefix | split-window -h \\; select-pane -t 0",
    "unbind-key -T prefix x",
    "bind-key -r -T prefix M-Up resize-pane -U 5",
    "bind-key -T copy-mode-vi v send-keys -X begin-selection",
    "bind-key -T copy-mode-vi y send-keys -X copy-selection \\; send-keys -X cancel",
]


def test_conversion_entry_by_entry(tmp_path: Path) -> None:
    (tmp_path / "keymap.toml").write_text(OLD_KEYMAP)
    migration = migrate_user_keymap(tmp_path)
    converted = tmp_path / "keymap.conf"
    assert migration.source == converted
    lines = [line for line in converted.read_text().splitlines()
             if not line.startswith("#")]
    assert lines == EXPECTED
    problems = migration.messages[1:]
    assert len(problems) == 4
    assert any("'Q'" in problem and "no-such-action" in problem for problem in problems)
    assert any("'A'" in problem and "toggle-panel" in problem for problem in problems)
    assert any("Nokey" in problem for problem in problems)
    assert any("[bogus]" in problem for problem in problems)
    assert not (tmp_path / "keymap.toml").exists()
    assert (tmp_path / "keymap.toml.converted").exists()
    assert f"source-file -q {converted}" in (tmp_path / "ai-session.conf").read_text()
    assert migrate_user_keymap(tmp_path).messages == []  # once only


def test_not_toml_is_reported_and_kept(tmp_path: Path) -> None:
    (tmp_path / "keymap.toml").write_text("[prefix\n")
    migration = migrate_user_keymap(tmp_path)
    assert migration.source is None
    assert len(migration.messages) == 1 and "not converted" in migration.messages[0]
    assert (tmp_path / "keymap.toml").exists()


def test_converted_file_loads_in_the_server_and_in_tmux(server: Any, tmp_path: Path) -> None:
    (tmp_path / "keymap.toml").write_text(OLD_KEYMAP)
    converted = migrate_user_keymap(tmp_path).source
    assert converted is not None
    server.ok("new-session", "-d", "-s", "s")
    result = server.run("source-file", str(converted))
    assert (result.code, result.err) == (0, "")
    assert server.ok("list-keys", "-T", "prefix", "|") == \
        "bind-key -T prefix | split-window -h \\; select-pane -t 0\n"
    assert server.ok("show", "-gv", "prefix") == "C-a\n"
    if shutil.which("tmux"):
        name = f"aiconv-{server.name}"
        proc = subprocess.run(["tmux", "-L", name, "-f", "/dev/null", "new-session", "-d",
                               ";", "source-file", str(converted)], env=server.env,
                              capture_output=True, text=True, timeout=30, check=False)
        subprocess.run(["tmux", "-L", name, "kill-server"], env=server.env,
                       capture_output=True, timeout=30, check=False)
        assert (proc.returncode, proc.stderr) == (0, "")


def test_notices_stay_for_show_messages(server: Any) -> None:
    server.ok("new-session", "-d", "-s", "main")

    async def scenario() -> None:
        app = make_app(server)
        app.options.notices.append("keymap.toml: [prefix] 'Q': unknown action")
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_text(app, "$")
            assert any(line.endswith("unknown action") for line in app.message_log)
            await pilot.press("ctrl+b", "~")
            await wait_for(lambda: app.overlay is not None, "the message list")

    asyncio.run(scenario())
