"""The CLI-process verbs: declared in the one registry, implemented in ``cli/commands``.

The server never imports the CLI (test_headless_imports.py), so a verb that needs the
caller's process has its spec in :mod:`aisession_tui.server.commands` and its ``run`` in
:mod:`aisession_tui.cli.commands`; these tests keep the two sides in step.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect

import pytest

from aisession_tui.cli.commands import CLI_RUNNERS, local_runner
from aisession_tui.server.commands import all_specs, commands, find
from aisession_tui.server.commands.spec import CommandError, CommandSpec, parse_args


def test_every_cli_runner_is_a_registered_cli_process_verb() -> None:
    table = commands()
    for name, module in CLI_RUNNERS.items():
        assert name in table and table[name].name == name
        assert not table[name].needs_server
        run = importlib.import_module(f"aisession_tui.cli.commands.{module}").run
        assert inspect.iscoroutinefunction(run)
        assert local_runner(table[name]) is run


def test_every_verb_without_a_server_run_has_a_cli_runner() -> None:
    cli_only = {spec.name for spec in all_specs() if spec.cli_only}
    assert cli_only == {"attach-session", "cleanup", "mcp"}
    assert cli_only <= set(CLI_RUNNERS)


def test_a_cli_process_verb_without_a_runner_module_runs_its_own_spec() -> None:
    spec = find("list-commands")
    assert spec.name not in CLI_RUNNERS and local_runner(spec) is spec.run


@pytest.mark.parametrize("name", ["attach-session", "cleanup", "mcp"])
def test_the_server_refuses_a_cli_only_verb_with_where_it_runs(name: str) -> None:
    spec = find(name)
    with pytest.raises(CommandError, match=f"^{name} runs in the ai-session command"):
        asyncio.run(spec.run(None, parse_args(spec, [])))


def test_a_server_verb_must_have_a_run() -> None:
    with pytest.raises(ValueError, match="no run"):
        CommandSpec(name="x", usage="")


def test_a_cli_process_verb_error_is_stderr_and_exit_1_not_a_traceback(tmp_path) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "HOME": str(tmp_path), "AI_SESSION_HOME": str(tmp_path / "home"),
           "TMUX_TMPDIR": str(tmp_path)}
    env.pop("AI_SESSION", None)
    env.pop("TMUX", None)
    done = subprocess.run([sys.executable, "-m", "aisession_tui.cli", "-L", "arch-no-server",
                           "bus", "foo"], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 1
    assert done.stderr.startswith("unknown bus command: foo (send, broadcast")
    assert "Traceback" not in done.stderr
