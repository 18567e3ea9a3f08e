"""Media names in an imported package cannot reach outside the media folder: the import is
refused before anything is written, inside the collection or out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studyapp.errors import InvalidInputError
from studyapp.services.container import Services
from tests.importers.anki_builder import latest_package, legacy_collection, zip_bytes


def every_file(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("layout", ["legacy", "latest"])
@pytest.mark.parametrize("name", ["../escaped.txt", "../../escaped.txt", "sub/../../escaped.txt"])
def test_a_package_naming_media_outside_the_folder_is_refused_whole(
    services: Services, tmp_path: Path, layout: str, name: str
) -> None:
    if layout == "legacy":
        members = {
            "collection.anki2": legacy_collection(),
            "media": json.dumps({"0": "fine.png", "1": name}).encode(),
            "0": b"fine",
            "1": b"escaped",
        }
        data = zip_bytes(members)
    else:
        data = latest_package(media={"fine.png": b"fine", name: b"escaped"})
    package = tmp_path / "packages" / "evil.apkg"
    package.parent.mkdir()
    package.write_bytes(data)
    decks = [d.name for d in services.decks.deck_list()]
    files = every_file(tmp_path)

    with pytest.raises(InvalidInputError, match="not a plain file name"):
        services.imports.import_file(package)

    assert every_file(tmp_path) == files  # nothing written, in the media folder or beside it
    assert not any(p.name == "escaped.txt" for p in tmp_path.rglob("*"))
    assert [d.name for d in services.decks.deck_list()] == decks


def test_an_absolute_media_name_is_refused_and_nothing_is_written(
    services: Services, tmp_path: Path
) -> None:
    target = tmp_path / "absolute.txt"
    package = tmp_path / "absolute.apkg"
    package.write_bytes(latest_package(media={str(target): b"escaped"}))
    with pytest.raises(InvalidInputError, match="not a plain file name"):
        services.imports.import_file(package)
    assert not target.exists()
