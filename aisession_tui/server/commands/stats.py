"""stats (seed verb): token savings measured from exact counts, per session or global.

``stats [NAME|--global] [--json]``. For every pane context of the server (closed panes
included), *raw tokens* are the exact cl100k count of everything that entered the context
verbatim (command lines, each output as it was seen with ANSI escapes stripped and ``\\r``
redraws applied, notes) and *context tokens* are what the live context holds now.
Savings = raw - context. Nothing here is estimated or hard-coded; with no records the
ratios print as n/a.

Savings come with what they cost (:mod:`aisession_tui.ai.retention`): **facts kept /
facts total** (failing tests, file:line locations with their codes, exceptions,
assertions, each command with its exit code and cwd: :mod:`aisession_tui.ai.facts`) over
every command of the live contexts, per session and global, and the **median saving per
command** beside the total, so one huge output cannot make the figure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._common import json_result
from .spec import Args, CommandError, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..ai_layer import AiLayer
    from ..context import CommandContext

RULE = "═" * 44


def _ratio(saved: int, raw: int) -> float | None:
    return round(100 * saved / raw, 1) if raw else None


def collect(ai: AiLayer, names: set[str] | None) -> dict[str, Any]:
    """Totals and per-session numbers over the server's pane contexts."""
    from ...ai.retention import summarize

    sessions: dict[str, dict[str, Any]] = {}
    usage: dict[str, list[Any]] = {}
    for pane_id in sorted(ai.panes):
        stats = ai.pane_stats(pane_id)
        if names is not None and stats["session"] not in names:
            continue
        usage.setdefault(stats["session"], []).extend(ai.command_usage(pane_id))
        item = sessions.setdefault(stats["session"], {
            "session": stats["session"], "panes": 0, "messages": 0, "commands": 0,
            "raw_tokens": 0, "context_tokens": 0, "compressions": 0})
        item["panes"] += 1
        for key in ("messages", "commands", "raw_tokens", "context_tokens", "compressions"):
            item[key] += stats[key]
    for item in sessions.values():
        item["saved_tokens"] = item["raw_tokens"] - item["context_tokens"]
        item["savings_percent"] = _ratio(item["saved_tokens"], item["raw_tokens"])
        item.update(_retention(summarize(usage[item["session"]])))
    totals = {key: sum(item[key] for item in sessions.values())
              for key in ("messages", "commands", "raw_tokens", "context_tokens",
                          "compressions")}
    totals["sessions"] = len(sessions)
    totals["saved_tokens"] = totals["raw_tokens"] - totals["context_tokens"]
    totals["savings_percent"] = _ratio(totals["saved_tokens"], totals["raw_tokens"])
    totals.update(_retention(summarize(item for items in usage.values() for item in items)))
    return {**totals, "per_session": sorted(sessions.values(), key=lambda i: i["session"])}


def _retention(summary: dict[str, Any]) -> dict[str, Any]:
    return {key: summary[key] for key in ("median_savings_percent", "facts_kept",
                                          "facts_total", "facts_kept_percent")}


def _facts_text(item: dict[str, Any]) -> str:
    if not item["facts_total"]:
        return "n/a (no facts recorded yet)"
    return (f"{item['facts_kept']:,} / {item['facts_total']:,} "
            f"({item['facts_kept_percent']}%)")


def _share(value: float | None) -> str:
    return "n/a" if value is None else f"{value}%"


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
           f"  Median Savings per Command: {_share(data['median_savings_percent'])}",
           f"  Facts Kept: {_facts_text(data)}",
           f"  Compressions: {data['compressions']:,}"]
    if data["per_session"]:
        out += ["", "📋 Per Session:"]
        for item in data["per_session"]:
            ratio = item["savings_percent"]
            out.append(f"  {item['session']}: {item['commands']:,} commands, "
                       f"{item['raw_tokens']:,} raw → {item['context_tokens']:,} context "
                       f"tokens ({'n/a' if ratio is None else f'{ratio}%'} saved, median "
                       f"{_share(item['median_savings_percent'])} per command), facts kept "
                       f"{_facts_text(item)}, {item['compressions']} compressions")
    out += ["", ("Tokens: exact cl100k_base counts; raw = every command, output (ANSI "
                 "stripped) and note as recorded."),
            ("Facts: failing tests, file:line locations, exceptions, assertions, each "
             "command with its exit code and cwd; kept = still in the live context.")]
    return CommandResult(stdout="\n".join(out) + "\n")


SPEC = CommandSpec(name="stats", usage="[NAME|--global] [--json]",
                   long_options={"global": False, "json": False}, max_args=1,
                   intermixed=True, run=run,
                   summary="Token savings of the AI contexts, measured (seed verb)")
