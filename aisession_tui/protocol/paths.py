"""Where a server's socket and an installation's data live.

* Socket: ``-S PATH`` wins; else ``-L NAME`` (default ``default``) inside
  ``${AI_SESSION_TMPDIR:-/tmp}/ai-session-$UID/``. The directory is created 0700 and must be
  owned by us and not accessible to others (tmux refuses otherwise, and so do we).
* Invoked as ``tmux`` (the shim, or a link named ``tmux``): tmux's own place,
  ``${TMUX_TMPDIR:-/tmp}/tmux-$UID/NAME``, which is where libtmux and tmuxp look for a
  ``-L`` socket. Same rules for the directory.
* Home: ``$AI_SESSION_HOME`` (default ``~/.ai-session``) holds the SQLite store, the server
  logs and generated shell-integration files.

Shared by the CLI and the server; imports only the standard library.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

DEFAULT_SOCKET_NAME = "default"


def socket_dir() -> Path:
    """The per-user directory that holds named sockets."""
    base = os.environ.get("AI_SESSION_TMPDIR") or "/tmp"
    return Path(base) / f"ai-session-{os.getuid()}"


def tmux_socket_dir() -> Path:
    """tmux's per-user socket directory, used when ai-session is invoked as ``tmux``."""
    base = os.environ.get("TMUX_TMPDIR") or "/tmp"
    return Path(base) / f"tmux-{os.getuid()}"


def socket_path(name: str | None = None, path: str | None = None, *,
                as_tmux: bool = False) -> Path:
    """Resolve ``-S PATH`` / ``-L NAME`` to the socket's path (nothing is created)."""
    if path:
        return Path(path).expanduser().absolute()
    if name and "/" in name:
        raise ValueError(f"invalid socket name: {name}")
    directory = tmux_socket_dir() if as_tmux else socket_dir()
    return directory / (name or DEFAULT_SOCKET_NAME)


def ensure_socket_dir(path: Path) -> None:
    """Create the socket's directory 0700 if it is the per-user one; refuse unsafe ones."""
    directory = path.parent
    if directory in (socket_dir(), tmux_socket_dir()):
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = directory.stat()
        if info.st_uid != os.getuid():
            raise PermissionError(f"directory {directory} has unsafe ownership")
        if stat.S_IMODE(info.st_mode) & 0o077:
            raise PermissionError(f"directory {directory} has unsafe permissions")
    else:
        directory.mkdir(parents=True, exist_ok=True)


def home_dir() -> Path:
    """``$AI_SESSION_HOME`` or ``~/.ai-session`` (created on demand by the server)."""
    value = os.environ.get("AI_SESSION_HOME")
    return Path(value).expanduser() if value else Path.home() / ".ai-session"


def log_path(socket: Path) -> Path:
    """The server log for one socket: ``$AI_SESSION_HOME/logs/server-<name>.log``."""
    return home_dir() / "logs" / f"server-{socket.name}.log"
