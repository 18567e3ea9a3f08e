"""Adding, renaming, moving, deleting and folding decks on a real collection, with undo."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from studyapp.domain.cards import Card, Rating
from studyapp.domain.decks import DeckFilter
from studyapp.errors import InvalidInputError, NotFoundError
from studyapp.services.container import Services
from studyapp.storage.database import Database
from tests.gui.sample_decks import EMT_DECK

DeckMaker = Callable[[str, int], int]


def names(services: Services) -> list[str]:
    return [row.name for row in services.decks.deck_list()]


def everything(database: Database) -> Any:
    """Every deck, note, card and review-log row, column by column."""
    with database.transaction() as repos:
        decks = [d.id for d in repos.decks.all()]
        cards = [c[0] for c in repos.cards.placed_in(decks)]
        notes = [c[1] for c in repos.cards.placed_in(decks)]
        return repos.snapshots.capture(
            deck_ids=decks, note_ids=notes, card_ids=cards, reviews_of=cards
        )


def test_create_adds_the_deck_and_missing_parents(services: Services) -> None:
    deck = services.decks.create("  Cardiology :: Drugs ")

    assert deck.name == "Cardiology::Drugs"
    assert names(services) == ["Cardiology", "Cardiology::Drugs", EMT_DECK]
    assert services.undo.label() == "Add deck"

    services.undo.undo()
    assert names(services) == [EMT_DECK]
    services.undo.redo()
    assert names(services) == ["Cardiology", "Cardiology::Drugs", EMT_DECK]
    assert services.decks.by_name("Cardiology::Drugs").id == deck.id


def test_a_new_subdeck_uses_its_parents_options(services: Services, database: Database) -> None:
    with database.transaction() as repos:
        from studyapp.domain.decks import Preset

        preset = repos.presets.add(Preset(0, "Exam cram"))
        parent = repos.decks.add("Trauma", preset.id)

    child = services.decks.create("trauma::Burns")

    assert child.name == "Trauma::Burns"  # spelled as the existing parent is
    assert child.preset_id == parent.preset_id


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "needs a name"),
        ("   ", "needs a name"),
        ("A::::B", "empty level"),
        ("::A", "empty level"),
        ("x" * 501, "at most 500"),
        (EMT_DECK, "already a deck"),
        (EMT_DECK.upper(), "already a deck"),
    ],
)
def test_create_refuses_bad_names(services: Services, name: str, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        services.decks.create(name)
    assert names(services) == [EMT_DECK]


def test_rename_takes_the_subdecks_along(services: Services, make_deck: DeckMaker) -> None:
    make_deck("A::B::X", 2)
    make_deck("A::B::Y::Z", 1)
    b = services.decks.by_name("A::B").id

    renamed = services.decks.rename(b, "C")

    assert renamed.name == "C"
    assert names(services) == ["A", "C", "C::X", "C::Y", "C::Y::Z", EMT_DECK]
    counts = {row.name: row.new for row in services.decks.deck_list()}
    assert counts["C"] == 3
    assert services.undo.label() == "Rename deck"

    services.undo.undo()
    assert names(services) == ["A", "A::B", "A::B::X", "A::B::Y", "A::B::Y::Z", EMT_DECK]
    services.undo.redo()
    assert names(services) == ["A", "C", "C::X", "C::Y", "C::Y::Z", EMT_DECK]


def test_rename_to_a_nested_name_adds_the_parent_and_undo_removes_it(
    services: Services, make_deck: DeckMaker
) -> None:
    deck_id = make_deck("Solo", 1)

    services.decks.rename(deck_id, "New::Home")

    assert names(services) == [EMT_DECK, "New", "New::Home"]
    services.undo.undo()
    assert names(services) == [EMT_DECK, "Solo"]


def test_rename_can_change_only_the_case(services: Services, make_deck: DeckMaker) -> None:
    deck_id = make_deck("bio", 1)
    assert services.decks.rename(deck_id, "Bio").name == "Bio"
    assert "Bio" in names(services)


def test_rename_refuses_duplicates_and_its_own_subtree(
    services: Services, make_deck: DeckMaker
) -> None:
    make_deck("A::B", 1)
    make_deck("D::B", 1)
    a = services.decks.by_name("A").id

    with pytest.raises(InvalidInputError, match="already a deck called “D”"):
        services.decks.rename(a, "D")
    with pytest.raises(InvalidInputError, match="inside itself"):
        services.decks.rename(a, "A::B::A")
    with pytest.raises(InvalidInputError, match="needs a name"):
        services.decks.rename(a, " ")
    assert names(services) == ["A", "A::B", "D", "D::B", EMT_DECK]
    assert services.undo.label() is None


def test_move_under_another_deck_and_back_to_the_top(
    services: Services, make_deck: DeckMaker
) -> None:
    make_deck("Drugs::Doses", 2)
    cardio = make_deck("Cardio", 1)
    drugs = services.decks.by_name("Drugs").id

    services.decks.move(drugs, cardio)
    assert names(services) == ["Cardio", "Cardio::Drugs", "Cardio::Drugs::Doses", EMT_DECK]
    assert services.undo.label() == "Move deck"
    assert next(r for r in services.decks.deck_list() if r.name == "Cardio").new == 3

    services.decks.move(drugs, None)
    assert names(services) == ["Cardio", "Drugs", "Drugs::Doses", EMT_DECK]


def test_move_refuses_its_own_subtree_clashes_and_filtered_parents(
    services: Services, database: Database, make_deck: DeckMaker
) -> None:
    make_deck("A::B::C", 1)
    make_deck("X::B", 1)
    a = services.decks.by_name("A").id
    b = services.decks.by_name("A::B").id
    c = services.decks.by_name("A::B::C").id
    x = services.decks.by_name("X").id
    with database.transaction() as repos:
        filtered = repos.decks.add("Cram", 1)
        repos.decks.update(filtered.__class__(filtered.id, "Cram", 1, filter=DeckFilter("x", 5, 0)))

    with pytest.raises(InvalidInputError, match="inside itself"):
        services.decks.move(a, c)
    with pytest.raises(InvalidInputError, match="inside itself"):
        services.decks.move(a, a)
    with pytest.raises(InvalidInputError, match="already a deck called “X::B”"):
        services.decks.move(b, x)
    with pytest.raises(InvalidInputError, match="filtered deck"):
        services.decks.move(c, filtered.id)
    with pytest.raises(NotFoundError):
        services.decks.move(c, 999_999)
    assert services.decks.move(b, a).name == "A::B"  # already there: nothing to do
    assert services.undo.label() is None


def test_delete_says_how_many_cards_go_and_undo_restores_every_row(
    services: Services, database: Database, make_deck: DeckMaker
) -> None:
    make_deck("Med::Drugs", 3)
    make_deck("Med", 2)
    med = services.decks.by_name("Med").id
    drug_card = services.study.next_step(services.decks.by_name("Med::Drugs").id).card
    assert drug_card is not None
    services.study.answer(drug_card.card_id, Rating.GOOD, 3000)
    original = everything(database)

    preview = services.decks.deletion(med)
    assert (preview.name, preview.decks, preview.cards) == ("Med", 2, 5)
    assert everything(database) == original  # asking changes nothing

    gone = services.decks.delete(med)

    assert gone == preview
    assert names(services) == [EMT_DECK]
    with database.transaction() as repos:
        assert repos.cards.get(drug_card.card_id) is None
        assert repos.reviews.for_card(drug_card.card_id) == []
    assert services.undo.label() == "Delete deck"

    services.undo.undo()
    assert everything(database) == original
    services.undo.redo()
    assert names(services) == [EMT_DECK]
    services.undo.undo()
    assert everything(database) == original


def test_deleting_a_deck_keeps_notes_that_have_cards_elsewhere(
    services: Services, database: Database, make_deck: DeckMaker
) -> None:
    keep = make_deck("Keep", 1)
    drop = make_deck("Drop", 0)
    with database.transaction() as repos:
        note_id = repos.cards.placed_in([keep])[0][1]
        moved = repos.cards.add(Card(0, note_id, drop, 1), 0)

    assert services.decks.delete(drop).cards == 1

    with database.transaction() as repos:
        assert repos.cards.get(moved.id) is None
        assert repos.notes.get(note_id) is not None


def test_deleting_a_filtered_deck_sends_its_cards_home(
    services: Services, database: Database, make_deck: DeckMaker
) -> None:
    home = make_deck("Home", 2)
    with database.transaction() as repos:
        cram = repos.decks.add("Cram", 1)
        repos.decks.update(cram.__class__(cram.id, "Cram", 1, filter=DeckFilter("x", 5, 0)))
        card_id = repos.cards.placed_in([home])[0][0]
        gathered = repos.cards.get(card_id)
        assert gathered is not None
        repos.cards.save(
            gathered.__class__(**{**_values(gathered), "deck_id": cram.id, "home_deck_id": home}),
            0,
        )
    original = everything(database)

    assert services.decks.delete(cram.id).cards == 0

    with database.transaction() as repos:
        back = repos.cards.get(card_id)
    assert back is not None
    assert (back.deck_id, back.home_deck_id) == (home, None)
    services.undo.undo()
    assert everything(database) == original


def _values(card: Card) -> dict[str, Any]:
    return {name: getattr(card, name) for name in Card.__dataclass_fields__}


def test_the_last_deck_cannot_be_deleted(services: Services, make_deck: DeckMaker) -> None:
    make_deck("Only::Child", 1)
    emt = services.decks.by_name(EMT_DECK).id
    services.decks.delete(emt)
    only = services.decks.by_name("Only").id

    with pytest.raises(InvalidInputError, match="at least one deck"):
        services.decks.deletion(only)
    with pytest.raises(InvalidInputError, match="at least one deck"):
        services.decks.delete(only)
    services.decks.delete(services.decks.by_name("Only::Child").id)  # a subdeck may go
    assert names(services) == ["Only"]


def test_undoing_an_added_deck_that_has_cards_now_refuses(
    services: Services, database: Database, make_deck: DeckMaker
) -> None:
    services.decks.create("Fresh")
    make_deck("Fresh", 1)  # an import, say: not on the undo stack

    with pytest.raises(InvalidInputError, match="delete the deck instead"):
        services.undo.undo()
    assert "Fresh" in names(services)


def test_collapsed_state_is_kept_and_listed(services: Services, make_deck: DeckMaker) -> None:
    make_deck("Fold::Inner", 1)
    fold = services.decks.by_name("Fold").id

    services.decks.set_collapsed(fold, True)

    rows = {row.name: row for row in services.decks.deck_list()}
    assert rows["Fold"].collapsed
    assert not rows["Fold::Inner"].collapsed
    assert rows["Fold"].new == 1  # a folded parent still counts its subdecks
    assert services.undo.label() is None
    services.decks.set_collapsed(fold, False)
    assert not services.decks.get(fold).collapsed
