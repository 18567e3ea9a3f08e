"""One sample collection for the exporter tests, as an ExportBundle.

Four note types (the three stock ones and a custom one with a conditional template), nested decks
with two presets, fields with separators, quotes, line breaks, HTML, media references and cloze
deletions, cards in every state (new, learning, review, relearning, suspended, buried, flagged)
with FSRS memory state, and review history including a manual row.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo

from studyapp.domain.cards import (
    BuryKind,
    Card,
    CardState,
    CardTemplate,
    Note,
    NoteKind,
    NoteType,
    Rating,
    Review,
    ReviewKind,
)
from studyapp.domain.clock import study_day, study_day_start, to_epoch
from studyapp.domain.decks import Deck, Preset
from studyapp.domain.notetypes import BASIC, BASIC_REVERSED, CLOZE, DEFAULT_CSS
from studyapp.exporters.bundle import ExportBundle

ROLLOVER = 4
FIRST_DAY = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
MEDIA = {"cat.jpg": b"\xff\xd8\xff\xe0 jpeg bytes", "hello world.mp3": b"ID3 mp3 bytes"}

VOCAB = NoteType(
    id=4,
    name="Vocabulary",
    kind=NoteKind.STANDARD,
    fields=("Word", "Meaning", "Example"),
    templates=(
        CardTemplate("Recognise", "{{Word}}", "{{FrontSide}}<hr id=answer>{{Meaning}}"),
        CardTemplate("Use", "{{#Example}}{{Meaning}}{{/Example}}", "{{FrontSide}}<hr>{{Example}}"),
    ),
    css=".card { color: navy; }",
)
NOTE_TYPES = (
    NoteType(1, BASIC.name, BASIC.kind, BASIC.fields, BASIC.templates, DEFAULT_CSS),
    NoteType(
        2, BASIC_REVERSED.name, BASIC_REVERSED.kind, BASIC_REVERSED.fields,
        BASIC_REVERSED.templates, DEFAULT_CSS,
    ),
    NoteType(3, CLOZE.name, CLOZE.kind, CLOZE.fields, CLOZE.templates, DEFAULT_CSS),
    VOCAB,
)  # fmt: skip
PRESETS = (
    Preset(1, "Default"),
    Preset(2, "Intensive", 50, learning_steps=(30, 300, 1800), relearning_steps=(300, 900)),
)
DECKS = (
    Deck(1, "Default", 1),
    Deck(10, "Languages", 1),
    Deck(11, "Languages::French", 2),
    Deck(12, "Languages::French::Verbs", 2),
    Deck(13, "Geography", 1),
)
TRICKY = 'He said "bonjour",\tthen left;\nnext line | pipe \\ backslash'


def _note(
    note_id: int, guid: str, type_id: int, fields: tuple[str, ...], tags: tuple[str, ...] = ()
) -> Note:
    created = to_epoch(FIRST_DAY) + note_id * 3600
    return Note(note_id, guid, type_id, fields, tags, created, created + 60, None)


NOTES = (
    _note(1, "basic-1", 1, ("chat", 'cat <img src="cat.jpg">', ""), ("animals", "lang::fr")),
    _note(2, "#A:rev", 2, ("bonjour", "hello [sound:hello world.mp3]", TRICKY), ("greeting",)),
    _note(3, "cloze-3", 3, ("{{c1::Paris}} is in {{c2::France}}", "<b>geo</b>"), ("geo",)),
    _note(4, "vocab-4", 4, ("manger", "to eat", "Je mange une pomme.")),
    _note(5, "basic-5", 1, ("Café &amp; crème", "coffee<br>with cream", "x"), ()),
    _note(6, "vocab-6", 4, ("boire", "to drink", "")),
)


def sample_bundle(*, zone: tzinfo = UTC, include_scheduling: bool = True) -> ExportBundle:
    """The sample collection as the export service would gather it, in time zone `zone`."""
    first = study_day(FIRST_DAY, ROLLOVER, zone)
    today = study_day(NOW, ROLLOVER, zone)
    now = to_epoch(NOW)

    def at(day: int, hours: int = 10) -> int:
        """Epoch milliseconds `hours` into study day `today + day`."""
        return (to_epoch(study_day_start(today + day, ROLLOVER, zone)) + hours * 3600) * 1000

    cards = (
        Card(1, 1, 11, 0, CardState.REVIEW, today + 5, 12, 0, 14.2, 5.1, 4, 0, today - 7, flag=2),
        Card(2, 2, 12, 0, CardState.LEARNING, now + 600, 0, 1, None, None, 1),
        Card(3, 2, 12, 1, suspended=True, due=3),
        Card(4, 3, 13, 0, CardState.RELEARNING, now + 900, 3, 0, 2.5, 7.0, 6, 1, today),
        Card(5, 3, 13, 1, CardState.REVIEW, today + 2, 4, 0, 5.0, 4.2, 2, 0, today - 2,
             buried=BuryKind.MANUAL),
        Card(6, 4, 10, 0, due=1),
        Card(7, 4, 10, 1, due=2, buried=BuryKind.SIBLING),
        Card(8, 5, 1, 0, due=0, flag=3),
        Card(9, 6, 11, 0, CardState.REVIEW, today - 1, 30, 0, None, None, 1, 0, today - 31),
    )  # fmt: skip
    learn, review, manual = ReviewKind.LEARN, ReviewKind.REVIEW, ReviewKind.MANUAL
    good, again = Rating.GOOD, Rating.AGAIN
    new, learning, reviewing = CardState.NEW, CardState.LEARNING, CardState.REVIEW
    reviews = (
        Review(1, at(-20), learn, good, new, -30, -300, 8000, None, None),
        Review(1, at(-20, 11), learn, good, learning, -300, 3, 4000, None, None),
        Review(1, at(-7), review, good, reviewing, 3, 12, 3500, None, None),
        Review(2, (now - 60) * 1000, learn, again, new, -30, -30, 9000, None, None),
        Review(4, (now - 300) * 1000, review, again, reviewing, 10, -900, 12000, None, None),
        Review(5, at(-2), review, good, reviewing, 2, 4, 2500, None, None),
        Review(9, at(-31), review, Rating.EASY, reviewing, 9, 30, 1500, None, None),
        Review(9, at(-31, 12), manual, None, reviewing, 30, 30, 0, None, None),
    )
    return ExportBundle(
        note_types=NOTE_TYPES,
        decks=DECKS,
        notes=NOTES,
        cards=cards,
        reviews=reviews,
        media=MEDIA,
        rollover_hour=ROLLOVER,
        zone=zone,
        include_scheduling=include_scheduling,
        created_at=to_epoch(study_day_start(first, ROLLOVER, zone)),
        presets=PRESETS,
    )
