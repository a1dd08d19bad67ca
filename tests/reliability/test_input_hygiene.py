"""Bad input gets an error reply, never a crash, a hang or a dropped connection; the CLI
takes bytes that are not UTF-8 as tmux does; requests carry only the environment the
server needs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import wait_until
from wire import codes, exchange, hello_frame, raw_frame

from aisession_tui import protocol
from aisession_tui.cli.client import request_environment


def _command(msg_id: int, argv: list[str], **extra: object) -> bytes:
    return protocol.encode(protocol.request(msg_id, "command", {"argv": argv, **extra}))


def test_cli_takes_invalid_utf8_in_env_cwd_and_argv(server, tmp_path: Path) -> None:
    server.ok("new-session", "-d", "-s", "u")
    odd = os.fsencode(tmp_path) + b"/dir\xff"
    os.mkdir(odd)
    env = {os.fsencode(k): os.fsencode(v) for k, v in server.env.items()}
    env[b"BAD_VALUE"] = b"caf\xe9"
    env[b"LC_BAD\xfe"] = b"x"
    script = os.fsencode(Path(sys.executable).parent / "ai-session")
    proc = subprocess.run([script, b"-L", os.fsencode(server.name), b"exec", b"u",
                           b"printf '%s\\n' caf\xe9"], env=env, cwd=odd, check=False,
                          capture_output=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    # The byte was typed as given; the pane shows what a terminal shows of it.
    assert proc.stdout.startswith(b"caf")
    proc = subprocess.run([script, b"-L", os.fsencode(server.name), b"new-session", b"-d",
                           b"-s", b"n\xff"], env=env, cwd=odd, check=False,
                          capture_output=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    listed = subprocess.run([script, b"-L", os.fsencode(server.name), b"ls", b"-F",
                             b"#{session_name}"], env=env, cwd=odd, check=False,
                            capture_output=True, timeout=60)
    assert b"n\xff" in listed.stdout.splitlines()


def test_requests_carry_only_the_needed_environment() -> None:
    environ = {"HOME": "/h", "SSH_AUTH_SOCK": "/s", "AWS_SECRET_ACCESS_KEY": "k",
               "AI_SESSION_MAX_TOKENS": "9", "TMUX_PANE": "%1", "DISPLAY": ":0"}
    assert request_environment("list-sessions", environ) == {
        "SSH_AUTH_SOCK": "/s", "AI_SESSION_MAX_TOKENS": "9", "TMUX_PANE": "%1",
        "DISPLAY": ":0"}
    assert request_environment("new-session", environ) == environ


def test_bad_requests_are_answered_and_the_connection_carries_on(server) -> None:
    server.ok("new-session", "-d", "-s", "keep")
    deep = b"[" * 100_000 + b"]" * 100_000
    payloads = [
        hello_frame(),
        raw_frame(b'{"jsonrpc":"2.0","id":2,"method":"ping","params":' + deep + b"}"),
        raw_frame(b'{"jsonrpc":"2.0","id":3,"method":"ping","params":{"x":NaN}}'),
        _command(4, ["new-session", "-d", "-s", "nul\0name"]),
        _command(5, ["display-message", "-p", "-t", "keep", "#{session_name}"],
                 client_pane=5),
        _command(6, ["display-message", "-p", "lone \udcff surrogate"]),
        _command(7, ["exec", "keep", "true", "--timeout", "nan"]),
        _command(8, ["display-message", "-p", "x"], env={"A": 1}),
        _command(9, ["display-message", "-p", "x"], cwd=["/"]),
        protocol.encode(protocol.request(10, "ping")),
    ]
    replies = exchange(server.socket, payloads)
    # Replies come as requests finish; the two unparseable frames have no id.
    by_code = {r.get("id"): code for r, code in zip(replies, codes(replies), strict=True)}
    assert by_code == {1: "ok", None: protocol.PARSE_ERROR, 4: protocol.INVALID_PARAMS,
                       5: protocol.INVALID_PARAMS, 6: "ok", 7: "ok",
                       8: protocol.INVALID_PARAMS, 9: protocol.INVALID_PARAMS, 10: "ok"}
    assert len(replies) == 10
    by_id = {r.get("id"): r for r in replies if isinstance(r, dict)}
    assert by_id[6]["result"]["stdout"] == "lone \udcff surrogate\n"
    assert by_id[7]["result"]["exit_code"] == 1
    assert "timeout invalid: nan" in by_id[7]["result"]["stderr"]
    assert "NUL" in by_id[4]["error"]["message"]
    assert server.run("has-session", "-t", "keep").code == 0


def test_hello_takes_only_an_integer_version(server) -> None:
    server.ok("new-session", "-d", "-s", "keep")
    for version in (True, 1.0, "1", None):
        replies = exchange(server.socket, [hello_frame(version=version)])
        assert codes(replies) == [protocol.VERSION_MISMATCH], version
    assert codes(exchange(server.socket, [hello_frame()])) == ["ok"]


def test_a_silent_connection_is_closed_after_the_hello_deadline(server) -> None:
    server.env["AI_SESSION_HELLO_DEADLINE"] = "0.5"
    server.ok("new-session", "-d", "-s", "keep")
    replies = exchange(server.socket, [b""], expected=1)
    assert codes(replies) == [protocol.NOT_HELLO]
    assert "no hello within 0.5s" in replies[0]["error"]["message"]
    wait_until(lambda: server.run("has-session", "-t", "keep").code == 0)


def test_connection_and_buffer_limits() -> None:
    from aisession_tui.server.limits import ConnectionLimits

    limits = ConnectionLimits(max_per_uid=2, max_buffered=100)
    assert limits.admit(7) is None and limits.admit(7) is None
    assert "too many connections" in (limits.admit(7) or "")
    assert limits.admit(8) is None
    limits.release(7, 1)
    assert limits.admit(7) is None
    assert limits.set_buffered(1, 60) is None
    assert "input buffers full" in (limits.set_buffered(2, 60) or "")
    assert limits.set_buffered(1, 0) is None
    assert limits.set_buffered(2, 60) is None
    assert limits.total_buffered == 60
    assert json.dumps(limits.buffered) == '{"2": 60}'
