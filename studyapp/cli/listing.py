"""`studyapp list --json`: the whole collection, for checking."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from studyapp.services.container import Services

NAME = "list"


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(NAME, help="print the whole collection (decks, notes, media)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def run(args: argparse.Namespace, services: Services, out: TextIO) -> int:
    overview = services.collection.overview()
    if args.json:
        json.dump(asdict(overview), out, ensure_ascii=False)
        out.write("\n")
        return 0
    out.write(f"{len(overview.decks)} decks, {len(overview.note_types)} note types, ")
    out.write(f"{len(overview.notes)} notes, {len(overview.media)} media files\n")
    for deck in overview.decks:
        out.write(f"  {deck}\n")
    states = ", ".join(f"{count} {state}" for state, count in overview.card_states.items())
    out.write(f"Cards: {states}\n")
    return 0
