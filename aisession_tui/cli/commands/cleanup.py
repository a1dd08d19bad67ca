"""cleanup (seed verb) in the CLI process: remove stale sockets and dead panes.

It works when no server is running: every socket in the per-user socket directory that no
server answers is removed; then, if the named server runs, its dead panes (kept by
``remain-on-exit``) are killed, and with them any session left with nothing alive.
Declared in :mod:`aisession_tui.server.commands.cleanup`.
"""

from __future__ import annotations

import socket
from pathlib import Path
from typing import TYPE_CHECKING

from ...protocol.paths import socket_dir
from ...server.commands._common import json_result, lines
from ...server.commands.spec import Args, CommandResult

if TYPE_CHECKING:
    from ...server.context import LocalCommandContext


def stale_socket(path: Path) -> bool:
    """Whether ``path`` is a socket nobody listens on (a connect is refused)."""
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        probe.connect(str(path))
    except ConnectionRefusedError:
        return True
    except OSError:
        return False
    finally:
        probe.close()
    return False


async def run(ctx: LocalCommandContext, args: Args) -> CommandResult:
    removed_sockets = []
    directory = socket_dir()
    if directory.is_dir():
        for path in sorted(directory.iterdir()):
            if path.is_socket() and stale_socket(path):
                path.unlink(missing_ok=True)
                removed_sockets.append(str(path))
    killed = []
    reply = ctx.request_command(["list-panes", "-a", "-F", "#{pane_id} #{pane_dead}"])
    if reply and reply.get("exit_code") == 0:
        for row in reply.get("stdout", "").splitlines():
            pane_id, _, dead = row.partition(" ")
            if dead == "1":
                ctx.request_command(["kill-pane", "-t", pane_id])
                killed.append(pane_id)
    if args.has("json"):
        return json_result({"removed_sockets": removed_sockets, "killed_dead_panes": killed})
    out = [f"🧹 Removed stale socket {path}" for path in removed_sockets]
    out += [f"🧹 Killed dead pane {pane_id}" for pane_id in killed]
    if not out:
        out = ["✨ Nothing to clean up"]
    return CommandResult(stdout=lines(out))
