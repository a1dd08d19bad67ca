"""``python -m aisession_tui.themes FILE.toml``: print an old TOML theme as tmux config.

The one-shot migration of a user's theme (see ``convert_toml_theme``): redirect the output
to a ``.conf`` file and ``source-file`` it. Exit status 1 and a message on stderr when the
file cannot be converted; nothing is written then.
"""

from __future__ import annotations

import sys
from pathlib import Path

from aisession_tui.themes import ThemeConversionError, convert_toml_theme


def main(argv: list[str]) -> int:
    """Convert each file named in ``argv`` to stdout; 2 on a usage error, 1 on a bad file."""
    if not argv or argv[0] in ("-h", "--help"):
        print("usage: python -m aisession_tui.themes FILE.toml > FILE.conf", file=sys.stderr)
        return 2
    status = 0
    for name in argv:
        try:
            sys.stdout.write(convert_toml_theme(Path(name)))
        except ThemeConversionError as error:
            print(error, file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
