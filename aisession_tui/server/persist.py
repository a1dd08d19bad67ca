"""Resurrection: sessions come back after the server dies (crash, ``kill -9``,
``kill-server``, reboot).

What is kept, per server socket, in the store's ``resurrect`` table (one row, replaced):
each session's name, cwd and current window; each window's index, name, layout string and
active pane; each pane's cwd, the command it was running (when it was not the shell) and
its scrollback (history and screen, wrapped lines joined); a session group's later
members keep only their name, group and current window, and come back as members of the
group again (sharing the first member's windows). Each text is redacted (the
command records' redactor), then the JSON snapshot is zstd-compressed, on the store's
writer thread.

When: a timer looks every :data:`SAVE_INTERVAL` seconds whether anything changed (the
structure, or a pane's last output time) and saves then, so a flood of output costs at
most one snapshot per interval; a final one is taken before ``kill-server``.

On the next start (the store open, before the socket listens) the previous sessions are
made again: same names, windows, layouts, cwds and AI budgets; each pane shows its old
scrollback above a fresh shell and gets its AI context back (each pane's run and id are
kept, ``on_pane_restored`` hands them to the AI layer, which rebuilds it from the store); a program other than the shell is typed at the prompt, ready to run
again on Enter, never run. ``@resurrect off`` (a user option; on when unset) stops saving
and restoring; ``kill-server -C`` clears what was kept.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from .engine import Engine
    from .options import Options
    from .pane import Pane
    from .registry import Session
    from .store_handle import StoreHandle

log = logging.getLogger(__name__)

SAVE_INTERVAL = 2.0
OPTION = "@resurrect"
SHELLS = {"bash", "zsh", "sh", "dash", "fish", "ksh", "tcsh", "csh"}


def enabled(options: Options) -> bool:
    """``@resurrect`` unset or anything but off/0/no/false means on."""
    try:
        value = options.get(OPTION)
    except Exception:  # noqa: BLE001 - an unknown user option reads as unset
        value = None
    return str(value or "on").strip().lower() not in ("off", "0", "no", "false")


def pane_program(pane: Pane) -> str | None:
    """The command line of the pane's foreground program, None when it is the shell."""
    if pane.dead or pane.killed:
        return None
    try:
        group = os.tcgetpgrp(pane.backend.fd)
        raw = Path(f"/proc/{group}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return None
    words = [w.decode("utf-8", "surrogateescape") for w in raw if w]
    if not words or group == pane.pid or Path(words[0]).name.lstrip("-") in SHELLS:
        return None
    import shlex

    return shlex.join(words)


_HISTORY_MARK = f"\x00ai-session-history-{os.getpid()}-{{}}\x00"


def _history_mark(index: int) -> str:
    """What a snapshot's data holds in place of pane ``index``'s compressed scrollback (NUL
    never occurs in a name or a path the server accepts)."""
    return _HISTORY_MARK.format(index)


class _ScrollbackLater:
    """A pane's scrollback (history and screen, wrapped lines joined, trailing blank lines
    dropped), called on the store's writer thread: the screen is read now, the history is
    a frozen view whose decoding and formatting wait for the call (tens of milliseconds
    for a 10,000-line history, off the event loop). An object of one slot, not a closure:
    a snapshot holds one a pane until the writer gets to it."""

    __slots__ = ("render",)

    def __init__(self, pane: Pane) -> None:
        self.render = pane.emulator.capture_later("-", None, join_wrapped=True)

    def __call__(self) -> str:
        lines = self.render()
        while lines and not lines[-1].strip():
            lines.pop()
        return "\n".join(lines)


class _SavedPane:
    """A pane of a snapshot, made into its JSON object only as the store's writer encodes
    it (:meth:`saved`): a snapshot holds one per pane until it is written, and two dicts a
    pane (the pane's and its context's) were ~600 bytes, freed between the objects of the
    panes made meanwhile."""

    __slots__ = ("cwd", "program", "active", "scrollback", "run_id", "pane_id")

    def __init__(self, cwd: str, program: str | None, active: bool, scrollback: str | int,
                 run_id: Any, pane_id: int) -> None:
        self.cwd = cwd
        self.program = program
        self.active = active
        self.scrollback = scrollback
        """The text, or the index of its history (rendered on the writer; the JSON holds
        its :func:`_history_mark` until then)."""
        self.run_id = run_id
        self.pane_id = pane_id

    def saved(self) -> dict[str, Any]:
        return {"cwd": self.cwd, "program": self.program, "active": self.active,
                "scrollback": (_history_mark(self.scrollback)
                               if isinstance(self.scrollback, int) else self.scrollback),
                "context": {"run_id": self.run_id, "pane_id": self.pane_id}}


class _SavedWindow:
    """A window of a snapshot, made into its JSON object as the writer encodes it (as
    :class:`_SavedPane`)."""

    __slots__ = ("index", "name", "automatic_rename", "layout", "width", "height",
                 "current", "panes")

    def __init__(self, index: int, name: str, automatic_rename: bool, layout: str,
                 width: int, height: int, current: bool, panes: list[_SavedPane]) -> None:
        self.index = index
        self.name = name
        self.automatic_rename = automatic_rename
        self.layout = layout
        self.width = width
        self.height = height
        self.current = current
        self.panes = panes

    def saved(self) -> dict[str, Any]:
        return {"index": self.index, "name": self.name,
                "automatic_rename": self.automatic_rename, "layout": self.layout,
                "width": self.width, "height": self.height, "current": self.current,
                "panes": self.panes}


def _pack_snapshot(data: dict[str, Any],
                   histories: list[Callable[[], str]] | None = None) -> bytes:
    """The stored form of a snapshot: every text redacted, the JSON redacted and packed.

    Runs on the store's writer thread, one pane at a time: the JSON is encoded piece by
    piece (``iterencode``: never the whole text, nor the encoder's list of every piece,
    which for 100 panes left ~5 KB a pane of freed small objects between the server's
    live ones) into one zstd stream, each scrollback (a function :meth:`snapshot` left)
    rendered, redacted, JSON-quoted and redacted again (as the whole JSON was) only when
    its turn comes, so a snapshot never holds more than one pane's history as text. The
    pieces split the JSON only around whole string values, which no pattern of the
    redactor crosses. ``data`` is emptied on the way; a write the disk refused is retried
    with the packed blob."""
    from ..ai.redact import redact
    from ..store.db import compress_stream
    from .limits import trim_memory

    for saved_session in data["sessions"]:
        for saved_window in saved_session.get("windows", ()):
            panes = (saved_window.panes if isinstance(saved_window, _SavedWindow)
                     else saved_window["panes"])
            for saved_pane in panes:
                if isinstance(saved_pane, _SavedPane):
                    if isinstance(saved_pane.scrollback, str):
                        saved_pane.scrollback = redact(saved_pane.scrollback)
                    if saved_pane.program:
                        saved_pane.program = redact(saved_pane.program)
                    continue
                if histories is None:
                    saved_pane["scrollback"] = redact(saved_pane["scrollback"])
                if saved_pane["program"]:
                    saved_pane["program"] = redact(saved_pane["program"])
    stream = compress_stream()
    chunks: list[bytes] = []

    def put(piece: str) -> None:
        chunks.append(stream.compress(redact(piece).encode("utf-8", "replace")))

    def mark(index: int) -> str | None:
        """The JSON string that stands for history ``index`` (None: no more)."""
        if histories is None or index >= len(histories):
            return None
        return json.dumps(_history_mark(index), ensure_ascii=False)

    index = 0
    next_mark = mark(0)
    since: list[str] = []
    """The JSON encoded since the last history (an encoded string is never split)."""
    def saved(entry: object) -> dict[str, Any]:
        if isinstance(entry, _SavedPane | _SavedWindow):
            return entry.saved()
        raise TypeError(f"{type(entry).__name__} is not part of a snapshot")

    for piece in json.JSONEncoder(ensure_ascii=False, default=saved).iterencode(data):
        while next_mark is not None and (found := piece.find(next_mark)) >= 0:
            assert histories is not None
            since.append(piece[:found])
            put("".join(since))
            since.clear()
            history = histories[index]()
            histories[index] = str  # let go of the frozen view as soon as it is written
            put(json.dumps(redact(history), ensure_ascii=False))
            del history
            piece = piece[found + len(next_mark):]
            index += 1
            next_mark = mark(index)
        since.append(piece)
    put("".join(since))
    since.clear()
    data.clear()
    chunks.append(stream.flush())
    blob = b"".join(chunks)
    chunks.clear()
    trim_memory()
    return blob


class Persister:
    """Keeps the snapshot up to date and restores it at start."""

    def __init__(self, engine: Engine, store: StoreHandle, socket_path: Path) -> None:
        self.engine = engine
        self.store = store
        self.key = str(socket_path)
        self.installed = False
        """Set by the daemon once the config is read: from then on a ``kill-server``
        takes the final snapshot."""
        self._signature: int | None = None
        self._writing = False
        """A snapshot is queued or being written (set on the loop, cleared by the store's
        writer thread once it is stored)."""
        self._timer: asyncio.TimerHandle | None = None
        self.stopped = False
        self.on_pane_restored: Callable[[Session, Pane, dict[str, Any]], None] | None = None
        """Told of each restored pane with its saved ``context`` ({run_id, pane_id})."""

    # -------------------------------------------------------------- saving
    def start(self) -> None:
        """Begin watching for changes (call on the loop)."""
        self._timer = asyncio.get_running_loop().call_later(SAVE_INTERVAL, self._tick)

    def _tick(self) -> None:
        if self.stopped:
            return
        try:
            self.save()
        except Exception:
            log.exception("saving the sessions for resurrection failed")
        self._timer = asyncio.get_running_loop().call_later(SAVE_INTERVAL, self._tick)

    def _structure(self) -> int:
        """A hash of what snapshots change with (sessions, windows, layouts, panes and
        their last output); kept between ticks instead of the structure itself (~300
        bytes a pane). Equal hashes count as no change: a collision (1 in 2**64) would
        leave that one change unsaved until the next."""
        registry = self.engine.registry
        return hash(tuple((s.name, s.current_index,
                           tuple((w.index, w.name, w.layout.to_string(), w.active_pane,
                                  tuple((p.id, p.last_output) for p in w.ordered_panes()))
                                 for w in s.ordered_windows()))
                          for s in registry.sessions.values()))

    def snapshot(self, histories: list[Callable[[], str]] | None = None) -> dict[str, Any]:
        """The sessions as data (windows and panes as entries only :func:`_pack_snapshot`
        encodes: :class:`_SavedWindow`, :class:`_SavedPane`). With ``histories``, each pane's scrollback goes there as a
        function that renders it later (in pane order; see :class:`_ScrollbackLater`) and
        the data holds :func:`_history_mark` in its place (see :func:`_pack_snapshot`);
        else the data holds the text, rendered now."""
        sessions: list[dict[str, Any]] = []
        groups_seen: set[str] = set()
        for session in self.engine.registry.sessions.values():
            if session.group is not None and session.group in groups_seen:
                # a later member of a group: its windows are the first member's
                sessions.append({"name": session.name, "cwd": session.cwd,
                                 "group": session.group, "current": session.current_index})
                continue
            windows: list[_SavedWindow] = []
            for window in session.ordered_windows():
                panes: list[_SavedPane] = []
                for pane in window.ordered_panes():
                    if pane.dead or pane.killed:
                        continue
                    later = _ScrollbackLater(pane)
                    if histories is not None:
                        histories.append(later)
                        scrollback: str | int = len(histories) - 1
                    else:
                        scrollback = later()
                    panes.append(_SavedPane(pane.current_path(), pane_program(pane),
                                            pane.id == window.active_pane, scrollback,
                                            self.store.run_id, pane.id))
                if panes:
                    windows.append(_SavedWindow(window.index, window.name,
                                                window.automatic_rename,
                                                window.layout.to_string(),
                                                window.layout.width, window.layout.height,
                                                window.index == session.current_index,
                                                panes))
            if windows:
                sessions.append({"name": session.name, "cwd": session.cwd,
                                 "ai_context": session.ai_context,
                                 "max_tokens": session.max_tokens, "windows": windows,
                                 "group": session.group})
                if session.group is not None:
                    groups_seen.add(session.group)
        return {"version": 1, "saved_at": time.time(), "sessions": sessions}

    def save(self, *, force: bool = False) -> None:
        """Store a snapshot if something changed since the last one."""
        store = self.store.db
        if store is None or self.stopped or not enabled(self.engine.options):
            return
        if self._writing and not force:
            # The previous snapshot is still being redacted and written (large scrollback
            # takes seconds): this one would replace it anyway, so wait for it instead of
            # queueing snapshot after snapshot (every pane's history each time, megabytes
            # apiece). The signature is left as it was, so the next tick saves.
            return
        signature = self._structure()
        if signature == self._signature and not force:
            return
        self._signature = signature
        histories: list[Callable[[], str]] = []
        data = self.snapshot(histories)
        key, saved_at = self.key, data["saved_at"]
        packed: list[bytes] = []

        def write(connection: Any) -> None:
            if not packed:
                try:
                    packed.append(_pack_snapshot(data, histories))
                finally:
                    self._writing = False
            connection.execute("INSERT OR REPLACE INTO resurrect VALUES (?,?,?)",
                               (key, saved_at, packed[0]))

        self._writing = True
        store.submit(write)

    def final(self, *, clear: bool) -> None:
        """Before ``kill-server``: a last snapshot (or, with ``clear``, none at all)."""
        if clear:
            self.clear()
        else:
            self.save(force=True)
        self.stopped = True
        if self._timer is not None:
            self._timer.cancel()

    def clear(self) -> None:
        """Forget the kept sessions (``kill-server -C``)."""
        store, key = self.store.db, self.key
        if store is not None:
            store.call(lambda c: c.execute("DELETE FROM resurrect WHERE socket=?", (key,)))

    # ----------------------------------------------------------- restoring
    def load(self) -> dict[str, Any] | None:
        """The kept snapshot, if any."""
        store, key = self.store.db, self.key
        if store is None:
            return None
        from ..store.db import unpack

        row = store.call(lambda c: c.execute(
            "SELECT blob FROM resurrect WHERE socket=?", (key,)).fetchone())
        if row is None:
            return None
        saved: dict[str, Any] = json.loads(unpack(row[0]).decode("utf-8", "surrogateescape"))
        return saved

    def restore(self) -> int:
        """Make the kept sessions again; returns how many came back."""
        if not enabled(self.engine.options):
            return 0
        try:
            data = self.load()
        except Exception:
            log.exception("reading the kept sessions failed")
            return 0
        if not data:
            return 0
        restored = 0
        for saved in data.get("sessions", []):
            try:
                self._restore_session(saved)
                restored += 1
            except Exception:
                log.exception("restoring session %r failed", saved.get("name"))
        if restored:
            log.warning("resurrected %d session(s) saved at %s", restored,
                        time.ctime(data.get("saved_at", 0)))
        return restored

    def _restore_session(self, saved: dict[str, Any]) -> None:
        engine = self.engine
        if engine.registry.session_by_name(saved["name"]):
            return
        env = dict(os.environ)
        group = saved.get("group")
        if "windows" not in saved:  # a later member of a group: it joins the first again
            self._restore_member(saved, group, env)
            return
        windows = saved["windows"]
        first = windows[0]
        session = engine.new_session(name=saved["name"], cwd=_directory(first["panes"][0]),
                                     env=env, columns=first["width"], lines=first["height"],
                                     window_name=None, command=None,
                                     ai_context=bool(saved.get("ai_context")),
                                     max_tokens=saved.get("max_tokens"))
        base_window = session.current
        current = None
        for position, saved_window in enumerate(windows):
            if position == 0:
                window = base_window
                if window.index != saved_window["index"]:
                    session.windows.pop(window.index)
                    window.index = saved_window["index"]
                    session.windows[window.index] = window
                    session.current_index = window.index
            else:
                window = engine.new_window(session, index=saved_window["index"], name=None,
                                           cwd=_directory(saved_window["panes"][0]), env={},
                                           command=None, select=False)
            self._restore_window(session, window, saved_window)
            if saved_window.get("current"):
                current = window
        if current is not None:
            session.select_window(current)
        if group is not None:
            from .session_groups import join

            join(session, group)
        engine.registry.notify("layout", session.current)

    def _restore_member(self, saved: dict[str, Any], group: str | None,
                        env: dict[str, str]) -> None:
        """A grouped session after its group's first member: a member again, showing
        the same windows (not copies of them), at the window it was on."""
        from .session_groups import join, members

        engine = self.engine
        group_members = members(engine.registry, group) if group is not None else []
        if group is None or not group_members:
            raise ValueError(f"session {saved['name']!r}: its group {group!r} was not restored")
        session = engine.new_grouped_session(name=saved["name"], cwd=saved.get("cwd") or "/",
                                             env=env, source=group_members[0])
        join(session, group)
        current = session.windows.get(saved.get("current", -1))
        if current is not None:
            session.select_window(current)

    def _restore_window(self, session: Any, window: Any, saved: dict[str, Any]) -> None:
        engine = self.engine
        if saved.get("name") and not saved.get("automatic_rename", True):
            window.name = saved["name"]
            window.automatic_rename = False
        panes = [window.ordered_panes()[0]]
        for saved_pane in saved["panes"][1:]:
            try:
                panes.append(engine.split_window(
                    session, window, panes[-1], horizontal=True, size=None, percent=None,
                    before=False, full=False, cwd=_directory(saved_pane), env={},
                    command=None, select=False))
            except Exception:  # noqa: BLE001 - too small: keep the panes that fit
                log.warning("window %s: only %d of %d panes fit", saved["index"],
                            len(panes), len(saved["panes"]))
                break
        if len(panes) == len(saved["panes"]):
            try:
                window.layout.apply_string(saved["layout"])
                engine.apply_layout(window)
            except Exception:  # noqa: BLE001 - the panes stay in their split layout
                log.warning("window %s: layout %s not restored", saved["index"],
                            saved["layout"])
        for pane, saved_pane in zip(window.ordered_panes(), saved["panes"], strict=False):
            text = saved_pane.get("scrollback") or ""
            if text:
                pane.emulator.feed(text.replace("\n", "\r\n").encode("utf-8",
                                                                     "surrogateescape")
                                   + b"\r\n")
            if saved_pane.get("context") and self.on_pane_restored is not None:
                try:
                    self.on_pane_restored(session, pane, saved_pane["context"])
                except Exception:  # noqa: BLE001 - the pane stays, without its old context
                    log.exception("pane %%%d: its context was not restored", pane.id)
            program = saved_pane.get("program")
            if program:
                asyncio.get_running_loop().create_task(self._offer(pane, program))
            if saved_pane.get("active"):
                window.select_pane(pane)


    async def _offer(self, pane: Pane, program: str) -> None:
        """Type the program at the fresh shell's first prompt, without Enter: shown,
        ready to run again, never run."""
        if pane.integrated:
            await self.engine.wait_for_prompt(pane, 30.0)
        else:
            await asyncio.sleep(0.5)
        if not pane.dead and not pane.killed:
            pane.write(program.encode("utf-8", "surrogateescape"))


def _directory(saved_pane: dict[str, Any]) -> str:
    cwd = saved_pane.get("cwd") or "/"
    return cwd if os.path.isdir(cwd) else os.path.expanduser("~")

