"""The server process's own flag reader (server/daemon.py ``ServerOptions``, which took
argparse's place): both spellings, repeated ``--config``, and a clear exit otherwise."""

from __future__ import annotations

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
