"""Parser for package-manager script runs: ``npm run`` / ``npm test``, ``yarn <script>``,
``pnpm <script>``.

The wrapper prints a banner naming the script and its command (npm and pnpm:
``> pkg@1.0.0 build`` then ``> tsc -p .``; yarn: ``$ tsc -p .``) and, on failure, its own
error lines (``npm ERR!`` / ``npm error``, ``error Command failed with exit code 1.``,
`` ELIFECYCLE  Command failed ...``). The output in between is the script's own: when Jest,
Vitest, Mocha, tsc or ESLint recognise it (given the script's command), their result is
returned, with the wrapper, script name and script command added to its ``details``;
otherwise the result reports the script's failure from the wrapper's lines.

Invariants: the wrapper's own lines are removed before delegating, so the inner parser sees
only what the script printed; an exit code the wrapper printed is kept in ``details``, never
guessed; text with neither a banner nor a wrapper error line is not a script run.
"""

from __future__ import annotations

import re
from typing import Any

from . import eslint, jest, mocha, tsc, vitest
from ._runner_common import command_segments, invokes, non_empty_lines, status_from_exit
from .model import Issue, ParsedOutput

_DELEGATES: tuple[Any, ...] = (jest.PARSER, vitest.PARSER, mocha.PARSER, tsc.PARSER,
                               eslint.PARSER)
_NPM_BANNER = re.compile(r"^> (?P<package>\S+@\S+) (?P<script>\S+)(?: \S.*)?$")
_NPM_COMMAND = re.compile(r"^> (?P<command>.+)$")
_YARN_START = re.compile(r"^yarn run v\d")
_YARN_COMMAND = re.compile(r"^\$ (?P<command>.+)$")
_NPM_ERROR = re.compile(r"^npm (?:ERR!|error)(?: (?P<text>.*))?$")
_NPM_WARN = re.compile(r"^npm (?:WARN|warn) ")
_YARN_ERROR = re.compile(r"^error (?!TS\d+:)(?P<text>.+)$")
_YARN_INFO = re.compile(r"^info (?:Visit |If you think)")
_PNPM_ERROR = re.compile(r"^\s*(?:ELIFECYCLE|ERR_PNPM_\w+)\s+(?P<text>.+)$")
_EXIT_CODE = re.compile(r"(?:exit code|Exit status) (?P<code>\d+)")
_NPM_NOISE = re.compile(r"^(?:code |errno |path |command |workdir |syscall |signal |"
                        r"A complete log of this run|Log files were not written|$)")
_TELLTALE = re.compile(r"^(?:npm (?:ERR!|error) (?:code ELIFECYCLE|Lifecycle script|Missing script)"
                       r"|error Command failed with exit code \d+\.$| ?ELIFECYCLE )",
                       re.MULTILINE)
_RUN_COMMANDS = (("npm", "run"), ("npm", "run-script"), ("npm", "test"), ("npm", "t"),
                 ("npm", "start"), ("npm", "stop"), ("npm", "restart"), ("yarn",), ("pnpm",),
                 ("bun", "run"))


def _wrapper(command: str | None, lines: list[str]) -> str:
    for name in ("npm", "yarn", "pnpm", "bun"):
        if invokes(command, (name,)):
            return name
    if any(_YARN_START.match(line) for line in lines):
        return "yarn"
    if any(_PNPM_ERROR.match(line) for line in lines):
        return "pnpm"
    return "npm"


def _script_from_command(command: str | None, wrapper: str) -> str | None:
    """``yarn test`` / ``npm run build`` / ``pnpm run lint`` name their script."""
    for words in command_segments(command):
        if words[0] != wrapper:
            continue
        rest = [word for word in words[1:] if not word.startswith("-")]
        if rest and rest[0] in ("run", "run-script"):
            rest = rest[1:]
        return rest[0] if rest else None
    return None


def _script(lines: list[str]) -> tuple[str | None, str | None, int]:
    """Script name, script command, and the index of the first line the script printed."""
    for index, line in enumerate(lines):
        banner = _NPM_BANNER.match(line)
        if banner and index + 1 < len(lines) and (inner := _NPM_COMMAND.match(lines[index + 1])):
            return banner.group("script"), inner.group("command"), index + 2
        if _YARN_START.match(line):
            for offset, following in enumerate(lines[index + 1:index + 3], start=index + 1):
                if inner := _YARN_COMMAND.match(following):
                    return None, inner.group("command"), offset + 1
    return None, None, 0


def _is_wrapper_line(line: str) -> bool:
    return bool(_NPM_ERROR.match(line) or _NPM_WARN.match(line) or _PNPM_ERROR.match(line)
                or _YARN_INFO.match(line) or _YARN_START.match(line)
                or line.startswith(("error Command failed with exit code", "Done in ")))


def _wrapper_errors(lines: list[str], wrapper: str) -> tuple[list[str], int | None]:
    """The wrapper's error messages and the exit code it printed, if it did.

    npm's error report (many ``npm error`` lines) gives one message, its first line that is
    not a ``code`` / ``errno`` / log-file line. Bare ``error ...`` lines are yarn's only when
    yarn is the wrapper.
    """
    messages: list[str] = []
    exit_code: int | None = None
    npm_message_seen = False
    for line in lines:
        npm = _NPM_ERROR.match(line)
        text = (npm.group("text") or "").strip() if npm else ""
        if npm and not npm_message_seen and not _NPM_NOISE.match(text):
            messages.append(text)
            npm_message_seen = True
        if exit_code is None and (npm or _PNPM_ERROR.match(line) or _YARN_ERROR.match(line)):
            code = _EXIT_CODE.search(line)
            exit_code = int(code.group("code")) if code else None
        if npm:
            continue
        match = _PNPM_ERROR.match(line) or (_YARN_ERROR.match(line) if wrapper == "yarn" else None)
        if match:
            messages.append(match.group("text").strip())
    return messages, exit_code


class NodeScriptsParser:
    """npm / yarn / pnpm script runs, delegating to the tool the script ran."""

    name = "node_scripts"
    priority = 15

    def matches(self, command: str | None, text: str) -> bool:
        """A script-running package-manager command, or a wrapper's failure line."""
        if invokes(command, *_RUN_COMMANDS) and not invokes(
                command, ("yarn", "install"), ("yarn", "add"), ("pnpm", "install"),
                ("pnpm", "add"), ("pnpm", "i")):
            return True
        return bool(_TELLTALE.search(text))

    def parse(self, text: str, command: str | None, exit_code: int | None) -> ParsedOutput | None:
        """The inner tool's result with wrapper details, else the script's failure."""
        lines = text.splitlines()
        script, script_command, start = _script(lines)
        wrapper = _wrapper(command, lines)
        errors, printed_exit = _wrapper_errors(lines, wrapper)
        if script_command is None and not errors:
            return None
        details: dict[str, Any] = {"wrapper": wrapper}
        script = script or _script_from_command(command, wrapper)
        if script is not None:
            details["script"] = script
        if script_command is not None:
            details["script_command"] = script_command
        if printed_exit is not None:
            details["exit_code"] = printed_exit
        inner_text = "\n".join(line for line in lines[start:] if not _is_wrapper_line(line))
        for delegate in _DELEGATES:
            if not delegate.matches(script_command, inner_text):
                continue
            result: ParsedOutput | None = delegate.parse(inner_text, script_command, exit_code)
            if result is not None:
                result.details.update(details)
                return result
        failed = bool(errors) or (exit_code not in (None, 0))
        status = "failure" if failed else status_from_exit(exit_code)
        inner_lines = non_empty_lines(inner_text)
        summary = errors[-1] if errors else (inner_lines[-1].strip() if inner_lines else "")
        name = script or ""
        kind = "test" if name == "test" or name.startswith(("test:", "test-")) or \
            invokes(command, ("npm", "test"), ("npm", "t"), ("yarn", "test"), ("pnpm", "test")) \
            else "build"
        return ParsedOutput(kind=kind, tool=wrapper, status=status,
                            counts={"errors": len(errors)},
                            issues=[Issue(message=message) for message in errors],
                            summary=summary, details=details)


PARSER = NodeScriptsParser()
