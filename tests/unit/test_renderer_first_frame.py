"""The renderer's first frame in fewer bytes: blank row ends become ``ESC[K``
(aisession_tui/client/renderer.py, :func:`erase_blank_ends`). The screen a terminal shows
must be the same, cell for cell and style for style; only rows whose blanks reach the
terminal's edge in the default style are changed."""

from __future__ import annotations

import pytest

pytest.importorskip("textual")

from aisession_tui.client.renderer import erase_blank_ends  # noqa: E402
from aisession_tui.terminal.emulator import Emulator  # noqa: E402

WIDTH = 20
SETUP = "\x1b[?1049h\x1b[?25l\x1b[?7l"


def frame(*rows: str) -> str:
    """Rows as Textual's full update writes them: a move to the row's first column, the
    row, a newline (Rich closes every styled run with a reset)."""
    return SETUP + "".join(f"\x1b[{index};1H{row}\n" for index, row in enumerate(rows, 1))


def screen(data: str) -> list[object]:
    emulator = Emulator(WIDTH, 8, history_limit=0)
    emulator.feed(b"\x1b[44m" + b"x" * WIDTH * 8)  # whatever was there before
    emulator.feed(b"\x1b[0m")
    emulator.feed(data.encode())
    return [emulator.display(), [emulator.line_runs(row) for row in range(8)]]


def test_blank_row_ends_in_the_default_style_are_erased() -> None:
    data = frame("marker".ljust(WIDTH), " " * WIDTH, "\x1b[1mbold\x1b[0m".ljust(WIDTH + 8),
                 "日本".ljust(WIDTH - 2))
    erased = erase_blank_ends(data, WIDTH)
    assert erased.count("\x1b[K") == 4
    assert len(erased) < len(data) - 50
    assert screen(erased) == screen(data)


def test_styled_blanks_and_rows_short_of_the_edge_stay() -> None:
    styled_end = "ab\x1b[30;42m" + " " * (WIDTH - 2) + "\x1b[0m"  # the status line's look
    short = "ab".ljust(WIDTH - 6)  # a row that stops before the edge: blanks are its own
    moved = "\x1b[7;5H" + "cd".ljust(WIDTH - 4) + "\n"  # a region, not a whole row
    data = frame(styled_end, short) + moved
    assert erase_blank_ends(data, WIDTH) == data
    open_style = frame("\x1b[4mab" + " " * (WIDTH - 2))  # underlined blanks: visible
    assert erase_blank_ends(open_style, WIDTH) == open_style


def test_a_renderer_whose_client_is_gone_ends_even_if_its_app_hangs(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The thin client's connection ends; the app is asked to exit, but its loop never
    answers (a renderer found spinning in a resize loop after its client and terminal
    went away did exactly that, for 48 minutes): the renderer exits on its own."""
    import socket
    import threading

    from aisession_tui.client import renderer

    ended = threading.Event()
    codes: list[int] = []

    def exit_process(code: int) -> None:
        codes.append(code)
        ended.set()

    class HungApp:
        def exit(self, *args: object) -> None:
            raise AssertionError("never reached: the loop does not answer")

        def call_from_thread(self, callback: object, *args: object) -> None:
            threading.Event().wait()  # the app's loop never runs the call

    monkeypatch.setattr(renderer, "CLIENT_GONE_GRACE", 0.05)
    monkeypatch.setattr(renderer, "exit_process", exit_process)
    ours, theirs = socket.socketpair()
    theirs.close()  # the thin client is gone
    thread = threading.Thread(target=renderer.control_loop,
                              args=(renderer.Channel(ours), HungApp()), daemon=True)
    thread.start()
    assert ended.wait(60), "the renderer never ended"
    assert codes == [1]
    ours.close()
