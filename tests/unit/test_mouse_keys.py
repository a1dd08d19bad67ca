"""Mouse events as tmux 3.3a's mouse keys (``server_client_check_mouse``), headless: the
kinds (down, up, second / double / triple click with the 300 ms timeout, drag, drag end,
move, wheel), the places (pane, border, status entries), the modifiers, a drag that a
command follows, and what a pane that asked for the mouse gets (``input_key_get_mouse``)."""

from __future__ import annotations

from aisession_tui.keymaps.mouse_keys import (
    MouseKey,
    MouseKeys,
    PaneBox,
    Screen,
    encode_for_pane,
    raw_mouse,
)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _status(x: int, line: int) -> tuple[str, int | None] | None:
    if x < 5:
        return ("left", None)
    if 5 <= x < 12:
        return ("window", 7)
    if x >= 70:
        return ("right", None)
    return None


# Two panes side by side in an 80x23 window, the status line below.
SCREEN = Screen(session=1, window=3, panes=[PaneBox(0, 0, 0, 40, 23), PaneBox(1, 41, 0, 39, 23)],
                window_x=0, window_y=0, window_size=(80, 23), status_at=23, status_lines=1,
                status_range=_status)


def _keys(keys: MouseKeys, *events: tuple[str, int, int, int]) -> list[str | None]:
    out = []
    for kind, button, x, y in events:
        event = keys.report(raw_mouse(kind, button, x, y), SCREEN)
        out.append(None if event is None else (event.key or "dragging"))
    return out


def test_kinds_and_places() -> None:
    keys = MouseKeys(Clock())
    assert _keys(keys, ("down", 1, 3, 3), ("up", 1, 3, 3)) == ["MouseDown1Pane", "MouseUp1Pane"]
    keys = MouseKeys(Clock())
    assert _keys(keys, ("down", 3, 40, 5)) == ["MouseDown3Border"]
    keys = MouseKeys(Clock())
    assert _keys(keys, ("down", 1, 6, 23)) == ["MouseDown1Status"]
    event = MouseKeys(Clock()).report(raw_mouse("down", 3, 1, 23), SCREEN)
    assert event is not None and event.key == "MouseDown3StatusLeft"
    event = MouseKeys(Clock()).report(raw_mouse("down", 3, 8, 23), SCREEN)
    assert event is not None and (event.window, event.pane) == (7, None)
    assert _keys(MouseKeys(Clock()), ("down", 1, 40, 23)) == ["MouseDown1StatusDefault"]
    assert _keys(MouseKeys(Clock()), ("down", 1, 75, 23)) == ["MouseDown1StatusRight"]
    assert _keys(MouseKeys(Clock()), ("wheel-up", 0, 50, 2), ("wheel-down", 0, 6, 23)) == \
        ["WheelUpPane", "WheelDownStatus"]
    event = MouseKeys(Clock()).report(raw_mouse("down", 3, 50, 2, meta=True, ctrl=True), SCREEN)
    assert event is not None and event.key == "C-M-MouseDown3Pane" and event.pane == 1


def test_clicks_count_within_the_timeout() -> None:
    clock = Clock()
    keys = MouseKeys(clock)
    assert _keys(keys, ("down", 1, 3, 3), ("up", 1, 3, 3), ("down", 1, 3, 3),
                 ("up", 1, 3, 3)) == ["MouseDown1Pane", "MouseUp1Pane", "SecondClick1Pane",
                                      "MouseUp1Pane"]
    clock.now += 0.4
    double = keys.click_timeout(SCREEN)
    assert double is not None and double.key == "DoubleClick1Pane" and double.ignore
    clock.now += 1
    assert _keys(keys, ("down", 1, 3, 3), ("down", 1, 3, 3), ("down", 1, 3, 3)) == \
        ["MouseDown1Pane", "SecondClick1Pane", "TripleClick1Pane"]
    assert keys.click_timeout(SCREEN) is None  # a triple click is no double click
    clock.now += 1
    assert _keys(keys, ("down", 1, 3, 3)) == ["MouseDown1Pane"]
    clock.now += 0.5  # too late for a second click
    assert _keys(keys, ("down", 1, 3, 3)) == ["MouseDown1Pane"]


def test_drags_start_at_the_press_and_end_with_the_button() -> None:
    clock = Clock()
    keys = MouseKeys(clock)
    assert _keys(keys, ("down", 1, 6, 0)) == ["MouseDown1Pane"]
    first = keys.report(raw_mouse("move", 1, 8, 0), SCREEN)
    assert first is not None and first.key == "MouseDrag1Pane"
    assert first.window_cell(last=True) == (6, 0)
    assert _keys(keys, ("move", 1, 8, 0)) == [None]  # the same cell again: nothing
    assert _keys(keys, ("move", 1, 9, 0)) == ["MouseDrag1Pane"]  # nobody follows it
    keys.follow_drag()
    assert _keys(keys, ("move", 1, 10, 0)) == ["dragging"]
    end = keys.report(raw_mouse("up", 1, 10, 0), SCREEN)
    assert end is not None and end.key == "MouseDragEnd1Pane" and end.drag_ended
    clock.now += 1  # (a press within 300 ms would be a second click)
    assert _keys(keys, ("down", 1, 40, 3), ("move", 1, 30, 3)) == \
        ["MouseDown1Border", "MouseDrag1Border"]
    assert _keys(keys, ("move", 0, 20, 3)) == ["MouseDragEnd1Pane"]


def test_moves_and_what_a_pane_gets() -> None:
    keys = MouseKeys(Clock())
    move = keys.report(raw_mouse("move", 0, 3, 4), SCREEN)
    assert move is not None and move.key == "MouseMovePane"
    press = keys.report(raw_mouse("down", 1, 3, 4), SCREEN)
    release = keys.report(raw_mouse("up", 1, 3, 4), SCREEN)
    drag = MouseKey("MouseDrag1Pane", raw_mouse("move", 1, 3, 4), "Pane", 1, 3, 0, 3, 4, 3, 4,
                    23, 1)
    assert press is not None and release is not None
    assert encode_for_pane(press, 1000, True, 3, 4) == b"\x1b[<0;4;5M"
    assert encode_for_pane(release, 1000, True, 3, 4) == b"\x1b[<0;4;5m"
    assert encode_for_pane(press, 1000, False, 3, 4) == b"\x1b[M $%"
    assert encode_for_pane(release, 1000, False, 3, 4) == b"\x1b[M#$%"
    assert encode_for_pane(drag, 1000, True, 3, 4) == b""  # no motion in mode 1000
    assert encode_for_pane(drag, 1002, True, 3, 4) == b"\x1b[<32;4;5M"
    assert encode_for_pane(move, 1002, True, 3, 4) == b""
    assert encode_for_pane(move, 1003, True, 3, 4) == b"\x1b[<35;4;5M"
    assert encode_for_pane(press, 0, True, 3, 4) == b""
