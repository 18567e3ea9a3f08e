"""Key terms: stop words and generic headings never count; specific, repeated terms score high."""

from __future__ import annotations

from studyapp.generation.terms import TermIndex, is_generic, stem, words

TEXT = (
    "Introduction. The mitochondrion is an organelle. Every mitochondrion makes energy. "
    "The mitochondrion has its own DNA, and it is very small."
)


def test_stems_ignore_plural_and_case() -> None:
    assert stem("Mitochondria") == "mitochondria"
    assert stem("CPUs") == stem("CPU") == "cpu"
    assert stem("process") == "process"
    assert stem("Earth\u2019s") == "earth"


def test_generic_headings() -> None:
    assert is_generic("Introduction")
    assert is_generic("Summary")
    assert is_generic("In conclusion")
    assert not is_generic("Photosynthesis")


def test_terms_never_stop_words_or_generic() -> None:
    index = TermIndex(TEXT, [(0, len(TEXT))])
    found = index.terms_in(TEXT, 0, len(TEXT))
    phrases = [" ".join(w.text for w in phrase).lower() for _, phrase in found]
    assert phrases[0] == "mitochondrion"
    assert "dna" in phrases
    for phrase in phrases:
        assert phrase not in {"the", "it", "is", "its", "very", "and", "introduction"}


def test_words_have_document_offsets() -> None:
    for word in words(TEXT, 14, 60):
        assert TEXT[word.start : word.end] == word.text
