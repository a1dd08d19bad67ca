"""PromptBar: tmux's command prompt line, used for ``:``, renames, indexes and searches.

It sits where the status line is. ``open`` shows ``(label) `` and an input holding the
initial text; Enter posts ``PromptBar.Submitted`` with the text and the caller's ``purpose``
tag, Escape or C-g posts ``PromptBar.Cancelled``. Either way the bar closes and gives the
focus back.

An incremental prompt (tmux's ``command-prompt -i``) also posts ``PromptBar.Changed`` on
every change of its text, the initial text included, as tmux passes it to the template:
prefixed ``=``; C-r and C-s post the unchanged text prefixed ``-`` and ``+`` (previous,
next match).

Invariant: at most one prompt is open; opening another replaces it (as in tmux).
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label

STEPS = {"ctrl+r": "-", "ctrl+s": "+"}
"""Keys of an incremental prompt that step to the previous / next match, and their prefix."""


class PromptInput(Input):
    """The prompt's input; Escape and C-g cancel (Input has no binding for them), C-r and
    C-s step an incremental prompt."""

    DEFAULT_CSS = """
    PromptInput {
        border: none;
        height: 1;
        padding: 0;
        width: 1fr;
        background: $message-bg;
        color: $message-fg;
    }
    PromptInput:focus {
        border: none;
    }
    PromptInput > .input--cursor {
        background: $message-fg;
        color: $message-bg;
        text-style: none;
    }
    """

    async def _on_key(self, event: events.Key) -> None:
        bar = self.parent
        if isinstance(bar, PromptBar) and (event.key in ("escape", "ctrl+g") or
                                           bar.incremental and event.key in STEPS):
            event.stop()
            event.prevent_default()
            if event.key in STEPS:
                bar.post_message(PromptBar.Changed(bar.purpose, STEPS[event.key] + self.value,
                                                   bar.data))
            else:
                bar.cancel()
            return
        await super()._on_key(event)


class PromptBar(Horizontal):
    """The command prompt."""

    DEFAULT_CSS = """
    PromptBar {
        height: 1;
        width: 1fr;
        display: none;
        background: $message-bg;
        color: $message-fg;
    }
    PromptBar > Label {
        width: auto;
        height: 1;
        background: $message-bg;
        color: $message-fg;
    }
    """

    class Submitted(Message):
        """Enter was pressed."""

        def __init__(self, purpose: str, value: str, data: Any) -> None:
            super().__init__()
            self.purpose = purpose
            self.value = value
            self.data = data

    class Changed(Message):
        """The text of an incremental prompt changed (or C-r / C-s was pressed): ``value``
        is the text behind a ``=``, ``-`` or ``+`` prefix."""

        def __init__(self, purpose: str, value: str, data: Any) -> None:
            super().__init__()
            self.purpose = purpose
            self.value = value
            self.data = data

    class Cancelled(Message):
        """Escape was pressed."""

        def __init__(self, purpose: str) -> None:
            super().__init__()
            self.purpose = purpose

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.label = Label("")
        self.input = PromptInput(select_on_focus=False, compact=True)
        self.purpose = ""
        self.data: Any = None
        self.single = False
        self.incremental = False

    def compose(self):  # type: ignore[no-untyped-def]
        yield self.label
        yield self.input

    @property
    def is_open(self) -> bool:
        """Whether the prompt is showing."""
        return bool(self.display)

    def open(self, label: str, initial: str = "", *, purpose: str, data: Any = None,
             single: bool = False, incremental: bool = False) -> None:
        """Show the prompt ``label`` with ``initial`` text and focus it; ``single`` submits
        after one character (tmux's ``command-prompt -1``), ``incremental`` posts
        ``Changed`` as the text changes (``command-prompt -i``)."""
        self.single = single
        self.incremental = incremental
        self.purpose = purpose
        self.data = data
        self.label.update(label)
        self.input.value = initial
        self.input.cursor_position = len(initial)
        self.display = True
        self.input.focus()

    def close(self) -> None:
        """Hide the prompt."""
        self.display = False
        self.input.value = ""

    def cancel(self) -> None:
        """Close and post ``Cancelled``."""
        purpose = self.purpose
        self.close()
        self.post_message(self.Cancelled(purpose))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if not self.display:
            return
        if self.single and event.value:
            self.submit(event.value)
        elif self.incremental and event.value == self.input.value:  # else superseded
            self.post_message(self.Changed(self.purpose, "=" + event.value, self.data))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit(event.value)

    def submit(self, value: str) -> None:
        """Close and post ``Submitted`` with ``value``."""
        purpose, data = self.purpose, self.data
        self.close()
        self.post_message(self.Submitted(purpose, value, data))

