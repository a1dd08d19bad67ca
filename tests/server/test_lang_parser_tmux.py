"""The parser against tmux 3.3a's own: tricky inputs sourced with ``source-file -nv`` in
both, the printed commands (or the error line) compared line by line."""

from __future__ import annotations

import shutil
import subprocess
import uuid

import pytest

needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

CASES = [
    "set -g @a \"two words\" ; set -g @c 'x $y'\n",
    "# top\nset -g @a 1\\\n2\n\nset -g @b 3\n",
    "%if #{==:1,0}\nset @r a\n%elif #{==:1,1}\nset @r b\n%else\nset @r c\n%endif\n",
    "%if #{==:1,0} set @s 1 %else set @s 2 %endif ; set @t 3\n",
    "set -g @x \"unterminated\nset -g @y 2\n",
    "set -g @q \"a\n  # comment inside\n  b\"\n",
    "set -g @a x; set -g @b y\nset -g @c \"a;b\" ; display -p \";\"\n",
    "set -g @a ${HOME}x$HOME.y\n",
    "set -g @a \\~ ; set -g @b a~b\n",
    "set -g @a 1 ;\n",
    "set -g status-left \"#[fg=red]#S\"\n",
    "bind -n M-x if -F \"#{pane_in_mode}\" \"send q\" \"copy-mode\"\n",
    "set -g @a 100%\nset -g @b %\n",
    "{\n}\n",
    "set -g @a \"x\\\\\"\n",
    "%if 1\nset @a 1\n",
    "set -g @e \"\\e[1m\\101\\u00e9\\t\"\n",
    "%if #{==:a,a}\n%if 0\nset @n 1\n%else\nset @n 2\n%endif\n%endif\n",
    "set -g @a \"$NOPE\"x ; %bogus\n",
    "set -g @a '\n'\n",
]


@needs_tmux
def test_parsed_commands_and_errors_match_tmux(server, tmp_path) -> None:
    files = []
    for number, text in enumerate(CASES):
        path = tmp_path / f"case{number:02}.conf"
        path.write_text(text)
        files.append(path)
    name = f"pt{uuid.uuid4().hex[:8]}"

    def tmux(*args: str) -> str:
        done = subprocess.run(["tmux", "-L", name, "-f", "/dev/null", *args], env=server.env,
                              capture_output=True, text=True, timeout=30, check=False)
        return done.stdout + done.stderr

    try:
        tmux("new-session", "-d", "-s", "s")
        theirs = [tmux("source-file", "-nv", str(path)) for path in files]
    finally:
        tmux("kill-server")
    assert server.cli("new-session", "-d", "-s", "s").code == 0
    ours = []
    for path in files:
        result = server.cli("source-file", "-nv", str(path))
        ours.append(result.out + result.err)
    for text, mine, tmux_output in zip(CASES, ours, theirs, strict=True):
        assert mine == tmux_output, text


def test_prompt_templates_as_tmux_fills_them() -> None:
    """cmd_template_replace: %N and the first %% raw, %%% / %N% escaped, other % kept."""
    from aisession_tui.server.cmdlang import template_replace

    assert template_replace('rename-window "%%"', 'a"b', 1) == 'rename-window "a"b"'
    assert template_replace('rename-window "%%%"', 'a"b$;~', 1) == \
        'rename-window "a\\"b\\$\\;\\~"'
    assert template_replace("x %1 %2 %% %%", "v", 1) == "x v %2 v %%"
    assert template_replace("x %1 %2%", "w", 2) == "x %1 w"
    assert template_replace("100% done %1", "v", 1) == "100% done v"
