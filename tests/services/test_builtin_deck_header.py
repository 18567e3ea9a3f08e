"""Start-up tells installed built-in decks apart by their headers, without parsing their notes."""

from __future__ import annotations

from pathlib import Path

import pytest

from studyapp.importers.deckfile import parse_deck_file
from studyapp.paths import builtin_deck_files
from studyapp.services.collection import deck_file_header
from studyapp.services.container import Services

TWO_NOTES = """\
format = 1
name = " Capitals "
version = {version}

[[notes]]
id = "cap-1"
type = "Basic"
[notes.fields]
Front = "France"
Back = "Paris"

[[notes]]
id = "cap-2"
type = "Basic"
[notes.fields]
Front = "Peru"
Back = "{back}"
"""


@pytest.mark.parametrize("path", builtin_deck_files(), ids=lambda path: path.name)
def test_the_header_of_every_shipped_deck_names_it_as_the_full_parse_does(path: Path) -> None:
    data = path.read_bytes()
    draft = parse_deck_file(data)

    assert deck_file_header(data) == (draft.name, draft.version)


def test_a_header_after_a_table_or_of_the_wrong_type_is_not_guessed() -> None:
    after_table = b'format = 1\n[document]\npath = "a.md"\n'
    assert deck_file_header(after_table) is None
    assert deck_file_header(b'format = 1\nname = "A"\nversion = "2"\n') is None
    assert deck_file_header(b"name = \n") is None
    assert deck_file_header('name = "Ä"\nversion = 3\n'.encode()) == ("Ä", 3)


def test_a_newer_version_updates_the_deck_and_the_same_version_is_left_alone(
    services: Services,
) -> None:
    first = TWO_NOTES.format(version=1, back="Lima").encode()
    assert [i.added_notes for i in services.collection.prepare([first])] == [2]

    same_version_changed_text = TWO_NOTES.format(version=1, back="Cusco").encode()
    assert services.collection.prepare([same_version_changed_text]) == []

    newer = TWO_NOTES.format(version=2, back="Lima, the capital").encode()
    installs = services.collection.prepare([newer])
    assert [(i.deck, i.added_notes, i.updated_notes) for i in installs] == [("Capitals", 0, 1)]
    notes = services.collection.overview().notes
    backs = {note.guid: note.fields["Back"] for note in notes if note.deck == "Capitals"}
    assert backs == {"cap-1": "Paris", "cap-2": "Lima, the capital"}
