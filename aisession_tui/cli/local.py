"""What a command that runs in the CLI process (``needs_server=False``) is given.

Such commands (``list-commands``, ``cleanup``) must work with no server running; when
they need one anyway they ask through :meth:`LocalContext.request`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .client import ClientError, connect


@dataclass
class LocalContext:
    """The socket the user named, and a way to reach its server if it runs."""

    socket_path: Path

    def request_command(self, argv: list[str]) -> dict[str, Any] | None:
        """Run ``argv`` on the server; None when no server answers."""
        try:
            client = connect(self.socket_path, start=False)
        except (ClientError, OSError):
            return None
        try:
            return client.request("command", {"argv": argv, "cwd": os.getcwd(),
                                               "env": dict(os.environ)})
        finally:
            client.close()
