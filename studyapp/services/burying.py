"""Buried cards come back when a new study day starts (as in Anki)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from studyapp.storage.repositories import Repositories

LAST_UNBURIED_KEY = "last_unburied_day"
"""Settings key: the study day on which buried cards were last brought back."""


def unburied_by(last_unburied: Any, today: int) -> bool:
    """Whether the day's unburying is done, given the stored LAST_UNBURIED_KEY value."""
    return isinstance(last_unburied, int) and last_unburied >= today


def unbury_for_day(repos: Repositories, today: int) -> None:
    """Unbury every card, and record that `today`'s unburying is done."""
    repos.cards.unbury_all()
    repos.settings.set(LAST_UNBURIED_KEY, today)


def unbury_on_new_day(repos: Repositories, today: int) -> bool:
    """Unbury every card once per study day, the first time a queue is built on it.

    Returns True when this call did the day's unburying.
    """
    if unburied_by(repos.settings.get(LAST_UNBURIED_KEY), today):
        return False
    unbury_for_day(repos, today)
    return True
