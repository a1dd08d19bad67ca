"""A cold attaching ``new-session`` without the full CLI: the fast path's own requests.

When no server runs, ``ai-session new -s s`` (``new-session`` without ``-d``, or no
command at all) starts one (:mod:`.server_start`, before anything else), makes the session
and attaches. The full CLI (:mod:`.main`) did that after importing the command registry
(~20-30 ms of CPU on a machine whose two cores are busy with the server's and the
renderer zygote's imports); everything it does for this command is a few requests, made
here the same way with the fast path's framing (:mod:`.fast`), then the thin client
(:mod:`.thin_attach`, standard library only):

1. wait for the server started early to say ``ready`` (``server failed to start on PATH
   (see LOG)`` when it did not and no other answers; ``no server running on PATH``);
2. on one connection: ``hello``; ``renderer`` (the server starts its zygote; an error is
   ignored, as the full CLI's ``_warm_renderer`` does); ``command`` with
   ``new-session -d -P -F #{session_id} WORDS...``, the cwd and the whole environment (a
   new session's panes get it), no client pane (inside one of this server's panes the
   early start did not happen: the full CLI refuses that);
3. a failed command prints its stdout and stderr and exits with its code; else the thin
   client attaches to the new session's id (``-s``'s name when none came back) with
   ``-f``'s client flags, the server painting at once (its zygote was just started).

Everything else - the flags, ``-A``, ``-t`` groups, ``-c``, ``-e``, ``-E``, ``-x``/``-y``,
hooks, the error texts - is the server's, which parses the same argv with the same spec:
this is only taken for words the registry's parser accepts (:func:`.server_start.
read_new_session`), with a terminal, not nested, and the thin client on. A server with no
renderer (the thin client declines) leaves the attach to the full CLI's in-process client.
"""

import sys

from .fast import _connect, _cwd, _environ, _Failure, _hello, _Reader, _request
from .server_start import Starting

TYPE_CHECKING = False  # not typing's: one module less to import
if TYPE_CHECKING:
    from collections.abc import Callable


def run(starting: Starting, words: list[str], client_flags: str, session_name: str | None,
        *, before_full_cli: "Callable[[], object]") -> int:
    """Serve the command (``words``: ``new-session`` and its flags and arguments): the
    exit code. ``before_full_cli`` runs before the full CLI's in-process client is
    imported (``site``, when the launcher left it out), should that client be needed."""
    path = str(starting.path)
    if not starting.wait().startswith(b"ready"):
        # another client may have started it at the same moment: that is fine
        probe = _connect(path)
        if probe is None:
            sys.stderr.write(f"server failed to start on {path} (see {starting.logfile})\n")
            return 1
        probe.close()
    sock = _connect(path)
    if sock is None:
        sys.stderr.write(f"no server running on {path}\n")
        return 1
    argv = ["new-session", "-d", "-P", "-F", "#{session_id}", *words[1:]]
    try:
        try:
            sock.sendall(
                _hello() + _request(2, "renderer", {})
                + _request(3, "command", {"argv": argv, "cwd": _cwd(),
                                          "env": dict(_environ()), "client_pane": None}))
        except OSError:
            pass  # the server closed: the reader gives its reason (refused) or EOF's
        reader = _Reader(sock)
        reader.result(1)
        try:
            reader.result(2)
        except _Failure:
            pass  # as the full CLI's _warm_renderer: the attach asks again
        result = reader.result(3)
    except _Failure as failure:
        sys.stderr.write(f"{failure}\n")
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        sock.close()
    if not isinstance(result, dict):
        result = {}
    code = int(result.get("exit_code", 0))
    if code:
        from .fast import _write_text

        _write_text(sys.stdout, result.get("stdout", ""))
        _write_text(sys.stderr, result.get("stderr", ""))
        return code
    created = str(result.get("stdout", "")).split("\n", 1)[0].strip()
    from .thin_attach import attach

    target = created or session_name
    code = attach(path, target, flags=client_flags, paint_at_once=True)
    if code is not None:
        return code
    before_full_cli()
    from pathlib import Path

    from .main import attach_in_process

    return attach_in_process(Path(path), target, client_flags)
