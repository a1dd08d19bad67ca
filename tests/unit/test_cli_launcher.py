"""The launchers (aisession_tui/protocol/launcher.py): ``scripts/ai-session`` and the
``tmux`` shim start the interpreter with ``-S`` and find the package where ``site`` would.

Each layout is a real virtual environment (no pip, made in a few milliseconds) whose
site-packages holds the package as a regular install does (the package directory), as an
editable install does (setuptools' ``__editable__.ai_session-*.pth`` naming the project),
or only through another ``.pth`` file (the launcher cannot see it: ``site`` runs after all).
The launcher's output is compared with the full CLI's on a live server, and
``-X importtime`` shows what the process loaded.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

import aisession_tui
from aisession_tui.protocol.identity import shim_text, tmux_version_line
from aisession_tui.protocol.launcher import launcher_text, shebang_safe

PACKAGE = Path(aisession_tui.__path__[0])
PROJECT = PACKAGE.parent
FULL_CLI = ("import sys; from aisession_tui.cli.main import run; "
            "sys.exit(run(sys.argv[1:]))")


def test_the_script_is_the_launcher_text():
    """scripts/ai-session is what launcher_text writes for ``#!python -S``."""
    script = PROJECT / "scripts" / "ai-session"
    if not script.exists():
        pytest.skip("not a source checkout")
    assert script.read_text() == launcher_text("python", "-S")


def _venv(tmp_path: Path, layout: str) -> Path:
    """A venv whose site-packages has the package as ``layout`` says, and (through a
    .pth file, which only ``site`` reads) this interpreter's dependencies."""
    root = tmp_path / f"venv-{layout}"
    venv.EnvBuilder(with_pip=False, symlinks=True).create(root)
    version = f"{sys.version_info[0]}.{sys.version_info[1]}"
    site_packages = root / "lib" / f"python{version}" / "site-packages"
    deps = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site_packages / "zz_deps.pth").write_text("".join(f"{path}\n" for path in deps))
    if layout == "regular":
        (site_packages / "aisession_tui").symlink_to(PACKAGE, target_is_directory=True)
    elif layout == "editable":
        (site_packages / "__editable__.ai_session-0.1.0.pth").write_text(f"{PROJECT}\n")
    else:
        (site_packages / "other.pth").write_text(f"{PROJECT}\n")
    script = root / "bin" / "ai-session"
    script.write_text(launcher_text(str(root / "bin" / "python"), "-S"))
    script.chmod(0o755)
    return script


def _loaded(stderr: str) -> set[str]:
    """Module names from ``-X importtime`` lines."""
    return {line.rsplit("|", 1)[1].strip() for line in stderr.splitlines()
            if line.startswith("import time:") and "|" in line} - {"imported package"}


@pytest.mark.parametrize("layout", ["regular", "editable", "elsewhere"])
def test_the_launcher_finds_the_package_without_site(server, tmp_path, layout):
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "24", "cat")
    script = _venv(tmp_path, layout)
    env = {**server.env, "PYTHONDONTWRITEBYTECODE": "1"}
    for args in (("has-session", "-t", "main"), ("has", "-t", "missing"),
                 ("display-message", "-p", "#{session_name}:#{pane_id}"),
                 ("capture-pane", "-p", "-t", "main")):
        argv = ["-L", server.name, *args]
        launched = subprocess.run([str(script), *argv], capture_output=True, env=env,
                                  timeout=60, cwd=str(server.home), check=False)
        full = subprocess.run([sys.executable, "-c", FULL_CLI, *argv], capture_output=True,
                              env=env, timeout=60, cwd=str(server.home), check=False)
        assert (launched.returncode, launched.stdout, launched.stderr) == \
            (full.returncode, full.stdout, full.stderr), (layout, args)
    timed = subprocess.run([str(script.parent / "python"), "-S", "-X", "importtime",
                            str(script), "-L", server.name, "has-session", "-t", "main"],
                           capture_output=True, text=True, env=env, timeout=60, check=True)
    loaded = _loaded(timed.stderr)
    assert "aisession_tui.cli.fast" in loaded
    if layout == "elsewhere":
        assert "site" in loaded  # the package is only where a .pth file puts it
    else:
        assert not loaded & {"site", "os", "json", "socket", "pathlib", "typing"}, layout


@pytest.mark.parametrize("layout", ["regular", "editable"])
def test_verbs_of_the_full_cli_start_as_they_always_did(server, tmp_path, layout):
    """Verbs the fast path does not serve run the full CLI after a late ``site``: the
    dependencies its .pth files name are found."""
    script = _venv(tmp_path, layout)
    version = subprocess.run([str(script), "-V"], capture_output=True, text=True,
                             env=server.env, timeout=60, check=True)
    assert version.stdout == f"ai-session {aisession_tui.__version__}\n"
    listed = subprocess.run([str(script), "-L", server.name, "list-commands"],
                            capture_output=True, text=True, env=server.env, timeout=60,
                            check=True)
    assert "has-session (has)" in listed.stdout


def test_sys_path_after_the_late_site_is_a_normal_starts(tmp_path):
    """What the full CLI sees after fast.start_site: a normal start's sys.path."""
    script = _venv(tmp_path, "editable")
    python = str(script.parent / "python")
    show = "import sys; print(sys.path[1:])"
    normal = subprocess.run([python, "-c", show], capture_output=True, text=True,
                            check=True).stdout
    text = script.read_text().replace(
        "    from aisession_tui.cli.fast import main\n\n    main(added)\n",
        "    from aisession_tui.cli.fast import start_site\n\n    start_site(added)\n"
        "    print(sys.path[1:])\n")
    late = tmp_path / "late.py"
    late.write_text(text)
    shown = subprocess.run([python, "-S", str(late)], capture_output=True, text=True,
                           check=True).stdout
    assert shown == normal


def test_a_shim_for_an_interpreter_path_with_a_blank_goes_through_sh(tmp_path):
    odd = tmp_path / "with blank"
    odd.mkdir()
    (odd / "python").symlink_to(sys.executable)
    assert not shebang_safe(str(odd / "python"))
    shim = tmp_path / "bin" / "tmux"
    shim.parent.mkdir()
    shim.write_text(shim_text(str(odd / "python")))
    shim.chmod(0o755)
    assert shim.read_text().startswith("#!/bin/sh\n# ai-session tmux shim")
    out = subprocess.run([str(shim), "-V"], capture_output=True, text=True, timeout=60,
                         check=True, env={**os.environ, "PATH": "/usr/bin:/bin"}).stdout
    assert out == tmux_version_line() + "\n"


def test_the_shim_is_tmux_whatever_its_name(tmp_path):
    shim = tmp_path / "tmux-ai"
    shim.write_text(shim_text())
    shim.chmod(0o755)
    out = subprocess.run([str(shim), "-V"], capture_output=True, text=True, timeout=60,
                         check=True).stdout
    assert out == tmux_version_line() + "\n"
    assert shim.read_text().startswith(f"#!{sys.executable} -IS\n")
