"""The CLI's fast path (aisession_tui/cli/fast.py): the same requests, output and exit codes
as the full CLI, with nothing but the interpreter's core modules.

The verb table, the wire constants and the socket resolution are checked against the
modules they stand in for; whole CLI processes of both paths are compared on a live server.
"""

from __future__ import annotations

import pathlib
import sys

import pytest
from conftest import wait_until

from aisession_tui import protocol
from aisession_tui.cli import fast
from aisession_tui.cli.main import resolve_socket
from aisession_tui.server.commands import find

FULL_CLI = ("import sys; from aisession_tui.cli.main import run; "
            "sys.exit(run(sys.argv[1:]))")


def test_request_verbs_are_registry_commands_that_only_send_a_request():
    from aisession_tui.cli.main import STDIN_READERS

    for word, name in fast.REQUEST_VERBS.items():
        assert name not in STDIN_READERS, name
        spec = find(word)
        assert spec.name == name, word
        assert spec.needs_server and not spec.starts_server, name
        for alias in spec.alias:
            assert fast.REQUEST_VERBS.get(alias) == name, f"{name} lacks its alias {alias}"
    for verb in ("has-session", "send-keys", "capture-pane", "display-message",
                 "list-sessions", "list-windows", "list-panes", "list-clients"):
        assert verb in fast.REQUEST_VERBS


def test_new_session_value_flags_are_the_registry_specs():
    flags = find("new-session").flags
    assert set(fast.NEW_SESSION_VALUE_FLAGS) == {
        letter for index, letter in enumerate(flags) if flags[index + 1:index + 2] == ":"}
    assert all(find(word).name == name for word, name in fast.SESSION_VERBS.items())


@pytest.mark.parametrize("words", [
    ["-d"], ["-s", "-d"], ["-sd"], ["-s", "x", "-d"], ["-Ad"], ["cmd", "-d"], ["--", "-d"],
    ["-x", "200", "-y", "50", "-d", "cat"], ["-s", "s", "cat"], ["-P", "-F", "#{x}", "-d"],
    ["-ed=1"], ["-e", "A=1", "-d"], [], ["-dPs", "x"], ["-c", "/tmp", "-Pd"],
])
def test_detached_is_what_the_registry_parser_reads(words):
    from aisession_tui.server.commands.spec import parse_args

    assert fast._detached(words) == parse_args(find("new-session"), words).has("d")


def test_new_session_detached_runs_here_with_the_whole_environment(server, monkeypatch,
                                                                   capsys):
    """With a server answering, ``new-session -d`` is served by the fast path, and the
    session gets the client's whole environment as through the full CLI."""
    server.ok("new-session", "-d", "-s", "first", "cat")
    monkeypatch.setenv("FAST_PATH_VARIABLE", "kept")
    code = fast.run(["-S", str(server.socket), "new", "-d", "-s", "quick", "-P", "-F",
                     "#{session_name}", "echo got-$FAST_PATH_VARIABLE; exec cat"])
    assert (code, capsys.readouterr().out) == (0, "quick\n")
    wait_until(lambda: "got-kept" in server.ok("capture-pane", "-p", "-t", "quick"),
               message="the pane's environment holds the client's variable")
    for args in (("new-session", "-d", "-s", "quick"), ("new-session", "-d", "-Z"),
                 ("new", "-d", "-t", "no-such-group")):
        fast_run, full_run = _both(server, *args)
        assert fast_run == full_run, args


def test_wire_constants_match_the_protocol():
    assert fast.PROTOCOL_VERSION == protocol.PROTOCOL_VERSION
    assert fast.MAX_FRAME == protocol.MAX_FRAME
    assert fast.REPLY_PART == protocol.REPLY_PART


def test_frames_round_trip_through_the_protocol_decoder():
    message = {"jsonrpc": "2.0", "id": 7, "method": "command",
               "params": {"argv": ["send-keys", "é", "x\udcff", '"\\\n'], "cwd": "/",
                          "env": {"A": "b"}, "client_pane": None, "flag": True}}
    decoded = protocol.FrameDecoder().feed(fast._frame(message))
    assert decoded == [message]
    assert fast._loads(protocol.encode(message)[4:]) == message


@pytest.mark.parametrize("path", ["", ".", "/", "//", "///x", "a/./b/", "./s", "//a//b/",
                                  "a/../b", "/tmp//x/./y", "~user/x"])
def test_pure_paths_are_pathlibs(path):
    assert fast._pure(path) == str(pathlib.PurePosixPath(path))


@pytest.mark.parametrize("options,env", [
    ({"L": "work"}, {}),
    ({"L": "work"}, {"AI_SESSION_TMPDIR": "/var/tmp//x/"}),
    ({"L": "."}, {"AI_SESSION_TMPDIR": "rel"}),
    ({"S": "/tmp/a//b/./sock"}, {}),
    ({"S": "rel/./sock"}, {}),
    ({"S": "../up/sock"}, {}),
    ({}, {}),
    ({}, {"AI_SESSION": "/tmp/x//sock,123,$1"}),
    ({"L": ""}, {"AI_SESSION": "/tmp/in/pane,1,$0"}),
])
@pytest.mark.parametrize("as_tmux", [False, True])
def test_socket_paths_are_the_full_clis(monkeypatch, tmp_path, options, env, as_tmux):
    for name in ("AI_SESSION", "AI_SESSION_TMPDIR", "TMUX_TMPDIR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    assert fast._socket_path(dict(options), as_tmux) == str(
        resolve_socket(dict(options), as_tmux))


@pytest.mark.parametrize("argv", [
    [], ["-C", "has-session"], ["-h"], ["--version"], ["-L"],
    ["-L", "x", "new-session", "-d"], ["-L", "x", "attach"], ["-L", "x", "list-commands"],
    ["-L", "x", "has-s"], ["-L", "x", "has-session", ";", "ls"],
    ["-L", "a/b", "has-session"], ["-S", "~/sock", "has-session"],
    ["-L", "x", "load-buffer", "-"], ["-L", "x", "source-file", "-"],
])
def test_everything_else_goes_to_the_full_cli(monkeypatch, tmp_path, argv):
    monkeypatch.setenv("AI_SESSION_TMPDIR", str(tmp_path))
    monkeypatch.delenv("AI_SESSION", raising=False)
    assert fast.run(argv) is None


def _both(server, *args: str, env: dict[str, str] | None = None):
    """(fast, full): each a whole CLI process's (exit code, stdout, stderr)."""
    import subprocess

    runs = []
    for command in ([sys.executable, "-m", "aisession_tui.cli"],
                    [sys.executable, "-c", FULL_CLI]):
        proc = subprocess.run([*command, "-L", server.name, *args], capture_output=True,
                              env={**server.env, **(env or {})}, timeout=60,
                              cwd=str(server.home), check=False)
        runs.append((proc.returncode, proc.stdout, proc.stderr))
    return runs


def test_fast_and_full_cli_print_the_same(server):
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "24", "cat")
    server.ok("set-buffer", "-b", "raw", "caf\xe9 \udcff")
    for args in (
            ("has-session", "-t", "main"),
            ("has", "-t", "missing"),
            ("has-session", "-Z"),
            ("display-message", "-p", "#{session_name}:#{pane_id} #{client_tty}"),
            ("display", "-p", "-t", "nowhere", "x"),
            ("list-sessions", "-F", "#{session_name} #{session_windows}"),
            ("lsw", "-t", "main"),
            ("list-panes", "-a", "-F", "#{pane_id} #{pane_width}x#{pane_height}"),
            ("show-buffer", "-b", "raw"),
            ("send-keys", "-t", "main", "-X", "nonsense"),
            ("capture-pane", "-p", "-t", "main"),
    ):
        fast_run, full_run = _both(server, *args)
        assert fast_run == full_run, args


def test_inside_a_pane_the_fast_path_targets_its_own_pane(server):
    server.ok("new-session", "-d", "-s", "a", "cat")
    server.ok("new-session", "-d", "-s", "b", "cat")
    pane = server.ok("display-message", "-p", "-t", "b", "#{pane_id}").strip()
    inside = {"AI_SESSION": f"{server.socket},1,$1", "AI_SESSION_PANE": pane}
    fast_run, full_run = _both(server, "display-message", "-p", "#{session_name}",
                               env=inside)
    assert fast_run == full_run == (0, b"b\n", b"")


def test_a_reply_streamed_in_pieces_prints_whole(server, tmp_path):
    line = "0123456789 caf\xe9 \u4e2d\u6587\n"
    big = tmp_path / "big.txt"
    big.write_text(line * (2 * protocol.STREAM_PIECE // len(line) + 7))
    server.ok("new-session", "-d", "-s", "s", "cat")
    server.ok("load-buffer", "-b", "big", str(big))
    fast_run, full_run = _both(server, "show-buffer", "-b", "big")
    assert fast_run == full_run
    assert fast_run[0] == 0 and fast_run[1] == big.read_bytes()


def _both_anywhere(env: dict[str, str], cwd: str, *args: str, tmux_name: bool = False):
    """(fast, full) for a CLI process with no server needed: each (exit code, stdout,
    stderr); ``tmux_name``: both run as ``tmux`` would (argv[0] named ``tmux``)."""
    import subprocess

    launch = ("import sys; sys.argv[0] = 'tmux'; " if tmux_name else "import sys; ")
    runs = []
    for code in (launch + "from aisession_tui.cli.fast import main; main()",
                 launch + "from aisession_tui.cli.main import main; main()"):
        proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                              env=env, timeout=60, cwd=cwd, check=False)
        runs.append((proc.returncode, proc.stdout, proc.stderr))
    return runs


@pytest.mark.parametrize("tmux_name", [False, True])
@pytest.mark.parametrize("args,code", [
    (("-V",), 0), (("-L", "x", "-V"), 0), (("-uV", "has-session"), 0),
    (("-L", "nobody-here", "has-session"), 1), (("-L", "nobody-here", "has", "-t", "=x"), 1),
    (("-L", "nobody-here", "kill-server"), 1),
    (("-L", "nobody-here", "switch-client", "-t", "$1"), 1),
    (("-L", "nobody-here", "list-sessions", "-F", "#{session_name}"), 1),
])
def test_version_and_no_server_are_served_here_as_the_full_cli_does(tmp_path, tmux_name,
                                                                    args, code):
    """``-V`` and a request verb with no server are answered without the full CLI, in
    the same words and exit code."""
    import os

    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("TMUX", "AI_SESSION"))}
    env.update(AI_SESSION_TMPDIR=str(tmp_path), TMUX_TMPDIR=str(tmp_path),
               AI_SESSION_HOME=str(tmp_path / "home"))
    fast_run, full_run = _both_anywhere(env, str(tmp_path), *args, tmux_name=tmux_name)
    assert fast_run == full_run
    assert fast_run[0] == code


def test_a_missing_server_is_reported_before_a_bad_flag(tmp_path, monkeypatch, capsys):
    """As tmux's client: no server is the error, whatever the flags."""
    monkeypatch.setenv("AI_SESSION_TMPDIR", str(tmp_path))
    monkeypatch.delenv("AI_SESSION", raising=False)
    assert fast.run(["-L", "nobody-here", "has-session", "-Z"]) == 1
    path = fast._socket_path({"L": "nobody-here"}, False)
    assert capsys.readouterr().err == f"no server running on {path}\n"
    assert fast.run(["-L", "nobody-here", "switchc", "-t", "x"]) == 1  # served here too
    assert fast.run(["-V"], as_tmux=True) == 0
    assert capsys.readouterr().out == "tmux 3.3a-ai-session\n"


def test_more_request_verbs_print_what_the_full_cli_prints(server):
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "24", "cat")
    server.ok("split-window", "-d", "-t", "main", "cat")
    for args in (
            ("switch-client", "-t", "main"),
            ("swap-pane", "-d", "-t", "main"),
            ("rotate-window", "-t", "main"),
            ("show-hooks", "-g"),
            ("set-hook", "-g", "-Z"),
            ("run-shell", "echo ran"),
            ("if-shell", "true", "display-message -p yes", "display-message -p no"),
            ("show-messages",),
            ("swap-window", "-s", "main:0", "-t", "nowhere:5"),
    ):
        fast_run, full_run = _both(server, *args)
        assert fast_run == full_run, args
