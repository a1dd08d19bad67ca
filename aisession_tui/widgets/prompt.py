"""PromptBar: tmux's command prompt line, used for ``:``, renames, indexes and searches.

It sits where the status line is. ``open`` shows the label (tmux's, such as
``(rename-window) ``) and an input holding the initial text; Enter posts ``PromptBar.Submitted`` with the text and the caller's ``purpose``
tag, Escape, C-g or C-c posts ``PromptBar.Cancelled``. Either way the bar closes and gives the
focus back. Up and Down walk back and forth through what was submitted before with the same
``purpose`` (tmux's prompt history, newest last, ``HISTORY_LIMIT`` entries), Down past the
newest brings back what was being typed. In a command prompt Tab completes a command name,
an option name after ``set`` / ``setw`` / ``show``, or a ``-t`` target; in a target prompt
a session or window (``prompt_complete``). C-u, C-w, C-y and C-t edit as tmux's; with
``status-keys vi`` the prompt has tmux's insert and command modes (``prompt_vi``).

An incremental prompt (tmux's ``command-prompt -i``) starts empty, as tmux's, and posts
``PromptBar.Changed`` at once and on every change of its text, as tmux passes it to the
template: prefixed ``=``; C-r and C-s post the unchanged text prefixed ``-`` and ``+``
(previous, next match), or, in the empty prompt, bring back the initial text.

A prompt has a mode (tmux's ``command-prompt`` flags): ``text``; ``single`` (``-1``: the
first character typed is the answer); ``numeric`` (``-N``: digits are typed, any other key
submits and is kept in ``passthrough_key`` for the caller to handle as usual); ``key``
(``-k``: the answer is the tmux name of the next key, ``C-a``, ``Escape``...);
``incremental``. ``Submitted.remember`` says whether the answer came from Enter (tmux then
keeps it in the prompt type's history), and the history Up and Down walk is the
``purpose``'s (the prompt type: ``command``, ``search``, ``target``, ``window-target``).

Keys may be handed over one at a time with ``PromptInput.take_key`` (the app does, as it
reads them): the bar closes within the call that takes its closing key, and ``Changed``,
``Submitted`` and ``Cancelled`` are posted in the order of the keys that caused them (the
text is watched, not followed through ``Input.Changed`` messages).

Invariant: at most one prompt is open; opening another replaces it (tmux's
``status_prompt_update``: the next prompt of a ``-p a,b`` list).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual import events
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label

from aisession_tui.terminal.keys import textual_to_tmux_key
from aisession_tui.widgets.prompt_complete import complete, complete_target
from aisession_tui.widgets.prompt_vi import delete_word, paste_text, translate, word_motion

HISTORY_LIMIT = 100
"""Entries kept per prompt purpose (tmux keeps 100 by default, ``prompt-history-limit``)."""
EDITS = frozenset({"ctrl+u", "ctrl+w", "ctrl+y", "ctrl+t"})
"""Editing keys with tmux's meaning, not the input's own (see ``PromptInput.edit``)."""
WORD_SEPARATORS = "!\"#$%&'()*+,-./:;<=>?@[\\]^`{|}~"
"""tmux's default ``word-separators`` (C-w stops at them)."""
STEPS = {"ctrl+r": "-", "ctrl+s": "+"}
"""Keys of an incremental prompt that step to the previous / next match, and their prefix."""


class PromptInput(Input):
    """The prompt's input; Enter submits, Escape, C-g and C-c cancel (Input has no binding
    for them), Up and Down walk the history, C-r and C-s step an incremental prompt."""

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
        background: $message-bg;
        color: $message-fg;
        text-style: reverse;
    }
    PromptInput:ansi {
        background: $message-bg;
        color: $message-fg;
    }
    PromptInput:ansi > .input--cursor {
        background: $message-bg;
        color: $message-fg;
        text-style: reverse;
    }
    PromptBar.-command PromptInput, PromptBar.-command PromptInput:ansi,
    PromptBar.-command PromptInput > .input--cursor {
        background: $message-command-bg;
        color: $message-command-fg;
    }
    """

    async def take_key(self, event: events.Key) -> bool:
        """Handle ``event`` now when it is the prompt's own: Enter submits, Escape and C-g
        cancel, C-r and C-s step an incremental prompt, a printable character is typed (a
        one-key prompt then submits). False for any other key: the input's bindings
        (cursor moves, deletions) are for it."""
        bar = self.parent
        if not isinstance(bar, PromptBar):
            return False
        key = event.key
        if bar.mode == "key":
            try:
                name = textual_to_tmux_key(key)
            except ValueError:
                name = key
            bar.submit(name, remember=False)
        elif bar.mode == "numeric" and not (event.character or "").isdigit():
            bar.passthrough_key = event
            bar.submit(self.value, remember=False)
        elif bar.vi and not await self.vi_key(bar, event):
            pass  # the vi keys took it
        elif key in EDITS:
            await self.edit(bar, key)
        elif key in ("escape", "ctrl+g", "ctrl+c"):
            bar.cancel()
        elif key in ("up", "down") and not bar.single:
            bar.recall(-1 if key == "up" else 1)
        elif bar.incremental and key in STEPS:
            bar.step(STEPS[key])
        elif key == "enter":
            bar.submit(self.value)
        elif key == "tab" and bar.mode == "text":
            bar.complete()
        elif event.is_printable:
            await super()._on_key(event)  # Input types it, over a selection if any
        else:
            return False
        return True

    async def edit(self, bar: PromptBar, key: str) -> None:
        """tmux's C-u (clear the line), C-w (delete the word before the cursor, kept for
        C-y), C-y (put back what C-w deleted, else the top paste buffer's first line) and
        C-t (swap the two characters before the cursor)."""
        text, cursor = self.value, self.cursor_position
        if key == "ctrl+u":
            self.value, self.cursor_position = "", 0
        elif key == "ctrl+w":
            self.value, self.cursor_position, bar.saved = delete_word(text, cursor,
                                                                       bar.word_separators)
        elif key == "ctrl+y":
            pasted = bar.saved
            if not pasted and bar.paste_source is not None:
                pasted = paste_text(await bar.paste_source())
            if pasted:
                self.value = text[:cursor] + pasted + text[cursor:]
                self.cursor_position = cursor + len(pasted)
        elif key == "ctrl+t":
            index = min(cursor + 1, len(text)) if cursor < len(text) else cursor
            if index >= 2:
                self.value = text[:index - 2] + text[index - 1] + text[index - 2] + text[index:]
                self.cursor_position = index

    async def vi_key(self, bar: PromptBar, event: events.Key) -> bool:
        """``status-keys vi`` (:mod:`aisession_tui.widgets.prompt_vi`): act on the key now
        and return False, or return True when it is to be handled as an emacs key."""
        was_command = bar.command_mode
        translation = translate(event.key, event.character, was_command)
        bar.set_command_mode(translation.command)
        action = translation.action
        if not was_command and action is not None:  # insert mode: the key as it is
            return action != "type" or bool(event.is_printable)  # others are dropped
        if action in EDITS:
            await self.edit(bar, action)
        elif action is not None:
            self.vi_action(bar, action)
        return False

    def vi_action(self, bar: PromptBar, action: str) -> None:
        """One command-mode action on the text (tmux's emacs meaning of the key)."""
        text, cursor = self.value, self.cursor_position
        if action in ("ctrl+c", "ctrl+g"):
            bar.cancel()
        elif action in ("enter", "ctrl+j"):
            bar.submit(text)
        elif action in ("up", "down") and not bar.single:
            bar.recall(-1 if action == "up" else 1)
        elif action == "ctrl+k":
            self.value = text[:cursor]
        elif action == "backspace" and cursor > 0:
            self.value = text[:cursor - 1] + text[cursor:]
            self.cursor_position = cursor - 1
        elif action == "delete":
            self.value = text[:cursor] + text[cursor + 1:]
        elif "-" in action:
            self.cursor_position = word_motion(action, text, cursor)
        elif action in ("home", "end", "left", "right"):
            self.cursor_position = {"home": 0, "end": len(text), "left": max(0, cursor - 1),
                                    "right": min(len(text), cursor + 1)}[action]

    async def _on_key(self, event: events.Key) -> None:
        if await self.take_key(event):
            event.stop()
            event.prevent_default()


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
    PromptBar.-command, PromptBar.-command > Label {
        background: $message-command-bg;
        color: $message-command-fg;
    }
    """

    class Submitted(Message):
        """Enter was pressed."""

        def __init__(self, purpose: str, value: str, data: Any, *,
                     remember: bool = True) -> None:
            super().__init__()
            self.purpose = purpose
            self.value = value
            self.data = data
            self.remember = remember
            """The answer came from Enter: tmux keeps it in the type's history."""

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

        def __init__(self, purpose: str, data: Any = None) -> None:
            super().__init__()
            self.purpose = purpose
            self.data = data

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.label = Label("")
        self.input = PromptInput(select_on_focus=False, compact=True)
        self.purpose = ""
        self.data: Any = None
        self.mode = "text"
        """``text``, ``single``, ``numeric``, ``key`` or ``incremental``."""
        self.passthrough_key: events.Key | None = None
        """The key that ended a numeric prompt: the caller handles it as usual next."""
        self.targets: tuple[list[str], list[str]] = ([], [])
        """Session names and the current session's window indexes, for a target prompt's
        completion."""
        self.saved = ""
        """What C-w deleted last: C-y puts it back (tmux's ``prompt_saved``)."""
        self.paste_source: Callable[[], Awaitable[str]] | None = None
        """Gives the top paste buffer's text, for C-y (set by the app)."""
        self.word_separators = WORD_SEPARATORS
        self.vi = False
        """``status-keys vi``: the prompt starts in insert mode, Escape leaves it."""
        self.command_mode = False
        """A vi prompt in command mode (drawn in the swapped message colours)."""
        self.last_text = ""
        """An incremental prompt's initial text: C-r / C-s in the empty prompt bring it back."""
        self.history: dict[str, list[str]] = {}
        """Submitted texts per purpose, oldest first."""
        self.candidates: tuple[str, ...] = ()
        """What the last Tab could complete to."""
        self._recalled: int | None = None
        """Where Up/Down are in the open prompt's history (None: at the text being typed)."""
        self._draft = ""

    def compose(self):  # type: ignore[no-untyped-def]
        yield self.label
        yield self.input

    @property
    def is_open(self) -> bool:
        """Whether the prompt is showing."""
        return bool(self.display)

    def set_command_mode(self, command: bool) -> None:
        """Enter or leave a vi prompt's command mode (tmux draws it in
        ``message-command-style``, whose default swaps ``message-style``'s colours)."""
        self.command_mode = command
        self.set_class(command, "-command")

    @property
    def single(self) -> bool:
        """A one-key prompt (``-1``)."""
        return self.mode == "single"

    @property
    def incremental(self) -> bool:
        """An incremental prompt (``-i``)."""
        return self.mode == "incremental"

    def open(self, label: str, initial: str = "", *, purpose: str, data: Any = None,
             single: bool = False, incremental: bool = False, mode: str = "",
             vi: bool = False) -> None:
        """Show the prompt ``label`` with ``initial`` text and focus it. ``mode`` is one
        of the module's modes (``single`` and ``incremental`` are older spellings of
        two); an incremental prompt starts empty, as tmux's, and posts ``Changed``
        with ``=`` at once and as the text changes; its ``initial`` text comes back with
        C-r / C-s in the empty prompt."""
        self.mode = mode or ("single" if single else "incremental" if incremental else "text")
        self.passthrough_key = None
        self.saved = ""
        self.vi = vi
        self.set_command_mode(False)
        self.purpose = purpose
        self._recalled = None
        self.data = data
        self.label.update(label)
        self.display = True
        if self.mode == "incremental":
            self.last_text, initial = initial, ""
        self.input.value = initial
        self.input.cursor_position = len(initial)
        self.input.focus()
        if self.mode == "incremental":
            self.post_message(self.Changed(purpose, "=", data))

    def close(self) -> None:
        """Hide the prompt."""
        self.display = False
        self.input.value = ""

    def cancel(self) -> None:
        """Close and post ``Cancelled``."""
        purpose, data = self.purpose, self.data
        self.close()
        self.post_message(self.Cancelled(purpose, data))

    def on_mount(self) -> None:
        self.watch(self.input, "value", self.text_changed, init=False)

    def text_changed(self, value: str) -> None:
        """The input's text changed (a watcher: it runs within the change, before any key
        after it): a one-key prompt submits, an incremental one posts ``Changed``."""
        if not self.display:
            return
        if self.single and value:
            self.submit(value)
        elif self.incremental:
            self.post_message(self.Changed(self.purpose, "=" + value, self.data))

    def step(self, prefix: str) -> None:
        """C-r / C-s in an incremental prompt: the previous / next match of the text, or,
        in the empty prompt, the initial text back (as tmux, prefixed ``=``)."""
        if self.input.value:
            self.post_message(self.Changed(self.purpose, prefix + self.input.value, self.data))
            return
        self.input.value = self.last_text  # the watcher posts "=" + the text
        self.input.cursor_position = len(self.last_text)

    def recall(self, step: int) -> None:
        """Up (``-1``) or Down (``+1``) through the history of this prompt's purpose."""
        entries = self.history.get(self.purpose, [])
        if self._recalled is None:
            if step > 0 or not entries:
                return
            self._draft = self.input.value
            position = len(entries) - 1
        else:
            position = self._recalled + step
        if position < 0:
            return
        if position >= len(entries):
            self._recalled, text = None, self._draft
        else:
            self._recalled, text = position, entries[position]
        self.input.value = text
        self.input.cursor_position = len(text)

    def complete(self) -> None:
        """Tab: complete the word before the cursor (``prompt_complete``); the candidates
        of an ambiguous word are kept in ``candidates``."""
        if self.purpose in ("target", "window-target"):
            sessions, windows = self.targets
            result = complete_target(self.input.value, self.input.cursor_position, sessions,
                                     windows, window_only=self.purpose == "window-target")
        else:
            result = complete(self.input.value, self.input.cursor_position, self.targets)
        self.candidates = result.candidates
        self.input.value = result.text
        self.input.cursor_position = result.cursor

    def submit(self, value: str, *, remember: bool | None = None) -> None:
        """Close and post ``Submitted`` with ``value``; an answer from Enter
        (``remember``, the default but in a one-key prompt) is kept in the purpose's
        history."""
        purpose, data = self.purpose, self.data
        remember = not self.single if remember is None else remember
        if value and remember:
            entries = self.history.setdefault(purpose, [])
            if not entries or entries[-1] != value:
                entries.append(value)
                del entries[:-HISTORY_LIMIT]
        self.close()
        self.post_message(self.Submitted(purpose, value, data, remember=remember))

