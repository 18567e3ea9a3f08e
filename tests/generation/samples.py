"""Where the generation tests find their documents: ours under documents/, and the seed."""

from __future__ import annotations

from pathlib import Path

from studyapp.generation.documents import SourceDocument, load_document

DOCUMENTS = Path(__file__).resolve().parent / "documents"
SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seed" / "emt-vs-ems.txt"


def sample(name: str) -> SourceDocument:
    """One of our own fixture documents, loaded as the app loads a dropped file."""
    path = DOCUMENTS / name
    return load_document(path.read_bytes(), path.suffix)
