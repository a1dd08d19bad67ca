"""The text of the scripts that start a CLI process: ``ai-session`` and the ``tmux`` shim.

Both are launchers: their first line runs the interpreter with ``-S``, so ``site`` does not
run (it imports ``os``, reads ``pyvenv.cfg`` and every ``.pth`` file of site-packages and
runs their ``import`` lines: ~3 ms of CPU of a cold CLI call whose floor, ``python -S -c
pass``, is ~7 ms here). The launcher then puts the package on ``sys.path`` itself, where
``site`` would have: the directory the shim names (it is written by a running ai-session,
which knows where its package is), else this interpreter's site-packages, else the project
an editable install's ``.pth`` names. When the package is elsewhere (a ``--user`` install,
a distribution's ``dist-packages``, a ``.pth`` that runs code), ``site`` runs after all and
the import is an ordinary one. :func:`aisession_tui.cli.fast.main` gets the entries the
launcher added, and takes them off and runs ``site`` before it hands a verb to the full
CLI, which so starts as it always did.

``scripts/ai-session`` is :func:`launcher_text` for ``#!python -S`` (a test keeps the two
equal). An installer rewrites ``#!python`` to its interpreter: setuptools and uv keep the
``-S``, pip up to at least 23.2 drops it (pypa/pip#10661), and the script then starts as
any Python script does, with ``site``, and the launcher's search is skipped.

A path that cannot stand in a ``#!`` line (a blank in it, or longer than the 127 bytes old
kernels read) is run through ``/bin/sh`` instead, as pip and distlib do: the second line is
both a shell ``exec`` and a Python string.
"""

from __future__ import annotations

SCRIPT_DOC = ("The ai-session command: the CLI's fast path (aisession_tui/cli/fast.py) "
              "without `site`.\n\nWritten by aisession_tui/protocol/launcher.py; see there.")
"""The docstring of ``scripts/ai-session``."""

_BODY = '''import sys

ROOT = {root!r}


def find_package(root):
    """Put the package on sys.path as site would have (see ROOT); the entries added, or
    None when it is not there (then nothing was added)."""
    import posix

    if root is None:
        # site.venv(): a pyvenv.cfg beside the interpreter or one level up makes that
        # level the prefix (python -S leaves sys.prefix at the base interpreter's)
        prefix = sys.prefix
        bin_dir = sys.executable.rpartition("/")[0]
        for directory in (bin_dir, bin_dir.rpartition("/")[0]):
            try:
                posix.stat(f"{{directory}}/pyvenv.cfg")
            except OSError:
                continue
            prefix = bin_dir.rpartition("/")[0]
            break
        version = sys.version_info
        root = f"{{prefix}}/lib/python{{version[0]}}.{{version[1]}}/site-packages"
    added = [root]
    sys.path.append(root)
    try:
        import aisession_tui.cli.fast  # noqa: F401
        return added
    except ImportError:
        pass
    try:
        names = posix.listdir(root)
    except OSError:
        names = []
    for name in names:  # an editable install: its .pth file names the project
        if name.startswith("__editable__.ai_session-") and name.endswith(".pth"):
            with open(f"{{root}}/{{name}}", encoding="utf-8") as pth:
                for line in pth:
                    line = line.rstrip()
                    if line and not line.startswith(("#", "import ", "import\\t")):
                        entry = line if line.startswith("/") else f"{{root}}/{{line}}"
                        sys.path.append(entry)
                        added.append(entry)
    try:
        import aisession_tui.cli.fast  # noqa: F401, F811
        return added
    except ImportError:
        for entry in added:
            sys.path.remove(entry)
        return None


if __name__ == "__main__":
    added = find_package(ROOT) if sys.flags.no_site else None
    if sys.flags.no_site and added is None:
        import site

        site.main()
    from aisession_tui.cli.fast import main

    main(added{main_args})
'''

MAX_SHEBANG = 127
"""Bytes of a ``#!`` line every Linux reads (5.1 and later read 255)."""


def shebang_safe(interpreter: str) -> bool:
    """Whether ``#!INTERPRETER FLAGS`` works as a first line."""
    return (not any(char.isspace() for char in interpreter)
            and len(interpreter.encode()) + 8 <= MAX_SHEBANG)


def launcher_text(interpreter: str, flags: str, *, root: str | None = None,
                  comment: str | None = None, doc: str = SCRIPT_DOC,
                  as_tmux: bool = False) -> str:
    """A launcher script running ``interpreter flags`` (``flags`` one word, e.g. ``-S``
    or ``-IS``: a ``#!`` line passes one argument) on the CLI's fast path.

    ``root``: the directory holding ``aisession_tui`` (None: look where ``site`` would);
    ``comment``: a line put second (the shim's marker, within the first 256 bytes);
    ``as_tmux``: tmux's identity whatever the file's name (else ``tmux`` as its name)."""
    comment_line = f"# {comment}\n" if comment else ""
    if interpreter == "python" or shebang_safe(interpreter):
        head = f"#!{interpreter} {flags}\n{comment_line}"
    else:
        quoted = "'" + interpreter.replace("'", "'\\''") + "'"
        head = (f"#!/bin/sh\n{comment_line}"
                f"'''exec' {quoted} {flags} \"$0\" \"$@\"\n' '''\n")
    return f'{head}"""{doc}"""\n{_BODY.format(root=root, main_args=", as_tmux=True" if as_tmux else "")}'
