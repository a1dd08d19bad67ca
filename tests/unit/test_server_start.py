"""The server process's start: its own flag reader (server/daemon.py ``ServerOptions``,
which took argparse's place: both spellings, repeated ``--config``, a clear exit
otherwise), and what its imports leave for later (issue 17: what a first session does not
need loads with its first use)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from aisession_tui.server.daemon import ServerOptions


def test_both_spellings_and_repeated_config() -> None:
    options = ServerOptions(["--socket", "/s", "--ready-fd=7", "--config=a", "--config", "b",
                             "--explicit-config", "--renderer"])
    assert (options.socket, options.ready_fd, options.config) == ("/s", 7, ["a", "b"])
    assert options.explicit_config and options.renderer and not options.daemonize


def test_defaults() -> None:
    options = ServerOptions(["--socket=/t"])
    assert (options.socket, options.ready_fd, options.config) == ("/t", None, [])
    assert not (options.explicit_config or options.renderer or options.daemonize)


@pytest.mark.parametrize("argv", [[], ["--ready-fd", "3"], ["--socket"],
                                  ["--socket", "/s", "--ready-fd", "x"],
                                  ["--socket", "/s", "--bogus"]])
def test_bad_arguments_exit_with_the_reason(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        ServerOptions(argv)
    assert str(raised.value).startswith("ai-session-server: ")


LATER = ("argparse", "ctypes", "zstandard", "importlib.resources", "aisession_tui.ai.context",
         "aisession_tui.bus.core", "aisession_tui.terminal.reflow", "aisession_tui.mcp_server",
         "wcwidth", "aisession_tui.server.mouse_target")
"""Modules the server's imports must not load (each loads with its first use)."""


def test_the_server_imports_leave_these_for_later() -> None:
    code = ("import sys, aisession_tui.server.daemon; "
            f"print(' '.join(name for name in {LATER!r} if name in sys.modules))")
    done = subprocess.run([sys.executable, "-E", "-P", "-c", code], capture_output=True,
                          text=True, check=True, timeout=60)
    assert done.stdout.split() == []


def test_the_server_process_is_ready_without_ssl_or_wcwidth(tmp_path: Path) -> None:
    """The real process (``-m ...daemon``, so boot.early_start runs): until its ready
    byte, asyncio came without ssl, pyte without wcwidth, the store without the bus
    (``-X importtime`` lists every module imported); ``import ssl`` works again once it
    runs."""
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    read_end, write_end = os.pipe()
    env = {**os.environ, "AI_SESSION_HOME": str(home), "HOME": str(home)}
    process = subprocess.Popen(
        [sys.executable, "-E", "-P", "-X", "importtime", "-m", "aisession_tui.server.daemon",
         "--socket", str(home / "s"), "--ready-fd", str(write_end)],
        pass_fds=(write_end,), env=env, stderr=subprocess.PIPE, text=True,
        start_new_session=True)
    os.close(write_end)
    try:
        assert os.read(read_end, 64).startswith(b"ready")
    finally:
        os.close(read_end)
        os.killpg(process.pid, signal.SIGTERM)
        _, errors = process.communicate(timeout=60)
    imported = {line.rpartition("|")[2].strip() for line in errors.splitlines()
                if line.startswith("import time:")}
    assert {"asyncio", "pyte.screens", "aisession_tui.server.services"} <= imported
    # (a failed import is listed too: asyncio's "import ssl" is, but not its C half)
    assert "_ssl" not in imported
    assert not [name for name in imported if name.partition(".")[0] == "wcwidth"]
    # the store's opening (on boot's thread) creates the bus tables without the bus
    assert "aisession_tui.store.bus_store" in imported
    assert not [name for name in imported if name.startswith("aisession_tui.bus")]
    code = ("import sys; from aisession_tui.server import boot; boot.early_start(); "
            "import asyncio; boot.allow_ssl(); import ssl; import asyncio.base_events as b; "
            "print(b.ssl is None, ssl.PROTOCOL_TLS_CLIENT is not None)")
    done = subprocess.run([sys.executable, "-E", "-P", "-c", code, "--socket", "x"],
                          capture_output=True, text=True, check=True, timeout=60, env=env)
    assert done.stdout.split() == ["True", "True"]
