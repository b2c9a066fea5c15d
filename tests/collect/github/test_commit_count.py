"""The commit count equals GitHub's: a commit contribution belongs to a repository and to the
day of its author date, and every difference is named per repository and per day.

Each world is built commit by commit, so the test knows which commits GitHub counts; the fake
GitHub computes its own count (`totalCommitContributions`, `commitContributionsByRepository`)
from the same world by author date, and is reached over real HTTP on a loopback server.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

import httpx

from devstats.classify.automation import classify_commits, summarize
from devstats.collect.github.activity import collect_github_activity
from devstats.collect.github.commits import LATE_PAGES
from devstats.collect.github.reconcile import reconcile
from devstats.http.client import HttpClient
from devstats.model.facts import Commit, CommitSummary, DayCount, GitHubActivity, Identity
from devstats.model.rules import AutomationRules
from tests.fakes.github_world import FakeCommit, FakeGitHub, GitHubWorld, LoggedRequest, fake_sha
from tests.fakes.loopback import serve

SEOUL = ZoneInfo("Asia/Seoul")
LOGIN = "alice"
EMAIL = "alice@example.com"


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def mine(label: object, authored: datetime, committed: datetime | None = None) -> FakeCommit:
    return FakeCommit(
        fake_sha(label),
        LOGIN,
        EMAIL,
        authored,
        LOGIN,
        EMAIL,
        committed or authored,
        f"change {label}",
    )


def new_world(**repositories: list[FakeCommit]) -> GitHubWorld:
    world = GitHubWorld()
    world.add_user(LOGIN, emails=[EMAIL])
    world.add_user("bob", emails=["bob@example.com"])
    for name, commits in repositories.items():
        world.add_repository(LOGIN, name)
        for commit in commits:
            world.add_commit(f"{LOGIN}/{name}", commit)
        # someone else's commit on the same branch: neither counted nor retrieved
        when = utc(2022, 6, 1, 12)
        other = FakeCommit(
            fake_sha(name, "bob"), "bob", "bob@example.com", when, "bob", "x@y.z", when, "bob's"
        )
        world.add_commit(f"{LOGIN}/{name}", other)
    return world


def github_counts(world: GitHubWorld, year: int, tz: tzinfo = UTC) -> dict[str, int]:
    """Per repository, the commits the world holds that GitHub counts in `year` (author date)."""
    start = datetime(year, 1, 1, tzinfo=tz)
    end = datetime(year + 1, 1, 1, tzinfo=tz) - timedelta(seconds=1)
    user = world.user(LOGIN)
    assert user is not None
    counts: dict[str, int] = {}
    for repository, _commit in world.commit_contributions(user, start, end):
        counts[repository.name_with_owner] = counts.get(repository.name_with_owner, 0) + 1
    return counts


@dataclass
class Run:
    activity: GitHubActivity
    summary: CommitSummary
    requests: list[LoggedRequest]

    @property
    def history_requests(self) -> list[LoggedRequest]:
        return [r for r in self.requests if "query CommitHistory" in (r.query or "")]


def run(
    world: GitHubWorld, *, year: int = 2022, tz: tzinfo = UTC, now: datetime | None = None
) -> Run:
    fakes: list[FakeGitHub] = []

    def handle(request: httpx.Request) -> httpx.Response | None:
        return fakes[0].handle(request)

    with serve(handle) as server:
        fake = FakeGitHub(world, graphql_url=f"{server.url}/graphql", rest_url=server.url)
        fakes.append(fake)
        with HttpClient(sleep=lambda _s: None) as http:
            activity = collect_github_activity(
                http, user=LOGIN, year=year, tz=tz, graphql_url=fake.graphql_url, now=now
            )
    summary = summarize(classify_commits(activity.commits, AutomationRules(), tz=tz))
    return Run(activity, summary, fake.graphql_requests)


def until_values(result: Run) -> list[str]:
    """The latest commit date each history reading asked for."""
    return [v for r in result.history_requests for k, v in r.variables.items() if k[:5] == "until"]


def shas(activity: GitHubActivity) -> set[str]:
    return {c.sha for c in activity.commits}


# --- the same SHA in two repositories ---------------------------------------------------------


def test_the_same_sha_in_two_repositories_counts_in_both() -> None:
    first = [mine(i, utc(2022, 2, 1) + timedelta(days=3 * i)) for i in range(20)]
    # the second project started as a copy of the first: 8 commits with the same SHAs
    second = first[:8] + [mine(f"own {i}", utc(2022, 9, 1) + timedelta(days=i)) for i in range(5)]
    world = new_world(first=first, second=second)
    # a fork holding the same commits counts nowhere, as GitHub does not count forks
    fork = world.add_repository(LOGIN, "first-fork", is_fork=True)
    fork.commits = list(first)
    expected = github_counts(world, 2022)
    assert expected == {"alice/first": 20, "alice/second": 13}

    result = run(world)

    assert result.summary.total == result.activity.contributions.commits == 33
    assert {r.repository: r.total for r in result.summary.by_repository} == expected
    copied = {c.sha for c in first[:8]}
    assert {c.repository for c in result.activity.commits if c.sha in copied} == set(expected)
    assert all(item.matches for item in result.activity.reconciliation)
    assert [r.repository for r in result.activity.reconciliation] == sorted(expected)
    assert result.activity.warnings == ()


# --- author date, not commit date -------------------------------------------------------------


def test_a_commit_authored_on_dec_31_and_committed_on_jan_2_counts_in_its_author_year() -> None:
    late = mine("late", utc(2022, 12, 31, 22), utc(2023, 1, 2, 10))
    january = mine("january", utc(2023, 1, 5, 9))
    in_year = [mine(i, utc(2022, 3, 1) + timedelta(days=20 * i)) for i in range(5)]
    world = new_world(p=[*in_year, late, january])

    result = run(world)

    assert github_counts(world, 2022) == {"alice/p": 6}
    assert result.summary.total == result.activity.contributions.commits == 6
    assert late.sha in shas(result.activity)
    assert all(item.matches for item in result.activity.reconciliation)
    assert result.activity.warnings == ()
    # The year and a day either side did not hold it (committed Jan 2, 10:00): GitHub's count for
    # Dec 31 was still short, so the weeks after the year were read for that repository alone.
    spans = [(r.variables["since0"], r.variables["until0"]) for r in result.history_requests]
    assert spans == [
        ("2021-12-31T00:00:00+00:00", "2023-01-02T00:00:00+00:00"),
        ("2023-01-02T00:00:01+00:00", "2023-01-31T23:59:59+00:00"),
    ]

    following = run(world, year=2023)
    assert github_counts(world, 2023) == {"alice/p": 1}
    assert following.summary.total == following.activity.contributions.commits == 1
    assert shas(following.activity) == {january.sha}  # `late` was committed in 2023, not authored


def test_a_commit_authored_the_year_before_and_rebased_into_the_year_is_not_counted_in_it() -> None:
    rebased = mine("rebased", utc(2021, 11, 20, 9), utc(2022, 3, 1, 12))
    in_2021 = [mine(f"2021-{i}", utc(2021, 5, 1) + timedelta(days=30 * i)) for i in range(2)]
    in_2022 = [mine(i, utc(2022, 4, 1) + timedelta(days=30 * i)) for i in range(3)]
    world = new_world(p=[*in_2021, rebased, *in_2022])

    result = run(world)

    assert github_counts(world, 2022) == {"alice/p": 3}
    assert result.summary.total == result.activity.contributions.commits == 3
    assert rebased.sha not in shas(result.activity)  # its commit date is in 2022, its author's not
    assert result.activity.warnings == ()


def late_readings(result: Run) -> list[tuple[str, str, str]]:
    """(repository, since, until) of every history reading after the year's own span."""
    return [
        (r.variables[f"n{i}"], r.variables[f"since{i}"][:10], r.variables[f"until{i}"][:10])
        for r in result.history_requests
        for i in range(10)
        if f"since{i}" in r.variables and r.variables[f"since{i}"] >= "2022-01-02T00:00:01"
    ]


def test_work_committed_months_after_its_year_is_read_in_a_later_stage() -> None:
    # Authored in November 2021, rebased and merged on 1 March 2022: beyond the month after the
    # year, so the next stage (to 3 months after it) is read, for that repository alone.
    rebased = mine("rebased", utc(2021, 11, 20, 9), utc(2022, 3, 1, 12))
    in_2021 = [mine(f"2021-{i}", utc(2021, 5, 1) + timedelta(days=30 * i)) for i in range(2)]
    world = new_world(p=[*in_2021, rebased], q=[mine("q", utc(2021, 7, 7))])

    result = run(world, year=2021)

    assert github_counts(world, 2021) == {"alice/p": 3, "alice/q": 1}
    assert result.summary.total == result.activity.contributions.commits == 4
    assert rebased.sha in shas(result.activity)
    assert all(item.matches for item in result.activity.reconciliation)
    assert result.activity.warnings == ()
    assert late_readings(result) == [
        ("p", "2022-01-02", "2022-01-31"),
        ("p", "2022-02-01", "2022-03-31"),
    ]


def test_work_committed_over_a_year_after_its_year_is_named_by_repository_and_day() -> None:
    # The same commit rebased 14 months after the year: every stage is read, and the
    # reconciliation says where the stated limit bites.
    rebased = mine("rebased", utc(2021, 11, 20, 9), utc(2023, 3, 1, 12))
    in_2021 = [mine(f"2021-{i}", utc(2021, 5, 1) + timedelta(days=30 * i)) for i in range(2)]
    world = new_world(p=[*in_2021, rebased], q=[mine("q", utc(2021, 7, 7))])

    result = run(world, year=2021)

    counted = result.activity.contributions.commits
    assert github_counts(world, 2021) == {"alice/p": 3, "alice/q": 1}
    assert counted == 4
    (p, q) = result.activity.reconciliation
    assert (p.repository, p.github_count, p.retrieved) == ("alice/p", 3, 2)
    assert p.days == (DayCount(date(2021, 11, 20), 1, 0),)
    assert p.reason is None and q.matches
    assert [until for _, _, until in late_readings(result)] == [
        "2022-01-31",
        "2022-03-31",
        "2022-06-30",
        "2022-12-31",
    ]
    # commits.total is GitHub's count less exactly the days named
    assert result.summary.total == counted - sum(d.github - d.retrieved for d in p.days) == 3
    total, named = result.activity.warnings
    assert total.code == "commits-fewer-than-counted"
    assert total.params["repositories"] == 1 and total.params["unlisted"] == 0
    assert "The counts differ in 1 listed repositories" in total.message
    assert named.code == "commits-differ-in-repository"
    assert named.params == {
        "repository": "alice/p",
        "year": "2021",
        "counted": 3,
        "retrieved": 2,
        "days": "2021-11-20: 1/0",
        "more_days": 0,
        "branch": None,
        "late": "2022-12-31",
    }
    assert named.message.startswith(
        "alice/p: GitHub counts 3 commit contributions in 2021 and 2 commits were retrieved; "
        "the days that differ (UTC day: GitHub/retrieved): 2021-11-20: 1/0."
    )
    assert "committed after 2022-12-31 are not read" in named.message
    assert "more days" not in named.message and "gh-pages" not in named.message


def test_stages_not_begun_by_now_are_not_read_and_the_notice_says_now() -> None:
    rebased = mine("rebased", utc(2021, 11, 20, 9), utc(2023, 6, 1, 12))
    world = new_world(p=[mine("a", utc(2021, 5, 1)), rebased])

    result = run(world, year=2021, now=utc(2022, 2, 10, 9))

    # the month after the year, and the stage that has begun (1 February): not those after it
    assert [until for _, _, until in late_readings(result)] == ["2022-01-31", "2022-03-31"]
    (p,) = result.activity.reconciliation
    assert p.days == (DayCount(date(2021, 11, 20), 1, 0),)
    named = result.activity.warnings[-1]
    assert named.params["late"] == "2022-02-10"


def test_a_short_repository_is_paged_through_no_further_than_the_late_budget() -> None:
    # A commit GitHub counts that is never found (its commit date is past every stage), in a
    # repository with 3,000 of the user's commits in the year after: beyond the month after the
    # year, at most LATE_PAGES pages are read.
    never = mine("never", utc(2021, 11, 20, 9), utc(2023, 6, 1, 12))
    busy_after = [
        mine(f"after {i}", utc(2022, 2, 1, 1) + timedelta(hours=2 * i)) for i in range(3000)
    ]
    world = new_world(p=[mine("a", utc(2021, 5, 1)), never, *busy_after])

    result = run(world, year=2021)

    readings = late_readings(result)
    beyond_first = [r for r in readings if r[1] >= "2022-02-01"]
    assert len(beyond_first) == LATE_PAGES
    (p,) = result.activity.reconciliation
    assert (p.github_count, p.retrieved) == (2, 1)
    # the stages read to their end: to 3 months after the year (the next one was cut short)
    assert result.activity.warnings[-1].params["late"] == "2022-03-31"


# --- the request count ------------------------------------------------------------------------


def busy_world(*, after_the_year: int) -> GitHubWorld:
    busy = [mine(f"busy {i}", utc(2022, 1, 2) + timedelta(hours=50 * i)) for i in range(150)]
    # commits after the year, four a day from New Year's Day on
    later = [
        mine(f"later {i}", utc(2023, 1, 1, 3) + timedelta(hours=6 * i))
        for i in range(after_the_year)
    ]
    small = {
        f"small{i}": [mine(f"s{i}-{j}", utc(2022, 6, 1 + j, 8)) for j in range(5)] for i in range(9)
    }
    return new_world(busy=[*busy, *later], **small)


def test_a_repository_with_1000_commits_after_the_year_costs_no_more_requests() -> None:
    quiet = run(busy_world(after_the_year=0))
    busy = run(busy_world(after_the_year=1000))

    assert busy.summary.total == busy.activity.contributions.commits == 150 + 9 * 5
    assert all(item.matches for item in busy.activity.reconciliation)
    # The year's commits and those of the first day after it are read, in as many requests as
    # without the later commits: 1 contributions query, 2 history queries for the 11 spans ("busy"
    # in two of about 100 commits, the 9 others in one each). No repository needed the weeks
    # after the year.
    assert len(quiet.requests) == len(busy.requests) == 3
    assert max(until_values(busy)) == "2023-01-02T00:00:00+00:00"


def test_a_short_busy_repository_reads_only_the_weeks_after_the_year() -> None:
    world = busy_world(after_the_year=1000)
    # GitHub also counts 2 commits on the repository's gh-pages branch, which is not read: its
    # count stays short, so the weeks after the year are read, and no further.
    world.repositories["alice/busy"].pages_commits = [
        mine(f"page {i}", utc(2022, 8, 1 + i)) for i in range(2)
    ]
    quiet = run(busy_world(after_the_year=0))
    result = run(world)

    late_pages = [
        (r.variables[f"n{i}"], r.variables[f"until{i}"])
        for r in result.history_requests
        for i in range(10)
        if r.variables.get(f"since{i}", "").startswith("2023-01-02")
    ]
    # Jan 2 to Jan 31: 30 days of 4 commits, 2 pages of 100, for "busy" alone, and no further
    assert late_pages == [("busy", "2023-01-31T23:59:59+00:00")] * math.ceil(30 * 4 / 100)
    assert max(until_values(result)) == "2023-01-31T23:59:59+00:00"
    assert len(result.requests) <= len(quiet.requests) + len(late_pages)
    (busy, *others) = result.activity.reconciliation
    assert busy.repository == "alice/busy" and busy.reason == "gh-pages"
    assert [(d.day, d.github - d.retrieved) for d in busy.days] == [
        (date(2022, 8, 1), 1),
        (date(2022, 8, 2), 1),
    ]
    assert all(item.matches for item in others)
    total, named = result.activity.warnings
    assert total.params["difference"] == 2
    assert named.params["branch"] == "gh-pages"
    assert "has a gh-pages branch: GitHub counts its commits too" in named.message


def test_requests_grow_by_at_most_one_per_ten_repositories() -> None:
    # 30 repositories, each with one commit of Dec 31 committed on Jan 2 (or, in the baseline,
    # committed at once): each needs the weeks after the year, ten to a request.
    def world(lag: timedelta) -> GitHubWorld:
        return new_world(
            **{
                f"r{i:02d}": [
                    mine(f"{i} a", utc(2022, 5, 1 + i % 28, 9)),
                    mine(f"{i} b", utc(2022, 12, 31, 20), utc(2022, 12, 31, 20) + lag),
                ]
                for i in range(30)
            }
        )

    baseline = run(world(timedelta(0)))
    rebased = run(world(timedelta(days=1, hours=14)))

    assert rebased.summary.total == rebased.activity.contributions.commits == 60
    assert baseline.summary.total == 60
    assert len(rebased.requests) - len(baseline.requests) <= math.ceil(30 / 10)


# --- time zones at both year boundaries -------------------------------------------------------


def boundary_commits() -> dict[str, FakeCommit]:
    return {
        # 2022-01-01 01:00 in Seoul, still 2021 in UTC
        "a": mine("a", utc(2021, 12, 31, 16)),
        "b": mine("b", utc(2022, 1, 1, 10)),
        "c": mine("c", utc(2022, 12, 31, 10)),
        # 2023-01-01 01:00 in Seoul, still 2022 in UTC
        "d": mine("d", utc(2022, 12, 31, 16)),
        # authored 2022-01-01 05:00 in Seoul, rebased a few days later
        "e": mine("e", utc(2021, 12, 31, 20), utc(2022, 1, 4, 8)),
        # authored on the UTC Dec 31 (Seoul's Jan 1), committed on Jan 3
        "f": mine("f", utc(2022, 12, 31, 18), utc(2023, 1, 3, 9)),
        # authored in 2021 in both clocks, committed in 2022 in both
        "g": mine("g", utc(2021, 12, 31, 12), utc(2022, 1, 1, 1)),
    }


def test_seoul_and_utc_count_their_own_years_at_both_boundaries() -> None:
    commits = boundary_commits()
    world = new_world(p=list(commits.values()))
    expected = {
        (2022, UTC): "bcdf",
        (2022, SEOUL): "abce",
        (2023, SEOUL): "df",
        (2021, UTC): "aeg",
    }
    for (year, tz), labels in expected.items():
        result = run(world, year=year, tz=tz)
        assert github_counts(world, year, tz) == {"alice/p": len(labels)}, (year, tz)
        assert result.summary.total == result.activity.contributions.commits == len(labels)
        assert shas(result.activity) == {commits[x].sha for x in labels}, (year, tz)
        assert all(item.matches for item in result.activity.reconciliation), (year, tz)
        assert result.activity.warnings == (), (year, tz)


def test_seoul_names_the_utc_days_it_could_not_retrieve_at_both_boundaries() -> None:
    # Committed 14 months after the year: beyond what is read, in either clock.
    first = mine("first", utc(2021, 12, 31, 20), utc(2024, 3, 1))  # Seoul: 2022-01-01 05:00
    last = mine("last", utc(2022, 12, 31, 10), utc(2024, 3, 1))  # Seoul: 2022-12-31 19:00
    middle = mine("middle", utc(2022, 6, 1))
    world = new_world(p=[first, middle, last])

    seoul = run(world, tz=SEOUL)
    assert github_counts(world, 2022, SEOUL) == {"alice/p": 3}
    (item,) = seoul.activity.reconciliation
    # GitHub's days are UTC days: Seoul's year begins on the UTC day 2021-12-31
    assert item.days == (
        DayCount(date(2021, 12, 31), 1, 0),
        DayCount(date(2022, 12, 31), 1, 0),
    )
    assert seoul.summary.total == seoul.activity.contributions.commits - 2 == 1
    named = seoul.activity.warnings[-1]
    assert named.params["days"] == "2021-12-31: 1/0, 2022-12-31: 1/0"
    assert named.params["late"] == "2023-12-31"

    in_utc = run(world)
    assert github_counts(world, 2022) == {"alice/p": 2}
    (item,) = in_utc.activity.reconciliation
    assert item.days == (DayCount(date(2022, 12, 31), 1, 0),)
    assert in_utc.summary.total == in_utc.activity.contributions.commits - 1 == 1


def test_a_repository_with_commits_on_every_day_is_reconciled_in_both_clocks() -> None:
    # One commit every day at 20:00 UTC (05:00 the next day in Seoul), from before the year to
    # after it: 365 days in the year, more than the newest and oldest 100 the first query holds.
    start = utc(2021, 12, 25, 20)
    daily = [mine(f"day {i}", start + timedelta(days=i)) for i in range(380)]
    world = new_world(daily=daily, other=[mine("other", utc(2022, 7, 1))])
    for tz in (UTC, SEOUL):
        result = run(world, tz=tz)
        assert github_counts(world, 2022, tz) == {"alice/daily": 365, "alice/other": 1}, tz
        assert result.summary.total == result.activity.contributions.commits == 366
        assert all(item.matches for item in result.activity.reconciliation), tz
        # 1 contributions query; the history of "other" with the days between the newest and
        # oldest 100 of "daily" beside it; then the 4 spans of "daily", planned from those days
        (gap,) = [r for r in result.requests if "from0" in r.variables]
        assert "query CommitHistory" in (gap.query or "") and gap.variables["n0"] == "other"
        assert len(result.requests) == 1 + 1 + 1


# --- repositories that cannot be read ---------------------------------------------------------


def test_a_repository_gone_since_is_named_with_githubs_count_for_it() -> None:
    world = new_world(
        kept=[mine(f"k{i}", utc(2022, 2, 1 + i)) for i in range(4)],
        gone=[mine(f"g{i}", utc(2022, 3, 1 + i)) for i in range(3)],
    )
    fakes: list[FakeGitHub] = []

    def handle(request: httpx.Request) -> httpx.Response | None:
        return fakes[0].handle(request)

    with serve(handle) as server:
        fake = FakeGitHub(world, graphql_url=f"{server.url}/graphql", rest_url=server.url)
        fake.unreadable_repositories.add("alice/gone")
        fakes.append(fake)
        with HttpClient(sleep=lambda _s: None) as http:
            activity = collect_github_activity(
                http, user=LOGIN, year=2022, tz=UTC, graphql_url=fake.graphql_url
            )

    assert activity.contributions.commits == 7
    assert len(activity.commits) == 4
    gone, kept = activity.reconciliation
    assert (gone.repository, gone.github_count, gone.retrieved, gone.reason) == (
        "alice/gone",
        3,
        0,
        "gone",
    )
    assert len(gone.days) == 3 and kept.matches
    total, named = activity.warnings
    assert total.params["repositories"] == 1
    assert named.code == "repository-gone"
    assert named.params == {"repository": "alice/gone", "year": "2022", "counted": 3}
    assert named.message.endswith("; GitHub counts 3 commit contributions there in 2022")


# --- reconcile on its own ---------------------------------------------------------------------


def commit(sha: str, repository: str, authored: datetime) -> Commit:
    me = Identity(LOGIN, EMAIL, LOGIN)
    return Commit(sha, repository, me, me, authored, authored + timedelta(days=40), "x")


def test_differences_that_cancel_out_still_name_their_days() -> None:
    github = {"a/b": {date(2022, 3, 1): 2, date(2022, 3, 2): 1}}
    found = {
        "a/b": [
            commit("1", "a/b", utc(2022, 3, 1, 8)),
            commit("2", "a/b", utc(2022, 3, 2, 8)),
            # the UTC day, not the local one: 2022-03-03 00:30 at +09:00 is 2022-03-02 15:30 UTC
            commit("3", "a/b", datetime(2022, 3, 3, 0, 30, tzinfo=SEOUL)),
        ]
    }
    (item,) = reconcile(github, found, {"a/b": "gh-pages"})
    assert (item.github_count, item.retrieved) == (3, 3)
    assert item.days == (DayCount(date(2022, 3, 1), 2, 1), DayCount(date(2022, 3, 2), 1, 2))
    assert not item.matches
    assert item.reason == "gh-pages"  # GitHub counts more on one day
    (only_more,) = reconcile({"a/b": {}}, {"a/b": found["a/b"][:1]}, {"a/b": "gh-pages"})
    assert only_more.reason is None  # a branch GitHub counts cannot explain commits it does not
