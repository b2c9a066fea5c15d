"""Template view of the pull requests to other people's projects: per project, most merged first,
each pull request linked by its title."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from devstats.model.facts import ExternalProject, PullRequest
from devstats.model.report import Report
from devstats.render.escape import (
    SafeMarkdown,
    escape_markdown,
    github_url,
    markdown_link,
    safe_url,
)
from devstats.render.figures import Figure, figure
from devstats.render.views.base import View, about
from devstats.render.views.packages import dotted
from devstats.render.words.labels import Language

ITEMS = "pull_requests.external.projects[].items[]"


@dataclass(frozen=True)
class PullRequestOriginals(View):
    """A pull request's strings as GitHub gave them, unescaped."""

    title: Annotated[str, about("the title", json=f"{ITEMS}.title")]
    url: Annotated[str, about("its page", json=f"{ITEMS}.url")]
    state: Annotated[str, about("`MERGED`, `OPEN` or `CLOSED`", json=f"{ITEMS}.state")]


@dataclass(frozen=True)
class PullRequestView(View):
    """One pull request to another person's project."""

    number: Annotated[int, about("its number", json=f"{ITEMS}.number")]
    title: Annotated[SafeMarkdown, about("the title", json=f"{ITEMS}.title")]
    url: Annotated[SafeMarkdown | None, about("its page", json=f"{ITEMS}.url")]
    link: Annotated[SafeMarkdown, about("`[title](url)`")]
    state: Annotated[
        SafeMarkdown, about("merged/open/closed in the report's language", json=f"{ITEMS}.state")
    ]
    merged: Annotated[bool, about("whether it was merged", json=f"{ITEMS}.merged_at")]
    raw: Annotated[PullRequestOriginals, about("the originals")]


@dataclass(frozen=True)
class OtherProjectOriginals(View):
    """A project's name and page, unescaped."""

    name: Annotated[str, about("`owner/name`", json="pull_requests.external.projects[].repository")]
    url: Annotated[str | None, about("the repository's page, or none")]


@dataclass(frozen=True)
class OtherProjectView(View):
    """Another person's project the user sent pull requests to."""

    name: Annotated[
        SafeMarkdown, about("`owner/name`", json="pull_requests.external.projects[].repository")
    ]
    url: Annotated[SafeMarkdown | None, about("the repository's page")]
    link: Annotated[SafeMarkdown, about("`[owner/repo](url)`")]
    stars: Annotated[Figure, about("its stars", json="pull_requests.external.projects[].stars")]
    pull_requests: Annotated[
        Figure, about("pull requests sent to it", json="pull_requests.external.projects[].total")
    ]
    merged: Annotated[
        Figure, about("those merged", json="pull_requests.external.projects[].merged")
    ]
    merged_text: Annotated[
        SafeMarkdown,
        about(
            '"1 of 2 merged" / "PR 2개 중 1개 머지", "PR 1개, 머지된 건 없음"',
            json="pull_requests.external.projects[].merged, .total",
        ),
    ]
    pulls: Annotated[
        tuple[PullRequestView, ...], about("its pull requests, oldest first", json=ITEMS)
    ]
    pulls_text: Annotated[
        SafeMarkdown | None,
        about(
            "the pull requests on one line, each title linked and followed by its state when "
            'one of them was not merged: "[Add optimizer](…) (merged) · [Fix typo](…) (open)", '
            '"[Add optimizer](…)"; or none',
            json=ITEMS,
        ),
    ]
    raw: Annotated[OtherProjectOriginals, about("the originals")]


@dataclass(frozen=True)
class ExternalView(View):
    """Pull requests to other people's projects."""

    pull_requests: Annotated[Figure, about("all of them", json="pull_requests.external.total")]
    merged: Annotated[Figure, about("the merged ones", json="pull_requests.external.merged")]
    project_count: Annotated[
        Figure, about("number of projects", json="length of pull_requests.external.projects")
    ]
    projects: Annotated[
        tuple[OtherProjectView, ...],
        about("most merged first", json="pull_requests.external.projects[]"),
    ]


def external_context(report: Report, language: Language) -> ExternalView:
    external = report.pull_requests.external
    projects = sorted(
        external.projects,
        key=lambda p: (-p.merged, -p.total, -(p.stars or 0), p.repository.lower()),
    )
    return ExternalView(
        pull_requests=figure(external.total, language),
        merged=figure(external.merged, language),
        project_count=figure(len(projects), language),
        projects=tuple(_project(project, language) for project in projects),
    )


def _project(project: ExternalProject, language: Language) -> OtherProjectView:
    url = github_url(project.repository)
    pulls = tuple(
        _pull_request(pull, language)
        for pull in sorted(project.items, key=lambda p: (p.created_at, p.number))
    )
    # Beside a pull request that was not merged, each one says how it ended: "[A] · [B] (closed)"
    # would leave it unclear which was merged.
    stated = any(not pull.merged for pull in pulls) and len(pulls) > 1
    return OtherProjectView(
        name=escape_markdown(project.repository),
        url=safe_url(url),
        link=markdown_link(project.repository, url),
        stars=figure(project.stars, language),
        pull_requests=figure(project.total, language),
        merged=figure(project.merged, language),
        merged_text=_merged_text(project.merged, project.total, language),
        pulls=pulls,
        pulls_text=dotted(
            SafeMarkdown(f"{pull.link} ({pull.state})") if stated or not pull.merged else pull.link
            for pull in pulls
        ),
        raw=OtherProjectOriginals(name=project.repository, url=url),
    )


def _merged_text(merged: int, total: int, language: Language) -> SafeMarkdown:
    if total == 1 and merged == 1:
        form = "one"
    else:
        form = "none" if merged == 0 else ("all" if merged == total else "some")
    shown = {"merged": figure(merged, language).exact, "total": figure(total, language).exact}
    return SafeMarkdown(language.merged[form].format(**shown))


def _pull_request(pull: PullRequest, language: Language) -> PullRequestView:
    return PullRequestView(
        number=pull.number,
        title=escape_markdown(pull.title),
        url=safe_url(pull.url),
        link=markdown_link(pull.title, pull.url),
        state=escape_markdown(language.states.get(pull.state, pull.state.lower())),
        merged=pull.merged_at is not None,
        raw=PullRequestOriginals(title=pull.title, url=pull.url, state=pull.state),
    )
