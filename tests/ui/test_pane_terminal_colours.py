"""Pane colours in a real terminal pass through as tmux passes them: palette indexes stay
indexes and the default colours stay the terminal's defaults (reverse and hidden as SGR
attributes), so the user's palette and background show unchanged. Headless runs keep the
theme's concrete colours (see ``StyleCache``)."""

from __future__ import annotations

from rich.color import Color, ColorType

from aisession_tui.terminal import style as cell
from aisession_tui.widgets.pane_view import StyleCache, build_strip

THEME = (Color.parse("#e5e5e5"), Color.parse("#000000"), Color.parse("#000000"),
         Color.parse("#cdcd00"))


def test_terminal_colours_keep_indexes_and_defaults() -> None:
    styles = StyleCache(*THEME, terminal_colours=True)
    red = styles.get(1, cell.DEFAULT, 0)
    assert red.color is not None and red.color.type is ColorType.STANDARD
    assert red.color.number == 1 and red.bgcolor is None
    orange = styles.get(208, cell.DEFAULT, 0)
    assert orange.color is not None and orange.color.type is ColorType.EIGHT_BIT
    truecolour = styles.get(cell.TRUECOLOR | 0x0AC81E, cell.DEFAULT, 0)
    assert truecolour.color is not None and truecolour.color.triplet == (10, 200, 30)
    reverse = styles.get(cell.DEFAULT, cell.DEFAULT, cell.REVERSE)
    assert (reverse.color, reverse.bgcolor, reverse.reverse) == (None, None, True)
    hidden = styles.get(cell.DEFAULT, cell.DEFAULT, cell.HIDDEN)
    assert hidden.conceal and hidden.color is None
    strip = build_strip([["hi", cell.DEFAULT, cell.DEFAULT, 0]], styles, 5)
    assert all(segment.style is not None and segment.style.color is None
               and segment.style.bgcolor is None for segment in strip)  # padding too


def test_headless_colours_are_the_themes() -> None:
    styles = StyleCache(*THEME)
    plain = styles.get(cell.DEFAULT, cell.DEFAULT, 0)
    assert plain.color == THEME[0] and plain.bgcolor == THEME[1]
    reverse = styles.get(cell.DEFAULT, cell.DEFAULT, cell.REVERSE)
    assert reverse.color == THEME[1] and reverse.bgcolor == THEME[0]
