"""Long id lists cut into `IN (...)` lists a database accepts."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

LISTED = 500
"""Values per `IN (...)` list."""


def id_chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    """`ids` in order, at most `LISTED` at a time."""
    for start in range(0, len(ids), LISTED):
        yield ids[start : start + LISTED]
