"""Shape a Report into what a template needs: formatted and exact numbers, sorted lists, labels.

Templates only loop and substitute (docs/templates.md lists every key). Every string that came
from upstream is escaped here and marked `SafeMarkdown`; the unescaped originals are under the
`raw` keys, and the renderer escapes them should a template print one. The packages, projects
and the year-over-year figures are shaped in their own modules (packages.py, projects.py,
compare.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from devstats.model.errors import UsageError
from devstats.model.facts import CommitSummary, ExternalProject, Notice, PullRequest
from devstats.model.package_names import normalize
from devstats.model.report import Report
from devstats.render import numbers
from devstats.render.escape import (
    SafeMarkdown,
    escape_markdown,
    github_url,
    markdown_link,
    safe_url,
)
from devstats.render.figures import Figure, figure
from devstats.render.picture_tags import light_and_dark, picture_html
from devstats.render.views.compare import compare_context, delta
from devstats.render.views.highlights import highlights_context
from devstats.render.views.packages import dotted, packages_context
from devstats.render.views.projects import languages_context, linked_packages, projects_context
from devstats.render.views.received import received_view
from devstats.render.words.labels import BY_CODE, LANGUAGES, Language

__all__ = [
    "Figure",
    "build_context",
    "delta",
    "figure",
    "notice_text",
]

EXCLUDED = "excluded-repository"  # the one reason that says nothing about who typed a commit


def build_context(
    report: Report, *, lang: str, assets: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Everything a template may use, precomputed. See docs/templates.md for the keys."""
    if lang not in BY_CODE:
        raise UsageError(f"unknown language {lang!r}", hint=f"choose one of {', '.join(LANGUAGES)}")
    language = BY_CODE[lang]
    assets = assets or {}
    packages = packages_context(report, language, assets)
    by_name = {normalize(p["raw"]["name"]): p for p in packages}
    linked = linked_packages(report)
    other_packages = [p for p in packages if normalize(p["raw"]["name"]) not in linked]
    year_over = _year_over(report)
    return {
        "lang": lang,
        "user": escape_markdown(report.user),
        "user_url": safe_url(github_url(report.user, user=True)),
        "year": report.year,
        "year_over": year_over,
        "timezone": escape_markdown(report.timezone),
        "generated_on": SafeMarkdown(report.generated_at.date().isoformat()),
        "contributions": _contributions(report, language),
        "commits": _commits(report.commits, language),
        "projects": projects_context(report, language, by_name, year_over=year_over),
        "languages": languages_context(report, language),
        "external": _external(report, language),
        "packages": packages,
        "other_packages": other_packages,
        "packages_in_projects": len(other_packages) < len(packages),
        "picture": _picture(report, language, assets),
        "warnings": [notice_text(notice, language) for notice in report.notices],
        "notices": [_notice(notice, language) for notice in report.notices],
        "compare": compare_context(report, language),
        "highlights": highlights_context(
            report.highlights, year=report.year, timezone=report.timezone, language=language
        ),
        "received": received_view(report.received, year=report.year, language=language),
        "raw": {
            "user": report.user,
            "timezone": report.timezone,
            "warnings": list(report.warnings),
            "notices": list(report.notices),
            "report": report,
        },
    }


def _year_over(report: Report) -> bool:
    """Whether the year had ended, in the report's time zone, when the report was made."""
    try:
        zone = ZoneInfo(report.timezone)
    except (ValueError, KeyError):
        zone = ZoneInfo("UTC")
    made: datetime = report.generated_at
    return made.astimezone(zone).year > report.year


def notice_text(notice: Notice, language: Language) -> SafeMarkdown:
    """The notice said in `language`, every param escaped; the English message, escaped, for a
    code the language has no sentence for (or a sentence that needs a param the notice lacks).
    """
    wording = language.notices.get(notice.code)
    if wording is None:
        return escape_markdown(notice.message)
    shown = {name: _param(value, language) for name, value in notice.params.items()}
    try:
        return SafeMarkdown(wording.format(notice.params, shown))
    except (KeyError, IndexError, ValueError):
        return escape_markdown(notice.message)


def _param(value: str | int | None, language: Language) -> str:
    if isinstance(value, int):
        return figure(value, language).exact
    if value is None:
        return language.unknown
    return escape_markdown(value)


def _notice(notice: Notice, language: Language) -> dict[str, Any]:
    return {
        "code": escape_markdown(notice.code),
        "text": notice_text(notice, language),
        "message": escape_markdown(notice.message),
        "raw": {"code": notice.code, "message": notice.message, "params": dict(notice.params)},
    }


def _contributions(report: Report, language: Language) -> dict[str, Any]:
    totals = report.contributions
    return {
        "total": figure(totals.total, language),
        "human": figure(totals.human, language),
        "commits": figure(totals.commits, language),
        "pull_requests": figure(totals.pull_requests, language),
        "issues": figure(totals.issues, language),
        "reviews": figure(totals.reviews, language),
        "restricted": figure(totals.restricted, language),
    }


def _commits(summary: CommitSummary, language: Language) -> dict[str, Any]:
    excluded: list[dict[str, Any]] = []
    for code, count in sorted(summary.automated_by_reason.items(), key=lambda kv: (-kv[1], kv[0])):
        if count <= 0:
            continue
        reason = language.reason(code)
        count_text = figure(count, language)
        excluded.append(
            {
                "reason": escape_markdown(code),
                "label": SafeMarkdown(reason.label),
                "count": count_text,
                "text": SafeMarkdown(reason.phrase.format(n=count_text.exact)),
                "raw": {"reason": code},
            }
        )
    repositories = sorted(summary.by_repository, key=lambda r: (-r.human, -r.total, r.repository))
    return {
        "total": figure(summary.total, language),
        "automated": figure(summary.automated, language),
        "human": figure(summary.human, language),
        "automated_share": _share(summary.automated, summary.total),
        "excluded": excluded,
        "excluded_text": (
            SafeMarkdown(language.join([item["text"] for item in excluded])) if excluded else None
        ),
        "left_out_text": _left_out(excluded, language),
        "repositories": [
            {
                "name": escape_markdown(repo.repository),
                "link": markdown_link(repo.repository, github_url(repo.repository)),
                "total": figure(repo.total, language),
                "automated": figure(repo.automated, language),
                "human": figure(repo.human, language),
                "raw": {"name": repo.repository},
            }
            for repo in repositories
        ],
    }


def _left_out(excluded: list[dict[str, Any]], language: Language) -> SafeMarkdown | None:
    """What was taken out of the real work, named for what it is: commits not typed by hand
    (with their reasons), and commits in repositories the user excluded."""
    machine = [item for item in excluded if item["raw"]["reason"] != EXCLUDED]
    parts: list[str] = []
    if len(machine) == 1:
        only = machine[0]
        parts.append(language.left_out_single.format(n=only["count"].exact, label=only["label"]))
    elif machine:
        reasons = (
            ", ".join(item["text"] for item in machine)
            if language.code == "ko"
            else language.join([item["text"] for item in machine])
        )
        total = sum(item["count"].value for item in machine)
        parts.append(
            language.left_out_automated.format(n=figure(total, language).exact, reasons=reasons)
        )
    for item in excluded:
        if item["raw"]["reason"] == EXCLUDED:
            parts.append(language.left_out_excluded.format(n=item["count"].exact))
    return SafeMarkdown(language.join(parts)) if parts else None


def _share(part: int, whole: int) -> SafeMarkdown | None:
    text = numbers.percent(part, whole)
    return None if text is None else SafeMarkdown(text)


def _external(report: Report, language: Language) -> dict[str, Any]:
    external = report.pull_requests.external
    projects = sorted(
        external.projects,
        key=lambda p: (-p.merged, -p.total, -(p.stars or 0), p.repository.lower()),
    )
    return {
        "pull_requests": figure(external.total, language),
        "merged": figure(external.merged, language),
        "project_count": figure(len(projects), language),
        "projects": [_project(project, language) for project in projects],
    }


def _project(project: ExternalProject, language: Language) -> dict[str, Any]:
    url = github_url(project.repository)
    pulls = [
        _pull_request(pull, language)
        for pull in sorted(project.items, key=lambda p: (p.created_at, p.number))
    ]
    return {
        "name": escape_markdown(project.repository),
        "url": safe_url(url),
        "link": markdown_link(project.repository, url),
        "stars": figure(project.stars, language),
        "pull_requests": figure(project.total, language),
        "merged": figure(project.merged, language),
        "merged_text": _merged_text(project.merged, project.total, language),
        "pulls": pulls,
        "pulls_text": dotted(
            pull["link"] if pull["merged"] else SafeMarkdown(f"{pull['link']} ({pull['state']})")
            for pull in pulls
        ),
        "raw": {"name": project.repository, "url": url},
    }


def _merged_text(merged: int, total: int, language: Language) -> SafeMarkdown:
    if total == 1 and merged == 1:
        form = "one"
    else:
        form = "none" if merged == 0 else ("all" if merged == total else "some")
    shown = {"merged": figure(merged, language).exact, "total": figure(total, language).exact}
    return SafeMarkdown(language.merged[form].format(**shown))


def _pull_request(pull: PullRequest, language: Language) -> dict[str, Any]:
    return {
        "number": pull.number,
        "title": escape_markdown(pull.title),
        "url": safe_url(pull.url),
        "link": markdown_link(pull.title, pull.url),
        "state": escape_markdown(language.states.get(pull.state, pull.state.lower())),
        "merged": pull.merged_at is not None,
        "raw": {"title": pull.title, "url": pull.url, "state": pull.state},
    }


def _picture(
    report: Report, language: Language, assets: Mapping[str, str]
) -> dict[str, Any] | None:
    paths = light_and_dark(
        assets.get("heatmap-light") or assets.get("heatmap"), assets.get("heatmap-dark")
    )
    if paths is None:
        return None
    alt = language.picture_alt.format(user=report.user, year=report.year)
    return {
        "light": paths[0],
        "dark": paths[1],
        "alt": escape_markdown(alt),
        "markdown": SafeMarkdown(f"![{escape_markdown(alt)}]({paths[0]})"),
        "html": picture_html(paths, alt),
    }
