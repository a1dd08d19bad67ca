"""choose-tree as tmux 3.3a draws and drives it: the tree's lines, expand / collapse with
Right / Left, shortcut keys, Enter switching, and the preview of the highlighted item.

The line-drawing functions are checked on their own; the pilot tests drive the attached
client against a real server (the ``server`` fixture).
"""

from __future__ import annotations

import asyncio
from typing import Any

from app_harness import make_app, wait_for, wait_text

from aisession_tui.widgets.overlays import ChooseTree, TreeItem, tree_lines
from aisession_tui.widgets.tree_preview import PaneShot, PreviewContent, preview_cells


def run(scenario: Any) -> None:
    asyncio.run(scenario())


def two_sessions() -> list[TreeItem]:
    vim = TreeItem("a:1", "1", "vim*", [TreeItem("a:1.0", "0", "bash"),
                                        TreeItem("a:1.1", "1", "vim*")])
    return [TreeItem("a:", "a", "2 windows (attached)",
                     [TreeItem("a:0", "0", "bash-"), vim], expanded=True),
            TreeItem("b:", "b", "1 windows", [TreeItem("b:0", "0", "bash*")], expanded=True)]


def test_tree_lines_follow_tmux() -> None:
    items = two_sessions()
    assert [line for _, line in tree_lines(items)] == [
        "(0) - a: 2 windows (attached)",
        "(1) ├─>   0: bash-",
        "(2) └─> + 1: vim*",
        "(3) - b: 1 windows",
        "(4) └─> 0: bash*",
    ]
    items[0].children[1].expanded = True
    items[1].expanded = False
    assert [line for _, line in tree_lines(items)] == [
        "(0) - a: 2 windows (attached)",
        "(1) ├─>   0: bash-",
        "(2) └─> - 1: vim*",
        "(3)     ├─> 0: bash",
        "(4)     └─> 1: vim*",
        "(5) + b: 1 windows",
    ]
    assert [target for target, _ in tree_lines(items)][3] == "a:1.0"


def test_keys_after_nine_are_meta_letters_and_pad_the_column() -> None:
    windows = [TreeItem(f"s:{n}", str(n), "sh") for n in range(12)]
    lines = [line for _, line in tree_lines([TreeItem("s:", "s", "12 windows", windows,
                                                      expanded=True)])]
    assert lines[0] == "(0)   - s: 12 windows"
    assert lines[10] == "(M-a) ├─> 9: sh"
    assert lines[12] == "(M-c) └─> 11: sh"


def test_preview_of_a_window_is_tmux_s_box() -> None:
    """tmux 3.3a's ``C-b w`` at 80x24 (a 23-line window, the tree on 11 lines): the box
    under it as ``capture-pane -p`` shows it, the pane's index boxed at the centre."""
    shot = PaneShot(["$ echo second-window", "second-window", "$ "], 80, 23, (2, 2),
                    label=" 0 ")
    content = PreviewContent("1 (sort: index)", shots=[shot], labels_in_share=True)
    box = ["".join(char for char, _ in row) for row in preview_cells(content, 80, 12)]
    blank = "│" + " " * 78 + "│"
    assert box == [
        "┌ 1 (sort: index) " + "─" * 61 + "┐",
        "│ $ echo second-window".ljust(79) + "│",
        "│ second-window".ljust(79) + "│",
        "│ $".ljust(79) + "│",
        blank,
        "│" + " " * 37 + "┌───┐" + " " * 36 + "│",
        "│" + " " * 37 + "│ 0 │" + " " * 36 + "│",
        "│" + " " * 37 + "└───┘" + " " * 36 + "│",
        blank, blank, blank,
        "└" + "─" * 78 + "┘",
    ]


def sessions(server: Any) -> None:
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "39")
    server.ok("new-window", "-t", "main")
    server.ok("split-window", "-t", "main:1")
    server.ok("new-session", "-d", "-s", "other", "-x", "80", "-y", "39")
    server.wait_for_text("other", "$")
    server.ok("send-keys", "-t", "other", "echo in-other", "Enter")
    server.wait_for_text("other", "in-other\n")
    server.wait_for_text("main:1.1", "$")


def tree_of(app: Any) -> ChooseTree:
    assert isinstance(app.overlay, ChooseTree)
    return app.overlay


def shown(app: Any) -> list[str]:
    overlay = app.overlay
    if not isinstance(overlay, ChooseTree):
        return []
    return [str(overlay.get_option_at_index(n).prompt) for n in range(overlay.option_count)]


def highlighted(app: Any) -> str | None:
    overlay = app.overlay
    if not isinstance(overlay, ChooseTree) or overlay.highlighted is None:
        return None
    return overlay.get_option_at_index(overlay.highlighted).id


def test_prefix_s_starts_collapsed_and_right_left_expand_and_collapse(server: Any) -> None:
    sessions(server)

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 40)) as pilot:
            await wait_text(app, "$")
            await pilot.press("ctrl+b", "s")
            await wait_for(lambda: shown(app) == ["(0) + main: 2 windows (attached)",
                                                  "(1) + other: 1 windows"], "sessions")
            assert highlighted(app) == "main:"
            await pilot.press("right")
            await wait_for(lambda: len(shown(app)) == 4, "main expanded")
            assert shown(app)[1:3] == ["(1) ├─>   0: bash-", "(2) └─> + 1: bash*"]
            await pilot.press("down", "down", "plus")
            await wait_for(lambda: len(shown(app)) == 6, "window 1's panes")
            assert shown(app)[3:5] == ["(3)     ├─> 0: bash", "(4)     └─> 1: bash*"]
            await pilot.press("down", "left")      # a pane: collapses its window
            await wait_for(lambda: len(shown(app)) == 4, "window 1 collapsed")
            assert highlighted(app) == "main:1"
            await pilot.press("minus", "minus")    # the window's parent, then nothing more
            await wait_for(lambda: len(shown(app)) == 2, "main collapsed")
            assert highlighted(app) == "main:"
            await pilot.press("q")
            await wait_for(lambda: app.overlay is None, "closed")
            await wait_for(lambda: not app.query("#choose-tree-preview"), "preview removed")

    run(scenario)


def test_shortcut_key_switches_to_its_line(server: Any) -> None:
    sessions(server)

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 40)) as pilot:
            await wait_text(app, "$")
            await pilot.press("ctrl+b", "s")
            await wait_for(lambda: len(shown(app)) == 2, "sessions")
            await pilot.press("1")
            await wait_for(lambda: app.session.get("name") == "other", "switched to other")
            assert app.overlay is None
            await wait_text(app, "in-other")

    run(scenario)


def test_prefix_w_shows_windows_enter_switches_and_preview_shows_the_pane(
        server: Any) -> None:
    sessions(server)
    server.ok("send-keys", "-t", "main:0", "echo window-zero", "Enter")
    server.wait_for_text("main:0", "window-zero\n")

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 40)) as pilot:
            await wait_text(app, "$")
            await pilot.press("ctrl+b", "w")
            await wait_for(lambda: highlighted(app) == "main:1", "current window")
            assert shown(app) == ["(0) - main: 2 windows (attached)", "(1) ├─>   0: bash-",
                                  "(2) └─> + 1: bash*", "(3) - other: 1 windows",
                                  "(4) └─> 0: bash*"]
            await pilot.press("up")
            await wait_for(lambda: app.query("#choose-tree-preview"), "the preview box")
            preview = app.query_one("#choose-tree-preview")
            await wait_for(lambda: any("window-zero" in line
                                       for line in getattr(preview, "text_lines", [])),
                           "window 0 in the preview")
            assert tree_of(app).size.height == 19   # tmux: half of 39 lines for 5 lines
            await pilot.press("enter")
            await wait_for(lambda: server.run("display-message", "-p", "-t", "main",
                                              "#{window_index}").out == "0\n",
                           "window 0 selected")
            assert app.overlay is None

    run(scenario)


def test_snapshot_prefix_w_tree_and_preview(server: Any, snap_compare: Any) -> None:
    """``C-b w`` at 80x24: the tree over the preview box of the current window."""
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23")
    server.wait_for_text("main", "$")
    server.ok("send-keys", "-t", "main", "echo first-window", "Enter")
    server.wait_for_text("main", "first-window\n")
    server.ok("new-window", "-t", "main")
    server.wait_for_text("main:1", "$")
    server.ok("send-keys", "-t", "main:1", "echo second-window", "Enter")
    server.wait_for_text("main:1", "second-window\n")

    async def run_before(pilot: Any) -> None:
        app = pilot.app
        await wait_for(lambda: app.attached.is_set(), "attach")
        await wait_text(app, "second-window")
        await pilot.press("ctrl+b", "w")
        # The tree opens after a server round trip: wait for its preview, then its text.
        await wait_for(lambda: app.query("#choose-tree-preview"), "the preview box")
        preview = app.query_one("#choose-tree-preview")
        await wait_for(lambda: any("second-window" in line
                                   for line in getattr(preview, "text_lines", [])),
                       "the current window in the preview")
        await pilot.pause(0.05)
        await pilot.pause()

    assert snap_compare(make_app(server), terminal_size=(80, 24), run_before=run_before)
