"""The server started before the full CLI's imports (aisession_tui/cli/server_start.py).

A command that starts a server has it spawned by the fast path, so the server's imports
run beside the CLI's; the full CLI then takes that start. What the user sees must not
change: a refused command leaves no server (as tmux starts none), a start the full CLI
did not take is stopped, and a taken one is the only server started.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import wait_until

from aisession_tui.cli import fast, server_start
from aisession_tui.server.commands import all_specs, find
from aisession_tui.server.commands.spec import UsageError, parse_args


def test_the_verbs_started_early_are_commands_that_start_a_server():
    for verb in server_start.STARTS_SERVER:
        assert find(verb).starts_server, verb
    assert {find(verb).name for verb in server_start.STARTS_SERVER} == {
        "new-session", "start-server"}
    starting = {spec.name for spec in all_specs() if spec.starts_server}
    assert {"new-session", "start-server"} <= starting


def test_new_session_flags_are_the_registry_specs():
    flags = find("new-session").flags
    assert set(fast.NEW_SESSION_FLAGS) == {
        letter for index, letter in enumerate(flags)
        if letter != ":" and flags[index + 1:index + 2] != ":"}


@pytest.mark.parametrize("words", [
    [], ["-d"], ["-s", "x"], ["-sx", "-d"], ["-Ad", "cat"], ["-Z"], ["-s"], ["-dZ"],
    ["--", "-Z"], ["cat", "-Z"], ["-", "-Z"], ["-e", "A=1", "-d"], ["-x", "10", "-y"],
    ["-PF", "#{x}", "-d"], ["--long"], ["-s", "x", "--", "cat"], ["-E", "-X", "-D"],
    ["-s", "a", "-sb"], ["-fread-only", "-s", "x"], ["-f", "", "-A"], ["-t", "g", "-c", "/"],
])
def test_the_early_reading_of_new_session_agrees_with_the_registry(words):
    """Where the early reading says anything, the registry's parser accepts the words and
    agrees about -d; where the parser refuses them, the early reading says nothing."""
    spec = find("new-session")
    early = server_start.read_new_session(words)
    try:
        parsed = parse_args(spec, words)
    except UsageError:
        assert early is None
        return
    if early is not None:
        assert ("d" in early) == parsed.has("d")
        for letter, value in early.items():
            boolean = letter in fast.NEW_SESSION_FLAGS
            assert parsed.get(letter) == (True if boolean else value), letter


def _env(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "ais-home"
    home.mkdir(mode=0o700, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AI_SESSION", "TMUX"))}
    env.update(AI_SESSION_HOME=str(home), HOME=str(tmp_path), SHELL="/bin/sh")
    return env


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "aisession_tui.cli", *args], env=env,
                          capture_output=True, text=True, timeout=60, check=False)


def _socket(env: dict[str, str], name: str) -> str:
    base = env.get("AI_SESSION_TMPDIR") or "/tmp"
    return f"{base}/ai-session-{os.getuid()}/{name}"


def _servers(socket: str) -> list[int]:
    """Processes running a server (or its zygote) for ``socket``."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                words = Path(f"/proc/{entry}/cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if socket.encode() in words:
                found.append(int(entry))
    return found


def test_a_refused_new_session_leaves_no_server(tmp_path):
    env = _env(tmp_path)
    name = f"early{os.getpid()}x{tmp_path.name[-6:]}"
    done = _cli(env, "-L", name, "new-session", "-Z")
    assert done.returncode == 1 and "-Z" in done.stderr
    assert _cli(env, "-L", name, "has-session").returncode == 1
    assert not _servers(_socket(env, name))
    assert not (Path(env["AI_SESSION_HOME"]) / "logs").exists()  # never started


STARTER = """
import sys
from aisession_tui.cli import fast, server_start
from aisession_tui.cli.main import run
argv = sys.argv[1:]
print(server_start.start_early(argv, as_tmux=False))
try:
    code = run(argv) if {run_cli} else 0
finally:
    server_start.discard_early()
sys.exit(code)
"""


def _start_early(env: dict[str, str], run_cli: bool,
                 *argv: str) -> subprocess.CompletedProcess[str]:
    """``start_early``, then the full CLI (``run_cli``) or not, then ``discard_early``."""
    return subprocess.run([sys.executable, "-c", STARTER.format(run_cli=run_cli), *argv],
                          env=env, capture_output=True, text=True, timeout=60, check=False)


def test_an_early_start_nobody_takes_is_stopped(tmp_path):
    env = _env(tmp_path)
    name = f"early{os.getpid()}y{tmp_path.name[-6:]}"
    done = _start_early(env, False, "-L", name, "new-session", "-d", "-s", "x")
    assert done.stdout.split() == ["True"], done.stderr
    socket = _socket(env, name)
    wait_until(lambda: not _servers(socket), message="the unused server's end")
    assert _cli(env, "-L", name, "has-session").returncode == 1
    log = Path(env["AI_SESSION_HOME"]) / "logs" / f"server-{name}.log"
    assert "listening on" in log.read_text()  # it did start, and went


def test_the_full_cli_takes_the_early_start(tmp_path):
    env = {**_env(tmp_path), "EARLY_MARK": "1"}
    name = f"early{os.getpid()}z{tmp_path.name[-6:]}"
    try:
        done = _start_early(env, True, "-L", name, "new-session", "-d", "-s", "x")
        assert (done.returncode, done.stdout.split()) == (0, ["True"]), done.stderr
        assert _cli(env, "-L", name, "has-session", "-t", "x").returncode == 0
        log = Path(env["AI_SESSION_HOME"]) / "logs" / f"server-{name}.log"
        assert log.read_text().count("listening on") == 1  # one server started, not two
        # started as subprocess.Popen(start_new_session=True, stdin/stdout /dev/null,
        # stderr the log) started it, with the CLI's environment
        pid = int(log.read_text().split("(pid ", 1)[1].split(")", 1)[0])
        assert os.readlink(f"/proc/{pid}/fd/0") == os.readlink(f"/proc/{pid}/fd/1") \
            == "/dev/null"
        assert os.readlink(f"/proc/{pid}/fd/2") == str(log)
        assert os.getsid(pid) != os.getsid(0)
        environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        assert b"EARLY_MARK=1" in environ
        # a server answers now: nothing is started early
        again = _start_early(env, True, "-L", name, "new-session", "-d", "-s", "y")
        assert (again.returncode, again.stdout.split()) == (0, ["False"]), again.stderr
    finally:
        _cli(env, "-L", name, "kill-server")
        socket = _socket(env, name)
        wait_until(lambda: not _servers(socket), message="the server's end")


@pytest.mark.parametrize("argv", [
    ["new-session", "-Z"], ["new-session", "--bogus"], ["has-session"], ["new-session;"],
    ["-V"], ["-C", "new-session"], ["start-server", "x"], ["new-session", "-s"],
    ["new-session", "-s", "x"],  # attaching, but no terminal: the full CLI refuses
])
def test_nothing_is_started_early_for(tmp_path, monkeypatch, argv):
    monkeypatch.setenv("AI_SESSION_TMPDIR", str(tmp_path))
    monkeypatch.delenv("AI_SESSION", raising=False)
    monkeypatch.setattr(server_start, "spawn", lambda *a, **k: pytest.fail("spawned"))
    stdin, stdout = os.open("/dev/null", os.O_RDONLY), os.open("/dev/null", os.O_WRONLY)
    saved = os.dup(0), os.dup(1)
    os.dup2(stdin, 0)
    os.dup2(stdout, 1)
    try:
        assert server_start.start_early(["-L", "nobody", *argv], as_tmux=False) is False
    finally:
        os.dup2(saved[0], 0)
        os.dup2(saved[1], 1)
        for fd in (stdin, stdout, *saved):
            os.close(fd)


@pytest.mark.parametrize("spelling", ["{home}", "{home}/", "{home}//./"])
@pytest.mark.parametrize("logs", [0o700, 0o500, None])
def test_a_private_home_gives_the_log_without_protocol_paths(tmp_path, monkeypatch, spelling,
                                                             logs):
    """The quick check (posix calls only) opens the log that log_path names, its
    directory made 0700 as private_file makes it, and only where secure_home would
    change nothing (so it would print no notice)."""
    from aisession_tui.protocol.paths import log_path, secure_home

    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    home.chmod(0o700)
    if logs is not None:
        (home / "logs").mkdir()
        (home / "logs").chmod(logs)
    (home / "ai-session.db").write_bytes(b"")
    (home / "ai-session.db").chmod(0o600)
    monkeypatch.setenv("AI_SESSION_HOME", spelling.format(home=home))
    socket = "/tmp/ai-session-0/name"
    found = server_start._private_log(socket)
    assert found is not None
    os.close(found[0])
    assert found[1] == str(log_path(Path(socket)))
    assert Path(found[1]).stat().st_mode & 0o7777 == 0o600
    assert (home / "logs").stat().st_mode & 0o7777 == 0o700
    assert secure_home() == []


@pytest.mark.parametrize("loosen", ["home", "file", "subdirectory", "no home", "a link"])
def test_a_home_to_tighten_is_left_to_secure_home(tmp_path, monkeypatch, loosen):
    from aisession_tui.protocol.paths import secure_home

    home = tmp_path / "home"
    (home / "logs").mkdir(mode=0o700, parents=True)
    (home / "shim").mkdir(mode=0o700)
    home.chmod(0o700)
    if loosen == "home":
        home.chmod(0o755)
    elif loosen == "file":
        (home / "shim" / "tmux").write_text("")
        (home / "shim" / "tmux").chmod(0o644)
    elif loosen == "subdirectory":
        (home / "shim").chmod(0o750)
    elif loosen == "no home":
        home = tmp_path / "missing"  # secure_home makes it
    else:
        (tmp_path / "link").symlink_to(home)
        home = tmp_path / "link"
    monkeypatch.setenv("AI_SESSION_HOME", str(home))
    assert server_start._private_log("/tmp/ai-session-0/name") is None
    if loosen in ("home", "file", "subdirectory"):
        assert secure_home()  # it has something to say: the notices come from it


def test_clients_starting_the_same_server_at_once_start_one(tmp_path):
    """Three ``new-session -d`` started together with no server: one server starts (the
    start lock), all three sessions are on it, and no lock file is left."""
    from aisession_tui.protocol.paths import ensure_socket_dir

    env = _env(tmp_path)
    name = f"early{os.getpid()}r{tmp_path.name[-6:]}"
    socket = _socket(env, name)
    ensure_socket_dir(Path(socket))  # (a first start ever goes unlocked, as tmux's)
    try:
        clients = [subprocess.Popen(
            [sys.executable, "-m", "aisession_tui.cli", "-L", name, "new-session", "-d",
             "-s", f"s{index}"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for index in range(3)]
        for client in clients:
            _, err = client.communicate(timeout=60)
            assert client.returncode == 0, err
        listed = _cli(env, "-L", name, "list-sessions", "-F", "#{session_name}")
        assert sorted(listed.stdout.split()) == ["s0", "s1", "s2"]
        log = Path(env["AI_SESSION_HOME"]) / "logs" / f"server-{name}.log"
        assert log.read_text().count("listening on") == 1
        assert not Path(f"{socket}.lock").exists()
    finally:
        _cli(env, "-L", name, "kill-server")
        wait_until(lambda: not _servers(socket), message="the servers' end")
