"""Opening the local SQLite store: pragmas, guards, Alembic migrations with a backup first."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from typing import TYPE_CHECKING

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from shequ_desktop.domain.errors import UserError
from shequ_desktop.persistence import search_index  # noqa: F401  (registers the index listener)
from shequ_desktop.persistence.journal import JournaledSession, install_engine_guard

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


@dataclass
class Database:
    path: Path
    engine: Engine
    session_factory: sessionmaker[JournaledSession]
    migrated_from: str | None = None
    backup_path: Path | None = None
    caches: dict[str, Any] = field(default_factory=dict)   # per-store caches of services (e.g. calendar)

    def dispose(self) -> None:
        self.engine.dispose()


def _set_pragmas(dbapi_conn: Any, _rec: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")      # durable per commit: hand-entered civic records
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def _connect(dbapi_conn: Any, rec: Any) -> None:
    dbapi_conn.isolation_level = None   # the driver must not open transactions itself: we do, below
    _set_pragmas(dbapi_conn, rec)


def _begin_immediate(conn: Any) -> None:
    # A deferred transaction that reads, then writes fails at once with "database is locked" when
    # another connection committed in between (WAL snapshot); IMMEDIATE waits for busy_timeout instead.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}", future=True)
    event.listen(engine, "connect", _connect)
    event.listen(engine, "begin", _begin_immediate)
    install_engine_guard(engine)
    return engine


def alembic_config() -> Config:
    from alembic.config import Config  # Alembic loads only when the schema is checked (start-up cost)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory
    return {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def backup_sqlite(src: Path, dest: Path) -> Path:
    """Online backup (consistent even while another connection writes), then integrity check."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_suffix(dest.suffix + ".part")
    src_conn = sqlite3.connect(str(src))
    dst_conn = sqlite3.connect(str(tmp))
    try:
        src_conn.backup(dst_conn)
        result = dst_conn.execute("PRAGMA integrity_check").fetchone()[0]
        dst_conn.execute("PRAGMA journal_mode=DELETE")
    finally:
        dst_conn.close()
        src_conn.close()
    if result != "ok":
        tmp.unlink(missing_ok=True)
        raise UserError("The backup failed its integrity check: {detail}", detail=result)
    tmp.replace(dest)
    return dest


def _migrate(engine: Engine) -> None:
    from alembic import command
    cfg = alembic_config()
    with engine.connect() as conn:
        # Batch mode recreates tables; with FKs on, that would cascade-delete child rows.
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        conn.commit()
        broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        if broken:
            raise UserError("The database upgrade left broken references ({count}); restore the backup.",
                            count=len(broken))


def default_backup_dir(db_path: Path) -> Path:
    """Backups sit next to the store; a second store in the same folder (demo.db) gets its own folder."""
    return db_path.parent / ("backups" if db_path.stem == "shequ" else f"backups-{db_path.stem}")


def open_database(path: Path, *, backup_dir: Path | None = None, migrate: bool = True) -> Database:
    """Open (and create or upgrade) the store at ``path``.

    An older schema is upgraded after a backup copy; a newer schema (written by a newer
    program version) is refused, never touched.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    existed = path.exists() and path.stat().st_size > 0
    engine = make_engine(path)
    factory = sessionmaker(bind=engine, class_=JournaledSession, expire_on_commit=False)
    db = Database(path=path, engine=engine, session_factory=factory)
    current = current_revision(engine) if existed else None
    head = head_revision()
    if current is not None and current not in known_revisions():
        engine.dispose()
        raise UserError("This database was written by a newer version of the program (schema {rev}). "
                        "Please install the newer version; the database was not changed.", rev=current)
    if current != head:
        if not migrate:
            engine.dispose()
            raise UserError("The database needs an upgrade (schema {rev}).", rev=current or "-")
        if existed:
            if current is not None and current >= "0004":
                # Finish an interrupted bulk load first: the migration must meet the table with its indexes.
                search_index.ensure_built(engine)
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            target = (backup_dir or default_backup_dir(path)) / f"{path.stem}-before-{head}-{stamp}.db"
            db.backup_path = backup_sqlite(path, target)
            db.migrated_from = current or "unversioned"
        _migrate(engine)
    # A bulk load (initial pull) that stopped after committing rows but before building the search
    # index left ``search.rebuild_needed`` set: finish it now (one cheap SELECT when not set).
    search_index.ensure_built(engine)
    return db
