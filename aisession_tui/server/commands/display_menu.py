"""display-menu (menu): show a menu on a client, as tmux 3.3a's ``cmd-display-menu.c``.

Arguments are items, each ``name key command`` (an empty name is a separator line). The
title (``-T``), each name and each command are expanded here as formats for the target
pane; a name that expands to nothing leaves its item out (tmux's way of hiding items), and
a leading separator is dropped. An item missing its key or command gets tmux's ``not
enough arguments``. The full-screen client draws the menu and runs the chosen command
(:mod:`aisession_tui.widgets.menu_box`); a menu with no item shows nothing, and a control
client has nothing to draw it on (it succeeds, as tmux does). Run for a mouse key, the
menu gets the mouse event: ``-x M``/``-y M`` place it there, the mouse drives it, and its
chosen command runs with that event (``-t =``).

As tmux's (``CMD_RETURN_WAIT``), the command returns only when the menu closes - an item
chosen (its command is run by the client) or the menu dismissed - when asked by anything
but the client itself (the command line, a script, another client): the client reports
the close (``prompt-done``, :func:`..client_actions.wait_for_client`). A client's own key
binding or prompt gets its reply at once, since the client must go on reading keys to
drive the menu."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, cast

from ...protocol import messages
from .spec import Args, CommandError, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


def _key_name(key: str) -> str | None:
    """The key as tmux names it, or None for a word that is no key."""
    from ..key_names import normalise_key

    return normalise_key(key)


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    from ..client_actions import wait_for_client
    from ..client_formats import client_of, is_control
    from ..client_lock import target_client

    client = target_client(ctx, args.get("c"))
    session, window, pane = ctx.find_pane(args.get("t"))
    title = ctx.expand(args.get("T") or "", session, window, pane)
    items: list[messages.MenuItem | None] = []
    words = list(args.positional)
    position = 0
    while position < len(words):
        name = words[position]
        position += 1
        if name == "":
            if any(item is not None for item in items):
                items.append(None)
            continue
        if len(words) - position < 2:
            raise CommandError("not enough arguments")
        key, command = words[position], words[position + 1]
        position += 2
        expanded = ctx.expand(name, session, window, pane)
        if expanded:
            items.append({"name": expanded, "key": _key_name(key),
                          "command": ctx.expand(command, session, window, pane)})
    if not any(item is not None for item in items) or is_control(client):
        return CommandResult()
    geometry = window.layout.geometry().get(pane.id)
    pane_box = ([geometry.x, geometry.y, geometry.width, geometry.height] if geometry
                else [0, 0, window.layout.width, window.layout.height])
    menu: messages.MenuMessage = {
        "title": title, "items": items, "x": str(args.get("x") or "C"),
        "y": str(args.get("y") or "C"), "pane": pane_box, "window": window.index,
        "stay_open": args.has("O"),
        "mouse": cast("messages.MouseEventMessage", dataclasses.asdict(ctx.mouse))
        if ctx.mouse is not None else None}
    if client_of(ctx.client) is client:  # its own key or prompt: the client goes on
        client.send(messages.MENU, menu)
        return CommandResult()

    def send(wait: int) -> None:
        menu["wait"] = wait
        client.send(messages.MENU, menu)

    await wait_for_client(ctx, client, send)  # until the menu closes (CMD_RETURN_WAIT)
    return CommandResult()


SPEC = CommandSpec(name="display-menu", alias=("menu",), flags="Oc:t:T:x:y:",
                   usage="[-O] [-c target-client] [-t target-pane] [-T title] "
                         "[-x position] [-y position] name key command ...",
                   min_args=1, max_args=None, run=run, summary="Display a menu")
