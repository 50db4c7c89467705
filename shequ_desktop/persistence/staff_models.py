"""The community's staff directory (synced): who a login is — name, role, grid, phone, active.

``app_user`` (persistence/models.py) stays local to a PC: password hash, failed attempts and locks never
leave it. This record is written in the same transaction as every change of a user, so every station of the
community can show a login's name and role. Its id derives from community + login
(``domain.staff.staff_member_id``): the login is the identity, two stations creating the same login write
the same record.
"""

from __future__ import annotations

from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from shequ_desktop.domain.roles import Role
from shequ_desktop.persistence.base import Base, Synced

ROLES = tuple(r.value for r in Role)


class StaffMember(Synced, Base):
    """One login of the community as every station sees it (no password or lock data)."""

    __tablename__ = "staff_member"
    login: Mapped[str] = mapped_column(String(64), index=True)
    display_name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16), info={"choices": ROLES})
    grid_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    phone: Mapped[str] = mapped_column(String(32), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
