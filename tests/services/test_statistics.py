"""Statistics on collections with known histories: exact figures, fixed clock, real SQLite."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event

from studyapp.app import open_collection
from studyapp.cli import build_parser, run_command
from studyapp.cli.stats import as_json
from studyapp.domain.cards import CardState, Rating, Review, ReviewKind
from studyapp.domain.clock import ManualClock
from studyapp.errors import InvalidInputError, NotFoundError
from studyapp.services.container import Services
from studyapp.services.statistics_period import Period
from studyapp.storage.database import Database
from studyapp.storage.stats_queries import StatsQueries
from tests.conftest import DeckMaker
from tests.services.study_simulation import simulate_days

TODAY = date(2026, 3, 10)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def card_ids(database: Database, deck_id: int) -> list[int]:
    with database.transaction() as repos:
        return [c.id for c in repos.exports.cards_in_decks([deck_id])]


def log(
    database: Database,
    card_id: int,
    when: datetime,
    rating: int,
    state_before: CardState = CardState.REVIEW,
    last_interval: int = 5,
) -> None:
    """A review-log row written straight through the repository."""
    kind = {
        CardState.NEW: ReviewKind.LEARN,
        CardState.LEARNING: ReviewKind.LEARN,
        CardState.REVIEW: ReviewKind.REVIEW,
        CardState.RELEARNING: ReviewKind.RELEARN,
    }[state_before]
    review = Review(
        card_id=card_id,
        reviewed_at=int(when.timestamp() * 1000),
        kind=kind,
        rating=Rating(rating),
        state_before=state_before,
        last_interval=last_interval,
        interval=3,
        time_taken_ms=4_000,
        stability=3.0,
        difficulty=5.0,
    )
    with database.transaction() as repos:
        repos.reviews.add(review)


def answer_next(services: Services, deck_id: int, rating: Rating) -> int:
    step = services.study.next_step(deck_id)
    assert step.card is not None
    services.study.answer(step.card.card_id, rating, 5_000)
    return step.card.card_id


def test_a_review_at_0359_and_one_at_0401_fall_on_different_study_days(
    services: Services, clock: ManualClock, make_deck: DeckMaker
) -> None:
    deck = make_deck("Rollover", 2)
    clock.current = at(TODAY, 3, 59)
    answer_next(services, deck, Rating.GOOD)
    clock.current = at(TODAY, 4, 1)
    answer_next(services, deck, Rating.GOOD)
    stats = services.statistics.compute(deck, Period.MONTH)
    days = {d.day: d.total for d in stats.reviews_per_day if d.total}
    assert days == {TODAY - timedelta(days=1): 1, TODAY: 1}
    assert stats.reviews_per_day[-1].day == TODAY
    assert len(stats.reviews_per_day) == 30
    assert stats.today.studied == 1


def test_a_later_rollover_hour_moves_the_day_boundary(
    services: Services, clock: ManualClock, make_deck: DeckMaker, database: Database
) -> None:
    deck = make_deck("Late", 1)
    with database.transaction() as repos:
        repos.settings.set("rollover_hour", 6)
    clock.current = at(TODAY, 5, 30)
    answer_next(services, deck, Rating.GOOD)
    clock.current = at(TODAY, 6, 30)
    stats = services.statistics.compute(deck, Period.MONTH)
    assert stats.reviews_per_day[-2].day == TODAY - timedelta(days=1)
    assert stats.reviews_per_day[-2].learning == 1
    assert stats.today.studied == 0


def test_streak_counts_back_from_today_and_stops_at_a_missed_day(
    services: Services, clock: ManualClock, make_deck: DeckMaker, database: Database
) -> None:
    deck = make_deck("Streak", 1)
    card = card_ids(database, deck)[0]
    for days_ago in (5, 3, 2, 1):
        log(database, card, at(TODAY - timedelta(days=days_ago), 12), 3)
    clock.current = at(TODAY, 10)
    assert services.statistics.streak().days == 3  # none yet today: counts to yesterday
    log(database, card, at(TODAY, 9), 3)
    assert services.statistics.streak().days == 4
    clock.current = at(TODAY + timedelta(days=2), 10)  # missed yesterday
    assert services.statistics.streak().days == 0


def test_a_streak_longer_than_one_batch_of_day_seeks(
    services: Services, clock: ManualClock, make_deck: DeckMaker, database: Database
) -> None:
    deck = make_deck("Long streak", 1)
    card = card_ids(database, deck)[0]
    for days_ago in [*range(1, 71), 72]:  # 70 days in a row up to yesterday, then a gap
        log(database, card, at(TODAY - timedelta(days=days_ago), 12), 3)
    clock.current = at(TODAY, 10)
    assert services.statistics.streak().days == 70
    log(database, card, at(TODAY - timedelta(days=71), 12), 3)  # the gap filled
    assert services.statistics.streak().days == 72


def test_daylight_saving_days_and_hours_are_exact_for_the_collection_and_a_deck(
    services: Services, clock: ManualClock, make_deck: DeckMaker, database: Database
) -> None:
    """Berlin moves to summer time at 01:00 UTC on 29 March 2026, so the study day of 28 March
    (from 04:00 local time) lasts 23 hours."""
    clock.local_zone = ZoneInfo("Europe/Berlin")
    deck = make_deck("Summer time", 1)
    card = card_ids(database, deck)[0]
    march = date(2026, 3, 27)
    for moment in (
        at(march, 2, 30),  # 03:30 winter time: still the study day of 26 March
        at(march, 3, 30),  # 04:30: 27 March
        at(march + timedelta(days=2), 0, 30),  # 01:30 winter time on 29 March: 28 March
        at(march + timedelta(days=2), 1, 30),  # 03:30 summer time: still 28 March
        at(march + timedelta(days=2), 2, 30),  # 04:30 summer time: 29 March
    ):
        log(database, card, moment, 3)
    clock.current = at(march + timedelta(days=4), 12)
    for scope in (None, deck):
        stats = services.statistics.compute(scope, Period.MONTH)
        days = {d.day: (d.total, d.seconds) for d in stats.reviews_per_day if d.total}
        assert days == {
            date(2026, 3, 26): (1, 4),
            date(2026, 3, 27): (1, 4),
            date(2026, 3, 28): (2, 8),
            date(2026, 3, 29): (1, 4),
        }
        hours = {h.hour: h.reviews for h in stats.hourly if h.reviews}
        assert hours == {1: 1, 3: 2, 4: 2}


def test_the_whole_collection_and_its_only_deck_agree(
    services: Services, clock: ManualClock
) -> None:
    """The collection's reviews are read day by day, a deck's hour by hour: same figures."""
    (deck,) = [d.deck_id for d in services.decks.deck_list()]  # the built-in deck
    simulate_days(services, clock, 45, seed=5)
    whole = services.statistics.compute(None, Period.QUARTER)
    alone = services.statistics.compute(deck, Period.QUARTER)
    assert sum(d.total for d in whole.reviews_per_day) > 200
    for name in ("today", "true_retention", "reviews_per_day", "hourly", "buttons", "streak"):
        assert getattr(whole, name) == getattr(alone, name), name


def test_an_in_memory_collection_computes_on_its_one_connection(
    clock: ManualClock, tmp_path: Path
) -> None:
    database, services = open_collection("sqlite://", clock, tmp_path / "media")
    try:
        (deck,) = [d.deck_id for d in services.decks.deck_list()]
        answer_next(services, deck, Rating.GOOD)
        for scope in (None, deck):
            stats = services.statistics.compute(scope, Period.MONTH)
            assert stats.today.studied == 1
            assert stats.reviews_per_day[-1].learning == 1
    finally:
        database.close()


def test_daily_goal(services: Services, make_deck: DeckMaker) -> None:
    deck = make_deck("Goal", 3)
    assert services.statistics.streak().goal == 0
    services.statistics.set_daily_goal(2)
    answer_next(services, deck, Rating.GOOD)
    assert services.statistics.streak() == services.statistics.streak()
    assert not services.statistics.streak().goal_met_today
    answer_next(services, deck, Rating.GOOD)
    streak = services.statistics.streak()
    assert (streak.days, streak.goal, streak.goal_met_today) == (1, 2, True)
    with pytest.raises(InvalidInputError):
        services.statistics.set_daily_goal(-1)


def test_true_retention_counts_first_reviews_of_review_cards_and_again_as_fail(
    services: Services, make_deck: DeckMaker, database: Database
) -> None:
    deck = make_deck("Retention", 3)
    young, mature, other = card_ids(database, deck)
    yesterday = TODAY - timedelta(days=1)
    log(database, young, at(TODAY, 8), 3, last_interval=5)
    log(database, mature, at(TODAY, 8), 1, last_interval=30)
    log(database, mature, at(TODAY, 8, 10), 3, CardState.RELEARNING, last_interval=3)
    log(database, other, at(yesterday, 8), 1, last_interval=10)
    log(database, other, at(yesterday, 8, 10), 3, CardState.RELEARNING, last_interval=4)
    log(database, other, at(TODAY - timedelta(days=40), 8), 4, last_interval=25)
    stats = services.statistics.compute(deck, Period.MONTH)
    rows = {r.period: (r.young_pass, r.young_fail, r.mature_pass, r.mature_fail)
            for r in stats.true_retention}  # fmt: skip
    assert rows == {
        "today": (1, 0, 0, 1),
        "yesterday": (0, 1, 0, 0),
        "last_week": (1, 1, 0, 1),
        "last_month": (1, 1, 0, 1),
        "last_year": (1, 1, 1, 1),
        "all_time": (1, 1, 1, 1),
    }
    assert stats.recent_retention == pytest.approx(1 / 3)
    assert stats.summary.startswith("Not enough reviews yet")
    assert stats.buttons.young == (1, 0, 1, 0)
    assert stats.buttons.mature == (1, 0, 0, 0)
    assert stats.buttons.learning == (0, 0, 2, 0)


def test_summary_sentence_against_the_target(
    services: Services, make_deck: DeckMaker, database: Database
) -> None:
    deck = make_deck("Verdict", 20)
    cards = card_ids(database, deck)
    for index, card in enumerate(cards):
        log(database, card, at(TODAY - timedelta(days=3), 12), 1 if index < 2 else 3)
    stats = services.statistics.compute(deck, Period.MONTH)
    assert stats.summary == (
        "On track: you recalled 90% of due cards this month; your target is 90%."
    )
    log(database, cards[2], at(TODAY - timedelta(days=2), 12), 1)
    stats = services.statistics.compute(deck, Period.MONTH)
    assert stats.summary == (
        "Below target: you recalled 86% of due cards this month; your target is 90%."
    )


def test_forecast_card_counts_buttons_hourly_and_added(
    services: Services, clock: ManualClock, make_deck: DeckMaker, database: Database
) -> None:
    deck = make_deck("Counts", 5)
    answer_next(services, deck, Rating.GOOD)  # to the 10-minute step
    easy = answer_next(services, deck, Rating.EASY)  # graduates at once
    answer_next(services, deck, Rating.AGAIN)
    with database.transaction() as repos:
        graduated = repos.cards.get(easy)
    assert graduated is not None
    due_in = graduated.due - TODAY.toordinal()
    stats = services.statistics.compute(deck, Period.MONTH)
    assert stats.card_counts.new == 2
    assert stats.card_counts.learning == 2
    assert (stats.card_counts.young, stats.card_counts.mature) == (1, 0)
    assert [(f.day, f.due) for f in stats.forecast if f.due] == [
        (TODAY + timedelta(days=due_in), 1)
    ]
    assert len(stats.forecast) == 30
    assert stats.forecast[0].day == TODAY + timedelta(days=1)
    assert stats.backlog == 0
    assert stats.due_next_week == (1 if due_in <= 7 else 0)
    assert stats.buttons.learning == (1, 0, 1, 1)
    assert stats.hourly[10].reviews == 3
    assert stats.hourly[10].pass_pct == pytest.approx(66.7)
    assert sum(h.reviews for h in stats.hourly) == 3
    assert stats.today.studied == 3
    assert stats.today.again == 1
    assert stats.today.seconds == 15
    assert stats.added[-1] == stats.added[-1].__class__(TODAY, 5)
    assert sum(a.cards for a in stats.added) == 5
    assert stats.intervals[0].days == graduated.interval
    assert stats.intervals[0].cards == 1
    assert sum(b.cards for b in stats.difficulty) == 3
    assert stats.scope == "Counts"


def test_knowledge_is_positive_and_grows_with_study(
    services: Services, clock: ManualClock, make_deck: DeckMaker
) -> None:
    simulate_days(services, clock, 20, seed=3)
    stats = services.statistics.compute(None, Period.MONTH)
    curve = [k.expected_recalled for k in stats.knowledge]
    assert len(curve) == 30
    assert curve[0] == 0
    assert curve[-1] > 10
    assert curve[-1] > curve[len(curve) // 2] > 0
    assert stats.streak.days >= 1
    assert sum(d.total for d in stats.reviews_per_day) > 100
    assert sum(b.cards for b in stats.retrievability) == sum(b.cards for b in stats.stability)


def test_subdecks_are_included_and_unknown_decks_fail(
    services: Services, make_deck: DeckMaker, database: Database
) -> None:
    parent = make_deck("Parent", 1)
    child = make_deck("Parent::Child", 2)
    answer_next(services, child, Rating.EASY)
    stats = services.statistics.compute(parent, Period.MONTH)
    assert stats.card_counts.new == 2
    assert stats.card_counts.young == 1
    progress = services.statistics.deck_progress()
    assert (progress[parent].new, progress[parent].young) == (2, 1)
    assert (progress[child].new, progress[child].young) == (1, 1)
    with pytest.raises(NotFoundError):
        services.statistics.compute(10_000, Period.MONTH)


def test_card_info_history_and_forgetting_curve(
    services: Services, clock: ManualClock, make_deck: DeckMaker
) -> None:
    deck = make_deck("Info", 1)
    card = answer_next(services, deck, Rating.EASY)
    info = services.statistics.card_info(card)
    assert (info.front, info.deck, info.note_type, info.state) == ("Q1", "Info", "Basic", "review")
    assert info.added == TODAY
    assert [(r.kind, r.rating) for r in info.reviews] == [("learn", 4)]
    assert info.retrievability == pytest.approx(1.0)
    assert len(info.forgetting_curve) == 61
    recalls = [p.recall for p in info.forgetting_curve]
    assert recalls == sorted(recalls, reverse=True)
    with pytest.raises(NotFoundError):
        services.statistics.card_info(10_000)


def test_all_time_starts_at_the_first_review(
    services: Services, make_deck: DeckMaker, database: Database
) -> None:
    deck = make_deck("All", 1)
    card = card_ids(database, deck)[0]
    log(database, card, at(TODAY - timedelta(days=400), 12), 3)
    stats = services.statistics.compute(deck, Period.ALL)
    assert stats.reviews_per_day[0].day == TODAY - timedelta(days=400)
    assert stats.reviews_per_day[0].young == 1
    assert len(stats.forecast) == 365
    year = services.statistics.compute(deck, Period.YEAR)
    assert sum(d.total for d in year.reviews_per_day) == 0
    assert year.true_retention[-1].young_pass == 1


def test_cli_json_has_the_documented_keys_and_computes_figures(
    services: Services, clock: ManualClock
) -> None:
    simulate_days(services, clock, 5, seed=1)
    out = io.StringIO()
    args = build_parser().parse_args(["stats", "--json", "--period", "3m"])
    assert run_command(args, services, out) == 0
    printed = json.loads(out.getvalue())
    assert set(printed) == {
        "today", "streak", "true_retention", "forecast", "card_counts", "reviews_per_day",
        "intervals", "hourly", "buttons", "added", "knowledge", "summary",
    }  # fmt: skip
    assert set(printed["today"]) == {"studied", "seconds", "again", "correct_pct"}
    assert set(printed["streak"]) == {"days", "goal", "goal_met_today"}
    computed = services.statistics.compute(None, Period.QUARTER)
    assert printed == json.loads(json.dumps(as_json(computed)))
    text = io.StringIO()
    run_command(build_parser().parse_args(["stats", "--deck", "EMT vs EMS"]), services, text)
    assert text.getvalue().startswith("Statistics: EMT vs EMS, period 1m\n")


def _plans(database: Database, monkeypatch: pytest.MonkeyPatch, action: Any) -> list[str]:
    """EXPLAIN QUERY PLAN of every query StatsQueries sends while `action(stats)` runs, both
    through SQLAlchemy and straight to the driver's cursor (StatsQueries._tuples)."""
    seen: list[tuple[str, Sequence[Any]]] = []
    original = StatsQueries._tuples

    def recording(self: StatsQueries, query: Any, **values: Any) -> list[tuple[Any, ...]]:
        compiled = query.compile(
            dialect=database.engine.dialect, compile_kwargs={"render_postcompile": True}
        )
        parameters = {**compiled.params, **values}
        seen.append((str(compiled), [parameters[n] for n in compiled.positiontup or []]))
        return original(self, query, **values)

    def capture(_conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
        seen.append((statement, params))

    monkeypatch.setattr(StatsQueries, "_tuples", recording)
    event.listen(database.engine, "before_cursor_execute", capture)
    try:
        with database.transaction() as repos:
            action(repos.stats)
    finally:
        event.remove(database.engine, "before_cursor_execute", capture)
    plans = []
    with database.engine.connect() as connection:
        for statement, parameters in seen:
            rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, tuple(parameters))
            plans.append(" | ".join(str(row[-1]) for row in rows))
    return plans


@pytest.mark.sqlite_only
def test_review_aggregates_read_only_their_indexes(
    services: Services, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = services.decks.deck_list()[0].deck_id
    days = _plans(database, monkeypatch, lambda s: s.review_codes([0, 10**12, 10**13], None))
    assert len(days) == 2  # one query per study day, each a range of the time index in order
    for plan in days:
        assert "SEARCH review_log USING COVERING INDEX ix_review_log_stats_time" in plan
        assert "TEMP B-TREE" not in plan
    (scoped,) = _plans(database, monkeypatch, lambda s: s.review_codes([0, 10**13], [deck]))
    assert "SEARCH review_log USING COVERING INDEX ix_review_log_stats_card" in scoped
    (seeks,) = _plans(database, monkeypatch, lambda s: s.latest_reviews_before([10**13, 10**12]))
    assert seeks.count("COVERING INDEX ix_review_log_stats_time") == 2
    assert "TEMP B-TREE" not in seeks
