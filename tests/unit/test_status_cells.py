"""The headless status-line layout (:mod:`aisession_tui.server.status_cells`) and the
first-frame painter's pieces that need no terminal: the widths the painter trusts are
the renderer's (Rich) and the server's (wcwidth) alike, the layout's rules (cuts, list
markers, justification, base styles), and the painter's None cases. That the painted
frame is the renderer's on a real terminal is tests/e2e/test_e2e_first_frame.py."""

from __future__ import annotations

from typing import Any

import pytest
from rich.cells import cell_len
from wcwidth import wcwidth

from aisession_tui.server import first_frame
from aisession_tui.server.first_frame import colour_system, frame_or_reason, paint_frame
from aisession_tui.server.status_cells import (
    CellText,
    format_line,
    parse_or_default,
    status_layout,
)


def test_every_character_the_painter_trusts_has_one_width_everywhere() -> None:
    for ranges, width in ((first_frame._NARROW_RANGES, 1), (first_frame._WIDE_RANGES, 2)):
        for start, end in ranges:
            for code in range(start, end + 1):
                char = chr(code)
                assert (cell_len(char), wcwidth(char), first_frame.char_cells(char)) == \
                    (width, width, width), hex(code)
    with pytest.raises(first_frame.Inexact):
        first_frame.char_cells("\U0001f600")  # an emoji: widths differ between tables


def _status(**changes: Any) -> dict[str, Any]:
    status: dict[str, Any] = {
        "status": "on", "position": "bottom", "justify": "left", "style": "bg=green,fg=black",
        "left": "[s] ", "left_length": 10, "left_style": "default", "right": "R",
        "right_length": 40, "right_style": "default", "separator": " ",
        "windows": [{"index": i, "text": f"{i}:w{i}" + ("*" if i == 1 else ""),
                     "style": "default"} for i in range(3)],
        "message_style": "", "message_command_style": "", "lines": []}
    status.update(changes)
    return status


def _windows(current: int = 1, count: int = 3) -> list[Any]:
    return [{"index": i, "name": f"w{i}", "flags": "", "active": i == current}
            for i in range(count)]


def _text(row: list[tuple[str, Any]]) -> str:
    return "".join(char for char, _ in row)


def test_the_options_line_is_laid_out_as_tmux_places_it() -> None:
    layout = status_layout(20, _status(), _windows())  # type: ignore[arg-type]
    assert _text(layout.rows[0]) == "[s] 0:w0 1:w1* 2:w2R"
    assert layout.tab_spans == [(4, 8, 0), (9, 14, 1), (15, 19, 2)]
    assert (layout.left_end, layout.right_start) == (4, 19)
    green = parse_or_default("bg=green,fg=black")
    assert {style for _, style in layout.rows[0]} == {green}
    centred = status_layout(30, _status(justify="centre"), _windows())  # type: ignore[arg-type]
    assert _text(centred.rows[0]) == "[s]      0:w0 1:w1* 2:w2     R"  # 5 + 15 + 5


def test_a_long_window_list_keeps_the_current_window_in_view() -> None:
    status = _status(windows=[{"index": i, "text": f"{i}:window", "style": "default"}
                              for i in range(6)])
    layout = status_layout(24, status, _windows(current=4, count=6))  # type: ignore[arg-type]
    text = _text(layout.rows[0])
    assert text.startswith("[s] <") and "4:window" in text and len(text) == 24
    assert any(index == 4 for _, _, index in layout.tab_spans)


def test_runs_take_their_colours_and_add_the_bases_attributes() -> None:
    status = _status(style="fg=colour123,bg=colour236,bold", left="#[fg=red,nobold]L",
                     left_length=5)
    row = status_layout(10, status, _windows()).rows[0]  # type: ignore[arg-type]
    first_char, style = row[0]
    assert first_char == "L"
    assert style.fg == parse_or_default("fg=red").fg
    assert style.bg == parse_or_default("bg=colour236").bg
    assert style.has("bright")  # the base's bold stays, as the widget always drew it


def test_a_wide_character_cut_at_the_edge_becomes_a_blank() -> None:
    text = CellText().append("ab漢字")
    text.truncate(3)
    assert ([char for char, _ in text.cells], text.width) == (["a", "b", " "], 3)
    line = format_line("#[align=right]漢字", 3, parse_or_default("default"))
    assert line.width == 3


def _session(**status: Any) -> Any:
    pane = {"id": 1, "index": 0, "active": True, "x": 0, "y": 0, "width": 4, "height": 2,
            "visible": True, "title": "", "dead": False, "command": "", "mode": ""}
    return {"id": 0, "name": "s", "current_window": 0, "status": _status(**status),
            "windows": [{"id": 0, "index": 0, "name": "w", "flags": "*", "active": True,
                         "zoomed": False, "width": 4, "height": 2, "layout": "",
                         "borders": [], "border_status": "off", "panes": [pane]}]}


def _screens(rows: Any = None, cursor: tuple[int, int] = (1, 0)) -> Any:
    return {1: {"pane": 1, "full": True, "columns": 4, "lines": 2,
                "rows": rows or {"0": [["ab", 1, -1, 1], ["  ", -1, -1, 0]],
                                 "1": [["    ", -1, -1, 0]]},
                "cursor": list(cursor), "cursor_visible": True, "cursor_shape": 0,
                "modes": {}, "title": "", "dead": False}}


def test_a_small_frame_byte_for_byte() -> None:
    frame = paint_frame(4, 3, _session(left="", right="", windows=[]), _screens())
    assert frame == (b"\x1b[?1049h\x1b[?25l"
                     b"\x1b[1;1H\x1b[0;1;31mab\x1b[0m\x1b[K"
                     b"\x1b[2;1H\x1b[0m\x1b[K"
                     b"\x1b[3;1H\x1b[0;30;42m    \x1b[0m"
                     b"\x1b[1;2H\x1b[0 q\x1b[?25h")


def test_the_painter_declines_what_it_cannot_draw_exactly() -> None:
    def reason(session: Any = None, screens: Any = None, **kwargs: Any) -> bytes | str:
        return frame_or_reason(4, 3, session or _session(),
                               _screens() if screens is None else screens, **kwargs)

    assert isinstance(reason(), bytes)
    assert isinstance(reason(_session(first="custom")), bytes)
    assert isinstance(reason(_session(lines=["second"])), str)  # no room left: 3 - 2 < 2
    assert isinstance(reason(screens=_screens({"0": [["😀  ", -1, -1, 0]],
                                               "1": [["    ", -1, -1, 0]]})), str)
    assert isinstance(reason(screens=_screens({"0": [["ab", 1 << 24 | 0x102030, -1, 0],
                                                     ["  ", -1, -1, 0]],
                                               "1": [["    ", -1, -1, 0]]})), str)
    assert isinstance(reason(screens=_screens({"0": [["ab", 1 << 24 | 0x102030, -1, 0],
                                                     ["  ", -1, -1, 0]],
                                               "1": [["    ", -1, -1, 0]]}),
                             colours="truecolor"), bytes)
    assert isinstance(reason(colours="standard"), bytes)  # palette 1 on green: 16 colours
    session = _session()
    session["windows"][0]["panes"][0]["mode"] = "copy-mode"
    assert isinstance(reason(session), str)
    session = _session()
    session["windows"][0]["panes"][0]["width"] = 5  # past the terminal
    assert isinstance(reason(session), str)
    assert isinstance(reason(screens={}), str)
    assert isinstance(reason({"windows": [{"panes": [{"x": 0}]}], "status": {}}), str)


def test_a_frame_over_a_frame_does_not_switch_screens_again() -> None:
    first = paint_frame(4, 3, _session(), _screens())
    again = paint_frame(4, 3, _session(), _screens(), alternate=False)
    assert first is not None and again is not None
    assert first == b"\x1b[?1049h" + again


def test_the_colour_system_is_the_renderers() -> None:
    def system(client: dict[str, str], renderer: dict[str, str] | None = None) -> str | None:
        return colour_system(client, renderer or {})

    assert system({"TERM": "xterm-256color"}) == "256"
    assert system({"TERM": "xterm-256color", "COLORTERM": "truecolor"}) == "truecolor"
    assert system({"TERM": "xterm"}) == "standard"
    assert system({"TERM": "dumb"}) is None
    assert system({"TERM": "xterm-256color", "NO_COLOR": "1"}) is None
    assert system({"TERM": "xterm-256color"}, {"NO_COLOR": "1"}) is None
    assert system({"TERM": "xterm", "TEXTUAL_COLOR_SYSTEM": "truecolor"}) is None
    assert system({"TERM": "xterm"}, {"TEXTUAL_COLOR_SYSTEM": "truecolor"}) == "truecolor"
