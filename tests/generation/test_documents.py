"""load_document: offsets index the decoded text; HTML and PDF text extracted; bad input fails."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QPdfWriter, QTextDocument
from PySide6.QtWidgets import QApplication

from studyapp.errors import InvalidInputError
from studyapp.generation.documents import load_document
from tests.generation.samples import sample


def test_text_is_utf8_with_only_crlf_changed() -> None:
    raw = "\ufeffCaf\u00e9 line one.\r\nLine two\rstays.\n".encode()
    document = load_document(raw, ".txt")
    assert document.kind == "text"
    assert document.text == "Caf\u00e9 line one.\nLine two\rstays.\n"


def test_markdown_is_kept_as_written() -> None:
    raw = b"# Title\r\n\r\nSome **bold** text.\r\n"
    document = load_document(raw, ".MD")
    assert document.kind == "markdown"
    assert document.text == "# Title\n\nSome **bold** text.\n"


def test_html_text_drops_scripts_and_decodes_entities() -> None:
    document = sample("tcp-vs-udp.html")
    assert document.kind == "html"
    assert "tracking code" not in document.text
    assert "font-family" not in document.text
    assert "lost segments & controls" in document.text
    assert "\u00a9 2024" in document.text
    lines = document.text.split("\n")
    assert "TCP vs UDP" in lines  # a heading is a line of its own
    assert "What is TCP?" in lines


def test_html_list_items_become_bullets() -> None:
    raw = b"<p>Colours:</p><ul><li>red</li><li>green &amp; blue</li></ul>"
    assert load_document(raw, "html").text == "Colours:\n\n- red\n- green & blue\n"


@pytest.mark.parametrize(
    ("data", "suffix", "message"),
    [
        (b"text", ".docx", "Cannot make cards from a '.docx' file"),
        (b"\xff\xfe bad", ".txt", "not UTF-8"),
        (b"   \n\n", ".md", "no text"),
        (b"not a pdf at all", ".pdf", "not a PDF"),
        (b"%PDF-1.4 garbage", ".pdf", "cannot be read"),
    ],
)
def test_bad_input_is_a_clear_error(data: bytes, suffix: str, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        load_document(data, suffix)


def test_pdf_text_is_extracted(qapp: QApplication, tmp_path: Path) -> None:
    path = tmp_path / "cells.pdf"
    writer = QPdfWriter(str(path))
    content = QTextDocument()
    content.setPlainText("Mitochondria\n\nMitochondria are organelles that release energy.")
    content.print_(writer)
    del writer
    document = load_document(path.read_bytes(), ".pdf")
    assert document.kind == "pdf"
    assert "organelles that release energy" in " ".join(document.text.split())
