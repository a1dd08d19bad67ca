"""The attention classifier on screens recorded from real programs (and agent CLI
approval screens replayed as laid out in public recordings): each fixture holds the
screen, the cursor, the alternate-screen flag and what /proc said the foreground group
was doing when ``benchmarks/attention.py --record`` captured it, with its label."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aisession_tui.ai.attention import (
    AttentionInputs,
    classify,
    cursor_line,
    screen_bottom,
    screen_tail,
)

CORPUS = sorted((Path(__file__).resolve().parents[1] / "fixtures" / "attention").glob("*.json"))


def inputs(fixture: dict, quiet_for: float) -> AttentionInputs:
    rows, kind = fixture["screen"], fixture["wait_kind"]
    return AttentionInputs(
        dead=False, integrated=True, at_prompt=not fixture["command_running"],
        command_running=fixture["command_running"], last_exit_code=0,
        screen_tail=screen_tail(rows, fixture["cursor_y"]), quiet_for=quiet_for,
        blocked_on_tty=None if kind is None else kind == "tty",
        waits_in_poll=None if kind is None else kind == "poll",
        cursor_line=cursor_line(rows, fixture["cursor_x"], fixture["cursor_y"]),
        screen_bottom=screen_bottom(rows), full_screen=fixture["alternate_on"])


def test_the_corpus_has_both_labels() -> None:
    labels = [json.loads(path.read_text())["label"] for path in CORPUS]
    assert labels.count("waiting") >= 15 and labels.count("not-waiting") >= 6


@pytest.mark.parametrize("path", CORPUS, ids=[path.stem for path in CORPUS])
def test_recorded_screen_is_classified_as_labelled(path: Path) -> None:
    fixture = json.loads(path.read_text())
    state = classify(inputs(fixture, quiet_for=5.0))
    if fixture["label"] == "waiting":
        assert state == "waiting", fixture["name"]
    else:
        assert state != "waiting", fixture["name"]


@pytest.mark.parametrize("path", CORPUS, ids=[path.stem for path in CORPUS])
def test_nothing_waits_while_output_is_still_arriving_unless_a_tty_read_is_seen(
        path: Path) -> None:
    fixture = json.loads(path.read_text())
    state = classify(inputs(fixture, quiet_for=0.0))
    assert (state == "waiting") == (fixture["wait_kind"] == "tty"
                                    and fixture["label"] == "waiting"), fixture["name"]
