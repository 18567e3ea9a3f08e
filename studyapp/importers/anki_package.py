"""Anki packages (.apkg and .colpkg, every generation) -> an ImportDraft.

Both kinds are read the same way; a .colpkg is merged like an .apkg by the import service. Modern
packages also hold a placeholder `collection.anki2` ("Please update to the latest Anki version"):
the newest collection file present is always the one read, and the placeholder is never imported.
"""

from __future__ import annotations

from studyapp.errors import InvalidInputError
from studyapp.importers.anki_archive import (
    COLLECTION_FILES,
    Archive,
    PackageLimits,
    PackageMedia,
    PackageVersion,
    missing_media,
    read_media_map,
    read_version,
)
from studyapp.importers.anki_collection import CollectionReader
from studyapp.importers.drafts import ImportDraft, ImportStream

_PREFERENCE = (PackageVersion.LATEST, PackageVersion.LEGACY_2, PackageVersion.LEGACY_1)
_LISTED_MISSING = 5


def parse_anki_package(data: bytes, *, limits: PackageLimits | None = None) -> ImportDraft:
    """Read a whole package into memory; raises InvalidInputError for anything that is not a
    sound package."""
    stream = read_anki_package(data, limits=limits)
    try:
        return stream.draft()
    finally:
        stream.close()


def read_anki_package(data: bytes, *, limits: PackageLimits | None = None) -> ImportStream:
    """Open a package to be read row by row; the caller closes the stream. Raises
    InvalidInputError for anything that is not a sound package (also while rows are read)."""
    if not data:
        raise InvalidInputError("The file is empty.")
    limits = limits or PackageLimits()
    archive = Archive(data, limits)
    version = read_version(archive)
    version = _collection_version(archive, version)
    database = archive.read_large(COLLECTION_FILES[version])
    reader = CollectionReader(database, limits.time_limit_seconds)
    try:
        if version == PackageVersion.LEGACY_1 and reader.is_placeholder():
            raise InvalidInputError(
                "The package holds only Anki's 'please update' placeholder; its real "
                "collection is missing. Export it again from Anki."
            )
        entries = read_media_map(archive, version)
        package = reader.package_source()
    except BaseException:
        reader.close()
        raise
    missing = missing_media(archive, entries)
    closing: list[str] = []
    if missing:
        listed = ", ".join(missing[:_LISTED_MISSING])
        more = f" and {len(missing) - _LISTED_MISSING} more" if len(missing) > 5 else ""
        closing.append(f"The package lists media it does not hold: {listed}{more}.")
    return ImportStream(
        note_types=tuple(reader.note_types),
        decks=tuple(reader.decks),
        notes=reader.notes(),
        cards=reader.cards(),
        reviews=reader.reviews(),
        counts=(reader.note_count, reader.card_count, reader.review_count),
        warnings=lambda: (*reader.warnings, *closing),
        media=PackageMedia(archive, entries),
        collection_created_at=reader.created_at,
        source_format=COLLECTION_FILES[version].removeprefix("collection."),
        close=reader.close,
        package=package,
    )


def _collection_version(archive: Archive, declared: PackageVersion) -> PackageVersion:
    """The declared generation's collection file, else the newest one present."""
    if COLLECTION_FILES[declared] in archive:
        return declared
    for version in _PREFERENCE:
        if version > declared:
            continue
        if COLLECTION_FILES[version] in archive:
            return version
    raise InvalidInputError(
        f"The package says it holds {COLLECTION_FILES[declared]}, but that file is missing."
    )
