"""The first screen: the deck list and the settings the window opens with, from reads alone.

The app draws its window from these before the rest of the collection's machinery has loaded
(SQLAlchemy, the services' storage): `storage.first_screen` reads the SQLite file with sqlite3
alone.  The counts are those `DeckService.deck_list` gives, by the same code (`DailyQueue`); when
the day's unburying would change them, there is no first screen and the app opens the usual way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from studyapp.domain.clock import Clock
from studyapp.domain.decks import Deck, DeckCounts, Preset
from studyapp.services.burying import LAST_UNBURIED_KEY, unburied_by
from studyapp.services.custom_queue import EXTRA_LIMITS_KEY
from studyapp.services.decks import deck_counts
from studyapp.services.queue import DailyQueue, QueueReads, StudyDay
from studyapp.services.settings import AppSettings, settings_from


class FirstScreenReads(QueueReads, Protocol):
    """One consistent snapshot of the collection."""

    def settings(self) -> dict[str, Any]:
        """The settings table, every key."""
        ...

    def decks(self) -> list[Deck]: ...

    def presets(self) -> list[Preset]: ...

    def any_buried(self) -> bool:
        """Whether any card is buried."""
        ...


@dataclass(frozen=True)
class FirstScreen:
    settings: AppSettings
    decks: list[DeckCounts]
    """The deck list's rows, as `DeckService.deck_list` gives them."""


def first_screen(reads: FirstScreenReads, clock: Clock) -> FirstScreen | None:
    """The first screen at `clock`'s now; None when the day's unburying is still to be done and
    would bring cards back (a write, which the usual start-up does)."""
    stored = reads.settings()
    settings = settings_from(stored)
    day = StudyDay.at(clock, settings.rollover_hour)
    if not unburied_by(stored.get(LAST_UNBURIED_KEY), day.today) and reads.any_buried():
        return None
    decks = reads.decks()
    presets = {p.id: p for p in reads.presets()}
    queue = DailyQueue(reads, day, decks, presets, stored.get(EXTRA_LIMITS_KEY))
    return FirstScreen(settings, deck_counts(decks, queue))
