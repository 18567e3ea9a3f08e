"""The import service on a real database: what lands, what re-import does, and failure safety."""

from __future__ import annotations

from pathlib import Path

import pytest

from studyapp.errors import ImportCancelledError, InvalidInputError
from studyapp.importers.text import TextImportOptions
from studyapp.paths import DataPaths
from studyapp.services.container import Services
from studyapp.storage.database import Database
from tests.importers.anki_builder import MEDIA, latest_package, legacy_package


def snapshot(database: Database) -> dict[str, int]:
    with database.engine.connect() as connection:
        return {
            table: connection.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one()
            for table in ("decks", "note_types", "notes", "cards", "review_log")
        }


def write(tmp_path: Path, name: str, content: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def deck_row(services: Services, name: str) -> tuple[int, int, int]:
    row = next(r for r in services.decks.deck_list() if r.name == name)
    return row.new, row.learning, row.review


def test_csv_with_header_and_quoted_newline_makes_notes_and_cards(
    services: Services, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "Anatomy.csv",
        'Front,Back\nheart,"pumps blood,\nfour chambers"\nlung,gas exchange\nskin,largest organ\n',
    )
    summary = services.imports.import_file(path)
    assert (summary.added, summary.updated, summary.unchanged) == (3, 0, 0)
    assert summary.cards_added == 3
    assert deck_row(services, "Anatomy") == (3, 0, 0)
    again = services.imports.import_file(path)
    assert (again.added, again.updated, again.unchanged, again.cards_added) == (0, 0, 3, 0)


def test_changed_rows_update_notes_in_place(
    services: Services, database: Database, tmp_path: Path
) -> None:
    before = snapshot(database)
    services.imports.import_file(write(tmp_path, "Words.csv", "one\tuno\ntwo\tdos\n"))
    changed = services.imports.import_file(write(tmp_path, "Words.csv", "one\tUNO\ntwo\tdos\n"))
    assert (changed.added, changed.updated, changed.unchanged) == (0, 1, 1)
    assert snapshot(database)["cards"] == before["cards"] + 2  # no card added by the update


def test_ragged_csv_imports_nothing_unless_bad_rows_are_skipped(
    services: Services, database: Database, tmp_path: Path
) -> None:
    path = write(tmp_path, "Ragged.csv", "a,b\nc,d,e,f\ng,h\n")
    before = snapshot(database)
    with pytest.raises(InvalidInputError, match="line 2"):
        services.imports.import_file(path)
    assert snapshot(database) == before
    summary = services.imports.import_file(path, options=TextImportOptions(skip_bad_rows=True))
    assert (summary.added, summary.skipped) == (2, 1)
    assert any("2" in message for message in summary.messages)


def test_cancel_leaves_the_collection_unchanged(
    services: Services, database: Database, tmp_path: Path
) -> None:
    rows = "".join(f"q{i},a{i}\n" for i in range(5000))
    path = write(tmp_path, "Big.csv", rows)
    before = snapshot(database)
    seen: list[tuple[int, int]] = []
    with pytest.raises(ImportCancelledError):
        services.imports.import_file(
            path,
            progress=lambda done, total: seen.append((done, total)),
            cancelled=lambda: bool(seen),
        )
    assert snapshot(database) == before
    assert seen[0][1] >= 5000


def test_anki_package_keeps_cards_reviews_and_media_and_reimport_adds_nothing(
    services: Services, database: Database, data_paths: DataPaths, tmp_path: Path
) -> None:
    path = write(tmp_path, "shared.apkg", latest_package())
    summary = services.imports.import_file(path)
    assert summary.added > 0
    assert summary.cards_added > 0
    assert summary.reviews_added > 0
    assert summary.media_added == len(MEDIA)
    for name, content in MEDIA.items():
        assert (data_paths.media_dir / name).read_bytes() == content
    after_first = snapshot(database)
    again = services.imports.import_file(path)
    assert (again.added, again.cards_added, again.reviews_added) == (0, 0, 0)
    assert snapshot(database) == after_first
    names = {row.name for row in services.decks.deck_list()}
    assert {"Lang", "Lang::French"} <= names


def test_legacy_package_imports_the_same_notes(services: Services, tmp_path: Path) -> None:
    modern = services.imports.import_file(write(tmp_path, "a.apkg", latest_package()))
    legacy = services.imports.import_file(write(tmp_path, "b.apkg", legacy_package()))
    assert legacy.added == 0
    assert legacy.unchanged == modern.added


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty.csv", b""),
        ("binary.csv", bytes(range(256)) * 4),
        ("truncated.apkg", latest_package()[:300]),
        ("notazip.apkg", b"PK\x03\x04 this is not a zip"),
        ("deck.toml", b"format = 1\nname = \n"),
        ("notes.docx", b"whatever"),
    ],
)
def test_bad_files_give_a_clear_message_and_change_nothing(
    services: Services, database: Database, tmp_path: Path, name: str, content: bytes
) -> None:
    before = snapshot(database)
    with pytest.raises(InvalidInputError) as error:
        services.imports.import_file(write(tmp_path, name, content))
    assert name in str(error.value) or len(str(error.value)) > 10
    assert snapshot(database) == before


def test_scripts_and_remote_images_are_stripped_on_import(
    services: Services, database: Database, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "Evil.csv",
        '#html:true\n"<b>ok</b><script>alert(1)</script>","<img src=""http://x.test/a.png"" '
        'onerror=""alert(2)""><a href=""javascript:alert(3)"">x</a>"\n',
    )
    services.imports.import_file(path)
    with database.engine.connect() as connection:
        stored = connection.exec_driver_sql(
            "SELECT fields FROM notes ORDER BY id DESC LIMIT 1"
        ).scalar_one()
    assert "<b>ok</b>" in stored
    for bad in ("script", "http://", "onerror", "javascript:"):
        assert bad not in stored


def test_our_deck_format_imports_as_a_deck(services: Services, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "mine.toml",
        'format = 1\nname = "Mine::Sub"\nversion = 1\n\n[[notes]]\nid = "m-1"\ntype = "Basic"\n'
        '[notes.fields]\nFront = "Q"\nBack = "A"\n',
    )
    summary = services.imports.import_file(path)
    assert (summary.added, summary.cards_added) == (1, 1)
    assert deck_row(services, "Mine") == (1, 0, 0)


def test_text_preview_shows_rows_mapping_and_bad_rows(services: Services, tmp_path: Path) -> None:
    path = write(tmp_path, "Vocab.csv", "Front;Back\nhouse;casa\ndog;perro;extra\n")
    preview = services.imports.preview_text(path, TextImportOptions())
    assert preview.separator == ";"
    assert preview.has_header
    assert preview.rows[0] == ("house", "casa")
    assert preview.columns_map[:2] == ("Front", "Back")
    assert preview.deck == "Vocab"
    assert preview.bad_rows
    assert "EMT vs EMS" in preview.decks
    comma = services.imports.preview_text(path, TextImportOptions(separator=","))
    assert comma.separator == ","


def test_text_import_with_optional_reverse_and_cloze_note_types(
    services: Services, tmp_path: Path
) -> None:
    reversed_file = write(
        tmp_path,
        "Optional.txt",
        "#separator:tab\n#notetype:Basic (optional reversed card)\nsun\tsol\ty\nmoon\tluna\t\n",
    )
    summary = services.imports.import_file(reversed_file)
    assert (summary.added, summary.cards_added) == (2, 3)
    cloze_file = write(
        tmp_path,
        "Clozes.txt",
        "#separator:tab\n#notetype:Cloze\n{{c1::Paris}} is the capital of {{c2::France}}\t\n",
    )
    summary = services.imports.import_file(cloze_file)
    assert (summary.added, summary.cards_added) == (1, 2)


def test_a_header_row_names_field_and_tag_columns(services: Services, tmp_path: Path) -> None:
    path = write(
        tmp_path, "Headed.csv", "Front,Back,Tags\nhola,hello,greeting\nperro,dog,animals\n"
    )
    preview = services.imports.preview_text(path, TextImportOptions())
    assert preview.columns_map == ("Front", "Back", "#tags")
    services.imports.import_file(path)
    notes = [n for n in services.collection.overview().notes if n.deck == "Headed"]
    assert sorted(tag for note in notes for tag in note.tags) == ["animals", "greeting"]
    assert all(note.fields["Extra"] == "" for note in notes)
