"""Qt bindings must keep Python's reference counts balanced.

Some PySide6 releases drop a reference to True on every signal emitted from Python, or to None on
every processEvents(); on Python 3.11, where True and None are not immortal, a long study session
then aborts the interpreter.  This checks the installed binding over many more calls than a
session makes.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QObject, Signal
from pytestqt.qtbot import QtBot

CALLS = 20_000


class _Emitter(QObject):
    changed = Signal(int)
    toggled = Signal(bool)


def test_signals_and_event_processing_keep_references_to_true_and_none(qtbot: QtBot) -> None:
    emitter = _Emitter()
    received: list[int] = []
    emitter.changed.connect(received.append)
    emitter.toggled.connect(lambda _on: None)
    before_true, before_none = sys.getrefcount(True), sys.getrefcount(None)
    for value in range(CALLS):
        emitter.changed.emit(value)
        emitter.toggled.emit(True)
        QCoreApplication.processEvents()
    for _ in range(1_000):
        connection = emitter.changed.connect(lambda _value: None)
        emitter.changed.disconnect(connection)
    assert len(received) == CALLS
    # Other objects may come and go meanwhile; a leak would be in the tens of thousands.
    assert abs(sys.getrefcount(True) - before_true) < 500
    assert abs(sys.getrefcount(None) - before_none) < 500
