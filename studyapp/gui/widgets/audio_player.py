"""Plays a card's sounds, one after another, through QtMultimedia.

Only files inside the collection's media folder play.  QtMultimedia is loaded on the first sound,
so showing the deck list does not pay for it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QUrl, Signal, Slot

from studyapp.gui.widgets.card_browser import media_path

if TYPE_CHECKING:
    from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer

log = logging.getLogger(__name__)


def media_file(media_dir: Path, name: str) -> Path | None:
    """The file called `name` inside `media_dir`, or None (missing, or outside the folder)."""
    if not name or "\x00" in name:
        return None
    return media_path(media_dir, QUrl.fromLocalFile(str(media_dir / name)))


class AudioPlayer(QObject):
    """Signals: unavailable(str) once, if this machine cannot play sound at all."""

    unavailable = Signal(str)

    def __init__(self, media_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._media_dir = media_dir
        self._queue: list[Path] = []
        self._player: QMediaPlayer | None = None
        self._output: QAudioOutput | None = None
        self._broken = False

    @property
    def source(self) -> Path | None:
        """The file playing (or last played), or None."""
        if self._player is None or self._player.source().isEmpty():
            return None
        return Path(self._player.source().toLocalFile())

    @property
    def queued(self) -> tuple[Path, ...]:
        """Files still to play after the current one."""
        return tuple(self._queue)

    def play(self, names: Sequence[str]) -> list[Path]:
        """Stop what is playing and play these media files in order; returns the files found
        (names of missing files, or of files outside the media folder, are skipped)."""
        self.stop()
        files = [path for path in (media_file(self._media_dir, n) for n in names) if path]
        self._queue = list(files)
        self._play_next()
        return files

    @Slot()
    def stop(self) -> None:
        self._queue.clear()
        if self._player is not None:
            self._player.stop()

    def _play_next(self) -> None:
        if not self._queue:
            return
        player = self._ready_player()
        if player is None:
            self._queue.clear()
            return
        player.setSource(QUrl.fromLocalFile(str(self._queue.pop(0))))
        player.play()

    def _ready_player(self) -> QMediaPlayer | None:
        if self._player is not None or self._broken:
            return self._player
        try:
            from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer
        except ImportError as error:  # a missing system audio library (libpulse)
            self._broken = True
            log.warning("Audio cannot play: %s", error)
            self.unavailable.emit(
                QCoreApplication.translate("AudioPlayer", "Sound cannot play here: %1").replace(
                    "%1", str(error)
                )
            )
            return None
        self._output = QAudioOutput(self)
        self._player = QMediaPlayer(self)
        self._player.setAudioOutput(self._output)
        self._player.mediaStatusChanged.connect(self._on_status)
        self._player.errorOccurred.connect(self._on_error)
        return self._player

    @Slot(object)
    def _on_status(self, status: object) -> None:
        from PySide6.QtMultimedia import QMediaPlayer

        if status in (QMediaPlayer.MediaStatus.EndOfMedia, QMediaPlayer.MediaStatus.InvalidMedia):
            self._play_next()

    @Slot(object, str)
    def _on_error(self, _error: object, message: str) -> None:
        log.info("Sound %s did not play: %s", self.source, message)
