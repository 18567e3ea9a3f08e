"""The card browser: searching, the values of a page of rows, the sidebar, and bulk actions.

Every bulk action is one transaction and pushes one undo entry (revert and reapply), and touches
its cards or notes with IN lists and executemany, never a query per card.  Reset and Set due date
log a MANUAL review-log row per changed card (no rating), as Anki does; undo deletes those rows
and redo puts them back.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from studyapp.domain.browser_columns import BrowserMode, Column
from studyapp.domain.cards import CardState, NoteType, ReviewKind
from studyapp.domain.clock import Clock, study_day_start, to_epoch
from studyapp.domain.decks import normalize_deck_name
from studyapp.domain.find_replace import compile_replacement, replace_in_fields
from studyapp.domain.search import parse_search
from studyapp.errors import InvalidInputError
from studyapp.services.browser_rows import build_rows
from studyapp.services.burying import unbury_on_new_day
from studyapp.services.collection import DEFAULT_PRESET_ID, ensure_deck
from studyapp.services.decks import tree_order
from studyapp.services.queue import LEARN_AHEAD_SECONDS, StudyDay
from studyapp.services.settings import read_settings
from studyapp.services.undo import UndoEntry, undeleting
from studyapp.storage.search_moment import SearchMoment

if TYPE_CHECKING:
    from studyapp.services.browser_rows import BrowserRow
    from studyapp.services.undo import UndoStack
    from studyapp.storage.bulk_edits import Values
    from studyapp.storage.database import Database
    from studyapp.storage.repositories import Repositories

SAVED_SEARCHES_KEY = "browser_saved_searches"
_SET_DUE = re.compile(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?(!?)\s*")
_CARD_SCHEDULE = (
    "state",
    "due",
    "interval",
    "step",
    "stability",
    "difficulty",
    "reps",
    "lapses",
    "last_review_day",
)


@dataclass(frozen=True, slots=True)
class Selection:
    """Rows chosen in the browser: card ids in cards mode, note ids in notes mode."""

    mode: BrowserMode
    ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class SearchPage:
    """The first rows of a search, enough for the table's first screen."""

    ids: tuple[int, ...]
    rows: tuple[BrowserRow, ...]
    """The values of `ids`, in the same order."""
    complete: bool
    """Whether `ids` are every match, so that no second query is needed."""


@dataclass(frozen=True, slots=True)
class Sidebar:
    decks: list[str]
    """Full deck names, parents before children."""
    tags: list[str]
    note_types: list[str]
    fields: list[str]
    """Every field name of every note type, once each (for find and replace)."""
    saved_searches: dict[str, str]
    """Name -> query."""


@dataclass(frozen=True, slots=True)
class DueSpec:
    """Set due date: a day (or a random day in a range) from today, and whether the interval
    changes to match."""

    first: int
    last: int
    set_interval: bool


def parse_due_spec(text: str) -> DueSpec:
    """ "0" today, "1" tomorrow, "0-7" a random day in the next week; "!" sets the interval too."""
    match = _SET_DUE.fullmatch(text)
    if match is None:
        raise InvalidInputError(
            "Enter the days from today: 0 for today, 1 for tomorrow, a range like 0-7, "
            "with ! to set the interval too (for example 30!)."
        )
    first = int(match.group(1))
    last = int(match.group(2)) if match.group(2) is not None else first
    if last < first:
        raise InvalidInputError(f"The range {first}-{last} ends before it starts.")
    return DueSpec(first, last, bool(match.group(3)))


class BrowserService:
    def __init__(self, database: Database, clock: Clock, undo_stack: UndoStack) -> None:
        self._database = database
        self._clock = clock
        self._undo = undo_stack

    # Searching and rows.

    def _day(self, repos: Repositories) -> StudyDay:
        return StudyDay.at(self._clock, read_settings(repos.settings).rollover_hour)

    def _moment(self, day: StudyDay) -> SearchMoment:
        zone = self._clock.zone

        def day_start(number: int) -> int:
            return to_epoch(study_day_start(number, day.rollover_hour, zone))

        return SearchMoment(day.today, day.now_epoch + LEARN_AHEAD_SECONDS, day_start)

    def search(
        self,
        query: str,
        mode: BrowserMode = BrowserMode.CARDS,
        sort: Column = Column.SORT_FIELD,
        descending: bool = False,
    ) -> list[int]:
        """The ids of the matching cards (or notes), sorted; raises SearchError for a query
        that cannot be read."""
        node = parse_search(query)
        with self._database.transaction() as repos:
            moment = self._moment(self._day(repos))
            return repos.search.ids(node, moment, mode, sort, descending)

    def first_page(
        self,
        query: str,
        mode: BrowserMode = BrowserMode.CARDS,
        sort: Column = Column.SORT_FIELD,
        descending: bool = False,
        size: int = 100,
    ) -> SearchPage:
        """The first `size` matches, sorted in SQL, with their row values: what the table
        shows first.  Only these ids leave the database; `search` gives them all afterwards.
        Raises SearchError for a query that cannot be read."""
        node = parse_search(query)
        with self._database.transaction() as repos:
            day = self._day(repos)
            ids = repos.search.ids(node, self._moment(day), mode, sort, descending, size + 1)
            shown = ids[:size]
            rows = build_rows(repos, day.today, mode, shown)
            return SearchPage(tuple(shown), tuple(rows), len(ids) <= size)

    def rows(self, mode: BrowserMode, ids: Sequence[int]) -> list[BrowserRow]:
        """The values of these rows, in the same order (rows deleted since are left out)."""
        with self._database.transaction() as repos:
            return build_rows(repos, self._day(repos).today, mode, ids)

    def sidebar(self) -> Sidebar:
        with self._database.transaction() as repos:
            note_types = repos.note_types.all()
            fields = {f.casefold(): f for t in note_types for f in reversed(t.fields)}
            return Sidebar(
                decks=sorted((d.name for d in repos.decks.all()), key=tree_order),
                tags=repos.search.all_tags(),
                note_types=sorted((t.name for t in note_types), key=str.casefold),
                fields=sorted(fields.values(), key=str.casefold),
                saved_searches=_saved(repos),
            )

    def save_search(self, name: str, query: str) -> None:
        name = name.strip()
        if not name:
            raise InvalidInputError("Give the saved search a name.")
        parse_search(query)
        with self._database.transaction() as repos:
            saved = _saved(repos)
            saved[name] = query
            repos.settings.set(SAVED_SEARCHES_KEY, dict(sorted(saved.items())))

    def remove_saved_search(self, name: str) -> None:
        with self._database.transaction() as repos:
            saved = _saved(repos)
            saved.pop(name, None)
            repos.settings.set(SAVED_SEARCHES_KEY, saved)

    def card_ids(self, selection: Selection) -> list[int]:
        """The cards of a selection (in notes mode, every card of the selected notes)."""
        with self._database.transaction() as repos:
            return _card_ids(repos, selection)

    def note_ids(self, selection: Selection) -> list[int]:
        with self._database.transaction() as repos:
            return _note_ids(repos, selection)

    # Bulk actions on cards.

    def change_deck(self, selection: Selection, deck_name: str) -> int:
        """Move the selected cards to the deck (made if it does not exist yet)."""
        try:
            name = normalize_deck_name(deck_name)
        except ValueError:
            raise InvalidInputError(f"“{deck_name}” is not a deck name.") from None
        with self._database.transaction() as repos:
            existing = repos.decks.by_name(name)
            if existing is not None and existing.filter is not None:
                raise InvalidInputError(
                    f"“{name}” is a filtered deck; cards cannot be moved into it."
                )
            target = ensure_deck(repos, name, DEFAULT_PRESET_ID).id

            def change(row: Values) -> Values:
                return {"deck_id": target, "home_deck_id": None}

            return self._change_cards(repos, "Change deck", selection, change)

    def toggle_suspend(self, selection: Selection) -> bool:
        """Suspend the selected cards, or unsuspend them if all are suspended; True if they
        are suspended now."""
        with self._database.transaction() as repos:
            rows = repos.bulk.card_values(_card_ids(repos, selection), ["suspended"])
            suspend = not all(row["suspended"] for row in rows)
            label = "Suspend" if suspend else "Unsuspend"
            self._change_cards(repos, label, selection, lambda row: {"suspended": suspend})
        return suspend

    def toggle_bury(self, selection: Selection) -> bool:
        """Bury the selected cards until tomorrow, or unbury them if all are buried; True if
        they are buried now."""
        with self._database.transaction() as repos:
            # Unbury what an earlier day buried first, or the day's first queue would unbury
            # these cards again.
            unbury_on_new_day(repos, self._day(repos).today)
            rows = repos.bulk.card_values(_card_ids(repos, selection), ["buried"])
            bury = not all(row["buried"] for row in rows)
            label = "Bury" if bury else "Unbury"
            kind = 2 if bury else 0  # BuryKind.MANUAL / NONE
            self._change_cards(repos, label, selection, lambda row: {"buried": kind})
        return bury

    def set_flag(self, selection: Selection, flag: int) -> int:
        """Flag the selected cards (0 clears); a flag every selected card has already is
        cleared instead, as in Anki. Returns the flag they have now."""
        if not 0 <= flag <= 7:
            raise InvalidInputError(f"There is no flag {flag}; flags are 1 to 7.")
        with self._database.transaction() as repos:
            rows = repos.bulk.card_values(_card_ids(repos, selection), ["flag"])
            chosen = 0 if rows and all(row["flag"] == flag for row in rows) else flag
            self._change_cards(repos, "Flag", selection, lambda row: {"flag": chosen})
        return chosen

    def reset(self, selection: Selection, reset_counts: bool = False) -> int:
        """Make the selected cards new again, at the end of the new-card queue (Anki's Reset /
        Forget); `reset_counts` also zeroes their reviews and lapses."""
        with self._database.transaction() as repos:
            positions = iter(range(repos.cards.next_new_position(), 2**62))

            def change(row: Values) -> Values:
                values: Values = {
                    "state": int(CardState.NEW),
                    "due": next(positions),
                    "interval": 0,
                    "step": 0,
                    "stability": None,
                    "difficulty": None,
                    "last_review_day": None,
                }
                if reset_counts:
                    values.update(reps=0, lapses=0)
                return values

            return self._change_cards(repos, "Reset", selection, change, log_manual=True)

    def set_due(self, selection: Selection, spec: str) -> int:
        """Make the selected cards review cards due `spec` days from today ("0", "1",
        a range "0-7", with "!" to set the interval to match), as Anki's Set due date."""
        days = parse_due_spec(spec)
        with self._database.transaction() as repos:
            today = self._day(repos).today

            def change(row: Values) -> Values:
                chooser = random.Random(row["id"] * 1_000_003 + today)
                offset = chooser.randint(days.first, days.last)
                keep = row["state"] == int(CardState.REVIEW) and not days.set_interval
                return {
                    "state": int(CardState.REVIEW),
                    "due": today + offset,
                    "step": 0,
                    "interval": row["interval"] if keep else max(offset, 1),
                }

            return self._change_cards(repos, "Set due date", selection, change, log_manual=True)

    def _change_cards(
        self,
        repos: Repositories,
        label: str,
        selection: Selection,
        change: Callable[[Values], Values],
        log_manual: bool = False,
    ) -> int:
        """Apply `change` (new column values from a card's old ones) to every selected card
        that it changes, in this transaction, logging a MANUAL review-log row for each if
        `log_manual`; push one undo entry. Returns the cards changed."""
        card_ids = _card_ids(repos, selection)
        columns = ["deck_id", "home_deck_id", "flag", "suspended", "buried", *_CARD_SCHEDULE]
        before = repos.bulk.card_values(card_ids, [*columns, "modified_at"])
        now = to_epoch(self._clock.now())
        old: list[Values] = []
        new: list[Values] = []
        manual: list[Values] = []
        for row in before:
            values = change(row)
            if any(row[key] != value for key, value in values.items()):
                old.append(
                    {
                        "id": row["id"],
                        **{k: row[k] for k in values},
                        "modified_at": row["modified_at"],
                    }
                )
                new.append({"id": row["id"], **values, "modified_at": now})
                if log_manual:
                    manual.append(_manual_review(row, values, now))
        repos.bulk.update_cards(new)
        logged = repos.bulk.add_reviews(manual)
        if new:
            self._undo.push(
                UndoEntry(
                    label,
                    None,
                    lambda repos: _write_cards(repos, old, deleted=logged),
                    lambda repos: _write_cards(repos, new, restored=logged),
                )
            )
        return len(new)

    # Bulk actions on notes.

    def add_tags(self, selection: Selection, tags: str) -> int:
        """Add the (space-separated) tags to the selected notes; returns the notes changed."""
        wanted = _tag_list(tags)

        def change(note_tags: list[str]) -> list[str]:
            have = {tag.casefold() for tag in note_tags}
            return note_tags + [tag for tag in wanted if tag.casefold() not in have]

        return self._change_tags("Add tags", selection, change)

    def remove_tags(self, selection: Selection, tags: str) -> int:
        """Remove the (space-separated) tags from the selected notes, ignoring case."""
        unwanted = {tag.casefold() for tag in _tag_list(tags)}

        def change(note_tags: list[str]) -> list[str]:
            return [tag for tag in note_tags if tag.casefold() not in unwanted]

        return self._change_tags("Remove tags", selection, change)

    def _change_tags(
        self, label: str, selection: Selection, change: Callable[[list[str]], list[str]]
    ) -> int:
        from studyapp.storage.rows import tag_text

        with self._database.transaction() as repos:

            def new_values(row: Values) -> Values | None:
                tags = tag_text(change(row["tags"].split()))
                return None if tags == row["tags"] else {"tags": tags}

            return self._change_notes(repos, label, selection, ["tags"], new_values)

    def find_and_replace(
        self,
        selection: Selection,
        find: str,
        replace: str,
        field: str | None = None,
        regex: bool = False,
        ignore_case: bool = True,
    ) -> int:
        """Replace `find` with `replace` in the selected notes' fields (`field` by name, or
        every field); returns how many notes changed."""
        replacement = compile_replacement(find, replace, regex, ignore_case)
        with self._database.transaction() as repos:
            note_types = {t.id: t for t in repos.note_types.all()}

            def new_values(row: Values) -> Values | None:
                indexes = _field_indexes(note_types[row["note_type_id"]], field)
                if indexes is not None and not indexes:
                    return None
                fields = replace_in_fields(row["fields"], replacement, indexes)
                return None if list(fields) == list(row["fields"]) else {"fields": list(fields)}

            return self._change_notes(
                repos, "Find and replace", selection, ["fields", "note_type_id"], new_values
            )

    def _change_notes(
        self,
        repos: Repositories,
        label: str,
        selection: Selection,
        columns: list[str],
        change: Callable[[Values], Values | None],
    ) -> int:
        before = repos.bulk.note_values(_note_ids(repos, selection), [*columns, "modified_at"])
        now = to_epoch(self._clock.now())
        old: list[Values] = []
        new: list[Values] = []
        for row in before:
            values = change(row)
            if values is not None:
                old.append(
                    {
                        "id": row["id"],
                        **{k: row[k] for k in values},
                        "modified_at": row["modified_at"],
                    }
                )
                new.append({"id": row["id"], **values, "modified_at": now})
        repos.bulk.update_notes(new)
        if new:
            self._undo.push(
                UndoEntry(
                    label,
                    None,
                    lambda repos: repos.bulk.update_notes(old),
                    lambda repos: repos.bulk.update_notes(new),
                )
            )
        return len(new)

    # Deleting.

    def count_cards(self, selection: Selection) -> tuple[int, int]:
        """How many notes and cards deleting the selection's notes would delete."""
        with self._database.transaction() as repos:
            note_ids = _note_ids(repos, selection)
            return len(note_ids), len(repos.bulk.card_ids_of_notes(note_ids))

    def delete_notes(self, selection: Selection) -> int:
        """Delete the selected notes (in cards mode, the notes of the selected cards) with all
        their cards and review history; returns how many cards went. Undo brings them back."""
        with self._database.transaction() as repos:
            deleted = repos.snapshots.delete_notes(_note_ids(repos, selection))
        if deleted.notes:
            self._undo.push(undeleting("Delete notes", None, deleted))
        return len(deleted.cards)


def _write_cards(
    repos: Repositories,
    rows: list[Values],
    deleted: Sequence[Values] = (),
    restored: Sequence[Values] = (),
) -> None:
    """Undo or redo a change to cards: their columns, and the review-log rows it logged."""
    repos.bulk.update_cards(rows)
    repos.bulk.delete_reviews(deleted)
    repos.bulk.restore_reviews(restored)


def _manual_review(card: Values, values: Values, now: int) -> Values:
    """The review-log row of a manual change (reset, set due date): no rating, as in Anki."""
    return {
        "card_id": card["id"],
        "reviewed_at": now * 1000,
        "kind": int(ReviewKind.MANUAL),
        "rating": None,
        "state_before": card["state"],
        "last_interval": card["interval"],
        "interval": values.get("interval", card["interval"]),
        "time_taken_ms": 0,
        "stability": values.get("stability", card["stability"]),
        "difficulty": values.get("difficulty", card["difficulty"]),
        "source_id": None,
    }


def _saved(repos: Repositories) -> dict[str, str]:
    stored = repos.settings.get(SAVED_SEARCHES_KEY)
    if not isinstance(stored, dict):
        return {}
    return {str(k): str(v) for k, v in stored.items()}


def _card_ids(repos: Repositories, selection: Selection) -> list[int]:
    if selection.mode is BrowserMode.CARDS:
        return sorted(set(selection.ids))
    return repos.bulk.card_ids_of_notes(sorted(set(selection.ids)))


def _note_ids(repos: Repositories, selection: Selection) -> list[int]:
    if selection.mode is BrowserMode.NOTES:
        return sorted(set(selection.ids))
    return repos.bulk.note_ids_of_cards(sorted(set(selection.ids)))


def _tag_list(tags: str) -> list[str]:
    wanted = list(dict.fromkeys(tags.split()))
    if not wanted:
        raise InvalidInputError("Enter one or more tags, separated by spaces.")
    return wanted


def _field_indexes(note_type: NoteType, field: str | None) -> set[int] | None:
    if field is None:
        return None
    return {i for i, name in enumerate(note_type.fields) if name.casefold() == field.casefold()}
