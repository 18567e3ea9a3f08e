"""A minimal writer of protocol-buffer wire format, enough for Anki's package metadata and configs.

Each helper returns one encoded field; a message is the concatenation of its fields. Scalars equal
to their proto3 default are left out, as protobuf encoders do.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable

VARINT = 0
LENGTH_DELIMITED = 2
FIXED32 = 5


def varint(value: int) -> bytes:
    """An unsigned varint; negative values are written as their 64-bit two's complement."""
    if value < 0:
        value += 1 << 64
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _key(number: int, wire_type: int) -> bytes:
    return varint(number << 3 | wire_type)


def int_field(number: int, value: int) -> bytes:
    """An int32/int64/uint32/bool/enum field."""
    return _key(number, VARINT) + varint(value) if value else b""


def float_field(number: int, value: float) -> bytes:
    return _key(number, FIXED32) + struct.pack("<f", value) if value else b""


def bytes_field(number: int, value: bytes | str, *, keep_empty: bool = False) -> bytes:
    """A string, bytes or embedded-message field (`keep_empty` for a present empty message)."""
    raw = value.encode("utf-8") if isinstance(value, str) else value
    if not raw and not keep_empty:
        return b""
    return _key(number, LENGTH_DELIMITED) + varint(len(raw)) + raw


def packed_floats(number: int, values: Iterable[float]) -> bytes:
    return bytes_field(number, b"".join(struct.pack("<f", value) for value in values))


def packed_ints(number: int, values: Iterable[int]) -> bytes:
    return bytes_field(number, b"".join(varint(value) for value in values))
