"""Private by default: the home 0700, every file in it 0600 whatever the umask; a loose
existing home is tightened at start with a notice; the log rotates privately and repeated
tracebacks are rate-limited."""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
from pathlib import Path

from aisession_tui.server.server_log import PrivateRotatingFileHandler, TracebackRateLimit


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def test_home_and_files_private_under_umask_000(server) -> None:
    server.data.mkdir(mode=0o755)
    os.chmod(server.data, 0o755)
    old = server.data / "logs"
    old.mkdir()
    os.chmod(old, 0o755)
    stale = old / "old.log"
    stale.write_text("from an older version\n")
    os.chmod(stale, 0o644)
    script = Path(sys.executable).parent / "ai-session"
    proc = subprocess.run(["sh", "-c", 'umask 000; exec "$0" "$@"', str(script), "-L",
                           server.name, "new-session", "-d", "-s", "p"], env=server.env,
                          cwd=str(server.home), check=False, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert f"made {server.data} private (mode 0755 -> 0700)" in proc.stderr
    assert server.run("exec", "p", "echo private").code == 0
    paths = [server.data, *server.data.rglob("*")]
    names = {path.name for path in paths}
    assert {"ai-session.db", "ai-session.db-wal", "logs", "old.log"} <= names
    assert any(name.startswith("server-") for name in names)
    loose = {str(path): oct(_mode(path)) for path in paths if not path.is_symlink()
             and _mode(path) & 0o077}
    assert loose == {}


def test_log_rotates_privately_with_a_bound(tmp_path: Path) -> None:
    logfile = tmp_path / "logs" / "server-x.log"
    handler = PrivateRotatingFileHandler(logfile, maxBytes=2000, backupCount=2)
    logger = logging.getLogger("test-rotation")
    logger.propagate = False
    logger.addHandler(handler)
    old_umask = os.umask(0)
    try:
        for index in range(500):
            logger.warning("line %d %s", index, "x" * 40)
    finally:
        os.umask(old_umask)
        logger.removeHandler(handler)
        handler.close()
    files = sorted(logfile.parent.iterdir())
    assert [f.name for f in files] == ["server-x.log", "server-x.log.1", "server-x.log.2"]
    assert all(_mode(f) == 0o600 for f in files)
    assert sum(f.stat().st_size for f in files) <= 3 * 2100
    assert _mode(logfile.parent) == 0o700


def test_repeated_tracebacks_are_rate_limited() -> None:
    now = [0.0]
    limit = TracebackRateLimit(limit=3, window=60.0, clock=lambda: now[0])

    def record() -> logging.LogRecord:
        try:
            raise ValueError("bad request")
        except ValueError:
            return logging.LogRecord("x", logging.ERROR, "daemon.py", 42, "request failed",
                                     None, sys.exc_info())

    passed = [limit.filter(record()) for _ in range(100)]
    assert passed.count(True) == 3
    now[0] = 61.0
    later = record()
    assert limit.filter(later)
    assert "97 similar tracebacks suppressed" in later.getMessage()
    plain = logging.LogRecord("x", logging.INFO, "daemon.py", 1, "hello", None, None)
    assert all(limit.filter(plain) for _ in range(10))
