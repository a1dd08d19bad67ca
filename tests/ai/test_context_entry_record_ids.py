"""Every entry of a context names the store record ids it covers (merged and omitted
blocks included), so an agent can expand any part with ``context NAME --raw ID``."""

from __future__ import annotations

from aisession_tui.ai.context import PaneContext, command_messages, count_messages, note_message


def history(count: int) -> PaneContext:
    context = PaneContext(max_tokens=100_000)
    for record in range(1, count + 1):
        plain = "\n".join(f"line {record}.{n} of a long enough output" for n in range(40))
        messages = command_messages(f"make step{record}", plain, record % 2, None,
                                    at=1_700_000_000.0 + record,
                                    finished_at=1_700_000_000.5 + record,
                                    record_id=100 + record)
        if record == 3:
            messages.append(note_message("agent", "looking at step 3", at=1_700_000_003.6))
        count_messages(messages)
        context.append(messages)
    return context


def test_every_record_is_named_by_exactly_the_entries_that_cover_it() -> None:
    context = history(12)
    for budget in (60, 150, 400, 1500, 100_000):
        window = context.fit_to_window(budget)
        named = [rid for entry in window.entries for rid in entry.record_ids]
        forms = {entry.form for entry in window.entries}
        if budget == 100_000:
            assert forms == {"verbatim"}
        shown = set(named)
        assert all(101 <= rid <= 112 for rid in named)
        # A command and its output are two entries naming the same record; a block names
        # each of its records once.
        for entry in window.entries:
            assert len(set(entry.record_ids)) == len(entry.record_ids)
            if entry.kind == "note":
                assert entry.record_ids == ()
            elif entry.form not in ("merged", "omitted"):
                assert entry.record_ids == (entry.raw_id,)
        first = window.entries[0]
        complete = first.form in ("merged", "omitted") or first.seq == 1
        if complete:  # nothing was cut off by the last-resort trim
            assert shown == set(range(101, 113)), budget
            assert named == sorted(named)
        if first.form == "omitted":
            assert first.record_ids[0] == 101


def test_record_ids_are_in_the_json() -> None:
    context = history(6)
    window = context.fit_to_window(200)
    data = window.to_dict()
    blocks = [m for m in data["messages"] if m["form"] in ("merged", "omitted")]
    assert blocks
    for block in blocks:
        assert block["record_ids"] == sorted(block["record_ids"])
    outputs = [m for m in data["messages"] if m["kind"] == "output"]
    assert all(m["record_ids"] == [m["raw_id"]] for m in outputs)
