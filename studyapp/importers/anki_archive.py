"""The zip layer of Anki packages: safety limits, the `meta` version, the media map and media files.

A package (.apkg or .colpkg) is a zip holding a collection file, a `media` map and media files
named "0", "1", ... Three generations:

- LEGACY_1: `collection.anki2`; media map is JSON {"0": "name.jpg"}; no `meta`.
- LEGACY_2: `collection.anki21` (and a `meta` saying so, or none); media map as above.
- LATEST: `meta` + zstd-compressed `collection.anki21b`; the media map is a zstd-compressed
  protobuf `MediaEntries { repeated MediaEntry entries = 1; }` with
  `MediaEntry { string name = 1; uint32 size = 2; bytes sha1 = 3; }`, entry i stored as zip
  member "i", itself zstd-compressed.
"""

from __future__ import annotations

import io
import json
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import IntEnum

from studyapp.errors import InvalidInputError
from studyapp.importers.protobuf import (
    ProtobufError,
    fields_by_number,
    get_int,
    get_messages,
    get_str,
)

ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_MAX_NAME_LENGTH = 255
_MAX_MAP_SIZE = 256 << 20
_ZSTD_STEP = 1024
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    OSError,
    ValueError,
    EOFError,
    KeyError,
    NotImplementedError,  # an unsupported compression method
    RuntimeError,  # an encrypted member
)


class PackageVersion(IntEnum):
    LEGACY_1 = 1
    LEGACY_2 = 2
    LATEST = 3


COLLECTION_FILES = {
    PackageVersion.LATEST: "collection.anki21b",
    PackageVersion.LEGACY_2: "collection.anki21",
    PackageVersion.LEGACY_1: "collection.anki2",
}


@dataclass(frozen=True, slots=True)
class PackageLimits:
    """Caps that keep a hostile package from exhausting memory or time."""

    max_total_size: int = 2 << 30
    """Bytes, all members expanded (zstd layers included)."""
    max_ratio: int = 1000
    """Expanded / compressed size above which a large member counts as a bomb."""
    max_entries: int = 1_000_000
    time_limit_seconds: float = 300.0
    """For reading the collection database."""


class Archive:
    """A package's zip, checked against the limits before anything is expanded."""

    def __init__(self, data: bytes, limits: PackageLimits) -> None:
        self.limits = limits
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self._zip.infolist()
        except _ZIP_ERRORS as exc:
            raise InvalidInputError(
                f"The file is not a readable Anki package (a damaged or truncated zip: {exc})."
            ) from exc
        if len(infos) > limits.max_entries:
            raise InvalidInputError(f"The package holds {len(infos)} files, too many to import.")
        total = 0
        self._infos: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            _check_member_name(info.filename)
            total += info.file_size
            large = info.file_size > 1 << 20
            if large and info.file_size > limits.max_ratio * max(info.compress_size, 1):
                raise _bomb()
            self._infos[info.filename] = info
        if total > limits.max_total_size:
            raise _bomb()
        self.budget = limits.max_total_size

    def __contains__(self, name: str) -> bool:
        return name in self._infos

    def size(self, name: str) -> int:
        return self._infos[name].file_size

    def read(self, name: str, limit: int | None = None) -> bytes:
        """A member's bytes, zstd layer removed when present (expanding to at most `limit`)."""
        data = self.read_large(name, limit)
        return data if isinstance(data, bytes) else bytes(data)

    def read_large(self, name: str, limit: int | None = None) -> bytes | bytearray:
        """What `read` gives, but the expanded bytes of a zstd member as they were made, not
        copied once more (a collection's database)."""
        try:
            raw = self._zip.read(self._infos[name])
        except _ZIP_ERRORS as exc:
            raise InvalidInputError(
                f"The package's file {name!r} is damaged and cannot be read ({exc})."
            ) from exc
        if raw.startswith(ZSTD_MAGIC):
            return zstd_decompress(raw, self.budget if limit is None else limit, name)
        return raw


def zstd_decompress(data: bytes, limit: int, what: str) -> bytearray:
    """Expand one zstd frame, refusing to produce more than `limit` bytes.

    Input goes in small steps, so a bomb is caught after at most a few dozen MiB of output.
    The output grows in one buffer (no list of pieces joined at the end: one copy less).
    """
    import zstandard  # only the newest packages need it

    expanded = bytearray()
    decompressor = zstandard.ZstdDecompressor().decompressobj()
    view = memoryview(data)
    try:
        for start in range(0, len(data), _ZSTD_STEP):
            expanded += decompressor.decompress(view[start : start + _ZSTD_STEP])
            if len(expanded) > limit:
                raise _bomb()
            if decompressor.eof:
                break
    except zstandard.ZstdError as exc:
        raise InvalidInputError(f"The package's file {what!r} is damaged ({exc}).") from exc
    if not decompressor.eof:
        raise InvalidInputError(f"The package's file {what!r} is damaged (it is truncated).")
    return expanded


def read_version(archive: Archive) -> PackageVersion:
    """The package generation, from `meta` or else from the collection file present."""
    if "meta" in archive:
        if archive.size("meta") > 1 << 20:
            raise InvalidInputError("The package's 'meta' file is implausibly large.")
        try:
            version = get_int(fields_by_number(archive.read("meta")), 1)
        except ProtobufError as exc:
            raise InvalidInputError(f"The package's 'meta' file is damaged ({exc}).") from exc
        if version > PackageVersion.LATEST:
            raise InvalidInputError(
                f"The package was made by a newer Anki (package version {version}); export it "
                "again from Anki with 'Support older Anki versions' ticked."
            )
        if version < PackageVersion.LEGACY_1:
            raise InvalidInputError(f"The package has the unknown package version {version}.")
        return PackageVersion(version)
    for version in PackageVersion.LATEST, PackageVersion.LEGACY_2, PackageVersion.LEGACY_1:
        if COLLECTION_FILES[version] in archive:
            return version
    raise InvalidInputError(
        "The zip file is not an Anki package: it holds no collection.anki2, collection.anki21 "
        "or collection.anki21b."
    )


@dataclass(frozen=True, slots=True)
class _MediaEntry:
    member: str
    size: int | None


def read_media_map(archive: Archive, version: PackageVersion) -> dict[str, _MediaEntry]:
    """Safe media file name -> where it is stored; refuses unsafe names."""
    if "media" not in archive:
        return {}
    if archive.size("media") > _MAX_MAP_SIZE:
        raise InvalidInputError("The package's media list is implausibly large.")
    raw = archive.read("media")
    entries: dict[str, _MediaEntry] = {}
    if version == PackageVersion.LATEST and not raw.lstrip().startswith(b"{"):
        try:
            for index, message in enumerate(get_messages(fields_by_number(raw), 1)):
                entry = fields_by_number(message)
                size = get_int(entry, 2)
                entries[_safe_media_name(get_str(entry, 1))] = _MediaEntry(str(index), size)
        except ProtobufError as exc:
            raise InvalidInputError(f"The package's media list is damaged ({exc}).") from exc
        return entries
    try:
        mapping = json.loads(raw.decode("utf-8") or "{}")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInputError(f"The package's media list is not valid JSON ({exc}).") from exc
    if not isinstance(mapping, dict):
        raise InvalidInputError("The package's media list is not a JSON object.")
    for member, name in mapping.items():
        if not isinstance(name, str):
            raise InvalidInputError(f"The package's media list has a non-text name for {member}.")
        entries[_safe_media_name(name)] = _MediaEntry(str(member), None)
    return entries


def _safe_media_name(name: str) -> str:
    """`name` if it is a plain file name that cannot escape the media folder."""
    stripped = name.strip()
    unsafe = (
        not stripped
        or stripped in (".", "..")
        or stripped != name
        or len(name.encode("utf-8")) > _MAX_NAME_LENGTH
        or any(char in name for char in "/\\:\x00")
        or any(ord(char) < 32 or ord(char) == 127 for char in name)
    )
    if unsafe:
        raise InvalidInputError(
            f"The package's media list names the file {name!r}, which is not a plain file name "
            "(it has a path, '..', or forbidden characters); the package is refused."
        )
    return name


class PackageMedia(Mapping[str, bytes]):
    """The package's media files, read and expanded on access."""

    def __init__(self, archive: Archive, entries: Mapping[str, _MediaEntry]) -> None:
        self._archive = archive
        self._entries = {name: e for name, e in entries.items() if e.member in archive}

    def __getitem__(self, name: str) -> bytes:
        entry = self._entries[name]
        data = self._archive.read(entry.member, entry.size)
        if entry.size is not None and len(data) != entry.size:
            raise InvalidInputError(
                f"The media file {name!r} in the package is damaged ({len(data)} bytes where "
                f"{entry.size} were listed)."
            )
        return data

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)


def missing_media(archive: Archive, entries: Mapping[str, _MediaEntry]) -> list[str]:
    return sorted(name for name, entry in entries.items() if entry.member not in archive)


def _check_member_name(name: str) -> None:
    parts = name.replace("\\", "/").split("/")
    if (
        len(name) > 1024
        or "\x00" in name
        or name.startswith(("/", "\\"))
        or ".." in parts
        or (len(name) > 1 and name[1] == ":")
    ):
        raise InvalidInputError(
            f"The package holds a file with the unsafe name {name[:80]!r}; it is refused."
        )


def _bomb() -> InvalidInputError:
    return InvalidInputError(
        "The package expands to more data than StudyApp accepts (a damaged file or a "
        "decompression bomb); nothing was imported."
    )
