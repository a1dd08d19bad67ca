"""The status line drawn by the real client against tmux 3.3a's own, for the same options
set at run time: each runs attached in a terminal of a private tmux server, and the
terminals' last lines (text and colours, ``capture-pane -e``) are compared."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator

import pytest
from conftest import IsolatedServer, wait_until
from e2e_harness import Harness, _quote, running_harness, sgr_runs

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

SETTINGS = (
    ["set", "-g", "status-style", "fg=colour123,bg=colour236,bold"],
    ["set", "-g", "status-left", "#[fg=red]<#{session_windows}>#[default] "],
    ["set", "-g", "status-right", "R:#{session_name} #[reverse]end"],
    ["set", "-g", "status-justify", "centre"],
    ["setw", "-g", "window-status-format", "#I=#W"],
    ["setw", "-g", "window-status-current-style", "fg=yellow,underscore"],
)


@pytest.fixture
def harness(server: IsolatedServer) -> Iterator[Harness]:
    yield from running_harness(server)


def _last_line(harness: Harness, target: str, escapes: bool) -> str:
    args = ["capture-pane", "-p", "-t", target] + (["-e"] if escapes else [])
    lines = harness.tmux(*args).rstrip("\n").split("\n")
    return lines[-1] if lines else ""


def test_status_line_options_look_as_in_tmux(harness: Harness, server: IsolatedServer) -> None:
    server.ok("new-session", "-d", "-s", "main", "-x", "100", "-y", "29")
    server.ok("new-window", "-t", "main")
    harness.start("attach", "-t", "main")
    harness.wait_for("[main]")
    inner = f"{harness.name}in"
    tmux = ["tmux", "-L", inner, "-f", "/dev/null"]
    env = dict(server.env)
    try:
        subprocess.run([*tmux, "new-session", "-d", "-s", "main", "-x", "100", "-y", "29"],
                       env=env, check=True, cwd=str(server.home))
        subprocess.run([*tmux, "new-window", "-t", "main"], env=env, check=True,
                       cwd=str(server.home))
        for args in SETTINGS:
            server.ok(*args)
            subprocess.run([*tmux, *args], env=env, check=True)
        attach = " ".join(_quote(word) for word in [*tmux, "attach", "-t", "main"])
        harness.tmux("new-window", "-t", "h", "-n", "oracle",
                     f"env -u TMUX TERM=xterm-256color HOME={_quote(str(server.home))} {attach}")
        harness.tmux("resize-window", "-t", "h:oracle", "-x", "120", "-y", "40")
        wait_until(lambda: "R:main end" in _last_line(harness, "h:0", False)
                   and "R:main end" in _last_line(harness, "h:oracle", False),
                   message="both status lines drawn")

        def both(escapes: bool) -> tuple[object, object]:
            lines = [_last_line(harness, target, escapes) for target in ("h:0", "h:oracle")]
            return (lines[0], lines[1]) if not escapes else \
                (sgr_runs(lines[0]), sgr_runs(lines[1]))

        try:  # options reach the client one update at a time: wait for the last
            wait_until(lambda: both(False)[0] == both(False)[1], 15, message="same text")
            wait_until(lambda: both(True)[0] == both(True)[1], 15, message="same colours")
        except AssertionError:
            pass
        ours, theirs = both(False)
        assert ours == theirs
        ours, theirs = both(True)
        assert ours == theirs
    finally:
        subprocess.run([*tmux, "kill-server"], env=env, capture_output=True, check=False)


def test_two_status_lines_and_status_off_as_in_tmux(harness: Harness,
                                                    server: IsolatedServer) -> None:
    """``status 2`` adds tmux's pane list line (``status-format[1]``) and takes a line
    from the panes; ``status off`` gives every line to the panes."""
    server.ok("new-session", "-d", "-s", "main", "-x", "100", "-y", "29")
    server.ok("split-window", "-h", "-t", "main")
    harness.start("attach", "-t", "main")
    harness.wait_for("[main]")
    inner = f"{harness.name}in"
    tmux = ["tmux", "-L", inner, "-f", "/dev/null"]
    env = dict(server.env)
    try:
        subprocess.run([*tmux, "new-session", "-d", "-s", "main", "-x", "100", "-y", "29"],
                       env=env, check=True, cwd=str(server.home))
        subprocess.run([*tmux, "split-window", "-h", "-t", "main"], env=env, check=True)
        attach = " ".join(_quote(word) for word in [*tmux, "attach", "-t", "main"])
        harness.tmux("new-window", "-t", "h", "-n", "oracle",
                     f"env -u TMUX TERM=xterm-256color HOME={_quote(str(server.home))} {attach}")
        harness.tmux("resize-window", "-t", "h:oracle", "-x", "120", "-y", "40")
        for args in (["set", "-g", "status", "2"], ["set", "-g", "status-right", "R"]):
            server.ok(*args)
            subprocess.run([*tmux, *args], env=env, check=True)

        def lines(target: str) -> list[str]:
            return harness.tmux("capture-pane", "-p", "-t", target).rstrip("\n").split("\n")

        wait_until(lambda: lines("h:0")[-2:] == lines("h:oracle")[-2:], 15,
                   message="the same two status lines")
        assert lines("h:0")[-1].strip().startswith("0[60x38] 1[59x38]")
        wait_until(lambda: server.ok("display", "-p", "-t", "main", "#{window_height}")
                   == "38\n", 15, message="panes one line shorter")
        server.ok("set", "-g", "status", "off")
        wait_until(lambda: server.ok("display", "-p", "-t", "main", "#{window_height}")
                   == "40\n", 15, message="the panes have every line")
    finally:
        subprocess.run([*tmux, "kill-server"], env=env, capture_output=True, check=False)


def test_default_status_line_text_is_tmux(harness: Harness, server: IsolatedServer) -> None:
    """With no option set, the line reads as tmux's: ``[main] 0:bash- 1:bash*`` and
    ``"host" HH:MM dd-Mon-yy`` on the right (the clock compared without its minutes)."""
    server.ok("new-session", "-d", "-s", "main", "-x", "100", "-y", "29")
    server.ok("new-window", "-t", "main")
    harness.start("attach", "-t", "main")
    harness.wait_for("[main]")
    inner = f"{harness.name}in"
    tmux = ["tmux", "-L", inner, "-f", "/dev/null"]
    env = dict(server.env)
    try:
        subprocess.run([*tmux, "new-session", "-d", "-s", "main", "-x", "100", "-y", "29"],
                       env=env, check=True, cwd=str(server.home))
        subprocess.run([*tmux, "new-window", "-t", "main"], env=env, check=True)
        attach = " ".join(_quote(word) for word in [*tmux, "attach", "-t", "main"])
        harness.tmux("new-window", "-t", "h", "-n", "oracle",
                     f"env -u TMUX TERM=xterm-256color HOME={_quote(str(server.home))} {attach}")
        harness.tmux("resize-window", "-t", "h:oracle", "-x", "120", "-y", "40")

        def line(target: str) -> str:
            text = _last_line(harness, target, False)
            return re.sub(r"\d\d:\d\d", "HH:MM", text)

        wait_until(lambda: line("h:0") == line("h:oracle"), 15, message="the same line")
        assert line("h:0").startswith("[main] 0:bash- 1:bash*")
    finally:
        subprocess.run([*tmux, "kill-server"], env=env, capture_output=True, check=False)


def test_a_user_status_format_line_as_in_tmux(harness: Harness,
                                              server: IsolatedServer) -> None:
    """A user's own ``status-format[0]`` replaces the whole first status line, drawn from
    the format (its text and colours) as tmux draws it."""
    server.ok("new-session", "-d", "-s", "main", "-x", "100", "-y", "29")
    harness.start("attach", "-t", "main")
    harness.wait_for("[main]")
    inner = f"{harness.name}in"
    tmux = ["tmux", "-L", inner, "-f", "/dev/null"]
    env = dict(server.env)
    try:
        subprocess.run([*tmux, "new-session", "-d", "-s", "main", "-x", "100", "-y", "29"],
                       env=env, check=True, cwd=str(server.home))
        attach = " ".join(_quote(word) for word in [*tmux, "attach", "-t", "main"])
        harness.tmux("new-window", "-t", "h", "-n", "oracle",
                     f"env -u TMUX TERM=xterm-256color HOME={_quote(str(server.home))} {attach}")
        harness.tmux("resize-window", "-t", "h:oracle", "-x", "120", "-y", "40")
        setting = ["set", "-g", "status-format[0]",
                   "#[fg=red]own #S line#[default] #{session_windows} windows"
                   "#[align=right]#[bg=blue]right"]
        # (an explicit status-style: the default one is drawn in the theme's colours)
        style = ["set", "-g", "status-style", "fg=colour123,bg=colour236"]
        for args in (style, setting):
            server.ok(*args)
            subprocess.run([*tmux, *args], env=env, check=True)
        wait_until(lambda: "own main line" in _last_line(harness, "h:oracle", False), 15,
                   message="tmux's own line")
        try:
            wait_until(lambda: sgr_runs(_last_line(harness, "h:0", True))
                       == sgr_runs(_last_line(harness, "h:oracle", True)), 15)
        except AssertionError:
            pass
        assert sgr_runs(_last_line(harness, "h:0", True)) \
            == sgr_runs(_last_line(harness, "h:oracle", True))
    finally:
        subprocess.run([*tmux, "kill-server"], env=env, capture_output=True, check=False)
