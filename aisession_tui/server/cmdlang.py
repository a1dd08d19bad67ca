"""tmux's command language: the one parser for config files, ``source-file`` and the CLI.

Owns turning text (a file, a prompt line, a binding's command string) or a CLI argv into
command lists. Invariants, as in tmux 3.3a's ``cmd-parse.y``:

* a parse runs nothing; ``NAME=value`` / ``%hidden NAME=value`` assignments are applied to
  the ``environ`` mapping handed in, as tmux applies them while it parses;
* the first syntax error or unknown command stops the parse, and the whole text is then
  not run (``file:line: message``); errors at run time cost only their own group;
* a *group* is what one line (or one CLI command list) holds: an error in one command skips
  the rest of its group, never the next line;
* ``{ ... }`` blocks become one argument holding the block's commands as text (``a ; b``),
  which the command that takes it (``if-shell``, ``bind-key``...) parses again;
* ``%if``/``%elif``/``%else``/``%endif`` take a format, expanded by the caller's callback.
"""

from __future__ import annotations

import os
import pwd
import re
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, field

TMUX_COMMANDS = frozenset((
    "attach-session", "bind-key", "break-pane", "capture-pane", "choose-buffer",
    "choose-client", "choose-tree", "clear-history", "clear-prompt-history", "clock-mode",
    "command-prompt", "confirm-before", "copy-mode", "customize-mode", "delete-buffer",
    "detach-client", "display-menu", "display-message", "display-popup", "display-panes",
    "find-window", "has-session", "if-shell", "join-pane", "kill-pane", "kill-server",
    "kill-session", "kill-window", "last-pane", "last-window", "link-window",
    "list-buffers", "list-clients", "list-commands", "list-keys", "list-panes",
    "list-sessions", "list-windows", "load-buffer", "lock-client", "lock-server",
    "lock-session", "move-pane", "move-window", "new-session", "new-window", "next-layout",
    "next-window", "paste-buffer", "pipe-pane", "previous-layout", "previous-window",
    "refresh-client", "rename-session", "rename-window", "resize-pane", "resize-window",
    "respawn-pane", "respawn-window", "rotate-window", "run-shell", "save-buffer",
    "select-layout", "select-pane", "select-window", "send-keys", "send-prefix",
    "server-access", "set-buffer", "set-environment", "set-hook", "set-option",
    "set-window-option", "show-buffer", "show-environment", "show-hooks", "show-messages",
    "show-options", "show-prompt-history", "show-window-options", "source-file",
    "split-window", "start-server", "suspend-client", "swap-pane", "swap-window",
    "switch-client", "unbind-key", "unlink-window", "wait-for"
))
"""Every command of tmux 3.3a (``list-commands``)."""

TMUX_ALIASES = {
    "attach": "attach-session", "bind": "bind-key", "breakp": "break-pane", "capturep":
    "capture-pane", "clearhist": "clear-history", "clearphist": "clear-prompt-history",
    "confirm": "confirm-before", "deleteb": "delete-buffer", "detach": "detach-client",
    "menu": "display-menu", "display": "display-message", "popup": "display-popup",
    "displayp": "display-panes", "findw": "find-window", "has": "has-session", "if":
    "if-shell", "joinp": "join-pane", "killp": "kill-pane", "killw": "kill-window", "lastp":
    "last-pane", "last": "last-window", "linkw": "link-window", "lsb": "list-buffers",
    "lsc": "list-clients", "lscm": "list-commands", "lsk": "list-keys", "lsp": "list-panes",
    "ls": "list-sessions", "lsw": "list-windows", "loadb": "load-buffer", "lockc":
    "lock-client", "lock": "lock-server", "locks": "lock-session", "movep": "move-pane",
    "movew": "move-window", "new": "new-session", "neww": "new-window", "nextl":
    "next-layout", "next": "next-window", "pasteb": "paste-buffer", "pipep": "pipe-pane",
    "prevl": "previous-layout", "prev": "previous-window", "refresh": "refresh-client",
    "rename": "rename-session", "renamew": "rename-window", "resizep": "resize-pane",
    "resizew": "resize-window", "respawnp": "respawn-pane", "respawnw": "respawn-window",
    "rotatew": "rotate-window", "run": "run-shell", "saveb": "save-buffer", "selectl":
    "select-layout", "selectp": "select-pane", "selectw": "select-window", "send":
    "send-keys", "setb": "set-buffer", "setenv": "set-environment", "set": "set-option",
    "setw": "set-window-option", "showb": "show-buffer", "showenv": "show-environment",
    "showmsgs": "show-messages", "show": "show-options", "showphist": "show-prompt-history",
    "showw": "show-window-options", "source": "source-file", "splitw": "split-window",
    "start": "start-server", "suspendc": "suspend-client", "swapp": "swap-pane", "swapw":
    "swap-window", "switchc": "switch-client", "unbind": "unbind-key", "unlinkw":
    "unlink-window", "wait": "wait-for"
}
"""tmux 3.3a's command aliases (``list-commands``)."""

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_ESCAPES = {"a": "\a", "b": "\b", "e": "\033", "f": "\f", "s": " ", "v": "\v", "r": "\r",
            "n": "\n", "t": "\t"}


class ParseError(Exception):
    """A syntax error or an unknown command, with the line it was found on."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Command:
    """One command of a parsed list: its argv (name resolved to the full name), where it
    came from, and the group it aborts with."""

    argv: tuple[str, ...]
    line: int
    group: int
    blocks: frozenset[int] = frozenset()
    """Indexes of argv items that were ``{ }`` blocks (printed back with braces)."""

    def printed(self) -> str:
        """The command as tmux prints it (``source-file -v``, blocks in braces)."""
        from .options import escape_value

        words = []
        for index, word in enumerate(self.argv):
            if index in self.blocks:
                words.append("{ " + word + " }")
            elif index == 0:
                words.append(word)
            else:
                words.append(escape_value(word))
        return " ".join(words)


@dataclass
class Parsed:
    """The result of one parse: commands to run in order, or the error that stops them."""

    commands: list[Command] = field(default_factory=list)
    error: ParseError | None = None


Resolver = Callable[[str], str]
"""Full command name for what a user typed; raises ``ValueError(message)`` if unknown."""

Condition = Callable[[str], bool]
"""Whether a ``%if`` format is true (non-empty and not ``0`` once expanded)."""


def split_arguments(words: list[str]) -> list[list[str]]:
    """A CLI argv split into commands as tmux does: a word ending in ``;`` ends a
    command (``\\;`` at the end is a literal ``;``)."""
    commands: list[list[str]] = []
    current: list[str] = []
    for word in words:
        if word.endswith("\\;"):
            current.append(word[:-2] + ";")
        elif word.endswith(";"):
            if word[:-1]:
                current.append(word[:-1])
            if current:
                commands.append(current)
            current = []
        else:
            current.append(word)
    if current:
        commands.append(current)
    return commands


def parse(text: str, *, resolve: Resolver, environ: MutableMapping[str, str] | None = None,
          condition: Condition | None = None, first_group: int = 0) -> Parsed:
    """Parse a file's or a prompt's text into commands (see the module docstring)."""
    parser = _Parser(text, resolve, environ if environ is not None else {},
                     condition or (lambda _format: False), first_group)
    try:
        parser.parse_all()
    except ParseError as exc:
        return Parsed([], exc)
    return Parsed(parser.commands)


class _Parser:
    """A hand-written reader of tmux's grammar: one pass over the characters."""

    def __init__(self, text: str, resolve: Resolver, environ: MutableMapping[str, str],
                 condition: Condition, first_group: int) -> None:
        self.text = text
        self.pos = 0
        self.line = 1
        self.resolve = resolve
        self.environ = environ
        self.condition = condition
        self.group = first_group
        self.commands: list[Command] = []
        # %if stack: (this branch active, some branch taken, enclosing active)
        self.conditions: list[tuple[bool, bool, bool]] = []

    # ------------------------------------------------------------- characters
    def peek(self, ahead: int = 0) -> str:
        index = self.pos + ahead
        return self.text[index] if index < len(self.text) else ""

    def take(self) -> str:
        char = self.peek()
        self.pos += 1
        if char == "\n":
            self.line += 1
        return char

    def skip_blanks(self) -> None:
        while True:
            char = self.peek()
            if char in (" ", "\t", "\r"):
                self.take()
            elif char == "\\" and self.peek(1) == "\n":
                self.take()
                self.take()
            elif char == "#":
                while self.peek() not in ("", "\n"):
                    self.take()
            else:
                return

    @property
    def active(self) -> bool:
        return all(entry[0] for entry in self.conditions)

    # ------------------------------------------------------------- structure
    def parse_all(self) -> None:
        # An %if still open at the end is closed there, as tmux 3.3a allows.
        self.commands = [command for group in self.lines(in_block=False) for command in group]

    def lines(self, in_block: bool) -> list[list[Command]]:
        """Lines until the end (or the closing ``}``), each a group of commands."""
        groups: list[list[Command]] = []
        while True:
            self.skip_blanks()
            char = self.peek()
            if char == "":
                if in_block:
                    raise ParseError(self.line, "syntax error")
                return groups
            if char == "\n":
                self.take()
                continue
            if char == "}":
                if not in_block:
                    raise ParseError(self.line, "syntax error")
                self.take()
                return groups
            if char == "%" and self.directive():
                continue
            group = self.command_line(in_block)
            if group:
                groups.append(group)

    def directive(self) -> bool:
        """``%if`` and friends, ``%hidden``; False if the word is not one."""
        match = re.match(r"%(if|elif|else|endif|hidden)(?=[ \t\n]|$)", self.text[self.pos:])
        if not match:
            return False
        word = match.group(1)
        line = self.line
        self.pos += len(match.group(0))
        args = self.words_to_end_of_line(in_block=False)
        if word == "hidden":
            if len(args) != 1 or not self.assignment(args[0], hidden=True):
                raise ParseError(line, "syntax error")
            return True
        if word in ("if", "elif") and len(args) != 1:
            raise ParseError(line, "syntax error")
        if word in ("else", "endif") and args:
            raise ParseError(line, "syntax error")
        if word == "if":
            enclosing = self.active
            value = enclosing and self.condition(args[0])
            self.conditions.append((value, value, enclosing))
        elif not self.conditions:
            raise ParseError(line, "syntax error")
        elif word == "elif":
            _, taken, enclosing = self.conditions[-1]
            value = enclosing and not taken and self.condition(args[0])
            self.conditions[-1] = (value, taken or value, enclosing)
        elif word == "else":
            _, taken, enclosing = self.conditions[-1]
            self.conditions[-1] = (enclosing and not taken, True, enclosing)
        else:
            self.conditions.pop()
        return True

    def words_to_end_of_line(self, in_block: bool) -> list[str]:
        words: list[str] = []
        while True:
            self.skip_blanks()
            if self.peek() in ("", "\n", ";") or (in_block and self.peek() == "}"):
                return words
            words.append(self.word())

    def command_line(self, in_block: bool) -> list[Command]:
        """One line: commands separated by ``;``, one group."""
        group: list[Command] = []
        self.group += 1
        while True:
            argv, blocks = self.command_words(in_block)
            line = self.line  # tmux numbers a command by the line it ends on
            if argv and self.active and not (len(argv) == 1 and self.assignment(argv[0])):
                try:
                    name = self.resolve(argv[0])
                except ValueError as exc:
                    raise ParseError(line, str(exc)) from None
                group.append(Command((name, *argv[1:]), line, self.group, frozenset(blocks)))
            self.skip_blanks()
            char = self.peek()
            if char == ";":
                self.take()
                continue
            return group

    def command_words(self, in_block: bool) -> tuple[list[str], list[int]]:
        argv: list[str] = []
        blocks: list[int] = []
        while True:
            self.skip_blanks()
            char = self.peek()
            if char in ("", "\n", ";") or (char == "}" and in_block):
                return argv, blocks
            if char == "}":
                raise ParseError(self.line, "syntax error")
            if char == "{" and self.peek(1) in (" ", "\t", "\n", ""):
                self.take()
                blocks.append(len(argv))
                argv.append(self.block())
                continue
            argv.append(self.word())

    def block(self) -> str:
        """A ``{ ... }`` block, returned as its commands' text (``a ; b``)."""
        saved = self.commands
        groups = self.lines(in_block=True)
        self.commands = saved
        return " ; ".join(command.printed() for group in groups for command in group)

    def assignment(self, word: str, hidden: bool = False) -> bool:
        """Apply ``NAME=value`` (when it is one) to the environment."""
        name, equals, value = word.partition("=")
        if not equals or not _NAME.match(name):
            return False
        if self.active:
            self.environ[name] = value
        del hidden  # hidden variables are kept but not passed to panes (not tracked here)
        return True

    # ------------------------------------------------------------- words
    def word(self) -> str:
        """One word: quotes, escapes, ``$VAR`` and a leading ``~`` handled."""
        out: list[str] = []
        start = self.pos
        while True:
            char = self.peek()
            if char in ("", " ", "\t", "\r", "\n", ";"):
                break
            if char == "}" and self.pos > start and self.peek(1) in ("", " ", "\t", "\n", ";"):
                break
            if char == "}" and self.pos == start:
                break
            if char == "'":
                self.take()
                out.append(self.until_quote("'"))
            elif char == '"':
                self.take()
                out.append(self.double_quoted())
            elif char == "\\":
                self.take()
                if self.peek() == "\n":
                    self.take()
                    continue
                out.append(self.escape())
            elif char == "$":
                self.take()
                out.append(self.variable())
            elif char == "~" and self.pos == start:
                self.take()
                out.append(self.tilde())
            else:
                out.append(self.take())
        return "".join(out)

    def until_quote(self, quote: str) -> str:
        out: list[str] = []
        while True:
            char = self.take()
            if char == "":
                raise ParseError(self.line, "syntax error")
            if char == quote:
                return "".join(out)
            out.append(char)

    def double_quoted(self) -> str:
        out: list[str] = []
        while True:
            char = self.take()
            if char == "":
                raise ParseError(self.line, "syntax error")
            if char == '"':
                return "".join(out)
            if char == "\\":
                if self.peek() == "\n":
                    self.take()
                    continue
                out.append(self.escape())
            elif char == "$":
                out.append(self.variable())
            else:
                out.append(char)

    def escape(self) -> str:
        """The character after a backslash (tmux's escapes: \\e \\n \\t \\ooo \\uXXXX...)."""
        char = self.take()
        if char == "":
            raise ParseError(self.line, "syntax error")
        if char in _ESCAPES:
            return _ESCAPES[char]
        if char in "01234567" and all(self.peek(i) in "01234567" for i in range(2)):
            digits = char + self.take() + self.take()
            return chr(int(digits, 8))
        if char in ("u", "U"):
            size = 4 if char == "u" else 8
            digits = self.text[self.pos:self.pos + size]
            if len(digits) == size and all(d in "0123456789abcdefABCDEF" for d in digits):
                self.pos += size
                return chr(int(digits, 16))
            raise ParseError(self.line, "invalid \\" + char + " argument")
        return char

    def variable(self) -> str:
        """``$NAME`` or ``${NAME}`` from the environment (empty when unset)."""
        if self.peek() == "{":
            end = self.text.find("}", self.pos)
            if end < 0:
                raise ParseError(self.line, "syntax error")
            name = self.text[self.pos + 1:end]
            self.pos = end + 1
        else:
            match = re.match(r"[A-Za-z0-9_]+", self.text[self.pos:])
            if not match:
                return "$"
            name = match.group(0)
            self.pos += len(name)
        return self.environ.get(name, os.environ.get(name, ""))

    def tilde(self) -> str:
        """``~`` or ``~user`` at the start of a word: a home directory."""
        match = re.match(r"[A-Za-z0-9_.-]*", self.text[self.pos:])
        user = match.group(0) if match else ""
        self.pos += len(user)
        if not user:
            return self.environ.get("HOME") or os.environ.get("HOME") or _home_of(None)
        return _home_of(user) or "~" + user


def _home_of(user: str | None) -> str:
    try:
        entry = pwd.getpwnam(user) if user else pwd.getpwuid(os.getuid())
    except KeyError:
        return ""
    return entry.pw_dir
