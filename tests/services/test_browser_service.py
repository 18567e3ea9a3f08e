"""The browser service on a known collection: every search form, sorting, rows, every bulk action
with its undo and redo, and that bulk actions on many cards do not run a query per card."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date

import pytest
from sqlalchemy import event

from studyapp.domain.browser_columns import BrowserMode, Column
from studyapp.domain.cards import BuryKind, Card, CardState, Note, Rating, Review, ReviewKind
from studyapp.domain.clock import ManualClock, study_day, to_epoch
from studyapp.domain.memory import DEFAULT_PARAMETERS, retrievability
from studyapp.errors import InvalidInputError, SearchError
from studyapp.services.browser import Selection, parse_due_spec
from studyapp.services.browser_rows import Due, DueKind
from studyapp.services.collection import ensure_deck
from studyapp.services.container import Services
from studyapp.services.statistics_period import Period
from studyapp.storage.database import Database


class Known:
    """Five notes in four decks, with ids by their front."""

    def __init__(self, database: Database, clock: ManualClock) -> None:
        now = to_epoch(clock.now())
        self.today = study_day(clock.now(), 4, UTC)
        today = self.today
        with database.transaction() as repos:
            basic = repos.note_types.by_name("Basic")
            assert basic is not None
            decks = {
                name: ensure_deck(repos, name, 1).id
                for name in ("Bio", "Bio::Cell", "Chem", "Other Deck")
            }
            specs: list[tuple[str, str, str, tuple[str, ...], int, Card]] = [
                (
                    "The heart pumps blood",
                    "cardio",
                    "Bio",
                    ("anatomy::heart", "exam"),
                    now,
                    Card(0, 0, 0, 0, CardState.REVIEW, today, 10, 0, 10.0, 4.0, 3, 1, today - 20, 1),  # noqa: E501
                ),
                (
                    "Mitochondria",
                    "powerhouse",
                    "Bio::Cell",
                    ("anatomy",),
                    now - 10 * 86400,
                    Card(0, 0, 0, 0, CardState.NEW, 7),
                ),
                (
                    "Water is H_2O",
                    "50% hydrogen",
                    "Chem",
                    ("chem",),
                    now,
                    Card(0, 0, 0, 0, CardState.LEARNING, now - 60, 0, 1, 1.0, 5.0, 1, 0, today),
                ),
                (
                    'He said "hi"',
                    "café",
                    "Other Deck",
                    (),
                    now,
                    Card(
                        0, 0, 0, 0, CardState.REVIEW, today + 5, 3, 0, 2.0, 7.0, 5, 2, today - 1,
                        suspended=True,
                    ),
                ),
                (
                    "dog",
                    "cat",
                    "Chem",
                    ("a1", "b2z"),
                    now,
                    Card(0, 0, 0, 0, CardState.NEW, 3, buried=BuryKind.MANUAL),
                ),
            ]  # fmt: skip
            self.cards: dict[str, int] = {}
            self.notes: dict[str, int] = {}
            for front, back, deck, tags, created, card in specs:
                note = repos.notes.add(
                    Note(0, f"g-{front}", basic.id, (front, back, ""), tags, created, created)
                )
                added = repos.cards.add(replace(card, note_id=note.id, deck_id=decks[deck]), now)
                self.cards[front] = added.id
                self.notes[front] = note.id
            moment = to_epoch(clock.now()) * 1000
            for front, rating, days_ago in (
                ("The heart pumps blood", Rating.GOOD, 0),
                ('He said "hi"', Rating.AGAIN, 2),
            ):
                repos.reviews.add(
                    Review(
                        self.cards[front],
                        moment - days_ago * 86_400_000,
                        ReviewKind.REVIEW,
                        rating,
                        CardState.REVIEW,
                        1,
                        2,
                        3000,
                        1.0,
                        5.0,
                    )
                )

    def fronts(self, card_ids: list[int]) -> set[str]:
        """The fronts of these cards that are among the five (the built-in decks are not)."""
        return set(self.ordered(card_ids))

    def ordered(self, card_ids: list[int]) -> list[str]:
        by_id = {card_id: front for front, card_id in self.cards.items()}
        return [by_id[i] for i in card_ids if i in by_id]


@pytest.fixture
def known(database: Database, clock: ManualClock) -> Known:
    return Known(database, clock)


HEART, MITO, WATER, HI, DOG = (
    "The heart pumps blood",
    "Mitochondria",
    "Water is H_2O",
    'He said "hi"',
    "dog",
)
ALL = {HEART, MITO, WATER, HI, DOG}

SEARCHES: list[tuple[str, set[str]]] = [
    ("", ALL),
    ("heart", {HEART}),
    ("HEART", {HEART}),
    ("pumps blood", {HEART}),
    ('"blood pumps"', set()),
    ('"pumps blood"', {HEART}),
    ("h*t", {HEART}),
    ("pump_", {HEART}),
    ("h_2o", {WATER}),
    (r"h\_2o", {WATER}),
    ("50%", {WATER}),
    ('"hi"', {HI}),
    (r"\"hi\"", {HI}),
    ("café", {HI}),
    ("-heart", ALL - {HEART}),
    ("heart OR dog", {HEART, DOG}),
    ("(heart OR dog) -tag:exam", {DOG}),
    ("front:dog", {DOG}),
    ("front:do", set()),
    ("back:*house", {MITO}),
    ("nosuchfield:x", set()),
    ("deck:Bio", {HEART, MITO}),
    ("deck:bio::cell", {MITO}),
    ('deck:"Other Deck"', {HI}),
    ("deck:Oth*", {HI}),
    ("deck:Nope", set()),
    ("tag:anatomy", {HEART, MITO}),
    ("tag:anatomy::heart", {HEART}),
    ("tag:EXAM", {HEART}),
    ("tag:anat*", {HEART, MITO}),
    ("tag:a*z", set()),
    ("tag:b*z", {DOG}),
    ("tag:none", {HI}),
    ("note:basic", ALL),
    ("note:cloze", set()),
    ("is:new", {MITO, DOG}),
    ("is:learn", {WATER}),
    ("is:review", {HEART, HI}),
    ("is:due", {HEART, WATER}),
    ("is:suspended", {HI}),
    ("is:buried", {DOG}),
    ("flag:1", {HEART}),
    ("flag:0", ALL - {HEART}),
    ("added:1", ALL - {MITO}),
    ("added:11", ALL),
    ("rated:1", {HEART}),
    ("rated:3", {HEART, HI}),
    ("rated:3:1", {HI}),
    ("rated:3:3", {HEART}),
    ("prop:ivl>=5", {HEART}),
    ("prop:ivl=3", {HI}),
    ("prop:due=5", {HI}),
    ("prop:due<=0", {HEART}),
    ("prop:reps>2", {HEART, HI}),
    ("prop:lapses!=0", {HEART, HI}),
    ("prop:s>1.5", {HEART, HI}),
    # Difficulty on Anki's 0-1 scale: d = (D - 1) / 9 (HEART 4.0, WATER 5.0, HI 7.0).
    ("prop:d<0.39", {HEART}),
    ("prop:d>0.5", {HI}),
    ("prop:d>=0.44", {WATER, HI}),
    ("prop:d=0.33", {HEART}),
    ("prop:d!=0.33", {WATER, HI}),
    ("prop:d>0.9", set()),
    ("prop:r<0.9", {HEART}),
    ("prop:r<0.95", {HEART, HI}),
    ("prop:r>=0.99", {WATER}),
    ("prop:r=1.00", {WATER}),
    ("prop:r=1", {WATER, HI, HEART}),
]


@pytest.mark.parametrize(("query", "expected"), SEARCHES, ids=[q or "empty" for q, _ in SEARCHES])
def test_every_search_form(
    services: Services, known: Known, query: str, expected: set[str]
) -> None:
    assert known.fronts(services.browser.search(query)) == expected


def test_notes_mode_lists_notes(services: Services, known: Known) -> None:
    ids = services.browser.search("deck:Bio", BrowserMode.NOTES)
    assert set(ids) == {known.notes[HEART], known.notes[MITO]}


def test_a_malformed_query_raises_with_its_position(services: Services, known: Known) -> None:
    with pytest.raises(SearchError) as caught:
        services.browser.search("deck:Bio (tag:x")
    assert caught.value.position == 9


@pytest.mark.parametrize(
    ("sort", "descending", "expected"),
    [
        (Column.SORT_FIELD, False, [DOG, HI, MITO, HEART, WATER]),
        (Column.SORT_FIELD, True, [WATER, HEART, MITO, HI, DOG]),
        (Column.DUE, False, [HEART, WATER, HI, DOG, MITO]),
        (Column.DECK, False, [HEART, MITO, WATER, DOG, HI]),
        (Column.INTERVAL, True, [HEART, HI, DOG, WATER, MITO]),
        (Column.RETRIEVABILITY, False, [HEART, HI, WATER, MITO, DOG]),
        (Column.REVIEWS, True, [HI, HEART, WATER, DOG, MITO]),
        (Column.CREATED, False, [MITO, HEART, WATER, HI, DOG]),
    ],
)
def test_sorting_runs_in_sql(
    services: Services, known: Known, sort: Column, descending: bool, expected: list[str]
) -> None:
    ids = services.browser.search("", BrowserMode.CARDS, sort, descending)
    assert known.ordered(ids) == expected


def test_rows_show_the_values_of_a_page(services: Services, known: Known) -> None:
    ids = [known.cards[HEART], known.cards[MITO]]
    heart, mito = services.browser.rows(BrowserMode.CARDS, ids)
    assert (heart.sort_field, heart.question, heart.deck) == (HEART, HEART, "Bio")
    assert heart.tags == "anatomy::heart exam"
    assert heart.due is not None
    assert heart.due.kind is DueKind.REVIEW
    assert heart.due.day == date.fromordinal(known.today)
    assert heart.retrievability == pytest.approx(retrievability(20, 10.0, DEFAULT_PARAMETERS))
    assert (heart.interval, heart.reviews, heart.lapses, heart.flag) == (10, 3, 1, 1)
    assert mito.due == Due(DueKind.NEW, position=7)
    assert (mito.interval, mito.retrievability) == (None, None)
    (water,) = services.browser.rows(BrowserMode.CARDS, [known.cards[WATER]])
    assert water.due is not None
    assert (water.due.kind, water.interval) == (DueKind.LEARNING, None)  # "(learning)", not 0 d
    note_row = services.browser.rows(BrowserMode.NOTES, [known.notes[HI]])[0]
    assert (note_row.suspended, note_row.deck, note_row.cards) == (True, "Other Deck", 1)


def test_sidebar_and_saved_searches(services: Services, known: Known) -> None:
    services.browser.save_search("Exam", "tag:exam is:due")
    sidebar = services.browser.sidebar()
    assert {"Bio", "Bio::Cell", "Chem", "Other Deck"} <= set(sidebar.decks)
    assert sidebar.decks.index("Bio") < sidebar.decks.index("Bio::Cell")
    assert {"a1", "anatomy", "anatomy::heart", "b2z", "chem", "exam"} <= set(sidebar.tags)
    assert "Basic" in sidebar.note_types
    assert "Front" in sidebar.fields
    assert sidebar.saved_searches["Exam"] == "tag:exam is:due"
    services.browser.remove_saved_search("Exam")
    assert "Exam" not in services.browser.sidebar().saved_searches
    with pytest.raises(SearchError):
        services.browser.save_search("Bad", "(")


def _undo_redo(
    services: Services, query: str, before: set[str], after: set[str], known: Known
) -> None:
    assert known.fronts(services.browser.search(query)) == after
    services.undo.undo()
    assert known.fronts(services.browser.search(query)) == before
    services.undo.redo()
    assert known.fronts(services.browser.search(query)) == after


def test_change_deck_undo_redo(services: Services, known: Known) -> None:
    cards = Selection(BrowserMode.CARDS, (known.cards[DOG], known.cards[WATER]))
    assert services.browser.change_deck(cards, "Bio::New place") == 2
    _undo_redo(services, "deck:Bio", {HEART, MITO}, {HEART, MITO, DOG, WATER}, known)
    assert services.undo.label() == "Change deck"


def test_moving_into_a_filtered_deck_is_refused(
    services: Services, known: Known, database: Database
) -> None:
    from studyapp.domain.decks import DeckFilter

    with database.transaction() as repos:
        deck = ensure_deck(repos, "Cram", 1)
        repos.decks.update(replace(deck, filter=DeckFilter("is:due", 50, 0)))
    with pytest.raises(InvalidInputError, match="filtered deck"):
        services.browser.change_deck(Selection(BrowserMode.CARDS, (known.cards[DOG],)), "Cram")


def test_tags_undo_redo(services: Services, known: Known) -> None:
    notes = Selection(BrowserMode.NOTES, (known.notes[DOG], known.notes[HI]))
    assert services.browser.add_tags(notes, "exam new::tag") == 2
    _undo_redo(services, "tag:exam", {HEART}, {HEART, DOG, HI}, known)
    cards = Selection(BrowserMode.CARDS, (known.cards[HEART],))
    assert services.browser.remove_tags(cards, "EXAM") == 1
    _undo_redo(services, "tag:exam", {HEART, DOG, HI}, {DOG, HI}, known)
    assert services.browser.remove_tags(cards, "exam") == 0


def test_suspend_and_bury_toggle(services: Services, known: Known) -> None:
    both = Selection(BrowserMode.CARDS, (known.cards[HI], known.cards[HEART]))
    assert services.browser.toggle_suspend(both) is True
    _undo_redo(services, "is:suspended", {HI}, {HI, HEART}, known)
    assert services.browser.toggle_suspend(both) is False
    assert known.fronts(services.browser.search("is:suspended")) == set()
    assert services.browser.toggle_bury(both) is True
    # The first bury of a study day also brings back what earlier days buried (the dog).
    _undo_redo(services, "is:buried", set(), {HI, HEART}, known)


def test_flags_set_and_clear(services: Services, known: Known) -> None:
    heart = Selection(BrowserMode.CARDS, (known.cards[HEART],))
    both = Selection(BrowserMode.CARDS, (known.cards[HEART], known.cards[DOG]))
    assert services.browser.set_flag(both, 1) == 1
    _undo_redo(services, "flag:1", {HEART}, {HEART, DOG}, known)
    assert services.browser.set_flag(heart, 1) == 0  # every selected card had it: cleared
    assert known.fronts(services.browser.search("flag:1")) == {DOG}
    with pytest.raises(InvalidInputError):
        services.browser.set_flag(heart, 8)


def test_reset_makes_cards_new_at_the_end(services: Services, known: Known) -> None:
    heart = Selection(BrowserMode.CARDS, (known.cards[HEART],))
    assert services.browser.reset(heart, reset_counts=True) == 1
    new_by_due = services.browser.search("is:new", BrowserMode.CARDS, Column.DUE)
    assert new_by_due[-1] == known.cards[HEART]
    row = services.browser.rows(BrowserMode.CARDS, [known.cards[HEART]])[0]
    assert row.due is not None
    assert row.due.kind is DueKind.NEW
    assert (row.reviews, row.lapses, row.stability) == (0, 0, None)
    _undo_redo(services, "is:new", {MITO, DOG}, {MITO, DOG, HEART}, known)


def test_set_due_date(services: Services, known: Known) -> None:
    new = Selection(BrowserMode.CARDS, (known.cards[MITO], known.cards[DOG]))
    assert services.browser.set_due(new, "0") == 2
    _undo_redo(services, "prop:due=0", {HEART}, {HEART, MITO, DOG}, known)
    ranged = Selection(BrowserMode.CARDS, (known.cards[HEART],))
    services.browser.set_due(ranged, "3-7!")
    row = services.browser.rows(BrowserMode.CARDS, [known.cards[HEART]])[0]
    assert row.due is not None
    assert row.due.day is not None
    offset = row.due.day.toordinal() - known.today
    assert 3 <= offset <= 7
    assert row.interval == offset
    with pytest.raises(InvalidInputError):
        services.browser.set_due(ranged, "7-3")


def test_due_specs() -> None:
    assert parse_due_spec("0-7") == parse_due_spec(" 0 - 7 ")
    assert parse_due_spec("5!").set_interval
    with pytest.raises(InvalidInputError):
        parse_due_spec("soon")


def test_find_and_replace(services: Services, known: Known) -> None:
    every = Selection(BrowserMode.NOTES, tuple(known.notes.values()))
    assert services.browser.find_and_replace(every, "HEART", "liver") == 1
    _undo_redo(services, "liver", set(), {HEART}, known)
    changed = services.browser.find_and_replace(every, r"(\w+)house", "${1}station", "Back", True)
    assert changed == 1
    assert known.fronts(services.browser.search("back:powerstation")) == {MITO}
    assert services.browser.find_and_replace(every, "dog", "wolf", field="Back") == 0
    with pytest.raises(InvalidInputError, match="not a valid regular expression"):
        services.browser.find_and_replace(every, "(unclosed", "x", regex=True)


def test_delete_notes_and_undo(services: Services, known: Known, database: Database) -> None:
    cards = Selection(BrowserMode.CARDS, (known.cards[HEART], known.cards[HI]))
    assert services.browser.count_cards(cards) == (2, 2)
    note_ids = [known.notes[HEART], known.notes[HI]]
    with database.transaction() as repos:
        original = repos.snapshots.capture_notes(note_ids)
    assert len(original.reviews) == 2
    assert services.browser.delete_notes(cards) == 2
    assert known.fronts(services.browser.search("")) == ALL - {HEART, HI}
    services.undo.undo()
    assert known.fronts(services.browser.search("rated:3")) == {HEART, HI}
    with database.transaction() as repos:
        assert repos.snapshots.capture_notes(note_ids) == original
    services.undo.redo()
    assert known.fronts(services.browser.search("")) == ALL - {HEART, HI}
    with database.transaction() as repos:
        assert repos.notes.get(known.notes[HEART]) is None


def test_bulk_actions_on_ten_thousand_cards_take_few_queries(
    services: Services, database: Database, clock: ManualClock
) -> None:
    now = to_epoch(clock.now())
    with database.transaction() as repos:
        deck = ensure_deck(repos, "Big", 1)
        basic = repos.note_types.by_name("Basic")
        assert basic is not None
        notes = [
            Note(0, f"big-{i}", basic.id, (f"q{i}", "a", ""), (), now, now) for i in range(10_000)
        ]
        note_ids = repos.notes.add_many(notes)
        repos.cards.add_many([Card(0, n, deck.id, 0, due=i) for i, n in enumerate(note_ids)], now)
    ids = services.browser.search("deck:Big")
    assert len(ids) == 10_000
    statements: list[str] = []
    event.listen(database.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    selection = Selection(BrowserMode.CARDS, tuple(ids))
    services.browser.toggle_suspend(selection)
    services.browser.add_tags(selection, "big")
    services.browser.set_due(selection, "0-30")
    services.undo.undo()
    assert len(statements) < 200
    assert len(services.browser.search("is:suspended tag:big is:new")) == 10_000


def _manual_rows(database: Database, card_id: int) -> list[Review]:
    with database.transaction() as repos:
        return [r for r in repos.reviews.for_card(card_id) if r.kind is ReviewKind.MANUAL]


def test_reset_and_set_due_log_manual_rows_that_undo_removes(
    services: Services, known: Known, database: Database, clock: ManualClock
) -> None:
    heart, mito = known.cards[HEART], known.cards[MITO]
    studied = services.statistics.compute(None, Period.MONTH)
    services.browser.reset(Selection(BrowserMode.CARDS, (heart,)))
    (reset,) = _manual_rows(database, heart)
    assert reset.rating is None
    assert (reset.state_before, reset.last_interval, reset.interval) == (CardState.REVIEW, 10, 0)
    assert (reset.stability, reset.difficulty, reset.time_taken_ms) == (None, None, 0)
    assert reset.reviewed_at == to_epoch(clock.now()) * 1000
    services.undo.undo()
    assert _manual_rows(database, heart) == []
    services.undo.redo()
    assert _manual_rows(database, heart) == [reset]

    both = Selection(BrowserMode.CARDS, (heart, mito))
    services.browser.set_due(both, "5!")
    due_rows = _manual_rows(database, mito)
    assert [(r.state_before, r.last_interval, r.interval) for r in due_rows] == [
        (CardState.NEW, 0, 5)
    ]
    assert len(_manual_rows(database, heart)) == 2
    # Manual rows carry no rating, so they are not answers: rated:1 still finds only the heart
    # card's review from today, as before.
    assert known.fronts(services.browser.search("rated:1")) == {HEART}
    # Nor do they count as reviews in the statistics.
    after = services.statistics.compute(None, Period.MONTH)
    assert after.today == studied.today
    assert after.reviews_per_day == studied.reviews_per_day
    services.undo.undo()
    assert _manual_rows(database, mito) == []
    assert _manual_rows(database, heart) == [reset]


def test_cards_already_as_asked_log_nothing(
    services: Services, known: Known, database: Database
) -> None:
    mito = Selection(BrowserMode.CARDS, (known.cards[MITO],))
    services.browser.set_due(mito, "3")
    assert services.browser.set_due(mito, "3") == 0
    assert len(_manual_rows(database, known.cards[MITO])) == 1


def test_state_searches_read_the_card_type_as_anki_does(
    services: Services, database: Database, clock: ManualClock
) -> None:
    """is:learn is learning or relearning, is:review is review or relearning, suspended and
    buried cards included; is:due leaves suspended and buried cards out."""
    now = to_epoch(clock.now())
    today = study_day(clock.now(), 4, UTC)
    specs = {
        "learning": Card(0, 0, 0, 0, CardState.LEARNING, now - 60, 0, 1, 1.0, 5.0, 1, 0, today),
        "relearning": Card(0, 0, 0, 0, CardState.RELEARNING, now - 60, 4, 1, 2.0, 6.0, 6, 1, today),
        "suspended learning": Card(
            0, 0, 0, 0, CardState.LEARNING, now - 60, 0, 1, 1.0, 5.0, 1, 0, today, suspended=True
        ),
        "buried relearning": Card(
            0, 0, 0, 0, CardState.RELEARNING, now - 60, 4, 1, 2.0, 6.0, 6, 1, today,
            buried=BuryKind.MANUAL,
        ),
        "suspended review": Card(
            0, 0, 0, 0, CardState.REVIEW, today, 5, 0, 5.0, 5.0, 3, 0, today - 5, suspended=True
        ),
        "review": Card(0, 0, 0, 0, CardState.REVIEW, today, 5, 0, 5.0, 5.0, 3, 0, today - 5),
        "suspended new": Card(0, 0, 0, 0, CardState.NEW, 1, suspended=True),
    }  # fmt: skip
    ids: dict[int, str] = {}
    with database.transaction() as repos:
        deck = ensure_deck(repos, "States", 1)
        basic = repos.note_types.by_name("Basic")
        assert basic is not None
        for name, card in specs.items():
            note = repos.notes.add(Note(0, f"s-{name}", basic.id, (name, "", ""), (), now, now))
            ids[repos.cards.add(replace(card, note_id=note.id, deck_id=deck.id), now).id] = name

    def found(query: str) -> set[str]:
        return {ids[i] for i in services.browser.search(f"deck:States {query}")}

    learning = {"learning", "suspended learning"}
    relearning = {"relearning", "buried relearning"}
    review = {"review", "suspended review"}
    assert found("is:learn") == learning | relearning
    assert found("is:review") == review | relearning
    assert found("is:new") == {"suspended new"}
    assert found("is:due") == {"learning", "relearning", "review"}
    assert found("is:suspended") == {"suspended learning", "suspended review", "suspended new"}
    assert found("is:buried") == {"buried relearning"}
    assert found("is:learn is:review") == relearning


def test_first_page_is_the_head_of_the_search_with_its_values(
    services: Services, known: Known
) -> None:
    everything = services.browser.search("", BrowserMode.CARDS, Column.DUE, True)
    page = services.browser.first_page("", BrowserMode.CARDS, Column.DUE, True, size=3)
    assert list(page.ids) == everything[:3]
    assert [row.id for row in page.rows] == everything[:3]
    assert not page.complete
    whole = services.browser.first_page("deck:Bio", BrowserMode.NOTES, Column.SORT_FIELD, size=2)
    assert whole.complete
    assert [row.sort_field for row in whole.rows] == [MITO, HEART]
    assert services.browser.first_page("deck:Bio", size=1).complete is False
    with pytest.raises(SearchError):
        services.browser.first_page("(")
