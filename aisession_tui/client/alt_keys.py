"""Alt (Meta) keys read from the terminal as the multiplexer needs them: ESC + one key.

A terminal sends Alt+key as ESC followed by the key (xterm's ``metaSendsEscape``), and tmux
passes that on as ``M-key``. Textual's input parser keeps the Alt only for letters and
digits it does not remap, so the client lost it for the rest: ``M-.`` arrived as ``.``,
``M-Enter`` as Enter, ``M-Space`` as Space, ``M-BSpace`` as ctrl+w, ``M-Tab`` as
shift+tab, ``M-b`` / ``M-f`` as ctrl+left / ctrl+right, and ``M-0`` .. ``M-9``, ``M--``,
``M-=`` as the macOS characters WezTerm's Option row makes (``M-5`` became ``∞``, so
tmux's ``M-1`` .. ``M-5`` layouts never fired).

:class:`AltKeyParser` reads ESC + one key as ``alt+`` that key, at once. The introducers of
longer sequences a terminal sends (CSI ``[``, SS3 ``O``, DCS ``P``, OSC ``]``, APC ``_``,
ST ``\\``) are left to Textual, which still reads ESC + one of them, when nothing follows
in time, as ``alt+`` that key. :func:`use_alt_key_parser` makes Textual's terminal drivers
build this parser; only the attached client calls it.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual import events
from textual._xterm_parser import XTermParser
from textual.keys import Keys

ESC = "\x1b"
SEQUENCE_INTRODUCERS = frozenset("[OP]_\\")
"""What may follow ESC at the start of a longer sequence from the terminal."""


def with_alt(event: events.Key) -> events.Key:
    """The same key with Alt held."""
    if event.key == Keys.Ignore or "alt+" in event.key:
        return event
    return events.Key(f"alt+{event.key}", event.character)


class AltKeyParser(XTermParser):
    """Textual's xterm parser with ESC + one key read as Alt + that key."""

    def _sequence_to_key_events(self, sequence: str, alt: bool = False) -> Iterable[events.Key]:
        if len(sequence) == 2 and sequence[0] == ESC and sequence[1] != ESC and \
                sequence[1] not in SEQUENCE_INTRODUCERS:
            yield from self._sequence_to_key_events(sequence[1], alt=True)
            return
        for event in super()._sequence_to_key_events(sequence, alt):
            yield with_alt(event) if alt else event


def use_alt_key_parser() -> None:
    """Have Textual's Linux drivers (full screen and inline) read keys with
    :class:`AltKeyParser`."""
    from textual.drivers import linux_driver, linux_inline_driver

    linux_driver.XTermParser = AltKeyParser  # type: ignore[misc]
    linux_inline_driver.XTermParser = AltKeyParser  # type: ignore[misc]
