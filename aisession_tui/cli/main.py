"""``ai-session [-L NAME | -S PATH] [-V] COMMAND [FLAGS] [ARGS]``: the CLI entry point.

Global flags come first, as in tmux. The command is looked up in the one registry
(:mod:`aisession_tui.server.commands`), its flags are parsed locally (a bad flag prints
the usage without touching a server), then argv goes to the server, which parses it again
with the same spec and runs it; a ``needs_server=False`` verb runs here instead
(:mod:`aisession_tui.cli.commands`). The reply's stdout/stderr/exit code become ours.

Inside a pane, ``AI_SESSION`` names the pane's own server, so a bare ``ai-session`` call
reaches it and ``AI_SESSION_PANE`` makes that pane "current" (like ``$TMUX`` /
``$TMUX_PANE``).

Invoked as ``tmux`` (:mod:`aisession_tui.protocol.identity`), ``-V`` answers tmux's
version with ai-session's name, ``-L`` sockets live where tmux keeps them
(``$TMUX_TMPDIR/tmux-UID``) and inside a pane ``$TMUX`` / ``$TMUX_PANE`` name the server
and the current pane. ``-C`` / ``-CC`` start a control-mode client
(:mod:`aisession_tui.cli.control_client`).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .. import __version__
from ..protocol.identity import invoked_as_tmux, tmux_version_line
from ..protocol.paths import socket_path
from ..server.commands import UnknownCommand, all_specs, find
from ..server.commands.spec import Args, CommandError, UsageError, parse_args
from .client import Client, ClientError, connect, request_cwd, request_environment, write_text

USAGE = ("usage: ai-session [-CV] [-L socket-name] [-S socket-path] [command [flags]]\n"
         "       ai-session list-commands    (every command and its usage)\n")


def _split_globals(argv: list[str]) -> tuple[dict[str, str | bool | int], list[str]]:
    """tmux's global flags, grouped or not (``-CC``, ``-uL name``), before the command."""
    options: dict[str, str | bool | int] = {}
    index = 0
    while index < len(argv):
        word = argv[index]
        if word == "--":
            index += 1
            break
        if not word.startswith("-") or word == "-":
            break
        if word in ("-h", "--help"):
            options["help"] = True
            index += 1
            continue
        if word == "--version":
            options["version"] = True
            index += 1
            continue
        position = 1
        while position < len(word):
            letter = word[position]
            position += 1
            if letter in ("L", "S", "f", "c", "T"):
                if position < len(word):
                    value = word[position:]
                elif index + 1 < len(argv):
                    index += 1
                    value = argv[index]
                else:
                    raise UsageError(f"-{letter} expects an argument", "")
                options[letter] = value
                break
            if letter == "V":
                options["version"] = True
            elif letter == "C":
                options["control"] = int(options.get("control", 0)) + 1
            elif letter in ("u", "2", "v", "D", "N", "l", "U", "q"):
                pass  # accepted for tmux compatibility; they change nothing here
            else:
                raise UsageError(f"unknown option -- {letter}", "")
        index += 1
    return options, argv[index:]


def resolve_socket(options: dict[str, str | bool | int], as_tmux: bool = False) -> Path:
    """``-S`` / ``-L``, else the server of the pane we run in, else the default socket
    (tmux's socket directory when invoked as ``tmux``)."""
    if options.get("S") or options.get("L"):
        return socket_path(str(options.get("L") or "") or None,
                           str(options.get("S") or "") or None, as_tmux=as_tmux)
    inside = os.environ.get("AI_SESSION", "")
    if inside:
        return Path(inside.split(",", 1)[0])
    return socket_path(as_tmux=as_tmux)


def client_pane_for(path: Path) -> str | None:
    """The pane we run in when it belongs to the server at ``path`` (``$TMUX_PANE`` /
    ``$AI_SESSION_PANE``), else None."""
    for server_var, pane_var in (("AI_SESSION", "AI_SESSION_PANE"), ("TMUX", "TMUX_PANE")):
        inside = os.environ.get(server_var, "").split(",", 1)[0]
        if inside and inside == str(path) and os.environ.get(pane_var):
            return os.environ[pane_var]
    return None


def main(argv: list[str] | None = None) -> int:
    """Run one CLI invocation; returns (and exits with) the exit code."""
    as_tmux = argv is None and invoked_as_tmux(sys.argv[0])
    code = run(sys.argv[1:] if argv is None else argv, as_tmux=as_tmux)
    if argv is None:
        sys.exit(code)
    return code


def run(argv: list[str], *, as_tmux: bool = False) -> int:
    """The CLI without ``sys.exit``: print, return the exit code (``as_tmux``: invoked
    as ``tmux``, see the module docstring)."""
    program = "tmux" if as_tmux else "ai-session"
    try:
        options, words = _split_globals(argv)
    except UsageError as exc:
        sys.stderr.write(f"{program}: {exc.message}\n{USAGE}")
        return 1
    if options.get("version"):
        sys.stdout.write(f"{tmux_version_line() if as_tmux else 'ai-session ' + __version__}\n")
        return 0
    if options.get("help"):
        sys.stdout.write(USAGE)
        return 0
    if not words:
        words = ["new-session"]  # like tmux: start the server, create a session, attach
    lists = [words]
    if any(word.endswith(";") for word in words):
        # Only a command list pays for the parser module (it imports dataclasses, ~10 ms).
        from ..server.cmdlang import split_arguments

        lists = split_arguments(words) or [["new-session"]]
        words = lists[0]
    try:
        spec = find(words[0])
        parse_args(spec, words[1:])
        for later in lists[1:]:
            later_spec = find(later[0])
            parse_args(later_spec, later[1:])
            if not later_spec.needs_server:
                raise UsageError(f"{later_spec.name} cannot follow another command", "")
    except UnknownCommand as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    except UsageError as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    if len(lists) > 1 and not spec.needs_server:
        sys.stderr.write(f"{spec.name} cannot be followed by another command\n")
        return 1
    attach_after = spec.name == "new-session" and not parse_args(spec, words[1:]).has("d")
    try:
        path = resolve_socket(options, as_tmux)
    except ValueError as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    if options.get("control"):
        from .control_client import run_control

        return run_control(path, words, client_pane_for(path),
                           echo=int(options["control"]) < 2)
    if attach_after:
        from .commands.attach_session import NOT_A_TERMINAL, has_terminal, nested_refusal

        refusal = nested_refusal(path)
        if refusal:
            sys.stderr.write(refusal)
            return 1
        if not has_terminal():
            sys.stderr.write(NOT_A_TERMINAL)
            return 1
        words = ["new-session", "-d", "-P", "-F", "#{session_id}", *words[1:]]
    if spec.name == "attach-session":
        code = _attach_thin(path, parse_args(spec, words[1:]))
        if code is not None:
            return code
    if not spec.needs_server:
        import asyncio

        from .commands import local_runner
        from .local import LocalContext

        runner = local_runner(spec)
        try:
            result = asyncio.run(runner(LocalContext(path), parse_args(spec, words[1:])))
        except CommandError as exc:  # as the server reports it: stderr, exit 1
            sys.stderr.write(f"{exc}\n")
            return 1
        sys.stdout.write(result.stdout)
        sys.stderr.write(result.stderr)
        return result.exit_code
    try:
        config = options.get("f")
        client = connect(path, start=spec.starts_server or any(
            find(later[0]).starts_server for later in lists[1:]),
            config_files=[str(config)] if config else None,
            renderer=attach_after and _thin())
    except ClientError as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    if attach_after:
        _warm_renderer(client)
    try:
        client_pane = client_pane_for(path)
        rest: dict[str, object] = (
            {"commands": [[spec.name, *words[1:]], *lists[1:]]} if len(lists) > 1 else {})
        if reads_stdin([[spec.name, *words[1:]], *lists[1:]]):
            send_stdin(client)
            rest["stdin"] = True
        result = client.request("command", {
            **rest, "argv": [spec.name, *words[1:]], "cwd": request_cwd(),
            "env": request_environment([spec.name, *(find(later[0]).name
                                                     for later in lists[1:])]),
            "client_pane": client_pane})
    except ClientError as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        client.close()
    if attach_after and int(result.get("exit_code", 0)) == 0:
        created = result.get("stdout", "").split("\n", 1)[0].strip()
        parsed = parse_args(spec, words[1:])
        return _attach(path, created or parsed.get("s"), str(parsed.get("f") or ""),
                       paint_at_once=client.started_server)
    write_text(sys.stdout, result.get("stdout", ""))
    write_text(sys.stderr, result.get("stderr", ""))
    return int(result.get("exit_code", 0))


STDIN_READERS = ("load-buffer", "source-file")
"""Commands whose path ``-`` is the client's standard input, as in tmux."""
STDIN_PIECE = 1024 * 1024
"""Bytes of standard input per ``stdin`` request (well under a frame once in JSON)."""


def reads_stdin(lists: list[list[str]]) -> bool:
    """Whether a command of ``lists`` reads the client's standard input (its path is -)."""
    for argv in lists:
        try:
            spec = find(argv[0])
            if spec.name in STDIN_READERS and "-" in parse_args(spec, argv[1:]).positional:
                return True
        except (UnknownCommand, UsageError):
            continue  # the server reports it
    return False


def send_stdin(client: Client) -> None:
    """Stream standard input to the server in pieces, before the command that reads it
    (bytes that are not UTF-8 travel as surrogates, as arguments do)."""
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
    stream = sys.stdin.buffer if sys.stdin is not None else None
    while stream is not None:
        piece = stream.read(STDIN_PIECE)
        text = decoder.decode(piece, final=not piece)
        if text:
            client.request("stdin", {"data": text})
        if not piece:
            break


def _attach_thin(path: Path, args: Args) -> int | None:
    """``attach-session`` through a renderer (cli/thin_attach.py); None: run it here."""
    from .commands.attach_session import attach_thin, requested_flags

    target = args.get("t") or (args.positional[0] if args.positional else None)
    return attach_thin(path, target, detach_others=args.has("d"), flags=requested_flags(args),
                       directory=str(args.get("c") or ""))


def _thin() -> bool:
    from .thin_attach import thin_enabled

    return thin_enabled()


def _warm_renderer(client: Client) -> None:
    """Have the server start its renderer zygote while the session is being made."""
    if _thin():
        try:
            client.request("renderer", {})
        except ClientError:
            pass  # an older server: the client then runs in this process


def _attach(path: Path, target: str | None, flags: str = "", *,
            paint_at_once: bool = False) -> int:
    """Attach the terminal to ``target`` (after ``new-session`` without ``-d``) with
    ``-f``'s client flags (``paint_at_once``: this process started the server, so its
    renderer is still starting: the server paints the session meanwhile at once)."""
    from .commands.attach_session import attach_thin

    code = attach_thin(path, target, flags=flags, paint_at_once=paint_at_once)
    if code is not None:
        return code
    return attach_in_process(path, target, flags)


def attach_in_process(path: Path, target: str | None, flags: str = "") -> int:
    """Attach the terminal to ``target`` with the Textual client in this process (no
    renderer: ``AI_SESSION_THIN=0``, or the server has none)."""
    import asyncio

    from .commands.attach_session import attach

    result = asyncio.run(attach(path, target, flags=flags))
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    return result.exit_code


__all__ = ["all_specs", "main", "run"]
