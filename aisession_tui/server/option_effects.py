"""What the server does when an option changes, and the options it reads while working.

Some options are mirrored onto the model objects that use them on hot paths, because the
domain objects (``registry``, ``layout``) know nothing of options: a window's
``pane-base-index`` and ``automatic-rename``, and its layout's ``main-pane-*`` /
``other-pane-*`` sizes. :func:`sync_window` copies them; the engine calls it when a window
is made and :func:`apply_option_change` after every ``set-option``, so the mirror is never
stale. The other options here are read where they act (:func:`synchronized_panes`,
:func:`remains_on_exit`, :func:`buffer_limit`). ``automatic-rename-format`` is computed by
the server's one :class:`AutomaticNamer`, the engine's ``window_namer``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from .option_table import BY_NAME
from .options import Options

if TYPE_CHECKING:
    from .engine import Engine
    from .format_vars import FormatSources
    from .pane import Pane
    from .registry import Session, Window

WINDOW_MIRRORED = frozenset({"pane-base-index", "automatic-rename", "main-pane-width",
                             "main-pane-height", "other-pane-width", "other-pane-height"})
"""Window options copied onto :class:`Window` and its layout."""


def sync_window(options: Options, window: Window) -> None:
    """Copy the window's mirrored options onto it and its layout."""
    scope = f"@{window.id}"
    window.pane_base_index = options.number("pane-base-index", scope)
    window.automatic_rename = options.flag("automatic-rename", scope)
    layout = window.layout
    layout.main_pane_width = options.get("main-pane-width", scope)
    layout.main_pane_height = options.get("main-pane-height", scope)
    layout.other_pane_width = options.get("other-pane-width", scope)
    layout.other_pane_height = options.get("other-pane-height", scope)


def apply_option_change(engine: Engine, name: str) -> None:
    """Make a changed option take effect on what already exists."""
    if name in WINDOW_MIRRORED:
        for window in engine.registry.all_windows():
            sync_window(engine.options, window)


def name_window(options: Options, window: Window) -> None:
    """A window given a name (``new-window -n``, ``rename-window``) stops being renamed
    automatically: tmux turns its ``automatic-rename`` option off."""
    options.set("automatic-rename", "off", f"@{window.id}")
    sync_window(options, window)


def synchronized_panes(options: Options, window: Window, pane: Pane) -> Iterable[Pane]:
    """Where input meant for ``pane`` goes: with ``synchronize-panes`` on, every live pane
    of the window that has it on too, as tmux's ``window_pane_key``."""
    if not options.flag("synchronize-panes", f"%{pane.id}", f"@{window.id}"):
        return (pane,)
    return [other for other in window.ordered_panes()
            if other is pane or (not other.dead and options.flag(
                "synchronize-panes", f"%{other.id}", f"@{window.id}"))]


def remains_on_exit(options: Options, window: Window, pane: Pane) -> bool:
    """``remain-on-exit``: ``on`` keeps every dead pane, ``failed`` one whose child exited
    non-zero or by a signal."""
    value = options.get("remain-on-exit", f"%{pane.id}", f"@{window.id}")
    if value == "failed":
        return pane.exit is not None and (pane.exit.code != 0 or pane.exit.signal is not None)
    return value == "on"


def buffer_limit(options: Options) -> int:
    """How many paste buffers are kept (``buffer-limit``)."""
    return max(1, options.number("buffer-limit"))


def trim_buffers(buffers: list[tuple[str, str]], limit: int) -> None:
    """Drop the oldest automatic buffers (``bufferN``) beyond ``buffer-limit``; buffers
    the user named are kept, as in tmux. ``buffers`` is newest first."""
    automatic = 0
    for position in range(len(buffers)):
        name = buffers[position][0]
        if name.startswith("buffer") and name[6:].isdigit():
            automatic += 1
    excess = automatic - limit
    position = len(buffers) - 1
    while excess > 0 and position >= 0:
        name = buffers[position][0]
        if name.startswith("buffer") and name[6:].isdigit():
            del buffers[position]
            excess -= 1
        position -= 1


def session_after_destroy(engine: Engine, closed: Session) -> Session | None:
    """Where a client of a destroyed session goes (``detach-on-destroy``): None to detach
    (``on``), the most recently used other session (``off``), or the most recently used
    session no client shows (``no-detached``; None if every session has a client)."""
    value = engine.options.get("detach-on-destroy", f"${closed.id}")
    if value == "on":
        return None
    candidates = [session for session in engine.registry.sessions.values()
                  if session is not closed and (value == "off" or not session.attached)]
    return max(candidates, key=lambda session: session.last_used, default=None)


def destroy_if_unattached(engine: Engine, session: Session) -> None:
    """``destroy-unattached``: a session its last client left is killed."""
    if (session.attached == 0 and session.id in engine.registry.sessions
            and engine.options.flag("destroy-unattached", f"${session.id}")):
        engine.kill_session(session)


class AutomaticNamer:
    """A window's name from its ``automatic-rename-format`` (the engine's
    ``window_namer``); one per server, with the windows being named right now."""

    def __init__(self, server: FormatSources) -> None:
        self.server = server
        self.naming: set[int] = set()
        """Windows whose automatic name is being computed (a format naming
        ``window_name`` must not recurse)."""

    def __call__(self, window: Window) -> str | None:
        """The automatic name; None (the active pane's command, as today) while the
        option has tmux's default."""
        from .format_vars import format_lookup
        from .formats import expand

        server = self.server
        options = server.engine.options
        template = options.get("automatic-rename-format", f"@{window.id}")
        if template == BY_NAME["automatic-rename-format"].default or window.id in self.naming:
            return None
        found = server.engine.registry.find_window(window.id)
        if found is None:
            return None
        self.naming.add(window.id)
        try:
            return expand(template, format_lookup(server, found[0], window, None))
        finally:
            self.naming.discard(window.id)
