"""Year over year (`--compare`): each figure against the year before, like with like.

The contributions of my own and my own commits are compared only when both years' commits could
all be read; otherwise the contribution graphs' totals are, said to be the graphs', and
`retrieval_text` (a note) says why. An all-time total is compared with the total at the end of
the year before, never as a percentage of it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
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
from devstats.render.words.post import BY_CODE as POST_WORDS


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
    """This year's figure `name` against the year before (`year`), in the report's language: a
    `text` to follow the figure ("up from 1.6k in 2021" / "2021년 1.6k건보다 늘었다") and a
    `sentence` standing alone. The contribution graph's total is said to be the graph's."""
    trend = numbers.trend(current, previous)
    percent = numbers.delta_percent(current, previous)
    previous_figure = figure(previous, language)
    shown = f"{previous_figure.compact}{language.unit(name)}"
    words = POST_WORDS[language.code]
    forms = words.graph if name == "contributions" else words.yearly
    form: str | None = None
    if previous is None or current is None:
        form = None
    elif not like_for_like:
        form = forms["previous-only"]
    elif previous == 0:
        form = words.none_by_figure.get(name, forms["none"])
    elif trend is numbers.Trend.SAME:
        form = forms["same"]
    else:
        form = forms["up" if trend is numbers.Trend.UP else "down"]
    text = _filled(form, shown, year) if form else None
    return DeltaView(
        current=figure(current, language),
        previous=previous_figure,
        percent=None if percent is None or not like_for_like else SafeMarkdown(percent),
        trend=trend.value if like_for_like else numbers.Trend.UNKNOWN.value,
        text=SafeMarkdown(text) if text else None,
        sentence=SafeMarkdown(_sentence(text)) if text else None,
    )


def _filled(form: str, previous: str, year: int) -> str:
    return form.format(
        previous=previous,
        year=year,
        previous_and=previous + particle(previous, "과/와"),
        previous_was=previous + particle(previous, "이었다/였다"),
    )


def _sentence(phrase: str) -> str:
    """A phrase that follows a figure, standing alone: "Up from 1.6k in 2021." / "…늘었다."."""
    return phrase[:1].upper() + phrase[1:] + ("" if phrase.endswith(".") else ".")


def unlisted_commits(counted: int | None, retrieved: int) -> int:
    """Commits GitHub counts in a year but did not list (none when the count is unknown)."""
    return max(counted - retrieved, 0) if counted is not None else 0


def compare_context(report: Report, language: Language) -> ComparisonView | None:
    """`compare` of the template context; None without --compare.

    Like with like: the contributions of my own and my own commits state a change only when both
    years' commits could all be read (`commits_complete`); the built-in templates then compare
    those, and otherwise the graphs' totals, with `retrieval_text` (a note) saying why."""
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
        human=compared(
            "human", report.contributions.human, previous.contributions.human, like=complete
        ),
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
    """Why the two years are compared by their graphs: the commits the earlier year's reading
    missed (this year's are in a notice already); None when both years could all be read."""
    previous = report.previous
    if previous is None:
        return None
    words = POST_WORDS[language.code].graphs_compared
    missing = unlisted_commits(previous.contributions.commits, previous.commits.total)
    if missing:
        return SafeMarkdown(
            words["previous"].format(
                year=previous.year,
                missing=figure(missing, language).exact,
                counted=figure(previous.contributions.commits, language).exact,
            )
        )
    if unlisted_commits(report.contributions.commits, report.commits.total):
        return SafeMarkdown(words["this-year"])
    return None


def package_delta(report: Report, package: PackageReport, language: Language) -> DeltaView | None:
    """All-time downloads against the total at the end of the year before: "up from 16.6k at
    the end of 2021", "2.5 times the 16.6k …", never a percentage of it (readers take a
    percentage of last year for a change in the year's own downloads)."""
    if report.previous is None:
        return None
    # PyPI names compare by their PEP 503 form: "pytorch-optimizer" is "pytorch_optimizer".
    wanted = normalize(package.name)
    earlier = next((p for p in report.previous.packages if normalize(p.name) == wanted), None)
    current = package.downloads.total if package.downloads else None
    then = earlier.downloads_total if earlier else None
    base = delta(current, then, language, name="downloads", year=report.previous.year)
    if current is None or not then:
        return replace(base, percent=None, text=None, sentence=None)
    forms = POST_WORDS[language.code].all_time
    shown = f"{figure(then, language).compact}{language.unit('downloads')}"
    times = current / then
    if times >= 2:
        text = forms["times"].format(
            times=f"{times:.1f}".removesuffix(".0"), previous=shown, year=report.previous.year
        )
    else:
        form = forms["same" if base.trend == numbers.Trend.SAME.value else "up"]
        text = _filled(form, shown, report.previous.year)
    return replace(
        base, percent=None, text=SafeMarkdown(text), sentence=SafeMarkdown(_sentence(text))
    )
