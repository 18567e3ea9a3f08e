"""The card view: a QTextBrowser that shows sanitized card HTML and loads only local media files.

Images wider than the view are scaled down to fit it (keeping their proportions), and sound
references (`[sound:file.mp3]`) show as play buttons.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSize, QUrl, Signal, Slot
from PySide6.QtGui import (
    QFont,
    QImage,
    QPalette,
    QResizeEvent,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextOption,
)
from PySide6.QtWidgets import QTextBrowser, QWidget

from studyapp.domain.sounds import replace_sound_tags, sound_files

SERVED_RESOURCES = (
    QTextDocument.ResourceType.ImageResource,
    QTextDocument.ResourceType.StyleSheetResource,
)
SOUND_SCHEME = "sound"
"""Play buttons link to "sound:N", the card's N-th sound reference."""
_WANTED_SIZE = QTextFormat.Property.UserProperty
"""On an image's format: the size it asked for (QSize), before fitting it to the view."""


def play_button(index: int, name: str) -> str:
    title = html.escape(name, quote=True)
    return f'<a class="sound" href="{SOUND_SCHEME}:{index}" title="{title}">\u25b6</a>'


def media_path(media_dir: Path, url: QUrl) -> Path | None:
    """The file inside `media_dir` that `url` names, or None when it names anything else.

    Accepted: relative URLs ("cat.jpg", "sub/dog.png") and file: URLs, as long as the resolved path
    (symbolic links and ".." followed) is a regular file inside `media_dir`.  Everything else
    (http, https, data, qrc, a host name, a path escaping the folder) is refused.
    """
    scheme = url.scheme().lower()
    if scheme not in ("", "file") or url.host():
        return None
    if scheme == "file":
        raw = url.toLocalFile()
    else:
        raw = url.path(QUrl.ComponentFormattingOption.FullyDecoded)
    if not raw:
        return None
    root = media_dir.resolve()
    try:
        candidate = (root / raw).resolve()
    except (OSError, RuntimeError):
        return None
    if not candidate.is_relative_to(root) or not candidate.is_file():
        return None
    return candidate


def _stand_in(type: int) -> QImage | QByteArray:
    """What a refused image (one transparent pixel) or style sheet (no rules) shows as."""
    if type == QTextDocument.ResourceType.ImageResource:
        image = QImage(1, 1, QImage.Format.Format_ARGB32)
        image.fill(0)
        return image
    return QByteArray()


class CardBrowser(QTextBrowser):
    """Shows one side of a card; links never open, and nothing is fetched from the network.

    Signals: sound_clicked(str), the file name of a play button the user clicked.
    """

    sound_clicked = Signal(str)

    def __init__(self, media_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._media_dir = media_dir
        self._sounds: tuple[str, ...] = ()
        self._image_sizes: dict[str, QSize] = {}
        self._fitted_to = -1
        self.anchorClicked.connect(self._on_anchor)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setReadOnly(True)
        self.document().setDocumentMargin(24)
        option = self.document().defaultTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.document().setDefaultTextOption(option)

    @property
    def media_dir(self) -> Path:
        return self._media_dir

    @property
    def sounds(self) -> tuple[str, ...]:
        """The sound files the side on screen names, in order."""
        return self._sounds

    def loadResource(self, type: int, name: QUrl | str) -> Any:
        """Serve images and style sheets from the media folder; refuse everything else.

        A refused image or style sheet gets an empty stand-in rather than nothing: given
        nothing, Qt goes on to open the name as a file itself, relative to the working
        directory, outside the media folder."""
        if type not in SERVED_RESOURCES:
            return None
        path = media_path(self._media_dir, QUrl(name) if isinstance(name, str) else name)
        try:
            data = None if path is None else path.read_bytes()
        except OSError:
            data = None
        if data is None:
            return _stand_in(type)
        if type == QTextDocument.ResourceType.ImageResource:
            image = QImage.fromData(data)
            self._image_sizes[str(name.toString() if isinstance(name, QUrl) else name)] = (
                image.size()
            )
        return QByteArray(data)  # Qt decodes a QByteArray, not Python bytes

    def show_card(
        self, body_html: str, css: str, text_size: int, footer: str | None = None
    ) -> None:
        """Show `body_html` (already sanitized) styled by the note type's `css` at `text_size` pt.

        The text size is the document's default font size and also overrides the size the note
        type's CSS gives `.card`, so the setting always takes effect.  Qt ignores CSS it does not
        support.  Right-to-left text gets its direction per paragraph from Qt's bidi algorithm.
        """
        document = self.document()
        font = QFont(self.font())
        font.setPointSize(text_size)
        document.setDefaultFont(font)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.Text).name()
        muted = palette.color(QPalette.ColorRole.PlaceholderText).name()
        footer_size = max(8, round(text_size * 0.6))
        document.setDefaultStyleSheet(
            f"{css}\n"
            f".card {{ font-size: {text_size}pt; color: {text}; }}\n"
            f"p.source {{ font-size: {footer_size}pt; color: {muted}; text-align: center; "
            f"margin-top: 24px; }}\n"
            "a.sound { text-decoration: none; }\n"
        )
        extra = f'<p class="source">{html.escape(footer)}</p>' if footer else ""
        self._sounds = sound_files(body_html)
        body_html = replace_sound_tags(body_html, play_button)
        self.setHtml(f'<div class="card">{body_html}</div>{extra}')
        self._fitted_to = -1
        self.fit_images()

    def fit_images(self) -> None:
        """Scale images that are wider than the view down to its width; give the others back
        the size they asked for."""
        document = self.document()
        width = self.viewport().width() - 2 * document.documentMargin() - 4
        if width <= 0 or round(width) == self._fitted_to:
            return
        self._fitted_to = round(width)
        cursor = QTextCursor(document)
        block = document.begin()
        while block.isValid():
            margins = block.blockFormat()  # the card's CSS padding and margins end up here
            available = max(
                16.0,
                width - margins.leftMargin() - margins.rightMargin() - abs(margins.textIndent()),
            )
            fragments = block.begin()
            while not fragments.atEnd():
                fragment = fragments.fragment()
                image = fragment.charFormat().toImageFormat()
                if image.isValid():
                    wanted = image.property(_WANTED_SIZE)
                    if not isinstance(wanted, QSize):
                        wanted = self._wanted_size(image.name(), image.width(), image.height())
                        image.setProperty(_WANTED_SIZE, wanted)
                    scale = min(1.0, available / wanted.width()) if wanted.width() > 0 else 1.0
                    if wanted.width() > 0:
                        image.setWidth(wanted.width() * scale)
                    if wanted.height() > 0:
                        image.setHeight(wanted.height() * scale)
                    cursor.setPosition(fragment.position())
                    cursor.setPosition(
                        fragment.position() + fragment.length(), QTextCursor.MoveMode.KeepAnchor
                    )
                    cursor.setCharFormat(image)
                fragments += 1
            block = block.next()

    def _wanted_size(self, name: str, width: float, height: float) -> QSize:
        """The size an image asks for: its width and height attributes, else its own size."""
        document = self.document()
        document.resource(QTextDocument.ResourceType.ImageResource, QUrl(name))  # loads it
        natural = self._image_sizes.get(name, QSize())
        if width <= 0 and height <= 0:
            return natural
        if natural.width() <= 0 or natural.height() <= 0:
            return QSize(round(width), round(height))
        if width <= 0:
            width = natural.width() * height / natural.height()
        if height <= 0:
            height = natural.height() * width / natural.width()
        return QSize(round(width), round(height))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_images()

    @Slot(QUrl)
    def _on_anchor(self, url: QUrl) -> None:
        if url.scheme() != SOUND_SCHEME or not url.path().isdigit():
            return
        index = int(url.path())
        if index < len(self._sounds):
            self.sound_clicked.emit(self._sounds[index])
