"""Tools ▸ Optimize scheduler: fitting a preset's parameters to its decks' review log."""

from __future__ import annotations

import time
from datetime import timedelta

import numpy as np
import pytest

from studyapp.domain.cards import CardState, Rating, Review, ReviewKind
from studyapp.domain.clock import ManualClock, study_day, study_day_start
from studyapp.domain.fit_checks import simulate_histories
from studyapp.domain.fitting import LOWER_BOUNDS, UPPER_BOUNDS
from studyapp.domain.memory import DEFAULT_PARAMETERS
from studyapp.errors import OperationCancelledError
from studyapp.services.container import Services
from studyapp.services.optimizer import (
    MIN_REVIEWS_TO_OPTIMIZE,
    PRESET_UNITS,
    READ_UNITS,
    Decision,
    histories_from_rows,
    predictable_reviews,
)
from studyapp.storage.database import Database
from tests.conftest import DeckMaker


def learner() -> tuple[float, ...]:
    """A learner who forgets unlike the average one."""
    rng = np.random.default_rng(7)
    scaled = np.asarray(DEFAULT_PARAMETERS) * np.exp(rng.normal(0.0, 0.4, size=21))
    scaled[20] = 0.45
    return tuple(float(v) for v in np.clip(scaled, LOWER_BOUNDS, UPPER_BOUNDS))


def log_history(
    database: Database, clock: ManualClock, deck_id: int, histories: list[list[tuple[int, int]]]
) -> None:
    """Write `histories` (day 0 = 700 study days ago) as the review log of the deck's cards."""
    today = study_day(clock.now(), 4, clock.zone)
    first = today - 700
    with database.transaction() as repos:
        cards = repos.planning.active_cards([deck_id])
        assert len(cards) >= len(histories)
        rows = []
        for card, history in zip(cards, histories, strict=False):
            for index, (day, rating) in enumerate(history):
                moment = study_day_start(first + day, 4, clock.zone) + timedelta(hours=10)
                rows.append(
                    Review(
                        card_id=card.id,
                        reviewed_at=int(moment.timestamp() * 1000) + index,
                        kind=ReviewKind.LEARN if index == 0 else ReviewKind.REVIEW,
                        rating=Rating(rating),
                        state_before=CardState.NEW if index == 0 else CardState.REVIEW,
                        last_interval=0,
                        interval=1,
                        time_taken_ms=5_000,
                        stability=1.0,
                        difficulty=5.0,
                    )
                )
        repos.reviews.add_many(rows)


def test_too_few_reviews_keeps_the_current_parameters(
    services: Services, make_deck: DeckMaker, database: Database, clock: ManualClock
) -> None:
    deck_id = make_deck("Small", 40)
    log_history(database, clock, deck_id, [[(0, 3), (2, 3), (7, 1), (7, 3)]] * 40)

    result = services.optimizer.optimize(1)

    (fit,) = result.fits
    assert fit.decision is Decision.TOO_FEW_REVIEWS
    assert fit.reviews == 80 < MIN_REVIEWS_TO_OPTIMIZE
    assert "Not enough reviews yet: 80 of the 400 needed" in fit.message
    assert fit.current is None
    assert fit.fitted is None
    assert result.changed == 0
    with database.transaction() as repos:
        preset = repos.presets.get(1)
    assert preset is not None
    assert preset.parameters == DEFAULT_PARAMETERS
    assert preset.optimized_at is None


def test_a_learners_own_parameters_are_kept_when_they_predict_better(
    services: Services, make_deck: DeckMaker, database: Database, clock: ManualClock
) -> None:
    histories = simulate_histories(learner(), cards=1200, days=650, seed=3)
    deck_id = make_deck("Anatomy", len(histories))
    log_history(database, clock, deck_id, histories)
    steps: list[tuple[int, int]] = []

    result = services.optimizer.optimize(None, progress=lambda d, t: steps.append((d, t)))

    (fit,) = result.fits
    assert fit.decision is Decision.KEPT_NEW
    assert fit.current is not None
    assert fit.fitted is not None
    assert fit.fitted.log_loss < fit.current.log_loss
    assert fit.message.startswith("Kept the new parameters: they predict your reviews better")
    assert f"log loss {fit.fitted.log_loss:.3f} vs {fit.current.log_loss:.3f}" in fit.message
    assert "refitted on all" in fit.message
    assert steps[-1][0] == steps[-1][1]
    done = [d for d, _ in steps]
    assert done == sorted(done)
    during_fit = {d for d in done if READ_UNITS < d < PRESET_UNITS}
    assert len(during_fit) > 20  # the bar moves with every iteration, not only between steps
    with database.transaction() as repos:
        preset = repos.presets.get(1)
    assert preset is not None
    assert preset.parameters == fit.parameters != DEFAULT_PARAMETERS
    assert preset.optimized_at == int(clock.now().timestamp())


@pytest.mark.parametrize("checks_before_cancel", [0, 2])
def test_cancelling_changes_nothing(
    services: Services,
    make_deck: DeckMaker,
    database: Database,
    clock: ManualClock,
    checks_before_cancel: int,
) -> None:
    histories = simulate_histories(learner(), cards=600, days=650, seed=4)
    deck_id = make_deck("Cancelled", len(histories))
    log_history(database, clock, deck_id, histories)
    checks = iter(range(100))

    with pytest.raises(OperationCancelledError):
        services.optimizer.optimize(1, cancelled=lambda: next(checks) >= checks_before_cancel)

    with database.transaction() as repos:
        preset = repos.presets.get(1)
    assert preset is not None
    assert preset.parameters == DEFAULT_PARAMETERS


def test_cancelling_during_a_long_fit_stops_within_an_iteration(
    services: Services, make_deck: DeckMaker, database: Database, clock: ManualClock
) -> None:
    histories = simulate_histories(learner(), cards=4000, days=650, seed=8)
    deck_id = make_deck("Large", len(histories))
    log_history(database, clock, deck_id, histories)
    assert predictable_reviews(histories) > 30_000
    asked_at: list[float] = []
    reported_after: list[int] = []

    def progress(done: int, total: int) -> None:
        if asked_at:
            reported_after.append(done)
        elif done >= READ_UNITS + 100:  # a few iterations into the fit
            asked_at.append(time.monotonic())

    with pytest.raises(OperationCancelledError, match="no parameters were changed"):
        services.optimizer.optimize(1, progress=progress, cancelled=lambda: bool(asked_at))
    stopped_after = time.monotonic() - asked_at[0]

    assert reported_after == []  # not one more iteration ran
    assert stopped_after < 1.0
    with database.transaction() as repos:
        preset = repos.presets.get(1)
    assert preset is not None
    assert preset.parameters == DEFAULT_PARAMETERS
    assert preset.optimized_at is None


def test_histories_restart_at_a_reset_and_skip_a_partial_log() -> None:
    day_ms = 86_400_000
    rows = [
        (1, 0, 3, int(CardState.REVIEW)),  # logged in part: no first review
        (1, day_ms, 3, int(CardState.REVIEW)),
        (2, 0, 1, int(CardState.NEW)),
        (2, 10, 3, int(CardState.LEARNING)),
        (2, 3 * day_ms, 3, int(CardState.REVIEW)),
        (2, 9 * day_ms, 4, int(CardState.NEW)),  # forgotten and learned again
    ]

    histories = histories_from_rows(rows, lambda ms: ms // day_ms)

    assert histories == [[(0, 1), (0, 3), (3, 3)], [(9, 4)]]
    assert predictable_reviews(histories) == 1


def test_the_preset_list_counts_decks(services: Services, make_deck: DeckMaker) -> None:
    make_deck("One", 1)
    make_deck("Two", 1)

    (default,) = services.optimizer.presets()

    assert default.preset_id == 1
    assert default.decks >= 2
