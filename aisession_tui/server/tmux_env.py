"""What a pane's child is told about the server it runs in, in tmux's words.

* ``TMUX`` = ``socket,server-pid,session-id`` and ``TMUX_PANE`` = ``%N``, tmux's format, so
  ``libtmux.Pane.from_env()``, tmuxp and agent CLIs that look for ``$TMUX`` find the pane;
* a ``run-shell`` / ``if-shell`` job gets ``TMUX`` (session id ``-1`` when it runs with no
  session, as while tmux reads its config at start; no ``TMUX_PANE``), as tmux's
  ``environ_for_session`` gives it, so a plugin script that runs ``tmux`` reaches this
  server;
* when the user option ``@tmux-shim`` is not ``off`` (on by default), a directory holding
  a ``tmux`` shim (:mod:`aisession_tui.protocol.identity`) is put first on ``PATH``, so a
  program in the pane that runs ``tmux`` reaches this server, as it would under tmux. The
  shim directory is ``$AI_SESSION_HOME/shim`` and holds nothing else.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from ..protocol.identity import write_shim
from ..protocol.paths import home_dir, private_dir

log = logging.getLogger(__name__)

SHIM_OPTION = "@tmux-shim"
_shim_dir: Path | None = None


def shim_dir() -> Path | None:
    """The directory with the ``tmux`` shim, written once per server (None if it cannot
    be written: the pane then simply has no shim)."""
    global _shim_dir
    if _shim_dir is None:
        directory = home_dir() / "shim"
        try:
            private_dir(directory)  # inside the private home: owner only
            write_shim(directory, force=True).chmod(0o700)
        except OSError as exc:
            log.warning("tmux shim not written in %s: %s", directory, exc)
            return None
        _shim_dir = directory
    return _shim_dir


def shim_enabled(value: str) -> bool:
    """``@tmux-shim`` unset or anything but off/0/no means on."""
    return value.strip().lower() not in ("off", "0", "no", "false")


def tmux_identity(env: dict[str, str], *, socket_path: Path, session_id: int, pane_id: int,
                  shim: bool) -> None:
    """Add ``TMUX``, ``TMUX_PANE`` and (``shim``) the shim directory to ``env``."""
    env["TMUX"] = f"{socket_path},{os.getpid()},{session_id}"
    env["TMUX_PANE"] = f"%{pane_id}"
    if shim:
        _put_shim_first(env)


def job_identity(env: dict[str, str], *, socket_path: Path, session_id: int | None,
                 shim: bool) -> None:
    """Add ``TMUX`` and ``AI_SESSION`` (``socket,pid,session``, ``-1`` for no session) and
    (``shim``) the shim directory to a job's ``env``; a job has no pane."""
    identity = f"{socket_path},{os.getpid()},{-1 if session_id is None else session_id}"
    env["TMUX"] = env["AI_SESSION"] = identity
    if shim:
        _put_shim_first(env)


def _put_shim_first(env: dict[str, str]) -> None:
    directory = shim_dir()
    if directory is None:
        return
    parts = [part for part in env.get("PATH", os.defpath).split(os.pathsep)
             if part and part != str(directory)]
    env["PATH"] = os.pathsep.join([str(directory), *parts])
