"""Template context for the PyPI packages: figures, windows, the months without a figure and why,
where the figures come from, and each package's chart."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated
from urllib.parse import quote

from devstats.model.downloads import BASELINE, ENGINE, PEPY, STORE, Provenance
from devstats.model.facts import Downloads, PackageReport, Window
from devstats.model.report import Report
from devstats.render.escape import SafeMarkdown, escape_markdown, markdown_link, safe_url
from devstats.render.figures import Figure, figure
from devstats.render.picture_tags import light_and_dark, picture_html
from devstats.render.pictures import package_slug
from devstats.render.views.base import View, about
from devstats.render.views.compare import DeltaView, package_delta
from devstats.render.words import dates
from devstats.render.words.charts import CHART_LABELS
from devstats.render.words.korean import particle
from devstats.render.words.labels import Language


@dataclass(frozen=True)
class MonthView(View):
    """One month's downloads."""

    month: Annotated[SafeMarkdown, about("`2022-12`", json="packages[].downloads.monthly")]
    label: Annotated[SafeMarkdown, about("`Dec` / `12월`")]
    count: Annotated[Figure, about("the month's downloads", json="packages[].downloads.monthly")]


@dataclass(frozen=True)
class DownloadsView(View):
    """A package's download figures, the days they cover and where they come from."""

    total: Annotated[Figure, about("all-time total", json="packages[].downloads.total")]
    last_month: Annotated[
        Figure, about("the last complete month", json="packages[].downloads.last_month")
    ]
    monthly_average: Annotated[
        Figure, about("mean of `monthly`, half up", json="mean of packages[].downloads.monthly")
    ]
    monthly: Annotated[
        tuple[MonthView, ...],
        about(
            "the months of the year with a figure, in calendar order",
            json="packages[].downloads.monthly",
        ),
    ]
    monthly_text: Annotated[
        SafeMarkdown | None,
        about(
            'the same on one line: "Oct 2k · Nov 2.1k · Dec 2.1k"; or none',
            json="packages[].downloads.monthly",
        ),
    ]
    monthly_list: Annotated[
        SafeMarkdown | None,
        about(
            'the same as a list with the unit: "7월 2k회, 8월 2.3k회" (the Korean template\'s '
            "sentence); or none",
            json="packages[].downloads.monthly",
        ),
    ]
    last_month_label: Annotated[
        SafeMarkdown | None,
        about(
            "the last complete month's name: `Nov` / `11월`; or none",
            json="packages[].downloads.last_month_window",
        ),
    ]
    missing_text: Annotated[
        SafeMarkdown | None,
        about(
            'one sentence naming the months of the year without a figure and why: "Monthly '
            "figures are missing for Jan–May (the download data does not reach back that far), "
            'Jun (only partly known), and Dec (not over yet)." / "1~5월은 … 월별 수치가 없다."; '
            "or none",
            json="packages[].downloads.missing_months",
        ),
    ]
    window: Annotated[
        SafeMarkdown | None,
        about(
            "the days the monthly figures cover: `Jan 1 – Dec 31, 2022` / `2022.01.01 ~ "
            "2022.12.31`; or none",
            json="packages[].downloads.window",
        ),
    ]
    total_window: Annotated[
        SafeMarkdown | None,
        about(
            "the days the total covers; or none",
            json="packages[].downloads.total_window (else .window)",
        ),
    ]
    last_month_window: Annotated[
        SafeMarkdown | None,
        about(
            "the days of the last complete month; or none",
            json="packages[].downloads.last_month_window",
        ),
    ]
    source: Annotated[
        SafeMarkdown | None,
        about("where the figures come from; or none", json="packages[].downloads.source"),
    ]
    source_text: Annotated[
        SafeMarkdown | None,
        about(
            "the same as a sentence in the report's language: \"Monthly figures come from "
            'pypistats.org; the total is a baseline (note) plus the download store." / "월별 '
            "수치는 pypistats.org에서 가져왔고, 누적 다운로드는 baseline(note)에 다운로드 기록을 "
            '더한 값이다."; with several sources, each with its months: "Monthly figures come '
            "from ClickHouse (ClickPy) for Jan–Jun and pypistats.org for Jul–Nov; the total comes "
            'from ClickHouse (ClickPy) through Nov 30, 2022, and from pypistats.org after that."; '
            "or none",
            json="packages[].downloads.monthly_sources, .total_source",
        ),
    ]
    mirrors: Annotated[
        bool, about("whether mirror downloads count", json="packages[].downloads.mirrors")
    ]
    mirrors_text: Annotated[
        SafeMarkdown,
        about('"without mirrors" / "mirror 제외"', json="packages[].downloads.mirrors"),
    ]
    sources_named: Annotated[
        SafeMarkdown | None,
        about(
            'every source of the figures named once: "ClickHouse (ClickPy) and pypistats.org"; '
            "or none",
            json="packages[].downloads.total_from, .monthly_from",
        ),
    ]
    total_span: Annotated[
        SafeMarkdown | None,
        about(
            'the days the all-time total counts, as the post writes them: "Sep 22, 2021 – Dec '
            '14, 2022" / "2021년 9월 22일 ~ 2022년 12월 14일"; or none',
            json="packages[].downloads.total_window (else .window)",
        ),
    ]
    total_as_of: Annotated[
        SafeMarkdown | None,
        about(
            'the last day the all-time total counts, as the post writes a day: "Dec 14" / "12월 '
            '14일" (the year left out inside the year); or none',
            json="packages[].downloads.total_window.end (else .window.end)",
        ),
    ]
    last_month_name: Annotated[
        SafeMarkdown | None,
        about(
            'the last complete month\'s full name: "November" / "11월"; or none',
            json="packages[].downloads.last_month_window",
        ),
    ]


@dataclass(frozen=True)
class PackageOriginals(View):
    """A package's strings as PyPI gave them, unescaped (escaped when printed)."""

    name: Annotated[str, about("the name", json="packages[].name")]
    version: Annotated[str | None, about("the version, or none", json="packages[].version")]
    url: Annotated[str, about("the PyPI page", json="packages[].url")]


@dataclass(frozen=True)
class PackageView(View):
    """A PyPI package: its figures, its chart and its change since the year before."""

    name: Annotated[SafeMarkdown, about("the name", json="packages[].name")]
    url: Annotated[SafeMarkdown | None, about("the PyPI page", json="packages[].url")]
    link: Annotated[SafeMarkdown, about("`[name](url)`")]
    version: Annotated[
        SafeMarkdown | None,
        about("the version as of the year's end, or none", json="packages[].version"),
    ]
    releases: Annotated[Figure, about("releases in the year", json="packages[].releases_in_year")]
    downloads: Annotated[
        DownloadsView | None, about("the download figures, or none", json="packages[].downloads")
    ]
    chart: Annotated[SafeMarkdown | None, about("the light downloads chart's path, or none")]
    chart_dark: Annotated[SafeMarkdown | None, about("the dark downloads chart's path, or none")]
    chart_markdown: Annotated[SafeMarkdown | None, about("`![…](light)`, or none")]
    chart_html: Annotated[
        SafeMarkdown | None, about("a one-line `<picture>` with the dark variant, or none")
    ]
    compare: Annotated[
        DeltaView | None,
        about(
            "with `--compare`, all-time downloads against the total at the end of the year "
            "before; or none",
            json="previous.packages[].downloads_total",
        ),
    ]
    raw: Annotated[PackageOriginals, about("the originals")]


def packages_context(
    report: Report, language: Language, assets: Mapping[str, str]
) -> tuple[PackageView, ...]:
    """Every package, most downloaded first (docs/templates.md lists the keys)."""

    def downloads(package: PackageReport) -> int:
        total = package.downloads.total if package.downloads else None
        return -1 if total is None else total

    ordered = sorted(report.packages, key=lambda p: (-downloads(p), p.name.lower()))
    return tuple(_package(report, package, language, assets) for package in ordered)


def _package(
    report: Report, package: PackageReport, language: Language, assets: Mapping[str, str]
) -> PackageView:
    url = package.url or f"https://pypi.org/project/{quote(package.name, safe='')}/"
    slug = package_slug(package.name)
    title = CHART_LABELS[language.code].downloads_title.format(
        package=package.name, year=report.year
    )
    chart = light_and_dark(
        assets.get(f"downloads-{slug}-light"), assets.get(f"downloads-{slug}-dark")
    )
    downloads = package.downloads
    return PackageView(
        name=escape_markdown(package.name),
        url=safe_url(url),
        link=markdown_link(package.name, url),
        version=escape_markdown(package.version) if package.version else None,
        releases=figure(package.releases_in_year, language),
        downloads=_downloads(downloads, report.year, language) if downloads else None,
        chart=chart[0] if chart else None,
        chart_dark=chart[1] if chart else None,
        chart_markdown=(
            SafeMarkdown(f"![{escape_markdown(title)}]({chart[0]})") if chart else None
        ),
        chart_html=picture_html(chart, title, inline=True) if chart else None,
        compare=package_delta(report, package, language),
        raw=PackageOriginals(name=package.name, version=package.version, url=url),
    )


def _downloads(downloads: Downloads, year: int, language: Language) -> DownloadsView:
    months = sorted(downloads.monthly.items())
    average = None
    if months:
        exact = Decimal(sum(count for _, count in months)) / len(months)
        average = int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    monthly = tuple(
        MonthView(
            month=SafeMarkdown(month),
            label=SafeMarkdown(language.months[int(month[5:]) - 1]),
            count=figure(count, language),
        )
        for month, count in months
    )
    unit = language.unit("downloads")
    return DownloadsView(
        total=figure(downloads.total, language),
        last_month=figure(downloads.last_month, language),
        monthly_average=figure(average, language),
        monthly=monthly,
        monthly_text=dotted(SafeMarkdown(f"{m.label} {m.count}") for m in monthly),
        monthly_list=(
            SafeMarkdown(", ".join(f"{m.label} {m.count}{unit}" for m in monthly))
            if monthly
            else None
        ),
        last_month_label=(
            SafeMarkdown(language.months[downloads.last_month_window.start.month - 1])
            if downloads.last_month_window
            else None
        ),
        missing_text=missing_text(downloads, year, language),
        window=_window(downloads.window, language),
        total_window=_window(downloads.total_window or downloads.window, language),
        last_month_window=_window(downloads.last_month_window, language),
        source=escape_markdown(downloads.source) if downloads.source else None,
        source_text=source_text(downloads, language, year),
        sources_named=source_names(downloads, language),
        total_span=_span(downloads.total_window or downloads.window, year, language),
        mirrors=downloads.mirrors,
        mirrors_text=SafeMarkdown(language.mirrors[int(downloads.mirrors)]),
        total_as_of=_as_of(downloads.total_window or downloads.window, year, language),
        last_month_name=(
            SafeMarkdown(dates.month(downloads.last_month_window.start.month, language.code))
            if downloads.last_month_window
            else None
        ),
    )


def _span(window: Window | None, year: int, language: Language) -> SafeMarkdown | None:
    if window is None:
        return None
    return SafeMarkdown(dates.span(window.start, window.end, language.code, year))


def _as_of(window: Window | None, year: int, language: Language) -> SafeMarkdown | None:
    return None if window is None else SafeMarkdown(dates.day(window.end, language.code, year))


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


def _total_source(parts: tuple[Provenance, ...], language: Language, year: int | None) -> str:
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
            through=(
                dates.day(first.through, language.code, year)
                if year
                else language.day(first.through)
            ),
            days=_source_name(parts[1], language),
        )
    return forms["other"].format(source=_source_name(first, language))


def source_names(downloads: Downloads, language: Language) -> SafeMarkdown | None:
    """Every source of the figures, named once, in the order they count: "ClickHouse (ClickPy)
    and pypistats.org"."""
    names: list[str] = []
    for part in (*downloads.total_from, *downloads.monthly_from):
        name = _source_name(part, language)
        if name not in names:
            names.append(name)
    return SafeMarkdown(language.join(names)) if names else None


def source_text(
    downloads: Downloads, language: Language, year: int | None = None
) -> SafeMarkdown | None:
    """Where the monthly figures and the total come from, as a sentence; a day in `year` is
    written without it."""
    monthly, split = _monthly_sources(downloads, language) if downloads.monthly else (None, False)
    total = _total_source(downloads.total_from, language, year) if downloads.total_from else None
    if monthly is None and total is None:
        return None
    form = "both" if monthly and total else ("monthly" if monthly else "total")
    if split:
        form = f"split-{form}"
    return SafeMarkdown(language.sources[form].format(monthly=monthly, total=total))
