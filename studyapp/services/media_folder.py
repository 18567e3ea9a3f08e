"""Files attached to notes: copied into the collection's media folder under a safe, unique name.

A name keeps the letters, digits, dots, dashes and underscores of the original (anything else
becomes `_`), never names a folder, and gets `-2`, `-3`, ... when a different file already has
it; the same file attached twice is stored once.  Fields refer to images as `<img src="...">` and
to audio as `[sound:...]`, as Anki does.
"""

from __future__ import annotations

import hashlib
import html
import re
from pathlib import Path

from studyapp.errors import InvalidInputError

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".bmp"})
AUDIO_SUFFIXES = frozenset({".mp3", ".ogg", ".oga", ".opus", ".wav", ".m4a", ".flac", ".aac"})
MAX_BYTES = 100 * 1024 * 1024

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_LONGEST_STEM = 80


def safe_name(original: str) -> str:
    """A file name made of safe characters only, keeping the suffix, never empty or hidden."""
    base = original.replace("\\", "/").rsplit("/", 1)[-1]
    suffix = Path(base).suffix.lower()
    stem = _UNSAFE.sub("_", base[: len(base) - len(suffix)] if suffix else base).strip("._-")
    return f"{stem[:_LONGEST_STEM] or 'file'}{_UNSAFE.sub('', suffix)}"


def field_snippet(name: str) -> str:
    """How a field refers to the media file `name`."""
    if Path(name).suffix.lower() in AUDIO_SUFFIXES:
        return f"[sound:{name}]"
    return f'<img src="{html.escape(name, quote=True)}">'


class MediaFolder:
    def __init__(self, root: Path) -> None:
        self._root = root

    def add_file(self, path: Path) -> str:
        """Copy the image or audio file at `path` in; returns the name it is stored under."""
        suffix = path.suffix.lower()
        if suffix not in IMAGE_SUFFIXES | AUDIO_SUFFIXES:
            raise InvalidInputError(
                f"{path.name} is not an image or audio file StudyApp can show or play."
            )
        try:
            if path.stat().st_size > MAX_BYTES:
                raise InvalidInputError(f"{path.name} is larger than 100 MB.")
            content = path.read_bytes()
        except OSError as error:
            raise InvalidInputError(f"{path.name} could not be read: {error.strerror}.") from error
        return self.add_bytes(content, path.name)

    def add_bytes(self, content: bytes, original_name: str) -> str:
        """Store `content` (a pasted image, say) under a name based on `original_name`."""
        if Path(original_name).suffix.lower() not in IMAGE_SUFFIXES | AUDIO_SUFFIXES:
            raise InvalidInputError(f"{original_name} is not an image or audio file.")
        self._root.mkdir(parents=True, exist_ok=True)
        root = self._root.resolve()
        wanted = safe_name(original_name)
        stem, suffix = wanted[: -len(Path(wanted).suffix)], Path(wanted).suffix
        for number in range(1, 10_000):
            name = wanted if number == 1 else f"{stem}-{number}{suffix}"
            target = (root / name).resolve()
            if not target.is_relative_to(root) or target.parent != root:
                raise InvalidInputError(f"The file name {original_name!r} was refused.")
            if target.exists():
                if target.is_file() and _same(target, content):
                    return name
                continue
            try:
                target.write_bytes(content)
            except OSError as error:
                raise InvalidInputError(
                    f"The media folder could not be written: {error.strerror}."
                ) from error
            return name
        raise InvalidInputError(f"Too many media files are called {wanted}.")


def _same(path: Path, content: bytes) -> bool:
    try:
        if path.stat().st_size != len(content):
            return False
        return hashlib.sha256(path.read_bytes()).digest() == hashlib.sha256(content).digest()
    except OSError:
        return False
