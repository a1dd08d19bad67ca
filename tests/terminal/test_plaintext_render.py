"""render_plain on real-looking captures and on arbitrary bytes."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aisession_tui.terminal.plaintext import render_plain


def test_carriage_return_overwrites_and_crlf() -> None:
    assert render_plain(b"50%\r100%\r\n") == "100%\n"
    assert render_plain(b"abcdef\rXY\n") == "XYcdef\n"
    assert render_plain("a\r\r\nb") == "a\nb"


def test_backspace_tab_trailing_spaces_and_controls() -> None:
    assert render_plain(b"ab\bc\x08\x08Z\n") == "Zc\n"
    assert render_plain(b"abc\x08\x08Z\n") == "aZc\n"
    assert render_plain(b"a\tb   \n\x00\x07\x0e\x7fc  ") == "a\tb\nc"


def test_utf8_with_replacement() -> None:
    assert render_plain("héllo ✓ 漢字".encode() + b"\xff") == "héllo ✓ 漢字\ufffd"


def test_pip_like_progress_bar() -> None:
    frames = b"".join(
        b"\r\x1b[K   \x1b[38;5;197m%s\x1b[0m\x1b[38;5;237m%s\x1b[0m %3d%% \x1b[32m%d.0/10.0 MB\x1b[0m"
        % ("━".encode() * step, "━".encode() * (10 - step), step * 10, step)
        for step in range(11)
    )
    data = (
        b"Collecting pkg\r\n  Downloading pkg-1.0.tar.gz (10.0 MB)\r\n" + frames + b"\r\nDone\r\n"
    )
    assert render_plain(data) == (
        "Collecting pkg\n  Downloading pkg-1.0.tar.gz (10.0 MB)\n"
        + "   "
        + "━" * 10
        + " 100% 10.0/10.0 MB\nDone\n"
    )


def test_curl_like_progress_meter() -> None:
    data = (
        b"  % Total    % Received\r\n"
        b"\r  0  100k    0     0\r 42  100k   42   42k\r100  100k  100  100k\r\n"
    )
    assert render_plain(data) == "  % Total    % Received\n100  100k  100  100k\n"


def test_osc_dcs_charset_and_keypad_sequences() -> None:
    data = (
        b"\x1b]0;title\x07\x1b]8;;http://example.com\x1b\\link\x1b]8;;\x1b\\"
        b"\x1bP1$r0m\x1b\\\x1b(0q\x1b(B\x1b=\x1b>\x1b7\x1b8\x1b[?1049h\x1b[2J\x1b[Hend"
        b"\x1b[5Cx\xc2\x9b31m\xc2\x9d0;t\xc2\x9c!\x1b["
    )
    assert render_plain(data) == "linkqend     x!"


def test_erase_whole_line_then_text_at_cursor() -> None:
    assert render_plain(b"old text\r\x1b[2K\x1b[3Cnew") == "   new"


def test_ls_color_capture(tmp_path) -> None:
    (tmp_path / "dir").mkdir()
    (tmp_path / "file.txt").write_text("x")
    script = tmp_path / "run.sh"
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    captured = subprocess.run(
        ["ls", "--color=always", "-1", str(tmp_path)], capture_output=True, check=True
    ).stdout
    assert b"\x1b[" in captured
    assert render_plain(captured) == "dir\nfile.txt\nrun.sh\n"


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_colored_log_and_diff(tmp_path) -> None:
    environment = {
        **os.environ,
        "GIT_AUTHOR_NAME": "A",
        "GIT_AUTHOR_EMAIL": "a@example.com",
        "GIT_COMMITTER_NAME": "A",
        "GIT_COMMITTER_EMAIL": "a@example.com",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }

    def git(*arguments: str) -> bytes:
        return subprocess.run(
            ["git", "-C", str(tmp_path), *arguments],
            capture_output=True,
            check=True,
            env=environment,
        ).stdout

    git("init", "-q")
    (tmp_path / "a.txt").write_text("one\n")
    git("add", "a.txt")
    git("commit", "-q", "-m", "first")
    (tmp_path / "a.txt").write_text("two\n")
    diff = git("-c", "color.ui=always", "diff")
    assert b"\x1b[" in diff
    plain = render_plain(diff)
    assert "-one\n+two" in plain and "\x1b" not in plain
    log = render_plain(git("-c", "color.ui=always", "log", "--oneline", "--decorate"))
    assert log.rstrip().endswith("first") and "\x1b" not in log


def test_printf_with_carriage_returns() -> None:
    captured = subprocess.run(
        ["printf", r"step 1\rstep 2\rstep 3 done\nnext\r\n"], capture_output=True, check=True
    ).stdout
    assert render_plain(captured) == "step 3 done\nnext\n"


FORBIDDEN = {chr(code) for code in range(32) if chr(code) not in "\t\n"} | {
    chr(code) for code in range(0x7F, 0xA0)
}


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_leave_controls(data: bytes) -> None:
    result = render_plain(data)
    assert not (set(result) & FORBIDDEN)
    assert all(line == line.rstrip(" \t") for line in result.split("\n"))


ESCAPE_HEAVY = st.lists(
    st.sampled_from(
        [
            "\x1b",
            "[",
            "]",
            "\r",
            "\n",
            "\b",
            "\x07",
            "\\",
            "0",
            ";",
            "K",
            "C",
            "m",
            "a",
            "é",
            "\x9b",
            "\x9d",
            " ",
        ]
    ),
    max_size=200,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(ESCAPE_HEAVY)
def test_escape_heavy_text_never_leaves_controls(text: str) -> None:
    assert not (set(render_plain(text)) & FORBIDDEN)
    assert not (set(render_plain(text.encode())) & FORBIDDEN)
