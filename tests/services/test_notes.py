"""NoteService: adding, editing and deleting notes with undo, duplicates, media and previews."""

from __future__ import annotations

from pathlib import Path

import pytest

from studyapp.domain.cards import CardState, NoteType, Rating
from studyapp.errors import InvalidInputError, NotFoundError
from studyapp.services.container import Services
from studyapp.services.notes import NoteDraft
from studyapp.storage.database import Database
from tests.conftest import DeckMaker


def note_type(services: Services, name: str) -> NoteType:
    return next(t for t in services.notes.note_types() if t.name == name)


def deck_id(make_deck: DeckMaker, name: str = "EMT") -> int:
    return make_deck(name, 0)


def card_rows(database: Database, note_id: int) -> list[tuple[int, int, CardState]]:
    with database.transaction() as repos:
        return [(c.ordinal, c.deck_id, c.state) for c in repos.cards.for_note(note_id)]


def test_note_types_and_decks_are_listed(services: Services, make_deck: DeckMaker) -> None:
    names = [t.name for t in services.notes.note_types()]
    assert {"Basic", "Cloze", "Basic (type in the answer)"} <= set(names)
    assert names == sorted(names, key=str.casefold)
    deck = deck_id(make_deck)
    assert deck in [d.id for d in services.notes.decks()]


def test_add_basic_reversed_makes_two_cards(
    services: Services, database: Database, make_deck: DeckMaker
) -> None:
    deck = deck_id(make_deck)
    reversed_type = note_type(services, "Basic (and reversed card)")
    note = services.notes.add(
        NoteDraft(reversed_type.id, deck, ("Pulse", "Heartbeat felt", ""), ("vitals  emt", "EMT"))
    )
    assert note.tags == ("vitals", "emt")
    assert card_rows(database, note.id) == [(0, deck, CardState.NEW), (1, deck, CardState.NEW)]
    assert services.undo.label() == "Add note"


def test_add_cloze_makes_one_card_per_number(
    services: Services, database: Database, make_deck: DeckMaker
) -> None:
    deck = deck_id(make_deck)
    cloze = note_type(services, "Cloze")
    note = services.notes.add(
        NoteDraft(cloze.id, deck, ("{{c1::CPR}} and {{c1::AED}}, then {{c3::transport}}", ""))
    )
    assert [ordinal for ordinal, _, _ in card_rows(database, note.id)] == [0, 2]


def test_a_note_without_cards_is_refused(services: Services, make_deck: DeckMaker) -> None:
    deck = deck_id(make_deck)
    with pytest.raises(InvalidInputError, match="cloze deletion"):
        services.notes.add(NoteDraft(note_type(services, "Cloze").id, deck, ("no clozes", "")))
    with pytest.raises(InvalidInputError, match="fill in the Front field"):
        services.notes.add(NoteDraft(note_type(services, "Basic").id, deck, ("", "back", "")))
    assert services.undo.label() is None


def test_update_adds_new_cloze_cards_and_keeps_schedules(
    services: Services, database: Database, make_deck: DeckMaker
) -> None:
    deck = deck_id(make_deck)
    cloze = note_type(services, "Cloze")
    note = services.notes.add(NoteDraft(cloze.id, deck, ("{{c1::Oxygen}} first", "")))
    step = services.study.next_step(deck)
    assert step.card is not None
    services.study.answer(step.card.card_id, Rating.GOOD, 3000)
    before = card_rows(database, note.id)

    changed = services.notes.update(
        note.id, ["{{c1::Oxygen}} first, {{c2::glucose}} later", "x"], ["new"]
    )
    assert changed.fields == ("{{c1::Oxygen}} first, {{c2::glucose}} later", "x")
    rows = card_rows(database, note.id)
    assert rows[0] == before[0]  # the studied card keeps its schedule
    assert rows[1][:2] == (1, deck)
    assert rows[1][2] == CardState.NEW

    services.undo.undo()
    assert card_rows(database, note.id) == before
    assert services.notes.get(note.id).note.fields == ("{{c1::Oxygen}} first", "")
    services.undo.redo()
    assert card_rows(database, note.id) == rows
    assert services.notes.get(note.id).note.tags == ("new",)


def test_update_refuses_to_leave_a_note_without_cards(
    services: Services, make_deck: DeckMaker
) -> None:
    deck = deck_id(make_deck)
    basic = note_type(services, "Basic")
    note = services.notes.add(NoteDraft(basic.id, deck, ("Q", "A", "")))
    with pytest.raises(InvalidInputError):
        services.notes.update(note.id, ["", "A", ""], [])
    assert services.notes.get(note.id).note.fields == ("Q", "A", "")


def test_add_and_delete_undo_and_redo(
    services: Services, database: Database, make_deck: DeckMaker
) -> None:
    deck = deck_id(make_deck)
    basic = note_type(services, "Basic")
    note = services.notes.add(NoteDraft(basic.id, deck, ("Q", "A", "")))
    services.undo.undo()
    with pytest.raises(NotFoundError):
        services.notes.get(note.id)
    services.undo.redo()
    assert services.notes.get(note.id).card_count == 1

    step = services.study.next_step(deck)
    assert step.card is not None
    services.study.answer(step.card.card_id, Rating.AGAIN, 2000)
    history = card_rows(database, note.id)
    services.notes.delete(note.id)
    assert services.undo.label() == "Delete note"
    with pytest.raises(NotFoundError):
        services.notes.get(note.id)
    services.undo.undo()
    assert card_rows(database, note.id) == history
    with database.transaction() as repos:
        card = repos.cards.for_note(note.id)[0]
        assert len(repos.reviews.for_card(card.id)) == 1
    services.undo.redo()
    assert card_rows(database, note.id) == []


def test_duplicates_compare_text_without_html(services: Services, make_deck: DeckMaker) -> None:
    deck = deck_id(make_deck)
    basic = note_type(services, "Basic")
    note = services.notes.add(NoteDraft(basic.id, deck, ("<b>Tachy</b>cardia", "fast", "")))
    assert services.notes.duplicate_of(basic.id, "tachycardia ") == note.id
    assert services.notes.duplicate_of(basic.id, "Tachycardia", ignore_note_id=note.id) is None
    assert services.notes.duplicate_of(basic.id, "Bradycardia") is None
    assert services.notes.duplicate_of(basic.id, "<br>") is None
    other = note_type(services, "Basic (and reversed card)")
    assert services.notes.duplicate_of(other.id, "Tachycardia") is None


def test_attach_file_copies_under_a_safe_unique_name(
    services: Services, tmp_path: Path, data_dir: Path
) -> None:
    media = data_dir / "media"
    picture = tmp_path / "my heart <1>.png"
    picture.write_bytes(b"\x89PNG one")
    assert services.notes.attach_file(picture) == '<img src="my_heart_1.png">'
    assert (media / "my_heart_1.png").read_bytes() == b"\x89PNG one"
    assert services.notes.attach_file(picture) == '<img src="my_heart_1.png">'  # same file
    picture.write_bytes(b"\x89PNG two")
    assert services.notes.attach_file(picture) == '<img src="my_heart_1-2.png">'
    sound = tmp_path / "lub dub.mp3"
    sound.write_bytes(b"ID3")
    assert services.notes.attach_file(sound) == "[sound:lub_dub.mp3]"
    text = tmp_path / "notes.txt"
    text.write_text("x")
    with pytest.raises(InvalidInputError, match="not an image or audio"):
        services.notes.attach_file(text)


def test_pasted_bytes_stay_in_the_media_folder(services: Services, data_dir: Path) -> None:
    snippet = services.notes.attach_bytes(b"GIF89a", "../../escape.gif")
    assert snippet == '<img src="escape.gif">'
    assert (data_dir / "media" / "escape.gif").read_bytes() == b"GIF89a"
    assert not (data_dir.parent / "escape.gif").exists()


def test_preview_renders_every_card_sanitized(services: Services) -> None:
    reversed_type = note_type(services, "Basic (and reversed card)")
    previews = services.notes.preview(
        reversed_type.id, ["Front <script>x()</script>", "Back", ""], ["t"]
    )
    assert [p.name for p in previews] == ["Card 1", "Card 2"]
    assert previews[0].question_html == "Front "
    assert "Back" in previews[1].question_html
    assert "<script>" not in previews[0].answer_html
    cloze = note_type(services, "Cloze")
    names = [p.name for p in services.notes.preview(cloze.id, ["{{c2::a}} {{c1::b}}", ""])]
    assert names == ["Cloze 1", "Cloze 2"]
    assert services.notes.preview(cloze.id, ["nothing", ""]) == []


def test_tags_for_completion(services: Services, make_deck: DeckMaker) -> None:
    deck = deck_id(make_deck)
    basic = note_type(services, "Basic")
    services.notes.add(NoteDraft(basic.id, deck, ("a", "b", ""), ("cardio", "Airway")))
    services.notes.add(NoteDraft(basic.id, deck, ("c", "d", ""), ("airway",)))
    tags = services.notes.tags()
    assert [t for t in tags if t.casefold() in {"cardio", "airway"}] == ["Airway", "cardio"]


def test_markdown_note_types_render_markdown(services: Services, make_deck: DeckMaker) -> None:
    deck = deck_id(make_deck)
    basic = note_type(services, "Basic")
    plain = services.note_types.clone(basic.id, "Basic (Markdown)")
    services.note_types.set_markdown(plain.id, True)
    preview = services.notes.preview(plain.id, ["**Shock** signs", "- pale\n- fast pulse", ""])
    assert preview[0].question_html == "<strong>Shock</strong> signs"
    assert "<li>pale</li>" in preview[0].answer_html
    services.notes.add(NoteDraft(plain.id, deck, ("**Shock** signs", "- pale", "")))
    step = services.study.next_step(deck)
    assert step.card is not None
    assert step.card.question_html == "<strong>Shock</strong> signs"


def test_study_card_knows_its_type_in_answer(services: Services, make_deck: DeckMaker) -> None:
    deck = deck_id(make_deck)
    typed = note_type(services, "Basic (type in the answer)")
    services.notes.add(NoteDraft(typed.id, deck, ("Normal adult pulse?", "60-100 <b>bpm</b>", "")))
    step = services.study.next_step(deck)
    assert step.card is not None
    assert step.card.type_answer == "60-100 bpm"
    assert '<div class="type-answer">60-100 bpm</div>' in step.card.answer_html
