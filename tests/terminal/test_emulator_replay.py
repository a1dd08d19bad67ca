"""Replay byte streams recorded from real programs (tests/fixtures/terminal, see record.py)
through the Emulator in chunks of varied sizes and check the screen a person saw."""

from __future__ import annotations

from pathlib import Path

import pytest

from aisession_tui.terminal.emulator import Emulator

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "terminal"
MARKER = "marker-before-program"
CHUNK_SIZES = [1, 7, 64, 4096]


def load(name: str) -> bytes:
    return (FIXTURES / f"{name}.bin").read_bytes()


def replay(data: bytes, chunk: int, **kwargs) -> Emulator:
    emulator = Emulator(80, 24, **kwargs)
    for start in range(0, len(data), chunk):
        emulator.feed(data[start:start + chunk])
    return emulator


def test_fixtures_are_small() -> None:
    for path in FIXTURES.glob("*.bin"):
        assert path.stat().st_size < 300_000, path


@pytest.mark.parametrize("chunk", CHUNK_SIZES)
def test_vim_screen_while_editing(chunk: int) -> None:
    data = load("vim")
    replies: list[bytes] = []
    emulator = replay(data[:data.index(b"q!\r")], chunk, on_reply=replies.append)
    assert emulator.alternate_screen
    display = emulator.display()
    assert display[0] == "hello from vim"
    assert display[1] == "line 1: the quick brown fox"
    assert display[22] == "line 22: the quick brown fox"
    assert display[23] == ":"
    assert MARKER not in "\n".join(display)
    assert emulator.app_cursor_keys and emulator.app_keypad
    assert emulator.bracketed_paste and emulator.focus_events
    # vim probes the width of U+25BD (one cell) and, after a DCS string that must be
    # swallowed whole, the cursor again (CSI 6 n); then the secondary DA (CSI > c).
    assert replies[:2] == [b"\x1b[2;2R", b"\x1b[3;1R"]
    assert any(reply.startswith(b"\x1b[>") for reply in replies)


@pytest.mark.parametrize("chunk", CHUNK_SIZES)
def test_vim_quit_restores_shell_screen(chunk: int) -> None:
    emulator = replay(load("vim"), chunk)
    assert not emulator.alternate_screen
    display = emulator.display()
    assert display[:3] == ["$ echo marker-before-program", MARKER, "$ vim -u NONE -N notes.txt"]
    assert display[3:5] == ["$ exit", "exit"]
    assert not emulator.app_cursor_keys and not emulator.app_keypad
    assert emulator.history_size == 0


@pytest.mark.parametrize("chunk", CHUNK_SIZES)
def test_less_pages_then_restores(chunk: int) -> None:
    data = load("less")
    emulator = replay(data[:data.index(b"$ exit")], chunk)
    display = emulator.display()
    assert display[:3] == ["$ echo marker-before-program", MARKER, "$ less notes.txt"]
    middle = replay(data[:data.index(b"?1049l")], chunk)
    assert middle.alternate_screen
    lines = middle.display()
    # one page forward hits the end of the 40-line file: less shows its last 23 lines
    # (j j at the end change nothing); quitting erased the prompt line.
    assert lines[0] == "line 18: the quick brown fox"
    assert lines[22] == "line 40: the quick brown fox"
    assert lines[23] == ""


@pytest.mark.parametrize("chunk", CHUNK_SIZES)
def test_man_page_then_restores(chunk: int) -> None:
    data = load("man")
    middle = replay(data[:data.index(b"?1049l")], chunk)
    assert middle.alternate_screen
    lines = middle.display()
    # after one page forward: the -b / --block-size entries of ls(1)
    assert lines[0] == "              with -l, print the author of each file"
    assert lines[2] == "       -b, --escape"
    assert lines[21] == "       -d, --directory"
    # man's overstrike bold comes through less as SGR bold
    assert ("-l", -1, -1, 1) in middle.line_runs(0)
    final = replay(data, chunk)
    assert final.display()[:3] == ["$ echo marker-before-program", MARKER, "$ man ls"]


@pytest.mark.parametrize("chunk", CHUNK_SIZES)
def test_top_header_and_table(chunk: int) -> None:
    data = load("top")
    emulator = replay(data[:data.rindex(b"$ exit")], chunk)
    display = emulator.display()
    header = next(index for index, line in enumerate(display) if line.lstrip().startswith("PID"))
    assert display[header].split()[:3] == ["PID", "USER", "PR"]
    assert display[header].rstrip().endswith("COMMAND")
    assert any(line.startswith("MiB Mem") for line in display)
    assert any(line.lstrip().startswith("1 root") for line in display[header + 1:])
    for row in range(24):
        assert sum(len(run[0]) for run in emulator.line_runs(row)) == 80


@pytest.mark.parametrize("chunk", CHUNK_SIZES)
def test_ls_color_runs(chunk: int) -> None:
    emulator = replay(load("ls_color"), chunk)
    display = emulator.display()
    assert display[3].startswith("total ")
    assert display[4].endswith(" .")
    # long symlink names soft-wrap at column 80 and are joined by capture(join_wrapped)
    assert display[7] == "in/FileCheck"
    joined = emulator.capture(join_wrapped=True)
    assert any(line.endswith("FileCheck-14 -> ../lib/llvm-14/bin/FileCheck") for line in joined)
    # directories come in bold blue (01;34)
    runs = emulator.line_runs(4)
    assert (".", 4, -1, 1) in runs


@pytest.mark.parametrize("chunk", CHUNK_SIZES)
def test_git_log_graph_colours(chunk: int) -> None:
    emulator = replay(load("git_log"), chunk)
    display = emulator.display()
    assert display[3].startswith("*   ") and display[3].endswith(" (HEAD -> main) merge side")
    assert display[4] == "|\\"
    assert display[5].endswith("(side) side branch work")
    assert display[7] == "|/"
    assert "\x1b" not in "".join(display)
    runs = emulator.line_runs(3)
    assert any(text == "main" and fg == 2 for text, fg, _bg, _attrs in runs)
    escaped = emulator.capture(3, 3, escapes=True)[0]
    assert "\x1b[32mmain\x1b[0m" in escaped  # tmux writes only the change


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 4096])
def test_cjk_emoji_combining(chunk: int) -> None:
    emulator = replay(load("cjk"), chunk)
    line = emulator.display()[4]
    assert line == "wide: 中文 emoji: 😀 e\u0301 done"  # not NFC-normalised (tmux keeps it)
    assert sum(2 if ord(char) > 0x2000 else 1 for char in line.replace("e\u0301", "e")) == len(
        "wide: ") + 4 + len(" emoji: ") + 2 + len(" é done")
    runs = emulator.line_runs(4)
    total = 0
    for text, *_style in runs:
        total += sum(2 if char in "中文😀" else 0 if char == "\u0301" else 1 for char in text)
    assert total == 80
