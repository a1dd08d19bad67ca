"""Two servers in one process share nothing a server owns: each keeps its state in its own
services (its engine's environments and pipes, its config errors, its running jobs), not
in module globals, so in-process servers (``tests/inprocess_server.py``) are independent by
construction, with nothing cleared by hand between them. Both servers here run at the same
time in the test's process, and both first panes are ``%0``."""

from __future__ import annotations

import pytest
from conftest import wait_until

pytestmark = pytest.mark.fake_pty


def test_global_environment_is_one_servers(server) -> None:
    other = server.neighbour()
    server.ok("new-session", "-d", "-s", "a")
    other.ok("new-session", "-d", "-s", "b")
    server.ok("set-environment", "-g", "ONLY_HERE", "1")
    server.ok("set-environment", "-g", "-r", "REMOVED_HERE")
    server.ok("set-environment", "-t", "a", "SESSION_VAR", "x")
    assert server.ok("show-environment", "-g", "ONLY_HERE") == "ONLY_HERE=1\n"
    assert server.ok("show-environment", "-g", "REMOVED_HERE") == "-REMOVED_HERE\n"
    assert other.run("show-environment", "-g", "ONLY_HERE").err == \
        "unknown variable: ONLY_HERE\n"
    assert other.run("show-environment", "-g", "REMOVED_HERE").err == \
        "unknown variable: REMOVED_HERE\n"
    # both first sessions are $0: the session environments are apart too
    assert other.run("show-environment", "-t", "b", "SESSION_VAR").err == \
        "unknown variable: SESSION_VAR\n"
    # the command language's $VAR reads each server's own global environment
    other.ok("set-environment", "-g", "ONLY_HERE", "2")
    config = server.home / "read-var.conf"
    config.write_text('set-option -g @seen "[$ONLY_HERE]"\n')
    for handle in (server, other):
        handle.ok("source-file", str(config))
    assert server.ok("show-options", "-gv", "@seen") == "[1]\n"
    assert other.ok("show-options", "-gv", "@seen") == "[2]\n"


def test_config_errors_are_one_servers(server, tmp_path) -> None:
    bad = tmp_path / "bad.conf"
    bad.write_text("set -g nosuch-option 2\n")
    other = server.neighbour()
    server.ok("-f", str(bad), "new-session", "-d", "-s", "a")
    other.ok("-f", "/dev/null", "new-session", "-d", "-s", "b")
    cause = f"{bad}:1: invalid option: nosuch-option"
    assert cause in server.ok("show-messages").splitlines()
    assert cause not in other.ok("show-messages")
    # shown in view mode on the first session of the server that read the file only
    assert server.ok("display-message", "-p", "-t", "a", "#{pane_in_mode}") == "1\n"
    assert other.ok("display-message", "-p", "-t", "b", "#{pane_in_mode}") == "0\n"


def test_pipes_are_one_servers(server, tmp_path) -> None:
    other = server.neighbour()
    server.ok("new-session", "-d", "-s", "a")
    other.ok("new-session", "-d", "-s", "b")
    piped = "#{pane_id} #{pane_pipe}"
    server.ok("pipe-pane", "-t", "a", f"cat >> {tmp_path / 'a.txt'}")
    assert server.ok("display-message", "-p", "-t", "a", piped) == "%0 1\n"
    assert other.ok("display-message", "-p", "-t", "b", piped) == "%0 0\n"
    # -o on the other server's %0 opens a pipe there (no open pipe to toggle off) and
    # leaves this server's %0 piped
    other.ok("pipe-pane", "-o", "-t", "b", f"cat >> {tmp_path / 'b.txt'}")
    assert other.ok("display-message", "-p", "-t", "b", piped) == "%0 1\n"
    assert server.ok("display-message", "-p", "-t", "a", piped) == "%0 1\n"
    other.ok("pipe-pane", "-t", "b")
    assert other.ok("display-message", "-p", "-t", "b", piped) == "%0 0\n"
    assert server.ok("display-message", "-p", "-t", "a", piped) == "%0 1\n"


def test_running_jobs_are_one_servers(server, tmp_path) -> None:
    other = server.neighbour()
    server.ok("new-session", "-d", "-s", "a")
    other.ok("new-session", "-d", "-s", "b")
    go = tmp_path / "go"
    command = f"while [ ! -e {go} ]; do sleep 0.05; done"
    server.ok("run-shell", "-b", command)  # started before run-shell returns, as tmux's
    try:
        assert [line.split(" [fd=")[0] for line in server.ok("show-messages", "-J").splitlines()
                ] == [f"Job 0: {command}"]
        assert other.ok("show-messages", "-J") == ""
    finally:
        go.touch()
    wait_until(lambda: server.ok("show-messages", "-J") == "", message="the job ended")
