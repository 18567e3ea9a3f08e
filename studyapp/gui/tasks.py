"""Long service calls on a worker thread, with results, errors and progress back as signals.

    task = Task(lambda progress, cancelled: service.import_file(path, progress=progress,
                                                                cancelled=cancelled))
    task.succeeded.connect(...); task.failed.connect(...); task.start()

The call runs on a QThreadPool thread and receives two callables: `progress(done, total)` and
`cancelled() -> bool`. It never touches widgets: everything it reports reaches the GUI thread as a
queued signal of the Task, which lives on the GUI thread. Progress is throttled, so a call may
report on every row without flooding the event loop.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

from studyapp.errors import StudyAppError

log = logging.getLogger(__name__)

T = TypeVar("T")

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
Work = Callable[[Progress, Cancelled], T]


def expected_message(error: object) -> str:
    """The message of an expected failure a Task reported (a StudyAppError), for the user.

    Anything else is a bug: it is raised again, to the crash dialog and the log.
    """
    if isinstance(error, StudyAppError):
        return str(error)
    raise error if isinstance(error, BaseException) else TypeError(error)


PROGRESS_INTERVAL_S = 0.05
"""At most one progress signal this often (the first and the last one always go through)."""


class _Relay(QObject):
    """Signals emitted from the worker thread; connected (queued) to the Task's slots."""

    progressed = Signal(int, int)
    returned = Signal(object)
    raised = Signal(object)


class _Runnable(QRunnable):
    def __init__(
        self, work: Callable[[Progress, Cancelled], object], relay: _Relay, stop: threading.Event
    ) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._work = work
        self._relay = relay
        self._stop = stop
        self._last = 0.0
        self._first = True

    def _progress(self, done: int, total: int) -> None:
        now = time.monotonic()
        if self._first or done >= total or now - self._last >= PROGRESS_INTERVAL_S:
            self._first = False
            self._last = now
            self._relay.progressed.emit(done, total)

    def run(self) -> None:
        try:
            result = self._work(self._progress, self._stop.is_set)
        except BaseException as error:  # handed to the GUI thread, never lost
            self._relay.raised.emit(error)
        else:
            self._relay.returned.emit(result)


class Task(QObject, Generic[T]):
    """One call of `work(progress, cancelled)` on a worker thread.

    Signals (always on the GUI thread): progressed(done, total); succeeded(result);
    failed(exception) when the call raised; cancelled() instead of failed when it raised after
    cancel() was asked for; ended() last, in every case.
    """

    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    ended = Signal()

    def __init__(
        self,
        work: Work[T],
        parent: QObject | None = None,
        pool: QThreadPool | None = None,
    ) -> None:
        super().__init__(parent)
        self._work = work
        self._pool = pool if pool is not None else QThreadPool.globalInstance()
        self._stop = threading.Event()
        self._done = threading.Event()
        self._running = False
        self._result: T | None = None
        self._relay = _Relay()
        queued = Qt.ConnectionType.QueuedConnection
        self._relay.progressed.connect(self._on_progressed, queued)
        self._relay.returned.connect(self._on_returned, queued)
        self._relay.raised.connect(self._on_raised, queued)

    @property
    def running(self) -> bool:
        return self._running

    @property
    def cancel_requested(self) -> bool:
        return self._stop.is_set()

    @property
    def result(self) -> T | None:
        """What the call returned, once succeeded has been emitted."""
        return self._result

    def start(self) -> None:
        """Queue the call on the pool; each Task runs once."""
        if self._running or self._done.is_set():
            raise RuntimeError("A Task runs only once.")
        self._running = True
        work = self._work
        done = self._done

        def call(progress: Progress, cancelled: Cancelled) -> object:
            try:
                return work(progress, cancelled)
            finally:
                done.set()

        self._pool.start(_Runnable(call, self._relay, self._stop))

    @Slot()
    def cancel(self) -> None:
        """Ask the call to stop: from now on its `cancelled()` returns True."""
        self._stop.set()

    def wait(self, timeout_s: float = 30.0) -> bool:
        """Block until the worker has returned (not until the signals arrive); for shutdown."""
        return not self._running or self._done.wait(timeout_s)

    @Slot(int, int)
    def _on_progressed(self, done: int, total: int) -> None:
        if self._running:
            self.progressed.emit(done, total)

    @Slot(object)
    def _on_returned(self, result: object) -> None:
        self._running = False
        self._result = result  # type: ignore[assignment]  # the work's own return value
        self.succeeded.emit(result)
        self.ended.emit()

    @Slot(object)
    def _on_raised(self, error: object) -> None:
        self._running = False
        if self._stop.is_set():
            log.info("Task cancelled: %s", error)
            self.cancelled.emit()
        else:
            self.failed.emit(error)
        self.ended.emit()
