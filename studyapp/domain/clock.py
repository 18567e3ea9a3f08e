"""Time as the rest of the app sees it: a Clock that is passed in, and study days.

A study day starts at a configurable local hour (the rollover, 4 am by default), so a card reviewed
at 22:00 and again at 08:00 the next morning was reviewed one study day later.  Study days are
numbered by the proleptic Gregorian ordinal of the local date on which they start.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Protocol


class Clock(Protocol):
    """The only source of the current time; nothing else reads the wall clock."""

    def now(self) -> datetime:
        """The current moment as an aware datetime in UTC."""
        ...

    @property
    def zone(self) -> tzinfo:
        """The user's local time zone, which decides where study days begin."""
        ...


class SystemClock:
    """The real clock, in the machine's local time zone."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    @property
    def zone(self) -> tzinfo:
        local = datetime.now().astimezone().tzinfo
        return local if local is not None else UTC


@dataclass
class ManualClock:
    """A clock that moves only when told to: for tests, benchmarks and simulations."""

    current: datetime
    local_zone: tzinfo = field(default=UTC)

    def __post_init__(self) -> None:
        if self.current.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")

    def now(self) -> datetime:
        return self.current.astimezone(UTC)

    @property
    def zone(self) -> tzinfo:
        return self.local_zone

    def advance(self, delta: timedelta) -> None:
        self.current = self.current + delta


def study_day(moment: datetime, rollover_hour: int, zone: tzinfo) -> int:
    """The study day that contains `moment`."""
    local = moment.astimezone(zone)
    return (local - timedelta(hours=rollover_hour)).date().toordinal()


def study_day_start(day: int, rollover_hour: int, zone: tzinfo) -> datetime:
    """The UTC moment at which study day `day` begins."""
    local = datetime.combine(date.fromordinal(day), time(hour=rollover_hour), tzinfo=zone)
    return local.astimezone(UTC)


def to_epoch(moment: datetime) -> int:
    """Whole seconds since the Unix epoch, the form in which moments are stored."""
    return int(moment.timestamp())


def from_epoch(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)
