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
from studyapp.importers.anki_collection import is_placeholder, read_collection
from studyapp.importers.drafts import ImportDraft

_PREFERENCE = (PackageVersion.LATEST, PackageVersion.LEGACY_2, PackageVersion.LEGACY_1)
_LISTED_MISSING = 5


def parse_anki_package(data: bytes, *, limits: PackageLimits | None = None) -> ImportDraft:
    """Read a package; raises InvalidInputError for anything that is not a sound package."""
    if not data:
        raise InvalidInputError("The file is empty.")
    limits = limits or PackageLimits()
    archive = Archive(data, limits)
    version = read_version(archive)
    version = _collection_version(archive, version)
    collection = archive.read(COLLECTION_FILES[version])
    content = read_collection(collection, limits.time_limit_seconds)
    if version == PackageVersion.LEGACY_1 and is_placeholder(content):
        raise InvalidInputError(
            "The package holds only Anki's 'please update' placeholder; its real collection "
            "is missing. Export it again from Anki."
        )
    del collection
    entries = read_media_map(archive, version)
    warnings = list(content.warnings)
    missing = missing_media(archive, entries)
    if missing:
        listed = ", ".join(missing[:_LISTED_MISSING])
        more = f" and {len(missing) - _LISTED_MISSING} more" if len(missing) > 5 else ""
        warnings.append(f"The package lists media it does not hold: {listed}{more}.")
    return ImportDraft(
        note_types=tuple(content.note_types),
        decks=tuple(content.decks),
        notes=tuple(content.notes),
        cards=tuple(content.cards),
        reviews=tuple(content.reviews),
        media=PackageMedia(archive, entries),
        warnings=tuple(warnings),
        collection_created_at=content.created_at,
        source_format=COLLECTION_FILES[version].removeprefix("collection."),
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
