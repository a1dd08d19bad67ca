"""A result larger than one protocol frame (16 MiB) reaches the CLI whole, streamed in
pieces, as tmux prints it: ``load-buffer`` of a 20 MB file, then ``show-buffer``."""

from __future__ import annotations

import hashlib
import subprocess

from aisession_tui import protocol


def test_show_buffer_of_a_buffer_larger_than_a_frame_matches_tmux(server, live_tmux, tmp_path):
    line = "0123456789abcdefghijklmnopqrstuvwxyz-é-" * 3 + "\n"
    big = tmp_path / "big.txt"
    big.write_text(line * (protocol.MAX_FRAME // len(line.encode()) + 20000))
    assert big.stat().st_size > protocol.MAX_FRAME
    server.ok("new-session", "-d", "-s", "s")
    server.ok("load-buffer", str(big))
    ours = subprocess.run(
        [*_cli(server), "show-buffer"], env=server.env, capture_output=True, timeout=120)
    assert ours.returncode == 0, ours.stderr
    live_tmux.run("new-session", "-d", "-s", "s")
    assert live_tmux.run("load-buffer", str(big))[0] == 0
    theirs = subprocess.run([*live_tmux.base, "show-buffer"], env=live_tmux.env,
                            capture_output=True, timeout=120)
    assert theirs.returncode == 0
    assert len(ours.stdout) == len(theirs.stdout) == big.stat().st_size
    assert hashlib.sha256(ours.stdout).digest() == hashlib.sha256(theirs.stdout).digest()
    # The server still serves afterwards.
    assert server.ok("display-message", "-p", "#{session_name}") == "s\n"


def _cli(server) -> list[str]:
    import sys

    return [sys.executable, "-m", "aisession_tui.cli", "-L", server.name]


def test_stdin_streams_to_load_buffer_and_source_file_as_in_tmux(server, live_tmux, tmp_path):
    """``load-buffer -`` and ``source-file -`` read the client's standard input: here more
    than a frame's worth, with a byte that is not UTF-8, and a file with a parse error."""
    data = b"a\xffb\n" * (protocol.MAX_FRAME // 4 + 1000)
    config = b"set -g @x 5\nset -g @y 1 2 3\n"
    server.ok("new-session", "-d", "-s", "s")
    live_tmux.run("new-session", "-d", "-s", "s")
    outputs = []
    for base, env in ((_cli(server), server.env), (live_tmux.base, live_tmux.env)):
        def run(*args: str, stdin: bytes = b"", base=base, env=env):
            done = subprocess.run([*base, *args], env=env, input=stdin, capture_output=True,
                                  timeout=120)
            return done.returncode, done.stdout, done.stderr

        loaded = run("load-buffer", "-b", "big", "-", stdin=data)
        saved = run("save-buffer", "-b", "big", "-")
        sourced = run("source-file", "-", stdin=config)
        outputs.append((loaded, hashlib.sha256(saved[1]).hexdigest(), len(saved[1]), sourced,
                        run("show", "-gv", "@x")))
    ours, theirs = outputs
    assert ours == theirs
    assert ours[2] == len(data) and ours[3][0] == 1  # the parse error ran nothing
