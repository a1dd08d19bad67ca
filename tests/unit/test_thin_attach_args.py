"""The thin attach client's own bits: its protocol version and attach's flags, read
before the command registry is imported (aisession_tui/cli/thin_attach.py)."""

from __future__ import annotations

from pathlib import Path

from aisession_tui import protocol
from aisession_tui.cli import thin_attach
from aisession_tui.cli.thin_attach import parse_attach_args


def test_protocol_version_is_the_protocols() -> None:
    assert thin_attach.PROTOCOL_VERSION == protocol.PROTOCOL_VERSION


def test_attach_flags_as_attach_session_declares_them() -> None:
    assert parse_attach_args(["attach"]) == (None, False, "", "")
    assert parse_attach_args(["a", "-t", "work"]) == ("work", False, "", "")
    assert parse_attach_args(["attach-session", "-dtwork"]) == ("work", True, "", "")
    assert parse_attach_args(["attach", "-E", "-x", "-c", "/tmp", "-f", "ro", "s"]) == \
        ("s", False, "ro", "/tmp")
    assert parse_attach_args(["attach", "--", "-odd"]) == ("-odd", False, "", "")
    assert parse_attach_args(["attach", "-r", "-f", "active-pane"]) == \
        (None, False, "active-pane,read-only,ignore-size", "")


def test_anything_else_goes_to_the_full_cli() -> None:
    assert parse_attach_args(["attach", "-Z"]) is None  # unknown flag: usage
    assert parse_attach_args(["attach", "-t"]) is None  # missing value
    assert parse_attach_args(["attach", "one", "two"]) is None  # too many arguments


def test_the_declared_flags_match_the_registry() -> None:
    from aisession_tui.server.commands import find

    spec = find("attach-session")
    letters = spec.flags.replace(":", "")
    assert set(letters) == set(thin_attach.ATTACH_FLAGS + thin_attach.ATTACH_VALUE_FLAGS)
    assert {letter for letter in letters if f"{letter}:" in spec.flags} == \
        set(thin_attach.ATTACH_VALUE_FLAGS)


def test_the_client_finds_the_zygote_where_the_server_binds_it(tmp_path: Path) -> None:
    """The thin client connects to the zygote's socket without asking the server for its
    path: both must name the same file."""
    from aisession_tui.cli.thin_attach import zygote_path
    from aisession_tui.server.renderer_host import zygote_socket_path

    server = tmp_path / "ai-session-1000" / "default"
    assert zygote_path(str(server)) == str(zygote_socket_path(server))


def test_the_server_finds_its_socket_and_renderer_flag_before_argparse() -> None:
    """The server process starts its zygote before its imports (server/boot.py): it reads
    ``--socket`` in both of argparse's spellings."""
    from aisession_tui.server.boot import option_value

    assert option_value(["--socket", "/s", "--renderer"], "--socket") == "/s"
    assert option_value(["--renderer", "--socket=/t"], "--socket") == "/t"
    assert option_value(["--socket"], "--socket") is None
    assert option_value(["--ready-fd", "3"], "--socket") is None
