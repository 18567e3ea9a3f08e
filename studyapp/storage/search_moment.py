"""When a search runs, handed by the services to the search queries (which never read a clock).

No SQLAlchemy here: the services that build one load without it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SearchMoment:
    """When the search runs, as the study day sees it."""

    today: int
    learn_cutoff: int
    """UTC epoch seconds: learning cards due before this are due now (learn-ahead included)."""
    day_start: Callable[[int], int]
    """The UTC epoch second at which a study day begins."""
