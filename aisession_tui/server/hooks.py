"""Hooks (tmux's ``notify.c`` and ``cmdq_insert_hook``): commands run when an event
happens or after a command ran.

Hooks are array options of the command type (``after-new-window[0]``...) kept in the
options store, set with ``set-hook`` and shown with ``show-hooks``; their values are kept
as tmux prints a command list (:func:`normalise`). A hook is looked up as tmux 3.3a does:
in the session's options (then the global session options), else the pane's, else the
window's.

Events come from the server's typed model events (:mod:`aisession_tui.server.events`:
:class:`~aisession_tui.server.events.ModelChanged` and its subclasses, whose ``what`` is
``session-created``, ``window-add``...; :data:`EVENT_HOOKS` maps them to tmux's hook
names) and from
:meth:`HookRunner.after_command`, which the server calls after every command that
succeeded (``after-<command>``). A hook runs as a background task with the event's
target as current (its active pane), so a hook that hangs or fails never blocks the
server; commands a hook runs fire no hooks themselves (no loops).

A hook's commands see tmux's ``#{hook}`` (the hook's name) and, for the objects the event
names, ``#{hook_session}``/``#{hook_session_name}``, ``#{hook_window}``/
``#{hook_window_name}``, ``#{hook_pane}`` and ``#{hook_client}`` (:func:`hook_formats`);
``after-*`` hooks get ``#{hook}`` only, as in tmux 3.3a. ``session-window-changed`` and
``window-pane-changed`` fire when a session's current window or a window's active pane
differs from the one last seen, checked after every command and model change (so
``new-window``, killing the current window, a split, a click or a pane's exit count, as in
tmux, and re-selecting the current one does not).
"""

from __future__ import annotations

import contextvars
import logging
from typing import TYPE_CHECKING, Any

from .commands.spec import CommandError
from .events import ClientEvent, ClientResized, EventBus, ModelChanged, PaneExited

if TYPE_CHECKING:
    from .clients import AttachedClient
    from .pane import Pane
    from .registry import Session, Window
    from .services import Services

log = logging.getLogger(__name__)

EVENT_HOOKS = {
    "session-created": "session-created", "session-closed": "session-closed",
    "session-renamed": "session-renamed", "window-add": "window-linked",
    "window-close": "window-unlinked", "window-renamed": "window-renamed",
    "layout": "window-layout-changed", "pane-exit": "pane-exited", "pane-dead": "pane-died",
    "client-attached": "client-attached", "client-detached": "client-detached",
    "client-session-changed": "client-session-changed", "activity": "alert-activity", "bell": "alert-bell",
    "silence": "alert-silence", "pane-set-clipboard": "pane-set-clipboard",
    "pane-focus-in": "pane-focus-in", "pane-focus-out": "pane-focus-out",
    "pane-mode-changed": "pane-mode-changed",
}
"""Registry notification -> tmux hook name."""

_in_hook: contextvars.ContextVar[bool] = contextvars.ContextVar("in_hook", default=False)


def print_command(argv: list[str] | tuple[str, ...]) -> str:
    """One command as tmux's ``cmd_print``: full name, flags without a value grouped and
    sorted, flags with values sorted, then the arguments, each quoted."""
    from .commands import find
    from .commands.spec import parse_args
    from .options import escape_value

    spec = find(argv[0])
    args = parse_args(spec, list(argv[1:]))
    table = spec._flag_table()
    words = [spec.name]
    plain = sorted(flag for flag in args.flags if len(flag) == 1 and not table.get(flag))
    if plain:
        words.append("-" + "".join(plain))
    for flag in sorted(flag for flag in args.flags if len(flag) == 1 and table.get(flag)):
        for value in args.all(flag):
            words.extend((f"-{flag}", escape_value(value)))
    words.extend(escape_value(word) for word in args.positional)
    return " ".join(words)


def normalise(context: Any, text: str) -> str:
    """A hook's command text checked and printed as tmux prints it; raises
    :class:`CommandError` with the parse error."""
    from .command_lists import parse_text
    from .commands import UnknownCommand
    from .commands.spec import UsageError

    parsed = parse_text(context, text)
    if parsed.error is not None:
        raise CommandError(parsed.error.message)
    printed = []
    for command in parsed.commands:
        try:
            printed.append(print_command(command.argv))
        except UnknownCommand as exc:
            raise CommandError(str(exc)) from None
        except UsageError as exc:
            raise CommandError(exc.message) from None
    return " ; ".join(printed)


class HookRunner:
    """Runs hooks for the server's events (see the module docstring)."""

    def __init__(self, services: Services, events: EventBus) -> None:
        self.services = services
        """Hooks run commands, which may use every service."""
        self.active_panes: dict[int, int] = {}
        """Window id -> the active pane id last seen (for ``window-pane-changed``)."""
        self.window_names: dict[int, str] = {}
        """Window id -> its name last seen (a closed window's panes are gone, and with
        them its automatic name; tmux still names it)."""
        self.current_windows: dict[int, int] = {}
        """Session id -> its current window's id last seen (``session-window-changed``)."""
        events.subscribe(ModelChanged, self._changed)
        events.subscribe(ClientResized, self._client_resized)

    # ----------------------------------------------------------- lookups
    def commands_for(self, name: str, session: Session | None, window: Window | None,
                     pane: Pane | None) -> list[str]:
        """The hook's command texts in index order, found as tmux finds them."""
        options = self.services.engine.options
        chains: list[tuple[str | None, ...]] = [
            (f"${session.id}",) if session is not None else (None,)]
        if pane is not None and window is not None:
            chains.append((f"%{pane.id}", f"@{window.id}"))
        if window is not None:
            chains.append((f"@{window.id}",))
        for chain in chains:
            value = options.lookup(name, *chain)
            if isinstance(value, dict) and value:
                return [value[index] for index in sorted(value)]
        return []

    # ----------------------------------------------------------- firing
    def fire(self, name: str, session: Session | None = None, window: Window | None = None,
             pane: Pane | None = None, formats: dict[str, str] | None = None) -> None:
        """Run hook ``name`` for this target in the background (if it is set); its
        commands see ``formats`` (default: ``#{hook}`` only)."""
        if _in_hook.get():
            return
        try:
            texts = self.commands_for(name, session, window, pane)
        except Exception:  # a broken lookup must not break the event
            log.exception("hook lookup failed: %s", name)
            return
        if not texts:
            return
        from .shell_jobs import in_background

        in_background(self._run(name, texts, session, window, pane,
                                formats if formats is not None else {"hook": name}))

    async def _run(self, name: str, texts: list[str], session: Session | None,
                   window: Window | None, pane: Pane | None,
                   formats: dict[str, str]) -> None:
        from .command_lists import parse_text, run_commands
        from .context import RequestContext
        from .dispatch import run_argv

        _in_hook.set(True)  # this task's context only
        if pane is None and window is not None:
            pane = window.panes.get(window.active_pane)
        if pane is None and session is not None and session.windows:
            pane = session.current.panes.get(session.current.active_pane)
        live = pane is not None and self.services.engine.registry.find_pane(pane.id)
        context = RequestContext(services=self.services,
                                 cwd=session.cwd if session is not None else "/",
                                 client_pane=f"%{pane.id}" if live and pane else None,
                                 formats=formats)
        for text in texts:
            parsed = parse_text(context, text)
            if parsed.error is not None:
                log.warning("hook %s: %s", name, parsed.error.message)
                continue
            result = await run_commands(run_argv, context, parsed.commands)
            if result.exit_code:
                log.info("hook %s failed: %s", name, result.stderr.strip())

    def after_command(self, context: Any, command_name: str, target: str | None) -> None:
        """``after-<command>`` for a command that succeeded, with its target as current."""
        if _in_hook.get():
            return
        hook = f"after-{command_name}"
        from .option_table import BY_NAME

        self._check_active_panes()
        if hook not in BY_NAME:
            return
        try:
            session, window, pane = context.find_pane(target)
        except CommandError:
            try:
                session, window, pane = context.find_pane(None)
            except CommandError:
                session = window = pane = None
        self.fire(hook, session, window, pane)

    def _check_active_panes(self) -> None:
        """Fire ``session-window-changed`` for each session whose current window changed
        and ``window-pane-changed`` for each window whose active pane changed."""
        seen, self.active_panes = self.active_panes, {}
        seen_current, self.current_windows = self.current_windows, {}
        self.window_names = {}
        # A window's automatic name costs a /proc read: take names only while a hook
        # that may need a closed window's name is set.
        naming = self._any_set("window-unlinked")
        for session in list(self.services.engine.registry.sessions.values()):
            if session.current_index in session.windows:
                current = self.current_windows[session.id] = session.current.id
                before = seen_current.get(session.id)
                if before is not None and before != current:
                    self.fire("session-window-changed", session, None, None,
                              hook_formats("session-window-changed", session=session))
            for window in session.ordered_windows():
                if naming:
                    self.window_names[window.id] = window.display_name()
                self.active_panes[window.id] = window.active_pane
                before = seen.get(window.id)
                if before is not None and before != window.active_pane:
                    self.fire("window-pane-changed", window.session, window, None,
                              hook_formats("window-pane-changed", window=window))

    def _any_set(self, name: str) -> bool:
        """Whether hook ``name`` is set in any options table."""
        return any(table.get(name) for table in self.services.engine.options.tables.values())

    def _client_resized(self, event: ClientResized) -> None:
        self.fire("client-resized", event.session, None, None,
                  hook_formats("client-resized", session=event.session, client=event.client))

    def _changed(self, event: ModelChanged) -> None:
        try:
            self._hook_for(event)
        finally:
            self._check_active_panes()

    def _hook_for(self, event: ModelChanged) -> None:
        what = "pane-dead" if isinstance(event, PaneExited) and event.remains else event.what
        subject = event.subject
        hook = EVENT_HOOKS.get(what)
        if hook is None or not getattr(event, "hook", True):
            return
        from .pane import Pane
        from .registry import Session, Window

        session: Session | None = None
        window: Window | None = None
        pane: Pane | None = None
        if isinstance(subject, Session):
            session = subject
        elif isinstance(subject, Window):
            window, session = subject, subject.session
        elif isinstance(subject, Pane):
            pane = subject
            found = self.services.engine.registry.find_pane(subject.id)
            if found is not None:
                session, window, _ = found
        if hook == "session-closed":
            session = None  # gone: the global hooks apply
        if hook == "session-created" and session is not None:
            for linked in session.ordered_windows():  # its first window was linked too
                self.fire("window-linked", session, linked, None,
                          hook_formats("window-linked", session=session, window=linked))
        if isinstance(event, ClientEvent):
            formats = hook_formats(hook, session=event.session, client=event.client)
        elif isinstance(subject, Session):
            formats = hook_formats(hook, session=subject)
        elif isinstance(subject, Window):
            linked_to = subject.session if hook in ("window-linked", "window-unlinked") else None
            formats = hook_formats(hook, session=linked_to, window=subject)
            if not subject.panes:
                formats["hook_window_name"] = self.window_names.get(subject.id, subject.name)
        elif isinstance(subject, Pane):
            formats = hook_formats(hook, pane=subject)
        else:
            formats = {"hook": hook}
        self.fire(hook, session, window, pane, formats)


def hook_formats(name: str, *, session: Session | None = None, window: Window | None = None,
                 pane: Pane | None = None, client: AttachedClient | None = None
                 ) -> dict[str, str]:
    """The ``#{hook*}`` variables of hook ``name`` for the objects its event names (those it
    does not name are empty, as tmux leaves them)."""
    formats = {"hook": name}
    if session is not None:
        formats["hook_session"] = f"${session.id}"
        formats["hook_session_name"] = session.name
    if window is not None:
        formats["hook_window"] = f"@{window.id}"
        formats["hook_window_name"] = window.display_name()
    if pane is not None:
        formats["hook_pane"] = f"%{pane.id}"
    if client is not None:
        from .client_formats import client_name

        formats["hook_client"] = client_name(client)
    return formats

