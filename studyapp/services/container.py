"""The set of services one open collection offers; `app.py` builds it."""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True, slots=True)
class Services:
    clock: Clock
    collection: CollectionService
    decks: DeckService
    study: StudyService
    card_actions: CardActionService
    undo: UndoService
    settings: SettingsService
    imports: ImportService
    generation: GenerationService
    exports: ExportService
    statistics: StatisticsService
    backups: BackupService
    browser: BrowserService
    presets: PresetService
    exams: ExamService
    optimizer: OptimizerService
    workload: WorkloadService
    backlog: BacklogService
    filtered_decks: FilteredDeckService
    custom_study: CustomStudyService
    notes: NoteService
    note_types: NoteTypeService
