"""Exporting a deck (with its subdecks) or the whole collection."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from studyapp.domain.cards import Note
from studyapp.domain.clock import Clock, from_epoch, study_day, study_day_start, to_epoch
from studyapp.domain.decks import parent_names
from studyapp.errors import InvalidInputError, NotFoundError
from studyapp.services.queue import subtree
from studyapp.services.settings import read_settings

if TYPE_CHECKING:  # the exporters are imported on first export, not at start-up
    from studyapp.exporters.bundle import ExportBundle
    from studyapp.storage.database import Database

_MEDIA_REFERENCE = re.compile(r"""src\s*=\s*["']?([^"'\s>]+)|\[sound:([^\]]+)\]""", re.I)


class ExportFormat(StrEnum):
    APKG = "apkg"
    APKG_LEGACY = "apkg-legacy"
    TEXT = "txt"
    CSV = "csv"
    DECK = "toml"


@dataclass(frozen=True, slots=True)
class ExportResult:
    path: Path
    notes: int
    cards: int
    reviews: int
    media: int


class ExportService:
    def __init__(self, database: Database, clock: Clock, media_dir: Path) -> None:
        self._database = database
        self._clock = clock
        self._media_dir = media_dir

    def bundle(
        self, deck: str | None, *, include_scheduling: bool = True, include_media: bool = True
    ) -> ExportBundle:
        """The deck called `deck` with its subdecks, or the whole collection, as plain values."""
        from studyapp.exporters.bundle import ExportBundle  # loaded on first export

        with self._database.transaction() as repos:
            settings = read_settings(repos.settings)
            all_decks = repos.decks.all()
            if deck is None:
                chosen = all_decks
            else:
                root = repos.decks.by_name(deck)
                if root is None:
                    raise NotFoundError(f"There is no deck called “{deck}”.")
                chosen = subtree(all_decks, root)
            wanted = {d.name for d in chosen}
            for d in chosen:
                wanted.update(parent_names(d.name))
            decks = tuple(d for d in all_decks if d.name in wanted)
            cards = repos.exports.cards_in_decks([d.id for d in chosen])
            notes = repos.exports.notes(sorted({card.note_id for card in cards}))
            reviews = repos.exports.reviews([card.id for card in cards])
            used_types = {note.note_type_id for note in notes}
            note_types = tuple(t for t in repos.note_types.all() if t.id in used_types)
            presets = tuple(repos.presets.all())
            first = repos.exports.first_created() or to_epoch(self._clock.now())
        zone = self._clock.zone
        crt_day = study_day(from_epoch(first), settings.rollover_hour, zone)
        media = self._media(notes) if include_media else {}
        return ExportBundle(
            note_types=note_types,
            decks=decks,
            notes=tuple(notes),
            cards=tuple(cards),
            reviews=tuple(reviews) if include_scheduling else (),
            media=media,
            rollover_hour=settings.rollover_hour,
            zone=zone,
            include_scheduling=include_scheduling,
            created_at=to_epoch(study_day_start(crt_day, settings.rollover_hour, zone)),
            presets=presets,
        )

    def _media(self, notes: Sequence[Note]) -> dict[str, bytes]:
        found: dict[str, bytes] = {}
        root = self._media_dir.resolve()
        for note in notes:
            for field in note.fields:
                for match in _MEDIA_REFERENCE.finditer(field):
                    name = match.group(1) or match.group(2)
                    path = (root / name).resolve()
                    if path.parent == root and path.is_file():
                        found[name] = path.read_bytes()
        return found

    def export(
        self,
        target: Path,
        export_format: ExportFormat,
        *,
        deck: str | None = None,
        include_scheduling: bool = True,
        include_media: bool = True,
    ) -> ExportResult:
        bundle = self.bundle(
            deck, include_scheduling=include_scheduling, include_media=include_media
        )
        if not bundle.notes:
            raise InvalidInputError("There is nothing to export: the deck has no cards.")
        from studyapp.exporters.anki_package import write_apkg  # loaded on first export
        from studyapp.exporters.deckfile import write_deck_file
        from studyapp.exporters.text import write_text

        if export_format is ExportFormat.APKG:
            data = write_apkg(bundle)
        elif export_format is ExportFormat.APKG_LEGACY:
            data = write_apkg(bundle, legacy=True)
        elif export_format is ExportFormat.TEXT:
            data = write_text(bundle, separator="\t")
        elif export_format is ExportFormat.CSV:
            data = write_text(bundle, separator=",")
        else:
            data = write_deck_file(bundle, deck_name=deck or bundle.decks[0].name)
        partial = target.with_name(target.name + ".partial")
        try:
            partial.write_bytes(data)
            partial.replace(target)
        except OSError as error:
            partial.unlink(missing_ok=True)
            raise InvalidInputError(f"Cannot write {target}: {error.strerror or error}.") from error
        return ExportResult(
            target,
            len(bundle.notes),
            len(bundle.cards),
            len(bundle.reviews),
            len(bundle.media),
        )
