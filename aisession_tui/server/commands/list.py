"""list (seed verb): the sessions in the seed's look; ``--detailed`` adds a block per
session (with its AI context: messages, token usage used / max, compressions, and each
pane's attention state), ``--json`` gives the same facts as data."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from ._common import json_result
from .spec import Args, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..ai_layer import AiLayer
    from ..context import CommandContext
    from ..pane import Pane
    from ..registry import Session

IDLE_AFTER = 60.0
RULE = "═" * 44


def _stamp(epoch: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(epoch))


def ai_facts(ai: AiLayer, session: Session, panes: list[Pane]) -> dict[str, Any]:
    """A session's context numbers (summed over its panes) and its panes' attention."""
    stats = [ai.pane_stats(p.id) for p in panes]
    budget = max([s["max_tokens"] for s in stats if s["max_tokens"]]
                 or [ai.budget_for(session)])
    return {"messages": sum(s["messages"] for s in stats),
            "context_tokens": sum(s["context_tokens"] for s in stats),
            "token_budget": budget,
            "compressions": sum(s["compressions"] for s in stats),
            "attention": {f"%{p.id}": ai.attention(p) for p in panes}}


def session_facts(session: Session, ai: AiLayer | None = None) -> dict[str, Any]:
    """What ``list`` reports about one session (``ai``: the server's AI layer)."""
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
        **(ai_facts(ai, session, panes) if ai is not None else {}),
    }


STATUS_LOOK = {"active": "Active ✅", "idle": "Idle 💤", "dead": "Dead ☠️"}


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    ai = ctx.services.ai
    facts = [session_facts(s, ai) for s in ctx.engine.registry.ordered_sessions()]
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
                f"Commands: {item['commands']}"]
        if "messages" in item:
            used, budget = item["context_tokens"], item["token_budget"]
            attention = ", ".join(f"{pane} {state}" for pane, state in
                                  item["attention"].items())
            out += [f"Messages: {item['messages']}",
                    f"Token Usage: {used:,} / {budget:,} ({100 * used // budget}%)",
                    f"Context Compression: {item['compressions']} compressions performed",
                    f"Attention: {attention}"]
        out += [f"Created: {_stamp(item['created'])}",
                f"Last Activity: {_stamp(item['last_activity'])}"]
    return CommandResult(stdout="\n".join(out) + "\n")


SPEC = CommandSpec(name="list", usage="[--detailed] [--json]",
                   long_options={"detailed": False, "json": False}, intermixed=True, run=run,
                   summary="List sessions (seed verb)")
