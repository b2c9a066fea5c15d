"""Hand-built Reports for the rendering tests: small, fixed, and easy to reason about.

`sample_report()` is a year like the one the README describes: a daily Action commits once a
day, three projects (the first linked to a well-used package), three languages, a few pull
requests to other projects, and a second package with unknown downloads. Pass keyword arguments
to replace any Report field.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

import msgspec

from devstats.model.downloads import PYPISTATS, Provenance
from devstats.model.facts import (
    CommitCounts,
    CommitSummary,
    Downloads,
    ExternalProject,
    ExternalPullRequests,
    LanguageShare,
    PackageReport,
    ProjectOfYear,
    PullRequest,
    RepositoryCommits,
    Window,
)
from devstats.model.notices import notice
from devstats.model.report import (
    CalendarEntry,
    ContributionFigures,
    ExternalCounts,
    PackageTotal,
    PreviousYear,
    PullRequestCounts,
    PullRequests,
    Report,
)

T = TypeVar("T")


def replace(item: T, **changes: Any) -> T:
    """A copy with fields changed, for the report's structs and the dataclasses alike."""
    if isinstance(item, msgspec.Struct):
        return msgspec.structs.replace(item, **changes)
    return dataclasses.replace(item, **changes)  # type: ignore[type-var]


def year_calendar(
    year: int, count_of_day: Any, automated_of_day: Any = lambda i, d: 0
) -> tuple[CalendarEntry, ...]:
    """One entry per day of `year`: its count and automated commits from the two functions
    of (index, day)."""
    first = date(year, 1, 1)
    days = [first + timedelta(days=i) for i in range((date(year, 12, 31) - first).days + 1)]
    return tuple(
        CalendarEntry(day=d, count=count_of_day(i, d), automated=automated_of_day(i, d))
        for i, d in enumerate(days)
    )


def human_count(index: int, day: date) -> int:
    """A made-up but irregular pattern of hand-made contributions (0 on Sundays)."""
    return 0 if day.weekday() == 6 else (index * 7) % 9


def sample_calendar(year: int = 2022) -> tuple[CalendarEntry, ...]:
    # Every day: the human pattern plus the one commit the daily Action pushes.
    return year_calendar(year, lambda i, d: human_count(i, d) + 1, lambda i, d: 1)


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
        mirrors=False,
        total_window=Window(date(2021, 1, 1), date(2022, 12, 31)),
        last_month_window=Window(date(2022, 12, 1), date(2022, 12, 31)),
        monthly_from=(Provenance(PYPISTATS, months=tuple(monthly)),),
        missing_months={
            **{f"2022-{m:02d}": "unknown" for m in (1, 2, 3, 4, 5, 7, 8, 9)},
            "2022-06": "partial",
        },
    )
    return (
        PackageReport(
            name="tiny_pkg", url=None, version=None, releases_in_year=None, downloads=None
        ),
        PackageReport(
            name="pytorch_optimizer",
            url="https://pypi.org/project/pytorch_optimizer/",
            version="2.0.1",
            releases_in_year=9,
            downloads=downloads,
        ),
    )


# Real commits per repository (the human figures of `sample_report().commits.by_repository`).
HUMAN_BY_REPOSITORY = {
    "kozistr/pytorch_optimizer": 870,
    "kozistr/kozistr.github.io": 390,
    "kozistr/catboost-server-rs": 40,
}


def sample_projects() -> tuple[ProjectOfYear, ...]:
    return (
        ProjectOfYear(
            repository="kozistr/pytorch_optimizer",
            title="pytorch_optimizer",
            description="optimizer & lr scheduler collections in PyTorch",
            language="Python",
            url="https://github.com/kozistr/pytorch_optimizer",
            stars=135,
            stars_gained=97,
            human_commits=870,
            releases_in_year=7,
            release_tags=("v0.3.0", "v0.4.0", "v0.5.0", "v1.0.0", "v1.1.0", "v2.0.0", "v2.0.1"),
            # Spelt unlike the report's package on purpose: linking goes by the PEP 503 name.
            package="pytorch-optimizer",
            notes="Plans for 2023: more <optimizers> & [docs]\n\n- and *tests*",
            stars_at_year_end=121,  # 14 stars given since the end of 2022
        ),
        ProjectOfYear(
            repository="kozistr/kozistr.github.io",
            title="Blog",
            description="my tech blog, built with Gatsby.",
            language="JavaScript",
            url=None,
            stars=12,
            stars_gained=3,
            human_commits=390,
            releases_in_year=0,
            release_tags=(),
            package=None,
            notes=None,
            stars_at_year_end=12,
        ),
        ProjectOfYear(
            repository="kozistr/catboost-server-rs",
            title="catboost-server-rs",
            description=None,
            language="Rust",
            url="https://github.com/kozistr/catboost-server-rs",
            stars=8,
            stars_gained=None,
            human_commits=40,
            releases_in_year=2,
            release_tags=("v0.1.0", "v0.2.0"),
            package=None,
            notes=None,
        ),
    )


def shares(counts: dict[str, int]) -> tuple[LanguageShare, ...]:
    """Language shares from commit counts, largest first (as the classifier orders them)."""
    total = sum(counts.values())
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return tuple(LanguageShare(name, n, n / total) for name, n in ordered)


def sample_languages() -> tuple[LanguageShare, ...]:
    # 870 / 390 / 40 of 1,300: 66.92 %, 30 %, 3.08 %, shown as 67 %, 30 %, 3 %.
    return shares({"Python": 870, "JavaScript": 390, "Rust": 40})


def unknown_contributions() -> ContributionFigures:
    """Contributions whose every figure is unknown (the calendar could not be read)."""
    return ContributionFigures(
        total=None,
        commits=None,
        pull_requests=None,
        issues=None,
        reviews=None,
        restricted=None,
        human=None,
    )


def sample_report(**changes: Any) -> Report:
    calendar = sample_calendar()
    total = sum(day.count for day in calendar)
    commits = CommitSummary(
        total=1_665,
        automated=365,
        human=1_300,
        automated_by_reason={"scheduled-cadence": 353, "bot-account": 12},
        by_repository=(
            RepositoryCommits(
                "kozistr/kozistr", 365, 365, 0, {"scheduled-cadence": 353, "bot-account": 12}
            ),
            *(RepositoryCommits(r, n, 0, n) for r, n in HUMAN_BY_REPOSITORY.items()),
        ),
    )
    notices = (
        notice("downloads-month-partial", package="pytorch_optimizer", months="2022-06"),
        notice("stars-lower-bound", repository="kozistr/pytorch_optimizer", year="2022"),
    )
    report = Report(
        user="kozistr",
        year=2022,
        timezone="Asia/Seoul",
        generated_at=datetime(2023, 1, 2, 9, 0, tzinfo=UTC),
        contributions=ContributionFigures(
            total=total,
            commits=1_665,
            pull_requests=3,
            issues=4,
            reviews=5,
            restricted=0,
            human=total - commits.automated,
        ),
        calendar=calendar,
        commits=commits,
        pull_requests=PullRequests(external=sample_external()),
        packages=sample_packages(),
        projects=sample_projects(),
        languages=sample_languages(),
        new_languages=(),
        highlights=None,
        warnings=tuple(n.message for n in notices),
        notices=notices,
    )
    assert sum(day.automated for day in calendar) == 365
    if "notices" in changes:
        changes.setdefault("warnings", tuple(n.message for n in changes["notices"]))
    return replace(report, **changes)


def previous_report(**changes: Any) -> PreviousYear:
    """2021's figures for --compare: contributions close to 2022's, fewer real commits, every
    commit retrieved."""
    this_year = sample_report()
    last = PreviousYear(
        year=2021,
        contributions=replace(this_year.contributions, total=1_600, commits=940, human=1_600),
        commits=CommitCounts(total=940, automated=0, human=940),
        pull_requests=PullRequestCounts(external=ExternalCounts(total=0, merged=0, projects=0)),
        packages=(PackageTotal(name="pytorch_optimizer", version="1.2.0", downloads_total=12_000),),
    )
    return replace(last, **changes)
