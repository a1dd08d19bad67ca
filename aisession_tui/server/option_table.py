"""tmux 3.3a's option table as data: every option's name, scope, type, default and limits.

The order is tmux's own (``options-table.c``): ``show-options`` lists a table's options in
this order, after the user options (``@name``). Defaults are written as ``show-options``
prints them (a flag ``on``/``off``, a colour ``red``, a key ``C-b``); an array option's default
is a tuple of its items. ``scope`` is a bit set: ``WINDOW | PANE`` options are window options
that a single pane may override (``set -p``).

Hooks are options in tmux too (arrays of commands, shown by ``show-options -H`` and
``show-hooks``); their names are listed here so that option-name prefixes are ambiguous
exactly where tmux's are.

Invariant: names are unique, and a default passes its own type's validation
(``tests/server/test_options_table.py`` checks both).
"""

from __future__ import annotations

from dataclasses import dataclass

SERVER = 1
SESSION = 2
WINDOW = 4
PANE = 8

STRING = "string"
NUMBER = "number"
KEY = "key"
COLOUR = "colour"
FLAG = "flag"
CHOICE = "choice"
COMMAND = "command"

INT_MAX = 2**31 - 1
SHRT_MAX = 2**15 - 1
USHRT_MAX = 2**16 - 1


@dataclass(frozen=True)
class OptionDef:
    """One option of the table."""

    name: str
    type: str
    scope: int
    default: str | tuple[str, ...]
    minimum: int = 0
    maximum: int = INT_MAX
    choices: tuple[str, ...] = ()
    array: bool = False
    style: bool = False
    separator: str | None = None
    """What ``set -a`` puts between the old value and the new (a string option), or what
    splits a whole-array assignment (an array option; None: space or comma)."""
    pattern: str | None = None
    """An fnmatch pattern a string value must match (``default-size``)."""
    hook: bool = False

    @property
    def is_string(self) -> bool:
        """Shown quoted by ``show-options`` (tmux escapes string values only)."""
        return self.type == STRING


def _hook(name: str, scope: int) -> OptionDef:
    return OptionDef(name, COMMAND, scope, (), array=True, separator="", hook=True)


STATUS_FORMAT_DEFAULT: tuple[str, ...] = (
    '#[align=left range=left #{E:status-left-style}]#[push-default]#{T;=/#{status-left-length}:status-left}#[pop-default]#[norange default]#[list=on align=#{status-justify}]#[list=left-marker]<#[list=right-marker]>#[list=on]#{W:#[range=window|#{window_index} #{E:window-status-style}#{?#{&&:#{window_last_flag},#{!=:#{E:window-status-last-style},default}}, #{E:window-status-last-style},}#{?#{&&:#{window_bell_flag},#{!=:#{E:window-status-bell-style},default}}, #{E:window-status-bell-style},#{?#{&&:#{||:#{window_activity_flag},#{window_silence_flag}},#{!=:#{E:window-status-activity-style},default}}, #{E:window-status-activity-style},}}]#[push-default]#{T:window-status-format}#[pop-default]#[norange default]#{?window_end_flag,,#{window-status-separator}},#[range=window|#{window_index} list=focus #{?#{!=:#{E:window-status-current-style},default},#{E:window-status-current-style},#{E:window-status-style}}#{?#{&&:#{window_last_flag},#{!=:#{E:window-status-last-style},default}}, #{E:window-status-last-style},}#{?#{&&:#{window_bell_flag},#{!=:#{E:window-status-bell-style},default}}, #{E:window-status-bell-style},#{?#{&&:#{||:#{window_activity_flag},#{window_silence_flag}},#{!=:#{E:window-status-activity-style},default}}, #{E:window-status-activity-style},}}]#[push-default]#{T:window-status-current-format}#[pop-default]#[norange list=on default]#{?window_end_flag,,#{window-status-separator}}}#[nolist align=right range=right #{E:status-right-style}]#[push-default]#{T;=/#{status-right-length}:status-right}#[pop-default]#[norange default]',
    '#[align=centre]#{P:#{?pane_active,#[reverse],}#{pane_index}[#{pane_width}x#{pane_height}]#[default] }',
)
"""tmux's two default status lines: the window list line and the pane list line."""

WORD_SEPARATORS_DEFAULT = "!\"#$%&'()*+,-./:;<=>?@[\\]^`{|}~"
"""The printable ASCII punctuation but ``_`` (what double-click and ``w`` stop at)."""

OPTIONS_TABLE: tuple[OptionDef, ...] = (
    OptionDef("backspace", KEY, SERVER, "C-?"),
    OptionDef("buffer-limit", NUMBER, SERVER, "50", minimum=1, maximum=INT_MAX),
    OptionDef(
        "command-alias",
        STRING,
        SERVER,
        (
            "split-pane=split-window",
            "splitp=split-window",
            "server-info=show-messages -JT",
            "info=show-messages -JT",
            "choose-window=choose-tree -w",
            "choose-session=choose-tree -s",
        ),
        array=True,
        separator=",",
    ),
    OptionDef("copy-command", STRING, SERVER, ""),
    OptionDef("cursor-colour", COLOUR, WINDOW | PANE, "none"),
    OptionDef(
        "cursor-style",
        CHOICE,
        WINDOW | PANE,
        "default",
        choices=(
            "default",
            "blinking-block",
            "block",
            "blinking-underline",
            "underline",
            "blinking-bar",
            "bar",
        ),
    ),
    OptionDef("default-terminal", STRING, SERVER, "tmux-256color"),
    OptionDef("editor", STRING, SERVER, "/usr/bin/vi"),
    OptionDef("escape-time", NUMBER, SERVER, "500", minimum=0, maximum=INT_MAX),
    OptionDef("exit-empty", FLAG, SERVER, "on"),
    OptionDef("exit-unattached", FLAG, SERVER, "off"),
    OptionDef("extended-keys", CHOICE, SERVER, "off", choices=("off", "on", "always")),
    OptionDef("focus-events", FLAG, SERVER, "off"),
    OptionDef("history-file", STRING, SERVER, ""),
    OptionDef("message-limit", NUMBER, SERVER, "1000", minimum=0, maximum=INT_MAX),
    OptionDef("prompt-history-limit", NUMBER, SERVER, "100", minimum=0, maximum=INT_MAX),
    OptionDef("set-clipboard", CHOICE, SERVER, "external", choices=("off", "external", "on")),
    OptionDef("terminal-overrides", STRING, SERVER, (), array=True, separator=","),
    OptionDef(
        "terminal-features",
        STRING,
        SERVER,
        ("xterm*:clipboard:ccolour:cstyle:focus:title", "screen*:title"),
        array=True,
        separator=",",
    ),
    OptionDef("user-keys", STRING, SERVER, (), array=True, separator=","),
    OptionDef(
        "activity-action", CHOICE, SESSION, "other", choices=("none", "any", "current", "other")
    ),
    OptionDef("assume-paste-time", NUMBER, SESSION, "1", minimum=0, maximum=INT_MAX),
    OptionDef("base-index", NUMBER, SESSION, "0", minimum=0, maximum=INT_MAX),
    OptionDef("bell-action", CHOICE, SESSION, "any", choices=("none", "any", "current", "other")),
    OptionDef("default-command", STRING, SESSION, ""),
    OptionDef("default-shell", STRING, SESSION, "/bin/sh"),
    OptionDef("default-size", STRING, SESSION, "80x24", pattern="[0-9]*x[0-9]*"),
    OptionDef("destroy-unattached", FLAG, SESSION, "off"),
    OptionDef("detach-on-destroy", CHOICE, SESSION, "on", choices=("off", "on", "no-detached")),
    OptionDef("display-panes-active-colour", COLOUR, SESSION, "red"),
    OptionDef("display-panes-colour", COLOUR, SESSION, "blue"),
    OptionDef("display-panes-time", NUMBER, SESSION, "1000", minimum=1, maximum=INT_MAX),
    OptionDef("display-time", NUMBER, SESSION, "750", minimum=0, maximum=INT_MAX),
    OptionDef("history-limit", NUMBER, SESSION, "2000", minimum=0, maximum=INT_MAX),
    OptionDef("key-table", STRING, SESSION, "root"),
    OptionDef("lock-after-time", NUMBER, SESSION, "0", minimum=0, maximum=INT_MAX),
    OptionDef("lock-command", STRING, SESSION, "lock -np"),
    OptionDef(
        "message-command-style", STRING, SESSION, "bg=black,fg=yellow", style=True, separator=","
    ),
    OptionDef("message-style", STRING, SESSION, "bg=yellow,fg=black", style=True, separator=","),
    OptionDef("mouse", FLAG, SESSION, "off"),
    OptionDef("prefix", KEY, SESSION, "C-b"),
    OptionDef("prefix2", KEY, SESSION, "None"),
    OptionDef("renumber-windows", FLAG, SESSION, "off"),
    OptionDef("repeat-time", NUMBER, SESSION, "500", minimum=0, maximum=SHRT_MAX),
    OptionDef("set-titles", FLAG, SESSION, "off"),
    OptionDef("set-titles-string", STRING, SESSION, '#S:#I:#W - "#T" #{session_alerts}'),
    OptionDef(
        "silence-action", CHOICE, SESSION, "other", choices=("none", "any", "current", "other")
    ),
    OptionDef("status", CHOICE, SESSION, "on", choices=("off", "on", "2", "3", "4", "5")),
    OptionDef("status-bg", COLOUR, SESSION, "default"),
    OptionDef("status-fg", COLOUR, SESSION, "default"),
    OptionDef("status-format", STRING, SESSION, STATUS_FORMAT_DEFAULT, array=True),
    OptionDef("status-interval", NUMBER, SESSION, "15", minimum=0, maximum=INT_MAX),
    OptionDef(
        "status-justify",
        CHOICE,
        SESSION,
        "left",
        choices=("left", "centre", "right", "absolute-centre"),
    ),
    OptionDef("status-keys", CHOICE, SESSION, "emacs", choices=("emacs", "vi")),
    OptionDef("status-left", STRING, SESSION, "[#{session_name}] "),
    OptionDef("status-left-length", NUMBER, SESSION, "10", minimum=0, maximum=SHRT_MAX),
    OptionDef("status-left-style", STRING, SESSION, "default", style=True, separator=","),
    OptionDef("status-position", CHOICE, SESSION, "bottom", choices=("top", "bottom")),
    OptionDef(
        "status-right",
        STRING,
        SESSION,
        '#{?window_bigger,[#{window_offset_x}#,#{window_offset_y}] ,}"#{=21:pane_title}" %H:%M %d-%b-%y',
    ),
    OptionDef("status-right-length", NUMBER, SESSION, "40", minimum=0, maximum=SHRT_MAX),
    OptionDef("status-right-style", STRING, SESSION, "default", style=True, separator=","),
    OptionDef("status-style", STRING, SESSION, "bg=green,fg=black", style=True, separator=","),
    OptionDef(
        "update-environment",
        STRING,
        SESSION,
        (
            "DISPLAY",
            "KRB5CCNAME",
            "SSH_ASKPASS",
            "SSH_AUTH_SOCK",
            "SSH_AGENT_PID",
            "SSH_CONNECTION",
            "WINDOWID",
            "XAUTHORITY",
        ),
        array=True,
    ),
    OptionDef("visual-activity", CHOICE, SESSION, "off", choices=("off", "on", "both")),
    OptionDef("visual-bell", CHOICE, SESSION, "off", choices=("off", "on", "both")),
    OptionDef("visual-silence", CHOICE, SESSION, "off", choices=("off", "on", "both")),
    OptionDef("word-separators", STRING, SESSION, WORD_SEPARATORS_DEFAULT),
    OptionDef("aggressive-resize", FLAG, WINDOW, "off"),
    OptionDef("allow-passthrough", FLAG, WINDOW | PANE, "off"),
    OptionDef("allow-rename", FLAG, WINDOW | PANE, "off"),
    OptionDef("alternate-screen", FLAG, WINDOW | PANE, "on"),
    OptionDef("automatic-rename", FLAG, WINDOW, "on"),
    OptionDef(
        "automatic-rename-format",
        STRING,
        WINDOW,
        "#{?pane_in_mode,[tmux],#{pane_current_command}}#{?pane_dead,[dead],}",
    ),
    OptionDef("clock-mode-colour", COLOUR, WINDOW, "blue"),
    OptionDef("clock-mode-style", CHOICE, WINDOW, "24", choices=("12", "24")),
    OptionDef(
        "copy-mode-match-style", STRING, WINDOW, "bg=cyan,fg=black", style=True, separator=","
    ),
    OptionDef(
        "copy-mode-current-match-style",
        STRING,
        WINDOW,
        "bg=magenta,fg=black",
        style=True,
        separator=",",
    ),
    OptionDef("copy-mode-mark-style", STRING, WINDOW, "bg=red,fg=black", style=True, separator=","),
    OptionDef("fill-character", STRING, WINDOW, ""),
    OptionDef("main-pane-height", STRING, WINDOW, "24"),
    OptionDef("main-pane-width", STRING, WINDOW, "80"),
    OptionDef("mode-keys", CHOICE, WINDOW, "emacs", choices=("emacs", "vi")),
    OptionDef("mode-style", STRING, WINDOW, "bg=yellow,fg=black", style=True, separator=","),
    OptionDef("monitor-activity", FLAG, WINDOW, "off"),
    OptionDef("monitor-bell", FLAG, WINDOW, "on"),
    OptionDef("monitor-silence", NUMBER, WINDOW, "0", minimum=0, maximum=INT_MAX),
    OptionDef("other-pane-height", STRING, WINDOW, "0"),
    OptionDef("other-pane-width", STRING, WINDOW, "0"),
    OptionDef(
        "pane-active-border-style",
        STRING,
        WINDOW,
        "#{?pane_in_mode,fg=yellow,#{?synchronize-panes,fg=red,fg=green}}",
        style=True,
        separator=",",
    ),
    OptionDef("pane-base-index", NUMBER, WINDOW, "0", minimum=0, maximum=USHRT_MAX),
    OptionDef(
        "pane-border-format",
        STRING,
        WINDOW | PANE,
        '#{?pane_active,#[reverse],}#{pane_index}#[default] "#{pane_title}"',
    ),
    OptionDef(
        "pane-border-indicators",
        CHOICE,
        WINDOW,
        "colour",
        choices=("off", "colour", "arrows", "both"),
    ),
    OptionDef(
        "pane-border-lines",
        CHOICE,
        WINDOW,
        "single",
        choices=("single", "double", "heavy", "simple", "number"),
    ),
    OptionDef("pane-border-status", CHOICE, WINDOW, "off", choices=("off", "top", "bottom")),
    OptionDef("pane-border-style", STRING, WINDOW, "default", style=True, separator=","),
    OptionDef("pane-colours", COLOUR, WINDOW | PANE, (), array=True),
    OptionDef("popup-style", STRING, WINDOW, "default", style=True, separator=","),
    OptionDef("popup-border-style", STRING, WINDOW, "default", style=True, separator=","),
    OptionDef(
        "popup-border-lines",
        CHOICE,
        WINDOW,
        "single",
        choices=("single", "double", "heavy", "simple", "rounded", "padded", "none"),
    ),
    OptionDef("remain-on-exit", CHOICE, WINDOW | PANE, "off", choices=("off", "on", "failed")),
    OptionDef(
        "remain-on-exit-format",
        STRING,
        WINDOW | PANE,
        "Pane is dead (#{?#{!=:#{pane_dead_status},},status #{pane_dead_status},}#{?#{!=:#{pane_dead_signal},},signal #{pane_dead_signal},}, #{t:pane_dead_time})",
    ),
    OptionDef("scroll-on-clear", FLAG, WINDOW | PANE, "on"),
    OptionDef("synchronize-panes", FLAG, WINDOW | PANE, "off"),
    OptionDef("window-active-style", STRING, WINDOW | PANE, "default", style=True, separator=","),
    OptionDef(
        "window-size", CHOICE, WINDOW, "latest", choices=("largest", "smallest", "manual", "latest")
    ),
    OptionDef("window-style", STRING, WINDOW | PANE, "default", style=True, separator=","),
    OptionDef("window-status-activity-style", STRING, WINDOW, "reverse", style=True, separator=","),
    OptionDef("window-status-bell-style", STRING, WINDOW, "reverse", style=True, separator=","),
    OptionDef(
        "window-status-current-format", STRING, WINDOW, "#I:#W#{?window_flags,#{window_flags}, }"
    ),
    OptionDef("window-status-current-style", STRING, WINDOW, "default", style=True, separator=","),
    OptionDef("window-status-format", STRING, WINDOW, "#I:#W#{?window_flags,#{window_flags}, }"),
    OptionDef("window-status-last-style", STRING, WINDOW, "default", style=True, separator=","),
    OptionDef("window-status-separator", STRING, WINDOW, " "),
    OptionDef("window-status-style", STRING, WINDOW, "default", style=True, separator=","),
    OptionDef("wrap-search", FLAG, WINDOW, "on"),
    OptionDef("xterm-keys", FLAG, WINDOW, "on"),
    _hook("after-bind-key", SESSION),
    _hook("after-capture-pane", SESSION),
    _hook("after-copy-mode", SESSION),
    _hook("after-display-message", SESSION),
    _hook("after-display-panes", SESSION),
    _hook("after-kill-pane", SESSION),
    _hook("after-list-buffers", SESSION),
    _hook("after-list-clients", SESSION),
    _hook("after-list-keys", SESSION),
    _hook("after-list-panes", SESSION),
    _hook("after-list-sessions", SESSION),
    _hook("after-list-windows", SESSION),
    _hook("after-load-buffer", SESSION),
    _hook("after-lock-server", SESSION),
    _hook("after-new-session", SESSION),
    _hook("after-new-window", SESSION),
    _hook("after-paste-buffer", SESSION),
    _hook("after-pipe-pane", SESSION),
    _hook("after-queue", SESSION),
    _hook("after-refresh-client", SESSION),
    _hook("after-rename-session", SESSION),
    _hook("after-rename-window", SESSION),
    _hook("after-resize-pane", SESSION),
    _hook("after-resize-window", SESSION),
    _hook("after-save-buffer", SESSION),
    _hook("after-select-layout", SESSION),
    _hook("after-select-pane", SESSION),
    _hook("after-select-window", SESSION),
    _hook("after-send-keys", SESSION),
    _hook("after-set-buffer", SESSION),
    _hook("after-set-environment", SESSION),
    _hook("after-set-hook", SESSION),
    _hook("after-set-option", SESSION),
    _hook("after-show-environment", SESSION),
    _hook("after-show-messages", SESSION),
    _hook("after-show-options", SESSION),
    _hook("after-split-window", SESSION),
    _hook("after-unbind-key", SESSION),
    _hook("alert-activity", SESSION),
    _hook("alert-bell", SESSION),
    _hook("alert-silence", SESSION),
    _hook("client-active", SESSION),
    _hook("client-attached", SESSION),
    _hook("client-detached", SESSION),
    _hook("client-focus-in", SESSION),
    _hook("client-focus-out", SESSION),
    _hook("client-resized", SESSION),
    _hook("client-session-changed", SESSION),
    _hook("pane-died", WINDOW | PANE),
    _hook("pane-exited", WINDOW | PANE),
    _hook("pane-focus-in", WINDOW | PANE),
    _hook("pane-focus-out", WINDOW | PANE),
    _hook("pane-mode-changed", WINDOW | PANE),
    _hook("pane-set-clipboard", WINDOW | PANE),
    _hook("pane-title-changed", WINDOW | PANE),
    _hook("session-closed", SESSION),
    _hook("session-created", SESSION),
    _hook("session-renamed", SESSION),
    _hook("session-window-changed", SESSION),
    _hook("window-layout-changed", WINDOW),
    _hook("window-linked", SESSION),
    _hook("window-pane-changed", WINDOW),
    _hook("window-renamed", WINDOW),
    _hook("window-resized", WINDOW),
    _hook("window-unlinked", SESSION),
)

OTHER_NAMES = {
    "display-panes-color": "display-panes-colour",
    "display-panes-active-color": "display-panes-active-colour",
    "clock-mode-color": "clock-mode-colour",
    "cursor-color": "cursor-colour",
    "pane-colors": "pane-colours",
}
"""American spellings tmux accepts for an option name."""

BY_NAME: dict[str, OptionDef] = {option.name: option for option in OPTIONS_TABLE}
