"""The seed's verbs (create, list, exec, kill, cleanup), large pastes and -V."""

from __future__ import annotations

import json
import os

import pytest
from conftest import wait_until


@pytest.mark.fake_pty
def test_create_list_kill_in_the_seed_look(server, tmp_path):
    out = server.ok("create", "--name", "dev", "--ai-context", "--max-tokens", "2048",
                    "--dir", str(tmp_path))
    assert "✅ Created session: dev" in out and "Max Tokens: 2,048" in out
    assert "AI Features: Enabled" in out
    data = json.loads(server.ok("create", "--name", "plain", "--json"))
    assert data["name"] == "plain" and data["ai_context"] is False
    assert data["max_tokens"] == 4096 and data["pane"].startswith("%")
    listing = server.ok("list", "--detailed")
    assert "ID: dev" in listing and "ID: plain" in listing and "Windows: 1  Panes: 1" in listing
    facts = {item["name"]: item for item in json.loads(server.ok("list", "--json"))}
    assert facts["dev"]["ai_context"] and facts["dev"]["cwd"] == str(tmp_path)
    assert "Killed session: plain" in server.ok("kill", "plain")
    assert server.run("kill", "plain").err == "can't find session: plain\n"
    bad = server.run("create", "--name", "x", "--max-tokens", "lots")
    assert bad.code == 1 and "max tokens invalid" in bad.err
    missing_dir = server.run("create", "--name", "y", "--dir", str(tmp_path / "nope"))
    assert missing_dir.code == 1 and "no such directory" in missing_dir.err


def test_max_tokens_default_comes_from_the_environment(server):
    server.env["AI_SESSION_MAX_TOKENS"] = "1234"
    data = json.loads(server.ok("create", "--name", "env", "--json"))
    assert data["max_tokens"] == 1234


def test_cleanup_removes_stale_sockets_and_dead_panes(server):
    from aisession_tui.protocol.paths import socket_dir

    server.ok("new-session", "-d", "-s", "live")
    server.ok("set-option", "-g", "remain-on-exit", "on")
    server.ok("new-session", "-d", "-s", "dies", "exit 0")
    wait_until(lambda: server.ok("display-message", "-p", "-t", "dies", "#{pane_dead}")
               == "1\n", message="dead pane")
    stale = socket_dir() / f"{server.name}-stale"
    import socket
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(stale))
    listener.close()  # the file stays, nobody listens: a stale socket
    out = server.ok("cleanup")
    assert f"Removed stale socket {stale}" in out
    assert "Killed dead pane" in out
    assert not stale.exists()
    assert server.run("has-session", "-t", "dies").code == 1
    assert server.run("has-session", "-t", "live").code == 0


def test_a_one_megabyte_paste_does_not_block_the_server(server, tmp_path):
    target = tmp_path / "paste.txt"
    server.ok("new-session", "-d", "-s", "paste")
    server.wait_for_text("paste", "$")
    server.ok("send-keys", "-t", "paste", f"stty raw -echo; head -c 1000000 > {target}",
              "Enter")
    wait_until(lambda: target.exists(), message="receiver ready")
    server.ok("new-session", "-d", "-s", "other")
    server.ok("send-keys", "-t", "paste", "-l", "a" * 1_000_000)
    assert server.run("has-session", "-t", "other").code == 0
    wait_until(lambda: target.stat().st_size == 1_000_000, message="whole paste delivered")
    assert set(target.read_text()) == {"a"}


def test_version_flag(server):
    result = server.run("-V")
    assert result.code == 0 and result.out.startswith("ai-session ")
    assert not server.socket.exists()


def test_socket_directory_and_socket_are_private(server):
    server.ok("new-session", "-d", "-s", "perm")
    assert os.stat(server.socket).st_mode & 0o777 == 0o600
    assert os.stat(server.socket.parent).st_mode & 0o777 == 0o700


def test_S_path_selects_a_socket_anywhere(server, tmp_path):
    path = tmp_path / "custom.sock"
    first = server.run("-S", str(path), "new-session", "-d", "-s", "s")
    assert first.code == 0 and path.exists()
    assert server.run("-S", str(path), "has-session", "-t", "s").code == 0
    assert server.run("has-session", "-t", "s").code == 1  # the -L server is another one
    server.run("-S", str(path), "kill-server")
    wait_until(lambda: not path.exists(), message="custom server gone")


def test_exec_capture_reports_context_tokens(server):
    server.ok("create", "--name", "cap", "--ai-context")
    result = server.run("exec", "cap", "echo captured", "--capture")
    assert result.code == 0 and result.out == "captured\n"
    assert "Command finished with exit code 0" in result.err
    tokens = [line for line in result.err.splitlines() if "Tokens used:" in line]
    assert tokens and tokens[0].split("(")[1].split()[0].replace(",", "").isdigit()
    total = int(tokens[0].split("(")[1].split()[0].replace(",", ""))
    assert total == int(server.ok("display-message", "-p", "-t", "cap",
                                  "#{pane_context_tokens}"))
