"""Real, popular tmux configurations loaded at start in tmux 3.3a and in ai-session, compared.

Each fixture in ``tests/fixtures/configs/`` (its header names the source repository,
commit and licence; nothing is downloaded at run time) is given to both servers as their
start-up configuration (``-f``), with a temporary ``HOME`` and no other config. A plugin
(``*.tmux``, a shell script that runs ``tmux``) is loaded as TPM loads it: the start-up
file is ``run-shell`` on the script, whose ``tmux`` reaches the server it runs under; TPM
itself runs from a user's ``~/.tmux.conf`` with its plugins in ``~/.tmux/plugins``.
A config file (not a plugin) is then reloaded with ``source-file`` and compared again.

Then compared line by line: the configuration's error lines (tmux shows them in a view
mode on the new session's pane; ai-session keeps them for ``show-messages``), the
options of every scope (``show-options -g``, ``-gw``, ``-s``, and the session's, window's
and pane's own), the hooks (``show-hooks``, ``-g``, ``-w``), ``list-keys``, the global and
session environment, and ``source-file -nv`` (each command as parsed, with its line).
What differs on purpose is filtered below, each with its reason; everything else must
match. Fixtures: tmux-sensible (also after a user's ``prefix C-a``), TPM with
tmux-sensible and tmux-yank, and tony/tmux-config (libtmux's author's dotfiles) as it is
now, in 2021 and in 2016.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import LiveTmux

from aisession_tui.server.options import AI_SESSION_DEFAULTS

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "configs"

# tmux 3.3a's own defaults for the options ai-session defaults differently on purpose
# (options.AI_SESSION_DEFAULTS: the mouse on from the start, TERM=xterm-256color in panes).
TMUX_DEFAULTS = {"mouse": "off", "default-terminal": "tmux-256color"}

# a plugin's script runs tens of tmux calls before new-session returns; on a loaded
# machine each ai-session call (a Python start) can take a second
START_TIMEOUT = 240

SHOWS = (("show-options", "-g"), ("show-options", "-gw"), ("show-options", "-s"),
         ("show-options",), ("show-options", "-w"), ("show-options", "-p"),
         ("show-hooks", "-g"), ("show-hooks",), ("show-hooks", "-w"), ("list-keys",),
         ("show-environment", "-g"), ("show-environment",))


def _start_config(fixture: Path, tmp_path: Path, before: str = "") -> Path:
    """The file both servers get with ``-f``: the fixture, or ``run-shell`` on a plugin
    (after the user's own lines ``before``, as a plugin comes last in a config)."""
    if fixture.suffix != ".tmux":
        return fixture
    config = tmp_path / "tmux.conf"
    config.write_text(f"{before}run-shell '{fixture}'\n")
    return config


def _view_errors(run: Callable[..., tuple[int, str, str]]) -> list[str]:
    """The configuration errors tmux 3.3a shows: it puts them in a view mode on the new
    session's pane (cfg_show_causes); copied out with the mode's own commands."""
    if run("display-message", "-p", "#{pane_in_mode}")[1].strip() != "1":
        return []
    for command in ("history-top", "begin-selection", "history-bottom", "end-of-line",
                    "copy-selection"):
        assert run("send-keys", "-X", command)[0] == 0
    return [line for line in run("show-buffer")[1].splitlines() if line]


def _without_program(lines: list[str]) -> list[str]:
    """Environment lines but ``_=``: the program the starting shell ran last, tmux's path
    in one server and ai-session's in the other."""
    return [line for line in lines if not line.startswith("_=")]


def _ours_normalised(command: tuple[str, ...], lines: list[str]) -> list[str]:
    """ai-session's output with its deliberate default differences put back to tmux's
    defaults (only where the value is still ai-session's default, so a config that sets
    the option is compared as it is)."""
    if command[0] != "show-options":
        return lines
    restored = {f"{name} {value}": f"{name} {TMUX_DEFAULTS[name]}"
                for name, value in AI_SESSION_DEFAULTS.items()}
    return [restored.get(line, line) for line in lines]


def _load_both(server, tmux: LiveTmux, config: Path | None) -> None:  # type: ignore[no-untyped-def]
    """Start both servers with ``-f config``, or (None) with the files each reads by
    default (``~/.tmux.conf`` in the temporary HOME; ``/etc/tmux.conf`` for both if the
    machine has one)."""
    given = ["-f", str(config)] if config is not None else []
    started = subprocess.run(
        ["tmux", "-L", tmux.name, *given, "new-session", "-d", "-x", "200", "-y", "50"],
        env=tmux.env, capture_output=True, text=True, timeout=START_TIMEOUT, check=False)
    assert started.returncode == 0, started.stderr
    result = server.cli(*given, "new-session", "-d", "-x", "200", "-y", "50",
                        timeout=START_TIMEOUT)
    assert result.code == 0, result.err


def _compare(server, tmux: LiveTmux, config: Path, *,  # type: ignore[no-untyped-def]
             reload: bool = True) -> None:
    theirs_errors = _view_errors(tmux.run)
    # ai-session opens the view on the pane too (its copy commands run in a client, so
    # the lines are read from show-messages, which keeps them)
    mode = server.cli("display-message", "-p", "#{pane_mode}").out.strip()
    assert mode == ("view-mode" if theirs_errors else "")
    assert server.cli("show-messages").out.splitlines() == theirs_errors
    _compare_state(server, tmux)
    # the file as each parser reads it (parsed, not run): every command printed with its
    # line, a block's lines before the command holding them
    theirs = tmux.run("source-file", "-nv", str(config))
    ours = server.cli("source-file", "-nv", str(config))
    assert (ours.code, ours.out, ours.err) == theirs
    if not reload:  # a plugin's script runs every tmux call again: seconds, not news
        return
    # then reloaded from the command line, as a user's reload binding does: the same
    # output and exit code, and the same state after a second run of the same file
    theirs = tmux.run("source-file", str(config))
    ours = server.cli("source-file", str(config))
    assert (ours.code, ours.out, ours.err) == theirs
    _compare_state(server, tmux)


def _compare_state(server, tmux: LiveTmux) -> None:  # type: ignore[no-untyped-def]
    for command in SHOWS:
        code, out, err = tmux.run(*command)
        assert code == 0, (command, err)
        ours = server.run(*command)
        assert ours.code == 0, (command, ours.err)
        theirs = out.splitlines()
        mine = _ours_normalised(command, ours.out.splitlines())
        if command[0] == "show-environment":
            theirs, mine = _without_program(theirs), _without_program(mine)
        assert mine == theirs, command


@pytest.fixture
def tmux(server, tmp_path):  # type: ignore[no-untyped-def]
    """tmux 3.3a with the test server's environment (its temporary HOME), killed after."""
    env = {key: value for key, value in server.env.items()
           if key not in ("TERM_PROGRAM", "LC_TERMINAL")}  # plugins test for iTerm
    server.env = env
    instance = LiveTmux(env, f"aicfg-{server.name}")
    try:
        yield instance
    finally:
        instance.kill()


# sensible reads list-keys and the prefix: with a C-a prefix it unbinds C-b and binds
# C-a to send-prefix and a to last-window (its main branch for users who change prefix)
@pytest.mark.parametrize("before", ["", "set -g prefix C-a\nset -g mode-keys vi\n"],
                         ids=["defaults", "prefix-C-a"])
def test_tmux_sensible(server, tmux, tmp_path, before) -> None:  # type: ignore[no-untyped-def]
    config = _start_config(FIXTURES / "tmux-sensible.tmux", tmp_path, before)
    _load_both(server, tmux, config)
    # the plugin ran and reached its server (its settings are there), in both
    for show in (("show-options", "-sv", "escape-time"), ("show-options", "-gv", "history-limit")):
        assert server.ok(*show) == tmux.run(*show)[1] != ""
    assert server.ok("show-options", "-sv", "escape-time") == "0\n"
    _compare(server, tmux, config, reload=False)


def test_tony_tmux_config(server, tmux, tmp_path) -> None:  # type: ignore[no-untyped-def]
    config = _start_config(FIXTURES / "tony-tmux-config.conf", tmp_path)
    _load_both(server, tmux, config)
    assert server.ok("show-options", "-gv", "prefix") == "C-a\n"
    _compare(server, tmux, config)


def test_tony_tmux_config_2021(server, tmux, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The same dotfiles in 2021: tmux -V read through run-shell jobs into the global
    environment, if-shell on ``#{$VAR}``, and one if-shell whose command list tmux 3.3a
    refuses (line 108: ``file:line: file:line: syntax error``, the list's own parse error
    named again by the config)."""
    config = _start_config(FIXTURES / "tony-tmux-config-2021.conf", tmp_path)
    _load_both(server, tmux, config)
    for name in ("TMUX_VERSION_MAJOR", "TMUX_VERSION_MINOR"):
        ours = server.ok("show-environment", "-g", name)
        assert ours == tmux.run("show-environment", "-g", name)[1] == f"{name}=3\n"
    assert server.cli("show-messages").out.count("syntax error") == 1
    _compare(server, tmux, config)


def _clipboard_on_path(server, tmux: LiveTmux, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A clipboard program first on PATH for both servers and their jobs, so tmux-yank
    sets its real bindings (with none it binds error messages only and stops)."""
    tools = tmp_path / "bin"
    tools.mkdir()
    (tools / "xsel").write_text("#!/bin/sh\ncat > /dev/null\n")
    (tools / "xsel").chmod(0o755)
    for env in (server.env, tmux.env):
        env["PATH"] = f"{tools}:{env['PATH']}"


def test_tpm_with_sensible_and_yank(server, tmux, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """TPM's README config as a user's ~/.tmux.conf, TPM and two plugins installed in
    ~/.tmux/plugins: TPM reads the config file for @plugin lines, asks the server through
    ``tmux start-server\\; show-environment`` and runs each plugin's *.tmux file."""
    plugins = server.home / ".tmux" / "plugins"
    shutil.copytree(FIXTURES / "tpm", plugins / "tpm")
    (plugins / "tmux-sensible").mkdir()
    shutil.copy2(FIXTURES / "tmux-sensible.tmux", plugins / "tmux-sensible" / "sensible.tmux")
    shutil.copytree(FIXTURES / "tmux-yank", plugins / "tmux-yank")
    config = server.home / ".tmux.conf"
    shutil.copy2(FIXTURES / "tpm-readme.tmux.conf", config)
    _clipboard_on_path(server, tmux, tmp_path)
    _load_both(server, tmux, None)  # found as ~/.tmux.conf, as a user has it
    # TPM ran both plugins (their settings and keys are there)
    assert server.ok("show-options", "-sv", "escape-time") == "0\n"
    assert "xsel" in server.ok("list-keys", "-T", "copy-mode-vi", "y")
    assert "install_plugins" in server.ok("list-keys", "-T", "prefix", "I")
    _compare(server, tmux, config, reload=False)


def test_tony_tmux_config_2016(server, tmux, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A tmux 2.x config: 'bind-key -t vi-copy' is refused when the file is parsed, so
    nothing of it runs (the defaults stay) and its one error line is what both show."""
    config = _start_config(FIXTURES / "tony-tmux-config-2016.conf", tmp_path)
    _load_both(server, tmux, config)
    errors = server.cli("show-messages").out.splitlines()
    assert len(errors) == 1 and errors[0].endswith(": command bind-key: unknown flag -t")
    assert server.ok("show-options", "-gv", "prefix") == "C-b\n"
    _compare(server, tmux, config)
