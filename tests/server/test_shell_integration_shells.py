"""Real bash (and zsh when installed) in a real PTY with ai-session's hooks injected.

Each test types commands as a person would, feeds the raw PTY bytes to a CommandTracker
and asserts the records, then replays the same bytes into pyte to check that nothing
stray is visible on screen.
"""

from __future__ import annotations

import os
import select
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pyte
import pytest
from ptyprocess import PtyProcess

from aisession_tui.server.shell_integration import (
    CommandFinished,
    CommandRecord,
    CommandTracker,
    shell_command,
)
from aisession_tui.terminal.plaintext import render_plain

DEADLINE_SECONDS = 30.0
BASH = shutil.which("bash")
ZSH = shutil.which("zsh")

requires_bash = pytest.mark.skipif(BASH is None, reason="bash is not installed")
requires_zsh = pytest.mark.skipif(ZSH is None, reason="zsh is not installed")


class ShellSession:
    """A shell in a PTY whose output goes through a CommandTracker."""

    def __init__(self, shell: str, home: Path, state_dir: Path) -> None:
        argv, extra_env = shell_command(shell, state_dir=state_dir)
        environment = {
            "HOME": str(home),
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "TERM": "xterm-256color",
            "LANG": "C.UTF-8",
            "HISTFILE": str(home / ".history"),
            **extra_env,
        }
        self.process = PtyProcess.spawn(argv, env=environment, cwd=str(home), dimensions=(40, 120))
        self.tracker = CommandTracker()
        self.raw = bytearray()
        self.records: list[CommandRecord] = []

    def pump_until(self, condition: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + DEADLINE_SECONDS
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"timed out waiting for {what}; output so far: {bytes(self.raw)!r}"
                )
            ready, _, _ = select.select([self.process.fd], [], [], 0.1)
            if not ready:
                continue
            try:
                data = os.read(self.process.fd, 65536)
            except OSError:
                raise AssertionError(f"shell exited while waiting for {what}: {bytes(self.raw)!r}")
            self.raw += data
            for event in self.tracker.feed(data, time.time()):
                if isinstance(event, CommandFinished):
                    self.records.append(event.record)

    def prompt_count(self) -> int:
        return self.raw.count(b"\x1b]133;A")

    def wait_for_prompt(self) -> None:
        self.pump_until(lambda: self.tracker.at_prompt, "a prompt")

    def wait_until_reading_input(self) -> None:
        """Wait until the shell sleeps in select/poll on the terminal (Linux /proc).

        bash 5.2 loses a SIGINT that arrives while readline is still busy with the
        previous keys (no new prompt until the next key), which a person never hits.
        """
        deadline = time.monotonic() + DEADLINE_SECONDS
        wchan = Path(f"/proc/{self.process.pid}/wchan")
        while time.monotonic() < deadline:
            try:
                waiting_in = wchan.read_text()
            except OSError:
                return
            if waiting_in.startswith(("do_select", "poll_schedule_timeout", "wait_woken")):
                return
            time.sleep(0.01)

    def type(self, keys: str) -> None:
        self.process.write(keys.encode())

    def run(self, line: str) -> CommandRecord:
        """Type ``line`` + Enter and return its record once the next prompt is up."""
        self.wait_for_prompt()
        finished = len(self.records)
        self.type(line + "\r")
        self.pump_until(lambda: len(self.records) > finished, f"the end of {line!r}")
        self.wait_for_prompt()
        assert len(self.records) == finished + 1
        return self.records[-1]

    def screen_lines(self) -> list[str]:
        screen = pyte.Screen(120, 500)
        stream = pyte.ByteStream(screen)
        stream.feed(bytes(self.raw))
        return [line.rstrip() for line in screen.display]

    def close(self) -> None:
        if self.process.isalive():
            self.process.terminate(force=True)


@pytest.fixture
def start_shell(tmp_path: Path) -> Iterator[Callable[[str, dict[str, str]], ShellSession]]:
    sessions: list[ShellSession] = []

    def start(shell: str, files: dict[str, str]) -> ShellSession:
        home = tmp_path / "home"
        home.mkdir(exist_ok=True)
        for name, content in files.items():
            (home / name).write_text(content, encoding="utf-8")
        session = ShellSession(shell, home, tmp_path / "state")
        sessions.append(session)
        session.wait_for_prompt()
        return session

    yield start
    for session in sessions:
        session.close()


USER_BASHRC_WITH_PROMPT_COMMAND = """\
HISTCONTROL=ignoreboth
user_prompts=0
PROMPT_COMMAND='user_prompts=$((user_prompts+1))'
PS1='U$ '
"""

USER_BASHRC_WITH_ARRAY_PROMPT_COMMAND = """\
user_prompts=0
PROMPT_COMMAND=('user_prompts=$((user_prompts+1))' 'user_seen=yes')
PS1='U$ '
"""

QUIET_BASHRC = "PS1='Q$ '\nalias ll='ls -l'\n"

ZSHRC = """\
PS1='Z%# '
HISTFILE=$HOME/.zhistory
setopt HIST_IGNORE_SPACE
user_prompts=0
precmd() { user_prompts=$((user_prompts+1)) }
"""


def assert_typical_session(session: ShellSession, home: Path) -> None:
    """The commands every shell test runs, with what each must record."""
    hello = session.run("echo hi")
    assert (hello.text, hello.exit_code, hello.cwd) == ("echo hi", 0, str(home))
    assert render_plain(hello.output).strip() == "hi"
    assert hello.started_at <= hello.finished_at
    assert not hello.truncated

    failed = session.run("false")
    assert (failed.text, failed.exit_code) == ("false", 1)
    assert render_plain(failed.output).strip() == ""
    assert session.run("(exit 3)").exit_code == 3

    moved = session.run("cd /tmp")
    assert (moved.text, moved.cwd, moved.exit_code) == ("cd /tmp", str(home), 0)
    assert session.tracker.cwd == "/tmp"
    where = session.run("pwd")
    assert where.cwd == "/tmp"
    assert render_plain(where.output).strip() == "/tmp"

    finished = len(session.records)
    prompts = session.prompt_count()
    session.type("\r")
    session.pump_until(lambda: session.prompt_count() > prompts, "the prompt after an empty Enter")
    session.wait_for_prompt()
    session.type("echo never-run")
    session.pump_until(lambda: b"never-run" in session.raw, "the echo of typed text")
    session.wait_until_reading_input()
    prompts = session.prompt_count()
    session.type("\x03")
    session.pump_until(lambda: session.prompt_count() > prompts, "the prompt after Ctrl-C")
    session.wait_for_prompt()
    assert len(session.records) == finished, "an empty Enter or Ctrl-C made a record"

    loop = session.run("for i in 1 2\rdo echo n$i\rdone")
    assert loop.text.startswith("for i in 1 2") and loop.text.endswith("done")
    assert "do echo n$i" in loop.text
    assert loop.exit_code == 0
    assert render_plain(loop.output).split() == ["n1", "n2"]

    quoted = session.run("""echo "héllo 'wörld' ✓" a;b""")
    assert quoted.text == """echo "héllo 'wörld' ✓" a;b"""
    assert quoted.exit_code == 127
    assert render_plain(quoted.output).splitlines()[0] == "héllo 'wörld' ✓ a"

    first = session.run("echo dup")
    second = session.run("echo dup")
    assert first.text == second.text == "echo dup"

    hidden = session.run(" echo secret")
    assert hidden.text.strip() == "echo secret"
    assert render_plain(hidden.output).strip() == "secret"


def assert_nothing_stray(session: ShellSession, prompt: str) -> None:
    lines = [line for line in session.screen_lines() if line]
    assert lines[0] == prompt + "echo hi", lines
    assert lines[1] == "hi"
    for line in lines:
        assert "133;" not in line and "file://" not in line and "\x1b" not in line, lines


@requires_bash
def test_bash_with_user_prompt_command(start_shell, tmp_path: Path) -> None:
    session = start_shell(BASH, {".bashrc": USER_BASHRC_WITH_PROMPT_COMMAND})
    assert session.tracker.integrated
    assert_typical_session(session, tmp_path / "home")
    before = session.run('echo "prompts=$user_prompts"')
    after = session.run('echo "prompts=$user_prompts"')
    count_before = int(render_plain(before.output).strip().split("=")[1])
    count_after = int(render_plain(after.output).strip().split("=")[1])
    assert count_after == count_before + 1, "the user's PROMPT_COMMAND stopped running"
    assert_nothing_stray(session, "U$ ")


@requires_bash
def test_bash_with_array_prompt_command(start_shell, tmp_path: Path) -> None:
    session = start_shell(BASH, {".bashrc": USER_BASHRC_WITH_ARRAY_PROMPT_COMMAND})
    assert_typical_session(session, tmp_path / "home")
    seen = session.run('echo "$user_seen $user_prompts"')
    assert render_plain(seen.output).split()[0] == "yes"
    assert int(render_plain(seen.output).split()[1]) > 5
    assert_nothing_stray(session, "U$ ")


@requires_bash
def test_bash_with_quiet_rc_and_alias(start_shell, tmp_path: Path) -> None:
    session = start_shell(BASH, {".bashrc": QUIET_BASHRC})
    assert session.screen_lines()[0] == "Q$"
    assert_typical_session(session, tmp_path / "home")
    listing = session.run("ll /")
    assert listing.text == "ll /" and listing.exit_code == 0
    assert_nothing_stray(session, "Q$ ")


@requires_bash
def test_bash_without_any_rc(start_shell, tmp_path: Path) -> None:
    session = start_shell(BASH, {})
    record = session.run("echo hi")
    assert (record.text, record.exit_code, render_plain(record.output).strip()) == (
        "echo hi",
        0,
        "hi",
    )
    visible = [line for line in session.screen_lines() if line]
    assert visible[0].endswith(" echo hi") and visible[1] == "hi"
    assert not any("133;" in line or "file://" in line for line in visible)


@requires_bash
def test_bash_keeps_user_debug_trap(start_shell) -> None:
    rc = "PS1='T$ '\ntrap 'user_debug_runs=$((user_debug_runs+1))' DEBUG\n"
    session = start_shell(BASH, {".bashrc": rc})
    session.run("true")
    record = session.run('echo "runs=$user_debug_runs"')
    assert record.text == 'echo "runs=$user_debug_runs"'
    assert int(render_plain(record.output).strip().split("=")[1]) > 0


@requires_zsh
def test_zsh_with_user_rc(start_shell, tmp_path: Path) -> None:
    session = start_shell(ZSH, {".zshrc": ZSHRC, ".zshenv": "export USER_ZSHENV=loaded\n"})
    assert session.tracker.integrated
    assert_typical_session(session, tmp_path / "home")
    environment = session.run('echo "$USER_ZSHENV ${ZDOTDIR-unset} ${AI_SESSION_ZSH_ZDOTDIR-gone}"')
    assert render_plain(environment.output).split() == ["loaded", "unset", "gone"]
    before = session.run('echo "prompts=$user_prompts"')
    after = session.run('echo "prompts=$user_prompts"')
    count_before = int(render_plain(before.output).strip().split("=")[1])
    count_after = int(render_plain(after.output).strip().split("=")[1])
    assert count_after == count_before + 1, "the user's precmd stopped running"
    assert_nothing_stray(session, "Z# ")


@requires_zsh
def test_zsh_with_user_zdotdir(start_shell, tmp_path: Path, monkeypatch) -> None:
    zdotdir = tmp_path / "zdot"
    zdotdir.mkdir()
    (zdotdir / ".zshrc").write_text("PS1='D%# '\nfrom_zdotdir=yes\n", encoding="utf-8")
    monkeypatch.setenv("ZDOTDIR", str(zdotdir))
    session = start_shell(ZSH, {})
    record = session.run('echo "$from_zdotdir $ZDOTDIR"')
    assert render_plain(record.output).split() == ["yes", str(zdotdir)]


def test_unknown_shell_gets_no_hooks(tmp_path: Path) -> None:
    for program in ("/bin/sh", "/usr/bin/fish", "python3"):
        assert shell_command(program, state_dir=tmp_path) == ([program], {})
