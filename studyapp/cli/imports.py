"""`studyapp import FILE [--deck NAME] [--skip-bad-rows]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from studyapp.services.container import Services
    from studyapp.services.imports import ImportSummary

NAME = "import"


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        NAME,
        help="import a deck: Anki .apkg/.colpkg, Anki or Quizlet text (.csv .tsv .txt), "
        "or a StudyApp deck (.toml)",
    )
    parser.add_argument("file", type=Path, metavar="FILE")
    parser.add_argument("--deck", metavar="NAME", help="deck for text rows that name none")
    parser.add_argument(
        "--skip-bad-rows",
        action="store_true",
        help="import the good rows of a text file and report the bad ones "
        "(default: import nothing if any row is malformed)",
    )


def run(args: argparse.Namespace, services: Services, out: TextIO) -> int:
    from studyapp.importers.text import TextImportOptions

    options = TextImportOptions(deck=args.deck, skip_bad_rows=args.skip_bad_rows)
    summary = services.imports.import_file(args.file, options=options, progress=_progress)
    sys.stderr.write("\r" + " " * 40 + "\r")
    out.write(describe(summary))
    return 0


def _progress(done: int, total: int) -> None:
    if total:
        sys.stderr.write(f"\rImporting… {100 * done // total:3d}%")
        sys.stderr.flush()


def describe(summary: ImportSummary) -> str:
    lines = [
        f"Imported {summary.file_name}: {summary.added} added, {summary.updated} updated, "
        f"{summary.unchanged} unchanged, {summary.skipped} skipped, {summary.failed} failed.",
        f"Cards added: {summary.cards_added}; reviews added: {summary.reviews_added}; "
        f"media files added: {summary.media_added}.",
    ]
    lines += [f"  {message}" for message in summary.messages]
    return "\n".join(lines) + "\n"
