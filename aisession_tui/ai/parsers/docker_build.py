"""Parser for ``docker build`` / ``docker buildx build`` / ``docker compose build`` output.

Both builders are read:

* classic: ``Step 7/12 : RUN x`` lines (``details["steps"]``, the last one is the failing
  step), ``The command '/bin/sh -c x' returned a non-zero code: 127``,
  ``Successfully built <id>`` / ``Successfully tagged <name>``;
* BuildKit: plain ``#8 [4/5] RUN x`` / ``#8 ERROR: ...`` / ``#8 DONE 0.1s`` lines and the
  tty ``=> ERROR [2/8] RUN x`` lines, the ``Dockerfile:11`` + code-frame block, and the
  final ``ERROR: failed to solve: ...`` (older: ``failed to solve with frontend ...``,
  ``executor failed running [...]``).

The final failure line is the issue (at the ``Dockerfile:N`` location when the output
printed one); a per-step ``#N ERROR:`` line only becomes an issue when no final line
exists. Output of the commands run inside steps is not interpreted (``make:`` or compiler
lines there belong to the image's build, and are left to the reader).
"""

from __future__ import annotations

import re

from ._diagnostics import command_words
from .model import Issue, ParsedOutput

_STEP = re.compile(r"^Step (?P<n>\d+)(?:/(?P<total>\d+))? : (?P<instr>.*)$")
_CLASSIC_FAILED = re.compile(
    r"^(?:INFO\[\d+\] |ERROR: Service '[^']+' failed to build: )?The command (?:'.*'|\[.*\]) "
    r"returned a non-zero code: (?P<code>\d+)$")
_SUCCESS = re.compile(r"^Successfully (?:built|tagged) \S+$")
_BK_STEP = re.compile(r"^#(?P<id>\d+) \[(?P<stage>[^\]]+)\] (?P<instr>.+)$")
_BK_STEP_ERROR = re.compile(r"^#(?P<id>\d+) ERROR: (?P<msg>.+)$")
_BK_TTY_ERROR = re.compile(r"^\s*=> ERROR \[(?P<stage>[^\]]+)\] (?P<instr>.+?)(?:\s+\d+(?:\.\d+)?s)?$")
_BK_FINISHED = re.compile(r"^\[\+\] Building [\d.]+s \(\d+/\d+\) FINISHED")
_BK_NAMING = re.compile(r"^#\d+ (?:naming to|writing image) \S+|^\s*=> => naming to \S+")
_DOCKERFILE_AT = re.compile(r"^(?P<file>\S*Dockerfile[\w.-]*|\S+\.[Dd]ockerfile):(?P<line>\d+)$")
_FINAL = re.compile(
    r"^(?P<msg>(?:ERROR: )?failed to solve(?: with frontend \S+)?: .+|"
    r"ERROR: executor failed running .+|executor failed running .+)$")
_EXIT_CODE = re.compile(r"(?:exit code: |non-zero code: )(?P<code>\d+)")
_ECHO = re.compile(r"^(?:Error: buildx failed with: |##\[error\])")
_TELLTALES = re.compile(
    r"^(?:#\d+ \[|#\d+ (?:DONE|CACHED|ERROR)|\[\+\] Building |Step \d+(?:/\d+)? : |"
    r"(?:ERROR: )?failed to solve|Sending build context to Docker daemon)|returned a non-zero code: \d+$",
    re.MULTILINE)


class DockerBuildParser:
    """Reads Docker image build logs."""

    name = "docker_build"
    priority = 30

    def matches(self, command: str | None, text: str) -> bool:
        words = command_words(command)
        if words:
            if words[0] in ("docker", "podman", "buildah", "docker-compose"):
                rest = [w for w in words[1:] if not w.startswith("-")]
                return "build" in rest[:3] or rest[:1] == ["bake"]
            return False
        return bool(_TELLTALES.search(text))

    def parse(self, text: str, command: str | None, exit_code: int | None) -> ParsedOutput | None:
        steps: list[str] = []
        step_errors: list[tuple[str, str]] = []
        final: list[Issue] = []
        failed_step: str | None = None
        location: tuple[str, int] | None = None
        succeeded = False
        builder = None
        for raw in text.splitlines():
            line = raw.rstrip()
            if _ECHO.match(line):
                continue
            if match := _STEP.match(line):
                builder = "classic"
                steps.append(line)
            elif match := _CLASSIC_FAILED.match(line):
                builder = builder or "classic"
                final.append(Issue(message=line, severity="error", code=f"exit {match['code']}"))
                failed_step = steps[-1] if steps else failed_step
            elif match := _BK_STEP_ERROR.match(line):
                builder = "buildkit"
                step_errors.append((match["id"], match["msg"]))
            elif match := _BK_STEP.match(line):
                builder = "buildkit"
                steps.append(f"#{match['id']} [{match['stage']}] {match['instr']}")
            elif match := _BK_TTY_ERROR.match(line):
                builder = "buildkit"
                failed_step = f"[{match['stage']}] {match['instr']}"
            elif match := _DOCKERFILE_AT.match(line):
                location = (match["file"], int(match["line"]))
            elif match := _FINAL.match(line):
                builder = "buildkit"
                issue = Issue(message=match["msg"], severity="error", code=_exit_code(line))
                if location:
                    issue.file, issue.line = location
                final.append(issue)
            elif _SUCCESS.match(line) or _BK_FINISHED.match(line) or _BK_NAMING.match(line):
                succeeded = True
        if builder is None and not succeeded:
            return None
        issues = final or [Issue(message=msg, severity="error", code=_exit_code(msg))
                           for _, msg in step_errors]
        if failed_step is None and step_errors:
            failed_id = step_errors[-1][0]
            failed_step = next((s for s in steps if s.startswith(f"#{failed_id} ")), None)
        details: dict[str, object] = {"builder": builder or "unknown"}
        if steps:
            details["steps"] = steps
        if failed_step:
            details["failed_step"] = failed_step
        exit_codes = [issue.code for issue in issues if issue.code]
        if exit_codes:
            details["step_exit_code"] = int(exit_codes[-1].split()[-1])
        counts = {"errors": len(issues), "steps": len(steps)}
        failed = bool(issues) or exit_code not in (None, 0)
        summary = next((line.strip() for line in reversed(text.splitlines())
                        if _FINAL.match(line.strip()) or _CLASSIC_FAILED.match(line.strip())
                        or _SUCCESS.match(line.strip())), "")
        return ParsedOutput(kind="build", tool="docker",
                            status="failure" if failed else ("success" if succeeded else "unknown"),
                            counts=counts, issues=issues, summary=summary, details=details)


def _exit_code(text: str) -> str | None:
    found = _EXIT_CODE.search(text)
    return f"exit {found['code']}" if found else None


PARSER = DockerBuildParser()
