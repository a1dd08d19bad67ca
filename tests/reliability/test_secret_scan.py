"""No secret at rest: each kind of secret goes through a pane (command output, scrollback
of a live and of a killed pane, a pane's start command, a context note, a bus message and a task's payload and result), then the
database, its WAL, the log and every decompressed blob are searched for it."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from conftest import wait_until

from aisession_tui.store.db import unpack

PRIVATE_BODY = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW"
SECRETS = {
    "aws-access-key-id": ("aws_access_key_id = AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE"),
    "aws-secret-key": ("AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                       "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
    "github-token": ("GITHUB_TOKEN=ghp_1a2B3c4D5e6F7g8H9i0J1k2L3m4N5o6P7q8R",
                     "ghp_1a2B3c4D5e6F7g8H9i0J1k2L3m4N5o6P7q8R"),
    "anthropic-key": (("ANTHROPIC_API_KEY=sk-ant-api03-Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0FeDcBa"
                       "-Zx9Yw8Vu7Ts6Rq5Po4Nm3AA"), "Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0FeDcBa"),
    "private-key": ("-----BEGIN OPENSSH PRIVATE KEY-----\n" + PRIVATE_BODY + "\n"
                    "QyNTUxOQAAACBmYWtlLWtleS1mb3ItdGVzdHMtb25seQAAAAAAAAAAAAAAAAAAAAAAAA==\n"
                    "-----END OPENSSH PRIVATE KEY-----", PRIVATE_BODY),
    "password": ("mysql --password=hunter2xyz -u root", "hunter2xyz"),
    "bearer-token": ('Authorization: Bearer abc123def456ghi789jkl012mno345',
                     "abc123def456ghi789jkl012mno345"),
    "jwt": (("cookie eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0."
             "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"),
            "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"),
    "url-password": ("postgres://admin:Pa55wordQ7@db.example.com:5432/app", "Pa55wordQ7"),
}


def _files(home: Path) -> list[Path]:
    return [path for path in home.rglob("*") if path.is_file()]


def _decompressed_blobs(database: Path) -> list[bytes]:
    out = []
    connection = sqlite3.connect(database)
    try:
        tables = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            for row in connection.execute(f"SELECT * FROM {table}"):
                for value in row:
                    if isinstance(value, bytes):
                        try:
                            out.append(unpack(value))
                        except Exception:  # noqa: BLE001 - not a zstd blob: search it raw
                            out.append(value)
                    elif isinstance(value, str):
                        out.append(value.encode())
    finally:
        connection.close()
    return out


def test_no_secret_reaches_the_disk(server) -> None:
    planted = server.home / "planted.txt"
    planted.write_text("\n".join(line for line, _ in SECRETS.values()) + "\n")
    server.ok("new-session", "-d", "-s", "sec", "-x", "60", "-y", "20")
    result = server.run("exec", "sec", "cat planted.txt")
    assert result.code == 0
    # A second window shows the secrets through the terminal, then is killed (its
    # scrollback is stored); a third runs a start command holding a secret.
    server.ok("new-window", "-t", "sec")
    server.ok("send-keys", "-t", "sec:1", "cat planted.txt", "Enter")
    server.wait_for_text("sec:1", "END OPENSSH")
    server.ok("kill-window", "-t", "sec:1")
    server.ok("new-window", "-t", "sec", "echo password=hunter2xyz; exec bash")
    server.ok("context", "add", "sec", "--role", "agent", "use Bearer abc123def456ghi789jkl012mno345")
    # Agents pass secrets over the bus: a message, and a task's payload and result.
    server.ok("agent", "register", "worker", "--capabilities", "deploy")
    message = json.dumps({"note": SECRETS["github-token"][0], "env": [SECRETS["jwt"][0]]})
    server.ok("bus", "send", "--from", "lead", "--to", "worker", message)
    task = json.loads(server.ok("task", "submit", "--requires", "deploy", "--json",
                                json.dumps({"dsn": SECRETS["url-password"][0]})))
    server.ok("task", "done", str(task["id"]), "--from", "worker", "--result",
              json.dumps({"key": SECRETS["aws-secret-key"][0]}))
    server.ok("send-keys", "-t", "sec:0", "cat planted.txt", "Enter")
    wait_until(lambda: "END OPENSSH" in server.capture("sec:0"), message="live pane output")
    server.ok("kill-server")
    database = server.data / "ai-session.db"
    wait_until(lambda: not server.socket.exists(), message="server gone")
    haystacks = [path.read_bytes() for path in _files(server.data)]
    haystacks += _decompressed_blobs(database)
    assert any(b"[REDACTED:" in blob for blob in haystacks)  # the scan saw the masked text
    found = {kind: needle for kind, (_, needle) in SECRETS.items()
             if any(needle.encode() in blob for blob in haystacks)}
    assert found == {}, f"secrets at rest: {found}"
