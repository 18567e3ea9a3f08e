"""Review-time actions on a real collection: bury, suspend, flag, mark, delete; undo and redo."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from studyapp.domain.cards import BuryKind, Card, Note, Rating
from studyapp.domain.clock import ManualClock, to_epoch
from studyapp.errors import InvalidInputError, NotFoundError
from studyapp.services.container import Services
from studyapp.storage.database import Database

DeckMaker = Callable[[str, int], int]


def first_card(services: Services, deck_id: int) -> int:
    step = services.study.next_step(deck_id)
    assert step.card is not None
    return step.card.card_id


def card(database: Database, card_id: int) -> Card:
    with database.transaction() as repos:
        found = repos.cards.get(card_id)
    assert found is not None
    return found


def note_of(database: Database, card_id: int) -> Note:
    with database.transaction() as repos:
        note = repos.notes.get(card(database, card_id).note_id)
    assert note is not None
    return note


def rows(database: Database, card_ids: list[int], note_id: int) -> Any:
    """Every stored column of the note, its cards and their review log."""
    with database.transaction() as repos:
        return repos.snapshots.capture(note_ids=[note_id], card_ids=card_ids, reviews_of=card_ids)


def reversed_note(database: Database, clock: ManualClock, deck_id: int) -> tuple[int, int]:
    """A note with two cards (front and back) in `deck_id`; returns both card ids."""
    now = to_epoch(clock.now())
    with database.transaction() as repos:
        note_type = repos.note_types.by_name("Basic (and reversed card)")
        assert note_type is not None
        note = repos.notes.add(Note(0, "two-sided", note_type.id, ("Front", "Back"), (), now, now))
        ids = [
            repos.cards.add(Card(0, note.id, deck_id, ordinal, due=-10 + ordinal), now).id
            for ordinal in (0, 1)
        ]
    return ids[0], ids[1]


def test_bury_card_hides_it_until_the_next_study_day(
    services: Services, database: Database, make_deck: DeckMaker, clock: ManualClock
) -> None:
    deck_id = make_deck("Bury", 3)
    card_id = first_card(services, deck_id)

    assert services.card_actions.bury_card(card_id) == 1

    assert card(database, card_id).buried is BuryKind.MANUAL
    assert first_card(services, deck_id) != card_id
    assert services.study.next_step(deck_id).counts.new == 2
    assert services.undo.label() == "Bury card"

    clock.advance(timedelta(days=1))
    assert services.study.next_step(deck_id).counts.new == 3
    assert card(database, card_id).buried is BuryKind.NONE


def test_buried_cards_stay_buried_until_the_rollover_hour(
    services: Services, database: Database, make_deck: DeckMaker, clock: ManualClock
) -> None:
    deck_id = make_deck("Late", 2)
    clock.advance(timedelta(hours=13))  # 23:00 UTC; the study day rolls over at 4:00
    card_id = first_card(services, deck_id)
    services.card_actions.bury_card(card_id)

    clock.advance(timedelta(hours=4))  # 3:00 next morning: still the same study day
    assert services.study.next_step(deck_id).counts.new == 1
    clock.advance(timedelta(hours=2))  # 5:00: a new study day
    assert services.study.next_step(deck_id).counts.new == 2


def test_burying_on_a_new_day_before_any_queue_is_not_undone_by_the_first_queue(
    services: Services, database: Database, make_deck: DeckMaker, clock: ManualClock
) -> None:
    deck_id = make_deck("Early", 2)
    card_id = first_card(services, deck_id)
    clock.advance(timedelta(days=1))  # no queue has been built today yet

    services.card_actions.bury_card(card_id)

    assert services.study.next_step(deck_id).counts.new == 1
    assert card(database, card_id).buried is BuryKind.MANUAL


def test_bury_note_buries_every_card_of_the_note(
    services: Services, database: Database, make_deck: DeckMaker, clock: ManualClock
) -> None:
    deck_id = make_deck("Siblings", 1)
    front, back = reversed_note(database, clock, deck_id)

    assert services.card_actions.bury_note(back) == 2

    assert card(database, front).buried is BuryKind.MANUAL
    assert card(database, back).buried is BuryKind.MANUAL
    assert services.study.next_step(deck_id).counts.new == 1
    assert services.undo.label() == "Bury note"


def test_suspend_card_and_note_take_cards_out_of_study(
    services: Services, database: Database, make_deck: DeckMaker, clock: ManualClock
) -> None:
    deck_id = make_deck("Suspend", 1)
    front, back = reversed_note(database, clock, deck_id)

    assert services.card_actions.suspend_card(front) == 1
    assert card(database, front).suspended
    assert not card(database, back).suspended
    assert services.undo.label() == "Suspend card"

    assert services.card_actions.suspend_note(back) == 2
    assert card(database, back).suspended
    assert services.study.next_step(deck_id).counts.new == 1
    clock.advance(timedelta(days=1))
    assert card(database, front).suspended  # suspension outlasts the day, unlike burying
    assert services.study.next_step(deck_id).counts.new == 1


def test_undo_and_redo_restore_the_exact_rows(
    services: Services, database: Database, make_deck: DeckMaker, clock: ManualClock
) -> None:
    deck_id = make_deck("Exact", 1)
    front, back = reversed_note(database, clock, deck_id)
    services.study.answer(front, Rating.GOOD, 2000)
    note_id = card(database, front).note_id
    original = rows(database, [front, back], note_id)
    clock.advance(timedelta(minutes=5))

    actions = services.card_actions
    for act in (
        lambda: actions.bury_note(front),
        lambda: actions.suspend_note(front),
        lambda: actions.set_flag(front, 3),
        lambda: actions.toggle_mark(front),
    ):
        act()
        changed = rows(database, [front, back], note_id)
        assert changed != original
        services.undo.undo()
        assert rows(database, [front, back], note_id) == original
        services.undo.redo()
        assert rows(database, [front, back], note_id) == changed
        services.undo.undo()
        assert rows(database, [front, back], note_id) == original


def test_flags_set_replace_and_clear(
    services: Services, database: Database, make_deck: DeckMaker
) -> None:
    card_id = first_card(services, make_deck("Flags", 1))

    status = services.card_actions.set_flag(card_id, 1)
    assert status.flag == 1
    assert services.undo.label() == "Flag card"
    assert services.card_actions.set_flag(card_id, 7).flag == 7
    assert card(database, card_id).flag == 7
    assert services.card_actions.set_flag(card_id, 0).flag == 0
    assert services.undo.label() == "Remove flag"

    services.undo.undo()
    assert services.card_actions.status(card_id).flag == 7

    with pytest.raises(InvalidInputError, match="0 to 7"):
        services.card_actions.set_flag(card_id, 8)


def test_mark_toggles_the_marked_tag_on_the_note(
    services: Services, database: Database, make_deck: DeckMaker
) -> None:
    card_id = first_card(services, make_deck("Marks", 1))

    assert services.card_actions.toggle_mark(card_id).marked
    assert note_of(database, card_id).tags == ("marked",)
    assert services.undo.label() == "Mark note"

    assert not services.card_actions.toggle_mark(card_id).marked
    assert note_of(database, card_id).tags == ()
    assert services.undo.label() == "Unmark note"


def test_mark_recognises_the_tag_in_any_case_and_keeps_other_tags(
    services: Services, database: Database, make_deck: DeckMaker
) -> None:
    card_id = first_card(services, make_deck("Tagged", 1))
    note = note_of(database, card_id)
    with database.transaction() as repos:
        repos.notes.update(Note(**{**_fields(note), "tags": ("cardio", "Marked")}))

    assert services.card_actions.status(card_id).marked
    assert not services.card_actions.toggle_mark(card_id).marked
    assert note_of(database, card_id).tags == ("cardio",)


def _fields(note: Note) -> dict[str, Any]:
    return {name: getattr(note, name) for name in Note.__dataclass_fields__}


def test_delete_note_removes_its_cards_and_history_and_undo_brings_all_back(
    services: Services, database: Database, make_deck: DeckMaker, clock: ManualClock
) -> None:
    deck_id = make_deck("Delete", 2)
    front, back = reversed_note(database, clock, deck_id)
    services.study.answer(front, Rating.AGAIN, 1500)
    services.study.answer(back, Rating.GOOD, 1500)
    note_id = card(database, front).note_id
    original = rows(database, [front, back], note_id)
    assert len(original.reviews) == 2
    before_counts = services.study.next_step(deck_id).counts

    assert services.card_actions.delete_note(front) == 2

    with database.transaction() as repos:
        assert repos.notes.get(note_id) is None
        assert repos.cards.get(front) is None
        assert repos.cards.get(back) is None
        assert repos.reviews.for_card(front) == []
    assert services.undo.label() == "Delete note"

    services.undo.undo()
    assert rows(database, [front, back], note_id) == original
    assert services.study.next_step(deck_id).counts == before_counts

    services.undo.redo()
    with database.transaction() as repos:
        assert repos.notes.get(note_id) is None
        assert repos.reviews.for_card(back) == []


def test_actions_on_a_missing_card_say_so(services: Services) -> None:
    with pytest.raises(NotFoundError, match="no card"):
        services.card_actions.bury_card(999_999)
    with pytest.raises(NotFoundError, match="no card"):
        services.card_actions.delete_note(999_999)
