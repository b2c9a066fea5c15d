"""Shape a Report into what a template needs: formatted and exact numbers, sorted lists, labels.

Templates only loop and substitute (docs/templates.md lists every key). Every string that came
from upstream is escaped here and marked `SafeMarkdown`; the unescaped originals are under the
`raw` keys, and the renderer escapes them should a template print one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from urllib.parse import quote

from devstats.collect.pypi import normalize
from devstats.errors import UsageError
from devstats.models import (
    Downloads,
    ExternalProject,
    Notice,
    PackageReport,
    PullRequest,
    Window,
)
from devstats.render import numbers
from devstats.render.escape import (
    SafeMarkdown,
    escape_html,
    escape_markdown,
    github_url,
    markdown_link,
    safe_path,
    safe_url,
)
from devstats.render.figures import Figure, figure
from devstats.render.korean import particle
from devstats.render.labels import BY_CODE, LANGUAGES, Language
from devstats.render.pictures import package_slug
from devstats.render.projects import languages_context, linked_packages, projects_context
from devstats.report import Report

__all__ = [
    "Figure",
    "build_context",
    "delta",
    "figure",
    "notice_text",
]


def build_context(
    report: Report, *, lang: str, assets: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Everything a template may use, precomputed. See docs/templates.md for the keys."""
    if lang not in BY_CODE:
        raise UsageError(f"unknown language {lang!r}", hint=f"choose one of {', '.join(LANGUAGES)}")
    language = BY_CODE[lang]
    assets = assets or {}
    packages = [_package(report, package, language, assets) for package in _sorted(report)]
    by_name = {normalize(p["raw"]["name"]): p for p in packages}
    linked = linked_packages(report)
    other_packages = [p for p in packages if normalize(p["raw"]["name"]) not in linked]
    return {
        "lang": lang,
        "user": escape_markdown(report.user),
        "user_url": safe_url(github_url(report.user, user=True)),
        "year": report.year,
        "timezone": escape_markdown(report.timezone),
        "generated_on": SafeMarkdown(report.generated_at.date().isoformat()),
        "contributions": _contributions(report, language),
        "commits": _commits(report, language),
        "projects": projects_context(report, language, by_name),
        "languages": languages_context(report, language),
        "external": _external(report, language),
        "packages": packages,
        "other_packages": other_packages,
        "packages_in_projects": len(other_packages) < len(packages),
        "picture": _picture(report, language, assets),
        "warnings": [notice_text(notice, language) for notice in report.notices],
        "notices": [_notice(notice, language) for notice in report.notices],
        "compare": _compare(report, language),
        "raw": {
            "user": report.user,
            "timezone": report.timezone,
            "warnings": list(report.warnings),
            "notices": list(report.notices),
            "report": report,
        },
    }


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


def _commits(report: Report, language: Language) -> dict[str, Any]:
    summary = report.commits
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
        "pulls": pulls,
        "pulls_text": _dotted(
            pull["link"] if pull["merged"] else SafeMarkdown(f"{pull['link']} ({pull['state']})")
            for pull in pulls
        ),
        "raw": {"name": project.repository, "url": url},
    }


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


def _sorted(report: Report) -> list[PackageReport]:
    def downloads(package: PackageReport) -> int:
        total = package.downloads.total if package.downloads else None
        return -1 if total is None else total

    return sorted(report.packages, key=lambda p: (-downloads(p), p.name.lower()))


def _package(
    report: Report, package: PackageReport, language: Language, assets: Mapping[str, str]
) -> dict[str, Any]:
    url = package.url or f"https://pypi.org/project/{quote(package.name, safe='')}/"
    slug = package_slug(package.name)
    title = language.chart_title.format(package=package.name, year=report.year)
    chart = _light_and_dark(
        assets.get(f"downloads-{slug}-light"), assets.get(f"downloads-{slug}-dark")
    )
    return {
        "name": escape_markdown(package.name),
        "url": safe_url(url),
        "link": markdown_link(package.name, url),
        "version": escape_markdown(package.version) if package.version else None,
        "releases": figure(package.releases_in_year, language),
        "downloads": _downloads(package.downloads, language) if package.downloads else None,
        "chart": chart[0] if chart else None,
        "chart_dark": chart[1] if chart else None,
        "chart_markdown": (
            SafeMarkdown(f"![{escape_markdown(title)}]({chart[0]})") if chart else None
        ),
        "chart_html": _picture_html(chart, title, inline=True) if chart else None,
        "compare": _package_delta(report, package, language),
        "raw": {"name": package.name, "version": package.version, "url": url},
    }


def _downloads(downloads: Downloads, language: Language) -> dict[str, Any]:
    months = sorted(downloads.monthly.items())
    average = None
    if months:
        exact = Decimal(sum(count for _, count in months)) / len(months)
        average = int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    monthly = [
        {
            "month": SafeMarkdown(month),
            "label": SafeMarkdown(_month_label(month, language)),
            "count": figure(count, language),
        }
        for month, count in months
    ]
    return {
        "total": figure(downloads.total, language),
        "last_month": figure(downloads.last_month, language),
        "monthly_average": figure(average, language),
        "monthly": monthly,
        "monthly_text": _dotted(SafeMarkdown(f"{m['label']} {m['count']}") for m in monthly),
        "window": _window(downloads.window, language),
        "total_window": _window(downloads.total_window or downloads.window, language),
        "last_month_window": _window(downloads.last_month_window, language),
        "source": escape_markdown(downloads.source) if downloads.source else None,
        "mirrors": downloads.mirrors,
        "mirrors_text": SafeMarkdown(language.mirrors[int(downloads.mirrors)]),
    }


def _dotted(items: Iterable[SafeMarkdown]) -> SafeMarkdown | None:
    """Safe items on one line, "a · b · c"; None when there are none."""
    text = " · ".join(items)
    return SafeMarkdown(text) if text else None


def _month_label(month: str, language: Language) -> str:
    return language.months[int(month[5:]) - 1]


def _window(window: Window | None, language: Language) -> SafeMarkdown | None:
    return None if window is None else SafeMarkdown(language.window(window.start, window.end))


def _light_and_dark(
    light_path: str | None, dark_path: str | None
) -> tuple[SafeMarkdown, SafeMarkdown] | None:
    """Safe paths of a picture's light and dark files; the light one serves both if alone."""
    if not light_path:
        return None
    light = safe_path(light_path)
    dark = safe_path(dark_path) if dark_path else light
    if light is None or dark is None:
        return None
    return light, dark


def _picture_html(
    paths: tuple[SafeMarkdown, SafeMarkdown], alt: str, *, inline: bool = False
) -> SafeMarkdown:
    """A <picture> that GitHub serves as the dark file to readers in dark mode.

    `inline` writes it on one line, so it can sit inside a list item or a sentence.
    """
    light, dark = paths
    parts = [
        "<picture>",
        f'<source media="(prefers-color-scheme: dark)" srcset="{dark}">',
        f'<img alt="{escape_html(alt)}" src="{light}">',
        "</picture>",
    ]
    if inline:
        return SafeMarkdown("".join(parts))
    return SafeMarkdown(f"{parts[0]}\n  {parts[1]}\n  {parts[2]}\n{parts[3]}")


def _picture(
    report: Report, language: Language, assets: Mapping[str, str]
) -> dict[str, Any] | None:
    paths = _light_and_dark(
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
        "html": _picture_html(paths, alt),
    }


def delta(current: int | None, previous: int | None, language: Language) -> dict[str, Any]:
    """This year's figure against last year's, with a phrase in the report's language."""
    trend = numbers.trend(current, previous)
    percent = numbers.delta_percent(current, previous)
    previous_text = figure(previous, language)
    text: str | None = None
    if current is not None and previous == 0:
        text = language.from_zero
    elif trend is numbers.Trend.SAME:
        text = language.same.format(
            previous=previous_text.compact,
            and_particle=particle(previous_text.compact, "과/와"),
        )
    elif trend is numbers.Trend.UP:
        text = language.up.format(percent=percent, previous=previous_text.compact)
    elif trend is numbers.Trend.DOWN:
        text = language.down.format(percent=percent, previous=previous_text.compact)
    return {
        "current": figure(current, language),
        "previous": previous_text,
        "percent": None if percent is None else SafeMarkdown(percent),
        "trend": trend.value,
        "text": None if text is None else SafeMarkdown(text),
    }


def _compare(report: Report, language: Language) -> dict[str, Any] | None:
    previous = report.previous
    if previous is None:
        return None
    this_external = report.pull_requests.external
    last_external = previous.pull_requests.external
    return {
        "year": previous.year,
        "contributions": delta(report.contributions.total, previous.contributions.total, language),
        "commits": delta(report.commits.human, previous.commits.human, language),
        "automated": delta(report.commits.automated, previous.commits.automated, language),
        "pull_requests": delta(this_external.total, last_external.total, language),
        "projects": delta(len(this_external.projects), last_external.projects, language),
    }


def _package_delta(
    report: Report, package: PackageReport, language: Language
) -> dict[str, Any] | None:
    if report.previous is None:
        return None
    # PyPI names compare by their PEP 503 form: "pytorch-optimizer" is "pytorch_optimizer".
    wanted = normalize(package.name)
    earlier = next((p for p in report.previous.packages if normalize(p.name) == wanted), None)
    current = package.downloads.total if package.downloads else None
    return delta(current, earlier.downloads_total if earlier else None, language)
