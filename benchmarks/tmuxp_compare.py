"""tmuxp 1.76 loads the same workspace into ai-session and into real tmux; compare the result.

Not part of ``.ci/run``. Needs the cache of ``libtmux_suite.py`` plus tmuxp's sdist and
PyYAML, fetched once with the ordinary client::

    pip download -d CACHE --no-deps --no-binary :all: libtmux==0.62.0 tmuxp==1.76.0
    pip download -d CACHE pyyaml

Run::

    python benchmarks/tmuxp_compare.py --cache CACHE

The workspace has several windows, ``base-index`` and ``pane-base-index`` 1, layouts and
shell commands. For each target, ``tmuxp load -d`` runs with that target's ``tmux`` first
on PATH (its own ``TMUX_TMPDIR``); then ``list-panes -a`` with the panes' places, sizes,
layouts and current commands is printed for both, with a verdict. Exit code 0 when equal.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from libtmux_suite import build_venv, stop_servers, tmux_dir, unpack

TMUXP = "tmuxp-1.76.0"
WORKSPACE = """\
session_name: tp
options:
  base-index: 1
global_options:
  pane-base-index: 1
windows:
  - window_name: editor
    layout: main-vertical
    panes:
      - shell_command: [echo one]
      - echo two
      - echo three
  - window_name: logs
    layout: even-horizontal
    panes:
      - echo four
      - echo five
  - window_name: single
    panes:
      - echo six
"""
LIST_FORMAT = ("#{session_name}:#{window_index}.#{pane_index} #{window_name} "
               "#{pane_width}x#{pane_height} #{window_layout} #{pane_active}")


def unpack_tmuxp(cache: Path, work: Path) -> Path:
    tree = work / TMUXP
    if not (tree / "pyproject.toml").exists():
        with tarfile.open(cache / f"{TMUXP}.tar.gz") as tar:
            tar.extractall(work, filter="data")
    return tree


def load(target: str, python: Path, paths: list[Path], work: Path) -> list[str]:
    run_dir = Path(tempfile.mkdtemp(prefix=f"tmuxp-{target}-", dir=work))
    bin_dir = tmux_dir(target, run_dir)
    (run_dir / "tmp").mkdir()
    (run_dir / "home").mkdir()
    workspace = run_dir / "workspace.yaml"
    workspace.write_text(WORKSPACE)
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("TMUX", "AI_SESSION", "PYTHON"))}
    env.update({"PATH": os.pathsep.join([str(bin_dir), env.get("PATH", os.defpath)]),
                "PYTHONPATH": os.pathsep.join(str(path) for path in paths),
                "TMUX_TMPDIR": str(run_dir / "tmp"), "HOME": str(run_dir / "home"),
                "AI_SESSION_HOME": str(run_dir / "ais-home"), "SHELL": "/bin/sh"})
    tmux = str(bin_dir / "tmux")
    try:
        subprocess.run([str(python), "-c", "from tmuxp.cli import cli; cli()", "load", "-d",
                        "-y", str(workspace)], env=env, check=True, timeout=120,
                       cwd=run_dir)
        time.sleep(2.0)  # the panes' shell commands run; the layout is settled
        listed = subprocess.run([tmux, "list-panes", "-a", "-F", LIST_FORMAT], env=env,
                                capture_output=True, text=True, check=True, timeout=60)
        return listed.stdout.splitlines()
    finally:
        stop_servers(bin_dir / "tmux", run_dir / "tmp")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", required=True, type=Path)
    parser.add_argument("--work", type=Path, default=Path(".cache/libtmux-suite"))
    options = parser.parse_args(argv)
    work = options.work.absolute()
    work.mkdir(parents=True, exist_ok=True)
    cache = options.cache.absolute()
    libtmux = unpack(cache, work)
    tmuxp = unpack_tmuxp(cache, work)
    python = build_venv(cache, work)
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-index", "--find-links",
                    str(cache), "pyyaml"], check=True)
    paths = [tmuxp / "src", libtmux / "src"]
    results = {target: load(target, python, paths, work) for target in ("tmux", "ai-session")}
    for target, lines in results.items():
        print(f"== {target}")
        print("\n".join(lines))
    same = results["tmux"] == results["ai-session"]
    print("same list-panes -a" if same else "list-panes -a differs")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
