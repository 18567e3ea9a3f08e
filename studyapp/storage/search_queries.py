"""The browser's searches: a parsed query compiled into SQL over cards and notes, sorted in SQL.

Everything here is portable SQL (SQLite and PostgreSQL); where the two differ (case-insensitive
LIKE) the compiler asks the session's dialect.  The study day comes from the caller
(`SearchMoment`): this module never reads a clock.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    Select,
    and_,
    case,
    cast,
    exists,
    false,
    func,
    literal,
    not_,
    or_,
    select,
    true,
    type_coerce,
)
from sqlalchemy import Text as TextType
from sqlalchemy.orm import Session

from studyapp.domain.browser_columns import BrowserMode, Column
from studyapp.domain.cards import Card, CardState, Note, NoteType
from studyapp.domain.decks import DECK_SEPARATOR
from studyapp.domain.search import (
    INTEGER_PROPERTIES,
    AddedWithin,
    And,
    Comparison,
    DeckIs,
    Everything,
    FieldIs,
    FlagIs,
    Node,
    Not,
    NoteTypeIs,
    Or,
    Pattern,
    Property,
    PropertyIs,
    RatedWithin,
    StateIs,
    StateKind,
    TagIs,
    Text,
    Wildcard,
)
from studyapp.storage.rows import card_value, is_sqlite, note_type_value, note_value
from studyapp.storage.schema import CardRow, DeckRow, NoteRow, NoteTypeRow, PresetRow, ReviewRow
from studyapp.storage.search_moment import SearchMoment

_LISTED = 500
"""Values per `IN (...)` list."""
_NEW_DUE_BASE = 10**11
"""Sorting by due puts new cards (due is a queue position) after every dated card."""


def _json_text_like(pattern: Pattern) -> str:
    """A LIKE pattern that every notes.fields JSON text matches if one of its fields contains
    `pattern`: literal characters as JSON writes them, anything JSON may escape as a wildcard."""
    out = ["%"]
    for piece in pattern.pieces:
        if isinstance(piece, Wildcard):
            out.append("%")
            continue
        for char in piece:
            if char in "%_":
                out.append("\\" + char)
            elif char in '"\\':
                out.append("\\\\" + ("\\\\" if char == "\\" else '"'))
            elif " " <= char <= "~":
                out.append(char)
            else:
                out.append("%")
    out.append("%")
    return "".join(out)


class _Compiler:
    def __init__(self, session: Session, moment: SearchMoment) -> None:
        self._session = session
        self._moment = moment
        self._sqlite = is_sqlite(session)
        self._note_types: list[NoteType] | None = None

    def note_types(self) -> list[NoteType]:
        if self._note_types is None:
            rows = self._session.scalars(select(NoteTypeRow).order_by(NoteTypeRow.id))
            self._note_types = [note_type_value(row) for row in rows]
        return self._note_types

    def like(self, expression: Any, pattern: str) -> ColumnElement[bool]:
        """Case-insensitive LIKE with backslash escapes (SQLite's LIKE ignores ASCII case)."""
        if self._sqlite:
            return expression.like(pattern, escape="\\")  # type: ignore[no-any-return]
        return expression.ilike(pattern, escape="\\")  # type: ignore[no-any-return]

    def compile(self, node: Node) -> ColumnElement[bool]:
        match node:
            case Everything():
                return true()
            case And(nodes):
                return and_(*(self.compile(n) for n in nodes))
            case Or(nodes):
                return or_(*(self.compile(n) for n in nodes))
            case Not(inner):
                return not_(self.compile(inner))
            case Text(pattern):
                return self._text(pattern)
            case FieldIs(name, pattern):
                return self._field(name, pattern)
            case DeckIs(pattern):
                return self._deck(pattern)
            case TagIs(pattern):
                return self._tag(pattern)
            case NoteTypeIs(pattern):
                ids = [t.id for t in self.note_types() if pattern.matches(t.name)]
                return NoteRow.note_type_id.in_(ids) if ids else false()
            case StateIs(state):
                return self._state(state)
            case FlagIs(flag):
                return CardRow.flag == flag
            case AddedWithin(days):
                since = self._moment.day_start(self._moment.today - days + 1)
                return NoteRow.created_at >= since
            case RatedWithin(days, rating):
                return self._rated(days, rating)
            case PropertyIs():
                return self._property(node)
        raise AssertionError(node)  # pragma: no cover - every node kind is handled above

    def _text(self, pattern: Pattern) -> ColumnElement[bool]:
        contains = Pattern((Wildcard.ANY, *pattern.pieces, Wildcard.ANY)).like()
        width = max((len(t.fields) for t in self.note_types()), default=0)
        exact = or_(*(self.like(NoteRow.fields[i].as_string(), contains) for i in range(width)))
        # The JSON text first: a cheap test that rules out most notes before any field is read.
        # SQLite stores JSON as text already, and a CAST there costs a copy of every note.
        raw = (
            type_coerce(NoteRow.fields, TextType)
            if self._sqlite
            else cast(NoteRow.fields, TextType)
        )
        return and_(self.like(raw, _json_text_like(pattern)), exact)

    def _field(self, name: str, pattern: Pattern) -> ColumnElement[bool]:
        wanted = name.casefold()
        conditions = [
            and_(
                NoteRow.note_type_id == note_type.id,
                self.like(NoteRow.fields[index].as_string(), pattern.like()),
            )
            for note_type in self.note_types()
            for index, field in enumerate(note_type.fields)
            if field.casefold() == wanted
        ]
        return or_(*conditions) if conditions else false()

    def _deck(self, pattern: Pattern) -> ColumnElement[bool]:
        decks = self._session.execute(select(DeckRow.name, DeckRow.id, DeckRow.filter_query))
        names: dict[str, int] = {}
        filtered = False
        for name, deck_id, query in decks:
            names[name] = deck_id
            filtered = filtered or query is not None
        chosen = [name for name in names if pattern.matches(name)]
        ids = [
            deck_id
            for name, deck_id in names.items()
            if any(name == c or name.startswith(c + DECK_SEPARATOR) for c in chosen)
        ]
        if not ids:
            return false()
        if not filtered:  # no card has a home deck elsewhere
            return CardRow.deck_id.in_(ids)
        return or_(CardRow.deck_id.in_(ids), CardRow.home_deck_id.in_(ids))

    def _tag(self, pattern: Pattern) -> ColumnElement[bool]:
        if (pattern.plain or "").casefold() == "none":
            return NoteRow.tags == ""
        body = pattern.like()
        # One LIKE that both forms imply first: most notes fail it, and are not tested twice.
        broad = and_(
            self.like(NoteRow.tags, f"% {body}%"),
            or_(self.like(NoteRow.tags, f"% {body} %"), self.like(NoteRow.tags, f"% {body}::%")),
        )
        pieces = pattern.pieces
        if Wildcard.ONE not in pieces and Wildcard.ANY not in pieces[:-1]:
            return broad  # nothing but a trailing * : LIKE cannot match across two tags
        # A wildcard stands for characters of one tag only, never the space between two tags.
        exact = NoteRow.tags.regexp_match(f" {pattern.regex('[^ ]')}(::[^ ]*)? ", flags="i")
        return and_(broad, exact)

    def _state(self, state: StateKind) -> ColumnElement[bool]:
        learning = CardRow.state.in_([int(CardState.LEARNING), int(CardState.RELEARNING)])
        match state:
            case StateKind.NEW:
                return CardRow.state == int(CardState.NEW)
            case StateKind.LEARN:
                return learning
            case StateKind.REVIEW:
                return CardRow.state.in_([int(CardState.REVIEW), int(CardState.RELEARNING)])
            case StateKind.SUSPENDED:
                return CardRow.suspended.is_(True)
            case StateKind.BURIED:
                return CardRow.buried != 0
            case StateKind.DUE:
                return and_(
                    CardRow.suspended.is_(False),
                    CardRow.buried == 0,
                    or_(
                        and_(
                            CardRow.state == int(CardState.REVIEW),
                            CardRow.due <= self._moment.today,
                        ),
                        and_(learning, CardRow.due <= self._moment.learn_cutoff),
                    ),
                )

    def _rated(self, days: int, rating: int | None) -> ColumnElement[bool]:
        since = self._moment.day_start(self._moment.today - days + 1) * 1000
        graded = ReviewRow.rating.is_not(None) if rating is None else ReviewRow.rating == rating
        return exists().where(
            ReviewRow.card_id == CardRow.id, ReviewRow.reviewed_at >= since, graded
        )

    def _property(self, node: PropertyIs) -> ColumnElement[bool]:
        expression = self.property_expression(node.property)
        value: float = node.value
        half = 0.5 * 10.0 ** (-node.decimals)
        if node.property is Property.DIFFICULTY:
            # Written on Anki's 0-1 scale, stored as FSRS difficulty 1-10: d = (D - 1) / 9.
            value, half = value * 9 + 1, half * 9
        if node.property in INTEGER_PROPERTIES:
            value = int(node.value)
        elif node.comparison in (Comparison.EQUAL, Comparison.NOT_EQUAL):
            within = and_(expression >= value - half, expression < value + half)
            if node.comparison is Comparison.EQUAL:
                return within
            return and_(expression.is_not(None), not_(within))
        match node.comparison:
            case Comparison.LESS:
                return expression < value  # type: ignore[no-any-return]
            case Comparison.LESS_EQUAL:
                return expression <= value  # type: ignore[no-any-return]
            case Comparison.EQUAL:
                return expression == value  # type: ignore[no-any-return]
            case Comparison.NOT_EQUAL:
                return expression != value  # type: ignore[no-any-return]
            case Comparison.GREATER_EQUAL:
                return expression >= value  # type: ignore[no-any-return]
            case Comparison.GREATER:
                return expression > value  # type: ignore[no-any-return]

    def property_expression(self, prop: Property) -> Any:
        match prop:
            case Property.INTERVAL:
                return CardRow.interval
            case Property.DUE:
                # Days from today, for review cards (as Anki's prop:due).
                review = CardRow.state == int(CardState.REVIEW)
                return case((review, CardRow.due - self._moment.today), else_=None)
            case Property.REPS:
                return CardRow.reps
            case Property.LAPSES:
                return CardRow.lapses
            case Property.STABILITY:
                return CardRow.stability
            case Property.DIFFICULTY:
                return CardRow.difficulty
            case Property.RETRIEVABILITY:
                return self.retrievability()

    def retrievability(self) -> Any:
        """R = (1 + F·t/S)^(-w20) with w20 from each card's deck's preset; NULL for new cards."""
        query = select(DeckRow.id, PresetRow.parameters).join(
            PresetRow, PresetRow.id == DeckRow.preset_id
        )
        decks_by_decay: dict[float, list[int]] = {}
        for deck_id, parameters in self._session.execute(query):
            decks_by_decay.setdefault(float(parameters[20]), []).append(deck_id)
        today = self._moment.today
        elapsed = case((CardRow.last_review_day > today, 0), else_=today - CardRow.last_review_day)
        decays = list(decks_by_decay) or [0.5]

        def constant(value: Callable[[float], float]) -> Any:
            if len(decays) == 1:
                return literal(value(decays[0]), Float)
            return case(
                *(
                    (CardRow.deck_id.in_(decks_by_decay[decay]), literal(value(decay), Float))
                    for decay in decays
                ),
            )

        factor = constant(lambda w20: 0.9 ** (-1 / w20) - 1)
        exponent = constant(lambda w20: -w20)
        return func.power(1.0 + factor * elapsed / CardRow.stability, exponent)

    def due_key(self) -> Any:
        """Due in seconds for every kind of card: review days from their start, learning
        moments as they are, new cards after all of them in queue order."""
        today = self._moment.today
        today_start = self._moment.day_start(today)
        return case(
            (CardRow.state == int(CardState.NEW), _NEW_DUE_BASE + CardRow.due),
            (
                CardRow.state == int(CardState.REVIEW),
                today_start + (CardRow.due - today) * 86400,
            ),
            else_=CardRow.due,
        )

    def sort_field(self) -> Any:
        by_index: dict[int, list[int]] = {}
        for note_type in self.note_types():
            by_index.setdefault(note_type.sort_field, []).append(note_type.id)
        if len(by_index) <= 1:
            index = next(iter(by_index), 0)
            return func.lower(NoteRow.fields[index].as_string())
        return func.lower(
            case(
                *(
                    (NoteRow.note_type_id.in_(ids), NoteRow.fields[index].as_string())
                    for index, ids in by_index.items()
                )
            )
        )


_NOTE_LEVEL = frozenset(
    {
        Column.SORT_FIELD,
        Column.NOTE_TYPE,
        Column.TAGS,
        Column.CREATED,
        Column.MODIFIED,
        Column.SOURCE,
        Column.QUESTION,
    }
)


class SearchQueries:
    """Searches and the values of the browser's rows."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def ids(
        self,
        node: Node,
        moment: SearchMoment,
        mode: BrowserMode,
        sort: Column,
        descending: bool,
        limit: int | None = None,
    ) -> list[int]:
        """The ids of the matching cards (or of their notes), sorted by `sort`, then by id;
        only the first `limit` of them when a limit is given (sorted in SQL all the same)."""
        compiler = _Compiler(self._session, moment)
        key = self._sort_key(compiler, sort)
        query: Select[Any] = select(CardRow.id if mode is BrowserMode.CARDS else CardRow.note_id)
        if _reads_notes(node) or sort in _NOTE_LEVEL:
            query = query.join(NoteRow, NoteRow.id == CardRow.note_id)
        if sort is Column.DECK:
            query = query.join(DeckRow, DeckRow.id == CardRow.deck_id)
        elif sort is Column.NOTE_TYPE:
            query = query.join(NoteTypeRow, NoteTypeRow.id == NoteRow.note_type_id)
        query = query.where(compiler.compile(node))
        if mode is BrowserMode.NOTES:
            query = query.group_by(CardRow.note_id)
            tie = CardRow.note_id
            key = _aggregate(sort, key)
        else:
            tie = CardRow.id
        order = key.desc() if descending else key.asc()
        query = query.order_by(order.nulls_last(), tie.desc() if descending else tie)
        if limit is not None:
            query = query.limit(limit)
        return list(self._session.connection().execute(query).scalars())

    def _sort_key(self, compiler: _Compiler, sort: Column) -> Any:
        match sort:
            case Column.SORT_FIELD | Column.QUESTION:
                return compiler.sort_field()
            case Column.DECK:
                return func.lower(DeckRow.name)
            case Column.NOTE_TYPE:
                return func.lower(NoteTypeRow.name)
            case Column.TAGS:
                return func.lower(NoteRow.tags)
            case Column.DUE:
                return compiler.due_key()
            case Column.INTERVAL:
                return CardRow.interval
            case Column.STABILITY:
                return CardRow.stability
            case Column.DIFFICULTY:
                return CardRow.difficulty
            case Column.RETRIEVABILITY:
                return compiler.retrievability()
            case Column.REVIEWS:
                return CardRow.reps
            case Column.LAPSES:
                return CardRow.lapses
            case Column.CREATED:
                return NoteRow.created_at
            case Column.MODIFIED:
                return NoteRow.modified_at
            case Column.SOURCE:
                return func.lower(NoteRow.source)

    def cards_with_notes(self, card_ids: Sequence[int]) -> list[tuple[Card, Note]]:
        """Each card with its note, in the order of `card_ids` (ids that are gone are left out)."""
        found: dict[int, tuple[Card, Note]] = {}
        for start in range(0, len(card_ids), _LISTED):
            chunk = card_ids[start : start + _LISTED]
            query = (
                select(CardRow, NoteRow)
                .join(NoteRow, NoteRow.id == CardRow.note_id)
                .where(CardRow.id.in_(chunk))
            )
            for card, note in self._session.execute(query):
                found[card.id] = (card_value(card), note_value(note))
        return [found[i] for i in card_ids if i in found]

    def notes_with_cards(self, note_ids: Sequence[int]) -> list[tuple[Note, list[Card]]]:
        """Each note with its cards by ordinal, in the order of `note_ids`."""
        notes: dict[int, Note] = {}
        cards: dict[int, list[Card]] = {}
        for start in range(0, len(note_ids), _LISTED):
            chunk = note_ids[start : start + _LISTED]
            for row in self._session.scalars(select(NoteRow).where(NoteRow.id.in_(chunk))):
                notes[row.id] = note_value(row)
            query = select(CardRow).where(CardRow.note_id.in_(chunk)).order_by(CardRow.ordinal)
            for card_row in self._session.scalars(query):
                cards.setdefault(card_row.note_id, []).append(card_value(card_row))
        return [(notes[i], cards.get(i, [])) for i in note_ids if i in notes]

    def all_tags(self) -> list[str]:
        """Every tag in use, once each, sorted case-insensitively."""
        found: dict[str, str] = {}
        query = select(NoteRow.tags).where(NoteRow.tags != "").distinct()
        for text in self._session.connection().execute(query).scalars():
            for tag in text.split():
                found.setdefault(tag.casefold(), tag)
        return sorted(found.values(), key=str.casefold)


def _reads_notes(node: Node) -> bool:
    """Whether the condition reads the notes table (else the search needs no join)."""
    match node:
        case And(nodes) | Or(nodes):
            return any(_reads_notes(n) for n in nodes)
        case Not(inner):
            return _reads_notes(inner)
        case Text() | FieldIs() | TagIs() | NoteTypeIs() | AddedWithin():
            return True
    return False


def _aggregate(sort: Column, key: Any) -> Any:
    if sort in _NOTE_LEVEL or sort in (Column.DECK, Column.DUE):
        return func.min(key)
    if sort in (Column.REVIEWS, Column.LAPSES):
        return func.sum(key)
    return func.avg(key)
