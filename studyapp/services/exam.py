"""Exam dates on decks: setting one, and the exam panel's projection."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from studyapp.domain.cards import Card
from studyapp.domain.clock import Clock, study_day, to_epoch
from studyapp.domain.decks import Deck, ExamPlan, Preset
from studyapp.domain.exam import ExamTarget, exam_window
from studyapp.domain.exam_projection import ExamProjection, project_exam
from studyapp.domain.memory import MemoryState
from studyapp.errors import InvalidInputError, NotFoundError
from studyapp.services.queue import subtree
from studyapp.services.rescheduling import reschedule
from studyapp.services.settings import read_settings

if TYPE_CHECKING:
    from studyapp.services.rescheduling import Rescheduled
    from studyapp.storage.database import Database
    from studyapp.storage.repositories import Repositories

MIN_TARGET = 0.5
MAX_TARGET = 0.99


@dataclass(frozen=True, slots=True)
class ExamPanel:
    """What the deck shows about its exam."""

    exam_date: date
    target_recall: float
    projection: ExamProjection
    new_per_day_limit: int
    reviews_per_day_limit: int


def today_of(repos: Repositories, clock: Clock) -> int:
    """Today's study day, with the collection's rollover hour."""
    return study_day(clock.now(), read_settings(repos.settings).rollover_hour, clock.zone)


def check_plan(plan: ExamPlan, today: int) -> None:
    """InvalidInputError unless the exam is after `today` with a target recall in range."""
    if plan.exam_date.toordinal() <= today:
        raise InvalidInputError("The exam date must be after today.")
    if not MIN_TARGET <= round(plan.target_recall, 4) <= MAX_TARGET:
        raise InvalidInputError(
            f"The target recall must be from {MIN_TARGET:.0%} to {MAX_TARGET:.0%}."
        )


def exam_cards(repos: Repositories, deck: Deck) -> list[Card]:
    """The review cards an exam on `deck` covers: its own and its subdecks'."""
    return repos.schedule.review_cards([d.id for d in subtree(repos.decks.all(), deck)])


def bring_forward(
    repos: Repositories, deck: Deck, cards: Sequence[Card], plan: ExamPlan, now_epoch: int
) -> Rescheduled:
    """Move those of `cards` (the exam deck's, see exam_cards) due on or after the exam day whose
    recall that day would fall below the target to the day before it, logged as RESCHEDULED."""
    exam = ExamTarget(plan.exam_date.toordinal(), plan.target_recall)
    presets = {p.id: p for p in repos.presets.all()}
    parameters = {d.id: presets[d.preset_id].parameters for d in repos.decks.all()}

    def pulled_in(card: Card) -> int | None:
        if card.stability is None or card.difficulty is None or card.last_review_day is None:
            return None
        last = card.last_review_day
        memory = MemoryState(card.stability, card.difficulty)
        window = exam_window(memory, last, card.due - last, exam, parameters[card.deck_id])
        return None if window is None else window[1]

    return reschedule(repos, cards, pulled_in, now_epoch)


class ExamService:
    def __init__(self, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock

    def today(self) -> date:
        """Today's study day as a date."""
        with self._database.transaction() as repos:
            return date.fromordinal(today_of(repos, self._clock))

    def plan(self, deck_id: int) -> ExamPlan | None:
        """The exam set on `deck_id` itself, if any."""
        with self._database.transaction() as repos:
            deck = repos.decks.get(deck_id)
            if deck is None:
                raise NotFoundError(f"There is no deck with id {deck_id}.")
            return deck.exam

    def set_exam(self, deck_id: int, plan: ExamPlan | None) -> int:
        """Set (or with None, clear) the exam of `deck_id`.  Review cards of the deck and its
        subdecks due on or after the exam day whose recall that day would fall below the target
        are brought forward to the days before it, logged as RESCHEDULED; returns how many.
        (The options dialog saves the exam with the preset, undoably: PresetService.save_options.)
        """
        with self._database.transaction() as repos:
            deck = repos.decks.get(deck_id)
            if deck is None:
                raise NotFoundError(f"There is no deck with id {deck_id}.")
            if plan is not None:
                check_plan(plan, today_of(repos, self._clock))
            repos.decks.update(replace(deck, exam=plan))
            if plan is None:
                return 0
            now = to_epoch(self._clock.now())
            return bring_forward(repos, deck, exam_cards(repos, deck), plan, now).count

    def panel(self, deck_id: int) -> ExamPanel | None:
        """The exam panel of `deck_id`: None when the deck has no exam set."""
        return self.preview(deck_id, None, None)

    def preview(
        self, deck_id: int, plan: ExamPlan | None, preset: Preset | None
    ) -> ExamPanel | None:
        """The exam panel `deck_id` would show with `plan` (None: its stored exam) and with
        `preset` (None: the stored presets) in place of the stored preset of the same id, as
        the options dialog shows it before saving.  None when there is no exam.  Safe to call
        from a worker thread: it reads in its own transaction."""
        with self._database.transaction() as repos:
            deck = repos.decks.get(deck_id)
            if deck is None:
                raise NotFoundError(f"There is no deck with id {deck_id}.")
            plan = plan if plan is not None else deck.exam
            if plan is None:
                return None
            today = today_of(repos, self._clock)
            presets = {p.id: p for p in repos.presets.all()}
            if preset is not None:
                presets[preset.id] = preset
                deck = replace(deck, preset_id=preset.id)
            decks = {d.id: d for d in subtree(repos.decks.all(), deck)}
            decks[deck.id] = deck
            columns = repos.schedule.memory_columns(list(decks))
        exam = ExamTarget(plan.exam_date.toordinal(), plan.target_recall)
        deck_preset = presets[deck.preset_id]
        by_deck = {d.id: presets[d.preset_id] for d in decks.values()}
        return ExamPanel(
            exam_date=plan.exam_date,
            target_recall=plan.target_recall,
            projection=project_exam(columns, by_deck, today, exam, deck_preset),
            new_per_day_limit=deck_preset.new_per_day,
            reviews_per_day_limit=deck_preset.reviews_per_day,
        )
