"""The GitHub collector against the fake GitHub (httpx.MockTransport), with expected numbers
computed from the raw git history and the dataset's constants, not from the collector."""

from __future__ import annotations

import json
import math
from collections import Counter
from datetime import UTC, date, datetime, timedelta, tzinfo
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from devstats.collect.github.activity import collect_github_activity
from devstats.collect.github.spans import split_window, year_window
from devstats.collect.github.windows import WindowPart, gap_fill
from devstats.http.client import HttpClient
from devstats.model.errors import AuthenticationError, NotFoundError, RateLimitError
from devstats.model.facts import GitHubActivity
from tests.fakes import kozistr_2022 as demo
from tests.fakes.github_world import FakeCommit, FakeGitHub, GitHubWorld, fake_sha
from tests.fakes.paths import DATA

HISTORY = DATA / "git-history"
SEOUL = ZoneInfo("Asia/Seoul")


def collect(
    fake: FakeGitHub,
    user: str = "kozistr",
    year: int = 2022,
    tz: tzinfo = UTC,
    progress: list[str] | None = None,
    **client: object,
) -> GitHubActivity:
    http = HttpClient(transport=fake.transport(), sleep=lambda s: None, **client)  # type: ignore[arg-type]
    return collect_github_activity(
        http,
        user=user,
        year=year,
        tz=tz,
        graphql_url=fake.graphql_url,
        progress=progress.append if progress is not None else None,
    )


def raw_lines(year: int) -> list[dict[str, object]]:
    lines = []
    for path in sorted((HISTORY / f"kozistr-{year}").glob("*.jsonl")):
        lines += [json.loads(line) for line in path.read_text().splitlines() if line]
    return lines


@pytest.fixture(scope="module")
def kozistr_2022() -> tuple[GitHubActivity, FakeGitHub]:
    fake = demo.fake_github()
    return collect(fake), fake


# --- the demo year --------------------------------------------------------------------------


def test_commits_per_repository_match_the_raw_history(kozistr_2022) -> None:
    activity, _ = kozistr_2022
    expected: Counter[str] = Counter()
    for line in raw_lines(2022):
        authored = datetime.fromisoformat(line["author"]["date"]).astimezone(UTC)  # type: ignore[index]
        if line["author"]["email"] == "kozistr@gmail.com" and authored.year == 2022:  # type: ignore[index]
            expected[str(line["repo"])] += 1
    # kozistr/kozistr is constructed: one commit a day, 3 committed by the Action's bot, 2 [skip ci]
    expected["kozistr/kozistr"] = 365 + 3 + 2
    assert Counter(c.repository for c in activity.commits) == expected
    assert expected["kozistr/pytorch_optimizer"] == 632  # 639 lines, 7 by other authors
    assert len(activity.commits) == 1314


def test_only_the_users_own_commits_are_returned(kozistr_2022) -> None:
    activity, _ = kozistr_2022
    emails = {c.author.email for c in activity.commits}
    assert emails == {"kozistr@gmail.com", "kozistr@users.noreply.github.com"}
    assert {c.author.login for c in activity.commits} == {"kozistr"}
    # dependabot's commits are in the repositories but not authored by the account
    assert not [
        c
        for c in activity.commits
        if "dependabot" in c.message and "bump" in c.message and c.author.login != "kozistr"
    ]


def test_commit_identities_and_offsets_survive(kozistr_2022) -> None:
    activity, _ = kozistr_2022
    by_sha = {c.sha: c for c in activity.commits}
    merge = by_sha["534a0f4c759bcbb5b12d37120d13fe472410bb8f"]
    assert merge.committer.login == "web-flow"
    assert merge.committer.email == "noreply@github.com"
    assert merge.authored_at.utcoffset() == timedelta(hours=9)
    assert merge.message.startswith("Merge pull request #86 from kozistr/build/cicd")
    bot = [c for c in activity.commits if c.committer.login == "github-actions[bot]"]
    assert len(bot) == 3
    assert all(c.author.login == "kozistr" for c in bot)
    skip_ci = [c for c in activity.commits if c.message.startswith("[skip ci]")]
    assert len([c for c in skip_ci if c.repository == "kozistr/kozistr"]) == 2
    # the real history has its own: human commits that skip CI ("[skip ci] docs: README")
    real = [line for line in raw_lines(2022) if str(line["message"]).startswith("[skip ci]")]
    assert len(skip_ci) == 2 + len(real) == 32
    daily = [c for c in activity.commits if c.message.startswith("chore: update stats (")]
    assert len(daily) == 365
    assert {c.committed_at.date().isoformat() for c in daily} == {
        (datetime(2022, 1, 1) + timedelta(days=i)).date().isoformat() for i in range(365)
    }
    assert all(3 <= c.committed_at.minute <= 25 and c.committed_at.hour == 0 for c in daily)


def test_contribution_figures_and_calendar(kozistr_2022) -> None:
    activity, fake = kozistr_2022
    c = activity.contributions
    authored_2022 = sum(
        1
        for line in raw_lines(2021) + raw_lines(2022)
        if line["author"]["email"] == "kozistr@gmail.com"  # type: ignore[index]
        and datetime.fromisoformat(line["author"]["date"]).astimezone(UTC).year == 2022  # type: ignore[index]
    )
    assert c.commits == authored_2022 + 370 + demo.PRIVATE_COMMITS[2022]
    pulls = [
        p for p in fake.world.pull_requests if p.author == "kozistr" and p.created_at.year == 2022
    ]
    assert c.pull_requests == len(pulls)
    assert (c.issues, c.reviews, c.restricted) == (18, 24, 38)
    assert c.total == c.commits + c.pull_requests + c.issues + c.reviews + c.restricted
    assert 1650 <= c.total < 1750  # "about 1.7k contributions"
    assert sum(d.count for d in c.calendar) == c.total
    assert len(c.calendar) == 365
    assert c.calendar[0].day.isoformat() == "2022-01-01"


def test_external_pull_requests_go_to_five_projects(kozistr_2022) -> None:
    activity, _ = kozistr_2022
    external = [p for p in activity.pull_requests if not p.repository.startswith("kozistr/")]
    assert len({p.repository for p in external}) == 5
    assert Counter(p.state for p in external) == {"MERGED": 4, "OPEN": 2, "CLOSED": 2}
    repos = {r.name_with_owner: r for r in activity.repositories}
    assert repos["huggingface/pytorch-image-models"].stars == 24100
    assert repos["kozistr/pytorch_optimizer"].language == "Python"
    assert repos["kozistr/catboost-server-rs"].language == "Rust"
    assert repos["kozistr/kozistr.github.io"].language == "JavaScript"


def test_the_mismatch_warning_names_the_unlisted_part(kozistr_2022) -> None:
    activity, _ = kozistr_2022
    # every listed repository reconciles day by day; the difference is the private commits
    assert all(item.matches for item in activity.reconciliation)
    assert len(activity.reconciliation) == 5
    assert activity.unlisted_commits == demo.PRIVATE_COMMITS[2022]
    (notice,) = activity.warnings
    assert notice.code == "commits-fewer-than-counted"
    assert notice.params == {
        "user": "kozistr",
        "year": "2022",
        "counted": activity.contributions.commits,
        "retrieved": len(activity.commits),
        "difference": activity.contributions.commits - len(activity.commits),
        "unlisted": demo.PRIVATE_COMMITS[2022],
        "repositories": 0,
        "restricted": activity.contributions.restricted,
    }
    warning = notice.message
    assert "1,576 commit contributions" in warning
    assert "1,314 commits" in warning
    assert "262 fewer" in warning
    assert "262 of them are in repositories GitHub does not list for this token" in warning
    assert "shares 38 restricted (private) contributions" in warning


def test_request_count_follows_pages(kozistr_2022) -> None:
    activity, fake = kozistr_2022
    # 1 contributions query. kozistr/kozistr has commits on all 365 days: its newest and oldest
    # 100 days come with it, and the 165 between (six months side by side) ride along with the
    # first history query, which reads the repositories whose days are all known.
    history = fake.graphql_requests[1:]
    assert len(fake.graphql_requests) == 1 + 2
    gap = history[0].variables
    assert "query CommitHistory" in (history[0].query or "")
    assert (gap["from0"], gap["to5"]) == ("2022-04-11T00:00:00+00:00", "2022-09-22T23:59:59+00:00")
    assert "from6" not in gap and "from0" not in history[1].variables
    # The history: each repository's year is cut into spans of about 100 commits by GitHub's
    # count per day, and every span is read side by side: at least one reading per 100 commits
    # (632 → 7, 370 → 4, 291 → 3, 1 and 1), ten a query, no span needing a second page.
    per_repository = Counter(c.repository for c in activity.commits)
    pages = sum(math.ceil(n / 100) for n in per_repository.values())
    readings = [sum(1 for k in r.variables if k.startswith("n")) for r in history]
    assert pages == 16 and sum(readings) >= pages
    assert readings[0] == 10 and len(history) == math.ceil(sum(readings) / 10)
    assert not [r for r in history if any(v for k, v in r.variables.items() if k[:1] == "c")]


def test_year_over_year_2021() -> None:
    activity = collect(demo.fake_github(), year=2021)
    assert 1550 <= activity.contributions.total < 1650  # "about 1.6k"
    expected = sum(
        1
        for line in raw_lines(2021)
        if line["author"]["email"] == "kozistr@gmail.com"  # type: ignore[index]
    )
    assert len(activity.commits) == expected == 548


# --- small worlds -----------------------------------------------------------------------------


def world_with(repos: dict[str, list[datetime]], login: str = "alice") -> GitHubWorld:
    world = GitHubWorld()
    world.add_user(login, emails=[f"{login}@example.com"])
    world.add_user("bob", emails=["bob@example.com"])
    for name, times in repos.items():
        world.add_repository(login, name)
        for i, when in enumerate(times):
            world.add_commit(
                f"{login}/{name}",
                FakeCommit(
                    fake_sha(name, i),
                    login,
                    f"{login}@example.com",
                    when,
                    login,
                    f"{login}@example.com",
                    when,
                    f"change {i}",
                ),
            )
        # someone else's commit, never returned
        world.add_commit(
            f"{login}/{name}",
            FakeCommit(
                fake_sha(name, "bob"),
                "bob",
                "bob@example.com",
                times[0],
                "bob",
                "bob@example.com",
                times[0],
                "bob's change",
            ),
        )
    return world


def spread(count: int, start: datetime = datetime(2022, 1, 3, tzinfo=UTC)) -> list[datetime]:
    return [start + timedelta(hours=5 * i) for i in range(count)]


@pytest.mark.parametrize(("repositories", "requests"), [(3, 2), (30, 4)])
def test_batching_keeps_requests_per_page_not_per_repository(
    repositories: int, requests: int
) -> None:
    fake = FakeGitHub(world_with({f"repo{i}": spread(5) for i in range(repositories)}))
    activity = collect(fake, user="alice")
    assert len(activity.commits) == 5 * repositories
    assert len(fake.graphql_requests) == requests  # 1 + ceil(repositories / 10)


def test_a_busy_repository_is_read_in_spans_side_by_side() -> None:
    repos = {"big": spread(250), **{f"small{i}": spread(2) for i in range(4)}}
    fake = FakeGitHub(world_with(repos))
    progress: list[str] = []
    activity = collect(fake, user="alice", progress=progress)
    assert Counter(c.repository for c in activity.commits)["alice/big"] == 250
    history = fake.graphql_requests[1:]
    # "big" in three spans of at most 100 commits (by GitHub's count per day), beside the 4 others
    assert [sum(1 for k in r.variables if k.startswith("n")) for r in history] == [3 + 4]
    # the three spans of "big" cover the year and a day either side, end to end
    asked = history[0].variables
    spans = [(datetime.fromisoformat(asked[f"since{i}"]), asked[f"until{i}"]) for i in range(3)]
    assert spans[0][0] == datetime(2021, 12, 31, tzinfo=UTC)
    assert spans[-1][1] == "2023-01-02T00:00:00+00:00"
    for (_, until), (since, _) in pairwise(spans):
        assert datetime.fromisoformat(until) + timedelta(seconds=1) == since
    assert progress[-1] == "fetched 5/5 repositories' history (page 1)"


def test_a_span_holding_more_than_a_page_continues_alone() -> None:
    # Authored over seven weeks, all committed on one day (a rebase): the planned spans follow
    # the author days, so the span holding the commit day has 250 commits: pages 2 and 3.
    rebased_on = datetime(2022, 6, 1, 12, tzinfo=UTC)
    world = world_with({"big": spread(250), **{f"small{i}": spread(2) for i in range(4)}})
    big = world.repositories["alice/big"]
    big.commits = [
        FakeCommit(
            c.sha,
            c.author_name,
            c.author_email,
            c.authored_at,
            c.committer_name,
            c.committer_email,
            rebased_on if c.author_email == "alice@example.com" else c.committed_at,
            c.message,
        )
        for c in big.commits
    ]
    fake = FakeGitHub(world)
    progress: list[str] = []
    activity = collect(fake, user="alice", progress=progress)
    assert Counter(c.repository for c in activity.commits)["alice/big"] == 250
    history = fake.graphql_requests[1:]
    assert [sum(1 for k in r.variables if k.startswith("n")) for r in history] == [7, 1, 1]
    assert all(r.variables["c0"] for r in history[1:])
    assert progress[-1] == "fetched 5/5 repositories' history (page 3)"


def test_more_than_100_repositories_splits_the_year() -> None:
    # 150 repositories, each with one commit on a different day: the full year hits the cap.
    start = datetime(2022, 1, 1, 6, tzinfo=UTC)
    repos = {f"r{i:03d}": [start + timedelta(days=2 * i)] for i in range(150)}
    fake = FakeGitHub(world_with(repos))
    progress: list[str] = []
    activity = collect(fake, user="alice", progress=progress)
    assert len(activity.commits) == 150
    assert {c.repository for c in activity.commits} == {f"alice/{n}" for n in repos}
    assert activity.contributions.commits == 150
    assert activity.warnings == ()
    # the split windows' days add up to GitHub's count in every repository
    assert len(activity.reconciliation) == 150
    assert all(item.matches for item in activity.reconciliation)
    # the months, side by side: a year of days in one query
    splits = [r for r in fake.graphql_requests if "query CommitWindows" in (r.query or "")]
    windows = [
        (r.variables["from0"][:10], max(v for k, v in r.variables.items() if k.startswith("to")))
        for r in splits
    ]
    assert [(start, end[:10]) for start, end in windows] == [("2022-01-01", "2022-12-31")]
    assert len(fake.graphql_requests) == 1 + 1 + math.ceil(150 / 10)


def test_a_timezone_moves_commits_across_the_year_boundary() -> None:
    late = datetime(2022, 12, 31, 20, 0, tzinfo=UTC)  # 2023-01-01 05:00 in Seoul
    early = datetime(2022, 1, 1, 2, 0, tzinfo=UTC)  # 2022-01-01 11:00 in Seoul
    world = world_with({"p": [early, late]})
    utc = collect(FakeGitHub(world), user="alice", tz=UTC)
    seoul = collect(FakeGitHub(world), user="alice", tz=SEOUL)
    assert sorted(c.committed_at for c in utc.commits) == [early, late]
    assert [c.committed_at for c in seoul.commits] == [early]
    seoul_2023 = collect(FakeGitHub(world), user="alice", year=2023, tz=SEOUL)
    assert [c.committed_at for c in seoul_2023.commits] == [late]
    # the calendar keeps GitHub's UTC days: Seoul's 2023 starts on the UTC day 2022-12-31
    assert seoul_2023.contributions.calendar[0].day.isoformat() == "2022-12-31"
    assert seoul_2023.contributions.calendar[0].count == 1


def test_unknown_user_is_not_found() -> None:
    with pytest.raises(NotFoundError, match="GitHub user 'nobody' not found") as info:
        collect(FakeGitHub(world_with({"a": spread(1)})), user="nobody")
    assert info.value.exit_code == 3


def test_bad_token_is_an_authentication_error() -> None:
    fake = FakeGitHub(world_with({"a": spread(1)}), token="right")
    with pytest.raises(AuthenticationError, match="Bad credentials"):
        collect(fake, user="alice", token="wrong")
    assert collect(fake, user="alice", token="right").commits


def test_a_502_is_retried() -> None:
    fake = FakeGitHub(world_with({"a": spread(2)}))
    fake.fail_next("server_error")
    activity = collect(fake, user="alice")
    assert len(activity.commits) == 2
    assert [r.status for r in fake.log][:2] == [502, 200]


def test_rate_limit_waits_then_gives_up_beyond_the_maximum_wait() -> None:
    fake = FakeGitHub(world_with({"a": spread(2)}), clock=lambda: 1_700_000_000.0)
    fake.fail_next("rate_limited", reset_in=30)
    assert len(collect(fake, user="alice", clock=lambda: 1_700_000_000.0).commits) == 2
    fake.fail_next("rate_limited", reset_in=7200)
    with pytest.raises(RateLimitError):
        collect(fake, user="alice", clock=lambda: 1_700_000_000.0, max_wait=900.0)


def test_a_too_large_calendar_is_asked_for_per_quarter() -> None:
    times = [datetime(2022, m, 15, 3, tzinfo=UTC) for m in range(1, 13)]
    fake = FakeGitHub(world_with({"a": times}))
    fake.limit_calendar_days(100)
    activity = collect(fake, user="alice")
    assert len(activity.commits) == 12
    assert activity.contributions.commits == 12
    assert activity.contributions.total == 12
    assert [(r.github_count, r.retrieved, r.days) for r in activity.reconciliation] == [
        (12, 12, ())
    ]
    assert [d.day.month for d in activity.contributions.calendar if d.count] == list(range(1, 13))
    windows = [
        (r.variables["from"][:10], r.status) for r in fake.graphql_requests if "from" in r.variables
    ]
    assert windows == [
        ("2022-01-01", 200),  # refused with RESOURCE_LIMITS_EXCEEDED (HTTP 200 + errors)
        ("2022-01-01", 200),
        ("2022-04-01", 200),
        ("2022-07-01", 200),
        ("2022-10-01", 200),
    ]


def test_split_window_halves_quarters_then_months() -> None:
    year = year_window(2022, SEOUL)
    halves = split_window(year)
    assert halves is not None
    assert [w.start.date().isoformat() for w in halves] == ["2022-01-01", "2022-07-01"]
    quarter = split_window(halves[0])
    assert quarter is not None and quarter[1].start.date().isoformat() == "2022-04-01"
    assert year.variables() == {
        "from": "2022-01-01T00:00:00+09:00",
        "to": "2022-12-31T23:59:59+09:00",
    }


def test_a_gap_fill_returns_new_day_maps_and_leaves_the_windows_as_they_are() -> None:
    year = year_window(2022, UTC)
    d = [date(2022, 1, 1) + timedelta(days=n) for n in range(10)]
    part = WindowPart(year, commit_days={"o/busy": {d[0]: 2, d[9]: 1}, "o/quiet": {d[5]: 1}})
    part.gaps = {"o/busy": (d[0], d[9])}
    fill = gap_fill([part])
    assert fill is not None and fill.repositories == {"o/busy"}
    # what a gap month lists: days inside the gap count, the days at its ends were read already
    listed = [WindowPart(year, commit_days={"o/busy": {d[0]: 2, d[3]: 4, d[4]: 1, d[9]: 1}})]
    added = fill.inside(listed)
    assert added == {"o/busy": {d[3]: 4, d[4]: 1}}
    assert fill.merge(added) == {"o/busy": {d[0]: 2, d[3]: 4, d[4]: 1, d[9]: 1}}
    assert part.commit_days == {"o/busy": {d[0]: 2, d[9]: 1}, "o/quiet": {d[5]: 1}}
    assert part.gaps == {"o/busy": (d[0], d[9])}
