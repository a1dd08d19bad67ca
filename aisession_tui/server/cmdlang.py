"""tmux's command language: the one parser for config files, ``source-file`` and the CLI.

Owns turning text (a file, a prompt line, a binding's command string) or a CLI argv into
command lists. Invariants, as in tmux 3.3a's ``cmd-parse.y``:

* a parse runs nothing; ``NAME=value`` / ``%hidden NAME=value`` assignments are applied to
  the ``environ`` mapping handed in, as tmux applies them while it parses;
* a syntax error stops the parse; else the first unknown command (found when tmux builds
  the list, after the whole text parsed) is the error; either way the whole text is then
  not run (``file:line: message``); errors at run time cost only their own group;
* a *group* is what one line (or one CLI command list) holds: an error in one command skips
  the rest of its group, never the next line;
* ``{ ... }`` blocks become one argument holding the block's commands as text (``a ; b``),
  which the command that takes it (``if-shell``, ``bind-key``...) parses again;
* ``%if``/``%elif``/``%else``/``%endif`` take a format, expanded by the caller's callback.

The lexer (:class:`_Lexer`) follows tmux's ``yylex`` character by character: a backslash
before a newline joins lines; ``\\`` escapes (``\\n \\t \\e \\s \\ooo \\uXXXX``...)
outside single quotes; ``$VAR``/``${VAR}`` and ``~``/``~user`` expand outside single quotes;
``#`` starts a comment where a word would start, except ``#{`` after ``%if``/``%elif``; a
quote left open runs to the end of the text; a newline inside quotes is kept and the next
line's leading blanks and comment are dropped. The grammar (:class:`_Parser`) is
``cmd-parse.y``'s, as recursive descent.
"""

from __future__ import annotations

import os
import pwd
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, field

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

_ESCAPES = {"a": "\a", "b": "\b", "e": "\033", "f": "\f", "s": " ", "v": "\v", "r": "\r",
            "n": "\n", "t": "\t"}


class ParseError(Exception):
    """A syntax error or an unknown command, with the line it was found on."""

    def __init__(self, line: int, message: str, group: int | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.group = group
        """The group of the command refused when the list was built (unknown command,
        flags, arguments), None for a syntax error: the lines before it were built."""


@dataclass(frozen=True)
class Command:
    """One command of a parsed list: its argv (name resolved to the full name), where it
    came from, and the group it aborts with."""

    argv: tuple[str, ...]
    line: int
    group: int
    blocks: frozenset[int] = frozenset()
    """Indexes of argv items that were ``{ }`` blocks (printed back with braces)."""
    block_commands: tuple[tuple[int, tuple[Command, ...]], ...] = ()
    """Each block's commands as parsed (argv index, commands), with their own lines and
    groups, as tmux keeps a block's command list: a list run from it (``if-shell``)
    names their lines, and a failing command skips only the rest of its line."""

    def block(self, text: str) -> tuple[Command, ...] | None:
        """The parsed commands of the block whose text is ``text``, if one is."""
        for index, commands in self.block_commands:
            if self.argv[index] == text:
                return commands
        return None

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
    built: list[Command] = field(default_factory=list)
    """With an error tmux meets while building the list: the commands of the lines before
    it, which tmux built (and ``source-file -v`` printed) first."""


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
          condition: Condition | None = None, first_group: int = 0,
          first_line: int = 1) -> Parsed:
    """Parse a file's or a prompt's text into commands (see the module docstring);
    ``first_line`` numbers its first line (a command list given to ``if-shell`` counts
    from the line of the ``if-shell``, as tmux's)."""
    lexer = _Lexer(text, environ if environ is not None else {}, first_line, None)
    parser = _Parser(lexer, resolve, condition or (lambda _format: False), first_group)
    try:
        commands = parser.run()
    except ParseError as exc:
        return Parsed([], exc)
    refused = parser.unknown
    if refused is not None:  # the text parsed: now the first command tmux cannot build
        return Parsed([], refused, [command for command in commands
                                    if refused.group is not None
                                    and command.group < refused.group])
    return Parsed(commands)


EOF = ""


class _Parser:
    """tmux's grammar (``cmd-parse.y``) as recursive descent over :class:`_Lexer`'s
    tokens; the first error raises :class:`ParseError`."""

    def __init__(self, lexer: _Lexer, resolve: Resolver, condition: Condition,
                 first_group: int) -> None:
        self.lexer = lexer
        self.resolve = resolve
        self.unknown: ParseError | None = None
        """The first unknown command: reported once the whole text has parsed, as tmux
        finds it when it builds the list (a later syntax error comes first)."""
        self.condition = condition
        self.first_group = first_group
        self.scopes: list[bool] = []
        self.lookahead: _Token | None = None

    def peek(self) -> _Token:
        if self.lookahead is None:
            self.lookahead = self.lexer.next()
        return self.lookahead

    def take(self) -> _Token:
        token = self.peek()
        self.lookahead = None
        return token

    def fail(self) -> ParseError:
        return ParseError(self.lexer.line, self.lexer.error or "syntax error")

    def expect(self, kind: str) -> _Token:
        token = self.take()
        if token.kind != kind:
            raise self.fail()
        return token

    @property
    def active(self) -> bool:
        return not self.scopes or self.scopes[-1]

    def run(self) -> list[Command]:
        commands = self.statements(())
        if self.peek().kind != "EOF":
            raise self.fail()
        return commands

    def statements(self, closing: tuple[str, ...]) -> list[Command]:
        commands: list[Command] = []
        while True:
            kind = self.peek().kind
            if kind == "EOF" or kind in closing:
                return commands
            found = self.commands()
            if not (self.peek().kind in closing and "}" in closing):
                self.expect("\n")  # (a "}" ends "{ cmd }" on one line)
            commands.extend(found)

    def assign(self, text: str, hidden: bool = False) -> None:
        if self.active:
            name, _, value = text.partition("=")
            self.lexer.environ[name] = value

    def condition_value(self) -> bool:
        token = self.take()
        if token.kind not in ("FORMAT", "TOKEN"):
            raise self.fail()
        return bool(self.condition(token.text))

    def if_block(self, multiline: bool | None) -> tuple[list[Command], bool]:
        """``%if`` ... ``%endif`` on several lines (where a statement starts) or inline;
        returns the kept commands and whether it was the multi-line form."""
        self.expect("IF")
        flag = self.condition_value()
        self.scopes.append(flag)
        if multiline is None:
            multiline = self.peek().kind == "\n"
        chosen: list[Command] | None = None

        def body() -> list[Command]:
            if multiline:
                self.expect("\n")
                return self.statements(("ELSE", "ELIF", "ENDIF"))
            return self.commands(inline=True)

        taken = body()
        if flag:
            chosen = taken
        while self.peek().kind == "ELIF":
            self.take()
            flag = self.condition_value()
            self.scopes[-1] = flag
            taken = body()
            if flag and chosen is None:
                chosen = taken
        if self.peek().kind == "ELSE":
            self.take()
            self.scopes[-1] = chosen is None
            taken = body()
            if chosen is None:
                chosen = taken
        self.expect("ENDIF")
        self.scopes.pop()
        return chosen or [], multiline

    def commands(self, inline: bool = False) -> list[Command]:
        out: list[Command] = []
        kind = self.peek().kind
        if kind in ("\n", "}", "EOF") and not inline:
            return out
        if kind == "HIDDEN" and not inline:
            self.take()
            self.assign(self.expect("EQUALS").text, hidden=True)
            return out
        if kind == "IF":
            kept, multiline = self.if_block(None if not inline else False)
            if multiline:
                return kept if self.active else []
            out.extend(kept)
        else:
            command = self.command()
            if command is not None:
                out.append(command)
        while self.peek().kind == ";":
            self.take()
            kind = self.peek().kind
            if kind == "IF":
                out.extend(self.if_block(False)[0])
            elif kind in ("TOKEN", "EQUALS"):
                command = self.command()
                if command is not None:
                    out.append(command)
        return out if self.active else []

    def command(self) -> Command | None:
        token = self.take()
        if token.kind == "EQUALS":
            self.assign(token.text)
            if self.peek().kind != "TOKEN":
                return None
            token = self.take()
        if token.kind != "TOKEN":
            raise self.fail()
        argv = [token.text]
        blocks: set[int] = set()
        block_commands: list[tuple[int, tuple[Command, ...]]] = []
        while True:
            kind = self.peek().kind
            if kind in ("TOKEN", "EQUALS"):
                argv.append(self.take().text)
            elif kind == "{":
                self.take()
                inner = self.statements(("}",))
                self.expect("}")
                blocks.add(len(argv))
                block_commands.append((len(argv), tuple(inner)))
                argv.append(" ; ".join(command.printed() for command in inner))
            else:
                break
        if not self.active:
            return None
        self.peek()  # tmux numbers a command with the line its parser is on after it
        line = self.lexer.line
        group = self.first_group + line
        # tmux names a command holding blocks with the line of the last command built
        # inside them (its builder leaves that line behind): errors and -v show it
        for _index, inner_commands in reversed(block_commands):
            if inner_commands:
                line = inner_commands[-1].line
                break
        try:
            argv[0] = self.resolve(argv[0])
        except ValueError as exc:
            if self.unknown is None:
                self.unknown = ParseError(line, str(exc), group)
        return Command(tuple(argv), line, group, frozenset(blocks), tuple(block_commands))


@dataclass
class _Token:
    kind: str
    """``\\n`` ``;`` ``{`` ``}`` TOKEN EQUALS FORMAT HIDDEN IF ELSE ELIF ENDIF ERROR EOF"""
    text: str = ""
    line: int = 0


_CONDITIONS = {"%hidden": "HIDDEN", "%if": "IF", "%else": "ELSE", "%elif": "ELIF",
               "%endif": "ENDIF"}


def _is_var(char: str, first: bool) -> bool:
    if char == "=" or not char:
        return False
    if first and char.isdigit():
        return False
    return (char.isascii() and char.isalnum()) or char == "_"


class _Lexer:
    """tmux's ``yylex``: characters to tokens (see the module docstring)."""

    def __init__(self, text: str, environ: MutableMapping[str, str], first_line: int,
                 file: str | None) -> None:
        self.text = text
        self.offset = 0
        self.escapes = 0
        self.line = first_line
        self.file = file
        self.environ = environ
        self.eol = False
        self.eof = False
        self.condition = False
        self.error: str | None = None

    # ---------------------------------------------------------- characters
    def _getc1(self) -> str:
        if self.offset >= len(self.text):
            self.offset = len(self.text) + 1  # so ungetc of EOF is a no-op
            return EOF
        char = self.text[self.offset]
        self.offset += 1
        return char

    def ungetc(self, char: str) -> None:
        if char != EOF and self.offset > 0:
            self.offset -= 1

    def getc(self) -> str:
        if self.escapes:
            self.escapes -= 1
            return "\\"
        while True:
            char = self._getc1()
            if char == "\\":
                self.escapes += 1
                continue
            if char == "\n" and self.escapes % 2 == 1:
                self.line += 1
                self.escapes -= 1
                continue
            if self.escapes:
                self.ungetc(char)
                self.escapes -= 1
                return "\\"
            return char

    def fail(self, message: str) -> None:
        if self.error is None:
            self.error = message

    # -------------------------------------------------------------- tokens
    def next(self) -> _Token:
        if self.eol:
            self.line += 1
        self.eol = False
        condition, self.condition = self.condition, False
        while True:
            char = self.getc()
            if char == EOF:
                if self.eof:
                    return _Token("EOF", line=self.line)
                self.eof = True
                return _Token("\n", line=self.line)
            if char in " \t":
                continue
            if char == "\n":
                self.eol = True
                return _Token("\n", line=self.line)
            if char in ";{}":
                return _Token(char, line=self.line)
            if char == "#":
                following = self.getc()
                if condition and following == "{":
                    text = self._format()
                    if text is None:
                        return _Token("ERROR", line=self.line)
                    return _Token("FORMAT", text, self.line)
                while following not in ("\n", EOF):
                    following = self.getc()
                if following == "\n":
                    self.line += 1
                    return _Token("\n", line=self.line - 1)
                continue
            if char == "%":
                word = self._word("%")
                if all(c == "%" or c.isdigit() for c in word):
                    return _Token("TOKEN", word, self.line)
                self.condition = True
                kind = _CONDITIONS.get(word)
                return _Token(kind or "ERROR", word, self.line)
            token = self._token(char)
            if token is None:
                return _Token("ERROR", line=self.line)
            if "=" in token and _is_var(token[0], True):
                name = token.split("=", 1)[0]
                if all(_is_var(c, False) for c in name[1:]):
                    return _Token("EQUALS", token, self.line)
            return _Token("TOKEN", token, self.line)

    def _word(self, first: str) -> str:
        chars = [first]
        while True:
            char = self.getc()
            if char == EOF or char in " \t\n":
                break
            chars.append(char)
        self.ungetc(char)
        return "".join(chars)

    def _format(self) -> str | None:
        out = ["#{"]
        brackets = 1
        while True:
            char = self.getc()
            if char in (EOF, "\n"):
                return None
            if char == "#":
                char = self.getc()
                if char in (EOF, "\n"):
                    return None
                if char == "{":
                    brackets += 1
                out.append("#")
            elif char == "}" and brackets != 0:
                brackets -= 1
                if brackets == 0:
                    out.append(char)
                    break
            out.append(char)
        return "".join(out)

    def _escape(self, out: list[str]) -> bool:
        char = self.getc()
        if "4" <= char <= "7" and char:
            self.fail("invalid octal escape")
            return False
        if "0" <= char <= "3" and char:
            second = self.getc()
            if second and "0" <= second <= "7":
                third = self.getc()
                if third and "0" <= third <= "7":
                    out.append(chr(64 * int(char) + 8 * int(second) + int(third)))
                    return True
            self.fail("invalid octal escape")
            return False
        if char == EOF:
            return False
        if char in "uU":
            size = 4 if char == "u" else 8
            digits = []
            for _ in range(size):
                digit = self.getc()
                if digit in (EOF, "\n"):
                    return False
                if digit not in "0123456789abcdefABCDEF":
                    self.fail(f"invalid \\{char} argument")
                    return False
                digits.append(digit)
            try:
                out.append(chr(int("".join(digits), 16)))
            except (ValueError, OverflowError):
                self.fail(f"invalid \\{char} argument")
                return False
            return True
        out.append(_ESCAPES.get(char, char))
        return True

    def _variable(self, out: list[str]) -> bool:
        char = self.getc()
        if char == EOF:
            return False
        brackets = char == "{"
        name: list[str] = []
        if not brackets:
            if not _is_var(char, True):
                out.append("$")
                self.ungetc(char)
                return True
            name.append(char)
        while True:
            char = self.getc()
            if brackets and char == "}":
                break
            if char == EOF or not _is_var(char, False):
                if not brackets:
                    self.ungetc(char)
                    break
                self.fail("invalid environment variable")
                return False
            if len(name) >= 1022:
                self.fail("environment variable is too long")
                return False
            name.append(char)
        value = self.environ.get("".join(name))
        if value is not None:
            out.append(value)
        return True

    def _tilde(self, out: list[str]) -> bool:
        name: list[str] = []
        while True:
            char = self.getc()
            if char == EOF or char in "/ \t\n\"'":
                self.ungetc(char)
                break
            name.append(char)
        home: str | None = None
        if not name:
            home = self.environ.get("HOME") or None
            if home is None:
                try:
                    home = pwd.getpwuid(os.getuid()).pw_dir
                except KeyError:
                    home = None
        else:
            try:
                home = pwd.getpwnam("".join(name)).pw_dir
            except KeyError:
                home = None
        if home is None:
            return False
        out.append(home)
        return True

    def _token(self, char: str) -> str | None:
        out: list[str] = []
        state, last = "none", "start"
        while True:
            if char == EOF or (state == "none" and char == "\n"):
                break
            if char in (" ", "\t", ";", "}") and state == "none":
                break
            if char == "\n" and state != "none":
                out.append("\n")
                char = self.getc()
                while char in (" ", "\t"):
                    char = self.getc()
                if char != "#":
                    continue
                char = self.getc()
                if char and char in ",#{}:":
                    self.ungetc(char)
                    char = "#"
                else:
                    while char not in ("\n", EOF):
                        char = self.getc()
                continue
            skip = True
            if char == "\\" and state != "single":
                if not self._escape(out):
                    return None
            elif char == "~" and last != state and state != "single":
                if not self._tilde(out):
                    return None
            elif char == "$" and state != "single":
                if not self._variable(out):
                    return None
            elif char == "'" and state in ("none", "single"):
                state = "single" if state == "none" else "none"
                skip = False
            elif char == '"' and state in ("none", "double"):
                state = "double" if state == "none" else "none"
                skip = False
            else:
                out.append(char)
            if skip:
                last = state
            char = self.getc()
        self.ungetc(char)
        return "".join(out)




def template_replace(template: str, value: str, index: int) -> str:
    """A prompt's answer put into its template, as tmux's ``cmd_template_replace``:
    ``%N`` (N = ``index``, 1-9) and the first ``%%`` take ``value`` as it is; ``%N%`` and
    ``%%%`` take it with ``" \\ $ ; ~`` escaped by a backslash. Other ``%`` stay."""
    if "%" not in template:
        return template
    out: list[str] = []
    replaced = False
    position = 0
    while position < len(template):
        char = template[position]
        position += 1
        if char != "%":
            out.append(char)
            continue
        following = template[position:position + 1]
        if not (following.isdigit() and following != "0" and int(following) == index):
            if following != "%" or replaced:
                out.append(char)
                continue
            replaced = True
        position += 1
        quoted = template[position:position + 1] == "%"
        if quoted:
            position += 1
        for value_char in value:
            if quoted and value_char in "\"\\$;~":
                out.append("\\")
            out.append(value_char)
    return "".join(out)
