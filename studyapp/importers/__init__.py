"""File bytes -> domain drafts: our deck format, and later Anki packages, CSV/TSV and Quizlet text.

Importers read and validate; they never touch the database, services or Qt.
"""
