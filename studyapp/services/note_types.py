"""Managing note types: adding (from a stock type or as a clone), renaming and deleting them,
their fields, card templates, CSS, Markdown flag and sort field.

Field changes carry every note of the type along (its field list is reordered, extended or cut
to match), and renaming a field rewrites the templates that name it.  Templates with mistakes
are refused with a `TemplateError` that lists them; `problems` lists them while editing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from studyapp.domain.cards import CardTemplate, NoteKind, NoteType
from studyapp.domain.markdown_fields import fields_as_html
from studyapp.domain.notetypes import STOCK_NOTE_TYPES, stock_note_type
from studyapp.domain.sanitize import sanitize_card_html
from studyapp.domain.templates import (
    card_ordinals,
    rename_field_in_template,
    render_answer,
    render_question,
    template_problems,
)
from studyapp.errors import InvalidInputError, NoteTypeInUseError, NotFoundError, TemplateError
from studyapp.services.notes import CardPreview

if TYPE_CHECKING:
    from studyapp.storage.database import Database
    from studyapp.storage.repositories import Repositories


@dataclass(frozen=True, slots=True)
class NoteTypeUsage:
    note_type: NoteType
    notes: int
    """How many notes use it."""


def template_problems_of(note_type: NoteType, index: int, front: str, back: str) -> list[str]:
    """What is wrong with card template `index` of `note_type` with this front and back."""
    name = note_type.templates[index].name if index < len(note_type.templates) else "Card"
    problems = [f"{name} front: {p}" for p in template_problems(front, note_type)]
    problems += [f"{name} back: {p}" for p in template_problems(back, note_type)]
    if note_type.kind == NoteKind.CLOZE and "{{cloze:" not in front.replace(" ", ""):
        problems.append(f"{name} front: a cloze note type needs {{{{cloze:Field}}}} on the front")
    return problems


def _check_name(name: str, what: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InvalidInputError(f"The {what} needs a name.")
    if any(c in cleaned for c in ':{}#^/"') and what == "field":
        raise InvalidInputError(
            f'A field name cannot contain : {{ }} # ^ / or ", so “{cleaned}” cannot be used.'
        )
    return cleaned


class NoteTypeService:
    def __init__(self, database: Database) -> None:
        self._database = database

    # Reading.

    def usage(self) -> list[NoteTypeUsage]:
        """Every note type, by name, with how many notes use it."""
        with self._database.transaction() as repos:
            found = [
                NoteTypeUsage(t, repos.note_store.count_of_type(t.id))
                for t in repos.note_types.all()
            ]
        return sorted(found, key=lambda u: u.note_type.name.casefold())

    def get(self, note_type_id: int) -> NoteType:
        with self._database.transaction() as repos:
            return self._get(repos, note_type_id)

    def stock_names(self) -> list[str]:
        return [t.name for t in STOCK_NOTE_TYPES]

    def preview(self, note_type: NoteType, index: int) -> CardPreview:
        """Card template `index` of `note_type` (perhaps edited, unsaved) rendered with the
        fields of its first note, or with "(Field)" placeholders when it has none."""
        with self._database.transaction() as repos:
            notes = repos.note_store.of_type(note_type.id, limit=1) if note_type.id else []
        if notes:
            fields: Sequence[str] = notes[0].fields
            tags: Sequence[str] = notes[0].tags
        else:
            fields = [f"({name})" for name in note_type.fields]
            if note_type.kind == NoteKind.CLOZE and fields:
                fields[0] = f"{{{{c1::{fields[0]}}}}}"
            tags = ("tag",)
        values = fields_as_html(note_type, fields)
        ordinal = index
        if note_type.kind == NoteKind.CLOZE:
            ordinal = min(card_ordinals(note_type, fields), default=0)
        name = note_type.templates[index].name if index < len(note_type.templates) else ""
        return CardPreview(
            ordinal,
            name,
            sanitize_card_html(render_question(note_type, values, ordinal, tags)),
            sanitize_card_html(render_answer(note_type, values, ordinal, tags)),
            note_type.css,
        )

    # Note types.

    def add_stock(self, stock_name: str, name: str) -> NoteType:
        """A new note type copied from the stock type `stock_name`, called `name`."""
        stock = stock_note_type(stock_name)
        if stock is None:
            raise NotFoundError(f"There is no stock note type called {stock_name}.")
        with self._database.transaction() as repos:
            return repos.note_types.add(replace(stock, name=self._free_name(repos, name)))

    def clone(self, note_type_id: int, name: str) -> NoteType:
        """A copy of a note type (fields, templates, CSS, options), without its notes."""
        with self._database.transaction() as repos:
            original = self._get(repos, note_type_id)
            return repos.note_types.add(replace(original, id=0, name=self._free_name(repos, name)))

    def rename(self, note_type_id: int, name: str) -> NoteType:
        with self._database.transaction() as repos:
            note_type = self._get(repos, note_type_id)
            cleaned = _check_name(name, "note type")
            if cleaned != note_type.name:
                cleaned = self._free_name(repos, cleaned)
            changed = replace(note_type, name=cleaned)
            repos.note_store.update_note_type(changed)
            return changed

    def delete(self, note_type_id: int) -> None:
        """Delete a note type no note uses."""
        with self._database.transaction() as repos:
            note_type = self._get(repos, note_type_id)
            used = repos.note_store.count_of_type(note_type_id)
            if used:
                notes = "1 note uses" if used == 1 else f"{used} notes use"
                raise NoteTypeInUseError(
                    f"“{note_type.name}” cannot be deleted: {notes} it. Delete those notes "
                    "or change their note type first."
                )
            repos.note_store.delete_note_type(note_type_id)

    # Fields.

    def add_field(self, note_type_id: int, name: str) -> NoteType:
        """A new last field, empty in every note of the type."""
        with self._database.transaction() as repos:
            note_type = self._get(repos, note_type_id)
            cleaned = _check_name(name, "field")
            self._refuse_taken(cleaned, note_type.fields)
            changed = replace(note_type, fields=(*note_type.fields, cleaned))
            self._rewrite_notes(repos, note_type, range(len(changed.fields)))
            repos.note_store.update_note_type(changed)
            return changed

    def rename_field(self, note_type_id: int, index: int, name: str) -> NoteType:
        """Rename field `index`; the templates that name it are rewritten to the new name."""
        with self._database.transaction() as repos:
            note_type = self._get(repos, note_type_id)
            old = self._field(note_type, index)
            cleaned = _check_name(name, "field")
            if cleaned == old:
                return note_type
            others = [f for i, f in enumerate(note_type.fields) if i != index]
            self._refuse_taken(cleaned, others)
            fields = tuple(cleaned if i == index else f for i, f in enumerate(note_type.fields))
            templates = tuple(
                CardTemplate(
                    t.name,
                    rename_field_in_template(t.front, old, cleaned),
                    rename_field_in_template(t.back, old, cleaned),
                )
                for t in note_type.templates
            )
            changed = replace(note_type, fields=fields, templates=templates)
            repos.note_store.update_note_type(changed)
            return changed

    def move_field(self, note_type_id: int, index: int, new_index: int) -> NoteType:
        """Move field `index` to `new_index`; every note's values move with it."""
        with self._database.transaction() as repos:
            note_type = self._get(repos, note_type_id)
            self._field(note_type, index)
            self._field(note_type, new_index)
            order = list(range(len(note_type.fields)))
            order.insert(new_index, order.pop(index))
            return self._reorder_fields(repos, note_type, order, order.index(note_type.sort_field))

    def remove_field(self, note_type_id: int, index: int) -> NoteType:
        """Remove field `index` and its value from every note of the type."""
        with self._database.transaction() as repos:
            note_type = self._get(repos, note_type_id)
            self._field(note_type, index)
            if len(note_type.fields) == 1:
                raise InvalidInputError("A note type needs at least one field.")
            order = [i for i in range(len(note_type.fields)) if i != index]
            sort_field = note_type.sort_field
            if sort_field == index:
                sort_field = 0
            elif sort_field > index:
                sort_field -= 1
            return self._reorder_fields(repos, note_type, order, sort_field)

    def set_sort_field(self, note_type_id: int, index: int) -> NoteType:
        with self._database.transaction() as repos:
            note_type = self._get(repos, note_type_id)
            self._field(note_type, index)
            changed = replace(note_type, sort_field=index)
            repos.note_store.update_note_type(changed)
            return changed

    def set_markdown(self, note_type_id: int, markdown: bool) -> NoteType:
        """Whether the note type's fields are written in Markdown."""
        with self._database.transaction() as repos:
            changed = replace(self._get(repos, note_type_id), markdown=markdown)
            repos.note_store.update_note_type(changed)
            return changed

    # Card templates.

    def add_template(self, note_type_id: int, name: str) -> NoteType:
        """A new card template (standard note types), showing the first field on its front."""
        with self._database.transaction() as repos:
            note_type = self._get(repos, note_type_id)
            self._refuse_cloze(note_type)
            cleaned = _check_name(name, "card template")
            self._refuse_taken(cleaned, [t.name for t in note_type.templates])
            first = note_type.fields[0]
            template = CardTemplate(
                cleaned, f"{{{{{first}}}}}", '{{FrontSide}}\n\n<hr id="answer">\n\n'
            )
            changed = replace(note_type, templates=(*note_type.templates, template))
            repos.note_store.update_note_type(changed)
            return changed

    def rename_template(self, note_type_id: int, index: int, name: str) -> NoteType:
        with self._database.transaction() as repos:
            note_type = self._get(repos, note_type_id)
            self._template(note_type, index)
            cleaned = _check_name(name, "card template")
            others = [t.name for i, t in enumerate(note_type.templates) if i != index]
            self._refuse_taken(cleaned, others)
            templates = tuple(
                replace(t, name=cleaned) if i == index else t
                for i, t in enumerate(note_type.templates)
            )
            changed = replace(note_type, templates=templates)
            repos.note_store.update_note_type(changed)
            return changed

    def remove_template(self, note_type_id: int, index: int) -> NoteType:
        """Remove card template `index` and every card made from it."""
        with self._database.transaction() as repos:
            note_type = self._get(repos, note_type_id)
            self._refuse_cloze(note_type)
            self._template(note_type, index)
            if len(note_type.templates) == 1:
                raise InvalidInputError("A note type needs at least one card template.")
            templates = tuple(t for i, t in enumerate(note_type.templates) if i != index)
            repos.note_store.remove_template_cards(note_type_id, index)
            changed = replace(note_type, templates=templates)
            repos.note_store.update_note_type(changed)
            return changed

    def set_template(self, note_type_id: int, index: int, front: str, back: str) -> NoteType:
        """Save the front and back of card template `index`; refused (TemplateError) if either
        has a mistake."""
        with self._database.transaction() as repos:
            note_type = self._get(repos, note_type_id)
            self._template(note_type, index)
            problems = template_problems_of(note_type, index, front, back)
            if problems:
                raise TemplateError("The card template was not saved: " + "; ".join(problems))
            templates = tuple(
                replace(t, front=front, back=back) if i == index else t
                for i, t in enumerate(note_type.templates)
            )
            changed = replace(note_type, templates=templates)
            repos.note_store.update_note_type(changed)
            return changed

    def set_css(self, note_type_id: int, css: str) -> NoteType:
        with self._database.transaction() as repos:
            changed = replace(self._get(repos, note_type_id), css=css)
            repos.note_store.update_note_type(changed)
            return changed

    # Internals.

    def _get(self, repos: Repositories, note_type_id: int) -> NoteType:
        note_type = repos.note_types.get(note_type_id)
        if note_type is None:
            raise NotFoundError(f"There is no note type with id {note_type_id}.")
        return note_type

    def _free_name(self, repos: Repositories, name: str) -> str:
        cleaned = _check_name(name, "note type")
        if repos.note_types.by_name(cleaned) is not None:
            raise InvalidInputError(f"A note type called “{cleaned}” already exists.")
        return cleaned

    @staticmethod
    def _refuse_taken(name: str, taken: Sequence[str]) -> None:
        if name.casefold() in {t.casefold() for t in taken}:
            raise InvalidInputError(f"There is already one called “{name}”.")

    @staticmethod
    def _refuse_cloze(note_type: NoteType) -> None:
        if note_type.kind == NoteKind.CLOZE:
            raise InvalidInputError(
                "A cloze note type has one card template; its cards come from the cloze numbers."
            )

    @staticmethod
    def _field(note_type: NoteType, index: int) -> str:
        if not 0 <= index < len(note_type.fields):
            raise NotFoundError(f"{note_type.name} has no field number {index + 1}.")
        return note_type.fields[index]

    @staticmethod
    def _template(note_type: NoteType, index: int) -> CardTemplate:
        if not 0 <= index < len(note_type.templates):
            raise NotFoundError(f"{note_type.name} has no card template number {index + 1}.")
        return note_type.templates[index]

    @classmethod
    def _reorder_fields(
        cls, repos: Repositories, note_type: NoteType, order: Sequence[int], sort_field: int
    ) -> NoteType:
        """Keep the note type's fields `order` (old indexes, in their new order), in the type and
        in every note of it."""
        changed = replace(
            note_type, fields=tuple(note_type.fields[i] for i in order), sort_field=sort_field
        )
        cls._rewrite_notes(repos, note_type, order)
        repos.note_store.update_note_type(changed)
        return changed

    @staticmethod
    def _rewrite_notes(repos: Repositories, note_type: NoteType, order: Sequence[int]) -> None:
        """Give every note of the type the values of its old fields `order` (missing: empty)."""
        for note in repos.note_store.of_type(note_type.id):
            values = [note.fields[i] if i < len(note.fields) else "" for i in order]
            repos.note_store.set_fields(note.id, values)
