"""Names and shapes of the requests and notifications beyond ``hello`` and ``command``.

Requests (client -> server):

* ``attach`` ``{target, columns, lines}`` -> ``{client, session}``: subscribe to a session
  (``target`` in tmux syntax, None = most recent). The server sends ``session`` then a full
  ``screen`` of every visible pane, then updates as they happen.
* ``detach`` ``{}``: stop receiving updates (the connection may stay open).
* ``input`` ``{pane, data}``: bytes for a pane's child, as a UTF-8 string (``data_b64``
  instead for arbitrary bytes).
* ``resize`` ``{columns, lines}``: the client's terminal area for panes changed; window
  sizes follow the clients as tmux's ``window-size`` and ``aggressive-resize`` say
  (:mod:`aisession_tui.server.window_size`).
* ``select`` ``{window?, pane?}``: make a window current / a pane active (click, keys).
* ``history`` ``{pane, start, count}`` -> ``{lines: [[runs...]...], history_size}``: styled
  history lines for copy mode (0 = oldest).
* ``command`` ``{argv, client_pane?, mouse?}``: as for the CLI; an attached client's
  "current" is its session (with ``mouse``, the pane under the mouse).

Notifications (server -> attached client):

* ``session`` ``{id, name, current_window, windows: [...]}``: the whole structure, sent on
  attach and whenever windows, panes, layout, names or selection change. Each window:
  ``{id, index, name, flags, active, zoomed, width, height, layout, panes: [{id, index,
  x, y, width, height, active, title, dead, command}]}``.
* ``screen`` ``{pane, full, columns, lines, rows: {"<row>": [[text, fg, bg, attrs], ...]},
  cursor: [x, y], cursor_visible, cursor_shape, modes: {...}, title}``: dirty rows only
  (``full`` on attach and after a resize), coalesced per client at most ~60 times a second
  with a leading-edge flush.
* ``message`` ``{text}``: show in the status line (``display-message``).
* ``closed`` ``{reason}``: the session is gone; the client should exit.
* ``detached`` ``{session}``: ``detach-client`` (or ``attach -d`` elsewhere) detached this
  client; it should exit printing ``[detached (from session NAME)]``.

AI panels (:mod:`aisession_tui.server.panel_feed`):

* request ``panel.state`` ``{pane?}`` -> ``{pane, context, records}``: one pane's live
  context (as in the ``context`` notification) and its latest command records (as in
  ``record``, oldest first); ``pane`` defaults to the attached client's active pane.
* notification ``record`` ``{pane, session, seq, id, command, cwd, exit_code,
  started_at, finished_at, duration_ms, parsed, clipped_items?}``: a command of a pane of
  the attached session finished and was parsed (``seq`` grows per server).
* notification ``context`` ``{pane, session, tokens, max_tokens, threshold,
  compressions, raw_tokens, saved_tokens, savings_percent, messages_total, omitted,
  merged, summarized, verbatim, messages: [{id, role, kind, form, at, text, tokens,
  exit_code?, raw_id?, covers?, clipped?}]}``: the pane's live context changed (a command
  or a note entered it); exact token counts, texts cut for the wire where ``clipped``.
* The bus panel uses the bus requests (:mod:`aisession_tui.server.bus_service`):
  ``bus.subscribe {history, events: true}`` on the client's connection, then
  ``bus.message``, ``bus.agent`` and ``bus.task`` notifications.

Every message's shape is a :class:`~typing.TypedDict` (in :mod:`.shapes`, read through this
module: ``messages.PaintParams``), used by the server that builds it and the client that
reads it; :data:`REQUESTS` and :data:`NOTIFICATIONS` map each method to its types
(``tests/unit/test_protocol_messages.py`` round-trips every one through the real encoder
and decoder, and checks what a live server sends against them).
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the shapes load with the first one asked for at run time
    from .shapes import *  # noqa: F403

ATTACH = "attach"
DETACH = "detach"
INPUT = "input"
RESIZE = "resize"
SELECT = "select"
COPY_STATE = "copy-state"
"""Client -> server: the client's copy-mode cursor and selection in a pane (tmux's copy
mode formats: ``#{copy_cursor_x}``, ``#{selection_present}``...), None when it left."""
HISTORY = "history"

SESSION = "session"
SCREEN = "screen"
MESSAGE = "message"
CLOSED = "closed"
DETACHED = "detached"
LOCK = "lock"
"""Server -> client notification ``{command}``: run the lock command in the terminal, then
send ``resume`` (lock-server, lock-session, lock-client)."""
SUSPEND = "suspend"
"""Server -> client notification: stop (SIGTSTP), then send ``resume`` (suspend-client)."""
PROMPT_HISTORY = "prompt-history"
PROMPT_DONE = "prompt-done"
"""Client -> server ``{type, entry}``: a prompt submitted ``entry`` (the server's prompt
history, ``show-prompt-history``)."""
DISPLAY_PANES = "display-panes"
POPUP = "popup"
"""Server -> full-screen client: show (``open``, the geometry, border and screen rows) or
close (``open`` false) the client's popup (``display-popup``)."""
MODE_DONE = "mode-done"
"""Client -> server ``{pane, mode}``: the client closed the chooser it drew for the pane's
mode (``choose-tree`` from a script): the server leaves the mode if it is still on top."""
MODE_KEYS = "mode-keys"
"""Server -> full-screen client ``{pane, keys}``: keys ``send-keys`` sent to a pane in a
mode this client draws (a chooser): the client feeds them to it, as tmux's mode takes them."""
POPUP_INPUT = "popup-input"
"""Client -> server ``{data}`` / ``{data_b64}``: a key typed while the popup is open; or
``{mouse}``: a mouse event on the terminal while it is open (``kind`` down/move/up, the
``button`` held, ``x``/``y`` terminal cells, ``meta``/``shift``/``ctrl``)."""
STATUS_RANGES = "status-ranges"
"""Client -> server ``{windows}``: where each window's entry is on the status line the
client drew (``[start, end, window index]`` cells), what tmux keeps as a client's status
ranges (``display-popup -x W``)."""
BELL = "bell"
"""Server -> full-screen client: ring the terminal's bell (``bell-action``, ``visual-bell``
off or both)."""
SET_SELECTION = "set-selection"
"""Server -> full-screen client: put ``text`` on the terminal's clipboard (OSC 52), as
tmux's screen_write_setselection does for a pane's own OSC 52."""
MENU = "menu"
"""Server -> full-screen client: show ``display-menu``'s menu (:class:`MenuMessage`)."""
CLIENT_COMMAND = "client-command"
"""Server -> full-screen client: run this client command (``command-prompt`` or
``confirm-before`` from the CLI or a script: the prompt opens in that client)."""
"""Server -> client notification: show the pane numbers (``display-panes`` run elsewhere)."""
RESUME = "resume"
"""Client -> server: back from a lock or a suspend; the server sends everything again."""

PANEL_STATE = "panel.state"
RECORD = "record"
CONTEXT = "context"

CONTROL_START = "control"
"""Client -> server: make this connection a control-mode client (server/control.py)."""
CONTROL_IN = "control-in"
"""Client -> server notification: one line a control client read, or its end of input."""
CONTROL_OUT = "control-out"
"""Server -> client notification: control-mode text to write to stdout as it is."""
CONTROL_EXIT = "control-exit"
"""Server -> client notification: the control client is done (after ``%exit``)."""

FRAME_INTERVAL = 1 / 60
"""Minimum time between two screen flushes to one client."""

PAINT = "paint"
"""Client -> server ``{target, columns, lines}`` (:class:`PaintParams`): the frames a
terminal of that size shows of the session, drawn by the server without Textual, while a
renderer starts (:mod:`aisession_tui.server.paint`). Each goes as a ``paint.frame``
notification; the reply (:class:`PaintResult`) comes when painting ends."""
PAINT_FRAME = "paint.frame"
"""Server -> client notification (:class:`PaintFrame`): one whole frame to write, or none
(the server cannot draw this session exactly: wait for the renderer)."""


KEYS = "keys"
KEY_TABLE = "key-table"
CLIENT_FLAGS = "client-flags"
JOB_STARTED = "job.started"


def __getattr__(name: str) -> Any:
    """A message shape (:mod:`.shapes`, loaded now), or ``REQUESTS``/``NOTIFICATIONS``."""
    if name.startswith("__"):
        raise AttributeError(name)
    from . import shapes

    try:
        value = getattr(shapes, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    globals()[name] = value
    return value
