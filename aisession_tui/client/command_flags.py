"""One getopt for the commands a binding runs in the client: a command's words are parsed
with its server command's spec (:func:`~aisession_tui.server.commands.spec.parse_args`), as
the CLI and the server parse them, so a flag means the same wherever the command runs.

Invariant: a word the server would refuse is refused here with the server's
:class:`~aisession_tui.server.commands.spec.UsageError` text.
"""

from __future__ import annotations

from typing import Any


def command_flags(name: str, args: list[str]) -> tuple[dict[str, Any], list[str]]:
    """The flags and positional arguments of ``name args`` (raises ``UsageError``)."""
    from aisession_tui.server.commands import find
    from aisession_tui.server.commands.spec import parse_args

    parsed = parse_args(find(name), args)
    return parsed.flags, parsed.positional
