"""Headless commands over the same services as the GUI, one module per command.

`--json` output goes alone on stdout; logs and progress go to stderr.  A command module has `NAME`,
`add_parser(commands)` and, if it needs the collection, `run(args, services, out) -> int`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from studyapp import __version__
from studyapp.cli import backup, decks, desktop_entry, exports, generate, imports, listing, stats

if TYPE_CHECKING:
    from studyapp.services.container import Services


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="studyapp",
        description="StudyApp: spaced-repetition flashcards. Without a command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        help="folder for the collection, media, backups, logs and window settings "
        "(created if missing; default: your user data folder)",
    )
    parser.add_argument(
        "--database",
        metavar="URL",
        help="collection database: a SQLAlchemy URL or a SQLite file path "
        "(default: $STUDYAPP_DATABASE, else DIR/collection.sqlite3)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("gui", help="open the app (the default)")
    decks.add_parser(commands)
    imports.add_parser(commands)
    listing.add_parser(commands)
    generate.add_parser(commands)
    exports.add_parser(commands)
    stats.add_parser(commands)
    backup.add_parser(commands)
    desktop_entry.add_parser(commands)
    return parser


def run_command(args: argparse.Namespace, services: Services, out: TextIO = sys.stdout) -> int:
    """Run a command that needs the collection; returns the exit status."""
    if args.command == decks.NAME:
        return decks.run(args, services, out)
    if args.command == imports.NAME:
        return imports.run(args, services, out)
    if args.command == listing.NAME:
        return listing.run(args, services, out)
    if args.command == generate.NAME:
        return generate.run(args, services, out)
    if args.command == exports.NAME:
        return exports.run(args, services, out)
    if args.command == stats.NAME:
        return stats.run(args, services, out)
    if args.command == backup.NAME:
        return backup.run(args, services, out)
    raise ValueError(f"unknown command {args.command!r}")
