"""A window-modal progress dialog for a Task: a label, a progress bar and Cancel."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studyapp.gui.tasks import Task

SHOW_DELAY_MS = 250
"""Short tasks finish without the dialog flashing up."""


class TaskProgressDialog(QDialog):
    """Follows a Task's progress; Cancel (or Escape, or closing) asks the task to stop.

    Without `cancellable` (work that cannot stop half-way) there is no Cancel button and
    Escape does nothing. The dialog closes itself when the task ends and deletes itself afterwards.
    """

    def __init__(
        self,
        task: Task[Any],
        title: str,
        text: str,
        parent: QWidget | None,
        cancellable: bool = True,
    ) -> None:
        super().__init__(parent)
        self._task = task
        self._cancellable = cancellable
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(420)

        self.label = QLabel(text, self)
        self.label.setWordWrap(True)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 0)  # busy until the first report
        self.bar.setAccessibleName(self.tr("Progress"))
        self.bar.setTextVisible(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.cancel_button: QPushButton = self.buttons.button(
            QDialogButtonBox.StandardButton.Cancel
        )
        self.cancel_button.setAccessibleName(self.tr("Cancel"))
        self.cancel_button.setToolTip(self.tr("Stop; nothing will be changed"))
        self.buttons.rejected.connect(self.reject)
        self.buttons.setVisible(cancellable)

        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addSpacing(6)
        layout.addWidget(self.buttons)

        task.progressed.connect(self.set_progress)
        task.ended.connect(self._on_ended)
        self._show_timer = QTimer(self)
        self._show_timer.setSingleShot(True)
        self._show_timer.timeout.connect(self._show_now)

    @classmethod
    def follow(
        cls,
        parent: QWidget | None,
        task: Task[Any],
        title: str,
        text: str,
        delay_ms: int = -1,
        cancellable: bool = True,
    ) -> TaskProgressDialog:
        """A dialog for `task`, shown after `delay_ms` (default SHOW_DELAY_MS) unless it ends."""
        dialog = cls(task, title, text, parent, cancellable)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog._show_timer.start(SHOW_DELAY_MS if delay_ms < 0 else delay_ms)
        return dialog

    @Slot()
    def _show_now(self) -> None:
        if self._task.running:
            self.open()

    @Slot(int, int)
    def set_progress(self, done: int, total: int) -> None:
        if total <= 0:
            self.bar.setRange(0, 0)
            return
        self.bar.setRange(0, total)
        self.bar.setValue(min(done, total))
        self.bar.setFormat(
            self.tr("%1 of %2").replace("%1", f"{done:,}").replace("%2", f"{total:,}")
        )

    @Slot()
    def request_cancel(self) -> None:
        if not self._task.running or not self._cancellable:
            return
        self._task.cancel()
        self.cancel_button.setEnabled(False)
        self.label.setText(self.tr("Cancelling…"))

    @Slot()
    def _on_ended(self) -> None:
        self._show_timer.stop()
        self.close()

    def reject(self) -> None:
        """Escape, Cancel and the close button: cancel first; the dialog closes at the end."""
        if self._task.running:
            self.request_cancel()
            return
        super().reject()
