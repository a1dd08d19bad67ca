"""The headless packages never import Textual or Rich; the CLI path stays light; the
server never imports the daemon, the CLI, the client or the MCP bridge.

Imports are checked in a fresh interpreter so nothing imported by other tests hides a
violation, and statically, at every level of the code (in functions, under
``TYPE_CHECKING``): by the import-linter contracts in pyproject.toml and by an AST walk.
"""

from __future__ import annotations

import ast
import pathlib
import pkgutil
import subprocess
import sys

import aisession_tui

ROOT = pathlib.Path(aisession_tui.__path__[0]).parent

HEADLESS = ("protocol", "server", "terminal", "ai", "store", "cli")


def _modules(package: str) -> list[str]:
    path = [f"{aisession_tui.__path__[0]}/{package}"]
    names = [f"aisession_tui.{package}"]
    for info in pkgutil.walk_packages(path, prefix=f"aisession_tui.{package}."):
        names.append(info.name)
    return names


def _imported_after(code: str) -> set[str]:
    probe = (f"{code}\nimport sys\n"
             "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout
    return set(out.split())


def test_headless_packages_never_import_textual_or_rich():
    modules = [name for package in HEADLESS for name in _modules(package)
               if not name.endswith("__main__")]
    imported = _imported_after("\n".join(f"import {name}" for name in modules))
    assert not imported & {"textual", "rich"}


def test_cli_request_path_loads_no_emulator_tokenizer_or_ui():
    imported = _imported_after(
        "import aisession_tui.cli.main as m\n"
        "from aisession_tui.server.commands import all_specs, find\n"
        "from aisession_tui.server.commands.spec import parse_args\n"
        "all_specs(); parse_args(find('send-keys'), ['-t', 'x', 'Enter'])")
    assert not imported & {"textual", "rich", "pyte", "tiktoken", "ptyprocess", "zstandard",
                           "asyncio"}


def _imports(path: pathlib.Path, module: str) -> set[str]:
    """Every module ``path`` imports, wherever the import statement is (module level,
    inside a function, under ``TYPE_CHECKING``), as absolute names."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            found.add(prefix)
            found.update(f"{prefix}.{alias.name}" for alias in node.names)
    return found


def test_no_server_module_imports_the_daemon():
    """Services get what they use in their constructors (server/services.py); none of them
    reaches back into the daemon, at any level of the code."""
    root = pathlib.Path(aisession_tui.__path__[0])
    offenders = []
    for path in sorted((root / "server").rglob("*.py")):
        module = "aisession_tui." + ".".join(path.relative_to(root).with_suffix("").parts)
        module = module.removesuffix(".__init__")
        if module == "aisession_tui.server.daemon":
            continue
        if "aisession_tui.server.daemon" in _imports(path, module):
            offenders.append(module)
    assert offenders == []


def test_import_contracts_hold_at_every_level_of_the_code():
    """pyproject.toml's import-linter contracts: headless packages never import Textual,
    Rich or the client (only attach-session starts it); the server never imports the CLI,
    the client or the MCP bridge. grimp sees function-local imports too."""
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports; "
         "sys.exit(lint_imports(no_cache=True))"],
        capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


FAST_PATH_MODULES = {"aisession_tui", "aisession_tui.cli", "aisession_tui.cli.fast",
                     "aisession_tui.cli.update_environment", "_socket", "_json"}
"""All a plain request verb may import beyond what the interpreter's start loaded."""


def test_cli_fast_path_imports_only_the_interpreters_core(server):
    """``has-session``/``send-keys``/``capture-pane``... (and ``new-session -d`` with a
    server running) reach the server and print the reply
    through aisession_tui/cli/fast.py alone: no pathlib, typing, json, socket, the command
    registry or the protocol package (python -X importtime shows each costs milliseconds)."""
    server.ok("new-session", "-d", "-s", "probe", "cat")
    probe = ("import sys\nbefore = set(sys.modules)\n"
             "from aisession_tui.cli import fast\n"
             f"codes = [fast.run(['-L', {server.name!r}, *argv]) for argv in "
             "(['has-session', '-t', 'probe'], ['send-keys', '-t', 'probe', 'x'], "
             "['capture-pane', '-p', '-t', 'probe'], ['display-message', '-p', '#{pane_id}'], "
             "['list-sessions'], ['list-panes', '-a'], "
             "['new-session', '-d', '-s', 'made', 'cat'])]\n"
             "print(codes, file=sys.stderr)\n"
             "print(' '.join(sorted(set(sys.modules) - before)), file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          env=server.env, check=True, timeout=60)
    codes, loaded = done.stderr.splitlines()[-2:]
    assert codes == "[0, 0, 0, 0, 0, 0, 0]"
    assert set(loaded.split()) <= FAST_PATH_MODULES
