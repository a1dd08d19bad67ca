"""``allow-rename``: a pane's program names its window with ``ESC k name ESC \\`` (tmux's
rename string) when the pane's ``allow-rename`` option is on (off by default, as in tmux
3.3a). A name turns the window's ``automatic-rename`` off, as ``rename-window`` does; an
empty one puts ``automatic-rename`` back to its default (and empties the name if that
default is off). The emulator keeps the last name asked for (``Emulator.take_rename``);
this watch takes it after each output, so a name asked for while the option is off is
dropped, never applied later."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .events import EventBus, PaneOutput
from .option_effects import name_window, sync_window
from .vis import vis

if TYPE_CHECKING:
    from .engine import Engine


class RenameWatch:
    """Applies rename strings to their windows."""

    def __init__(self, engine: Engine, events: EventBus) -> None:
        self.engine = engine
        events.subscribe(PaneOutput, self._output)

    def _output(self, event: PaneOutput) -> None:
        name = event.pane.emulator.take_rename()
        if name is None:
            return
        found = self.engine.registry.find_pane(event.pane.id)
        if found is None:
            return
        _, window, pane = found
        options = self.engine.options
        if not options.flag("allow-rename", f"%{pane.id}", f"@{window.id}"):
            return
        if name:
            window.name = vis(name)
            name_window(options, window)
        else:
            options.set("automatic-rename", None, f"@{window.id}", unset=True)
            sync_window(options, window)
            if not window.automatic_rename:
                window.name = ""
        self.engine.registry.notify("window-renamed", window)
