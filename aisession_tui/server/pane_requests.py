"""What a pane's program asks of the server through its output, applied after each chunk
(the emulator keeps the requests; :class:`PaneRequests` takes them):

* ``allow-rename``: ``ESC k name ESC \\`` (tmux's rename string) names the pane's window
  when the pane's ``allow-rename`` option is on (off by default, as in tmux 3.3a). A name
  turns the window's ``automatic-rename`` off, as ``rename-window`` does; an empty one puts
  ``automatic-rename`` back to its default (and empties the name if that default is off).
  A name asked for while the option is off is dropped, never applied later.
* ``set-clipboard on``: an OSC 52 that sets the clipboard (``ESC ] 52 ; c ; BASE64``) adds
  a paste buffer, is passed on to the attached clients' terminals, and runs the
  ``pane-set-clipboard`` hook, as tmux's ``input_osc_52``. With ``external`` or ``off`` it
  is ignored. A query (``?``) gets no answer here: ai-session does not read clipboards.
"""

from __future__ import annotations

import binascii
from typing import TYPE_CHECKING

from ..protocol import messages
from .events import EventBus, PaneOutput, PaneSetClipboard
from .option_effects import name_window, sync_window
from .vis import vis

if TYPE_CHECKING:
    from .clients import ClientHub
    from .engine import Engine
    from .pane import Pane
    from .paste_buffers import PasteBuffers
    from .registry import Window


class PaneRequests:
    """Applies rename strings to their windows and OSC 52 selections to the buffers."""

    def __init__(self, engine: Engine, buffers: PasteBuffers, clients: ClientHub,
                 events: EventBus) -> None:
        self.engine = engine
        self.buffers = buffers
        self.clients = clients
        self.events = events
        events.subscribe(PaneOutput, self._output)

    def _output(self, event: PaneOutput) -> None:
        emulator = event.pane.emulator
        name = emulator.take_rename()
        selections = emulator.take_selections()
        if name is None and not selections:
            return
        found = self.engine.registry.find_pane(event.pane.id)
        if found is None:
            return
        _, window, pane = found
        if name is not None and self.engine.options.flag(
                "allow-rename", f"%{pane.id}", f"@{window.id}"):
            self._rename(window, name)
        if selections and self.engine.options.get("set-clipboard") == "on":
            for body in selections:
                self._set_clipboard(event.pane, window, body)

    def _rename(self, window: Window, name: str) -> None:
        options = self.engine.options
        if name:
            window.name = vis(name)
            name_window(options, window)
        else:
            options.set("automatic-rename", None, f"@{window.id}", unset=True)
            sync_window(options, window)
            if not window.automatic_rename:
                window.name = ""
        self.engine.registry.notify("window-renamed", window)

    def _set_clipboard(self, pane: Pane, window: Window, body: str) -> None:
        _, found, data = body.partition(";")
        if not found or not data or data == "?":
            return
        try:
            raw = binascii.a2b_base64(data.encode("ascii"), strict_mode=True)
        except (binascii.Error, UnicodeEncodeError, ValueError):
            return
        if not raw:
            return
        text = raw.decode("utf-8", "surrogateescape")
        self.buffers.set(self.buffers.next_name(), text)
        for client in list(self.clients.clients.values()):
            if client.session.windows.get(window.index) is window:
                client.send(messages.SET_SELECTION, {"text": text})
        self.events.publish(PaneSetClipboard(pane))
