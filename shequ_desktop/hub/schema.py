"""The hub's tables (SQLAlchemy Core; PostgreSQL in production, SQLite for a one-machine demo).

- ``hub_station``: a credential — a workstation of one community, or the online platform.
- ``change_log``: every accepted change, stamped with a global sequence number (``seq``); the
  pull stream. ``payload`` is the item exactly as sent down (pre-serialised JSON).
- ``entity_state``: the current document and version of every record, with the version and
  station that last changed each field (``field_meta``) — what the field-by-field merge needs.
  ``first_at``/``last_at`` are the station timestamps (a change's ``at``) of its first and latest
  merged change (NULL for records last written before migration h0002).
- ``hub_snapshot``: the latest bootstrap snapshot of each community (its state up to ``cursor``, as
  gzip-compressed NDJSON; see ``HubStore.snapshot``), reused while it lags little behind the log.
- ``hub_seed``: the latest seed of each community per desktop schema revision — a ready-made desktop
  store (SQLite file, gzip-compressed) holding the state of the snapshot it was built from (up to
  ``cursor``) and its search index; see ``HubStore.seed``.
"""

from __future__ import annotations

from sqlalchemy import (JSON, BigInteger, Column, DateTime, Index, Integer, LargeBinary, MetaData, String, Table,
                        Text)
from sqlalchemy.dialects.postgresql import JSONB

metadata = MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s", "pk": "pk_%(table_name)s"})

Json = JSON().with_variant(JSONB(), "postgresql")
BigId = BigInteger().with_variant(Integer(), "sqlite")   # SQLite only autoincrements INTEGER PRIMARY KEY

station = Table(
    "hub_station", metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("kind", String(16), nullable=False, default="station"),      # station / platform
    Column("community_id", String(36), nullable=True),
    Column("secret_hash", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Column("last_seen_at", DateTime(timezone=True), nullable=True),
)

change_log = Table(
    "change_log", metadata,
    Column("seq", BigId, primary_key=True, autoincrement=True),
    Column("change_id", String(36), nullable=False, unique=True),
    Column("community_id", String(36), nullable=False),
    Column("entity", String(64), nullable=False),
    Column("entity_id", String(36), nullable=False),
    Column("op", String(8), nullable=False),
    Column("fields", Json, nullable=False),
    Column("base_version", Integer, nullable=False),
    Column("version", Integer, nullable=False),
    Column("station_id", String(64), nullable=False),
    Column("user_login", String(64), nullable=False),
    Column("at", String(40), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("payload", Text, nullable=False),
    Index("ix_change_log_community_seq", "community_id", "seq"),
    Index("ix_change_log_entity_id", "entity_id"),
)

entity_state = Table(
    "entity_state", metadata,
    Column("entity", String(64), primary_key=True),
    Column("entity_id", String(36), primary_key=True),
    Column("community_id", String(36), nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("doc", Json, nullable=False),
    Column("field_meta", Json, nullable=False),
    Column("ref_id", String(36), nullable=True, index=True),     # parent record (e.g. a work order's events)
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", String(64), nullable=False),
    Column("first_at", String(40), nullable=True),     # ``at`` of the change that created it (station clock)
    Column("last_at", String(40), nullable=True),      # ``at`` of the latest change merged into it
)

hub_snapshot = Table(
    "hub_snapshot", metadata,
    Column("community_id", String(36), primary_key=True),
    Column("cursor", BigInteger, nullable=False),       # the community's last change seq the state includes
    Column("rows", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("body", LargeBinary, nullable=False),        # gzip of the NDJSON document
)

hub_seed = Table(
    "hub_seed", metadata,
    Column("community_id", String(36), primary_key=True),
    Column("revision", String(32), primary_key=True),   # the desktop schema revision of the SQLite file
    Column("cursor", BigInteger, nullable=False),       # the community's last change seq the store includes
    Column("rows", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("body", LargeBinary, nullable=False),        # gzip of the SQLite file
)
