"""An ExportBundle -> an Anki package (.apkg), in the latest or the legacy generation.

Latest: `meta` (PackageMetadata, version 3), zstd `collection.anki21b` (schema 18), a zstd
protobuf media map `MediaEntries { repeated MediaEntry { name = 1; size = 2; sha1 = 3; } }`, media
files "0", "1", ... each zstd-compressed, and a schema-11 `collection.anki2` holding one
"Please update to the latest Anki version" note for Anki versions that cannot read the rest.

Legacy: `collection.anki2` (schema 11), a JSON media map {"0": "name.jpg"} and media files as
they are. Read by every Anki version since 2.1 and by `importers.anki_package`.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Mapping
from datetime import UTC

from studyapp.domain.cards import Card, Note, NoteType
from studyapp.domain.decks import Deck
from studyapp.domain.notetypes import BASIC
from studyapp.errors import InvalidInputError
from studyapp.exporters.anki_latest import latest_collection
from studyapp.exporters.anki_legacy import legacy_collection
from studyapp.exporters.anki_rows import DEFAULT_DECK_ID, DEFAULT_DECK_NAME, anki_content
from studyapp.exporters.bundle import ExportBundle
from studyapp.exporters.protobuf import bytes_field, int_field

LATEST_PACKAGE_VERSION = 3
PLACEHOLDER_TEXT = (
    "Please update to the latest Anki version, then import the .colpkg/.apkg file again."
)
_MAX_NAME_LENGTH = 255


def write_apkg(bundle: ExportBundle, *, legacy: bool = False) -> bytes:
    """The bundle as .apkg bytes; raises InvalidInputError for values that cannot be written."""
    _check_media_names(bundle.media)
    content = anki_content(bundle)
    media = list(bundle.media.items())
    if legacy:
        members = {"collection.anki2": legacy_collection(content)}
        members["media"] = json.dumps(
            {str(index): name for index, (name, _data) in enumerate(media)}, ensure_ascii=False
        ).encode("utf-8")
        for index, (_name, data) in enumerate(media):
            members[str(index)] = data
        return _zip(members, zipfile.ZIP_DEFLATED)

    import zstandard  # only the latest generation needs it

    compressor = zstandard.ZstdCompressor()
    members = {
        "meta": int_field(1, LATEST_PACKAGE_VERSION),
        "collection.anki2": placeholder_collection(),
        "collection.anki21b": compressor.compress(latest_collection(content)),
        "media": compressor.compress(_media_entries(media)),
    }
    for index, (_name, data) in enumerate(media):
        members[str(index)] = compressor.compress(data)
    return _zip(members, zipfile.ZIP_STORED)


def placeholder_collection() -> bytes:
    """The schema-11 collection older Anki versions find: one note asking to update Anki."""
    note_type = NoteType(1, BASIC.name, BASIC.kind, BASIC.fields, BASIC.templates, BASIC.css)
    placeholder = ExportBundle(
        note_types=(note_type,),
        decks=(Deck(DEFAULT_DECK_ID, DEFAULT_DECK_NAME, 1),),
        notes=(Note(1, "placeholder", 1, (PLACEHOLDER_TEXT, "", ""), (), 0, 0),),
        cards=(Card(1, 1, DEFAULT_DECK_ID, 0),),
        reviews=(),
        media={},
        rollover_hour=4,
        zone=UTC,
        include_scheduling=False,
        created_at=0,
    )
    return legacy_collection(anki_content(placeholder))


def _media_entries(media: list[tuple[str, bytes]]) -> bytes:
    return b"".join(
        bytes_field(
            1,
            bytes_field(1, name)
            + int_field(2, len(data))
            + bytes_field(3, hashlib.sha1(data).digest()),
            keep_empty=True,
        )
        for name, data in media
    )


def _check_media_names(media: Mapping[str, bytes]) -> None:
    for name in media:
        unsafe = (
            not name.strip()
            or name.strip() != name
            or name in (".", "..")
            or len(name.encode("utf-8")) > _MAX_NAME_LENGTH
            or any(char in name for char in "/\\:")
            or any(ord(char) < 32 or ord(char) == 127 for char in name)
        )
        if unsafe:
            raise InvalidInputError(
                f"The media file name {name!r} cannot go into a package (it has a path or "
                "forbidden characters)."
            )


def _zip(members: Mapping[str, bytes], compression: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()
