"""Document bytes -> the plain text that cards are generated from and that their offsets index.

`.txt` and `.md` are decoded as UTF-8 with only CRLF turned into LF (a BOM is dropped), so offsets
index the file's own text.  HTML and PDF text is extracted here; the app stores that text with the
cards, because their offsets index it.
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from studyapp.errors import InvalidInputError
from studyapp.generation.terms import word_set

KINDS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
}

_BLOCK_TAGS = word_set(
    "address article aside blockquote body caption dd details div dl dt fieldset figcaption figure"
    " footer form h1 h2 h3 h4 h5 h6 header hr html li main nav ol p pre section summary table tbody"
    " td tfoot th thead tr ul"
)
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_DROPPED_TAGS = frozenset({"script", "style", "head", "title", "template", "noscript", "svg"})


@dataclass(frozen=True)
class SourceDocument:
    """The text cards come from; `kind` is "text", "markdown", "html" or "pdf"."""

    text: str
    kind: str


def load_document(data: bytes, suffix: str) -> SourceDocument:
    """Decode or extract a document's text; `suffix` is the file extension, e.g. ".pdf"."""
    normalized = suffix.lower() if suffix.startswith(".") else "." + suffix.lower()
    kind = KINDS.get(normalized)
    if kind is None:
        raise InvalidInputError(
            f"Cannot make cards from a '{suffix}' file: use a .txt, .md, .html or .pdf document."
        )
    if kind == "pdf":
        text = _pdf_text(data)
    elif kind == "html":
        text = _html_text(_decode(data, allow_legacy=True))
    else:
        text = _decode(data, allow_legacy=False).replace("\r\n", "\n")
    if not text.strip():
        raise InvalidInputError("The document contains no text to make cards from.")
    return SourceDocument(text=text, kind=kind)


def _decode(data: bytes, *, allow_legacy: bool) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        if allow_legacy:
            try:
                return data.decode("cp1252")
            except UnicodeDecodeError:
                pass
        raise InvalidInputError(
            f"The document is not UTF-8 text (undecodable byte at position {error.start})."
        ) from None


class _TextExtractor(HTMLParser):
    """Collects visible text; block elements become line breaks, list items get a "- " bullet."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._dropped = 0
        self._preformatted = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED_TAGS:
            self._dropped += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n" if tag in _HEADING_TAGS or tag == "p" else "\n")
            if tag == "li":
                self.parts.append("- ")
            if tag == "pre":
                self._preformatted += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROPPED_TAGS:
            self._dropped = max(0, self._dropped - 1)
        elif tag in _BLOCK_TAGS and tag != "li":  # the next item starts its own line
            self.parts.append("\n\n" if tag in _HEADING_TAGS or tag == "p" else "\n")
            if tag == "pre":
                self._preformatted = max(0, self._preformatted - 1)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "hr"):
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._dropped:
            return
        self.parts.append(data if self._preformatted else re.sub(r"\s+", " ", data))


def _html_text(markup: str) -> str:
    extractor = _TextExtractor()
    extractor.feed(markup)
    extractor.close()
    return _tidy_lines("".join(extractor.parts))


def _tidy_lines(text: str) -> str:
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    tidy = "\n".join(lines)
    tidy = re.sub(r"\n{3,}", "\n\n", tidy)
    tidy = re.sub(r"(?m)^-\n+(?=\S)", "- ", tidy)  # a bullet left alone on its line
    return tidy.strip() + "\n"


PAGES_PER_WORKER = 12


def _pages_in_parallel(data: bytes, count: int, workers: int) -> list[str]:
    """pypdf is pure Python and slow on long PDFs: worker processes share the pages out."""
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    bounds = [count * i // workers for i in range(workers + 1)]
    context = get_context("spawn")  # never fork a process that may be running Qt threads
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        chunks = pool.map(_extract_pages, [data] * workers, bounds[:-1], bounds[1:])
        return [text for chunk in chunks for text in chunk]


def _extract_pages(data: bytes, first: int, stop: int) -> list[str]:
    """The text of pages [first, stop) of a PDF; runs in a worker process."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return [reader.pages[index].extract_text() or "" for index in range(first, stop)]


def _pdf_text(data: bytes) -> str:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError
    except ImportError:  # pragma: no cover - pypdf is a declared dependency
        raise InvalidInputError("Reading PDF documents needs the 'pypdf' package.") from None
    if not data.startswith(b"%PDF"):
        raise InvalidInputError("The file is not a PDF document.")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise InvalidInputError("The PDF document is encrypted; remove the password first.")
        count = len(reader.pages)
        workers = min(os.cpu_count() or 1, 4, count // PAGES_PER_WORKER)
        if workers > 1:
            pages = _pages_in_parallel(data, count, workers)
        else:
            pages = [page.extract_text() or "" for page in reader.pages]
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as error:
        raise InvalidInputError(f"The PDF document cannot be read: {error}") from None
    text = _tidy_lines("\n\n".join(pages))
    if not text.strip():
        raise InvalidInputError(
            "The PDF document has no text layer (is it scanned?); no cards can be made from it."
        )
    return text
