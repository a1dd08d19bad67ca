"""The one registry of action ids that key bindings may name.

Keymaps (``tmux.toml`` and the user's ``keymap.toml``) only map keys to ids from ``ACTIONS``;
the loader rejects any other id, and the client dispatches on the same ids.

Id scheme (stable, documented for keymap authors):

* A tmux command keeps its tmux name: ``split-window``, ``select-pane``, ``command-prompt``...
  Its arguments are tmux's, word for word (``args = ["-h"]``).
* A copy-mode command - what tmux writes ``send-keys -X <command>`` - is
  ``copy-mode:<command>``: ``copy-mode:cursor-up``, ``copy-mode:search-forward``. Its args
  are the copy command's own arguments, optionally preceded by the ``send-keys`` modifiers
  ``-F`` (expand formats in the arguments) and ``-N <count>`` (repeat count).
* ai-session's own actions have ids tmux does not use: ``toggle-panel`` (args:
  ``context``, ``parsed`` or ``bus``; none toggles the side panel as a whole).

Every action says where it runs (``Action.target``, as harlequin's ``Action(target=...)``):
``client`` (this client's own state: prompts, lists, copy mode entry, detach, panels; the
handlers are :data:`aisession_tui.client.actions.HANDLERS`), ``copy-mode`` (the active
pane's copy mode, :mod:`aisession_tui.client.copy_mode`) or ``server`` (a command of the
server's registry, sent with the ``command`` request).

Invariant: every id is unique, ``Action.id`` equals its key in ``ACTIONS``, copy-mode
ids all start with ``COPY_MODE_PREFIX``, every ``server`` id is a command of the server's
registry and every ``client`` id has a handler (tests/ui/test_client_actions.py).
"""

from __future__ import annotations

from dataclasses import dataclass

COPY_MODE_PREFIX = "copy-mode:"
"""Prefix of the ids of copy-mode commands (tmux's ``send-keys -X``)."""

PANEL_NAMES = ("context", "parsed", "bus")
"""Side panels that ``toggle-panel`` accepts."""


CLIENT = "client"
"""Runs in the client: it is about this client (prompt, list, copy mode, detach, panels)."""
SERVER = "server"
"""A server command, sent as tmux argv with the ``command`` request."""
COPY_MODE = "copy-mode"
"""A copy-mode command, run on the active pane's copy mode in the client."""

CLIENT_ACTION_IDS = frozenset({
    "choose-buffer", "choose-client", "choose-tree", "command-prompt", "confirm-before", "copy-mode",
    "customize-mode",
    "detach-client", "display-panes", "find-window", "kill-server", "refresh-client",
    "send-prefix", "show-messages", "switch-client", "toggle-panel",
})
"""The ids the client handles itself (some hand a variant to the server: ``detach-client
-s``, ``send-prefix -t``, ``switch-client`` without ``-T``)."""


@dataclass(frozen=True)
class Action:
    """One bindable action.

    Attributes:
        id: Stable id used in keymaps, e.g. ``split-window`` or ``copy-mode:cursor-up``.
        description: One line for help screens and tooltips.
        takes_args: Whether a binding may pass arguments (for copy-mode actions: arguments
            besides the always-allowed ``-F`` / ``-N count`` modifiers).
        target: Where it runs: ``CLIENT``, ``SERVER`` or ``COPY_MODE``.
    """

    id: str
    description: str
    takes_args: bool
    target: str = SERVER


_TMUX_COMMANDS: tuple[tuple[str, str, bool], ...] = (
    ("break-pane", "Break the pane out into a new window", True),
    ("choose-buffer", "Choose a paste buffer from a list", True),
    ("choose-client", "Choose a client from a list", True),
    ("choose-tree", "Choose a session, window or pane from a tree", True),
    ("clear-history", "Clear the pane's history", True),
    ("command-prompt", "Open the command prompt, optionally running a template", True),
    ("confirm-before", "Ask y/n before running a command", True),
    ("copy-mode", "Enter copy mode", True),
    ("customize-mode", "Customize options and key bindings", True),
    ("delete-buffer", "Delete a paste buffer", True),
    ("detach-client", "Detach this client", True),
    ("display-message", "Show a message in the status line", True),
    ("display-panes", "Show pane numbers", True),
    ("find-window", "Search for a window or pane by content, name or title", True),
    ("join-pane", "Move a pane into another window", True),
    ("kill-pane", "Kill a pane", True),
    ("kill-server", "Kill the server and every session", False),
    ("kill-session", "Kill a session", True),
    ("kill-window", "Kill a window", True),
    ("last-pane", "Select the previously active pane", True),
    ("last-window", "Select the previously current window", True),
    ("list-buffers", "List the paste buffers", True),
    ("list-keys", "List key bindings", True),
    ("move-pane", "Move a pane into another window", True),
    ("move-window", "Move a window to another index", True),
    ("new-session", "Create a new session", True),
    ("new-window", "Create a new window", True),
    ("next-layout", "Select the next layout", True),
    ("next-window", "Select the next window", True),
    ("paste-buffer", "Paste a buffer into the pane", True),
    ("previous-layout", "Select the previous layout", True),
    ("previous-window", "Select the previous window", True),
    ("refresh-client", "Redraw the client", True),
    ("rename-session", "Rename a session", True),
    ("rename-window", "Rename a window", True),
    ("resize-pane", "Resize or zoom a pane", True),
    ("respawn-pane", "Restart the pane's program", True),
    ("respawn-window", "Restart the window's program", True),
    ("rotate-window", "Rotate the panes of a window", True),
    ("run-shell", "Run a shell command, or wait with -d", True),
    ("select-layout", "Select a layout", True),
    ("select-pane", "Select, mark or title a pane", True),
    ("select-window", "Select a window", True),
    ("send-keys", "Send keys or the triggering mouse event to a pane", True),
    ("send-prefix", "Send the prefix key to the pane", True),
    ("show-messages", "Show the client's message log", True),
    ("split-window", "Split the pane", True),
    ("swap-pane", "Swap two panes", True),
    ("swap-window", "Swap two windows", True),
    ("suspend-client", "Suspend this client (C-z)", True),
    ("switch-client", "Show another session on this client", True),
)

_COPY_MODE_COMMANDS: tuple[tuple[str, str, bool], ...] = (
    ("append-selection", "Append the selection to the top buffer", False),
    ("append-selection-and-cancel", "Append the selection and leave copy mode", False),
    ("back-to-indentation", "Move to the first non-blank character", False),
    ("begin-selection", "Start selecting", False),
    ("bottom-line", "Move to the bottom line of the screen", False),
    ("cancel", "Leave copy mode", False),
    ("clear-selection", "Clear the selection", False),
    ("copy-line", "Copy the current line", False),
    ("copy-line-and-cancel", "Copy the current line and leave copy mode", False),
    ("copy-pipe", "Copy the selection, piping it to a command", True),
    ("copy-pipe-and-cancel", "Copy the selection and leave copy mode", True),
    ("copy-pipe-end-of-line-and-cancel", "Copy to the end of the line and leave copy mode", True),
    ("copy-pipe-no-clear", "Copy the selection and keep it", True),
    ("copy-selection", "Copy the selection", True),
    ("copy-selection-and-cancel", "Copy the selection and leave copy mode", True),
    ("cursor-down", "Move the cursor down", False),
    ("cursor-down-and-cancel", "Move down, leaving copy mode at the bottom", False),
    ("cursor-left", "Move the cursor left", False),
    ("cursor-right", "Move the cursor right", False),
    ("cursor-up", "Move the cursor up", False),
    ("end-of-line", "Move to the end of the line", False),
    ("goto-line", "Go to a line of the history", True),
    ("halfpage-down", "Scroll down half a page", False),
    ("halfpage-down-and-cancel", "Scroll down half a page, leaving copy mode at the bottom", False),
    ("halfpage-up", "Scroll up half a page", False),
    ("history-bottom", "Go to the bottom of the history", False),
    ("history-top", "Go to the top of the history", False),
    ("jump-again", "Repeat the last jump", False),
    ("jump-backward", "Jump backward to a character", True),
    ("jump-forward", "Jump forward to a character", True),
    ("jump-reverse", "Repeat the last jump in reverse", False),
    ("jump-to-backward", "Jump backward to just after a character", True),
    ("jump-to-forward", "Jump forward to just before a character", True),
    ("jump-to-mark", "Swap the cursor and the mark", False),
    ("middle-line", "Move to the middle line of the screen", False),
    ("next-matching-bracket", "Move to the matching bracket", False),
    ("next-paragraph", "Move to the next paragraph", False),
    ("next-prompt", "Move to the next shell prompt", False),
    ("next-space", "Move to the next WORD", False),
    ("next-space-end", "Move to the end of the next WORD", False),
    ("next-word", "Move to the next word", False),
    ("next-word-end", "Move to the end of the next word", False),
    ("other-end", "Move to the other end of the selection", False),
    ("page-down", "Scroll down a page", False),
    ("page-down-and-cancel", "Scroll down a page, leaving copy mode at the bottom", False),
    ("page-up", "Scroll up a page", False),
    ("previous-matching-bracket", "Move to the matching bracket backward", False),
    ("previous-paragraph", "Move to the previous paragraph", False),
    ("previous-prompt", "Move to the previous shell prompt", False),
    ("previous-space", "Move to the previous WORD", False),
    ("previous-word", "Move to the previous word", False),
    ("rectangle-off", "Select lines, not a rectangle", False),
    ("rectangle-on", "Select a rectangle", False),
    ("rectangle-toggle", "Toggle rectangle selection", False),
    ("refresh-from-pane", "Refresh the copy from the pane's current content", False),
    ("scroll-down", "Scroll down a line", False),
    ("scroll-down-and-cancel", "Scroll down a line, leaving copy mode at the bottom", False),
    ("scroll-up", "Scroll up a line", False),
    ("search-again", "Repeat the last search", False),
    ("search-backward", "Search backward for a regular expression", True),
    ("search-backward-incremental", "Search backward as you type", True),
    ("search-backward-text", "Search backward for plain text", True),
    ("search-forward", "Search forward for a regular expression", True),
    ("search-forward-incremental", "Search forward as you type", True),
    ("search-forward-text", "Search forward for plain text", True),
    ("search-reverse", "Repeat the last search in reverse", False),
    ("select-line", "Select the current line", False),
    ("select-word", "Select the word under the cursor", False),
    ("set-mark", "Set the mark at the cursor", False),
    ("start-of-line", "Move to the start of the line", False),
    ("stop-selection", "Stop extending the selection", False),
    ("toggle-position", "Show or hide the position indicator", False),
    ("top-line", "Move to the top line of the screen", False),
)

_AI_SESSION_ACTIONS: tuple[tuple[str, str, bool], ...] = (
    ("toggle-panel", "Show or hide a side panel: context, parsed or bus", True),
)


def _build_registry() -> dict[str, Action]:
    registry: dict[str, Action] = {}
    entries = [
        *_TMUX_COMMANDS,
        *((COPY_MODE_PREFIX + name, text, args) for name, text, args in _COPY_MODE_COMMANDS),
        *_AI_SESSION_ACTIONS,
    ]
    for action_id, description, takes_args in entries:
        if action_id in registry:
            raise ValueError(f"duplicate action id {action_id!r}")
        target = (COPY_MODE if action_id.startswith(COPY_MODE_PREFIX)
                  else CLIENT if action_id in CLIENT_ACTION_IDS else SERVER)
        registry[action_id] = Action(action_id, description, takes_args, target)
    return registry


ACTIONS: dict[str, Action] = _build_registry()
"""Every action id a key binding may name, in a stable order."""


def is_copy_mode_action(action_id: str) -> bool:
    """True for ``copy-mode:<command>`` ids (tmux's ``send-keys -X <command>``)."""
    return action_id.startswith(COPY_MODE_PREFIX)


def copy_mode_command(action_id: str) -> str:
    """The tmux copy command of a ``copy-mode:<command>`` id (``cursor-up``)."""
    if not is_copy_mode_action(action_id):
        raise ValueError(f"{action_id!r} is not a copy-mode action")
    return action_id[len(COPY_MODE_PREFIX) :]


def action_target(action_id: str) -> str:
    """Where ``action_id`` runs; an id outside the registry (a command typed at the
    prompt, an alias) is the server's."""
    if is_copy_mode_action(action_id):
        return COPY_MODE
    action = ACTIONS.get(action_id)
    return action.target if action is not None else SERVER
