"""tmux's command language through source-file, -f and the CLI's ``;``, against tmux 3.3a.

The same file or command line is given to tmux and to ai-session; what they print
(``source-file -v``, error lines) and the options that result are compared.
"""

from __future__ import annotations

import shutil

import pytest

from aisession_tui.server.cmdlang import parse, split_arguments

needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

CONFIG = r"""# a comment
set -g base-index 1
X=seven
set -g status-right "$X-${X}-~ #{session_name}" ; set -g @quoted 'single $X'
%if "#{==:a,a}"
set -g status-left yes
%elif 1
set -g status-left elif
%else
set -g status-left no
%endif
set -g status-left-length 3\
3
set -g @escaped a\ b\tc\"
set -g @tilde ~/x
"""

OPTIONS = ["base-index", "status-right", "@quoted", "status-left", "status-left-length",
           "@escaped", "@tilde"]


def test_split_arguments_as_tmux_does():
    assert split_arguments(["a", "b;", "c", "\\;", "d;", ";", "e"]) == \
        [["a", "b"], ["c", ";", "d"], ["e"]]


def test_parse_groups_blocks_and_errors():
    parsed = parse("a 1 ; b 2\nc { d 3 ; e 4 }\n", resolve=lambda name: name)
    assert [(c.argv, c.line) for c in parsed.commands] == [
        (("a", "1"), 1), (("b", "2"), 1), (("c", "d 3 ; e 4"), 2)]
    groups = [c.group for c in parsed.commands]
    assert groups[0] == groups[1] != groups[2]
    assert parsed.commands[2].printed() == "c { d 3 ; e 4 }"

    def unknown(name: str) -> str:
        raise ValueError(f"unknown command: {name}")

    failed = parse("\n\nfoo\n", resolve=unknown)
    assert failed.commands == [] and failed.error is not None
    assert (failed.error.line, failed.error.message) == (3, "unknown command: foo")
    for text, line in (("x {\n", 2), ("}\n", 1), ("%endif\n", 1)):
        error = parse(text, resolve=lambda name: name).error
        assert error is not None and error.message == "syntax error", text
        assert error.line == line, text
    # a quote left open runs to the end of the text, as in tmux 3.3a (source -nv shows
    # set-option -g @x "open\nnext\n")
    assert parse("x 'open\nnext\n", resolve=lambda name: name).commands[0].argv == (
        "x", "open\nnext\n")


@needs_tmux
@pytest.mark.fake_pty
def test_source_file_verbose_and_values_match_tmux(server, live_tmux, tmp_path):
    tmux = live_tmux
    path = tmp_path / "lang.conf"
    path.write_text(CONFIG)
    server.ok("new-session", "-d", "-s", "s")
    tmux.run("new-session", "-d", "-s", "s")
    ours = server.run("source-file", "-v", str(path))
    theirs = tmux.run("source-file", "-v", str(path))
    assert (ours.code, ours.out) == (theirs[0], theirs[1])
    assert [server.run("show-options", "-gv", name).out for name in OPTIONS] == \
        [tmux.run("show-options", "-gv", name)[1] for name in OPTIONS]


@needs_tmux
@pytest.mark.parametrize("text", [
    "set -g base-index 1\nfoobar x\nset -g status-left xyz\n",
    "set -g base-index 1\nset -g status-left {\n",
    "set -g base-index 1\n}\n",
    "set -g base-index 1\nset -g status-left ab;c\n",
    # argument counts and flags are checked when the file is parsed, before any line runs
    "set -g base-index 1\nset -g status-left x y z\n",
    "set -g base-index 1\ndisplay -Q hi\n",
    "set -g base-index 1\nrename-window\n",
    # an unknown command is found when the list is built, after the whole file parsed:
    # a later syntax error is the one reported
    "set -g base-index 1\nfoobar x\nset -g status-left {\n",
    "set -g base-index 1\nset -g @y 1 ; foobar x\nset -g status-left a\n",
])
@pytest.mark.fake_pty
def test_parse_errors_run_nothing_as_in_tmux(server, live_tmux, tmp_path, text):
    tmux = live_tmux
    path = tmp_path / "bad.conf"
    path.write_text(text)
    server.ok("new-session", "-d", "-s", "s")
    tmux.run("new-session", "-d", "-s", "s")
    ours = server.run("source-file", str(path))
    theirs = tmux.run("source-file", str(path))
    assert ours.code == theirs[0] == 1
    assert ours.out.split(": ")[0] == theirs[1].split(": ")[0]  # file:line
    if any(word in theirs[1] for word in ("arguments", "flag", "unknown command")):
        assert ours.out == theirs[1]
        # -v: the lines before the refused one are printed, as tmux builds them in turn
        verbose = ("source-file", "-nv", str(path))
        assert server.run(*verbose).out == tmux.run(*verbose)[1]
    assert server.ok("show-options", "-gv", "base-index") == "0\n"
    assert tmux.run("show-options", "-gv", "base-index")[1] == "0\n"


@needs_tmux
@pytest.mark.fake_pty
def test_run_time_error_costs_its_line_only(server, live_tmux, tmp_path):
    tmux = live_tmux
    path = tmp_path / "run.conf"
    path.write_text("set -g @a 1\nset -g nosuch 1\n"
                    "set -g @b 2 ; set -g bad 3 ; set -g @c 4\nset -g @d 5\n")
    server.ok("new-session", "-d", "-s", "s")
    tmux.run("new-session", "-d", "-s", "s")
    ours = server.run("source-file", str(path))
    theirs = tmux.run("source-file", str(path))
    assert ours.code == theirs[0] == 1
    assert sorted(ours.err.splitlines()) == sorted(theirs[2].splitlines())
    names = ["@a", "@b", "@c", "@d"]
    assert [server.run("show-options", "-gv", n).out for n in names] == \
        [tmux.run("show-options", "-gv", n)[1] for n in names]


@needs_tmux
@pytest.mark.fake_pty
def test_cli_semicolons_chain_commands_as_in_tmux(server, live_tmux):
    tmux = live_tmux
    server.ok("new-session", "-d", "-s", "s")
    tmux.run("new-session", "-d", "-s", "s")
    line = ["set", "-g", "@x", "1", ";", "set", "-g", "@y", "a;b\\;", ";",
            "show", "-g", "@x", ";", "show", "-gv", "@y"]
    ours = server.run(*line)
    theirs = tmux.run(*line)
    assert (ours.code, ours.out) == (theirs[0], theirs[1])
    stop = ["set", "-g", "@p", "1", ";", "set", "-g", "nosuch", "2", ";", "set", "-g", "@q", "3"]
    ours, theirs = server.run(*stop), tmux.run(*stop)
    assert (ours.code, ours.err) == (theirs[0], theirs[2])
    assert server.run("show-options", "-gv", "@q").out == tmux.run("show-options", "-gv",
                                                                  "@q")[1]


def test_send_keys_chain_types_two_commands(server):
    server.ok("new-session", "-d", "-s", "s")
    server.wait_for_text("s", "$")
    server.ok("send-keys", "-t", "s", "echo one", ";", "send-keys", "-t", "s", "Enter")
    screen = server.wait_for_text("s", "one\n$")
    assert "send-keys" not in screen


@pytest.mark.fake_pty
def test_config_files_at_start_and_dash_f(server, tmp_path):
    (server.home / ".tmux.conf").write_text("set -g @from-home yes\nset -g base-index 4\n")
    config_dir = server.home / ".config" / "ai-session"
    config_dir.mkdir(parents=True)
    (config_dir / "ai-session.conf").write_text("set -g @from-ours yes\nbogus-cmd\n")
    server.ok("new-session", "-d", "-s", "s")
    assert server.ok("show-options", "-gv", "@from-home") == "yes\n"
    assert server.ok("display-message", "-p", "-t", "s", "#{window_index}") == "4\n"
    assert server.run("show-options", "-gv", "@from-ours").code == 1  # parse error: none ran
    server.stop()
    server.ok("-f", "/dev/null", "new-session", "-d", "-s", "t")
    assert server.ok("show-options", "-gv", "base-index") == "0\n"
    server.stop()
    other = tmp_path / "other.conf"
    other.write_text("set -g base-index 2\n")
    server.ok("-f", str(other), "new-session", "-d", "-s", "u")
    assert server.ok("show-options", "-gv", "base-index") == "2\n"
    assert server.run("show-options", "-gv", "@from-home").code == 1


@pytest.mark.fake_pty
def test_tmux_aliases_and_missing_tmux_commands_cost_their_line_only(server, tmp_path):
    """``bind``/``setw`` are tmux aliases: a config using them must not be dropped whole,
    even where ai-session lacks the command (that line alone fails when it runs)."""
    path = tmp_path / "aliases.conf"
    path.write_text("set -g base-index 1\nsetw -g pane-base-index 1\n"
                    "bind r source-file ~/.tmux.conf \\; display reloaded\n"
                    "set -g @after yes\n")
    server.ok("new-session", "-d", "-s", "s")
    result = server.run("source-file", str(path))
    assert "unknown command: bind\n" not in result.out
    assert server.ok("show-options", "-gv", "base-index") == "1\n"
    assert server.ok("show-options", "-gv", "pane-base-index") == "1\n"
    assert server.ok("show-options", "-gv", "@after") == "yes\n"


LIST_ERRORS = """set -g @a 1
if-shell true 'set -g nosuch 1'
if-shell true "set -g @d 1
set -g nosuch5 1"
if-shell true "set -g @e 1 ; bind x {"
run-shell -C 'set -g nosuch4 1'
if -F 1 {
  set -g nosuch2 3
  set -g @x 2
}
if-shell true {
  set -g @c 2

  set -g nosuch3 3 ; set -g @y 1
}
bind x {
  display -p a ; display -p c
  display -p b
}
"""


@needs_tmux
def test_errors_of_lists_run_at_start_name_their_own_lines_as_tmux(server, live_tmux,
                                                                   tmp_path):
    """A command list that if-shell or run-shell -C runs while the config loads names its
    own commands' lines once (tmux's cfg_add_cause), and a list tmux cannot parse is named
    twice (its parse error carries the file:line, the config adds it again)."""
    import subprocess

    path = tmp_path / "lists.conf"
    path.write_text(LIST_ERRORS)
    subprocess.run(["tmux", "-L", live_tmux.name, "-f", str(path), "new-session", "-d"],
                   env=live_tmux.env, check=True, timeout=60)
    assert live_tmux.run("display-message", "-p", "#{pane_in_mode}")[1] == "1\n"
    for command in ("history-top", "begin-selection", "history-bottom", "end-of-line",
                    "copy-selection"):
        live_tmux.run("send-keys", "-X", command)
    theirs = [line for line in live_tmux.run("show-buffer")[1].splitlines() if line]
    assert server.cli("-f", str(path), "new-session", "-d").code == 0
    assert server.cli("show-messages").out.splitlines() == theirs
    assert any(line.count(f"{path}:") == 2 for line in theirs)
    # a block's lines are its groups: a failure skips the rest of its line only, and
    # list-keys prints \;\; between a bound block's lines
    for args in (["show-options", "-g", "@x"], ["show-options", "-g", "@y"],
                 ["list-keys", "-T", "prefix", "x"]):
        assert server.run(*args).out == live_tmux.run(*args)[1], args
    assert live_tmux.run("list-keys", "-T", "prefix", "x")[1].count("\\;\\;") == 1
