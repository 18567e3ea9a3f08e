"""A card's images come from the media folder only: a name the folder lacks is not looked up
anywhere else, not even in the app's working directory (where Qt looks when the view's resource
loader gives it nothing)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from studyapp.gui.widgets.card_browser import CardBrowser

RED = QColor(255, 0, 0)


def red_image(path: Path) -> None:
    image = QImage(80, 80, QImage.Format.Format_RGB32)
    image.fill(RED)
    assert image.save(str(path))


def red_share(browser: CardBrowser) -> float:
    """The share of the view's pixels (sampled) that are pure red."""
    shot = browser.viewport().grab().toImage()
    points = [(x, y) for x in range(0, shot.width(), 4) for y in range(0, shot.height(), 4)]
    return sum(shot.pixelColor(x, y) == RED for x, y in points) / len(points)


@pytest.fixture
def shown(
    qtbot: QtBot, media_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> CardBrowser:
    elsewhere = tmp_path / "working directory"
    elsewhere.mkdir()
    red_image(elsewhere / "red.png")
    monkeypatch.chdir(elsewhere)
    browser = CardBrowser(media_dir)
    qtbot.addWidget(browser)
    browser.resize(320, 240)
    browser.show()
    qtbot.waitExposed(browser)
    return browser


def test_images_missing_from_the_media_folder_are_not_read_from_elsewhere(
    qtbot: QtBot, shown: CardBrowser, media_dir: Path
) -> None:
    shown.show_card('<img src="red.png">', "", 12)
    qtbot.wait(50)
    assert red_share(shown) == 0
    red_image(media_dir / "red.png")  # the same name, now in the media folder
    shown.show_card('<img src="red.png"> ', "", 12)
    qtbot.wait(50)
    assert red_share(shown) > 0.02
