"""choose-tree, choose-buffer and choose-client run from the command line (as a script or
another terminal runs them) against tmux 3.3a in the same harness: the client showing the
pane draws the mode as tmux does (the same cells and colours), with the flags scripts use
(``-F``, ``-f``, ``-O``, ``-r``, ``-N``, ``-s``/``-w``, a template), and keys drive it."""

from __future__ import annotations

import shutil

import pytest
from conftest import wait_until
from e2e_harness import (  # noqa: F401
    Harness,
    SideBySide,
    harness,
    oracle_harness,
    side_by_side,
    window_runs,
)

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def _rows(terminal: Harness) -> list[list[tuple[str, str]]]:
    """The terminal's rows as runs, trailing blanks dropped whatever their colour: tmux
    clears the rest of the current line in ``mode-style`` (capture-pane leaves cleared
    cells out) where the client writes blanks in it; both show the same."""
    rows = window_runs(terminal)
    for row in rows:
        while row and not row[-1][1].strip():
            row.pop()
        if row:
            row[-1] = (row[-1][0], row[-1][1].rstrip())
    return rows


def _same(pair: SideBySide, what: str) -> list[list[tuple[str, str]]]:
    """Both terminals' rows once they agree and both changed since the last step."""
    before = pair.screens[-1] if pair.screens else None

    def ready() -> bool:
        ours, theirs = _rows(pair.ours), _rows(pair.theirs)
        changed = before is None or (ours != before[0] and theirs != before[1])
        return changed and ours == theirs

    try:
        wait_until(ready, message="the same screens")
    except AssertionError:
        pass
    ours, theirs = _rows(pair.ours), _rows(pair.theirs)
    pair.screens.append((ours, theirs))
    if ours != theirs:
        row = next(row for row in range(max(len(ours), len(theirs)))
                   if ours[row:row + 1] != theirs[row:row + 1])
        raise AssertionError(f"{what}: row {row} differs:\n ours   {ours[row:row + 1]}"
                             f"\n theirs {theirs[row:row + 1]}\nours:\n"
                             f"{pair.ours.screen()}\ntheirs:\n{pair.theirs.screen()}")
    return ours


def _mode(pair: SideBySide) -> str:
    return pair.server.ok("display-message", "-p", "-t", "p", "#{pane_mode}").strip()


def _setup(pair: SideBySide) -> None:
    both = pair.both
    both("respawn-pane", "-k", "-t", "p.0", "cat")  # the same (empty) screens
    both("rename-window", "-t", "p:0", "first")
    both("new-window", "-d", "-t", "p:1", "-n", "second", "cat")
    both("split-window", "-d", "-t", "p:1", "cat")
    both("new-session", "-d", "-s", "q", "-n", "other", "cat")
    _same(pair, "set up")


def test_choose_tree_from_a_script_matches_tmux(side_by_side: SideBySide) -> None:
    pair = side_by_side
    _setup(pair)
    pair.both("choose-tree", "-N", "-t", "p")  # everything expanded, the pane chosen
    rows = _same(pair, "choose-tree")
    assert any("second" in "".join(text for _, text in row) for row in rows)
    assert _mode(pair) == "tree-mode"
    pair.keys("q")
    _same(pair, "left")
    wait_until(lambda: _mode(pair) == "", message="our pane left tree-mode")
    pair.both("choose-tree", "-s", "-O", "name", "-r", "-t", "p")  # with the preview
    _same(pair, "sessions by name, reversed")
    pair.keys("Down")
    _same(pair, "moved")
    pair.keys("Escape")
    _same(pair, "closed")
    pair.both("choose-tree", "-N", "-w", "-F", "#{window_name}/#{window_panes}",
              "-f", "#{==:#{window_name},second}", "-t", "p",
              "rename-window -t '%%' chosen")
    _same(pair, "filtered and formatted")
    pair.keys("Enter")  # the template runs on the highlighted window
    wait_until(lambda: "chosen" in pair.server.ok("list-windows", "-t", "p", "-F",
                                                  "#{window_name}"), message="template ran")
    _same(pair, "template ran")


def test_choose_buffer_and_client_from_a_script_match_tmux(side_by_side: SideBySide) -> None:
    pair = side_by_side
    pair.both("respawn-pane", "-k", "-t", "p.0", "cat")
    pair.both("set-buffer", "-b", "alpha", "first text")
    pair.both("set-buffer", "-b", "beta", "second\ntext")
    _same(pair, "set up")
    pair.both("choose-buffer", "-F", "#{buffer_size} #{buffer_sample}", "-O", "name",
              "-t", "p")
    _same(pair, "choose-buffer")
    assert _mode(pair) == "buffer-mode"
    pair.keys("Down")
    _same(pair, "second buffer")
    pair.keys("Enter")  # pastes it (paste-buffer -p -b beta) and leaves
    _same(pair, "pasted")
    wait_until(lambda: _mode(pair) == "", message="our pane left buffer-mode")
    # choose-client: the line names the client by its terminal, which differs between the
    # two (the harness's tmux gives its client a tty name, ours is client-N)
    screen_before = pair.ours.screen()
    pair.both("choose-client", "-N", "-F", "#{session_name} #{client_width}", "-t", "p")
    pair.ours.wait_for(": p 120")
    pair.theirs.wait_for(": p 120")
    assert _mode(pair) == "client-mode"
    pair.keys("q")
    wait_until(lambda: _mode(pair) == "", message="our pane left client-mode")
    wait_until(lambda: pair.ours.screen() == screen_before, message="the chooser closed")


def _modes(pair: SideBySide) -> tuple[str, str]:
    """(``#{pane_mode}`` ``#{pane_in_mode}``) of pane ``p`` in ours and in tmux."""
    fmt = "#{pane_mode} #{pane_in_mode}"
    ours = pair.server.ok("display-message", "-p", "-t", "p", fmt).strip()
    code, theirs, _ = pair.oracle.run("display-message", "-p", "-t", "p", fmt)
    return ours, theirs.strip()


def _out_of_modes(pair: SideBySide) -> None:
    try:
        wait_until(lambda: _modes(pair) == ("0", "0"), message="both panes out of the mode")
    except AssertionError:
        raise AssertionError(f"modes (ours, tmux's): {_modes(pair)}") from None


def test_a_key_binding_s_chooser_is_the_pane_s_mode_like_tmux(side_by_side: SideBySide) -> None:
    """``C-b w`` puts the pane in tree-mode on the server (``#{pane_mode}``,
    ``#{pane_in_mode}``) as in tmux, and leaving it takes the pane out."""
    pair = side_by_side
    _setup(pair)
    pair.keys("C-b", "w")
    _same(pair, "C-b w")
    wait_until(lambda: _modes(pair) == ("tree-mode 1", "tree-mode 1"),
               message="both panes in tree-mode")
    pair.keys("Down")
    _same(pair, "moved")
    pair.keys("q")
    _same(pair, "left")
    _out_of_modes(pair)


def test_send_keys_drive_a_chooser_like_tmux(side_by_side: SideBySide) -> None:
    """``send-keys`` to a pane in tree-mode or buffer-mode moves and chooses in it, as tmux
    feeds a mode the keys a script sends."""
    pair = side_by_side
    _setup(pair)
    pair.both("choose-tree", "-w", "-t", "p")
    _same(pair, "choose-tree")
    pair.both("send-keys", "-t", "p", "Down")
    _same(pair, "moved by send-keys")
    pair.both("send-keys", "-t", "p", "Enter")  # window p:1 chosen
    _same(pair, "chosen by send-keys")
    _out_of_modes(pair)
    fmt = "#{window_index}"
    code, theirs, _ = pair.oracle.run("display-message", "-p", "-t", "p", fmt)
    assert pair.server.ok("display-message", "-p", "-t", "p", fmt) == theirs == "1\n"
    # back to the one-pane window: the client draws a chooser over its whole window, tmux
    # in the pane (the same when the pane is the window's only one)
    pair.both("select-window", "-t", "p:0")
    pair.both("set-buffer", "-b", "alpha", "first text")
    pair.both("set-buffer", "-b", "beta", "second text")
    pair.both("choose-buffer", "-t", "p", "-O", "name")
    _same(pair, "choose-buffer")
    pair.both("send-keys", "-t", "p", "Down", "Enter")  # pastes beta, leaves
    _same(pair, "pasted by send-keys")
    _out_of_modes(pair)
    pair.both("choose-buffer", "-t", "p")
    _same(pair, "choose-buffer again")
    pair.both("send-keys", "-t", "p", "q")
    _same(pair, "left by send-keys")
    _out_of_modes(pair)
