"""Built-in decks as the generator's output on a bundled document, with provenance and stable ids.

`build_deck_file` runs the offline card generator on a document (e.g. our fact sheet in
`resources/documents/`) and writes a deck file (docs/deck-format.md, format 2) whose notes carry
their card kind and the character range of their sentence.  Note ids are permanent, because users'
review history hangs off them, so every card takes an id from the previous version of the deck when
it can:

1. the note with the same kind and the same source sentence;
2. else the note of the same kind whose question is most similar (difflib ratio >= 0.75), so a
   card keeps its id where only the wording changed;
3. else, for a hand-written note of an older deck (which has no kind), the note of the same note
   type whose words overlap most with the card's (Dice coefficient of content words >= 0.5);
4. else a fresh id continuing the numbering.

A note is only ever matched with the same note type, and only when the new note still has every
card the old one had, so no studied card loses its question.  Ids the new version drops are listed
as `retired` and never handed out again.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

from studyapp.domain.notetypes import stock_note_type
from studyapp.domain.sanitize import sanitize_card_html
from studyapp.domain.templates import card_ordinals
from studyapp.errors import InvalidInputError
from studyapp.exporters.deckfile import toml_key, toml_string
from studyapp.generation.cards import CardDraft, generate_cards
from studyapp.generation.documents import load_document
from studyapp.generation.terms import is_stop, stem, words
from studyapp.importers.deckfile import FORMAT_VERSION, DeckDraft, NoteDraft, parse_deck_file
from studyapp.services.generation import DraftCard, note_fields

SIMILAR_QUESTION = 0.75
SIMILAR_LEGACY_NOTE = 0.4
_NUMBERED_ID = re.compile(r"(?P<prefix>.*?)(?P<number>\d+)")
_CLOZE = re.compile(r"\{\{c\d+::(?P<answer>.*?)(?:::[^}]*)?\}\}", re.DOTALL)
_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True, slots=True)
class _Note:
    """A note of the deck being built, before it has its id."""

    kind: str
    note_type: str
    fields: tuple[str, ...]
    source: str
    start: int
    end: int


def build_deck_file(
    document_path: Path,
    *,
    name: str,
    version: int,
    previous: bytes | None,
    description: str | None = None,
) -> bytes:
    """The deck file of the cards generated from `document_path`, with ids kept from `previous`.

    `description` defaults to the previous deck's.  The document must sit directly in the folder
    the deck's `[document] path` is relative to (resources/documents/ for built-in decks).
    """
    try:
        content = document_path.read_bytes()
    except OSError as error:
        raise InvalidInputError(
            f"Cannot read {document_path.name}: {error.strerror or error}."
        ) from error
    document = load_document(content, document_path.suffix)
    notes = [_note(card) for card in generate_cards(document)]
    old = parse_deck_file(previous) if previous is not None else None
    ids, retired = _assign_ids(notes, old, default_prefix=f"{document_path.stem}-")
    text = _deck_toml(
        name=name,
        version=version,
        description=old.description if description is None and old else description or "",
        document=(document_path.name, hashlib.sha256(content).hexdigest()),
        retired=retired,
        notes=list(zip(ids, notes, strict=True)),
    )
    data = text.encode("utf-8")
    parse_deck_file(data)  # the output is always a valid deck file
    return data


def update_deck_file(document_path: Path, *, name: str | None, previous: bytes | None) -> bytes:
    """`build_deck_file` with the version bumped only when the content changes."""
    old = parse_deck_file(previous) if previous is not None else None
    deck_name = name or (old.name if old else document_path.stem)
    version = old.version if old else 1
    data = build_deck_file(document_path, name=deck_name, version=version, previous=previous)
    if old is not None and data != previous:
        data = build_deck_file(
            document_path, name=deck_name, version=version + 1, previous=previous
        )
    return data


def _note(card: CardDraft) -> _Note:
    """The note GenerationService would add for the card: same note type, fields and source."""
    span = card.source
    note_type, fields = note_fields(
        DraftCard(card.kind, card.front, card.back, span.start, span.end, span.text)
    )
    return _Note(
        kind=card.kind,
        note_type=note_type,
        fields=tuple(sanitize_card_html(value) for value in fields),
        source=f"“{span.text.strip()}”",
        start=span.start,
        end=span.end,
    )


# --- Stable ids -----------------------------------------------------------------------------------


def _assign_ids(
    notes: Sequence[_Note], previous: DeckDraft | None, *, default_prefix: str
) -> tuple[list[str], list[str]]:
    """An id for every note (see the module docstring) and the sorted ids retired from now on."""
    old_notes = list(previous.notes) if previous else []
    taken: dict[int, str] = {}  # index in `notes` -> id
    used: set[str] = set()

    def match(score: Callable[[NoteDraft, _Note], float | None]) -> None:
        pairs = []
        for index, note in enumerate(notes):
            if index in taken:
                continue
            for position, old in enumerate(old_notes):
                if old.guid in used or not _compatible(old, note):
                    continue
                value = score(old, note)
                if value is not None:
                    pairs.append((-value, index, position))
        for _, index, position in sorted(pairs):
            guid = old_notes[position].guid
            if index not in taken and guid not in used:
                taken[index] = guid
                used.add(guid)

    match(lambda old, new: _question_similarity(old, new) if _same_sentence(old, new) else None)
    match(_similar_question)
    match(_similar_legacy_note)

    retired = set(previous.retired) if previous else set()
    retired |= {old.guid for old in old_notes if old.guid not in used}
    prefix, width, number = _numbering([*(n.guid for n in old_notes), *retired], default_prefix)
    ids = []
    for index in range(len(notes)):
        if index not in taken:
            number += 1
            taken[index] = f"{prefix}{number:0{width}d}"
        ids.append(taken[index])
    return ids, sorted(retired)


def _compatible(old: NoteDraft, new: _Note) -> bool:
    """Same note type, and the new note has every card the old one had."""
    if old.note_type != new.note_type or (old.kind is not None and old.kind != new.kind):
        return False
    note_type = stock_note_type(new.note_type)
    assert note_type is not None
    had = set(card_ordinals(note_type, old.field_values(note_type)))
    return had <= set(card_ordinals(note_type, new.fields))


def _same_sentence(old: NoteDraft, new: _Note) -> bool:
    return old.kind is not None and old.source == new.source


def _similar_question(old: NoteDraft, new: _Note) -> float | None:
    if old.kind is None:
        return None
    ratio = _question_similarity(old, new)
    return ratio if ratio >= SIMILAR_QUESTION else None


def _similar_legacy_note(old: NoteDraft, new: _Note) -> float | None:
    if old.kind is not None:
        return None
    before, after = (
        _content_words(" ".join(old.fields.values())),
        _content_words(" ".join(new.fields)),
    )
    if not before or not after:
        return None
    dice = 2 * len(before & after) / (len(before) + len(after))
    return dice if dice >= SIMILAR_LEGACY_NOTE else None


def _question_similarity(old: NoteDraft, new: _Note) -> float:
    note_type = stock_note_type(new.note_type)
    assert note_type is not None
    before = _question_words(old.field_values(note_type)[0])
    after = _question_words(new.fields[0])
    return SequenceMatcher(None, before, after, autojunk=False).ratio()


def _plain(field: str, cloze: str) -> str:
    return html.unescape(_TAG.sub(" ", _CLOZE.sub(cloze, field)))


def _question_words(field: str) -> list[str]:
    return [word.text.lower() for word in words(_plain(field, " blank "))]


def _content_words(text: str) -> set[str]:
    return {stem(w.text) for w in words(_plain(text, r"\g<answer>")) if not is_stop(w.text)}


def _numbering(ids: Sequence[str], default_prefix: str) -> tuple[str, int, int]:
    """The most common "prefix + number" pattern of `ids`: prefix, digits, highest number."""
    found: dict[str, list[tuple[int, int]]] = {}
    for guid in ids:
        numbered = _NUMBERED_ID.fullmatch(guid)
        if numbered:
            digits = numbered.group("number")
            found.setdefault(numbered.group("prefix"), []).append((int(digits), len(digits)))
    if not found:
        return default_prefix, 3, 0
    prefix = max(sorted(found), key=lambda p: len(found[p]))
    return prefix, max(w for _, w in found[prefix]), max(n for n, _ in found[prefix])


# --- Writing --------------------------------------------------------------------------------------


def _deck_toml(
    *,
    name: str,
    version: int,
    description: str,
    document: tuple[str, str],
    retired: Sequence[str],
    notes: Sequence[tuple[str, _Note]],
) -> str:
    path, sha256 = document
    lines = [
        f"# Deck {name}: generated from the document {path} by `studyapp generate DOC",
        "# --deck-file OUT` (docs/deck-format.md). Do not edit by hand: change the document and",
        "# generate again; note ids are kept, and retired ids are never used again.",
        "",
        f"format = {FORMAT_VERSION}",
        f"name = {toml_string(name)}",
        f"version = {version}",
    ]
    if description:
        lines.append(f"description = {toml_string(description)}")
    if retired:
        lines += ["retired = [", *(f"    {toml_string(guid)}," for guid in retired), "]"]
    lines += ["", "[document]", f"path = {toml_string(path)}", f"sha256 = {toml_string(sha256)}"]
    for guid, note in notes:
        note_type = stock_note_type(note.note_type)
        assert note_type is not None
        lines += [
            "",
            "[[notes]]",
            f"id = {toml_string(guid)}",
            f"type = {toml_string(note.note_type)}",
            f"kind = {toml_string(note.kind)}",
            f"tags = [{toml_string(f'{_tag(path)}::{note.kind}')}]",
            f"source = {toml_string(note.source)}",
            f"source_start = {note.start}",
            f"source_end = {note.end}",
            "",
            "[notes.fields]",
            *(
                f"{toml_key(field)} = {toml_string(value)}"
                for field, value in zip(note_type.fields, note.fields, strict=True)
            ),
        ]
    return "\n".join(lines) + "\n"


def _tag(document_name: str) -> str:
    stem_name = Path(document_name).stem
    return re.sub(r"\s+", "-", stem_name.strip()) or "generated"
