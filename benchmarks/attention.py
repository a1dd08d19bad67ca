"""Attention detection on real programs: latency, false positives, false negatives.

Every case runs a real program in its own window of an isolated ai-session server (an
integrated bash, as ``exec`` uses): programs that wait for input (a ``[y/N]`` question
from Python's input(), bash ``read -p``, a Node readline question, the Python, Node and
SQLite REPLs, ``git commit`` in vim, pip's uninstall confirmation, ssh-keygen's
passphrase, getpass, ``rm -i``, a pager) and programs that must not be flagged (a
computation that printed ``Continue? [y/n]``, a script that printed a question and sleeps,
a log that mentions "Do you want to proceed?" while it keeps going, a busy full-screen
program, a shell back at its prompt after echoing a question). Agent CLIs cannot run here
(no network, no accounts): their approval screens (Claude Code's box, Codex's menu,
aider's ``(Y)es/(N)o``, Gemini CLI's ``allow once``) are replayed, laid out as in public
recordings, by a program that then waits for a key in ``select()`` as those Node/Rust TUIs
do in epoll.

Measured, each case ``--repeat`` times (default 3):
* latency = time from the first poll that shows the case's marker text on the screen to
  (a) the first ``#{pane_attention}`` = ``waiting`` (on demand) and (b) the
  ``system.attention`` change pushed to a bus subscriber (what clients and MCP hear);
  polls every 20 ms over one socket connection, so figures include up to ~20 ms of polling;
* false negative: a waiting case not seen waiting within 6 s;
* false positive: a not-waiting case seen waiting (on demand or pushed) in 4 s of looks.

Each case's screen, cursor and the /proc wait of its foreground group are written once to
``tests/fixtures/attention/NAME.json`` with its label (``--record``);
``tests/ai/test_attention_corpus.py`` replays the classifier on them.

Run: ``python benchmarks/attention.py [--repeat N] [--record]`` (about two minutes).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aisession_tui.cli.async_client import AsyncClient, open_client

FIXTURES = ROOT / "tests" / "fixtures" / "attention"
POLL = 0.02
DETECT_WITHIN = 6.0
WATCH_NEGATIVE = 4.0
PY = sys.executable


def replay(lines: list[str]) -> str:
    """A command that draws ``lines`` and waits for a key in select(), as TUIs do (the
    text travels base64-encoded, so the command line never shows it)."""
    import base64

    text = base64.b64encode("\r\n".join(lines).encode()).decode()
    script = ("import base64,select,sys,tty;tty.setcbreak(0);"
              f"sys.stdout.write(base64.b64decode('{text}').decode());sys.stdout.flush();"
              "select.select([0],[],[])")
    return f"{PY} -c \"{script}\""


CLAUDE_BASH = [
    "⏺ I'll run the tests.", "",
    "╭───────────────────────────────────────────────────────────────╮",
    "│ Bash command                                                  │",
    "│                                                               │",
    "│   npm test                                                    │",
    "│   Run the test suite                                          │",
    "│                                                               │",
    "│ Do you want to proceed?                                       │",
    "│ ❯ 1. Yes                                                      │",
    "│   2. Yes, and don't ask again for npm test commands           │",
    "│   3. No, and tell Claude what to do differently (esc)         │",
    "╰───────────────────────────────────────────────────────────────╯"]
CLAUDE_EDIT = [
    "╭───────────────────────────────────────────────────────────────╮",
    "│ Edit file                                                     │",
    "│ ╭───────────────────────────────────────────────────────────╮ │",
    "│ │ 12  -    total = 41                                       │ │",
    "│ │ 12  +    total = 42                                       │ │",
    "│ ╰───────────────────────────────────────────────────────────╯ │",
    "│ Do you want to make this edit to app.py?                      │",
    "│ ❯ 1. Yes                                                      │",
    "│   2. Yes, allow all edits during this session (shift+tab)     │",
    "│   3. No, and tell Claude what to do differently (esc)         │",
    "╰───────────────────────────────────────────────────────────────╯"]
CODEX_EXEC = [
    "• Running the tests", "", "  Would you like to run the following command?", "",
    "  Reason: run the unit tests", "", "  $ pytest -q", "",
    "› 1. Yes, proceed (y)",
    "  2. Yes, and don't ask again for commands that start with `pytest` (p)",
    "  3. No, and tell Codex what to do differently (esc)", "",
    "  Press enter to confirm or esc to cancel"]
AIDER_RUN = ["pytest -q", "Run shell command? (Y)es/(N)o/(D)on't ask again [Yes]: "]
GEMINI_ALLOW = [
    "╭──────────────────────────────────────────╮",
    "│ ?  Shell npm install                      │",
    "│                                           │",
    "│ Allow execution of: 'npm'?                │",
    "│                                           │",
    "│ ● 1. Yes, allow once                      │",
    "│   2. Yes, allow always                    │",
    "│   3. No, suggest changes (esc)            │",
    "╰──────────────────────────────────────────╯"]


@dataclass
class Case:
    name: str
    command: str
    marker: str
    waiting: bool
    source: str = "real program"
    running: bool = True
    setup: str = ""


def cases(tmp: Path) -> list[Case]:
    node = shutil.which("node")
    found = [
        Case("python_input_yn", f"{PY} -c \"input('Proceed? [y/N] ')\"", "Proceed? [y/N]",
             True),
        Case("bash_read_name", "read -p 'Name of the new project: ' name",
             "Name of the new project:", True),
        Case("python_repl", f"{PY} -q", ">>>", True),
        Case("python_getpass", f"{PY} -c 'import getpass; getpass.getpass()'", "Password:",
             True),
        Case("sqlite_repl", "sqlite3", "sqlite>", True),
        Case("ssh_keygen_passphrase", f"ssh-keygen -q -t ed25519 -f {tmp}/key$RANDOM",
             "passphrase", True),
        Case("rm_interactive", f"touch {tmp}/victim && rm -i {tmp}/victim", "remove", True),
        Case("apt_style_yn", "read -p 'Do you want to continue? [Y/n] ' a",
             "Do you want to continue?", True, source="bash read with apt-get's wording"),
        Case("pip_uninstall", f"{tmp}/venv/bin/pip uninstall pip", "Proceed (Y/n)?", True,
             setup=f"{PY} -m venv {tmp}/venv"),
        Case("git_commit_vim", f"cd {tmp}/repo && GIT_EDITOR=vim git commit; cd -",
             "Please enter the commit message", True,
             setup=f"git init -q {tmp}/repo && cd {tmp}/repo && git config user.email "
                   "a@b.c && git config user.name bench && touch f && git add f && cd -"),
        Case("less_pager", "seq 1 500 | less", "1", True),
        Case("claude_permission", replay(CLAUDE_BASH), "Do you want to proceed?", True,
             source="replayed layout (public recordings of Claude Code)"),
        Case("claude_edit", replay(CLAUDE_EDIT), "Do you want to make this edit", True,
             source="replayed layout (public recordings of Claude Code)"),
        Case("codex_exec", replay(CODEX_EXEC), "Would you like to run", True,
             source="replayed layout (public recordings of Codex CLI)"),
        Case("aider_run", replay(AIDER_RUN), "(Y)es/(N)o", True,
             source="replayed layout (public recordings of aider)"),
        Case("gemini_allow", replay(GEMINI_ALLOW), "Allow execution of", True,
             source="replayed layout (public recordings of Gemini CLI)"),
        # must not be flagged
        Case("busy_after_question",
             f"{PY} -c \"print('Continue? [y/n]', flush=True)\nimport time\n"
             "end=time.time()+8\nwhile time.time()<end: pass\"", "Continue? [y/n]", False),
        Case("sleep_after_question", "echo 'Proceed? [y/N]'; sleep 8", "Proceed? [y/N]",
             False),
        Case("log_mentions_question",
             "echo 'Do you want to proceed? (asked by the installer, answered: yes)'; "
             "for i in $(seq 1 30); do echo step $i; sleep 0.3; done",
             "Do you want to proceed?", False),
        Case("repl_text_in_output",
             f"{PY} -c \"print('>>> 1 + 1'); print('2'); print('>>> ', end='', "
             "flush=True)\nimport time; time.sleep(8)\"", ">>> 1 + 1", False),
        Case("full_screen_busy",
             "printf '\\e[?1049h'; for i in $(seq 1 40); do printf '\\e[H%s' $i; "
             "sleep 0.2; done; printf '\\e[?1049l'", "1", False),
        Case("idle_after_echo", "echo 'Are you sure? [y/N]'", "Are you sure?", False,
             running=False),
    ]
    if node:
        found[3:3] = [
            Case("node_repl", "node", "Welcome to Node.js", True),
            Case("node_readline_question",
                 "node -e \"require('readline').createInterface({input:process.stdin,"
                 "output:process.stdout}).question('Your name? ', () => process.exit())\"",
                 "Your name?", True),
        ]
        found.append(Case("node_timer_question",
                          "node -e \"console.log('Continue? [y/n]'); "
                          "setTimeout(() => process.exit(), 8000)\"",
                          "Continue? [y/n]", False,
                          source="real program: a Node program that printed a question "
                                 "and waits on a timer (indistinguishable in /proc)"))
    return found


class Bench:
    def __init__(self, name: str, env: dict[str, str]) -> None:
        self.name = name
        self.env = env
        self.client: AsyncClient | None = None
        self.pushed: dict[str, float] = {}

    def on_notification(self, method: str, params: dict) -> None:
        if method == "bus.attention":
            facts = params["attention"]
            if facts["state"] == "waiting":
                self.pushed.setdefault(facts["pane"], time.monotonic())

    async def cmd(self, *argv: str) -> str:
        assert self.client is not None
        reply = await self.client.request("command", {"argv": list(argv), "cwd": os.getcwd(),
                                                      "env": self.env})
        return str(reply.get("stdout", ""))


def record(case: Case, screen: str, facts: list[str], kind: str | None) -> None:
    cursor_x, cursor_y, alternate = (int(facts[0]), int(facts[1]), facts[2] == "1")
    FIXTURES.mkdir(parents=True, exist_ok=True)
    (FIXTURES / f"{case.name}.json").write_text(json.dumps({
        "name": case.name, "label": "waiting" if case.waiting else "not-waiting",
        "source": case.source, "command": case.command,
        "screen": screen.split("\n"), "cursor_x": cursor_x, "cursor_y": cursor_y,
        "alternate_on": alternate, "wait_kind": kind, "command_running": case.running,
    }, ensure_ascii=False, indent=1) + "\n")


async def run_case(bench: Bench, case: Case, *, save: bool) -> dict:
    pane = (await bench.cmd("new-window", "-t", "bench", "-P", "-F", "#{pane_id}")).strip()
    deadline = time.monotonic() + 20
    while not any(line.rstrip().endswith(("$", "#")) for line in
                  (await bench.cmd("capture-pane", "-p", "-t", pane)).splitlines()):
        if time.monotonic() > deadline:
            raise RuntimeError(f"{case.name}: no shell prompt")
        await asyncio.sleep(POLL)
    await bench.cmd("send-keys", "-t", pane, "clear", "Enter")
    await asyncio.sleep(0.3)
    await bench.cmd("send-keys", "-t", pane, "-l", case.command)
    await bench.cmd("send-keys", "-t", pane, "Enter")
    seen_at = None
    deadline = time.monotonic() + 30
    while seen_at is None:
        screen = await bench.cmd("capture-pane", "-p", "-t", pane)
        if case.marker in screen.split(case.command[-20:])[-1] or (
                case.marker in screen and case.marker not in case.command):
            seen_at = time.monotonic()
        elif time.monotonic() > deadline:
            raise RuntimeError(f"{case.name}: marker {case.marker!r} never shown")
        else:
            await asyncio.sleep(POLL)
    detected = None
    states = set()
    end = seen_at + (DETECT_WITHIN if case.waiting else WATCH_NEGATIVE)
    while time.monotonic() < end:
        state = (await bench.cmd("display-message", "-p", "-t", pane,
                                 "#{pane_attention}")).strip()
        states.add(state)
        if state == "waiting" and detected is None:
            detected = time.monotonic()
            if case.waiting:
                break
        await asyncio.sleep(POLL)
    if case.waiting and detected is not None:
        push_deadline = time.monotonic() + 2
        while pane not in bench.pushed and time.monotonic() < push_deadline:
            await asyncio.sleep(POLL)
    pushed = bench.pushed.get(pane)
    if save:
        screen = await bench.cmd("capture-pane", "-p", "-t", pane)
        facts = (await bench.cmd("display-message", "-p", "-t", pane,
                                 "#{cursor_x} #{cursor_y} #{alternate_on} #{pane_pid}")).split()
        from aisession_tui.ai.attention import group_wait

        tpgid = int(Path(f"/proc/{facts[3]}/stat").read_text().rpartition(")")[2].split()[5])
        record(case, screen.rstrip("\n"), facts, group_wait(tpgid, int(facts[3])))
    await bench.cmd("kill-window", "-t", pane)
    return {"case": case.name, "waiting": case.waiting, "source": case.source,
            "detected_ms": None if detected is None else (detected - seen_at) * 1000,
            "pushed_ms": None if pushed is None else (pushed - seen_at) * 1000,
            "states": sorted(states)}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


async def main_async(repeat: int, save: bool) -> int:
    name = f"attnbench{os.getpid()}"
    tmp = Path(tempfile.mkdtemp(prefix="attnbench"))
    env = {**os.environ, "AI_SESSION_HOME": str(tmp / "home"), "HOME": str(tmp),
           "TERM": "xterm-256color"}
    env.pop("TMUX", None)
    env.pop("AI_SESSION_PANE", None)
    all_cases = cases(tmp)
    for case in all_cases:
        if case.setup:
            subprocess.run(["bash", "-c", case.setup], env=env, check=True,
                           capture_output=True)
    subprocess.run([PY, "-m", "aisession_tui.cli", "-L", name, "create", "--name", "bench"],
                   env=env, check=True, capture_output=True)
    bench = Bench(name, env)
    results = []
    try:
        path = subprocess.run([PY, "-m", "aisession_tui.cli", "-L", name, "display-message",
                               "-p", "#{socket_path}"], env=env, capture_output=True,
                              text=True, check=True).stdout.strip()
        bench.client = await open_client(Path(path), on_notification=bench.on_notification)
        await bench.client.request("bus.subscribe", {"topic": "system.attention"})
        for round_number in range(repeat):
            for case in all_cases:
                results.append(await run_case(bench, case, save=save and round_number == 0))
    finally:
        if bench.client is not None:
            await bench.client.close()
        subprocess.run([PY, "-m", "aisession_tui.cli", "-L", name, "kill-server"], env=env,
                       check=False, capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{'case':28} {'label':11} {'on-demand ms':>13} {'pushed ms':>10}  states seen")
    for row in results[:len(all_cases)] if repeat == 1 else results:
        label = "waiting" if row["waiting"] else "not"
        fmt = lambda v: "-" if v is None else f"{v:.0f}"  # noqa: E731
        print(f"{row['case']:28} {label:11} {fmt(row['detected_ms']):>13} "
              f"{fmt(row['pushed_ms']):>10}  {','.join(row['states'])}")
    positives = [r for r in results if r["waiting"]]
    negatives = [r for r in results if not r["waiting"]]
    misses = [r["case"] for r in positives if r["detected_ms"] is None]
    false = [r["case"] for r in negatives
             if r["detected_ms"] is not None or r["pushed_ms"] is not None]
    on_demand = [r["detected_ms"] for r in positives if r["detected_ms"] is not None]
    pushed = [r["pushed_ms"] for r in positives if r["pushed_ms"] is not None]
    print(f"\n{len(all_cases)} cases x {repeat}: {len(positives)} waiting runs, "
          f"{len(negatives)} not-waiting runs")
    if on_demand:
        print(f"latency on demand (#{{pane_attention}}): p50 {statistics.median(on_demand):.0f} "
              f"ms, p99 {pct(on_demand, 99):.0f} ms")
    if pushed:
        print(f"latency pushed (system.attention event): p50 {statistics.median(pushed):.0f} ms,"
              f" p99 {pct(pushed, 99):.0f} ms")
    print(f"false negatives: {len(misses)} {sorted(set(misses))}")
    print(f"false positives: {len(false)} {sorted(set(false))}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--record", action="store_true",
                        help="write tests/fixtures/attention/*.json from the first round")
    options = parser.parse_args()
    return asyncio.run(main_async(options.repeat, options.record))


if __name__ == "__main__":
    raise SystemExit(main())
