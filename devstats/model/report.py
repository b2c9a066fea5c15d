"""The report: one typed model of a user's year.

The JSON of `--format json` is this model serialized field by field, and its JSON Schema
(`devstats/schema/report.schema.json`) is written from it by `python scripts/generate_schema.py`;
the templates read it through `devstats/render/views/context.py`. Keys are added, never renamed;
`SCHEMA_VERSION` changes when they are. docs/definitions.md defines every figure.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import msgspec

from devstats.model.events import Received
from devstats.model.facts import (
    CommitCounts,
    CommitSummary,
    ExternalPullRequests,
    LanguageShare,
    Notice,
    PackageReport,
    ProjectOfYear,
)
from devstats.model.highlights import Highlights
from devstats.model.local_time import LocalZone

SCHEMA_VERSION = "1.4"  # 1.1 added `notices`; 1.2, 1.3 and 1.4 see docs/decisions.md


class ContributionFigures(msgspec.Struct, frozen=True, kw_only=True):
    """The profile calendar's figures for the year, and the share of them that was real work:
    GitHub's `Contributions` (devstats/model/facts.py) as the report states them."""

    total: int | None
    commits: int | None
    pull_requests: int | None
    issues: int | None
    reviews: int | None
    restricted: int | None
    # the calendar's total minus the automated commits ("real work")
    human: int | None


class CalendarEntry(msgspec.Struct, frozen=True, kw_only=True):
    """One day of the profile calendar, and how many of its commits were automated."""

    day: dt.date = msgspec.field(name="date")
    count: int
    automated: int


class PullRequests(msgspec.Struct, frozen=True, kw_only=True):
    external: ExternalPullRequests


class ExternalCounts(msgspec.Struct, frozen=True, kw_only=True):
    """`ExternalPullRequests` with its projects counted, not listed (the previous year's)."""

    total: int
    merged: int
    projects: int


class PullRequestCounts(msgspec.Struct, frozen=True, kw_only=True):
    external: ExternalCounts


class PackageTotal(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    version: str | None
    downloads_total: int | None


class PreviousYear(msgspec.Struct, frozen=True, kw_only=True):
    """The previous year's figures that `--compare` prints, and nothing more."""

    year: int
    contributions: ContributionFigures
    commits: CommitCounts
    pull_requests: PullRequestCounts
    packages: tuple[PackageTotal, ...]


class Report(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """A user's calendar year. `previous` is present only with --compare."""

    schema_version: str = SCHEMA_VERSION
    user: str
    year: int
    timezone: str
    generated_at: dt.datetime
    contributions: ContributionFigures
    calendar: tuple[CalendarEntry, ...]
    commits: CommitSummary
    pull_requests: PullRequests
    packages: tuple[PackageReport, ...]
    projects: tuple[ProjectOfYear, ...]
    languages: tuple[LanguageShare, ...]
    # languages with real commits this year and none the year before (with --compare)
    new_languages: tuple[str, ...]
    # streaks, rhythm, first contributions, help given, releases, downloads (docs/definitions.md)
    highlights: Highlights | None
    # the English sentences of `notices`, kept for readers of schema 1.0
    warnings: tuple[str, ...]
    notices: tuple[Notice, ...]
    previous: PreviousYear | None = None
    # what others did with the user's projects, and where the user's work went
    # (docs/definitions.md, "What others did with my work"); absent when not made
    received: Received | None = None
    # how `timezone` was decided: given, or inferred from the offsets of how many commits
    time_zone: LocalZone | None = None


def to_json(report: Report) -> str:
    """The report as the JSON document of `--format json`."""
    # omit_defaults would drop schema_version too; it is always written.
    document: dict[str, Any] = {"schema_version": report.schema_version}
    document.update(msgspec.to_builtins(report))
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def json_schema() -> dict[str, Any]:
    """The JSON Schema of `to_json`'s documents, generated from the model."""
    # Through JSON, so a tuple default reads as the list a loaded schema file holds.
    schema: dict[str, Any] = json.loads(msgspec.json.encode(msgspec.json.schema(Report)))
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "devstats report"
    report = schema["$defs"]["Report"]
    # Written even though it has a default (see to_json).
    report["required"] = ["schema_version", *report.get("required", [])]
    return schema
