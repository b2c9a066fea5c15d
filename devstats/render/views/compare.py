"""Year over year (`--compare`): each figure against the year before, like with like.

Real work is compared with real work, and public commits with public commits only when both
years' commits were all retrieved: otherwise the earlier year's figure is given without a change,
and `retrieval_text` says how many commits GitHub counts but does not list in each year.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from devstats.model.facts import PackageReport
from devstats.model.package_names import normalize
from devstats.model.report import Report
from devstats.render import numbers
from devstats.render.escape import SafeMarkdown
from devstats.render.figures import Figure, figure
from devstats.render.views.base import View, about
from devstats.render.words.korean import particle
from devstats.render.words.labels import Language


@dataclass(frozen=True)
class DeltaView(View):
    """A figure of this year against the year before (`--compare`)."""

    current: Annotated[Figure, about("this year's figure")]
    previous: Annotated[Figure, about("the earlier year's figure")]
    percent: Annotated[
        SafeMarkdown | None,
        about("the change, `+38%`, `-12%`, `±0%`; none when unknown or not like for like"),
    ]
    trend: Annotated[
        str,
        about(
            "`up`, `down`, `same` (a change under 5% either way) or `unknown` (also when the two "
            "figures do not compare like for like)"
        ),
    ]
    text: Annotated[
        SafeMarkdown | None,
        about(
            'a phrase for parentheses after the number, with the earlier year named: "+38% on '
            '2021\'s 940", "about the same as 2021\'s 1.6k", "no pull requests to other projects '
            'in 2021", "940 in 2021" (not like for like) / "2021년 940개 대비 +38%", "2021년 '
            '1.6k건과 비슷"; none when unknown'
        ),
    ]
    sentence: Annotated[
        SafeMarkdown | None,
        about(
            'the same standing alone: "2021년(940개)보다 38% 늘었다.", "2021년에는 다른 '
            '프로젝트에 보낸 PR이 없었다."; none when unknown'
        ),
    ]


@dataclass(frozen=True)
class ComparisonView(View):
    """Each figure against the year before, like with like (`--compare`)."""

    year: Annotated[int, about("the earlier year", json="previous.year")]
    human: Annotated[
        DeltaView, about("real work (`contributions.human`)", json="previous.contributions.human")
    ]
    contributions: Annotated[
        DeltaView, about("the calendar's total", json="previous.contributions.total")
    ]
    commits: Annotated[DeltaView, about("real commits", json="previous.commits.human")]
    automated: Annotated[DeltaView, about("automated commits", json="previous.commits.automated")]
    pull_requests: Annotated[
        DeltaView,
        about(
            "pull requests to other people's projects",
            json="previous.pull_requests.external.total",
        ),
    ]
    projects: Annotated[
        DeltaView,
        about("number of other people's projects", json="previous.pull_requests.external.projects"),
    ]
    commits_complete: Annotated[
        bool,
        about(
            "both years' commits were all retrieved, so `commits` and `automated` state a change; "
            'otherwise they give the earlier figure alone, "548 in 2021"',
            json="previous.commits.total",
        ),
    ]
    retrieval_text: Annotated[
        SafeMarkdown | None,
        about(
            "how many commits GitHub counts but does not list in each year, and what that does to "
            "the comparison; none when both years' commits were all retrieved",
            json="contributions.commits, previous.contributions.commits",
        ),
    ]


def delta(
    current: int | None,
    previous: int | None,
    language: Language,
    *,
    name: str,
    year: int,
    like_for_like: bool = True,
) -> DeltaView:
    """This year's figure `name` against the year before (`year`), in the report's language:
    a `text` for parentheses after the number and a `sentence` to stand alone."""
    trend = numbers.trend(current, previous)
    percent = numbers.delta_percent(current, previous)
    previous_figure = figure(previous, language)
    unit = language.unit(name)
    shown = f"{previous_figure.compact}{unit}"
    fields = {
        "year": year,
        "previous": shown,
        "unit": unit,
        "percent": percent,
        "change": (percent or "").lstrip("+-"),
        "and_particle": particle(shown, "과/와"),
        "was": particle(shown, "이었다/였다"),
    }
    wording = language.compare
    forms: tuple[str, str] | None = None
    if previous is None or current is None:
        forms = None
    elif not like_for_like:
        forms = (wording.previous_only, wording.previous_only_sentence)
    elif previous == 0:
        forms = wording.none_by_figure.get(name, (wording.none, wording.none_sentence))
    elif trend is numbers.Trend.SAME:
        forms = (wording.same, wording.same_sentence)
    elif trend is numbers.Trend.UP:
        forms = (wording.up, wording.up_sentence)
    elif trend is numbers.Trend.DOWN:
        forms = (wording.down, wording.down_sentence)
    return DeltaView(
        current=figure(current, language),
        previous=previous_figure,
        percent=None if percent is None or not like_for_like else SafeMarkdown(percent),
        trend=trend.value if like_for_like else numbers.Trend.UNKNOWN.value,
        text=SafeMarkdown(forms[0].format(**fields)) if forms else None,
        sentence=SafeMarkdown(forms[1].format(**fields)) if forms else None,
    )


def unlisted_commits(counted: int | None, retrieved: int) -> int:
    """Commits GitHub counts in a year but did not list (none when the count is unknown)."""
    return max(counted - retrieved, 0) if counted is not None else 0


def compare_context(report: Report, language: Language) -> ComparisonView | None:
    """`compare` of the template context; None without --compare."""
    previous = report.previous
    if previous is None:
        return None
    year = previous.year
    this_external = report.pull_requests.external
    last_external = previous.pull_requests.external
    complete = not unlisted_commits(
        report.contributions.commits, report.commits.total
    ) and not unlisted_commits(previous.contributions.commits, previous.commits.total)

    def compared(name: str, now: int | None, then: int | None, like: bool = True) -> DeltaView:
        return delta(now, then, language, name=name, year=year, like_for_like=like)

    return ComparisonView(
        year=year,
        human=compared("human", report.contributions.human, previous.contributions.human),
        contributions=compared(
            "contributions", report.contributions.total, previous.contributions.total
        ),
        commits=compared("commits", report.commits.human, previous.commits.human, like=complete),
        automated=compared(
            "automated", report.commits.automated, previous.commits.automated, like=complete
        ),
        pull_requests=compared("pull_requests", this_external.total, last_external.total),
        projects=compared("projects", len(this_external.projects), last_external.projects),
        commits_complete=complete,
        retrieval_text=None if complete else retrieval_text(report, language),
    )


def retrieval_text(report: Report, language: Language) -> SafeMarkdown | None:
    """The sentences saying how many commits each year's retrieval missed, and what that does
    to the comparison; None when both years' commits were all retrieved."""
    previous = report.previous
    if previous is None:
        return None
    years = (
        (report.year, report.contributions.commits, report.commits.total),
        (previous.year, previous.contributions.commits, previous.commits.total),
    )
    parts = [
        language.compare.retrieval_part.format(
            year=year,
            missing=figure(unlisted_commits(counted, retrieved), language).exact,
            counted=figure(counted, language).exact,
        )
        for year, counted, retrieved in years
        if unlisted_commits(counted, retrieved)
    ]
    if not parts:
        return None
    joined = ", ".join(parts) if language.code == "ko" else language.join(parts)
    return SafeMarkdown(language.compare.retrieval.format(parts=joined))


def package_delta(report: Report, package: PackageReport, language: Language) -> DeltaView | None:
    """All-time downloads against the total at the end of the year before."""
    if report.previous is None:
        return None
    # PyPI names compare by their PEP 503 form: "pytorch-optimizer" is "pytorch_optimizer".
    wanted = normalize(package.name)
    earlier = next((p for p in report.previous.packages if normalize(p.name) == wanted), None)
    current = package.downloads.total if package.downloads else None
    return delta(
        current,
        earlier.downloads_total if earlier else None,
        language,
        name="downloads",
        year=report.previous.year,
    )
