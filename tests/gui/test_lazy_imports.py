"""Start-up stays lean: launching the app to its deck list loads none of the heavy modules.

The app runs in a fresh interpreter, so what other tests imported cannot hide a module that
start-up loads.  The collection is created first through the command line, so the GUI launch
finds a current schema (creating one needs Alembic, which is fine).

SQLAlchemy loads on worker threads once the first screen shows (the deck list's progress, and
the end of opening the collection): the probe holds those imports until it has looked, so that
what it sees does not depend on the threads' timing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

LAZY = (
    "sqlalchemy",
    "studyapp.storage.repositories",
    "studyapp.storage.schema",
    "studyapp.storage.transaction_link",
    "alembic",
    "PySide6.QtCharts",
    "studyapp.exporters",
    "studyapp.generation",
    "sqlalchemy.dialects.postgresql",
    "numpy",
    "scipy",
    "studyapp.gui.viewmodels.browser",
    "studyapp.gui.viewmodels.note_editor",
    "studyapp.gui.viewmodels.note_types",
    "studyapp.gui.windows.browser_window",
    "studyapp.gui.windows.add_note_dialog",
    "studyapp.gui.windows.edit_note_dialog",
    "studyapp.gui.windows.note_types_window",
    "studyapp.gui.windows.backlog_dialog",
    "studyapp.gui.windows.custom_study_dialog",
    "studyapp.gui.windows.optimize_dialog",
    "studyapp.gui.windows.simulator_dialog",
    "studyapp.gui.windows.settings_dialog",
    "studyapp.gui.windows.restore_dialog",
    "studyapp.gui.windows.statistics_window",
    "studyapp.gui.windows.deck_options",
    "studyapp.importers",
    "studyapp.services.import_run",
    "studyapp.storage.package_copy",
    "studyapp.services.presets",
    "studyapp.services.optimizer",
    "studyapp.services.workload",
    "studyapp.services.backlog",
    "studyapp.services.custom_study",
    "studyapp.services.browser",
    "studyapp.services.notes",
    "studyapp.services.note_types",
    "studyapp.storage.bulk_edits",
    "studyapp.storage.export_queries",
    "studyapp.storage.planning_queries",
    "studyapp.storage.schedule_queries",
    "studyapp.services.statistics_values",
    "studyapp.services.statistics_folding",
    "studyapp.services.statistics_compute",
    "studyapp.domain.progress",
    "studyapp.gui.windows.draft_review",
    "studyapp.gui.widgets.source_pane",
    "studyapp.gui.windows.deck_name_dialog",
    "studyapp.gui.windows.export_dialog",
    "studyapp.gui.widgets.task_progress",
    "studyapp.services.collection",
    "studyapp.gui.windows.reviewer",
    "studyapp.gui.windows.review_actions",
    "studyapp.gui.windows.card_info_slot",
    "studyapp.gui.windows.source_view",
    "studyapp.gui.windows.statistics_summary",
    "studyapp.gui.widgets.card_browser",
    "studyapp.gui.widgets.audio_player",
    "studyapp.gui.widgets.card_extras",
    "studyapp.gui.widgets.card_marks",
    "studyapp.gui.widgets.queue_counter",
    "studyapp.gui.time_text",
    "studyapp.domain.typed_answer",
    "studyapp.domain.sounds",
    "studyapp.domain.templates",
)
"""Loaded when a feature that needs them is first used, never to show the deck list."""

PROBE = """
import gc
import sys
import threading
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from studyapp.app import main

app = QApplication(sys.argv[:1])
lazy = sys.argv[1].split(",")
shown = threading.Event()


class HoldWorkers:
    def find_spec(self, name, path=None, target=None):
        if name == "sqlalchemy" and threading.current_thread() is not threading.main_thread():
            shown.wait(60)
        return None


sys.meta_path.insert(0, HoldWorkers())


def visible() -> None:
    if not any(w.isVisible() for w in QApplication.topLevelWidgets()):
        QTimer.singleShot(1, visible)
        return
    loaded = [name for name in sorted(sys.modules) if name.split(".")[0] in lazy
              or any(name == m or name.startswith(m + ".") for m in lazy)]
    shown.set()
    print("collecting:", gc.isenabled(), gc.get_freeze_count() > 0, flush=True)
    print("shown; loaded:", ",".join(loaded), flush=True)
    for window in QApplication.topLevelWidgets():
        window.close()


QTimer.singleShot(0, visible)
sys.exit(main(sys.argv[2:]))
"""


def test_launching_to_the_deck_list_leaves_heavy_modules_unloaded(tmp_path: Path) -> None:
    data = tmp_path / "data"
    environment = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    created = subprocess.run(
        [sys.executable, "-m", "studyapp", "--data-dir", str(data), "decks"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
    )
    assert created.returncode == 0, created.stderr

    launched = subprocess.run(
        [sys.executable, "-c", PROBE, ",".join(LAZY), "--data-dir", str(data)],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
    )

    assert launched.returncode == 0, launched.stderr
    collecting, loaded = launched.stdout.strip().splitlines()
    assert loaded == "shown; loaded:", launched.stdout
    # The garbage collector, off while the app starts, is back once the window shows.
    assert collecting == "collecting: True True"
