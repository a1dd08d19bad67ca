"""Where ai-session's emulator deliberately differs from tmux 3.3a, and why.

The emulator follows tmux 3.3a byte for byte (tests/terminal/test_emulator_tmux.py
compares it with a live tmux), except for the rows of ``DECISIONS``: places where xterm
(what real programs are written against) and tmux disagree and programs depend on
xterm's behaviour, or where what tmux stores is not what the user sees. Each row names
a stream, what tmux's ``capture-pane -p`` shows for it and what ours shows; a test per
row checks both against live tmux and the emulator, so a row cannot go stale.

DEC line drawing: stored as the box characters users see. tmux keeps the ASCII byte
plus a charset flag (``capture-pane -p`` prints ``q`` for a horizontal line, ``-e`` wraps
it in SO/SI); ai-session stores ``─``, so capture-pane, copy mode, search and the AI
context all read what is on the screen.

ICH (``CSI @``) that reaches the line's end: tmux 3.3a's grid moves the cells that stay
on the line and blanks only the cells they came from (grid_move_cells), so where the count
is larger than what is left to move, cells past that keep their old characters, and an
ICH of exactly the rest of the line changes nothing. The terminal tmux draws on receives
a real ICH and shows the xterm result; only tmux's copy of the screen (capture-pane, a
redraw) keeps the stale cells. ai-session stores what the terminal showed: blanks.

A character written on the right half of a wide character: tmux 3.3a's grid keeps the
wide character when the write is plain ASCII in column 1 (screen_write_collect_end's walk
back stops before column 0) and when an erase, ICH or DCH cuts it, and clears it
otherwise. ai-session's grid does the same, so ``capture-pane`` reads what tmux's does;
the pane shows a blank there, as the terminal under tmux shows (it clears a wide
character whose half is overwritten). This once was a row below; it is no longer a
difference.

Everything else that once differed (HPR ``CSI a``, VPR ``CSI e`` and CHT ``CSI I``,
which xterm implements and tmux ignores) now follows tmux: no terminfo entry real
programs use emits them, and a program that does shows the same screen as in tmux.
"""

from __future__ import annotations

from typing import NamedTuple


class Decision(NamedTuple):
    """One deliberate difference: the stream, tmux's first captured line, ours, and why."""

    name: str
    data: bytes
    tmux_line: str
    our_line: str
    reason: str


DECISIONS: tuple[Decision, ...] = (
    Decision("DEC line drawing horizontal line", b"\x1b(0qqq\x1b(B", "qqq", "───",
             "store what the user sees: capture, copy mode and AI context read box chars"),
    Decision("DEC line drawing corners and tee", b"\x1b(0lqkx\x1b(Bok", "lqkxok", "┌─┐│ok",
             "store what the user sees: capture, copy mode and AI context read box chars"),
    Decision("DEC line drawing through SO with G1", b"\x1b)0\x0eq\x0fq", "qq", "─q",
             "store what the user sees: capture, copy mode and AI context read box chars"),
    Decision("ICH larger than the cells left to move", b"abcdefghijklmnopqrst\x1b[1;13H\x1b[5@",
             "abcdefghijkl   pqmno", "abcdefghijkl     mno",
             "xterm blanks the inserted cells; tmux's grid keeps stale ones (the screen of "
             "a tmux client shows xterm's until a redraw)"),
    Decision("ICH of exactly the rest of the line", b"abcdefghijklmnopqrst\x1b[1;13H\x1b[8@",
             "abcdefghijklmnopqrst", "abcdefghijkl",
             "xterm blanks the rest of the line; tmux's grid moves nothing and blanks "
             "nothing"),
)
