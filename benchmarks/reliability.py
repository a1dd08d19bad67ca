"""Reliability figures of a real ai-session server (issue 11's closing table).

* ``execs``: RSS of the server every 200 of N ``exec`` calls (default 2,000).
* ``hostile``: RSS with 10 connections each holding a ~16 MiB partial frame, after they
  leave, and after one 4 MB request.
* ``kills``: K iterations of a mixed load (exec, context add, bus send, task submit)
  killed with SIGKILL after a seeded number of acknowledgements; counts acknowledged
  items missing from the store, integrity failures and server crashes (a log line
  ``server crashed`` or a fatal signal before the kill).

Each part starts its own isolated server (own ``-L`` name, own ``AI_SESSION_HOME`` and
``HOME``) and kills it at the end. Prints one line per figure.
Run: ``python benchmarks/reliability.py [execs|hostile|kills ...] [--execs N] [--kills K]``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # conftest's helpers
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "reliability"))

from killing import ClientError, command, kill_hard, stored_items

from aisession_tui import protocol
from aisession_tui.cli.client import connect


class Bench:
    """An isolated server driven through the CLI and raw requests."""

    def __init__(self, root: Path) -> None:
        self.name = f"rel{uuid.uuid4().hex[:8]}"
        self.home = root / "home"
        self.home.mkdir()
        (self.home / ".bashrc").write_text("PS1='$ '\nunset PROMPT_COMMAND\n")
        self.data = root / "data"
        self.env = {**{k: v for k, v in os.environ.items() if not k.startswith("AI_SESSION")},
                    "HOME": str(self.home), "AI_SESSION_HOME": str(self.data),
                    "SHELL": "/bin/bash"}
        os.environ.update(self.env)
        from aisession_tui.protocol.paths import socket_path

        self.socket = socket_path(self.name)

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "aisession_tui.cli", "-L", self.name,
                               *args], env=self.env, cwd=self.home, check=False,
                              capture_output=True, text=True, timeout=60)

    def pid(self) -> int:
        client = connect(self.socket, start=False)
        try:
            return int(client.request("ping", {})["pid"])
        finally:
            client.close()

    def rss(self, pid: int) -> float:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")


@contextmanager
def bench() -> Iterator[Bench]:
    with tempfile.TemporaryDirectory() as root:
        instance = Bench(Path(root))
        try:
            yield instance
        finally:
            instance.cli("kill-server")


def run_execs(count: int) -> None:
    with bench() as b:
        b.cli("new-session", "-d", "-s", "m")
        pid = b.pid()
        print(f"execs: RSS at start {b.rss(pid):.0f} MB")
        started = time.monotonic()
        for index in range(1, count + 1):
            reply = command(b.socket, str(b.home), "exec", "m", f"echo line-{index}")
            assert reply["exit_code"] == 0, reply
            if index % 200 == 0:
                print(f"execs: RSS after {index} execs {b.rss(pid):.0f} MB "
                      f"({time.monotonic() - started:.0f}s)", flush=True)


def run_hostile() -> None:
    with bench() as b:
        b.cli("new-session", "-d", "-s", "h")
        pid = b.pid()
        print(f"hostile: RSS at start {b.rss(pid):.0f} MB")
        size = protocol.MAX_FRAME - 16
        connections, refused = [], 0
        for _ in range(10):
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.connect(str(b.socket))
            sock.settimeout(10)
            connections.append(sock)
            try:
                sock.sendall(protocol.encode(protocol.request(1, "hello", {"version": 1})))
                sock.sendall(protocol.HEADER.pack(size) + b"x" * (size - 1))
            except OSError:
                refused += 1
        time.sleep(1)
        print(f"hostile: RSS with 10 hostile connections {b.rss(pid):.0f} MB "
              f"({refused} refused at the buffer bound)")
        for sock in connections:
            sock.close()
        time.sleep(1)
        print(f"hostile: RSS after they left {b.rss(pid):.0f} MB")
        client = connect(b.socket, start=False)
        client.request("command", {"argv": ["display-message", "-p", "x"],
                                   "env": {"BIG": "y" * (4 * 1024 * 1024)}})
        client.close()
        time.sleep(1)
        print(f"hostile: RSS after one 4 MB request {b.rss(pid):.0f} MB")


def _writer(kind: str, b: Bench, iteration: int, acked: list[str],
            stop: threading.Event) -> None:
    index = 0
    while not stop.is_set():
        token = f"{kind}-{iteration}-{index}"
        index += 1
        payload = json.dumps({"token": token}, sort_keys=True)
        argv, item = {
            "exec": (("exec", f"s{iteration}", f"echo {token}"), f"echo {token}"),
            "context": (("context", "add", f"s{iteration}", token), token),
            "bus": (("bus", "send", "--from", f"a{iteration}", "--to", f"b{iteration}",
                     "--type", "data_share", payload), payload),
            "task": (("task", "submit", "--requires", "none", payload), payload),
        }[kind]
        try:
            reply = command(b.socket, str(b.home), *argv)
        except (ClientError, OSError):
            return
        if reply.get("exit_code") == 0:
            acked.append(item)


def run_kills(iterations: int, seed: int = 11) -> None:
    rng = random.Random(seed)
    with bench() as b:
        total = lost = crashes = corrupt = 0
        for iteration in range(iterations):
            b.cli("new-session", "-d", "-s", f"s{iteration}")
            b.cli("agent", "register", f"a{iteration}")
            b.cli("agent", "register", f"b{iteration}", "--inbox-size", "100000")
            pid = b.pid()
            acked: dict[str, list[str]] = {k: [] for k in ("exec", "context", "bus", "task")}
            stop = threading.Event()
            threads = [threading.Thread(target=_writer, args=(k, b, iteration, acked[k], stop))
                       for k in acked]
            for thread in threads:
                thread.start()
            target = rng.randint(10, 120)
            deadline = time.monotonic() + 60
            while sum(map(len, acked.values())) < target and time.monotonic() < deadline:
                time.sleep(0.01)
            alive = Path(f"/proc/{pid}").exists()
            crashes += not alive
            kill_hard(pid)
            stop.set()
            for thread in threads:
                thread.join(30)
            stored = stored_items(b.data / "ai-session.db")
            corrupt += stored["integrity"] != {"ok"}
            for kind, items in acked.items():
                total += len(items)
                lost += sum(item not in stored[kind] for item in items)
            b.socket.unlink(missing_ok=True)
        log = "".join(p.read_text(errors="replace") for p in (b.data / "logs").glob("*.log*"))
        crashes += log.count("server crashed")
        print(f"kills: {iterations} kill -9 iterations, {crashes} crashes, {corrupt} "
              f"integrity failures, {lost} of {total} acknowledged items lost")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("parts", nargs="*", default=["execs", "hostile", "kills"])
    parser.add_argument("--execs", type=int, default=2000)
    parser.add_argument("--kills", type=int, default=20)
    options = parser.parse_args()
    for part in options.parts:
        if part == "execs":
            run_execs(options.execs)
        elif part == "hostile":
            run_hostile()
        elif part == "kills":
            run_kills(options.kills)


if __name__ == "__main__":
    main()
