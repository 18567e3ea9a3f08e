"""The computation behind the statistics service: every figure of the statistics window, the
streak and card info.

Apart from `statistics` so that building the service at launch loads none of it: the service
imports this module when a figure is first asked for.  The database does the grouping (see
storage.stats_queries); this module decodes the review codes into study days and hours and does
the memory-model arithmetic with numpy (domain.progress).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from studyapp.domain.cards import Card, CardState, Note, NoteType, Review
from studyapp.domain.clock import Clock, study_day_start, to_epoch
from studyapp.domain.decks import Deck, Preset
from studyapp.domain.markdown_fields import fields_as_html
from studyapp.domain.memory import retrievability
from studyapp.domain.progress import (
    histogram,
    knowledge_curve,
    mean_recall_between_reviews,
    recall_array,
)
from studyapp.domain.scheduler import SECONDS_PER_DAY, format_interval
from studyapp.domain.templates import render_question
from studyapp.errors import NotFoundError
from studyapp.services import statistics_folding as folding
from studyapp.services.queue import StudyDay, subtree
from studyapp.services.settings import read_settings
from studyapp.services.statistics import DAILY_GOAL_KEY
from studyapp.services.statistics_period import Period
from studyapp.services.statistics_values import (
    CardCounts,
    CardInfo,
    CurvePoint,
    DayCount,
    ForecastDay,
    HistogramBin,
    KnowledgeDay,
    RetentionRow,
    ReviewEntry,
    Statistics,
    Streak,
)

if TYPE_CHECKING:
    from studyapp.storage.repositories import Repositories
    from studyapp.storage.stats_queries import StatsQueries

CURVE_DAYS = 60
PERIOD_DAYS = {Period.MONTH: 30, Period.QUARTER: 90, Period.YEAR: 365}
DIFFICULTY_EDGES = tuple(float(e) for e in range(1, 11))
STABILITY_EDGES = (0.0, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0, 36500.0)
RECALL_EDGES = tuple(i / 10 for i in range(11))
STREAK_BATCH = 32
_TAG = re.compile(r"<[^>]*>")
_STATES = {state: state.name.lower() for state in CardState}


def card_info(
    card: Card,
    note: Note,
    deck: Deck,
    note_type: NoteType,
    preset: Preset,
    today: int,
    reviews: Sequence[Review],
    zone: tzinfo,
) -> CardInfo:
    """The card's details from what the service read in its transaction."""
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
        elapsed = today - card.last_review_day
        recall = retrievability(elapsed, card.stability, preset.parameters)
        curve = tuple(
            CurvePoint(d, retrievability(elapsed + d, card.stability, preset.parameters))
            for d in range(CURVE_DAYS + 1)
        )
    question = render_question(note_type, fields_as_html(note_type, note.fields), card.ordinal)
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


def _interval_label(interval: int) -> str:
    seconds = -interval if interval < 0 else interval * SECONDS_PER_DAY
    return format_interval(seconds)


def _due_text(state: CardState, due: int, zone: tzinfo) -> str:
    if state is CardState.NEW:
        return f"new #{due}"
    if state is CardState.REVIEW:
        return date.fromordinal(due).isoformat()
    return datetime.fromtimestamp(due, zone).isoformat(sep=" ", timespec="minutes")


def _daily_goal(repos: Repositories) -> int:
    try:
        return max(0, int(repos.settings.get(DAILY_GOAL_KEY) or 0))
    except (TypeError, ValueError):
        return 0


def study_streak(repos: Repositories, clock: Clock, day: StudyDay) -> Streak:
    """Consecutive study days with reviews up to today (or yesterday when none yet today).

    A day was studied when the latest review before its end falls inside it: one index seek
    per day, STREAK_BATCH days to a statement."""
    zone, rollover = clock.zone, day.rollover_hour
    days, newest = 0, day.today
    while True:
        bounds = [
            to_epoch(study_day_start(d, rollover, zone)) * 1000
            for d in range(newest + 1, newest - STREAK_BATCH, -1)
        ]
        latest = repos.stats.latest_reviews_before(bounds[:-1])
        studied = [
            at is not None and at >= start for at, start in zip(latest, bounds[1:], strict=True)
        ]
        if newest == day.today and not studied[0]:
            studied = studied[1:]  # nothing yet today: the streak may still end yesterday
        run = next((i for i, value in enumerate(studied) if not value), None)
        days += len(studied) if run is None else run
        if run is not None:
            break
        newest -= STREAK_BATCH
    goal = _daily_goal(repos)
    done = repos.stats.review_count(day.start_ms, to_epoch(day.end) * 1000) if goal else 0
    return Streak(days=days, goal=goal, goal_met_today=goal > 0 and done >= goal)


class Computation:
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

    def run(self, log: Repositories | None) -> Statistics:
        """Every figure; the period's reviews are read through `log` in a thread (or, without
        `log`, first and through the computation's own repositories)."""
        stats, today = self.repos.stats, self.day.today
        first_day = self._first_day()
        horizon = max(30, min(today - first_day + 1, 365))
        with ThreadPoolExecutor(max_workers=1) as worker:
            if log is None:
                reviews: Future[folding.FoldedReviews] = Future()
                reviews.set_result(self._reviews(stats, first_day))
            else:
                reviews = worker.submit(self._reviews, log.stats, first_day)
            older = self._older_retention(first_day)
            due = stats.due_days(self.deck_ids, today + horizon)
            memory = stats.memory_states(self.deck_ids)
            reviewed = stats.cards_ever_reviewed(self.deck_ids)
            card_counts = CardCounts(**stats.card_counts(self.deck_ids))
            intervals = tuple(folding.interval_buckets(stats.intervals(self.deck_ids)))
            added = tuple(self._added(first_day))
            streak = study_streak(self.repos, self.clock, self.day)
            folded = reviews.result()
        retention = self._true_retention(folded, first_day, older)
        month = retention[3]
        due_month = month.young_pass + month.young_fail + month.mature_pass + month.mature_fail
        recalled = month.young_pass + month.mature_pass
        recent = None if due_month == 0 else recalled / due_month
        forecast = [ForecastDay(date.fromordinal(today + i), 0) for i in range(1, horizon + 1)]
        backlog = 0
        for due_day, cards in due:
            if due_day < today:
                backlog += cards
            elif due_day > today:
                forecast[due_day - today - 1] = ForecastDay(date.fromordinal(due_day), cards)
        difficulty, stability, recall, knowledge = self._memory_figures(
            memory, reviewed, folded, first_day
        )
        return Statistics(
            scope="Whole collection" if self.deck is None else self.deck.name,
            period=self.period,
            today=folding.today_figures(folded, today),
            streak=streak,
            recent_retention=recent,
            desired_retention=self.preset.desired_retention,
            summary=folding.summary_sentence(recent, due_month, self.preset.desired_retention),
            due_tomorrow=forecast[0].due,
            due_next_week=sum(f.due for f in forecast[:7]),
            true_retention=tuple(retention),
            forecast=tuple(forecast),
            backlog=backlog,
            card_counts=card_counts,
            reviews_per_day=tuple(folding.reviews_per_day(folded, first_day, today)),
            intervals=intervals,
            difficulty=difficulty,
            stability=stability,
            retrievability=recall,
            hourly=tuple(folding.hourly(folded)),
            buttons=folding.buttons(folded),
            added=added,
            knowledge=knowledge,
        )

    def _reviews(self, log: StatsQueries, first_day: int) -> folding.FoldedReviews:
        """The period's reviews, folded by study day and hour of day."""
        starts = [self._start_ms(d) for d in range(first_day, self.day.today + 2)]
        groups = log.review_codes(starts, self.deck_ids)
        return folding.fold_reviews(groups, first_day, starts, self.clock.zone)

    def _spans(self) -> list[tuple[int, int | None]]:
        """(first day after, first day) of the disjoint spans the true retention rows add up:
        today, yesterday, the rest of the week, month and year, and all before (None)."""
        today = self.day.today
        bounds = [today + 1, today, today - 1, today - 6, today - 29, today - 364]
        return list(zip(bounds, [*bounds[1:], None], strict=True))

    def _older_retention(self, first_day: int) -> list[tuple[int, int, int, int]]:
        """For each span, the true retention figures of its days before the period."""
        parts = []
        for newer, older in self._spans():
            since = 0 if older is None else self._start_ms(older)
            until = self._start_ms(min(newer, first_day))
            asked = (
                self.repos.stats.retention(since, until, self.deck_ids)
                if since < until
                else (0, 0, 0, 0)
            )
            parts.append(asked)
        return parts

    def _true_retention(
        self,
        folded: folding.FoldedReviews,
        first_day: int,
        older: list[tuple[int, int, int, int]],
    ) -> list[RetentionRow]:
        """The spans' days in the period (already folded by day) plus their days before it
        (`older`), summed into the rows."""
        spans = []
        for (newer, oldest), before in zip(self._spans(), older, strict=True):
            start = first_day if oldest is None else max(oldest, first_day)
            days = [folded.retention.get(d, (0, 0, 0, 0)) for d in range(start, newer)]
            yp, yf, mp, mf = (before[k] + sum(d[k] for d in days) for k in range(4))
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
        reviewed: int,
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
