"""NoteTypeService: note types, their fields and card templates, with the notes following."""

from __future__ import annotations

from dataclasses import replace

import pytest

from studyapp.domain.cards import CardTemplate, NoteType
from studyapp.errors import InvalidInputError, NoteTypeInUseError, TemplateError
from studyapp.services.container import Services
from studyapp.services.notes import NoteDraft
from studyapp.storage.database import Database
from tests.conftest import DeckMaker


def by_name(services: Services, name: str) -> NoteType:
    return next(u.note_type for u in services.note_types.usage() if u.note_type.name == name)


def test_add_from_stock_clone_rename_and_delete(services: Services) -> None:
    assert "Cloze" in services.note_types.stock_names()
    added = services.note_types.add_stock("Basic (and reversed card)", "Vocabulary")
    assert added.id > 0
    assert [t.name for t in added.templates] == ["Card 1", "Card 2"]
    copy = services.note_types.clone(added.id, "Vocabulary 2")
    assert copy.templates == added.templates
    assert copy.id != added.id
    with pytest.raises(InvalidInputError, match="already exists"):
        services.note_types.rename(copy.id, "Vocabulary")
    renamed = services.note_types.rename(copy.id, "  Drug   names ")
    assert renamed.name == "Drug names"
    services.note_types.delete(renamed.id)
    assert "Drug names" not in [u.note_type.name for u in services.note_types.usage()]


def test_delete_is_refused_while_notes_use_it(services: Services, make_deck: DeckMaker) -> None:
    make_deck("EMT", 2)
    basic = by_name(services, "Basic")
    usage = {u.note_type.name: u.notes for u in services.note_types.usage()}
    assert usage["Basic"] >= 2
    with pytest.raises(NoteTypeInUseError, match=r"cannot be deleted: \d+ notes use it"):
        services.note_types.delete(basic.id)


def test_field_changes_carry_the_notes_along(
    services: Services, database: Database, make_deck: DeckMaker
) -> None:
    deck = make_deck("EMT", 0)
    custom = services.note_types.add_stock("Basic", "Drugs")
    note = services.notes.add(NoteDraft(custom.id, deck, ("Aspirin", "Antiplatelet", "Chew it")))

    def fields() -> tuple[str, ...]:
        return services.notes.get(note.id).note.fields

    changed = services.note_types.add_field(custom.id, "Dose")
    assert changed.fields == ("Front", "Back", "Extra", "Dose")
    assert fields() == ("Aspirin", "Antiplatelet", "Chew it", "")
    changed = services.note_types.move_field(custom.id, 3, 1)
    assert changed.fields == ("Front", "Dose", "Back", "Extra")
    assert fields() == ("Aspirin", "", "Antiplatelet", "Chew it")
    changed = services.note_types.remove_field(custom.id, 3)
    assert changed.fields == ("Front", "Dose", "Back")
    assert fields() == ("Aspirin", "", "Antiplatelet")
    with pytest.raises(InvalidInputError, match="already one called"):
        services.note_types.add_field(custom.id, "dose")
    with pytest.raises(InvalidInputError, match="cannot contain"):
        services.note_types.add_field(custom.id, "a:b")


def test_sort_field_follows_moves_and_removals(services: Services) -> None:
    custom = services.note_types.add_stock("Basic", "Sorted")
    assert services.note_types.set_sort_field(custom.id, 1).sort_field == 1
    assert services.note_types.move_field(custom.id, 1, 2).sort_field == 2
    assert services.note_types.remove_field(custom.id, 2).sort_field == 0


def test_renaming_a_field_rewrites_templates(services: Services) -> None:
    custom = services.note_types.add_stock("Basic", "Renamed")
    changed = services.note_types.rename_field(custom.id, 0, "Question")
    assert changed.fields[0] == "Question"
    assert changed.templates[0].front == "{{Question}}"
    assert "{{Front}}" not in changed.templates[0].back


def test_templates_add_rename_edit_and_remove(
    services: Services, database: Database, make_deck: DeckMaker
) -> None:
    deck = make_deck("EMT", 0)
    custom = services.note_types.add_stock("Basic (and reversed card)", "Three ways")
    note = services.notes.add(NoteDraft(custom.id, deck, ("front", "back", "")))
    changed = services.note_types.add_template(custom.id, "Card 3")
    assert changed.templates[2].front == "{{Front}}"
    changed = services.note_types.rename_template(custom.id, 2, "Spelling")
    assert [t.name for t in changed.templates] == ["Card 1", "Card 2", "Spelling"]
    changed = services.note_types.set_template(custom.id, 2, "{{text:Back}}?", "{{FrontSide}}")
    assert changed.templates[2].front == "{{text:Back}}?"
    services.notes.update(note.id, ["front", "back", "more"], [])  # adds the third card
    with database.transaction() as repos:
        assert [c.ordinal for c in repos.cards.for_note(note.id)] == [0, 1, 2]
        third = repos.cards.for_note(note.id)[2].id

    changed = services.note_types.remove_template(custom.id, 1)
    assert [t.name for t in changed.templates] == ["Card 1", "Spelling"]
    with database.transaction() as repos:
        cards = repos.cards.for_note(note.id)
    assert [(c.ordinal, c.id) for c in cards][1] == (1, third)
    assert len(cards) == 2


def test_template_mistakes_are_refused_clearly(services: Services) -> None:
    custom = services.note_types.add_stock("Basic", "Careful")
    with pytest.raises(TemplateError) as raised:
        services.note_types.set_template(custom.id, 0, "{{#Front}}{{Front}}", "{{Nope}}")
    message = str(raised.value)
    assert "Card 1 front: {{#Front}} is missing its {{/Front}}" in message
    assert "Card 1 back: Unknown field 'Nope' in {{Nope}}" in message
    assert services.note_types.get(custom.id).templates[0].front == "{{Front}}"


def test_cloze_types_keep_one_template(services: Services) -> None:
    cloze = services.note_types.add_stock("Cloze", "My cloze")
    with pytest.raises(InvalidInputError, match="one card template"):
        services.note_types.add_template(cloze.id, "Another")
    with pytest.raises(TemplateError, match="needs \\{\\{cloze:Field\\}\\}"):
        services.note_types.set_template(cloze.id, 0, "{{Text}}", "{{Text}}")


def test_css_and_markdown(services: Services) -> None:
    custom = services.note_types.add_stock("Basic", "Styled")
    assert services.note_types.set_css(custom.id, ".card { color: red; }").css == (
        ".card { color: red; }"
    )
    assert services.note_types.set_markdown(custom.id, True).markdown
    assert services.note_types.get(custom.id).markdown


def test_preview_uses_the_first_note_or_placeholders(
    services: Services, make_deck: DeckMaker
) -> None:
    custom = services.note_types.add_stock("Basic", "Previewed")
    empty = services.note_types.preview(custom, 0)
    assert empty.question_html == "(Front)"
    deck = make_deck("EMT", 0)
    services.notes.add(NoteDraft(custom.id, deck, ("Apnea", "No breathing", "")))
    edited = replace(custom, templates=(CardTemplate("Card 1", "Q: {{Front}} {{#Oops}}", "B"),))
    preview = services.note_types.preview(edited, 0)
    assert preview.question_html.startswith("Q: Apnea ")
    assert "template-error" in preview.question_html
    cloze = services.note_types.add_stock("Cloze", "Cloze preview")
    assert "[...]" in services.note_types.preview(cloze, 0).question_html
