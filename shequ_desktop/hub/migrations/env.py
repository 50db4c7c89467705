"""Alembic environment of the hub database (PostgreSQL, or SQLite for a demo)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from shequ_desktop.hub.schema import metadata

config = context.config


def _run(connection: object) -> None:
    context.configure(connection=connection, target_metadata=metadata,
                      render_as_batch=getattr(connection, "dialect").name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as conn:
        _run(conn)
        conn.commit()
