"""Workload planning ("Help me decide"): what each desired retention would cost for a deck."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from studyapp.domain.cards import Card, CardState, ReviewKind
from studyapp.domain.clock import Clock
from studyapp.domain.decks import Preset
from studyapp.domain.simulation import (
    HORIZON_DAYS,
    AnswerSeconds,
    DeckWorkload,
    LearnedCard,
    WorkloadPoint,
    simulate_workload,
)
from studyapp.errors import InvalidInputError, NotFoundError
from studyapp.services.queue import StudyDay, subtree
from studyapp.services.settings import read_settings

if TYPE_CHECKING:
    from studyapp.storage.database import Database

MIN_RETENTION = 0.70
MAX_RETENTION = 0.99
MIN_TIMED_ANSWERS = 20
"""Answers of a kind needed before their average time replaces the default."""
UNKNOWN_DIFFICULTY = 5.0
"""For a studied card without a memory state (imported without its history)."""


@dataclass(frozen=True, slots=True)
class WorkloadCurve:
    """The simulated daily load of a deck at each desired retention, and what it assumed."""

    deck_id: int
    deck_name: str
    preset_name: str
    current_retention: float
    points: tuple[WorkloadPoint, ...]
    learned_cards: int
    new_cards: int
    new_per_day: int
    seconds: AnswerSeconds
    days: int


def _learned(card: Card, today: int) -> LearnedCard:
    stability = card.stability if card.stability is not None else float(max(card.interval, 1))
    difficulty = card.difficulty if card.difficulty is not None else UNKNOWN_DIFFICULTY
    last = card.last_review_day if card.last_review_day is not None else today
    due = card.due if card.state is CardState.REVIEW else today
    return LearnedCard(stability, difficulty, last, due)


class WorkloadService:
    def __init__(self, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock

    def curve(self, deck_id: int, days: int = HORIZON_DAYS, seed: int = 0) -> WorkloadCurve:
        """Simulate `days` days of the deck (subdecks included) with its preset's parameters."""
        with self._database.transaction() as repos:
            deck = repos.decks.get(deck_id)
            if deck is None:
                raise NotFoundError(f"There is no deck with id {deck_id}.")
            preset = repos.presets.get(deck.preset_id)
            assert preset is not None
            today = StudyDay.at(self._clock, read_settings(repos.settings).rollover_hour).today
            ids = [d.id for d in subtree(repos.decks.all(), deck)]
            cards = repos.planning.active_cards(ids)
            timings = repos.planning.average_answer_ms(ids)
        defaults = AnswerSeconds()

        def seconds(kind: ReviewKind, default: float) -> float:
            average, count = timings.get(kind, (0.0, 0))
            return average / 1000.0 if count >= MIN_TIMED_ANSWERS and average > 0 else default

        timing = AnswerSeconds(
            learn=seconds(ReviewKind.LEARN, defaults.learn),
            review=seconds(ReviewKind.REVIEW, defaults.review),
            relearn=seconds(ReviewKind.RELEARN, defaults.relearn),
        )
        learned = tuple(_learned(c, today) for c in cards if c.state is not CardState.NEW)
        new_cards = sum(1 for c in cards if c.state is CardState.NEW)
        workload = DeckWorkload(
            today=today,
            learned=learned,
            new_cards=new_cards,
            new_per_day=preset.new_per_day,
            maximum_interval=preset.maximum_interval,
        )
        points = simulate_workload(workload, preset.parameters, timing, days=days, seed=seed)
        return WorkloadCurve(
            deck_id=deck.id,
            deck_name=deck.name,
            preset_name=preset.name,
            current_retention=preset.desired_retention,
            points=tuple(points),
            learned_cards=len(learned),
            new_cards=new_cards,
            new_per_day=preset.new_per_day,
            seconds=timing,
            days=days,
        )

    def apply_retention(self, deck_id: int, retention: float) -> Preset:
        """Set the desired retention of the deck's preset (shared by every deck using it)."""
        if not MIN_RETENTION <= retention <= MAX_RETENTION:
            raise InvalidInputError(
                f"The desired retention must be from {MIN_RETENTION:.0%} to {MAX_RETENTION:.0%}."
            )
        with self._database.transaction() as repos:
            deck = repos.decks.get(deck_id)
            if deck is None:
                raise NotFoundError(f"There is no deck with id {deck_id}.")
            preset = repos.presets.get(deck.preset_id)
            assert preset is not None
            updated = replace(preset, desired_retention=round(retention, 2))
            repos.presets.update(updated)
            return updated
