"""The server's paste buffers (tmux's ``paste.c``): named texts, newest first.

Invariants: names are unique; ``items`` is newest first; automatic buffers (``bufferN``)
beyond ``buffer-limit`` are dropped oldest first, while buffers the user named are kept,
as in tmux; lowering ``buffer-limit`` trims at once (the service listens for
:class:`~aisession_tui.server.events.OptionsChanged`).
"""

from __future__ import annotations

import time

from .commands.spec import CommandError
from .events import EventBus, OptionsChanged
from .option_effects import buffer_limit, trim_buffers
from .options import Options


class PasteBuffers:
    """Paste buffers of one server."""

    def __init__(self, options: Options, events: EventBus) -> None:
        self.options = options
        self.items: list[tuple[str, str]] = []
        """(name, text), newest first."""
        self.created: dict[str, float] = {}
        """When each buffer was set (``#{buffer_created}``)."""
        events.subscribe(OptionsChanged, self._option_changed)

    def _option_changed(self, event: OptionsChanged) -> None:
        if event.name == "buffer-limit":
            trim_buffers(self.items, buffer_limit(self.options))

    def next_name(self) -> str:
        """``bufferN`` with N one past the highest in use."""
        numbers = [int(name[6:]) for name, _ in self.items
                   if name.startswith("buffer") and name[6:].isdigit()]
        return f"buffer{max(numbers) + 1 if numbers else 0}"

    def set(self, name: str, text: str) -> None:
        """Store a paste buffer; the newest is first."""
        self.items = [(n, t) for n, t in self.items if n != name]
        self.items.insert(0, (name, text))
        self.created[name] = time.time()
        trim_buffers(self.items, buffer_limit(self.options))

    def get(self, name: str | None) -> str:
        """A buffer by name, or the newest."""
        for buffer_name, text in self.items:
            if name is None or buffer_name == name:
                return text
        raise CommandError(f"no buffer {name}" if name else "no buffers")

    def newest_name(self) -> str | None:
        """The newest buffer's name (None without buffers)."""
        return self.items[0][0] if self.items else None

    def exists(self, name: str) -> bool:
        """True when a buffer has this name."""
        return any(n == name for n, _ in self.items)

    def delete(self, name: str) -> None:
        """Forget a buffer (nothing if there is none of that name)."""
        self.items = [(n, t) for n, t in self.items if n != name]

    def rename(self, name: str, new_name: str) -> None:
        """Give buffer ``name`` the free name ``new_name`` (its place and time kept, as
        tmux's ``paste_rename``)."""
        self.items = [(new_name if n == name else n, t) for n, t in self.items]
        if name in self.created:
            self.created[new_name] = self.created.pop(name)
