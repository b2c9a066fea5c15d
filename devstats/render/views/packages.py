"""Template context for the PyPI packages: figures, windows, the months without a figure and why,
where the figures come from, and each package's chart."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from urllib.parse import quote

from devstats.model.downloads import BASELINE, ENGINE, PEPY, STORE, Provenance
from devstats.model.facts import Downloads, PackageReport, Window
from devstats.model.report import Report
from devstats.render.escape import SafeMarkdown, escape_markdown, markdown_link, safe_url
from devstats.render.figures import figure
from devstats.render.picture_tags import light_and_dark, picture_html
from devstats.render.pictures import package_slug
from devstats.render.views.compare import package_delta
from devstats.render.words.charts import CHART_LABELS
from devstats.render.words.korean import particle
from devstats.render.words.labels import Language


def packages_context(
    report: Report, language: Language, assets: Mapping[str, str]
) -> list[dict[str, Any]]:
    """Every package, most downloaded first (docs/templates.md lists the keys)."""

    def downloads(package: PackageReport) -> int:
        total = package.downloads.total if package.downloads else None
        return -1 if total is None else total

    ordered = sorted(report.packages, key=lambda p: (-downloads(p), p.name.lower()))
    return [_package(report, package, language, assets) for package in ordered]


def _package(
    report: Report, package: PackageReport, language: Language, assets: Mapping[str, str]
) -> dict[str, Any]:
    url = package.url or f"https://pypi.org/project/{quote(package.name, safe='')}/"
    slug = package_slug(package.name)
    title = CHART_LABELS[language.code].downloads_title.format(
        package=package.name, year=report.year
    )
    chart = light_and_dark(
        assets.get(f"downloads-{slug}-light"), assets.get(f"downloads-{slug}-dark")
    )
    downloads = package.downloads
    return {
        "name": escape_markdown(package.name),
        "url": safe_url(url),
        "link": markdown_link(package.name, url),
        "version": escape_markdown(package.version) if package.version else None,
        "releases": figure(package.releases_in_year, language),
        "downloads": _downloads(downloads, report.year, language) if downloads else None,
        "chart": chart[0] if chart else None,
        "chart_dark": chart[1] if chart else None,
        "chart_markdown": (
            SafeMarkdown(f"![{escape_markdown(title)}]({chart[0]})") if chart else None
        ),
        "chart_html": picture_html(chart, title, inline=True) if chart else None,
        "compare": package_delta(report, package, language),
        "raw": {"name": package.name, "version": package.version, "url": url},
    }


def _downloads(downloads: Downloads, year: int, language: Language) -> dict[str, Any]:
    months = sorted(downloads.monthly.items())
    average = None
    if months:
        exact = Decimal(sum(count for _, count in months)) / len(months)
        average = int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    monthly = [
        {
            "month": SafeMarkdown(month),
            "label": SafeMarkdown(language.months[int(month[5:]) - 1]),
            "count": figure(count, language),
        }
        for month, count in months
    ]
    unit = language.unit("downloads")
    return {
        "total": figure(downloads.total, language),
        "last_month": figure(downloads.last_month, language),
        "monthly_average": figure(average, language),
        "monthly": monthly,
        "monthly_text": dotted(SafeMarkdown(f"{m['label']} {m['count']}") for m in monthly),
        "monthly_list": (
            SafeMarkdown(", ".join(f"{m['label']} {m['count']}{unit}" for m in monthly))
            if monthly
            else None
        ),
        "last_month_label": (
            SafeMarkdown(language.months[downloads.last_month_window.start.month - 1])
            if downloads.last_month_window
            else None
        ),
        "missing_text": missing_text(downloads, year, language),
        "window": _window(downloads.window, language),
        "total_window": _window(downloads.total_window or downloads.window, language),
        "last_month_window": _window(downloads.last_month_window, language),
        "source": escape_markdown(downloads.source) if downloads.source else None,
        "source_text": source_text(downloads, language),
        "mirrors": downloads.mirrors,
        "mirrors_text": SafeMarkdown(language.mirrors[int(downloads.mirrors)]),
    }


def dotted(items: Iterable[SafeMarkdown]) -> SafeMarkdown | None:
    """Safe items on one line, "a · b · c"; None when there are none."""
    text = " · ".join(items)
    return SafeMarkdown(text) if text else None


def _window(window: Window | None, language: Language) -> SafeMarkdown | None:
    return None if window is None else SafeMarkdown(language.window(window.start, window.end))


def _runs(months: list[int], language: Language) -> list[str]:
    """Month numbers as names, consecutive ones as a range: [1, 2, 3, 5] -> ["Jan–Mar", "May"]."""
    runs: list[list[int]] = []
    for month in sorted(months):
        if runs and runs[-1][-1] == month - 1:
            runs[-1].append(month)
        else:
            runs.append([month])
    names = language.months
    return [
        names[run[0] - 1]
        if len(run) == 1
        else language.month_range.format(
            first=names[run[0] - 1], first_number=run[0], last=names[run[-1] - 1]
        )
        for run in runs
    ]


def missing_text(downloads: Downloads, year: int, language: Language) -> SafeMarkdown | None:
    """One sentence saying which months of the year have no figure, and why."""
    by_reason: dict[str, list[int]] = {}
    for month, reason in sorted(downloads.missing_months.items()):
        if month.startswith(f"{year}-") and reason in language.missing_reasons:
            by_reason.setdefault(reason, []).append(int(month[5:]))
    clauses = []
    for reason, months in sorted(by_reason.items(), key=lambda item: item[1][0]):
        named = ", ".join(_runs(months, language))
        topic = named + particle(named, "은/는")
        clauses.append(language.missing_reasons[reason].format(months=named, topic=topic))
    if not clauses:
        return None
    joined = ", ".join(clauses) if language.code == "ko" else language.join(clauses)
    return SafeMarkdown(language.missing_months.format(clauses=joined))


def _source_name(part: Provenance, language: Language) -> str:
    """A source as the prose names it: "the download store (pypistats.org)" in the language."""
    if part.upstream != STORE:
        return escape_markdown(part.name)
    rest = escape_markdown(f"({', '.join(part.stored_from)})") if part.stored_from else ""
    gap = " " if language.code == "en" and rest else ""
    return f"{language.download_store}{gap}{rest}"


def _monthly_sources(downloads: Downloads, language: Language) -> tuple[str | None, bool]:
    """Where the monthly figures come from: one source, or each with the months it gave (then
    True: the sentence names months)."""
    parts = downloads.monthly_from
    if not parts:
        return None, False
    if len(parts) == 1:
        return _source_name(parts[0], language), False
    named_parts = []
    for part in parts:
        named = ", ".join(_runs([int(month[5:]) for month in part.months], language))
        topic = named + particle(named, "은/는")
        name = _source_name(part, language)
        named_parts.append(language.source_months.format(source=name, months=named, topic=topic))
    joined = ", ".join(named_parts) if language.code == "ko" else language.join(named_parts)
    return joined, True


def _total_source(parts: tuple[Provenance, ...], language: Language) -> str:
    forms = language.total_sources
    first = parts[0]
    if first.upstream == BASELINE:
        note = first.note
        shown = language.baseline_note.format(note=escape_markdown(note)) if note else ""
        return forms["baseline"].format(note=shown)
    if first.upstream == PEPY:
        return forms["pepy.tech"]
    if first.upstream == ENGINE and first.through is not None and len(parts) > 1:
        return forms["engine"].format(
            engine=escape_markdown(first.name),
            through=language.day(first.through),
            days=_source_name(parts[1], language),
        )
    return forms["other"].format(source=_source_name(first, language))


def source_text(downloads: Downloads, language: Language) -> SafeMarkdown | None:
    """Where the monthly figures and the total come from, as a sentence."""
    monthly, split = _monthly_sources(downloads, language) if downloads.monthly else (None, False)
    total = _total_source(downloads.total_from, language) if downloads.total_from else None
    if monthly is None and total is None:
        return None
    form = "both" if monthly and total else ("monthly" if monthly else "total")
    if split:
        form = f"split-{form}"
    return SafeMarkdown(language.sources[form].format(monthly=monthly, total=total))
