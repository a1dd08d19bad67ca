"""The tmux format engine: expands ``#{...}`` templates the way tmux 3.3a does.

``expand(template, lookup)`` walks the template once, left to right, mirroring tmux's
``format_expand1`` / ``format_replace``:

- ``#{name}`` asks ``lookup(name)``; ``None`` (unknown) expands to the empty string.
- ``#{mods:rest}`` applies a ``;``-separated modifier list: comparisons ``== != < > <= >=
  || && m`` (``m/i`` case-folds, ``m/r`` uses a regex), conditionals ``#{?cond,a,b}``,
  ``=N`` / ``=-N`` / ``=/N/marker`` truncation by display width, ``pN`` padding,
  ``t`` (``t/p`` pretty, ``t/f/FMT`` strftime), ``b`` basename, ``d`` dirname, ``l``
  literal, ``a`` ASCII character, ``n`` length in bytes, ``w`` display width, ``q`` shell
  quoting (``q/h`` doubles ``#``), ``E`` expand the value again, ``T`` expand with
  strftime, ``s/re/with/[i]`` substitution and ``e|op|[f]|[prec]`` arithmetic.
- ``##`` is ``#``, ``#,`` is ``,``, ``#}`` is ``}``; ``#[style]`` and ``##[`` stay as they
  are (for a status-line renderer); other ``#X`` are aliases (``#S #I #P #W #D #T #H #F
  #h``) or, when unknown, stay literal.

Invariants: ``expand`` never raises on any template. Where tmux gives up on a malformed
``#{...}`` (no closing brace, a conditional without a comma, a comparison without a
comma) it stops expanding and returns what it produced so far; so does this engine.
Nesting depth is capped at 100 like tmux's loop limit, so self-referencing ``E:`` ends.

What needs a server behind the lookup is asked of the lookup object, when it has it
(``format_vars.FormatScope`` does; a plain function does not):

- ``lookup.loop(kind)`` for the loops ``S:`` (sessions), ``W:`` (windows of the session)
  and ``P:`` (panes of the window): a list of (child lookup, is current) pairs; ``W:`` and
  ``P:`` take ``all,current`` as tmux does;
- ``lookup.name_exists(kind, name)`` for ``N:`` (``N/s`` sessions, else windows);
- ``lookup.search(text, regex, ignore_case)`` for ``C:`` (the line of the pane that
  matches, plus one; 0 if none);
- ``lookup.job(command)`` for ``#(command)``: the command's cached output, "" until it
  has some (tmux runs it in the background and never waits). Without it ``#()`` is "".

``c:`` turns a colour into its RGB hex (``#{c:red}`` is ``800000``). Regexes use Python's
``re`` (leftmost-first) rather than POSIX ERE (leftmost-longest), with ``[[:class:]]``
names translated.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ..terminal.widths import wcwidth
from .styles import colour_to_rgb, parse_colour

Lookup = Callable[[str], "str | None"]

ALIASES: dict[str, str] = {
    "D": "pane_id",
    "F": "window_flags",
    "H": "host",
    "I": "window_index",
    "P": "pane_index",
    "S": "session_name",
    "T": "pane_title",
    "W": "window_name",
    "h": "host_short",
}
"""Single-letter ``#X`` aliases, as in tmux's ``format_upper`` / ``format_lower``."""

_LOOP_LIMIT = 100
_INT64_MIN = -(2**63)
_INT_LIMIT = 2**31 - 1
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_SINGLE_NO_ARG = "labcdnwETSWPL<>"
_DOUBLE_NO_ARG = ("||", "&&", "!=", "==", "<=", ">=")
_WITH_ARGS = "mCNst=peq"
_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_SHELL_SPECIAL = frozenset("|&;<>()$`\\\"'*?[# =%")
_POSIX_CLASSES = {
    "[:alpha:]": "a-zA-Z",
    "[:digit:]": "0-9",
    "[:alnum:]": "a-zA-Z0-9",
    "[:upper:]": "A-Z",
    "[:lower:]": "a-z",
    "[:space:]": " \\t\\n\\r\\f\\v",
    "[:blank:]": " \\t",
    "[:xdigit:]": "0-9A-Fa-f",
    "[:punct:]": re.escape("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"),
    "[:cntrl:]": "\\x00-\\x1f\\x7f",
    "[:print:]": "\\x20-\\x7e",
    "[:graph:]": "\\x21-\\x7e",
}
_STRTOD = re.compile(
    r"\s*[+-]?(?:0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?\d+)?"
    r"|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?|nan)",
    re.IGNORECASE,
)
_STRTONUM = re.compile(r"\s*[+-]?\d+")


def format_time(epoch: float) -> str:
    """An epoch as tmux prints it for ``#{t:...}`` and ``ls`` (``ctime``, local time).

    Always English names (``%a %b %e %H:%M:%S %Y``) whatever the locale, like tmux's
    ``ctime_r``.
    """
    tm = time.localtime(epoch)
    return (
        f"{_DAYS[tm.tm_wday]} {_MONTHS[tm.tm_mon - 1]} {tm.tm_mday:2d} "
        f"{tm.tm_hour:02d}:{tm.tm_min:02d}:{tm.tm_sec:02d} {tm.tm_year}"
    )


def format_pretty_time(epoch: int, now: float | None = None) -> str:
    """tmux's ``#{t/p:...}``: ``HH:MM`` today, ``DayDD`` this month, ``DDMon``, ``MonYY``."""
    now_i = int(time.time() if now is None else now)
    now_i = max(now_i, epoch)
    age = now_i - epoch
    now_tm = time.localtime(now_i)
    tm = time.localtime(epoch)
    if age < 24 * 3600:
        return f"{tm.tm_hour:02d}:{tm.tm_min:02d}"
    same_year = tm.tm_year == now_tm.tm_year
    if (same_year and tm.tm_mon == now_tm.tm_mon) or age < 28 * 24 * 3600:
        return f"{_DAYS[tm.tm_wday]}{tm.tm_mday:02d}"
    if (same_year and tm.tm_mon < now_tm.tm_mon) or (
        tm.tm_year == now_tm.tm_year - 1 and tm.tm_mon > now_tm.tm_mon
    ):
        return f"{tm.tm_mday:02d}{_MONTHS[tm.tm_mon - 1]}"
    return f"{_MONTHS[tm.tm_mon - 1]}{tm.tm_year % 100:02d}"


def display_width(text: str) -> int:
    """Width in cells as tmux's ``format_width``: ``#[...]`` and control characters are 0."""
    width = 0
    index = 0
    while index < len(text):
        char = text[index]
        if char == "#" and text.startswith("#[", index):
            end = text.find("]", index + 2)
            if end == -1:
                break
            index = end + 1
            continue
        width += _char_width(char)
        index += 1
    return width


def expand(template: str, lookup: Lookup, *, expand_time: bool = False) -> str:
    """Expand a tmux format template; never raises.

    Args:
        template: the format, e.g. ``"#{session_name}:#{window_index}"``.
        lookup: returns a variable's value, or ``None`` when the name is unknown.
        expand_time: first pass every (sub)template through ``strftime``, as tmux's
            ``display-message`` does (``%H`` becomes the hour).

    Returns:
        The expanded text.
    """
    return _Expander(lookup, expand_time).expand(template)


def _char_width(char: str) -> int:
    code = ord(char)
    if 0x20 <= code < 0x7F:
        return 1
    if code < 0x80:
        return 0
    return max(wcwidth(char), 0)


def _skip(text: str, start: int, ends: str) -> int | None:
    """Index of the first char of ``ends`` outside nested ``#{}``, skipping ``#`` escapes."""
    depth = 0
    index = start
    length = len(text)
    while index < length:
        char = text[index]
        if char == "#" and index + 1 < length:
            following = text[index + 1]
            if following == "{":
                depth += 1
            if following in ",#{}:":
                index += 2
                continue
        if char == "}":
            depth -= 1
        if char in ends and depth == 0:
            return index
        index += 1
    return None


def _is_end(text: str, index: int) -> bool:
    return index < len(text) and text[index] in ";:"


def _strtonum(text: str, low: int, high: int) -> int | None:
    if not _STRTONUM.fullmatch(text):
        return None
    value = int(text)
    return value if low <= value <= high else None


def _strtod(text: str) -> float | None:
    if text == "":
        return 0.0
    if not _STRTOD.fullmatch(text):
        return None
    body = text.strip()
    sign = -1.0 if body.startswith("-") else 1.0
    body = body.lstrip("+-")
    if body[:2].lower() == "0x":
        hex_body = body if "p" in body.lower() else body + "p0"
        return math.copysign(float.fromhex(hex_body), sign)
    return math.copysign(float(body), sign)


def _as_long_long(value: float) -> float:
    """C's ``(double)(long long)value``: truncate, out of range becomes INT64_MIN (x86)."""
    if math.isnan(value) or math.isinf(value) or not -(2**63) <= value < 2**63:
        return float(_INT64_MIN)
    return float(int(value))


def _strip_format(text: str) -> str:
    """tmux's ``format_strip``: drop ``#`` escapes and anything inside ``#{...}``."""
    out = []
    depth = 0
    index = 0
    while index < len(text):
        char = text[index]
        following = text[index + 1] if index + 1 < len(text) else ""
        if char == "#" and following == "{":
            depth += 1
        if char == "#" and (following == "" or following in ",#{}:"):
            if depth:
                out.append(char)
            index += 1
            continue
        if char == "}":
            depth -= 1
        if depth == 0:
            out.append(char)
        index += 1
    return "".join(out)


def _posix_regex(pattern: str, ignore_case: bool) -> re.Pattern[str] | None:
    for name, replacement in _POSIX_CLASSES.items():
        pattern = pattern.replace(name, replacement)
    try:
        return re.compile(pattern, re.IGNORECASE if ignore_case else 0)
    except (re.error, OverflowError, RecursionError):
        return None


def _fnmatch_regex(pattern: str, ignore_case: bool) -> re.Pattern[str]:
    """C ``fnmatch`` with no flags: ``*`` and ``?`` cross ``/``, ``\\`` escapes."""
    parts: list[str] = []
    index = 0
    length = len(pattern)
    while index < length:
        char = pattern[index]
        index += 1
        if char == "*":
            parts.append(".*")
        elif char == "?":
            parts.append(".")
        elif char == "\\" and index < length:
            parts.append(re.escape(pattern[index]))
            index += 1
        elif char == "[":
            end = index
            if end < length and pattern[end] in "!^":
                end += 1
            if end < length and pattern[end] == "]":
                end += 1
            while end < length and pattern[end] != "]":
                end += 1
            if end >= length:
                parts.append(re.escape(char))
                continue
            body = pattern[index:end]
            negate = body[:1] in ("!", "^")
            if negate:
                body = body[1:]
            body = body.replace("\\", "\\\\").replace("[", "\\[")
            if body.startswith("]"):
                body = "\\" + body
            parts.append(f"[{'^' if negate else ''}{body}]")
            index = end + 1
        else:
            parts.append(re.escape(char))
    flags = re.DOTALL | (re.IGNORECASE if ignore_case else 0)
    try:
        return re.compile("".join(parts), flags)
    except re.error:
        return re.compile(re.escape(pattern), flags)


def _regsub(pattern: str, with_text: str, text: str, ignore_case: bool) -> str | None:
    """tmux's ``regsub``: replace every match, ``\\N`` inserts group N."""
    if text == "":
        return ""
    regex = _posix_regex(pattern, ignore_case)
    if regex is None:
        return None
    out: list[str] = []
    start = 0
    last = 0
    end = len(text)
    empty = False
    while start <= end:
        match = regex.search(text, start)
        if match is None:
            break
        out.append(text[last : match.start()])
        if empty or match.start() != last or match.start() != match.end():
            out.append(_expand_backrefs(with_text, match))
            last = match.end()
            start = match.end()
            empty = False
        else:
            last = match.end()
            start = match.end() + 1
            empty = True
        if pattern.startswith("^"):
            break
    out.append(text[last:end])
    return "".join(out)


def _expand_backrefs(with_text: str, match: re.Match[str]) -> str:
    out: list[str] = []
    index = 0
    while index < len(with_text):
        char = with_text[index]
        if char == "\\":
            index += 1
            if index >= len(with_text):
                break
            char = with_text[index]
            if char.isdigit() and char.isascii():
                group = int(char)
                if group <= (match.re.groups or 0):
                    value = match.group(group)
                    if value:
                        out.append(value)
                        index += 1
                        continue
        out.append(char)
        index += 1
    return "".join(out)


def _pieces(text: str) -> Iterator[tuple[str, int | None]]:
    """Style blocks ``#[...]`` (width None) and visible characters with their width, as
    tmux's trimming sees them (zero-width ASCII controls dropped; an unclosed ``#[``
    ends the text)."""
    index = 0
    while index < len(text):
        if text.startswith("#[", index):
            end = text.find("]", index + 2)
            if end == -1:
                return
            yield text[index : end + 1], None
            index = end + 1
            continue
        char = text[index]
        index += 1
        char_width = _char_width(char)
        if char_width or ord(char) >= 0x80:
            yield char, char_width


def _trim_left(text: str, limit: int) -> str:
    out: list[str] = []
    width = 0
    for piece, piece_width in _pieces(text):
        if width >= limit:
            break
        if piece_width is None:
            out.append(piece)
            continue
        if width + piece_width <= limit:
            out.append(piece)
        width += piece_width
    return "".join(out)


def _trim_right(text: str, limit: int) -> str:
    total = display_width(text)
    if total <= limit:
        return text
    skip = total - limit
    out: list[str] = []
    width = 0
    for piece, piece_width in _pieces(text):
        if piece_width is None:
            out.append(piece)
            continue
        if width >= skip:
            out.append(piece)
        width += piece_width
    return "".join(out)


def _basename(path: str) -> str:
    if path == "":
        return "."
    stripped = path.rstrip("/")
    if stripped == "":
        return "/"
    return stripped.rsplit("/", 1)[-1]


def _dirname(path: str) -> str:
    stripped = path.rstrip("/")
    if stripped == "":
        return "/" if path else "."
    if "/" not in stripped:
        return "."
    parent = stripped.rsplit("/", 1)[0].rstrip("/")
    return parent or "/"


def _is_true(value: str) -> bool:
    return value != "" and value != "0"


@dataclass
class _Modifier:
    name: str
    args: list[str] = field(default_factory=list)


@dataclass
class _Options:
    """What a modifier list asks for, gathered as in tmux's ``format_replace``."""

    flags: set[str] = field(default_factory=set)
    compare: _Modifier | None = None
    expression: _Modifier | None = None
    substitutions: list[_Modifier] = field(default_factory=list)
    limit: int = 0
    marker: str | None = None
    width: int = 0
    time_format: str | None = None
    search: _Modifier | None = None
    name_check: _Modifier | None = None


class _Expander:
    """One expansion: the lookup, the nesting depth and the strftime flag."""

    def __init__(self, lookup: Lookup, expand_time: bool) -> None:
        self._lookup = lookup
        self._expand_time = expand_time
        self._depth = 0
        self._now: time.struct_time | None = None

    def expand(self, template: str) -> str:
        if template == "" or self._depth >= _LOOP_LIMIT:
            return ""
        self._depth += 1
        try:
            return self._expand_one(template)
        finally:
            self._depth -= 1

    def _strftime(self, template: str) -> str:
        if self._now is None:
            self._now = time.localtime()
        try:
            return time.strftime(template, self._now)
        except ValueError:
            return template

    def _expand_one(self, template: str) -> str:
        if self._expand_time and "%" in template:
            template = self._strftime(template)
        out: list[str] = []
        index = 0
        length = len(template)
        while index < length:
            hash_at = template.find("#", index)
            if hash_at == -1:
                out.append(template[index:])
                break
            out.append(template[index:hash_at])
            index = hash_at + 1
            if index >= length:
                out.append("#")
                break
            char = template[index]
            index += 1
            if char == "(":
                close = self._job_end(template, index)
                if close is None:
                    break
                out.append(self._job(template[index:close]))
                index = close + 1
            elif char == "{":
                close = _skip(template, hash_at, "}")
                if close is None:
                    break
                value = self._replace(template[index:close])
                if value is None:
                    break
                out.append(value)
                index = close + 1
            elif char == "#":
                run_end = index
                while run_end < length and template[run_end] == "#":
                    run_end += 1
                if run_end < length and template[run_end] == "[":
                    out.append(template[hash_at : run_end + 1])
                    index = run_end + 1
                else:
                    out.append("#")
            elif char in "},":
                out.append(char)
            elif char in ALIASES:
                value = self._replace(ALIASES[char])
                if value is None:
                    break
                out.append(value)
            else:
                out.append("#" + char)
        return "".join(out)

    def _job(self, command: str) -> str:
        """``#(command)``: its latest output, itself expanded as a format (as tmux)."""
        job = getattr(self._lookup, "job", None)
        if job is None:
            return ""
        return self.expand(job(self.expand(command)))

    @staticmethod
    def _job_end(template: str, start: int) -> int | None:
        depth = 1
        for index in range(start, len(template)):
            char = template[index]
            if char == "(":
                depth += 1
            elif char == ")":
                depth -= 1
                if depth == 0:
                    return index
        return None

    def _parse_modifiers(self, key: str) -> tuple[list[_Modifier], str]:
        """Split ``mods:rest``; a key with no valid modifier list comes back whole."""
        modifiers: list[_Modifier] = []
        cursor = 0
        length = len(key)
        while cursor < length and key[cursor] != ":":
            if key[cursor] == ";":
                cursor += 1
                if cursor >= length:
                    break
            first = key[cursor]
            second = key[cursor + 1] if cursor + 1 < length else ""
            if first in _SINGLE_NO_ARG and _is_end(key, cursor + 1):
                modifiers.append(_Modifier(first))
                cursor += 1
                continue
            if key[cursor : cursor + 2] in _DOUBLE_NO_ARG and _is_end(key, cursor + 2):
                modifiers.append(_Modifier(key[cursor : cursor + 2]))
                cursor += 2
                continue
            if first not in _WITH_ARGS:
                break
            if _is_end(key, cursor + 1):
                modifiers.append(_Modifier(first))
                cursor += 1
                continue
            if second == "":
                break
            if second not in _PUNCTUATION or second == "-":
                end = _skip(key, cursor + 1, ":;")
                if end is None:
                    break
                modifiers.append(_Modifier(first, [self.expand(key[cursor + 1 : end])]))
                cursor = end
                continue
            cursor = self._parse_wrapped_args(key, cursor + 1, first, modifiers)
        if cursor >= length or key[cursor] != ":":
            return [], key
        return modifiers, key[cursor + 1 :]

    def _parse_wrapped_args(
        self, key: str, cursor: int, name: str, modifiers: list[_Modifier]
    ) -> int:
        """Parse ``/a/b/`` style arguments starting at the wrapper; returns the new cursor."""
        wrapper = key[cursor]
        stops = wrapper + ";:"
        args: list[str] = []
        while True:
            if key[cursor] == wrapper and _is_end(key, cursor + 1):
                cursor += 1
                break
            end = _skip(key, cursor + 1, stops)
            if end is None:
                break
            args.append(self.expand(key[cursor + 1 : end]))
            cursor = end
            if _is_end(key, cursor):
                break
        modifiers.append(_Modifier(name, args))
        return cursor

    @staticmethod
    def _gather(modifiers: list[_Modifier]) -> _Options:
        options = _Options()
        for modifier in modifiers:
            name, args = modifier.name, modifier.args
            if name in ("m", "<", ">") or name in _DOUBLE_NO_ARG:
                options.compare = modifier
            elif name == "s":
                if len(args) >= 2:
                    options.substitutions.append(modifier)
            elif name == "=":
                if args:
                    options.limit = _strtonum(args[0], -_INT_LIMIT - 1, _INT_LIMIT) or 0
                    if len(args) >= 2:
                        options.marker = args[1]
            elif name == "p":
                if args:
                    options.width = _strtonum(args[0], -_INT_LIMIT - 1, _INT_LIMIT) or 0
            elif name == "e":
                if 1 <= len(args) <= 3:
                    options.expression = modifier
            elif name == "t":
                options.flags.add("t")
                if args and "p" in args[0]:
                    options.flags.add("pretty")
                elif len(args) >= 2 and "f" in args[0]:
                    options.time_format = _strip_format(args[1])
            elif name == "C":
                options.search = modifier
            elif name == "N":
                options.name_check = modifier
            elif name == "q":
                if args and ("e" in args[0] or "h" in args[0]):
                    options.flags.add("quote_style")
                elif not args:
                    options.flags.add("quote_shell")
            else:
                options.flags.add(name)
        return options

    def _replace(self, key: str) -> str | None:
        """Expand the inside of one ``#{...}``; ``None`` means tmux stops expanding."""
        modifiers, rest = self._parse_modifiers(key)
        options = self._gather(modifiers)
        flags = options.flags
        value: str | None
        if "l" in flags:
            value = rest
        elif "a" in flags:
            code = _strtonum(self.expand(rest), 32, 126)
            value = "" if code is None else chr(code)
        elif "c" in flags:
            rgb = colour_to_rgb(parse_colour(self.expand(rest)))
            value = "" if rgb is None else f"{rgb:06x}"
        elif flags & {"S", "W", "P"}:
            value = self._loop("S" if "S" in flags else "W" if "W" in flags else "P", rest)
        elif options.name_check is not None:
            value = self._name_exists(options.name_check, rest)
        elif options.search is not None:
            value = self._search(options.search, rest)
        elif options.compare is not None:
            value = self._compare(options.compare, rest)
        elif rest.startswith("?"):
            value = self._conditional(rest, options)
        elif options.expression is not None:
            value = self._arithmetic(options.expression, rest)
        elif "#{" in rest:
            value = self.expand(rest)
        else:
            value = self._find(rest, options) or ""
        if value is None:
            return None
        return self._finish(value, options)

    def _finish(self, value: str, options: _Options) -> str:
        flags = options.flags
        if "E" in flags:
            value = self.expand(value)
        elif "T" in flags:
            saved = self._expand_time
            self._expand_time = True
            try:
                value = self.expand(value)
            finally:
                self._expand_time = saved
        for substitution in options.substitutions:
            pattern = self.expand(substitution.args[0])
            replacement = self.expand(substitution.args[1])
            ignore_case = len(substitution.args) >= 3 and "i" in substitution.args[2]
            substituted = _regsub(pattern, replacement, value, ignore_case)
            if substituted is not None:
                value = substituted
        if options.limit > 0:
            trimmed = _trim_left(value, options.limit)
            if options.marker is not None and trimmed != value:
                trimmed += options.marker
            value = trimmed
        elif options.limit < 0:
            trimmed = _trim_right(value, -options.limit)
            if options.marker is not None and trimmed != value:
                trimmed = options.marker + trimmed
            value = trimmed
        if options.width:
            padding = " " * max(abs(options.width) - sum(map(_char_width, value)), 0)
            value = value + padding if options.width > 0 else padding + value
        if "n" in flags:
            value = str(len(value.encode("utf-8", "surrogateescape")))
        if "w" in flags:
            value = str(display_width(value))
        return value

    def _find(self, name: str, options: _Options) -> str | None:
        """tmux's ``format_find``: look up, then apply ``t``, ``b``, ``d`` and ``q``."""
        found = self._lookup(name)
        flags = options.flags
        if "t" in flags:
            if found is None:
                return None
            epoch = _strtonum(found, 0, 2**63 - 1)
            if not epoch:
                return None
            try:
                if "pretty" in flags:
                    return format_pretty_time(epoch)
                if options.time_format is not None:
                    return time.strftime(options.time_format, time.localtime(epoch))
                return format_time(epoch)
            except (OverflowError, OSError, ValueError):
                return None
        if found is None:
            return None
        if "b" in flags:
            found = _basename(found)
        if "d" in flags:
            found = _dirname(found)
        if "quote_shell" in flags:
            found = "".join("\\" + c if c in _SHELL_SPECIAL else c for c in found)
        if "quote_style" in flags:
            found = found.replace("#", "##")
        return found

    def _child(self, lookup: Lookup) -> _Expander:
        child = _Expander(lookup, self._expand_time)
        child._depth = self._depth
        return child

    def _loop(self, kind: str, rest: str) -> str | None:
        """``S:``, ``W:`` or ``P:``: ``rest`` expanded for each session, window or pane
        (``W:``/``P:``: ``all,current``, the current one with the second)."""
        loop = getattr(self._lookup, "loop", None)
        children = loop(kind) if loop is not None else None
        if children is None:
            return None
        every, current = rest, rest
        if kind != "S":
            comma = _skip(rest, 0, ",")
            if comma is not None:
                every, current = rest[:comma], rest[comma + 1 :]
        return "".join(self._child(child).expand(current if is_current else every)
                       for child, is_current in children)

    def _name_exists(self, modifier: _Modifier, rest: str) -> str | None:
        exists = getattr(self._lookup, "name_exists", None)
        kind = "session" if modifier.args and "s" in modifier.args[0] else "window"
        if exists is None:
            return "0"
        found = exists(kind, self.expand(rest))
        return None if found is None else _flag_text(found)

    def _search(self, modifier: _Modifier, rest: str) -> str:
        search = getattr(self._lookup, "search", None)
        mode = modifier.args[0] if modifier.args else ""
        if search is None:
            return "0"
        return str(search(self.expand(rest), "r" in mode, "i" in mode))

    def _choose(self, text: str, expand_both: bool) -> tuple[str, str] | None:
        comma = _skip(text, 0, ",")
        if comma is None:
            return None
        left, right = text[:comma], text[comma + 1 :]
        if expand_both:
            return self.expand(left), self.expand(right)
        return left, right

    def _compare(self, modifier: _Modifier, rest: str) -> str | None:
        sides = self._choose(rest, True)
        if sides is None:
            return None
        left, right = sides
        name = modifier.name
        if name == "m":
            return "1" if self._match(modifier, left, right) else "0"
        results = {
            "||": lambda: _is_true(left) or _is_true(right),
            "&&": lambda: _is_true(left) and _is_true(right),
            "==": lambda: left == right,
            "!=": lambda: left != right,
            "<": lambda: _c_less(left, right),
            ">": lambda: _c_less(right, left),
            "<=": lambda: not _c_less(right, left),
            ">=": lambda: not _c_less(left, right),
        }
        return "1" if results[name]() else "0"

    @staticmethod
    def _match(modifier: _Modifier, pattern: str, text: str) -> bool:
        mode = modifier.args[0] if modifier.args else ""
        ignore_case = "i" in mode
        if "r" not in mode:
            return _fnmatch_regex(pattern, ignore_case).fullmatch(text) is not None
        regex = _posix_regex(pattern, ignore_case)
        return regex is not None and regex.search(text) is not None

    def _conditional(self, rest: str, options: _Options) -> str | None:
        comma = _skip(rest, 1, ",")
        if comma is None:
            return None
        condition = rest[1:comma]
        found = self._find(condition, options)
        if found is None:
            found = self.expand(condition)
            if found == condition:
                found = ""
        branches = self._choose(rest[comma + 1 :], False)
        if branches is None:
            return None
        return self.expand(branches[0] if _is_true(found) else branches[1])

    def _arithmetic(self, modifier: _Modifier, rest: str) -> str | None:
        args = modifier.args
        operator = args[0]
        use_float = len(args) >= 2 and "f" in args[1]
        precision = 2 if use_float else 0
        if len(args) >= 3:
            parsed = _strtonum(args[2], -_INT_LIMIT - 1, _INT_LIMIT)
            if parsed is None:
                return ""
            precision = parsed
        if operator not in _OPERATORS:
            return ""
        sides = self._choose(rest, True)
        if sides is None:
            return ""
        left, right = _strtod(sides[0]), _strtod(sides[1])
        if left is None or right is None:
            return ""
        if not use_float:
            left, right = _as_long_long(left), _as_long_long(right)
        result = _OPERATORS[operator](left, right)
        if not use_float:
            result = _as_long_long(result)
        if math.isnan(result):
            return "-nan" if math.copysign(1.0, result) < 0 else "nan"
        return f"{result:.{precision if precision >= 0 else 6}f}"


def search_lines(lines: list[str], term: str, regex: bool, ignore_case: bool) -> int:
    """tmux's ``window_pane_search`` for ``#{C:term}``: the 1-based number of the first
    line matching ``*term*`` (or the regex), trailing blanks ignored; 0 if none."""
    if regex:
        compiled = _posix_regex(term, ignore_case)
        if compiled is None:
            return 0
        matches = compiled.search
    else:
        matches = _fnmatch_regex(f"*{term}*", ignore_case).fullmatch
    for number, line in enumerate(lines, start=1):
        if matches(line.rstrip()):
            return number
    return 0


def _flag_text(value: bool) -> str:
    return "1" if value else "0"


def _c_less(left: str, right: str) -> bool:
    """``strcmp(left, right) < 0`` on the UTF-8 bytes."""
    return left.encode("utf-8", "surrogateescape") < right.encode("utf-8", "surrogateescape")


_X86_DEFAULT_NAN = -math.nan
"""The NaN an invalid x86 operation yields (sign bit set): tmux prints it as ``-nan``."""


def _divide(left: float, right: float) -> float:
    if right == 0:
        if math.isnan(left):
            return left
        if left == 0:
            return _X86_DEFAULT_NAN
        return math.copysign(math.inf, left) * math.copysign(1.0, right)
    return left / right


def _modulus(left: float, right: float) -> float:
    if math.isnan(left) or math.isnan(right):
        return left if math.isnan(left) else right
    if right == 0 or math.isinf(left):
        return _X86_DEFAULT_NAN
    return math.fmod(left, right)


_OPERATORS: dict[str, Callable[[float, float], float]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": _divide,
    "%": _modulus,
    "m": _modulus,
    "==": lambda a, b: float(abs(a - b) < 1e-9),
    "!=": lambda a, b: float(abs(a - b) > 1e-9),
    ">": lambda a, b: float(a > b),
    "<": lambda a, b: float(a < b),
    ">=": lambda a, b: float(a >= b),
    "<=": lambda a, b: float(a <= b),
}
