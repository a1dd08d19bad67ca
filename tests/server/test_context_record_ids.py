"""``context NAME --raw ID`` through the real CLI: every record id a context names (its
merged and omitted blocks included) gives back that command's full output; an id that is
not the session's is refused with the ids that are."""

from __future__ import annotations

import json


def test_every_named_record_id_expands_to_its_output(server) -> None:
    server.ok("create", "--name", "big", "--ai-context", "--max-tokens", "300")
    server.wait_for_text("big", "$")
    for step in range(1, 7):
        server.ok("exec", "big", f"seq {step}000 {step}040")
    data = json.loads(server.ok("context", "big", "--json"))
    forms = {m["form"] for m in data["messages"]}
    assert forms & {"merged", "omitted"}, forms  # the budget forced old history together
    named: list[int] = []
    for message in data["messages"]:
        for record_id in message.get("record_ids", []):
            if record_id not in named:
                named.append(record_id)
    assert len(named) == 6 and named == sorted(named)
    for step, record_id in enumerate(named, start=1):
        raw = server.ok("context", "big", "--raw", str(record_id))
        assert raw.splitlines()[0] == f"{step}000" and raw.splitlines()[-1] == f"{step}040"
    text = server.ok("context", "big")
    block = next(m for m in data["messages"] if m["form"] in ("merged", "omitted"))
    first, last = block["record_ids"][0], block["record_ids"][-1]
    assert f"records {first}-{last}" in text or f"records {first}" in text


def test_an_id_of_another_session_is_refused_with_the_valid_ones(server) -> None:
    server.ok("create", "--name", "one", "--ai-context")
    server.ok("create", "--name", "two", "--ai-context")
    server.wait_for_text("one", "$")
    server.wait_for_text("two", "$")
    server.ok("exec", "one", "echo first")
    server.ok("exec", "two", "echo second")
    server.ok("exec", "two", "echo third")
    two = json.loads(server.ok("context", "two", "--json"))
    ids = sorted({i for m in two["messages"] for i in m.get("record_ids", [])})
    one_id = json.loads(server.ok("context", "one", "--json"))["messages"][1]["record_ids"][0]
    assert one_id not in ids and len(ids) == 2
    refused = server.run("context", "two", "--raw", str(one_id))
    assert refused.code == 1
    assert f"no stored output {one_id} for session two" in refused.err
    assert f"its records: {ids[0]}-{ids[1]}" in refused.err
    assert server.run("context", "two", "--raw", "999999").code == 1
    assert server.ok("context", "two", "--raw", str(ids[1])) == "third\n"
    assert server.ok("context", "--raw", str(one_id)) == "first\n"  # no NAME: any record
    missing = server.run("context", "--raw", "999999")
    assert missing.code == 1 and "no stored output 999999" in missing.err
    assert "usage: context NAME" in server.run("context").err
    assert server.ok("has-session", "-t", "two") == ""  # still serving
