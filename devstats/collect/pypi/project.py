"""PyPI project metadata: which releases exist, when they were uploaded, which were yanked.

Reads the JSON API (``GET /pypi/<project>/json``, https://docs.pypi.org/api/json/). PyPI answers
a non-canonical name with a 301 to the project's own spelling, which httpx follows; an unknown
project is a 404 with an HTML body, not JSON.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from devstats.http.client import HttpClient
from devstats.model.errors import NotFoundError, UpstreamError
from devstats.model.package_names import normalize
from devstats.model.packages import PackageRelease, PyPIProject, parse_version


def _upload_time(file: Mapping[str, Any]) -> datetime | None:
    raw = file.get("upload_time_iso_8601") or file.get("upload_time")
    if not isinstance(raw, str):
        return None
    parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    # `upload_time` (no suffix) is UTC as well.
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _release(version: str, files: Iterable[Mapping[str, Any]]) -> PackageRelease | None:
    files = list(files)
    times = [t for t in (_upload_time(f) for f in files) if t is not None]
    if not times:
        return None  # a release with no files cannot be installed or downloaded
    parsed = parse_version(version)
    return PackageRelease(
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
    response, payload = http.request_json(
        "GET", url, allow_status=(404,), what=f"PyPI project {name!r}"
    )
    if response.status_code == 404:
        raise NotFoundError(
            f"PyPI has no project {name!r} (looked up as {normalized!r} at {url})",
            hint="check the package name in the settings",
        )
    return parse_project(payload)
