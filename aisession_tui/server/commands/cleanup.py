"""cleanup (seed verb): remove stale sockets and dead panes.

Runs in the CLI process (``needs_server=False``) so it works when no server is running:
:mod:`aisession_tui.cli.commands.cleanup`. Declared here so every front end parses and
lists it; asked of the server, it says so.
"""

from __future__ import annotations

from .spec import CommandSpec

SPEC = CommandSpec(name="cleanup", usage="[--json]", long_options={"json": False},
                   intermixed=True, needs_server=False,
                   summary="Remove stale sockets and dead panes (seed verb)")
