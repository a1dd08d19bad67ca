"""Where a server's socket and an installation's data live.

* Socket: ``-S PATH`` wins; else ``-L NAME`` (default ``default``) inside
  ``${AI_SESSION_TMPDIR:-/tmp}/ai-session-$UID/``. The directory is created 0700 and must be
  owned by us and not accessible to others (tmux refuses otherwise, and so do we).
* Invoked as ``tmux`` (the shim, or a link named ``tmux``): tmux's own place,
  ``${TMUX_TMPDIR:-/tmp}/tmux-$UID/NAME``, which is where libtmux and tmuxp look for a
  ``-L`` socket. Same rules for the directory.
* Home: ``$AI_SESSION_HOME`` (default ``~/.ai-session``) holds the SQLite store, the server
  logs and generated shell-integration files. It is private whatever the umask: the home
  and its directories 0700, its files 0600 (:func:`secure_home`, :func:`private_file`);
  looser ones found at start are tightened, with a notice.

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


def private_dir(path: Path) -> Path:
    """Create ``path`` (and missing parents) and make it 0700."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if stat.S_IMODE(path.stat().st_mode) != 0o700:
        os.chmod(path, 0o700)
    return path


def private_file(path: Path) -> Path:
    """Create ``path`` 0600 if missing (its directory private too); an existing file is
    made 0600. SQLite gives the WAL and shared-memory files the database file's mode."""
    private_dir(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        if stat.S_IMODE(os.fstat(fd).st_mode) != 0o600:
            os.fchmod(fd, 0o600)
    finally:
        os.close(fd)
    return path


def secure_home(home: Path | None = None) -> list[str]:
    """Make the home private: directories 0700, files 0600 (owner bits kept). Returns a
    notice per item that had to be tightened (an existing home made by an older version
    or under a loose umask)."""
    home = home or home_dir()
    notices: list[str] = []
    if not home.exists():
        private_dir(home)
    for path in [home, *sorted(home.rglob("*"))]:
        try:
            info = path.lstat()
        except OSError:
            continue
        if stat.S_ISLNK(info.st_mode) or info.st_uid != os.getuid():
            continue
        mode = stat.S_IMODE(info.st_mode)
        wanted = 0o700 if stat.S_ISDIR(info.st_mode) else mode & 0o700
        if mode & 0o077:
            try:
                os.chmod(path, wanted)
            except OSError as exc:
                notices.append(f"could not make {path} private: {exc}")
                continue
            notices.append(f"made {path} private (mode {mode:04o} -> {wanted:04o})")
    return notices


def log_path(socket: Path) -> Path:
    """The server log for one socket: ``$AI_SESSION_HOME/logs/server-<name>.log``."""
    return home_dir() / "logs" / f"server-{socket.name}.log"
