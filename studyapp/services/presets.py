"""Deck presets: the options a deck studies with, shared by every deck that uses the preset."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from studyapp.domain.cards import Card
from studyapp.domain.clock import Clock, to_epoch
from studyapp.domain.decks import Deck, ExamPlan, Preset
from studyapp.domain.memory import PARAMETER_COUNT
from studyapp.domain.scheduler import rescheduled_interval
from studyapp.errors import InvalidInputError, NotFoundError
from studyapp.services.collection import DEFAULT_PRESET_ID
from studyapp.services.exam import bring_forward, check_plan, exam_cards, today_of
from studyapp.services.rescheduling import (
    redo_reschedules,
    reschedule,
    undo_reschedules,
)
from studyapp.services.undo import UndoEntry

if TYPE_CHECKING:
    from studyapp.services.rescheduling import Rescheduled
    from studyapp.services.undo import UndoStack
    from studyapp.storage.database import Database
    from studyapp.storage.repositories import Repositories

MIN_RETENTION = 0.70
MAX_RETENTION = 0.99
HIGH_RETENTION = 0.97
"""Above this, the workload grows steeply for little gain: the options dialog warns."""
MAX_NAME_LENGTH = 200


@dataclass(frozen=True, slots=True)
class PresetUsage:
    """A preset and the names of the decks that use it, in name order."""

    preset: Preset
    deck_names: tuple[str, ...]


UNDO_LABEL = "Deck options"


@dataclass(frozen=True, slots=True)
class SaveOutcome:
    rescheduled: int
    """Review cards whose due date moved because the desired retention or parameters changed
    with "Reschedule cards on change" on."""
    brought_forward: int = 0
    """Review cards moved before a newly set exam day (see ExamService.set_exam)."""


@dataclass(frozen=True, slots=True)
class DeckOptions:
    """What the deck options dialog stores on OK."""

    deck_id: int
    preset: Preset
    """The preset the deck is to use, with its options as edited."""
    exam: ExamPlan | None
    """The deck's exam; None clears it."""
    other_presets: tuple[Preset, ...] = ()
    """Other presets whose options were edited in the dialog."""


@dataclass(frozen=True, slots=True)
class _Change:
    """Everything one save of the options changed, both ways, for undo and redo."""

    deck_id: int
    presets_before: tuple[Preset, ...]
    presets_after: tuple[Preset, ...]
    deck_before: tuple[int, ExamPlan | None]
    """The deck's preset id and exam before the save."""
    deck_after: tuple[int, ExamPlan | None]
    moves: tuple[Rescheduled, ...]


def validated(preset: Preset) -> Preset:
    """`preset` if every option is in range; otherwise InvalidInputError saying which is not."""
    if not preset.name.strip() or len(preset.name) > MAX_NAME_LENGTH:
        raise InvalidInputError(f"A preset needs a name of 1 to {MAX_NAME_LENGTH} characters.")
    if not MIN_RETENTION <= round(preset.desired_retention, 4) <= MAX_RETENTION:
        raise InvalidInputError(
            f"Desired retention must be from {MIN_RETENTION:.2f} to {MAX_RETENTION:.2f}."
        )
    if preset.new_per_day < 0 or preset.reviews_per_day < 0:
        raise InvalidInputError("Daily limits cannot be negative.")
    if preset.maximum_interval < 1:
        raise InvalidInputError("The maximum interval must be at least 1 day.")
    if any(step <= 0 for step in (*preset.learning_steps, *preset.relearning_steps)):
        raise InvalidInputError("Learning steps must be longer than 0 seconds.")
    if preset.leech_threshold < 0:
        raise InvalidInputError("The leech threshold cannot be negative (0 turns leeches off).")
    if any(not 0 <= day <= 6 for day in preset.easy_days):
        raise InvalidInputError("Easy days must be weekdays 0 (Monday) to 6 (Sunday).")
    if len(preset.parameters) != PARAMETER_COUNT:
        raise InvalidInputError(f"A preset needs {PARAMETER_COUNT} FSRS parameters.")
    return replace(preset, name=preset.name.strip(), easy_days=tuple(sorted(set(preset.easy_days))))


class PresetService:
    def __init__(self, database: Database, clock: Clock, undo_stack: UndoStack) -> None:
        self._database = database
        self._clock = clock
        self._undo = undo_stack

    def usage(self) -> list[PresetUsage]:
        """Every preset, with the decks that use it."""
        with self._database.transaction() as repos:
            decks = repos.decks.all()
            return [
                PresetUsage(p, tuple(d.name for d in decks if d.preset_id == p.id))
                for p in repos.presets.all()
            ]

    def for_deck(self, deck_id: int) -> Preset:
        with self._database.transaction() as repos:
            return _preset(repos, _deck(repos, deck_id).preset_id)

    def add(self, name: str) -> Preset:
        """A new preset with default options."""
        with self._database.transaction() as repos:
            return self._add(repos, Preset(id=0, name=name))

    def clone(self, preset_id: int, name: str) -> Preset:
        """A new preset with the options of `preset_id`."""
        with self._database.transaction() as repos:
            original = _preset(repos, preset_id)
            return self._add(repos, replace(original, id=0, name=name, optimized_at=None))

    def _add(self, repos: Repositories, preset: Preset) -> Preset:
        preset = validated(preset)
        _check_unique(repos, preset)
        return repos.presets.add(preset)

    def rename(self, preset_id: int, name: str) -> Preset:
        with self._database.transaction() as repos:
            renamed = validated(replace(_preset(repos, preset_id), name=name))
            _check_unique(repos, renamed)
            repos.presets.update(renamed)
            return renamed

    def delete(self, preset_id: int) -> None:
        """Delete a preset; the decks that used it go back to the Default preset."""
        if preset_id == DEFAULT_PRESET_ID:
            raise InvalidInputError("The Default preset cannot be deleted.")
        with self._database.transaction() as repos:
            _preset(repos, preset_id)
            for deck in repos.decks.all():
                if deck.preset_id == preset_id:
                    repos.decks.update(replace(deck, preset_id=DEFAULT_PRESET_ID))
            repos.presets.delete(preset_id)

    def use(self, deck_id: int, preset_id: int) -> None:
        """Make `deck_id` study with `preset_id`."""
        with self._database.transaction() as repos:
            _preset(repos, preset_id)
            repos.decks.update(replace(_deck(repos, deck_id), preset_id=preset_id))

    def save_options(self, options: DeckOptions) -> SaveOutcome:
        """Store what the options dialog shows, in one transaction, as one undoable action:
        every edited preset (rescheduling its review cards when "Reschedule cards on change" is
        on and the desired retention or parameters changed), the deck's preset, and its exam
        (bringing late reviews forward, as ExamService.set_exam does).  Undo puts back the
        presets' options, the deck's preset and exam, and the moved cards, and deletes the
        RESCHEDULED rows logged; redo does it all again."""
        now = to_epoch(self._clock.now())
        with self._database.transaction() as repos:
            deck = _deck(repos, options.deck_id)
            _preset(repos, options.preset.id)
            if options.exam is not None and options.exam != deck.exam:
                check_plan(options.exam, today_of(repos, self._clock))
            edited = (*options.other_presets, options.preset)
            before = tuple(_preset(repos, p.id) for p in edited)
            deck_after = (options.preset.id, options.exam)
            repos.decks.update(replace(deck, preset_id=options.preset.id, exam=options.exam))
            moves: list[Rescheduled] = []
            after: list[Preset] = []
            for preset in edited:
                stored, moved = self._save(repos, preset)
                after.append(stored)
                if moved is not None:
                    moves.append(moved)
            rescheduled = sum(m.count for m in moves)
            brought_forward = 0
            if options.exam is not None and options.exam != deck.exam:
                cards: list[Card] = exam_cards(repos, deck)
                for moved in moves:
                    cards = moved.apply_to(cards)
                pulled = bring_forward(repos, deck, cards, options.exam, now)
                moves.append(pulled)
                brought_forward = pulled.count
        change = _Change(
            options.deck_id,
            before,
            tuple(after),
            (deck.preset_id, deck.exam),
            deck_after,
            tuple(moves),
        )
        self._undo.push(
            UndoEntry(
                UNDO_LABEL,
                None,
                lambda repos: self._put(repos, change.presets_before, change.deck_before, change),
                lambda repos: self._put(repos, change.presets_after, change.deck_after, change),
            )
        )
        return SaveOutcome(rescheduled, brought_forward)

    def _put(
        self,
        repos: Repositories,
        presets: Sequence[Preset],
        deck_state: tuple[int, ExamPlan | None],
        change: _Change,
    ) -> None:
        """Put the presets and the deck as `presets` and `deck_state` say, and the moved cards
        where they were before the save (undo) or after it (redo).  A preset deleted since is
        left out, and keeps the name it has now otherwise."""
        now = to_epoch(self._clock.now())
        for preset in presets:
            current = repos.presets.get(preset.id)
            if current is not None:
                repos.presets.update(replace(preset, name=current.name))
        deck = repos.decks.get(change.deck_id)
        if deck is not None:
            preset_id, exam = deck_state
            if repos.presets.get(preset_id) is None:
                preset_id = deck.preset_id
            repos.decks.update(replace(deck, preset_id=preset_id, exam=exam))
        if presets is change.presets_before:
            undo_reschedules(repos, change.moves, now)
        else:
            redo_reschedules(repos, change.moves, now)

    def save(self, preset: Preset) -> SaveOutcome:
        """Store every option of `preset`.  With "Reschedule cards on change" on, a change of
        desired retention or parameters moves the due dates of the preset's review cards to
        what their memory states give now, in the same transaction."""
        with self._database.transaction() as repos:
            _, moved = self._save(repos, preset)
            return SaveOutcome(0 if moved is None else moved.count)

    def _save(self, repos: Repositories, preset: Preset) -> tuple[Preset, Rescheduled | None]:
        """The preset as stored, and the cards it rescheduled (None when that was not asked)."""
        preset = validated(preset)
        before = _preset(repos, preset.id)
        _check_unique(repos, preset)
        repos.presets.update(preset)
        changed = (
            before.desired_retention != preset.desired_retention
            or before.parameters != preset.parameters
        )
        if not (preset.reschedule_on_change and changed):
            return preset, None
        deck_ids = [d.id for d in repos.decks.all() if d.preset_id == preset.id]
        cards = [c for c in repos.schedule.review_cards(deck_ids) if c.stability is not None]
        moved = reschedule(
            repos,
            cards,
            lambda card: rescheduled_interval(card, preset),
            to_epoch(self._clock.now()),
        )
        return preset, moved


def _deck(repos: Repositories, deck_id: int) -> Deck:
    deck = repos.decks.get(deck_id)
    if deck is None:
        raise NotFoundError(f"There is no deck with id {deck_id}.")
    return deck


def _preset(repos: Repositories, preset_id: int) -> Preset:
    preset = repos.presets.get(preset_id)
    if preset is None:
        raise NotFoundError(f"There is no preset with id {preset_id}.")
    return preset


def _check_unique(repos: Repositories, preset: Preset) -> None:
    wanted = preset.name.casefold()
    if any(p.name.casefold() == wanted and p.id != preset.id for p in repos.presets.all()):
        raise InvalidInputError(f"There is already a preset called “{preset.name}”.")
