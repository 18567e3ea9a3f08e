"""Settings both Anki schemas write the same way: collection settings, LaTeX preamble, field fonts,
card requirements and learning steps in Anki's units."""

from __future__ import annotations

import re

from studyapp.domain.cards import NoteKind, NoteType
from studyapp.exporters.anki_rows import DEFAULT_DECK_ID, AnkiContent

FIELD_FONT = "Arial"
FIELD_FONT_SIZE = 20
LATEX_PRE = (
    "\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n"
    "\\usepackage[utf8]{inputenc}\n\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n"
    "\\setlength{\\parindent}{0in}\n\\begin{document}\n"
)
LATEX_POST = "\\end{document}"
SCHEDULER_VERSION = 2

_TAG = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)


def collection_settings(content: AnkiContent) -> dict[str, object]:
    """The `col.conf` JSON (schema 11) and `config` table rows (schema 18): key -> JSON value."""
    first_type = content.note_types[0][0] if content.note_types else 0
    return {
        "schedVer": SCHEDULER_VERSION,
        "sched2021": True,
        "creationOffset": content.creation_offset,
        "rollover": content.rollover_hour,
        "nextPos": content.next_position,
        "curDeck": DEFAULT_DECK_ID,
        "activeDecks": [DEFAULT_DECK_ID],
        "curModel": first_type,
        "newSpread": 0,
        "collapseTime": 1200,
        "timeLim": 0,
        "estTimes": True,
        "dueCounts": True,
        "dayLearnFirst": False,
        "addToCur": True,
        "sortType": "noteFld",
        "sortBackwards": False,
    }


def card_requirements(note_type: NoteType) -> list[tuple[int, list[int]]]:
    """(template ordinal, field ordinals its question uses): Anki's "req" for old clients.

    Each card needs any one of its fields non-empty; a cloze note type has the one entry Anki
    writes for it, on the first field.
    """
    if note_type.kind == NoteKind.CLOZE:
        return [(0, [0])]
    positions = {name: ordinal for ordinal, name in enumerate(note_type.fields)}
    requirements: list[tuple[int, list[int]]] = []
    for ordinal, template in enumerate(note_type.templates):
        used: set[int] = set()
        for match in _TAG.finditer(template.front):
            name = match.group(1).strip().lstrip("#^/").strip().rsplit(":", 1)[-1].strip()
            if name in positions:
                used.add(positions[name])
        requirements.append((ordinal, sorted(used)))
    return requirements


def learning_minutes(steps: tuple[int, ...]) -> list[float]:
    """Our learning steps (seconds) as Anki's delays (minutes)."""
    return [seconds / 60 for seconds in steps]
