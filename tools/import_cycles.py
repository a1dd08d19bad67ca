"""Import cycles of a package: the strongly connected components (two or more modules that
import each other, directly or through others) of its import graph.

``python tools/import_cycles.py [PACKAGE] [--runtime]``. The graph is grimp's (what
import-linter checks): every import statement, at module level and inside functions.
``--runtime`` leaves out the imports under ``if TYPE_CHECKING:``, which never run.
Prints the number of cycles, their sizes, then each cycle's modules.
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import sys
from pathlib import Path

import grimp


def type_checking_lines(path: Path) -> set[int]:
    """Line numbers of the statements under ``if TYPE_CHECKING:`` in ``path``."""
    lines: set[int] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.If):
            test = node.test
            name = test.id if isinstance(test, ast.Name) else \
                test.attr if isinstance(test, ast.Attribute) else ""
            if name == "TYPE_CHECKING":
                for child in node.body:
                    lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def graph_edges(package: str, runtime: bool) -> dict[str, set[str]]:
    """Module -> the package's modules it imports."""
    graph = grimp.build_graph(package)
    edges: dict[str, set[str]] = {module: set() for module in graph.modules}
    for importer in graph.modules:
        skipped: set[int] = set()
        if runtime:
            spec = importlib.util.find_spec(importer)
            if spec is not None and spec.origin and spec.origin.endswith(".py"):
                skipped = type_checking_lines(Path(spec.origin))
        for imported in graph.find_modules_directly_imported_by(importer):
            details = graph.get_import_details(importer=importer, imported=imported)
            if not runtime or any(d["line_number"] not in skipped for d in details):
                edges[importer].add(imported)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components with more than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(edges[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(max(10000, sys.getrecursionlimit()))
    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(found, key=len, reverse=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("package", nargs="?", default="aisession_tui")
    parser.add_argument("--runtime", action="store_true",
                        help="leave out imports under 'if TYPE_CHECKING:'")
    options = parser.parse_args()
    found = cycles(graph_edges(options.package, options.runtime))
    print(f"{len(found)} cycles, sizes {[len(c) for c in found]}")
    for component in found:
        prefix = options.package + "."
        print(f"{len(component)}: " + " ".join(m.removeprefix(prefix) for m in component))


if __name__ == "__main__":
    main()
