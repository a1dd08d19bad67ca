"""run-shell and if-shell: exit codes and error words compared with tmux 3.3a; the output
(shown in a view mode by tmux) is printed; a slow job never holds up the server."""

from __future__ import annotations

import shutil
import threading

import pytest
from conftest import LiveTmux

needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

STEPS = [
    ("run", "echo hi; exit 3"), ("run", "-b", "echo bg"), ("run", "-C", "display -p hello"),
    ("run", "-d", "0.1", "echo delayed"), ("run", "kill -9 $$"), ("run", "-d", "x"),
    ("if", "true", "display -p yes", "display -p no"),
    ("if", "false", "display -p yes", "display -p no"),
    ("if", "-F", "#{==:a,b}", "display -p yes", "display -p no"),
    ("if", "-F", "1", "display -p yes"), ("if", "-F", "0", "display -p yes"),
    ("if", "-F", "1", "nosuch"), ("run", "-C", "nosuch"), ("run",),
]


@needs_tmux
def test_exit_codes_and_errors_as_tmux(server) -> None:
    tmux = LiveTmux(server.env).run

    try:
        tmux("new-session", "-d", "-s", "s")
        theirs = [tmux(*step) for step in STEPS]
    finally:
        tmux("kill-server")
    assert server.cli("new-session", "-d", "-s", "s").code == 0
    ours = [server.cli(*step) for step in STEPS]
    assert [r.code for r in ours] == [code for code, _, _ in theirs]
    assert [r.err for r in ours] == [err for _, _, err in theirs]
    # tmux puts run-shell's output in a view mode; ai-session prints it, in tmux's words
    assert ours[0].out == "hi\n'echo hi; exit 3' returned 3\n"
    assert ours[4].out == "'kill -9 $$' terminated by signal 9\n"
    assert ours[2].out == "hello\n" and ours[6].out == "yes\n" and ours[7].out == "no\n"


def test_output_is_bounded_and_a_slow_job_does_not_block(server) -> None:
    assert server.cli("new-session", "-d", "-s", "s").code == 0
    big = server.cli("run", "yes | head -c 3000000")
    assert big.code == 0 and len(big.out) < 1100000 and big.out.endswith(
        "(output truncated)\n")
    flag = server.home / "release"
    slow: dict[str, object] = {}
    waiting = f"while [ ! -e {flag} ]; do sleep 0.05; done; echo released"
    thread = threading.Thread(target=lambda: slow.update(r=server.cli("run", waiting)))
    thread.start()
    try:
        assert server.cli("display", "-p", "#{session_name}").out == "s\n"
        assert thread.is_alive()  # answered while the job waits for the flag
    finally:
        flag.touch()
        thread.join(60)
    assert slow["r"].out == "released\n"
    assert server.cli("run", "-b", "sleep 1").code == 0
    assert server.cli("has-session", "-t", "s").code == 0


@needs_tmux
def test_display_message_rules_as_tmux(server) -> None:
    steps = [("display", "-F", "x", "y"), ("display", "-d", "abc", "x"),
             ("display", "-d", "-5", "x"), ("display", "-c", "nosuch", "x"),
             ("display", "-N", "-d", "100", "hello"), ("display", "hi"),
             ("display", "-p", "-F", "#{session_name}"), ("display", "-I", "x"),
             ("display", "-I", "-F", "a", "b"), ("display", "-I", "-t", "nosuch", "x"),
             ("display", "-p", "-d", "0", "x"), ("display", "-p", "-c", "/dev/nope", "z")]
    tmux = LiveTmux(server.env).run

    try:
        tmux("new-session", "-d", "-s", "s")
        theirs = [tmux(*step) for step in steps]
    finally:
        tmux("kill-server")
    assert server.cli("new-session", "-d", "-s", "s").code == 0
    assert [(r.code, r.out, r.err) for r in (server.cli(*step) for step in steps)] == theirs
