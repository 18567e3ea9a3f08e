"""Whatever the bytes, importers raise only InvalidInputError; and the protobuf reader's edges."""

from __future__ import annotations

import contextlib
import random

import pytest

from studyapp.errors import InvalidInputError
from studyapp.importers.anki_package import parse_anki_package
from studyapp.importers.protobuf import (
    ProtobufError,
    fields_by_number,
    get_int,
    get_messages,
    get_str,
    read_varint,
)
from studyapp.importers.text import TextImportOptions, parse_text
from tests.importers.anki_builder import latest_package, legacy_package, pb_bytes, pb_int, varint


def _mutations(data: bytes, seed: int, count: int) -> list[bytes]:
    rng = random.Random(seed)
    out: list[bytes] = []
    for _ in range(count):
        mutated = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            mutated[rng.randrange(len(mutated))] = rng.randrange(256)
        cut = rng.choice([len(mutated), rng.randrange(len(mutated))])
        out.append(bytes(mutated[:cut]))
    return out


@pytest.mark.parametrize("builder", [legacy_package, latest_package])
def test_damaged_packages_raise_only_our_error(builder: object) -> None:
    assert callable(builder)
    original: bytes = builder()
    for data in _mutations(original, seed=4, count=60):
        try:
            draft = parse_anki_package(data)
            for name in draft.media:
                draft.media[name]
        except InvalidInputError:
            pass


def test_random_text_raises_only_our_error() -> None:
    sample = b'#separator:Comma\n#html:true\nq,"a\nb"\n\xff\xfeq2,a2\n'
    rng = random.Random(7)
    blobs = _mutations(sample, seed=5, count=200)
    blobs += [bytes(rng.randrange(256) for _ in range(rng.randrange(64))) for _ in range(200)]
    for data in blobs:
        with contextlib.suppress(InvalidInputError):
            parse_text(data, file_name="fuzz.csv", options=TextImportOptions())


def test_varints_and_fields() -> None:
    assert read_varint(varint(300), 0) == (300, 2)
    message = pb_int(1, 3) + pb_bytes(2, "héllo") + pb_bytes(3, b"a") + pb_bytes(3, b"b")
    fields = fields_by_number(message + b"\x25\x01\x00\x00\x00")  # field 4, fixed32
    assert get_int(fields, 1) == 3
    assert get_str(fields, 2) == "héllo"
    assert get_messages(fields, 3) == [b"a", b"b"]
    assert get_int(fields, 4) == 1
    assert get_int(fields, 9, default=-1) == -1


@pytest.mark.parametrize(
    "data", [b"\x08", b"\x12\x05ab", b"\x0b", b"\x00\x01", b"\x08" + b"\xff" * 11, b"\x0d\x01"]
)
def test_malformed_protobuf(data: bytes) -> None:
    with pytest.raises(ProtobufError):
        fields_by_number(data)
