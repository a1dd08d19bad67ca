"""Layout invariants under random operation sequences (hypothesis).

After any sequence of splits, removals, window and pane resizes, presets, swaps,
rotations and zooms: the panes and the border segments partition the window
exactly (every cell belongs to one pane or one border run, never two), the window
is the size reported, ``pane_at`` agrees with ``geometry``, and the layout string
round-trips through ``from_string``.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from aisession_tui.server.layout import PRESETS, Layout, LayoutError

operation = st.one_of(
    st.tuples(
        st.just("split"),
        st.integers(0, 50),
        st.booleans(),
        st.one_of(st.none(), st.integers(0, 80)),
        st.one_of(st.none(), st.integers(0, 100)),
        st.booleans(),
        st.booleans(),
    ),
    st.tuples(st.just("remove"), st.integers(0, 50)),
    st.tuples(st.just("resize"), st.integers(1, 150), st.integers(1, 60)),
    st.tuples(
        st.just("resize_pane"), st.integers(0, 50), st.sampled_from("LRUD"), st.integers(1, 40)
    ),
    st.tuples(
        st.just("resize_pane_to"),
        st.integers(0, 50),
        st.one_of(st.none(), st.integers(0, 150)),
        st.one_of(st.none(), st.integers(0, 60)),
    ),
    st.tuples(st.just("preset"), st.sampled_from(PRESETS)),
    st.tuples(st.just("swap"), st.integers(0, 50), st.integers(0, 50)),
    st.tuples(st.just("rotate"), st.booleans()),
    st.tuples(st.just("zoom"), st.integers(0, 50)),
    st.tuples(st.just("spread"), st.integers(0, 50)),
)


def apply(layout: Layout, step: tuple[object, ...], next_id: int) -> int:
    """Apply one operation; returns the next unused pane id."""
    panes = layout.panes()

    def pick(index: object) -> int:
        assert isinstance(index, int)
        return panes[index % len(panes)]

    kind = step[0]
    if kind == "split":
        _, target, horizontal, size, percent, before, full = step
        assert size is None or isinstance(size, int)
        assert percent is None or isinstance(percent, int)
        if size is not None:
            percent = None
        try:
            layout.split(
                pick(target),
                next_id,
                horizontal=bool(horizontal),
                size=size,
                percent=percent,
                before=bool(before),
                full=bool(full),
            )
        except LayoutError as error:
            assert "no space" in str(error)
            assert layout.panes() == panes
            return next_id
        assert sorted(layout.panes()) == sorted([*panes, next_id])
        return next_id + 1
    if kind == "remove":
        if len(panes) > 1:
            gone = pick(step[1])
            layout.remove(gone)
            assert sorted(layout.panes()) == sorted(pane for pane in panes if pane != gone)
    elif kind == "resize":
        _, width, height = step
        assert isinstance(width, int) and isinstance(height, int)
        layout.resize(width, height)
        assert layout.width >= width and layout.height >= height
    elif kind == "resize_pane":
        _, index, direction, amount = step
        assert isinstance(direction, str) and isinstance(amount, int)
        layout.resize_pane(pick(index), direction, amount)
    elif kind == "resize_pane_to":
        _, index, width, height = step
        assert width is None or isinstance(width, int)
        assert height is None or isinstance(height, int)
        layout.resize_pane_to(pick(index), width=width, height=height)
    elif kind == "preset":
        layout.select_preset(str(step[1]))
    elif kind == "swap":
        layout.swap(pick(step[1]), pick(step[2]))
    elif kind == "rotate":
        layout.rotate(reverse=bool(step[1]))
    elif kind == "zoom":
        layout.toggle_zoom(pick(step[1]))
    elif kind == "spread":
        layout.spread_out(pick(step[1]))
    if kind not in ("split", "remove"):
        assert sorted(layout.panes()) == sorted(panes)
    return next_id


def assert_partitions_window(layout: Layout) -> None:
    owner: dict[tuple[int, int], str] = {}

    def claim(x: int, y: int, what: str) -> None:
        assert 0 <= x < layout.width and 0 <= y < layout.height, (what, x, y)
        assert (x, y) not in owner, (what, owner.get((x, y)), x, y)
        owner[(x, y)] = what

    geometry = layout.geometry()
    for pane, box in geometry.items():
        assert box.width >= 0 and box.height >= 0
        for x in range(box.x, box.x + box.width):
            for y in range(box.y, box.y + box.height):
                claim(x, y, f"%{pane}")
    for x, y, length, vertical in layout.border_segments():
        for step in range(length):
            claim(x, y + step, "border") if vertical else claim(x + step, y, "border")
    assert len(owner) == layout.width * layout.height
    for (x, y), what in list(owner.items())[:: max(1, len(owner) // 200)]:
        found = layout.pane_at(x, y)
        assert (None if found is None else f"%{found}") == (None if what == "border" else what)


def assert_round_trips(layout: Layout) -> None:
    text = layout.to_string()
    copy = Layout.from_string(text)
    assert copy.to_string() == text
    assert copy.panes() == layout.panes()
    assert (copy.width, copy.height) == (layout.width, layout.height)
    if layout.zoomed is None:
        assert copy.geometry() == layout.geometry()


@settings(max_examples=150, deadline=None)
@given(
    width=st.integers(1, 150),
    height=st.integers(1, 60),
    steps=st.lists(operation, max_size=30),
)
def test_random_operations_keep_the_window_tiled(
    width: int, height: int, steps: list[tuple[object, ...]]
) -> None:
    layout = Layout(width, height, 0)
    next_id = 1
    for step in steps:
        next_id = apply(layout, step, next_id)
        assert_partitions_window(layout)
        assert_round_trips(layout)
    assert layout.zoomed is None or layout.zoomed in layout.panes()
