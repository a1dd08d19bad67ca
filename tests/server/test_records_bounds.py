"""A huge output is summarised within bounds (server/records.py, ai/shaping.py): rendered
piece by piece with the same result, redacted whole, parsed from its head and tail, and
shaped for ``exec`` without a list of every line."""

from __future__ import annotations

from aisession_tui.ai import shaping
from aisession_tui.ai.parsers import parse_output
from aisession_tui.ai.redact import redact
from aisession_tui.server.records import (
    PARSE_HEAD_CHARS,
    PARSE_TAIL_CHARS,
    RENDER_CHUNK_BYTES,
    parse_window,
    plain_text,
)
from aisession_tui.terminal.plaintext import render_plain

KEY = ("-----BEGIN RSA PRIVATE KEY-----\r\n" + "MIIEowIBAAKCAQEAx4d1\r\n" * 40
       + "-----END RSA PRIVATE KEY-----\r\n")


def big_raw_output() -> bytes:
    lines = []
    for n in range(120_000):
        if n % 1000 == 0:
            lines.append(f"\x1b[32mprogress {n}\x1b[0m\r\x1b[Kdone {n}\r\n")
        else:
            lines.append(f"line {n} of a build log\r\n")
    raw = "".join(lines).encode()
    middle = RENDER_CHUNK_BYTES - 200  # the key block straddles the first cut
    return raw[:middle] + KEY.encode() + raw[middle:]


def test_rendering_in_pieces_gives_the_same_text_and_redacts_across_them() -> None:
    raw = big_raw_output()
    assert len(raw) > 2 * RENDER_CHUNK_BYTES
    plain = plain_text(raw)
    assert plain == redact(render_plain(raw))
    assert "MIIEowIBAAKCAQEAx4d1" not in plain
    assert "done 1000\n" in plain and "progress 1000" not in plain


def test_a_huge_output_is_parsed_from_its_head_and_tail() -> None:
    body = "".join(f"tests/test_big.py::test_{n} PASSED\n" for n in range(60_000))
    tail = ("=================================== FAILURES ===================================\n"
            "FAILED tests/test_big.py::test_last - assert 1 == 2\n"
            "======================= 1 failed, 60000 passed in 9.00s =======================\n")
    plain = "============================= test session starts ==============================\n" \
        + body + tail
    window = parse_window(plain)
    assert len(window) <= PARSE_HEAD_CHARS + PARSE_TAIL_CHARS + 100
    assert window.startswith(plain[:1000]) and window.endswith(tail)
    skipped = int(window.split("[… ")[1].split(" lines")[0])
    assert window.count("\n") + skipped - 1 == plain.count("\n")
    parsed = parse_output(window, "pytest", 1).to_dict()
    assert [f["test"] for f in parsed["failures"]] == ["tests/test_big.py::test_last"]
    assert parse_window("small\n") == "small\n"


def test_shaping_a_huge_output_matches_the_line_list(monkeypatch) -> None:
    output = "".join(f"{n}\n" for n in range(400_000)) + "last line without a newline"
    assert len(output) > shaping.BIG_OUTPUT_CHARS
    fast = shaping.bounded_text(output, head=20, tail=40, max_tokens=None)
    monkeypatch.setattr(shaping, "BIG_OUTPUT_CHARS", 10 ** 12)
    slow = shaping.bounded_text(output, head=20, tail=40, max_tokens=None)
    assert fast == slow
    assert fast["tail"].endswith("399999\nlast line without a newline")
    assert fast["omitted_lines"] == 400_001 - 60


def test_a_multi_megabyte_output_through_a_real_server(server) -> None:
    import json

    from aisession_tui.ai.tokens import count_tokens

    server.ok("create", "--name", "big", "--ai-context")
    server.wait_for_text("big", "$")
    reply = json.loads(server.ok("exec", "big", "seq 1 400000", "--json", "--detail",
                                 "parsed", "--max-tokens", "2000", "--timeout", "300"))
    assert reply["exit_code"] == 0 and reply["omitted_lines"] > 399_000
    assert reply["head"].startswith("1\n2\n") and reply["tail"].endswith("400000")
    context = json.loads(server.ok("context", "big", "--json"))
    output = context["messages"][-1]
    assert output["form"] == "summary" and output["tokens"] < 100
    raw = server.ok("context", "big", "--raw", str(reply["id"]))
    assert raw.count("\n") == 400_000
    verbatim = raw.rstrip("\n") + "\n[exit 0]"
    assert context["raw_tokens"] == count_tokens("seq 1 400000") + count_tokens(verbatim)
    assert server.ok("exec", "big", "echo still-serving") == "still-serving\n"
