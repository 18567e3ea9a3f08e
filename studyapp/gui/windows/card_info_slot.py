"""The one card-info dialog a window keeps open: showing another card's info closes it first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:  # imported when first used (the dialog loads QtCharts)
    from studyapp.gui.windows.card_info import CardInfoDialog
    from studyapp.services.statistics_values import CardInfo


class CardInfoSlot:
    def __init__(self, parent: QWidget) -> None:
        self._parent = parent
        self.dialog: CardInfoDialog | None = None
        """The open dialog, until it is closed."""

    def show(self, info: CardInfo) -> None:
        from studyapp.gui.windows.card_info import CardInfoDialog

        self.close()
        dialog = CardInfoDialog.show_info(self._parent, info)
        dialog.destroyed.connect(lambda _=None, d=dialog: self._closed(d))
        self.dialog = dialog

    def close(self) -> None:
        if self.dialog is not None:
            self.dialog.close()

    def _closed(self, dialog: CardInfoDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
