"""libtmux's own test suite as a judge: run it against ai-session and against real tmux.

Not part of ``.ci/run`` (it takes minutes and needs a cache the user fetched). Nothing is
downloaded at run time: fetch once, with the ordinary client, into a cache directory::

    pip download -d CACHE --no-deps --no-binary :all: libtmux==0.62.0
    pip download -d CACHE pytest pytest-rerunfailures pytest-mock gp-libs pytest-xdist

then run (with the interpreter that has ai-session installed)::

    python benchmarks/libtmux_suite.py --cache CACHE [--target both|ai-session|tmux]
           [--workers N] [-k EXPR] [--pytest-arg=ARG ...] [--failures FILE]

It unpacks libtmux's sdist and builds a separate virtualenv from the cache only
(``pip install --no-index --find-links CACHE``), then for each target puts a directory
whose ``tmux`` is that target first on ``PATH`` (for ai-session: the shim of
``ai-session shim install``; for tmux: a link to the real binary), with its own
``TMUX_TMPDIR`` and ``AI_SESSION_HOME``, and runs the suite from libtmux's source tree
(its own ``pyproject.toml`` settings: doctests, ``--reruns=2``). It prints passed, failed,
skipped and errors for each target, read from pytest's JUnit XML, and writes the ids of
the failing tests to ``--failures`` (one file per target) when asked.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tarfile
import tempfile
import time
import venv
from pathlib import Path
from xml.etree import ElementTree

LIBTMUX = "libtmux-0.62.0"
TEST_REQUIREMENTS = ("pytest", "pytest-rerunfailures", "pytest-mock", "gp-libs",
                     "pytest-xdist")


def unpack(cache: Path, work: Path) -> Path:
    """libtmux's source tree from the cached sdist (unpacked once)."""
    tree = work / LIBTMUX
    if not (tree / "pyproject.toml").exists():
        archive = cache / f"{LIBTMUX}.tar.gz"
        if not archive.exists():
            raise SystemExit(f"{archive} is missing: see this script's docstring")
        with tarfile.open(archive) as tar:
            tar.extractall(work, filter="data")
    return tree


def build_venv(cache: Path, work: Path) -> Path:
    """A virtualenv with the test requirements, installed from the cache only."""
    directory = work / "venv"
    python = directory / "bin" / "python"
    if not (directory / ".ready").exists():
        venv.EnvBuilder(with_pip=True, clear=True).create(directory)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-index",
                        "--find-links", str(cache), *TEST_REQUIREMENTS], check=True)
        (directory / ".ready").write_text("ok\n")
    return python


def real_tmux(skip: Path) -> str:
    """The real tmux on PATH (never a shim directory of ours)."""
    for part in os.environ.get("PATH", "").split(os.pathsep):
        candidate = Path(part) / "tmux"
        if part and Path(part) != skip and candidate.is_file() and os.access(candidate,
                                                                               os.X_OK):
            from aisession_tui.protocol.identity import is_our_shim

            if not is_our_shim(candidate):
                return str(candidate)
    raise SystemExit("no real tmux on PATH")


def tmux_dir(target: str, run_dir: Path) -> Path:
    """A directory holding the ``tmux`` to test."""
    bin_dir = run_dir / "bin"
    bin_dir.mkdir(parents=True, exist_ok=True)
    if target == "ai-session":
        from aisession_tui.protocol.identity import write_shim

        write_shim(bin_dir, force=True)
    else:
        link = bin_dir / "tmux"
        if link.exists() or link.is_symlink():
            link.unlink()
        link.symlink_to(real_tmux(bin_dir))
    return bin_dir


def stop_servers(tmux: Path, tmpdir: Path) -> None:
    """Kill every server a test left behind in this run's socket directory."""
    for directory in tmpdir.glob("tmux-*"):
        for socket in directory.iterdir():
            subprocess.run([str(tmux), "-S", str(socket), "kill-server"],
                           capture_output=True, timeout=30, check=False)


def run_suite(target: str, python: Path, tree: Path, work: Path, workers: int,
              select: str | None, timeout: float, extra: list[str]) -> dict[str, object]:
    """Run the suite against one target; counts from the JUnit XML."""
    run_dir = Path(tempfile.mkdtemp(prefix=f"{target}-", dir=work))
    bin_dir = tmux_dir(target, run_dir)
    (run_dir / "tmp").mkdir()
    junit = run_dir / "junit.xml"
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("TMUX", "AI_SESSION", "PYTHON"))}
    env.update({"PATH": os.pathsep.join([str(bin_dir), env.get("PATH", os.defpath)]),
                "PYTHONPATH": str(tree / "src"), "TMUX_TMPDIR": str(run_dir / "tmp"),
                "AI_SESSION_HOME": str(run_dir / "home"),
                "AI_SESSION_TMPDIR": str(run_dir / "tmp")})
    argv = [str(python), "-m", "pytest", "-p", "libtmux.pytest_plugin", "-q",
            f"--junitxml={junit}", "-o", "junit_family=xunit1", "--ignore=docs/conf.py"]
    if workers > 1:
        argv += ["-n", str(workers)]
    if select:
        argv += ["-k", select]
    argv += extra
    started = time.monotonic()
    log = run_dir / "pytest.log"
    with open(log, "wb") as output:
        try:
            subprocess.run(argv, cwd=tree, env=env, stdout=output, stderr=subprocess.STDOUT,
                           timeout=timeout, check=False)
            timed_out = False
        except subprocess.TimeoutExpired:
            timed_out = True
    seconds = time.monotonic() - started
    stop_servers(bin_dir / "tmux", run_dir / "tmp")
    counts = {"passed": 0, "failed": 0, "skipped": 0, "errors": 0}
    outcomes: dict[str, str] = {}
    if junit.exists():
        # With --reruns (and -n) a test's earlier attempts are extra testcase entries
        # without a result: keep one outcome per test id, its failure if it had one.
        for case in ElementTree.parse(junit).getroot().iter("testcase"):
            name = f"{case.get('classname')}::{case.get('name')}"
            kinds = {child.tag for child in case}
            outcome = ("failed" if "failure" in kinds else "errors" if "error" in kinds
                       else "skipped" if "skipped" in kinds else "passed")
            if name not in outcomes or outcome != "passed":
                outcomes[name] = outcome
    for outcome in outcomes.values():
        counts[outcome] += 1
    failing = [name for name, outcome in outcomes.items() if outcome in ("failed", "errors")]
    return {"target": target, **counts, "seconds": round(seconds), "timed_out": timed_out,
            "failing": failing, "log": str(log)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", required=True, type=Path)
    parser.add_argument("--work", type=Path, default=Path(".cache/libtmux-suite"))
    parser.add_argument("--target", choices=("both", "ai-session", "tmux"), default="both")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("-k", dest="select")
    parser.add_argument("--timeout", type=float, default=3600.0,
                        help="seconds for one target's whole run")
    parser.add_argument("--pytest-arg", action="append", default=[], dest="extra",
                        help="passed to pytest (e.g. --pytest-arg=--reruns=0)")
    parser.add_argument("--failures", type=Path,
                        help="write failing test ids to FILE.<target>")
    options = parser.parse_args(argv)
    work = options.work.absolute()
    work.mkdir(parents=True, exist_ok=True)
    cache = options.cache.absolute()
    tree = unpack(cache, work)
    python = build_venv(cache, work)
    targets = ["tmux", "ai-session"] if options.target == "both" else [options.target]
    results = []
    for target in targets:
        result = run_suite(target, python, tree, work, options.workers, options.select,
                           options.timeout, options.extra)
        results.append(result)
        note = " (timed out)" if result["timed_out"] else ""
        print(f"{target:>10}: {result['passed']} passed, {result['failed']} failed, "
              f"{result['skipped']} skipped, {result['errors']} errors in "
              f"{result['seconds']} s{note}  [log {result['log']}]", flush=True)
        if options.failures:
            path = Path(f"{options.failures}.{target}")
            path.write_text("".join(f"{name}\n" for name in result["failing"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
