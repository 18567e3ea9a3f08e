"""An ExportBundle -> the rows of an Anki collection, shared by both schemas.

Ids: Anki expects note, card and review-log ids to be creation times in epoch milliseconds (never
later than tomorrow), so notes get `created_at * 1000`, cards their note's id plus ordinal and
reviews their time, each moved up by one millisecond until unique. A deck named "Default" becomes
Anki's deck 1; other decks and note types keep our ids shifted past Anki's reserved ones.

Scheduling: `type` 0 new, 1 learning, 2 review, 3 relearning; `queue` -1 suspended, -2/-3 buried,
else 0 new, 1 intraday (re)learning (due in epoch seconds), 2 review (due in days since `crt`).
`left` is the number of (re)learning steps still to go; FSRS memory state goes into `data` as
{"s", "d", "dr", "lrt"}. Without scheduling every card is new, in the order of its position.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

from studyapp.domain.cards import BuryKind, Card, CardState, NoteType, Review, ReviewKind
from studyapp.domain.clock import from_epoch, study_day, study_day_start, to_epoch
from studyapp.domain.decks import DECK_SEPARATOR, Preset, parent_names
from studyapp.errors import InvalidInputError
from studyapp.exporters.bundle import ExportBundle

DEFAULT_DECK_ID = 1
DEFAULT_CONFIG_ID = 1
DEFAULT_DECK_NAME = "Default"
FIELD_SEPARATOR = "\x1f"
_ID_OFFSET = 1_000_000_000
"""Added to our deck and note-type ids so they never meet Anki's reserved small ids."""
_DEFAULT_EASE = 2500
_HTML_TAG = re.compile(r"<[^>]*>")
_BURY_QUEUES = {BuryKind.SIBLING: -2, BuryKind.MANUAL: -3}
_GRADED = frozenset({ReviewKind.LEARN, ReviewKind.REVIEW, ReviewKind.RELEARN, ReviewKind.FILTERED})

NoteRow = tuple[int, str, int, int, int, str, str, str, int, int, str]
CardRow = tuple[
    int, int, int, int, int, int, int, int, int, int, int, int, int, int, int, int, int, str
]
RevlogRow = tuple[int, int, int, int, int, int, int, int, int]


@dataclass(frozen=True, slots=True)
class AnkiDeck:
    id: int
    name: str
    """Full name with "::" between levels."""
    config_id: int


@dataclass(frozen=True, slots=True)
class AnkiContent:
    """Everything a collection file holds, in Anki's terms."""

    crt: int
    modified: int
    """Epoch seconds: the newest note's modification time (keeps the output reproducible)."""
    creation_offset: int
    """Minutes west of UTC at `crt`, as Anki's `creationOffset`."""
    rollover_hour: int
    note_types: tuple[tuple[int, NoteType], ...]
    decks: tuple[AnkiDeck, ...]
    presets: tuple[tuple[int, Preset], ...]
    notes: tuple[NoteRow, ...]
    cards: tuple[CardRow, ...]
    revlog: tuple[RevlogRow, ...]
    tags: tuple[str, ...]
    next_position: int


def anki_content(bundle: ExportBundle) -> AnkiContent:
    """Convert the bundle; raises InvalidInputError when its values do not fit together."""
    note_type_ids = {nt.id: _shifted(nt.id, i) for i, nt in enumerate(bundle.note_types)}
    decks, deck_ids = _decks(bundle)
    presets = _presets(bundle)
    notes, note_ids = _notes(bundle, note_type_ids)
    cards, card_ids = _cards(bundle, note_ids, deck_ids, {p.id: p for _, p in presets})
    revlog = _revlog(bundle.reviews, card_ids) if bundle.include_scheduling else ()
    zone_offset = from_epoch(bundle.created_at).astimezone(bundle.zone).utcoffset()
    positions = [row[8] for row in cards if row[6] == 0]
    return AnkiContent(
        crt=bundle.created_at,
        modified=max((note.modified_at for note in bundle.notes), default=bundle.created_at),
        creation_offset=-int(zone_offset.total_seconds() // 60) if zone_offset else 0,
        rollover_hour=bundle.rollover_hour,
        note_types=tuple((note_type_ids[nt.id], nt) for nt in bundle.note_types),
        decks=decks,
        presets=presets if bundle.include_scheduling else ((DEFAULT_CONFIG_ID, _default()),),
        notes=notes,
        cards=cards,
        revlog=revlog,
        tags=_tag_registry(bundle),
        next_position=max(positions, default=-1) + 1,
    )


def _tag_registry(bundle: ExportBundle) -> tuple[str, ...]:
    """Every tag once, ignoring case (Anki's tag table is case-insensitive), sorted."""
    tags: dict[str, str] = {}
    for note in bundle.notes:
        for tag in note.tags:
            tags.setdefault(tag.casefold(), tag)
    return tuple(sorted(tags.values(), key=str.casefold))


def _shifted(our_id: int, index: int) -> int:
    return _ID_OFFSET + (our_id if our_id > 0 else 1_000_000 + index)


def _unique(candidate: int, used: set[int]) -> int:
    candidate = max(candidate, 1)
    while candidate in used:
        candidate += 1
    used.add(candidate)
    return candidate


_DEFAULT_PRESET = Preset(id=DEFAULT_CONFIG_ID, name="Default")


def _default() -> Preset:
    return _DEFAULT_PRESET


def _presets(bundle: ExportBundle) -> tuple[tuple[int, Preset], ...]:
    chosen = {preset.id: preset for preset in bundle.presets if preset.id > 0}
    chosen.setdefault(DEFAULT_CONFIG_ID, _default())
    return tuple(sorted(chosen.items()))


def _decks(bundle: ExportBundle) -> tuple[tuple[AnkiDeck, ...], dict[int, int]]:
    """Every deck with its parents, Anki's Default first; and our deck id -> Anki deck id."""
    known = {preset.id for preset in bundle.presets}
    config = {
        deck.id: deck.preset_id if bundle.include_scheduling and deck.preset_id in known else 1
        for deck in bundle.decks
    }
    by_name: dict[str, AnkiDeck] = {}
    deck_ids: dict[int, int] = {}
    folded: set[str] = set()
    for index, deck in enumerate(bundle.decks):
        anki_id = DEFAULT_DECK_ID if deck.name == DEFAULT_DECK_NAME else _shifted(deck.id, index)
        if deck.name.casefold() in folded:
            raise InvalidInputError(f"Two decks are called {deck.name!r} (ignoring case).")
        folded.add(deck.name.casefold())
        by_name[deck.name] = AnkiDeck(anki_id, deck.name, config[deck.id])
        deck_ids[deck.id] = anki_id
    by_name.setdefault(DEFAULT_DECK_NAME, AnkiDeck(DEFAULT_DECK_ID, DEFAULT_DECK_NAME, 1))
    used = {deck.id for deck in by_name.values()}
    for name in list(by_name):
        for parent in parent_names(name):
            if parent not in by_name:
                by_name[parent] = AnkiDeck(_unique(_ID_OFFSET * 2, used), parent, 1)
    ordered = sorted(by_name.values(), key=lambda d: (d.id != 1, d.name.split(DECK_SEPARATOR)))
    return tuple(ordered), deck_ids


def sort_field(value: str) -> str:
    """A field as Anki sorts and checksums it: without HTML tags, entities decoded."""
    return html.unescape(_HTML_TAG.sub("", value)).strip()


def field_checksum(value: str) -> int:
    return int(hashlib.sha1(sort_field(value).encode("utf-8")).hexdigest()[:8], 16)


def _notes(
    bundle: ExportBundle, note_type_ids: dict[int, int]
) -> tuple[tuple[NoteRow, ...], dict[int, int]]:
    rows: list[NoteRow] = []
    note_ids: dict[int, int] = {}
    used: set[int] = set()
    for note in sorted(bundle.notes, key=lambda n: (n.created_at, n.id)):
        mid = note_type_ids.get(note.note_type_id)
        if mid is None:
            raise InvalidInputError(f"The note {note.guid!r} has a note type not in the export.")
        anki_id = _unique(note.created_at * 1000, used)
        note_ids[note.id] = anki_id
        tags = f" {' '.join(note.tags)} " if note.tags else ""
        first = note.fields[0] if note.fields else ""
        rows.append(
            (anki_id, note.guid, mid, note.modified_at, 0, tags,
             FIELD_SEPARATOR.join(note.fields), sort_field(first), field_checksum(first), 0, "")
        )  # fmt: skip
    return tuple(rows), note_ids


def _cards(
    bundle: ExportBundle,
    note_ids: dict[int, int],
    deck_ids: dict[int, int],
    presets: dict[int, Preset],
) -> tuple[tuple[CardRow, ...], dict[int, int]]:
    modified = {note.id: note.modified_at for note in bundle.notes}
    preset_of = {deck.id: presets.get(deck.preset_id, _default()) for deck in bundle.decks}
    crt_day = study_day(from_epoch(bundle.created_at), bundle.rollover_hour, bundle.zone)
    last_reviews = _last_reviews(bundle.reviews)
    new_positions = [c.due for c in bundle.cards if c.state == CardState.NEW]
    next_new = max(new_positions, default=-1) + 1
    rows: list[CardRow] = []
    card_ids: dict[int, int] = {}
    used: set[int] = set()
    for card in sorted(bundle.cards, key=lambda c: (note_ids.get(c.note_id, 0), c.ordinal)):
        nid = note_ids.get(card.note_id)
        did = deck_ids.get(card.deck_id)
        if nid is None or did is None:
            raise InvalidInputError(f"Card {card.id} names a note or deck not in the export.")
        anki_id = _unique(nid + card.ordinal, used)
        card_ids[card.id] = anki_id
        if not bundle.include_scheduling:
            due = card.due
            if card.state != CardState.NEW:
                due, next_new = next_new, next_new + 1
            schedule = (0, 0, due, 0, 0, 0, 0, 0, 0, "")
        else:
            preset = preset_of.get(card.deck_id, _default())
            last = last_reviews.get(card.id)
            schedule = _schedule(card, preset, crt_day, last, bundle)
        kind, queue, due, ivl, factor, reps, lapses, left, flags, data = schedule
        rows.append(
            (anki_id, nid, did, card.ordinal, modified[card.note_id], 0, kind, queue, due,
             ivl, factor, reps, lapses, left, 0, 0, flags, data)
        )  # fmt: skip
    return tuple(rows), card_ids


_Schedule = tuple[int, int, int, int, int, int, int, int, int, str]


def _schedule(
    card: Card, preset: Preset, crt_day: int, last_review: int | None, bundle: ExportBundle
) -> _Schedule:
    kind = int(card.state)
    queue = {CardState.NEW: 0, CardState.REVIEW: 2}.get(card.state, 1)
    due, ivl, factor, left = card.due, max(card.interval, 0), _DEFAULT_EASE, 0
    if card.state == CardState.NEW:
        factor = 0
    elif card.state == CardState.REVIEW:
        due, ivl = card.due - crt_day, max(ivl, 1)
    else:
        steps = (
            preset.learning_steps if card.state == CardState.LEARNING else preset.relearning_steps
        )
        left = max(len(steps) - card.step, 0)
        if card.state == CardState.LEARNING:
            factor = 0
    if card.suspended:
        queue = -1
    elif card.buried != BuryKind.NONE:
        queue = _BURY_QUEUES[card.buried]
    data = ""
    if card.state != CardState.NEW and card.stability is not None and card.difficulty is not None:
        if last_review is None and card.last_review_day is not None:
            start = study_day_start(card.last_review_day, bundle.rollover_hour, bundle.zone)
            last_review = to_epoch(start)
        memory: dict[str, float | int] = {
            "s": card.stability,
            "d": card.difficulty,
            "dr": preset.desired_retention,
        }
        if last_review is not None:
            memory["lrt"] = last_review
        data = json.dumps(memory, separators=(",", ":"))
    return (kind, queue, due, ivl, factor, card.reps, card.lapses, left, card.flag & 7, data)


def _last_reviews(reviews: Iterable[Review]) -> dict[int, int]:
    """Card id -> epoch second of its latest graded review."""
    latest: dict[int, int] = {}
    for review in reviews:
        if review.rating is not None and review.kind in _GRADED:
            seconds = review.reviewed_at // 1000
            latest[review.card_id] = max(latest.get(review.card_id, 0), seconds)
    return latest


def _revlog(reviews: tuple[Review, ...], card_ids: dict[int, int]) -> tuple[RevlogRow, ...]:
    rows: list[RevlogRow] = []
    used: set[int] = set()
    for review in sorted(reviews, key=lambda r: (r.reviewed_at, r.id)):
        cid = card_ids.get(review.card_id)
        if cid is None:
            continue  # a review of a card outside the export
        ease = int(review.rating) if review.rating is not None else 0
        graded = review.kind in (ReviewKind.REVIEW, ReviewKind.RELEARN, ReviewKind.FILTERED)
        factor = _DEFAULT_EASE if graded and ease else 0
        rows.append(
            (_unique(review.reviewed_at, used), cid, 0, ease, review.interval,
             review.last_interval, factor, max(review.time_taken_ms, 0), int(review.kind))
        )  # fmt: skip
    return tuple(rows)
