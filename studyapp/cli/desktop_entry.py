"""`studyapp desktop-entry`: a .desktop launcher with the app icon for the current user (Linux)."""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

NAME = "desktop-entry"


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    commands.add_parser(
        NAME, help="install a .desktop launcher with the app icon for the current user (Linux)"
    )


def install(icon: Path, global_options: Sequence[str], out: TextIO = sys.stdout) -> int:
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
