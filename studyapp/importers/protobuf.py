"""A minimal reader of protocol-buffer wire format, enough for Anki's package metadata and configs.

Only the wire layer: varints (type 0), 64-bit (1), length-delimited (2) and 32-bit (5) values;
groups (3, 4) are obsolete and rejected. Callers know which field numbers they want.
"""

from __future__ import annotations

from collections.abc import Iterator

VARINT = 0
FIXED64 = 1
LENGTH_DELIMITED = 2
FIXED32 = 5


class ProtobufError(ValueError):
    """The bytes are not a well-formed protocol-buffer message."""


def read_varint(data: bytes, position: int) -> tuple[int, int]:
    """The varint at `position` and the position after it."""
    result = 0
    shift = 0
    while True:
        if position >= len(data):
            raise ProtobufError("truncated varint")
        byte = data[position]
        position += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, position
        shift += 7
        if shift >= 70:
            raise ProtobufError("varint longer than 10 bytes")


def iter_fields(data: bytes) -> Iterator[tuple[int, int, int | bytes]]:
    """(field number, wire type, value): ints for varint and fixed fields, bytes otherwise."""
    position = 0
    while position < len(data):
        key, position = read_varint(data, position)
        number, wire_type = key >> 3, key & 7
        if number == 0:
            raise ProtobufError("field number 0")
        value: int | bytes
        if wire_type == VARINT:
            value, position = read_varint(data, position)
        elif wire_type in (FIXED64, FIXED32):
            width = 8 if wire_type == FIXED64 else 4
            if position + width > len(data):
                raise ProtobufError("truncated fixed-width field")
            value = int.from_bytes(data[position : position + width], "little")
            position += width
        elif wire_type == LENGTH_DELIMITED:
            length, position = read_varint(data, position)
            if position + length > len(data):
                raise ProtobufError("truncated length-delimited field")
            value = data[position : position + length]
            position += length
        else:
            raise ProtobufError(f"unsupported wire type {wire_type}")
        yield number, wire_type, value


def fields_by_number(data: bytes) -> dict[int, list[int | bytes]]:
    """Every value of every field, in order of appearance (repeated fields keep all)."""
    fields: dict[int, list[int | bytes]] = {}
    for number, _wire_type, value in iter_fields(data):
        fields.setdefault(number, []).append(value)
    return fields


def get_int(fields: dict[int, list[int | bytes]], number: int, default: int = 0) -> int:
    """The last varint value of a field (proto3: the last one wins)."""
    values = [value for value in fields.get(number, ()) if isinstance(value, int)]
    return values[-1] if values else default


def get_bytes(fields: dict[int, list[int | bytes]], number: int) -> bytes | None:
    values = [value for value in fields.get(number, ()) if isinstance(value, bytes)]
    return values[-1] if values else None


def get_str(fields: dict[int, list[int | bytes]], number: int, default: str = "") -> str:
    raw = get_bytes(fields, number)
    if raw is None:
        return default
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtobufError(f"field {number} is not UTF-8 text") from exc


def get_messages(fields: dict[int, list[int | bytes]], number: int) -> list[bytes]:
    """Every value of a repeated message field."""
    return [value for value in fields.get(number, ()) if isinstance(value, bytes)]
