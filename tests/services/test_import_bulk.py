"""Imports larger than one chunk: ids, re-import matching (by first field and by guid), cards."""

from __future__ import annotations

from pathlib import Path

from studyapp.services.container import Services

ROWS = 2_345


def test_large_csv_imports_then_matches_every_row(services: Services, tmp_path: Path) -> None:
    path = tmp_path / "many.csv"
    path.write_text("".join(f"q{i},a{i}\n" for i in range(ROWS)), encoding="utf-8")
    first = services.imports.import_file(path)
    assert (first.added, first.cards_added) == (ROWS, ROWS)
    path.write_text(
        "".join(f"q{i},{'changed' if i % 2 else f'a{i}'}\n" for i in range(ROWS)),
        encoding="utf-8",
    )
    second = services.imports.import_file(path)
    assert (second.added, second.updated, second.unchanged) == (0, ROWS // 2, ROWS - ROWS // 2)
    assert second.cards_added == 0
