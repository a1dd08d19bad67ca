"""Layout without tmux: values recorded from tmux 3.3a, plus the API contract
(errors, zoom, queries, parsing). The live comparison is in
test_layout_tmux_oracle.py; these keep the core covered where tmux is absent.

Recorded with ``tmux -L rec -f /dev/null new-session -d -x W -y H 'sleep 9999'``
followed by the listed commands and ``display -p '#{window_width}x#{window_height}
#{window_layout}'``. tmux numbers panes %0, %1, ... in creation order, so the
Layout below uses the same ids.
"""

from __future__ import annotations

import pytest

from aisession_tui.server.layout import PRESETS, Layout, LayoutError, PaneGeometry


def four_panes(width: int, height: int) -> Layout:
    """split-window -h; split-window -h; split-window -v; split-window -v -t %0
    (the active pane is always the newest)."""
    layout = Layout(width, height, 0)
    layout.split(0, 1, horizontal=True)
    layout.split(1, 2, horizontal=True)
    layout.split(2, 3, horizontal=False)
    layout.split(0, 4, horizontal=False)
    return layout


# -------------------------------------------------------- recorded from tmux


def test_half_split_recorded() -> None:
    # tmux: split-window -h
    layout = Layout(80, 24, 0)
    layout.split(0, 1, horizontal=True)
    assert layout.to_string() == "8205,80x24,0,0{40x24,0,0,0,39x24,41,0,1}"
    assert layout.geometry() == {
        0: PaneGeometry(0, 0, 40, 24),
        1: PaneGeometry(41, 0, 39, 24),
    }


def test_nested_sizes_recorded() -> None:
    # tmux: split-window -v; split-window -h -l 10 -t %1; split-window -v -p 30 -t %0
    layout = Layout(80, 24, 0)
    layout.split(0, 1, horizontal=False)
    layout.split(1, 2, horizontal=True, size=10)
    layout.split(0, 3, horizontal=False, percent=30)
    assert layout.to_string() == (
        "5068,80x24,0,0[80x8,0,0,0,80x3,0,9,3,80x11,0,13{69x11,0,13,1,10x11,70,13,2}]"
    )
    assert layout.panes() == [0, 3, 1, 2]


def test_before_recorded() -> None:
    # tmux: split-window -h -b -l 20; split-window -v -b -t %0
    layout = Layout(80, 24, 0)
    layout.split(0, 1, horizontal=True, before=True, size=20)
    layout.split(0, 2, horizontal=False, before=True)
    assert layout.to_string() == (
        "cdc4,80x24,0,0{20x24,0,0,1,59x24,21,0[59x12,21,0,2,59x11,21,13,0]}"
    )
    assert layout.panes() == [1, 2, 0]


def test_full_size_recorded() -> None:
    # tmux: split-window -h; split-window -v -f; split-window -h -f -b -l 15%
    layout = Layout(80, 24, 0)
    layout.split(0, 1, horizontal=True)
    layout.split(1, 2, horizontal=False, full=True)
    layout.split(2, 3, horizontal=True, full=True, before=True, percent=15)
    assert layout.to_string() == (
        "5c15,80x24,0,0{12x24,0,0,3,67x24,13,0[67x12,13,0{33x12,13,0,0,33x12,47,0,1},"
        "67x11,13,13,2]}"
    )


def test_kill_middle_recorded() -> None:
    # tmux: split-window -h three times (each splits the newest); kill-pane -t %2
    layout = Layout(80, 24, 0)
    layout.split(0, 1, horizontal=True)
    layout.split(1, 2, horizontal=True)
    layout.split(2, 3, horizontal=True)
    layout.remove(2)
    assert layout.to_string() == "8915,80x24,0,0{40x24,0,0,0,29x24,41,0,1,9x24,71,0,3}"


def test_window_resize_recorded() -> None:
    # tmux: split-window -h; split-window -v -t %0; resize-window -x 121 -y 37
    layout = Layout(80, 24, 0)
    layout.split(0, 1, horizontal=True)
    layout.split(0, 2, horizontal=False)
    layout.resize(121, 37)
    assert (layout.width, layout.height) == (121, 37)
    assert layout.to_string() == (
        "5f03,121x37,0,0{61x37,0,0[61x19,0,0,0,61x17,0,20,2],59x37,62,0,1}"
    )


def test_resize_pane_recorded() -> None:
    # tmux: split-window -h; split-window -v -t %1; resize-pane -t %0 -R 5;
    #       resize-pane -t %2 -U 3; resize-pane -t %1 -x 20
    layout = Layout(80, 24, 0)
    layout.split(0, 1, horizontal=True)
    layout.split(1, 2, horizontal=False)
    layout.resize_pane(0, "R", 5)
    layout.resize_pane(2, "U", 3)
    layout.resize_pane_to(1, width=20)
    assert layout.to_string() == (
        "16cc,80x24,0,0{59x24,0,0,0,20x24,60,0[20x9,60,0,1,20x14,60,10,2]}"
    )


PRESETS_RECORDED_81X25 = {
    "even-horizontal": "2f43,81x25,0,0{15x25,0,0,0,15x25,16,0,4,15x25,32,0,1,"
    "15x25,48,0,2,17x25,64,0,3}",
    "even-vertical": "1be3,81x25,0,0[81x4,0,0,0,81x4,0,5,4,81x4,0,10,1,81x4,0,15,2,81x5,0,20,3]",
    "main-horizontal": "d703,81x25,0,0[81x23,0,0,0,81x1,0,24{19x1,0,24,4,19x1,20,24,1,"
    "19x1,40,24,2,21x1,60,24,3}]",
    "main-vertical": "9edc,81x25,0,0{79x25,0,0,0,1x25,80,0[1x5,80,0,4,1x5,80,6,1,"
    "1x5,80,12,2,1x7,80,18,3]}",
    "tiled": "5cfc,81x25,0,0[81x7,0,0{40x7,0,0,0,40x7,41,0,4},81x7,0,8{40x7,0,8,1,"
    "40x7,41,8,2},81x9,0,16,3]",
}


@pytest.mark.parametrize("preset", PRESETS)
def test_presets_recorded(preset: str) -> None:
    # tmux: the four splits of four_panes(81, 25), then select-layout PRESET
    layout = four_panes(81, 25)
    layout.select_preset(preset)
    assert layout.to_string() == PRESETS_RECORDED_81X25[preset]


def test_main_vertical_default_width_recorded() -> None:
    # tmux: split-window -h; split-window -v; select-layout main-vertical (200x50)
    layout = Layout(200, 50, 0)
    layout.split(0, 1, horizontal=True)
    layout.split(1, 2, horizontal=False)
    layout.select_preset("main-vertical")
    assert layout.to_string() == (
        "5b8a,200x50,0,0{80x50,0,0,0,119x50,81,0[119x24,81,0,1,119x25,81,25,2]}"
    )


def test_no_space_recorded() -> None:
    # tmux 5x3: split-window -h works, the second says "no space for new pane"
    layout = Layout(5, 3, 0)
    layout.split(0, 1, horizontal=True)
    assert layout.to_string() == "8090,5x3,0,0{2x3,0,0,0,2x3,3,0,1}"
    with pytest.raises(LayoutError, match="no space for new pane"):
        layout.split(1, 2, horizontal=True)
    assert layout.panes() == [0, 1]


# ------------------------------------------------------------- the contract


def test_errors() -> None:
    layout = Layout(80, 24, 0)
    with pytest.raises(LayoutError, match="can't find pane"):
        layout.split(9, 1, horizontal=True)
    with pytest.raises(LayoutError, match="already"):
        layout.split(0, 0, horizontal=True)
    with pytest.raises(LayoutError, match="exclusive"):
        layout.split(0, 1, horizontal=True, size=3, percent=20)
    with pytest.raises(LayoutError, match="last pane"):
        layout.remove(0)
    with pytest.raises(LayoutError, match="invalid layout: main"):
        layout.select_preset("main")
    with pytest.raises(LayoutError, match="invalid layout: bogus"):
        layout.select_preset("bogus")
    with pytest.raises(LayoutError, match="unknown direction"):
        layout.resize_pane(0, "X", 1)
    with pytest.raises(LayoutError, match="adjustment too small"):
        layout.resize_pane(0, "L", 0)
    assert layout.to_string() == Layout(80, 24, 0).to_string()


def test_preset_prefixes_and_cycle() -> None:
    layout = four_panes(81, 25)
    layout.select_preset("t")
    assert layout.to_string() == PRESETS_RECORDED_81X25["tiled"]
    assert layout.next_preset() == "even-horizontal"
    assert layout.next_preset() == "even-vertical"
    assert layout.previous_preset() == "even-horizontal"
    assert layout.previous_preset() == "tiled"
    fresh = four_panes(81, 25)
    assert fresh.previous_preset() == "tiled"
    assert four_panes(81, 25).next_preset() == "even-horizontal"


def test_zoom() -> None:
    layout = four_panes(81, 25)
    single = Layout(10, 5, 7)
    single.toggle_zoom(7)
    assert single.zoomed is None
    unzoomed = layout.to_string()
    layout.toggle_zoom(3)
    assert layout.zoomed == 3
    assert layout.geometry() == {3: PaneGeometry(0, 0, 81, 25)}
    assert layout.pane_at(0, 0) == 3 and layout.pane_at(80, 24) == 3
    assert layout.border_segments() == []
    assert layout.to_string() == unzoomed
    assert layout.visible_string().endswith(",81x25,0,0,3")
    layout.resize(100, 30)
    assert layout.zoomed == 3
    layout.toggle_zoom(0)
    assert layout.zoomed is None
    layout.toggle_zoom(1)
    layout.remove(2)
    assert layout.zoomed is None


def test_pane_at_and_borders() -> None:
    layout = Layout(80, 24, 0)
    layout.split(0, 1, horizontal=True)
    layout.split(1, 2, horizontal=False)
    assert layout.pane_at(0, 0) == 0
    assert layout.pane_at(40, 5) is None
    assert layout.pane_at(41, 0) == 1
    assert layout.pane_at(41, 12) is None
    assert layout.pane_at(79, 23) == 2
    assert layout.pane_at(80, 0) is None
    assert layout.border_segments() == [(40, 0, 24, True), (41, 12, 39, False)]


def test_neighbours_wrap_and_prefer_recent() -> None:
    layout = Layout(80, 24, 0)
    layout.split(0, 1, horizontal=True)
    layout.split(1, 2, horizontal=False)
    assert layout.neighbour(0, "R") == 1
    assert layout.neighbour(0, "R", recent=[2, 1]) == 2
    assert layout.neighbour(0, "L") == 1
    assert layout.neighbour(1, "D") == 2
    assert layout.neighbour(2, "D") == 1
    assert layout.neighbour(1, "L") == 0
    assert layout.neighbour(0, "U") is None
    assert Layout(10, 10, 5).neighbour(5, "L") is None


def test_swap_and_rotate() -> None:
    layout = Layout(80, 24, 0)
    layout.split(0, 1, horizontal=True)
    layout.split(1, 2, horizontal=False)
    before = layout.geometry()
    layout.swap(0, 2)
    assert layout.panes() == [2, 1, 0]
    assert layout.geometry()[2] == before[0]
    layout.rotate()
    assert layout.panes() == [1, 0, 2]
    layout.rotate(reverse=True)
    assert layout.panes() == [2, 1, 0]


def test_string_round_trip_and_validation() -> None:
    text = PRESETS_RECORDED_81X25["tiled"]
    copy = Layout.from_string(text)
    assert copy.to_string() == text
    assert copy.panes() == [0, 4, 1, 2, 3]
    assert (copy.width, copy.height) == (81, 25)
    with pytest.raises(LayoutError, match="invalid layout"):
        Layout.from_string("0000" + text[4:])
    with pytest.raises(LayoutError, match="invalid layout"):
        Layout.from_string("nonsense")
    broken = "80x24,0,0{40x24,0,0,0,39x20,41,0,1}"
    with pytest.raises(LayoutError, match="size mismatch"):
        Layout.from_string(f"{_checksum(broken):04x},{broken}")


def test_apply_string_assigns_panes_in_order() -> None:
    layout = Layout(80, 24, 5)
    layout.split(5, 6, horizontal=False)
    layout.apply_string("8205,80x24,0,0{40x24,0,0,0,39x24,41,0,1}")
    body = "80x24,0,0{40x24,0,0,5,39x24,41,0,6}"
    assert layout.to_string() == f"{_checksum(body):04x},{body}"


def _checksum(body: str) -> int:
    checksum = 0
    for char in body:
        checksum = ((checksum >> 1) + ((checksum & 1) << 15) + ord(char)) & 0xFFFF
    return checksum


def test_full_split_that_tmux_breaks_is_refused() -> None:
    # Deliberate divergence. tmux 3.3a, from this layout, `split-window -h -b -f -t %2`
    # gives "68de,76x4,0,0{38x4,0,0,4,37x4,39,0[37x2,39,0[37x1,39,0,3,37x0,39,2,1],
    # 37x1,39,3,2]}": pane %1 is 0 rows high (in other cases sizes wrap below zero
    # and the server crashes). The layout refuses such a split and stays unchanged.
    text = "0ebf,76x5,0,0[76x3,0,0[76x1,0,0,3,76x1,0,2,1],76x1,0,4,2]"
    layout = Layout.from_string(text)
    with pytest.raises(LayoutError, match="no space for new pane"):
        layout.split(2, 4, horizontal=True, before=True, full=True)
    assert layout.to_string() == text
    layout.split(2, 4, horizontal=True, before=True)
    assert all(box.width > 0 and box.height > 0 for box in layout.geometry().values())


def test_spread_out_that_tmux_cannot_finish_changes_nothing() -> None:
    # Deliberate divergence: tmux 3.3a spins forever on `select-layout -E -t %6`
    # here (the even height, 1, is below the 3 rows the middle row needs).
    body = (
        "109x9,0,0[109x1,0,0,6,109x3,0,2{1x3,0,2[1x1,0,2,5,1x1,0,4,10],107x3,2,2,9},"
        "109x1,0,6,4,109x1,0,8,3]"
    )
    text = f"{_checksum(body):04x},{body}"
    layout = Layout.from_string(text)
    layout.spread_out(6)
    assert layout.to_string() == text
    layout.spread_out(5)
    assert layout.geometry()[5].height == 1
