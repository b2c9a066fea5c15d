"""devstats.collect.pypi.project against recorded PyPI exchanges (tests/data/pypi/README.md)."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
import respx
from packaging.version import Version

from devstats.classify.packages import releases_in_year, version_at_year_end
from devstats.collect.pypi.project import fetch_project, parse_project
from devstats.http.client import HttpClient
from devstats.model.errors import NotFoundError, UpstreamError
from devstats.model.package_names import normalize
from devstats.model.packages import PyPIProject
from tests.fakes.paths import DATA

DATA = DATA / "pypi"
OCTOCHEESE = json.loads((DATA / "octocheese.project-json.2026-02-18.json").read_text("utf-8"))
FIZZBUZZ = json.loads((DATA / "FizzBuzz.not-found.2021-08-05.json").read_text("utf-8"))


def recorded(exchange: dict[str, Any]) -> httpx.Response:
    """A recorded betamax response as an httpx.Response (headers that describe the raw body
    on the wire are dropped: the body here is already decoded)."""
    response = exchange["response"]
    headers = [
        (name, value)
        for name, values in response["headers"].items()
        if name.lower() not in {"content-encoding", "content-length"}
        for value in values
    ]
    body = response["body"]
    content = json.dumps(body).encode() if isinstance(body, dict) else body.encode()
    return httpx.Response(response["status"]["code"], headers=headers, content=content)


def make_client() -> HttpClient:
    return HttpClient(max_retries=1, sleep=lambda _s: None)


# --- normalisation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["friendly-bard", "Friendly-Bard", "FRIENDLY-BARD", "friendly.bard", "friendly_bard",
     "friendly--bard", "FrIeNdLy-._.-bArD"],
)  # fmt: skip
def test_normalize_follows_pep_503(name: str) -> None:
    assert normalize(name) == "friendly-bard"


def test_normalize_keeps_digits_and_single_separators() -> None:
    assert normalize("pytorch_optimizer") == "pytorch-optimizer"
    assert normalize("zope.interface") == "zope-interface"
    assert normalize("Py3.11-tools") == "py3-11-tools"


# --- fetching --------------------------------------------------------------------------------


@respx.mock
def test_fetch_project_asks_for_the_normalised_name_and_parses_the_recording() -> None:
    route = respx.get("https://pypi.org/pypi/octocheese/json").mock(
        return_value=recorded(OCTOCHEESE["exchanges"][1])
    )
    with make_client() as http:
        project = fetch_project(http, "https://pypi.org", "OctoCheese")
    assert route.call_count == 1
    body = OCTOCHEESE["exchanges"][1]["response"]["body"]
    assert project.name == body["info"]["name"] == "octocheese"
    assert project.url == "https://pypi.org/project/octocheese/"
    # Expected values straight from the raw JSON: earliest file per release.
    expected = {
        version: min(
            datetime.fromisoformat(f["upload_time_iso_8601"].replace("Z", "+00:00")) for f in files
        )
        for version, files in body["releases"].items()
    }
    assert {r.version: r.uploaded_at for r in project.releases} == expected
    assert len(project.releases) == 9
    assert all(r.uploaded_at.tzinfo is not None for r in project.releases)
    assert [r.uploaded_at for r in project.releases] == sorted(expected.values())
    assert not any(r.yanked or r.prerelease for r in project.releases)


@respx.mock
def test_fetch_project_follows_pypis_redirect_to_the_projects_own_spelling() -> None:
    # PyPI answers a spelling other than the project's own with a 301 (recorded headers and
    # body); httpx follows it.
    redirect = copy.deepcopy(OCTOCHEESE["exchanges"][0])
    redirect["response"]["headers"]["Location"] = ["/pypi/OctoCheese/json"]
    respx.get("https://pypi.org/pypi/octocheese/json").mock(return_value=recorded(redirect))
    final = respx.get("https://pypi.org/pypi/OctoCheese/json").mock(
        return_value=recorded(OCTOCHEESE["exchanges"][1])
    )
    with make_client() as http:
        project = fetch_project(http, "https://pypi.org/", "OctoCheese")
    assert final.call_count == 1
    assert project.name == "octocheese"


@respx.mock
def test_unknown_project_is_not_found_naming_both_names() -> None:
    exchange = FIZZBUZZ["exchanges"][1]
    assert exchange["response"]["status"]["code"] == 404
    assert "<h1>404 Not Found</h1>" in exchange["response"]["body"]  # HTML, not JSON
    respx.get("https://pypi.org/pypi/fizzbuzz/json").mock(return_value=recorded(exchange))
    with make_client() as http, pytest.raises(NotFoundError) as caught:
        fetch_project(http, "https://pypi.org", "FizzBuzz")
    assert "'FizzBuzz'" in str(caught.value)
    assert "'fizzbuzz'" in str(caught.value)
    assert caught.value.exit_code == 3


@respx.mock
def test_a_200_that_is_not_json_is_an_upstream_error() -> None:
    respx.get("https://pypi.org/pypi/octocheese/json").mock(
        return_value=httpx.Response(200, text="<html>maintenance</html>")
    )
    with make_client() as http, pytest.raises(UpstreamError):
        fetch_project(http, "https://pypi.org", "octocheese")


# --- version as of the year's end ------------------------------------------------------------


def _file(
    version: str, uploaded: str, *, yanked: bool = False, kind: str = "sdist"
) -> dict[str, Any]:
    """A file entry in the recorded shape, with the fields that matter here changed."""
    template = copy.deepcopy(OCTOCHEESE["exchanges"][1]["response"]["body"]["releases"]["0.7.0"][1])
    template.update(
        filename=f"demo-{version}.tar.gz",
        packagetype=kind,
        upload_time=uploaded.removesuffix("Z"),
        upload_time_iso_8601=uploaded,
        yanked=yanked,
        yanked_reason="broken" if yanked else None,
    )
    return template


def demo_project() -> PyPIProject:
    body = copy.deepcopy(OCTOCHEESE["exchanges"][1]["response"]["body"])
    body["info"]["name"] = "demo"
    body["releases"] = {
        "1.0": [_file("1.0", "2021-05-01T10:00:00.000000Z")],
        "1.0.1": [_file("1.0.1", "2022-03-01T10:00:00.000000Z")],
        # yanked: every file yanked
        "1.1": [
            _file("1.1", "2022-06-01T10:00:00.000000Z", yanked=True),
            _file("1.1", "2022-06-01T10:01:00.000000Z", yanked=True, kind="bdist_wheel"),
        ],
        # only one of two files yanked: still installable
        "1.2": [
            _file("1.2", "2022-07-01T10:00:00.000000Z", yanked=True),
            _file("1.2", "2022-07-01T09:59:00.000000Z", kind="bdist_wheel"),
        ],
        "2.0.0rc1": [_file("2.0.0rc1", "2022-11-01T10:00:00.000000Z")],
        "2.0.0.dev3": [_file("2.0.0.dev3", "2022-10-01T10:00:00.000000Z")],
        # 2023-01-01 00:30 in Seoul, still 2022 in UTC
        "2.0.0": [_file("2.0.0", "2022-12-31T15:30:00.000000Z")],
        # a bug-fix of the old line uploaded after 2.0.0
        "1.2.1": [_file("1.2.1", "2023-02-01T10:00:00.000000Z")],
        "1.0a0": [],  # a release without files cannot be installed: left out
    }
    return parse_project(body)


def test_release_flags_from_files() -> None:
    releases = {r.version: r for r in demo_project().releases}
    assert "1.0a0" not in releases
    assert releases["1.1"].yanked
    assert not releases["1.2"].yanked
    assert releases["1.2"].uploaded_at == datetime(2022, 7, 1, 9, 59, tzinfo=UTC)
    assert releases["2.0.0rc1"].prerelease and releases["2.0.0.dev3"].prerelease
    assert not releases["2.0.0"].prerelease


@pytest.mark.parametrize(
    ("year", "tz", "prereleases", "expected"),
    [
        (2020, "UTC", False, None),
        (2021, "UTC", False, "1.0"),
        (2022, "UTC", False, "2.0.0"),
        (2022, "Asia/Seoul", False, "1.2"),  # 2.0.0 landed on 2023-01-01 in Seoul
        (2022, "Asia/Seoul", True, "2.0.0rc1"),
        (2023, "UTC", False, "2.0.0"),  # 1.2.1 is newer by date, not by version
    ],
)
def test_version_at_year_end(year: int, tz: str, prereleases: bool, expected: str | None) -> None:
    assert version_at_year_end(demo_project(), year, ZoneInfo(tz), prereleases) == expected


def test_version_at_year_end_matches_an_independent_computation_on_the_recording() -> None:
    project = parse_project(OCTOCHEESE["exchanges"][1]["response"]["body"])
    for year in range(2019, 2027):
        end = datetime(year + 1, 1, 1, tzinfo=UTC)
        before = [
            Version(v)
            for v, files in OCTOCHEESE["exchanges"][1]["response"]["body"]["releases"].items()
            if files and min(f["upload_time_iso_8601"] for f in files) < end.strftime("%Y-%m-%d")
        ]
        expected = str(max(before)) if before else None
        assert version_at_year_end(project, year, UTC) == expected


def test_releases_in_year_skips_yanked_and_prereleases_unless_asked() -> None:
    project = demo_project()
    utc, seoul = ZoneInfo("UTC"), ZoneInfo("Asia/Seoul")
    # 2022 in UTC: 1.0.1, 1.2, 2.0.0 (1.1 yanked; rc1 and dev3 pre-releases)
    assert releases_in_year(project, 2022, utc) == 3
    assert releases_in_year(project, 2022, utc, include_prereleases=True) == 5
    assert releases_in_year(project, 2022, seoul) == 2
    assert releases_in_year(project, 2023, seoul) == 2  # 2.0.0 and 1.2.1
    assert releases_in_year(project, 2019, utc) == 0
