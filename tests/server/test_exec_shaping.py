"""exec's output shaped for a model: ``--detail``, ``--max-tokens``, ``--head``/``--tail``
bound the result whatever the output's size, say what was left out, and the whole output
stays readable by the record's id (issue 14, output shaping)."""

from __future__ import annotations

import json


def _ready(server, name: str) -> None:
    server.ok("new-session", "-d", "-s", name, "-x", "100", "-y", "20")
    server.wait_for_text(name, "$")
    assert server.run("exec", name, "true").code == 0


def test_huge_output_is_bounded_and_counted(server):
    _ready(server, "h")
    result = server.run("exec", "h", "seq 1 20000", "--json", "--detail", "parsed",
                        "--max-tokens", "1000", "--head", "5", "--tail", "5")
    data = json.loads(result.out)
    assert result.code == 0 and data["state"] == "finished"
    assert data["head"] == "1\n2\n3\n4\n5" and data["tail"].endswith("19999\n20000")
    assert data["omitted_lines"] == 20000 - 10 and data["omitted_bytes"] > 100_000
    assert data["omitted_tokens"] > 10_000 and "output" not in data
    assert len(result.out) < 2000
    assert "null" not in result.out
    whole = server.run("context", "h", "--raw", str(data["id"]))
    assert whole.out.splitlines()[-1] == "20000" and len(whole.out.splitlines()) == 20000


def test_summary_detail_and_budget_on_text_output(server):
    _ready(server, "t")
    summary = json.loads(server.run("exec", "t", "seq 1 300", "--json",
                                    "--detail", "summary").out)
    assert "head" not in summary and "output" not in summary
    assert summary["omitted_lines"] == 300 and summary["exit_code"] == 0
    text = server.run("exec", "t", "seq 1 300", "--head", "2", "--tail", "2")
    lines = text.out.splitlines()
    assert lines[:2] == ["1", "2"] and lines[-2:] == ["299", "300"]
    assert "296 lines" in lines[2] and "--raw" in lines[2]
    small = json.loads(server.run("exec", "t", "echo small", "--json", "--detail",
                                  "parsed").out)
    assert small["output"] == "small" or small["output"] == "small\n"
    bad = server.run("exec", "t", "true", "--detail", "everything")
    assert bad.code == 1 and "detail must be one of" in bad.err


def test_json_is_compact_each_count_once(server):
    _ready(server, "c")
    script = ("printf '== 1 failed, 2 passed in 0.1s ==\\n'")
    data = json.loads(server.run("exec", "c", script, "--json").out)
    assert "null" not in json.dumps(data)
    parsed = data.get("parsed", {})
    for key in parsed.get("counts", {}):
        assert key not in parsed
