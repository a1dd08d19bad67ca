"""tmux target syntax: ``S``, ``=S``, ``S:W``, ``S:W.P``, ``%N``, ``@N``, ``$N``.

Resolution rules (a documented subset of tmux's cmd-find.c):
* an empty part means "current": the client's own pane when it runs inside a pane of this
  server (``AI_SESSION_PANE``), else the most recently used session, its current window and
  that window's active pane;
* a session is ``$N``, ``=NAME`` (exact), or NAME: exact match, then a unique prefix, then a
  unique fnmatch pattern;
* a window is ``@N``, an index, ``+``/``-`` (next/previous), ``!`` (last), ``^``/``$``
  (first/last), ``=NAME``, or NAME (exact, unique prefix, unique pattern);
* a pane is ``%N``, an index, ``+``/``-``, ``!`` (last pane), or ``{last}``;
* ``=`` or ``{mouse}`` alone is the mouse's pane (else its window's active pane) when a
  mouse key's commands run (:mod:`aisession_tui.server.mouse_target`), else
  ``no mouse target``.
Failures raise :class:`CommandError` with tmux's words: ``can't find session: X``.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from .commands.spec import CommandError
from .pane import Pane
from .registry import Registry, Session, Window
from .winlinks import best_place

if TYPE_CHECKING:
    from .client_flags import Client
    from .mouse_target import MouseEvent

T = TypeVar("T")

MOUSE_TARGETS = ("=", "{mouse}")
"""The targets that name the mouse (tmux's cmd-find.c)."""


class Target:
    """A command's ``-t`` or ``-s`` as its spec's kind resolved it (tmux's
    ``cmd_find_state``): a pane target has its session, window and pane, a window target
    its session and window, a session target its session, a client target its client.
    Reading a part the kind does not have is a bug in the command, so it raises."""

    __slots__ = ("_client", "_pane", "_session", "_window", "kind")

    def __init__(self, kind: str, session: Session | None = None, window: Window | None = None,
                 pane: Pane | None = None, client: Client | None = None) -> None:
        self.kind = kind
        self._session = session
        self._window = window
        self._pane = pane
        self._client = client

    def _part(self, value: T | None, name: str) -> T:
        if value is None:
            raise LookupError(f"a {self.kind} target has no {name} (check the command's spec)")
        return value

    @property
    def session(self) -> Session:
        """The target's session."""
        return self._part(self._session, "session")

    @property
    def window(self) -> Window:
        """The target's window (pane and window targets)."""
        return self._part(self._window, "window")

    @property
    def pane(self) -> Pane:
        """The target's pane (pane targets)."""
        return self._part(self._pane, "pane")

    @property
    def client(self) -> Client:
        """The target's client (client targets)."""
        client = self._client  # (not _part: its T would join the union's two kinds)
        if client is None:
            raise LookupError(f"a {self.kind} target has no client (check the command's spec)")
        return client


NO_TARGET = Target("none")
"""What ``ctx.target`` is for a command whose spec names no target kind."""


class Current:
    """What "current" means for one request."""

    def __init__(self, registry: Registry, client_pane: str | None = None,
                 mouse: MouseEvent | None = None) -> None:
        self.registry = registry
        self.client_pane = client_pane
        self.mouse = mouse
        """The mouse event of the key whose commands run, if any (``-t =``)."""

    def mouse_target(self) -> tuple[Session, Window, Pane]:
        """``=`` / ``{mouse}``: the pane under the mouse, else the active pane of the
        mouse's window, else ``no mouse target``."""
        from .mouse_target import mouse_pane, mouse_window

        found = mouse_pane(self.registry, self.mouse)
        if found is not None:
            return found
        place = mouse_window(self.registry, self.mouse)
        if place is None:
            raise CommandError("no mouse target")
        return place[0], place[1], place[1].active

    def pane_triple(self) -> tuple[Session, Window, Pane] | None:
        """The client's own pane, if it runs inside this server."""
        if self.client_pane and self.client_pane.startswith("%"):
            try:
                found = self.registry.find_pane(int(self.client_pane[1:]))
            except ValueError:
                return None
            return found
        return None

    def session(self) -> Session:
        """The current session, or ``no current session``."""
        triple = self.pane_triple()
        if triple:
            return triple[0]
        session = self.registry.most_recent_session()
        if session is None:
            raise CommandError("no current session")
        return session

    def window(self, session: Session) -> Window:
        """The current window of ``session`` (the client's own when inside it)."""
        triple = self.pane_triple()
        if triple and triple[0] is session:
            return triple[1]
        return session.current

    def pane(self, window: Window) -> Pane:
        """The active pane of ``window`` (the client's own when inside it)."""
        triple = self.pane_triple()
        if triple and triple[1] is window:
            return triple[2]
        return window.active


def _match(name: str, candidates: list[T], key: Callable[[T], str]) -> T | None:
    exact = [c for c in candidates if key(c) == name]
    if exact:
        return exact[0]
    prefixed = [c for c in candidates if key(c).startswith(name)]
    if len(prefixed) == 1:
        return prefixed[0]
    if len(prefixed) > 1:
        return None
    pattern = [c for c in candidates if fnmatch.fnmatchcase(key(c), name)]
    return pattern[0] if len(pattern) == 1 else None


def _by_id(text: str, lookup: Callable[[int], T | None], kind: str) -> T:
    """``$N`` / ``@N`` / ``%N`` through ``lookup``, or ``can't find KIND: TEXT``."""
    number = text[1:]
    found = lookup(int(number)) if number.isdigit() else None
    if found is None:
        raise CommandError(f"can't find {kind}: {text}")
    return found


def _best_pane(registry: Registry, pane_id: int) -> tuple[Session, Window, Pane] | None:
    """Pane ``%N`` in the place of its window tmux picks (see ``winlinks.best_place``)."""
    found = registry.find_pane(pane_id)
    if found is None:
        return None
    place = best_place(registry, found[1].id)
    return (place[0], place[1], found[2]) if place else found


def find_session(current: Current, text: str | None) -> Session:
    """Resolve a target-session."""
    if not text:
        return current.session()
    if text in MOUSE_TARGETS:
        return current.mouse_target()[0]
    registry = current.registry
    if text.startswith("%") or text.startswith("@"):
        return find_pane(current, text)[0] if text.startswith("%") else \
            find_window(current, text)[0]
    if (":" in text and text.split(":", 1)[1]) or (":" not in text and "." in text):
        # tmux resolves (and checks) a window part too ("window.pane" without a colon)
        return find_window(current, text)[0]
    if ":" in text:
        text = text.split(":", 1)[0]
        if not text:
            return current.session()
    if text.startswith("$"):
        return _by_id(text, registry.sessions.get, "session")
    if text.startswith("="):
        text = text[1:]  # tmux's error names the session without the "="
        found = registry.session_by_name(text)
    else:
        found = _match(text, registry.ordered_sessions(), lambda s: s.name)
    if found is None:
        raise CommandError(f"can't find session: {text}")
    return found


def _find_window_in(current: Current, session: Session, text: str) -> Window:
    windows = session.ordered_windows()
    if not text:
        return current.window(session)
    if text.startswith("@"):
        for window in windows:
            if f"@{window.id}" == text:
                return window
        raise CommandError(f"can't find window: {text}")
    if text[:1] in ("+", "-"):  # an offset from the current window, wrapping (tmux: a
        digits = text[1:]      # bad number moves nowhere)
        count = int(digits) if digits.isdigit() and digits.isascii() else (
            1 if not digits else 0)
        position = windows.index(session.current)
        step = count if text[0] == "+" else -count
        return windows[(position + step) % len(windows)]
    if text in ("!", "{last}"):
        if session.last_index is None or session.last_index not in session.windows:
            raise CommandError("no last window")
        return session.windows[session.last_index]
    if text in ("^", "{start}"):
        return windows[0]
    if text in ("$", "{end}"):
        return windows[-1]
    name = text.removeprefix("=")  # tmux's errors name it without the "="
    if text.lstrip("-").isdigit() or (text.startswith("=") and text[1:].isdigit()):
        found = session.windows.get(int(text.lstrip("=")))
        if found is None:
            raise CommandError(f"can't find window: {name}")
        return found
    if text.startswith("="):
        exact = [w for w in windows if w.display_name() == name]
        found = exact[0] if exact else None
    else:
        found = _match(name, windows, lambda w: w.display_name())
    if found is None:
        raise CommandError(f"can't find window: {name}")
    return found


def find_window(current: Current, text: str | None) -> tuple[Session, Window]:
    """Resolve a target-window."""
    registry = current.registry
    if not text:
        session = current.session()
        return session, current.window(session)
    if text in MOUSE_TARGETS:
        return current.mouse_target()[:2]
    if text.startswith("%"):
        session, window, _ = find_pane(current, text)
        return session, window
    if text.startswith("@") and "." not in text:
        return _by_id(text, lambda number: best_place(registry, number), "window")
    if ":" in text:
        session_text, window_text = text.split(":", 1)
        session = find_session(current, session_text) if session_text else current.session()
        pane_text = ""
        if not window_text.startswith("@") and "." in window_text:
            window_text, pane_text = window_text.split(".", 1)
        window = _find_window_in(current, session, window_text)
        if pane_text:  # tmux resolves a pane part too: a missing pane is an error
            _find_pane_in(current, window, pane_text)
        return session, window
    # No colon: a session name first (tmux), else a window of the current session.
    session_name, _, pane_text = text.partition(".")
    try:
        session = find_session(current, session_name)
        window = current.window(session)
    except CommandError:
        session = current.session()
        try:
            window = _find_window_in(current, session, session_name)
        except CommandError:
            raise CommandError(f"can't find window: {session_name.removeprefix('=')}"
                               ) from None
    if pane_text:
        _find_pane_in(current, window, pane_text)
    return session, window


def _find_pane_in(current: Current, window: Window, text: str) -> Pane:
    panes = window.ordered_panes()
    if not text:
        return current.pane(window)
    if text.startswith("%"):
        for pane in panes:
            if f"%{pane.id}" == text:
                return pane
        raise CommandError(f"can't find pane: {text}")
    if text in ("+", "-", "{next}", "{previous}"):
        position = panes.index(window.active)
        step = 1 if text in ("+", "{next}") else -1
        return panes[(position + step) % len(panes)]
    if text in ("!", "{last}"):
        if window.last_pane is None or window.last_pane not in window.panes:
            raise CommandError("no last pane")
        return window.panes[window.last_pane]
    if text.isdigit():
        index = int(text) - window.pane_base_index
        if 0 <= index < len(panes):
            return panes[index]
    raise CommandError(f"can't find pane: {text}")


def find_pane(current: Current, text: str | None) -> tuple[Session, Window, Pane]:
    """Resolve a target-pane."""
    registry = current.registry
    if not text:
        session = current.session()
        window = current.window(session)
        return session, window, current.pane(window)
    if text in MOUSE_TARGETS:
        return current.mouse_target()
    if text.startswith("%"):
        return _by_id(text, lambda number: _best_pane(registry, number), "pane")
    if ":" in text:
        session_text, rest = text.split(":", 1)
        session = find_session(current, session_text) if session_text else current.session()
        window_text, _, pane_text = rest.rpartition(".") if "." in rest else (rest, "", "")
        window = _find_window_in(current, session, window_text)
        return session, window, _find_pane_in(current, window, pane_text)
    if text.startswith("@"):
        window_text, _, pane_text = text.partition(".")
        session, window = find_window(current, window_text)
        return session, window, _find_pane_in(current, window, pane_text)
    # No colon: as tmux, a pane of the current window first (``0``, ``+``, ``!``), then a
    # session, else W.P.
    if "." not in text:
        try:
            session = current.session()
            window = current.window(session)
            return session, window, _find_pane_in(current, window, text)
        except CommandError:
            pass
    head, _, pane_text = text.partition(".")
    try:
        session = find_session(current, head)
        window = current.window(session)
        return session, window, _find_pane_in(current, window, pane_text)
    except CommandError:
        pass
    session = current.session()
    if "." in text:
        window = _find_window_in(current, session, head)
        return session, window, _find_pane_in(current, window, pane_text)
    window = current.window(session)
    try:
        return session, window, _find_pane_in(current, window, text)
    except CommandError:
        raise CommandError(f"can't find pane: {text}") from None


def resolve(current: Current, kind: str, text: str | None) -> Target:
    """Resolve ``text`` as a pane, window or session target (``kind``, see
    :data:`~aisession_tui.server.commands.spec.PANE`)."""
    if kind == "pane":
        return Target(kind, *find_pane(current, text))
    if kind == "window":
        return Target(kind, *find_window(current, text))
    if kind == "session":
        return Target(kind, find_session(current, text))
    raise ValueError(f"not a model target kind: {kind}")
