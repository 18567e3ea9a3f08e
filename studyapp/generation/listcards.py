"""List cards: enumerations asked for as a whole ("What are the three categories of X?")."""

from __future__ import annotations

import re

from studyapp.generation.analysis import PRONOUNS, Analysis
from studyapp.generation.drafts import CardDraft, capitalized, display, make_span
from studyapp.generation.sentences import HEADING, ITEM, Unit
from studyapp.generation.terms import NUMBER_NAMES, is_generic, number_value, word_set, words

_TRIGGER = re.compile(r"(?:,\s*|\s)(?:including|such as|for example|e\.g\.|namely)\s+")
_CLAUSE_WORDS = word_set(
    "while whereas which who that to because but so although though if when where as is are was"
    " were has have had can could may might must will would should do does did"
)
_COUNTED = re.compile(
    r"(?P<count>\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2})\b)\s+"
    r"(?P<noun>(?:[a-z-]+\s+){0,2}?(?:[a-z-]+s|people|criteria|phenomena|data))\b"
)
_THERE_ARE = re.compile(
    r"^there\s+(?:are|were)\s+(?P<what>.+?)\s+(?:of|in|for)\s+(?P<whole>.+)$", re.IGNORECASE
)
_CLAUSE_BREAK = re.compile(r",\s+(?:while|whereas|but)\s+|;\s+", re.IGNORECASE)
_MAX_ITEM_WORDS = 6


def list_cards(analysis: Analysis) -> list[CardDraft]:
    cards: list[CardDraft] = []
    units = analysis.units
    for index, unit in enumerate(units):
        if unit.kind == HEADING or analysis.is_filler(unit):
            continue
        sentence = analysis.unit_text(unit)
        if unit.kind != ITEM and sentence.rstrip().endswith(":"):
            card = _bulleted(analysis, unit, _following_items(units, index))
        else:
            card = _inline(analysis, unit, sentence)
        if card is not None:
            cards.append(card)
    for index, unit in enumerate(units):
        if unit.kind == HEADING and not is_generic(analysis.unit_text(unit)):
            card = _under_heading(analysis, unit, _following_items(units, index))
            if card is not None:
                cards.append(card)
    return cards


def _following_items(units: list[Unit], index: int) -> list[Unit]:
    items: list[Unit] = []
    for unit in units[index + 1 :]:
        if unit.kind != ITEM:
            break
        items.append(unit)
    return items


def _bulleted(analysis: Analysis, intro: Unit, items: list[Unit]) -> CardDraft | None:
    texts = [display(analysis.unit_text(item)).rstrip(".;,") for item in items]
    if len(texts) < 2 or any(len(t.split()) > _MAX_ITEM_WORDS + 2 for t in texts):
        return None
    front = _question(analysis, analysis.unit_text(intro).rstrip().rstrip(":"), len(texts))
    if front is None:
        return None
    separator = "; " if any("," in t for t in texts) else ", "
    span = make_span(analysis.text, intro.start, items[-1].end)
    return CardDraft("list", front, separator.join(texts), span)


def _under_heading(analysis: Analysis, heading: Unit, items: list[Unit]) -> CardDraft | None:
    texts = [display(analysis.unit_text(item)).rstrip(".;,") for item in items]
    if len(texts) < 2 or any(len(t.split()) > _MAX_ITEM_WORDS for t in texts):
        return None
    title = display(analysis.unit_text(heading)).rstrip(":")
    first = title.split(" ", 1)[0]
    if not first[:1].isupper() or first.isupper():
        return None
    name = NUMBER_NAMES.get(len(texts), str(len(texts)))
    front = f"What are the {name} {first.lower()}{title[len(first) :]}?"
    span = make_span(analysis.text, items[0].start, items[-1].end)
    return CardDraft("list", front, ", ".join(texts), span)


def _inline(analysis: Analysis, unit: Unit, sentence: str) -> CardDraft | None:
    colon = sentence.find(": ")
    if colon > 0:
        parsed = _items(sentence, colon + 2, require_conjunction=False)
        if parsed is not None:
            intro = sentence[:colon]
            front = _question(analysis, intro, len(parsed))
            return _card(analysis, unit, front, sentence, parsed)
    for trigger in _TRIGGER.finditer(sentence):
        parsed = _items(sentence, trigger.end(), require_conjunction=True)
        if parsed is None:
            continue
        lead = sentence[: trigger.end()].rstrip()
        clause = _CLAUSE_BREAK.split(lead)[-1]
        lead = capitalized(clause) if len(words(clause)) >= 3 else lead
        if words(lead)[0].text.lower() in PRONOUNS:
            return None
        name = NUMBER_NAMES.get(len(parsed), str(len(parsed)))
        return _card(analysis, unit, f"{display(lead)} which {name}?", sentence, parsed)
    return None


def _card(
    analysis: Analysis,
    unit: Unit,
    front: str | None,
    sentence: str,
    parsed: list[tuple[int, int]],
) -> CardDraft | None:
    if front is None:
        return None
    back = display(sentence[parsed[0][0] : parsed[-1][1]])
    return CardDraft("list", front, back, make_span(analysis.text, unit.start, unit.end))


def _question(analysis: Analysis, intro: str, count: int) -> str | None:
    """A question for an enumeration of `count` items introduced by `intro`."""
    intro = display(intro)
    counted = list(_COUNTED.finditer(intro))
    name = NUMBER_NAMES.get(count, str(count))
    if counted:
        match = counted[-1]
        if number_value(match.group("count")) != count:
            return None
        what = f"{name} {match.group('noun')}"
        there = _THERE_ARE.match(intro)
        if there:
            return f"What are the {what} of {there.group('whole')}?"
        subject = analysis.subject_in(intro)
        if subject is not None:
            owner = (
                subject[0].lower() + subject[1:]
                if subject[:1].isupper()
                and (
                    subject.split()[0].lower() in ("the", "a", "an")
                    or subject.split()[0].lower() in analysis.lowercase_words
                )
                else subject
            )
            return f"What are the {what} of {owner}?"
        return f"{capitalized(intro)}: which {name}?"
    if words(intro) and words(intro)[0].text.lower() in PRONOUNS:
        return None
    return f"{capitalized(intro)}: which {name}?"


def _items(sentence: str, start: int, *, require_conjunction: bool) -> list[tuple[int, int]] | None:
    """Offsets of the items of "a, b, and c" from `start`, or None when it is no short list."""
    end = len(sentence.rstrip().rstrip(".!?"))
    separator = ";" if ";" in sentence[start:end] else ","
    items: list[tuple[int, int]] = []
    position = start
    finished = False
    while position < end and not finished:
        stop = sentence.find(separator, position, end)
        stop = end if stop < 0 else stop
        piece_start, piece_end = position, stop
        for conjunction in (" and ", " or "):
            found = sentence.find(conjunction, piece_start, piece_end)
            lead = sentence[piece_start:piece_end].lstrip()
            if lead.startswith(conjunction.strip() + " "):
                piece_start += len(sentence[piece_start:piece_end]) - len(lead)
                piece_start += len(conjunction) - 1
                finished = True
                break
            if found >= 0:
                items.append((piece_start, found))
                piece_start = found + len(conjunction)
                finished = True
                break
        items.append((piece_start, piece_end))
        position = stop + 1
    if require_conjunction and not finished:
        return None
    trimmed = [_trim(sentence, s, e) for s, e in items]
    if len(trimmed) < 2 or any(not _good_item(sentence[s:e]) for s, e in trimmed):
        return None
    return trimmed


def _trim(sentence: str, start: int, end: int) -> tuple[int, int]:
    while start < end and sentence[start].isspace():
        start += 1
    while end > start and sentence[end - 1] in " \t\n":
        end -= 1
    return start, end


def _good_item(item: str) -> bool:
    found = words(item)
    if not found or len(found) > _MAX_ITEM_WORDS or any(c in item for c in '()"\u201c'):
        return False
    return not any(w.text.lower() in _CLAUSE_WORDS for w in found)
