"""list (seed verb): the sessions in the seed's look; ``--detailed`` adds a block per
session, ``--json`` gives the same facts as data."""

from __future__ import annotations

import time

from ._common import json_result
from .spec import Args, CommandResult, CommandSpec

IDLE_AFTER = 60.0
RULE = "═" * 44


def _stamp(epoch: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(epoch))


def session_facts(session) -> dict:
    """What ``list`` reports about one session."""
    panes = [p for w in session.ordered_windows() for p in w.ordered_panes()]
    last_activity = max([p.last_output for p in panes] + [session.created])
    alive = [p for p in panes if not p.dead]
    running = any(p.integrated and not p.tracker.at_prompt and p.tracker.integrated
                  for p in alive)
    if not alive:
        status = "dead"
    elif running or time.time() - last_activity < IDLE_AFTER:
        status = "active"
    else:
        status = "idle"
    return {
        "name": session.name, "id": f"${session.id}", "status": status,
        "windows": len(session.windows), "panes": len(panes),
        "ai_context": session.ai_context, "max_tokens": session.max_tokens,
        "commands": sum(len(p.commands) for p in panes),
        "created": session.created, "last_activity": last_activity,
        "attached": session.attached, "cwd": session.cwd,
    }


STATUS_LOOK = {"active": "Active ✅", "idle": "Idle 💤", "dead": "Dead ☠️"}


async def run(ctx, args: Args) -> CommandResult:
    facts = [session_facts(s) for s in ctx.engine.registry.ordered_sessions()]
    if args.has("json"):
        return json_result(facts)
    if not facts:
        return CommandResult(stdout="No active sessions\n")
    out = ["📍 Active AI Sessions", RULE]
    for item in facts:
        if not args.has("detailed"):
            out.append(f"  {item['name']:<20} {STATUS_LOOK[item['status']]:<10} "
                       f"{item['windows']} windows, {item['panes']} panes"
                       f"{'  AI ✨' if item['ai_context'] else ''}")
            continue
        out += ["", f"ID: {item['name']}",
                f"Status: {STATUS_LOOK[item['status']]}",
                f"AI Features: {'Enabled ✨' if item['ai_context'] else 'Disabled'}",
                f"Windows: {item['windows']}  Panes: {item['panes']}",
                f"Commands: {item['commands']}",
                f"Created: {_stamp(item['created'])}",
                f"Last Activity: {_stamp(item['last_activity'])}"]
    return CommandResult(stdout="\n".join(out) + "\n")


SPEC = CommandSpec(name="list", usage="[--detailed] [--json]",
                   long_options={"detailed": False, "json": False}, intermixed=True, run=run,
                   summary="List sessions (seed verb)")
