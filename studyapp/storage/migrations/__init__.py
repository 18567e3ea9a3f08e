"""Alembic migrations for the collection schema, applied at start-up by `Database.upgrade()`."""

# The newest revision below `versions/`; a test checks that it is Alembic's head.  Comparing against
# it lets start-up skip importing Alembic when the database is already current.
HEAD_REVISION = "0004"
