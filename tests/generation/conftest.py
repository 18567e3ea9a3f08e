"""Fixtures for the generation tests."""

from __future__ import annotations

import pytest

from studyapp.generation.documents import SourceDocument, load_document
from tests.generation.samples import SEED


@pytest.fixture
def seed_document() -> SourceDocument:
    """The real seed document, read from the checkout's sibling `shared/seed/`."""
    if not SEED.exists():
        pytest.skip(f"the seed document is not next to the checkout: {SEED}")
    return load_document(SEED.read_bytes(), SEED.suffix)
