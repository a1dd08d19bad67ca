"""The server never runs code from the user's directory or their ``PYTHON*`` variables.

A ``secrets.py`` that writes a marker (then behaves as the real module) sits in the cwd and
on ``PYTHONPATH``; the server is started from there through the installed ``ai-session``
script, serves a command, and no marker names the server's pid.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SHADOW = '''
import os, sys, sysconfig, importlib.util
with open(os.environ["SHADOW_MARKER"], "a") as marker:
    marker.write(f"{os.getpid()} {sys.argv!r}\\n")
_spec = importlib.util.spec_from_file_location(
    "_real_secrets", os.path.join(sysconfig.get_paths()["stdlib"], "secrets.py"))
_real = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_real)
globals().update({k: v for k, v in vars(_real).items() if not k.startswith("__")})
'''


def _script() -> Path:
    script = Path(sys.executable).parent / "ai-session"
    if not script.exists():
        pytest.skip("the ai-session console script is not installed next to python")
    return script


@pytest.mark.parametrize("via", ["cwd", "PYTHONPATH"])
def test_shadowing_module_is_not_imported_by_the_server(server, tmp_path: Path,
                                                        via: str) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "secrets.py").write_text(SHADOW)
    (repo / "types_marker_unused.py").write_text("")
    marker = tmp_path / "marker"
    env = {**server.env, "SHADOW_MARKER": str(marker)}
    if via == "PYTHONPATH":
        env["PYTHONPATH"] = str(repo)
    cwd = str(repo) if via == "cwd" else str(server.home)
    proc = subprocess.run([str(_script()), "-L", server.name, "new-session", "-d", "-s",
                           "iso"], check=False, env=env, cwd=cwd, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    pid = server.server_pid()
    assert pid is not None
    assert server.ok("display-message", "-p", "-t", "iso", "#{session_name}").strip() == "iso"
    pids = {line.split()[0] for line in marker.read_text().splitlines()} \
        if marker.exists() else set()
    assert str(pid) not in pids, marker.read_text()
    if via == "cwd":
        assert not marker.exists(), marker.read_text()


def test_server_command_line_is_isolated() -> None:
    from aisession_tui.cli.server_start import server_argv

    argv = server_argv("--socket", "/x")
    assert argv[0] == sys.executable
    assert "-E" in argv and "-P" in argv
    assert argv[argv.index("-m") + 1] == "aisession_tui.server.daemon"
