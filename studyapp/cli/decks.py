"""`studyapp decks [--json]`: each deck with what Study would show today."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from studyapp.services.container import Services

NAME = "decks"


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(NAME, help="list the decks with today's counts")
    parser.add_argument("--json", action="store_true", help="print a JSON array")


def run(args: argparse.Namespace, services: Services, out: TextIO) -> int:
    rows = services.decks.deck_list()
    if args.json:
        data = [
            {"name": r.name, "new": r.new, "learning": r.learning, "review": r.review} for r in rows
        ]
        json.dump(data, out, ensure_ascii=False)
        out.write("\n")
        return 0
    width = max([len("Deck"), *(2 * r.depth + len(r.short_name) for r in rows)])
    out.write(f"{'Deck':<{width}}  {'New':>5}  {'Learn':>5}  {'Due':>5}\n")
    for r in rows:
        label = "  " * r.depth + r.short_name
        out.write(f"{label:<{width}}  {r.new:>5}  {r.learning:>5}  {r.review:>5}\n")
    return 0
