"""The tmux identity: ``-V`` as tmux, the opt-in shim, ``TMUX``/``TMUX_PANE`` in panes, the
shim first on a pane's PATH, tmux's socket directory and the nested-attach refusal."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import wait_until

from aisession_tui.protocol.identity import tmux_version_line, write_shim


def _libtmux_style_version(line: str) -> str:
    """What libtmux 0.62.0 does with ``tmux -V``: ``split("tmux ")[1]``, letters and ``-``
    removed; the rest is compared as a legacy version, so anything but ``3.3`` (a space,
    a second number) orders below or above tmux 3.3a and changes what libtmux runs."""
    return re.sub(r"[a-z-]", "", line.split("tmux ")[1])


def test_version_parses_as_tmux_and_names_ai_session(tmp_path):
    shim = write_shim(tmp_path / "bin")
    out = subprocess.run([str(shim), "-V"], capture_output=True, text=True, check=True).stdout
    assert out == tmux_version_line() + "\n"
    assert out.startswith("tmux 3.3a") and "ai-session" in out
    assert _libtmux_style_version(out.strip()) == "3.3"
    assert out.split()[1].rstrip("abcdefghijklmnopqrstuvwxyz-") == "3.3"
    plain = subprocess.run([sys.executable, "-m", "aisession_tui.cli", "-V"],
                           capture_output=True, text=True, check=True).stdout
    assert plain.startswith("ai-session ")


def test_shim_never_replaces_a_file_it_did_not_write(tmp_path, server):
    directory = tmp_path / "bin"
    directory.mkdir()
    (directory / "tmux").write_text("#!/bin/sh\necho real tmux\n")
    refused = server.run("shim", "install", str(directory))
    assert refused.code == 1 and "not an ai-session shim" in refused.err
    assert (directory / "tmux").read_text() == "#!/bin/sh\necho real tmux\n"
    assert server.run("shim", "remove", str(directory)).code == 1
    other = tmp_path / "other"
    assert server.ok("shim", "install", str(other)).strip() == str(other / "tmux")
    assert server.run("shim", "remove", str(other)).code == 0
    assert not (other / "tmux").exists()


def test_version_format_follows_the_same_rule(server):
    server.ok("new-session", "-d", "-s", "v")
    assert server.ok("display-message", "-p", "#{version}").strip() == \
        tmux_version_line().split("tmux ", 1)[1]


def test_socket_lives_in_tmux_tmpdir_when_invoked_as_tmux(tmp_path, server):
    shim = write_shim(tmp_path / "bin")
    tmpdir = tmp_path / "tt"
    tmpdir.mkdir()
    env = {**server.env, "TMUX_TMPDIR": str(tmpdir)}
    name = server.name + "x"
    try:
        subprocess.run([str(shim), "-L", name, "new-session", "-d", "-s", "t"], env=env,
                       check=True, timeout=60)
        socket = tmpdir / f"tmux-{os.getuid()}" / name
        assert socket.is_socket()
        out = subprocess.run([str(shim), "-L", name, "list-sessions", "-F", "#{socket_path}"],
                             env=env, capture_output=True, text=True, check=True).stdout
        assert out.strip() == str(socket)
    finally:
        subprocess.run([str(shim), "-L", name, "kill-server"], check=False, env=env, timeout=60)


def test_a_program_in_a_pane_drives_its_own_server_through_tmux(server, tmp_path):
    """As agent CLIs do: split-window -P -F, send-keys, capture-pane, via plain ``tmux``."""
    server.ok("new-session", "-d", "-s", "agents", "-x", "100", "-y", "30")
    env = server.ok("display-message", "-p", "-t", "agents", "#{pane_id}").strip()
    script = tmp_path / "agent.sh"
    result = tmp_path / "result"
    script.write_text(
        "#!/bin/sh\n"
        "exec > " + str(result) + ".tmp 2>&1\n"
        "echo \"TMUX=$TMUX\"\necho \"TMUX_PANE=$TMUX_PANE\"\n"
        "echo \"which=$(command -v tmux)\"\n"
        "new=$(tmux split-window -P -F '#{pane_id}')\n"
        "echo \"new=$new\"\n"
        "tmux send-keys -t \"$new\" 'echo from-the-agent' Enter\n"
        "i=0; while [ $i -lt 300 ]; do\n"
        "  tmux capture-pane -p -t \"$new\" | grep -q '^from-the-agent' && break\n"
        "  i=$((i+1)); sleep 0.1; done\n"
        "echo captured=$(tmux capture-pane -p -t \"$new\" | grep -c '^from-the-agent')\n"
        "mv " + str(result) + ".tmp " + str(result) + "\n")
    script.chmod(0o755)
    server.ok("send-keys", "-t", env, f"sh {script}", "Enter")
    wait_until(result.exists, message="the agent script to finish")
    facts = dict(line.split("=", 1) for line in result.read_text().splitlines() if "=" in line)
    socket_field, pid_field, session_field = facts["TMUX"].split(",")
    assert socket_field == str(server.socket) and pid_field == str(server.server_pid())
    assert session_field == server.ok("display-message", "-p", "-t", "agents",
                                      "#{session_id}").strip().lstrip("$")
    assert facts["TMUX_PANE"] == env
    assert Path(facts["which"]).name == "tmux" and "shim" in facts["which"]
    new = facts["new"]
    assert re.fullmatch(r"%\d+", new) and facts["captured"] == "1"
    panes = server.ok("list-panes", "-t", "agents", "-F", "#{pane_id}").split()
    assert panes == [env, new]
    wait_until(lambda: int(server.ok("display-message", "-p", "-t", new,
                                     "#{pane_commands}").strip()) >= 1,
               message="a command record for the new pane")


def test_the_shim_can_be_turned_off(server):
    server.ok("new-session", "-d", "-s", "noshim")
    server.ok("set-option", "-g", "@tmux-shim", "off")
    pane = server.ok("new-window", "-P", "-F", "#{pane_id}", "-t", "noshim").strip()
    server.ok("send-keys", "-t", pane,
              "case :$PATH: in *:$AI_SESSION_HOME/shim:*) echo SH''IM;; *) echo NO''NE;; esac",
              "Enter")
    screen = server.wait_for_text(pane, "\nNONE")
    assert "\nSHIM" not in screen


def test_attach_inside_its_own_pane_is_refused(server):
    server.ok("new-session", "-d", "-s", "self")
    inside = {"TMUX": f"{server.socket},1,0", "TMUX_PANE": "%0"}
    for argv in (["attach"], ["new-session"]):
        result = server.cli(*argv, env=inside)
        assert result.code == 1
        assert result.err == "sessions should be nested with care, unset $TMUX to force\n"
