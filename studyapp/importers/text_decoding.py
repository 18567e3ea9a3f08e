"""Bytes of a text file -> str: byte-order marks, UTF-8, UTF-16 without a mark, Windows-1252.

No encoding is ever guessed silently wrong into mojibake of valid UTF-8: UTF-8 is tried before the
single-byte fallback, and files that look binary are refused.
"""

from __future__ import annotations

import codecs

from studyapp.errors import InvalidInputError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")
_SAMPLE = 1 << 16


def decode_text(data: bytes, file_name: str) -> tuple[str, str]:
    """The file's text without a byte-order mark, and the encoding it was read with."""
    if not data.strip():
        raise InvalidInputError(f"{file_name} is empty.")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode(data[len(bom) :], encoding, file_name), encoding
    utf16 = _utf16_without_bom(data[:_SAMPLE])
    if utf16 is not None:
        return _decode(data, utf16, file_name), utf16
    if b"\x00" in data:
        raise _binary(file_name)
    try:
        text = data.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError:
        # Windows-1252 leaves five bytes undefined; they become the C1 controls Latin-1 gives.
        text = data.decode("cp1252", "surrogateescape").translate(_UNDEFINED_CP1252)
        encoding = "cp1252"
    _reject_binary(text, file_name)
    return text, encoding


def _decode(data: bytes, encoding: str, file_name: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InvalidInputError(
            f"{file_name} starts like {encoding.upper()} text but is not valid {encoding.upper()} "
            f"at byte {exc.start}."
        ) from exc
    _reject_binary(text, file_name)
    return text


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 text of mostly ASCII has a zero in every other byte."""
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even_zeros = sample[0 : pairs * 2 : 2].count(0)
    odd_zeros = sample[1 : pairs * 2 : 2].count(0)
    if odd_zeros > pairs * 0.4 and even_zeros < pairs * 0.05:
        return "utf-16-le"
    if even_zeros > pairs * 0.4 and odd_zeros < pairs * 0.05:
        return "utf-16-be"
    return None


_UNDEFINED_CP1252 = {0xDC00 + byte: byte for byte in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}


def _reject_binary(text: str, file_name: str) -> None:
    sample = text[:_SAMPLE]
    controls = sum(1 for char in sample if char < " " and char not in _ALLOWED_CONTROLS)
    if "\x00" in sample or controls > max(2, len(sample) // 100):
        raise _binary(file_name)
    if not text.strip():
        raise InvalidInputError(f"{file_name} is empty.")


def _binary(file_name: str) -> InvalidInputError:
    return InvalidInputError(
        f"{file_name} looks like a binary file, not text; choose a CSV, TSV or text export."
    )
