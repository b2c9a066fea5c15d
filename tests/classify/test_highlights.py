"""devstats.classify.highlights on constructed years whose answers are known by construction."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import jsonschema
import msgspec
import pytest

from devstats.classify.automation import SCHEDULED_CADENCE, classify_commits
from devstats.classify.contributions_to_others import (
    external_repositories,
    first_contributions,
    given_to_others,
)
from devstats.classify.highlights import (
    downloads_in_year,
    releases_shipped,
    tag_version,
)
from devstats.classify.rhythm import (
    real_contribution_days,
    rhythm,
    streaks,
    week_start,
)
from devstats.model.facts import Commit, FirstPullRequest, Identity, PullRequest
from devstats.model.highlights import DayRun, Highlights, WeekRun
from devstats.model.rules import AutomationRules

SEOUL = ZoneInfo("Asia/Seoul")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")


def days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


# --- streaks ----------------------------------------------------------------------------------


def test_the_longest_streak_crosses_a_month_boundary() -> None:
    across = days_between(date(2022, 1, 27), date(2022, 2, 4))  # 9 days, January into February
    shorter = days_between(date(2022, 3, 1), date(2022, 3, 5))
    single = [date(2022, 6, 15)]

    found = streaks([*single, *shorter, *across], 2022)

    assert found.longest == DayRun(date(2022, 1, 27), date(2022, 2, 4))
    assert found.longest is not None and found.longest.days == len(across) == 9
    assert found.active_days == len(across) + len(shorter) + len(single)
    assert found.at_end is None  # nothing on 31 December


def test_equal_runs_give_the_earliest_and_duplicates_do_not_lengthen_a_run() -> None:
    early = days_between(date(2022, 4, 1), date(2022, 4, 3))
    late = days_between(date(2022, 9, 1), date(2022, 9, 3))

    found = streaks([*late, *early, *early], 2022)

    assert found.longest == DayRun(date(2022, 4, 1), date(2022, 4, 3))
    assert found.active_days == 6


def test_week_runs_follow_the_calendars_sunday_weeks() -> None:
    # Sunday 6 March and Saturday 19 March are two Sunday-to-Saturday weeks in a row, while in
    # Monday weeks they would be a week apart.
    sunday, saturday = date(2022, 3, 6), date(2022, 3, 19)
    assert sunday.weekday() == 6 and saturday.weekday() == 5
    later = date(2022, 5, 11)

    found = streaks([sunday, saturday, later], 2022)

    assert found.longest_weeks == WeekRun(start=sunday, end=saturday, weeks=2)
    assert week_start(saturday) == date(2022, 3, 13)
    assert found.longest == DayRun(sunday, sunday)  # no two days in a row


def test_a_week_run_is_kept_inside_the_year() -> None:
    # 1 January 2022 is a Saturday: its calendar week began on 26 December 2021.
    first_weeks = [date(2022, 1, 1), date(2022, 1, 5), date(2022, 1, 14)]
    last_weeks = [date(2022, 12, 20), date(2022, 12, 26)]  # 31 December is also a Saturday

    found = streaks([*first_weeks, *last_weeks], 2022)

    # The third week runs to Saturday 15 January.
    assert found.longest_weeks == WeekRun(start=date(2022, 1, 1), end=date(2022, 1, 15), weeks=3)
    ending = streaks(last_weeks, 2022).longest_weeks
    assert ending == WeekRun(start=date(2022, 12, 18), end=date(2022, 12, 31), weeks=2)


def test_the_streak_running_on_december_31() -> None:
    running = days_between(date(2022, 12, 27), date(2022, 12, 31))
    longest = days_between(date(2022, 7, 1), date(2022, 7, 10))

    found = streaks([*longest, *running, date(2021, 12, 31), date(2023, 1, 1)], 2022)

    assert found.at_end == DayRun(date(2022, 12, 27), date(2022, 12, 31))
    assert found.longest == DayRun(date(2022, 7, 1), date(2022, 7, 10))
    assert found.through == date(2022, 12, 31)
    assert found.active_days == len(running) + len(longest)  # other years' days ignored


def test_a_year_in_progress_reports_the_streak_through_the_last_day() -> None:
    days = days_between(date(2022, 6, 1), date(2022, 6, 10))

    found = streaks(days, 2022, through=date(2022, 6, 8))

    assert found.at_end == DayRun(date(2022, 6, 1), date(2022, 6, 8))
    assert found.longest == found.at_end  # days after `through` are not counted yet
    assert streaks([], 2022).longest is None
    assert streaks([], 2022).longest_weeks is None


def user_commit(sha: str, when: datetime, message: str = "fix a bug") -> Commit:
    me = Identity(name="Kim", email="kim@example.com", login="kim")
    return Commit(
        sha=sha,
        repository="kim/project",
        author=me,
        committer=me,
        authored_at=when,
        committed_at=when,
        message=message,
    )


def test_an_automated_daily_stream_makes_no_streak() -> None:
    # A workflow commits under the user's own name every day of 2022 at about 00:10 UTC; the
    # person commits on three days in a row in May and opens one pull request in August.
    year = days_between(date(2022, 1, 1), date(2022, 12, 31))
    stream = [
        user_commit(
            f"s{day.isoformat()}",
            datetime(day.year, day.month, day.day, 0, 10 + day.day % 7, tzinfo=UTC),
            f"chore: update stats {day.isoformat()}",
        )
        for day in year
    ]
    person = [user_commit(f"p{n}", datetime(2022, 5, 10 + n, 14, 30, tzinfo=UTC)) for n in range(3)]
    pull_request_day = date(2022, 8, 2)
    # The calendar counts every commit on its UTC day, and the pull request.
    calendar = {day: 1 for day in year}
    for commit in person:
        calendar[commit.authored_at.date()] += 1
    calendar[pull_request_day] += 1

    classified = classify_commits([*stream, *person], AutomationRules(), tz=UTC)
    automated = {c.commit.sha for c in classified if c.automated}
    assert automated == {c.sha for c in stream}
    assert {c.primary_reason for c in classified if c.automated} == {SCHEDULED_CADENCE}

    real = real_contribution_days(
        calendar,
        [(c.commit.authored_at, c.automated) for c in classified],
        year=2022,
        tz=UTC,
    )
    found = streaks(real, 2022)

    assert real == {
        date(2022, 5, 10): 1,
        date(2022, 5, 11): 1,
        date(2022, 5, 12): 1,
        pull_request_day: 1,
    }
    assert found.longest == DayRun(date(2022, 5, 10), date(2022, 5, 12))
    assert found.at_end is None  # the stream's 31 December is not real work
    # Counted on the raw calendar, the stream alone would be a year-long streak.
    assert streaks(calendar, 2022).longest == DayRun(date(2022, 1, 1), date(2022, 12, 31))


# --- the report's time zone -------------------------------------------------------------------


def test_a_seoul_users_late_december_commits_land_on_seoul_days() -> None:
    # 23:30 on 31 December in Seoul is 14:30 UTC, the same date; 00:30 on 1 January in Seoul is
    # still 31 December in UTC, so GitHub's calendar (UTC days) has it on the 31st; and a commit
    # written as 23:30 on 31 December with a +00:00 offset is 08:30 on 1 January in Seoul.
    commits = [
        (datetime(2022, 12, 29, 21, 0, tzinfo=SEOUL), False),
        (datetime(2022, 12, 30, 22, 0, tzinfo=SEOUL), False),
        (datetime(2022, 12, 31, 23, 30, tzinfo=SEOUL), False),
        (datetime(2023, 1, 1, 0, 30, tzinfo=SEOUL), False),
        (datetime(2022, 12, 31, 23, 30, tzinfo=UTC), False),
    ]
    utc_days = [moment.astimezone(UTC).date() for moment, _ in commits]
    assert utc_days == [
        date(2022, 12, 29),
        date(2022, 12, 30),
        date(2022, 12, 31),
        date(2022, 12, 31),
        date(2022, 12, 31),
    ]
    calendar = {day: utc_days.count(day) for day in set(utc_days)}

    real = real_contribution_days(calendar, commits, year=2022, tz=SEOUL)
    found = streaks(real, 2022)

    assert real == {date(2022, 12, 29): 1, date(2022, 12, 30): 1, date(2022, 12, 31): 1}
    assert found.at_end == DayRun(date(2022, 12, 29), date(2022, 12, 31))
    # In UTC the same commits make 31 December the busiest day of the three.
    assert real_contribution_days(calendar, commits, year=2022, tz=UTC)[date(2022, 12, 31)] == 3

    seoul = rhythm([m for m, _ in commits[:3]], real, SEOUL)
    assert seoul.by_hour[23] == 1 and seoul.by_hour[21] == 1 and seoul.by_hour[22] == 1
    assert seoul.by_weekday[5] == 1  # 31 December 2022 was a Saturday in Seoul


def test_a_commit_at_2330_on_december_31_west_of_utc_is_january_1_in_utc() -> None:
    late = datetime(2022, 12, 31, 23, 30, tzinfo=LOS_ANGELES)
    assert late.astimezone(UTC).date() == date(2023, 1, 1)
    calendar = {date(2022, 12, 30): 1, date(2023, 1, 1): 1}
    commits = [(datetime(2022, 12, 30, 12, 0, tzinfo=LOS_ANGELES), False), (late, False)]

    real = real_contribution_days(calendar, commits, year=2022, tz=LOS_ANGELES)

    assert real == {date(2022, 12, 30): 1, date(2022, 12, 31): 1}
    assert streaks(real, 2022).at_end == DayRun(date(2022, 12, 30), date(2022, 12, 31))
    assert rhythm([late], real, LOS_ANGELES).by_hour[23] == 1


def test_contributions_without_times_stay_on_githubs_day_and_never_go_negative() -> None:
    # The calendar has a pull request on 3 March and counts one commit fewer than were read on
    # 4 March (a commit GitHub does not credit).
    calendar = {date(2022, 3, 3): 2, date(2022, 3, 4): 1}
    commits = [
        (datetime(2022, 3, 3, 10, tzinfo=UTC), True),
        (datetime(2022, 3, 4, 10, tzinfo=UTC), False),
        (datetime(2022, 3, 4, 11, tzinfo=UTC), False),
    ]

    real = real_contribution_days(calendar, commits, year=2022, tz=UTC)

    assert real == {date(2022, 3, 3): 1, date(2022, 3, 4): 2}


# --- rhythm -----------------------------------------------------------------------------------


def test_rhythm_counts_weekdays_and_hours_in_the_report_zone() -> None:
    times = [
        datetime(2022, 3, 7, 9, 15, tzinfo=SEOUL),  # Monday 09h
        datetime(2022, 3, 7, 0, 15, tzinfo=UTC),  # Monday 09h in Seoul, written +00:00
        datetime(2022, 3, 12, 23, 0, tzinfo=timezone(timedelta(hours=-5))),  # Sunday 13h Seoul
        datetime(2022, 3, 9, 14, 0),  # no offset at all
    ]

    found = rhythm(times, {}, SEOUL)

    assert found.by_weekday == (2, 0, 0, 0, 0, 0, 1)
    assert found.by_hour[9] == 2 and found.by_hour[13] == 1 and sum(found.by_hour) == 3
    assert (found.commits, found.unplaced, found.zero_offset) == (3, 1, 1)
    # In UTC a +00:00 offset is what the zone says anyway: nothing to flag.
    assert rhythm(times, {}, UTC).zero_offset == 0
    assert found.busiest_day is None and found.busiest_month is None


def test_busiest_day_and_month_come_from_real_contributions_per_day() -> None:
    real = {
        date(2022, 2, 1): 4,
        date(2022, 2, 20): 4,  # ties with 1 February: the earlier day wins
        date(2022, 5, 3): 3,
        date(2022, 5, 4): 5,
        date(2022, 5, 30): 0,
        date(2022, 11, 1): 8,  # alone, as much as February and May each
    }

    found = rhythm([], real, UTC)

    assert found.busiest_day is not None
    assert (found.busiest_day.day, found.busiest_day.count) == (date(2022, 11, 1), 8)
    months = {"2022-02": 8, "2022-05": 8, "2022-11": 8}
    assert found.busiest_month is not None
    assert found.busiest_month.count == max(months.values())
    assert found.busiest_month.month == "2022-02"  # equal months: the earliest
    smaller = rhythm([], {d: n for d, n in real.items() if d.month != 11}, UTC)
    assert smaller.busiest_day is not None and smaller.busiest_day.day == date(2022, 5, 4)


# --- first contributions ----------------------------------------------------------------------


def pr(repository: str, number: int, created: datetime, merged: datetime | None) -> PullRequest:
    return PullRequest(
        repository=repository,
        number=number,
        title=f"change {number}",
        url=f"https://github.com/{repository}/pull/{number}",
        state="MERGED" if merged else "OPEN",
        created_at=created,
        merged_at=merged,
    )


def firsts() -> dict[str, FirstPullRequest]:
    late = pr(
        "acme/rocket", 7, datetime(2022, 12, 20, tzinfo=UTC), datetime(2023, 1, 5, tzinfo=UTC)
    )
    old_closed = pr("lib/json", 1, datetime(2021, 3, 1, tzinfo=UTC), None)
    old_merged = pr(
        "lib/json", 9, datetime(2021, 11, 1, tzinfo=UTC), datetime(2022, 2, 2, tzinfo=UTC)
    )
    # 1 January 01:00 in Seoul, still 2021 in UTC
    new_year = pr(
        "tiny/tool", 3, datetime(2021, 12, 31, 16, tzinfo=UTC), datetime(2022, 1, 2, tzinfo=UTC)
    )
    veteran = pr(
        "big/framework", 2, datetime(2019, 1, 1, tzinfo=UTC), datetime(2019, 2, 1, tzinfo=UTC)
    )
    own = pr("kim/dotfiles", 1, datetime(2022, 3, 3, tzinfo=UTC), datetime(2022, 3, 3, tzinfo=UTC))
    work = pr("kim-corp/api", 4, datetime(2022, 4, 4, tzinfo=UTC), datetime(2022, 4, 5, tzinfo=UTC))
    return {
        "acme/rocket": FirstPullRequest("acme/rocket", late, late),
        "lib/json": FirstPullRequest(
            "lib/json", old_closed, old_merged, first_merged_certain=False
        ),
        "tiny/tool": FirstPullRequest("tiny/tool", new_year, new_year),
        "big/framework": FirstPullRequest("big/framework", veteran, veteran),
        "nothing/found": FirstPullRequest("nothing/found", None, None),
        "kim/dotfiles": FirstPullRequest("kim/dotfiles", own, own),
        "kim-corp/api": FirstPullRequest("kim-corp/api", work, work),
    }


def test_a_first_pull_request_opened_in_the_year_and_merged_the_next() -> None:
    in_2022 = first_contributions(firsts(), 2022, SEOUL, user="kim", own_organizations=["kim-corp"])
    in_2023 = first_contributions(firsts(), 2023, SEOUL, user="kim", own_organizations=["kim-corp"])

    assert [c.repository for c in in_2022.opened] == ["tiny/tool", "acme/rocket"]
    assert [c.repository for c in in_2022.merged] == ["tiny/tool", "lib/json"]
    assert in_2022.projects == ("tiny/tool", "lib/json")
    assert in_2022.uncertain == ("lib/json",)
    assert [c.repository for c in in_2023.opened] == []
    assert [c.repository for c in in_2023.merged] == ["acme/rocket"]
    rocket = in_2023.merged[0]
    assert (rocket.number, rocket.at) == (7, datetime(2023, 1, 5, 9, tzinfo=SEOUL))


def test_first_contributions_use_the_report_zone_for_the_year() -> None:
    in_utc = first_contributions(firsts(), 2022, UTC, user="kim", own_organizations=["kim-corp"])

    # tiny/tool's first pull request was opened on 31 December 2021 in UTC.
    assert [c.repository for c in in_utc.opened] == ["acme/rocket"]
    assert "tiny/tool" in in_utc.projects  # merged on 2 January either way


def test_own_repositories_and_organisations_are_not_first_contributions() -> None:
    found = first_contributions(firsts(), 2022, UTC, user="KIM", own_organizations=["Kim-Corp"])

    names = {c.repository for c in (*found.opened, *found.merged)}
    assert not names & {"kim/dotfiles", "kim-corp/api"}
    assert external_repositories(
        ["kim/a", "Acme/Rocket", "acme/rocket", "kim-corp/b", "x/y"],
        user="kim",
        own_organizations=["kim-corp"],
    ) == ("Acme/Rocket", "x/y")


# --- reviews and issues given to other people's projects ---------------------------------------


def test_reviews_and_issues_are_grouped_by_project_top_five() -> None:
    reviews = {"a/one": 9, "b/two": 2, "c/three": 1, "kim/own": 40, "d/four": 1, "A/One": 1}
    issues = {"b/two": 5, "e/five": 3, "f/six": 1, "kim-corp/x": 7, "g/seven": 0}

    found = given_to_others(reviews, issues, user="kim", own_organizations=["kim-corp"])

    assert (found.reviews, found.issues) == (9 + 2 + 1 + 1 + 1, 5 + 3 + 1)
    assert found.projects == 6  # a/one, b/two, c/three, d/four, e/five, f/six
    assert [(p.repository, p.reviews, p.issues) for p in found.top] == [
        ("a/one", 10, 0),
        ("b/two", 2, 5),
        ("e/five", 0, 3),
        ("c/three", 1, 0),  # one review beats one issue, then the name decides
        ("d/four", 1, 0),
    ]
    assert given_to_others({}, {}, user="kim").top == ()


# --- releases shipped -------------------------------------------------------------------------


def test_one_version_on_github_and_pypi_counts_once() -> None:
    github = [
        ("kim/optim", "v2.0.0", datetime(2022, 3, 1, 10, tzinfo=UTC)),
        ("kim/optim", "v2.1.0", datetime(2022, 6, 1, 10, tzinfo=UTC)),
        ("kim/optim", "optim-v2.2.0", datetime(2022, 9, 1, tzinfo=UTC)),
        ("kim/optim", "v1.9.0", datetime(2021, 12, 30, tzinfo=UTC)),  # shipped last year
        ("kim/optim", "nightly", datetime(2022, 7, 7, tzinfo=UTC)),  # names no version
        ("kim/optim", "v3.0.0", None),  # GitHub gave no date
        ("kim/site", "2.0.0", datetime(2022, 4, 4, tzinfo=UTC)),  # another repository's 2.0.0
    ]
    pypi = [
        ("Optim", "2.0.0", datetime(2022, 3, 1, 10, 5, tzinfo=UTC)),
        ("optim", "2.1", datetime(2022, 5, 31, tzinfo=UTC)),  # on PyPI a day before GitHub
        ("optim", "2.2.0", datetime(2022, 9, 1, 1, tzinfo=UTC)),
        ("optim", "1.9.0", datetime(2022, 1, 2, tzinfo=UTC)),  # first shipped in 2021
        ("optim", "2.3.0rc1", datetime(2022, 11, 1, tzinfo=UTC)),
        ("helper", "2.0.0", datetime(2022, 8, 8, tzinfo=UTC)),  # not linked to a repository
        ("optim", "0.1.0", datetime(2020, 1, 1, tzinfo=UTC)),
    ]

    found = releases_shipped(github, pypi, {"optim": "Kim/Optim"}, 2022, UTC)

    shipped = {(v.repository or v.package, v.version, v.on_github, v.on_pypi) for v in found.items}
    assert shipped == {
        ("kim/optim", "2.0.0", True, True),
        ("kim/optim", "2.1.0", True, True),
        ("kim/optim", "2.2.0", True, True),
        ("kim/optim", "nightly", True, False),
        ("Kim/Optim", "2.3.0rc1", False, True),
        ("kim/site", "2.0.0", True, False),
        ("helper", "2.0.0", False, True),
    }
    assert (found.total, found.github, found.pypi, found.both) == (7, 5, 5, 3)
    by_version = {(v.repository, v.version): v for v in found.items}
    assert by_version[("kim/optim", "2.1.0")].published_at == datetime(2022, 5, 31, tzinfo=UTC)
    assert [v.published_at for v in found.items] == sorted(v.published_at for v in found.items)


def test_a_version_counts_in_the_year_of_its_first_publication_in_the_report_zone() -> None:
    # Published 31 December 2022 at 20:00 UTC: already 1 January 2023 in Seoul.
    github = [("kim/optim", "v1.0.0", datetime(2022, 12, 31, 20, tzinfo=UTC))]

    assert releases_shipped(github, [], {}, 2022, UTC).total == 1
    assert releases_shipped(github, [], {}, 2022, SEOUL).total == 0
    assert releases_shipped(github, [], {}, 2023, SEOUL).items[0].published_at.year == 2023


@pytest.mark.parametrize(
    ("tag", "version"),
    [
        ("v1.2.3", "1.2.3"),
        ("1.2.3", "1.2.3"),
        ("V2.0", "2.0"),
        ("pytorch_optimizer-v2.0.1", "2.0.1"),
        ("release/1.4", "1.4"),
        ("pkg@3.0.0", "3.0.0"),
        ("1.0.0-beta", "1.0.0b0"),
        ("nightly", None),
    ],
)
def test_tags_name_pep_440_versions(tag: str, version: str | None) -> None:
    parsed = tag_version(tag)
    assert (str(parsed) if parsed is not None else None) == version


# --- downloads in the year --------------------------------------------------------------------


def test_downloads_in_the_year_add_up_the_years_complete_months() -> None:
    optim = {"2021-12": 900, "2022-07": 1000, "2022-08": 1200, "2022-09": 1100}
    helper = {"2022-09": 40}
    found = downloads_in_year(
        [
            ("optim", optim, "pypistats.org"),
            ("helper", helper, "download store (pypistats.org)"),
            ("empty", {"2021-05": 3}, "pypistats.org"),
        ],
        2022,
    )

    assert found.total == 1000 + 1200 + 1100 + 40
    assert [(p.package, p.downloads, p.months, p.source) for p in found.packages] == [
        ("optim", 3300, ("2022-07", "2022-08", "2022-09"), "pypistats.org"),
        ("helper", 40, ("2022-09",), "download store (pypistats.org)"),
        ("empty", None, (), None),
    ]
    assert downloads_in_year([], 2022).total is None


# --- the JSON block ---------------------------------------------------------------------------


def test_the_highlights_json_is_the_model_and_follows_its_generated_schema() -> None:
    schema = msgspec.json.schema(Highlights)
    real = {date(2022, 1, 30): 2, date(2022, 1, 31): 1, date(2022, 2, 1): 3, date(2022, 12, 31): 1}
    highlights = Highlights(
        streaks=streaks(real, 2022),
        rhythm=rhythm([datetime(2022, 2, 1, 9, tzinfo=SEOUL)], real, SEOUL),
        first_contributions=first_contributions(firsts(), 2022, SEOUL, user="kim"),
        given_to_others=given_to_others({"a/b": 2}, {"c/d": 1}, user="kim"),
        releases=releases_shipped(
            [("kim/optim", "v1.0.0", datetime(2022, 5, 1, tzinfo=UTC))],
            [("optim", "1.0.0", datetime(2022, 5, 1, tzinfo=UTC))],
            {"optim": "kim/optim"},
            2022,
            SEOUL,
        ),
        downloads=downloads_in_year([("optim", {"2022-05": 10}, "pypistats.org")], 2022),
    )
    full = json.loads(msgspec.json.encode(highlights))
    jsonschema.validate(full, schema)
    jsonschema.validate(json.loads(msgspec.json.encode(Highlights())), schema)
    assert full["streaks"]["longest"] == {
        "start": "2022-01-30",
        "end": "2022-02-01",
        "days": 3,
    }
    item = full["releases"]["items"][0]
    assert (item["on_github"], item["on_pypi"]) == (True, True)
    assert full["first_contributions"]["merged"][0]["at"] == "2022-01-02T09:00:00+09:00"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**full, "rhythm": {**full["rhythm"], "by_hour": "0"}}, schema)
