"""Run the same tmux command steps in tmux 3.3a and in ai-session, and compare every
step's exit code, output and error text (the window-link and session-group tests)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from conftest import wait_until

Runner = Callable[..., tuple[int, str, str]]

def ours(server: Any) -> Runner:
    def run(*args: str) -> tuple[int, str, str]:
        result = server.run(*args)
        return result.code, result.out, result.err.strip()

    return run


def theirs(live_tmux: Any) -> Runner:
    def run(*args: str) -> tuple[int, str, str]:
        code, out, err = live_tmux.run(*args)
        return code, out, err.strip()

    return run


def _steps(run: Runner, steps: list[tuple[str, ...]]) -> list[tuple[tuple[str, ...],
                                                                     tuple[int, str, str]]]:
    return [(step, run(*step)) for step in steps]


def _shells_named(live_tmux: Any) -> Runner:
    """``theirs``, waiting after a step that starts shells until tmux names their windows
    after them: tmux calls a just-forked window "tmux" until its shell runs and prints
    (automatic-rename). Only for steps whose panes run a shell: a silent command such as
    ``cat`` may keep the name "tmux" for good."""
    run = theirs(live_tmux)

    def named(*args: str) -> tuple[int, str, str]:
        result = run(*args)
        if args[0] in ("new-session", "new-window", "split-window"):
            wait_until(lambda: "tmux" not in live_tmux.run(
                "list-windows", "-a", "-F", "#{window_name}")[1].split(),
                message="tmux's windows named after their shells")
        return result

    return named


def compare(server: Any, live_tmux: Any, steps: list[tuple[str, ...]]) -> None:
    """The steps (their panes run the default shell) in tmux, then in ai-session."""
    expected_steps = _steps(_shells_named(live_tmux), steps)
    got_steps = _steps(ours(server), steps)
    for (step, expected), (_, got) in zip(expected_steps, got_steps, strict=True):
        assert got == expected, f"{step}: tmux {expected!r}, ai-session {got!r}"


