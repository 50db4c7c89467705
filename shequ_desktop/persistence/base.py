"""Declarative base, column types and the sync-ready mixin every synced record uses."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from sqlalchemy import DateTime, Integer, MetaData, String, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Stores naive UTC, hands back aware UTC; refuses naive input (ambiguous wall time)."""

    impl = DateTime
    cache_ok = True

    @property
    def python_type(self) -> type[dt.datetime]:
        return dt.datetime

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime stored; use an aware UTC datetime")
        return value.astimezone(dt.timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.timezone.utc)


uuid_pk = Annotated[str, mapped_column(String(36), primary_key=True)]
uuid_ref = Annotated[str, mapped_column(String(36))]
utc = Annotated[dt.datetime, mapped_column(UTCDateTime())]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Synced:
    """Mixin: a record that is journaled and synced with the hub.

    Keys are generated on the workstation; ``version`` counts accepted writes; rows are
    never deleted — ``deleted_at`` is the tombstone. The journal listener fills the
    bookkeeping columns, so services only set the business fields.
    """

    __synced__ = True

    id: Mapped[uuid_pk]
    community_id: Mapped[str] = mapped_column(String(36), index=True)
    created_at: Mapped[utc]
    updated_at: Mapped[utc]
    updated_by: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True, default=None)

    # Columns that are bookkeeping, not content: not part of the change's field list.
    BOOKKEEPING = frozenset({"created_at", "updated_at", "updated_by", "version"})


def is_synced(obj_or_cls: Any) -> bool:
    return bool(getattr(obj_or_cls, "__synced__", False))
