"""Commands a tmux drop-in needs, compared with tmux 3.3a where it answers in text:
new-window -a/-b/-P, has-session -t =name, previous-layout, save-buffer/load-buffer,
clear-history, respawn-window, start-server."""

from __future__ import annotations

import shutil

import pytest
from conftest import LiveTmux, wait_until

needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")



@pytest.fixture
def tmux(server):
    instance = LiveTmux({**server.env, "TMUX_TMPDIR": str(server.home)})
    try:
        yield instance
    finally:
        instance.kill()


def both(server, tmux, *args: str) -> tuple[tuple[int, str, str], tuple[int, str, str]]:
    ours = server.run(*args)
    return (ours.code, ours.out, ours.err), tmux.run(*args)


@needs_tmux
@pytest.mark.fake_pty
def test_new_window_insert_shift_and_print(server, tmux):
    script = [
        ("new-session", "-d", "-s", "e", "-x", "80", "-y", "24"),
        ("new-window", "-P", "-t", "e"),
        ("new-window", "-a", "-t", "e:0", "-P"),
        ("new-window", "-b", "-t", "e:0", "-P", "-F", "#{window_index}"),
        ("list-windows", "-t", "e", "-F", "#{window_index} #{window_active}"),
        ("has-session", "-t", "=e"),
        ("has-session", "-t", "=nope"),
        ("has-session", "-t", "=E"),
    ]
    for args in script:
        ours, theirs = both(server, tmux, *args)
        assert ours == theirs, args


@needs_tmux
@pytest.mark.fake_pty
def test_previous_layout_cycles_backwards_like_tmux(server, tmux):
    for target in (server.run, tmux.run):
        target("new-session", "-d", "-s", "l", "-x", "80", "-y", "24")
        target("split-window", "-t", "l")
        target("split-window", "-h", "-t", "l")
    for _ in range(6):
        ours, theirs = both(server, tmux, "previous-layout", "-t", "l")
        assert ours == theirs
        ours, theirs = both(server, tmux, "display-message", "-p", "-t", "l",
                            "#{window_layout}")
        assert ours == theirs


@pytest.mark.fake_pty
def test_save_and_load_buffer(server, tmp_path):
    server.ok("new-session", "-d", "-s", "b")
    server.ok("set-buffer", "-b", "one", "first line\nsecond")
    target = tmp_path / "saved.txt"
    server.ok("save-buffer", "-b", "one", str(target))
    assert target.read_text() == "first line\nsecond"
    server.ok("save-buffer", "-a", "-b", "one", str(target))
    assert target.read_text() == "first line\nsecond" * 2
    assert server.ok("save-buffer", "-b", "one", "-") == "first line\nsecond"
    server.ok("load-buffer", "-b", "two", str(target))
    assert server.ok("show-buffer", "-b", "two") == "first line\nsecond" * 2
    missing = server.run("load-buffer", str(tmp_path / "nope"))
    assert missing.code == 1 and "No such file or directory" in missing.err
    assert server.run("save-buffer", "-b", "zzz", str(target)).err == "no buffer zzz\n"


def test_clear_history_keeps_the_screen(server):
    server.ok("new-session", "-d", "-s", "h", "-x", "80", "-y", "10")
    pane = server.ok("display-message", "-p", "-t", "h", "#{pane_id}").strip()
    server.ok("send-keys", "-t", pane, "seq 1 60; echo end-of-it", "Enter")
    server.wait_for_text(pane, "\nend-of-it")
    wait_until(lambda: int(server.ok("display-message", "-p", "-t", pane,
                                     "#{history_size}")) > 0, message="history")
    server.ok("clear-history", "-t", pane)
    assert server.ok("display-message", "-p", "-t", pane, "#{history_size}").strip() == "0"
    assert "end-of-it" in server.capture(pane)


def test_respawn_window_refuses_a_live_window_and_leaves_one_pane(server):
    server.ok("new-session", "-d", "-s", "r")
    server.ok("split-window", "-t", "r")
    refused = server.run("respawn-window", "-t", "r")
    assert refused.code == 1 and refused.err.endswith("still active\n")
    first = server.ok("list-panes", "-t", "r", "-F", "#{pane_id}").split()[0]
    server.ok("respawn-window", "-k", "-t", "r", "echo respawned; sleep 30")
    assert server.ok("list-panes", "-t", "r", "-F", "#{pane_id}").split() == [first]
    server.wait_for_text(first, "respawned")


def test_start_server_starts_one(server):
    """As in tmux, a server with no session does not stay (exit-empty): start-server
    succeeds where a command that needs a running server fails."""
    assert server.run("list-sessions").code == 1
    started = server.run("start-server")
    assert (started.code, started.out, started.err) == (0, "", "")


@needs_tmux
@pytest.mark.fake_pty
def test_split_zoom_input_off_and_marks_like_tmux(server, tmux):
    fmt = "#{pane_index} #{window_zoomed_flag} #{pane_input_off} #{pane_marked} " \
          "#{pane_marked_set}"
    script = [
        ("new-session", "-d", "-s", "z", "-x", "80", "-y", "24"),
        ("split-window", "-Z", "-t", "z"),
        ("display-message", "-p", "-t", "z", fmt),
        ("split-window", "-t", "z"),
        ("display-message", "-p", "-t", "z", fmt),
        ("select-pane", "-d", "-t", "z:0.0"),
        ("select-pane", "-m", "-t", "z:0.1"),
        ("list-panes", "-t", "z", "-F", fmt),
        ("select-pane", "-m", "-t", "z:0.1"),
        ("list-panes", "-t", "z", "-F", fmt),
        ("select-pane", "-m", "-t", "z:0.2"),
        ("select-pane", "-e", "-t", "z:0.0"),
        ("list-panes", "-t", "z", "-F", fmt),
        ("select-pane", "-M"),
        ("list-panes", "-t", "z", "-F", fmt),
    ]
    for args in script:
        ours, theirs = both(server, tmux, *args)
        assert ours == theirs, args


def test_input_off_drops_keys(server):
    server.ok("new-session", "-d", "-s", "i")
    pane = server.ok("display-message", "-p", "-t", "i", "#{pane_id}").strip()
    server.ok("select-pane", "-d", "-t", pane)
    server.ok("send-keys", "-t", pane, "echo dropped-text", "Enter")
    server.ok("select-pane", "-e", "-t", pane)
    server.ok("send-keys", "-t", pane, "echo kept-text", "Enter")
    screen = server.wait_for_text(pane, "\nkept-text")
    assert "dropped-text" not in screen


def test_pipe_pane_output_input_and_toggle(server, tmp_path):
    server.ok("new-session", "-d", "-s", "p", "cat")
    pane = server.ok("display-message", "-p", "-t", "p", "#{pane_id}").strip()
    out = tmp_path / "out.txt"
    server.ok("pipe-pane", "-t", pane, f"cat >> {tmp_path / 'closed.txt'}")
    assert server.ok("display-message", "-p", "-t", pane, "#{pane_pipe}") == "1\n"
    # -o with a pipe open only closes it (tmux's toggle), then opens one
    server.ok("pipe-pane", "-o", "-t", pane, f"cat >> {tmp_path / 'never.txt'}")
    assert server.ok("display-message", "-p", "-t", pane, "#{pane_pipe}") == "0\n"
    server.ok("pipe-pane", "-o", "-t", pane, f"cat >> {out}")
    assert server.ok("display-message", "-p", "-t", pane, "#{pane_pipe}") == "1\n"
    server.ok("send-keys", "-t", pane, "-l", "piped-line")
    server.ok("send-keys", "-t", pane, "Enter")
    wait_until(lambda: out.exists() and "piped-line" in out.read_text(), message="pipe")
    server.ok("pipe-pane", "-t", pane)
    assert server.ok("display-message", "-p", "-t", pane, "#{pane_pipe}") == "0\n"
    assert not (tmp_path / "never.txt").exists()
    server.ok("pipe-pane", "-I", "-t", pane, "echo typed-by-the-pipe")
    server.wait_for_text(pane, "typed-by-the-pipe")


@needs_tmux
@pytest.mark.fake_pty
def test_resize_window_to_clients_or_default_size_and_buffer_filters(server, tmux):
    script = [
        ("new-session", "-d", "-s", "w", "-x", "100", "-y", "30"),
        ("resize-window", "-x", "50", "-y", "20", "-t", "w"),
        ("resize-window", "-a", "-t", "w"),
        ("display-message", "-p", "-t", "w", "#{window_width}x#{window_height}"),
        ("resize-window", "-x", "60", "-y", "20", "-t", "w"),
        ("resize-window", "-A", "-t", "w"),
        ("display-message", "-p", "-t", "w", "#{window_width}x#{window_height}"),
        ("set-buffer", "-b", "alpha", "one"),
        ("set-buffer", "-b", "beta", "two two"),
        ("list-buffers", "-f", "#{==:#{buffer_size},7}", "-F", "#{buffer_name}"),
        ("list-buffers", "-f", "#{m:a*,#{buffer_name}}"),
    ]
    for args in script:
        ours, theirs = both(server, tmux, *args)
        assert ours == theirs, args


@needs_tmux
def test_capture_pane_escapes_are_tmux_bytes(server, tmux, tmp_path):
    script = tmp_path / "colours.sh"
    script.write_text(
        "#!/bin/sh\nprintf 'plain \\033[31mred\\033[0m \\033[1;44mbold blue\\033[0m "
        "\\033[38;5;200mx256\\033[0m \\033[38;2;1;2;3mrgb\\033[0m \\033[4;7mul\\033[0m "
        "\\033[92mbright\\033[0m \\033[45m  \\033[0m\\n"
        "\\033[33mcarried\\nover\\033[0m end\\n'\nsleep 30\n")
    script.chmod(0o755)
    for run in (server.run, tmux.run):
        run("new-session", "-d", "-s", "c", "-x", "80", "-y", "6", str(script))
    wait_until(lambda: "end" in server.capture("c"), message="the script's output")
    wait_until(lambda: "end" in tmux.run("capture-pane", "-p", "-t", "c")[1],
               message="tmux's output")
    ours, theirs = both(server, tmux, "capture-pane", "-p", "-e", "-t", "c")
    assert ours == theirs


@needs_tmux
@pytest.mark.fake_pty
def test_move_window_after_and_before_shift_like_tmux(server, tmux):
    script = [
        ("new-session", "-d", "-s", "m", "-x", "80", "-y", "24", "-n", "w0"),
        ("new-window", "-t", "m", "-n", "w1"),
        ("new-window", "-t", "m", "-n", "w2"),
        ("new-window", "-t", "m", "-n", "w3"),
        ("move-window", "-a", "-s", "m:w3", "-t", "m:w0"),
        ("list-windows", "-t", "m", "-F", "#{window_index} #{window_name} #{window_active}"),
        ("move-window", "-b", "-s", "m:w2", "-t", "m:w0"),
        ("list-windows", "-t", "m", "-F", "#{window_index} #{window_name} #{window_active}"),
        ("new-session", "-d", "-s", "other", "-n", "o0"),
        ("move-window", "-a", "-s", "other:o0", "-t", "m:w1"),
        ("list-windows", "-a", "-F", "#{session_name} #{window_index} #{window_name}"),
    ]
    for args in script:
        ours, theirs = both(server, tmux, *args)
        assert ours == theirs, args
