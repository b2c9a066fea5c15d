"""A fake PyPI, pypistats.org and pepy.tech for the offline demo and the tests.

It serves one package, ``pytorch_optimizer`` (kozistr/pytorch_optimizer), as it looked on the
recording date 2022-12-15, in the shapes the real services use (see tests/data/pypi/README.md).

Where each figure comes from:

Releases (real versions, constructed upload times)
    Every version except 2.0.1 is named in a version-bump commit of the real history
    (tests/data/pypi/pytorch_optimizer.version-bumps.jsonl, e.g. "update: version to 0.3.1",
    "build(version): v2.0.0"). The project's publish workflow runs when a GitHub release is
    created ("update: on-release", 2021-09-21), so a version reached PyPI shortly after its bump.
    The upload time here is *constructed* as the (last) bump commit's committer time + 15 minutes,
    wheel first, sdist two seconds later. Bumps whose subject does not name the number ("update:
    version", "build(deps): version") are left out, so some real releases are missing.
    2.0.1 is named by no commit: the yearly review states it was the version at the end of 2022,
    and the only change merged after 2.0.0 that year which a fix release would ship is PR #83
    ("[Fix] python 3.7 for Colab environment", merged 2022-11-01T14:21:41+09:00). Its upload time
    is constructed from that merge the same way.

Daily downloads (constructed)
    pypistats.org keeps 180 days; on 2022-12-15 that is 2022-06-18 .. 2022-12-14 (the ETL adds
    "yesterday"). `constructed_daily_downloads` draws each day from a seeded generator: a mean of
    74 on weekdays and 46 at weekends, a boost after each release that decays over a week
    (+50 %, x0.7 a day), and +-20 % noise; with mirrors adds 0..4 mirror fetches a day.
    With seed 20221215 that gives 12,484 downloads without mirrors over the 180 days and
    2,068 in November 2022 (the review: "2.1k/month").

Baselines (constructed)
    Downloads before 2022-06-18 cannot be derived from anything public here. BASELINE_DOWNLOADS
    is chosen so that baseline + the 180 days = 41,604 without mirrors on 2022-12-14 (the review:
    "41.6K total downloads"); the with-mirrors baseline adds about 3 %, the share mirrors add
    in the constructed series.

pepy.tech answers with that same all-time total (without mirrors) and the last 90 days by version.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from tests.fakes import Handle, mock_transport
from tests.fakes.paths import DATA

PACKAGE = "pytorch_optimizer"  # PyPI's spelling (info.name); the PEP 503 name is pytorch-optimizer
NORMALIZED = "pytorch-optimizer"
RECORDED_ON = date(2022, 12, 15)
SERIES_END = RECORDED_ON - timedelta(days=1)
SERIES_START = SERIES_END - timedelta(days=179)
SEED = 20221215
BASELINE_BEFORE = SERIES_START
BASELINE_DOWNLOADS = {False: 29_120, True: 29_980}  # keyed by "with mirrors"; constructed
PEPY_API_KEY = "fake-pepy-key"  # what the fake pepy.tech accepts; not a real key
PYPI_DATA = DATA / "pypi"
BUMPS_FILE = PYPI_DATA / "pytorch_optimizer.version-bumps.jsonl"
UPLOAD_DELAY = timedelta(minutes=15)


@dataclass(frozen=True)
class FakeRelease:
    version: str
    evidence: str  # the commit the upload time is derived from
    uploaded_at: datetime  # UTC, constructed (see the module docstring)


_BUMP_SUBJECT = re.compile(
    r"^(?:\[skip ci\] )?(?:update: version to v?|update: v|build\(version\): (?:to )?v?\.?)"
    r"(\d+(?:\.\d+)+)$"
)


def derive_releases(bumps_file: Path = BUMPS_FILE) -> tuple[FakeRelease, ...]:
    """Releases from the version-bump commits, plus 2.0.1 (see the module docstring)."""
    last_bump: dict[str, tuple[datetime, str]] = {}
    for line in bumps_file.read_text(encoding="utf-8").splitlines():
        commit = json.loads(line)
        match = _BUMP_SUBJECT.match(commit["message"].splitlines()[0])
        if not match:
            continue
        when = datetime.fromisoformat(commit["committer"]["date"]).astimezone(UTC)
        version = match.group(1)
        if version not in last_bump or when > last_bump[version][0]:
            last_bump[version] = (when, commit["sha"])
    releases = [
        FakeRelease(version, f"bump commit {sha[:12]}", when + UPLOAD_DELAY)
        for version, (when, sha) in last_bump.items()
    ]
    pr83_merged = datetime.fromisoformat("2022-11-01T14:21:41+09:00").astimezone(UTC)
    releases.append(
        FakeRelease("2.0.1", "PR #83 merge 154a872b (constructed)", pr83_merged + UPLOAD_DELAY)
    )
    return tuple(sorted(releases, key=lambda r: r.uploaded_at))


def constructed_daily_downloads(
    seed: int = SEED, releases: tuple[FakeRelease, ...] | None = None
) -> tuple[dict[date, int], dict[date, int]]:
    """(without mirrors, with mirrors) for SERIES_START..SERIES_END; deterministic per seed."""
    release_days = [r.uploaded_at.date() for r in (releases or derive_releases())]
    rng = random.Random(seed)
    without: dict[date, int] = {}
    with_mirrors: dict[date, int] = {}
    day = SERIES_START
    while day <= SERIES_END:
        mean = 74 if day.weekday() < 5 else 46
        boost = 1.0
        for released in release_days:
            age = (day - released).days
            if 0 <= age < 7:
                boost += 0.5 * 0.7**age
        count = round(mean * boost * rng.uniform(0.8, 1.2))
        without[day] = count
        with_mirrors[day] = count + rng.randint(0, 4)
        day += timedelta(days=1)
    return without, with_mirrors


def _html(status: int, title: str, text: str) -> httpx.Response:
    body = (
        f"<html>\n <head>\n  <title>{status} {title}</title>\n </head>\n <body>\n"
        f"  <h1>{status} {title}</h1>\n  {text}\n\n\n </body>\n</html>"
    )
    return httpx.Response(status, text=body, headers={"content-type": "text/html; charset=UTF-8"})


def _digest(text: str) -> str:
    return hashlib.sha256(f"constructed:{text}".encode()).hexdigest()


@dataclass
class PyPIWorld:
    """The fake services; `handle` answers requests to its hosts and returns None for others."""

    pypistats_down: bool = False
    pypistats_rate_limited: int = 0  # answer this many pypistats requests with 429 first
    releases: tuple[FakeRelease, ...] = field(default_factory=derive_releases)
    seed: int = SEED
    requests: list[httpx.Request] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.without_mirrors, self.with_mirrors = constructed_daily_downloads(
            self.seed, self.releases
        )

    # --- figures the tests compare against ------------------------------------------------

    def daily(self, mirrors: bool) -> dict[date, int]:
        return dict(self.with_mirrors if mirrors else self.without_mirrors)

    def all_time_total(self, mirrors: bool) -> int:
        return BASELINE_DOWNLOADS[mirrors] + sum(self.daily(mirrors).values())

    # --- transport ------------------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response | None:
        host = request.url.host
        handlers: dict[str, Callable[[httpx.Request], httpx.Response]] = {
            "pypi.org": self._pypi,
            "pypistats.org": self._pypistats,
            "api.pepy.tech": self._pepy,
        }
        handler = handlers.get(host)
        if handler is None:
            return None
        self.requests.append(request)
        return handler(request)

    def transport(self, fallback: Handle | None = None) -> httpx.MockTransport:
        return mock_transport(self.handle, *([fallback] if fallback else []))

    # --- pypi.org -------------------------------------------------------------------------

    def _pypi(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        match = re.fullmatch(r"/pypi/([^/]+)/json(/?)", path)
        if not match:
            return _html(404, "Not Found", "The resource could not be found.<br/><br/>")
        name, slash = match.groups()
        if slash:  # PyPI drops a trailing slash with a 301 first (recorded for both projects)
            return self._redirect(f"/pypi/{name}/json")
        if re.sub(r"[-_.]+", "-", name).lower() != NORMALIZED:
            return _html(404, "Not Found", "The resource could not be found.<br/><br/>")
        if name != PACKAGE:  # any other spelling goes to the project's own
            return self._redirect(f"/pypi/{PACKAGE}/json")
        return httpx.Response(
            200,
            json=self.project_json(),
            headers={"cache-control": "max-age=900, public", "x-pypi-last-serial": "15875391"},
        )

    @staticmethod
    def _redirect(location: str) -> httpx.Response:
        return httpx.Response(
            301,
            text="<html><head><title>301 Moved Permanently</title></head><body><center>"
            "<h1>301 Moved Permanently</h1></center></body></html>",
            headers={"location": location, "content-type": "text/html; charset=UTF-8"},
        )

    def _file(self, release: FakeRelease, kind: str) -> dict[str, Any]:
        wheel = kind == "bdist_wheel"
        filename = (
            f"{PACKAGE}-{release.version}-py3-none-any.whl"
            if wheel
            else f"{PACKAGE}-{release.version}.tar.gz"
        )
        uploaded = release.uploaded_at + (timedelta() if wheel else timedelta(seconds=2))
        digest = _digest(filename)
        return {
            "comment_text": "",
            "digests": {
                "blake2b_256": _digest("b2" + filename),
                "md5": digest[:32],
                "sha256": digest,
            },
            "downloads": -1,
            "filename": filename,
            "has_sig": False,
            "md5_digest": digest[:32],
            "packagetype": kind,
            "python_version": "py3" if wheel else "source",
            "requires_python": ">=3.7,<4.0",
            "size": 40_000 if wheel else 30_000,
            "upload_time": uploaded.strftime("%Y-%m-%dT%H:%M:%S"),
            "upload_time_iso_8601": uploaded.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "url": f"https://files.pythonhosted.org/packages/{digest[:2]}/{digest[2:4]}/"
            f"{digest[4:]}/{filename}",
            "yanked": False,
            "yanked_reason": None,
        }

    def project_json(self) -> dict[str, Any]:
        latest = self.releases[-1]
        releases = {
            r.version: [self._file(r, "bdist_wheel"), self._file(r, "sdist")] for r in self.releases
        }
        return {
            "info": {
                "author": "kozistr",
                "author_email": "kozistr@gmail.com",
                "bugtrack_url": None,
                "classifiers": ["Programming Language :: Python :: 3"],
                "description": "",
                "description_content_type": "text/x-rst",
                "docs_url": None,
                "download_url": "",
                "downloads": {"last_day": -1, "last_month": -1, "last_week": -1},
                "home_page": "https://github.com/kozistr/pytorch_optimizer",
                "keywords": "pytorch,optimizer",
                "license": "Apache-2.0",
                "maintainer": "",
                "maintainer_email": "",
                "name": PACKAGE,
                "package_url": f"https://pypi.org/project/{PACKAGE}/",
                "platform": None,
                "project_url": f"https://pypi.org/project/{PACKAGE}/",
                "project_urls": {"Homepage": "https://github.com/kozistr/pytorch_optimizer"},
                "release_url": f"https://pypi.org/project/{PACKAGE}/{latest.version}/",
                "requires_dist": ["torch>=1.10"],
                "requires_python": ">=3.7,<4.0",
                "summary": "optimizer & lr scheduler implementations in PyTorch",
                "version": latest.version,
                "yanked": False,
                "yanked_reason": None,
            },
            "last_serial": 15875391,
            "releases": releases,
            "urls": releases[latest.version],
            "vulnerabilities": [],
        }

    # --- pypistats.org ----------------------------------------------------------------------

    def _pypistats(self, request: httpx.Request) -> httpx.Response:
        if self.pypistats_down:
            return httpx.Response(503, text="503 TEMPORARILY DISABLED")
        if self.pypistats_rate_limited > 0:
            self.pypistats_rate_limited -= 1
            return httpx.Response(
                429,
                text='<a href="/api/#etiquette">429 RATE LIMIT EXCEEDED</a>',
                headers={"retry-after": "2", "content-type": "text/html; charset=utf-8"},
            )
        match = re.fullmatch(r"/api/packages/([^/]+)/(recent|overall)", request.url.path)
        if not match:
            return httpx.Response(404, text="404")
        # The server rewrites `.` and `_` but not case; its rows carry the lowercase name.
        name = re.sub(r"[._]", "-", match.group(1))
        if name != NORMALIZED:
            return httpx.Response(404, text="404")
        if match.group(2) == "recent":
            return self._recent(request)
        mirrors = request.url.params.get("mirrors")
        categories = {"true": [True], "false": [False]}.get(mirrors or "", [True, False])
        rows = [
            {
                "category": "with_mirrors" if m else "without_mirrors",
                "date": d.isoformat(),
                "downloads": n,
            }
            for m in categories
            for d, n in sorted(self.daily(m).items())
            if n > 0  # the server has no row for a day without downloads
        ]
        return httpx.Response(
            200, json={"data": rows, "package": NORMALIZED, "type": "overall_downloads"}
        )

    def _recent(self, request: httpx.Request) -> httpx.Response:
        days = self.daily(False)
        last = max(days)

        def since(span: int) -> int:
            return sum(n for d, n in days.items() if d > last - timedelta(days=span))

        data = {"last_day": days[last], "last_month": since(30), "last_week": since(7)}
        period = request.url.params.get("period")
        if period:
            data = {f"last_{period}": data[f"last_{period}"]}
        return httpx.Response(
            200, json={"data": data, "package": NORMALIZED, "type": "recent_downloads"}
        )

    # --- api.pepy.tech ----------------------------------------------------------------------

    def _pepy(self, request: httpx.Request) -> httpx.Response:
        if request.headers.get("x-api-key") != PEPY_API_KEY:
            return httpx.Response(401, json={"message": "Invalid API key"})
        match = re.fullmatch(r"/api/v2/projects/([^/]+)", request.url.path)
        name = match.group(1) if match else ""
        if re.sub(r"[-_.]+", "-", name).lower() != NORMALIZED:
            return httpx.Response(404, json={"message": f"Project not found: {name}"})
        daily = self.daily(False)
        recent = {d: n for d, n in daily.items() if d > SERIES_END - timedelta(days=90)}
        return httpx.Response(
            200,
            json={
                "id": NORMALIZED,
                "total_downloads": self.all_time_total(False),
                "versions": [r.version for r in self.releases],
                "downloads": {
                    d.isoformat(): {self._version_on(d): n} for d, n in sorted(recent.items())
                },
            },
        )

    def _version_on(self, day: date) -> str:
        current = [r.version for r in self.releases if r.uploaded_at.date() <= day]
        return current[-1] if current else self.releases[0].version
