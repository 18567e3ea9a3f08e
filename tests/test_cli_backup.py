"""`studyapp backup ...`, the start-up integrity check and the one-process lock, run as a user
runs them: subprocesses of `python -m studyapp --data-dir D`."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest


def run(
    *args: str, home: Path, env: dict[str, str] | None = None, module: bool = True
) -> subprocess.CompletedProcess[str]:
    """`python -m studyapp ARGS` (or `python ARGS`) with a clean environment, as in test_cli."""
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(("XDG_", "STUDYAPP_"))
    }
    environment.update({"HOME": str(home), **(env or {})})
    command = [sys.executable, "-m", "studyapp"] if module else [sys.executable]
    return subprocess.run(
        [*command, *args], capture_output=True, text=True, env=environment, timeout=60
    )


HOLD_LOCK = """
import sys, time
from pathlib import Path
from studyapp.storage.collection_lock import CollectionLock

lock = CollectionLock(Path(sys.argv[1]))
lock.acquire()
print("locked", flush=True)
time.sleep(120)
"""

SECOND_GUI = """
import sys
import studyapp.gui.windows.collection_messages as messages
messages.show_in_use = lambda: print("in-use message shown", flush=True)
from studyapp.app import main
sys.exit(main(["--data-dir", sys.argv[1]]))
"""


def deck_count(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        return int(connection.execute("SELECT count(*) FROM decks").fetchone()[0])
    finally:
        connection.close()


def backup_files(data: Path) -> list[Path]:
    return sorted((data / "backups").glob("backup-*.sqlite3"))


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A data folder with a collection and one backup of it."""
    folder = tmp_path / "data"
    result = run("--data-dir", str(folder), "backup", "create", home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Backed up to" in result.stdout
    return folder


def test_backup_create_list_and_restore(data: Path, tmp_path: Path) -> None:
    time.sleep(1.1)  # a second backup, one second newer
    assert run("--data-dir", str(data), "backup", "create", home=tmp_path).returncode == 0
    older, newer = backup_files(data)

    listed = run("--data-dir", str(data), "backup", "list", home=tmp_path)
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert [line.split()[-1] for line in lines] == [str(newer), str(older)]
    assert all("KB" in line for line in lines)

    restored = run("--data-dir", str(data), "backup", "restore", home=tmp_path)
    assert restored.returncode == 0, restored.stderr
    assert str(newer) in restored.stdout
    kept = list(data.glob("collection.sqlite3.replaced-*"))
    assert len([p for p in kept if not p.name.endswith(("-wal", "-shm"))]) == 1

    by_name = run("--data-dir", str(data), "backup", "restore", older.name, home=tmp_path)
    assert by_name.returncode == 0, by_name.stderr
    assert str(older) in by_name.stdout
    assert run("--data-dir", str(data), "decks", home=tmp_path).returncode == 0

    missing = run("--data-dir", str(data), "backup", "restore", "nope.sqlite3", home=tmp_path)
    assert missing.returncode == 1
    assert "no backup nope.sqlite3" in missing.stderr


def test_backup_list_without_backups(tmp_path: Path) -> None:
    result = run("--data-dir", str(tmp_path / "d"), "backup", "list", home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "No backups yet" in result.stdout


def corrupt_middle(path: Path) -> None:
    size = path.stat().st_size
    with path.open("r+b") as file:
        file.seek(size // 2)
        file.write(b"\xa5" * 8192)


def truncate_half(path: Path) -> None:
    os.truncate(path, path.stat().st_size // 2)


@pytest.mark.parametrize("damage", [corrupt_middle, truncate_half], ids=["corrupted", "truncated"])
def test_a_damaged_collection_is_kept_aside_and_the_newest_good_backup_restored(
    data: Path, tmp_path: Path, damage: object
) -> None:
    collection = data / "collection.sqlite3"
    assert callable(damage)
    damage(collection)
    damaged_bytes = collection.read_bytes()

    result = run("--data-dir", str(data), "decks", "--json", home=tmp_path)

    assert result.returncode == 0, result.stderr
    assert '"EMT vs EMS"' in result.stdout
    assert "was damaged" in result.stderr
    assert "restored the newest good backup" in result.stderr
    (kept,) = [
        p
        for p in data.glob("collection.sqlite3.damaged-*")
        if not p.name.endswith(("-wal", "-shm"))
    ]
    assert kept.name in result.stderr
    assert kept.read_bytes() == damaged_bytes  # kept exactly as it was
    assert deck_count(collection) >= 1


def test_a_damaged_collection_without_a_good_backup_stops_with_a_message(
    data: Path, tmp_path: Path
) -> None:
    for backup in backup_files(data):
        corrupt_middle(backup)
    collection = data / "collection.sqlite3"
    truncate_half(collection)
    damaged_bytes = collection.read_bytes()

    result = run("--data-dir", str(data), "decks", home=tmp_path)

    assert result.returncode == 1
    assert "is damaged" in result.stderr
    assert "no good backup" in result.stderr
    assert result.stdout == ""
    assert collection.read_bytes() == damaged_bytes  # left for the user to decide
    assert list(data.glob("collection.sqlite3.damaged-*")) == []


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_second_process_is_refused_while_the_first_holds_the_lock(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert run("--data-dir", str(data), "decks", home=tmp_path).returncode == 0
    assert (data / "collection.lock").is_file()  # left behind, but not locked
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(data / "collection.lock")],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"

        refused = run("--data-dir", str(data), "decks", home=tmp_path)
        assert refused.returncode == 1
        assert "StudyApp is already open with this collection" in refused.stderr
        assert refused.stdout == ""
        restore = run("--data-dir", str(data), "backup", "restore", home=tmp_path)
        assert restore.returncode == 1
        assert "already open" in restore.stderr

        gui = run(
            "-c",
            SECOND_GUI,
            str(data),
            home=tmp_path,
            env={"QT_QPA_PLATFORM": "offscreen"},
            module=False,
        )
        assert gui.returncode == 0, gui.stderr
        assert "in-use message shown" in gui.stdout
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
        if holder.stdout is not None:
            holder.stdout.close()
    assert holder.returncode == -signal.SIGKILL

    after = run("--data-dir", str(data), "decks", home=tmp_path)
    assert after.returncode == 0, after.stderr
