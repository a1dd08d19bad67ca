"""command-prompt and confirm-before run from the CLI (as a plugin script does) open their
prompt in the attached client, which runs the answer; with no client attached both say
what tmux 3.3a says."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from conftest import IsolatedServer, LiveTmux, wait_until
from e2e_harness import Harness, running_harness

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


@pytest.fixture
def harness(server: IsolatedServer) -> Iterator[Harness]:
    yield from running_harness(server)


def _window_names(server: IsolatedServer) -> list[str]:
    return server.ok("list-windows", "-t", "p", "-F", "#{window_name}").split()


def test_a_script_prompts_in_the_attached_client(server: IsolatedServer,
                                                 harness: Harness) -> None:
    server.ok("new-session", "-d", "-s", "p")
    server.ok("new-window", "-d", "-t", "p:1")
    harness.start("attach", "-t", "p")
    harness.wait_for("0:bash*")
    harness.wait_attached()
    server.ok("command-prompt", "-b", "-p", "name:", "rename-window '%%'")
    harness.wait_for("name:")
    harness.keys("from-a-script", "Enter")
    wait_until(lambda: "from-a-script" in _window_names(server), message="renamed")
    server.ok("confirm-before", "-b", "-p", "kill window 1? (y/n)", "kill-window -t p:1")
    harness.wait_for("kill window 1? (y/n)")
    harness.keys("y")
    wait_until(lambda: len(_window_names(server)) == 1, message="window 1 killed")


def test_without_a_client_they_fail_as_in_tmux(server: IsolatedServer) -> None:
    tmux = LiveTmux(server.env)
    try:
        tmux.run("new-session", "-d", "-s", "p")
        server.ok("new-session", "-d", "-s", "p")
        for command in (["command-prompt", "-p", "x", "display hi"],
                        ["confirm-before", "kill-server"], ["confirm-before"]):
            code, _, err = tmux.run(*command)
            ours = server.run(*command)
            assert (ours.code, ours.err) == (code, err), command
            assert code == 1 and err  # "no current client", or the usage error
    finally:
        tmux.kill()
