"""Alembic environment: runs on the connection that `Database.upgrade()` hands over."""

from alembic import context
from sqlalchemy.engine import Connection

from studyapp.storage.schema import Base

connection: Connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()
