"""shequ-admin: the IT admin's command line. Errors are one line on stderr and a non-zero exit."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from shequ_desktop import paths
from shequ_desktop.domain.errors import UserError, ValidationErrors
from shequ_desktop.domain.roles import Role
from shequ_desktop.i18n import _, error_text, ngettext, set_language

Handler = Callable[[argparse.Namespace], int]
CLI_USER_LOGIN = "shequ-admin"


def _ctx(args: argparse.Namespace):  # noqa: ANN202  (AppContext; imported lazily for a quick --help)
    from shequ_desktop.persistence.db import open_database
    from shequ_desktop.services.context import AppContext
    from shequ_desktop.services.station import ensure_station
    if not args.db:
        _note_demo_database()
    db = open_database(Path(args.db) if args.db else paths.default_db_path())
    return ensure_station(AppContext(db=db, user=cli_user()))


def cli_user():  # noqa: ANN201  (CurrentUser)
    from shequ_desktop.services.context import CurrentUser
    return CurrentUser(id="cli", login=CLI_USER_LOGIN, display_name="命令行管理", role=Role.ADMIN)


def _note_demo_database() -> None:
    """Without --db the station database is used; say so when only the demo database exists yet."""
    station, demo = paths.default_db_path(), paths.data_dir() / "demo.db"
    if not station.exists() and demo.exists():
        print(_("Note: no --db given, so the station database {path} is used (created now). The demo of "
                "shequ-desktop --demo is {demo}: add --db {demo} to work on it.").format(path=station, demo=demo),
              file=sys.stderr)


def cmd_init_db(args: argparse.Namespace) -> int:
    ctx = _ctx(args)
    from shequ_desktop.persistence.db import current_revision
    print(_("Database ready: {path} (schema {rev})").format(path=ctx.db.path, rev=current_revision(ctx.db.engine)))
    if ctx.db.backup_path:
        print(_("Backup before the upgrade: {path}").format(path=ctx.db.backup_path))
    return 0


def _read_password(prompt: str) -> str:
    if sys.stdin.isatty():
        first = getpass.getpass(prompt)
        if getpass.getpass(_("Repeat: ")) != first:
            raise UserError("The two passwords differ.", field="password")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def cmd_create_user(args: argparse.Namespace) -> int:
    from shequ_desktop.services import auth
    ctx = _ctx(args)
    password = _read_password(_("Password for {login}: ").format(login=args.login))
    user = auth.create_user(ctx, args.login, args.name or args.login, Role(args.role), password,
                            check_permission=False)
    print(_("User {login} created ({role}).").format(login=user.login, role=user.role.label))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from shequ_desktop.services import demo
    ctx = _ctx(args)
    summary = demo.generate(ctx, households=args.households)
    print(_("Demo community created: {grids}, {buildings}, {households}, {residents}, {users} "
            "(password {password}).").format(
        grids=ngettext("{n} grid", "{n} grids", summary.grids).format(n=summary.grids),
        buildings=ngettext("{n} building", "{n} buildings", summary.buildings).format(n=summary.buildings),
        households=ngettext("{n} household", "{n} households", summary.households).format(n=summary.households),
        residents=ngettext("{n} resident", "{n} residents", summary.residents).format(n=summary.residents),
        users=ngettext("{n} user", "{n} users", summary.users).format(n=summary.users),
        password=demo.DEMO_PASSWORD))
    return 0


def cmd_calendar(args: argparse.Namespace) -> int:
    from shequ_desktop.services import calendar
    ctx = _ctx(args)
    if args.calendar_cmd == "show":
        report = calendar.year_report(ctx, args.year)
        state = _("covered") if report.covered else _("NOT covered (provisional: statutory holidays by law, "
                                                       "make-up working days unknown)")
        print(_("{year}: {state}").format(year=args.year, state=state))
        for d in report.exceptions:
            kind = _("working day") if d.is_workday else _("rest day")
            print(f"{d.day.isoformat()}  {_(d.day.strftime('%a'))}  {kind}  {d.name or ''}".rstrip())
        return 0
    if args.calendar_cmd == "import":
        result = calendar.import_schedule(ctx, Path(args.file))
        print(ngettext("Imported {days} day for {years}.", "Imported {days} days for {years}.", result.days).format(
            days=result.days, years=", ".join(map(str, result.years))))
        return 0
    start = _parse_date(args.start)
    if args.n < 0:
        raise UserError("The number of working days must be 0 or more, not {n}.", field="n", n=args.n)
    deadline = calendar.due_date(ctx, start, args.n)
    print(deadline.due.isoformat() + (" provisional" if deadline.provisional else ""))
    return 0


def _parse_date(text: str) -> dt.date:
    parts = text.split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts) or [len(p) for p in parts] != [4, 2, 2]:
        raise UserError("{value} is not a date in the form YYYY-MM-DD.", value=text)
    try:
        return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        raise UserError("{value} is not a real date (no such day in the calendar).", value=text) from None


def cmd_import_residents(args: argparse.Namespace) -> int:
    from shequ_desktop.cli.import_residents import run
    return run(_ctx(args), args)


def cmd_audit(args: argparse.Namespace) -> int:
    from shequ_desktop.cli.audit import verify
    return verify(_ctx(args))


def cmd_backup(args: argparse.Namespace) -> int:
    from shequ_desktop.services import backup
    info = backup.backup_to(_ctx(args), Path(args.to))
    print(_("Backup written and checked: {path} ({size} KB)").format(path=info.path, size=info.size // 1024))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from shequ_desktop.cli.audit import restore
    return restore(args, Path(args.db) if args.db else paths.default_db_path(), cli_user())


def cmd_diagnostics(args: argparse.Namespace) -> int:
    from shequ_desktop.services import diagnostics
    path = diagnostics.export_diagnostics(_ctx(args), Path(args.out))
    print(_("Diagnostics written: {path} (no personal data)").format(path=path))
    return 0


def cmd_backup_daily(args: argparse.Namespace) -> int:
    from shequ_desktop.services import auto_backup
    result = auto_backup.startup_backups(_ctx(args))
    if result.taken is not None:
        print(_("Daily backup taken: {path}").format(path=result.taken))
    else:
        print(_("Today's backup already exists: {path}").format(path=result.existing or "-"))
    if result.second_copy is not None:
        print(_("Copy in the second folder: {path}").format(path=result.second_copy))
    if result.deleted:
        print(ngettext("Rotation removed {n} old backup; {kept} kept.",
                       "Rotation removed {n} old backups; {kept} kept.", len(result.deleted)).format(
            n=len(result.deleted), kept=result.kept))
    if result.second_error is not None:
        print(_("Error: ") + _("the second folder was not written: {reason}").format(reason=result.second_error),
              file=sys.stderr)
        return 1
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    """Connect to the hub, sync now, or show the state — for setting up thirty PCs from a script."""
    from shequ_desktop.services import sync
    if args.sync_cmd == "credential-selftest":
        from shequ_desktop.sync import credentials
        store = credentials.self_test()
        print({"dpapi-machine": _("The station credential is kept for this PC, encrypted with the Windows machine "
                                  "key (DPAPI); a changed file is refused."),
               "keyring": _("The station credential is kept in the system keyring."),
               }.get(store, _("The station credential is kept in a file only this user can read.")))
        return 0
    if args.sync_cmd == "selftest":
        from shequ_desktop import paths
        from shequ_desktop.persistence import search_build
        secs = search_build.self_test(paths.data_dir())
        print(_("The search-index builder of the first sync works ({ms} ms).").format(ms=round(secs * 1000)))
        return 0
    ctx = _ctx(args)
    if args.sync_cmd == "resync":
        if not args.yes:
            raise UserError("A full resync clears this workstation's copy of the community's records and loads "
                            "them again from the hub (after a backup); add --yes to go ahead.")
        res = sync.resync(ctx)
        print(ngettext("Backup: {path}; {n} record cleared; pulled {pulled} from the hub.",
                       "Backup: {path}; {n} records cleared; pulled {pulled} from the hub.", res.cleared).format(
            path=res.backup, n=res.cleared, pulled=res.sync.pulled))
        if not res.sync.ok:
            raise UserError("Sync failed: {problem}", problem=res.sync.problem or "-")
        return 0
    if args.sync_cmd == "connect":
        token = _read_password(_("Station credential (station_id:secret): "))
        settings = sync.configure(ctx, args.url, token.strip(), args.ca_file or "")
        print(_("Connected to {url}; credential stored in {where}.").format(url=settings.url,
                                                                          where=settings.token_stored_in or "-"))
        return 0
    if args.sync_cmd == "now":
        result = sync.sync_now(ctx)
        print(_("pushed {pushed}, pulled {pulled}, refused {rejected}").format(
            pushed=result.pushed, pulled=result.pulled, rejected=result.rejected))
        if not result.ok:
            raise UserError("Sync failed: {problem}", problem=result.problem or "-")
        return 0
    st = sync.status(ctx)
    print(_("configured: {c} · pending: {p} · refused: {q} · open conflicts: {k} · last success: {t}").format(
        c=_("yes") if st.configured else _("no"), p=st.pending, q=st.quarantined, k=st.open_conflicts,
        t=st.last_success_at.isoformat() if st.last_success_at else "-"))
    if st.set_aside:
        print(ngettext("{n} change from the hub could not be applied on this workstation and was set aside; "
                       "everything else was applied.",
                       "{n} changes from the hub could not be applied on this workstation and were set aside; "
                       "everything else was applied.", st.set_aside).format(n=st.set_aside))
        for ch in sync.set_aside(ctx):
            print(_("  change {seq} ({entity} {id}): {reason}").format(seq=ch.seq, entity=ch.entity,
                                                                     id=ch.entity_id, reason=ch.reason))
    return 0


def cmd_specimen(args: argparse.Namespace) -> int:
    from shequ_desktop.printing.pdf_backend import render_pdf
    from shequ_desktop.printing.templates import SPECIMENS
    if args.list or not args.kind:
        for kind in SPECIMENS:
            print(kind)
        return 0
    if args.kind not in SPECIMENS:
        raise UserError("Unknown document kind {kind}; see --list.", kind=args.kind)
    if not args.out:
        raise UserError("Please give --out FILE.pdf.")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if args.db or paths.default_db_path().exists():  # the admin's print_fonts setting, when there is a store
        from shequ_desktop.services import print_fonts
        with _ctx(args).transaction() as s:
            print_fonts.apply_in(s)
    from shequ_desktop.printing.templates import specimen_station
    with specimen_station(_specimen_station(args)):
        out.write_bytes(render_pdf(SPECIMENS[args.kind]()))
    print(_("Specimen written: {path}").format(path=out))
    return 0


def _specimen_station(args: argparse.Namespace):  # noqa: ANN202  (printing.templates.SpecimenStation)
    """The station's own names, address and phones when set (an existing store), else the sample station."""
    from shequ_desktop.printing.templates import SpecimenStation
    db = Path(args.db) if args.db else paths.default_db_path()
    if not db.exists():
        return SpecimenStation()
    from shequ_desktop.services.station import station_info
    info = station_info(_ctx(args))
    sample = SpecimenStation()
    if not info.configured:
        return sample
    return SpecimenStation(info.station_name, info.seal_name, info.address or sample.address,
                           info.phone or sample.phone, info.hours, info.hotline)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="shequ-admin", description=_("Administration of the shequ_desktop store"))
    p.add_argument("--db", help=_("database file (default: the user data folder)"))
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("init-db", help=_("create or upgrade the database")).set_defaults(func=cmd_init_db)
    cu = sub.add_parser("create-user", help=_("add a login (password from the prompt or stdin)"))
    cu.add_argument("login")
    cu.add_argument("--role", required=True, choices=[r.value for r in Role])
    cu.add_argument("--name", default="")
    cu.set_defaults(func=cmd_create_user)
    de = sub.add_parser("demo", help=_("fill an empty database with the demo community"))
    de.add_argument("--households", type=int, default=8000)
    de.set_defaults(func=cmd_demo)
    ca = sub.add_parser("calendar", help=_("working-day calendar"))
    cs = ca.add_subparsers(dest="calendar_cmd", required=True)
    cs.add_parser("show").add_argument("year", type=int)
    cs.add_parser("import").add_argument("file")
    due = cs.add_parser("due")
    due.add_argument("start")
    due.add_argument("n", type=int)
    ca.set_defaults(func=cmd_calendar)
    ir = sub.add_parser("import-residents", help=_("import residents from .xlsx or .csv"))
    ir.add_argument("file")
    ir.add_argument("--dry-run", action="store_true")
    ir.add_argument("--skip-rejected", action="store_true", help=_("import the good rows, skip the rejected"))
    ir.add_argument("--accept-name-changes", action="store_true",
                    help=_("a different name for a registered ID number is a real change, not a typo"))
    ir.set_defaults(func=cmd_import_residents)
    au = sub.add_parser("audit", help=_("audit log"))
    au.add_subparsers(dest="audit_cmd", required=True).add_parser("verify")
    au.set_defaults(func=cmd_audit)
    bk = sub.add_parser("backup", help=_("online backup with integrity check"))
    bk.add_argument("--to", required=True)
    bk.set_defaults(func=cmd_backup)
    rs = sub.add_parser("restore", help=_("replace the database with a backup"))
    rs.add_argument("file")
    rs.add_argument("--yes", action="store_true",
                    help=_("restore even when the backup is of another community or its audit log does not verify"))
    rs.set_defaults(func=cmd_restore)
    dg = sub.add_parser("diagnostics", help=_("write a diagnostics zip for the IT admin (no personal data)"))
    dg.add_argument("--out", required=True)
    dg.set_defaults(func=cmd_diagnostics)
    sub.add_parser("backup-daily", help=_("take today's automatic backup now if not taken yet, and rotate")
                   ).set_defaults(func=cmd_backup_daily)
    sy = sub.add_parser("sync", help=_("connection to the subdistrict hub"))
    ss = sy.add_subparsers(dest="sync_cmd", required=True)
    sc = ss.add_parser("connect", help=_("store the hub address and this station's credential (from stdin)"))
    sc.add_argument("url")
    sc.add_argument("--ca-file", default="")
    ss.add_parser("now", help=_("push and pull once"))
    ss.add_parser("status", help=_("pending changes, refused changes, conflicts, last success"))
    sr = ss.add_parser("resync", help=_("load the community's records again from the hub (after a backup); "
                                        "refused while changes are waiting to be sent"))
    sr.add_argument("--yes", action="store_true", help=_("really do it"))
    ss.add_parser("selftest", help=_("check that the first sync's index-builder process can start on this PC"))
    ss.add_parser("credential-selftest",
                  help=_("check that this PC can keep the station credential (store, read back, refuse a changed file)"))
    sy.set_defaults(func=cmd_sync)
    sp = sub.add_parser("specimen", help=_("print a specimen of a document kind"))
    sp.add_argument("kind", nargs="?")
    sp.add_argument("--out")
    sp.add_argument("--list", action="store_true")
    sp.set_defaults(func=cmd_specimen)
    from shequ_desktop.cli import fonts as fonts_cli
    fonts_cli.register(sub, _ctx)
    from shequ_desktop.cli import care
    care.register(sub, _ctx, _parse_date)
    from shequ_desktop.cli import mediation
    mediation.add_parser(sub, _ctx, _parse_date)
    from shequ_desktop.cli import emergency
    emergency.add_parser(sub, _ctx)
    from shequ_desktop.cli import station as station_cli
    station_cli.add_commands(sub, _ctx)
    from shequ_desktop.cli import kpi as kpi_cli
    kpi_cli.add_parser(sub, _ctx)
    from shequ_desktop.cli import staff as staff_cli
    staff_cli.add_commands(sub, _ctx)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    set_language(os.environ.get("SHEQU_LANG", "zh_CN"))
    from shequ_desktop.cli import argparse_i18n
    argparse_i18n.install()
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except ValidationErrors as e:
        print(_("Error: ") + "；".join(error_text(x) for x in e.errors), file=sys.stderr)
    except UserError as e:
        print(_("Error: ") + error_text(e), file=sys.stderr)
    except KeyboardInterrupt:
        print(_("Cancelled."), file=sys.stderr)
        return 130
    except Exception as e:  # never a traceback for the admin; the log has the details
        _log_crash(e)
        print(_("Error: ") + _("unexpected problem ({kind}: {detail}); details in {log}").format(
            kind=type(e).__name__, detail=str(e)[:200], log=paths.log_dir() / "shequ-admin.log"), file=sys.stderr)
    return 2


def _log_crash(exc: BaseException) -> None:
    import logging
    import traceback
    try:
        logging.basicConfig(filename=paths.log_dir() / "shequ-admin.log", level=logging.INFO)
        logging.getLogger("shequ-admin").error("".join(traceback.format_exception(exc)))
    except OSError:
        pass


if __name__ == "__main__":
    raise SystemExit(main())
