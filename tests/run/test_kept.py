"""A kept report (devstats/run/kept.py): a rerun within --max-age takes the report made from the
same answers, asks nothing, and shows what a rerun from the cached answers would show; anything
that would make another report makes it again.

Whole runs are child processes against the demo world on a loopback server (tests/cli/test_cli.py).
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import math
import time
from collections.abc import Iterator
from dataclasses import fields
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from devstats.http.cache.entries import ResponseCache
from devstats.http.cache.transport import CachingTransport
from devstats.run.kept import _OUTPUT_ONLY, ReportKeeper, reusable, settings_fingerprint
from devstats.settings.settings import Settings
from devstats.store import DownloadHistory
from tests.fakes.clock import FakeClock
from tests.fakes.loopback import LoopbackServer, serve
from tests.fakes.process import TOKEN, live_env, run
from tests.fakes.report_factory import sample_report
from tests.fakes.world import DemoWorld, demo_world

YEAR = ["2022", "--user", "kozistr", "--package", "pytorch_optimizer"]
KEPT = "0 requests: the report made at"
MADE = " from the cache, GraphQL cost "  # the summary of a run that made its report


@pytest.fixture(scope="module")
def live() -> Iterator[tuple[DemoWorld, LoopbackServer]]:
    world = demo_world()
    with serve(world.handle) as server:
        yield world, server


def asked(server: LoopbackServer, args: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    """Run devstats; the requests the server received, stdout and stderr."""
    before = len(server.requests)
    done = run([*args, "--verbose"], env=env)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and TOKEN not in done.stderr + done.stdout
    return len(server.requests) - before, done.stdout, done.stderr


def test_a_rerun_takes_the_kept_report_and_asks_nothing(
    live: tuple[DemoWorld, LoopbackServer], tmp_path: Path
) -> None:
    _, server = live
    env = live_env(server, tmp_path)
    first, made, told = asked(server, [*YEAR, "--format", "json"], env)
    assert first > 5 and MADE in told
    second, kept, told = asked(server, [*YEAR, "--format", "json"], env)
    assert second == 0 and KEPT in told and MADE not in told
    assert kept == made
    # --explain lists the commits, which a kept report has not: it makes the report again, from
    # the cached answers, and that report is the kept one, byte for byte.
    third, remade, told = asked(server, [*YEAR, "--format", "json", "--explain"], env)
    assert third == 0 and MADE in told and "0 from the cache" not in told
    assert remade == kept
    assert json.loads(kept)["generated_at"].startswith("2022-12-15T09:00")


def test_a_kept_compare_report_is_the_one_made_again(
    live: tuple[DemoWorld, LoopbackServer], tmp_path: Path
) -> None:
    _, server = live
    env = live_env(server, tmp_path)
    compare = [*YEAR, "--compare", "--timezone", "Asia/Seoul", "--format", "json"]
    first, made, _ = asked(server, compare, env)
    assert first > 0
    count, kept, told = asked(server, compare, env)
    assert count == 0 and KEPT in told and kept == made
    count, remade, told = asked(server, [*compare, "--explain"], env)
    assert count == 0 and MADE in told and remade == kept
    assert json.loads(kept)["previous"]["year"] == 2021


def test_another_language_or_output_reuses_the_report(
    live: tuple[DemoWorld, LoopbackServer], tmp_path: Path
) -> None:
    _, server = live
    env = live_env(server, tmp_path)
    asked(server, YEAR, env)
    count, korean, told = asked(server, [*YEAR, "--lang", "ko", "--notes", "all"], env)
    assert count == 0 and KEPT in told
    # The same Korean text as a run that made its report with nothing kept.
    fresh_env = {**env, "DEVSTATS_CACHE_DIR": str(tmp_path / "other-cache")}
    fresh_env["DEVSTATS_HISTORY_PATH"] = str(tmp_path / "other.sqlite3")
    count, made, told = asked(server, [*YEAR, "--lang", "ko", "--notes", "all"], fresh_env)
    assert count > 0 and MADE in told
    assert korean == made


def test_a_setting_that_shapes_the_report_makes_it_again(
    live: tuple[DemoWorld, LoopbackServer], tmp_path: Path
) -> None:
    _, server = live
    env = live_env(server, tmp_path)
    _, before, _ = asked(server, [*YEAR, "--format", "json"], env)
    excluded = json.loads(before)["commits"]
    count, after, told = asked(
        server, [*YEAR, "--format", "json", "--exclude-repo", "kozistr/kozistr"], env
    )
    assert MADE in told and KEPT not in told
    assert count == 0  # every answer was still in the cache
    assert json.loads(after)["commits"] != excluded


def test_a_report_is_kept_only_while_its_answers_are_fresh(
    live: tuple[DemoWorld, LoopbackServer], tmp_path: Path
) -> None:
    _, server = live
    env = live_env(server, tmp_path)
    # Long enough for two runs on a loaded machine, short enough to wait out.
    asked(server, [*YEAR, "--max-age", "10s"], env)
    count, _, told = asked(server, [*YEAR, "--max-age", "10s"], env)
    assert count == 0 and KEPT in told
    time.sleep(10.1)
    count, _, told = asked(server, [*YEAR, "--max-age", "10s"], env)
    assert count > 0 and MADE in told


def test_refresh_and_a_changed_store_make_the_report_again(
    live: tuple[DemoWorld, LoopbackServer], tmp_path: Path
) -> None:
    _, server = live
    env = live_env(server, tmp_path)
    asked(server, YEAR, env)
    count, _, told = asked(server, [*YEAR, "--refresh"], env)
    assert count > 0 and MADE in told
    # The kept report was made from answers --refresh has replaced: it is made again, from the
    # new answers, with no request; then that one is kept.
    count, _, told = asked(server, YEAR, env)
    assert count == 0 and MADE in told
    count, _, told = asked(server, YEAR, env)
    assert count == 0 and KEPT in told
    # So does a run with a shorter --max-age, which asks again for what is older than it.
    count, _, told = asked(server, [*YEAR, "--max-age", "0"], env)
    assert count > 0
    count, _, told = asked(server, YEAR, env)
    assert count == 0 and MADE in told
    # Another run (or another tool) adds to the download store: the report may differ.
    with DownloadHistory(Path(env["DEVSTATS_HISTORY_PATH"])) as store:
        store.add_days("pytorch_optimizer", False, {datetime(2019, 1, 1).date(): 7}, "manual")
    count, _, told = asked(server, YEAR, env)
    assert MADE in told and KEPT not in told


def test_another_token_and_a_cleared_cache_make_the_report_again(
    live: tuple[DemoWorld, LoopbackServer], tmp_path: Path
) -> None:
    _, server = live
    env = live_env(server, tmp_path)
    asked(server, YEAR, env)
    other = {**env, "GITHUB_TOKEN": "ghp_anotherTOKEN0123456789abcdefABCDEF"}
    count, _, told = asked(server, YEAR, other)
    assert count > 0 and MADE in told
    info = run(["cache", "info"], env=env)
    assert "(2 of them reports kept for a rerun)" in info.stdout  # one per token
    cleared = run(["cache", "clear"], env=env)
    assert cleared.returncode == 0, cleared.stderr
    count, _, told = asked(server, YEAR, env)
    assert count > 0 and MADE in told


# --- what a report is kept for, without a process ------------------------------------------


def test_every_setting_shapes_the_key_unless_it_only_shows_the_report() -> None:
    base = Settings(year=2022, user="kozistr")
    names = {f.name for f in fields(Settings)}
    assert names >= _OUTPUT_ONLY
    changed = {
        "format": "json",
        "lang": "ko",
        "notes": "all",
        "detail": "full",
        "verbose": True,
        "refresh": True,
        "retries": 9,
    }
    for name, value in changed.items():
        assert settings_fingerprint(Settings(year=2022, user="kozistr", **{name: value})) == (
            settings_fingerprint(base)
        ), name
    shaping = {
        "year": 2021,
        "user": "someone",
        "packages": ("x",),
        "timezone": "Asia/Seoul",
        "compare": True,
        "exclude_repos": ("a/b",),
        "bot_accounts": (),
        "mirrors": True,
        "max_age": 60.0,
        "downloads_source": "pypistats",
        "top_projects": 5,
    }
    for name, value in shaping.items():
        other = Settings(**{**{"year": 2022, "user": "kozistr"}, name: value})
        assert settings_fingerprint(other) != settings_fingerprint(base), name


def test_runs_whose_report_may_not_be_kept() -> None:
    assert reusable(Settings(year=2022, user="u"))
    for never in (
        {"offline": True},
        {"replay": Path("c")},
        {"record": Path("c")},
        {"refresh": True},
        {"explain": True},
        {"packages": ("p",), "bigquery_project": "billing"},
        {"packages": ("p",), "downloads_source": "bigquery"},
    ):
        assert not reusable(Settings(year=2022, user="u", **never)), never  # type: ignore[arg-type]
    assert ReportKeeper.for_run(Settings(year=2022, user="u"), {"PATH": ""}) is None  # no token


def _transport(
    tmp_path: Path, clock: FakeClock, policy_age: float | None, status: int = 200
) -> CachingTransport:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/boom":
            raise httpx.ConnectError("down", request=request)
        return httpx.Response(status, json={"n": 1})

    cache = ResponseCache(tmp_path / "cache", clock=clock.time)
    return CachingTransport(httpx.MockTransport(answer), cache, lambda _request: policy_age)


def test_the_answers_say_until_when_a_report_made_from_them_is_fresh(tmp_path: Path) -> None:
    clock = FakeClock(1_000.0)
    transport = _transport(tmp_path, clock, 100.0)
    with httpx.Client(transport=transport) as client:
        client.get("https://pypi.example/a")  # kept at 1000: fresh until 1100
        clock.sleep(30)
        client.get("https://pypi.example/b")  # kept at 1030: fresh until 1130
        client.get("https://pypi.example/a")  # served: still fresh until 1100
    assert transport.stats.all_kept and transport.stats.fresh_until == 1_100.0
    # each answer used, by its cache key and when the cache stored it
    assert sorted(stored for _, stored in transport.stats.inputs) == [1_000.0, 1_000.0, 1_030.0]
    cache = transport.cache
    assert {cache.stored_at(key) for key, _ in transport.stats.inputs} == {1_000.0, 1_030.0}
    assert _transport(tmp_path / "new", clock, 100.0).stats.fresh_until == math.inf


@pytest.mark.parametrize(
    ("age", "status", "path"),
    [(None, 200, "/a"), (100.0, 502, "/a"), (100.0, 200, "/boom")],
    ids=["passed by the cache", "not a success", "failed"],
)
def test_an_answer_not_kept_means_the_report_is_not_kept(
    tmp_path: Path, age: float | None, status: int, path: str
) -> None:
    transport = _transport(tmp_path, FakeClock(0.0), age, status)
    with httpx.Client(transport=transport) as client, contextlib.suppress(httpx.ConnectError):
        client.get(f"https://pypi.example{path}")
    assert not transport.stats.all_kept


def test_a_kept_report_is_found_only_by_its_own_key(tmp_path: Path) -> None:
    env = {"GITHUB_TOKEN": TOKEN, "DEVSTATS_CACHE_DIR": str(tmp_path / "cache")}
    settings = Settings(year=2022, user="kozistr")
    keeper = ReportKeeper.for_run(settings, env)
    assert keeper is not None
    assert TOKEN not in repr(keeper)
    now = datetime(2022, 12, 15, 9, tzinfo=UTC)
    report = sample_report()
    assert keeper.save(report, now, fresh_until=keeper.cache.now() + 60, inputs=[], store=None)
    kept = keeper.load(datetime(2022, 12, 15, 20, tzinfo=UTC))
    assert kept is not None and kept.report.generated_at == datetime(2022, 12, 15, 20, tzinfo=UTC)
    assert kept.report.commits == report.commits
    # the next day, another time zone's day, or stale: not found
    assert keeper.load(datetime(2022, 12, 16, 9, tzinfo=UTC)) is None
    seoul = ReportKeeper.for_run(Settings(year=2022, user="kozistr", timezone="Asia/Seoul"), env)
    assert seoul is not None and seoul.load(now) is None
    assert not keeper.save(report, now, fresh_until=keeper.cache.now() - 1, inputs=[], store=None)


HTTP_LOADED = """\
import sys
from devstats.cli import main
sys.argv = ["devstats", *sys.argv[1:]]
try:
    main()
finally:
    print("http stack loaded:", "httpx" in sys.modules, file=sys.stderr)
"""


def test_a_run_that_takes_a_kept_report_never_loads_the_http_stack(
    live: tuple[DemoWorld, LoopbackServer], tmp_path: Path
) -> None:
    _, server = live
    env = live_env(server, tmp_path)

    def loaded() -> bool:
        done = run(YEAR, env=env, entry=("-c", HTTP_LOADED))
        assert done.returncode == 0, done.stderr
        return "http stack loaded: True" in done.stderr

    assert loaded()  # made: the collectors ask upstream through httpx
    assert not loaded()  # kept


def test_what_the_report_is_made_of_is_read_only_from_settings_in_the_key() -> None:
    """Every setting the key leaves out leaves `asked_of` (what the steps are handed) unchanged,
    so a kept report is never reused for a run whose report would differ."""
    from devstats.run.asked import asked_of

    now = datetime(2022, 12, 15, tzinfo=UTC)
    base = Settings(year=2022, user="kozistr", packages=("pytorch_optimizer",))
    elsewhere = {
        "format": "json",
        "lang": "ko",
        "template": Path("post.md.j2"),
        "output": Path("out.md"),
        "json_output": Path("out.json"),
        "inject": Path("README.md"),
        "marker": "stats",
        "assets": Path("assets"),
        "assets_format": "png",
        "notes": "all",
        "detail": "full",
        "verbose": True,
        "explain": True,
        "refresh": True,
        "retries": 9,
        "backoff": 3.0,
        "max_wait": 5.0,
        "now": datetime(2021, 1, 1, tzinfo=UTC),
        "offline": True,
        "record": Path("cassettes"),
        "replay": Path("cassettes"),
    }
    assert set(elsewhere) == _OUTPUT_ONLY
    for name, value in elsewhere.items():
        other = dataclasses.replace(base, **{name: value})
        assert asked_of(other, now) == asked_of(base, now), name
    # and one that is in the key is seen by the steps
    assert asked_of(dataclasses.replace(base, top_projects=5), now) != asked_of(base, now)
