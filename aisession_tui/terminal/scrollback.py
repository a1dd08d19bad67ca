"""Compact scrollback of one pane: a hot tail of recent lines plus zstd-compressed blocks.

Lines enter at the newest end and leave from the oldest end as tmux 3.3a's
grid_collect_history drops them: a line that scrolls in while the history holds ``limit``
lines or more first drops the oldest tenth of the limit (at least one line), so a full
history holds between 90% and 100% of the limit. Lines that enter without scrolling (a
resize pushing rows off the top, a reflow re-wrapping the history) are kept even past the
limit, as tmux keeps them, until later scrolls collect them.
A pushed line is either already a :data:`HistoryLine` ``(runs, wrapped)`` or a raw item the
owner finds cheaper to push (the emulator pushes its screen rows as they scroll off); the
``encode`` callable turns any pushed item into a ``HistoryLine``. Raw items are encoded at
the latest when their block is compressed, so lines trimmed while still hot (a flood much
longer than the limit) are never encoded at all. The hot tail is bounded by an estimated
memory budget (``weigh`` gives a raw item's approximate size in bytes, a HistoryLine counts
:func:`line_weight`, by its number of runs), not a line count: a
flood of short lines is trimmed before it is ever compressed, wide coloured rows are
compressed in blocks as soon as they would cost more than the budget.

Invariants:

* ``len(self) <= self.limit`` after a scroll (``append``, ``extend``) into a history that
  was within the limit; ``collected_size`` tells the length ``count`` more scrolls leave;
* every compressed block holds exactly ``block_lines`` lines (marshal + zstd), of which the
  first ``_skip`` of the oldest block are already trimmed away;
* after a write, the hot tail weighs at most ``hot_budget`` or holds fewer than
  ``block_lines`` items; ``_hot_weight`` estimates the hot items' weight (lines trimmed
  from the hot tail subtract the average weight, so a flood never weighs line by line);
* index 0 is the oldest line, ``len(self) - 1`` the newest;
* the zstd contexts are shared by every scrollback of a thread (:func:`_codecs`): a
  compressor keeps ~430 KB of workspace once used, which per pane was most of what an
  idle or finished pane cost.
"""

from __future__ import annotations

import copy
import marshal
import threading
from collections.abc import Callable, Iterable
from operator import itemgetter
from typing import TYPE_CHECKING, Any, cast

from .style import Run

if TYPE_CHECKING:  # zstandard loads with the first block compressed (not at start)
    import zstandard

HistoryLine = tuple[tuple[Run, ...], bool]
"""One history line: its runs (trailing default blanks may be stripped) and whether it
was soft-wrapped into the next line by autowrap."""

EMPTY_LINE: HistoryLine = ((), False)


def _identity(item: Any) -> HistoryLine:
    return cast(HistoryLine, item)


LINE_WEIGHT = 256
_LINE_BASE_WEIGHT = 96
_RUN_WEIGHT = 160


def line_weight(line: HistoryLine) -> int:
    """Approximate bytes held by an encoded line (a one-run line weighs ``LINE_WEIGHT``)."""
    return _LINE_BASE_WEIGHT + _RUN_WEIGHT * len(line[0])


def lines_weight(lines: list[HistoryLine]) -> int:
    """``line_weight`` summed over ``lines`` (one pass in C)."""
    return (_LINE_BASE_WEIGHT * len(lines)
            + _RUN_WEIGHT * sum(map(len, map(_RUNS, lines))))


_RUNS = itemgetter(0)


def _line_weight(item: Any) -> int:
    return LINE_WEIGHT


_THREAD_CODECS = threading.local()


def _codecs(level: int) -> tuple[zstandard.ZstdCompressor, zstandard.ZstdDecompressor]:
    """This thread's zstd compressor (at ``level``) and decompressor, made on first use."""
    table: dict[int, tuple[zstandard.ZstdCompressor, zstandard.ZstdDecompressor]] | None = \
        getattr(_THREAD_CODECS, "table", None)
    if table is None:
        table = _THREAD_CODECS.table = {}
    pair = table.get(level)
    if pair is None:
        import zstandard

        pair = table[level] = (zstandard.ZstdCompressor(level=level),
                               zstandard.ZstdDecompressor())
    return pair


class Scrollback:
    """Bounded history with cheap appends and on-demand decompression."""

    def __init__(
        self,
        limit: int = 2000,
        *,
        encode: Callable[[Any], HistoryLine] = _identity,
        weigh: Callable[[Any], int] = _line_weight,
        block_lines: int = 128,
        hot_budget: int = 512 * 1024,
        level: int = 3,
    ) -> None:
        self._limit = max(0, int(limit))
        self._encode = encode
        self._weigh = weigh
        self._block_lines = block_lines
        self._hot_budget = hot_budget
        self._blocks: list[bytes] = []
        self._skip = 0
        self._hot: list[Any] = []
        self._hot_weight = 0
        self._level = level
        self._cached_block: bytes | None = None
        self._cached_lines: list[HistoryLine] = []

    # -- size ---------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._blocks) * self._block_lines - self._skip + len(self._hot)

    @property
    def limit(self) -> int:
        return self._limit

    @limit.setter
    def limit(self, value: int) -> None:
        self._limit = max(0, int(value))
        self._trim()

    @property
    def compressed_bytes(self) -> int:
        """Bytes held by the compressed blocks (diagnostics)."""
        return sum(len(block) for block in self._blocks)

    # -- writing --------------------------------------------------------------------------

    def append(self, item: Any) -> None:
        """Scroll one line in (a HistoryLine or a raw item ``encode`` understands)."""
        limit = self._limit
        if not limit:
            return
        size = len(self._hot) + len(self._blocks) * self._block_lines - self._skip
        if size >= limit:
            self._drop_oldest(min(max(1, limit // 10), size))
        self._hot.append(item)
        self._hot_weight += (_LINE_BASE_WEIGHT + _RUN_WEIGHT * len(item[0])
                             if type(item) is tuple else self._weigh(item))
        if self._hot_weight > self._hot_budget:
            self._compress_hot()

    def collected_size(self, count: int) -> int:
        """The length after ``count`` more lines scroll in (see ``append``)."""
        size, limit = len(self), self._limit
        if not limit:
            return 0
        step = max(1, limit // 10)
        while count > 0:
            if size < limit:
                taken = min(count, limit - size)
                size += taken
                count -= taken
            elif size == limit:
                # a full history repeats a cycle of ``step`` lines: drop ``step``, refill
                rest = count % step
                return limit - step + rest if rest else limit
            elif step == 1:
                return size  # over the limit, each line drops one: the length stays
            else:
                size -= step - 1
                count -= 1
        return size

    def extend(self, items: Iterable[Any], *, count: int | None = None,
               weight: int | None = None, scrolled: bool = True) -> None:
        """Push many lines, oldest first.

        ``scrolled``: the lines scroll in one by one (``append``'s trimming applies to each);
        otherwise they are all kept, past the limit too (a resize or a reflow).
        ``count``: how many lines scrolled in, when the caller left out the oldest of them
        because ``collected_size`` said they would be dropped (``items`` are the newest).
        ``weight``: the items' approximate total weight when the caller knows it cheaper
        than weighing them one by one.
        """
        if not self._limit:
            return
        items = list(items)
        pushed = len(items) if count is None else count
        size = len(self)
        final = self.collected_size(pushed) if scrolled else size + pushed
        new_kept = min(pushed, final)
        if new_kept > len(items):
            raise ValueError(f"{new_kept} of {pushed} lines stay, only {len(items)} given")
        old_kept = final - new_kept
        if not old_kept:
            self.clear()
        elif old_kept < size:
            self._drop_oldest(size - old_kept)
        if new_kept < len(items):
            if weight is not None:
                weight = weight * new_kept // len(items)
            items = items[len(items) - new_kept:]
        self._hot.extend(items)
        self._hot_weight += self._weight_of(items) if weight is None else weight
        self._compress_hot()

    def clear(self) -> None:
        self._blocks.clear()
        self._skip = 0
        self._hot = []
        self._hot_weight = 0
        self._cached_block = None
        self._cached_lines = []

    def pop_newest(self, count: int) -> list[HistoryLine]:
        """Remove and return the newest ``count`` lines (oldest first)."""
        count = min(count, len(self))
        if count <= 0:
            return []
        while len(self._hot) < count and self._blocks:
            block = self._blocks.pop()
            lines = self._decode_block(block)
            if not self._blocks:
                lines = lines[self._skip:]
                self._skip = 0
            self._hot[:0] = lines
            self._hot_weight += lines_weight(lines)
        taken = self._hot[-count:]
        del self._hot[-count:]
        self._hot_weight = max(0, self._hot_weight - self._weight_of(taken))
        return [self._encode(item) for item in taken]

    # -- reading --------------------------------------------------------------------------

    def frozen(self) -> Scrollback:
        """A read-only copy of the lines held now, to read on another thread while this
        one goes on changing. It shares the compressed blocks (immutable bytes) and the
        hot lines (never changed once pushed; encoding one makes a new tuple), so it costs
        a reference per block and per hot line. Never write to the copy."""
        view = copy.copy(self)
        view._blocks = list(self._blocks)
        view._hot = list(self._hot)
        view._cached_block = None
        view._cached_lines = []
        return view

    def line(self, index: int) -> HistoryLine:
        """The line at ``index`` (0 = oldest)."""
        size = len(self)
        if index < 0 or index >= size:
            raise IndexError(f"history line {index} out of range 0..{size - 1}")
        position = index + self._skip
        block_index, offset = divmod(position, self._block_lines)
        if block_index < len(self._blocks):
            return self._decode_block(self._blocks[block_index])[offset]
        hot_index = position - len(self._blocks) * self._block_lines
        item = self._hot[hot_index]
        if type(item) is not tuple:
            encoded = self._encode(item)
            self._hot_weight = max(0, self._hot_weight + line_weight(encoded)
                                   - self._weigh(item))
            self._hot[hot_index] = item = encoded
        return cast(HistoryLine, item)

    def lines(self, start: int, stop: int) -> list[HistoryLine]:
        """Lines ``start`` (inclusive) to ``stop`` (exclusive), oldest first, clamped."""
        start = max(0, start)
        stop = min(len(self), stop)
        result: list[HistoryLine] = []
        index = start
        block_lines = self._block_lines
        while index < stop:
            position = index + self._skip
            block_index, offset = divmod(position, block_lines)
            if block_index < len(self._blocks):
                decoded = self._decode_block(self._blocks[block_index])
                take = min(block_lines - offset, stop - index)
                result.extend(decoded[offset:offset + take])
                index += take
            else:
                result.append(self.line(index))
                index += 1
        return result

    # -- internals ------------------------------------------------------------------------

    def _trim(self) -> None:
        excess = len(self) - self._limit
        if excess > 0:
            self._drop_oldest(excess)

    def _drop_oldest(self, excess: int) -> None:
        block_lines = self._block_lines
        while excess > 0 and self._blocks:
            remaining_in_first = block_lines - self._skip
            if excess >= remaining_in_first:
                dropped = self._blocks.pop(0)
                if dropped is self._cached_block:
                    self._cached_block = None
                    self._cached_lines = []
                self._skip = 0
                excess -= remaining_in_first
            else:
                self._skip += excess
                excess = 0
        if excess > 0:
            hot_count = len(self._hot)
            self._hot_weight = self._hot_weight * (hot_count - excess) // hot_count
            del self._hot[:excess]

    def _compress_hot(self) -> None:
        block_lines = self._block_lines
        encode = self._encode
        while self._hot_weight > self._hot_budget and len(self._hot) >= block_lines:
            taken = self._hot[:block_lines]
            del self._hot[:block_lines]
            self._hot_weight = max(0, self._hot_weight - self._weight_of(taken))
            chunk = [encode(item) for item in taken]
            compressed = _codecs(self._level)[0].compress(marshal.dumps(chunk))
            # zstandard hands back a buffer sized for the worst case: keep an exact copy
            self._blocks.append(bytes(memoryview(compressed)))

    def _weight_of(self, items: list[Any]) -> int:
        raw = [item for item in items if type(item) is not tuple]
        if not raw:
            return lines_weight(items)
        encoded = [item for item in items if type(item) is tuple]
        return sum(map(self._weigh, raw)) + lines_weight(encoded)

    def _decode_block(self, block: bytes) -> list[HistoryLine]:
        if block is not self._cached_block:
            self._cached_lines = marshal.loads(_codecs(self._level)[1].decompress(block))
            self._cached_block = block
        return self._cached_lines
