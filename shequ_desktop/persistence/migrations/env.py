"""Alembic environment for the local SQLite store (batch mode: SQLite cannot ALTER constraints)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from shequ_desktop.persistence import models  # noqa: F401  (fills the metadata)
from shequ_desktop.persistence.base import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: object) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite:///autogen.db")
    with engine.connect() as conn:
        _run(conn)
        conn.commit()
