"""Copy mode in the client: entering it on a pane, running its commands, copy-pipe.

A pane's copy mode (:class:`aisession_tui.widgets.copy_mode.CopyMode`) is a frozen copy of
its history and screen the client moves in; a command that copies sets a server buffer and
may pipe the text to a command, which the client runs (see :meth:`CopyModeCommands.
run_copy_pipe`). Each pane keeps the key table (``copy-mode`` or ``copy-mode-vi``) its
window's ``mode-keys`` gave when it entered copy mode, as tmux does.
"""

from __future__ import annotations

import asyncio
import os
import signal
import tempfile
from typing import TYPE_CHECKING

from aisession_tui.cli.client import ClientError
from aisession_tui.protocol import messages
from aisession_tui.widgets.copy_mode import CopyMode, pipe_command
from aisession_tui.widgets.pane_view import PaneView

if TYPE_CHECKING:
    from aisession_tui.client.app import MultiplexerApp
    from aisession_tui.keymaps import Command


class CopyModeCommands:
    """The copy-mode side of one app."""

    def __init__(self, app: MultiplexerApp) -> None:
        self.app = app
        self.copy_tables: dict[int, str] = {}
        """Each pane's copy-mode key table, from mode-keys when it entered copy mode."""

    def copy_format(self, template: str) -> str:
        """Fill the copy-mode variables the client alone knows (``#{copy_cursor_word}``,
        ``#{copy_cursor_line}``) before the server expands the rest."""
        view = self.app.active_view()
        copy = view.copy_mode if view is not None else None
        if copy is None:
            return template
        for name, value in (("copy_cursor_word", copy.cursor_word()),
                            ("copy_cursor_line", copy.cursor_line())):
            template = template.replace("#{" + name + "}", value.replace("#", "##"))
        return template

    async def arguments(self, command: Command) -> tuple[int | None, tuple[str, ...]]:
        """A copy-mode command's ``-N`` repeat count (None without one; 1 when it is not
        a number) and its arguments, each expanded as a format under ``-F``."""
        modifiers, rest = command.copy_modifiers()
        count = None
        if "-N" in modifiers:
            try:
                count = max(1, int(modifiers[modifiers.index("-N") + 1]))
            except ValueError:
                count = 1
        if "-F" in modifiers:
            rest = tuple([await self.app.expand(self.copy_format(word)) for word in rest])
        return count, rest

    async def enter(self, view: PaneView) -> None:
        """Freeze the pane's history and screen into a copy-mode view."""
        if self.app.client is None:
            return
        try:
            probe, mode_keys, separators = await asyncio.gather(
                self.app.client.request(messages.HISTORY, {
                    "pane": view.pane_id, "start": 0, "count": 0}),
                self.pane_mode_keys(view.pane_id),
                self.app.server_command(["show-options", "-Aqv", "-t", f"%{view.pane_id}",
                                     "word-separators"], quiet=True))
            size = int(probe.get("history_size", 0))
            limit = min(10000, max(self.app.config.history_limit, 0))
            start = max(0, size - limit)
            result = await self.app.client.request(messages.HISTORY, {
                "pane": view.pane_id, "start": start, "count": size - start})
        except ClientError as exc:
            self.app.show_message(str(exc), error=True)
            return
        entering = view.copy_mode is None
        view.copy_mode = CopyMode(result.get("lines", []), [list(r) for r in view.rows],
                                  view.columns, view.lines, view.cursor)
        view.copy_mode.exclusive_end = mode_keys == "emacs"
        if separators.get("exit_code", 1) == 0:  # the session's word-separators option
            view.copy_mode.set_word_separators(
                str(separators.get("stdout", "")).removesuffix("\n"))
        self.copy_tables[view.pane_id] = "copy-mode-vi" if mode_keys == "vi" else "copy-mode"
        view.repaint()
        if entering and self.app.server_modes.get(view.pane_id) != "copy-mode":
            await self.app.server_command(["copy-mode", "-t", f"%{view.pane_id}"], quiet=True)
        self.report(view)

    def report(self, view: PaneView) -> None:
        """Tell the server where this pane's copy mode stands, for tmux's copy-mode formats
        (``#{copy_cursor_x}``, ``#{selection_present}``...)."""
        copy = view.copy_mode
        if self.app.client is None or copy is None:
            return
        end = copy.selection_end_point()
        start = copy.mark or end
        state: messages.CopyState = {
            "scroll_position": copy.max_top - copy.top,
            "copy_cursor_x": copy.column, "copy_cursor_y": copy.line - copy.top,
            "copy_cursor_word": copy.cursor_word(), "copy_cursor_line": copy.cursor_line(),
            "selection_present": copy.mark is not None,
            "selection_active": copy.mark is not None and copy.selection_end is None,
            "selection_start_x": start[1], "selection_start_y": start[0],
            "selection_end_x": end[1], "selection_end_y": end[0]}
        self.app.client.send_nowait(messages.COPY_STATE, {"pane": view.pane_id,
                                                          "state": state})

    async def leave(self, view: PaneView) -> None:
        """Close the copy-mode view and take the pane out of copy mode on the server."""
        view.copy_mode = None
        if self.app.server_modes.get(view.pane_id) in ("copy-mode", "view-mode"):
            await self.app.server_command(["send-keys", "-X", "-t", f"%{view.pane_id}",
                                           "cancel"], quiet=True)

    async def pane_mode_keys(self, pane_id: int) -> str:
        """The ``mode-keys`` option of the pane's window, else the global one (``-A``), as
        tmux reads it for copy mode."""
        result = await self.app.server_command(
            ["show-options", "-Awqv", "-t", f"%{pane_id}", "mode-keys"], quiet=True)
        return "vi" if str(result.get("stdout", "")).strip() == "vi" else "emacs"

    async def run(self, name: str, args: tuple[str, ...], view: PaneView | None = None) -> None:
        """Run a copy-mode command on ``view`` (default: the active pane) and act on its
        outcome."""
        view = view or self.app.active_view()
        if view is None or view.copy_mode is None:
            return
        if name == "refresh-from-pane":
            old = view.copy_mode
            await self.enter(view)
            if view.copy_mode is not None and view.copy_mode is not old:
                view.copy_mode.take_position(old)
            view.repaint()
            return
        copy = view.copy_mode
        outcome = copy.run(name, args)
        if outcome in ("copy", "copy-keep", "copy-cancel"):
            text = copy.selection_text()
            if text:
                await self.app.server_command(["set-buffer", "--", text])
                self.app.copy_to_clipboard(text)
                pipe = pipe_command(name, args)
                if pipe is not None:
                    await self.pipe_selection(pipe, text)
            if outcome != "copy-keep":
                copy.clear_selection()
        if outcome in ("copy-cancel", "cancel"):
            await self.leave(view)
        else:
            self.report(view)
        view.repaint()

    async def pipe_selection(self, command: str, text: str) -> None:
        """copy-pipe: start ``command`` (its formats expanded as tmux does), or the
        ``copy-command`` option when it is empty, with ``text`` on its stdin, in the
        pane's directory. The client runs it (see ``run_copy_pipe``) and does not wait."""
        if command:
            command = await self.app.expand(self.copy_format(command))
        else:
            result = await self.app.server_command(["show-options", "-gqv", "copy-command"],
                                               quiet=True)
            command = str(result.get("stdout", "")).rstrip("\n")
        if not command.strip():
            return
        directory = await self.app.expand("#{pane_current_path}")
        self.app.run_worker(self.run_copy_pipe(command, text, directory), group="copy-pipe")

    async def run_copy_pipe(self, command: str, text: str, directory: str) -> None:
        """Run ``/bin/sh -c command`` to its end and reap it; a failure is a status-line
        message. It runs here, in the client, rather than in the server as in tmux: the
        client holds the selection and the user's session environment (``DISPLAY``,
        ``WAYLAND_DISPLAY`` for clipboard tools) and the server has no job runner. Its own
        session keeps it off the terminal; stderr goes to a file, so a clipboard tool that
        leaves a child holding the selection does not keep this waiting. Cancelled (the
        app exits) while it runs, its process group is killed."""
        if not os.path.isdir(directory):
            directory = self.app.options.env.get("HOME", "/")
        with tempfile.TemporaryFile() as errors:
            try:
                process = await asyncio.create_subprocess_exec(
                    "/bin/sh", "-c", command, stdin=asyncio.subprocess.PIPE,
                    stdout=asyncio.subprocess.DEVNULL, stderr=errors, cwd=directory,
                    env=self.app.options.env, start_new_session=True)
            except OSError as exc:
                self.app.show_message(f"'{command}' failed: {exc.strerror}", error=True)
                return
            try:
                assert process.stdin is not None
                try:
                    process.stdin.write(text.encode())
                    await process.stdin.drain()
                    process.stdin.close()
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the command did not read it all, as tmux allows
                code = await process.wait()
            except asyncio.CancelledError:
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                await process.wait()
                raise
            if code:
                errors.seek(0)
                detail = errors.read().decode(errors="replace").strip().splitlines()
                message = f"'{command}' returned {code}"
                self.app.show_message(message + (f": {detail[-1]}" if detail else ""), error=True)

    def end_incremental_search(self, *, restore: bool) -> None:
        """Close the active pane's incremental search; ``restore`` goes back to its start."""
        view = self.app.active_view()
        if view is not None and view.copy_mode is not None:
            view.copy_mode.end_incremental(restore=restore)
            view.repaint()
