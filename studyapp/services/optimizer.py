"""Tools ▸ Optimize scheduler: fit each preset's FSRS-6 parameters to the user's own reviews.

For a preset, the rated reviews of the cards whose home deck uses it become one history per card
(study days by the collection's rollover hour).  With fewer than MIN_REVIEWS_TO_OPTIMIZE reviews
that can be predicted, the current parameters stay.  Otherwise domain.fit_checks.fit_with_check
fits on the earlier reviews, compares the current and the fitted parameters on the later ones by
log loss and RMSE(bins), keeps the fitted ones only if they predict better, and then refits them
on every review.  Every kept result is stored in one transaction at the end, so a cancelled run
changes nothing.

Progress and cancelling reach into the fit: after each iteration of the fitter, progress is
reported and a cancel is honoured, so a cancel stops a long fit within one iteration.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from enum import Enum
from itertools import pairwise
from typing import TYPE_CHECKING

from studyapp.domain.cards import CardState
from studyapp.domain.clock import Clock, from_epoch, study_day, to_epoch
from studyapp.domain.decks import Preset
from studyapp.domain.fit_checks import Evaluation, fit_with_check
from studyapp.domain.fitting import IterationHook
from studyapp.domain.memory import MIN_REVIEWS_TO_FIT
from studyapp.errors import NotFoundError, OperationCancelledError
from studyapp.services.settings import read_settings

if TYPE_CHECKING:
    from studyapp.storage.database import Database
    from studyapp.storage.planning_queries import HistoryRow

MIN_REVIEWS_TO_OPTIMIZE = MIN_REVIEWS_TO_FIT
"""Predictable reviews (a card's reviews after its first, each on a later study day than the one
before) needed before a fit is tried: 400, the fitter's own minimum."""

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
History = list[tuple[int, int]]

PRESET_UNITS = 1000
"""Progress units per preset: READ_UNITS for reading its reviews, the rest for fitting."""
READ_UNITS = 50
HALF_WAY_ITERATIONS = 60
"""Fits take an unknown number of iterations (typically 50 to 150 over both fits of
fit_with_check): after n of them the fitting share is n / (n + HALF_WAY_ITERATIONS) done."""


def fitting_units(iterations: int) -> int:
    """The progress units of a preset's fit after `iterations` iterations; below the share."""
    share = PRESET_UNITS - READ_UNITS
    return min(share - 1, share * iterations // (iterations + HALF_WAY_ITERATIONS))


class Decision(Enum):
    TOO_FEW_REVIEWS = "too few reviews"
    KEPT_NEW = "kept the new parameters"
    KEPT_CURRENT = "kept the current parameters"


@dataclass(frozen=True, slots=True)
class PresetChoice:
    """A preset the optimizer can work on, and how many decks use it."""

    preset_id: int
    name: str
    decks: int


@dataclass(frozen=True, slots=True)
class PresetFit:
    """What optimizing one preset found and decided.

    `current` and `fitted` are evaluated on the later reviews the fit did not see; both are None
    when there were too few reviews to try.
    """

    preset_id: int
    preset_name: str
    reviews: int
    decision: Decision
    current: Evaluation | None
    fitted: Evaluation | None
    parameters: tuple[float, ...]
    """The parameters the preset has now."""
    message: str


@dataclass(frozen=True, slots=True)
class OptimizeResult:
    fits: tuple[PresetFit, ...]

    @property
    def changed(self) -> int:
        return sum(1 for fit in self.fits if fit.decision is Decision.KEPT_NEW)


def _figures(current: Evaluation, fitted: Evaluation) -> str:
    return (
        f"log loss {fitted.log_loss:.3f} vs {current.log_loss:.3f}, "
        f"RMSE {fitted.rmse_bins:.1%} vs {current.rmse_bins:.1%}"
    )


def histories_from_rows(rows: Sequence[HistoryRow], day_of: Callable[[int], int]) -> list[History]:
    """One history per card (and per reset: a review of a new card starts a fresh one).

    Reviews before a card's first review as a new card (a log imported in part) are skipped.
    `day_of` turns epoch milliseconds into a study day.
    """
    histories: list[History] = []
    current: History | None = None
    previous_card = None
    for card_id, at_ms, rating, state_before in rows:
        if card_id != previous_card:
            previous_card = card_id
            current = None
        if state_before == int(CardState.NEW):
            current = []
            histories.append(current)
        if current is not None:
            current.append((day_of(at_ms), rating))
    return histories


def predictable_reviews(histories: Sequence[History]) -> int:
    """Reviews after a card's first on a later study day than the one before: what is predicted."""
    return sum(
        1
        for history in histories
        for (before, _), (after, _) in pairwise(history)
        if after > before
    )


class OptimizerService:
    def __init__(self, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock

    def presets(self) -> list[PresetChoice]:
        """Every preset with the number of (regular) decks using it."""
        with self._database.transaction() as repos:
            decks = [d for d in repos.decks.all() if d.filter is None]
            return [
                PresetChoice(p.id, p.name, sum(1 for d in decks if d.preset_id == p.id))
                for p in repos.presets.all()
            ]

    def optimize(
        self,
        preset_id: int | None,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
    ) -> OptimizeResult:
        """Optimize one preset (`preset_id`) or every preset (None); see the module docstring.

        `progress(done, total)` is called between steps and after every iteration of a fit,
        and `cancelled()` is checked there; when it returns True, OperationCancelledError is
        raised and nothing is stored.
        """
        report = progress or (lambda done, total: None)
        stop = cancelled or (lambda: False)
        with self._database.transaction() as repos:
            presets = repos.presets.all()
            rollover = read_settings(repos.settings).rollover_hour
            decks = [d for d in repos.decks.all() if d.filter is None]
        chosen = [p for p in presets if preset_id is None or p.id == preset_id]
        if not chosen:
            raise NotFoundError(f"There is no preset with id {preset_id}.")
        zone = self._clock.zone
        cache: dict[int, int] = {}

        def day_of(at_ms: int) -> int:
            minute = at_ms // 60_000
            day = cache.get(minute)
            if day is None:
                day = study_day(from_epoch(minute * 60), rollover, zone)
                cache[minute] = day
            return day

        total = PRESET_UNITS * len(chosen) + 1
        fits: list[PresetFit] = []
        for index, preset in enumerate(chosen):
            base = PRESET_UNITS * index
            self._check(stop)
            report(base, total)
            deck_ids = [d.id for d in decks if d.preset_id == preset.id]
            with self._database.transaction() as repos:
                rows = repos.planning.rated_history_rows(deck_ids) if deck_ids else []
            histories = histories_from_rows(rows, day_of)
            self._check(stop)
            report(base + READ_UNITS, total)
            hook = self._iteration_hook(stop, report, base + READ_UNITS, total)
            fits.append(self._fit(preset, histories, hook))
        self._check(stop)
        report(total - 1, total)
        kept = [fit for fit in fits if fit.decision is Decision.KEPT_NEW]
        if kept:
            now = to_epoch(self._clock.now())
            by_id = {p.id: p for p in presets}
            with self._database.transaction() as repos:
                for fit in kept:
                    stored: Preset = replace(
                        by_id[fit.preset_id], parameters=fit.parameters, optimized_at=now
                    )
                    repos.presets.update(stored)
        report(total, total)
        return OptimizeResult(tuple(fits))

    @classmethod
    def _iteration_hook(
        cls, stop: Cancelled, report: Progress, start: int, total: int
    ) -> IterationHook:
        """After each iteration of a fit: stop if cancelled, else report progress from `start`."""
        iterations = 0

        def after_iteration() -> None:
            nonlocal iterations
            cls._check(stop)
            iterations += 1
            report(start + fitting_units(iterations), total)

        return after_iteration

    @staticmethod
    def _check(stop: Cancelled) -> None:
        if stop():
            raise OperationCancelledError("Optimizing was cancelled; no parameters were changed.")

    @staticmethod
    def _fit(preset: Preset, histories: list[History], after_iteration: IterationHook) -> PresetFit:
        reviews = predictable_reviews(histories)
        current = tuple(preset.parameters)

        def too_few(why: str) -> PresetFit:
            return PresetFit(
                preset.id,
                preset.name,
                reviews,
                Decision.TOO_FEW_REVIEWS,
                None,
                None,
                current,
                f"{why} Kept the current parameters; optimize again after more study.",
            )

        if reviews < MIN_REVIEWS_TO_OPTIMIZE:
            return too_few(
                f"Not enough reviews yet: {reviews} of the {MIN_REVIEWS_TO_OPTIMIZE} needed."
            )
        report = fit_with_check(histories, current, after_iteration)
        if not report.checked:
            return too_few(
                f"Your {reviews} reviews fall on too few days to check a fit against later ones."
            )
        figures = _figures(report.old, report.new)
        if report.kept_new:
            return PresetFit(
                preset.id,
                preset.name,
                reviews,
                Decision.KEPT_NEW,
                report.old,
                report.new,
                report.parameters,
                f"Kept the new parameters: they predict your reviews better ({figures}). "
                f"They were then refitted on all {reviews} reviews.",
            )
        return PresetFit(
            preset.id,
            preset.name,
            reviews,
            Decision.KEPT_CURRENT,
            report.old,
            report.new,
            current,
            f"Kept the current parameters: the new ones did not predict your later reviews "
            f"better ({figures}).",
        )
