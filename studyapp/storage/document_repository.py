"""Source documents and the provenance of the notes generated from them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from studyapp.storage.note_sources import NoteSource
from studyapp.storage.schema import CardRow, DocumentRow, NoteRow


@dataclass(frozen=True, slots=True)
class StoredDocument:
    id: int
    name: str
    kind: str
    sha256: str
    text: str


class DocumentRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    @staticmethod
    def _value(row: DocumentRow) -> StoredDocument:
        return StoredDocument(row.id, row.name, row.kind, row.sha256, row.text)

    def by_sha256(self, sha256: str) -> StoredDocument | None:
        row = self._session.scalars(select(DocumentRow).where(DocumentRow.sha256 == sha256)).first()
        return None if row is None else self._value(row)

    def get(self, document_id: int) -> StoredDocument | None:
        row = self._session.get(DocumentRow, document_id)
        return None if row is None else self._value(row)

    def add(self, name: str, kind: str, sha256: str, content: bytes, text: str, now: int) -> int:
        row = DocumentRow(
            name=name, kind=kind, sha256=sha256, content=content, text=text, added_at=now
        )
        self._session.add(row)
        self._session.flush()
        return row.id

    def set_sources(self, sources: Sequence[NoteSource]) -> None:
        for source in sources:
            self._session.execute(
                update(NoteRow)
                .where(NoteRow.id == source.note_id)
                .values(
                    document_id=source.document_id,
                    source_start=source.start,
                    source_end=source.end,
                    source_changed=source.changed,
                )
            )

    def sources_from_documents_named(self, name: str, except_id: int) -> list[NoteSource]:
        """Provenance of notes generated from other versions of the document called `name`."""
        query = (
            select(
                NoteRow.id,
                NoteRow.document_id,
                NoteRow.source_start,
                NoteRow.source_end,
                NoteRow.source_changed,
            )
            .join(DocumentRow, DocumentRow.id == NoteRow.document_id)
            .where(DocumentRow.name == name, DocumentRow.id != except_id)
        )
        return [
            NoteSource(note_id, document_id or 0, start or 0, end or 0, bool(changed))
            for note_id, document_id, start, end, changed in self._session.execute(query)
        ]

    def source_of_card(self, card_id: int) -> NoteSource | None:
        query = (
            select(
                NoteRow.id,
                NoteRow.document_id,
                NoteRow.source_start,
                NoteRow.source_end,
                NoteRow.source_changed,
            )
            .join(CardRow, CardRow.note_id == NoteRow.id)
            .where(CardRow.id == card_id, NoteRow.document_id.is_not(None))
        )
        row = self._session.execute(query).first()
        if row is None:
            return None
        note_id, document_id, start, end, changed = row
        return NoteSource(note_id, document_id or 0, start or 0, end or 0, bool(changed))
