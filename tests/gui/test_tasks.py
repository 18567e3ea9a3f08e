"""gui/tasks.py: a call on a worker thread reports results, errors, progress and cancel as
signals on the GUI thread; the progress dialog follows a task and cancels it."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from studyapp.errors import InvalidInputError
from studyapp.gui.tasks import Cancelled, Progress, Task
from studyapp.gui.widgets.task_progress import TaskProgressDialog


def on_gui_thread() -> bool:
    app = QApplication.instance()
    return app is not None and QThread.currentThread() is app.thread()


def test_the_result_arrives_as_a_signal_on_the_gui_thread(qtbot: QtBot) -> None:
    worker_threads: list[bool] = []

    def work(progress: Progress, cancelled: Cancelled) -> int:
        worker_threads.append(on_gui_thread())
        return 42

    task: Task[int] = Task(work)
    received: list[tuple[object, bool]] = []
    task.succeeded.connect(lambda value: received.append((value, on_gui_thread())))
    with qtbot.waitSignals([task.succeeded, task.ended], order="strict", timeout=5000):
        task.start()

    assert worker_threads == [False]
    assert received == [(42, True)]
    assert task.result == 42
    assert not task.running


def test_an_error_arrives_as_failed_with_the_exception(qtbot: QtBot) -> None:
    def work(progress: Progress, cancelled: Cancelled) -> None:
        raise InvalidInputError("That file is empty.")

    task: Task[None] = Task(work)
    errors: list[object] = []
    task.failed.connect(errors.append)
    with (
        qtbot.assertNotEmitted(task.succeeded),
        qtbot.assertNotEmitted(task.cancelled),
        qtbot.waitSignals([task.failed, task.ended], order="strict", timeout=5000),
    ):
        task.start()

    [error] = errors
    assert isinstance(error, InvalidInputError)
    assert str(error) == "That file is empty."


def test_progress_is_throttled_but_the_first_and_last_reports_arrive(qtbot: QtBot) -> None:
    total = 200_000

    def work(progress: Progress, cancelled: Cancelled) -> str:
        for done in range(total + 1):
            progress(done, total)
        return "done"

    task: Task[str] = Task(work)
    reports: list[tuple[int, int]] = []
    task.progressed.connect(lambda done, of: reports.append((done, of)))
    with qtbot.waitSignal(task.ended, timeout=10_000):
        task.start()

    assert reports[0] == (0, total)
    assert reports[-1] == (total, total)
    assert len(reports) < 1000


def test_cancel_makes_cancelled_true_and_the_task_reports_cancelled(qtbot: QtBot) -> None:
    started = threading.Event()

    def work(progress: Progress, cancelled: Cancelled) -> None:
        started.set()
        while not cancelled():
            threading.Event().wait(0.005)
        raise InvalidInputError("stopped")

    task: Task[None] = Task(work)
    with qtbot.assertNotEmitted(task.failed), qtbot.waitSignal(task.cancelled, timeout=5000):
        task.start()
        assert started.wait(5)
        assert task.running
        task.cancel()
    assert task.cancel_requested
    assert not task.running


def test_a_task_runs_only_once(qtbot: QtBot) -> None:
    task: Task[int] = Task(lambda progress, cancelled: 1)
    with qtbot.waitSignal(task.ended, timeout=5000):
        task.start()
    with pytest.raises(RuntimeError):
        task.start()


def test_the_progress_dialog_shows_progress_cancels_and_closes(qtbot: QtBot) -> None:
    reported = threading.Event()

    def work(progress: Progress, cancelled: Cancelled) -> None:
        progress(3, 10)
        reported.set()
        while not cancelled():
            threading.Event().wait(0.005)
        raise InvalidInputError("stopped")

    task: Task[None] = Task(work)
    dialog = TaskProgressDialog.follow(None, task, "Working", "Working on it…", delay_ms=0)
    with qtbot.waitSignal(task.progressed, timeout=5000):
        task.start()
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.bar.maximum() == 10
    assert dialog.bar.value() == 3
    assert dialog.cancel_button.accessibleName() == "Cancel"

    with qtbot.waitSignals([task.cancelled, dialog.destroyed], timeout=5000):
        dialog.close()  # the close button cancels, and the dialog stays until the task ends
        assert dialog.isVisible()
        assert dialog.label.text() == "Cancelling…"
    assert task.cancel_requested
