"""An agent's task through ai-session's MCP tools and through a plain bash tool, side by side.

The same scripted task runs twice in a fresh copy of a small Python project (32 tests, two
failing: an assertion and a KeyError raised in the project's code):

1. run the tests; 2. read the failing module; 3. grep for the function; 4. fix it
(sed); 5. re-run the tests (one failure left); 6. fix the other; 7. re-run (green);
8. git status; 9. git diff; 10. a command that asks ``Proceed? [y/N]``; 11. a build
that writes 60,000 log lines and then fails with ``config.yaml:12: unknown key``.

* **bash baseline**: what an agent's own Bash tool returns: stdout and stderr as one text,
  plus ``Exit code N`` when it is not 0, never truncated (Claude Code caps a tool result
  at ~25,000 tokens: the baseline's huge step would be cut there, and it says so). The
  command runs with no terminal (stdin is /dev/null), as such tools run them: the prompt
  step reads EOF, so the agent must re-run it with the answer piped in (2 calls).
* **ai-session**: the official MCP SDK client over ``ai-session mcp``: ``exec_command``
  with its defaults (parsed facts plus a bounded head and tail, 4,000-token budget); the
  prompt step is ``exec_command`` (returns ``state: waiting`` with the prompt and a job)
  then ``job_answer`` and ``job_wait`` (3 calls).

Tokens: the text each call returns to the model (for MCP, the tool result's text
content), counted with the project's tokenizer (``ai/tokens.py``, cl100k_base). Facts:
every step lists the facts the task needs (failing test ids, ``file:line``, the exception
type and message, the exit code, the prompt, the answers); a fact counts as delivered when
its text is in what the step returned.

Run: ``python benchmarks/agent_tokens.py`` (about a minute). Prints the table and writes
benchmarks/results/agent_tokens.json.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aisession_tui.ai.tokens import count_tokens

PY = sys.executable
CLIENT_CAP = 25_000
"""Claude Code's default cap on one tool result, in tokens."""

APP = '''"""Prices and carts."""

PRICES = {"apple": 3, "pear": 4, "plum": 2}


def price(item):
    return PRICES[item]


def total(items):
    return sum(price(item) for item in items)


def discount(amount, percent):
    return amount - amount * percent // 10
'''
TESTS = '''from app import discount, price, total


def test_total():
    assert total(["apple", "pear"]) == 7


def test_discount():
    assert discount(200, 10) == 180


def test_unknown_item_costs_nothing():
    assert price("kiwi") == 0

''' + "".join(f'''
def test_price_{n}():
    assert price("apple") + {n} == 3 + {n}
''' for n in range(29))
BUILD = ("import sys\nfor i in range(60000):\n    print(f'[build] compiling unit {i:05d} ok')\n"
         "print('config.yaml:12: unknown key colour (did you mean color?)', file=sys.stderr)\n"
         "sys.exit(2)\n")
ASK = "a = input('Proceed? [y/N] '); print('answer:', a)"


@dataclass
class Step:
    name: str
    command: str
    facts: list[str]
    prompt_answer: str | None = None


def steps() -> list[Step]:
    return [
        Step("run tests", f"{PY} -m pytest -q -p no:cacheprovider",
             ["test_app.py::test_discount", "test_app.py::test_unknown_item_costs_nothing",
              "assert 0 == 180", "KeyError", "'kiwi'", "app.py:7", "2 failed",
              "30 passed", "exit 1"]),
        Step("read module", "cat app.py", ["return amount - amount * percent // 10",
                                           "return PRICES[item]"]),
        Step("grep", "grep -n 'def ' app.py", ["6:def price", "14:def discount"]),
        Step("fix discount", "sed -i 's|percent // 10|percent // 100|' app.py", ["exit 0"]),
        Step("re-run tests", f"{PY} -m pytest -q -p no:cacheprovider",
             ["test_app.py::test_unknown_item_costs_nothing", "KeyError", "app.py:7",
              "1 failed", "31 passed", "exit 1"]),
        Step("fix price", "sed -i 's|return PRICES\\[item\\]|return PRICES.get(item, 0)|' "
                          "app.py", ["exit 0"]),
        Step("re-run tests green", f"{PY} -m pytest -q -p no:cacheprovider",
             ["32 passed", "exit 0"]),
        Step("git status", "git status --short", ["M app.py"]),
        Step("git diff", "git diff", ["-    return PRICES[item]",
                                      "+    return PRICES.get(item, 0)",
                                      "+    return amount - amount * percent // 100"]),
        Step("prompt", f"{PY} -c \"{ASK}\"", ["Proceed? [y/N]", "answer: y", "exit 0"],
             prompt_answer="y"),
        Step("huge build", f"{PY} build.py",
             ["config.yaml:12", "unknown key colour", "exit 2"]),
    ]


def project(where: Path) -> Path:
    where.mkdir(parents=True)
    (where / "app.py").write_text(APP)
    (where / "test_app.py").write_text(TESTS)
    (where / "build.py").write_text(BUILD)
    env = {**os.environ, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@b",
           "GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@b"}
    for argv in (["git", "init", "-q"], ["git", "add", "."], ["git", "commit", "-qm", "start"]):
        subprocess.run(argv, cwd=where, env=env, check=True)
    return where


@dataclass
class Result:
    step: str
    calls: int = 0
    tokens: int = 0
    seconds: float = 0.0
    texts: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    over_cap: bool = False


def delivered(step: Step, texts: list[str], exit_code: int | None) -> list[str]:
    """The facts of ``step`` not found in what the calls returned (the exit code: in what
    the last call returned)."""
    blob = "\n".join(texts)
    missing = []
    for fact in step.facts:
        if fact.startswith("exit "):
            code = int(fact.split()[1])
            last = texts[-1] if texts else ""
            said = (f"Exit code {code}" in last) if code else ("Exit code" not in last)
            if exit_code is not None:  # ai-session: the structured exit code, which
                said = said or (exit_code == code and f"exit {code}" in last)  # text says
            if not said:
                missing.append(fact)
        elif fact not in blob:
            missing.append(fact)
    return missing


def run_bash(step: Step, cwd: Path) -> Result:
    result = Result(step.name)
    command = step.command
    for attempt in range(2):
        started = time.perf_counter()
        done = subprocess.run(["bash", "-c", command], cwd=cwd, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              check=False)
        result.seconds += time.perf_counter() - started
        text = done.stdout + (f"\nExit code {done.returncode}" if done.returncode else "")
        result.calls += 1
        result.texts.append(text)
        tokens = count_tokens(text)
        result.tokens += tokens
        result.over_cap = result.over_cap or tokens > CLIENT_CAP
        if step.prompt_answer is None or "EOFError" not in text or attempt:
            break
        command = f"echo {step.prompt_answer} | {step.command}"  # the agent tries again
    result.missing = delivered(step, result.texts, None)
    return result


async def run_mcp(session, step: Step) -> Result:
    result = Result(step.name)

    async def call(tool: str, arguments: dict) -> dict:
        started = time.perf_counter()
        reply = await session.call_tool(tool, arguments)
        result.seconds += time.perf_counter() - started
        text = "\n".join(getattr(part, "text", "") for part in reply.content)
        result.calls += 1
        result.texts.append(text)
        result.tokens += count_tokens(text)
        if reply.structured_content is not None:
            return dict(reply.structured_content)
        return json.loads(text) if text.lstrip().startswith("{") else {}

    data = await call("exec_command", {"session": "agent", "command": step.command,
                                       "timeout": 120})
    if data.get("state") == "waiting" and step.prompt_answer is not None:
        await call("job_answer", {"job": data["job"], "text": step.prompt_answer})
        data = await call("job_wait", {"job": data["job"], "timeout": 60})
    code = data.get("exit_code")
    result.missing = delivered(step, result.texts, code if isinstance(code, int) else None)
    return result


async def mcp_side(work: Path, name: str, env: dict[str, str]) -> list[Result]:
    from mcp import ClientSession
    from mcp.client.stdio import StdioServerParameters, stdio_client

    params = StdioServerParameters(command=PY, args=["-m", "aisession_tui.cli", "-L", name,
                                                     "mcp"], env=env, cwd=str(work))
    results = []
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        await session.call_tool("create_session", {"name": "agent", "directory": str(work)})
        for step in steps():
            results.append(await run_mcp(session, step))
    return results


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="agenttokens"))
    name = f"agenttok{os.getpid()}"
    env = {**os.environ, "AI_SESSION_HOME": str(tmp / "home"), "HOME": str(tmp)}
    for var in ("TMUX", "AI_SESSION", "AI_SESSION_PANE"):
        env.pop(var, None)
    try:
        bash_dir = project(tmp / "bash")
        bash = [run_bash(step, bash_dir) for step in steps()]
        mcp = asyncio.run(mcp_side(project(tmp / "mcp"), name, env))
    finally:
        subprocess.run([PY, "-m", "aisession_tui.cli", "-L", name, "kill-server"], env=env,
                       check=False, capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{'step':20} {'bash tok':>9} {'ai-s tok':>9} {'ratio':>6} {'calls':>6} "
          f"{'bash s':>7} {'ai-s s':>7}  missing facts (bash | ai-session)")
    for left, right in zip(bash, mcp):
        ratio = right.tokens / left.tokens if left.tokens else float("inf")
        print(f"{left.step:20} {left.tokens:9,} {right.tokens:9,} {ratio:6.2f} "
              f"{left.calls:>2}/{right.calls:<3} {left.seconds:7.2f} {right.seconds:7.2f}  "
              f"{','.join(left.missing) or '-'}{' (over the client cap)' if left.over_cap else ''}"
              f" | {','.join(right.missing) or '-'}")
    totals = [sum(r.tokens for r in side) for side in (bash, mcp)]
    capped = sum(min(r.tokens, CLIENT_CAP) for r in bash)
    print(f"{'total':20} {totals[0]:9,} {totals[1]:9,} {totals[1] / totals[0]:6.3f} "
          f"{sum(r.calls for r in bash):>2}/{sum(r.calls for r in mcp):<3} "
          f"{sum(r.seconds for r in bash):7.2f} {sum(r.seconds for r in mcp):7.2f}")
    print(f"bash total with its huge step cut at the {CLIENT_CAP:,}-token client cap: "
          f"{capped:,} (ai-session {totals[1]:,}, ratio {totals[1] / capped:.3f})")
    print(f"facts missing: bash {sum(len(r.missing) for r in bash)}, "
          f"ai-session {sum(len(r.missing) for r in mcp)}")
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    (out / "agent_tokens.json").write_text(json.dumps({
        side: [{k: v for k, v in vars(r).items() if k != "texts"} for r in rows]
        for side, rows in (("bash", bash), ("ai-session", mcp))}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
