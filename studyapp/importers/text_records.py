"""Splitting decoded text into header directives and records of cells, with their line numbers.

Anki text exports start with `#key:value` lines (`#separator:tab`, `#html:true`, ...). Records are
read with the csv module (quotes, doubled quotes, separators and newlines inside quoted fields) or,
for Quizlet's custom separators, by plain splitting, since Quizlet never quotes.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from studyapp.errors import InvalidInputError

SEPARATOR_NAMES = {
    "comma": ",",
    "semicolon": ";",
    "tab": "\t",
    "space": " ",
    "pipe": "|",
    "colon": ":",
}
CANDIDATE_SEPARATORS = ("\t", "|", ";", ",")
"""Tried in this order when neither the file nor the user names a separator."""

_DIRECTIVE = re.compile(r"#([A-Za-z][A-Za-z ]*):(.*)")
_DETECTION_ROWS = 50


@dataclass(slots=True)
class Header:
    """The directives at the top of the file, raw; unknown ones are kept but never used."""

    directives: dict[str, str] = field(default_factory=dict)
    lines: int = 0
    """How many lines the header block takes."""

    def get(self, key: str) -> str | None:
        return self.directives.get(key)

    def column(self, key: str) -> int | None:
        """A `#... column:N` directive as a 0-based index."""
        raw = self.directives.get(key)
        if raw is None:
            return None
        try:
            number = int(raw.strip())
        except ValueError:
            number = 0
        if number < 1:
            raise InvalidInputError(
                f"The header line '#{key}:{raw}' needs a column number of 1 or more."
            )
        return number - 1


class Record(NamedTuple):
    line: int
    """1-based line of the file on which the record starts."""
    cells: tuple[str, ...]


def read_header(text: str) -> tuple[Header, str]:
    """The leading `#key:value` and `#` comment lines, and the rest of the text."""
    header = Header()
    position = 0
    while position < len(text) and text.startswith("#", position):
        end = text.find("\n", position)
        end = len(text) if end < 0 else end + 1
        line = text[position:end].rstrip("\r\n")
        match = _DIRECTIVE.fullmatch(line)
        if match is None:
            break
        header.directives[match.group(1).strip().casefold()] = match.group(2).strip()
        header.lines += 1
        position = end
    return header, text[position:]


def separator_from_directive(value: str) -> str:
    name = value.strip().casefold()
    if name in SEPARATOR_NAMES:
        return SEPARATOR_NAMES[name]
    if name in ("\\t", "tabulator"):
        return "\t"
    if len(value) == 1:
        return value
    if len(name) == 1:
        return name
    names = ", ".join(sorted(word.capitalize() for word in SEPARATOR_NAMES))
    raise InvalidInputError(
        f"The header line '#separator:{value}' names no separator; use one of {names} "
        "or a single character."
    )


def detect_separator(body: str) -> str:
    """The candidate that splits the first rows into the most equal columns (2 or more).

    Ties go to the candidate that splits every row alike, then to more columns, then to the order
    of CANDIDATE_SEPARATORS. A file with a single column reads as tab-separated.
    """
    best: tuple[float, int, int] | None = None
    chosen = "\t"
    for rank, candidate in enumerate(CANDIDATE_SEPARATORS):
        counts = [len(record.cells) for record in _sample(body, candidate)]
        if not counts:
            continue
        mode = max(set(counts), key=lambda count: (counts.count(count), count))
        if mode < 2:
            continue
        score = (counts.count(mode) / len(counts), mode, -rank)
        if best is None or score > best:
            best, chosen = score, candidate
    return chosen


def _sample(body: str, separator: str) -> list[Record]:
    lines = body.splitlines(keepends=True)[: _DETECTION_ROWS * 4]
    records = read_csv_records("".join(lines), separator, first_line=1)
    return records[:_DETECTION_ROWS]


def read_csv_records(body: str, separator: str, first_line: int) -> list[Record]:
    """Records split by the csv module; blank lines are left out."""
    if len(body) >= csv.field_size_limit():
        csv.field_size_limit(len(body) + 1)  # one huge field is allowed; the file is in memory
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=separator, strict=False)
    records: list[Record] = []
    append = records.append
    consumed = 0
    crlf = "\r\n" in body
    for row in reader:
        start = first_line + consumed
        consumed = reader.line_num
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if crlf:
            append(Record(start, tuple(cell.replace("\r\n", "\n") for cell in row)))
        else:
            append(Record(start, tuple(row)))
    if records and consumed > records[-1].line - first_line + 1:
        _check_last_record_closed(body, separator, records[-1].line - first_line, records[-1].line)
    return records


def _check_last_record_closed(body: str, separator: str, line_index: int, line: int) -> None:
    rest = "".join(body.splitlines(keepends=True)[line_index:])
    reader = csv.reader(io.StringIO(rest, newline=""), delimiter=separator, strict=True)
    try:
        for _row in reader:
            pass
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            raise InvalidInputError(
                f"Line {line}: a quoted field starts here and is never closed; "
                'check the quotes (a " inside a quoted field is written "").'
            ) from exc


def read_split_records(
    body: str, field_separator: str, record_separator: str, first_line: int
) -> list[Record]:
    """Quizlet's export: no quoting; each record is "term<field separator>definition"."""
    records: list[Record] = []
    line = first_line
    for chunk in body.split(record_separator):
        stripped = chunk.strip("\r\n")
        start = line + chunk[: len(chunk) - len(chunk.lstrip("\r\n"))].count("\n")
        line += chunk.count("\n") + record_separator.count("\n")
        if stripped.strip():
            cells = stripped.replace("\r\n", "\n").split(field_separator, 1)
            records.append(Record(start, tuple(cells)))
    return records
