"""Headless commands over the same services as the GUI.

`--json` output goes alone on stdout; logs and progress go to stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from studyapp import __version__
from studyapp.services.container import Services

COMMANDS_WITHOUT_COLLECTION = frozenset({"desktop-entry"})


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
    decks = commands.add_parser("decks", help="list the decks with today's counts")
    decks.add_argument("--json", action="store_true", help="print a JSON array")
    commands.add_parser(
        "desktop-entry",
        help="install a .desktop launcher with the app icon for the current user (Linux)",
    )
    return parser


def run_command(args: argparse.Namespace, services: Services, out: TextIO = sys.stdout) -> int:
    """Run a command that needs the collection; returns the exit status."""
    if args.command == "decks":
        return _decks(services, as_json=args.json, out=out)
    raise ValueError(f"unknown command {args.command!r}")


def _decks(services: Services, *, as_json: bool, out: TextIO) -> int:
    rows = services.decks.deck_list()
    if as_json:
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


def install_desktop_entry(
    icon: Path, global_options: Sequence[str], out: TextIO = sys.stdout
) -> int:
    """Write ~/.local/share/applications/studyapp.desktop and the icon beside it (XDG paths)."""
    data_home = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    icon_target = data_home / "icons" / "hicolor" / "scalable" / "apps" / "studyapp.svg"
    entry_target = data_home / "applications" / "studyapp.desktop"
    icon_target.parent.mkdir(parents=True, exist_ok=True)
    entry_target.parent.mkdir(parents=True, exist_ok=True)
    icon_target.write_bytes(icon.read_bytes())
    command = [sys.executable, "-m", "studyapp", *global_options]
    entry_target.write_text(
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Name=StudyApp\n"
        "GenericName=Flashcards\n"
        "Comment=Study flashcards with spaced repetition\n"
        f"Exec={' '.join(_desktop_quote(arg) for arg in command)}\n"
        f"Icon={icon_target}\n"
        "Terminal=false\n"
        "Categories=Education;\n"
        "StartupWMClass=StudyApp\n",
        encoding="utf-8",
    )
    out.write(f"Installed {entry_target}\n")
    return 0


def _desktop_quote(argument: str) -> str:
    """Quote one Exec argument as the Desktop Entry specification asks."""
    escaped = argument.replace("%", "%%")
    if re.fullmatch(r"[\w@+=:,./-]+", escaped):
        return escaped
    return '"' + re.sub(r'([\\"`$])', r"\\\1", escaped) + '"'
