"""What the statistics service returns: plain frozen values shared by the window and the CLI.

A review counts in statistics when it has a rating (1-4); manual and rescheduled log rows do
not.  Young and mature cards are split at an interval of 21 days, as in Anki.  Days are study
days (they start at the rollover hour), given as calendar dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from studyapp.services.statistics_period import Period

MATURE_DAYS = 21


@dataclass(frozen=True, slots=True)
class TodayFigures:
    studied: int
    """Rated reviews today."""
    seconds: int
    again: int
    correct_pct: float | None
    """Share of today's rated reviews that were not Again; None with no reviews."""


@dataclass(frozen=True, slots=True)
class Streak:
    days: int
    """Consecutive study days with at least one review, ending today (or yesterday if none
    yet today)."""
    goal: int
    """Daily goal in reviews; 0 when the user has set none."""
    goal_met_today: bool


@dataclass(frozen=True, slots=True)
class RetentionRow:
    period: str
    """"today", "yesterday", "last_week", "last_month", "last_year" or "all_time"."""
    young_pass: int
    young_fail: int
    mature_pass: int
    mature_fail: int


@dataclass(frozen=True, slots=True)
class ForecastDay:
    day: date
    due: int


@dataclass(frozen=True, slots=True)
class CardCounts:
    new: int
    learning: int
    relearning: int
    young: int
    mature: int
    suspended: int
    buried: int


@dataclass(frozen=True, slots=True)
class DayReviews:
    day: date
    learning: int
    relearning: int
    young: int
    mature: int
    total: int
    seconds: int


@dataclass(frozen=True, slots=True)
class IntervalBucket:
    days: int
    """Lower bound of the bucket, in days."""
    cards: int


@dataclass(frozen=True, slots=True)
class HistogramBin:
    lower: float
    upper: float
    cards: int


@dataclass(frozen=True, slots=True)
class HourFigures:
    hour: int
    """Local hour of day, 0-23."""
    reviews: int
    pass_pct: float | None


@dataclass(frozen=True, slots=True)
class ButtonCounts:
    """Again, Hard, Good, Easy counts for each kind of card."""

    learning: tuple[int, int, int, int]
    young: tuple[int, int, int, int]
    mature: tuple[int, int, int, int]


@dataclass(frozen=True, slots=True)
class DayCount:
    day: date
    cards: int


@dataclass(frozen=True, slots=True)
class KnowledgeDay:
    day: date
    expected_recalled: float
    """Sum over all cards studied by then of their predicted recall on that day."""


@dataclass(frozen=True, slots=True)
class Statistics:
    scope: str
    """The deck's name, or "Whole collection"."""
    period: Period
    today: TodayFigures
    streak: Streak
    recent_retention: float | None
    """True retention over the last 30 days (first review of a due card each day), or None."""
    desired_retention: float
    summary: str
    """The plain-language verdict, e.g. "On track: you recalled 91% of due cards this month;
    your target is 90%."."""
    due_tomorrow: int
    due_next_week: int
    true_retention: tuple[RetentionRow, ...]
    forecast: tuple[ForecastDay, ...]
    """From tomorrow to the end of the period's length ahead (at least 30 days)."""
    backlog: int
    """Review cards overdue today (due before today)."""
    card_counts: CardCounts
    reviews_per_day: tuple[DayReviews, ...]
    """Every study day of the period, oldest first, days without reviews included."""
    intervals: tuple[IntervalBucket, ...]
    difficulty: tuple[HistogramBin, ...]
    stability: tuple[HistogramBin, ...]
    retrievability: tuple[HistogramBin, ...]
    hourly: tuple[HourFigures, ...]
    buttons: ButtonCounts
    added: tuple[DayCount, ...]
    knowledge: tuple[KnowledgeDay, ...]


@dataclass(frozen=True, slots=True)
class CurvePoint:
    days: int
    """Days from today."""
    recall: float


@dataclass(frozen=True, slots=True)
class ReviewEntry:
    when: str
    """Local date and time, ISO format."""
    kind: str
    rating: int | None
    interval: str
    """As the reviewer labels intervals ("10m", "3d")."""
    seconds: float
    stability: float | None
    difficulty: float | None


@dataclass(frozen=True, slots=True)
class CardInfo:
    card_id: int
    front: str
    """Plain text of the question."""
    deck: str
    note_type: str
    state: str
    added: date
    due: str
    interval_days: int
    reps: int
    lapses: int
    stability: float | None
    difficulty: float | None
    retrievability: float | None
    reviews: tuple[ReviewEntry, ...]
    forgetting_curve: tuple[CurvePoint, ...]
    """Predicted recall over the coming days (empty for a card never reviewed)."""
