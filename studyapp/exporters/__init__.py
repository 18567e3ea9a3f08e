"""Domain values -> file bytes: our deck format, Anki-style text, and Anki packages.

Exporters take an `ExportBundle` (plain domain values the export service read from the database)
and return the file's bytes. They never touch the database, services or Qt, and import only
`domain`, `errors`, the standard library and `zstandard`, like the importers.
"""
