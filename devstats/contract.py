"""The public JSON contract of a report (`--format json`).

Keys are added, never renamed; `schema_version` changes when they are. The JSON Schema that
describes this shape ships in the package (`devstats/schema/report.schema.json`).
"""

from __future__ import annotations

import json
from datetime import datetime
from importlib import resources
from typing import Any

from devstats.models import (
    SCHEMA_VERSION,
    Downloads,
    ExternalPullRequests,
    PackageReport,
    PullRequest,
    Report,
)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None


def _pull_request(pr: PullRequest) -> dict[str, Any]:
    return {
        "number": pr.number,
        "title": pr.title,
        "url": pr.url,
        "state": pr.state,
        "created_at": _iso(pr.created_at),
        "merged_at": _iso(pr.merged_at),
    }


def _external(external: ExternalPullRequests) -> dict[str, Any]:
    return {
        "total": external.total,
        "merged": external.merged,
        "projects": [
            {
                "repository": p.repository,
                "stars": p.stars,
                "total": p.total,
                "merged": p.merged,
                "items": [_pull_request(pr) for pr in p.items],
            }
            for p in external.projects
        ],
    }


def _downloads(d: Downloads | None) -> dict[str, Any] | None:
    if d is None:
        return None
    return {
        "total": d.total,
        "last_month": d.last_month,
        "monthly": dict(sorted(d.monthly.items())),
        "window": d.window.to_json() if d.window else None,
        "total_window": d.total_window.to_json() if d.total_window else None,
        "last_month_window": d.last_month_window.to_json() if d.last_month_window else None,
        "source": d.source,
        "mirrors": d.mirrors,
    }


def _package(p: PackageReport) -> dict[str, Any]:
    return {
        "name": p.name,
        "url": p.url,
        "version": p.version,
        "releases_in_year": p.releases_in_year,
        "downloads": _downloads(p.downloads),
    }


def _contributions(report: Report) -> dict[str, int | None]:
    c = report.contributions
    return {
        "total": c.total,
        "commits": c.commits,
        "pull_requests": c.pull_requests,
        "issues": c.issues,
        "reviews": c.reviews,
        "restricted": c.restricted,
        # the contributions left once automated commits are taken out ("real work")
        "human": c.total - report.commits.automated if c.total is not None else None,
    }


def summary_to_json(report: Report) -> dict[str, Any]:
    """The headline figures of a report (used for the previous year under --compare)."""
    return {
        "year": report.year,
        "contributions": _contributions(report),
        "commits": {
            "total": report.commits.total,
            "automated": report.commits.automated,
            "human": report.commits.human,
        },
        "pull_requests": {
            "external": {
                "total": report.external_pull_requests.total,
                "merged": report.external_pull_requests.merged,
                "projects": len(report.external_pull_requests.projects),
            }
        },
        "packages": [
            {
                "name": p.name,
                "version": p.version,
                "downloads_total": p.downloads.total if p.downloads else None,
            }
            for p in report.packages
        ],
    }


def report_to_json(report: Report) -> dict[str, Any]:
    automated_by_day = {d.day: d.count for d in report.automated_calendar}
    document: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "user": report.user,
        "year": report.year,
        "timezone": report.timezone,
        "generated_at": _iso(report.generated_at),
        "contributions": _contributions(report),
        "calendar": [
            {
                "date": d.day.isoformat(),
                "count": d.count,
                "automated": automated_by_day.get(d.day, 0),
            }
            for d in report.calendar
        ],
        "commits": {
            "total": report.commits.total,
            "automated": report.commits.automated,
            "human": report.commits.human,
            "automated_by_reason": dict(report.commits.automated_by_reason),
            "by_repository": [
                {
                    "repository": r.repository,
                    "total": r.total,
                    "automated": r.automated,
                    "human": r.human,
                    "automated_by_reason": dict(r.automated_by_reason),
                }
                for r in report.commits.by_repository
            ],
        },
        "pull_requests": {"external": _external(report.external_pull_requests)},
        "packages": [_package(p) for p in report.packages],
        "projects": [p.to_json() for p in report.projects],
        "languages": [lang.to_json() for lang in report.languages],
        "new_languages": list(report.new_languages),
        # `warnings` keeps the English sentences it always had; `notices` adds codes and params.
        "warnings": [n.message for n in report.warnings],
        "notices": [n.to_json() for n in report.warnings],
    }
    if report.previous is not None:
        document["previous"] = summary_to_json(report.previous)
    document.update(report.extra)
    return document


def dumps(report: Report) -> str:
    return json.dumps(report_to_json(report), indent=2, ensure_ascii=False) + "\n"


def load_schema() -> dict[str, Any]:
    text = resources.files("devstats").joinpath("schema/report.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema
