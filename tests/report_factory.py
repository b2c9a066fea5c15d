"""Hand-built Reports for the rendering tests: small, fixed, and easy to reason about.

`sample_report()` is a year like the one the README describes: a daily Action commits once a
day, a few pull requests to other projects, one well-used package and one with unknown
downloads. Pass keyword arguments to replace any Report field.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from devstats.models import (
    CalendarDay,
    CommitSummary,
    ContributionTotals,
    Downloads,
    ExternalProject,
    ExternalPullRequests,
    PackageReport,
    PullRequest,
    Report,
    RepositoryCommits,
    Window,
)


def year_calendar(year: int, count_of_day: Any) -> tuple[CalendarDay, ...]:
    """One CalendarDay per day of `year`, the count given by `count_of_day(index, day)`."""
    first = date(year, 1, 1)
    days = (date(year, 12, 31) - first).days + 1
    return tuple(
        CalendarDay(first + timedelta(days=i), count_of_day(i, first + timedelta(days=i)))
        for i in range(days)
    )


def human_count(index: int, day: date) -> int:
    """A made-up but irregular pattern of hand-made contributions (0 on Sundays)."""
    return 0 if day.weekday() == 6 else (index * 7) % 9


def sample_calendar(year: int = 2022) -> tuple[CalendarDay, ...]:
    # Every day: the human pattern plus the one commit the daily Action pushes.
    return year_calendar(year, lambda i, d: human_count(i, d) + 1)


def automated_calendar(year: int = 2022) -> tuple[CalendarDay, ...]:
    return year_calendar(year, lambda i, d: 1)


def pull(repository: str, number: int, title: str, *, merged: bool, day: int) -> PullRequest:
    created = datetime(2022, 3, 1, tzinfo=UTC) + timedelta(days=day)
    return PullRequest(
        repository=repository,
        number=number,
        title=title,
        url=f"https://github.com/{repository}/pull/{number}",
        state="MERGED" if merged else "OPEN",
        created_at=created,
        merged_at=created + timedelta(days=2) if merged else None,
    )


def sample_external() -> ExternalPullRequests:
    projects = (
        ExternalProject(
            repository="huggingface/transformers",
            stars=120_345,
            total=2,
            merged=2,
            items=(
                pull("huggingface/transformers", 101, "Fix typo in docs", merged=True, day=3),
                pull("huggingface/transformers", 99, "Add optimizer", merged=True, day=1),
            ),
        ),
        ExternalProject(
            repository="pytorch/pytorch",
            stars=None,
            total=1,
            merged=0,
            items=(pull("pytorch/pytorch", 7, "Support | pipes in `names`", merged=False, day=5),),
        ),
    )
    return ExternalPullRequests(total=3, merged=2, projects=projects)


def sample_packages() -> tuple[PackageReport, ...]:
    monthly = {"2022-10": 1980, "2022-11": 2050, "2022-12": 2130}
    downloads = Downloads(
        total=41_600,
        last_month=2_130,
        monthly=monthly,
        window=Window(date(2022, 7, 4), date(2022, 12, 31)),
        source="pypistats.org",
        mirrors=False,
        total_window=Window(date(2021, 1, 1), date(2022, 12, 31)),
        last_month_window=Window(date(2022, 12, 1), date(2022, 12, 31)),
    )
    return (
        PackageReport(name="tiny_pkg", version=None, releases_in_year=None, downloads=None),
        PackageReport(
            name="pytorch_optimizer",
            version="2.0.1",
            releases_in_year=9,
            downloads=downloads,
            url="https://pypi.org/project/pytorch_optimizer/",
        ),
    )


def sample_report(**changes: Any) -> Report:
    calendar = sample_calendar()
    automated = automated_calendar()
    total = sum(day.count for day in calendar)
    automated_total = sum(day.count for day in automated)
    commits = CommitSummary(
        total=1_665,
        automated=365,
        human=1_300,
        automated_by_reason={"scheduled-cadence": 353, "bot-account": 12},
        by_repository=(
            RepositoryCommits("kozistr/kozistr", 365, 365, 0, {"scheduled-cadence": 353}),
            RepositoryCommits("kozistr/pytorch_optimizer", 1_300, 0, 1_300),
        ),
    )
    report = Report(
        user="kozistr",
        year=2022,
        timezone="Asia/Seoul",
        generated_at=datetime(2023, 1, 2, 9, 0, tzinfo=UTC),
        contributions=ContributionTotals(
            total=total,
            commits=1_665,
            pull_requests=3,
            issues=4,
            reviews=5,
            restricted=0,
        ),
        calendar=calendar,
        automated_calendar=automated,
        commits=commits,
        classified_commits=(),
        external_pull_requests=sample_external(),
        packages=sample_packages(),
        warnings=("pypistats.org keeps 180 days; older months come from the local history",),
    )
    assert automated_total == 365
    return replace(report, **changes)


def previous_report(**changes: Any) -> Report:
    """A 2021 report for --compare: contributions close to 2022's, fewer real commits."""
    this_year = sample_report()
    last = replace(
        this_year,
        year=2021,
        calendar=year_calendar(2021, lambda i, d: 4),
        automated_calendar=(),
        contributions=replace(this_year.contributions, total=1_600),
        commits=CommitSummary(
            total=940, automated=0, human=940, automated_by_reason={}, by_repository=()
        ),
        external_pull_requests=ExternalPullRequests(total=0, merged=0, projects=()),
        packages=(
            replace(
                this_year.packages[1],
                version="1.2.0",
                downloads=replace(this_year.packages[1].downloads, total=12_000),  # type: ignore[arg-type]
            ),
        ),
        warnings=(),
    )
    return replace(last, **changes)
