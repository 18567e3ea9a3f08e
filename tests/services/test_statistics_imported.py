"""Statistics over a review history imported from an Anki package: the figures come from the
imported log exactly as they would from our own answers."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from studyapp.app import open_collection
from studyapp.domain.clock import ManualClock
from studyapp.services.statistics_period import Period
from tests.importers.anki_builder import legacy_package

# The sample package's reviews fall between 19:26 and 22:12 UTC on 14 November 2023: with the
# study day rolling over at 04:00 UTC they are all on that day.
REVIEW_DAY = date(2023, 11, 14)
NOW = datetime(2023, 11, 15, 12, 0, tzinfo=UTC)


def test_imported_reviews_count_like_our_own(tmp_path: Path) -> None:
    package = tmp_path / "sample.apkg"
    package.write_bytes(legacy_package())
    database, services = open_collection(
        f"sqlite:///{tmp_path / 'collection.sqlite3'}", ManualClock(NOW), tmp_path / "media"
    )
    try:
        services.imports.import_file(package)
        stats = services.statistics.compute(None, Period.ALL)
    finally:
        database.close()
    # Five rated reviews (the manual row and the review of an unknown card do not count):
    # two while learning, two of young review cards (Again, Easy) and one while relearning.
    day = [d for d in stats.reviews_per_day if d.total]
    assert [(d.day, d.learning, d.young, d.mature, d.relearning, d.total) for d in day] == [
        (REVIEW_DAY, 2, 2, 0, 1, 5)
    ]
    assert day[0].seconds == pytest.approx(4 + 3 + 9 + 2 + 1.5, abs=1)
    assert stats.buttons.learning == (0, 0, 3, 0)  # relearning answers count here, as in Anki
    assert stats.buttons.young == (1, 0, 0, 1)
    assert stats.buttons.mature == (0, 0, 0, 0)
    all_time = {r.period: r for r in stats.true_retention}["all_time"]
    # First review of the day of each review card: card 1 forgotten, card 5 recalled.
    assert (all_time.young_pass, all_time.young_fail) == (1, 1)
    assert (all_time.mature_pass, all_time.mature_fail) == (0, 0)
    assert stats.today.studied == 0
