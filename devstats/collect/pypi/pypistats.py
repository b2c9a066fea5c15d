"""Daily download counts from pypistats.org (https://pypistats.org/api/).

Facts about the upstream that shape this module (psf/pypistats.org, views/api.py):
- it keeps only the last 180 days, one row per UTC day and category, updated once a day;
- a day without downloads has no row at all, so gaps inside a series are zeros;
- ``/overall`` has the categories ``with_mirrors`` and ``without_mirrors`` (``mirrors=true|false``
  picks one);
- an unknown package is a 404 whose body is the plain text ``404``, and errors in general are
  plain text, not JSON;
- it limits each client IP to 5 requests a second and 30 a minute, hence PYPISTATS_RATES.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from devstats.collect.pypi.sources import Asking
from devstats.http.client import HttpClient
from devstats.http.limits import TokenBucket
from devstats.model.downloads import (
    DailyDownloads,
    DownloadAnswer,
    DownloadSeries,
    StoredDownloads,
)
from devstats.model.errors import NotFoundError, UpstreamError
from devstats.model.notices import notice
from devstats.model.package_names import normalize

# "5 per second" and "30 per minute" per IP: the Flask-Limiter defaults in pypistats.org's run.py.
PYPISTATS_RATES: tuple[tuple[int, float], ...] = ((5, 1.0), (30, 60.0))
RETENTION_DAYS = 180
WITH_MIRRORS = "with_mirrors"
WITHOUT_MIRRORS = "without_mirrors"


def pypistats_limiter(
    *,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> TokenBucket:
    """The limits requests to pypistats.org keep to; hand it to HttpClient(limiters=...)."""
    return TokenBucket(PYPISTATS_RATES, clock=clock, sleep=sleep)


def category_for(mirrors: bool) -> str:
    return WITH_MIRRORS if mirrors else WITHOUT_MIRRORS


@dataclass(frozen=True)
class OverallDownloads:
    package: str  # as pypistats.org names it
    series: tuple[DownloadSeries, ...]

    def category(self, mirrors: bool) -> DownloadSeries | None:
        wanted = category_for(mirrors)
        return next((s for s in self.series if s.category == wanted), None)


def _endpoint(base_url: str, name: str, what: str) -> str:
    # pypistats.org rewrites `.` and `_` but not case; its rows carry the PEP 503 name.
    return f"{base_url.rstrip('/')}/packages/{normalize(name)}/{what}"


def _get(http: HttpClient, url: str, name: str, params: Mapping[str, str] | None) -> Any:
    response, payload = http.request_json(
        "GET", url, params=params, allow_status=(404,), what=f"pypistats.org data for {name!r}"
    )
    if response.status_code == 404:
        raise NotFoundError(
            f"pypistats.org has no download data for {name!r} (looked up as {normalize(name)!r})",
            hint="pypistats.org lists a package from the day after its first download and "
            "forgets days older than 180 days",
        )
    if not isinstance(payload, dict):
        raise UpstreamError(f"pypistats.org returned an answer that is not an object for {name!r}")
    return payload


def _zero_filled(package: str, category: str, counts: Mapping[date, int]) -> DownloadSeries:
    if not counts:
        return DownloadSeries(package, category, ())
    first, last = min(counts), max(counts)
    days = tuple(
        DailyDownloads(first + timedelta(n), counts.get(first + timedelta(n), 0))
        for n in range((last - first).days + 1)
    )
    return DownloadSeries(package, category, days)


def parse_overall(payload: Mapping[str, Any]) -> OverallDownloads:
    package = str(payload.get("package") or "")
    rows = payload.get("data")
    if not isinstance(rows, list):
        raise UpstreamError(f"pypistats.org overall data for {package!r} is not a list")
    by_category: dict[str, dict[date, int]] = {}
    for row in rows:
        if not isinstance(row, dict):
            continue
        try:
            day = date.fromisoformat(str(row["date"]))
            downloads = int(row["downloads"])
            category = str(row["category"])
        except (KeyError, TypeError, ValueError):
            raise UpstreamError(
                f"pypistats.org sent a malformed overall row for {package!r}: {row!r}"
            ) from None
        days = by_category.setdefault(category, {})
        days[day] = days.get(day, 0) + downloads
    series = tuple(
        _zero_filled(package, category, days) for category, days in sorted(by_category.items())
    )
    return OverallDownloads(package=package, series=series)


def fetch_overall(
    http: HttpClient, name: str, *, mirrors: bool | None = None, base_url: str
) -> OverallDownloads:
    """Daily downloads of the last 180 days; `mirrors` None asks for both categories."""
    params = None if mirrors is None else {"mirrors": "true" if mirrors else "false"}
    payload = _get(http, _endpoint(base_url, name, "overall"), name, params)
    return parse_overall(payload)


class PypistatsDays:
    """pypistats.org as a download source: the last 180 days, kept in the download store."""

    essential = True  # without it a package has no recent days at all
    kept = True

    def ask(
        self, asking: Asking, said: Sequence[DownloadAnswer], stored: StoredDownloads | None
    ) -> DownloadSeries | None:
        try:
            overall = fetch_overall(
                asking.http,
                asking.name,
                mirrors=asking.mirrors,
                base_url=asking.endpoints.pypistats,
            )
        except NotFoundError as exc:
            asking.notices.append(
                notice("downloads-not-listed", package=asking.name, reason=str(exc))
            )
            return None
        return overall.category(asking.mirrors)
