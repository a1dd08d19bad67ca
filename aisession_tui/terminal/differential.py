"""Compare the emulator with a live tmux on the same streams (see :mod:`.tmux_oracle`).

``compare`` replays streams in tmux and in :class:`~.emulator.Emulator` and reports, per
stream, whether ``capture-pane -p`` text, ``capture-pane -p -e`` text and the cursor agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from .emulator import Emulator
from .tmux_oracle import PaneResult, TmuxOracle


@dataclass(frozen=True)
class Outcome:
    """One stream's comparison: ours and tmux's results, and which parts agree."""

    data: bytes
    size: tuple[int, int]
    ours: PaneResult
    theirs: PaneResult

    @property
    def same_text(self) -> bool:
        return self.ours.text == self.theirs.text

    @property
    def same_escaped(self) -> bool:
        return self.ours.escaped == self.theirs.escaped

    @property
    def same_cursor(self) -> bool:
        return self.ours.cursor == self.theirs.cursor

    @property
    def same_joined(self) -> bool:
        """Same ``capture-pane -p -J`` lines but for trailing blanks: tmux keeps a line's
        written trailing spaces there (its cellused), the history here drops them."""
        return ([line.rstrip(" ") for line in self.ours.joined]
                == [line.rstrip(" ") for line in self.theirs.joined])

    @property
    def identical(self) -> bool:
        return self.same_text and self.same_escaped and self.same_cursor and self.same_joined


def emulate(data: bytes, columns: int, lines: int,
            resizes: tuple[tuple[int, int], ...] = (), *, after: bytes = b"",
            history: bool = False, history_limit: int = 2000) -> PaneResult:
    """What the emulator shows after ``data`` (and ``resizes``, then ``after``), in the
    oracle's terms."""
    emulator = Emulator(columns, lines, history_limit=history_limit)
    emulator.feed(data)
    for new_columns, new_lines in resizes:
        emulator.resize(new_columns, new_lines)
    if after:
        emulator.feed(after)
    screen = emulator._screen
    with_history = bool(resizes) or history
    start = "-" if with_history else None
    return PaneResult(emulator.capture(start), emulator.capture(start, escapes=True),
                      (screen.cursor.x, screen.cursor.y),
                      emulator.capture(start, join_wrapped=True) if with_history else [])


def compare(oracle: TmuxOracle, streams: list[tuple[bytes, int, int]], *,
            resizes: tuple[tuple[int, int], ...] = (), after: bytes = b"",
            history: bool = False) -> list[Outcome]:
    """Replay ``(data, columns, lines)`` streams in tmux and in the emulator, then apply
    ``resizes`` and write ``after`` (captures then include the history, as with
    ``history``)."""
    theirs = oracle.replay(streams, resizes=resizes, after=after, history=history)
    return [Outcome(data, (columns, lines),
                    emulate(data, columns, lines, resizes, after=after, history=history,
                            history_limit=oracle.history_limit), result)
            for (data, columns, lines), result in zip(streams, theirs)]
