"""Fitting the 21 FSRS-6 weights to a learner's review histories.

The model is the one in domain.memory; this module runs it vectorized over many cards at once and
differentiates it by hand (reverse mode), so that scipy's L-BFGS-B can minimise the log loss within
the published FSRS-6 bounds.

Each history is a card's reviews in time order, as pairs (study day index, rating 1..4), exactly as
memory.predict_recall takes them.  The first review sets the initial state.  Every later review on a
later study day than the one before is a prediction target: the model predicts recall before it,
and the outcome is "recalled" when the rating is above Again.  Same-day reviews update the memory
through the short-term terms but are not targets, as in FSRS.

Layout: cards are sorted by length, longest first, so that the cards still active at review step k
are a prefix of that order.  Step k of all cards is one contiguous run of a flat array, and each
step is one set of numpy operations over all cards that reach it.

numpy and scipy are imported inside the functions that need them: importing this module (or
domain.memory) stays cheap.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from studyapp.domain.memory import (
    DEFAULT_PARAMETERS,
    MAX_DIFFICULTY,
    MIN_DIFFICULTY,
    MIN_REVIEWS_TO_FIT,
    MIN_STABILITY,
    PARAMETER_COUNT,
)
from studyapp.domain.review_batch import CHUNK, Batch, History, as_batch

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    FloatArray = NDArray[np.float64]
    BoolArray = NDArray[np.bool_]
    IntArray = NDArray[np.int64]
    Weights = Sequence[float] | FloatArray

LOWER_BOUNDS: tuple[float, ...] = (
    *(MIN_STABILITY,) * 4,
    1.0,
    0.001,
    0.001,
    0.001,
    0.0,
    0.0,
    0.001,
    0.001,
    0.001,
    0.001,
    0.0,
    0.0,
    1.0,
    0.0,
    0.0,
    0.0,
    0.1,
)
"""The published FSRS-6 lower bounds of w0..w20."""

UPPER_BOUNDS: tuple[float, ...] = (
    *(100.0,) * 4,
    10.0,
    4.0,
    4.0,
    0.75,
    4.5,
    0.8,
    3.5,
    5.0,
    0.25,
    0.9,
    4.0,
    1.0,
    6.0,
    2.0,
    2.0,
    0.8,
    0.8,
)
"""The published FSRS-6 upper bounds of w0..w20."""

REGULARIZATION = 64.0
"""Weight of the pull towards the defaults, in reviews' worth of log loss (fades with more data)."""

_PENALTY_SCALE: tuple[float, ...] = (
    *(10.0,) * 4,
    *(upper - lower for lower, upper in zip(LOWER_BOUNDS[4:], UPPER_BOUNDS[4:], strict=True)),
)
PROBABILITY_FLOOR = 1e-6
RMSE_BINS = 20
_MAX_ITERATIONS = 300
_TOLERANCE = 1e-8

IterationHook = Callable[[], None]
"""Called after each iteration of a fit, for progress; whatever it raises stops the fit and
propagates to the caller (so a cancel stops a fit within one iteration)."""


def dot(a: FloatArray, b: FloatArray) -> float:
    """The dot product of two vectors without BLAS (whose idle threads slow every later step)."""
    import numpy as np

    return float(np.add.reduce(np.multiply(a, b)))


@dataclass(frozen=True, slots=True)
class _Pass:
    """The result of running the model over a batch: summed log loss, gradient, predictions."""

    loss: float
    gradient: FloatArray | None
    predictions: FloatArray


@dataclass(frozen=True, slots=True)
class _Constants:
    """Values derived from the weights once per pass."""

    w: list[float]
    factor: float
    easy_difficulty: float
    lapse_short_term: float
    e8: float
    reversion: float


_FULL = ("predictions", "jac_ss", "jac_sd", "jac_dd", "loss_ds", "loss_dr", "ds_dr")
_FULL_MORE = ("r_log_base", "dr_dfactor", "k6", "k7", "d_free", "p8", "p9", "p10", "p15", "p16")
_ON_LAPSES = ("l11", "l12", "l13", "l14", "l17", "l18")
_ON_SAME_DAY = ("s17", "s18", "s19")


def _local(batch: Batch, c: _Constants, lo: int, hi: int, out: dict[str, FloatArray]) -> None:
    """Predictions and local derivatives of flat reviews lo..hi, written into `out`.

    From the states before each review (s_in, d_in) it computes, per review: the prediction R;
    the Jacobian of the new state (S', D') with respect to the old one, through R too (jac_*);
    the log loss's derivative through R (loss_dr, loss_ds); and the derivatives of S' and D'
    with respect to each weight (p*, on lapses l*, on same-day reviews s*, k* for D'), all zero
    where the 0.001 floor of S' or the 1..10 clip of D' cuts the derivative off.
    """
    import numpy as np

    w, eps = c.w, PROBABILITY_FLOOR
    s = out["s_in"][lo:hi]
    d = out["d_in"][lo:hi]
    size = hi - lo
    t = batch.elapsed[lo:hi]
    r3 = batch.rating_minus_3[lo:hi]
    q = c.factor * t / s
    log_base = np.log1p(q)
    recall = np.exp(-w[20] * log_base)
    out["predictions"][lo:hi] = recall
    omr = 1.0 - recall
    lns = np.log(s)
    dr_dq = -w[20] * recall / (1.0 + q)
    dr_ds = -dr_dq * q / s
    loss_dr = np.zeros(size, dtype=np.float64)
    targets = _window(batch.targets, batch.target_windows, lo, hi)
    if targets.size:
        raw = recall[targets]
        y = batch.recalled[lo:hi][targets]
        inside = (raw > eps) & (raw < 1.0 - eps)
        safe = np.where(inside, raw, 0.5)
        loss_dr[targets] = np.where(inside, (safe - y) / (safe * (1.0 - safe)), 0.0)

    # Recall formula, evaluated everywhere and then overwritten at lapses and same-day reviews.
    hard = batch.hard[lo:hi]
    easy = batch.easy[lo:hi]
    mult = 1.0 + (w[15] - 1.0) * hard + (w[16] - 1.0) * easy
    e10 = np.exp(w[10] * omr)
    cb = (c.e8 * (11.0 - d)) * np.exp(-w[9] * lns)
    sgb = s * cb * (e10 - 1.0)  # S * growth, without the hard penalty / easy bonus
    sg = sgb * mult
    new_s = s + sg
    ds_ds = 1.0 + (sg / s) * (1.0 - w[9])
    ds_dr = (-w[10]) * s * mult * cb * e10
    ds_dd = -sg / (11.0 - d)
    recall_terms = {"p8": sg, "p9": -sg * lns, "p10": -ds_dr * omr / w[10]}
    recall_terms["p15"] = sgb * hard
    recall_terms["p16"] = sgb * easy

    chunk = lo // CHUNK
    lapses = _window(batch.lapses, batch.lapse_windows, lo, hi)
    if lapses.size:
        ls, ld, lomr = s[lapses], d[lapses], omr[lapses]
        lnd = np.log(ld)
        l1s = np.log1p(ls)
        sp1w = np.exp(w[13] * l1s)
        e14d = np.exp(w[14] * lomr - w[12] * lnd)
        l0 = (sp1w - 1.0) * e14d
        lf = w[11] * l0
        sh = ls * c.lapse_short_term
        on_long = (lf <= sh).astype(np.float64)
        on_short = 1.0 - on_long
        lapse_s = np.minimum(lf, sh)
        new_s[lapses] = lapse_s
        ds_ds[lapses] = on_long * (w[11] * w[13]) * e14d * sp1w / (1.0 + ls) + (
            on_short * c.lapse_short_term
        )
        ds_dr[lapses] = on_long * (-w[14]) * lf
        ds_dd[lapses] = on_long * (-w[12]) * lf / ld
        for value in recall_terms.values():
            value[lapses] = 0.0
        lapse_free = (lapse_s >= MIN_STABILITY).astype(np.float64)
        on_long *= lapse_free
        on_short *= lapse_free
        window = slice(int(batch.lapse_windows[chunk]), int(batch.lapse_windows[chunk + 1]))
        out["l11"][window] = on_long * l0
        out["l12"][window] = -on_long * lf * lnd
        out["l13"][window] = on_long * w[11] * e14d * sp1w * l1s
        out["l14"][window] = on_long * lf * lomr
        out["l17"][window] = -w[18] * on_short * sh
        out["l18"][window] = -w[17] * on_short * sh

    same = _window(batch.same_day, batch.same_day_windows, lo, hi)
    if same.size:
        ss, slns, sr3 = s[same], lns[same], r3[same]
        short = np.exp(w[17] * (sr3 + w[18]) + (1.0 - w[19]) * slns)
        keep = (sr3 > -2.0) & (short < ss)
        moving = np.where(keep | (short < MIN_STABILITY), 0.0, short)
        new_s[same] = np.where(keep, ss, short)
        ds_ds[same] = np.where(keep, 1.0, moving * (1.0 - w[19]) / ss)
        ds_dr[same] = 0.0
        ds_dd[same] = 0.0
        for value in recall_terms.values():
            value[same] = 0.0
        window = slice(int(batch.same_day_windows[chunk]), int(batch.same_day_windows[chunk + 1]))
        out["s17"][window] = moving * (sr3 + w[18])
        out["s18"][window] = w[17] * moving
        out["s19"][window] = -moving * slns

    free = (new_s >= MIN_STABILITY).astype(np.float64)
    for name, value in recall_terms.items():
        out[name][lo:hi] = value * free
    ds_dr *= free
    out["ds_dr"][lo:hi] = ds_dr
    out["jac_ss"][lo:hi] = free * ds_ds + ds_dr * dr_ds
    out["jac_sd"][lo:hi] = free * ds_dd
    out["loss_dr"][lo:hi] = loss_dr
    out["loss_ds"][lo:hi] = loss_dr * dr_ds
    out["r_log_base"][lo:hi] = recall * log_base
    out["dr_dfactor"][lo:hi] = dr_dq * t / s

    damping = (w[6] / 9.0) * r3
    damped = d - (10.0 - d) * damping
    rev = (1.0 - w[7]) * damped + c.reversion
    d_free = ((rev > MIN_DIFFICULTY) & (rev < MAX_DIFFICULTY)).astype(np.float64)
    out["d_free"][lo:hi] = d_free
    out["jac_dd"][lo:hi] = d_free * ((1.0 - w[7]) * (1.0 + damping))
    out["k6"][lo:hi] = d_free * ((10.0 - d) * r3)
    out["k7"][lo:hi] = d_free * (c.easy_difficulty - damped)


def _window(index: IntArray, windows: IntArray, lo: int, hi: int) -> IntArray:
    """The entries of the sorted flat `index` in lo..hi, relative to lo."""
    chunk = lo // CHUNK
    return index[int(windows[chunk]) : int(windows[chunk + 1])] - lo


def _scratch(batch: Batch, name: str, size: int) -> FloatArray:
    """A work array kept with the batch, so that repeated passes reuse the same memory."""
    import numpy as np

    buffer = batch.scratch.get(name)
    if buffer is None or buffer.size < size:
        buffer = np.empty(size, dtype=np.float64)
        batch.scratch[name] = buffer
    return buffer[:size]


def run_model(batch: Batch, parameters: Weights, want_gradient: bool) -> _Pass:
    """Run the model over `batch`: summed log loss at the targets, optionally its gradient.

    1. Forward, step by step: only the memory state (S, D) before each review is computed and kept
       (flat arrays laid out like the batch).  The lapse and same-day formulas run only on the
       cards they apply to.
    2. With all states known, the rest works on fixed-size chunks of reviews regardless of step:
       predictions, the loss, and the local derivatives of each review's new state with respect
       to the old state and to the weights.
    3. Backward, step by step in reverse: the adjoints of the states (reverse mode by hand); then
       one more pass over the chunks turns them into the gradient.
    Large work arrays live in batch.scratch: fresh large arrays on every pass cost page faults
    that would take longer than the arithmetic.
    """
    import numpy as np

    w = [float(v) for v in parameters]
    eps = PROBABILITY_FLOOR
    total = batch.elapsed.size
    cards = batch.first_rating.size
    first_index = batch.first_rating - 1
    initial_stability = np.asarray(w[:4], dtype=np.float64)[first_index]
    first_growth = np.exp(w[5] * first_index)
    raw_difficulty = w[4] - first_growth + 1.0
    easy_difficulty = w[4] - math.exp(3.0 * w[5]) + 1.0
    c = _Constants(
        w=w,
        factor=math.pow(0.9, -1.0 / w[20]) - 1.0,
        easy_difficulty=easy_difficulty,
        lapse_short_term=math.exp(-w[17] * w[18]),
        e8=math.exp(w[8]),
        reversion=w[7] * easy_difficulty,
    )

    stability = _scratch(batch, "stability", cards)
    difficulty = _scratch(batch, "difficulty", cards)
    np.maximum(initial_stability, MIN_STABILITY, out=stability)
    np.clip(raw_difficulty, MIN_DIFFICULTY, MAX_DIFFICULTY, out=difficulty)
    s_in = _scratch(batch, "s_in", total)
    d_in = _scratch(batch, "d_in", total)
    work = [_scratch(batch, f"work{i}", cards) for i in range(3)]
    factor_t = _scratch(batch, "factor_t", total)
    np.multiply(batch.elapsed, c.factor, out=factor_t)
    e8_mult = _scratch(batch, "e8_mult", total)
    np.multiply(batch.hard, (w[15] - 1.0) * c.e8, out=e8_mult)
    e8_mult += (w[16] - 1.0) * c.e8 * batch.easy
    e8_mult += c.e8
    damping = _scratch(batch, "damping", total)
    np.multiply(batch.rating_minus_3, w[6] / 9.0, out=damping)
    same_start = 0
    for (start, stop), lapses, same in zip(
        batch.steps, batch.step_lapses, batch.step_same_day, strict=True
    ):
        n = stop - start
        s = s_in[start:stop]
        d = d_in[start:stop]
        s[:] = stability[:n]
        d[:] = difficulty[:n]
        a, b, new_s = work[0][:n], work[1][:n], work[2][:n]
        # Recalled on a later day: S * (1 + e^w8 (11 - D) S^-w9 (e^((1 - R) w10) - 1) * bonus).
        np.divide(factor_t[start:stop], s, out=a)
        np.log1p(a, out=a)
        a *= -w[20]
        np.exp(a, out=a)  # R
        recall = a[lapses] if lapses.size else a
        np.subtract(1.0, a, out=a)
        a *= w[10]
        np.expm1(a, out=a)
        np.subtract(11.0, d, out=b)
        b *= e8_mult[start:stop]
        a *= b
        np.log(s, out=b)
        b *= -w[9]
        np.exp(b, out=b)
        a *= b
        a *= s
        np.add(s, a, out=new_s)
        if lapses.size:
            # A lapse: the smaller of the long-term and the short-term formula.
            ls = s[lapses]
            long_term = np.exp(w[14] * (1.0 - recall) - w[12] * np.log(d[lapses]))
            long_term *= w[11] * np.expm1(w[13] * np.log1p(ls))
            new_s[lapses] = np.minimum(long_term, ls * c.lapse_short_term)
        if same.size:
            # Same day: S * e^(w17 (G - 3 + w18)) * S^-w19, never lower unless Again.
            same_stop = same_start + same.size
            ss = s[same]
            sr3 = batch.same_day_r3[same_start:same_stop]
            short = np.exp(w[17] * (sr3 + w[18]) + (1.0 - w[19]) * np.log(ss))
            new_s[same] = np.where((sr3 > -2.0) & (short < ss), ss, short)
            same_start = same_stop
        np.maximum(new_s, MIN_STABILITY, out=stability[:n])
        np.subtract(10.0, d, out=b)
        b *= damping[start:stop]
        np.subtract(d, b, out=b)
        b *= 1.0 - w[7]
        b += c.reversion
        np.clip(b, MIN_DIFFICULTY, MAX_DIFFICULTY, out=difficulty[:n])

    chunks = [(lo, min(lo + CHUNK, total)) for lo in range(0, total, CHUNK)]
    targets = batch.targets
    y = batch.recalled[targets]
    if not want_gradient:
        predictions = np.empty(total, dtype=np.float64)
        for lo, hi in chunks:
            q = factor_t[lo:hi] / s_in[lo:hi]
            predictions[lo:hi] = np.exp(-w[20] * np.log1p(q))
        p = np.clip(predictions[targets], eps, 1.0 - eps)
        loss = -(dot(y, np.log(p)) + dot(1.0 - y, np.log1p(-p)))
        return _Pass(loss, None, predictions)

    out = {"s_in": s_in, "d_in": d_in}
    for name in (*_FULL, *_FULL_MORE):
        out[name] = _scratch(batch, name, total)
    for name in _ON_LAPSES:
        out[name] = _scratch(batch, name, batch.lapses.size)
    for name in _ON_SAME_DAY:
        out[name] = _scratch(batch, name, batch.same_day.size)
    for lo, hi in chunks:
        _local(batch, c, lo, hi, out)
    predictions = out["predictions"]
    p = np.clip(predictions[targets], eps, 1.0 - eps)
    loss = -(dot(y, np.log(p)) + dot(1.0 - y, np.log1p(-p)))

    # Backward through the steps: adjoints of each step's new state, then of the one before.
    jac_ss, jac_sd, jac_dd, loss_ds = out["jac_ss"], out["jac_sd"], out["jac_dd"], out["loss_ds"]
    adj_new_s = _scratch(batch, "adj_new_s", total)
    adj_new_d = _scratch(batch, "adj_new_d", total)
    adj_s = np.zeros(cards, dtype=np.float64)
    adj_d = np.zeros(cards, dtype=np.float64)
    for start, stop in reversed(batch.steps):
        n = stop - start
        a_s = adj_new_s[start:stop]
        a_d = adj_new_d[start:stop]
        a_s[:] = adj_s[:n]
        a_d[:] = adj_d[:n]
        np.multiply(a_s, jac_ss[start:stop], out=adj_s[:n])
        adj_s[:n] += loss_ds[start:stop]
        np.multiply(a_d, jac_dd[start:stop], out=adj_d[:n])
        adj_d[:n] += a_s * jac_sd[start:stop]

    # The gradient: adjoints of every review's new state times its local derivatives.
    grad = np.zeros(PARAMETER_COUNT, dtype=np.float64)
    for j in (8, 9, 10, 15, 16):
        grad[j] = dot(adj_new_s, out[f"p{j}"])
    on_lapses = adj_new_s[batch.lapses]
    for j in (11, 12, 13, 14, 17, 18):
        grad[j] += dot(on_lapses, out[f"l{j}"])
    on_same_day = adj_new_s[batch.same_day]
    for j in (17, 18, 19):
        grad[j] += dot(on_same_day, out[f"s{j}"])
    grad[6] = -(1.0 - w[7]) / 9.0 * dot(adj_new_d, out["k6"])
    grad[7] = dot(adj_new_d, out["k7"])
    adj_easy_difficulty = w[7] * dot(adj_new_d, out["d_free"])
    a_recall = adj_new_s * out["ds_dr"]
    a_recall += out["loss_dr"]
    grad[20] = -dot(a_recall, out["r_log_base"])
    adj_factor = dot(a_recall, out["dr_dfactor"])

    # The first review.
    passes = initial_stability >= MIN_STABILITY
    grad[:4] += np.bincount(first_index, weights=np.where(passes, adj_s, 0.0), minlength=4)
    inside_first = (raw_difficulty > MIN_DIFFICULTY) & (raw_difficulty < MAX_DIFFICULTY)
    a_first = np.where(inside_first, adj_d, 0.0)
    grad[4] += float(np.sum(a_first)) + adj_easy_difficulty
    grad[5] -= dot(a_first, first_index * first_growth)
    grad[5] -= adj_easy_difficulty * 3.0 * math.exp(3.0 * w[5])
    grad[20] += adj_factor * (c.factor + 1.0) * math.log(0.9) / (w[20] * w[20])
    return _Pass(loss, grad, predictions.copy())


def _objective_factory(batch: Batch) -> Any:
    import numpy as np

    defaults = np.asarray(DEFAULT_PARAMETERS, dtype=np.float64)
    scale = np.asarray(_PENALTY_SCALE, dtype=np.float64)
    count = float(batch.target_count)

    def objective(w: FloatArray) -> tuple[float, FloatArray]:
        result = run_model(batch, w, want_gradient=True)
        assert result.gradient is not None
        offset = (w - defaults) / scale
        value = (result.loss + REGULARIZATION * (dot(offset, offset))) / count
        gradient = (result.gradient + 2.0 * REGULARIZATION * offset / scale) / count
        return value, gradient

    return objective


def fit_batch(
    batch: Batch, start: Sequence[float], after_iteration: IterationHook | None = None
) -> tuple[float, ...]:
    """L-BFGS-B within the bounds, in coordinates scaled by the size of each default weight.

    `after_iteration` is called after each iteration (see IterationHook).
    """
    import numpy as np
    from scipy.optimize import minimize  # type: ignore[import-untyped]

    scale = np.maximum(np.abs(np.asarray(DEFAULT_PARAMETERS, dtype=np.float64)), 0.1)
    lower = np.asarray(LOWER_BOUNDS, dtype=np.float64)
    upper = np.asarray(UPPER_BOUNDS, dtype=np.float64)
    objective = _objective_factory(batch)

    def scaled(x: FloatArray) -> tuple[float, FloatArray]:
        value, gradient = objective(x * scale)
        return value, gradient * scale

    def iterated(xk: FloatArray) -> None:
        if after_iteration is not None:
            after_iteration()

    x0 = np.clip(np.asarray(start, dtype=np.float64), lower, upper) / scale
    result = minimize(
        scaled,
        x0,
        jac=True,
        method="L-BFGS-B",
        bounds=list(zip(lower / scale, upper / scale, strict=True)),
        options={"maxiter": _MAX_ITERATIONS, "ftol": _TOLERANCE, "gtol": _TOLERANCE},
        callback=None if after_iteration is None else iterated,
    )
    fitted = np.clip(np.asarray(result.x, dtype=np.float64) * scale, lower, upper)
    return tuple(float(v) for v in fitted)


def fit(
    histories: Sequence[History],
    start: Sequence[float] = DEFAULT_PARAMETERS,
    after_iteration: IterationHook | None = None,
) -> tuple[float, ...]:
    """The weights that minimise the log loss on `histories`, starting the search from `start`.

    See memory.fit_parameters; with fewer than MIN_REVIEWS_TO_FIT targets returns the defaults.
    `after_iteration` is called after each iteration of the search (see IterationHook).
    """
    check_length(start)
    batch = as_batch(histories)
    if batch.target_count < MIN_REVIEWS_TO_FIT:
        return DEFAULT_PARAMETERS
    return fit_batch(batch, start, after_iteration)


def check_length(parameters: Sequence[float]) -> None:
    if len(parameters) != PARAMETER_COUNT:
        raise ValueError(f"FSRS-6 needs {PARAMETER_COUNT} parameters, got {len(parameters)}")


def loss_and_gradient(
    histories: Sequence[History], parameters: Sequence[float]
) -> tuple[float, tuple[float, ...]]:
    """The summed log loss of `parameters` on `histories` and its gradient (no regularization)."""
    check_length(parameters)
    result = run_model(as_batch(histories), parameters, want_gradient=True)
    assert result.gradient is not None
    return result.loss, tuple(float(v) for v in result.gradient)
