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
    SideBySide,
    harness,
    oracle_harness,
    side_by_side,
    window_runs,
)

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def _coloured(rows: list[list[tuple[str, str]]]) -> int:
    return sum(len(text) for row in rows for state, text in row if "48=" in state)


def test_display_panes_matches_tmux(side_by_side: SideBySide) -> None:
    pair, both, server, oracle = (side_by_side, side_by_side.both, side_by_side.server,
                                  side_by_side.oracle)

    def active(run_in_ours: bool) -> str:
        args = ("display-message", "-p", "-t", "p", "#{pane_index}")
        return server.ok(*args).strip() if run_in_ours else oracle.run(*args)[1].strip()

    def coloured() -> int:
        return _coloured(window_runs(pair.ours))

    both("respawn-pane", "-k", "-t", "p.0", "cat")  # the same (empty) screens
    both("split-window", "-h", "-t", "p", "cat")
    both("split-window", "-v", "-t", "p", "-l", "4", "cat")  # too low for digits
    both("select-pane", "-t", "p.0")
    both("set-option", "-g", "display-panes-time", "600000")
    both("set-option", "-g", "display-panes-colour", "magenta")
    pair.same("no marks")
    pair.keys("C-b", "q")
    wait_until(lambda: coloured() > 20, message="our marks drawn")
    texts = ["".join(text for _, text in row) for row in pair.same("marks")]
    assert any("60x39" in text for text in texts), texts[:2]  # pane 0: its size

    pair.keys("1")  # an index key chooses that pane
    wait_until(lambda: active(True) == "1", message="our pane 1 chosen")
    wait_until(lambda: active(False) == "1", message="tmux's pane 1 chosen")
    wait_until(lambda: coloured() == 0, message="our marks gone")

    pair.keys("C-b", "q")  # not an index: the pane gets it
    wait_until(lambda: coloured() > 20, message="our marks again")
    pair.keys("X")
    wait_until(lambda: coloured() == 0, message="our marks gone")
    rows = pair.same("marks gone, X typed")
    assert any("".join(text for _, text in row).rstrip().endswith("X") for row in rows)

    for delay in ("abc", "-1", "4294967296", "", "5x", "1_0"):  # with a client: -d's errors
        ours = server.run("display-panes", "-d", delay)
        code, _, err = oracle.run("display-panes", "-d", delay)
        assert (ours.code, ours.err) == (code, err), delay


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
