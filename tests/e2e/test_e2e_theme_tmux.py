"""Themes in the real TUI against tmux 3.3a in the same harness: with no theme the status
line is tmux's default one (the terminal's green and black: SGR 42/30, not a fixed RGB),
and with a shipped theme file sourced in both, the status line and the pane borders show
the same SGR colours as tmux for the same style options (the border of two panes coloured
half for each, tmux's ``pane-border-indicators colour``), and so does a message."""

from __future__ import annotations

import shutil

import pytest
from conftest import IsolatedServer, LiveTmux, wait_until
from e2e_harness import (  # noqa: F401 - fixtures
    Harness,
    harness,
    oracle_harness,
    sgr_cells,
    start_tmux_oracle,
)

from aisession_tui.themes import builtin_theme_path

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def _screen(harness: Harness) -> list[list[tuple[str, str]]]:
    text = harness.tmux("capture-pane", "-e", "-p", "-t", "h")
    return [sgr_cells(line) for line in text.rstrip("\n").split("\n")]


def _status(harness: Harness) -> list[tuple[str, str]]:
    """The status line's cells, trailing blanks in the line's colour kept."""
    rows = _screen(harness)
    return rows[-1] if rows else []


def _border_colours(harness: Harness) -> list[str]:
    """The SGR state of each border cell in the screen's column 60 (a split -h border)."""
    return [row[60][1] for row in _screen(harness)[:-1]
            if len(row) > 60 and row[60][0] in "│┼├┤"]


def _border_row(harness: Harness) -> list[str]:
    """The SGR state of each cell of the first row made only of ``─`` (a split -v border)."""
    for row in _screen(harness)[:-1]:
        if row and all(char == "─" for char, _ in row):
            return [state for _, state in row]
    return []


def _client(run) -> str:  # type: ignore[no-untyped-def]
    """The name of the one client attached to the server ``run`` talks to."""
    _, out, _ = run("list-clients", "-F", "#{client_name}")
    return str(out.split()[0])


def _same(ours: Harness, theirs: Harness, what: str, take) -> None:  # type: ignore[no-untyped-def]
    try:
        wait_until(lambda: take(ours) and take(ours) == take(theirs), 30)
    except AssertionError:
        pass
    assert take(ours) == take(theirs), f"{what}: {_runs(take(ours))} / {_runs(take(theirs))}"


def _runs(cells: list[tuple[str, str]] | list[str]) -> list[tuple[str, str]]:
    """Cells joined into (state, text) runs, for a readable failure."""
    runs: list[tuple[str, str]] = []
    for cell in cells:
        char, state = cell if isinstance(cell, tuple) else ("|", cell)
        if runs and runs[-1][0] == state:
            runs[-1] = (state, runs[-1][1] + char)
        else:
            runs.append((state, char))
    return runs


def test_default_look_and_a_theme_file_match_tmux(server: IsolatedServer, harness: Harness,
                                                  oracle_harness: Harness) -> None:
    oracle = LiveTmux(dict(server.env))
    theme = str(builtin_theme_path("dark"))

    def ours(*args: str) -> tuple[int, str, str]:
        result = server.run(*args)
        return result.code, result.out, result.err

    try:
        server.ok("new-session", "-d", "-s", "p")
        for run in (ours, oracle.run):
            run("set", "-g", "status-right", "")  # no clock: the lines must not differ by time
        harness.start("attach", "-t", "p")
        start_tmux_oracle(oracle_harness, oracle, server, after="\\; set -g status-right ''")
        harness.wait_for("0:bash*")
        harness.wait_attached()
        oracle_harness.wait_for("0:bash*")
        status = _status(oracle_harness)
        assert status[0] == ("[", "38=0,48=2"), "tmux's default: palette black on green"
        _same(harness, oracle_harness, "the default status line", _status)
        for run in (ours, oracle.run):
            run("split-window", "-h", "-t", "p")
        wait_until(lambda: "38=2" in _border_colours(oracle_harness), 30,
                   message="tmux's green active border")
        _same(harness, oracle_harness, "the default borders", _border_colours)

        for run in (ours, oracle.run):
            code, _, err = run("source-file", theme)
            assert code == 0, err
        wait_until(lambda: "48=236" in _status(oracle_harness)[0][1], 30,
                   message="tmux took the theme")
        _same(harness, oracle_harness, "the themed status line", _status)
        _same(harness, oracle_harness, "the themed borders (tmux's two-pane halves)",
              _border_colours)
        assert set(_border_colours(oracle_harness)) == {"38=240", "38=75"}
        for run in (ours, oracle.run):
            run("select-pane", "-L", "-t", "p")
        wait_until(lambda: _border_colours(oracle_harness)[0] == "38=75", 30,
                   message="tmux's left pane active")
        _same(harness, oracle_harness, "the left pane's half", _border_colours)
        for run in (ours, oracle.run):
            run("kill-pane", "-t", "p.1")
            run("split-window", "-v", "-t", "p")
        wait_until(lambda: _border_colours(oracle_harness) == [], 30,
                   message="tmux's separator is a row now")
        _same(harness, oracle_harness, "a row separator's halves", _border_row)
        assert set(_border_row(oracle_harness)) == {"38=240", "38=75"}
        for run in (ours, oracle.run):
            run("set", "-g", "display-time", "0")  # the message stays until a key
            run("display-message", "-c", _client(run), "themed message")
        wait_until(lambda: "themed" in "".join(c for c, _ in _status(oracle_harness)), 30,
                   message="tmux's message")
        _same(harness, oracle_harness, "the message in message-style", _status)
        assert _status(oracle_harness)[0][1] == "38=234,48=221"
    finally:
        oracle.kill()
