"""Expected failures, each with a message that can be shown to the user as it is."""


class StudyAppError(Exception):
    """A failure the user can understand and act on; the message is shown verbatim."""


class NotFoundError(StudyAppError):
    """Something the user asked for (a deck, a card, a backup) does not exist."""


class InvalidInputError(StudyAppError):
    """A file or value the user gave cannot be used; the message says why."""


class NothingToUndoError(StudyAppError):
    """Undo was asked for with an empty undo stack."""


class CollectionInUseError(StudyAppError):
    """Another StudyApp process has the same SQLite collection open."""


class ImportCancelledError(StudyAppError):
    """The user cancelled a long operation; nothing was changed."""


class SearchError(InvalidInputError):
    """A browser search that cannot be read; `position` is the 0-based character it fails at."""

    def __init__(self, problem: str, position: int) -> None:
        super().__init__(f"{problem} (at character {position + 1})")
        self.problem = problem
        self.position = position


class OperationCancelledError(StudyAppError):
    """The user cancelled a long scheduling operation (an optimization); nothing was changed."""


class NotAFilteredDeckError(StudyAppError):
    """A filtered-deck action (rebuild, empty) was asked of a regular deck, or the reverse."""


class NoteTypeInUseError(StudyAppError):
    """A note type cannot be deleted while notes use it."""


class TemplateError(InvalidInputError):
    """A card template has a mistake (an unclosed section, an unknown field); not saved."""


class StorageError(StudyAppError):
    """The disk refused a write (full, read-only, failing); the change was not saved."""


class CollectionDamagedError(StudyAppError):
    """The start-up integrity check found the collection file damaged: nothing is written to it."""
