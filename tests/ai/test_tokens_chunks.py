"""Big texts are counted in pieces (ai/tokens.py): the count stays exact, the pieces are
bounded, and a big text counted again is served from the digest cache."""

from __future__ import annotations

import random

from aisession_tui.ai import tokens
from aisession_tui.ai.tokens import CACHE_MAX_CHARS, chunks, count_tokens, count_tokens_batch

ALPHABET = ["a", "bb", "Z", "1", "234", " ", "  ", "\n", "\n\n", "\r\n", "\t", ".", "é",
            "日本", "'s", "!", "\n ", " \n", "def ", "    ", "->", "\u2028", "🙂"]


def exact(text: str) -> int:
    return len(tokens.encoding().encode_ordinary(text))


def test_pieces_add_up_to_the_exact_count() -> None:
    rng = random.Random(16)
    for _ in range(300):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 2000)))
        size = rng.randint(4, 300)
        pieces = chunks(text, size)
        assert "".join(pieces) == text
        assert sum(exact(piece) for piece in pieces) == exact(text)


def test_pieces_are_bounded_when_the_text_has_lines() -> None:
    text = "\n".join(f"line {n}: some output" for n in range(50_000))
    pieces = chunks(text, 10_000)
    assert len(pieces) > 50
    assert max(len(piece) for piece in pieces) < 10_100


def test_a_big_text_is_counted_exactly_and_once() -> None:
    tokens.clear_cache()
    text = "\n".join(f"{n} FAILED tests/test_{n % 7}.py::test_{n}" for n in range(40_000))
    assert len(text) > 2 * CACHE_MAX_CHARS
    assert count_tokens(text) == exact(text)
    encoding = tokens.encoding()
    expected = exact(text)
    verbatim = text + "\n[exit 0]"
    expected_verbatim = exact(verbatim)
    calls: list[int] = []

    class Spy:
        def encode_ordinary(self, text: str) -> list[int]:
            calls.append(1)
            return encoding.encode_ordinary(text)

        def encode_ordinary_batch(self, texts: list[str], **kwargs) -> list[list[int]]:
            calls.append(len(texts))
            return encoding.encode_ordinary_batch(texts, **kwargs)

    saved = tokens._encoding
    tokens._encoding = Spy()  # type: ignore[assignment]
    try:
        assert count_tokens(text) == expected
        assert calls == []  # every piece came from the digest cache
        assert count_tokens_batch(["short", verbatim]) == [exact_short(encoding),
                                                          expected_verbatim]
        assert sum(calls) <= 2  # "short" and the last piece (now ending in [exit 0])
    finally:
        tokens._encoding = saved


def exact_short(encoding) -> int:
    return len(encoding.encode_ordinary("short"))
