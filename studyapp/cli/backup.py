"""`studyapp backup list|create|restore [FILE]`: the automatic backups of a SQLite collection.

`create` needs the open collection (`run`); `list` and `restore` run on the closed collection
(`run_closed`): restoring replaces the collection file, so nothing may have it open.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from studyapp.errors import NotFoundError

if TYPE_CHECKING:
    from studyapp.services.backups import Backup, BackupService
    from studyapp.services.container import Services

NAME = "backup"


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        NAME,
        help="list, make or restore backups of the collection",
        description="Backups of a SQLite collection, kept in DIR/backups (the newest 30). "
        "StudyApp makes one when it closes and every 6 hours while it is open.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser("list", help="list the backups, newest first")
    actions.add_parser("create", help="make a backup now")
    restore = actions.add_parser(
        "restore",
        help="replace the collection with a backup (the current file is kept aside)",
    )
    restore.add_argument(
        "file",
        nargs="?",
        type=Path,
        metavar="FILE",
        help="a backup file, or its name in the backups folder (default: the newest backup)",
    )


def needs_collection(args: argparse.Namespace) -> bool:
    """Only `create` opens the collection; `list` and `restore` must run with it closed."""
    return bool(args.action == "create")


def run(args: argparse.Namespace, services: Services, out: TextIO) -> int:
    """`backup create`, over the open collection."""
    backup = services.backups.create("manual")
    out.write(f"Backed up to {backup.path} ({_size(backup.size)})\n")
    return 0


def run_closed(args: argparse.Namespace, backups: BackupService, out: TextIO) -> int:
    """`backup list` and `backup restore`, with the collection closed (and locked)."""
    if args.action == "list":
        return _list(backups, out)
    if args.action == "restore":
        return _restore(args.file, backups, out)
    raise ValueError(f"unknown backup action {args.action!r}")


def _list(backups: BackupService, out: TextIO) -> int:
    found = backups.list()
    if not found:
        out.write(f"No backups yet in {backups.backups_dir}\n")
        return 0
    for backup in found:
        out.write(f"{_when(backup.created_at)}  {_size(backup.size):>9}  {backup.path}\n")
    return 0


def _restore(file: Path | None, backups: BackupService, out: TextIO) -> int:
    database_file = backups.collection_file()
    chosen = _chosen(file, backups)
    replaced = backups.restore(chosen.path, database_file)
    out.write(f"Restored the backup made {_when(chosen.created_at)}: {chosen.path}\n")
    if replaced is not None:
        out.write(f"The previous collection is kept as {replaced}\n")
    return 0


def _chosen(file: Path | None, backups: BackupService) -> Backup:
    if file is None:
        return backups.newest()
    for candidate in (file.expanduser(), backups.backups_dir / file):
        if candidate.is_file():
            for backup in backups.list():
                if backup.path.resolve() == candidate.resolve():
                    return backup
            from studyapp.services.backups import Backup

            stat = candidate.stat()
            modified = datetime.fromtimestamp(stat.st_mtime).astimezone()
            return Backup(candidate.resolve(), modified, stat.st_size)
    raise NotFoundError(f"There is no backup {file} (see `studyapp backup list`).")


def _when(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def _size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"
