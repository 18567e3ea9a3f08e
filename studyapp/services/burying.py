"""Buried cards come back when a new study day starts (as in Anki)."""

from __future__ import annotations

from studyapp.storage.repositories import Repositories

LAST_UNBURIED_KEY = "last_unburied_day"
"""Settings key: the study day on which buried cards were last brought back."""


def unbury_on_new_day(repos: Repositories, today: int) -> bool:
    """Unbury every card once per study day, the first time a queue is built on it.

    Returns True when this call did the day's unburying.
    """
    last = repos.settings.get(LAST_UNBURIED_KEY)
    if isinstance(last, int) and last >= today:
        return False
    repos.cards.unbury_all()
    repos.settings.set(LAST_UNBURIED_KEY, today)
    return True
