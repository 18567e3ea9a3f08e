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
