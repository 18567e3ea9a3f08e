"""The set of services one open collection offers; `app.py` builds it."""

from __future__ import annotations

from dataclasses import dataclass

from studyapp.domain.clock import Clock
from studyapp.services.backups import BackupService
from studyapp.services.collection import CollectionService
from studyapp.services.decks import DeckService
from studyapp.services.exports import ExportService
from studyapp.services.generation import GenerationService
from studyapp.services.imports import ImportService
from studyapp.services.settings import SettingsService
from studyapp.services.statistics import StatisticsService
from studyapp.services.study import StudyService
from studyapp.services.undo import UndoService


@dataclass(frozen=True, slots=True)
class Services:
    clock: Clock
    collection: CollectionService
    decks: DeckService
    study: StudyService
    undo: UndoService
    settings: SettingsService
    imports: ImportService
    generation: GenerationService
    exports: ExportService
    statistics: StatisticsService
    backups: BackupService
