"""CommandTracker on synthetic streams: chunking at any byte, edge cases, the output cap."""

from __future__ import annotations

import pyte
from hypothesis import given, settings
from hypothesis import strategies as st

from aisession_tui.server.shell_integration import (
    CommandFinished,
    CommandStarted,
    CommandTracker,
    PromptShown,
)

ST = b"\x1b\\"


def osc(body: bytes, terminator: bytes = ST) -> bytes:
    return b"\x1b]" + body + terminator


def prompt(cwd: bytes = b"/home/u") -> bytes:
    return osc(b"7;file://host" + cwd) + osc(b"133;A") + b"$ " + osc(b"133;B")


SESSION = (
    prompt()
    + b"echo hi\r\n"
    + osc(b"133;C;echo%20hi")
    + b"hi\r\n\x1b]0;a title\x07"
    + osc(b"133;D;0")
    + prompt()
    + b"\r\n"  # empty Enter: a prompt again, no C
    + prompt()
    + b"cd /tmp/%C3%A9 x\r\n"
    + osc(b"133;C;cd%20/tmp/%C3%A9%20x", b"\x07")
    + osc(b"133;D;0", b"\x07")
    + prompt(b"/tmp/%C3%A9%20x")
    + b"false\r\n"
    + osc(b"133;C;false")
    + osc(b"133;D;1")
    + prompt(b"/tmp/%C3%A9%20x")
)


def feed_in_pieces(data: bytes, cuts: list[int]) -> tuple[CommandTracker, list]:
    tracker = CommandTracker()
    events: list = []
    previous = 0
    for index, cut in enumerate(sorted(set(cuts)) + [len(data)]):
        events += tracker.feed(data[previous:cut], float(index))
        previous = cut
    return tracker, events


def summary(events: list) -> list:
    result = []
    for event in events:
        if isinstance(event, CommandFinished):
            record = event.record
            result.append(("finished", record.text, record.cwd, record.exit_code, record.output))
        elif isinstance(event, CommandStarted):
            result.append(("started", event.text, event.cwd))
        else:
            result.append(("prompt", event.cwd))
    return result


def test_records_of_a_session() -> None:
    tracker, events = feed_in_pieces(SESSION, [])
    assert summary(events) == [
        ("prompt", "/home/u"),
        ("started", "echo hi", "/home/u"),
        ("finished", "echo hi", "/home/u", 0, b"hi\r\n\x1b]0;a title\x07"),
        ("prompt", "/home/u"),
        ("started", "cd /tmp/é x", "/home/u"),
        ("finished", "cd /tmp/é x", "/home/u", 0, b""),
        ("prompt", "/tmp/é x"),
        ("started", "false", "/tmp/é x"),
        ("finished", "false", "/tmp/é x", 1, b""),
        ("prompt", "/tmp/é x"),
    ]
    assert tracker.integrated and tracker.at_prompt and tracker.cwd == "/tmp/é x"
    assert tracker.running is None


def test_every_single_split_gives_the_same_events() -> None:
    _, whole = feed_in_pieces(SESSION, [])
    for cut in range(1, len(SESSION)):
        _, split = feed_in_pieces(SESSION, [cut])
        assert summary(split) == summary(whole), cut


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=len(SESSION) - 1), max_size=40))
def test_any_chunking_gives_the_same_events(cuts: list[int]) -> None:
    _, whole = feed_in_pieces(SESSION, [])
    _, split = feed_in_pieces(SESSION, cuts)
    assert summary(split) == summary(whole)


def test_byte_by_byte() -> None:
    _, whole = feed_in_pieces(SESSION, [])
    _, split = feed_in_pieces(SESSION, list(range(1, len(SESSION))))
    assert summary(split) == summary(whole)


def test_state_while_running_and_at_prompt() -> None:
    tracker = CommandTracker()
    assert not tracker.integrated and not tracker.at_prompt and tracker.cwd is None
    tracker.feed(prompt(), 1.0)
    assert tracker.at_prompt
    tracker.feed(osc(b"133;C;sleep%2010"), 2.0)
    assert not tracker.at_prompt
    assert tracker.running == CommandStarted("sleep 10", "/home/u", 2.0)
    (finished,) = tracker.feed(osc(b"133;D;130"), 5.0)
    record = finished.record
    assert (record.started_at, record.finished_at, record.exit_code) == (2.0, 5.0, 130)


def test_d_without_c_and_plain_output_outside_commands_make_no_record() -> None:
    tracker = CommandTracker()
    events = tracker.feed(b"motd text\r\n" + osc(b"133;D;0") + prompt() + b"typed", 1.0)
    assert [type(event) for event in events] == [PromptShown]


def test_prompt_redraw_is_not_a_new_prompt() -> None:
    tracker = CommandTracker()
    events = tracker.feed(prompt() + b"\x0c" + prompt(), 1.0)  # Ctrl-L redraws the prompt
    assert [type(event) for event in events] == [PromptShown]


def test_a_new_prompt_without_d_closes_the_command_with_unknown_exit() -> None:
    tracker = CommandTracker()
    events = tracker.feed(prompt() + osc(b"133;C;exec%20zsh") + b"out" + prompt(), 1.0)
    finished = [event for event in events if isinstance(event, CommandFinished)]
    assert finished[0].record.exit_code is None
    assert finished[0].record.output == b"out"


def test_foreign_escapes_stay_in_output() -> None:
    tracker = CommandTracker()
    body = (
        b"\x1b[31mred\x1b[0m \x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\ \x1b]1337;x\x07 \x1b]13;y\x07"
    )
    events = tracker.feed(prompt() + osc(b"133;C;x") + body + osc(b"133;D;0"), 1.0)
    assert events[-1].record.output == body


def test_output_cap_keeps_head_and_tail() -> None:
    tracker = CommandTracker(output_cap=100)
    tracker.feed(prompt() + osc(b"133;C;yes"), 1.0)
    for index in range(50):
        tracker.feed(b"%03d|" % index, 1.0)
    (finished,) = tracker.feed(osc(b"133;D;0"), 2.0)
    output = finished.record.output
    assert finished.record.truncated
    assert len(output) == 100
    assert output.startswith(b"000|001|") and output.endswith(b"048|049|")


def test_output_under_the_cap_is_complete() -> None:
    tracker = CommandTracker(output_cap=1000)
    tracker.feed(prompt() + osc(b"133;C;seq"), 1.0)
    chunks = [b"line %d\n" % index for index in range(100)]
    for chunk in chunks:
        tracker.feed(chunk, 1.0)
    (finished,) = tracker.feed(osc(b"133;D;0"), 2.0)
    assert finished.record.output == b"".join(chunks) and not finished.record.truncated


def test_pyte_ignores_the_integration_sequences_on_screen() -> None:
    screen = pyte.Screen(40, 20)
    pyte.ByteStream(screen).feed(SESSION)
    text = "\n".join(line.rstrip() for line in screen.display)
    assert "133" not in text and "file:" not in text and "\x1b" not in text
    assert "$ echo hi" in text and "hi" in text.splitlines()
