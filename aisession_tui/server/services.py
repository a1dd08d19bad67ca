"""The server's composition root: every service, built and wired in one place.

:func:`build_services` is the only code that knows which service needs which; each
service's constructor takes just what it uses (other services, the event bus), and no
service imports the daemon. The daemon builds one :class:`Services` at start-up, routes
requests to its services and hands it to every command through the command context
(``ctx.services``).

Build order is dependency order, and it is also the order subscribers hear events in:
the record keeper before the AI layer (which reads processed records), the AI layer
before the panel feed (which pushes the AI layer's contexts), the client hub, then hooks,
then control mode (as the daemon installed them before).

Invariants: exactly one instance of each service per server; services are built before
the event loop runs (constructors schedule nothing), and the store is opened later, when
the daemon starts serving (:class:`~aisession_tui.server.store_handle.StoreHandle`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .access import ServerAccess
from .ai_layer import AiLayer
from .alerts import AlertWatch
from .attention_watch import AttentionWatch
from .bus_service import BusService
from .client_formats import all_clients
from .clients import ClientHub
from .config_causes import ConfigCauses
from .control import ControlHub
from .engine import Engine
from .events import AttentionChanged, EventBus
from .focus import FocusWatch
from .format_jobs import JobRunner
from .hooks import HookRunner
from .job_table import JobTable
from .jobs import Jobs
from .key_push import KeyPush
from .key_tables import KeyTables, default_key_tables
from .lifetime import Lifetime
from .message_log import MessageLog
from .option_effects import AutomaticNamer
from .pane import Pane
from .pane_requests import PaneRequests
from .panel_feed import PanelFeed
from .paste_buffers import PasteBuffers
from .persist import Persister
from .popups import Popups
from .prompt_history import PromptHistory
from .prompt_waits import PromptWaits
from .records import RecordKeeper
from .request_probe import RequestProbe
from .store_handle import StoreHandle
from .wait_channels import WaitChannels


class Services:
    """Every service of one server (attributes are set once, by :func:`build_services`)."""

    socket_path: Path
    access: ServerAccess
    """Who may connect, and who only reads (``server-access``)."""
    events: EventBus
    """Typed events: subscribe here (see :mod:`aisession_tui.server.events`)."""
    lifetime: Lifetime
    store: StoreHandle
    engine: Engine
    """Sessions, windows, panes and the operations on them."""
    request_probe: RequestProbe
    """Whether a client's request waits (the panes' readers give way to it)."""
    buffers: PasteBuffers
    waits: WaitChannels
    """``wait-for`` channels."""
    job_table: JobTable
    """The running shell jobs (``run-shell``, ``if-shell``, ``#()``: ``show-messages -J``)."""
    format_jobs: JobRunner
    """``#()`` jobs of formats (status line, ``display-message``)."""
    records: RecordKeeper
    ai: AiLayer
    message_log: MessageLog
    """The message log ``show-messages`` reads (tmux's ``message_log``)."""
    clients: ClientHub
    """Attached (full-screen) clients."""
    control: ControlHub
    """Control-mode clients."""
    bus: BusService
    panel_feed: PanelFeed
    key_tables: KeyTables
    """Key bindings (``bind-key``)."""
    key_push: KeyPush
    """Sends the key tables to attached clients."""
    prompt_history: PromptHistory
    """What clients' prompts submitted, per prompt type (``show-prompt-history``)."""
    prompt_waits: PromptWaits
    """Prompts commands wait for until their client reports them done (``prompt-done``)."""
    hooks: HookRunner
    """``set-hook`` hooks, fired from model events and after commands."""
    jobs: Jobs
    """Commands ``exec`` typed into panes, by id (``job``)."""
    persist: Persister
    """Resurrection snapshots (restored and started by the daemon after the config)."""
    attention: AttentionWatch
    """Publishes pane attention changes (waiting for input, failed...)."""
    alerts: AlertWatch
    pane_requests: PaneRequests
    popups: Popups
    """Open ``display-popup`` popups, one per client."""
    focus: FocusWatch
    """Pane focus: focus reports to the panes' programs, ``pane-focus-in``/``-out``."""
    config_causes: ConfigCauses
    """What went wrong reading the config files (``show-messages``, shown once)."""
    config_files: list[str] | None = None
    """What ``-f`` named (only these are read), or None for tmux's default files."""


def build_services(socket_path: Path,
                   pane_factory: Callable[..., Pane] = Pane) -> Services:
    """Build and wire every service of a server listening on ``socket_path``.

    ``pane_factory`` makes panes (a real PTY by default; tests may pass a fake).
    """
    services = Services()
    services.socket_path = socket_path
    services.access = ServerAccess()
    events = services.events = EventBus()
    services.lifetime = Lifetime()
    store = services.store = StoreHandle()
    probe = services.request_probe = RequestProbe()
    engine = services.engine = Engine(socket_path, pane_factory=pane_factory, events=events,
                                      request_probe=probe)
    engine.window_namer = AutomaticNamer(services)
    services.buffers = PasteBuffers(engine.options, events)
    services.waits = WaitChannels()
    services.job_table = JobTable()
    services.format_jobs = JobRunner(job_table=services.job_table)
    records = services.records = RecordKeeper(events, store)
    ai = services.ai = AiLayer(engine.registry, records, store, events)
    services.message_log = MessageLog()
    services.config_causes = ConfigCauses()
    clients = services.clients = ClientHub(engine, events, services, services.message_log)
    services.key_tables = default_key_tables()
    services.prompt_history = PromptHistory()
    services.prompt_waits = PromptWaits()
    services.key_push = KeyPush(services.key_tables, engine.options, clients, events)
    services.bus = BusService(socket_path, engine.registry, store)
    services.panel_feed = PanelFeed(engine.registry, ai, clients, events)
    services.hooks = HookRunner(services, events)
    services.jobs = Jobs(engine, records, ai)
    services.persist = Persister(engine, store, socket_path)
    services.persist.on_pane_restored = ai.restore_pane
    control = services.control = ControlHub(services, events)
    clients.control_clients = control.showing
    services.attention = AttentionWatch(engine.registry, ai, events)
    services.alerts = AlertWatch(engine, clients, events)
    services.pane_requests = PaneRequests(engine, services.buffers, clients, events)
    services.popups = Popups(probe)
    services.focus = FocusWatch(engine, lambda: all_clients(services), events)
    events.subscribe(AttentionChanged, clients.attention_changed)
    events.subscribe(AttentionChanged, services.bus.attention_changed)
    return services
