"""customize-mode (tmux 3.3a's options mode) against tmux in the same harness: the tree of
option groups and key tables the client draws at a fixed size, moving and expanding in it,
its preview box, and an edit made in it (a flag toggled, a value typed at its prompt)
that ``show-options`` then shows in both."""

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
)
from test_e2e_choosers_tmux import _modes, _out_of_modes, _rows, _same

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def _same_tree(pair: SideBySide, what: str) -> list[list[tuple[str, str]]]:
    """Both terminals' tree and the preview box's top border (its title) once they agree
    and changed: tmux's first preview lines are the option's description, which the
    client leaves out (it has no option texts), so the box's inside is not compared."""
    before = pair.screens[-1] if pair.screens else None

    def top(rows: list[list[tuple[str, str]]]) -> list[list[tuple[str, str]]]:
        border = next((n for n, row in enumerate(rows)
                       if row and row[0][1].startswith("┌")), len(rows))
        return rows[:border + 1]

    def ready() -> bool:
        ours, theirs = top(_rows(pair.ours)), top(_rows(pair.theirs))
        changed = before is None or (ours != before[0] and theirs != before[1])
        return changed and ours == theirs and ours == top(_rows(pair.ours))

    try:
        wait_until(ready, message="the same trees")
    except AssertionError:
        pass
    ours, theirs = top(_rows(pair.ours)), top(_rows(pair.theirs))
    pair.screens.append((ours, theirs))
    assert ours == theirs, (f"{what}:\nours:\n{pair.ours.screen()}\n"
                            f"theirs:\n{pair.theirs.screen()}")
    return ours


def _same_preview(pair: SideBySide, what: str) -> None:
    """The preview box's inside after tmux's description (its first line and the blank
    one after it: the client has no option texts) equals ours, cell for cell, once they
    agree; ours ends with the two rows tmux used for it, blank."""
    def inside(terminal: Harness) -> list[list[tuple[str, str]]]:
        rows = _rows(terminal)
        top = next(n for n, row in enumerate(rows) if row and row[0][1].startswith("┌"))
        return rows[top + 1:-1]

    def pair_rows() -> tuple[list[list[tuple[str, str]]], list[list[tuple[str, str]]]]:
        return inside(pair.ours)[:-2], inside(pair.theirs)[2:]

    try:
        wait_until(lambda: pair_rows()[0] == pair_rows()[1], message="the same previews")
    except AssertionError:
        raise AssertionError(f"{what}:\nours:\n{pair.ours.screen()}\n"
                             f"theirs:\n{pair.theirs.screen()}") from None


def _prompt(pair: SideBySide, text: str) -> None:
    """Both status lines show the prompt ``text``."""
    def last(terminal: Harness) -> str:
        return terminal.screen().rstrip("\n").splitlines()[-1].rstrip()

    try:
        wait_until(lambda: last(pair.ours) == last(pair.theirs) == text,
                   message=f"the prompt {text!r}")
    except AssertionError:
        raise AssertionError(f"ours {last(pair.ours)!r}, theirs {last(pair.theirs)!r}") from None


def _list_keys_agree(pair: SideBySide, *args: str) -> None:
    def both() -> tuple[str, str]:
        code, theirs, _ = pair.oracle.run("list-keys", *args)
        return pair.server.run("list-keys", *args).out, theirs

    try:
        wait_until(lambda: len(set(both())) == 1, message="the same list-keys")
    except AssertionError:
        raise AssertionError(f"list-keys {args}: {both()}") from None


def _show(pair: SideBySide, *args: str) -> tuple[str, str]:
    ours = pair.server.ok("show-options", *args)
    code, theirs, _ = pair.oracle.run("show-options", *args)
    return ours, theirs


def test_customize_mode_matches_tmux(side_by_side: SideBySide) -> None:
    pair = side_by_side
    pair.both("respawn-pane", "-k", "-t", "p.0", "cat")
    # ai-session's panes get xterm-256color by default, tmux's tmux-256color
    pair.both("set-option", "-s", "default-terminal", "xterm-256color")
    _same(pair, "set up")
    pair.both("customize-mode", "-t", "p")
    _same(pair, "customize-mode")
    wait_until(lambda: _modes(pair) == ("options-mode 1", "options-mode 1"),
               message="both panes in options-mode")
    pair.keys("Right")
    _same(pair, "server options expanded")
    pair.keys("Down", "Down")
    _same_tree(pair, "moved to buffer-limit")
    pair.keys("Down", "Right")
    _same_tree(pair, "command-alias expanded")
    pair.keys("Down", "Down")
    _same_tree(pair, "an array item")
    pair.keys("Up", "Up", "Up", "Left", "M-j", "Right")
    _same_tree(pair, "session options expanded")
    pair.keys("q")
    _same_tree(pair, "left")
    _out_of_modes(pair)
    pair.keys("C-b", "C")  # customize-mode -Z from the key binding
    _same_tree(pair, "prefix C")
    wait_until(lambda: _modes(pair) == ("options-mode 1", "options-mode 1"),
               message="both panes in options-mode")
    pair.keys("Escape")
    _out_of_modes(pair)


def test_customize_mode_keys_and_edits_match_tmux(side_by_side: SideBySide) -> None:
    pair = side_by_side
    pair.both("respawn-pane", "-k", "-t", "p.0", "cat")
    pair.both("set-option", "-s", "default-terminal", "xterm-256color")
    pair.both("set-option", "-g", "mouse", "off")  # on by default in ai-session
    _same(pair, "set up")
    pair.both("customize-mode", "-t", "p")
    _same(pair, "customize-mode")
    pair.keys("5", "Right", "Down")  # the prefix table's first key, with its preview
    _same(pair, "a key and its preview")
    pair.keys("Right", "Down")
    _same(pair, "the key's command line")
    pair.keys("Down", "Down", "Enter")  # Repeat: toggled
    _same(pair, "repeat on")
    _list_keys_agree(pair, "-T", "prefix", "C-b")
    pair.keys("Up", "Enter")  # Note: a prompt with the note
    _prompt(pair, "(C-b) Send the prefix key")
    pair.keys("!", "Enter")
    _list_keys_agree(pair, "-N", "-T", "prefix", "C-b")
    _same_tree(pair, "note changed")
    pair.keys("Up", "Enter")  # Command: a prompt with the command
    _prompt(pair, "(C-b) send-prefix")
    pair.keys(*["BSpace"] * 11, "last-window", "Enter")
    _list_keys_agree(pair, "-T", "prefix", "C-b")
    _same(pair, "command changed, the default in the preview")
    pair.keys("d")
    _prompt(pair, "Reset C-b to default?")
    pair.keys("y")
    _same(pair, "reset to the default")
    _list_keys_agree(pair, "-N", "-T", "prefix", "C-b")
    _list_keys_agree(pair, "-T", "prefix", "C-b")
    pair.keys("q")
    _out_of_modes(pair)


def test_customize_mode_option_edits_match_tmux(side_by_side: SideBySide) -> None:
    pair = side_by_side
    pair.both("respawn-pane", "-k", "-t", "p.0", "cat")
    pair.both("set-option", "-s", "default-terminal", "xterm-256color")
    pair.both("set-option", "-g", "mouse", "off")
    _same(pair, "set up")
    pair.both("customize-mode", "-t", "p")
    _same(pair, "customize-mode")
    # moves through send-keys (the mode gets them in order, however soon after opening)
    pair.both("send-keys", "-t", "p", "Down", "Right", "Down", "Down", "Down", "Down")
    _same_tree(pair, "bell-action")
    pair.both("send-keys", "-t", "p", "Enter")  # a choice: the next value, set for the session
    _same_tree(pair, "bell-action for the session")
    wait_until(lambda: _show(pair, "-t", "p", "bell-action")[0] == "bell-action current\n",
               message="our bell-action set")
    assert _show(pair, "-t", "p", "bell-action") == ("bell-action current\n",) * 2
    _same_preview(pair, "bell-action's preview")
    pair.both("send-keys", "-t", "p", *["Down"] * 6)
    _same_tree(pair, "a colour option")
    _same_preview(pair, "a colour option's preview")
    pair.both("send-keys", "-t", "p", *["Down"] * 9)
    _same_tree(pair, "a style option")
    _same_preview(pair, "a style option's preview")
    pair.both("send-keys", "-t", "p", *["Up"] * 15)
    pair.both("send-keys", "-t", "p", "Up", "Up", "Up", "Up", "Left", "Up", "Right")
    pair.both("send-keys", "-t", "p", *["Down"] * 7)
    _same_tree(pair, "escape-time")
    pair.both("send-keys", "-t", "p", "Enter")  # a number: a prompt with the value
    _prompt(pair, "(escape-time) 500")
    pair.keys("BSpace", "BSpace", "BSpace", "1", "0", "Enter")
    _same_tree(pair, "escape-time set")
    wait_until(lambda: _show(pair, "-s", "escape-time")[0] == "escape-time 10\n",
               message="our escape-time set")
    assert _show(pair, "-s", "escape-time") == ("escape-time 10\n",) * 2
    pair.both("send-keys", "-t", "p", "d")
    _prompt(pair, "Reset escape-time to default?")
    pair.keys("y")
    _same_tree(pair, "escape-time reset")
    wait_until(lambda: _show(pair, "-s", "escape-time")[0] == "escape-time 500\n",
               message="our escape-time reset")
    assert _show(pair, "-s", "escape-time") == ("escape-time 500\n",) * 2
    pair.both("send-keys", "-t", "p", "q")
    _out_of_modes(pair)


def test_customize_mode_unbinds_a_key(side_by_side: SideBySide) -> None:
    """``u`` on a key unbinds it (after ``y``). Not compared: tmux 3.3a's screen goes
    blank there."""
    pair = side_by_side
    pair.server.ok("respawn-pane", "-k", "-t", "p.0", "cat")
    pair.server.ok("customize-mode", "-t", "p")
    pair.ours.wait_for("+ Key Table - root")
    pair.ours.keys("5", "Right", "Down")
    pair.ours.wait_for("├─> + C-b")
    pair.ours.keys("u")
    pair.ours.wait_for("Unset C-b?")
    pair.ours.keys("y")
    wait_until(lambda: "C-b " not in pair.server.ok("list-keys", "-T", "prefix"),
               message="C-b unbound")
    pair.ours.wait_for("├─> + C-o")
    pair.ours.keys("q")
    wait_until(lambda: _modes(pair)[0] == "0", message="our pane out of the mode")


def test_customize_mode_filter_format_and_send_keys_match_tmux(side_by_side: SideBySide) -> None:
    pair = side_by_side
    pair.both("respawn-pane", "-k", "-t", "p.0", "cat")
    pair.both("set-option", "-s", "default-terminal", "xterm-256color")
    _same(pair, "set up")
    pair.both("customize-mode", "-t", "p", "-F", "#{option_name}=#{option_value}")
    _same_tree(pair, "formatted")
    pair.both("send-keys", "-t", "p", "Right", "Down", "Down")
    _same_tree(pair, "expanded and moved by send-keys")
    pair.both("send-keys", "-t", "p", "q")
    _out_of_modes(pair)


def test_customize_mode_filter(side_by_side: SideBySide) -> None:
    """``-f`` keeps the options (and keys) it expands true for. Not compared with tmux:
    tmux 3.3a's key loop never advances past a key the filter drops
    (``window_customize_build_keys``), so its server hangs."""
    pair = side_by_side
    pair.server.ok("respawn-pane", "-k", "-t", "p.0", "cat")
    pair.server.ok("customize-mode", "-t", "p", "-f", "#{m:*-time,#{option_name}}")
    pair.ours.wait_for("(2)   Window & Pane Options")  # no window option matches
    pair.ours.keys("Right")
    pair.ours.wait_for("└─> escape-time: 500 milliseconds")
    pair.ours.keys("Down", "Down", "Right")
    screen = pair.ours.wait_for("├─> assume-paste-time: 1 milliseconds")
    assert "buffer-limit" not in screen and "bell-action" not in screen
    pair.ours.keys("q")
    wait_until(lambda: _modes(pair)[0] == "0", message="our pane out of the mode")
