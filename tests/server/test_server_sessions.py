"""The engine through the real CLI: sessions, windows, panes, targets, formats, errors.

Each test runs against its own isolated server with real PTYs and a real bash, except those
marked ``fake_pty`` (about the model, not the child: an in-process server, fake PTYs).
"""

from __future__ import annotations

import re

import pytest
from conftest import wait_until

from aisession_tui.server.commands import find


def test_new_session_send_keys_capture(server):
    server.ok("new-session", "-d", "-s", "dev", "-x", "120", "-y", "40")
    server.wait_for_text("dev", "$")
    server.ok("send-keys", "-t", "dev", "echo hello", "Enter")
    screen = server.wait_for_text("dev", "hello\n")
    assert "$ echo hello" in screen
    assert server.ok("display-message", "-p", "-t", "dev",
                     "#{pane_width}x#{pane_height}") == "120x40\n"


@pytest.mark.fake_pty
def test_list_sessions_default_format_matches_tmux(server):
    server.ok("new-session", "-d", "-s", "alpha")
    server.ok("new-session", "-d", "-s", "beta")
    server.ok("new-window", "-t", "beta")
    lines = server.ok("ls").splitlines()
    pattern = re.compile(r"^(\w+): (\d+) windows \(created \w{3} \w{3} [ \d]\d "
                         r"\d\d:\d\d:\d\d \d{4}\)$")
    assert [pattern.match(line).groups() for line in lines] == [("alpha", "1"), ("beta", "2")]
    assert server.ok("list-sessions", "-F", "#{session_name}:#{session_windows}") == \
        "alpha:1\nbeta:2\n"


@pytest.mark.fake_pty
def test_has_session_and_errors(server):
    assert server.run("has-session", "-t", "nope").code == 1  # no server yet
    assert "no server running" in server.run("has-session", "-t", "nope").err
    server.ok("new-session", "-d", "-s", "work")
    assert server.run("has-session", "-t", "work").code == 0
    assert server.run("has-session", "-t=work").code == 0
    assert server.run("has-session", "-t", "wo").code == 0      # prefix, like tmux
    assert server.run("has-session", "-t=wo").code == 1          # exact only
    missing = server.run("has-session", "-t", "missing")
    assert (missing.code, missing.err) == (1, "can't find session: missing\n")
    assert server.run("kill-session", "-t", "missing").err == "can't find session: missing\n"
    assert server.run("select-window", "-t", "work:7").err == "can't find window: 7\n"
    assert server.run("kill-pane", "-t", "work:0.9").err == "can't find pane: 9\n"
    assert server.run("new-session", "-d", "-s", "work").err == "duplicate session: work\n"


@pytest.mark.fake_pty
def test_bad_flags_print_tmux_errors_and_our_verbs_their_usage(server):
    # tmux 3.3a prints the error alone for its own commands
    result = server.run("capture-pane", "-x")
    assert (result.code, result.err) == (1, "command capture-pane: unknown flag -x\n")
    result = server.run("has-session", "extra")
    assert result.err == "command has-session: too many arguments (need at most 0)\n"
    # ai-session's own verbs add their usage line
    assert server.run("exec", "--nosuch").err.endswith("usage: exec " + find("exec").usage + "\n")
    result = server.run("nosuchcommand")
    assert (result.code, result.err) == (1, "unknown command: nosuchcommand\n")
    result = server.run("split-window", "-t")
    assert "-t expects an argument" in result.err


@pytest.mark.fake_pty
def test_getopt_attached_values_and_print_formats(server):
    out = server.ok("new-session", "-d", "-sdev", "-x80", "-y24", "-P", "-F#{session_name}|#{pane_id}")
    assert re.fullmatch(r"dev\|%\d+\n", out)
    pane = server.ok("split-window", "-h", "-tdev", "-P", "-F", "#{pane_id}").strip()
    assert pane.startswith("%")
    assert server.ok("display-message", "-p", f"-t{pane}", "#{pane_index}") == "1\n"
    window = server.ok("new-window", "-d", "-t", "dev", "-n", "logs", "-P").strip()
    assert window == "dev:1.0"  # tmux 3.3a: new-window -P prints session:window.pane
    assert server.ok("list-windows", "-t", "dev", "-F", "#{window_index}:#{window_name}") \
        .splitlines()[1] == "1:logs"


@pytest.mark.fake_pty
def test_split_geometry_and_layouts_match_tmux(server):
    server.ok("new-session", "-d", "-s", "g", "-x", "120", "-y", "40")
    server.ok("split-window", "-h", "-t", "g")
    server.ok("split-window", "-v", "-t", "g", "-l", "30%")
    geometry = server.ok("list-panes", "-t", "g", "-F",
                         "#{pane_left},#{pane_top},#{pane_width}x#{pane_height}").split()
    assert geometry == ["0,0,60x40", "61,0,59x27", "61,28,59x12"]  # tmux 3.3a
    server.ok("select-layout", "-t", "g", "even-vertical")
    heights = server.ok("list-panes", "-t", "g", "-F", "#{pane_height}").split()
    assert sum(map(int, heights)) + 2 == 40
    layout = server.ok("display-message", "-p", "-t", "g", "#{window_layout}").strip()
    assert re.fullmatch(r"[0-9a-f]{4},120x40,0,0\[.*\]", layout)
    server.ok("resize-pane", "-t", "g:0.0", "-Z")
    assert server.ok("display-message", "-p", "-t", "g", "#{window_zoomed_flag}") == "1\n"


def test_resize_window_resizes_pty_and_child_sees_sigwinch(server):
    server.ok("new-session", "-d", "-s", "w", "-x", "100", "-y", "30")
    server.wait_for_text("w", "$")
    watcher = ("import os, signal; signal.signal(signal.SIGWINCH, lambda *a: print("
               "'WINCH', *os.get_terminal_size(), flush=True)); print('ready', flush=True); "
               "[signal.pause() for _ in iter(int, 1)]")
    server.ok("send-keys", "-t", "w", "-l", f'python3 -c "{watcher}"')
    server.ok("send-keys", "-t", "w", "Enter")
    server.wait_for_text("w", "ready\n")
    server.ok("resize-window", "-t", "w", "-x", "90", "-y", "25")
    server.wait_for_text("w", "WINCH 90 25")
    assert server.ok("display-message", "-p", "-t", "w", "#{pane_width}x#{pane_height}") == \
        "90x25\n"


@pytest.mark.fake_pty
def test_targets_ids_and_indexes(server):
    server.ok("new-session", "-d", "-s", "t")
    session_id = server.ok("display-message", "-p", "-t", "t", "#{session_id}").strip()
    window_id = server.ok("display-message", "-p", "-t", "t", "#{window_id}").strip()
    pane_id = server.ok("display-message", "-p", "-t", "t", "#{pane_id}").strip()
    assert session_id.startswith("$") and window_id.startswith("@") and pane_id.startswith("%")
    for target in (session_id, window_id, pane_id, "t:0", "t:0.0", "=t", "t:"):
        assert server.ok("display-message", "-p", "-t", target, "#{session_name}") == "t\n"


@pytest.mark.fake_pty
def test_kill_pane_window_session_and_server_exit(server):
    server.ok("new-session", "-d", "-s", "k")
    server.ok("split-window", "-t", "k")
    server.ok("new-window", "-t", "k")
    assert len(server.ok("list-panes", "-s", "-t", "k").splitlines()) == 3
    server.ok("kill-pane", "-t", "k:0.1")
    assert len(server.ok("list-panes", "-s", "-t", "k").splitlines()) == 2
    server.ok("kill-window", "-t", "k:1")
    assert server.ok("list-windows", "-t", "k", "-F", "#{window_index}") == "0\n"
    server.ok("kill-session", "-t", "k")
    wait_until(lambda: not server.socket.exists(), message="server exit after last session")


def test_exit_of_last_child_ends_session_and_remain_on_exit_keeps_it(server):
    server.ok("new-session", "-d", "-s", "keep")
    server.ok("set-option", "-g", "remain-on-exit", "on")
    server.ok("new-session", "-d", "-s", "short", "exit 3")
    wait_until(lambda: server.ok("display-message", "-p", "-t", "short", "#{pane_dead}")
               == "1\n", message="pane dead")
    assert server.ok("display-message", "-p", "-t", "short", "#{pane_dead_status}") == "3\n"
    server.ok("respawn-pane", "-t", "short", "-k", "echo again; sleep 30")
    server.wait_for_text("short", "again")
    server.ok("set-option", "-g", "remain-on-exit", "off")
    server.ok("new-session", "-d", "-s", "gone", "true")
    wait_until(lambda: server.run("has-session", "-t", "gone").code == 1,
               message="session closed after its child exited")


def test_a_dead_pane_keeps_its_tty_name_as_in_tmux(server, tmp_path):
    """``#{pane_tty}`` names the PTY the pane's child was started on, while it runs and
    once it is dead (``remain-on-exit``), as in tmux 3.3a."""
    import os
    import shutil
    import subprocess
    import uuid

    def tty_and_dead(run) -> tuple[str, str]:
        run("new-session", "-d", "-s", "keep")
        run("set-option", "-g", "remain-on-exit", "on")
        run("new-session", "-d", "-s", "short", "sleep 0.5")
        alive = run("display-message", "-p", "-t", "short", "#{pane_tty}")
        wait_until(lambda: run("display-message", "-p", "-t", "short", "#{pane_dead}")
                   == "1\n", message="pane dead")
        return alive, run("display-message", "-p", "-t", "short", "#{pane_tty}")

    alive, dead = tty_and_dead(server.ok)
    assert alive.startswith("/dev/pts/") and dead == alive
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    env = {k: v for k, v in os.environ.items() if not k.startswith("TMUX")}
    env["TMUX_TMPDIR"] = str(tmp_path)
    tmux = ["tmux", "-L", f"tty{uuid.uuid4().hex[:8]}", "-f", "/dev/null"]

    def run_tmux(*args: str) -> str:
        return subprocess.run([*tmux, *args], env=env, check=True, capture_output=True,
                              text=True).stdout

    try:
        alive, dead = tty_and_dead(run_tmux)
    finally:
        subprocess.run([*tmux, "kill-server"], env=env, check=False, capture_output=True)
    assert alive.startswith("/dev/pts/") and dead == alive


def test_environment_cwd_and_env_flags(server, tmp_path):
    work = tmp_path / "work dir"
    work.mkdir()
    server.ok("new-session", "-d", "-s", "e", "-x", "250", "-c", str(work), "-e", "FOO=bar baz")
    server.wait_for_text("e", "$")
    server.ok("send-keys", "-t", "e", "echo \"$FOO|$TERM|$COLORTERM|$AI_SESSION_PANE|$PWD\"",
              "Enter")
    pane = server.ok("display-message", "-p", "-t", "e", "#{pane_id}").strip()
    screen = server.wait_for_text("e", f"bar baz|xterm-256color|truecolor|{pane}|{work}")
    assert screen
    assert server.ok("display-message", "-p", "-t", "e", "#{pane_current_path}").strip() == \
        str(work)
    ai_session = server.ok("send-keys", "-t", "e", "echo \"[$AI_SESSION]\"", "Enter")
    assert ai_session == ""
    server.wait_for_text("e", f"[{server.socket},")


def test_command_inside_pane_reaches_its_own_server(server):
    """A program in a pane can call ai-session with no -L and it targets that pane."""
    server.ok("new-session", "-d", "-s", "inner")
    server.wait_for_text("inner", "$")
    import sys
    cli = f"{sys.executable} -m aisession_tui.cli"
    server.ok("send-keys", "-t", "inner",
              f"{cli} display-message -p 'ME=#{{session_name}}:#{{pane_id}}'", "Enter")
    pane = server.ok("display-message", "-p", "-t", "inner", "#{pane_id}").strip()
    server.wait_for_text("inner", f"ME=inner:{pane}")


def test_send_keys_names_literal_hex_and_repeat(server):
    server.ok("new-session", "-d", "-s", "k", "-x", "100", "-y", "20")
    server.wait_for_text("k", "$")
    server.ok("send-keys", "-t", "k", "cat -v", "Enter")
    # Keys sent before cat runs would reach bash's line editor instead (C-a, Escape).
    wait_until(lambda: server.ok("display-message", "-p", "-t", "k",
                                 "#{pane_current_command}") == "cat\n", message="cat running")
    server.ok("send-keys", "-t", "k", "C-a", "Escape")
    server.ok("send-keys", "-t", "k", "-l", "Enter")
    server.ok("send-keys", "-t", "k", "-N", "3", "x")
    server.ok("send-keys", "-t", "k", "-H", "41", "42")
    server.ok("send-keys", "-t", "k", "Enter")
    server.wait_for_text("k", "^A^[EnterxxxAB")
    server.ok("send-keys", "-t", "k", "C-c")
    bad = server.run("send-keys", "-t", "k", "-H", "zz")
    assert bad.code == 1 and bad.err


def test_wait_for_signal(server):
    import threading

    server.ok("new-session", "-d", "-s", "w")
    done = []
    thread = threading.Thread(target=lambda: done.append(server.cli("wait-for", "chan")))
    thread.start()
    import sys
    server.wait_for_text("w", "$")
    server.ok("send-keys", "-t", "w", f"{sys.executable} -m aisession_tui.cli wait-for -S chan",
              "Enter")
    thread.join(60)
    assert done and done[0].code == 0
    # A signal nobody waits for is remembered for the next waiter.
    server.ok("wait-for", "-S", "later")
    assert server.run("wait-for", "later").code == 0


@pytest.mark.fake_pty
def test_rename_and_select(server):
    server.ok("new-session", "-d", "-s", "a")
    server.ok("rename-session", "-t", "a", "b")
    assert server.run("has-session", "-t", "=a").code == 1
    server.ok("new-window", "-t", "b")
    server.ok("rename-window", "-t", "b:1", "second")
    server.ok("select-window", "-t", "b:0")
    assert server.ok("list-windows", "-t", "b", "-F", "#{window_name}#{window_flags}") \
        .splitlines()[1] == "second-"
    server.ok("last-window", "-t", "b")
    assert server.ok("display-message", "-p", "-t", "b", "#{window_index}") == "1\n"
    server.ok("split-window", "-t", "b")
    server.ok("select-pane", "-t", "b:1.0")
    server.ok("select-pane", "-t", "b", "-T", "my title")
    assert server.ok("display-message", "-p", "-t", "b:1.0", "#{pane_title}") == "my title\n"
    server.ok("select-pane", "-t", "b", "-D")
    assert server.ok("display-message", "-p", "-t", "b", "#{pane_index}") == "1\n"


def test_exec_returns_output_exit_code_and_json(server):
    server.ok("new-session", "-d", "-s", "dev", "-x", "150")
    result = server.run("exec", "dev", "echo one; echo two")
    assert (result.code, result.out) == (0, "one\ntwo\n")
    result = server.run("exec", "dev", "printf 'progress 50%%\\rprogress 100%%\\n'; exit_code() "
                                       "{ return 7; }; exit_code")
    assert result.code == 7
    assert result.out == "progress 100%\n"
    import json
    result = server.run("exec", "dev", "python3 -c 'import sys; sys.exit(3)'", "--json")
    data = json.loads(result.out)
    assert result.code == 3 and data["exit_code"] == 3 and data["session"] == "dev"
    assert data["parsed"]["kind"] in ("plain", "traceback", "log")
    slow = server.run("exec", "dev", "sleep 5; echo late", "--timeout", "0.5")
    assert slow.code == 124 and "still running" in slow.err
    server.wait_for_text("dev", "late")
    missing = server.run("exec", "nope", "true")
    assert missing.code == 1 and missing.err == "can't find session: nope\n"


def test_exec_refuses_a_pane_without_shell_integration(server):
    server.ok("new-session", "-d", "-s", "py", "sleep 60")
    result = server.run("exec", "py", "true")
    assert result.code == 1 and "shell with ai-session's integration" in result.err


def test_command_records_are_stored_and_survive_sigkill(server):
    import os
    import signal
    import sqlite3

    server.ok("new-session", "-d", "-s", "rec")
    server.run("exec", "rec", "echo stored-output; false")
    pid = server.server_pid()
    database = server.data / "ai-session.db"

    def stored() -> list:
        with sqlite3.connect(database) as connection:
            return connection.execute(
                "SELECT text, exit_code, cwd FROM commands WHERE session_name='rec'").fetchall()

    rows = wait_until(stored, message="record stored")
    os.kill(pid, signal.SIGKILL)
    wait_until(lambda: server.run("has-session").code == 1, message="server gone")
    rows = stored()
    assert rows == [("echo stored-output; false", 1, str(server.home))]
    from aisession_tui.store.db import unpack
    with sqlite3.connect(database) as connection:
        blob = connection.execute("SELECT output_zstd FROM commands").fetchone()[0]
    assert unpack(blob).decode() == "stored-output\n"
    server.socket.unlink(missing_ok=True)


@pytest.mark.fake_pty
def test_exact_window_index_target_and_killing_the_current_window_while_attached(server):
    import asyncio

    from aisession_tui.cli.async_client import open_client

    server.ok("new-session", "-d", "-s", "w")
    server.ok("new-window", "-t", "w")
    server.ok("new-window", "-t", "w")
    server.ok("select-window", "-t", "w:=0")
    assert server.ok("display-message", "-p", "-t", "w", "#{window_index}") == "0\n"
    server.ok("select-window", "-t", "w:2")

    async def scenario() -> None:
        client = await open_client(server.socket)
        await client.request("attach", {"target": "w", "columns": 80, "lines": 24})
        result = await client.request("command", {"argv": ["kill-window"]})
        assert result["exit_code"] == 0, result
        await client.close()

    asyncio.run(scenario())
    # As tmux 3.3a: the last window becomes current and the one before it is now "last".
    assert server.ok("list-windows", "-t", "w", "-F", "#{window_index}#{window_flags}") == \
        "0*\n1-\n"


@pytest.mark.parametrize("ending", [["kill-session", "-t", "last"], ["kill-server"]])
def test_the_server_stops_listening_before_it_answers_the_command_that_ends_it(server, ending):
    """A script's ``kill-session`` of the last session (or ``kill-server``) then
    ``new-session``: once the first has been answered, the socket takes no connection, so
    the next command starts a new server instead of reaching this one as it exits
    ("server exited unexpectedly", seen at load 10); and the old server, exiting, leaves
    the new server's socket alone."""
    import socket as socket_module

    from aisession_tui.cli.client import connect

    server.ok("new-session", "-d", "-s", "last")
    client = connect(server.socket, start=False)
    reply = client.request("command", {"argv": ending})
    assert reply["exit_code"] == 0
    probe = socket_module.socket(socket_module.AF_UNIX, socket_module.SOCK_STREAM)
    with pytest.raises(OSError):  # refused (still there, not listening) or already gone
        probe.connect(str(server.socket))
    probe.close()
    client.close()
    server.ok("new-session", "-d", "-s", "next")
    wait_until(lambda: not any(" --socket " in line for line in _server_lines(server)[1:]),
               message="the old server gone")
    # (kill-server keeps the sessions for resurrection: "last" may come back beside it)
    assert "next" in server.ok("list-sessions", "-F", "#{session_name}").split()


def _server_lines(server) -> list[str]:
    """``ps`` lines of the servers on this test's socket."""
    import subprocess

    out = subprocess.run(["ps", "-eo", "pid,args"], capture_output=True, text=True).stdout
    return [line for line in out.splitlines()
            if "aisession_tui.server.daemon" in line and str(server.socket) in line]
