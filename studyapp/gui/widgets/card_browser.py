"""The card view: a QTextBrowser that shows sanitized card HTML and loads only local media files."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QFont, QPalette, QTextDocument, QTextOption
from PySide6.QtWidgets import QTextBrowser, QWidget

SERVED_RESOURCES = (
    QTextDocument.ResourceType.ImageResource,
    QTextDocument.ResourceType.StyleSheetResource,
)


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


class CardBrowser(QTextBrowser):
    """Shows one side of a card; links never open, and nothing is fetched from the network."""

    def __init__(self, media_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._media_dir = media_dir
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

    def loadResource(self, type: int, name: QUrl | str) -> Any:
        """Serve images and style sheets from the media folder; refuse everything else."""
        if type not in SERVED_RESOURCES:
            return None
        path = media_path(self._media_dir, QUrl(name) if isinstance(name, str) else name)
        if path is None:
            return None
        try:
            return path.read_bytes()
        except OSError:
            return None

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
        )
        extra = f'<p class="source">{html.escape(footer)}</p>' if footer else ""
        self.setHtml(f'<div class="card">{body_html}</div>{extra}')
