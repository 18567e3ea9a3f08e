"""The card view loads files from the media folder and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSize, QUrl
from PySide6.QtGui import QImage, QTextDocument
from pytestqt.qtbot import QtBot

from studyapp.gui.widgets.card_browser import CardBrowser

IMAGE = QTextDocument.ResourceType.ImageResource
PNG = bytes.fromhex("89504e470d0a1a0a")  # a PNG signature is enough: no decoding happens here


def is_stand_in(resource: object) -> bool:
    """A refused image comes back as one transparent pixel, never as the file's bytes."""
    return isinstance(resource, QImage) and resource.size() == QSize(1, 1)


@pytest.fixture
def browser(qtbot: QtBot, media_dir: Path) -> CardBrowser:
    (media_dir / "cat.png").write_bytes(PNG)
    (media_dir / "sub").mkdir()
    (media_dir / "sub" / "dog one.png").write_bytes(PNG)
    widget = CardBrowser(media_dir)
    qtbot.addWidget(widget)
    return widget


def test_serves_files_inside_the_media_folder(browser: CardBrowser, media_dir: Path) -> None:
    assert browser.loadResource(IMAGE, QUrl("cat.png")) == PNG
    assert browser.loadResource(IMAGE, QUrl("sub/dog%20one.png")) == PNG
    assert browser.loadResource(IMAGE, QUrl.fromLocalFile(str(media_dir / "cat.png"))) == PNG


@pytest.mark.parametrize(
    "url",
    [
        "../secret.txt",
        "sub/../../secret.txt",
        "/etc/passwd",
        "http://example.com/cat.png",
        "https://example.com/cat.png",
        "//example.com/cat.png",
        "ftp://example.com/cat.png",
        "data:image/png;base64,iVBORw0KGgo=",
        "qrc:/cat.png",
        "file://example.com/cat.png",
        "missing.png",
        "sub",
    ],
)
def test_refuses_anything_else(browser: CardBrowser, media_dir: Path, url: str) -> None:
    (media_dir.parent / "secret.txt").write_text("secret")
    assert is_stand_in(browser.loadResource(IMAGE, QUrl(url)))


def test_refuses_files_outside_even_as_file_urls_or_links(
    browser: CardBrowser, media_dir: Path
) -> None:
    outside = media_dir.parent / "secret.txt"
    outside.write_text("secret")
    (media_dir / "link.png").symlink_to(outside)

    assert is_stand_in(browser.loadResource(IMAGE, QUrl.fromLocalFile(str(outside))))
    assert is_stand_in(browser.loadResource(IMAGE, QUrl("link.png")))


def test_only_images_and_style_sheets_are_served(browser: CardBrowser) -> None:
    html = QTextDocument.ResourceType.HtmlResource
    assert browser.loadResource(html, QUrl("cat.png")) is None


def test_links_never_open(browser: CardBrowser) -> None:
    assert not browser.openLinks()
    assert not browser.openExternalLinks()


def test_shows_an_image_from_the_media_folder(browser: CardBrowser) -> None:
    browser.show_card('<img src="cat.png"> and <img src="http://example.com/x.png">', "", 18)
    assert "and" in browser.toPlainText()
