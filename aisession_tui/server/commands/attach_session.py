"""attach-session (attach, a): open the full-screen client on a session.

Declared here so every front end parses and lists it (control mode attaches its own client
with these flags, :mod:`aisession_tui.server.control`). It runs in the CLI process
(``needs_server=False``), which has the user's terminal:
:mod:`aisession_tui.cli.commands.attach_session`. Asked of the server, it says so.
"""

from __future__ import annotations

from .spec import CommandSpec

SPEC = CommandSpec(name="attach-session", alias=("attach", "a"), flags="dErxc:f:t:",
                   usage="[-dErx] [-c working-directory] [-f flags] [-t target-session]",
                   max_args=1, needs_server=False,
                   summary="Attach the terminal to a session")
