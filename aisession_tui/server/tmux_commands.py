"""The names of tmux 3.3a's commands, in a module that imports nothing (the CLI's
argument errors and the command language both ask whether a command is tmux's)."""

TMUX_COMMANDS = frozenset((
    "attach-session", "bind-key", "break-pane", "capture-pane", "choose-buffer",
    "choose-client", "choose-tree", "clear-history", "clear-prompt-history", "clock-mode",
    "command-prompt", "confirm-before", "copy-mode", "customize-mode", "delete-buffer",
    "detach-client", "display-menu", "display-message", "display-popup", "display-panes",
    "find-window", "has-session", "if-shell", "join-pane", "kill-pane", "kill-server",
    "kill-session", "kill-window", "last-pane", "last-window", "link-window",
    "list-buffers", "list-clients", "list-commands", "list-keys", "list-panes",
    "list-sessions", "list-windows", "load-buffer", "lock-client", "lock-server",
    "lock-session", "move-pane", "move-window", "new-session", "new-window", "next-layout",
    "next-window", "paste-buffer", "pipe-pane", "previous-layout", "previous-window",
    "refresh-client", "rename-session", "rename-window", "resize-pane", "resize-window",
    "respawn-pane", "respawn-window", "rotate-window", "run-shell", "save-buffer",
    "select-layout", "select-pane", "select-window", "send-keys", "send-prefix",
    "server-access", "set-buffer", "set-environment", "set-hook", "set-option",
    "set-window-option", "show-buffer", "show-environment", "show-hooks", "show-messages",
    "show-options", "show-prompt-history", "show-window-options", "source-file",
    "split-window", "start-server", "suspend-client", "swap-pane", "swap-window",
    "switch-client", "unbind-key", "unlink-window", "wait-for"
))
"""Every command of tmux 3.3a (``list-commands``)."""
