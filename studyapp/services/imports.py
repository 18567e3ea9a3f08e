"""Importing files into the collection: text exports, Anki packages and our deck format.

An import is one transaction: a file that cannot be read, a cancel, or any failure leaves the
collection exactly as it was.  Media files are written first, under temporary names the importer
has checked, and take their real names only after the database commit: a media file that cannot be
written (a full disk) stops the import before the collection changes, and a failed commit leaves
no media behind.  The importers (and the import run with its storage writers) load with the first
preview or import: start-up needs none of them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from contextlib import closing
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from studyapp.domain.cards import NoteType
from studyapp.domain.clock import Clock
from studyapp.errors import InvalidInputError, StorageError

if TYPE_CHECKING:  # the importers load with the first preview or import, not at start-up
    from studyapp.importers.drafts import ImportDraft
    from studyapp.importers.text import TextImportOptions
    from studyapp.services.import_run import Progress
    from studyapp.storage.database import Database

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ImportSummary:
    file_name: str
    added: int
    updated: int
    unchanged: int
    skipped: int
    failed: int
    cards_added: int
    reviews_added: int
    media_added: int
    messages: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TextPreview:
    separator: str
    has_header: bool
    header: tuple[str, ...] | None
    rows: tuple[tuple[str, ...], ...]
    columns: int
    deck: str
    note_type: str
    columns_map: tuple[str | None, ...]
    note_types: tuple[tuple[str, tuple[str, ...]], ...]
    decks: tuple[str, ...]
    bad_rows: tuple[str, ...]


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise InvalidInputError(f"Cannot read {path.name}: {error.strerror or error}.") from error


class ImportService:
    TEXT_SUFFIXES = frozenset({".csv", ".tsv", ".txt"})
    PACKAGE_SUFFIXES = frozenset({".apkg", ".colpkg"})
    DECK_SUFFIXES = frozenset({".toml"})

    def __init__(
        self, database: Database, clock: Clock, media_dir: Path, *, copy_packages: bool = True
    ) -> None:
        """`copy_packages`: copy an Anki package's cards and reviews with SQL where the
        database allows it (else they are read and written row by row, as on PostgreSQL)."""
        self._database = database
        self._clock = clock
        self._media_dir = media_dir
        self._copy_packages = copy_packages

    def _note_types(self) -> tuple[NoteType, ...]:
        with self._database.transaction() as repos:
            return tuple(repos.note_types.all())

    def preview_text(self, path: Path, options: TextImportOptions) -> TextPreview:
        note_types = self._note_types()
        from studyapp.importers.text import preview_text

        preview = preview_text(
            _read(path), file_name=path.name, options=replace(options, note_types=note_types)
        )
        with self._database.transaction() as repos:
            decks = tuple(d.name for d in repos.decks.all())
        return TextPreview(
            separator=preview.separator,
            has_header=preview.has_header,
            header=preview.header,
            rows=preview.rows,
            columns=preview.columns,
            deck=preview.deck,
            note_type=preview.note_type,
            columns_map=preview.columns_map,
            note_types=tuple((t.name, t.fields) for t in note_types),
            decks=decks,
            bad_rows=preview.bad_rows,
        )

    def import_file(
        self,
        path: Path,
        *,
        options: TextImportOptions | None = None,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> ImportSummary:
        """Import `path` in one transaction; see the module docstring for the guarantees."""
        from studyapp.importers.drafts import ImportStream
        from studyapp.importers.text import TextImportOptions, parse_text

        suffix = path.suffix.casefold()
        data = _read(path)
        if suffix in self.TEXT_SUFFIXES:
            chosen = replace(options or TextImportOptions(), note_types=self._note_types())
            stream = ImportStream.of(parse_text(data, file_name=path.name, options=chosen))
        elif suffix in self.PACKAGE_SUFFIXES:
            from studyapp.importers.anki_package import read_anki_package

            stream = read_anki_package(data)
            if not self._copy_packages:
                stream = replace(stream, package=None)
        elif suffix in self.DECK_SUFFIXES:
            stream = ImportStream.of(_deck_file_draft(data, self._note_types()))
        else:
            raise InvalidInputError(
                f"{path.name}: StudyApp imports .csv, .tsv, .txt, .apkg, .colpkg and .toml files."
            )
        del data
        from studyapp.services.import_run import ImportRun

        with closing(stream):
            run = ImportRun(stream, self._clock, progress, cancelled)
            staged = self._stage_media(stream.media, run.messages)
            try:
                with self._database.transaction() as repos:
                    run.apply(repos)
            except BaseException:
                _discard(staged)
                raise
        for partial, target in staged:
            partial.replace(target)
        self._database.optimize()
        media_added = len(staged)
        return ImportSummary(
            file_name=path.name,
            added=run.added,
            updated=run.updated,
            unchanged=run.unchanged,
            skipped=len(stream.skipped_rows) + run.skipped,
            failed=0,
            cards_added=run.cards_added,
            reviews_added=run.reviews_added,
            media_added=media_added,
            messages=(*stream.warnings(), *run.messages),
        )

    def _stage_media(
        self, media: Mapping[str, bytes], messages: list[str]
    ) -> list[tuple[Path, Path]]:
        """Write the new media files under temporary names: (temporary, final) paths.

        Raises StorageError, with nothing left behind, when a file cannot be written."""
        staged: list[tuple[Path, Path]] = []
        name = ""
        try:
            self._media_dir.mkdir(parents=True, exist_ok=True)
            root = self._media_dir.resolve()
            for name in media:
                target = (root / name).resolve()
                if target.parent != root:
                    messages.append(f"The media file name {name!r} was refused.")
                    continue
                content = media[name]
                if target.exists():
                    if target.read_bytes() != content:
                        messages.append(
                            f"A different media file called {name} already exists; "
                            "kept the old one."
                        )
                    continue
                partial = target.with_name(target.name + ".partial")
                staged.append((partial, target))
                partial.write_bytes(content)
        except OSError as error:
            _discard(staged)
            about = f"The media file {name}" if name else "The media folder"
            raise StorageError(
                f"{about} could not be written ({error.strerror or error}), "
                "so nothing was imported."
            ) from error
        return staged


def _discard(staged: Iterable[tuple[Path, Path]]) -> None:
    for partial, _target in staged:
        partial.unlink(missing_ok=True)


def _deck_file_draft(data: bytes, note_types: Iterable[NoteType]) -> ImportDraft:
    from studyapp.importers.deckfile import parse_deck_file
    from studyapp.importers.drafts import ImportDraft, ImportedDeck, ImportedNote, NoteTypeDraft

    deck = parse_deck_file(data)
    known = {t.name: t for t in note_types}
    used: dict[str, NoteType] = {}
    notes = []
    for note in deck.notes:
        note_type = known.get(note.note_type)
        if note_type is None:
            raise InvalidInputError(
                f"Note {note.guid} uses the unknown note type {note.note_type}."
            )
        used[note_type.name] = note_type
        notes.append(
            ImportedNote(
                key=note.guid,
                guid=note.guid,
                note_type_key=note_type.name,
                fields=note.field_values(note_type),
                tags=tuple(note.tags),
                deck=deck.name,
            )
        )
    return ImportDraft(
        note_types=tuple(NoteTypeDraft.from_note_type(t) for t in used.values()),
        decks=(ImportedDeck(deck.name),),
        notes=tuple(notes),
        source_format="studyapp",
    )
