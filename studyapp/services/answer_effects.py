"""What an answer does beyond the card itself: leeches, and burying the card's siblings.

A lapse that makes a card a leech (domain.scheduler.is_leech) tags its note "leech"; with the
preset's leech action set to suspend, the card is suspended as well.  With bury siblings on, the
note's other new cards (bury new) and review cards due today (bury review) leave today's queue
until the next study day (services.burying brings them back).  Everything here is undone and
redone with the answer.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from studyapp.domain.cards import BuryKind, Card, CardState, Note
from studyapp.domain.decks import LeechAction, Preset
from studyapp.domain.scheduler import Answer, DueLoads, Placement

if TYPE_CHECKING:
    from studyapp.services.collection_cache import CachedReads
    from studyapp.storage.repositories import Repositories

LEECH_TAG = "leech"


@dataclass(frozen=True, slots=True)
class AnswerResult:
    """What the reviewer should tell the user after an answer."""

    leech: bool = False
    """The answer made the card a leech; its note is tagged "leech"."""
    suspended: bool = False
    """The leech action suspended the card."""
    buried_siblings: int = 0


@dataclass(frozen=True, slots=True)
class AnswerEffects:
    """The card as the answer leaves it (leech action applied) and the other rows it changes."""

    card: Card
    result: AnswerResult
    notes: tuple[Note, Note] | None
    """(before, after) when the note got the leech tag."""
    siblings: tuple[tuple[Card, Card], ...]
    """(before, after) of each buried sibling."""

    def apply(self, repos: Repositories, modified_at: int, stored: Card | None = None) -> None:
        """`stored`: the answered card as its row holds it now, if read in this transaction
        (only what the answer changed is written then)."""
        repos.cards.save(self.card, modified_at, stored)
        self._write(repos, 1, modified_at)

    def revert(self, repos: Repositories, modified_at: int) -> None:
        """Put the note and the siblings back (the caller restores the card itself)."""
        self._write(repos, 0, modified_at)

    def _write(self, repos: Repositories, side: int, modified_at: int) -> None:
        if self.notes is not None:
            repos.notes.update(self.notes[side])
        for pair in self.siblings:
            repos.cards.save(pair[side], modified_at)


def placement_for(cached: CachedReads, card: Card, today: int, loads: DueLoads) -> Placement:
    """Where `card`'s next review may land: balanced over `loads` (the collection's due
    reviews), and kept ready for the exam of its (home) deck or an ancestor, if one is set;
    `cached`: the transaction's reads."""
    return Placement(loads=loads, exam=cached.exam(card.home_deck_id or card.deck_id, today))


def answer_effects(
    repos: Repositories, before: Card, answer: Answer, preset: Preset, today: int, now: int
) -> AnswerEffects:
    """Work out (without writing) the leech action and the siblings to bury for `answer`."""
    card = answer.card
    leech = answer.leech and card.lapses > before.lapses
    notes = None
    suspended = False
    if leech:
        note = repos.notes.get(card.note_id)
        if note is not None and LEECH_TAG not in note.tags:
            notes = (note, replace(note, tags=(*note.tags, LEECH_TAG), modified_at=now))
        if preset.leech_action is LeechAction.SUSPEND:
            card = replace(card, suspended=True)
            suspended = True
    siblings: tuple[tuple[Card, Card], ...] = ()
    if preset.bury_new_siblings or preset.bury_review_siblings:
        siblings = tuple(
            (sibling, replace(sibling, buried=BuryKind.SIBLING))
            for sibling in repos.cards.for_note(card.note_id)
            if sibling.id != card.id and _buries(sibling, preset, today)
        )
    return AnswerEffects(card, AnswerResult(leech, suspended, len(siblings)), notes, siblings)


def _buries(sibling: Card, preset: Preset, today: int) -> bool:
    if sibling.suspended or sibling.buried is not BuryKind.NONE:
        return False
    if sibling.state is CardState.NEW:
        return preset.bury_new_siblings
    return (
        preset.bury_review_siblings and sibling.state is CardState.REVIEW and sibling.due <= today
    )
