"""The only package that imports SQLAlchemy: schema, database, repositories and migrations."""
