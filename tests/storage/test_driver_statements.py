"""The study path's statements run on the driver: the same values as through the ORM, and the
same errors, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.exc import IntegrityError

from studyapp.domain.cards import BuryKind, Card, CardState, Note, Rating, Review, ReviewKind
from studyapp.errors import StorageError
from studyapp.services.container import Services
from studyapp.storage.database import Database
from studyapp.storage.rows import card_value, note_value
from studyapp.storage.schema import CardRow, NoteRow
from tests.conftest import DeckMaker


def _first_card(database: Database, deck_id: int) -> Card:
    with database.transaction() as repos:
        card = repos.cards.first_new([deck_id])
        assert card is not None
        return card


def _orm_card(database: Database, card_id: int) -> Card:
    with database.transaction() as repos:
        row = repos.session.scalars(select(CardRow).where(CardRow.id == card_id)).one()
        return card_value(row)


def test_a_card_reads_and_saves_as_through_the_orm(
    database: Database, make_deck: DeckMaker
) -> None:
    deck_id = make_deck("Driver", 3)
    other = make_deck("Other", 1)
    card = _first_card(database, deck_id)
    with database.transaction() as repos:
        assert repos.cards.get(card.id) == _orm_card(database, card.id) == card
        assert card.stability is None
        assert card.suspended is False
    changed = replace(
        card,
        state=CardState.RELEARNING,
        due=1_800_000_000,
        interval=12,
        step=1,
        stability=3.25,
        difficulty=7.5,
        reps=9,
        lapses=2,
        last_review_day=740_000,
        flag=3,
        suspended=True,
        buried=BuryKind.SIBLING,
        home_deck_id=other,
    )
    with database.transaction() as repos:
        stored = repos.cards.get(card.id, for_update=True)
        repos.cards.save(changed, 1_800_000_001, stored)
    with database.transaction() as repos:
        assert repos.cards.get(card.id) == changed
        assert repos.cards.for_note(card.note_id) == [changed]
    assert _orm_card(database, card.id) == changed
    with database.transaction() as repos:
        repos.cards.save(card, 1_800_000_002)  # every column, back as it was
    assert _orm_card(database, card.id) == card


def test_the_next_card_lookups_cover_one_deck_and_several(
    database: Database, make_deck: DeckMaker
) -> None:
    first = make_deck("Tree", 2)
    second = make_deck("Tree::Leaf", 2)
    with database.transaction() as repos:
        new_in_first = repos.cards.first_new([first])
        new_in_both = repos.cards.first_new([second, first])
        assert new_in_first is not None
        assert new_in_both is not None
        assert new_in_both.id == new_in_first.id  # the lower position, whichever deck
        assert repos.cards.first_new([second]) != new_in_first
        learning = replace(new_in_first, state=CardState.LEARNING, due=5_000)
        repos.cards.save(learning, 1)
        assert repos.cards.first_learning_due([first, second], 4_999) is None
        assert repos.cards.first_learning_due([second, first], 5_000) == learning
        assert repos.cards.first_learning_due([first], None) == learning
        assert repos.cards.first_learning_due([second], None) is None
        assert repos.cards.first_review_due([first, second], 10**6) is None


def test_a_note_reads_as_through_the_orm(services: Services, database: Database) -> None:
    with database.transaction() as repos:
        basic = repos.note_types.by_name("Basic")
        assert basic is not None
        fields = ('Ünïcode "quoted"', "\\ back\nslash", "")
        note = repos.notes.add(Note(0, "driver-note", basic.id, fields, ("a", "b"), 1, 2, "source"))
    with database.transaction() as repos:
        found = repos.notes.get(note.id)
        orm = note_value(repos.session.scalars(select(NoteRow).where(NoteRow.id == note.id)).one())
        assert repos.notes.get(note.id + 1000) is None
    assert found is not None
    assert (found.fields, found.tags, found.source) == (note.fields, ("a", "b"), "source")
    assert (found.id, found.guid, found.note_type_id) == (orm.id, orm.guid, orm.note_type_id)
    assert (found.fields, found.tags, found.created_at) == (orm.fields, orm.tags, orm.created_at)


def test_a_review_is_logged_with_a_new_id(database: Database, make_deck: DeckMaker) -> None:
    card = _first_card(database, make_deck("Log", 1))
    review = Review(
        card_id=card.id,
        reviewed_at=1_700_000_000_000,
        kind=ReviewKind.LEARN,
        rating=Rating.GOOD,
        state_before=CardState.NEW,
        last_interval=0,
        interval=-600,
        time_taken_ms=4200,
        stability=2.5,
        difficulty=4.75,
    )
    with database.transaction() as repos:
        first = repos.reviews.add(review)
        second = repos.reviews.add(replace(review, reviewed_at=1_700_000_001_000, rating=None))
    assert second > first > 0
    with database.transaction() as repos:
        logged = repos.reviews.for_card(card.id)
    later = replace(review, id=second, reviewed_at=1_700_000_001_000, rating=None)
    assert logged == [replace(review, id=first), later]


def test_a_refused_write_raises_as_sqlalchemy_and_rolls_back(
    database: Database, make_deck: DeckMaker
) -> None:
    card = _first_card(database, make_deck("Refused", 1))
    orphan = Review(
        card_id=card.id + 10_000,
        reviewed_at=1,
        kind=ReviewKind.LEARN,
        rating=Rating.AGAIN,
        state_before=CardState.NEW,
        last_interval=0,
        interval=-60,
        time_taken_ms=1,
        stability=None,
        difficulty=None,
    )

    def answer_a_missing_card() -> None:
        with database.transaction() as repos:
            repos.cards.save(replace(card, reps=5), 1)
            repos.reviews.add(orphan)  # no such card: the foreign key refuses it

    with pytest.raises(IntegrityError):
        answer_a_missing_card()
    assert _orm_card(database, card.id) == card  # the save before it was rolled back too
    with database.transaction() as repos:
        assert repos.cards.get(card.id) == card


@pytest.mark.sqlite_only
def test_a_full_disk_on_the_driver_path_says_so_and_writes_nothing(
    database: Database, make_deck: DeckMaker
) -> None:
    card = _first_card(database, make_deck("Full", 1))
    pages = database.sqlite_pragma("PRAGMA page_count")[0][0]

    def cap(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    event.listen(database.engine, "connect", cap)  # a disk full at the file's present size
    database.engine.dispose()
    review = Review(
        card_id=card.id,
        reviewed_at=1,
        kind=ReviewKind.LEARN,
        rating=Rating.GOOD,
        state_before=CardState.NEW,
        last_interval=0,
        interval=-60,
        time_taken_ms=1,
        stability=None,
        difficulty=None,
        source_id="x" * 90,
    )

    def log_many() -> None:
        with database.transaction() as repos:
            for second in range(5000):
                repos.reviews.add(replace(review, reviewed_at=second, source_id=f"{second:090}"))

    with pytest.raises(StorageError, match="disk is full"):
        log_many()
    event.remove(database.engine, "connect", cap)
    database.engine.dispose()
    with database.transaction() as repos:
        assert repos.reviews.for_card(card.id) == []
