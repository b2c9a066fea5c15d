"""One year's figures, classified and not yet assembled: what `run/make.py` hands to
`assemble.py`, for the report's year and (with --compare) the year before it."""

from __future__ import annotations

from dataclasses import dataclass

from devstats.model.facts import (
    ClassifiedCommit,
    CommitSummary,
    ExternalPullRequests,
    GitHubActivity,
    LanguageShare,
)


@dataclass(frozen=True)
class YearFigures:
    """One year's GitHub activity with its commits classified: what both the report and
    --compare are made of."""

    year: int
    activity: GitHubActivity
    classified: tuple[ClassifiedCommit, ...]
    commits: CommitSummary
    external: ExternalPullRequests
    languages: tuple[LanguageShare, ...]
