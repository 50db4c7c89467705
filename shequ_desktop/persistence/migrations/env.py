"""Alembic environment for the local SQLite store (batch mode: SQLite cannot ALTER constraints)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from shequ_desktop.persistence import models  # noqa: F401  (fills the metadata)
from shequ_desktop.persistence.base import Base

config = context.config
target_metadata = Base.metadata


def _include(obj: object, name: str | None, type_: str, reflected: bool, _compare_to: object) -> bool:
    # FTS5 virtual tables and their shadow tables are created by hand in the migrations.
    return not (type_ == "table" and name is not None and name.startswith("resident_fts"))


def _run(connection: object) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True,
                      include_object=_include)
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
