"""shim (ai-session verb): the opt-in ``tmux`` entry point.

``ai-session shim install DIR [--force]`` writes ``DIR/tmux``, a two-line script that runs
ai-session as tmux (:mod:`aisession_tui.protocol.identity`). It never replaces a file it
did not write (a real tmux, a user's script) unless ``--force``, and says when another
``tmux`` comes before it on ``PATH`` (nothing is shadowed silently: a user puts DIR on
PATH, or not). ``ai-session shim remove DIR`` deletes a shim it wrote, nothing else.
Runs in the CLI process; no server is involved.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from ...protocol.identity import is_our_shim, write_shim
from .spec import Args, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import LocalCommandContext


def _path_note(target: Path) -> str:
    """Which ``tmux`` a plain ``tmux`` would run from this PATH, when it is not ours."""
    found = shutil.which("tmux")
    if found is None:
        return f"{target.parent} is not on PATH: add it first to use the shim\n"
    if Path(found).resolve() != target.resolve():
        return (f"note: {found} comes before it on PATH; put {target.parent} first to "
                "use the shim\n")
    return ""


async def run(ctx: LocalCommandContext, args: Args) -> CommandResult:
    action, directory = args.positional[0], Path(args.positional[1]).expanduser()
    target = directory / "tmux"
    if action == "install":
        try:
            written = write_shim(directory, force=args.has("force"))
        except (OSError, FileExistsError) as exc:
            return CommandResult(stderr=f"{exc}\n", exit_code=1)
        return CommandResult(stdout=f"{written}\n", stderr=_path_note(written))
    if action == "remove":
        if not is_our_shim(target):
            return CommandResult(stderr=f"{target} is not an ai-session shim\n", exit_code=1)
        os.unlink(target)
        return CommandResult()
    return CommandResult(stderr=f"unknown shim action: {action} (install or remove)\n",
                         exit_code=1)


SPEC = CommandSpec(name="shim", usage="install|remove DIRECTORY [--force]",
                   long_options={"force": False}, intermixed=True, min_args=2, max_args=2,
                   needs_server=False, run=run,
                   summary="Install the opt-in tmux entry point (DIR/tmux)")
