"""Loading the recorded captures of test runners and build tools (not a test module).

Each folder in tests/fixtures/parsers/ holds ``NAME.txt`` captures and a ``captures.tsv``
giving each capture's real exit code and the command that produced it
(see tests/fixtures/parsers/record_tests_tools.sh).
"""

from __future__ import annotations

import re
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "parsers"
ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")
"""A simple SGR/CSI stripper, standing in for the server's plain-text rendering."""


def load(tool: str, name: str) -> tuple[str, str, int]:
    """Capture text (colours stripped), the command that produced it, and its exit code."""
    for row in (FIXTURES / tool / "captures.tsv").read_text().splitlines():
        capture, exit_code, command = row.split("\t", 2)
        if capture == name:
            text = (FIXTURES / tool / f"{name}.txt").read_text()
            return ANSI.sub("", text), command, int(exit_code)
    raise KeyError(name)
