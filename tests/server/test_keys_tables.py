"""Key tables against tmux 3.3a: the default ``list-keys`` / ``list-keys -N`` output byte
for byte (tests/fixtures/tmux, recorded from tmux 3.3a), then live: the same bind/unbind
sequence run in tmux and ai-session, every ``list-keys`` form and error line compared."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import LiveTmux, wait_until

from aisession_tui.server.key_tables import default_key_tables, key_code, parse_key

REFERENCE = Path(__file__).resolve().parents[1] / "fixtures" / "tmux"


def test_default_list_keys_is_tmux_byte_for_byte() -> None:
    tables = default_key_tables()
    printed = "".join(line + "\n" for line in tables.list_keys())
    assert printed == (REFERENCE / "tmux-3.3a-list-keys.txt").read_text()


def test_default_notes_are_tmux_byte_for_byte() -> None:
    lines, found = default_key_tables().notes(None, "C-b")
    assert found
    assert "".join(line + "\n" for line in lines) == \
        (REFERENCE / "tmux-3.3a-list-keys-N.txt").read_text()


def test_defaults_load_on_first_use_as_no_change() -> None:
    """The defaults are parsed when the tables are first used, not at the server's start;
    that load bumps no version and calls no listener (an attached client gets them with
    its attach), a bind after it does."""
    tables = default_key_tables()
    heard: list[int] = []
    tables.listeners.append(lambda: heard.append(tables.version))
    binding = tables.lookup("prefix", "c")
    assert binding is not None and binding.commands[0].argv[0] == "new-window"
    assert (tables.version, heard) == (0, [])
    tables.bind("prefix", "F5", binding.commands)
    assert heard == [1] and tables.lookup("prefix", "F5") is not None
    fresh = default_key_tables()
    fresh.bind("prefix", "F5", binding.commands)  # a bind first loads the defaults too
    assert fresh.lookup("prefix", "c") is not None and fresh.version == 1


def test_key_codes_order_as_tmux() -> None:
    order = ["C-Space", "C-a", "Escape", "Space", "a", "~", "MouseDown1Pane",
             "MouseDown1Status", "WheelUpPane", "BSpace", "F1", "Up", "KP.", "M-a",
             "M-Up", "C-Up", "S-Up"]
    codes = [key_code(key) for key in order]
    assert codes == sorted(codes)
    assert parse_key("^A") == ("C-a", 1)
    assert parse_key("m-mousedown3pane") is None or parse_key("M-MouseDown3Pane")
    assert parse_key("Nope") is None


@pytest.mark.fake_pty
def test_bind_unbind_and_errors_through_the_cli(server) -> None:  # type: ignore[no-untyped-def]
    server.ok("new-session", "-d", "-s", "s")
    server.ok("bind", "-r", "-N", "a note", "x", "split-window", "-c", "#{pane_current_path}",
              "-h")
    assert server.ok("list-keys", "-T", "prefix", "x") == \
        'bind-key -r -T prefix x split-window -h -c "#{pane_current_path}"\n'
    server.ok("unbind", "x")
    result = server.run("list-keys", "-T", "prefix", "x")
    assert (result.code, result.err) == (1, "unknown key: x\n")
    result = server.run("bind", "Nope", "kill-server")
    assert (result.code, result.err) == (1, "unknown key: Nope\n")
    result = server.run("bind", "x", "no-such-command")
    assert result.code == 1 and "unknown command: no-such-command" in result.err
    assert not any(line.split()[3] == "x"
                   for line in server.ok("list-keys", "-T", "prefix").splitlines())




@pytest.fixture
def both(server, tmp_path) -> Iterator[tuple[object, LiveTmux]]:  # type: ignore[no-untyped-def]
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    tmux = LiveTmux(dict(server.env), f"aikeys-{server.name}")
    try:
        assert tmux.run("new-session", "-d", "-s", "s", "-x", "80", "-y", "24")[0] == 0
        server.ok("new-session", "-d", "-s", "s", "-x", "80", "-y", "24")
        yield server, tmux
    finally:
        tmux.kill()


CONFIG = """\
bind -N "my note" -T mytable a send-keys -t 0 x \\; display-message y
bind b if -F '#{x}' { kill-pane } { select-pane -R ; kill-window }
bind -r C-M-x resize-pane -Z
bind -n F5 'split-window -h'
bind '"' split-window -v -c "#{pane_current_path}"
bind \\; display-message "a;b"
bind -N 'Split window horizontally (changed)' %
unbind -T copy-mode-vi v
unbind -n MouseDrag1Border
unbind C-b
unbind -a -T copy-mode
bind -T copy-mode q send-keys -X cancel
bind -n M-MouseDown3Pane display-message menu
"""

SEQUENCES = [
    ["list-keys"], ["list-keys", "-N"], ["list-keys", "-N", "-a"],
    ["list-keys", "-T", "prefix"], ["list-keys", "-T", "mytable"],
    ["list-keys", "-T", "root"], ["list-keys", "-N", "-T", "mytable"],
    ["list-keys", "-N", "-a", "-T", "copy-mode"], ["list-keys", "-N", "-P", "> "],
    ["list-keys", "b"], ["list-keys", "-T", "prefix", "M-z"], ["list-keys", "zz"],
    ["list-keys", "-T", "nope"], ["list-keys", "-N", "-1"], ["list-keys", "-1", "-T", "root"],
    # -N with a key that has no note, or a table that does not exist: tmux's errors
    ["list-keys", "-N", "b"], ["list-keys", "-1N", "C-M-x"], ["list-keys", "-N", "%"],
    ["list-keys", "-N", "-T", "root", "F5"], ["list-keys", "-Na", "-T", "root", "F5"],
    ["list-keys", "-N", "-T", "nope"], ["list-keys", "-N", "-T", "nope", "a"],
    ["unbind", "-T", "nope", "x"], ["unbind", "-q", "-T", "nope", "x"], ["unbind", "Nope"],
    ["unbind", "-a", "x"], ["unbind"], ["bind", "Nope", "kill-server"],
]


@pytest.mark.fake_pty
def test_bindings_match_live_tmux(both, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    server, tmux = both
    config = tmp_path / "keys.conf"
    config.write_text(CONFIG)
    code, _out, err = tmux.run("source-file", str(config))
    assert code == 0, err
    server.ok("source-file", str(config))
    for args in SEQUENCES:
        code, out, err = tmux.run(*args)
        ours = server.run(*args)
        assert (ours.code != 0, ours.out, ours.err.strip()) == (code != 0, out, err.strip()), \
            args


def test_send_prefix_types_prefix_and_prefix2(server) -> None:  # type: ignore[no-untyped-def]
    server.ok("new-session", "-d", "-s", "s", "-x", "80", "-y", "10", "cat -v")
    server.ok("send-prefix")
    server.ok("set", "-g", "prefix2", "C-a")
    server.ok("send-prefix", "-2")
    server.ok("set", "-g", "prefix", "None")
    server.ok("send-prefix")
    server.ok("send-keys", "Enter")
    wait_until(lambda: "^B^A" in server.capture("s"), message="prefix keys typed")
    assert "^B^A^" not in server.capture("s")
