"""Attention with real programs in a real pane (issue 14 item 3): REPLs wait, a busy
program that prints a question does not, the window flag ``?`` and
``#{window_attention}`` follow, and changes are pushed to ``bus subscribe --topic
system.attention`` listeners."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import wait_until


def start(server) -> None:
    server.ok("create", "--name", "at", "--dir", str(server.home))
    server.wait_for_text("at", "$")


def attention(server) -> str:
    return server.ok("display-message", "-p", "-t", "at", "#{pane_attention}").strip()


def test_python_repl_waits_and_quitting_it_is_idle(server) -> None:
    start(server)
    server.ok("send-keys", "-t", "at", f"{sys.executable} -q", "Enter")
    wait_until(lambda: attention(server) == "waiting", message="python REPL waiting")
    wait_until(lambda: server.ok(
        "display-message", "-p", "-t", "at",
        "#{window_flags}|#{window_attention}|#{window_attention_flag}").strip()
        == "*|waiting|1", message="window waiting, no '?' on the window in view")
    server.ok("new-window", "-t", "at")  # the REPL's window is now hidden: it gets the flag
    wait_until(lambda: server.ok("display-message", "-p", "-t", "at:0",
                                 "#{window_flags}").strip() == "-?",
               message="window flag ?")
    server.ok("send-keys", "-t", "at:0", "exit()", "Enter")
    wait_until(lambda: server.ok("display-message", "-p", "-t", "at:0",
                                 "#{pane_attention}").strip() == "idle",
               message="idle after the REPL")
    wait_until(lambda: server.ok("display-message", "-p", "-t", "at:0",
                                 "#{window_flags}").strip() == "-",
               message="window flag back to tmux's")


@pytest.mark.skipif(not os.path.exists("/usr/bin/node"), reason="node not installed")
def test_node_repl_waits(server) -> None:
    start(server)
    server.ok("send-keys", "-t", "at", "node", "Enter")
    wait_until(lambda: attention(server) == "waiting", message="node REPL waiting")


def test_a_busy_program_printing_a_question_is_not_waiting(server) -> None:
    start(server)
    script = "print('Continue? [y/n]', flush=True)\nimport time\nend = time.time() + 4\n" \
             "while time.time() < end: pass"
    (server.home / "busy.py").write_text(script)
    server.ok("send-keys", "-t", "at", f"{sys.executable} busy.py", "Enter")
    server.wait_for_text("at", "Continue? [y/n]")
    seen = set()
    for _ in range(20):  # ~4 s of looks while it computes
        seen.add(attention(server))
        if "idle" in seen:
            break
        subprocess.run(["sleep", "0.2"], check=True)
    assert "waiting" not in seen


def test_attention_changes_reach_bus_subscribers(server) -> None:
    import queue
    import threading

    start(server)
    listener = subprocess.Popen(
        [sys.executable, "-m", "aisession_tui.cli", "-L", server.name, "bus", "subscribe",
         "--topic", "system.*"], env=server.env, stdout=subprocess.PIPE, text=True)
    lines: queue.Queue[str] = queue.Queue()
    assert listener.stdout is not None
    threading.Thread(target=lambda: [lines.put(line) for line in listener.stdout],
                     daemon=True).start()
    try:
        waiting = None

        def asked() -> bool:
            # the subscription starts at some point: ask until a change reaches it
            nonlocal waiting
            server.ok("send-keys", "-t", "at", "C-c")
            # the shell's prompt is back and the question gone before the next is typed
            # (the current window shows no '?' flag, so the flags cannot tell)
            wait_until(lambda: attention(server) != "waiting" and server.ok(
                "capture-pane", "-p", "-t", "at").rstrip().endswith("$"),
                       message="the watch saw the question go")
            server.ok("send-keys", "-t", "at", "read -p 'Deploy? [y/N] ' a", "Enter")
            # the server flags the question first (however long detection takes under
            # load); its event is then on the bus, for a subscription that was live
            wait_until(lambda: attention(server) == "waiting",
                       message="the watch saw the question")
            try:
                while True:
                    event = json.loads(lines.get(timeout=3))
                    if event["state"] == "waiting":
                        waiting = event
                        return True
            except queue.Empty:
                return False

        wait_until(asked, timeout=180, interval=0.1, message="a waiting event on the bus")
        assert waiting is not None
        assert waiting["topic"] == "system.attention" and waiting["session"] == "at"
        assert "Deploy? [y/N]" in waiting["prompt"] and waiting["pane"].startswith("%")
    finally:
        listener.terminate()
        listener.wait(timeout=30)


def test_next_attention_goes_to_the_waiting_pane(server) -> None:
    start(server)
    server.ok("new-window", "-t", "at")
    server.ok("send-keys", "-t", "at:0", "read -p 'Go on? [y/N] ' x", "Enter")
    wait_until(lambda: server.ok("display-message", "-p", "-t", "at:0",
                                 "#{pane_attention}").strip() == "waiting",
               message="window 0 waiting")
    assert server.ok("display-message", "-p", "-t", "at", "#{window_index}").strip() == "1"
    printed = server.ok("next-attention", "-p")
    assert printed.startswith("at:0.0 %") and printed.strip().endswith("waiting")
    assert server.ok("display-message", "-p", "-t", "at", "#{window_index}").strip() == "1"
    server.ok("next-attention")
    assert server.ok("display-message", "-p", "-t", "at", "#{window_index}").strip() == "0"
    server.ok("send-keys", "-t", "at:0", "C-c")
    wait_until(lambda: server.run("next-attention").code == 1, message="nothing waits")
    assert "no pane needs attention" in server.run("next-attention").err
    # the interrupted command's failure reaches the server with the shell's next prompt
    wait_until(lambda: server.run("next-attention", "-e", "-p").code == 0,
               message="the failed command needs attention")
    assert server.ok("next-attention", "-e", "-p").strip().endswith("error")


def test_exec_returns_at_a_repl_prompt_with_its_job(server) -> None:
    start(server)
    result = server.run("exec", "at", f"{sys.executable} -q", "--json", "--timeout", "60")
    assert result.code == 125, result.err
    data = json.loads(result.out)
    assert data["state"] == "waiting" and data["prompt"].endswith(">>>")
    server.ok("job", "answer", str(data["job"]), "exit()")
    ended = json.loads(server.run("job", "wait", str(data["job"]), "--json",
                                  "--timeout", "60").out)
    assert ended["state"] == "finished"
