"""The server's painted first frame is the renderer's: the real client attached in one
120x40 terminal of a private tmux server, and :func:`paint_frame`'s bytes for the same
session - built from the ``session`` and ``screen`` notifications a protocol client
attached alongside gets - written by ``cat`` into a second 120x40 terminal; both
terminals' screens (text, colours, attributes, ``capture-pane -e``) and cursors (position,
shown or hidden) must be the same.

Each case sets the session up, attaches the client, waits for what it shows to settle,
and compares; a status line with a clock may tick between the two, so the comparison
takes the payloads again until both agree or the deadline passes."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import DEADLINE, IsolatedServer, LiveTmux, wait_until
from e2e_harness import (
    Harness,
    _quote,
    running_harness,
    sgr_cells,
    tmux_client_command,
)

from aisession_tui.cli.async_client import open_client
from aisession_tui.server.first_frame import frame_or_reason

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

WIDTH, HEIGHT = 120, 40


@pytest.fixture
def harness(server: IsolatedServer) -> Iterator[Harness]:
    yield from running_harness(server)


async def _payloads(server: IsolatedServer, area: tuple[int, int]
                    ) -> tuple[dict[str, Any], dict[int, dict[str, Any]]]:
    """The last ``session`` notification and each visible pane's screen (full, with the
    updates after it applied), as a read-only client that does not size the window gets
    them on attaching."""
    notes: list[tuple[str, dict[str, Any]]] = []
    client = await open_client(server.socket,
                               on_notification=lambda method, params: notes.append(
                                   (method, params)))
    try:
        await client.request("attach", {"target": "s", "columns": area[0], "lines": area[1],
                                        "flags": "read-only,ignore-size"})
        deadline = asyncio.get_running_loop().time() + DEADLINE
        while True:
            session, screens = _state(notes)
            if session is not None:
                window = next(w for w in session["windows"] if w["active"])
                wanted = {p["id"] for p in window["panes"] if p.get("visible", True)}
                if wanted <= set(screens):
                    await asyncio.sleep(0.3)  # (a later update would be applied too)
                    return _state(notes)  # type: ignore[return-value]
            assert asyncio.get_running_loop().time() < deadline, "no session and screens"
            await asyncio.sleep(0.05)
    finally:
        await client.close()


def _state(notes: list[tuple[str, dict[str, Any]]]
           ) -> tuple[dict[str, Any] | None, dict[int, dict[str, Any]]]:
    session = None
    screens: dict[int, dict[str, Any]] = {}
    for method, params in notes:
        if method == "session":
            session = params
        elif method == "screen":
            pane = int(params["pane"])
            if params.get("full"):
                screens[pane] = {**params, "rows": dict(params["rows"])}
            elif pane in screens:
                merged = screens[pane]
                merged["rows"].update(params.get("rows", {}))
                for key in ("cursor", "cursor_visible", "cursor_shape", "modes"):
                    if key in params:
                        merged[key] = params[key]
    return session, screens


def _screen(harness: Harness, target: str) -> tuple[list[list[tuple[str, str]]], str]:
    """The terminal's rows as (character, SGR state) cells, trailing default blanks
    dropped, and its cursor (``x,y,1`` when shown, ``hidden``: where a hidden cursor sits
    shows nowhere)."""
    text = harness.tmux("capture-pane", "-e", "-p", "-N", "-t", target)
    rows: list[list[tuple[str, str]]] = [[]]
    for char, key in sgr_cells(text.removesuffix("\n")):
        if char == "\n":
            rows.append([])
        else:
            rows[-1].append((char, key))
    for row in rows:
        while row and row[-1] == (" ", ""):
            row.pop()
    cursor = harness.tmux("display-message", "-p", "-t", target,
                          "#{cursor_x},#{cursor_y},#{cursor_flag}").strip()
    return rows, cursor if cursor.endswith(",1") else "hidden"


def _plain(rows: list[list[tuple[str, str]]]) -> str:
    return "\n".join("".join(char for char, _ in row) for row in rows)


def assert_painted_frame_is_the_renderers(server: IsolatedServer, harness: Harness,
                                          tmp: Path, ready: str, lines_taken: int = 1,
                                          again: bool = False) -> bytes:
    """Attach the client to session ``s`` (``again``: in the terminal used before), wait
    for ``ready`` on its terminal, and check the painted frame against it; the frame's
    bytes."""
    if again:
        harness.respawn("attach", "-t", "s")
    else:
        harness.start("attach", "-t", "s")
    harness.wait_for(ready)
    frame_file = tmp / "frame.bin"
    painted_started = False
    last: tuple[Any, Any] = (None, None)

    def same() -> bool:
        nonlocal painted_started, last
        session, screens = asyncio.run(_payloads(server, (WIDTH, HEIGHT - lines_taken)))
        assert session is not None
        frame = frame_or_reason(WIDTH, HEIGHT, session, screens)  # type: ignore[arg-type]
        assert isinstance(frame, bytes), f"the painter declined the frame: {frame} " \
            f"({_sizes(session, screens)})"
        frame_file.write_bytes(frame)
        command = f"cat {_quote(str(frame_file))}; exec sleep 600"
        if painted_started:
            harness.tmux("respawn-pane", "-k", "-t", "p", command)
        else:
            harness.tmux("new-session", "-d", "-x", str(WIDTH), "-y", str(HEIGHT), "-s", "p",
                         command)
            painted_started = True
        wait_until(lambda: harness.tmux("display-message", "-p", "-t", "p",
                                        "#{alternate_on}").strip() == "1"
                   and _screen(harness, "p")[0] != [[]], message="the painted frame")
        last = (_screen(harness, "h"), _screen(harness, "p"))
        return last[0] == last[1]

    try:
        wait_until(same, message="the same screens")
    except AssertionError:
        if last[0] is None:
            raise
        (ours, our_cursor), (painted, painted_cursor) = last
        row = next((row for row in range(max(len(ours), len(painted)))
                    if ours[row:row + 1] != painted[row:row + 1]), None)
        detail = "" if row is None else \
            f"row {row}:\n renderer {ours[row:row + 1]}\n painted  {painted[row:row + 1]}\n"
        raise AssertionError(f"{detail}cursors {our_cursor} / {painted_cursor}\nrenderer:\n"
                             f"{_plain(ours)}\npainted:\n{_plain(painted)}") from None
    return frame_file.read_bytes()


def _sizes(session: dict[str, Any], screens: dict[int, dict[str, Any]]) -> str:
    """The payloads' sizes, for a failure's message: the current window's, its panes'
    and their screens'."""
    window = next((w for w in session["windows"] if w.get("active")), {})
    panes = ", ".join(f"%{pane['id']} {pane['width']}x{pane['height']}"
                      for pane in window.get("panes", []))
    shown = ", ".join(f"%{pane} {screen['columns']}x{screen['lines']}"
                      for pane, screen in screens.items())
    return (f"window {window.get('width')}x{window.get('height')}, panes {panes}, "
            f"screens {shown}, status {session.get('status', {}).get('status')}")


def _session(server: IsolatedServer, *commands: list[str]) -> None:
    server.ok("new-session", "-d", "-s", "s", "-x", str(WIDTH), "-y", str(HEIGHT - 1))
    for command in commands:
        server.ok(*command)


def test_default_options(server: IsolatedServer, harness: Harness, tmp_path: Path) -> None:
    _session(server)
    server.wait_for_text("s", "$")
    frame = assert_painted_frame_is_the_renderers(server, harness, tmp_path, "[s] 0:bash*")
    assert frame.startswith(b"\x1b[?1049h")
    assert b"\x1b[?25h" in frame  # the shell's cursor is shown


def test_status_top_colours_and_window_list(server: IsolatedServer, harness: Harness,
                                            tmp_path: Path) -> None:
    _session(server,
             ["set", "-g", "status-position", "top"],
             ["set", "-g", "status-style", "fg=colour123,bg=colour236,bold"],
             ["set", "-g", "status-left", "#[fg=red]<#{session_windows}>#[default] "],
             ["set", "-g", "status-right", "R:#{session_name} #[reverse]end"],
             ["set", "-g", "status-justify", "centre"],
             ["setw", "-g", "window-status-current-style", "fg=yellow,underscore"],
             ["new-window", "-t", "s", "-n", "second"],
             ["new-window", "-t", "s", "-n", "三番目"],
             ["select-window", "-t", "s:1"])
    server.wait_for_text("s", "$")
    assert_painted_frame_is_the_renderers(server, harness, tmp_path, "R:s end")


def test_status_off_and_right_justified(server: IsolatedServer, harness: Harness,
                                        tmp_path: Path) -> None:
    _session(server, ["set", "-g", "status-justify", "right"],
             ["new-window", "-t", "s"])
    server.wait_for_text("s", "$")
    assert_painted_frame_is_the_renderers(server, harness, tmp_path, "1:bash*")
    server.ok("new-session", "-d", "-s", "keep")  # (the server outlives session s)
    server.ok("kill-session", "-t", "s")
    harness.tmux("kill-session", "-t", "p")
    _session(server, ["set", "-g", "status", "off"])
    server.wait_for_text("s", "$")
    server.ok("send-keys", "-t", "s", "echo status-is-off", "Enter")
    server.wait_for_text("s", "status-is-off\n$")
    assert_painted_frame_is_the_renderers(server, harness, tmp_path, "status-is-off\n$",
                                          lines_taken=0, again=True)


def test_coloured_bold_and_wide_text(server: IsolatedServer, harness: Harness,
                                     tmp_path: Path) -> None:
    _session(server, ["set", "-g", "status-right", "#[fg=blue,bg=colour250]static"])
    server.wait_for_text("s", "$")
    server.ok("send-keys", "-t", "s",
              r"printf '\033[1;31mred-bold\033[0m \033[38;5;200;48;5;17mpalette\033[0m "
              r"\033[7mrev\033[0m \033[4;3munder-italic\033[0m 漢字かなｶﾀ한글 end\n\033[?25l'",
              "Enter")
    server.wait_for_text("s", "end\n$")
    frame = assert_painted_frame_is_the_renderers(server, harness, tmp_path, "static")
    assert b"\x1b[?25h" not in frame  # the shell's cursor is hidden


def test_split_panes_borders_titles_and_a_custom_status_format(server: IsolatedServer,
                                                       harness: Harness,
                                                       tmp_path: Path) -> None:
    _session(server,
             ["set", "-g", "status", "2"],
             ["set", "-g", "status-format[0]",
              "#[align=left,fg=red]#S#[align=centre]mid#[align=right,bg=blue]#{window_index}"],
             ["set", "-g", "status-format[1]", "second #[reverse]line"],
             ["set", "-g", "pane-active-border-style", "fg=colour201,bold"],
             ["set", "-g", "pane-border-indicators", "both"],
             ["set", "-g", "window-active-style", "bg=colour17"],
             ["set", "-g", "pane-border-status", "bottom"],
             ["set", "-g", "pane-border-format", "#[fg=yellow]#{pane_index}#[default] title"],
             ["split-window", "-h", "-t", "s"],
             ["split-window", "-v", "-t", "s"],
             ["select-pane", "-t", "s:0.1"])
    for pane in ("0", "1", "2"):
        server.wait_for_text(f"s:0.{pane}", "$")
    server.ok("send-keys", "-t", "s:0.0", "echo left-pane", "Enter")
    server.wait_for_text("s:0.0", "left-pane\n$")
    assert_painted_frame_is_the_renderers(server, harness, tmp_path, "second line",
                                          lines_taken=2)


def test_window_narrower_than_the_terminal(server: IsolatedServer, harness: Harness,
                                           tmp_path: Path) -> None:
    """A window smaller than the client's area: the renderer draws the window's edge and
    tmux's fill characters past it."""
    _session(server, ["set", "-g", "window-size", "manual"],
             ["set", "-g", "status-position", "top"],
             ["resize-window", "-t", "s", "-x", "60", "-y", "20"],
             ["split-window", "-h", "-t", "s"])
    server.wait_for_text("s:0.1", "$")
    assert_painted_frame_is_the_renderers(server, harness, tmp_path, "·")


def test_a_session_with_status_off_is_resized_once_on_attach_as_in_tmux(
        server: IsolatedServer, harness: Harness, live_tmux: LiveTmux,
        tmp_path: Path) -> None:
    """A 120x30 window with ``status off`` attached in a 120x40 terminal: its program sees
    one resize, to 40 lines, as under tmux 3.3a - not one to the 39 lines a client that
    has not yet read the session's options would leave it, then one back (the renderer
    tells the server the status lines it assumed; the server gives it the real area)."""
    sizes = {name: tmp_path / f"{name}.sizes" for name in ("ours", "tmux")}

    def program(name: str) -> str:
        return f"trap 'stty size >> {_quote(str(sizes[name]))}' WINCH; echo ready; " \
            "while :; do sleep 0.05; done"

    server.ok("new-session", "-d", "-s", "s", "-x", "120", "-y", "30", program("ours"))
    server.ok("set", "-g", "status", "off")
    server.wait_for_text("s", "ready")
    assert live_tmux.run("new-session", "-d", "-s", "s", "-x", "120", "-y", "30",
                         program("tmux"))[0] == 0
    assert live_tmux.run("set", "-g", "status", "off")[0] == 0
    harness.start("attach", "-t", "s")
    harness.wait_for("ready")
    harness.wait_attached()
    wait_until(lambda: sizes["ours"].exists() and "40 120" in sizes["ours"].read_text(),
               DEADLINE, message="the program resized to 40 lines")
    harness.tmux("new-session", "-d", "-x", "120", "-y", "40", "-s", "t",
                 tmux_client_command(live_tmux, server, "attach -t s"))
    wait_until(lambda: "ready" in harness.tmux("capture-pane", "-p", "-t", "t"), DEADLINE,
               message="tmux's client showing the program")
    wait_until(lambda: sizes["tmux"].exists() and "40 120" in sizes["tmux"].read_text(),
               DEADLINE, message="under tmux, the program resized to 40 lines")
    assert sizes["ours"].read_text().split("\n") == sizes["tmux"].read_text().split("\n") \
        == ["40 120", ""]
