"""Layout against a live tmux 3.3a: the same operations must give the same
``#{window_layout}``, pane geometry, pane order and window size.

Each test drives a private tmux server (unique ``-L`` socket, ``-f /dev/null``,
``TMUX_TMPDIR`` in a private temporary directory because tmux leaves its socket
file behind) whose panes run ``sleep``; every server is killed and its directory
removed by the fixture finalizer. The
Layout is built with tmux's own pane ids, so layout strings compare verbatim.
Skipped when tmux is not installed.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from aisession_tui.server.layout import PRESETS, Layout, LayoutError, PaneGeometry

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux not installed")

PANE_COMMAND = "sleep 100000"
PANE_FORMAT = "#{pane_id} #{pane_left} #{pane_top} #{pane_width} #{pane_height}"
WINDOW_FORMAT = (
    "W #{window_width} #{window_height} #{window_zoomed_flag} "
    "#{window_layout} #{window_visible_layout}"
)


class TmuxCommandError(Exception):
    """tmux refused a command; the message is its stderr."""


@dataclass
class TmuxState:
    layout: str
    visible_layout: str
    size: tuple[int, int]
    zoomed: bool
    panes: list[int]
    geometry: dict[int, PaneGeometry]


@dataclass
class TmuxWindow:
    """One tmux server with one window, driven by pane id."""

    socket: str
    tmpdir: str
    width: int
    height: int
    first_pane: int = -1
    server_pid: int = -1
    recent: list[int] = field(default_factory=list)

    def run(self, *args: str) -> str:
        env = {key: value for key, value in os.environ.items() if key != "TMUX"}
        env["TMUX_TMPDIR"] = self.tmpdir
        completed = subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", *args],
            capture_output=True,
            text=True,
            timeout=30,
            env=env,
            check=False,
        )
        if completed.returncode != 0:
            raise TmuxCommandError(completed.stderr.strip())
        return completed.stdout

    def start(self) -> None:
        self.run(
            "new-session",
            "-d",
            "-x",
            str(self.width),
            "-y",
            str(self.height),
            PANE_COMMAND,
            ";",
            "set-option",
            "-w",
            "window-size",
            "manual",
        )
        pane_id, server_pid = self.run("display", "-p", "#{pane_id} #{pid}").split()
        self.first_pane = int(pane_id[1:])
        self.server_pid = int(server_pid)
        self.recent = [self.first_pane]

    def kill(self) -> None:
        """kill-server; SIGKILL the server if it does not answer (tmux can spin)."""
        try:
            self.run("kill-server")
        except (TmuxCommandError, subprocess.TimeoutExpired):
            if self.server_pid > 0:
                try:
                    os.kill(self.server_pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass

    def split(
        self,
        target: int,
        *,
        horizontal: bool,
        size: int | None = None,
        percent: int | None = None,
        percent_flag: str = "-l",
        before: bool = False,
        full: bool = False,
    ) -> int:
        args = ["split-window", "-t", f"%{target}", "-P", "-F", "#{pane_id}"]
        args.append("-h" if horizontal else "-v")
        if size is not None:
            args += ["-l", str(size)]
        if percent is not None:
            args += ["-l", f"{percent}%"] if percent_flag == "-l" else ["-p", str(percent)]
        if before:
            args.append("-b")
        if full:
            args.append("-f")
        args.append(PANE_COMMAND)
        new_pane = int(self.run(*args).strip()[1:])
        self._activated(new_pane)
        return new_pane

    def select(self, pane: int) -> None:
        self.run("select-pane", "-t", f"%{pane}")
        self._activated(pane)

    def _activated(self, pane: int) -> None:
        if pane in self.recent:
            self.recent.remove(pane)
        self.recent.insert(0, pane)

    def forget(self, pane: int) -> None:
        self.recent.remove(pane)

    def state(self) -> TmuxState:
        output = self.run("list-panes", "-F", PANE_FORMAT, ";", "display", "-p", WINDOW_FORMAT)
        panes: list[int] = []
        geometry: dict[int, PaneGeometry] = {}
        window: list[str] = []
        for line in output.splitlines():
            words = line.split()
            if words[0] == "W":
                window = words
                continue
            pane = int(words[0][1:])
            panes.append(pane)
            geometry[pane] = PaneGeometry(*(int(word) for word in words[1:]))
        return TmuxState(
            layout=window[4],
            visible_layout=window[5],
            size=(int(window[1]), int(window[2])),
            zoomed=window[3] == "1",
            panes=panes,
            geometry=geometry,
        )


@pytest.fixture
def tmux_window() -> Iterator[Callable[[int, int], TmuxWindow]]:
    started: list[TmuxWindow] = []
    tmpdir = tempfile.mkdtemp(prefix="ais-tmux-")

    def start(width: int, height: int) -> TmuxWindow:
        window = TmuxWindow(f"ais-layout-{uuid.uuid4().hex[:10]}", tmpdir, width, height)
        started.append(window)
        window.start()
        return window

    try:
        yield start
    finally:
        for window in started:
            window.kill()
        shutil.rmtree(tmpdir, ignore_errors=True)


def assert_same(layout: Layout, tmux: TmuxWindow, context: str = "") -> None:
    state = tmux.state()
    assert layout.to_string() == state.layout, context
    assert (layout.width, layout.height) == state.size, context
    assert layout.panes() == state.panes, context
    assert (layout.zoomed is not None) == state.zoomed, context
    assert layout.visible_string() == state.visible_layout, context
    if layout.zoomed is None:
        assert layout.geometry() == state.geometry, context
    else:
        assert layout.geometry() == {layout.zoomed: state.geometry[layout.zoomed]}, context


@dataclass
class Pair:
    """A Layout and a tmux window receiving the same operations."""

    layout: Layout
    tmux: TmuxWindow

    def split(self, target: int, **options: Any) -> int | None:
        """Split in both (options of Layout.split, plus ``percent_flag`` "-l" or
        "-p" for tmux); None when both refuse (tmux: no space for new pane)."""
        percent_flag = options.pop("percent_flag", "-l")
        try:
            new_pane = self.tmux.split(target, percent_flag=percent_flag, **options)
        except TmuxCommandError as error:
            assert "no space for new pane" in str(error)
            with pytest.raises(LayoutError, match="no space for new pane"):
                self.layout.split(target, 10_000, **options)
            return None
        self.layout.split(target, new_pane, **options)
        return new_pane

    def must_split(self, target: int, **options: Any) -> int:
        new_pane = self.split(target, **options)
        assert new_pane is not None, "tmux had no space for the new pane"
        return new_pane

    def kill(self, pane: int) -> None:
        self.tmux.run("kill-pane", "-t", f"%{pane}")
        self.tmux.forget(pane)
        self.layout.remove(pane)

    def check(self, context: str = "") -> None:
        assert_same(self.layout, self.tmux, context)


@pytest.fixture
def pair(tmux_window: Callable[[int, int], TmuxWindow]) -> Callable[[int, int], Pair]:
    def make(width: int, height: int) -> Pair:
        tmux = tmux_window(width, height)
        return Pair(Layout(width, height, tmux.first_pane), tmux)

    return make


# --------------------------------------------------------------------- splits


SPLIT_SCRIPTS: dict[str, list[dict[str, Any]]] = {
    "halves-odd": [
        {"target": 0, "horizontal": True},
        {"target": 0, "horizontal": False},
        {"target": 1, "horizontal": False},
        {"target": 2, "horizontal": True},
    ],
    "sizes": [
        {"target": 0, "horizontal": True, "size": 17},
        {"target": 1, "horizontal": False, "size": 3},
        {"target": 0, "horizontal": False, "percent": 30},
        {"target": 2, "horizontal": True, "percent": 70, "percent_flag": "-p"},
        {"target": 3, "horizontal": True, "size": 0},
        {"target": 0, "horizontal": True, "size": 500},
    ],
    "before": [
        {"target": 0, "horizontal": True, "before": True},
        {"target": 0, "horizontal": False, "before": True, "size": 5},
        {"target": 1, "horizontal": True, "before": True, "percent": 25},
        {"target": 2, "horizontal": False, "before": True, "size": 900},
    ],
    "full": [
        {"target": 0, "horizontal": False},
        {"target": 0, "horizontal": True, "full": True},
        {"target": 1, "horizontal": True, "full": True, "size": 10},
        {"target": 1, "horizontal": False, "full": True, "before": True},
        {"target": 2, "horizontal": False, "full": True, "percent": 40},
        {"target": 0, "horizontal": True, "full": True, "before": True, "size": 7},
    ],
    "until-full": [{"target": 0, "horizontal": True}] * 8
    + [{"target": 0, "horizontal": False}] * 6,
}


@pytest.mark.parametrize("size", [(80, 24), (121, 37), (31, 9)])
@pytest.mark.parametrize("script", sorted(SPLIT_SCRIPTS))
def test_split_scripts_match_tmux(
    pair: Callable[[int, int], Pair], script: str, size: tuple[int, int]
) -> None:
    both = pair(*size)
    created = [both.tmux.first_pane]
    for step, options in enumerate(SPLIT_SCRIPTS[script]):
        options = dict(options)
        target = created[options.pop("target") % len(created)]
        new_pane = both.split(target, **options)
        if new_pane is not None:
            created.append(new_pane)
        both.check(f"{script} step {step}: {options}")


# -------------------------------------------------------------------- presets


@pytest.mark.parametrize("size", [(80, 24), (200, 60), (57, 19), (13, 7)])
@pytest.mark.parametrize("preset", PRESETS)
def test_presets_with_one_to_seven_panes_match_tmux(
    pair: Callable[[int, int], Pair], preset: str, size: tuple[int, int]
) -> None:
    both = pair(*size)
    panes = [both.tmux.first_pane]
    for count in range(1, 8):
        if count > 1:
            # Split the largest pane so small windows still fit seven panes.
            geometry = both.layout.geometry()
            target = max(panes, key=lambda pane: geometry[pane].width * geometry[pane].height)
            horizontal = geometry[target].width > 2 * geometry[target].height
            new_pane = both.split(target, horizontal=horizontal)
            if new_pane is None:
                return
            panes.append(new_pane)
        both.tmux.run("select-layout", preset)
        both.layout.select_preset(preset)
        both.check(f"{preset} with {count} panes")


def test_main_pane_options_as_percentages_match_tmux(pair: Callable[[int, int], Pair]) -> None:
    both = pair(100, 40)
    for horizontal in (True, False, True):
        both.split(both.layout.panes()[-1], horizontal=horizontal)
    both.tmux.run(
        "set-option",
        "-w",
        "main-pane-width",
        "30%",
        ";",
        "set-option",
        "-w",
        "other-pane-height",
        "10",
    )
    both.layout.main_pane_width = "30%"
    both.layout.other_pane_height = "10"
    for preset in ("main-vertical", "main-horizontal"):
        both.tmux.run("select-layout", preset)
        both.layout.select_preset(preset)
        both.check(preset)


def test_next_and_previous_layout_cycle_like_tmux(pair: Callable[[int, int], Pair]) -> None:
    both = pair(90, 30)
    for horizontal in (True, False, True, False):
        both.split(both.layout.panes()[0], horizontal=horizontal)
    for command in ["next-layout"] * 6 + ["previous-layout"] * 7:
        both.tmux.run(command)
        name = (
            both.layout.next_preset() if command == "next-layout" else both.layout.previous_preset()
        )
        assert name in PRESETS
        both.check(command)


def test_prefix_names_match_tmux(pair: Callable[[int, int], Pair]) -> None:
    both = pair(90, 30)
    both.must_split(both.tmux.first_pane, horizontal=True)
    both.must_split(both.tmux.first_pane, horizontal=False)
    for name in ("even-v", "t", "main-h", "even-horizontal"):
        both.tmux.run("select-layout", name)
        both.layout.select_preset(name)
        both.check(name)


# --------------------------------------------------------- kill / resize / misc


def test_kill_panes_in_the_middle_match_tmux(pair: Callable[[int, int], Pair]) -> None:
    both = pair(101, 41)
    first = both.tmux.first_pane
    right = both.must_split(first, horizontal=True)
    middle = both.must_split(first, horizontal=False)
    both.must_split(middle, horizontal=False, size=5)
    inner = both.must_split(middle, horizontal=True)
    far = both.must_split(right, horizontal=False, before=True)
    both.check("built")
    for pane in (middle, first, far, inner):
        both.kill(pane)
        both.check(f"killed %{pane}")


def test_window_resize_matches_tmux(pair: Callable[[int, int], Pair]) -> None:
    both = pair(80, 24)
    first = both.tmux.first_pane
    right = both.must_split(first, horizontal=True, size=20)
    both.must_split(first, horizontal=False, size=4)
    both.must_split(right, horizontal=False)
    both.must_split(right, horizontal=True)
    for width, height in [(120, 40), (81, 25), (50, 10), (7, 4), (3, 2), (200, 50), (99, 33)]:
        both.tmux.run("resize-window", "-x", str(width), "-y", str(height))
        both.layout.resize(width, height)
        both.check(f"resize to {width}x{height}")


def test_resize_pane_matches_tmux(pair: Callable[[int, int], Pair]) -> None:
    both = pair(100, 30)
    first = both.tmux.first_pane
    second = both.must_split(first, horizontal=True)
    third = both.must_split(second, horizontal=False)
    fourth = both.must_split(first, horizontal=True, percent=30)
    moves = [
        (first, "R", 7),
        (second, "L", 12),
        (third, "U", 4),
        (fourth, "R", 3),
        (third, "D", 50),
        (second, "R", 200),
        (first, "L", 1),
        (fourth, "L", 60),
    ]
    for pane, direction, amount in moves:
        both.tmux.run("resize-pane", "-t", f"%{pane}", f"-{direction}", str(amount))
        both.layout.resize_pane(pane, direction, amount)
        both.check(f"resize-pane %{pane} -{direction} {amount}")
    for pane, width, height in [
        (first, 20, None),
        (third, None, 9),
        (second, 33, 2),
        (fourth, 1, 28),
    ]:
        args = ["resize-pane", "-t", f"%{pane}"]
        args += ["-x", str(width)] if width is not None else []
        args += ["-y", str(height)] if height is not None else []
        both.tmux.run(*args)
        both.layout.resize_pane_to(pane, width=width, height=height)
        both.check(f"resize-pane %{pane} -x {width} -y {height}")


def test_swap_rotate_and_zoom_match_tmux(pair: Callable[[int, int], Pair]) -> None:
    both = pair(90, 31)
    first = both.tmux.first_pane
    second = both.must_split(first, horizontal=True, size=30)
    third = both.must_split(first, horizontal=False)
    both.tmux.run("swap-pane", "-s", f"%{first}", "-t", f"%{second}")
    both.layout.swap(first, second)
    both.check("swap")
    for reverse in (False, False, True):
        both.tmux.run("rotate-window", "-D" if reverse else "-U")
        both.layout.rotate(reverse=reverse)
        both.check(f"rotate reverse={reverse}")
    both.tmux.run("resize-pane", "-Z", "-t", f"%{third}")
    both.layout.toggle_zoom(third)
    both.check("zoomed")
    both.tmux.run("resize-window", "-x", "70", "-y", "20")
    both.layout.resize(70, 20)
    both.check("resized while zoomed")
    both.tmux.run("resize-pane", "-Z", "-t", f"%{third}")
    both.layout.toggle_zoom(third)
    both.check("unzoomed")
    both.tmux.run("resize-pane", "-Z", "-t", f"%{first}")
    both.layout.toggle_zoom(first)
    both.must_split(first, horizontal=True, percent=50)
    both.check("split unzooms, percentage of the zoomed size")


def test_spread_out_matches_tmux(pair: Callable[[int, int], Pair]) -> None:
    both = pair(97, 33)
    first = both.tmux.first_pane
    second = both.must_split(first, horizontal=True, size=10)
    third = both.must_split(first, horizontal=True, size=5)
    fourth = both.must_split(third, horizontal=False, size=3)
    for pane in (fourth, first, second):
        both.tmux.run("select-layout", "-E", "-t", f"%{pane}")
        both.layout.spread_out(pane)
        both.check(f"select-layout -E -t %{pane}")


def test_custom_layout_string_matches_tmux(pair: Callable[[int, int], Pair]) -> None:
    donor = Layout(100, 30, 0)
    donor.split(0, 1, horizontal=True, size=30)
    donor.split(0, 2, horizontal=False, size=8)
    donor.split(1, 3, horizontal=False)
    custom = donor.to_string()
    both = pair(80, 24)
    first = both.tmux.first_pane
    both.must_split(first, horizontal=False)
    both.must_split(first, horizontal=False)
    both.tmux.run("select-layout", custom)
    both.layout.apply_string(custom)
    both.check("three panes into four cells")
    both.must_split(first, horizontal=True)
    both.must_split(first, horizontal=True)
    with pytest.raises(TmuxCommandError, match="have 5 panes but need 4"):
        both.tmux.run("select-layout", custom)
    with pytest.raises(LayoutError, match="have 5 panes but need 4"):
        both.layout.apply_string(custom)
    both.check("refused layout changes nothing")
    copy = Layout.from_string(both.tmux.state().layout)
    assert copy.to_string() == both.layout.to_string()


def test_neighbours_match_tmux(pair: Callable[[int, int], Pair]) -> None:
    both = pair(100, 30)
    first = both.tmux.first_pane
    second = both.must_split(first, horizontal=True)
    third = both.must_split(first, horizontal=False)
    fourth = both.must_split(second, horizontal=False, size=20)
    fifth = both.must_split(fourth, horizontal=True)
    panes = both.layout.panes()
    assert set(panes) == {first, second, third, fourth, fifth}
    tokens = {"L": "{left-of}", "R": "{right-of}", "U": "{up-of}", "D": "{down-of}"}
    for pane in panes + panes[::-1]:
        both.tmux.select(pane)
        for direction, token in tokens.items():
            try:
                expected: int | None = int(
                    both.tmux.run("display", "-p", "-t", token, "#{pane_id}").strip()[1:]
                )
            except TmuxCommandError:
                expected = None
            found = both.layout.neighbour(pane, direction, recent=both.tmux.recent)
            assert found == expected, f"%{pane} {direction}"


# ------------------------------------------------------------ random sequences


def random_step(both: Pair, rng: random.Random) -> str:
    """Apply one random operation to both sides; returns its description."""
    panes = both.layout.panes()
    pane = rng.choice(panes)
    roll = rng.random()
    if roll < 0.40:
        options: dict[str, Any] = {"horizontal": rng.random() < 0.5}
        sizing = rng.random()
        if sizing < 0.25:
            options["size"] = rng.randint(0, 60)
        elif sizing < 0.5:
            options["percent"] = rng.randint(0, 100)
            options["percent_flag"] = rng.choice(["-l", "-p"])
        options["before"] = rng.random() < 0.3
        options["full"] = rng.random() < 0.2
        both.split(pane, **options)
        return f"split %{pane} {options}"
    if roll < 0.55 and len(panes) > 1:
        both.kill(pane)
        return f"kill %{pane}"
    if roll < 0.65:
        direction = rng.choice("LRUD")
        amount = rng.randint(1, 30)
        both.tmux.run("resize-pane", "-t", f"%{pane}", f"-{direction}", str(amount))
        both.layout.resize_pane(pane, direction, amount)
        return f"resize-pane %{pane} -{direction} {amount}"
    if roll < 0.70:
        width = rng.choice([None, rng.randint(1, 120)])
        height = rng.choice([None, rng.randint(1, 50)])
        args = ["resize-pane", "-t", f"%{pane}"]
        args += ["-x", str(width)] if width is not None else []
        args += ["-y", str(height)] if height is not None else []
        both.tmux.run(*args)
        both.layout.resize_pane_to(pane, width=width, height=height)
        return f"resize-pane %{pane} -x {width} -y {height}"
    if roll < 0.78:
        width, height = rng.randint(2, 160), rng.randint(2, 60)
        both.tmux.run("resize-window", "-x", str(width), "-y", str(height))
        both.layout.resize(width, height)
        return f"resize-window {width}x{height}"
    if roll < 0.85:
        preset = rng.choice(PRESETS)
        both.tmux.run("select-layout", preset)
        both.layout.select_preset(preset)
        return f"select-layout {preset}"
    if roll < 0.90:
        other = rng.choice(panes)
        both.tmux.run("swap-pane", "-d", "-s", f"%{pane}", "-t", f"%{other}")
        both.layout.swap(pane, other)
        return f"swap %{pane} %{other}"
    if roll < 0.92:
        both.tmux.run("select-layout", "-E", "-t", f"%{pane}")
        both.layout.spread_out(pane)
        return f"select-layout -E %{pane}"
    if roll < 0.96:
        reverse = rng.random() < 0.5
        both.tmux.run("rotate-window", "-D" if reverse else "-U")
        both.layout.rotate(reverse=reverse)
        return f"rotate reverse={reverse}"
    both.tmux.run("resize-pane", "-Z", "-t", f"%{pane}")
    both.layout.toggle_zoom(pane)
    return f"zoom %{pane}"


@pytest.mark.parametrize("seed", range(24))
def test_random_sequences_match_tmux(pair: Callable[[int, int], Pair], seed: int) -> None:
    rng = random.Random(seed)
    both = pair(rng.randint(20, 160), rng.randint(6, 60))
    history: list[str] = []
    for _ in range(30):
        history.append(random_step(both, rng))
        both.check(" | ".join(history))
