"""The input parser of one pane (tmux's input.c): the bytes a child writes, tokenised and
dispatched to the screen's operations.

:class:`InputParser` is the input half of :class:`~.emulator.Emulator`: an incremental
UTF-8 decoder and a regex tokenizer that replaces pyte's one-character-per-``send()``
parser generator: printable runs, ``CR LF``-terminated plain ASCII lines (drawn in bulk,
only the rows that stay visible or in history are built), CSI, OSC and the common escapes
are all matched in C; only rare or split sequences take a slow path.

Invariant: ``feed`` never raises: a malformed or unknown sequence is dropped and parsing
goes on; a sequence split across two ``feed`` calls is completed by the second one.
"""

from __future__ import annotations

import codecs
import logging
import re
import time
from collections.abc import Callable
from typing import Any

from .screen_ops import (
    _MAX_PENDING_SEQUENCE,
    _MAX_PENDING_STRING,
    PaneScreen,
    _first,
    _ints,
)

log = logging.getLogger("aisession_tui.terminal.emulator")  # its name before the split

STRING_TIMEOUT = 5.0
"""Seconds after which an unfinished string sequence (DCS, OSC...) is given up and the
bytes after it are read afresh (tmux's input_start_timer)."""


# Tokens of the input: every position matches exactly one alternative.
_TOKEN = re.compile(
    r"\x1b\[([0-9;]*+)([@-ln-~])"                # 1-2: plain CSI but SGR: params, final
    r"|((?:[ -~]*+\r\n)++)"                      # 3: plain ASCII lines ended by CR LF
    r"|((?:[ -~]*+\x1b\[[0-9;]*+m)++[ -~]*+(?!\r\n))"  # 4: ASCII text with plain SGRs
    r"|((?:(?:[ -~]++|\x1b\[[0-9;]*+m)*+\r\n)++)"  # 5: lines of that, ended by CR LF
    r"|([^\x00-\x1f\x7f-\x9f]++)"                # 6: printable text
    r"|\x1b\[([0-?]*+)([ -/]*+)([@-~])"          # 7-9: CSI params, intermediates, final
    r"|([\x00-\x1a\x1c-\x1f\x7f-\x9f])"          # 10: one control character (not ESC)
    r"|\x1b([()*+\-./])([0-~])"                  # 11-12: charset designation
    r"|\x1b\]([^\x07\x18\x1a\x1b]*+)(?:\x07|\x1b\\)"  # 13: OSC
    r"|\x1b([0-OQ-WYZ\\`-jl-~])"                 # 14: ESC + one final character
    r"|(\x1b)",                                  # 15: anything else after ESC: slow path
    re.DOTALL,
)
"""Plain CSI comes first: cursor moves and erases (a redraw's most frequent tokens) are
then matched without trying the text alternatives; an SGR (final ``m``) is left to the
styled-text alternatives, which take it with the text after it."""
(_KIND_PLAIN_CSI, _KIND_LINES, _KIND_STYLED, _KIND_STYLED_LINES, _KIND_TEXT, _KIND_CSI,
 _KIND_CONTROL, _KIND_CHARSET, _KIND_OSC, _KIND_ESCAPE) = (2, 3, 4, 5, 6, 9, 10, 12, 13, 14)



CSI_PLAIN: dict[str, Callable[[PaneScreen, str], None]] = {
    "m": PaneScreen.sgr,
    "H": PaneScreen.cup,
    "f": PaneScreen.cup,
    "A": lambda s, p: s.cursor_up(_first(p)),
    "B": lambda s, p: s.cursor_down(_first(p)),
    "C": lambda s, p: s.cursor_forward(_first(p)),
    "D": lambda s, p: s.cursor_back(_first(p)),
    "E": lambda s, p: s.cursor_down1(_first(p)),
    "F": lambda s, p: s.cursor_up1(_first(p)),
    "G": lambda s, p: s.cursor_to_column(_first(p)),
    "`": lambda s, p: s.cursor_to_column(_first(p)),
    "d": lambda s, p: s.cursor_to_line(_first(p)),
    "J": lambda s, p: s.erase_in_display(_first(p, 0)),
    "K": PaneScreen.el,
    "L": lambda s, p: s.insert_lines(min(_first(p), s.lines)),
    "M": lambda s, p: s.delete_lines(min(_first(p), s.lines)),
    "@": lambda s, p: s.insert_characters(min(_first(p), s.columns)),
    "P": lambda s, p: s.delete_characters(min(_first(p), s.columns)),
    "X": lambda s, p: s.erase_characters(min(_first(p), s.columns)),
    "S": lambda s, p: s.scroll_up(_first(p)),
    "T": lambda s, p: s.scroll_down(_first(p)),
    "r": PaneScreen._decstbm,
    "h": lambda s, p: s.set_ansi_modes(_ints(p), True),
    "l": lambda s, p: s.set_ansi_modes(_ints(p), False),
    "c": lambda s, p: s.report_device_attributes(_first(p, 0)),
    "n": lambda s, p: s.report_device_status(_first(p, 0)),
    "g": lambda s, p: s.clear_tab_stop(_first(p, 0)),
    "Z": lambda s, p: s.back_tab(_first(p)),
    "b": lambda s, p: s.repeat_last(_first(p)),
    "s": lambda s, p: s.save_cursor(),  # with parameters too, as tmux
    "u": lambda s, p: s.restore_cursor(),
}
"""Handlers of plain CSI sequences (no private marker, no intermediates) by final, called
with the screen: one table for every pane (a table of bound methods and closures per
emulator cost ~8 KB a pane)."""
CONTROLS: dict[str, Callable[[PaneScreen], None]] = {
    "\r": PaneScreen.carriage_return,
    "\n": PaneScreen.linefeed,
    "\x0b": PaneScreen.linefeed,
    "\x0c": PaneScreen.linefeed,
    "\x08": PaneScreen.backspace,
    "\t": PaneScreen.tab,
    "\x0e": PaneScreen.shift_out,
    "\x0f": PaneScreen.shift_in,
    "\x07": PaneScreen.ring,
}
"""C0 controls the emulator acts on, called with the screen."""


class InputParser:
    """Feeding the screen (the state lives on :class:`~.emulator.Emulator`, which sets it
    up in its constructor)."""

    _screen: PaneScreen
    _on_reply: Callable[[bytes], None] | None
    _decoder: codecs.IncrementalDecoder
    _pending: str
    _resume: str | None
    _skipping_string: bool
    _pending_since: float | None
    """When the unfinished string sequence in ``_pending`` began (None: not a string)."""
    _carried_since: float | None

    # -- input ----------------------------------------------------------------------------

    def feed(self, data: bytes) -> None:
        """Process bytes from the child; never raises."""
        try:
            text = self._decoder.decode(data)
        except Exception:  # the decoder replaces errors; this guards odd input types
            log.debug("undecodable input dropped", exc_info=True)
            return
        self._carried_since = None
        if self._pending:
            since = self._pending_since
            if since is not None and time.monotonic() - since > STRING_TIMEOUT:
                pass  # tmux gives up a string sequence after 5 s (input_timer_callback)
            else:
                text = self._pending + text
                self._carried_since = since
            self._pending = ""
            self._pending_since = None
        if self._skipping_string:
            ends = [text.find(char) for char in "\x07\x18\x1a\x1b"]
            end = min((index for index in ends if index >= 0), default=-1)
            if end < 0:
                return
            self._skipping_string = False
            text = text[end + (text[end] != "\x1b"):]
        position = 0
        length = len(text)
        while True:
            while position < length:
                position = self._run(text, position)
            if self._resume is None:
                break
            text, self._resume = self._resume, None
            position, length = 0, len(text)

    def _send_reply(self, text: str) -> None:
        if self._on_reply is not None:
            self._on_reply(text.encode())

    def _run(self, text: str, position: int) -> int:
        """Dispatch tokens from ``position``; return where to resume (len(text) when done)."""
        screen = self._screen
        draw = screen.draw
        csi_plain = CSI_PLAIN
        controls = CONTROLS
        for match in _TOKEN.finditer(text, position):
            kind = match.lastindex
            try:
                if kind == _KIND_PLAIN_CSI:
                    # (digits and semicolons only: no private marker, intermediate or
                    # sub-parameter to check)
                    params, final = match.group(1, 2)
                    handler = csi_plain.get(final)
                    if handler is None:
                        continue  # tmux: an unknown CSI keeps REP's character
                    handler(screen, params)
                elif kind == _KIND_STYLED:
                    segment = match.group(4)
                    # (draw_styled, its redraw row case first, in one call)
                    if screen.cursor.x or not screen.draw_reset_row(segment):
                        screen.draw_styled_rest(segment)
                elif kind == _KIND_CSI:
                    params, intermediates, final = match.group(7, 8, 9)
                    if intermediates or params[:1] in ("<", "=", ">", "?"):
                        screen.csi_other(params, intermediates, final)
                    else:
                        handler = csi_plain.get(final)
                        if handler is None:
                            continue  # tmux: an unknown CSI keeps REP's character
                        if ":" not in params or final == "m":
                            handler(screen, params)
                        # else tmux reads a parameter with sub-parameters as invalid
                elif kind == _KIND_TEXT:
                    draw(match.group(6))
                elif kind == _KIND_LINES:
                    block = match.group(3)
                    if len(block) == 2:
                        screen.cursor.x = 0
                        screen.linefeed()
                    elif screen.bulk_lines_allowed():
                        screen.draw_plain_lines(block.split("\r\n")[:-1],
                                                trailing_blanks=" \r\n" in block)
                    else:
                        for line in block.split("\r\n")[:-1]:
                            if line:
                                draw(line)
                            screen.cursor.x = 0
                            screen.linefeed()
                elif kind == _KIND_STYLED_LINES:
                    screen.draw_styled_lines(match.group(5).split("\r\n")[:-1])
                elif kind == _KIND_CONTROL:
                    control = controls.get(match.group(10))
                    if control is not None:
                        control(screen)
                elif kind == _KIND_CHARSET:
                    screen.escape_intermediate(match.group(11), match.group(12))
                elif kind == _KIND_OSC:
                    screen.osc(match.group(13))
                elif kind == _KIND_ESCAPE:
                    screen.escape(match.group(14))
                else:
                    if text[match.start() + 1:match.start() + 2] not in ("[", ""):
                        # (a CSI resets it only if it runs; an ESC that ends the data
                        # may begin one)
                        screen.last_char = ""
                    return self._slow_escape(text, match.start())
                if kind != _KIND_TEXT and kind != _KIND_STYLED:
                    screen.last_char = ""  # REP repeats only a character just printed
            except Exception:
                log.debug("dropped a sequence the emulator could not apply", exc_info=True)
        return len(text)

    def _slow_escape(self, text: str, start: int) -> int:
        """An ESC the token regex could not settle: split, malformed or a string sequence.

        Returns where parsing resumes; an incomplete sequence is kept for the next feed.
        """
        length = len(text)
        if start + 1 >= length:
            return self._keep_pending(text, start, string=False)
        introducer = text[start + 1]
        if introducer == "[":
            return self._slow_csi(text, start)
        if introducer == "P":
            return self._dcs(text, start)
        if introducer in "]X^_k":
            # A string runs to BEL (OSC and tmux's rename string only) or ST; any other ESC
            # ends it and starts a new sequence, CAN and SUB abort it (the VT500 parser's
            # rules).
            index = start + 2
            while index < length:
                char = text[index]
                if char == "\x07" and introducer in "]k":
                    self._string_done(introducer, text[start + 2:index])
                    return index + 1
                if char in "\x18\x1a":
                    return index + 1
                if char == "\x1b":
                    if index + 1 >= length:
                        break
                    if text[index + 1] != "\\":
                        return index
                    self._string_done(introducer, text[start + 2:index])
                    return index + 2
                index += 1
            return self._keep_pending(text, start, string=True)
        return self._escape_sequence(text, start)

    def _dcs(self, text: str, start: int) -> int:
        """A DCS, dropped as tmux 3.3a reads it: up to its final character (``@`` to
        ``~``) ESC, CAN and SUB abort it like any sequence (a ``:`` makes tmux ignore the
        rest up to one of them); after it only ST (``ESC \\``) ends it, another ESC, CAN
        and SUB being part of its data (tmux's dcs_handler and dcs_escape states)."""
        length = len(text)
        index = start + 2
        ignoring = False
        while index < length:
            char = text[index]
            if char == "\x1b":
                return index
            if char in "\x18\x1a":
                return index + 1
            if char == ":":
                ignoring = True
            elif not ignoring and "@" <= char <= "~":
                end = text.find("\x1b\\", index + 1)
                if end < 0:
                    return self._keep_pending(text, start, string=True)
                return end + 2
            index += 1
        return self._keep_pending(text, start, string=True)

    def _string_done(self, introducer: str, body: str) -> None:
        """A complete OSC (``]``) or rename string (``k``); DCS, SOS, PM and APC are
        dropped."""
        if introducer == "]":
            self._safely(self._screen.osc, body)
        elif introducer == "k":
            self._safely(self._screen.rename_string, body)

    def _escape_sequence(self, text: str, start: int) -> int:
        """ESC, intermediates (``SP`` to ``/``) and a final (``0`` to ``~``), as tmux's
        parser reads it: C0 controls inside run and the escape goes on, DEL and non-ASCII
        characters are ignored, CAN and SUB cancel it, another ESC restarts it."""
        length = len(text)
        index = start + 1
        intermediates = ""
        interrupted = False
        while index < length:
            char = text[index]
            if char == "\x1b":
                return index
            if char in "\x18\x1a":
                return index + 1
            if char < " ":
                handler = CONTROLS.get(char)
                if handler is not None:
                    self._safely(handler, self._screen)
                interrupted = True
            elif char >= "\x7f":
                interrupted = True
            elif char <= "/":
                intermediates += char
            elif not intermediates and char in "[]PX^_k":
                self._resume = "\x1b" + text[index:]
                return length
            else:
                if intermediates:
                    self._safely(self._screen.escape_intermediate, intermediates, char)
                else:
                    self._safely(self._screen.escape, char)
                return index + 1
            index += 1
        if not interrupted:
            return self._keep_pending(text, start, string=False)
        self._pending = "\x1b" + intermediates[:_MAX_PENDING_SEQUENCE]
        return length

    def _slow_csi(self, text: str, start: int) -> int:
        """CSI containing control characters (executed in place) or malformed bytes."""
        length = len(text)
        index = start + 2
        collected: list[str] = []
        while index < length:
            char = text[index]
            if "@" <= char <= "~":
                body = "".join(collected)
                split = len(body.rstrip(" !\"#$%&'()*+,-./"))
                params, intermediates = body[:split], body[split:]
                if not intermediates and params[:1] not in ("<", "=", ">", "?"):
                    handler = CSI_PLAIN.get(char)
                    if handler is not None:
                        self._screen.last_char = ""
                        if ":" not in params or char == "m":
                            self._safely(handler, self._screen, params)
                else:
                    self._screen.last_char = ""
                    self._safely(self._screen.csi_other, params, intermediates, char)
                return index + 1
            if char == "\x1b":
                return index
            if char in "\x18\x1a":
                return index + 1
            if char < " ":
                control = CONTROLS.get(char)
                if control is not None:
                    self._screen.last_char = ""
                    self._safely(control, self._screen)
            elif char <= "?":
                collected.append(char)
            # (anything else is DEL or non-ASCII, which tmux ignores inside a CSI)
            index += 1
            if index - start > _MAX_PENDING_SEQUENCE:
                return index
        # (cut at the end of the data: the next feed goes on with what was collected, the
        # controls inside having run already)
        self._pending = "\x1b[" + "".join(collected)
        return length

    def _keep_pending(self, text: str, start: int, *, string: bool) -> int:
        tail = text[start:]
        if len(tail) > (_MAX_PENDING_STRING if string else _MAX_PENDING_SEQUENCE):
            self._skipping_string = string
        else:
            self._pending = tail
            if string:  # (the same string as the last feed's when it starts the text)
                carried = self._carried_since if start == 0 else None
                self._pending_since = carried or time.monotonic()
        return len(text)

    @staticmethod
    def _safely(function: Callable[..., None], *args: Any) -> None:
        try:
            function(*args)
        except Exception:
            log.debug("dropped a sequence the emulator could not apply", exc_info=True)

