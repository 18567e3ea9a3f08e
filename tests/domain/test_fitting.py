"""Fitting the FSRS-6 weights: recovery on synthetic learners, gradient, metrics and the API."""

from __future__ import annotations

import math
import subprocess
import sys
from itertools import pairwise

import numpy as np
import pytest

from studyapp.domain import fit_checks, fitting
from studyapp.domain.fit_checks import Evaluation
from studyapp.domain.fitting import LOWER_BOUNDS, UPPER_BOUNDS
from studyapp.domain.memory import (
    DEFAULT_PARAMETERS,
    MIN_REVIEWS_TO_FIT,
    fit_parameters,
    predict_recall,
)

History = list[tuple[int, int]]


def learner(seed: int) -> tuple[float, ...]:
    """Weights of a learner unlike the average one: defaults scaled at random, within bounds."""
    rng = np.random.default_rng(seed)
    scaled = np.asarray(DEFAULT_PARAMETERS) * np.exp(rng.normal(0.0, 0.4, size=21))
    scaled[7] = rng.uniform(0.005, 0.08)  # mean reversion: the default sits on its lower bound
    scaled[20] = rng.uniform(0.1, 0.5)  # forgetting-curve shape
    return tuple(float(v) for v in np.clip(scaled, LOWER_BOUNDS, UPPER_BOUNDS))


def random_histories(seed: int, cards: int) -> list[History]:
    """Arbitrary histories (not from any model) that exercise every branch of the model."""
    rng = np.random.default_rng(seed)
    histories = []
    for _ in range(cards):
        day = int(rng.integers(0, 50))
        history = []
        for _ in range(int(rng.integers(1, 12))):
            day += int(rng.choice([0, 0, 1, 2, 4, 9, 30, 120]))
            history.append((day, int(rng.integers(1, 5))))
        histories.append(history)
    return histories


@pytest.fixture(scope="module", params=[11, 12])
def synthetic(
    request: pytest.FixtureRequest,
) -> tuple[tuple[float, ...], tuple[float, ...], list[History]]:
    """(true weights, fitted weights, held-out histories) of one synthetic learner."""
    true = learner(request.param)
    training = fit_checks.simulate_histories(true, cards=3000, days=900, seed=request.param * 10)
    held_out = fit_checks.simulate_histories(
        true, cards=2000, days=900, seed=request.param * 10 + 1
    )
    return true, fit_parameters(training), held_out


def test_fitting_recovers_most_of_the_gap_to_the_true_weights(
    synthetic: tuple[tuple[float, ...], tuple[float, ...], list[History]],
) -> None:
    true, fitted, held_out = synthetic
    defaults = fit_checks.evaluate(held_out, DEFAULT_PARAMETERS)
    best = fit_checks.evaluate(held_out, true)
    found = fit_checks.evaluate(held_out, fitted)
    gap = defaults.log_loss - best.log_loss
    assert gap > 0.003, "the learner should differ clearly from the defaults"
    assert (defaults.log_loss - found.log_loss) / gap >= 0.6
    assert found.rmse_bins < defaults.rmse_bins


def test_fitted_weights_are_21_floats_within_bounds(
    synthetic: tuple[tuple[float, ...], tuple[float, ...], list[History]],
) -> None:
    _, fitted, _ = synthetic
    assert len(fitted) == 21
    assert all(isinstance(value, float) for value in fitted)
    for value, lower, upper in zip(fitted, LOWER_BOUNDS, UPPER_BOUNDS, strict=True):
        assert lower <= value <= upper
    assert fitted != DEFAULT_PARAMETERS


def test_too_little_data_keeps_the_defaults() -> None:
    histories = fit_checks.simulate_histories(learner(3), cards=40, days=200, seed=3)
    targets = sum(1 for h in histories for before, after in pairwise(h) if after[0] > before[0])
    assert 0 < targets < MIN_REVIEWS_TO_FIT
    assert fit_parameters(histories) == DEFAULT_PARAMETERS
    assert fit_parameters([]) == DEFAULT_PARAMETERS


def test_fitting_is_deterministic() -> None:
    histories = fit_checks.simulate_histories(learner(5), cards=600, days=500, seed=5)
    assert fit_parameters(histories) == fit_parameters([list(h) for h in histories])


def test_the_iteration_hook_sees_each_iteration_and_can_stop_the_fit() -> None:
    histories = fit_checks.simulate_histories(learner(6), cards=600, days=500, seed=6)
    iterations: list[int] = []

    fitted = fitting.fit(histories, after_iteration=lambda: iterations.append(len(iterations)))

    assert len(iterations) > 5
    assert fitted == fit_parameters(histories)  # the hook only watches

    class Stop(Exception):
        pass

    def stop_at_the_third() -> None:
        iterations.append(0)
        if len(iterations) == 3:
            raise Stop

    iterations.clear()
    with pytest.raises(Stop):
        fitting.fit(histories, after_iteration=stop_at_the_third)
    assert len(iterations) == 3


@pytest.mark.parametrize("seed", [1, 2])
def test_gradient_matches_finite_differences(seed: int) -> None:
    histories = random_histories(seed, cards=150)
    weights = list(learner(seed + 100))
    _, gradient = fitting.loss_and_gradient(histories, weights)
    for j in range(21):
        step = 1e-6 * max(1.0, abs(weights[j]))
        up, down = list(weights), list(weights)
        up[j] += step
        down[j] -= step
        numeric = (
            fitting.loss_and_gradient(histories, up)[0]
            - fitting.loss_and_gradient(histories, down)[0]
        ) / (2 * step)
        assert gradient[j] == pytest.approx(numeric, rel=1e-5, abs=1e-5), f"w{j}"


@pytest.mark.parametrize("seed", [3, 4])
def test_vectorized_model_matches_predict_recall(seed: int) -> None:
    histories = random_histories(seed, cards=120)
    weights = learner(seed)
    expected = []
    for history in histories:
        for index in range(1, len(history)):
            (before, _), (day, rating) = history[index - 1], history[index]
            if day > before:
                recall = predict_recall(history[:index], day, weights)
                expected.append(-math.log(recall if rating > 1 else 1.0 - recall))
    result = fit_checks.evaluate(histories, weights)
    assert result.count == len(expected)
    assert result.log_loss == pytest.approx(sum(expected) / len(expected), rel=1e-12)


def test_evaluate_on_a_tiny_hand_computed_case() -> None:
    w = DEFAULT_PARAMETERS
    histories = [
        [(0, 3), (3, 3)],  # Good, then Good 3 days later: recalled
        [(0, 1), (0, 3), (2, 1)],  # Again, same-day Good (no target), Again 2 days later
        [(5, 4)],  # a single review: nothing to predict
    ]
    factor = 0.9 ** (-1 / w[20]) - 1

    def recall(days: float, stability: float) -> float:
        return math.pow(1 + factor * days / stability, -w[20])

    first = recall(3, w[2])
    same_day = w[0] * math.exp(w[17] * (3 - 3 + w[18])) * w[0] ** -w[19]
    second = recall(2, max(same_day, w[0]))
    result = fit_checks.evaluate(histories, w)
    assert result.count == 2
    assert result.log_loss == pytest.approx(-(math.log(first) + math.log(1 - second)) / 2)
    # Twenty equal bins of predicted recall; these two land in different bins.
    assert int(first * 20) != int(second * 20)
    assert result.rmse_bins == pytest.approx(math.sqrt(((first - 1) ** 2 + second**2) / 2))
    # Two predictions in one bin are averaged before the comparison.
    pair = fit_checks.evaluate([[(0, 3), (3, 3)], [(0, 3), (3, 1)]], w)
    assert pair.rmse_bins == pytest.approx(abs(first - 0.5))
    empty = fit_checks.evaluate([[(0, 3)]], w)
    assert empty.count == 0
    assert math.isnan(empty.log_loss)


def test_fit_with_check_keeps_better_weights() -> None:
    true = learner(21)
    histories = fit_checks.simulate_histories(true, cards=2500, days=900, seed=21)
    report = fit_checks.fit_with_check(histories, DEFAULT_PARAMETERS)
    assert report.kept_new
    assert report.checked
    assert report.new.log_loss < report.old.log_loss
    assert report.new.count == report.old.count > 0
    assert report.parameters != DEFAULT_PARAMETERS
    assert len(report.parameters) == 21
    assert "new parameters" in report.reason


def test_fit_with_check_keeps_current_weights_without_enough_data() -> None:
    histories = fit_checks.simulate_histories(learner(22), cards=30, days=300, seed=22)
    current = learner(23)
    report = fit_checks.fit_with_check(histories, current)
    assert not report.kept_new
    assert not report.checked
    assert report.parameters == current
    assert isinstance(report.old, Evaluation)
    assert "too little data" in report.reason


def test_fit_with_check_keeps_current_weights_that_predict_better() -> None:
    # The current weights are the learner's true ones; a fit on a few thousand reviews only
    # approximates them, so it predicts the later reviews worse and is rejected.
    true = learner(33)
    histories = fit_checks.simulate_histories(true, cards=700, days=700, seed=33)
    report = fit_checks.fit_with_check(histories, true)
    assert not report.kept_new
    assert report.checked
    assert report.parameters == true
    assert report.old.log_loss < report.new.log_loss
    assert "kept the current parameters" in report.reason


@pytest.mark.parametrize(
    ("history", "message"),
    [
        ([], "at least one review"),
        ([(3, 3), (1, 3)], "time order"),
        ([(0, 5)], "ratings"),
        ([(0, 0)], "ratings"),
    ],
)
def test_bad_histories_are_rejected(history: History, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        fit_parameters([[(0, 3), (2, 3)], history])
    with pytest.raises(ValueError, match=message):
        fit_checks.evaluate([history], DEFAULT_PARAMETERS)


def test_wrong_number_of_weights_is_rejected() -> None:
    with pytest.raises(ValueError, match="21 parameters"):
        fit_checks.evaluate([[(0, 3), (2, 3)]], DEFAULT_PARAMETERS[:20])


def test_importing_the_model_does_not_load_numpy() -> None:
    code = (
        "import sys, studyapp.domain.memory, studyapp.domain.fitting; "
        "print(sorted(m for m in ('numpy', 'scipy') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"
