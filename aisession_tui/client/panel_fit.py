"""Whether the side panel fits beside the current window's panes.

The panel takes ``side_panel_width`` columns from the window area (a number of cells, or a
percentage of the terminal kept between ``side_panel_min`` and ``side_panel_max``:
:func:`panel_columns`; set with the ``@side-panel-width``/``-min``/``-max`` user options,
:func:`panel_settings`); it is not shown (and is
hidden again on a terminal resize), with a notice in the status line, when the panes side
by side in the current window would get fewer than ``USABLE_PANE_COLUMNS`` columns each
(issue 15: at 80x24 with three panes across, a 40-column panel left them 9 and 1 wide).

Invariant: pure functions of the ``session`` notification's data; no Textual import.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aisession_tui.config import Config

USABLE_PANE_COLUMNS = 20
"""The narrowest pane the panel may leave (about a shell prompt and a short command)."""

HIDDEN_NOTICE = (f"side panel hidden: panes would be narrower than {USABLE_PANE_COLUMNS} "
                 "columns")


def panel_columns(width: int | str, terminal_columns: int, minimum: int = 20,
                  maximum: int = 80) -> int:
    """The side panel's width in cells: ``width`` cells, or ``"N%"`` of the terminal's
    columns kept between ``minimum`` and ``maximum``."""
    if isinstance(width, str) and width.endswith("%"):
        share = terminal_columns * int(width[:-1]) // 100
        return max(minimum, min(maximum, share))
    return int(width)


def current_window(session: Mapping[str, Any]) -> Mapping[str, Any]:
    """The session's current window (an empty mapping before the first notification)."""
    windows = session.get("windows") or []
    return next((window for window in windows if window.get("active")),
                windows[0] if windows else {})


def panes_across(window: Mapping[str, Any]) -> int:
    """The most panes side by side on any line of ``window`` (a zoomed window shows one)."""
    panes = [pane for pane in window.get("panes") or [] if pane.get("visible", True)]
    if not panes:
        return 1
    edges = sorted({int(pane.get("y", 0)) for pane in panes})
    return max(1, max(sum(1 for pane in panes
                          if int(pane.get("y", 0)) <= line
                          < int(pane.get("y", 0)) + int(pane.get("height", 1)))
                      for line in edges))


def panel_fits(terminal_columns: int, panel_columns: int,
               window: Mapping[str, Any]) -> bool:
    """Whether ``window``'s panes keep ``USABLE_PANE_COLUMNS`` each (and their borders)
    beside a panel of ``panel_columns`` in a terminal ``terminal_columns`` wide."""
    across = panes_across(window)
    return terminal_columns - panel_columns >= across * USABLE_PANE_COLUMNS + across - 1


def panel_settings(options: Mapping[str, str], config: Config) -> tuple[int | str, int, int]:
    """(width, minimum, maximum) from the ``@side-panel-width``/``-min``/``-max`` user
    options as the server sends them (``width``, ``min``, ``max``): a width of cells or
    ``N%`` (1 to 90), bounds of at least 10 cells; an unset or invalid one keeps
    ``config``'s."""
    width: int | str = config.side_panel_width
    text = str(options.get("width") or "").strip()
    if text.endswith("%") and text[:-1].isdigit() and 1 <= int(text[:-1]) <= 90:
        width = text
    elif text.isdigit() and int(text) >= 10:
        width = int(text)

    def bound(name: str, current: int) -> int:
        value = str(options.get(name) or "").strip()
        return int(value) if value.isdigit() and int(value) >= 10 else current

    return width, bound("min", config.side_panel_min), bound("max", config.side_panel_max)
