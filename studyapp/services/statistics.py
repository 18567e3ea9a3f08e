"""Statistics: every figure of the statistics window, the streak, card info and deck progress.

Each public method runs in one transaction.  The database does the grouping (see
storage.stats_queries); this service folds hours into study days and does the memory-model
arithmetic with numpy (domain.progress).
"""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime, timedelta

from studyapp.domain.cards import CardState
from studyapp.domain.clock import Clock, study_day, study_day_start, to_epoch
from studyapp.domain.decks import Deck, Preset
from studyapp.domain.memory import retrievability
from studyapp.domain.progress import (
    histogram,
    knowledge_curve,
    mean_recall_between_reviews,
    recall_array,
)
from studyapp.domain.scheduler import SECONDS_PER_DAY, format_interval
from studyapp.domain.templates import render_question
from studyapp.errors import InvalidInputError, NotFoundError
from studyapp.services import statistics_folding as folding
from studyapp.services.queue import StudyDay, subtree
from studyapp.services.settings import read_settings
from studyapp.services.statistics_values import (
    CardCounts,
    CardInfo,
    CurvePoint,
    DayCount,
    DeckProgress,
    ForecastDay,
    HistogramBin,
    KnowledgeDay,
    Period,
    RetentionRow,
    ReviewEntry,
    Statistics,
    Streak,
)
from studyapp.storage.database import Database
from studyapp.storage.repositories import Repositories

DAILY_GOAL_KEY = "daily_goal"
MAX_DAILY_GOAL = 10_000
CURVE_DAYS = 60
PERIOD_DAYS = {Period.MONTH: 30, Period.QUARTER: 90, Period.YEAR: 365}
DIFFICULTY_EDGES = tuple(float(e) for e in range(1, 11))
STABILITY_EDGES = (0.0, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0, 36500.0)
RECALL_EDGES = tuple(i / 10 for i in range(11))
_TAG = re.compile(r"<[^>]*>")
_STATES = {state: state.name.lower() for state in CardState}


class StatisticsService:
    def __init__(self, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock

    def compute(self, deck_id: int | None, period: Period) -> Statistics:
        """Every figure for `deck_id` with its subdecks (None: the whole collection)."""
        with self._database.transaction() as repos:
            return _Computation(repos, self._clock, deck_id, Period(period)).run()

    def set_daily_goal(self, reviews: int) -> None:
        if not 0 <= reviews <= MAX_DAILY_GOAL:
            raise InvalidInputError(f"The daily goal must be from 0 to {MAX_DAILY_GOAL} reviews.")
        with self._database.transaction() as repos:
            repos.settings.set(DAILY_GOAL_KEY, int(reviews))

    def streak(self) -> Streak:
        with self._database.transaction() as repos:
            day = StudyDay.at(self._clock, read_settings(repos.settings).rollover_hour)
            return _streak(repos, self._clock, day)

    def card_info(self, card_id: int) -> CardInfo:
        with self._database.transaction() as repos:
            card = repos.cards.get(card_id)
            if card is None:
                raise NotFoundError(f"There is no card with id {card_id}.")
            note = repos.notes.get(card.note_id)
            deck = repos.decks.get(card.deck_id)
            assert note is not None
            assert deck is not None
            note_type = repos.note_types.get(note.note_type_id)
            preset = repos.presets.get(deck.preset_id)
            assert note_type is not None
            assert preset is not None
            rollover = read_settings(repos.settings).rollover_hour
            day = StudyDay.at(self._clock, rollover)
            reviews = repos.reviews.for_card(card_id)
        zone = self._clock.zone
        entries = tuple(
            ReviewEntry(
                when=datetime.fromtimestamp(r.reviewed_at / 1000, zone).isoformat(
                    sep=" ", timespec="minutes"
                ),
                kind=r.kind.name.lower(),
                rating=None if r.rating is None else int(r.rating),
                interval=_interval_label(r.interval),
                seconds=r.time_taken_ms / 1000,
                stability=r.stability,
                difficulty=r.difficulty,
            )
            for r in reviews
        )
        recall = None
        curve: tuple[CurvePoint, ...] = ()
        if card.stability is not None and card.last_review_day is not None:
            elapsed = day.today - card.last_review_day
            recall = retrievability(elapsed, card.stability, preset.parameters)
            curve = tuple(
                CurvePoint(d, retrievability(elapsed + d, card.stability, preset.parameters))
                for d in range(CURVE_DAYS + 1)
            )
        question = render_question(note_type, note.fields, card.ordinal)
        return CardInfo(
            card_id=card.id,
            front=" ".join(html.unescape(_TAG.sub(" ", question)).split()),
            deck=deck.name,
            note_type=note_type.name,
            state=_STATES[card.state],
            added=datetime.fromtimestamp(note.created_at, zone).date(),
            due=_due_text(card.state, card.due, zone),
            interval_days=card.interval,
            reps=card.reps,
            lapses=card.lapses,
            stability=card.stability,
            difficulty=card.difficulty,
            retrievability=recall,
            reviews=entries,
            forgetting_curve=curve,
        )

    def deck_progress(self) -> dict[int, DeckProgress]:
        """New, learning, young and mature cards of every deck, subdecks included."""
        with self._database.transaction() as repos:
            decks = repos.decks.all()
            rows = repos.stats.deck_states()
        own: dict[int, dict[str, int]] = {d.id: {} for d in decks}
        for deck_id, category, cards in rows:
            own.setdefault(deck_id, {})[category] = cards
        progress = {}
        for deck in decks:
            totals = dict.fromkeys(("new", "learning", "young", "mature"), 0)
            for member in subtree(decks, deck):
                for category, cards in own.get(member.id, {}).items():
                    totals[category] += cards
            progress[deck.id] = DeckProgress(**totals)
        return progress


def _interval_label(interval: int) -> str:
    seconds = -interval if interval < 0 else interval * SECONDS_PER_DAY
    return format_interval(seconds)


def _due_text(state: CardState, due: int, zone: object) -> str:
    if state is CardState.NEW:
        return f"new #{due}"
    if state is CardState.REVIEW:
        return date.fromordinal(due).isoformat()
    return datetime.fromtimestamp(due, zone).isoformat(sep=" ", timespec="minutes")  # type: ignore[arg-type]


def _daily_goal(repos: Repositories) -> int:
    try:
        return max(0, int(repos.settings.get(DAILY_GOAL_KEY) or 0))
    except (TypeError, ValueError):
        return 0


def _streak(repos: Repositories, clock: Clock, day: StudyDay) -> Streak:
    """Consecutive study days with reviews up to today (or yesterday when none yet today).

    One index seek per streak day: the latest review before the end of the day being checked."""
    zone, rollover = clock.zone, day.rollover_hour
    current, days = day.today, 0
    while True:
        end = to_epoch(study_day_start(current + 1, rollover, zone)) * 1000
        latest = repos.stats.latest_review_before(end)
        if latest is None:
            break
        reviewed = study_day(datetime.fromtimestamp(latest / 1000, UTC), rollover, zone)
        if reviewed == current:
            days += 1
        elif not (current == day.today and reviewed == current - 1):
            break
        current -= 1
    goal = _daily_goal(repos)
    done = repos.stats.review_count(day.start_ms, to_epoch(day.end) * 1000) if goal else 0
    return Streak(days=days, goal=goal, goal_met_today=goal > 0 and done >= goal)


class _Computation:
    """One compute() call: the scope, the period's days, and the figures built from them."""

    def __init__(self, repos: Repositories, clock: Clock, deck_id: int | None, period: Period):
        self.repos = repos
        self.clock = clock
        self.period = period
        self.day = StudyDay.at(clock, read_settings(repos.settings).rollover_hour)
        decks = repos.decks.all()
        self.deck: Deck | None = None
        self.deck_ids: list[int] | None = None
        if deck_id is not None:
            self.deck = next((d for d in decks if d.id == deck_id), None)
            if self.deck is None:
                raise NotFoundError(f"There is no deck with id {deck_id}.")
            self.deck_ids = [d.id for d in subtree(decks, self.deck)]
        self.preset = self._preset()

    def _preset(self) -> Preset:
        presets = {p.id: p for p in self.repos.presets.all()}
        if self.deck is not None:
            return presets[self.deck.preset_id]
        return presets.get(1) or next(iter(presets.values()))

    def _start_ms(self, day: int) -> int:
        return to_epoch(study_day_start(day, self.day.rollover_hour, self.clock.zone)) * 1000

    def _first_day(self) -> int:
        today = self.day.today
        if self.period is not Period.ALL:
            return today - PERIOD_DAYS[self.period] + 1
        first = self.repos.stats.first_review_ms(self.deck_ids)
        if first is None:
            return today
        moment = datetime.fromtimestamp(first / 1000, self.clock.zone)
        return min(today, (moment - timedelta(hours=self.day.rollover_hour)).date().toordinal())

    def run(self) -> Statistics:
        stats, today, zone = self.repos.stats, self.day.today, self.clock.zone
        first_day = self._first_day()
        shift = folding.sub_hour_shift_ms(zone, self.day.now)
        rows = stats.review_hours(
            self._start_ms(first_day), self._start_ms(today + 1), self.deck_ids, shift
        )
        folded = folding.fold_hours(rows, shift, self.day.rollover_hour, zone)
        retention = self._true_retention(folded, first_day)
        month = retention[3]
        due_month = month.young_pass + month.young_fail + month.mature_pass + month.mature_fail
        recalled = month.young_pass + month.mature_pass
        recent = None if due_month == 0 else recalled / due_month
        horizon = max(30, min(today - first_day + 1, 365))
        due = stats.due_days(self.deck_ids, today + horizon)
        forecast = [ForecastDay(date.fromordinal(today + i), 0) for i in range(1, horizon + 1)]
        backlog = 0
        for due_day, cards in due:
            if due_day < today:
                backlog += cards
            elif due_day > today:
                forecast[due_day - today - 1] = ForecastDay(date.fromordinal(due_day), cards)
        memory = stats.memory_states(self.deck_ids)
        difficulty, stability, recall, knowledge = self._memory_figures(memory, folded, first_day)
        return Statistics(
            scope="Whole collection" if self.deck is None else self.deck.name,
            period=self.period,
            today=folding.today_figures(folded, today),
            streak=_streak(self.repos, self.clock, self.day),
            recent_retention=recent,
            desired_retention=self.preset.desired_retention,
            summary=folding.summary_sentence(recent, due_month, self.preset.desired_retention),
            due_tomorrow=forecast[0].due,
            due_next_week=sum(f.due for f in forecast[:7]),
            true_retention=tuple(retention),
            forecast=tuple(forecast),
            backlog=backlog,
            card_counts=CardCounts(**stats.card_counts(self.deck_ids)),
            reviews_per_day=tuple(folding.reviews_per_day(folded, first_day, today)),
            intervals=tuple(folding.interval_buckets(stats.intervals(self.deck_ids))),
            difficulty=difficulty,
            stability=stability,
            retrievability=recall,
            hourly=tuple(folding.hourly(folded)),
            buttons=folding.buttons(folded),
            added=tuple(self._added(first_day)),
            knowledge=knowledge,
        )

    def _true_retention(self, folded: folding.FoldedReviews, first_day: int) -> list[RetentionRow]:
        """Disjoint spans (today, yesterday, the rest of the week, ...) summed into the rows.

        Spans inside the period come from the period's reviews, already folded by day; only
        older spans are asked of the database."""
        today = self.day.today
        bounds = [today + 1, today, today - 1, today - 6, today - 29, today - 364]
        spans: list[tuple[int, int, int, int]] = []
        for newer, older in zip(bounds, [*bounds[1:], None], strict=True):
            if older is not None and older >= first_day:
                days = [folded.retention.get(d, (0, 0, 0, 0)) for d in range(older, newer)]
                yp, yf, mp, mf = (sum(d[k] for d in days) for k in range(4))
                spans.append((yp, yf, mp, mf))
                continue
            since = 0 if older is None else self._start_ms(older)
            until = self._start_ms(min(newer, first_day))
            folded_part = [folded.retention.get(d, (0, 0, 0, 0)) for d in range(first_day, newer)]
            asked = (
                self.repos.stats.retention(since, until, self.deck_ids)
                if since < until
                else (0, 0, 0, 0)
            )
            yp, yf, mp, mf = (asked[k] + sum(d[k] for d in folded_part) for k in range(4))
            spans.append((yp, yf, mp, mf))
        names = ("today", "yesterday", "last_week", "last_month", "last_year", "all_time")
        members = ((0,), (1,), (0, 1, 2), (0, 1, 2, 3), (0, 1, 2, 3, 4), (0, 1, 2, 3, 4, 5))
        rows = []
        for name, chosen in zip(names, members, strict=True):
            yp, yf, mp, mf = (sum(spans[i][k] for i in chosen) for k in range(4))
            rows.append(RetentionRow(name, yp, yf, mp, mf))
        return rows

    def _added(self, first_day: int) -> list[DayCount]:
        offset = folding.utc_offset_seconds(self.clock.zone, self.day.now)
        since = self._start_ms(first_day) // 1000
        added = dict(
            self.repos.stats.added_days(self.deck_ids, since, offset, self.day.rollover_hour)
        )
        return [
            DayCount(date.fromordinal(d), added.get(d, 0))
            for d in range(first_day, self.day.today + 1)
        ]

    def _memory_figures(
        self,
        memory: list[tuple[int, float, float | None]],
        folded: folding.FoldedReviews,
        first_day: int,
    ) -> tuple[
        tuple[HistogramBin, ...],
        tuple[HistogramBin, ...],
        tuple[HistogramBin, ...],
        tuple[KnowledgeDay, ...],
    ]:
        import numpy as np

        today = self.day.today
        parameters = self.preset.parameters
        table = np.array(memory, dtype=np.float64).reshape(len(memory), 3)
        last = table[:, 0].astype(np.int64)
        stab = table[:, 1]
        diff = table[:, 2][~np.isnan(table[:, 2])]
        recall = recall_array((today - last).astype(np.float64), np.maximum(stab, 1e-3), parameters)
        days = today - first_day + 1
        reviewed = self.repos.stats.cards_ever_reviewed(self.deck_ids)
        learned = folding.learned_by_day(folded, first_day, today, max(reviewed, len(memory)))
        curve = knowledge_curve(
            first_day,
            days,
            last,
            stab,
            learned,
            parameters,
            mean_recall_between_reviews(self.preset.desired_retention, parameters),
        )
        return (
            _bins(histogram(diff, DIFFICULTY_EDGES)),
            _bins(histogram(np.minimum(stab, STABILITY_EDGES[-1]), STABILITY_EDGES)),
            _bins(histogram(recall, RECALL_EDGES)),
            tuple(
                KnowledgeDay(date.fromordinal(first_day + i), round(value, 2))
                for i, value in enumerate(curve)
            ),
        )


def _bins(rows: list[tuple[float, float, int]]) -> tuple[HistogramBin, ...]:
    return tuple(HistogramBin(lower, upper, cards) for lower, upper, cards in rows)
