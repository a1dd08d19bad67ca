"""Token counting: exact cl100k_base counts from the offline package, cache, batch, laziness."""

from __future__ import annotations

import subprocess
import sys

from aisession_tui.ai import tokens


def test_known_counts_match_cl100k() -> None:
    # Reference values of OpenAI's cl100k_base (ids 15339, 1917 for "hello world").
    assert tokens.encoding().encode_ordinary("hello world") == [15339, 1917]
    assert tokens.count_tokens("hello world") == 2
    assert tokens.count_tokens("") == 0


def test_special_token_text_is_counted_as_text() -> None:
    assert tokens.count_tokens("<|endoftext|>") > 1


def test_batch_equals_single_counts_and_fills_cache() -> None:
    tokens.clear_cache()
    texts = ["def f(x):\n    return x\n", "", "ünïcödé ✨ 漢字", "tests/test_x.py:42"] * 3
    batch = tokens.count_tokens_batch(texts)
    tokens.clear_cache()
    assert batch == [tokens.count_tokens(text) for text in texts]
    assert tokens._cached(texts[0]) == batch[0]


def test_cache_is_bounded() -> None:
    tokens.clear_cache()
    for index in range(tokens.CACHE_ENTRIES + 50):
        tokens.count_tokens(f"line {index}")
    assert len(tokens._cache) == tokens.CACHE_ENTRIES
    assert tokens._cached("line 0") is None


def test_importing_does_not_load_tiktoken() -> None:
    code = ("import sys, aisession_tui.ai.tokens, aisession_tui.ai.context, "
            "aisession_tui.ai.attention, aisession_tui.server.commands as c; c.all_specs(); "
            "assert 'tiktoken' not in sys.modules, 'tiktoken loaded at import'")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
