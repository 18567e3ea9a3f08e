"""How times and durations read on the waiting and summary pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication

from studyapp.gui import time_text

NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def english(qapp: QApplication) -> object:
    previous = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    yield None
    QLocale.setDefault(previous)


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (1, "1 second"),
        (40, "40 seconds"),
        (60, "1 minute"),
        (360, "6 minutes"),
        (3600, "1 hour"),
        (3900, "1 hour 5 minutes"),
        (7260, "2 hours 1 minute"),
    ],
)
def test_durations(seconds: int, expected: str) -> None:
    assert time_text.duration(seconds) == expected


def test_studied_sentence() -> None:
    assert time_text.studied_sentence(12, 360) == "You studied 12 cards in 6 minutes."
    assert time_text.studied_sentence(1, 5) == "You studied 1 card in 5 seconds."
    assert "not studied" in time_text.studied_sentence(0, 0)


def test_waiting_sentence_uses_the_local_zone() -> None:
    zone = timezone(timedelta(hours=2))
    due = NOW + timedelta(minutes=4, seconds=30)
    assert time_text.waiting_sentence(due, NOW, zone) == (
        "The next learning card is due at 12:04 (in 4 minutes)."
    )
    assert time_text.time_until(NOW + timedelta(seconds=20), NOW) == "in less than a minute"
    assert time_text.time_until(NOW + timedelta(hours=2), NOW) == "in 2 hours"


def test_next_due_sentence() -> None:
    tomorrow = datetime(2026, 3, 11, 4, 0, tzinfo=UTC)
    assert (
        time_text.next_due_sentence(tomorrow, NOW, UTC) == "Next cards are due tomorrow at 04:00."
    )
    assert time_text.next_due_sentence(NOW + timedelta(hours=1), NOW, UTC) == (
        "Next cards are due today at 11:00."
    )
    friday = datetime(2026, 3, 13, 4, 0, tzinfo=UTC)
    assert time_text.next_due_sentence(friday, NOW, UTC) == "Next cards are due on Friday at 04:00."
    assert "No more cards" in time_text.next_due_sentence(None, NOW, UTC)
