"""The browser's search language, a subset of Anki's, parsed into a typed tree.

    dog                 a word: any field contains it (case-insensitive)
    "a dog"             a phrase: the same, spaces included
    d*g  d_g            `*` any run of characters, `_` exactly one; `\\*` `\\_` `\\"` `\\\\` literal
    -dog                negation; `a b` both, `a OR b` either, parentheses group
    front:dog           a field is exactly "dog" (wildcards allowed: front:*dog*)
    deck:Biology        a deck and its subdecks: deck:"A B", deck:Parent::Child, deck:Bio*
    tag:anatomy         a tag and the tags below it (anatomy::heart); wildcards allowed
    note:Basic          a note type
    is:new is:learn is:review is:due is:suspended is:buried   (see "Card states" below)
    flag:1              a flag, 0 (none) to 7
    added:7             notes added in the last 7 study days (today counts as one)
    rated:7  rated:7:1  answered in the last 7 study days, optionally with that rating (1-4);
                        manual rows (reset, set due date) have no rating and never match
    prop:ivl>=10        interval, due (days from today), reps, lapses, s (stability),
                        d (difficulty) and r (retrievability); < <= = >= > !=
                        d and r are written from 0 to 1, as in Anki: prop:d>0.9 is difficulty
                        above 90%, FSRS difficulty D above 9.1, since d = (D - 1) / 9

Card states follow Anki, which reads a card's type here, not its queue, so suspended and buried
cards match the state they are in:
    is:new              new cards
    is:learn            cards in learning or relearning (a lapsed review card is both
                        is:learn and is:review, as in Anki)
    is:review           review cards, relearning ones included
    is:due              review cards due today or earlier and learning cards due now (learn-ahead
                        included), neither suspended nor buried (Anki reads the queue here)
    is:suspended        suspended cards, whatever their state
    is:buried           cards buried by hand or by sibling burying

A query that cannot be read raises SearchError with the 0-based position of the problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum, StrEnum

from studyapp.errors import SearchError


class Wildcard(Enum):
    ANY = "*"
    ONE = "_"


Piece = str | Wildcard


@dataclass(frozen=True, slots=True)
class Pattern:
    """Text with wildcards, matched case-insensitively: literal runs and `Wildcard`s."""

    pieces: tuple[Piece, ...]

    @classmethod
    def literal(cls, text: str) -> Pattern:
        return cls((text,) if text else ())

    @property
    def plain(self) -> str | None:
        """The text when there is no wildcard, else None."""
        if any(isinstance(piece, Wildcard) for piece in self.pieces):
            return None
        return "".join(p for p in self.pieces if isinstance(p, str))

    @property
    def text(self) -> str:
        """As the user would write it (wildcards unescaped)."""
        return "".join(p.value if isinstance(p, Wildcard) else p for p in self.pieces)

    def like(self, escape: str = "\\") -> str:
        """A LIKE pattern for the whole value, with `escape` escaping literal % and _."""
        specials = (escape, "%", "_")
        out = []
        for piece in self.pieces:
            if piece is Wildcard.ANY:
                out.append("%")
            elif piece is Wildcard.ONE:
                out.append("_")
            else:
                out.extend(escape + c if c in specials else c for c in str(piece))
        return "".join(out)

    def regex(self, any_char: str = ".") -> str:
        """A regular expression for the whole value (no anchors); `any_char` is what a
        wildcard may stand for."""
        out = []
        for piece in self.pieces:
            if piece is Wildcard.ANY:
                out.append(f"{any_char}*")
            elif piece is Wildcard.ONE:
                out.append(any_char)
            else:
                out.append(re.escape(str(piece)))
        return "".join(out)

    def matches(self, value: str) -> bool:
        """Whether `value` as a whole matches, ignoring case."""
        return re.fullmatch(self.regex(), value, re.IGNORECASE | re.DOTALL) is not None


class StateKind(StrEnum):
    NEW = "new"
    LEARN = "learn"
    REVIEW = "review"
    DUE = "due"
    SUSPENDED = "suspended"
    BURIED = "buried"


class Property(StrEnum):
    INTERVAL = "ivl"
    DUE = "due"
    REPS = "reps"
    LAPSES = "lapses"
    STABILITY = "s"
    DIFFICULTY = "d"
    RETRIEVABILITY = "r"


class Comparison(StrEnum):
    LESS = "<"
    LESS_EQUAL = "<="
    EQUAL = "="
    NOT_EQUAL = "!="
    GREATER_EQUAL = ">="
    GREATER = ">"


INTEGER_PROPERTIES = frozenset({Property.INTERVAL, Property.DUE, Property.REPS, Property.LAPSES})
FRACTION_PROPERTIES = frozenset({Property.DIFFICULTY, Property.RETRIEVABILITY})
"""Written from 0 to 1, as in Anki."""


@dataclass(frozen=True, slots=True)
class Everything:
    """The empty query: every card."""


@dataclass(frozen=True, slots=True)
class Text:
    """Any field contains the pattern."""

    pattern: Pattern


@dataclass(frozen=True, slots=True)
class FieldIs:
    """The field called `field` (in any note type that has one) matches the pattern as a whole."""

    field: str
    pattern: Pattern


@dataclass(frozen=True, slots=True)
class DeckIs:
    """The deck, or one of its parents, matches the pattern."""

    pattern: Pattern


@dataclass(frozen=True, slots=True)
class TagIs:
    """A tag, or one of its parents, matches the pattern."""

    pattern: Pattern


@dataclass(frozen=True, slots=True)
class NoteTypeIs:
    pattern: Pattern


@dataclass(frozen=True, slots=True)
class StateIs:
    state: StateKind


@dataclass(frozen=True, slots=True)
class FlagIs:
    flag: int


@dataclass(frozen=True, slots=True)
class AddedWithin:
    days: int


@dataclass(frozen=True, slots=True)
class RatedWithin:
    days: int
    rating: int | None


@dataclass(frozen=True, slots=True)
class PropertyIs:
    property: Property
    comparison: Comparison
    value: float
    decimals: int
    """Digits after the decimal point as written: `prop:r=0.9` means r rounds to 0.9."""


@dataclass(frozen=True, slots=True)
class Not:
    node: Node


@dataclass(frozen=True, slots=True)
class And:
    nodes: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    nodes: tuple[Node, ...]


Node = (
    Everything
    | Text
    | FieldIs
    | DeckIs
    | TagIs
    | NoteTypeIs
    | StateIs
    | FlagIs
    | AddedWithin
    | RatedWithin
    | PropertyIs
    | Not
    | And
    | Or
)

FLAG_COUNT = 7
MAX_DAYS = 36500


@dataclass(frozen=True, slots=True)
class _Char:
    char: str
    position: int
    escaped: bool


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str
    """"(", ")", "-", "or", "and" or "term"."""
    position: int
    chars: tuple[_Char, ...] = ()


_ENDS_TERM = frozenset(" \t\r\n()")


def _tokens(query: str) -> list[_Token]:
    tokens: list[_Token] = []
    i = 0
    while i < len(query):
        c = query[i]
        if c.isspace():
            i += 1
        elif c in "()":
            tokens.append(_Token(c, i))
            i += 1
        elif c == "-":
            if i + 1 >= len(query) or query[i + 1].isspace() or query[i + 1] == ")":
                raise SearchError("“-” needs something after it to leave out", i)
            tokens.append(_Token("-", i))
            i += 1
        else:
            start = i
            chars, i = _term(query, i)
            word = "".join(ch.char for ch in chars).lower()
            bare = not any(ch.escaped for ch in chars) and query[start] != '"'
            kind = word if bare and word in ("or", "and") else "term"
            tokens.append(_Token(kind, start, tuple(chars)))
    return tokens


def _term(query: str, i: int) -> tuple[list[_Char], int]:
    """The characters of one term starting at `i` (quotes removed), and where it ends."""
    chars: list[_Char] = []
    quote_at: int | None = None
    while i < len(query):
        c = query[i]
        if c == "\\" and i + 1 < len(query):
            chars.append(_Char(query[i + 1], i + 1, True))
            i += 2
            continue
        if c == '"':
            quote_at = i if quote_at is None else None
            i += 1
            continue
        if quote_at is None and c in _ENDS_TERM:
            break
        chars.append(_Char(c, i, False))
        i += 1
    if quote_at is not None:
        raise SearchError("This quote is never closed", quote_at)
    return chars, i


class _Parser:
    def __init__(self, query: str) -> None:
        self._query = query
        self._tokens = _tokens(query)
        self._at = 0

    def _peek(self) -> _Token | None:
        return self._tokens[self._at] if self._at < len(self._tokens) else None

    def parse(self) -> Node:
        if not self._tokens:
            return Everything()
        node = self._or()
        token = self._peek()
        if token is not None:
            assert token.kind == ")"
            raise SearchError("This “)” has no “(” to close", token.position)
        return node

    def _or(self) -> Node:
        nodes = [self._and()]
        while (token := self._peek()) is not None and token.kind == "or":
            self._at += 1
            nodes.append(self._and(after=token))
        return nodes[0] if len(nodes) == 1 else Or(tuple(nodes))

    def _and(self, after: _Token | None = None) -> Node:
        nodes = [self._unary(after)]
        while (token := self._peek()) is not None and token.kind not in (")", "or"):
            if token.kind == "and":
                self._at += 1
                nodes.append(self._unary(token))
            else:
                nodes.append(self._unary(None))
        return nodes[0] if len(nodes) == 1 else And(tuple(nodes))

    def _unary(self, after: _Token | None) -> Node:
        token = self._peek()
        if token is None or token.kind in (")", "or", "and"):
            if after is not None:
                word = after.kind.upper()
                raise SearchError(f"{word} needs a search term after it", after.position)
            if token is None:
                raise SearchError("A search term is missing here", len(self._query))
            if token.kind == ")":
                raise SearchError("Nothing to search for between these parentheses", token.position)
            raise SearchError(f"{token.kind.upper()} needs a search term before it", token.position)
        self._at += 1
        if token.kind == "-":
            return Not(self._unary(None))
        if token.kind == "(":
            inner = self._or()
            closing = self._peek()
            if closing is None:
                raise SearchError("This “(” is never closed", token.position)
            self._at += 1
            return inner
        return _term_node(token)


def parse_search(query: str) -> Node:
    """The query as a tree; raises SearchError for a query that cannot be read."""
    return _Parser(query).parse()


def _pattern(chars: tuple[_Char, ...] | list[_Char]) -> Pattern:
    pieces: list[Piece] = []
    run: list[str] = []
    for ch in chars:
        if not ch.escaped and ch.char in "*_":
            if run:
                pieces.append("".join(run))
                run = []
            wildcard = Wildcard.ANY if ch.char == "*" else Wildcard.ONE
            if not (wildcard is Wildcard.ANY and pieces and pieces[-1] is Wildcard.ANY):
                pieces.append(wildcard)
        else:
            run.append(ch.char)
    if run:
        pieces.append("".join(run))
    return Pattern(tuple(pieces))


def _text(chars: tuple[_Char, ...] | list[_Char]) -> str:
    return "".join(ch.char for ch in chars)


def _term_node(token: _Token) -> Node:
    chars = token.chars
    colon = next((i for i, ch in enumerate(chars) if ch.char == ":" and not ch.escaped), None)
    if colon is None:
        if not chars:
            raise SearchError("An empty phrase matches nothing", token.position)
        return Text(_pattern(chars))
    key = _text(chars[:colon]).lower()
    value = chars[colon + 1 :]
    value_at = chars[colon].position + 1
    if not key:
        raise SearchError("A field name is missing before “:”", token.position)
    if key == "is":
        return _state(value, value_at)
    if key == "flag":
        return FlagIs(_whole_number(value, value_at, "flag:", 0, FLAG_COUNT))
    if key == "added":
        return AddedWithin(_whole_number(value, value_at, "added:", 1, MAX_DAYS))
    if key == "rated":
        return _rated(value, value_at)
    if key == "prop":
        return _property(value, value_at)
    if not value:
        raise SearchError(f"“{key}:” needs something to search for after it", value_at)
    if key == "deck":
        return DeckIs(_pattern(value))
    if key == "tag":
        return TagIs(_pattern(value))
    if key == "note":
        return NoteTypeIs(_pattern(value))
    return FieldIs(_text(chars[:colon]), _pattern(value))


def _state(value: tuple[_Char, ...], at: int) -> StateIs:
    word = _text(value).lower()
    try:
        return StateIs(StateKind(word))
    except ValueError:
        known = ", ".join(kind.value for kind in StateKind)
        shown = f"“is:{word}”" if word else "“is:”"
        raise SearchError(f"{shown} is not a card state; use one of {known}", at) from None


def _whole_number(
    value: tuple[_Char, ...] | list[_Char], at: int, key: str, low: int, high: int
) -> int:
    text = _text(value)
    if not text.isdigit() or not low <= int(text) <= high:
        raise SearchError(f"“{key}” needs a whole number from {low} to {high}", at)
    return int(text)


def _rated(value: tuple[_Char, ...], at: int) -> RatedWithin:
    split = next((i for i, ch in enumerate(value) if ch.char == ":"), None)
    if split is None:
        return RatedWithin(_whole_number(value, at, "rated:", 1, MAX_DAYS), None)
    days = _whole_number(value[:split], at, "rated:", 1, MAX_DAYS)
    rating_at = value[split].position + 1
    rating = _whole_number(value[split + 1 :], rating_at, "rated:DAYS:", 1, 4)
    return RatedWithin(days, rating)


_OPERATORS = sorted((c.value for c in Comparison), key=len, reverse=True)
_NUMBER = re.compile(r"-?(\d+)(?:\.(\d+))?|-?\.(\d+)")


def _property(value: tuple[_Char, ...], at: int) -> PropertyIs:
    text = _text(value)
    name_end = 0
    while name_end < len(text) and text[name_end].isalpha():
        name_end += 1
    name = text[:name_end].lower()
    known = ", ".join(p.value for p in Property)
    try:
        prop = Property(name)
    except ValueError:
        shown = f"“prop:{name}”" if name else "“prop:”"
        raise SearchError(f"{shown} is not a property; use one of {known}", at) from None
    rest = text[name_end:]
    operator = next((o for o in _OPERATORS if rest.startswith(o)), None)
    if operator is None:
        raise SearchError(f"“prop:{name}” needs a comparison: <, <=, =, !=, >= or >", at + name_end)
    number_at = at + name_end + len(operator)
    number = rest[len(operator) :]
    match = _NUMBER.fullmatch(number)
    if match is None:
        raise SearchError(f"“prop:{name}{operator}” needs a number", number_at)
    decimals = len(match.group(2) or match.group(3) or "")
    if prop in INTEGER_PROPERTIES and decimals:
        raise SearchError(f"“prop:{name}” needs a whole number", number_at)
    if prop in FRACTION_PROPERTIES and not 0 <= float(number) <= 1:
        raise SearchError(
            f"“prop:{name}” is written from 0 to 1, as in Anki (0.9 for 90%)", number_at
        )
    return PropertyIs(prop, Comparison(operator), float(number), decimals)


def search_term(key: str, value: str) -> str:
    """`key:value` with `value` matched literally: quoted, its wildcards and quotes escaped."""
    escaped = "".join("\\" + c if c in '\\"*_' else c for c in value)
    return f'{key}:"{escaped}"'
