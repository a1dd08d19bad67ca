"""What an attached client's status line shows, from the session's options.

:func:`status_payload` expands ``status-left``/``status-right`` (``strftime`` first, as
tmux's status line does, and ``#()`` through the server's :class:`JobRunner`) and each
window's ``window-status-format`` / ``window-status-current-format``, and gathers the
styles that colour them, so the client only draws. Texts keep their ``#[...]`` style
directives; styles are sent as tmux style strings, parsed by the client with
:mod:`styles`. The payload is part of the ``session`` notification; the client hub
recomputes it every name check, so a clock, a ``#()`` output or an option change reaches
attached clients within a second.

A window's style follows tmux's default ``status-format``: ``window-status-style`` (the
current window: ``window-status-current-style`` unless that is ``default``), then the
last-window, bell and activity styles when they apply and are not ``default``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..protocol import messages
from .format_jobs import JobRunner
from .format_vars import format_lookup
from .formats import expand
from .option_table import STATUS_FORMAT_DEFAULT

FOREVER = 365 * 24 * 3600
"""``status-interval 0``: a job runs once (tmux redraws only on events then)."""

if TYPE_CHECKING:
    from collections.abc import Callable

    from .format_vars import FormatSources
    from .options import Options
    from .registry import Session, Window


def format_jobs(server: FormatSources) -> JobRunner:
    """The server's ``#()`` runner (clients are told of new output by the hub's periodic
    check)."""
    return server.format_jobs


def _window_style(server: FormatSources, session: Session, window: Window) -> str:
    options = server.engine.options
    scopes = (f"@{window.id}",)
    lookup = format_lookup(server, session, window, None)

    def style(name: str) -> str:
        value = options.get(name, *scopes)
        return expand(value, lookup) if "#{" in value else value

    current = window.index == session.current_index
    parts = [style("window-status-style")]
    if current and style("window-status-current-style") != "default":
        parts = [style("window-status-current-style")]
    if window.index == session.last_index and style("window-status-last-style") != "default":
        parts.append(style("window-status-last-style"))
    if window.bell_flag and style("window-status-bell-style") != "default":
        parts.append(style("window-status-bell-style"))
    elif (window.activity_flag or window.silence_flag) and \
            style("window-status-activity-style") != "default":
        parts.append(style("window-status-activity-style"))
    return ",".join(parts)


def status_payload(server: FormatSources, session: Session) -> messages.StatusLine:
    """The status line of ``session``, expanded (see the module docstring)."""
    options = server.engine.options
    scope = f"${session.id}"
    jobs = format_jobs(server)
    interval = options.number("status-interval", scope)
    jobs.interval = float(interval) if interval > 0 else float(FOREVER)
    lookup = format_lookup(server, session, None, None, jobs=jobs)

    def text(name: str, *scopes: str) -> str:
        return expand(options.get(name, *scopes, scope), lookup, expand_time=True)

    def style(name: str) -> str:
        value = options.get(name, scope)
        return expand(value, lookup) if "#{" in value else value

    windows: list[messages.StatusWindow] = []
    for window in session.ordered_windows():
        window_lookup = format_lookup(server, session, window, None, jobs=jobs)
        current = window.index == session.current_index
        name = "window-status-current-format" if current else "window-status-format"
        windows.append({
            "index": window.index,
            "text": expand(options.get(name, f"@{window.id}"), window_lookup,
                           expand_time=True),
            "style": _window_style(server, session, window),
        })
    line: messages.StatusLine = {
        "status": options.get("status", scope),
        "position": options.get("status-position", scope),
        "justify": options.get("status-justify", scope),
        "style": style("status-style"),
        "left": text("status-left"),
        "left_length": options.number("status-left-length", scope),
        "left_style": style("status-left-style"),
        "right": text("status-right"),
        "right_length": options.number("status-right-length", scope),
        "right_style": style("status-right-style"),
        "separator": expand(options.get("window-status-separator", f"@{session.current.id}"),
                            lookup),
        "windows": windows,
        "message_style": style("message-style"),
        "message_command_style": style("message-command-style"),
        "mouse": options.flag("mouse", scope),
        "mode_style": style("mode-style"),
        "lines": [expand(line, lookup, expand_time=True)
                  for line in options.array("status-format", scope)[1:_line_count(
                      options.get("status", scope))]],
    }
    panel = {name: options.get(f"@side-panel-{name}", scope) for name in ("width", "min", "max")}
    if any(panel.values()):  # ai-session's own settings, as user options (README)
        line["panel"] = panel
    first = _own_first_line(options, scope, lookup)
    if first is not None:
        line["first"] = first
    return line


def _own_first_line(options: Options, scope: str, lookup: Callable[[str], str | None]
                    ) -> str | None:
    """The user's own ``status-format[0]`` expanded, None while it is tmux's default (the
    client draws the default line from the parts above)."""
    formats = options.array("status-format", scope)
    if not formats or formats[0] == STATUS_FORMAT_DEFAULT[0]:
        return None
    return expand(formats[0], lookup, expand_time=True)


def lines_taken(options: Options, scope: str) -> int:
    """Terminal lines the status line of ``scope`` takes from the panes, as the client's
    status bar counts them (``off`` none; else one and the ``status-format`` lines after
    the first that ``status`` asks for)."""
    status = options.get("status", scope)
    if status == "off":
        return 0
    return 1 + len(options.array("status-format", scope)[1:_line_count(status)])


def _line_count(status: str) -> int:
    """How many lines ``status`` asks for (``on`` one, ``2``..``5``)."""
    return int(status) if status.isdigit() else (0 if status == "off" else 1)


def border_styles(server: FormatSources, session: Session, window: Window) -> dict[str, str]:
    """``pane-border-style`` and ``pane-active-border-style`` of a window, expanded for
    its active pane (the active border's default turns red with ``synchronize-panes``),
    its ``pane-border-indicators`` and its ``fill-character``."""
    options = server.engine.options
    pane = window.active if window.panes else None
    scopes = ((f"%{pane.id}",) if pane is not None else ()) + (f"@{window.id}",)
    lookup = format_lookup(server, session, window, pane)
    styles = {}
    for key, name in (("border_style", "pane-border-style"),
                      ("active_border_style", "pane-active-border-style")):
        value = options.get(name, *scopes)
        styles[key] = expand(value, lookup) if "#{" in value else value
    styles["border_indicators"] = options.get("pane-border-indicators", f"@{window.id}")
    styles["fill_character"] = options.get("fill-character", f"@{window.id}")
    return styles
