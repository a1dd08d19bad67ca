"""Names and shapes of the requests and notifications beyond ``hello`` and ``command``.

Requests (client -> server):

* ``attach`` ``{target, columns, lines}`` -> ``{client, session}``: subscribe to a session
  (``target`` in tmux syntax, None = most recent). The server sends ``session`` then a full
  ``screen`` of every visible pane, then updates as they happen.
* ``detach`` ``{}``: stop receiving updates (the connection may stay open).
* ``input`` ``{pane, data}``: bytes for a pane's child, as a UTF-8 string (``data_b64``
  instead for arbitrary bytes).
* ``resize`` ``{columns, lines}``: the client's terminal area for panes changed; the
  session's windows follow the most recently resized client (tmux's ``window-size latest``).
* ``select`` ``{window?, pane?}``: make a window current / a pane active (click, keys).
* ``history`` ``{pane, start, count}`` -> ``{lines: [[runs...]...], history_size}``: styled
  history lines for copy mode (0 = oldest).
* ``command`` ``{argv, client_pane?}``: as for the CLI; an attached client's "current" is
  its session.

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
"""

from __future__ import annotations

ATTACH = "attach"
DETACH = "detach"
INPUT = "input"
RESIZE = "resize"
SELECT = "select"
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
"""Client -> server ``{type, entry}``: a prompt submitted ``entry`` (the server's prompt
history, ``show-prompt-history``)."""
DISPLAY_PANES = "display-panes"
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
