"""`studyapp export OUT [--deck NAME] [--format F] [--no-scheduling] [--no-media]`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from studyapp.errors import InvalidInputError
from studyapp.services.container import Services
from studyapp.services.exports import ExportFormat

NAME = "export"

_BY_SUFFIX = {
    ".apkg": ExportFormat.APKG,
    ".csv": ExportFormat.CSV,
    ".txt": ExportFormat.TEXT,
    ".tsv": ExportFormat.TEXT,
    ".toml": ExportFormat.DECK,
}


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        NAME, help="export a deck or the whole collection (.apkg, .csv, .txt, .toml)"
    )
    parser.add_argument("output", type=Path, metavar="OUT")
    parser.add_argument("--deck", metavar="NAME", help="a deck and its subdecks (default: all)")
    parser.add_argument(
        "--format",
        choices=[f.value for f in ExportFormat],
        help="default: from OUT's extension (.apkg, .csv, .txt/.tsv, .toml)",
    )
    parser.add_argument(
        "--no-scheduling", action="store_true", help="export every card as new, without history"
    )
    parser.add_argument("--no-media", action="store_true", help="leave out media files")


def run(args: argparse.Namespace, services: Services, out: TextIO) -> int:
    if args.format:
        chosen = ExportFormat(args.format)
    else:
        found = _BY_SUFFIX.get(args.output.suffix.casefold())
        if found is None:
            raise InvalidInputError(
                f"Cannot tell the format from {args.output.name}: use --format."
            )
        chosen = found
    result = services.exports.export(
        args.output,
        chosen,
        deck=args.deck,
        include_scheduling=not args.no_scheduling,
        include_media=not args.no_media,
    )
    out.write(
        f"Exported {result.notes} notes, {result.cards} cards, {result.reviews} reviews and "
        f"{result.media} media files to {result.path}.\n"
    )
    return 0
