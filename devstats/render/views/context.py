"""Shape a Report into what a template sees: the post's view, with formatted and exact numbers,
sorted lists and labels.

Templates only loop and substitute. Every string that came from upstream is escaped here and
marked `SafeMarkdown`; the unescaped originals are under the `raw` fields, and the renderer
escapes them should a template print one. The views are frozen dataclasses (base.py); the
packages, projects, pull requests to others, highlights and the year-over-year figures are shaped
in their own modules. docs/templates.md's key tables are generated from these classes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from devstats.model.errors import UsageError
from devstats.model.facts import CommitSummary, Notice
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
from devstats.render.views.base import View, about
from devstats.render.views.compare import ComparisonView, DeltaView, compare_context, delta
from devstats.render.views.external import ExternalView, external_context
from devstats.render.views.highlights import HighlightsView, highlights_context
from devstats.render.views.notes import ZoneView, notes_context, zone_context
from devstats.render.views.packages import PackageView, packages_context
from devstats.render.views.projects import (
    LanguagesView,
    ProjectView,
    languages_context,
    linked_packages,
    projects_context,
)
from devstats.render.views.received import ReceivedView, received_view
from devstats.render.words import dates
from devstats.render.words.labels import BY_CODE, LANGUAGES, Language

__all__ = [
    "DeltaView",
    "Figure",
    "PostView",
    "build_context",
    "delta",
    "figure",
    "notice_text",
]

EXCLUDED = "excluded-repository"  # the one reason that says nothing about who typed a commit


@dataclass(frozen=True)
class ContributionsView(View):
    """The profile's contribution counts."""

    total: Annotated[Figure, about("all contributions of the year", json="contributions.total")]
    human: Annotated[
        Figure,
        about(
            "contributions not made by automation: `total` − `commits.automated`; unknown when "
            "`total` is",
            json="contributions.human",
        ),
    ]
    commits: Annotated[Figure, about("commit contributions", json="contributions.commits")]
    pull_requests: Annotated[
        Figure, about("pull requests opened", json="contributions.pull_requests")
    ]
    issues: Annotated[Figure, about("issues opened", json="contributions.issues")]
    reviews: Annotated[Figure, about("reviews given", json="contributions.reviews")]
    restricted: Annotated[
        Figure, about("contributions in private repositories", json="contributions.restricted")
    ]


@dataclass(frozen=True)
class ReasonOriginals(View):
    """An automation reason's code, unescaped."""

    reason: Annotated[str, about("the code", json="commits.automated_by_reason")]


@dataclass(frozen=True)
class ExcludedView(View):
    """Commits left out of the real work for one reason."""

    reason: Annotated[
        SafeMarkdown, about("the code, `scheduled-cadence`", json="commits.automated_by_reason")
    ]
    label: Annotated[SafeMarkdown, about('"from an Action that commits every day"')]
    count: Annotated[Figure, about("the commits", json="commits.automated_by_reason")]
    text: Annotated[SafeMarkdown, about('"353 from an Action that commits every day"')]
    raw: Annotated[ReasonOriginals, about("the originals")]


@dataclass(frozen=True)
class NameOriginal(View):
    """A repository's name, unescaped."""

    name: Annotated[str, about("`owner/name`", json="commits.by_repository[].repository")]


@dataclass(frozen=True)
class RepositoryCommitsView(View):
    """The user's commits in one repository."""

    name: Annotated[SafeMarkdown, about("`owner/name`", json="commits.by_repository[].repository")]
    link: Annotated[SafeMarkdown, about("`[owner/name](url)`")]
    total: Annotated[Figure, about("all commits", json="commits.by_repository[].total")]
    automated: Annotated[Figure, about("automated ones", json="commits.by_repository[].automated")]
    human: Annotated[Figure, about("real commits", json="commits.by_repository[].human")]
    raw: Annotated[NameOriginal, about("the originals")]


@dataclass(frozen=True)
class CommitsView(View):
    """The user's public commits, those classed automated and the rest ("real commits")."""

    total: Annotated[Figure, about("all public commits", json="commits.total")]
    automated: Annotated[Figure, about("those classed automated", json="commits.automated")]
    human: Annotated[Figure, about('the rest, "real commits"', json="commits.human")]
    automated_share: Annotated[
        SafeMarkdown | None,
        about(
            "automated / total as a percentage, `22%`; or none",
            json="commits.automated ÷ commits.total",
        ),
    ]
    excluded: Annotated[
        tuple[ExcludedView, ...],
        about("per automation reason, largest first", json="commits.automated_by_reason"),
    ]
    excluded_text: Annotated[
        SafeMarkdown | None,
        about(
            'the `text`s joined into one phrase: "353 from … and 12 by bot accounts"; or none',
            json="commits.automated_by_reason",
        ),
    ]
    left_out_text: Annotated[
        SafeMarkdown | None,
        about(
            "what the real work leaves out, named for what it is: the commits not typed by hand "
            'with their reasons, then the commits in excluded repositories — "368 commits not '
            "typed by hand (365 from an Action that commits every day and 3 by bot accounts) and "
            '291 commits in repositories I excluded" / "자동으로 만들어진 커밋 368개(…)와 제외해 '
            '둔 레포의 커밋 291개" (a noun phrase; the Korean template adds its particle); or '
            "none",
            json="commits.automated_by_reason",
        ),
    ]
    repositories: Annotated[
        tuple[RepositoryCommitsView, ...],
        about("per repository, most real commits first", json="commits.by_repository[]"),
    ]


@dataclass(frozen=True)
class PictureView(View):
    """The contribution heatmap, when assets were written: real work per day."""

    light: Annotated[
        SafeMarkdown, about("the light file's path", json="calendar[] (count, automated)")
    ]
    dark: Annotated[SafeMarkdown, about("the dark file's path (the light one when alone)")]
    alt: Annotated[SafeMarkdown, about("the picture's description")]
    markdown: Annotated[SafeMarkdown, about("`![alt](light)`")]
    html: Annotated[
        SafeMarkdown,
        about("a `<picture>` choosing the dark file under `prefers-color-scheme: dark`"),
    ]


@dataclass(frozen=True)
class NoticeOriginals(View):
    """A notice as the report holds it."""

    code: Annotated[str, about("the code", json="notices[].code")]
    message: Annotated[str, about("the English sentence", json="notices[].message")]
    params: Annotated[
        Mapping[str, str | int | None],
        about("what the sentence is made of", json="notices[].params"),
    ]


@dataclass(frozen=True)
class NoticeView(View):
    """A note about the data, for a template that treats some notices differently."""

    code: Annotated[
        SafeMarkdown,
        about("`commits-fewer-than-counted`, see [Notices](#notices)", json="notices[].code"),
    ]
    text: Annotated[SafeMarkdown, about("the `warnings[]` entry", json="notices[]")]
    message: Annotated[
        SafeMarkdown, about("the English sentence, escaped", json="notices[].message")
    ]
    raw: Annotated[NoticeOriginals, about("the originals")]


@dataclass(frozen=True)
class PostOriginals(View):
    """The report's strings, unescaped (escaped when printed)."""

    user: Annotated[str, about("the login", json="user")]
    timezone: Annotated[str, about("the time zone", json="timezone")]
    warnings: Annotated[tuple[str, ...], about("the notices' English messages", json="warnings")]
    notices: Annotated[tuple[Notice, ...], about("the `Notice` objects", json="notices[]")]
    report: Annotated[Report, about("the whole Report")]


@dataclass(frozen=True)
class PostView(View):
    """Everything a template sees, each field as a name of its own (`{{ year }}`)."""

    lang: Annotated[str, about("`en` or `ko`")]
    user: Annotated[SafeMarkdown, about("the login", json="user")]
    user_url: Annotated[
        SafeMarkdown | None, about("`https://github.com/<login>`, or none", json="user")
    ]
    year: Annotated[int, about("the year reported", json="year")]
    year_over: Annotated[
        bool,
        about(
            "whether the year had ended (in the report's time zone) when the report was made",
            json="generated_at, timezone",
        ),
    ]
    timezone: Annotated[
        SafeMarkdown, about("the time zone the year's boundaries use", json="timezone")
    ]
    generated_on: Annotated[
        SafeMarkdown, about("date of the run, `YYYY-MM-DD`", json="generated_at (its date)")
    ]
    contributions: Annotated[ContributionsView, about("the profile's contribution counts")]
    commits: Annotated[CommitsView, about("the user's public commits")]
    projects: Annotated[
        tuple[ProjectView, ...],
        about("the projects of the year in the report's order", json="projects[]"),
    ]
    languages: Annotated[LanguagesView, about("the year's languages", json="languages[]")]
    external: Annotated[ExternalView, about("pull requests to other people's projects")]
    packages: Annotated[
        tuple[PackageView, ...], about("every package, most downloaded first", json="packages[]")
    ]
    other_packages: Annotated[
        tuple[PackageView, ...],
        about(
            "the `packages[]` entries that no project of `projects[]` shows (a linked package's "
            "figures are shown once, under its project)",
            json="packages[] whose name no projects[].package names (PEP 503)",
        ),
    ]
    packages_in_projects: Annotated[
        bool,
        about(
            "whether some package is shown under its project, so that `other_packages[]` are the "
            "*other* packages"
        ),
    ]
    picture: Annotated[PictureView | None, about("the contribution heatmap, or none")]
    warnings: Annotated[
        tuple[SafeMarkdown, ...],
        about(
            "notes about the data (gaps, caps, lower bounds), each one sentence in the report's "
            "language (a notice code the language has no sentence for reads as its English "
            'message); the built-in templates print each as its own `> - ` line under "> '
            '**Note:**"',
            json="notices[] (warnings for the English text)",
        ),
    ]
    notices: Annotated[
        tuple[NoticeView, ...], about("the same notices in the same order", json="notices[]")
    ]
    compare: Annotated[ComparisonView | None, about("with `--compare`, the year before; or none")]
    highlights: Annotated[HighlightsView | None, about("the highlights of the year, or none")]
    received: Annotated[
        ReceivedView | None,
        about("what others did with the listed projects and where the work went, or none"),
    ]
    detail: Annotated[
        str,
        about(
            "`brief` (the post a person pastes) or `full` (`--detail full`: the monthly "
            "downloads, the languages, each source month by month)"
        ),
    ]
    zone: Annotated[ZoneView, about("the time zone of the post's days and hours")]
    notes: Annotated[
        tuple[SafeMarkdown, ...],
        about(
            "the notes on the figures, each a sentence in the report's language: the time zone, "
            "why two years compare as they do, where the downloads come from and what they "
            "cover, then the `warnings[]`; empty when `--notes` is `none` or names a file. The "
            'built-in templates print them as one block under "> **Notes**" / "> **참고**"',
            json="time_zone, packages[].downloads.*, notices[]",
        ),
    ]
    raw: Annotated[PostOriginals, about("the originals")]


def build_context(
    report: Report,
    *,
    lang: str,
    assets: Mapping[str, str] | None = None,
    detail: str = "brief",
    notes: bool = True,
) -> PostView:
    """Everything a template may use, precomputed. docs/templates.md lists the fields. `notes`
    says whether the notes on the figures end the post."""
    if lang not in BY_CODE:
        raise UsageError(f"unknown language {lang!r}", hint=f"choose one of {', '.join(LANGUAGES)}")
    language = BY_CODE[lang]
    assets = assets or {}
    packages = packages_context(report, language, assets)
    by_name = {normalize(p.raw.name): p for p in packages}
    linked = linked_packages(report)
    other_packages = tuple(p for p in packages if normalize(p.raw.name) not in linked)
    year_over = _year_over(report)
    warnings = tuple(notice_text(notice, language, report.year) for notice in report.notices)
    compare = compare_context(report, language)
    zone = zone_context(report, language)
    return PostView(
        lang=lang,
        user=escape_markdown(report.user),
        user_url=safe_url(github_url(report.user, user=True)),
        year=report.year,
        year_over=year_over,
        timezone=escape_markdown(report.timezone),
        generated_on=SafeMarkdown(report.generated_at.date().isoformat()),
        contributions=_contributions(report, language),
        commits=_commits(report.commits, language),
        projects=projects_context(report, language, by_name, year_over=year_over, detail=detail),
        languages=languages_context(report, language),
        external=external_context(report, language),
        packages=packages,
        other_packages=other_packages,
        packages_in_projects=len(other_packages) < len(packages),
        picture=_picture(report, language, assets),
        warnings=warnings,
        notices=tuple(_notice(notice, language, report.year) for notice in report.notices),
        compare=compare,
        highlights=highlights_context(report, language, zone.words),
        detail=detail,
        zone=zone,
        notes=(
            notes_context(report, language, zone, compare, packages, warnings, detail)
            if notes
            else ()
        ),
        received=received_view(report.received, year=report.year, language=language),
        raw=PostOriginals(
            user=report.user,
            timezone=report.timezone,
            warnings=tuple(report.warnings),
            notices=tuple(report.notices),
            report=report,
        ),
    )


def _year_over(report: Report) -> bool:
    """Whether the year had ended, in the report's time zone, when the report was made."""
    try:
        zone = ZoneInfo(report.timezone)
    except (ValueError, KeyError):
        zone = ZoneInfo("UTC")
    made: datetime = report.generated_at
    return made.astimezone(zone).year > report.year


def notice_text(notice: Notice, language: Language, year: int | None = None) -> SafeMarkdown:
    """The notice said in `language`, every param escaped, days and months as the language
    writes them (`year`, the post's, left out of its own days); the English message, escaped,
    for a code the language has no sentence for (or a sentence that needs a param it lacks).
    """
    wording = language.notices.get(notice.code)
    if wording is None:
        return escape_markdown(notice.message)
    shown = {name: _param(value, language, year) for name, value in notice.params.items()}
    try:
        return SafeMarkdown(wording.format(notice.params, shown))
    except (KeyError, IndexError, ValueError):
        return escape_markdown(notice.message)


_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_MONTH = re.compile(r"(\d{4})-(\d{2})")


def _param(value: str | int | None, language: Language, year: int | None = None) -> str:
    if isinstance(value, int):
        return figure(value, language).exact
    if value is None:
        return language.unknown
    if year is not None:
        value = _dates_in_words(value, language, year)
    return escape_markdown(value)


def _dates_in_words(value: str, language: Language, year: int) -> str:
    """ISO days and months in a param ("2022-06, 2022-07"; "2022-12-30") as the post writes
    them, the post's year left out: "Jun, Jul" / "6월, 7월"; "Dec 30" / "12월 30일"."""
    parts = [part.strip() for part in value.split(",")]
    if all(_DAY.fullmatch(part) for part in parts):
        return ", ".join(dates.day(date.fromisoformat(p), language.code, year) for p in parts)
    if all(_MONTH.fullmatch(part) for part in parts):
        named = []
        for part in parts:
            number, in_year = int(part[5:]), int(part[:4])
            name = dates.month(number, language.code, short=True)
            if in_year != year:
                name = f"{in_year}년 {name}" if language.code == "ko" else f"{name} {in_year}"
            named.append(name)
        return ", ".join(named)
    return value


def _notice(notice: Notice, language: Language, year: int) -> NoticeView:
    return NoticeView(
        code=escape_markdown(notice.code),
        text=notice_text(notice, language, year),
        message=escape_markdown(notice.message),
        raw=NoticeOriginals(code=notice.code, message=notice.message, params=dict(notice.params)),
    )


def _contributions(report: Report, language: Language) -> ContributionsView:
    totals = report.contributions
    return ContributionsView(
        total=figure(totals.total, language),
        human=figure(totals.human, language),
        commits=figure(totals.commits, language),
        pull_requests=figure(totals.pull_requests, language),
        issues=figure(totals.issues, language),
        reviews=figure(totals.reviews, language),
        restricted=figure(totals.restricted, language),
    )


def _commits(summary: CommitSummary, language: Language) -> CommitsView:
    excluded: list[ExcludedView] = []
    for code, count in sorted(summary.automated_by_reason.items(), key=lambda kv: (-kv[1], kv[0])):
        if count <= 0:
            continue
        reason = language.reason(code)
        count_text = figure(count, language)
        excluded.append(
            ExcludedView(
                reason=escape_markdown(code),
                label=SafeMarkdown(reason.label),
                count=count_text,
                text=SafeMarkdown(reason.phrase.format(n=count_text.exact)),
                raw=ReasonOriginals(reason=code),
            )
        )
    repositories = sorted(summary.by_repository, key=lambda r: (-r.human, -r.total, r.repository))
    return CommitsView(
        total=figure(summary.total, language),
        automated=figure(summary.automated, language),
        human=figure(summary.human, language),
        automated_share=_share(summary.automated, summary.total),
        excluded=tuple(excluded),
        excluded_text=(
            SafeMarkdown(language.join([item.text for item in excluded])) if excluded else None
        ),
        left_out_text=_left_out(excluded, language),
        repositories=tuple(
            RepositoryCommitsView(
                name=escape_markdown(repo.repository),
                link=markdown_link(repo.repository, github_url(repo.repository)),
                total=figure(repo.total, language),
                automated=figure(repo.automated, language),
                human=figure(repo.human, language),
                raw=NameOriginal(name=repo.repository),
            )
            for repo in repositories
        ),
    )


def _left_out(excluded: list[ExcludedView], language: Language) -> SafeMarkdown | None:
    """What was taken out of the real work, named for what it is: commits not typed by hand
    (with their reasons), and commits in repositories the user excluded."""
    machine = [item for item in excluded if item.raw.reason != EXCLUDED]
    parts: list[str] = []
    if len(machine) == 1:
        only = machine[0]
        parts.append(language.left_out_single.format(n=only.count.exact, label=only.label))
    elif machine:
        reasons = (
            ", ".join(item.text for item in machine)
            if language.code == "ko"
            else language.join([item.text for item in machine])
        )
        total = sum(item.count.value or 0 for item in machine)
        parts.append(
            language.left_out_automated.format(n=figure(total, language).exact, reasons=reasons)
        )
    for item in excluded:
        if item.raw.reason == EXCLUDED:
            parts.append(language.left_out_excluded.format(n=item.count.exact))
    return SafeMarkdown(language.join(parts)) if parts else None


def _share(part: int, whole: int) -> SafeMarkdown | None:
    text = numbers.percent(part, whole)
    return None if text is None else SafeMarkdown(text)


def _picture(report: Report, language: Language, assets: Mapping[str, str]) -> PictureView | None:
    paths = light_and_dark(
        assets.get("heatmap-light") or assets.get("heatmap"), assets.get("heatmap-dark")
    )
    if paths is None:
        return None
    alt = language.picture_alt.format(user=report.user, year=report.year)
    return PictureView(
        light=paths[0],
        dark=paths[1],
        alt=escape_markdown(alt),
        markdown=SafeMarkdown(f"![{escape_markdown(alt)}]({paths[0]})"),
        html=picture_html(paths, alt),
    )
