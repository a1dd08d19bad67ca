"""The server's prompt history, one list per prompt type, as tmux 3.3a keeps it
(``status_prompt_hlist``): ``command``, ``search``, ``target`` and ``window-target``.

Full-screen clients add what their prompt submitted (the ``prompt-history`` request) and
read it back when a prompt opens, so every client shares one history, as in tmux; at most
``prompt-history-limit`` entries are kept per type (oldest dropped), and an entry equal to
the newest one is not added twice. ``show-prompt-history`` prints it and
``clear-prompt-history`` empties it.
"""

from __future__ import annotations

TYPES = ("command", "search", "target", "window-target")
"""tmux's prompt types, in its order."""


class PromptHistory:
    """Entries per prompt type, oldest first."""

    def __init__(self) -> None:
        self.entries: dict[str, list[str]] = {name: [] for name in TYPES}

    @staticmethod
    def check_type(name: str) -> str:
        """``name`` if it is a prompt type, else tmux's error."""
        if name not in TYPES:
            raise ValueError(f"invalid type: {name}")
        return name

    def add(self, name: str, entry: str, limit: int) -> None:
        """Keep ``entry`` (not empty, not the newest again) within ``limit``."""
        entries = self.entries[self.check_type(name)]
        if not entry or (entries and entries[-1] == entry):
            return
        entries.append(entry)
        del entries[:max(0, len(entries) - max(0, limit))]

    def clear(self, name: str | None) -> None:
        """Empty one type, or all."""
        for each in ([self.check_type(name)] if name is not None else TYPES):
            self.entries[each].clear()

    def show(self, name: str | None) -> str:
        """``show-prompt-history``'s text (``cmd_show_prompt_history_exec``)."""
        out: list[str] = []
        for each in ([self.check_type(name)] if name is not None else TYPES):
            out.append(f"History for {each}:\n\n")
            out.extend(f"{number}: {entry}\n"
                       for number, entry in enumerate(self.entries[each], 1))
            out.append("\n")
        return "".join(out)
