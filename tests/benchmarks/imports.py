"""Import speed for `make bench`: 100,000 notes from CSV and from .apkg, ours beside Anki's.

Each import runs in its own process so that its peak memory (max RSS) can be reported too.
The .apkg is made by Anki itself from the same CSV and cached.  Never collected by pytest.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

NOTES = 100_000

OURS = """
import json, resource, sys, time
from datetime import UTC, datetime
from pathlib import Path
from studyapp.app import open_collection
from studyapp.domain.clock import ManualClock
from studyapp.storage.database import sqlite_url
folder = Path(sys.argv[2])
database, services = open_collection(
    sqlite_url(folder / "c.sqlite3"), ManualClock(datetime(2026, 3, 10, tzinfo=UTC)), folder / "m"
)
began = time.perf_counter()
summary = services.imports.import_file(Path(sys.argv[1]))
elapsed = time.perf_counter() - began
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": elapsed, "notes": summary.added, "peak_mb": peak}))
"""

ANKI = """
import json, os, sys, time
from anki.collection import Collection
from anki import import_export_pb2 as ie
source, folder = sys.argv[1], sys.argv[2]
col = Collection(os.path.join(folder, "anki.anki2"))
began = time.perf_counter()
if source.endswith(".csv"):
    metadata = col.get_csv_metadata(source, delimiter=None)
    col.import_csv(ie.ImportCsvRequest(path=source, metadata=metadata))
else:
    options = ie.ImportAnkiPackageOptions(with_scheduling=True)
    col.import_anki_package(ie.ImportAnkiPackageRequest(package_path=source, options=options))
elapsed = time.perf_counter() - began
print(json.dumps({"seconds": elapsed, "notes": col.note_count()}))
col.close()
"""

MAKE_APKG = """
import os, sys
from anki.collection import Collection
from anki import import_export_pb2 as ie
source, target, folder = sys.argv[1], sys.argv[2], sys.argv[3]
col = Collection(os.path.join(folder, "maker.anki2"))
col.import_csv(ie.ImportCsvRequest(path=source, metadata=col.get_csv_metadata(source, None)))
col.export_anki_package(
    out_path=target,
    options=ie.ExportAnkiPackageOptions(with_scheduling=True, with_media=True, legacy=False),
    limit=None,
)
col.close()
"""


def _run(script: str, *args: str | Path) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, "-c", script, *map(str, args)],
        capture_output=True,
        text=True,
        check=True,
    )
    data: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return data


def inputs(cache: Path) -> tuple[Path, Path]:
    """A cached 100,000-note CSV and the .apkg Anki makes from it."""
    csv = cache / f"notes-{NOTES}.csv"
    if not csv.exists():
        rows = (f'"question {i}","answer {i}, with a comma"\n' for i in range(NOTES))
        csv.write_text("#separator:comma\n" + "".join(rows), encoding="utf-8")
    apkg = cache / f"notes-{NOTES}.apkg"
    if not apkg.exists():
        maker = cache / "apkg-maker"
        maker.mkdir(exist_ok=True)
        subprocess.run(
            [sys.executable, "-c", MAKE_APKG, str(csv), str(apkg), str(maker)],
            check=True,
            capture_output=True,
        )
    return csv, apkg


def import_rows(cache: Path, work: Path) -> list[tuple[str, float, float, float]]:
    """(measure, our notes/s, Anki's notes/s, our peak MB) for CSV and .apkg."""
    csv, apkg = inputs(cache)
    rows = []
    for label, source in (("CSV", csv), (".apkg", apkg)):
        ours_dir = work / f"ours-{source.suffix[1:]}"
        anki_dir = work / f"anki-{source.suffix[1:]}"
        ours_dir.mkdir(parents=True)
        anki_dir.mkdir(parents=True)
        ours = _run(OURS, source, ours_dir)
        anki = _run(ANKI, source, anki_dir)
        rows.append(
            (
                f"import {NOTES:,} notes from {label}",
                ours["notes"] / ours["seconds"],
                anki["notes"] / anki["seconds"],
                ours["peak_mb"],
            )
        )
    return rows
