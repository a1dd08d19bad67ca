"""The server process's first moments: the renderer zygote starts before the server's imports.

When a client will attach (``--renderer``: ``new-session`` without ``-d``), the zygote
that draws for it must import Textual and the client's classes - the longest step of a
cold start. :mod:`.daemon` calls :func:`early_start` first thing when it runs as the
server process (``python -m aisession_tui.server.daemon``), before its own imports (~130
ms of CPU): the zygote is started there, so both imports run side by side instead of one
after the other; the daemon's ``main`` then uses that host (:data:`started`).

Invariants: ``--daemonize``'s fork happens here, before the zygote starts, so the zygote
is the server's own child (its host polls and ends it), and the flag is taken out of
``sys.argv`` so ``main`` does not fork again; only the standard library's core,
:mod:`..protocol.paths` and :mod:`.renderer_host` are imported before the zygote starts;
a zygote that cannot start here is started (or reported) by the daemon as before; the
garbage collector is off from here until the daemon's ``main`` has frozen start-up's
objects (collections during the imports were ~5% of their CPU and found nothing to free).
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .renderer_host import RendererHost

started: RendererHost | None = None
"""The renderer host whose zygote :func:`early_start` started (None: none was)."""


def option_value(argv: list[str], name: str) -> str | None:
    """The value of ``--name VALUE`` or ``--name=VALUE`` in ``argv`` (argparse's two
    spellings), None when absent."""
    for index, word in enumerate(argv):
        if word == name and index + 1 < len(argv):
            return argv[index + 1]
        if word.startswith(f"{name}="):
            return word[len(name) + 1:]
    return None


def start_zygote(socket_path: Path) -> RendererHost | None:
    """The renderer host of the server on ``socket_path``, its zygote started; None when
    it could not start (the daemon tries again and logs why)."""
    from ..protocol.paths import ensure_socket_dir
    from .renderer_host import RendererHost

    renderers = RendererHost(socket_path)
    try:
        ensure_socket_dir(socket_path)
        renderers.ensure()
    except OSError:
        return None
    return renderers


def early_start() -> None:
    """In the server process, before the daemon's imports: the garbage collector off
    (the daemon's ``main`` freezes what start-up made and turns it back on),
    ``--daemonize``'s fork, then the zygote when ``--renderer`` asks for it (kept in
    :data:`started`)."""
    global started
    gc.disable()
    words = sys.argv[1:]
    if "--daemonize" in words:
        words.remove("--daemonize")
        sys.argv[1:] = words
        if os.fork() != 0:
            os._exit(0)
    socket_value = option_value(words, "--socket")
    if "--renderer" in words and socket_value:
        started = start_zygote(Path(socket_value))
