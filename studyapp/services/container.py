"""The set of services one open collection offers; `app.py` builds it, each service on first use.

Only the type is here, so the GUI and the command line can name what they are given without
loading every service module: a command loads the services it uses, and nothing more.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from studyapp.domain.clock import Clock
    from studyapp.services.backlog import BacklogService
    from studyapp.services.backups import BackupService
    from studyapp.services.browser import BrowserService
    from studyapp.services.card_actions import CardActionService
    from studyapp.services.collection import CollectionService
    from studyapp.services.custom_study import CustomStudyService
    from studyapp.services.decks import DeckService
    from studyapp.services.exam import ExamService
    from studyapp.services.exports import ExportService
    from studyapp.services.filtered_decks import FilteredDeckService
    from studyapp.services.generation import GenerationService
    from studyapp.services.imports import ImportService
    from studyapp.services.note_types import NoteTypeService
    from studyapp.services.notes import NoteService
    from studyapp.services.optimizer import OptimizerService
    from studyapp.services.presets import PresetService
    from studyapp.services.settings import SettingsService
    from studyapp.services.statistics import StatisticsService
    from studyapp.services.study import StudyService
    from studyapp.services.undo import UndoService
    from studyapp.services.workload import WorkloadService


class Services(Protocol):
    """The services over one collection, sharing its database, clock and undo stack."""

    @property
    def clock(self) -> Clock: ...
    @property
    def collection(self) -> CollectionService: ...
    @property
    def decks(self) -> DeckService: ...
    @property
    def study(self) -> StudyService: ...
    @property
    def card_actions(self) -> CardActionService: ...
    @property
    def undo(self) -> UndoService: ...
    @property
    def settings(self) -> SettingsService: ...
    @property
    def imports(self) -> ImportService: ...
    @property
    def generation(self) -> GenerationService: ...
    @property
    def exports(self) -> ExportService: ...
    @property
    def statistics(self) -> StatisticsService: ...
    @property
    def backups(self) -> BackupService: ...
    @property
    def browser(self) -> BrowserService: ...
    @property
    def presets(self) -> PresetService: ...
    @property
    def exams(self) -> ExamService: ...
    @property
    def optimizer(self) -> OptimizerService: ...
    @property
    def workload(self) -> WorkloadService: ...
    @property
    def backlog(self) -> BacklogService: ...
    @property
    def filtered_decks(self) -> FilteredDeckService: ...
    @property
    def custom_study(self) -> CustomStudyService: ...
    @property
    def notes(self) -> NoteService: ...
    @property
    def note_types(self) -> NoteTypeService: ...
