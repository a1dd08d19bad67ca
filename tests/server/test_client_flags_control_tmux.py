"""A control client's flags against tmux 3.3a (``refresh-client -f`` / ``-F``): every
flag name, ``!`` clearing, ``pause-after`` with and without a value (tmux's sscanf:
leading digits), a read-only client that cannot clear ``read-only``, unknown names
ignored; ``#{client_flags}``, ``#{client_readonly}`` and the ``list-clients`` line."""

from __future__ import annotations

import shutil

import pytest
from test_control_mode import ControlProcess, in_tmux_and_ours

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

FLAGS = ["no-output,wait-exit,pause-after=3,active-pane,ignore-size,bogus",
         "'!no-output,pause-after'", "'!pause-after=4'", "pause-after=5x", "pause-after=x",
         "'!wait-exit,!active-pane'", "read-only", "'!read-only,!ignore-size'"]


def drive(argv: list[str], env: dict[str, str]) -> list[str]:
    control = ControlProcess([*argv, "-C", "new-session", "-s", "cc", "cat"], env)
    try:
        control.read_until(lambda: any(line.startswith("%session-changed")
                                       for line in control.lines))
        start = len(control.lines)
        for flags in FLAGS:
            control.send(f"refresh-client -f {flags}")
            control.send("list-clients -F '#{client_flags}|#{client_readonly}'")
        control.send("refresh-client -F '!ignore-size'")
        control.send("list-clients -F '#{client_flags}'")
        control.send("list-clients")
        lines = [line for line in control.lines[start:] if not line.startswith("%")]
    finally:
        control.close()
    return [line.split(":", 1)[1] if line.startswith("client-") else line for line in lines]


def test_control_client_flags_match_tmux(server) -> None:
    expected, ours = in_tmux_and_ours(server, drive)
    assert ours == expected
