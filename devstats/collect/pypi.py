"""PyPI project metadata: which releases exist, when they were uploaded, which were yanked.

Reads the JSON API (``GET /pypi/<project>/json``, https://docs.pypi.org/api/json/). PyPI answers
a non-canonical name with a 301 to the project's own spelling, which httpx follows; an unknown
project is a 404 with an HTML body, not JSON.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any

from packaging.version import InvalidVersion, Version

from devstats.errors import NotFoundError, UpstreamError
from devstats.http import HttpClient

PYPI_URL = "https://pypi.org"
_SEPARATOR_RUNS = re.compile(r"[-_.]+")


def normalize(name: str) -> str:
    """The PEP 503 normalised project name: lowercase, runs of ``-``, ``_`` and ``.`` -> ``-``."""
    return _SEPARATOR_RUNS.sub("-", name.strip()).lower()


@dataclass(frozen=True)
class Release:
    version: str
    uploaded_at: datetime  # the earliest upload among the release's files, UTC
    yanked: bool  # every file is yanked (as of the fetch: PyPI does not say when)
    prerelease: bool  # PEP 440 pre-, dev- (or unparseable) version


@dataclass(frozen=True)
class PyPIProject:
    name: str  # as PyPI spells it (info.name)
    releases: tuple[Release, ...]  # ordered by upload time; releases without files are left out
    url: str | None


def parse_version(version: str) -> Version | None:
    """The PEP 440 version, or None for a legacy version string that cannot be ordered."""
    try:
        return Version(version)
    except InvalidVersion:
        return None


def _upload_time(file: Mapping[str, Any]) -> datetime | None:
    raw = file.get("upload_time_iso_8601") or file.get("upload_time")
    if not isinstance(raw, str):
        return None
    parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    # `upload_time` (no suffix) is UTC as well.
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _release(version: str, files: Iterable[Mapping[str, Any]]) -> Release | None:
    files = list(files)
    times = [t for t in (_upload_time(f) for f in files) if t is not None]
    if not times:
        return None  # a release with no files cannot be installed or downloaded
    parsed = parse_version(version)
    return Release(
        version=version,
        uploaded_at=min(times),
        yanked=all(bool(f.get("yanked")) for f in files),
        prerelease=parsed is None or parsed.is_prerelease,
    )


def parse_project(payload: Any) -> PyPIProject:
    """Turn the body of ``/pypi/<project>/json`` into a PyPIProject."""
    if not isinstance(payload, dict) or not isinstance(payload.get("info"), dict):
        raise UpstreamError("PyPI returned project JSON without an `info` object")
    info = payload["info"]
    raw_releases = payload.get("releases") or {}
    if not isinstance(raw_releases, dict):
        raise UpstreamError("PyPI returned project JSON whose `releases` is not an object")
    releases = [
        release
        for version, files in raw_releases.items()
        if isinstance(files, list)
        and (release := _release(str(version), (f for f in files if isinstance(f, dict))))
    ]
    releases.sort(key=lambda r: (r.uploaded_at, r.version))
    url = info.get("project_url") or info.get("package_url")
    return PyPIProject(
        name=str(info.get("name") or ""),
        releases=tuple(releases),
        url=str(url) if url else None,
    )


def fetch_project(http: HttpClient, base_url: str, name: str) -> PyPIProject:
    """Fetch one project's metadata; NotFoundError (exit 3) when PyPI does not know it."""
    normalized = normalize(name)
    url = f"{base_url.rstrip('/')}/pypi/{normalized}/json"
    response = http.request(
        "GET", url, allow_status=(404,), what=f"PyPI project {name!r}", expect_json=True
    )
    if response.status_code == 404:
        raise NotFoundError(
            f"PyPI has no project {name!r} (looked up as {normalized!r} at {url})",
            hint="check the package name in the settings",
        )
    try:
        payload = response.json()
    except ValueError:
        raise UpstreamError(
            f"PyPI returned something that is not JSON for {name!r} (HTTP {response.status_code})"
        ) from None
    return parse_project(payload)


def _eligible(release: Release, include_prereleases: bool) -> bool:
    return not release.yanked and (include_prereleases or not release.prerelease)


def _year_bounds(year: int, tz: tzinfo) -> tuple[datetime, datetime]:
    return datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)


def version_at_year_end(
    project: PyPIProject, year: int, tz: tzinfo, include_prereleases: bool = False
) -> str | None:
    """The newest installable version uploaded before the year ended in `tz`.

    "Newest" is by PEP 440 ordering, not by upload time: a 1.9.1 bug-fix uploaded after 2.0.0
    does not make 1.9.1 the current version. Yanked releases and (unless asked for)
    pre-releases are skipped; legacy versions that cannot be ordered are never chosen.
    """
    _, end = _year_bounds(year, tz)
    candidates = [
        (parsed, release.version)
        for release in project.releases
        if release.uploaded_at < end
        and _eligible(release, include_prereleases)
        and (parsed := parse_version(release.version)) is not None
    ]
    return max(candidates)[1] if candidates else None


def releases_in_year(
    project: PyPIProject, year: int, tz: tzinfo, include_prereleases: bool = False
) -> int:
    """How many installable releases were uploaded during the year in `tz` (yanked ones skipped)."""
    start, end = _year_bounds(year, tz)
    return sum(
        1
        for release in project.releases
        if start <= release.uploaded_at < end and _eligible(release, include_prereleases)
    )
