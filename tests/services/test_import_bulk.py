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


def test_a_guid_repeated_chunks_apart_updates_the_note_it_added(
    services: Services, tmp_path: Path
) -> None:
    """The second row with guid g0 comes 2,300 rows (more than one chunk) after the first: it
    updates the note the first added instead of adding another."""
    path = tmp_path / "guids.csv"
    rows = [f"q{i},a{i},g{i}\n" for i in range(ROWS)]
    rows[2_300] = "again,the same guid,g0\n"
    path.write_text("#separator:comma\n#guid column:3\n" + "".join(rows), encoding="utf-8")

    summary = services.imports.import_file(path)

    assert (summary.added, summary.updated) == (ROWS - 1, 1)
    found = services.browser.search('"again"')
    assert len(found) == 1
    assert services.browser.search("q0") == []  # its fields were replaced
