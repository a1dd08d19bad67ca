"""attach-session (attach, a) in the CLI process: open the full-screen client on a session.

It needs the user's terminal, not the server's. ``-t`` (or the seed's positional ``attach
NAME``) picks the session, the most recent one otherwise. ``-d`` first detaches the
session's other clients (``detach-client -s``); without it they stay attached and the
session follows the most recently resized one. ``-f flags`` and ``-r`` (``read-only``
and ``ignore-size``) set the client's flags (:mod:`aisession_tui.server.client_flags`);
``-c`` sets the session's start directory (a format, expanded by the server); ``-E`` and
``-x`` are accepted. On detach
it prints tmux's ``[detached (from session NAME)]``. Without a terminal on stdin and stdout
it refuses with tmux's ``open terminal failed: not a terminal``; from inside one of the
server's own panes with tmux's nesting refusal. The declaration (flags, usage) is
:mod:`aisession_tui.server.commands.attach_session`.

The Textual app is imported only here, inside ``attach``, so other verbs start fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ...server.commands.spec import Args, CommandResult

if TYPE_CHECKING:
    from ...server.context import LocalCommandContext

NOT_A_TERMINAL = "open terminal failed: not a terminal\n"


def nested_refusal(socket_path: object) -> str | None:
    """tmux's refusal to attach a client from inside one of the server's own panes
    (which would show the pane inside itself, endlessly): the error text, or None."""
    import os

    for variable in ("TMUX", "AI_SESSION"):
        inside = os.environ.get(variable, "").split(",", 1)[0]
        if inside and inside == str(socket_path):
            return f"sessions should be nested with care, unset ${variable} to force\n"
    return None


def has_terminal() -> bool:
    """Whether stdin and stdout are both terminals (the client needs one)."""
    return sys.stdin.isatty() and sys.stdout.isatty()


async def attach(socket_path: Path, target: str | None, *,
                 detach_others: bool = False, flags: str = "",
                 directory: str = "") -> CommandResult:
    """Run the client on ``target`` until it detaches or the session ends (``-d``:
    detach the session's other clients first)."""
    refusal = nested_refusal(socket_path)
    if refusal:
        return CommandResult(stderr=refusal, exit_code=1)
    if not has_terminal():
        return CommandResult(stderr=NOT_A_TERMINAL, exit_code=1)
    from ...client.frame_rate import raise_frame_rate

    raise_frame_rate()  # before Textual's first import, which reads its redraw cap
    from ...cli.client import ClientError, connect
    from ...client.app import create_app, prepare_terminal_process

    try:
        probe = connect(socket_path, start=False)
    except ClientError:
        return CommandResult(stderr="no sessions\n", exit_code=1)
    try:
        found = probe.request("command", {"argv": ["has-session",
                                                    *(["-t", target] if target else [])]})
        if detach_others and not found.get("exit_code"):
            probe.request("command", {"argv": ["detach-client", "-s", target or ""]})
    except ClientError as exc:
        return CommandResult(stderr=f"{exc}\n", exit_code=1)
    finally:
        probe.close()
    if found.get("exit_code"):
        return CommandResult(stderr=found.get("stderr") or "no sessions\n", exit_code=1)
    prepare_terminal_process()
    app = create_app(socket_path, target)
    app.options.flags = flags
    app.options.start_directory = directory
    await app.run_async()
    message = app.exit_message
    code = app.return_code or 0
    if code:
        return CommandResult(stderr=f"{message}\n" if message else "", exit_code=code)
    return CommandResult(stdout=f"{message}\n" if message else "")


def requested_flags(args: Args) -> str:
    """The client flags of ``-f`` and ``-r`` (:mod:`aisession_tui.server.client_flags`)."""
    from ..thin_attach import client_flags

    return client_flags(args.get("f"), args.has("r"))


async def run(ctx: LocalCommandContext, args: Args) -> CommandResult:
    target = args.get("t") or (args.positional[0] if args.positional else None)
    return await attach(ctx.socket_path, target, detach_others=args.has("d"),
                        flags=requested_flags(args), directory=str(args.get("c") or ""))


def attach_thin(socket_path: Path, target: str | None, *,
                detach_others: bool = False, flags: str = "",
                directory: str = "", paint_at_once: bool = False) -> int | None:
    """Attach through a renderer (:mod:`aisession_tui.cli.thin_attach`) after the checks
    :func:`attach` makes; the exit code, or None to run the in-process client instead
    (``paint_at_once``: a cold start, see :func:`aisession_tui.cli.thin_attach.attach`)."""
    refusal = nested_refusal(socket_path)
    if refusal:
        sys.stderr.write(refusal)
        return 1
    if not has_terminal():
        sys.stderr.write(NOT_A_TERMINAL)
        return 1
    from .. import thin_attach

    if not thin_attach.thin_enabled():
        return None
    return thin_attach.attach(socket_path, target, detach_others=detach_others, flags=flags,
                              directory=directory, paint_at_once=paint_at_once)
