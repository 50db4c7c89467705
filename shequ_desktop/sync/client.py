"""HTTP client of the hub: certificates verified (custom CA file for an intranet), timeouts, injectable transport."""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from collections.abc import Iterator
from typing import Any

import httpx

from shequ_desktop.sync import protocol as P


# What the client says (message ids: the UI shows them in its language through ``msgid`` + ``params``).
MSG_TIMEOUT = "The hub did not answer in time."
MSG_UNREACHABLE = "The hub cannot be reached (offline?)."
MSG_CERTIFICATE = "The hub's certificate could not be verified ({cause})."
MSG_SERVER_PROBLEM = "The hub has a problem (HTTP {status}); will retry."
MSG_CREDENTIAL_REFUSED = "The hub refused this station's credential."


class HubError(Exception):
    """Base class; ``message`` is plain (English) words for logs and the CLI; ``msgid`` + ``params`` are
    the same message for a translated screen (``msgid`` is ``message`` when it was not built from one)."""

    def __init__(self, message: str, status: int | None = None, *, msgid: str | None = None,
                 params: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message, self.status = message, status
        self.msgid, self.params = msgid or message, dict(params or {})

    @classmethod
    def said(cls, msgid: str, http_status: int | None = None, **params: Any) -> HubError:
        """The error for message id ``msgid`` with ``params`` (``message`` is it in English)."""
        return cls(msgid.format(**params), http_status, msgid=msgid, params=params)


class HubUnavailable(HubError):
    """Network down, timeout, TLS failure or a 5xx: try again later; nothing is lost."""


class HubAuthError(HubError):
    """401/403: the credential is wrong or revoked, or the station asked for data it may not see."""


class HubRejected(HubError):
    """A 4xx for the request as a whole (e.g. a malformed change); ``detail`` is the hub's JSON."""

    def __init__(self, message: str, status: int, detail: dict[str, Any]) -> None:
        super().__init__(message, status)
        self.detail = detail


# The hub may build a community's snapshot and seed for the request (≈10 s for 200,000 records)
# before the first byte: a longer read timeout for those two downloads than for the rest.
BUILD_TIMEOUT = httpx.Timeout(180.0, connect=5.0)


@dataclass(frozen=True)
class PullPage:
    items: list[list[Any]]        # [seq, item]
    cursor: int
    more: bool
    nbytes: int


@dataclass(frozen=True)
class SeedInfo:
    revision: str
    cursor: int
    rows: int
    nbytes: int                   # bytes received (compressed)


@dataclass(frozen=True)
class WhoAmI:
    station_id: str
    name: str
    community_id: str
    head: int


class HubClient:
    def __init__(self, base_url: str, token: str, *, ca_file: str | None = None, timeout: float = 15.0,
                 transport: httpx.BaseTransport | None = None, client: httpx.Client | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.station_id = token.split(":", 1)[0] if ":" in token else ""
        self.nbytes = 0
        if client is not None:
            self._http = client
        else:
            verify: Any = True
            if ca_file:
                verify = ssl.create_default_context(cafile=ca_file)
            self._http = httpx.Client(base_url=self.base_url, verify=verify, transport=transport,
                                      timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
                                      headers={"Authorization": f"Bearer {token}",
                                               "User-Agent": f"shequ-desktop/sync{P.PROTOCOL_VERSION}"})

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> HubClient:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _send(self, method: str, path: str, **kw: Any) -> httpx.Response:
        headers = kw.pop("headers", {})
        headers.setdefault("Authorization", f"Bearer {self.token}")
        try:
            resp = self._http.request(method, path, headers=headers, **kw)
        except httpx.TimeoutException:
            raise HubUnavailable.said(MSG_TIMEOUT) from None
        except httpx.TransportError as e:
            raise self._transport_error(e) from None
        return self._check(resp)

    @staticmethod
    def _transport_error(e: Exception) -> HubUnavailable:
        cause = str(e) or type(e).__name__
        if "CERTIFICATE" in cause.upper() or "SSL" in cause.upper():
            return HubUnavailable.said(MSG_CERTIFICATE, cause=cause)  # type: ignore[return-value]
        return HubUnavailable.said(MSG_UNREACHABLE)  # type: ignore[return-value]

    @staticmethod
    def _check(resp: httpx.Response) -> httpx.Response:
        if resp.status_code >= 500:
            raise HubUnavailable.said(MSG_SERVER_PROBLEM, resp.status_code, status=resp.status_code)
        if resp.status_code in (401, 403):
            hub_text = _error_text(resp)
            if hub_text:
                raise HubAuthError(hub_text, resp.status_code)
            raise HubAuthError.said(MSG_CREDENTIAL_REFUSED, resp.status_code)
        if resp.status_code >= 400:
            detail = _error_json(resp)
            raise HubRejected(str(detail.get("error") or f"HTTP {resp.status_code}"), resp.status_code, detail)
        return resp

    def whoami(self) -> WhoAmI:
        d = self._send("GET", "/api/v1/sync/whoami").json()
        return WhoAmI(d["station_id"], d["name"], d["community_id"] or "", int(d.get("head") or 0))

    def push(self, changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
        resp = self._send("POST", "/api/v1/sync/push", content=P.dumps({"changes": changes}),
                          headers={"Content-Type": "application/json"})
        return list(P.loads(resp.content)["results"])

    def pull(self, after: int, limit: int = P.DEFAULT_PULL, community: str | None = None) -> PullPage:
        params: dict[str, Any] = {"after": after, "limit": limit}
        if community:
            params["community"] = community
        resp = self._send("GET", "/api/v1/sync/pull", params=params)
        data = P.loads(resp.content)
        return PullPage(data["items"], int(data["cursor"]), bool(data["more"]), len(resp.content))

    def snapshot(self, with_raw: bool = False) -> Iterator[Any]:
        """Stream the community's bootstrap snapshot (``GET /api/v1/sync/snapshot``): yields the decoded
        NDJSON lines — the header, the chunks, the end line — as they arrive (gzip on the wire,
        decompressed by httpx); ``with_raw``: (decoded line, its JSON bytes) pairs. ``nbytes``
        counts the compressed bytes received so far.

        Raises like every call (HubUnavailable for a network failure midway, HubRejected 404 for a hub
        without snapshots)."""
        self.nbytes = 0
        try:
            with self._http.stream("GET", "/api/v1/sync/snapshot",
                                   headers={"Authorization": f"Bearer {self.token}",
                                            "Accept-Encoding": "gzip"}, timeout=BUILD_TIMEOUT) as resp:
                if resp.status_code >= 400:
                    resp.read()
                    self._check(resp)
                def pieces() -> Iterator[bytes]:
                    for data in resp.iter_bytes(1 << 20):
                        self.nbytes = resp.num_bytes_downloaded
                        yield data
                yield from P.ndjson_lines(pieces(), with_raw)
        except httpx.TimeoutException:
            raise HubUnavailable("The hub did not answer in time.") from None
        except httpx.TransportError as e:
            raise self._transport_error(e) from None
        except httpx.HTTPError as e:          # e.g. a corrupt gzip stream
            raise HubUnavailable(f"The snapshot download failed ({type(e).__name__}).") from None

    def seed(self, revision: str, dest: Any, progress: Any = None) -> SeedInfo:
        """Download the community's seed store for this schema ``revision`` (``GET /api/v1/sync/seed``)
        into the file ``dest`` (gzip on the wire, written decompressed). ``progress(done, total)`` in
        records (estimated from the bytes received). A hub that cannot build this revision answers 409 (HubRejected)."""
        try:
            with self._http.stream("GET", "/api/v1/sync/seed", params={"revision": revision},
                                   headers={"Authorization": f"Bearer {self.token}",
                                            "Accept-Encoding": "gzip"}, timeout=BUILD_TIMEOUT) as resp:
                if resp.status_code >= 400:
                    resp.read()
                    self._check(resp)
                total = int(resp.headers.get("content-length") or 0)
                rows = int(resp.headers.get("x-seed-rows") or 0)
                with open(dest, "wb") as f:
                    for data in resp.iter_bytes(1 << 20):
                        f.write(data)
                        if progress is not None and total:      # records, estimated from the bytes
                            progress(min(rows, rows * resp.num_bytes_downloaded // total), rows)
                return SeedInfo(resp.headers.get("x-seed-revision", ""), int(resp.headers["x-seed-cursor"]),
                                int(resp.headers["x-seed-rows"]), resp.num_bytes_downloaded)
        except httpx.TimeoutException:
            raise HubUnavailable("The hub did not answer in time.") from None
        except httpx.TransportError as e:
            raise self._transport_error(e) from None
        except httpx.HTTPError as e:
            raise HubUnavailable(f"The download failed ({type(e).__name__}).") from None
        except (KeyError, ValueError):
            raise HubUnavailable("The hub's answer lacks the seed's cursor.") from None

    def get_request(self, request_id: str) -> dict[str, Any]:
        return dict(self._send("GET", f"/api/v1/requests/{request_id}").json())


def _error_json(resp: httpx.Response) -> dict[str, Any]:
    try:
        d = resp.json()
        return d if isinstance(d, dict) else {"error": str(d)}
    except ValueError:
        return {"error": resp.text[:200]}


def _error_text(resp: httpx.Response) -> str:
    return str(_error_json(resp).get("error") or "")
