"""The stock note types every collection starts with.

They carry id 0: storage assigns the real id when it first saves them, and looks them up by name.
"""

from __future__ import annotations

from studyapp.domain.cards import CardTemplate, NoteKind, NoteType

DEFAULT_CSS = """\
.card {
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif;
  font-size: 20px;
  line-height: 1.5;
  text-align: center;
  color: inherit;
  background-color: transparent;
  max-width: 42em;
  margin: 0 auto;
  padding: 1em;
}
hr#answer {
  border: none;
  border-top: 1px solid rgba(128, 128, 128, 0.5);
  margin: 1em 0;
}
.extra {
  margin-top: 1em;
  font-size: 0.85em;
  opacity: 0.8;
}
.cloze {
  font-weight: bold;
  color: #3b82f6;
}
.template-error {
  color: #e5484d;
  font-style: italic;
}
img {
  max-width: 100%;
  height: auto;
}
"""

_EXTRA = '{{#Extra}}<div class="extra">{{Extra}}</div>{{/Extra}}'

BASIC = NoteType(
    id=0,
    name="Basic",
    kind=NoteKind.STANDARD,
    fields=("Front", "Back", "Extra"),
    templates=(
        CardTemplate(
            name="Card 1",
            front="{{Front}}",
            back='{{FrontSide}}\n\n<hr id="answer">\n\n{{Back}}' + _EXTRA,
        ),
    ),
    css=DEFAULT_CSS,
)

BASIC_REVERSED = NoteType(
    id=0,
    name="Basic (and reversed card)",
    kind=NoteKind.STANDARD,
    fields=("Front", "Back", "Extra"),
    templates=(
        CardTemplate(
            name="Card 1",
            front="{{Front}}",
            back='{{FrontSide}}\n\n<hr id="answer">\n\n{{Back}}' + _EXTRA,
        ),
        CardTemplate(
            name="Card 2",
            front="{{Back}}",
            back='{{FrontSide}}\n\n<hr id="answer">\n\n{{Front}}' + _EXTRA,
        ),
    ),
    css=DEFAULT_CSS,
)

BASIC_OPTIONAL_REVERSED = NoteType(
    id=0,
    name="Basic (optional reversed card)",
    kind=NoteKind.STANDARD,
    fields=("Front", "Back", "Add Reverse", "Extra"),
    templates=(
        CardTemplate(
            name="Card 1",
            front="{{Front}}",
            back='{{FrontSide}}\n\n<hr id="answer">\n\n{{Back}}' + _EXTRA,
        ),
        CardTemplate(
            name="Card 2",
            front="{{#Add Reverse}}{{Back}}{{/Add Reverse}}",
            back='{{FrontSide}}\n\n<hr id="answer">\n\n{{Front}}' + _EXTRA,
        ),
    ),
    css=DEFAULT_CSS,
)
"""The reverse card exists only for notes whose Add Reverse field is filled in."""

BASIC_TYPE_IN = NoteType(
    id=0,
    name="Basic (type in the answer)",
    kind=NoteKind.STANDARD,
    fields=("Front", "Back", "Extra"),
    templates=(
        CardTemplate(
            name="Card 1",
            front="{{Front}}\n\n{{type:Back}}",
            back='{{Front}}\n\n<hr id="answer">\n\n{{type:Back}}' + _EXTRA,
        ),
    ),
    css=DEFAULT_CSS,
)

CLOZE = NoteType(
    id=0,
    name="Cloze",
    kind=NoteKind.CLOZE,
    fields=("Text", "Back Extra"),
    templates=(
        CardTemplate(
            name="Cloze",
            front="{{cloze:Text}}",
            back=(
                "{{cloze:Text}}"
                '{{#Back Extra}}<div class="extra">{{Back Extra}}</div>{{/Back Extra}}'
            ),
        ),
    ),
    css=DEFAULT_CSS,
)

CONTRAST = NoteType(
    id=0,
    name="Contrast",
    kind=NoteKind.STANDARD,
    fields=("Question", "Answer", "Extra"),
    templates=(
        CardTemplate(
            name="Which one",
            front='<div class="contrast">{{Question}}</div>',
            back='<div class="contrast">{{Question}}</div><hr id="answer">{{Answer}}' + _EXTRA,
        ),
    ),
    css=DEFAULT_CSS + ".contrast { font-style: italic; }\n",
)
"""Which of two confusable terms a statement describes (made by the document generator)."""

STOCK_NOTE_TYPES: tuple[NoteType, ...] = (
    BASIC,
    BASIC_REVERSED,
    BASIC_OPTIONAL_REVERSED,
    BASIC_TYPE_IN,
    CLOZE,
    CONTRAST,
)


def stock_note_type(name: str) -> NoteType | None:
    """The stock note type called `name`, or None if there is none."""
    for note_type in STOCK_NOTE_TYPES:
        if note_type.name == name:
            return note_type
    return None
