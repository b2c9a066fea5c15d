"""Assemble the report from what was collected and classified. Pure: no I/O, no rendering.

The one place where figures are combined: "real work" (contributions minus automated commits),
the automated commits of each calendar day, and the previous year's figures for --compare.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime

from devstats.model.facts import (
    CalendarDay,
    ClassifiedCommit,
    CommitCounts,
    CommitSummary,
    Contributions,
    Notice,
    PackageReport,
    ProjectOfYear,
)
from devstats.model.highlights import Highlights
from devstats.model.local_time import LocalZone
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
from devstats.model.year import YearFigures


def contributions(profile: Contributions, commits: CommitSummary) -> ContributionFigures:
    """The profile's figures, with "real work": the calendar's total minus automated commits."""
    total = profile.total
    return ContributionFigures(
        total=total,
        commits=profile.commits,
        pull_requests=profile.pull_requests,
        issues=profile.issues,
        reviews=profile.reviews,
        restricted=profile.restricted,
        human=None if total is None else total - commits.automated,
    )


def calendar(
    days: Sequence[CalendarDay], classified: Sequence[ClassifiedCommit]
) -> tuple[CalendarEntry, ...]:
    """The profile calendar, each day with its automated commits (author date, UTC day, as the
    profile buckets them)."""
    automated = Counter(
        c.commit.authored_at.astimezone(UTC).date() for c in classified if c.automated
    )
    return tuple(CalendarEntry(day=d.day, count=d.count, automated=automated[d.day]) for d in days)


def previous_year(figures: YearFigures, packages: Sequence[PackageTotal]) -> PreviousYear:
    """The figures --compare prints for the previous year, and nothing more."""
    external = figures.external
    return PreviousYear(
        year=figures.year,
        contributions=contributions(figures.activity.contributions, figures.commits),
        commits=CommitCounts(
            total=figures.commits.total,
            automated=figures.commits.automated,
            human=figures.commits.human,
        ),
        pull_requests=PullRequestCounts(
            external=ExternalCounts(
                total=external.total, merged=external.merged, projects=len(external.projects)
            )
        ),
        packages=tuple(packages),
    )


def assemble(
    figures: YearFigures,
    *,
    timezone: str,
    generated_at: datetime,
    time_zone: LocalZone | None = None,
    packages: Sequence[PackageReport],
    projects: Sequence[ProjectOfYear],
    new_languages: Sequence[str],
    notices: Sequence[Notice],
    previous: PreviousYear | None,
    highlights: Highlights | None = None,
) -> Report:
    activity = figures.activity
    return Report(
        user=activity.user,
        year=figures.year,
        timezone=timezone,
        generated_at=generated_at,
        contributions=contributions(activity.contributions, figures.commits),
        calendar=calendar(activity.contributions.calendar, figures.classified),
        commits=figures.commits,
        pull_requests=PullRequests(external=figures.external),
        packages=tuple(packages),
        projects=tuple(projects),
        languages=figures.languages,
        new_languages=tuple(new_languages),
        highlights=highlights,
        warnings=tuple(n.message for n in notices),
        notices=tuple(notices),
        previous=previous,
        time_zone=time_zone,
    )
