"""mode-style in the real TUI against tmux 3.3a in the same harness: copy mode's position
indicator (``[0/0]``) is drawn in the session's ``mode-style``, the same colours in both."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from conftest import IsolatedServer, LiveTmux, wait_until
from e2e_harness import Harness, harness, oracle_harness, start_tmux_oracle  # noqa: F401 - fixtures

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def _indicator_colours(harness: Harness) -> tuple[str, ...]:
    """The SGR codes in force where ``[0/0]`` starts on the first row."""
    row = subprocess.run(["tmux", "-L", harness.name, "capture-pane", "-e", "-p", "-t", "h",
                          "-S", "0", "-E", "0"], capture_output=True, text=True,
                         timeout=30, check=False).stdout
    before = row.split("[0/0]")[0] if "[0/0]" in row else ""
    codes: dict[str, str] = {}
    for params in re.findall(r"\x1b\[([0-9;]*)m", before):
        for code in params.split(";") if params else ["0"]:
            number = int(code or 0)
            if number == 0:
                codes.clear()
            elif 30 <= number <= 37 or number == 39:
                codes["fg"] = str(number)
            elif 40 <= number <= 47 or number == 49:
                codes["bg"] = str(number)
    return codes.get("fg", "39"), codes.get("bg", "49")


def test_mode_style_colours_the_position_indicator_as_tmux(
        server: IsolatedServer, harness: Harness, oracle_harness: Harness) -> None:
    oracle = LiveTmux(dict(server.env))
    try:
        server.ok("new-session", "-d", "-s", "p")
        harness.start("attach", "-t", "p")
        start_tmux_oracle(oracle_harness, oracle, server)
        harness.wait_for("0:bash*")
        oracle_harness.wait_for("0:bash*")
        for style in ("bg=red,fg=white", "bg=green,fg=blue"):
            server.ok("set", "-g", "mode-style", style)
            assert oracle.run("set", "-g", "mode-style", style)[0] == 0
            for terminal in (harness, oracle_harness):
                terminal.keys("C-b", "[")
            harness.wait_for("[0/0]")
            oracle_harness.wait_for("[0/0]")
            theirs = _indicator_colours(oracle_harness)
            wait_until(lambda expected=theirs: _indicator_colours(harness) == expected,
                       message=f"our indicator in {style}: tmux's {theirs}")
            for terminal in (harness, oracle_harness):
                terminal.keys("q")
    finally:
        oracle.kill()
