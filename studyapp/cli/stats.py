"""`studyapp stats [--deck NAME] [--period 1m|3m|1y|all] [--json]`: the window's figures."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any, TextIO

from studyapp.services.statistics_period import Period

if TYPE_CHECKING:
    from studyapp.services.container import Services
    from studyapp.services.statistics_values import Statistics

NAME = "stats"


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(NAME, help="print the statistics (the window's figures)")
    parser.add_argument("--deck", metavar="NAME", help="one deck with its subdecks")
    parser.add_argument(
        "--period",
        choices=[p.value for p in Period],
        default=Period.MONTH.value,
        help="how far back (default: 1m)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def as_json(stats: Statistics) -> dict[str, Any]:
    """The figures under the keys the command documents."""
    return {
        "today": {
            "studied": stats.today.studied,
            "seconds": stats.today.seconds,
            "again": stats.today.again,
            "correct_pct": stats.today.correct_pct,
        },
        "streak": {
            "days": stats.streak.days,
            "goal": stats.streak.goal,
            "goal_met_today": stats.streak.goal_met_today,
        },
        "true_retention": [
            {
                "period": r.period,
                "young_pass": r.young_pass,
                "young_fail": r.young_fail,
                "mature_pass": r.mature_pass,
                "mature_fail": r.mature_fail,
            }
            for r in stats.true_retention
        ],
        "forecast": [{"day": f.day.isoformat(), "due": f.due} for f in stats.forecast],
        "card_counts": {
            "new": stats.card_counts.new,
            "learning": stats.card_counts.learning,
            "relearning": stats.card_counts.relearning,
            "young": stats.card_counts.young,
            "mature": stats.card_counts.mature,
            "suspended": stats.card_counts.suspended,
            "buried": stats.card_counts.buried,
        },
        "reviews_per_day": [
            {
                "day": d.day.isoformat(),
                "learning": d.learning,
                "relearning": d.relearning,
                "young": d.young,
                "mature": d.mature,
                "total": d.total,
                "seconds": d.seconds,
            }
            for d in stats.reviews_per_day
        ],
        "intervals": [{"days": b.days, "cards": b.cards} for b in stats.intervals],
        "hourly": [
            {"hour": h.hour, "reviews": h.reviews, "pass_pct": h.pass_pct} for h in stats.hourly
        ],
        "buttons": {
            "learning": list(stats.buttons.learning),
            "young": list(stats.buttons.young),
            "mature": list(stats.buttons.mature),
        },
        "added": [{"day": a.day.isoformat(), "cards": a.cards} for a in stats.added],
        "knowledge": [
            {"day": k.day.isoformat(), "expected_recalled": k.expected_recalled}
            for k in stats.knowledge
        ],
        "summary": stats.summary,
    }


def run(args: argparse.Namespace, services: Services, out: TextIO) -> int:
    deck_id = None if args.deck is None else services.decks.by_name(args.deck).id
    stats = services.statistics.compute(deck_id, Period(args.period))
    if args.json:
        json.dump(as_json(stats), out, ensure_ascii=False)
        out.write("\n")
        return 0
    write_report(stats, out)
    return 0


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}%"


def write_report(stats: Statistics, out: TextIO) -> None:
    today, streak, counts = stats.today, stats.streak, stats.card_counts
    reviewed = sum(d.total for d in stats.reviews_per_day)
    days = sum(1 for d in stats.reviews_per_day if d.total)
    out.write(f"Statistics: {stats.scope}, period {stats.period.value}\n")
    out.write(f"{stats.summary}\n\n")
    minutes = today.seconds / 60
    out.write(
        f"Today: {today.studied} cards in {minutes:.0f} min, {today.again} Again, "
        f"{_pct(today.correct_pct)} correct\n"
    )
    goal = f", daily goal {streak.goal} ({'met' if streak.goal_met_today else 'not yet met'})"
    out.write(f"Streak: {streak.days} days{goal if streak.goal else ''}\n")
    out.write(
        f"Due tomorrow: {stats.due_tomorrow}; next 7 days: {stats.due_next_week}; "
        f"overdue: {stats.backlog}\n"
    )
    out.write(f"Reviews in the period: {reviewed} on {days} of {len(stats.reviews_per_day)} days\n")
    out.write(
        f"Cards: {counts.new} new, {counts.learning} learning, {counts.relearning} relearning, "
        f"{counts.young} young, {counts.mature} mature, {counts.suspended} suspended, "
        f"{counts.buried} buried\n\n"
    )
    out.write(f"{'True retention':<16}{'young':>16}{'mature':>16}\n")
    for row in stats.true_retention:
        young = row.young_pass + row.young_fail
        mature = row.mature_pass + row.mature_fail
        out.write(
            f"{row.period.replace('_', ' '):<16}"
            f"{_pct(100 * row.young_pass / young if young else None):>6} of {young:<7}"
            f"{_pct(100 * row.mature_pass / mature if mature else None):>6} of {mature:<7}\n"
        )
    b = stats.buttons
    out.write("\nAnswer buttons (Again, Hard, Good, Easy):\n")
    for name, counts_row in (("learning", b.learning), ("young", b.young), ("mature", b.mature)):
        out.write(f"  {name:<9}" + "".join(f"{n:>9}" for n in counts_row) + "\n")
    if stats.knowledge:
        last = stats.knowledge[-1]
        out.write(f"\nEstimated knowledge: {last.expected_recalled:.0f} cards recalled today\n")
