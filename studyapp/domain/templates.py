"""Card rendering from note-type templates.

A template is HTML with `{{...}}` tags:

- `{{Field}}` inserts a field's HTML; `{{filter:Field}}` passes it through a filter first;
  filters chain right to left (`{{text:cloze:Text}}`).  Filters: `cloze`, `text` (HTML
  stripped), `hint` (a "Show hint" link; see `hide_hints`) and `type` (a type-in answer; see
  `type_answer_text` and `domain.typed_answer`), which must come first (`{{type:cloze:Text}}`).
- `{{Tags}}` inserts the note's tags (unless the note type has a field called Tags).
- `{{FrontSide}}` (answer side only) inserts the rendered question.
- `{{#Field}}...{{/Field}}` keeps its body only when the field is non-empty,
  `{{^Field}}...{{/Field}}` only when it is empty.

Cloze deletions live in field text as `{{c1::answer}}` or `{{c1::answer::hint}}`; every distinct
number is one card (ordinal = number - 1), and one number used twice blanks both places on its card.

Mistakes in a template never raise: they render as
`<span class="template-error">...</span>` where they occur (`template_problems` lists them before
a template is saved).  The output is not sanitized; pass it through `domain.sanitize` before
display.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from studyapp.domain.cards import NoteKind, NoteType

FRONT_SIDE = "FrontSide"
TAGS = "Tags"
FILTERS = frozenset({"cloze", "text", "hint", "type"})

HINT_START = '<span class="hint-start"></span>'
HINT_END = '<span class="hint-end"></span>'
"""Around each rendered hint; they survive sanitizing, and `hide_hints` folds what is between."""
_HINT = re.compile(re.escape(HINT_START) + "(.*?)" + re.escape(HINT_END), re.DOTALL)
TYPE_PROMPT = '<div class="type-answer">[…]</div>'
"""Where a type-in answer goes, on the question side."""

_TAG = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
_CLOZE_TOKEN = re.compile(r"\{\{c([1-9][0-9]*)::|\}\}")
_EMPTY_FIELD = re.compile(r"(?:\s|&nbsp;|\u200b|</?(?:br|div|p)\s*/?>)*", re.IGNORECASE)
_HTML_TAG = re.compile(r"<[^>]*>")


# ---------------------------------------------------------------------------------------------
# Template syntax tree


@dataclass(frozen=True, slots=True)
class _Text:
    text: str


@dataclass(frozen=True, slots=True)
class _Replacement:
    field: str
    filters: tuple[str, ...]
    """Outermost first; applied right to left."""
    source: str
    """The tag as written, for error messages."""


@dataclass(frozen=True, slots=True)
class _Section:
    field: str
    inverted: bool
    children: tuple[_Node, ...]


@dataclass(frozen=True, slots=True)
class _Error:
    message: str


_Node = _Text | _Replacement | _Section | _Error


@dataclass(slots=True)
class _OpenSection:
    field: str
    inverted: bool
    children: list[_Node]


@lru_cache(maxsize=256)
def _parse(template: str) -> tuple[_Node, ...]:
    """Tokenize `template` once and build its tree; errors become `_Error` nodes."""
    root: list[_Node] = []
    stack: list[_OpenSection] = []

    def emit(node: _Node) -> None:
        (stack[-1].children if stack else root).append(node)

    position = 0
    for match in _TAG.finditer(template):
        if match.start() > position:
            emit(_Text(template[position : match.start()]))
        position = match.end()
        content = match.group(1).strip()
        sigil, name = content[:1], content[1:].strip()
        if sigil in ("#", "^"):
            stack.append(_OpenSection(name, sigil == "^", []))
        elif sigil == "/":
            if not stack:
                emit(_Error(f"{{{{/{name}}}}} closes a section that was never opened"))
            elif stack[-1].field != name:
                emit(_Error(f"{{{{/{name}}}}} found where {{{{/{stack[-1].field}}}}} was expected"))
            else:
                section = stack.pop()
                emit(_Section(section.field, section.inverted, tuple(section.children)))
        else:
            *filters, field = (part.strip() for part in content.split(":"))
            emit(_Replacement(field, tuple(filters), match.group(0)))
    if position < len(template):
        emit(_Text(template[position:]))
    while stack:
        section = stack.pop()
        sigil = "^" if section.inverted else "#"
        emit(_Error(f"{{{{{sigil}{section.field}}}}} is missing its {{{{/{section.field}}}}}"))
        for child in section.children:
            emit(child)
    return tuple(root)


# ---------------------------------------------------------------------------------------------
# Cloze syntax tree (inside field text)


@dataclass(frozen=True, slots=True)
class _Cloze:
    number: int
    children: tuple[str | _Cloze, ...]
    hint: str | None


@dataclass(slots=True)
class _OpenCloze:
    number: int
    opener: str
    children: list[str | _Cloze]


@lru_cache(maxsize=1024)
def _parse_clozes(text: str) -> tuple[str | _Cloze, ...]:
    """Split field text into plain runs and (possibly nested) cloze deletions."""
    root: list[str | _Cloze] = []
    stack: list[_OpenCloze] = []

    def emit(item: str | _Cloze) -> None:
        (stack[-1].children if stack else root).append(item)

    position = 0
    for match in _CLOZE_TOKEN.finditer(text):
        if match.start() > position:
            emit(text[position : match.start()])
        position = match.end()
        if match.group(1) is not None:
            stack.append(_OpenCloze(int(match.group(1)), match.group(0), []))
        elif stack:
            emit(_close(stack.pop()))
        else:
            emit(match.group(0))
    if position < len(text):
        emit(text[position:])
    while stack:  # an unclosed cloze is plain text
        frame = stack.pop()
        emit(frame.opener)
        for child in frame.children:
            emit(child)
    return tuple(root)


def _close(frame: _OpenCloze) -> _Cloze:
    children = list(frame.children)
    hint: str | None = None
    if children and isinstance(children[-1], str) and "::" in children[-1]:
        text, hint = children[-1].split("::", 1)
        children[-1] = text
    return _Cloze(frame.number, tuple(children), hint)


def _cloze_numbers(items: Sequence[str | _Cloze]) -> set[int]:
    numbers: set[int] = set()
    for item in items:
        if isinstance(item, _Cloze):
            numbers.add(item.number)
            numbers |= _cloze_numbers(item.children)
    return numbers


def _render_clozes(items: Sequence[str | _Cloze], active: int | None, answer: bool) -> str:
    parts: list[str] = []
    for item in items:
        if isinstance(item, str):
            parts.append(item)
        elif item.number != active:
            parts.append(_render_clozes(item.children, active, answer))
        elif answer:
            inner = _render_clozes(item.children, active, answer)
            parts.append(f'<span class="cloze">{inner}</span>')
        else:
            parts.append(f'<span class="cloze">[{item.hint or "..."}]</span>')
    return "".join(parts)


def _cloze_answers(items: Sequence[str | _Cloze], active: int) -> list[str]:
    """The texts of the active cloze deletions, in order (what a type-in cloze expects)."""
    answers: list[str] = []
    for item in items:
        if isinstance(item, _Cloze):
            if item.number == active:
                answers.append(_render_clozes(item.children, None, True))
            else:
                answers.extend(_cloze_answers(item.children, active))
    return answers


# ---------------------------------------------------------------------------------------------
# Rendering


@dataclass(slots=True)
class _Context:
    fields: Mapping[str, str]
    folded: Mapping[str, str]
    tags: Sequence[str]
    cloze_number: int | None
    answer: bool
    front_side: str | None
    inside_front_side: bool = False
    """Rendering the question for `{{FrontSide}}`: the type-in prompt is left out."""
    used_nonempty_field: bool = False

    def lookup(self, name: str) -> str | None:
        if name in self.fields:
            return self.fields[name]
        return self.folded.get(name.casefold())


def _error(message: str) -> str:
    return f'<span class="template-error">{html.escape(message)}</span>'


def field_is_empty(value: str) -> bool:
    """True for a field holding nothing but blanks, line breaks or empty blocks."""
    return _EMPTY_FIELD.fullmatch(value) is not None


def strip_html(value: str) -> str:
    """The text of some HTML: tags removed, entities decoded."""
    return html.unescape(_HTML_TAG.sub("", value))


def _apply_filter(name: str, value: str, context: _Context) -> str | None:
    if name == "cloze":
        items = _parse_clozes(value)
        return _render_clozes(items, context.cloze_number, context.answer)
    if name == "text":
        return strip_html(value)
    if name == "hint":
        if field_is_empty(value):
            return ""
        return f'{HINT_START}<div class="hint">{value}</div>{HINT_END}'
    return None


def _expected_answer(value: str, cloze: bool, context: _Context) -> str:
    if cloze:
        if context.cloze_number is None:
            return ""
        return ", ".join(
            strip_html(a) for a in _cloze_answers(_parse_clozes(value), context.cloze_number)
        )
    return strip_html(value).strip()


def _render_nodes(nodes: Sequence[_Node], context: _Context) -> str:
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, _Text):
            parts.append(node.text)
        elif isinstance(node, _Error):
            parts.append(_error(node.message))
        elif isinstance(node, _Section):
            value = context.lookup(node.field)
            if value is None:
                sigil = "^" if node.inverted else "#"
                parts.append(_error(f"Unknown field '{node.field}' in {{{{{sigil}{node.field}}}}}"))
            elif field_is_empty(value) == node.inverted:
                parts.append(_render_nodes(node.children, context))
        else:
            parts.append(_render_replacement(node, context))
    return "".join(parts)


def _render_replacement(node: _Replacement, context: _Context) -> str:
    if node.field == FRONT_SIDE and not node.filters:
        if context.front_side is None:
            return _error("{{FrontSide}} can only be used on the answer side")
        return context.front_side
    value = context.lookup(node.field)
    if value is None and node.field == TAGS and not node.filters:
        return html.escape(" ".join(context.tags))
    if value is None:
        return _error(f"Unknown field '{node.field}' in {node.source}")
    if not field_is_empty(value):
        context.used_nonempty_field = True
    filters = node.filters
    if filters and filters[0] == "type":
        if filters[1:] not in ((), ("cloze",)):
            return _error(
                f"Only {{{{type:Field}}}} and {{{{type:cloze:Field}}}} can be typed in, "
                f"not {node.source}"
            )
        if not context.answer:
            return "" if context.inside_front_side else TYPE_PROMPT
        expected = _expected_answer(value, bool(filters[1:]), context)
        return f'<div class="type-answer">{html.escape(expected)}</div>'
    for name in reversed(filters):
        filtered = _apply_filter(name, value, context)
        if filtered is None:
            return _error(f"Unknown filter '{name}' in {node.source}")
        value = filtered
    return value


def _context(
    note_type: NoteType,
    fields: Sequence[str],
    ordinal: int,
    front_side: str | None,
    tags: Sequence[str] = (),
) -> _Context:
    values = {
        name: (fields[i] if i < len(fields) else "") for i, name in enumerate(note_type.fields)
    }
    folded = {name.casefold(): value for name, value in reversed(values.items())}
    cloze_number = ordinal + 1 if note_type.kind == NoteKind.CLOZE else None
    return _Context(values, folded, tags, cloze_number, front_side is not None, front_side)


def _template_index(note_type: NoteType, ordinal: int) -> int:
    return 0 if note_type.kind == NoteKind.CLOZE else ordinal


def render_question(
    note_type: NoteType, fields: Sequence[str], ordinal: int, tags: Sequence[str] = ()
) -> str:
    """The question side of card `ordinal` of a note, as (unsanitized) HTML."""
    return _question(note_type, fields, ordinal, tags, inside_front_side=False)


def _question(
    note_type: NoteType,
    fields: Sequence[str],
    ordinal: int,
    tags: Sequence[str],
    inside_front_side: bool,
) -> str:
    index = _template_index(note_type, ordinal)
    if not 0 <= index < len(note_type.templates):
        return _error(f"The note type {note_type.name} has no card {ordinal + 1}")
    context = _context(note_type, fields, ordinal, None, tags)
    context.inside_front_side = inside_front_side
    return _render_nodes(_parse(note_type.templates[index].front), context)


def render_answer(
    note_type: NoteType, fields: Sequence[str], ordinal: int, tags: Sequence[str] = ()
) -> str:
    """The answer side of card `ordinal` of a note, as (unsanitized) HTML."""
    index = _template_index(note_type, ordinal)
    if not 0 <= index < len(note_type.templates):
        return _error(f"The note type {note_type.name} has no card {ordinal + 1}")
    question = _question(note_type, fields, ordinal, tags, inside_front_side=True)
    context = _context(note_type, fields, ordinal, question, tags)
    return _render_nodes(_parse(note_type.templates[index].back), context)


def type_answer_text(note_type: NoteType, fields: Sequence[str], ordinal: int) -> str | None:
    """What the user is to type for card `ordinal` (plain text), or None when its question has
    no `{{type:...}}`.  The first type-in on the question counts, as in Anki."""
    index = _template_index(note_type, ordinal)
    if not 0 <= index < len(note_type.templates):
        return None
    node = _first_type_in(_parse(note_type.templates[index].front))
    if node is None:
        return None
    context = _context(note_type, fields, ordinal, None)
    value = context.lookup(node.field)
    if value is None:
        return None
    return _expected_answer(value, node.filters[1:] == ("cloze",), context)


def _first_type_in(nodes: Sequence[_Node]) -> _Replacement | None:
    for node in nodes:
        if isinstance(node, _Replacement) and node.filters[:1] == ("type",):
            return node
        if isinstance(node, _Section):
            found = _first_type_in(node.children)
            if found is not None:
                return found
    return None


def hide_hints(card_html: str, shown: Collection[int] = (), label: str = "Show hint") -> str:
    """Fold each rendered hint (numbered from 0 in order) into a link `#hint-N` reading `label`,
    except the hints in `shown`, which appear in full.  Works on sanitized HTML."""
    counter = itertools.count()

    def fold(match: re.Match[str]) -> str:
        number = next(counter)
        if number in shown:
            return match.group(1)
        return f'<a class="hint" href="#hint-{number}">{html.escape(label)}</a>'

    return _HINT.sub(fold, card_html)


def hint_number(fragment: str) -> int | None:
    """N for the fragment `hint-N` of a link `hide_hints` made, else None."""
    name, _, number = fragment.partition("-")
    return int(number) if name == "hint" and number.isdigit() else None


def template_problems(template: str, note_type: NoteType) -> list[str]:
    """What is wrong with a template of `note_type`, in words; empty when it is fine.

    Unbalanced sections, unknown fields and unknown filters, each once, in order.
    """
    problems: list[str] = []
    names = {name.casefold() for name in note_type.fields}

    def known(field: str) -> bool:
        return field.casefold() in names

    def walk(nodes: Sequence[_Node]) -> None:
        for node in nodes:
            if isinstance(node, _Error):
                problems.append(node.message)
            elif isinstance(node, _Section):
                if not known(node.field):
                    problems.append(f"Unknown field '{node.field}' in a section")
                walk(node.children)
            elif isinstance(node, _Replacement):
                if node.field == FRONT_SIDE and not node.filters:
                    continue
                if not known(node.field) and not (node.field == TAGS and not node.filters):
                    problems.append(f"Unknown field '{node.field}' in {node.source}")
                for name in node.filters:
                    if name not in FILTERS:
                        problems.append(f"Unknown filter '{name}' in {node.source}")

    walk(_parse(template))
    return list(dict.fromkeys(problems))


def rename_field_in_template(template: str, old: str, new: str) -> str:
    """`template` with every tag naming the field `old` (exactly) naming `new` instead."""

    def rename(match: re.Match[str]) -> str:
        content = match.group(1).strip()
        sigil = content[:1] if content[:1] in ("#", "^", "/") else ""
        body = content[len(sigil) :].strip()
        *filters, field = (part.strip() for part in body.split(":"))
        if field != old:
            return match.group(0)
        return "{{" + sigil + ":".join([*filters, new]) + "}}"

    return _TAG.sub(rename, template)


def _cloze_fields(note_type: NoteType) -> list[str]:
    """Names of the fields that question templates pass through the cloze filter."""
    names: list[str] = []

    def walk(nodes: Sequence[_Node]) -> None:
        for node in nodes:
            if isinstance(node, _Replacement) and "cloze" in node.filters:
                names.append(node.field)
            elif isinstance(node, _Section):
                walk(node.children)

    for template in note_type.templates:
        walk(_parse(template.front))
    return names


def card_ordinals(note_type: NoteType, fields: Sequence[str]) -> list[int]:
    """The ordinals of the cards a note with these field values has, in ascending order.

    Standard note types: every template whose question uses at least one non-empty field.
    Cloze note types: one card per distinct cloze number N (ordinal N - 1).
    """
    return ordinal_rule(note_type)(fields)


_KNOWN_PATTERNS = 4096
OrdinalRule = Callable[[Sequence[str]], list[int]]
"""`card_ordinals` for one note type: field values -> ordinals."""


@lru_cache(maxsize=64)
def ordinal_rule(note_type: NoteType) -> OrdinalRule:
    """`card_ordinals(note_type, ...)` as a function of the field values alone, for bulk work.

    Whether a question uses a non-empty field depends only on which fields are empty (sections
    choose their body by emptiness, and nothing else in rendering touches the flag), so each
    question is compiled once to a test over the fields' emptiness, and the answer is cached
    per emptiness pattern. Exactly equivalent to rendering the questions (tested).
    """
    resolve = _field_resolver(note_type)
    count = len(note_type.fields)
    if note_type.kind == NoteKind.CLOZE:
        indexes = [i for i in map(resolve, _cloze_fields(note_type)) if i is not None]

        def cloze_ordinals(fields: Sequence[str]) -> list[int]:
            numbers: set[int] = set()
            for index in indexes:
                if index < len(fields):
                    numbers |= _cloze_numbers(_parse_clozes(fields[index]))
            return sorted(number - 1 for number in numbers)

        return cloze_ordinals

    questions = [_compile_uses(_parse(t.front), resolve) for t in note_type.templates]
    known: dict[tuple[bool, ...], tuple[int, ...]] = {}

    def standard_ordinals(fields: Sequence[str]) -> list[int]:
        given = len(fields)
        empty = tuple(field_is_empty(fields[i]) if i < given else True for i in range(count))
        found = known.get(empty)
        if found is None:
            found = tuple(o for o, uses in enumerate(questions) if _uses_nonempty(uses, empty))
            if len(known) < _KNOWN_PATTERNS:
                known[empty] = found
        return list(found)

    return standard_ordinals


def _field_resolver(note_type: NoteType) -> Callable[[str], int | None]:
    """Field name -> index, resolved exactly as `_Context.lookup` resolves it to a value."""
    exact = {name: i for i, name in enumerate(note_type.fields)}
    folded = {name.casefold(): i for name, i in reversed(exact.items())}

    def resolve(name: str) -> int | None:
        if name in exact:
            return exact[name]
        return folded.get(name.casefold())

    return resolve


_Uses = tuple["int | tuple[int, bool, _Uses]", ...]
"""A compiled question: a field index (used when reached), or (section field, inverted, body)."""


def _compile_uses(nodes: Sequence[_Node], resolve: Callable[[str], int | None]) -> _Uses:
    compiled: list[int | tuple[int, bool, _Uses]] = []
    for node in nodes:
        if isinstance(node, _Replacement):
            if node.field == FRONT_SIDE and not node.filters:
                continue
            index = resolve(node.field)
            if index is not None:
                compiled.append(index)
        elif isinstance(node, _Section):
            index = resolve(node.field)
            if index is not None:
                compiled.append((index, node.inverted, _compile_uses(node.children, resolve)))
    return tuple(compiled)


def _uses_nonempty(uses: _Uses, empty: tuple[bool, ...]) -> bool:
    for item in uses:
        if isinstance(item, int):
            if not empty[item]:
                return True
        elif empty[item[0]] == item[1] and _uses_nonempty(item[2], empty):
            return True
    return False


def rendered_card_ordinals(note_type: NoteType, fields: Sequence[str]) -> list[int]:
    """`card_ordinals` the slow way, by rendering every question; the reference in tests."""
    if note_type.kind == NoteKind.CLOZE:
        context = _context(note_type, fields, 0, None)
        numbers: set[int] = set()
        for name in _cloze_fields(note_type):
            value = context.lookup(name)
            if value is not None:
                numbers |= _cloze_numbers(_parse_clozes(value))
        return sorted(number - 1 for number in numbers)
    ordinals: list[int] = []
    for ordinal, template in enumerate(note_type.templates):
        context = _context(note_type, fields, ordinal, None)
        _render_nodes(_parse(template.front), context)
        if context.used_nonempty_field:
            ordinals.append(ordinal)
    return ordinals
