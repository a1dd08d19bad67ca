"""context (seed verb): a pane's AI context, a stored raw output, or a note added to it.

* ``context NAME [--lines N] [--json] [--max-tokens N]``: the live context of NAME's
  active pane (NAME is a session, or any pane target such as ``%3`` or ``dev:1.0``) in the
  seed's look: header, ``Messages | Tokens used / max | Compressions``, one
  ``[HH:MM:SS] ROLE: text`` entry per message, then health and savings computed from
  exact counts. ``--json`` prints exactly what an agent is given. ``--max-tokens N`` fits
  the context to another budget (``fit_to_window``) without changing the pane's.
* ``context NAME --raw ID``: the full stored output of command record ID. Every entry of
  the context names the record ids it covers (``record_ids`` in the JSON, ``raw #ID`` or
  ``records 3-7`` in the text, merged and omitted blocks included); an id that is not one
  of the session's is refused with the list of its ids. ``context --raw ID`` (no NAME)
  reads any record of the store by its id (the MCP resource ``aisession://record/{id}``).
* ``context add NAME --role ROLE TEXT``: add a note (role user, system, assistant or
  agent; default assistant).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._common import json_result
from .spec import Args, CommandError, CommandResult, CommandSpec, parse_int

if TYPE_CHECKING:
    from ...ai.context import ContextWindow, Entry
    from ..context import CommandContext
    from ..pane import Pane
    from ..registry import Session

RULE = "═" * 44


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "n/a"


def _label(entry: Entry) -> str:
    label = entry.role.upper()
    if entry.form == "verbatim":
        return label
    record_ids = getattr(entry, "record_ids", ()) or (
        (entry.raw_id,) if entry.raw_id else ())
    if entry.form in ("merged", "omitted"):
        from ...ai.context import id_ranges

        where = f", records {id_ranges(record_ids)}" if record_ids else ""
    else:
        where = f", raw #{record_ids[0]}" if record_ids else ""
    return f"{label} ({entry.form}{where})"


def render_text(title: str, window: ContextWindow, compressions: int, raw_tokens: int,
                threshold: float, lines: int | None) -> str:
    """The seed's look for a fitted context."""
    from ...ai.context import clock

    body: list[str] = []
    for entry in window.entries:
        label = _label(entry)
        first, *rest = entry.text.splitlines() or [""]
        body.append(f"[{clock(entry.at)}] {label}: {first}")
        body += [f"    {line}" for line in rest]
    if lines is not None and len(body) > lines:
        body = ["..."] + (body[-lines:] if lines > 0 else [])
    used, budget = window.tokens, window.max_tokens
    if used <= threshold * budget:
        health = f"✅ Optimal ({_percent(used, budget)} of the budget)"
    else:
        health = f"⚠️ Above the {threshold:.0%} threshold ({_percent(used, budget)} of the budget)"
    saved = raw_tokens - used
    efficiency = (f"{_percent(saved, raw_tokens)} savings vs raw ({raw_tokens:,} raw tokens "
                  f"→ {used:,} in context)" if raw_tokens else "n/a (nothing recorded yet)")
    out = [title, RULE, "",
           (f"Messages: {window.messages} | Tokens: {used:,} / {budget:,} | "
            f"Compressions: {compressions}"), ""]
    out += body or ["(no messages yet)"]
    out += ["", f"Context Health: {health}", f"Token Efficiency: {efficiency}"]
    return "\n".join(out) + "\n"


def _find_pane(ctx: CommandContext, name: str):  # type: ignore[no-untyped-def]
    """NAME as a pane target; a plain name that is no session says so, as exec does."""
    if not any(mark in name for mark in ":.%@$") and name not in ("", "{last}"):
        ctx.find_session(name)  # "can't find session: NAME"
    return ctx.find_pane(name)


async def _add(ctx: CommandContext, args: Args) -> CommandResult:
    if len(args.positional) < 3:
        raise CommandError("usage: context add NAME --role ROLE TEXT")
    session, _, pane = _find_pane(ctx, args.positional[1])
    role = args.get("role") or "assistant"
    from ...ai.context import ROLES

    if role not in ROLES:
        raise CommandError(f"role invalid: {role} (use {', '.join(ROLES)})")
    text = " ".join(args.positional[2:])
    from ...ai.redact import redact

    message = await ctx.services.ai.add_note(pane.id, session.name, role, redact(text))
    tokens = ctx.services.ai.context_tokens(pane.id)
    data = {"session": session.name, "pane": f"%{pane.id}", "id": message.seq,
            "role": role, "tokens": message.tokens, "context_tokens": tokens}
    if args.has("json"):
        return json_result(data)
    return CommandResult(stdout=f"✅ Added {role} note #{message.seq} to '{session.name}' "
                                f"(+{message.tokens:,} tokens, {tokens:,} in context)\n")


async def _raw(ctx: CommandContext, args: Args, session: Session, pane: Pane) -> CommandResult:
    record_id = parse_int(args.get("raw"), "raw id")
    ai = ctx.services.ai
    known = ai.record_ids(pane.id)
    found = await ai.raw_output(record_id)
    if found is None or (found["session"] != session.name and record_id not in known):
        why = ("the store is not open" if ai.store.db is None and found is None
               else f"no stored output {record_id} for session {session.name}")
        from ...ai.context import id_ranges

        valid = (f"; its records: {id_ranges(known)} (the record_ids of "
                 f"'context {session.name} --json')" if known
                 else "; it has no stored outputs yet")
        raise CommandError(why + valid)
    return _raw_result(found, args)


async def _raw_any(ctx: CommandContext, args: Args) -> CommandResult:
    """``context --raw ID`` with no NAME: any stored record, whatever its session."""
    record_id = parse_int(args.get("raw"), "raw id")
    ai = ctx.services.ai
    await ai.settled()
    if ai.store.db is None:
        raise CommandError(f"no stored output {record_id}: the store is not open "
                           f"({ai.store.unavailable or 'no store'})")
    found = await ai.raw_output(record_id)
    if found is None:
        raise CommandError(f"no stored output {record_id} (record ids are in the "
                           "record_ids of 'context NAME --json')")
    return _raw_result(found, args)


def _raw_result(found: dict[str, Any], args: Args) -> CommandResult:
    if args.has("json"):
        return json_result(found)
    output = found["output"]
    return CommandResult(stdout=output if not output or output.endswith("\n")
                         else output + "\n")


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    if not args.positional:
        if args.has("raw"):
            return await _raw_any(ctx, args)
        raise CommandError("usage: context NAME [--json] [--raw ID] [--max-tokens N]")
    if args.positional[0] == "add" and len(args.positional) > 1:
        return await _add(ctx, args)
    if len(args.positional) > 1:
        raise CommandError("context takes one NAME (use: context add NAME --role ROLE TEXT)")
    session, _, pane = _find_pane(ctx, args.positional[0])
    ai = ctx.services.ai
    await ai.settled()
    if args.has("raw"):
        return await _raw(ctx, args, session, pane)
    lines = parse_int(args.get("lines"), "lines") if args.has("lines") else None
    holder = ai.pane_ai(pane.id)
    if holder is None:
        from ...ai.context import PaneContext

        context = PaneContext(max_tokens=ai.budget_for(session))
    else:
        context = holder.context
    if args.has("max-tokens"):
        budget = parse_int(args.get("max-tokens"), "max tokens")
        if budget < 1:
            raise CommandError(f"max tokens invalid: {budget}")
        import asyncio

        window = await asyncio.to_thread(context.fit_to_window, budget)
    else:
        window = context.view()
    if args.has("json"):
        data = {"session": session.name, "pane": f"%{pane.id}",
                "ai_context": session.ai_context, "threshold": context.threshold,
                "compressions": context.compressions, "raw_tokens": context.raw_tokens,
                **window.to_dict()}
        return json_result(data)
    title = f"📖 AI Context for session '{session.name}' (pane %{pane.id})"
    return CommandResult(stdout=render_text(title, window, context.compressions,
                                            context.raw_tokens, context.threshold, lines))


SPEC = CommandSpec(name="context",
                   usage="NAME [--lines N] [--json] [--raw ID] [--max-tokens N] | "
                         "--raw ID | add NAME --role ROLE TEXT",
                   long_options={"lines": True, "json": False, "raw": True, "role": True,
                                 "max-tokens": True},
                   min_args=0, max_args=None, intermixed=True, run=run,
                   summary="Show a session's AI context, a raw output, or add a note "
                           "(seed verb)")
