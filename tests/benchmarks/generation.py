"""Card generation speed on a synthesised 100-page document, as text and as a PDF.

`generation_rows()` gives (measure, seconds, goal) rows for `make bench`; never collected by pytest.
The PDF is drawn with Qt's QPdfWriter (offscreen platform), so no extra dependency is needed.
"""

from __future__ import annotations

import io
import os
import random
import tempfile
import time
from pathlib import Path

from studyapp.generation.cards import generate_cards
from studyapp.generation.documents import load_document

PAGES = 100
CHARS_PER_PAGE = 3000
GOAL_SECONDS = 10.0

_SYLLABLES = ("ka", "lo", "mi", "ra", "ten", "vor", "sul", "bis", "dex", "nor", "pha", "gen")
_NOUNS = ("system", "process", "layer", "cell", "region", "protocol", "network", "phase")
_TEMPLATES = (
    "{A} is a {adj} {noun} that {verb} {B} in the {C}.",
    "{A} stands for {L1} {L2} {L3}.",
    "The {noun} of {A} is divided into three parts: {B}, {C}, and {D}.",
    "{A} works closely with {B}, such as {C} and {D}.",
    "{A} moves slowly, while {B} moves quickly through the {noun}.",
    "{A}, on the other hand, depends on {B} and {C}.",
    "Each {noun} contains {B} and releases {C} at about {n}.{m} percent.",
    "Researchers such as Dr. {L1} measured {A} in {n} samples, e.g. in the {C}.",
)


def _word(chooser: random.Random, parts: int = 3) -> str:
    return "".join(chooser.choice(_SYLLABLES) for _ in range(parts))


def synthetic_text(pages: int = PAGES, seed: int = 11) -> str:
    """Explanatory-looking text of about `pages` pages: headings and paragraphs, never repeated."""
    chooser = random.Random(seed)
    parts: list[str] = []
    size = 0
    section = 0
    while size < pages * CHARS_PER_PAGE:
        section += 1
        term = _word(chooser).capitalize()
        heading = f"What is {term}?" if section % 3 == 0 else f"{term} and its {_word(chooser)}"
        sentences = []
        for _ in range(chooser.randint(6, 12)):
            template = chooser.choice(_TEMPLATES)
            sentences.append(
                template.format(
                    A=term if chooser.random() < 0.5 else _word(chooser).capitalize(),
                    B=_word(chooser),
                    C=_word(chooser, 2),
                    D=_word(chooser, 2),
                    L1=_word(chooser, 2).capitalize(),
                    L2=_word(chooser, 2).capitalize(),
                    L3=_word(chooser, 2).capitalize(),
                    adj=_word(chooser, 2),
                    noun=chooser.choice(_NOUNS),
                    verb=chooser.choice(("controls", "produces", "stores", "moves")),
                    n=chooser.randint(2, 99),
                    m=chooser.randint(0, 9),
                )
            )
        block = f"{heading}\n\n{' '.join(sentences)}\n\n"
        parts.append(block)
        size += len(block)
    return "".join(parts)


def pdf_page_count(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def pdf_bytes(text: str) -> bytes:
    """`text` laid out as an A4 PDF by Qt (needs no display: the offscreen platform is used)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QFont, QGuiApplication, QPageSize, QPdfWriter, QTextDocument

    application = QGuiApplication.instance() or QGuiApplication([])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.pdf"
        writer = QPdfWriter(str(path))
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        document = QTextDocument()
        font = QFont("Sans Serif")
        font.setPointSizeF(11.5)
        document.setDefaultFont(font)
        document.setPlainText(text)
        document.print_(writer)
        del writer
        data = path.read_bytes()
    del application
    return data


def _seconds(action: object) -> float:
    assert callable(action)
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


def generation_rows() -> list[tuple[str, float, str]]:
    """(measure, seconds, goal) for generating cards from a 100-page text and a 100-page PDF."""
    text = synthetic_text()
    text_document = load_document(text.encode("utf-8"), ".txt")
    rows = [
        (
            f"generate cards, {len(text) // 1000}k-char text",
            _seconds(lambda: generate_cards(text_document)),
            f"< {GOAL_SECONDS:.0f} s",
        )
    ]
    data = pdf_bytes(text)
    rows.append(
        (
            f"generate cards, {pdf_page_count(data)}-page PDF (extract + generate)",
            _seconds(lambda: generate_cards(load_document(data, ".pdf"))),
            f"< {GOAL_SECONDS:.0f} s",
        )
    )
    return rows


if __name__ == "__main__":
    for name, seconds, goal in generation_rows():
        print(f"{name:<52} {seconds:>8.2f} s  {goal}")
