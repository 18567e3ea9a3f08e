"""`studyapp generate DOC [--deck NAME] [--json] [--import] [--deck-file OUT]`: make cards."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from studyapp.errors import InvalidInputError

if TYPE_CHECKING:
    from studyapp.services.container import Services

NAME = "generate"


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        NAME, help="make cards from a .txt, .md, .html or .pdf document (offline)"
    )
    parser.add_argument("document", type=Path, metavar="DOC")
    parser.add_argument(
        "--deck", metavar="NAME", help="deck for --import and --deck-file (default: DOC's name)"
    )
    parser.add_argument("--json", action="store_true", help="print the cards as a JSON list")
    parser.add_argument(
        "--import", dest="add", action="store_true", help="add the cards to the collection"
    )
    parser.add_argument(
        "--deck-file",
        type=Path,
        metavar="OUT",
        help="write the cards as a deck file with provenance (an existing OUT keeps its note ids)",
    )


def run(args: argparse.Namespace, services: Services, out: TextIO) -> int:
    if args.deck_file is not None:
        _write_deck_file(args.document, args.deck_file, args.deck, sys.stderr if args.json else out)
        if not (args.json or args.add):
            return 0
    document = services.generation.generate(args.document)
    if args.json:
        cards = [
            {
                "kind": card.kind,
                "front": card.front,
                "back": card.back,
                "source": {
                    "start": card.source_start,
                    "end": card.source_end,
                    "text": card.source_text,
                },
            }
            for card in document.cards
        ]
        json.dump(cards, out, ensure_ascii=False)
        out.write("\n")
    else:
        for card in document.cards:
            out.write(f"[{card.kind}] {card.front}\n    → {card.back}\n")
    if args.add:
        added = services.generation.add_cards(
            document, document.cards, args.deck or args.document.stem
        )
        message = f"Added {added.notes} notes ({added.cards} cards) to {added.deck}."
        if added.flagged:
            message += f" {added.flagged} earlier cards are flagged: their sentence changed."
        # With --json, stdout carries the JSON alone.
        (sys.stderr if args.json else out).write(message + "\n")
    return 0


def _write_deck_file(document: Path, target: Path, name: str | None, out: TextIO) -> None:
    from studyapp.services.builtin_deck import update_deck_file  # loads the generators

    try:
        previous = target.read_bytes() if target.exists() else None
        data = update_deck_file(document, name=name, previous=previous)
        target.write_bytes(data)
    except OSError as error:
        raise InvalidInputError(f"Cannot write {target}: {error.strerror or error}.") from error
    state = "unchanged" if data == previous else "written"
    out.write(f"Deck file {target} {state}.\n")
