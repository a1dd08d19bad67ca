"""kill -9 at seeded points of a mixed load: nothing acknowledged is lost, the database
stays intact, and the next server starts on it.

Each iteration starts a server, runs four writers at once (``exec``, ``context add``,
``bus send``, ``task submit``; each remembers what the server acknowledged), SIGKILLs the
server after a seeded number of acknowledgements, then reads the store on a connection of
its own: every acknowledged item must be there. Bounded: 4 iterations, about 15 seconds.
"""

from __future__ import annotations

import json
import random
import threading
from pathlib import Path

from conftest import wait_until
from killing import ClientError, command, kill_hard, stored_items

ITERATIONS = 6
SEED = 20261204


def _writer(kind: str, socket: Path, cwd: str, iteration: int, acked: list[str],
            stop: threading.Event) -> None:
    index = 0
    while not stop.is_set():
        token = f"{kind}-{iteration}-{index}"
        index += 1
        if kind == "exec":
            argv, item = ("exec", f"s{iteration}", f"echo {token}"), f"echo {token}"
        elif kind == "context":
            argv, item = ("context", "add", f"s{iteration}", "--role", "agent", token), token
        elif kind == "bus":
            payload = {"token": token}
            argv = ("bus", "send", "--from", f"a{iteration}", "--to", f"b{iteration}",
                    "--type", "data_share", json.dumps(payload))
            item = json.dumps(payload, sort_keys=True)
        else:
            payload = {"token": token}
            argv = ("task", "submit", "--requires", "nobody-has-this", json.dumps(payload))
            item = json.dumps(payload, sort_keys=True)
        try:
            reply = command(socket, cwd, *argv)
        except (ClientError, OSError):
            return
        if reply.get("exit_code") == 0:
            acked.append(item)


def test_nothing_acknowledged_is_lost_across_kill_9(server) -> None:
    rng = random.Random(SEED)
    database = server.data / "ai-session.db"
    lost: list[str] = []
    total = 0
    for iteration in range(ITERATIONS):
        server.ok("new-session", "-d", "-s", f"s{iteration}")
        server.ok("agent", "register", f"a{iteration}")
        server.ok("agent", "register", f"b{iteration}", "--inbox-size", "100000")
        pid = server.server_pid()
        assert pid
        acked: dict[str, list[str]] = {k: [] for k in ("exec", "context", "bus", "task")}
        stop = threading.Event()
        threads = [threading.Thread(target=_writer, args=(kind, server.socket,
                                                          str(server.home), iteration,
                                                          acked[kind], stop))
                   for kind in acked]
        for thread in threads:
            thread.start()
        kill_after = rng.randint(10, 80)
        try:
            wait_until(lambda acked=acked, at=kill_after:
                       sum(len(v) for v in acked.values()) >= at,
                       message=f"{kill_after} acknowledgements")
        finally:
            kill_hard(pid)
            stop.set()
            for thread in threads:
                thread.join(30)
        stored = stored_items(database)
        assert stored["integrity"] == {"ok"}
        for kind, items in acked.items():
            total += len(items)
            lost += [item for item in items if item not in stored[kind]]
        server.socket.unlink(missing_ok=True)
    print(f"acknowledged {total}, lost {len(lost)}")
    assert total >= ITERATIONS * 8
    assert lost == [], f"{len(lost)} of {total} acknowledged items lost: {lost[:10]}"
