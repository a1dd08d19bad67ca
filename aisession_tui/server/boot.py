"""The server process's first moments: the renderer zygote and the records database's
opening start before the server's imports.

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
home is made private (``secure_home``) and the database only opened (schema, WAL) here,
on a thread started after the zygote, in that order (the daemon waits for the first step
before it logs, :func:`secured_home`); the run is recorded by the daemon
(:meth:`.store_handle.StoreHandle.open`), and a database that failed to open here is
opened (or reported) by the daemon as before; the garbage collector is off from here until the daemon's ``main`` has frozen start-up's
objects (collections during the imports were ~5% of their CPU and found nothing to free).

TLS: asyncio's modules import ``ssl`` if they can (``try: import ssl``), ~5 ms of CPU
(``ssl``, ``_ssl``, ``base64``) for an ability the server never uses (it serves a Unix
socket and starts programs; nothing in it opens a TLS connection). :func:`early_start`
makes ``import ssl`` fail until the daemon's ``main`` runs (:func:`allow_ssl`): asyncio
then keeps ``ssl = None``, as on a Python built without it, and its TLS calls raise
(``start_tls``, ``create_connection(ssl=...)``); any later ``import ssl`` in the server
works as usual.
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..store.db import Store
    from .renderer_host import RendererHost

started: RendererHost | None = None
"""The renderer host whose zygote :func:`early_start` started (None: none was)."""

_opening: _Opening | None = None
"""What :func:`open_store_early` started (None: nothing)."""


class _Opening:
    """The thread that makes the home private and opens the records database."""

    def __init__(self, path: Path) -> None:
        import threading

        self.path = path
        self.store: Store | None = None
        self.notices: list[str] = []
        self.secured = threading.Event()
        self.thread = threading.Thread(target=self._run, name="store-open", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        from ..protocol.paths import secure_home

        try:
            self.notices = secure_home()
        finally:
            self.secured.set()
        from ..store.db import Store

        try:
            self.store = Store(self.path)
        except Exception:  # noqa: BLE001, S110 - the daemon opens it again and says why
            pass


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


def store_path() -> Path:
    """Where the server keeps its records database."""
    from ..protocol.paths import home_dir

    return home_dir() / "ai-session.db"


def open_store_early() -> None:
    """Start making the home private and opening the records database on a thread:
    creating the database (the schema, the WAL) waits on the disk for tens of ms, which
    overlaps the server's imports this way. Nothing is written for this run here (the
    daemon records the run once it knows it is the only server on its socket)."""
    global _opening
    _opening = _Opening(store_path())


def secured_home() -> list[str]:
    """:func:`..protocol.paths.secure_home`'s notices: from the early thread (waiting for
    that step only) when :func:`open_store_early` ran, else secured now."""
    if _opening is not None:
        _opening.secured.wait()
        return _opening.notices
    from ..protocol.paths import secure_home

    return secure_home()


def early_store(path: Path) -> Store | None:
    """The store :func:`open_store_early` opened at ``path`` (waiting for it), taken
    once; None when none was being opened there or the opening failed."""
    global _opening
    opening = _opening
    if opening is None or opening.path != path:
        return None
    _opening = None
    opening.thread.join()
    return opening.store


def allow_ssl() -> None:
    """Let ``import ssl`` work again (see the module docstring; no-op if it always did)."""
    if "ssl" in sys.modules and sys.modules["ssl"] is None:
        del sys.modules["ssl"]


def early_start() -> None:
    """In the server process, before the daemon's imports: the garbage collector off
    (the daemon's ``main`` freezes what start-up made and turns it back on), ``import
    ssl`` failing until :func:`allow_ssl`, ``--daemonize``'s fork, the zygote when
    ``--renderer`` asks for it (kept in :data:`started`), then the records database's
    opening on a thread (:func:`early_store`)."""
    global started
    gc.disable()
    sys.modules.setdefault("ssl", None)  # type: ignore[arg-type]  # asyncio: no TLS
    words = sys.argv[1:]
    if "--daemonize" in words:
        words.remove("--daemonize")
        sys.argv[1:] = words
        if os.fork() != 0:
            os._exit(0)
    socket_value = option_value(words, "--socket")
    if "--renderer" in words and socket_value:
        started = start_zygote(Path(socket_value))
    open_store_early()
