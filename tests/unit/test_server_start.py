"""The server process's start: its own flag reader (server/daemon.py ``ServerOptions``,
which took argparse's place: both spellings, repeated ``--config``, a clear exit
otherwise), and what its imports leave for later (issue 17: what a first session does not
need loads with its first use)."""

from __future__ import annotations

import subprocess
import sys

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
         "wcwidth")
"""Modules the server's imports must not load (each loads with its first use)."""


def test_the_server_imports_leave_these_for_later() -> None:
    code = ("import sys, aisession_tui.server.daemon; "
            f"print(' '.join(name for name in {LATER!r} if name in sys.modules))")
    done = subprocess.run([sys.executable, "-E", "-P", "-c", code], capture_output=True,
                          text=True, check=True, timeout=60)
    assert done.stdout.split() == []
