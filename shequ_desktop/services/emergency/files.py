"""Files attached to drill and training records (photos, sign-in sheets): stored in the program and synced.

A file is an ``em_file`` row (name, media type, size, sha256, who and when) plus its content in
``em_file_part`` rows of at most ``FILE_PART_BYTES`` each (base64), all written in one transaction and
carried by the change journal like every record — so the file reaches the hub and every other station,
and a backup holds it. Both tables are append-only: removing a file is a withdrawal row pointing at it.
Opening or saving a file that holds personal data (a sign-in sheet: names, phones, signatures) is audited.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import mimetypes
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shequ_desktop.domain import emergency as e
from shequ_desktop.domain.errors import NotFound, UserError, ValidationErrors
from shequ_desktop.persistence.emergency_models import AttachedFile, AttachedFilePart, Exercise
from shequ_desktop.services import audit
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.emergency.common import require_chief, require_work

MSG_EM_FILE_OPENED = "Opened {name}, attached to a drill or training record, which holds personal data."
MSG_EM_FILE_SAVED = "Saved a copy of {name}, attached to a drill or training record, which holds personal data."


@dataclass(frozen=True)
class NewFile:
    file_name: str
    content: bytes
    kind: str = "other"             # e.FILE_KINDS
    personal: bool = False          # holds personal data (a sign-in sheet always does)
    media_type: str = ""            # guessed from the name when empty


@dataclass(frozen=True)
class FileView:
    id: str
    owner_id: str
    kind: str
    file_name: str
    media_type: str
    size: int
    sha256: str
    personal: bool
    created_by: str
    created_at: dt.datetime
    complete: bool                  # every part is here (a file still arriving from the hub is not)


def check_files(files: tuple[NewFile, ...] | list[NewFile]) -> list[UserError]:
    out: list[UserError] = []
    for f in files:
        out += e.check_file(f.file_name, len(f.content))
        if f.kind not in e.FILE_KINDS:
            out.append(UserError("Choose what the file is.", field="attachments"))
    return out


def _media_type(f: NewFile) -> str:
    return (f.media_type or mimetypes.guess_type(f.file_name)[0] or "application/octet-stream")[:100]


def add_files(s: Session, ctx: AppContext, owner_id: str, files: tuple[NewFile, ...] | list[NewFile],
              owner_kind: str = "exercise") -> list[str]:
    """Write the files (already checked) inside the caller's transaction; returns their ids."""
    ids = []
    for f in files:
        n = max(1, -(-len(f.content) // e.FILE_PART_BYTES))
        row = AttachedFile(community_id=ctx.community_id, owner_kind=owner_kind, owner_id=owner_id, kind=f.kind,
                           file_name=f.file_name.strip(), media_type=_media_type(f), size=len(f.content),
                           sha256=hashlib.sha256(f.content).hexdigest(), parts=n,
                           personal=f.personal or f.kind == "sign_in", created_by=ctx.user.login)
        s.add(row)
        s.flush()
        for i in range(n):
            piece = f.content[i * e.FILE_PART_BYTES:(i + 1) * e.FILE_PART_BYTES]
            s.add(AttachedFilePart(community_id=ctx.community_id, file_id=row.id, position=i,
                                   data=base64.b64encode(piece).decode("ascii")))
        s.flush()
        ids.append(row.id)
    return ids


def attach(ctx: AppContext, exercise_id: str, files: list[NewFile]) -> list[FileView]:
    """Attach files to an existing drill or training record (one transaction)."""
    require_chief(ctx)
    errors = check_files(files)
    if not files:
        errors.append(UserError("Choose a file.", field="attachments"))
    if errors:
        raise ValidationErrors(errors)
    with ctx.transaction() as s:
        x = s.get(Exercise, exercise_id)
        if x is None or x.deleted_at is not None:
            raise NotFound("The drill or training record was not found.", field="attachments")
        ids = add_files(s, ctx, exercise_id, files)
    return [v for v in list_files(ctx, exercise_id) if v.id in ids]


def _withdrawn(s: Session) -> set[str]:
    return set(s.execute(select(AttachedFile.withdraws_id).where(AttachedFile.withdraws_id.is_not(None))).scalars())


def list_files(ctx: AppContext, owner_id: str) -> list[FileView]:
    """The files of a record that are not withdrawn, oldest first."""
    require_work(ctx)
    with ctx.transaction() as s:
        rows = s.execute(select(AttachedFile).where(AttachedFile.owner_id == owner_id,
                                                    AttachedFile.withdraws_id.is_(None),
                                                    AttachedFile.deleted_at.is_(None))
                         .order_by(AttachedFile.created_at, AttachedFile.id)).scalars().all()
        gone = _withdrawn(s)
        have = dict(s.execute(select(AttachedFilePart.file_id, func.count()).where(
            AttachedFilePart.file_id.in_([r.id for r in rows])).group_by(AttachedFilePart.file_id)).all())
        return [_view(r, have.get(r.id, 0)) for r in rows if r.id not in gone]


def file_counts(s: Session) -> dict[str, int]:
    """Files per owner record (withdrawn ones left out), for lists."""
    gone = _withdrawn(s)
    out: dict[str, int] = {}
    for fid, owner in s.execute(select(AttachedFile.id, AttachedFile.owner_id).where(
            AttachedFile.withdraws_id.is_(None), AttachedFile.deleted_at.is_(None))):
        if fid not in gone:
            out[owner] = out.get(owner, 0) + 1
    return out


def _view(r: AttachedFile, parts_here: int) -> FileView:
    return FileView(r.id, r.owner_id, r.kind, r.file_name, r.media_type, r.size, r.sha256, r.personal,
                    r.created_by, r.created_at, parts_here >= r.parts)


def content(ctx: AppContext, file_id: str, purpose: str = "open") -> tuple[FileView, bytes]:
    """The file's bytes, checked against its size and sha256; ``purpose`` ``open`` (shown with the system's
    viewer) or ``save`` (a copy saved elsewhere) — audited when the file holds personal data."""
    require_work(ctx)
    with ctx.transaction() as s:
        r = s.get(AttachedFile, file_id)
        if r is None or r.withdraws_id is not None or r.deleted_at is not None or file_id in _withdrawn(s):
            raise NotFound("The file was not found.", field="attachments")
        parts = s.execute(select(AttachedFilePart.position, AttachedFilePart.data)
                          .where(AttachedFilePart.file_id == file_id, AttachedFilePart.deleted_at.is_(None))
                          .order_by(AttachedFilePart.position)).all()
        if [p for p, _d in parts] != list(range(r.parts)):
            raise UserError("The file {name} has not fully arrived from the hub yet; synchronise and try again.",
                            field="attachments", name=r.file_name)
        data = b"".join(base64.b64decode(d) for _p, d in parts)
        if len(data) != r.size or hashlib.sha256(data).hexdigest() != r.sha256:
            raise UserError("The file {name} is damaged (its check sum does not match).", field="attachments",
                            name=r.file_name)
        if r.personal:
            msg = MSG_EM_FILE_SAVED if purpose == "save" else MSG_EM_FILE_OPENED
            audit.append(s, ctx, audit.AuditAction.EXPORT, "em_file", r.id, audit.describe(msg, name=r.file_name))
        return _view(r, len(parts)), data


def withdraw(ctx: AppContext, file_id: str, reason: str = "") -> None:
    """Remove a file from its record: a withdrawal row (the content stays in the history)."""
    require_chief(ctx)
    with ctx.transaction() as s:
        r = s.get(AttachedFile, file_id)
        if r is None or r.withdraws_id is not None or file_id in _withdrawn(s):
            raise NotFound("The file was not found.", field="attachments")
        s.add(AttachedFile(community_id=ctx.community_id, owner_kind=r.owner_kind, owner_id=r.owner_id,
                           kind=r.kind, file_name=r.file_name, media_type=r.media_type, size=0, sha256="",
                           parts=0, personal=r.personal, created_by=ctx.user.login, withdraws_id=r.id,
                           reason=reason.strip()))
        s.flush()
