"""The fake PyPI world is itself tested: its releases follow the real history, its series is
deterministic, and its answers have the real services' shapes."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import httpx

from tests.fakes.pypi_world import (
    BASELINE_DOWNLOADS,
    BUMPS_FILE,
    PACKAGE,
    SERIES_END,
    SERIES_START,
    PyPIWorld,
)

REPO_HISTORY_2022 = (
    BUMPS_FILE.parent.parent / "git-history" / "kozistr-2022" / "pytorch_optimizer.jsonl"
)


def get(world: PyPIWorld, url: str, **kwargs: str) -> httpx.Response:
    with httpx.Client(transport=world.transport(), follow_redirects=False) as client:
        return client.get(url, headers=kwargs)


def test_the_bump_commits_are_real_lines_of_the_2022_history() -> None:
    history = set(REPO_HISTORY_2022.read_text("utf-8").splitlines())
    bumps = BUMPS_FILE.read_text("utf-8").splitlines()
    from_2022 = [b for b in bumps if json.loads(b)["committer"]["date"].startswith("2022")]
    assert len(from_2022) == 23
    assert all(line in history for line in from_2022)


def test_releases_follow_the_bump_commits() -> None:
    world = PyPIWorld()
    versions = [r.version for r in world.releases]
    assert versions[:3] == ["0.0.3", "0.0.6", "0.0.7"]
    assert versions[-3:] == ["1.3.2", "2.0.0", "2.0.1"]
    by_version = {r.version: r for r in world.releases}
    # build(version): v2.0.0 was committed 2022-10-19T15:24:22+09:00; upload 15 minutes later
    assert by_version["2.0.0"].uploaded_at == datetime(2022, 10, 19, 6, 39, 22, tzinfo=UTC)
    # 0.6.0 was bumped twice; the later commit counts
    assert by_version["0.6.0"].uploaded_at == datetime(2022, 4, 2, 13, 45, 35, tzinfo=UTC)
    assert "constructed" in by_version["2.0.1"].evidence


def test_the_series_is_180_days_deterministic_and_without_empty_days() -> None:
    one, two = PyPIWorld(), PyPIWorld()
    assert one.daily(False) == two.daily(False)
    assert one.daily(True) == two.daily(True)
    days = sorted(one.daily(False))
    assert (
        (days[0], days[-1]) == (SERIES_START, SERIES_END) == (date(2022, 6, 18), date(2022, 12, 14))
    )
    assert len(days) == 180
    assert all(one.daily(True)[d] >= one.daily(False)[d] > 0 for d in days)
    assert PyPIWorld(seed=1).daily(False) != one.daily(False)


def test_the_figures_match_the_review() -> None:
    world = PyPIWorld()
    total = BASELINE_DOWNLOADS[False] + sum(world.daily(False).values())
    assert total == world.all_time_total(False) == 41_604  # "41.6K total downloads"
    november = sum(n for d, n in world.daily(False).items() if (d.year, d.month) == (2022, 11))
    assert round(november / 1000, 1) == 2.1  # "2.1k/month"


def test_pypi_redirects_other_spellings_and_serves_the_project() -> None:
    world = PyPIWorld()
    redirect = get(world, "https://pypi.org/pypi/pytorch-optimizer/json")
    assert redirect.status_code == 301
    assert redirect.headers["location"] == f"/pypi/{PACKAGE}/json"
    slash = get(world, f"https://pypi.org/pypi/{PACKAGE}/json/")
    assert (slash.status_code, slash.headers["location"]) == (301, f"/pypi/{PACKAGE}/json")
    body = get(world, f"https://pypi.org/pypi/{PACKAGE}/json").json()
    assert body["info"]["name"] == PACKAGE and body["info"]["version"] == "2.0.1"
    assert body["urls"] == body["releases"]["2.0.1"]
    files = body["releases"]["0.3.1"]
    assert [f["packagetype"] for f in files] == ["bdist_wheel", "sdist"]
    assert files[0]["upload_time_iso_8601"].endswith("Z")


def test_unknown_packages_look_like_the_real_ones() -> None:
    world = PyPIWorld()
    pypi = get(world, "https://pypi.org/pypi/FizzBuzz/json")
    assert pypi.status_code == 404 and "<h1>404 Not Found</h1>" in pypi.text
    stats = get(world, "https://pypistats.org/api/packages/fizzbuzz/overall")
    assert (stats.status_code, stats.text) == (404, "404")
    # pypistats.org does not lowercase: a capitalised name has no rows.
    capital = get(world, "https://pypistats.org/api/packages/Pytorch-Optimizer/overall")
    assert capital.status_code == 404


def test_pypistats_orders_by_category_then_date_and_filters_mirrors() -> None:
    world = PyPIWorld()
    both = get(world, "https://pypistats.org/api/packages/pytorch_optimizer/overall").json()
    assert both["type"] == "overall_downloads" and both["package"] == "pytorch-optimizer"
    keys = [(r["category"], r["date"]) for r in both["data"]]
    assert keys == sorted(keys) and len(keys) == 360
    only = get(world, "https://pypistats.org/api/packages/pytorch-optimizer/overall?mirrors=false")
    assert {r["category"] for r in only.json()["data"]} == {"without_mirrors"}


def test_recent_sums_the_last_days_without_mirrors() -> None:
    world = PyPIWorld()
    data = get(world, "https://pypistats.org/api/packages/pytorch-optimizer/recent").json()["data"]
    daily = world.daily(False)
    assert data["last_day"] == daily[SERIES_END]
    assert data["last_week"] == sum(daily[SERIES_END - timedelta(n)] for n in range(7))
    assert data["last_month"] == sum(daily[SERIES_END - timedelta(n)] for n in range(30))


def test_pepy_needs_the_key_and_reports_the_same_total() -> None:
    world = PyPIWorld()
    url = "https://api.pepy.tech/api/v2/projects/pytorch-optimizer"
    assert get(world, url).status_code == 401
    body = get(world, url, **{"X-API-Key": "fake-pepy-key"}).json()
    assert body["total_downloads"] == world.all_time_total(False)
    assert len(body["downloads"]) == 90


def test_other_hosts_are_not_the_worlds() -> None:
    world = PyPIWorld()
    assert world.handle(httpx.Request("GET", "https://api.github.com/users/kozistr")) is None
