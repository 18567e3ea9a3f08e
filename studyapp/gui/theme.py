"""Light and dark palettes, the stylesheet that goes with each, and the colours of the counts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from studyapp.services.settings import Theme


@dataclass(frozen=True, slots=True)
class CountColors:
    """Colours of the new / learning / due numbers, chosen to read well on the theme's base."""

    new: str
    learning: str
    review: str
    zero: str


LIGHT_COUNTS = CountColors(new="#1a5fb4", learning="#c01c28", review="#26803a", zero="#8a8a8a")
DARK_COUNTS = CountColors(new="#78aeed", learning="#ff8e76", review="#6fd38a", zero="#8c8c8c")


def resolve_theme(chosen: Theme, scheme: Qt.ColorScheme | None = None) -> Theme:
    """LIGHT or DARK: SYSTEM follows the platform's colour scheme (light when unknown).

    `scheme` defaults to what QStyleHints reports now.
    """
    if chosen is not Theme.SYSTEM:
        return chosen
    if scheme is None:
        scheme = QGuiApplication.styleHints().colorScheme()
    return Theme.DARK if scheme == Qt.ColorScheme.Dark else Theme.LIGHT


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def count_colors(palette: QPalette) -> CountColors:
    return DARK_COUNTS if is_dark(palette) else LIGHT_COUNTS


def _palette(colors: dict[QPalette.ColorRole, str], disabled_text: str) -> QPalette:
    palette = QPalette()
    for role, value in colors.items():
        palette.setColor(role, QColor(value))
    disabled = QPalette.ColorGroup.Disabled
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(disabled, role, QColor(disabled_text))
    return palette


def light_palette() -> QPalette:
    role = QPalette.ColorRole
    return _palette(
        {
            role.Window: "#f4f4f5",
            role.WindowText: "#1d1d1f",
            role.Base: "#ffffff",
            role.AlternateBase: "#f0f0f2",
            role.ToolTipBase: "#ffffe6",
            role.ToolTipText: "#1d1d1f",
            role.PlaceholderText: "#7a7a80",
            role.Text: "#1d1d1f",
            role.Button: "#e9e9ec",
            role.ButtonText: "#1d1d1f",
            role.BrightText: "#c01c28",
            role.Light: "#ffffff",
            role.Midlight: "#f0f0f2",
            role.Mid: "#b8b8bd",
            role.Dark: "#8e8e93",
            role.Shadow: "#5a5a5f",
            role.Highlight: "#3074d0",
            role.HighlightedText: "#ffffff",
            role.Link: "#1a5fb4",
            role.LinkVisited: "#613583",
        },
        disabled_text="#9a9aa0",
    )


def dark_palette() -> QPalette:
    role = QPalette.ColorRole
    return _palette(
        {
            role.Window: "#2b2b2e",
            role.WindowText: "#e6e6e9",
            role.Base: "#1f1f22",
            role.AlternateBase: "#29292c",
            role.ToolTipBase: "#3a3a3e",
            role.ToolTipText: "#e6e6e9",
            role.PlaceholderText: "#8c8c92",
            role.Text: "#e6e6e9",
            role.Button: "#3a3a3e",
            role.ButtonText: "#e6e6e9",
            role.BrightText: "#ff8e76",
            role.Light: "#4a4a4f",
            role.Midlight: "#3f3f44",
            role.Mid: "#2f2f33",
            role.Dark: "#19191b",
            role.Shadow: "#000000",
            role.Highlight: "#3c82dc",
            role.HighlightedText: "#ffffff",
            role.Link: "#78aeed",
            role.LinkVisited: "#c49ae0",
        },
        disabled_text="#6c6c72",
    )


def stylesheet(styles_dir: Path, theme: Theme) -> str:
    """The contents of light.qss or dark.qss, or "" when the file is missing."""
    name = "dark.qss" if theme is Theme.DARK else "light.qss"
    try:
        return (styles_dir / name).read_text(encoding="utf-8")
    except OSError:
        return ""


def apply_theme(app: QApplication, chosen: Theme, styles_dir: Path) -> Theme:
    """Give `app` the palette and stylesheet for `chosen`; returns LIGHT or DARK as applied."""
    resolved = resolve_theme(chosen)
    app.setPalette(dark_palette() if resolved is Theme.DARK else light_palette())
    app.setStyleSheet(stylesheet(styles_dir, resolved))
    return resolved
