"""stats (seed verb): token savings measured from exact counts, per session or global.

``stats [NAME|--global] [--json]``. For every pane context of the server (closed panes
included), *raw tokens* are the exact cl100k count of everything that entered the context
verbatim (command lines, each output as it was seen with ANSI escapes stripped and ``\\r``
redraws applied, notes) and *context tokens* are what the live context holds now.
Savings = raw - context. Nothing here is estimated or hard-coded; with no records the
ratios print as n/a.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._common import json_result
from .spec import Args, CommandError, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext

RULE = "═" * 44


def _ratio(saved: int, raw: int) -> float | None:
    return round(100 * saved / raw, 1) if raw else None


def collect(ai, names: set[str] | None) -> dict:
    """Totals and per-session numbers over the server's pane contexts."""
    sessions: dict[str, dict] = {}
    for pane_id in sorted(ai.panes):
        stats = ai.pane_stats(pane_id)
        if names is not None and stats["session"] not in names:
            continue
        item = sessions.setdefault(stats["session"], {
            "session": stats["session"], "panes": 0, "messages": 0, "commands": 0,
            "raw_tokens": 0, "context_tokens": 0, "compressions": 0})
        item["panes"] += 1
        for key in ("messages", "commands", "raw_tokens", "context_tokens", "compressions"):
            item[key] += stats[key]
    for item in sessions.values():
        item["saved_tokens"] = item["raw_tokens"] - item["context_tokens"]
        item["savings_percent"] = _ratio(item["saved_tokens"], item["raw_tokens"])
    totals = {key: sum(item[key] for item in sessions.values())
              for key in ("messages", "commands", "raw_tokens", "context_tokens",
                          "compressions")}
    totals["sessions"] = len(sessions)
    totals["saved_tokens"] = totals["raw_tokens"] - totals["context_tokens"]
    totals["savings_percent"] = _ratio(totals["saved_tokens"], totals["raw_tokens"])
    return {**totals, "per_session": sorted(sessions.values(), key=lambda i: i["session"])}


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    ai = ctx.services.ai
    if args.positional and args.has("global"):
        raise CommandError("stats takes NAME or --global, not both")
    names = None
    scope = "global"
    if args.positional:
        session = ctx.find_session(args.positional[0])
        names, scope = {session.name}, session.name
    await ai.settled()
    data = {"scope": scope, **collect(ai, names)}
    if args.has("json"):
        return json_result(data)
    percent = data["savings_percent"]
    out = ["📊 AI-Session Performance Statistics" + ("" if scope == "global"
                                                   else f" for '{scope}'"), RULE, "",
           "💰 Token Efficiency:",
           f"  Sessions with context: {data['sessions']}",
           f"  Messages Processed: {data['messages']:,}",
           f"  Commands Recorded: {data['commands']:,}",
           f"  Raw Token Usage: {data['raw_tokens']:,}",
           f"  Context Usage: {data['context_tokens']:,}",
           (f"  Token Savings: {data['saved_tokens']:,} "
            f"({'n/a' if percent is None else f'{percent}%'})"),
           f"  Compressions: {data['compressions']:,}"]
    if data["per_session"]:
        out += ["", "📋 Per Session:"]
        for item in data["per_session"]:
            ratio = item["savings_percent"]
            out.append(f"  {item['session']}: {item['commands']:,} commands, "
                       f"{item['raw_tokens']:,} raw → {item['context_tokens']:,} context "
                       f"tokens ({'n/a' if ratio is None else f'{ratio}%'} saved), "
                       f"{item['compressions']} compressions")
    out += ["", ("Tokens: exact cl100k_base counts; raw = every command, output (ANSI "
                 "stripped) and note as recorded.")]
    return CommandResult(stdout="\n".join(out) + "\n")


SPEC = CommandSpec(name="stats", usage="[NAME|--global] [--json]",
                   long_options={"global": False, "json": False}, max_args=1,
                   intermixed=True, run=run,
                   summary="Token savings of the AI contexts, measured (seed verb)")
