"""select-layout with no name re-applies the window's last preset, as tmux 3.3a does (and
changes nothing before a preset was ever applied); compared with a live tmux."""

from __future__ import annotations

import shutil
import subprocess
import uuid

import pytest

STEPS = [
    ("split-window", "-h"),
    ("split-window", "-v"),
    ("select-layout",),                       # no preset yet: nothing changes
    ("select-layout", "even-vertical"),
    ("resize-pane", "-t", ":.0", "-D", "2"),
    ("select-layout",),                       # even-vertical again
]


def _layouts(run) -> list[str]:
    seen = []
    for step in STEPS:
        run(*step)
        seen.append(run("display-message", "-p", "#{window_layout}").strip())
    return seen


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
@pytest.mark.fake_pty
def test_select_layout_without_a_name_matches_tmux(server, tmp_path):
    server.ok("new-session", "-d", "-s", "s", "-x", "80", "-y", "24")
    ours = _layouts(lambda *args: server.ok(*args))
    name = f"sl{uuid.uuid4().hex[:8]}"
    tmux = ["tmux", "-L", name, "-f", "/dev/null"]
    env = {**server.env, "TMUX_TMPDIR": str(tmp_path)}

    def run_tmux(*args: str) -> str:
        return subprocess.run([*tmux, *args], env=env, capture_output=True, text=True,
                              check=True).stdout

    try:
        run_tmux("new-session", "-d", "-s", "s", "-x", "80", "-y", "24")
        expected = _layouts(run_tmux)
    finally:
        subprocess.run([*tmux, "kill-server"], env=env, capture_output=True, check=False)
    assert ours == expected
    assert ours[2] == ours[1] and ours[5] == ours[3] != ours[4]
