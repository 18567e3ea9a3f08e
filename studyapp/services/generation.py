"""Decks from documents: draft cards with provenance, reviewed by the user, then added.

Every generated note keeps its source: the stored document (a copy and its SHA-256) and the exact
character range of its sentence in the document's text.  When a document with the same name is
generated again after it changed, notes whose sentence is gone are flagged, not silently kept.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from studyapp.domain.cards import Card, Note
from studyapp.domain.clock import Clock, to_epoch
from studyapp.domain.sanitize import sanitize_card_html
from studyapp.errors import ImportCancelledError, InvalidInputError

if TYPE_CHECKING:
    from studyapp.storage.database import Database
    from studyapp.storage.note_sources import NoteSource
    from studyapp.storage.repositories import Repositories


@dataclass(frozen=True, slots=True)
class DraftCard:
    kind: str
    front: str
    back: str
    source_start: int
    source_end: int
    source_text: str


@dataclass(frozen=True, slots=True)
class GeneratedDocument:
    name: str
    kind: str
    text: str
    sha256: str
    cards: tuple[DraftCard, ...]
    content: bytes


@dataclass(frozen=True, slots=True)
class AddedCards:
    deck: str
    notes: int
    cards: int
    flagged: int


@dataclass(frozen=True, slots=True)
class SourceView:
    document: str
    text: str
    start: int
    end: int
    changed: bool


class GenerationService:
    SUFFIXES = frozenset({".txt", ".md", ".html", ".htm", ".pdf"})

    def __init__(self, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock

    def generate(
        self,
        path: Path,
        *,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> GeneratedDocument:
        """Draft cards for the document at `path`; nothing is stored yet."""

        def step(done: int) -> None:
            if cancelled is not None and cancelled():
                raise ImportCancelledError("Card generation was cancelled.")
            if progress is not None:
                progress(done, 3)

        try:
            content = path.read_bytes()
        except OSError as error:
            raise InvalidInputError(
                f"Cannot read {path.name}: {error.strerror or error}."
            ) from error
        step(0)
        from studyapp.generation.cards import generate_cards  # loaded on first use
        from studyapp.generation.documents import load_document

        document = load_document(content, path.suffix)
        step(1)
        drafts = generate_cards(document)
        step(2)
        cards = tuple(
            DraftCard(d.kind, d.front, d.back, d.source.start, d.source.end, d.source.text)
            for d in drafts
        )
        step(3)
        from hashlib import sha256  # not at start-up: hashlib loads OpenSSL

        return GeneratedDocument(
            name=path.name,
            kind=document.kind,
            text=document.text,
            sha256=sha256(content).hexdigest(),
            cards=cards,
            content=content,
        )

    def add_cards(
        self, document: GeneratedDocument, cards: Sequence[DraftCard], deck: str
    ) -> AddedCards:
        """Add the accepted drafts to `deck` (created if missing), with their provenance."""
        # Loaded here, not when the GUI builds this service at start-up.
        from studyapp.domain.templates import card_ordinals
        from studyapp.services.collection import DEFAULT_PRESET_ID, ensure_deck
        from studyapp.storage.note_sources import NoteSource

        now = to_epoch(self._clock.now())
        with self._database.transaction() as repos:
            stored = repos.documents.by_sha256(document.sha256)
            document_id = (
                stored.id
                if stored is not None
                else repos.documents.add(
                    document.name,
                    document.kind,
                    document.sha256,
                    document.content,
                    document.text,
                    now,
                )
            )
            flagged = self._recheck_older_versions(repos, document, document_id)
            target = ensure_deck(repos, deck, DEFAULT_PRESET_ID)
            notes = [self._note(repos, card, now) for card in cards]
            ids = repos.notes.add_many([note for note, _ in notes])
            repos.documents.set_sources(
                [
                    NoteSource(note_id, document_id, card.source_start, card.source_end, False)
                    for note_id, card in zip(ids, cards, strict=True)
                ]
            )
            position = repos.cards.next_new_position()
            new_cards: list[Card] = []
            for note_id, (note, note_type_name) in zip(ids, notes, strict=True):
                note_type = repos.note_types.by_name(note_type_name)
                assert note_type is not None
                for ordinal in card_ordinals(note_type, note.fields):
                    new_cards.append(Card(0, note_id, target.id, ordinal, due=position))
                    position += 1
            repos.cards.add_many(new_cards, now)
            return AddedCards(target.name, len(ids), len(new_cards), flagged)

    def _note(self, repos: Repositories, card: DraftCard, now: int) -> tuple[Note, str]:
        name, fields = note_fields(card)
        note_type = repos.note_types.by_name(name)
        assert note_type is not None  # stock note types exist in every collection
        sanitized = tuple(sanitize_card_html(value) for value in fields)
        source = f"“{card.source_text.strip()}”"
        from secrets import token_urlsafe  # with hashlib: not at start-up

        guid = "gen-" + token_urlsafe(9)
        return Note(0, guid, note_type.id, sanitized, ("generated",), now, now, source), name

    def _recheck_older_versions(
        self, repos: Repositories, document: GeneratedDocument, document_id: int
    ) -> int:
        """Move notes from older versions of this document to it, flagging changed sentences."""
        from studyapp.storage.note_sources import NoteSource

        moved: list[NoteSource] = []
        flagged = 0
        for source in repos.documents.sources_from_documents_named(document.name, document_id):
            old = repos.documents.get(source.document_id)
            assert old is not None
            sentence = old.text[source.start : source.end]
            found = document.text.find(sentence) if sentence else -1
            if found < 0:
                moved.append(
                    NoteSource(source.note_id, source.document_id, source.start, source.end, True)
                )
                flagged += not source.changed
            else:
                moved.append(
                    NoteSource(source.note_id, document_id, found, found + len(sentence), False)
                )
        repos.documents.set_sources(moved)
        return flagged

    def source_of(self, card_id: int) -> SourceView | None:
        with self._database.transaction() as repos:
            source = repos.documents.source_of_card(card_id)
            if source is None:
                return None
            document = repos.documents.get(source.document_id)
            assert document is not None
            return SourceView(
                document.name, document.text, source.start, source.end, source.changed
            )


def _where(source: NoteSource) -> tuple[int, int, int, int]:
    return source.note_id, source.document_id, source.start, source.end


def note_fields(card: DraftCard) -> tuple[str, tuple[str, ...]]:
    """The note type and field values (HTML) for a draft."""
    import html

    front, back = html.escape(card.front), html.escape(card.back)
    if card.kind == "cloze":
        from studyapp.generation.drafts import BLANK  # loaded on first use

        blank = card.front.find(BLANK)
        prefix, suffix = card.front[:blank], card.front[blank + len(BLANK) :]
        if (
            blank >= 0
            and card.back.startswith(prefix)
            and card.back.endswith(suffix)
            and len(card.back) > len(prefix) + len(suffix)
        ):
            term = card.back[len(prefix) : len(card.back) - len(suffix)]
            text = html.escape(prefix) + "{{c1::" + html.escape(term) + "}}" + html.escape(suffix)
            return "Cloze", (text, "")
    if card.kind == "contrast":
        return "Contrast", (front, back, "")
    return "Basic", (front, back, "")
