"""devstats.classify.received on constructed engine answers and counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from devstats.classify.received import (
    major_releases,
    pull_requests_by_repository,
    pull_requests_received,
    received_of_year,
    stars_from_events,
    stars_from_stargazers,
    work_share,
)
from devstats.classify.year import year_span
from devstats.model.events import (
    STAR_EVENTS,
    STARGAZERS,
    Contributor,
    FirstPullRequestTo,
    ProjectEvents,
    PullRequestOpened,
    StarEvents,
    StarsGained,
)
from devstats.model.facts import ContributionsToOthers, PullRequest, Release

SEOUL = ZoneInfo("Asia/Seoul")
OPT = "kozistr/pytorch_optimizer"
BLOG = "kozistr/kozistr.github.io"
START, END = year_span(2022, SEOUL)
LOADED = datetime(2026, 12, 1, tzinfo=UTC)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def answer(
    *,
    stars: tuple[StarEvents, ...] = (),
    pulls: tuple[PullRequestOpened, ...] = (),
    firsts: tuple[FirstPullRequestTo, ...] = (),
    loaded: datetime | None = LOADED,
) -> ProjectEvents:
    return ProjectEvents(
        source="clickhouse",
        label="ClickHouse (GH Archive)",
        repositories=(OPT, BLOG),
        start=START,
        end=END,
        stars=stars,
        pull_requests=pulls,
        first_pull_requests=firsts,
        releases=(),
        loaded_through=loaded,
    )


def pull(
    author: str, number: int, *, merged: bool = False, repository: str = OPT
) -> PullRequestOpened:
    opened = utc(2022, 3, 1) + timedelta(days=number)
    return PullRequestOpened(
        repository,
        number,
        author,
        f"PR {number}",
        opened,
        opened + timedelta(1) if merged else None,
    )


def test_stars_from_events_count_people_and_list_every_repository() -> None:
    found = stars_from_events(answer(stars=(StarEvents(OPT, events=1240, people=1236),)))
    assert found == (
        StarsGained(OPT, 1236, STAR_EVENTS, True),
        StarsGained(BLOG, 0, STAR_EVENTS, True),
    )


@pytest.mark.parametrize(
    ("loaded", "complete"),
    [
        (None, False),
        (utc(2022, 12, 31, 13), False),  # 22:00 in Seoul on the last day: an hour short
        (utc(2022, 12, 31, 14), True),  # the hour holding the year's last second
        (utc(2023, 6, 1), True),
    ],
)
def test_stars_are_complete_once_the_last_hour_is_loaded(
    loaded: datetime | None, complete: bool
) -> None:
    (first, _) = stars_from_events(answer(loaded=loaded))
    assert first.complete is complete


def test_stars_from_stargazers_keep_the_years_stars_only() -> None:
    times = [utc(2021, 12, 31, 16), utc(2022, 6, 1), utc(2022, 12, 31, 15), utc(2021, 6, 1)]
    found = stars_from_stargazers({OPT: (times, True), BLOG: ([], False)}, year=2022, tz=SEOUL)
    assert found == (StarsGained(OPT, 2, STARGAZERS, True), StarsGained(BLOG, 0, STARGAZERS, False))


def test_pull_requests_received_leave_out_the_user_and_bots() -> None:
    pulls = (
        pull("carol", 1, merged=True),
        pull("Dave", 2),
        pull("dave", 3, merged=True),
        pull("kozistr", 4, merged=True),
        pull("KOZISTR", 5),
        pull("dependabot[bot]", 6, merged=True),
        pull("renovate", 7),
        pull("pre-commit-ci[bot]", 8),
        pull("erin", 9, repository=BLOG),
    )
    firsts = (
        FirstPullRequestTo(OPT, "carol", utc(2022, 3, 2)),
        FirstPullRequestTo(OPT, "dave", utc(2021, 5, 1)),
        FirstPullRequestTo(BLOG, "erin", START),  # the year's first instant is inside it
    )
    found = pull_requests_received(answer(pulls=pulls, firsts=firsts), user="kozistr")
    by_repository = {r.repository: r for r in found}
    optimizer = by_repository[OPT]
    assert (optimizer.opened, optimizer.merged) == (3, 2)
    assert optimizer.people == (
        Contributor("Dave", pull_requests=2, merged=1, first_time=False),
        Contributor("carol", pull_requests=1, merged=1, first_time=True),
    )
    assert optimizer.first_timers == ("carol",)
    assert by_repository[BLOG].first_timers == ("erin",)
    assert [r.repository for r in found] == [OPT, BLOG]


def test_configured_bot_accounts_are_left_out_too() -> None:
    pulls = (pull("carol", 1), pull("release-robot", 2))
    found = pull_requests_received(
        answer(pulls=pulls), user="kozistr", bot_accounts=("release-robot",)
    )
    assert [c.login for c in found[0].people] == ["carol"]


def test_a_repository_nobody_else_sent_to_is_left_out() -> None:
    assert pull_requests_received(answer(pulls=(pull("kozistr", 1),)), user="kozistr") == ()


def test_major_releases_are_the_years_major_bumps() -> None:
    releases = [
        (OPT, "v1.3.2", utc(2021, 11, 1), False),
        (OPT, "v2.0.0rc1", utc(2022, 4, 1), False),  # a pre-release raises nothing
        (OPT, "v2.0.0", utc(2022, 5, 1), False),
        (OPT, "v2.1.0", utc(2022, 6, 1), False),
        (OPT, "v3.0.0", utc(2023, 3, 1), False),  # after the year
        (BLOG, "v1.0.0", utc(2022, 2, 1), False),  # a first release is no bump
        (BLOG, "nightly", utc(2022, 3, 1), False),
        ("kozistr/old", "0.9.1", utc(2021, 12, 31, 14), False),
        ("kozistr/old", "1.0", utc(2021, 12, 31, 16), False),  # 01:00 on 1 January in Seoul
        ("kozistr/beta", "1.0", utc(2021, 1, 1), False),
        ("kozistr/beta", "2.0", utc(2022, 1, 5), True),  # marked a pre-release on GitHub
    ]
    found = major_releases(releases, year=2022, tz=SEOUL)
    assert [(m.repository, m.tag, m.previous, m.major) for m in found] == [
        ("kozistr/old", "1.0", "0.9.1", 1),
        (OPT, "v2.0.0", "1.3.2", 2),
    ]
    assert found[1].published_at == utc(2022, 5, 1).astimezone(SEOUL)


def test_work_share_splits_own_and_others_projects() -> None:
    share = work_share(
        year=2022,
        user="kozistr",
        own_organizations=("lab-org",),
        pull_requests_by_repository=pull_requests_by_repository(
            [OPT, OPT, "huggingface/transformers", "Lab-Org/tool", "pytorch/pytorch"]
        ),
        reviews_by_repository={"huggingface/transformers": 3, OPT: 4},
        issues_by_repository={"KOZISTR/x": 2, "numpy/numpy": 1},
    )
    assert (share.own, share.others) == (2 + 1 + 4 + 2, 2 + 3 + 1)
    assert (share.others_pull_requests, share.others_reviews, share.others_issues) == (2, 3, 1)
    assert share.others_percent == 40  # 6 of 15


def test_work_share_without_work_has_no_percentage() -> None:
    share = work_share(
        year=2021,
        user="kozistr",
        own_organizations=(),
        pull_requests_by_repository={},
        reviews_by_repository={},
        issues_by_repository={},
    )
    assert (share.own, share.others, share.others_percent) == (0, 0, None)


def test_the_block_takes_stars_from_the_walk_when_it_was_made() -> None:
    events = answer(
        stars=(StarEvents(OPT, events=9, people=9),), pulls=(pull("carol", 1, merged=True),)
    )
    walked = {OPT: ([utc(2022, 6, 1)] * 7, True)}
    mine = PullRequest(OPT, 2, "Mine", "u", "MERGED", utc(2022, 3, 1), utc(2022, 3, 2))
    theirs = PullRequest("numpy/numpy", 9, "Theirs", "u", "OPEN", utc(2022, 4, 1), None)
    help_given = ContributionsToOthers({"numpy/numpy": 2}, {OPT: 1}, ())
    common = {
        "year": 2022,
        "tz": SEOUL,
        "user": "kozistr",
        "own_organizations": (),
        "bot_accounts": (),
        "complete_through": None,
        "releases": {
            OPT: (
                Release(OPT, "v1.0.0", None, utc(2021, 1, 1)),
                Release(OPT, "v2.0.0", None, utc(2022, 2, 1)),
            )
        },
        "work": ((mine, theirs), help_given),
        "work_last_year": (2021, (mine,), ContributionsToOthers({}, {}, ())),
    }
    from_walk = received_of_year(events=events, stargazers=walked, **common)  # type: ignore[arg-type]
    assert from_walk.source == "github"
    assert from_walk.stars == (StarsGained(OPT, 7, STARGAZERS, True),)
    assert from_walk.pull_requests is not None and from_walk.pull_requests[0].opened == 1
    from_events = received_of_year(events=events, stargazers=None, **common)  # type: ignore[arg-type]
    assert from_events.source == "clickhouse"
    assert from_events.stars[0] == StarsGained(OPT, 9, STAR_EVENTS, True)
    assert [m.tag for m in from_events.major_releases] == ["v2.0.0"]
    neither = received_of_year(events=None, stargazers=None, **common)  # type: ignore[arg-type]
    assert (neither.stars, neither.pull_requests) == ((), None)
    assert neither.work is not None and neither.work_last_year is not None
    # this year: 1 own pull request and 1 issue, 1 pull request and 2 reviews on others'
    assert (neither.work.own, neither.work.others, neither.work.others_percent) == (2, 3, 60)
    assert (neither.work_last_year.year, neither.work_last_year.others_percent) == (2021, 0)
