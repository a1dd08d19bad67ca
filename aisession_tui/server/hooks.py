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
"""

from __future__ import annotations

import contextvars
import logging
from typing import TYPE_CHECKING, Any

from .commands.spec import CommandError
from .events import EventBus, ModelChanged, PaneExited

if TYPE_CHECKING:
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
    "client-session-changed": "client-session-changed", "activity": "alert-activity",
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
        events.subscribe(ModelChanged, self._changed)

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
             pane: Pane | None = None) -> None:
        """Run hook ``name`` for this target in the background (if it is set)."""
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

        in_background(self._run(name, texts, session, window, pane))

    async def _run(self, name: str, texts: list[str], session: Session | None,
                   window: Window | None, pane: Pane | None) -> None:
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
                                 client_pane=f"%{pane.id}" if live and pane else None)
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

    def _changed(self, event: ModelChanged) -> None:
        what = "pane-dead" if isinstance(event, PaneExited) and event.remains else event.what
        subject = event.subject
        hook = EVENT_HOOKS.get(what)
        if hook is None:
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
                self.fire("window-linked", session, linked, None)
        self.fire(hook, session, window, pane)

