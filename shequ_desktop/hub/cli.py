"""shequ-hub: run the subdistrict hub and manage station credentials.

    shequ-hub serve --database-url postgresql+psycopg://hub@127.0.0.1/hub [--host 127.0.0.1 --port 8470]
                    [--ssl-certfile cert.pem --ssl-keyfile key.pem]
    shequ-hub migrate --database-url URL
    shequ-hub add-station NAME --community ID --database-url URL
    shequ-hub add-platform NAME --database-url URL
    shequ-hub list-stations --database-url URL
    shequ-hub revoke STATION_ID --database-url URL
    shequ-hub snapshot --community ID --database-url URL [--no-seed]
    shequ-hub audit-flags --database-url URL [--station ID]
    shequ-hub audit-acknowledge FLAG_ID --by NAME [--note TEXT] --database-url URL

``--database-url`` defaults to $SHEQU_HUB_DATABASE_URL.

``snapshot`` builds a fresh bootstrap snapshot of one community (its whole current state, gzip-compressed,
served to new workstations at ``GET /api/v1/sync/snapshot``) and stores it. The hub also builds one by
itself when a station asks and the stored one is more than 20,000 changes behind; building it ahead (e.g.
nightly, or before setting up new workstations) saves that station the wait. It then builds the community's
seed from it (the same state as a ready-made desktop store of the schema revision of the desktop code
installed with the hub, served at ``GET /api/v1/sync/seed``) unless ``--no-seed`` is given.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence


def _store(args: argparse.Namespace):  # noqa: ANN202
    from shequ_desktop.hub.store import HubStore
    url = args.database_url or os.environ.get("SHEQU_HUB_DATABASE_URL")
    if not url:
        raise SystemExit("shequ-hub: --database-url (or SHEQU_HUB_DATABASE_URL) is required")
    store = HubStore(url)
    store.migrate()
    return store


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from shequ_desktop.hub.app import create_app
    store = _store(args)
    ssl = {}
    if args.ssl_certfile:
        ssl = {"ssl_certfile": args.ssl_certfile, "ssl_keyfile": args.ssl_keyfile}
    print(f"shequ-hub on {'https' if ssl else 'http'}://{args.host}:{args.port}  (API docs: /docs, /openapi.json)")
    if args.refresh_minutes > 0:
        _start_refresher(store, args.refresh_minutes)
    uvicorn.run(create_app(store), host=args.host, port=args.port, log_level=args.log_level,
                proxy_headers=True, forwarded_allow_ips=args.forwarded_allow_ips, **ssl)
    return 0


def _start_refresher(store, minutes: float) -> None:  # noqa: ANN001
    """Keep every community's first-sync snapshot and seed ready (a daemon thread; the first round a
    minute after start, then every ``minutes``)."""
    import logging
    import threading
    import time
    log = logging.getLogger("shequ_desktop.hub.refresh")

    def loop() -> None:
        time.sleep(60)
        while True:
            try:
                t0 = time.perf_counter()
                built = store.refresh_first_sync()
                if built:
                    log.warning("first-sync seeds rebuilt for %d communities in %.1f s", len(built),
                                time.perf_counter() - t0)
            except Exception:  # noqa: BLE001  (never take the server down; try again next round)
                log.exception("refreshing the first-sync seeds failed")
            time.sleep(minutes * 60)
    threading.Thread(target=loop, name="seed-refresh", daemon=True).start()


def cmd_migrate(args: argparse.Namespace) -> int:
    _store(args)
    print("hub database is at the newest schema")
    return 0


def _show(cred) -> None:  # noqa: ANN001
    print(f"station id: {cred.station_id}")
    print(f"name:       {cred.name}")
    if cred.community_id:
        print(f"community:  {cred.community_id}")
    print("credential (shown only this once; enter it on the workstation — the hub keeps only a hash):")
    print(f"  {cred.token}")


def cmd_add_station(args: argparse.Namespace) -> int:
    try:
        cred = _store(args).add_station(args.name, args.community)
    except ValueError as e:
        print(f"shequ-hub: {e}", file=sys.stderr)
        return 2
    _show(cred)
    return 0


def cmd_add_platform(args: argparse.Namespace) -> int:
    _show(_store(args).add_station(args.name, None, kind="platform"))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    for s in _store(args).list_stations():
        state = "revoked" if s["revoked_at"] else "active"
        print(f"{s['id']}  {s['kind']:<8} {state:<7} {s['community_id'] or '-':<36}  {s['name']}")
    return 0


def cmd_revoke(args: argparse.Namespace) -> int:
    ok = _store(args).revoke(args.station_id)
    print("revoked" if ok else "no such station")
    return 0 if ok else 1


def cmd_audit_flags(args: argparse.Namespace) -> int:
    """Every refused audit push (a station whose audit history was rewritten, has a gap or forked) and
    every restored history the hub accepted; exit 1 while any is not acknowledged."""
    import json

    from shequ_desktop.hub import audit
    rows = audit.flags(_store(args), args.station)
    for f in rows:
        try:
            message = json.loads(f["detail"]).get("message", f["detail"])
        except ValueError:
            message = f["detail"]
        state = f["state"]
        if f["acknowledged_by"]:
            state += f" by {f['acknowledged_by']} {f['acknowledged_at']:%Y-%m-%d %H:%M}"
        print(f"{f['at']:%Y-%m-%d %H:%M}  {f['station_id']}  {f['reason']:<9} entry {f['seq']}  flag {f['id']}  "
              f"[{state}]  {message}")
    return 1 if any(f["state"] in ("open", "accepted") for f in rows) else 0


def cmd_audit_acknowledge(args: argparse.Namespace) -> int:
    """The subdistrict admin acknowledges a flag: a restored history the hub accepted is reviewed; a
    refused one ('rewritten', e.g. a restore made with an older program) is accepted on the station's
    next sync. Recorded with the name given and the operating-system account."""
    import getpass

    from shequ_desktop.hub import audit
    try:
        flag = audit.acknowledge(_store(args), args.flag_id, args.by, getpass.getuser(), args.note or "")
    except audit.AckRefused as e:
        print(f"shequ-hub: {e}", file=sys.stderr)
        return 2
    if flag["reason"] == "restored":
        print(f"flag {args.flag_id} acknowledged (station {flag['station_id']}: restored history reviewed)")
    else:
        print(f"flag {args.flag_id} acknowledged: the next sync of station {flag['station_id']} continues its "
              f"history from entry {flag['seq']}; the hub keeps the entries it held (superseded)")
    return 0


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n / 1e3:.1f} kB"


def cmd_snapshot(args: argparse.Namespace) -> int:
    from shequ_desktop.sync import protocol as P
    if not P.is_uuid(args.community):
        print("shequ-hub: --community must be the community's id (a UUID, shown in the desktop's settings)",
              file=sys.stderr)
        return 2
    store = _store(args)
    t0 = time.perf_counter()
    snap = store.build_snapshot(args.community)
    secs = time.perf_counter() - t0
    print(f"snapshot of community {args.community}: {snap.rows:,} records up to change {snap.cursor}, "
          f"{_size(len(snap.body))}, built in {secs:.1f} s", flush=True)
    status = 0
    if not args.no_seed:
        from shequ_desktop.hub.store import SeedUnavailable
        t0 = time.perf_counter()
        try:
            seed = store.build_seed(args.community)
        except SeedUnavailable as e:
            print(f"shequ-hub: no seed built: {e}", file=sys.stderr)
            status = 1
        else:
            secs = time.perf_counter() - t0
            print(f"seed for schema {seed.revision}: {seed.rows:,} records, {_size(len(seed.body))}, "
                  f"built in {secs:.1f} s")
    store.dispose()
    return status


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="shequ-hub", description="The subdistrict hub (街道数据中心)")
    sub = ap.add_subparsers(dest="cmd", required=True)

    def with_db(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--database-url", help="postgresql+psycopg://user@host/db or sqlite:///hub.db (demo)")
        return p

    p = with_db(sub.add_parser("serve", help="run the hub (upgrades its database first)"))
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8470)
    p.add_argument("--ssl-certfile", help="serve HTTPS with this certificate (or terminate TLS in a reverse proxy)")
    p.add_argument("--ssl-keyfile")
    p.add_argument("--forwarded-allow-ips", default="127.0.0.1",
                   help="reverse proxies whose X-Forwarded-* headers are trusted")
    p.add_argument("--log-level", default="info")
    p.add_argument("--refresh-minutes", type=float, default=30.0,
                   help="every N minutes, rebuild the first-sync snapshot and seed of communities whose stored "
                        "seed is 10,000 changes behind (0: only on request)")
    p.set_defaults(func=cmd_serve)
    with_db(sub.add_parser("migrate", help="create or upgrade the hub database")).set_defaults(func=cmd_migrate)
    p = with_db(sub.add_parser("add-station", help="issue a workstation credential (shown once)"))
    p.add_argument("name")
    p.add_argument("--community", required=True, help="the community id the station may read and write")
    p.set_defaults(func=cmd_add_station)
    p = with_db(sub.add_parser("add-platform", help="issue the online platform's credential (requests API)"))
    p.add_argument("name")
    p.set_defaults(func=cmd_add_platform)
    with_db(sub.add_parser("list-stations", help="list credentials")).set_defaults(func=cmd_list)
    p = with_db(sub.add_parser("revoke", help="revoke a credential"))
    p.add_argument("station_id")
    p.set_defaults(func=cmd_revoke)
    p = with_db(sub.add_parser("audit-flags", help="stations whose audit push was refused (rewritten history, "
                                                   "gap, fork); exit 1 when there are any"))
    p.add_argument("--station", help="only this station (credential id)")
    p.set_defaults(func=cmd_audit_flags)
    p = with_db(sub.add_parser("audit-acknowledge", help="acknowledge an audit flag: a restored history reviewed, "
                                                         "or a rewritten one accepted (recorded)"))
    p.add_argument("flag_id", type=int, help="the flag's number (shequ-hub audit-flags)")
    p.add_argument("--by", required=True, help="your name (recorded with the acknowledgement)")
    p.add_argument("--note", help="why (e.g. the station's call about the restore)")
    p.set_defaults(func=cmd_audit_acknowledge)
    p = with_db(sub.add_parser(
        "snapshot", help="build and store a fresh bootstrap snapshot of a community (what new workstations load) "
                         "and its seed"))
    p.add_argument("--community", required=True, help="the community's id (UUID)")
    p.add_argument("--no-seed", action="store_true",
                   help="only the snapshot, not the seed (the ready-made desktop store built from it)")
    p.set_defaults(func=cmd_snapshot)
    args = ap.parse_args(argv)
    if args.cmd == "serve" and bool(args.ssl_certfile) != bool(args.ssl_keyfile):
        ap.error("--ssl-certfile and --ssl-keyfile go together")
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
