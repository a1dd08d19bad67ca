"""display-panes (``C-b q``) in the real TUI against tmux 3.3a in the same harness: the
same marks in the same cells and colours (block digits on ``display-panes-colour``, the
active pane's on ``display-panes-active-colour``, each pane's size at its top right, the
index as text in a pane too small for digits), over the panes' own screens (``cat``, so both show the same); an index key
selects that pane and a key that is not an index goes on to the pane, in both."""

from __future__ import annotations

import shutil

import pytest
from conftest import IsolatedServer, LiveTmux, wait_until
from e2e_harness import (  # noqa: F401 - fixtures
    Harness,
    harness,
    oracle_harness,
    same_window_runs,
    start_tmux_oracle,
    window_runs,
)

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def _coloured(rows: list[list[tuple[str, str]]]) -> int:
    return sum(len(text) for row in rows for state, text in row if "48=" in state)


def test_display_panes_matches_tmux(server: IsolatedServer, harness: Harness,
                                    oracle_harness: Harness) -> None:
    oracle = LiveTmux(dict(server.env))

    def both(*args: str) -> None:
        server.ok(*args)
        code, _, err = oracle.run(*args)
        assert code == 0, err

    def active(run_in_ours: bool) -> str:
        args = ("display-message", "-p", "-t", "p", "#{pane_index}")
        return server.ok(*args).strip() if run_in_ours else oracle.run(*args)[1].strip()

    try:
        server.ok("new-session", "-d", "-s", "p")
        harness.start("attach", "-t", "p")
        start_tmux_oracle(oracle_harness, oracle, server)
        harness.wait_for("0:bash*")
        oracle_harness.wait_for("0:bash*")
        both("respawn-pane", "-k", "-t", "p.0", "cat")  # the same (empty) screens
        both("split-window", "-h", "-t", "p", "cat")
        both("split-window", "-v", "-t", "p", "-l", "4", "cat")  # too low for digits
        both("select-pane", "-t", "p.0")
        both("set-option", "-g", "display-panes-time", "600000")
        both("set-option", "-g", "display-panes-colour", "magenta")
        for terminal in (harness, oracle_harness):
            terminal.keys("C-b", "q")
        wait_until(lambda: _coloured(window_runs(harness)) > 20, message="our marks drawn")
        ours, theirs = same_window_runs(harness, oracle_harness)
        assert ours == theirs
        texts = ["".join(text for _, text in row) for row in ours]
        assert any("60x39" in text for text in texts), texts[:2]  # pane 0: its size

        for terminal in (harness, oracle_harness):  # an index key chooses that pane
            terminal.keys("1")
        wait_until(lambda: active(True) == "1", message="our pane 1 chosen")
        wait_until(lambda: active(False) == "1", message="tmux's pane 1 chosen")
        wait_until(lambda: _coloured(window_runs(harness)) == 0, message="our marks gone")

        for terminal in (harness, oracle_harness):  # not an index: the pane gets it
            terminal.keys("C-b", "q")
        wait_until(lambda: _coloured(window_runs(harness)) > 20, message="our marks again")
        for terminal in (harness, oracle_harness):
            terminal.keys("X")
        wait_until(lambda: _coloured(window_runs(harness)) == 0, message="our marks gone")
        ours, theirs = same_window_runs(harness, oracle_harness)
        assert ours == theirs
        assert any("".join(text for _, text in row).rstrip().endswith("X") for row in ours)

        for delay in ("abc", "-1", "4294967296", "", "5x", "1_0"):  # with a client: -d's errors
            ours_result = server.run("display-panes", "-d", delay)
            code, _, err = oracle.run("display-panes", "-d", delay)
            assert (ours_result.code, ours_result.err) == (code, err), delay
    finally:
        oracle.kill()


def test_display_panes_without_a_client_fails_as_tmux(server: IsolatedServer) -> None:
    oracle = LiveTmux(dict(server.env))
    try:
        server.ok("new-session", "-d", "-s", "p")
        assert oracle.run("new-session", "-d", "-s", "p")[0] == 0
        for args in (["display-panes"], ["display-panes", "-d", "abc"]):
            ours = server.run(*args)
            code, _, err = oracle.run(*args)
            assert (ours.code, ours.err) == (code, err) == (1, "no current client\n")
    finally:
        oracle.kill()
