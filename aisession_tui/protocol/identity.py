"""Who ai-session says it is when a tool asks as it would ask tmux.

Invoked as ``tmux`` (the opt-in shim written by ``ai-session shim install DIR``, a link
named ``tmux``, or the shim directory the server puts first on a pane's ``PATH``),
ai-session answers ``-V`` with :func:`tmux_version_line`, ``tmux 3.3a-ai-session``: tmux's
version first, so that parsers written for tmux accept it, and ai-session's name in the same
line (its own version is ``ai-session -V``).

Checked against libtmux 0.62.0 (``tmux -V`` -> ``split("tmux ")[1]``, letters and ``-``
stripped, compared as a legacy version): ``3.3a-ai-session`` reads as exactly 3.3, so
every ``has_gte_version("3.3")`` branch runs as on tmux 3.3a. A suffix holding digits or
spaces (``3.3a (ai-session 0.1.0)`` -> ``3.3 ( 0.1.0)``) orders below 3.3 and made libtmux
skip 23 of its tests. tmuxp 1.76 uses libtmux's parser; ``cut -d' ' -f2 | tr -dc 0-9.``
style script checks read ``3.3``. ``#{version}`` follows the same rule.

The shim is a launcher (:mod:`aisession_tui.protocol.launcher`): this interpreter with
``-IS`` (isolated, as it always was, and without ``site``) on the CLI's fast path, the
package's directory written in it, as tmux whatever its name.
It never replaces a file it did not write.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .. import TMUX_VERSION_STRING
from .launcher import launcher_text

SHIM_MARKER = "# ai-session tmux shim"
"""The line that tells a shim we wrote from a file we must never overwrite."""


def version_string() -> str:
    """``#{version}`` and what follows ``tmux `` in ``-V``: ``3.3a-ai-session`` (only
    letters and ``-`` after tmux's version, which tmux version parsers strip)."""
    return TMUX_VERSION_STRING


def tmux_version_line() -> str:
    """``tmux -V`` as the tmux entry answers it."""
    return f"tmux {version_string()}"


def invoked_as_tmux(argv0: str) -> bool:
    """Whether the program was started under the name ``tmux``."""
    return Path(argv0).name == "tmux"


def shim_text(python: str | None = None) -> str:
    """The shim script: this interpreter, isolated and without ``site``, on the fast path
    of the package it runs now."""
    import aisession_tui

    return launcher_text(
        python or sys.executable, "-IS", root=os.path.dirname(aisession_tui.__path__[0]),
        comment=SHIM_MARKER.removeprefix("# ") + " (remove this file to stop using it)",
        doc="ai-session as tmux: the CLI's fast path without `site` (see "
            "aisession_tui/protocol/launcher.py).", as_tmux=True)


def is_our_shim(path: Path) -> bool:
    """Whether ``path`` is a shim ai-session wrote (so it may be rewritten)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(256)
    except OSError:
        return False
    return SHIM_MARKER.encode() in head


def write_shim(directory: Path, *, force: bool = False) -> Path:
    """Write ``directory/tmux``; refuses to replace a file that is not our shim (a real
    tmux, a user's script) unless ``force``. Returns the shim's path."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / "tmux"
    if (target.exists() or target.is_symlink()) and not force and not is_our_shim(target):
        raise FileExistsError(f"{target} exists and is not an ai-session shim "
                              "(use --force to replace it)")
    text = shim_text()
    if target.is_file() and not target.is_symlink():
        try:
            if target.read_text() == text:
                return target
        except OSError:
            pass
    temporary = directory / f".tmux.{os.getpid()}.tmp"
    temporary.write_text(text)
    temporary.chmod(0o755)
    temporary.replace(target)
    return target
