"""Saving the statistics screen: a PNG of the whole content, or a PDF with one column of the
content scaled to the page width and split between blocks."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QPoint, QRect, QRectF
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter, QPalette, QPdfWriter, QRegion
from PySide6.QtWidgets import QFileDialog, QWidget

from studyapp.errors import StudyAppError

PDF_DPI = 200
RASTER = 2
"""The PDF's pages are images at this multiple of the screen's pixels."""


def _tr(text: str) -> str:
    return QCoreApplication.translate("StatisticsExport", text)


class StatisticsExportChooser:
    """Asks where to save (PNG or PDF); tests replace `ask`."""

    @staticmethod
    def ask(parent: QWidget, suggested: Path) -> Path | None:
        pdf, png = _tr("PDF document (*.pdf)"), _tr("PNG image (*.png)")
        chosen, selected = QFileDialog.getSaveFileName(
            parent, _tr("Export statistics"), str(suggested), f"{pdf};;{png}"
        )
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() not in (".pdf", ".png"):
            path = path.with_suffix(".png" if selected == png else ".pdf")
        return path


def save_png(content: QWidget, path: Path) -> None:
    if not content.grab().save(str(path), "PNG"):
        raise StudyAppError(_tr("Could not write %1.").replace("%1", str(path)))


def page_breaks(blocks: list[tuple[int, int]], page_height: float) -> list[tuple[int, int]]:
    """Vertical slices (top, bottom) of at most `page_height`, cut between blocks where possible.

    `blocks` are (top, bottom) of the content's rows, top to bottom.
    """
    pages: list[tuple[int, int]] = []
    start: int | None = None
    end = 0
    for top, bottom in blocks:
        if start is None:
            start = top
        if bottom - start > page_height and end > start:
            pages.append((start, end))
            start = top
        while bottom - start > page_height:  # a block taller than a page: cut it
            cut = start + int(page_height)
            pages.append((start, cut))
            start = cut
        end = bottom
    if start is not None and end > start:
        pages.append((start, end))
    return pages


def save_pdf(content: QWidget, blocks: list[QWidget], path: Path, title: str) -> None:
    writer = QPdfWriter(str(path))
    writer.setTitle(title)
    writer.setCreator("StudyApp")
    writer.setResolution(PDF_DPI)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(10, 10, 10, 10),
            QPageLayout.Unit.Millimeter,
        )
    )
    painter = QPainter()
    if not painter.begin(writer):
        raise StudyAppError(_tr("Could not write %1.").replace("%1", str(path)))
    try:
        area = writer.pageLayout().paintRectPixels(writer.resolution())
        scale = area.width() / max(content.width(), 1)
        spans = [(block.y(), block.y() + block.height()) for block in blocks]
        if not spans:
            spans = [(0, content.height())]
        for number, (top, bottom) in enumerate(page_breaks(spans, area.height() / scale)):
            if number:
                writer.newPage()
            # Raster at twice the screen resolution: the style's gradients do not survive
            # QPdfEngine, and charts read just as well.
            slice_ = QImage(
                content.width() * RASTER, (bottom - top) * RASTER, QImage.Format.Format_RGB32
            )
            slice_.setDevicePixelRatio(RASTER)
            slice_.fill(content.palette().color(QPalette.ColorRole.Window))
            content.render(
                slice_, QPoint(0, 0), QRegion(QRect(0, top, content.width(), bottom - top))
            )
            painter.drawImage(QRectF(0, 0, area.width(), (bottom - top) * scale), slice_)
    finally:
        painter.end()
