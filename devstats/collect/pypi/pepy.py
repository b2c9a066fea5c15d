"""pepy.tech's all-time download total (https://www.pepy.tech/pepy-api), used when a key is set."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from devstats.collect.pypi.sources import Asking
from devstats.http.client import HttpClient
from devstats.model.downloads import DownloadAnswer, PepyDownloads, StoredDownloads
from devstats.model.errors import UpstreamError
from devstats.model.notices import notice
from devstats.model.package_names import normalize


def fetch_pepy(http: HttpClient, base_url: str, name: str, api_key: str) -> PepyDownloads:
    """GET /api/v2/projects/<name>; every failure is an UpstreamError."""
    url = f"{base_url.rstrip('/')}/api/v2/projects/{normalize(name)}"
    response, payload = http.request_json(
        "GET",
        url,
        headers={"X-API-Key": api_key},
        allow_status=(401, 403, 404),
        what=f"pepy.tech data for {name!r}",
    )
    if response.status_code in (401, 403):
        raise UpstreamError(f"pepy.tech refused PEPY_API_KEY (HTTP {response.status_code})")
    if response.status_code == 404:
        raise UpstreamError(f"pepy.tech does not know {name!r}")
    total = payload.get("total_downloads") if isinstance(payload, dict) else None
    if not isinstance(total, int) or isinstance(total, bool):
        raise UpstreamError(f"pepy.tech's answer for {name!r} has no total_downloads")
    return PepyDownloads(total=total, daily=_daily(payload.get("downloads")))


def _daily(raw_days: object) -> dict[date, int]:
    daily: dict[date, int] = {}
    if not isinstance(raw_days, dict):
        return daily
    for day, per_version in raw_days.items():
        try:
            when = date.fromisoformat(str(day))
        except ValueError:
            continue  # a key that is not a day says nothing about downloads
        if isinstance(per_version, dict):
            daily[when] = sum(n for n in per_version.values() if isinstance(n, int))
    return daily


class PepyTotal:
    """pepy.tech as a download source: its all-time total, asked only when a key is set."""

    essential = False
    kept = False

    def __init__(self, api_key: str) -> None:
        self.api_key = api_key

    def ask(
        self, asking: Asking, said: Sequence[DownloadAnswer], stored: StoredDownloads | None
    ) -> PepyDownloads | None:
        try:
            return fetch_pepy(asking.http, asking.endpoints.pepy, asking.name, self.api_key)
        except UpstreamError as exc:
            asking.notices.append(
                notice("downloads-pepy-failed", package=asking.name, reason=str(exc))
            )
            return None
