"""display-popup (popup): run a command in a popup over a client's panes
(:mod:`aisession_tui.server.popups`), as tmux 3.3a's cmd_display_popup_exec.

The order of the checks is tmux's: the client first (``no current client``, ``can't find
client``), then the target pane, then ``-C`` (close the client's popup and stop), then a
client that already shows a popup (nothing happens), then the height and width (cells or
``%`` of the client's terminal: ``height too small`` / ``too large`` / ``invalid``), the
position and ``-b`` (``popup-border-lines unknown value: x``). Positions are tmux's: ``C``
centre (the default), ``R`` right, ``P`` the pane, ``S`` the status line, or a number;
``-y`` names the popup's bottom edge. The command run from the CLI waits until the popup
closes, as tmux's does.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from .spec import Args, CommandError, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext

BORDER_LINES = ("single", "double", "heavy", "simple", "rounded", "padded", "none")


def parse_size(text: str, name: str, total: int) -> int:
    """tmux's args_percentage(1, total, total): cells or ``N%`` of ``total``."""
    try:
        value = int(total * float(text[:-1]) / 100) if text.endswith("%") else int(text)
    except ValueError:
        raise CommandError(f"{name} invalid") from None
    if value < 1:
        raise CommandError(f"{name} too small")
    if value > total:
        raise CommandError(f"{name} too large")
    return value


def leading_number(text: str) -> int:
    """strtol's reading of a position: its leading integer, else 0."""
    digits = ""
    for index, char in enumerate(text.strip()):
        if char.isdigit() or (index == 0 and char in "+-"):
            digits += char
        else:
            break
    try:
        return int(digits)
    except ValueError:
        return 0


X_POSITIONS = {"C": "#{popup_centre_x}", "R": "#{popup_pane_right}",
               "P": "#{popup_pane_left}", "M": "#{popup_mouse_centre_x}",
               "W": "#{popup_window_status_line_x}"}
"""What tmux 3.3a expands for ``-x``'s letters (anything else is a format itself)."""
Y_POSITIONS = {"C": "#{popup_centre_y}", "P": "#{popup_pane_bottom}",
               "M": "#{popup_mouse_top}", "S": "#{popup_status_line_y}",
               "W": "#{popup_window_status_line_y}"}
"""``-y``'s letters: each names the popup's bottom edge."""


def position_formats(*, columns: int, lines: int, width: int, height: int,
                     pane_box: tuple[int, int, int, int], status: int, status_top: bool,
                     window_x: int | None) -> dict[str, str]:
    """The ``popup_*`` variables cmd_display_menu_get_position adds for ``-x``/``-y``
    (``pane_box`` is the target pane in the window; ``status`` the status lines; the
    mouse's are missing: no command here comes from a mouse event)."""
    found: dict[str, str] = {}
    top = 0
    if status:
        top = status if status_top else 0
        if window_x is not None:
            found["popup_window_status_line_x"] = str(window_x)
            found["popup_window_status_line_y"] = str(
                1 + height if status_top else lines - status)
        found["popup_status_line_y"] = str(status + height if status_top else lines - status)
    found["popup_width"], found["popup_height"] = str(width), str(height)
    found["popup_centre_x"] = str(max(0, (columns - 1) // 2 - width // 2))
    centre_y = (lines - 1) // 2 + height // 2
    found["popup_centre_y"] = str(lines - height if centre_y >= lines else centre_y)
    pane_x, pane_y, pane_w, pane_h = pane_box
    pane_top = top + pane_y + height
    found["popup_pane_top"] = str(lines - height if pane_top >= lines else pane_top)
    found["popup_pane_bottom"] = str(top + pane_y + pane_h)
    found["popup_pane_left"] = str(pane_x)
    found["popup_pane_right"] = str(max(0, pane_x + pane_w - width))
    return found


def popup_position(x_value: str, y_value: str, *, columns: int, lines: int, width: int,
                   height: int) -> tuple[int, int]:
    """The popup's top-left cell from ``-x``/``-y`` expanded (strtol's reading): ``x``
    pulled back so the popup fits, ``y`` the bottom edge less the height."""
    x = leading_number(x_value)
    if x + width >= columns:
        x = columns - width
    elif x < 0:
        x = 0
    bottom = leading_number(y_value)
    y = 0 if bottom < height else bottom - height
    if y + height >= lines:
        y = lines - height
    return max(0, x), max(0, y)


def popup_colours(option: str, given: str | None) -> str:
    """The colours a popup part is drawn in, as tmux 3.3a's popup_display sets them: the
    option (``popup-style`` / ``popup-border-style``) on the default cell, then the flag's
    (``-s`` / ``-S``) foreground and background parsed from default colours (``default``
    meaning the option's; a style that does not parse is ignored); attributes dropped.
    Returned as a style string (``fg=red,bg=blue``, ``default``)."""
    from ..styles import DEFAULT_STYLE, Style, StyleError, parse_style, style_to_string

    try:
        cell = parse_style(option)
    except StyleError:
        cell = DEFAULT_STYLE
    if given is not None:
        try:
            cell = parse_style(given, base=cell, current=DEFAULT_STYLE)
        except StyleError:
            pass
    return style_to_string(Style(fg=cell.fg, bg=cell.bg))


def status_lines(value: str) -> int:
    """How many lines the ``status`` option takes."""
    if value == "on":
        return 1
    return int(value) if value.isdigit() else 0


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    from .. import status_ranges
    from ..client_formats import client_of, is_control
    from ..client_lock import target_client
    from ..context import RequestContext
    from ..popups import PopupGeometry
    from ..targets import resolve

    client = target_client(ctx, args.get("c"))
    target = resolve(ctx.current, "pane", args.get("t"))
    popups = ctx.services.popups
    if args.has("C"):
        popups.close(client)
        return CommandResult()
    if popups.of(client) is not None:
        return CommandResult()
    session, window, pane = target.session, target.window, target.pane
    options = ctx.engine.options
    session_scope, window_scope = f"${session.id}", f"@{window.id}"
    if is_control(client):
        columns, lines, status = client.columns, client.lines, 0
    else:
        status = status_lines(options.get("status", session_scope))
        columns, lines = client.columns, client.lines + status
    height = parse_size(args.get("h"), "height", lines) if args.has("h") else lines // 2
    width = parse_size(args.get("w"), "width", columns) if args.has("w") else columns // 2
    status_top = options.get("status-position", session_scope) == "top"
    box = window.layout.geometry().get(pane.id)
    pane_box = (box.x, box.y, box.width, box.height) if box else (0, 0, columns, lines)
    window_x = status_ranges.window_start(client, window.index) if status else None
    variables = position_formats(columns=columns, lines=lines, width=width, height=height,
                                 pane_box=pane_box, status=status, status_top=status_top,
                                 window_x=window_x)
    position_ctx = (replace(ctx, formats={**ctx.formats, **variables})
                    if isinstance(ctx, RequestContext) else ctx)
    x_text, y_text = str(args.get("x") or "C"), str(args.get("y") or "C")
    x, y = popup_position(
        position_ctx.expand(X_POSITIONS.get(x_text, x_text), session, window, pane),
        position_ctx.expand(Y_POSITIONS.get(y_text, y_text), session, window, pane),
        columns=columns, lines=lines, width=width, height=height)
    border_lines = options.get("popup-border-lines", window_scope) or "single"
    if args.has("b"):
        border_lines = str(args.get("b"))
        if border_lines not in BORDER_LINES:
            raise CommandError(f"popup-border-lines unknown value: {border_lines}")
    border = not args.has("B") and border_lines != "none"
    geometry = PopupGeometry(x, y, width, height, border)
    if border and (width < 3 or height < 3):
        return CommandResult()  # no room inside the border: tmux shows nothing
    extra: dict[str, str] = {}
    for assignment in args.all("e"):
        name, equals, value = assignment.partition("=")
        if equals and name:
            extra[name] = value
    env = ctx.engine.child_env(session, pane.id, extra)
    argv, integrated, start = ctx.engine._child_argv(list(args.positional) or None, env,
                                                     session)
    cwd = ctx.expand(str(args.get("d")), session, window, pane) if args.has("d") else session.cwd
    title = ctx.expand(str(args.get("T")), session, window, pane) if args.has("T") else ""
    closes = len(args.all("E")) if args.has("E") else 0
    popup = popups.open(
        client, argv=argv, cwd=cwd, env=env, integrated=integrated, start_command=start,
        geometry=geometry, border_lines=border_lines, title=title,
        style=popup_colours(options.get("popup-style", window_scope), args.get("s")),
        border_style=popup_colours(options.get("popup-border-style", window_scope),
                                   args.get("S")),
        close_on_exit=closes == 1, close_on_success=closes >= 2, status_lines=status)
    if client_of(ctx.client) is None:
        await popup.closed.wait()  # tmux's CMD_RETURN_WAIT: the CLI returns on close
        return CommandResult(exit_code=popup.status)
    return CommandResult()


SPEC = CommandSpec(
    name="display-popup", alias=("popup",), flags="BCEb:c:d:e:h:s:S:t:T:w:x:y:",
    repeatable="Ee",
    usage="[-BCE] [-b border-lines] [-c target-client] [-d start-directory] "
          "[-e environment] [-h height] [-s style] [-S border-style] [-t target-pane]"
          "[-T title] [-w width] [-x position] [-y position] [shell-command]",
    max_args=None, run=run, summary="Display a popup")
