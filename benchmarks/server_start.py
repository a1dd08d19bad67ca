"""The server's own part of a cold start, without a terminal or a renderer.

Each run starts ``python -E -P -m aisession_tui.server.daemon --socket S --ready-fd W``
(no ``--renderer``: no zygote) in a fresh private home and times, from its exec:

* ``ready``: the ready byte on the pipe;
* ``served``: the reply to ``new-session -d -s s 'echo MARKER; exec cat'`` on a connection
  opened at the ready byte (``hello`` first), as the CLI sends it;
* ``painted``: the first ``paint.frame`` (a second connection asks to ``paint`` the
  session at 100x30, as the thin client does on a cold start) that shows the marker.

With the server's CPU time (/proc/PID/schedstat) at ``ready``, ``served`` and ``painted``
(on a busy machine the CPU times compare better than the wall times). Prints
the medians and every run::

    python benchmarks/server_start.py [RUNS]
"""

from __future__ import annotations

import base64
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

from aisession_tui import protocol

MARKER = "boot-marker-42"
EXTRA = os.environ.get("SERVER_START_PYTHON_FLAGS", "").split()
"""Flags for the server's python (``-X importtime``: its stderr goes to
``SERVER_START_STDERR``)."""


def _cpu(pid: int) -> float:
    with open(f"/proc/{pid}/schedstat") as handle:
        return int(handle.read().split()[0]) / 1e6


class Link:
    def __init__(self, path: str) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        self.decoder = protocol.FrameDecoder()
        self.pending: list[dict] = []
        self.next_id = 0

    def send(self, method: str, params: dict) -> int:
        self.next_id += 1
        self.sock.sendall(protocol.encode(protocol.request(self.next_id, method, params)))
        return self.next_id

    def receive(self) -> dict:
        while not self.pending:
            data = self.sock.recv(1 << 20)
            if not data:
                raise EOFError("server closed the connection")
            self.pending.extend(item for item in self.decoder.feed(data)
                                if isinstance(item, dict))
        return self.pending.pop(0)

    def reply(self, msg_id: int) -> dict:
        while True:
            message = self.receive()
            if message.get("id") == msg_id:
                return message


def once() -> dict[str, float]:
    home = tempfile.mkdtemp()
    os.chmod(home, 0o700)
    path = f"{home}/s"
    read_end, write_end = os.pipe()
    env = dict(os.environ, AI_SESSION_HOME=home, HOME=home)
    with open(os.environ.get("SERVER_START_STDERR", os.devnull), "ab") as errors:
        start = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, "-E", "-P", *EXTRA, "-m", "aisession_tui.server.daemon",
             "--socket", path, "--ready-fd", str(write_end)], pass_fds=(write_end,), env=env,
            stderr=errors, start_new_session=True)
    os.close(write_end)
    try:
        os.read(read_end, 64)
        ready = time.monotonic() - start
        ready_cpu = _cpu(process.pid)
        link = Link(path)
        link.reply(link.send("hello", {"version": protocol.PROTOCOL_VERSION}))
        answer = link.reply(link.send("command", {
            "argv": ["new-session", "-d", "-s", "s", "-x", "100", "-y", "29",
                     f"echo {MARKER}; exec cat"], "cwd": home, "env": {}}))
        assert "error" not in answer, answer
        served = time.monotonic() - start
        served_cpu = _cpu(process.pid)
        paint = Link(path)
        paint.reply(paint.send("hello", {"version": protocol.PROTOCOL_VERSION}))
        paint.send("paint", {"target": "s", "columns": 100, "lines": 30, "alternate": True,
                             "env": {}})
        while True:
            message = paint.receive()
            frame = (message.get("params") or {}).get("frame")
            if message.get("method") == "paint.frame" and isinstance(frame, str) \
                    and MARKER.encode() in base64.b64decode(frame):
                break
            assert "error" not in message, message
        painted = time.monotonic() - start
        painted_cpu = _cpu(process.pid)
        paint.sock.close()
        link.sock.close()
    finally:
        os.close(read_end)
        os.killpg(process.pid, signal.SIGTERM)
        process.wait()
    return {"ready": ready * 1000, "ready cpu": ready_cpu, "served": served * 1000, "served cpu": served_cpu,
            "painted": painted * 1000, "painted cpu": painted_cpu}


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    results = [once() for _ in range(runs)]
    with open("/proc/loadavg") as handle:
        load = " ".join(handle.read().split()[:3])
    print(f"server start, {runs} runs, load {load}")
    for key in results[0]:
        values = [result[key] for result in results]
        print(f"  {key:12s} median {statistics.median(values):6.1f} ms  "
              f"{[round(value) for value in values]}")


if __name__ == "__main__":
    main()
