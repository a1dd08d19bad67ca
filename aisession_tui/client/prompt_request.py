"""One ``command-prompt`` as tmux 3.3a runs it (``cmd_command_prompt_exec`` and its
callback): its prompts, asked one after the other, and the command line its answers make.

``-p 'a,b,c'`` gives one prompt per comma-separated label, each shown with a space after it;
without ``-p`` one prompt, labelled ``(cmd) `` after the template's first word (up to a space
or a comma), or ``:`` when there is no template. ``-I 'x,y'`` gives the prompts their initial
texts in order (missing ones are empty). Labels and initial texts are formats, expanded when
each prompt opens. One mode applies, in tmux's order of precedence: ``-1`` (one key),
``-N`` (digits; another key submits and is then handled as usual), ``-i`` (incremental),
``-k`` (the answer is the name of the next key pressed). ``-T`` names the prompt's type
(its history and its completion): ``command`` (the default), ``search``, ``target``,
``window-target``.

The template (``%1`` without one) takes the answers as tmux's ``args_make_commands`` does:
:func:`fill_template` replaces ``%1`` ... ``%9`` and, for each answer in turn, the first
``%%`` left (``%%%`` / ``%N%`` escape the answer). Headless: no Textual.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PROMPT_TYPES = ("command", "search", "target", "window-target")
"""tmux's prompt types (``prompt_type_strings``)."""

MODES = (("1", "single"), ("N", "numeric"), ("i", "incremental"), ("k", "key"))
"""The mode flags in tmux's order of precedence, and the mode each one sets."""


@dataclass
class PromptRequest:
    """The prompts of one ``command-prompt`` and the answers given so far."""

    prompts: list[tuple[str, str]]
    """(label, initial text) of each prompt, both unexpanded formats."""
    template: str
    mode: str = "text"
    """``text``, ``single``, ``numeric``, ``incremental`` or ``key``."""
    prompt_type: str = "command"
    answers: list[str] = field(default_factory=list)
    confirm: bool = False
    """A ``confirm-before`` question: the template runs only when the answer is ``y``."""
    wait: int | None = None
    """A server command waits for this prompt (``prompt-done`` when it is over)."""
    after: list[Any] = field(default_factory=list)
    """The commands of the list that ran this prompt after it: they run once it is over."""

    @property
    def current(self) -> tuple[str, str]:
        """The label and initial text of the prompt being asked."""
        return self.prompts[min(len(self.answers), len(self.prompts) - 1)]

    def answer(self, value: str) -> bool:
        """Record the answer to the current prompt; True when another prompt follows."""
        self.answers.append(value)
        return len(self.answers) < len(self.prompts)

    def exit_code(self) -> int:
        """The waiting command's exit code: confirm-before's is 1 unless confirmed."""
        return 1 if self.confirm and not self.command_line() else 0

    def command_words(self, value: str | None = None) -> list[list[str]] | None:
        """The commands to run, each a list of words, when every ``%`` token of the
        template sits in a quoted word (``{ rename-window -- '%%' }``, as all of tmux's
        default bindings): the answers are put into the parsed words, as tmux fills a
        ``{ }`` template, so an answer with quotes or spaces stays one argument. None
        when the template is to be filled as text and parsed again
        (:meth:`command_line`)."""
        from aisession_tui.keymaps import parse_command_line

        if self.confirm or not tokens_quoted(self.template):
            return None
        try:
            commands = parse_command_line(self.template)
        except ValueError:
            return None
        answers = self.answers if value is None else [*self.answers, value]
        return [[fill_template(word, answers) for word in words] for words in commands]

    def command_line(self, value: str | None = None) -> str:
        """The template filled with the answers (and ``value``, the text of the prompt
        being typed, for an incremental prompt)."""
        if self.confirm:
            return self.template if [answer.lower() for answer in self.answers] == ["y"] else ""
        answers = self.answers if value is None else [*self.answers, value]
        return fill_template(self.template, answers)


def fill_template(template: str, answers: list[str]) -> str:
    """``template`` with ``answers`` put in, one after the other (``%1`` and the first
    ``%%`` left take the first answer, ``%2`` and the next ``%%`` the second...)."""
    from aisession_tui.server.cmdlang import template_replace

    for index, value in enumerate(answers, start=1):
        template = template_replace(template, value, index)
    return template


def tokens_quoted(template: str) -> bool:
    """Whether the template has ``%`` tokens (``%%``, ``%1``..``%9``) and all of them are
    inside single or double quotes (no ``{ }`` block in it)."""
    quote = ""
    found = False
    index = 0
    while index < len(template):
        char = template[index]
        if char == "\\" and quote != "'":
            index += 2
            continue
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "{":
            return False
        if char == "%" and template[index + 1:index + 2] in ("%", *"123456789"):
            if not quote:
                return False
            found = True
            index += 2
            continue
        index += 1
    return found


def first_word(template: str) -> str:
    """The template up to its first space or comma (tmux's ``(cmd)`` label)."""
    end = len(template)
    for separator in " ,":
        position = template.find(separator)
        if position != -1:
            end = min(end, position)
    return template[:end]


def confirm_request(flags: dict[str, Any], line: str) -> PromptRequest:
    """``confirm-before``'s one-key question (``cmd_confirm_before_exec``): ``-p``'s text,
    else ``Confirm 'NAME'? (y/n)`` with the full name of the line's first command."""
    if "p" in flags:
        label = f"{flags['p']} "
    else:
        from aisession_tui.keymaps import parse_command_line
        from aisession_tui.server.commands import UnknownCommand, find

        try:
            name = parse_command_line(line)[0][0]
        except (ValueError, IndexError):
            name = line
        try:
            name = find(name).name
        except UnknownCommand:
            pass  # not a command: the line says why when it runs
        label = f"Confirm '{name}'? (y/n) "
    return PromptRequest([(label, "")], line, "single", "command", confirm=True)


def parse_request(flags: dict[str, Any], positional: list[str]) -> PromptRequest:
    """The request of ``command-prompt`` with these parsed flags and arguments.

    Raises:
        ValueError: ``unknown type: X`` for a bad ``-T``.
    """
    prompt_type = str(flags.get("T", "command"))
    if prompt_type not in PROMPT_TYPES:
        raise ValueError(f"unknown type: {prompt_type}")
    template = positional[0] if positional else ""
    if "p" in flags:
        labels = [f"{label} " for label in str(flags["p"]).split(",")]
    elif template:
        labels = [f"({first_word(template)}) "]
    else:
        labels = [":"]
    inputs = str(flags["I"]).split(",") if "I" in flags else []
    prompts = [(label, inputs[index] if index < len(inputs) else "")
               for index, label in enumerate(labels)]
    mode = next((name for flag, name in MODES if flags.get(flag)), "text")
    return PromptRequest(prompts, template or "%1", mode, prompt_type)
