"""Typed server events and the small synchronous bus that carries them.

Every change other parts of the server (and hooks, control mode, MCP notifications, the
UI panels) react to is published here, at the point where it happens: the engine and the
registry publish model changes, panes' output and exits, finished commands; the record
keeper publishes processed records; the AI layer published notes; the attention watch
publishes attention changes; the client hub
publishes attaches, detaches, resizes and session switches.

Subscribe by event type; a subscriber of a base class hears every subclass::

    from aisession_tui.server import events

    def on_window(event: events.WindowCreated) -> None:
        print(event.window.id)

    services.events.subscribe(events.WindowCreated, on_window)
    services.events.subscribe(events.ModelChanged, lambda e: print(e.what, e.subject))
    services.events.unsubscribe(events.WindowCreated, on_window)

Invariants:
* delivery is synchronous, in subscription order, on the publisher's thread (the event
  loop): when ``publish`` returns every subscriber has run; a subscriber that needs to do
  slow work schedules it itself;
* a subscriber that raises is logged and skipped, never breaks the publisher or the
  subscribers after it;
* subscribing or unsubscribing during a publish takes effect at the next publish;
* events are frozen, dataclass-like (:class:`Event`: fields from annotations, a keyword or
  positional ``__init__``, ``__repr__``, ``__match_args__``, identity equality, assignment
  raises ``FrozenInstanceError``); the objects they name (sessions, windows, panes) are the
  live model objects, read them at once.

:class:`Event` builds its subclasses' ``__init__`` itself, one per distinct field list
(13 for the 33 events), instead of ``@dataclass(frozen=True)`` on each: the decorator
generated and compiled four methods a class, ~10 ms of the server's start-up (issue 17).
Type checkers see the same classes through ``dataclass_transform``.

The :class:`ModelChanged` family carries the old ``what`` string (``"layout"``,
``"window-add"``, ...) so subscribers that treat every structural change alike (the
client hub, control mode) keep one handler.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, dataclass_transform

if TYPE_CHECKING:
    from ..ai.context import Message
    from .clients import AttachedClient
    from .pane import Pane
    from .records import ProcessedRecord
    from .registry import Session, Window
    from .shell_integration import CommandRecord

log = logging.getLogger(__name__)


_INITS: dict[tuple[tuple[str, ...], tuple[object, ...]], Callable[..., None]] = {}
"""The ``__init__`` made for each field list (names, then the trailing defaults)."""


def _make_init(names: tuple[str, ...], defaults: tuple[object, ...]) -> Callable[..., None]:
    """An ``__init__`` taking ``names`` (the last ``len(defaults)`` optional) positionally
    or by keyword, as a dataclass's does, setting them past the frozen ``__setattr__``."""
    key = (names, defaults)
    init = _INITS.get(key)
    if init is None:
        required = len(names) - len(defaults)
        params = ", ".join(["self", *names[:required],
                            *(f"{name}=_d{index}" for index, name in
                              enumerate(names[required:]))])
        body = "".join(f"    _set(self, {name!r}, {name})\n" for name in names) or "    pass\n"
        namespace: dict[str, Any] = {"_set": object.__setattr__,
                                     **{f"_d{index}": value
                                        for index, value in enumerate(defaults)}}
        exec(f"def __init__({params}) -> None:\n{body}", namespace)  # noqa: S102
        init = _INITS[key] = namespace["__init__"]
    return init


@dataclass_transform(eq_default=False, frozen_default=True)
class Event:
    """Base of every event: a frozen, dataclass-like class whose fields are its (and its
    bases') annotations other than ``ClassVar``; a field with a class-level value is
    optional, that value its default. Equality is identity (``eq=False``)."""

    __match_args__: ClassVar[tuple[str, ...]] = ()
    _fields: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        names: list[str] = []
        for klass in reversed(cls.__mro__):
            for name, annotation in vars(klass).get("__annotations__", {}).items():
                if not str(annotation).startswith("ClassVar") and name not in names:
                    names.append(name)
        defaults: list[object] = []
        for name in names:
            if hasattr(cls, name):
                defaults.append(getattr(cls, name))
            elif defaults:
                raise TypeError(f"{cls.__name__}: field {name!r} without a default "
                                f"follows one with a default")
        cls._fields = tuple(names)
        cls.__match_args__ = cls._fields  # type: ignore[misc]  # (dataclass_transform guards it)
        cls.__init__ = _make_init(tuple(names), tuple(defaults))  # type: ignore[method-assign]

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__qualname__}({fields})"

    def __setattr__(self, name: str, value: object) -> None:
        from dataclasses import FrozenInstanceError

        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        from dataclasses import FrozenInstanceError

        raise FrozenInstanceError(f"cannot delete field {name!r}")


# ------------------------------------------------------------------ model changes
class ModelChanged(Event):
    """The sessions/windows/panes structure changed; ``what`` names the change."""

    what: ClassVar[str] = "changed"

    @property
    def subject(self) -> object:
        """The session, window or pane that changed (None: the whole server)."""
        return None


class SessionCreated(ModelChanged):
    """A session was created (``new-session``)."""

    what: ClassVar[str] = "session-created"
    session: Session

    @property
    def subject(self) -> object:
        return self.session


class SessionClosed(ModelChanged):
    """A session is gone (its last window closed, or ``kill-session``)."""

    what: ClassVar[str] = "session-closed"
    session: Session

    @property
    def subject(self) -> object:
        return self.session


class SessionRenamed(ModelChanged):
    """A session got a new name (``rename-session``)."""

    what: ClassVar[str] = "session-renamed"
    session: Session

    @property
    def subject(self) -> object:
        return self.session


class SessionWindowChanged(ModelChanged):
    """A session's current window changed (``select-window``, ``last-window`` ...)."""

    what: ClassVar[str] = "session-window-changed"
    session: Session

    @property
    def subject(self) -> object:
        return self.session


class WindowCreated(ModelChanged):
    """A window was added to a session (``new-window``, ``break-pane``, a link)."""

    what: ClassVar[str] = "window-add"
    window: Window

    @property
    def subject(self) -> object:
        return self.window


class WindowClosed(ModelChanged):
    """A window left its session for good (its last pane closed, ``kill-window``)."""

    what: ClassVar[str] = "window-close"
    window: Window

    @property
    def subject(self) -> object:
        return self.window


class WindowRenamed(ModelChanged):
    """A window got a new name (``rename-window``)."""

    what: ClassVar[str] = "window-renamed"
    window: Window

    @property
    def subject(self) -> object:
        return self.window


class WindowsMoved(ModelChanged):
    """Windows changed index or session (``move-window``, ``swap-window``, renumbering);
    ``owner`` is the session (or the window) whose list changed."""

    what: ClassVar[str] = "window-moved"
    owner: Session | Window

    @property
    def subject(self) -> object:
        return self.owner


class WindowLayoutChanged(ModelChanged):
    """A window's layout, pane set, sizes or active pane changed."""

    what: ClassVar[str] = "layout"
    window: Window

    @property
    def subject(self) -> object:
        return self.window


class WindowActivity(ModelChanged):
    """A watched window had output (``monitor-activity``): its activity flag is set."""

    what: ClassVar[str] = "activity"
    window: Window

    @property
    def subject(self) -> object:
        return self.window


class PaneSetClipboard(ModelChanged):
    """A pane's program set the clipboard with OSC 52 (``set-clipboard on``): a paste
    buffer was added."""

    what: ClassVar[str] = "pane-set-clipboard"
    pane: Pane

    @property
    def subject(self) -> object:
        return self.pane


class PaneFocusIn(ModelChanged):
    """A pane gained focus (its window's active pane, shown by a client)."""

    what: ClassVar[str] = "pane-focus-in"
    pane: Pane

    @property
    def subject(self) -> object:
        return self.pane


class PaneFocusOut(ModelChanged):
    """A pane lost focus."""

    what: ClassVar[str] = "pane-focus-out"
    pane: Pane

    @property
    def subject(self) -> object:
        return self.pane


class WindowSilence(ModelChanged):
    """A window that ``monitor-silence`` watches had no output for that many seconds."""

    what: ClassVar[str] = "silence"
    window: Window
    hook: bool = True
    """Whether ``alert-silence`` runs (``silence-action`` applies to the window); else
    only the status lines redraw."""

    @property
    def subject(self) -> object:
        return self.window


class WindowBell(ModelChanged):
    """A child rang the bell in a window that ``monitor-bell`` watches (its bell flag is
    set unless it is the current window)."""

    what: ClassVar[str] = "bell"
    window: Window

    @property
    def subject(self) -> object:
        return self.window


class SelectionChanged(ModelChanged):
    """A client selected a window or pane of ``session`` (a click, ``switch-client``)."""

    what: ClassVar[str] = "select"
    session: Session

    @property
    def subject(self) -> object:
        return self.session


class PaneExited(ModelChanged):
    """A pane's child exited. ``remains`` is True when the pane stays, dead
    (``remain-on-exit``); else the pane was taken out of its window (unless it was the
    window's last pane: then :class:`WindowClosed` is the news and this is not sent)."""

    what: ClassVar[str] = "pane-exit"
    pane: Pane
    remains: bool = False

    @property
    def subject(self) -> object:
        return self.pane


class PaneModeChanged(ModelChanged):
    """A pane entered or left a mode (copy mode, clock mode, a chooser: ``pane_modes``)."""

    what: ClassVar[str] = "pane-mode-changed"
    pane: Pane

    @property
    def subject(self) -> object:
        return self.pane


class OptionsChanged(ModelChanged):
    """An option was set or unset; ``name`` is the option."""

    what: ClassVar[str] = "options"
    name: str = ""


# ------------------------------------------------------------------ clients
class ClientEvent(Event):
    """Something happened to an attached client (``client`` is the hub's object)."""

    client: AttachedClient
    session: Session

    @property
    def subject(self) -> object:
        """The session concerned."""
        return self.session


class ClientAttached(ClientEvent, ModelChanged):
    """A client attached to ``session``."""

    what: ClassVar[str] = "client-attached"


class ClientResized(ClientEvent):
    """A client's pane area changed size (``session`` is the one it shows)."""


class ClientDetached(ClientEvent, ModelChanged):
    """A client left ``session`` (detach, disconnect, session closed)."""

    what: ClassVar[str] = "client-detached"


class ClientSessionChanged(ClientEvent, ModelChanged):
    """A client switched from ``session`` (the previous one) to another
    (``switch-client``); the client's ``session`` is the new one."""

    what: ClassVar[str] = "client-session-changed"


# ------------------------------------------------------------------ panes and commands
class PaneCreated(Event):
    """A pane got a child: new session/window, split, respawn (same id, new child)."""

    session: Session
    window: Window
    pane: Pane


class PaneOutput(Event):
    """A pane's child wrote output; the emulator has already taken it in."""

    pane: Pane


class CommandFinished(Event):
    """A shell in ``pane`` reported a command finished (OSC 133 D), before processing."""

    session: Session
    pane: Pane
    record: CommandRecord


class CommandRecorded(Event):
    """A finished command was processed (rendered, redacted, parsed) and stored; sent in
    the order the commands finished."""

    processed: ProcessedRecord


class NoteAdded(Event):
    """A note (``context add``) is in the pane's context."""

    pane_id: int
    session_name: str
    message: Message


class AttentionChanged(Event):
    """A pane's attention state changed (``running``, ``waiting``, ``idle``, ``error``,
    ``done``: :mod:`aisession_tui.ai.attention`), seen by the attention watch
    (:mod:`aisession_tui.server.attention_watch`). ``prompt`` holds the last lines of
    the screen when the new state is ``waiting``."""

    session: Session
    window: Window
    pane: Pane
    previous: str
    state: str
    prompt: str = ""


class ServerEmpty(Event):
    """The last session is gone."""


_MODEL_EVENTS: dict[str, type[ModelChanged]] = {}


def model_event(what: str, subject: object) -> ModelChanged:
    """The typed event for a ``Registry.notify(what, subject)`` call."""
    if not _MODEL_EVENTS:
        kinds: tuple[type[ModelChanged], ...] = (
            SessionCreated, SessionClosed, SessionRenamed, SessionWindowChanged, WindowCreated,
            WindowClosed, WindowRenamed, WindowsMoved, WindowLayoutChanged, WindowActivity,
            WindowBell, WindowSilence, PaneSetClipboard, SelectionChanged, PaneModeChanged)
        for each in kinds:
            _MODEL_EVENTS[each.what] = each
    if what in ("pane-exit", "pane-dead"):
        return PaneExited(subject, remains=what == "pane-dead")  # type: ignore[arg-type]
    if what == "options":
        return OptionsChanged(str(subject or ""))
    kind = _MODEL_EVENTS.get(what)
    if kind is None:  # a change nobody gave a type yet: add one above
        log.warning("untyped model change %r", what)
        return ModelChanged()
    return kind(subject)  # type: ignore[call-arg]  # each subclass takes its one subject


E = TypeVar("E", bound=Event)


class EventBus:
    """Synchronous typed publish/subscribe (see the module docstring)."""

    def __init__(self) -> None:
        self._subscribers: dict[type[Event], list[Callable[[Any], None]]] = {}
        self._routes: dict[type[Event], list[Callable[[Any], None]]] = {}

    def subscribe(self, kind: type[E], callback: Callable[[E], None]) -> None:
        """Call ``callback`` with every published event of ``kind`` (or a subclass)."""
        self._subscribers.setdefault(kind, []).append(callback)
        self._routes.clear()

    def unsubscribe(self, kind: type[E], callback: Callable[[E], None]) -> None:
        """Stop calling ``callback`` for ``kind`` (no error if it was not subscribed)."""
        callbacks = self._subscribers.get(kind)
        if callbacks and callback in callbacks:
            callbacks.remove(callback)
            self._routes.clear()

    def publish(self, event: Event) -> None:
        """Deliver ``event`` to its subscribers, most general type last."""
        kind = type(event)
        route = self._routes.get(kind)
        if route is None:
            route = [callback for base in kind.__mro__
                     for callback in self._subscribers.get(base, ())]
            self._routes[kind] = route
        for callback in route:
            try:
                callback(event)
            except Exception:  # a subscriber's bug must not break the publisher
                log.exception("an event subscriber failed on %s", kind.__name__)
