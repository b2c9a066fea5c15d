"""A fake PyPI and pypistats.org for any number of constructed packages, and their ClickPy rows.

tests/fakes/pypi_world.py serves the demo's one package as it really looked; this one serves
packages made up whole (by tests/fakes/year_world.py): each has releases with upload times and a
download count for every day from its first upload to yesterday, without mirrors, plus what
mirrors added. From those days:

- PyPI's JSON API (`/pypi/<name>/json`) lists the releases, with an ETag;
- pypistats.org's `overall` answers the last 180 days (pypistats.org keeps 180), one row per day
  and category, and `recent` the last day, week and month;
- `clickhouse_rows()` gives every day by installer ("pip", and "bandersnatch" for the mirrors'
  part), as ClickPy stores them (tests/fakes/clickhouse.py answers the SQL).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import httpx

from tests.fakes.clickhouse import DownloadRow, FakeClickHouse

PYPISTATS_DAYS = 180


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(frozen=True)
class FakePackage:
    name: str
    releases: tuple[tuple[str, datetime], ...]  # (version, upload time), oldest first
    daily: dict[date, int]  # downloads without mirrors, every day from the first upload
    mirrored: dict[date, int]  # what mirrors added on each day

    def with_mirrors(self, day: date) -> int:
        return self.daily.get(day, 0) + self.mirrored.get(day, 0)


class PackagesWorld:
    """`handle` answers pypi.org and pypistats.org requests for `packages` (None otherwise)."""

    def __init__(self, packages: list[FakePackage], today: date) -> None:
        self.packages = {normalize(p.name): p for p in packages}
        self.today = today
        self.requests: list[httpx.Request] = []

    def package(self, name: str) -> FakePackage | None:
        return self.packages.get(normalize(name))

    def clickhouse(self) -> FakeClickHouse:
        return FakeClickHouse(rows=self.clickhouse_rows())

    def clickhouse_rows(self) -> list[DownloadRow]:
        rows = []
        for key, package in self.packages.items():
            for day, count in sorted(package.daily.items()):
                if day >= self.today:
                    continue
                rows.append(DownloadRow(day, key, "pip", count))
                if package.mirrored.get(day):
                    rows.append(DownloadRow(day, key, "bandersnatch", package.mirrored[day]))
        return rows

    def handle(self, request: httpx.Request) -> httpx.Response | None:
        if request.url.host == "pypi.org":
            self.requests.append(request)
            return self._pypi(request)
        if request.url.host == "pypistats.org":
            self.requests.append(request)
            return self._pypistats(request)
        return None

    # --- pypi.org ---------------------------------------------------------------------------

    def _pypi(self, request: httpx.Request) -> httpx.Response:
        match = re.fullmatch(r"/pypi/([^/]+)/json", request.url.path)
        package = self.package(match.group(1)) if match else None
        if package is None:
            return httpx.Response(404, text="Not Found")
        body = json.dumps(self.project_json(package)).encode()
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        if request.headers.get("if-none-match") == etag:
            return httpx.Response(304, headers={"etag": etag})
        headers = {"content-type": "application/json", "etag": etag, "cache-control": "max-age=900"}
        return httpx.Response(200, content=body, headers=headers)

    @staticmethod
    def project_json(package: FakePackage) -> dict[str, Any]:
        def files(version: str, uploaded: datetime) -> list[dict[str, Any]]:
            filename = f"{normalize(package.name).replace('-', '_')}-{version}-py3-none-any.whl"
            return [
                {
                    "filename": filename,
                    "packagetype": "bdist_wheel",
                    "python_version": "py3",
                    "size": 20_000,
                    "upload_time": uploaded.strftime("%Y-%m-%dT%H:%M:%S"),
                    "upload_time_iso_8601": uploaded.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                    "yanked": False,
                    "yanked_reason": None,
                    "url": f"https://files.pythonhosted.org/packages/{filename}",
                }
            ]

        latest = package.releases[-1][0]
        releases = {version: files(version, when) for version, when in package.releases}
        return {
            "info": {
                "name": package.name,
                "version": latest,
                "summary": f"{package.name}, a constructed package",
                "project_url": f"https://pypi.org/project/{package.name}/",
                "home_page": None,
                "project_urls": None,
                "requires_python": ">=3.9",
                "yanked": False,
            },
            "last_serial": 1000 + len(package.releases),
            "releases": releases,
            "urls": releases[latest],
            "vulnerabilities": [],
        }

    # --- pypistats.org ------------------------------------------------------------------------

    def _pypistats(self, request: httpx.Request) -> httpx.Response:
        match = re.fullmatch(r"/api/packages/([^/]+)/(recent|overall)", request.url.path)
        package = self.package(match.group(1)) if match else None
        if match is None or package is None:
            return httpx.Response(404, text="404")
        last = self.today - timedelta(days=1)
        days = [last - timedelta(days=n) for n in range(PYPISTATS_DAYS)][::-1]
        key = normalize(package.name)
        if match.group(2) == "recent":
            data = {
                "last_day": package.daily.get(last, 0),
                "last_week": sum(package.daily.get(d, 0) for d in days[-7:]),
                "last_month": sum(package.daily.get(d, 0) for d in days[-30:]),
            }
            return httpx.Response(
                200, json={"data": data, "package": key, "type": "recent_downloads"}
            )
        mirrors = request.url.params.get("mirrors")
        categories = {"true": [True], "false": [False]}.get(mirrors or "", [True, False])
        rows = [
            {
                "category": "with_mirrors" if with_mirrors else "without_mirrors",
                "date": day.isoformat(),
                "downloads": package.with_mirrors(day) if with_mirrors else package.daily[day],
            }
            for with_mirrors in categories
            for day in days
            if package.daily.get(day)  # the server has no row for a day without downloads
        ]
        return httpx.Response(200, json={"data": rows, "package": key, "type": "overall_downloads"})
