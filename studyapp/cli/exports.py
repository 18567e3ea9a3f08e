"""`studyapp export OUT [--deck NAME] [--format F] [--no-scheduling] [--no-media]`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from studyapp.errors import InvalidInputError

if TYPE_CHECKING:
    from studyapp.services.container import Services
    from studyapp.services.exports import ExportFormat

NAME = "export"

_BY_SUFFIX = {".apkg": "apkg", ".csv": "csv", ".txt": "txt", ".tsv": "txt", ".toml": "toml"}
"""The `ExportFormat` value each output extension stands for."""


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        NAME, help="export a deck or the whole collection (.apkg, .csv, .txt, .toml)"
    )
    parser.add_argument("output", type=Path, metavar="OUT")
    parser.add_argument("--deck", metavar="NAME", help="a deck and its subdecks (default: all)")
    parser.add_argument(
        "--format",
        metavar="FORMAT",
        help="apkg, apkg-legacy (for older Anki versions), csv, txt or toml "
        "(default: from OUT's extension: .apkg, .csv, .txt/.tsv, .toml)",
    )
    parser.add_argument(
        "--no-scheduling", action="store_true", help="export every card as new, without history"
    )
    parser.add_argument("--no-media", action="store_true", help="leave out media files")


def run(args: argparse.Namespace, services: Services, out: TextIO) -> int:
    result = services.exports.export(
        args.output,
        chosen_format(args.format, args.output),
        deck=args.deck,
        include_scheduling=not args.no_scheduling,
        include_media=not args.no_media,
    )
    out.write(
        f"Exported {result.notes} notes, {result.cards} cards, {result.reviews} reviews and "
        f"{result.media} media files to {result.path}.\n"
    )
    return 0


def chosen_format(option: str | None, output: Path) -> ExportFormat:
    """`--format`, else the format `output`'s extension stands for."""
    from studyapp.services.exports import ExportFormat

    if option is None:
        found = _BY_SUFFIX.get(output.suffix.casefold())
        if found is None:
            raise InvalidInputError(f"Cannot tell the format from {output.name}: use --format.")
        return ExportFormat(found)
    try:
        return ExportFormat(option.casefold())
    except ValueError:
        known = ", ".join(f.value for f in ExportFormat)
        raise InvalidInputError(f"Unknown export format {option}: use one of {known}.") from None
