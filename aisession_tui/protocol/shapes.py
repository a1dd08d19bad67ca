"""The shapes of the protocol's messages (:mod:`.messages` names them): a
:class:`~typing.TypedDict` for each, and :data:`REQUESTS` and :data:`NOTIFICATIONS`, which
map each method to its types.

Read through :mod:`.messages` (``messages.PaintParams``): it loads this module with the
first shape asked for at run time. Annotations never ask (they stay strings), so a process
that only sends and routes messages - the server at start-up, the CLI - does not build
these ~70 classes (~2 ms).
"""

# No ``from __future__ import annotations`` here: TypedDict reads NotRequired[...] from
# evaluated annotations (with strings, Python 3.11 marks every key required).
from collections.abc import Sequence
from typing import Any, NotRequired, TypedDict

from .messages import (
    ATTACH,
    BELL,
    CLIENT_COMMAND,
    CLIENT_FLAGS,
    CLOSED,
    CONTEXT,
    CONTROL_EXIT,
    CONTROL_IN,
    CONTROL_OUT,
    CONTROL_START,
    COPY_STATE,
    DETACH,
    DETACHED,
    DISPLAY_PANES,
    HISTORY,
    INPUT,
    JOB_STARTED,
    KEY_TABLE,
    KEYS,
    LOCK,
    MENU,
    MESSAGE,
    MODE_DONE,
    MODE_KEYS,
    PAINT,
    PAINT_FRAME,
    PANEL_STATE,
    POPUP,
    POPUP_INPUT,
    PROMPT_DONE,
    PROMPT_HISTORY,
    RECORD,
    RESIZE,
    RESUME,
    SCREEN,
    SELECT,
    SESSION,
    SET_SELECTION,
    STATUS_RANGES,
    SUSPEND,
)

# ------------------------------------------------------------------------ shared shapes
StyledRun = Sequence[Any]
"""``[text, fg, bg, attrs]`` (a tuple when built, a list once decoded): one run of a row."""
BorderSegment = Sequence[Any]
"""``[x, y, length, vertical]``: a run of border cells between panes."""
BusRecord = dict[str, Any]
"""A bus message, agent or task as the bus package's ``to_dict`` gives it."""


class Empty(TypedDict):
    """No fields (``detach``, ``resume``, ``suspend``, ``control-exit``...)."""


# ------------------------------------------------------------------ requests, replies
class HelloParams(TypedDict):
    version: int


class HelloResult(TypedDict):
    version: int
    pid: int


class PingResult(TypedDict):
    pid: int
    sessions: int
    store_failure: str | None


class PaintParams(TypedDict):
    target: NotRequired[str | None]
    columns: int
    """The terminal's width."""
    lines: int
    """The terminal's height (the status line included)."""
    alternate: NotRequired[bool]
    """False: the terminal is on the alternate screen already (painted before): no frame
    switches to it again."""
    env: NotRequired[dict[str, str]]
    """The client's variables that choose the renderer's colours (``TERM``, ``COLORTERM``,
    ``NO_COLOR``, ``TEXTUAL_COLOR_SYSTEM``, ``TEXTUAL_FILTERS``)."""


class PaintFrame(TypedDict):
    frame: str | None
    """The bytes that take a raw-mode terminal to the frame (base64), None when the server
    cannot draw it exactly (it paints no more)."""
    reason: NotRequired[str]
    """``frame`` None: why the painter declined (for logs and tests)."""


class PaintResult(TypedDict):
    ended: str
    """Why painting ended: ``cannot paint``, ``session closed``, ``detached`` (the
    session's clients were detached - ``attach -d``, ``detach-client -s``/``-a`` - and
    this attach with them: the client exits as a detached one)."""
    session: NotRequired[str]
    """``detached``: the session it was detached from (tmux's ``[detached (from session
    NAME)]``)."""


class MouseEventMessage(TypedDict):
    """A mouse event as a key binding's commands see it (tmux's ``struct mouse_event``):
    the client's :class:`~aisession_tui.keymaps.mouse_keys.MouseKey` sends it with each
    command, the server reads it as :class:`~aisession_tui.server.mouse_target.MouseEvent`
    and hands it back in a menu. ``x``/``y`` are terminal cells less the columns left of
    the window; ``window``/``pane`` are None where tmux has -1."""

    session: int
    window: int | None
    pane: int | None
    x: int
    y: int
    last_x: int
    last_y: int
    status_at: int
    """The first status line's terminal row, -1 without one."""
    status_lines: int
    b: int
    """The report's button code as the terminal sent it (SGR)."""
    release: bool
    ignore: bool
    """A double click: ``send-keys -M`` passes it to no pane."""
    copy_line: NotRequired[str | None]
    """The line under the mouse as the pane's copy mode shows it."""


class CommandParams(TypedDict):
    argv: list[str]
    cwd: NotRequired[str]
    alternate: NotRequired[bool]
    """False: the terminal is on the alternate screen already (painted before): no frame
    switches to it again."""
    env: NotRequired[dict[str, str]]
    client_pane: NotRequired[str | None]
    commands: NotRequired[list[list[str]]]
    """A ``;``-separated CLI command list, each command's argv (``argv`` is the first)."""
    stdin: NotRequired[bool]
    """The command reads the client's standard input (``load-buffer -``, ``source-file
    -``): what ``stdin`` requests sent on this connection before it."""
    view: NotRequired[bool]
    """A full-screen client's binding or prompt ran it: what it prints goes to the view
    mode of the client's current pane, as tmux's ``cmdq_print`` (the reply's stdout is
    then empty)."""
    mouse: NotRequired[MouseEventMessage]
    """The mouse event of the key binding that runs the command
    (:mod:`aisession_tui.server.mouse_target`: ``-t =``, ``#{mouse_x}``...)."""


class StdinParams(TypedDict):
    data: str
    """A piece of the client's standard input (bytes that are not UTF-8 as surrogates)."""


class CommandReply(TypedDict):
    stdout: str
    stderr: str
    exit_code: int
    data: Any


class AttachParams(TypedDict):
    target: NotRequired[str | None]
    columns: int
    lines: int
    flags: NotRequired[str]
    """tmux's client flags (``attach -f``; ``-r`` adds ``read-only,ignore-size``)."""
    tty: NotRequired[str]
    """The client's terminal device (``#{client_tty}``, its name), "" without one."""
    termname: NotRequired[str]
    """The client's ``TERM`` (``#{client_termname}``)."""
    pid: NotRequired[int]
    """The client process's pid (``#{client_pid}``)."""
    start_directory: NotRequired[str]
    """``attach -c``: the session's start directory, a format ("" keeps it)."""
    status_lines: NotRequired[int]
    """The terminal lines the client took from ``lines`` for the status line it assumed
    (before the session's options came): the server gives the client the area its
    session's real status line leaves (``lines`` + this - the real count), so a session
    with ``status off`` or ``status 2`` is not resized once for the guess and again
    when the client learns the truth; the result says the area given."""
    ticket: NotRequired[str]
    """The thin client's name for this attach, as its ``paint`` requests gave it
    (:mod:`aisession_tui.server.pending_attach`)."""


class ClientFlagsMessage(TypedDict):
    read_only: bool
    """The client only reads: its keys run read-only bindings only, nothing reaches a pane."""


class AttachResult(TypedDict):
    client: int
    session: str
    columns: NotRequired[int]
    lines: NotRequired[int]
    """The pane area the client was given (``status_lines`` taken into account)."""
    detached: NotRequired[bool]
    """The attach was refused: its client was detached while it was on its way (its
    ``ticket``'s painting, :mod:`aisession_tui.server.pending_attach`); ``session`` is
    the session it was detached from, ``client`` 0."""


class InputParams(TypedDict):
    pane: NotRequired[int | None]
    data: NotRequired[str]
    data_b64: NotRequired[str]


class ResizeParams(TypedDict):
    columns: int
    lines: int


class SelectParams(TypedDict):
    window: NotRequired[int | None]
    pane: NotRequired[int | None]


class CopyState(TypedDict):
    """tmux's copy-mode format values, as ``window_copy_formats`` names them."""

    scroll_position: int
    copy_cursor_x: int
    copy_cursor_y: int
    copy_cursor_word: str
    copy_cursor_line: str
    selection_present: bool
    selection_active: bool
    selection_start_x: int
    selection_start_y: int
    selection_end_x: int
    selection_end_y: int


class CopyStateParams(TypedDict):
    pane: int
    state: CopyState | None


class HistoryParams(TypedDict):
    pane: NotRequired[int | None]
    start: NotRequired[int]
    count: NotRequired[int]
    view: NotRequired[bool]
    """The lines of the pane's view mode instead of its history (``server/view_mode``)."""


class HistoryResult(TypedDict):
    history_size: int
    lines: list[Sequence[StyledRun]]


class PromptHistoryParams(TypedDict):
    type: str
    entry: str


class RendererResult(TypedDict):
    """``renderer``: the socket of the server's renderer zygote (started when needed)."""

    path: str


class PanelStateParams(TypedDict):
    pane: NotRequired[int | None]


class ControlStartParams(TypedDict):
    argv: list[str]
    alternate: NotRequired[bool]
    """False: the terminal is on the alternate screen already (painted before): no frame
    switches to it again."""
    env: NotRequired[dict[str, str]]
    pid: NotRequired[int]
    echo: NotRequired[bool]
    term: NotRequired[str]
    cwd: NotRequired[str]
    client_pane: NotRequired[str | None]


class ControlStartResult(TypedDict):
    client: str


class ControlInParams(TypedDict):
    line: NotRequired[str]
    eof: NotRequired[bool]


class BusSubscribeParams(TypedDict):
    history: NotRequired[int]
    events: NotRequired[bool]
    hold: NotRequired[bool]
    topic: NotRequired[str | None]
    agent: NotRequired[str | None]
    types: NotRequired[list[str] | None]


class BusSubscribeResult(TypedDict):
    subscription: int
    history: NotRequired[list[BusRecord]]
    agents: NotRequired[list[BusRecord]]


class BusUnsubscribeParams(TypedDict):
    subscription: int


class BusSendParams(TypedDict):
    to: NotRequired[str | None]
    topic: NotRequired[str | None]
    type: NotRequired[str]
    priority: NotRequired[str | None]
    payload: NotRequired[Any]
    reply_to: NotRequired[int | None]
    client_pane: NotRequired[str | None]


class BusRecvParams(TypedDict):
    agent: str
    max: NotRequired[int]
    wait: NotRequired[float | None]


class BusRecvResult(TypedDict):
    messages: list[BusRecord]


# ----------------------------------------------------------------------- notifications
class PaneInfo(TypedDict):
    """One pane of a ``session`` notification's window (``fg``/``bg``: its default colours
    from ``window-style``/``window-active-style``, as run colours, when not default)."""

    id: int
    index: int
    active: bool
    x: int
    y: int
    width: int
    height: int
    visible: bool
    title: str
    dead: bool
    command: str
    mode: str
    fg: NotRequired[int]
    bg: NotRequired[int]
    """The pane's top mode (``copy-mode``...), or empty."""
    view: NotRequired[int]
    """In view mode: the view's version (it grows as lines are added)."""
    border_title: NotRequired[str]
    """With ``pane-border-status``: the pane's ``pane-border-format``, expanded, its
    ``#[...]`` styles kept for the client to draw."""


class WindowInfo(TypedDict):
    """One window of a ``session`` notification."""

    id: int
    index: int
    name: str
    flags: str
    active: bool
    zoomed: bool
    width: int
    height: int
    layout: str
    borders: Sequence[BorderSegment]
    border_status: str
    panes: list[PaneInfo]
    border_style: NotRequired[str]
    active_border_style: NotRequired[str]
    border_indicators: NotRequired[str]
    """The window's ``pane-border-indicators`` (the two-pane half colouring)."""
    fill_character: NotRequired[str]
    """The window's ``fill-character``: what fills the area outside a smaller window."""


class StatusWindow(TypedDict):
    index: int
    text: str
    style: str


class StatusLine(TypedDict):
    """The session's status line, expanded (``session``'s ``status``)."""

    status: str
    position: str
    justify: str
    style: str
    left: str
    left_length: int
    left_style: str
    right: str
    right_length: int
    right_style: str
    separator: str
    windows: list[StatusWindow]
    message_style: str
    message_command_style: str
    """The session's ``message-command-style`` (the prompt in vi command mode)."""
    lines: list[str]
    first: NotRequired[str]
    """The user's own ``status-format[0]``, expanded (absent while it is the default)."""
    mode_style: NotRequired[str]
    """The session's ``mode-style`` (copy-mode selection and position indicator)."""
    mouse: NotRequired[bool]
    """The session's ``mouse`` option (the client handles the mouse only while it is on)."""
    panel: NotRequired[dict[str, str]]
    """The side panel's ``@side-panel-width``/``-min``/``-max`` user options (``width``,
    ``min``, ``max``; empty when unset), present when any is set."""


class SessionMessage(TypedDict):
    id: int
    name: str
    current_window: int
    windows: list[WindowInfo]
    status: NotRequired[StatusLine]


class PaneModes(TypedDict):
    app_cursor: bool
    app_keypad: bool
    bracketed_paste: bool
    mouse: int
    mouse_sgr: bool
    focus: bool
    alternate: bool


class ScreenMessage(TypedDict):
    pane: int
    full: bool
    columns: int
    lines: int
    rows: dict[str, Sequence[StyledRun]]
    cursor: list[int]
    cursor_visible: bool
    cursor_shape: int
    modes: PaneModes
    title: str
    dead: bool


class PopupMessage(TypedDict):
    """``popup``: the client's popup; only ``open`` when it closed. ``x``/``y``/``width``/
    ``height`` are the outer box on the client's terminal, border included; ``rows`` the
    changed rows of its screen (all of them when ``full``)."""

    open: bool
    full: NotRequired[bool]
    x: NotRequired[int]
    y: NotRequired[int]
    width: NotRequired[int]
    height: NotRequired[int]
    border: NotRequired[bool]
    border_lines: NotRequired[str]
    title: NotRequired[str]
    style: NotRequired[str]
    border_style: NotRequired[str]
    columns: NotRequired[int]
    lines: NotRequired[int]
    rows: NotRequired[dict[str, Sequence[StyledRun]]]
    cursor: NotRequired[list[int]]
    cursor_visible: NotRequired[bool]


class PopupInputParams(TypedDict):
    data: NotRequired[str]
    data_b64: NotRequired[str]
    mouse: NotRequired[dict[str, Any]]


class StatusRangesParams(TypedDict):
    windows: list[list[int]]


class StatusMessage(TypedDict):
    """``message``: a status-line message (``display-message``)."""

    text: str
    delay: NotRequired[int]
    no_dismiss: NotRequired[bool]


class ClosedMessage(TypedDict):
    reason: str


class DetachedMessage(TypedDict):
    session: str


class LockMessage(TypedDict):
    command: str


class SetSelectionMessage(TypedDict):
    text: str


class MenuItem(TypedDict):
    name: str
    """Expanded; a leading ``-`` marks a disabled item."""
    key: str | None
    """The key that chooses it, as tmux names keys (None: none, or not a key)."""
    command: str
    """The command line run when chosen, its formats expanded."""


class MenuMessage(TypedDict):
    title: str
    items: list[MenuItem | None]
    """The items in order; None is a separator line."""
    x: str
    """``-x`` as given (``C``, ``R``, ``P``, ``M``, ``W`` or a number)."""
    y: str
    """``-y`` as given (``C``, ``P``, ``M``, ``S``, ``W`` or a number)."""
    pane: list[int]
    """The target pane's x, y, width and height in its window."""
    window: int
    """The target window's index (``W`` places the menu at its status-line entry)."""
    stay_open: bool
    """``-O``."""
    wait: NotRequired[int]
    """A command waits until the menu closes: report it with ``prompt-done``."""
    mouse: NotRequired[MouseEventMessage | None]
    """The mouse event of the key that opened it (None: opened without the mouse, so the
    mouse only closes it, as tmux's ``MENU_NOMOUSE``); ``x``/``y`` place ``-x M``/``-y M``
    and its items' commands run with it."""


class DisplayPanesMessage(TypedDict):
    args: NotRequired[list[str]]
    """display-panes' flags and template, as given (``-d``, ``-N``, ``-b``, template)."""


class ClientCommandMessage(TypedDict):
    argv: list[str]
    wait: NotRequired[int]
    """A command waits for this prompt: report it done with ``prompt-done``."""


class ModeDoneParams(TypedDict):
    pane: int
    mode: str


class ModeKeysMessage(TypedDict):
    pane: int
    keys: list[str]
    """tmux key names (``Down``, ``Enter``, ``q``)."""


class PromptDoneParams(TypedDict):
    """``prompt-done``: the prompt a command waits for was answered (its commands ran) or
    cancelled; ``code`` is the waiting command's exit code."""

    wait: int
    code: int


class KeysMessage(TypedDict):
    """``keys``: the key tables; ``bindings`` are ``[table, key, repeat, note, commands]``."""

    prefix: str
    prefix2: str
    repeat_time: str
    """The ``repeat-time`` option as its text."""
    bindings: list[list[Any]]


class KeyTableMessage(TypedDict):
    table: str


class RecordMessage(TypedDict):
    pane: int
    session: str
    seq: int
    id: int | None
    command: str
    cwd: str | None
    exit_code: int | None
    started_at: float
    finished_at: float
    duration_ms: float
    parsed: dict[str, Any]
    clipped_items: NotRequired[int]


class ContextMessage(TypedDict):
    pane: int
    session: str | None
    tokens: int
    max_tokens: int
    threshold: float
    compressions: int
    raw_tokens: int
    saved_tokens: int
    savings_percent: float | None
    messages_total: int
    omitted: int
    merged: int
    summarized: int
    verbatim: int
    messages: list[dict[str, Any]]
    text_tokens: NotRequired[int]


class PanelStateResult(TypedDict):
    pane: int
    context: ContextMessage
    records: list[RecordMessage]


class ControlOutMessage(TypedDict):
    data: str


class JobStartedMessage(TypedDict):
    token: str
    job: int


class ReplyPartMessage(TypedDict):
    id: int
    stdout: str


class BusMessageNote(TypedDict):
    subscription: int
    message: BusRecord


class BusAgentNote(TypedDict):
    subscription: int
    agent: BusRecord


class BusTaskNote(TypedDict):
    subscription: int
    task: BusRecord


class BusAttentionNote(TypedDict):
    subscription: int
    attention: BusRecord


class BusOverflowNote(TypedDict):
    subscription: int
    message: str


REQUESTS: dict[str, tuple[type, type]] = {
    "hello": (HelloParams, HelloResult),
    "ping": (Empty, PingResult),
    "command": (CommandParams, CommandReply),
    "stdin": (StdinParams, Empty),
    ATTACH: (AttachParams, AttachResult),
    DETACH: (Empty, Empty),
    RESUME: (Empty, Empty),
    INPUT: (InputParams, Empty),
    POPUP_INPUT: (PopupInputParams, Empty),
    STATUS_RANGES: (StatusRangesParams, Empty),
    RESIZE: (ResizeParams, Empty),
    SELECT: (SelectParams, Empty),
    COPY_STATE: (CopyStateParams, Empty),
    HISTORY: (HistoryParams, HistoryResult),
    PANEL_STATE: (PanelStateParams, PanelStateResult),
    "renderer": (Empty, RendererResult),
    PAINT: (PaintParams, PaintResult),
    PROMPT_HISTORY: (PromptHistoryParams, Empty),
    PROMPT_DONE: (PromptDoneParams, Empty),
    MODE_DONE: (ModeDoneParams, Empty),
    CONTROL_START: (ControlStartParams, ControlStartResult),
    "bus.subscribe": (BusSubscribeParams, BusSubscribeResult),
    "bus.unsubscribe": (BusUnsubscribeParams, Empty),
    "bus.send": (BusSendParams, dict),
    "bus.recv": (BusRecvParams, BusRecvResult),
}
"""Each request method: (its params, its result)."""

NOTIFICATIONS: dict[str, type] = {
    SESSION: SessionMessage,
    PAINT_FRAME: PaintFrame,
    SCREEN: ScreenMessage,
    MESSAGE: StatusMessage,
    CLOSED: ClosedMessage,
    DETACHED: DetachedMessage,
    LOCK: LockMessage,
    SUSPEND: Empty,
    DISPLAY_PANES: DisplayPanesMessage,
    POPUP: PopupMessage,
    CLIENT_COMMAND: ClientCommandMessage,
    MODE_KEYS: ModeKeysMessage,
    BELL: Empty,
    SET_SELECTION: SetSelectionMessage,
    MENU: MenuMessage,
    KEYS: KeysMessage,
    KEY_TABLE: KeyTableMessage,
    CLIENT_FLAGS: ClientFlagsMessage,
    RECORD: RecordMessage,
    CONTEXT: ContextMessage,
    CONTROL_IN: ControlInParams,
    CONTROL_OUT: ControlOutMessage,
    CONTROL_EXIT: Empty,
    JOB_STARTED: JobStartedMessage,
    "reply.part": ReplyPartMessage,
    "bus.message": BusMessageNote,
    "bus.agent": BusAgentNote,
    "bus.task": BusTaskNote,
    "bus.attention": BusAttentionNote,
    "bus.overflow": BusOverflowNote,
}
"""Each notification method (either direction) and its params."""
