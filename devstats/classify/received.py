"""What other people did with the user's projects, and where the user's own work went: stars
gained, pull requests received (and who came for the first time), major releases, and the share
of the user's pull requests, reviews and issues that went to other people's projects.

Pure: engine answers and plain counts in, devstats/model/events.py types out.
docs/definitions.md ("What others did with my work") defines every figure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from packaging.version import Version

from devstats.classify.automation import is_bot
from devstats.classify.highlights import tag_version
from devstats.classify.projects import stars_gained_in_year
from devstats.classify.year import aware, in_year
from devstats.model.events import (
    STAR_EVENTS,
    STARGAZERS,
    Contributor,
    MajorRelease,
    ProjectEvents,
    PullRequestsReceived,
    Received,
    StarsGained,
    WorkShare,
)
from devstats.model.facts import ContributionsToOthers, Identity, PullRequest, Release
from devstats.model.rules import DEFAULT_BOT_ACCOUNTS

# --- stars ------------------------------------------------------------------------------------


def stars_from_events(events: ProjectEvents) -> tuple[StarsGained, ...]:
    """Per repository asked for, the people with a star event in the span (each person once, so
    starring, un-starring and starring again is one star). Incomplete when the engine has not
    loaded the whole span."""
    complete = events.complete
    people = {s.repository: s.people for s in events.stars}
    return tuple(
        StarsGained(name, people.get(name, 0), STAR_EVENTS, complete)
        for name in events.repositories
    )


def stars_from_stargazers(
    walks: Mapping[str, tuple[Sequence[datetime], bool]], *, year: int, tz: tzinfo
) -> tuple[StarsGained, ...]:
    """Per repository, today's stargazers whose star is dated in `year` (repository -> (star
    times, whether the walk reached the year's start))."""
    return tuple(
        StarsGained(name, stars_gained_in_year(times, year=year, tz=tz), STARGAZERS, complete)
        for name, (times, complete) in walks.items()
    )


# --- pull requests received -------------------------------------------------------------------


@dataclass
class _Person:
    login: str
    opened: int = 0
    merged: int = 0


def _someone_else(author: str, user: str, bot_accounts: Iterable[str]) -> bool:
    if not author or author.casefold() == user.casefold():
        return False
    return not is_bot(Identity(name=None, email=None, login=author), bot_accounts)


def pull_requests_received(
    events: ProjectEvents,
    *,
    user: str,
    bot_accounts: Iterable[str] = DEFAULT_BOT_ACCOUNTS,
) -> tuple[PullRequestsReceived, ...]:
    """Per repository asked for, the pull requests other people opened in the span (the user
    and bots, by the automated-commit rules, left out), how many were merged, by whom, and who
    opened their first pull request to that repository in the span. Repositories without any
    are left out."""
    accounts = tuple(bot_accounts)
    people: dict[str, dict[str, _Person]] = defaultdict(dict)
    for pull in events.pull_requests:
        if not _someone_else(pull.author, user, accounts):
            continue
        person = people[pull.repository].setdefault(pull.author.casefold(), _Person(pull.author))
        person.opened += 1
        person.merged += pull.merged_at is not None
    firsts = {
        (f.repository, f.author.casefold())
        for f in events.first_pull_requests
        if f.first_opened_at >= events.start
    }
    received = []
    for repository in events.repositories:
        if repository not in people:
            continue
        ordered = sorted(people[repository].values(), key=lambda p: (-p.opened, p.login.casefold()))
        contributors = tuple(
            Contributor(
                login=p.login,
                pull_requests=p.opened,
                merged=p.merged,
                first_time=(repository, p.login.casefold()) in firsts,
            )
            for p in ordered
        )
        received.append(
            PullRequestsReceived(
                repository=repository,
                opened=sum(c.pull_requests for c in contributors),
                merged=sum(c.merged for c in contributors),
                people=contributors,
                first_timers=tuple(c.login for c in contributors if c.first_time),
            )
        )
    return tuple(received)


# --- major releases ---------------------------------------------------------------------------


def major_releases(
    releases: Iterable[tuple[str, str, datetime | None, bool]], *, year: int, tz: tzinfo
) -> tuple[MajorRelease, ...]:
    """Releases (repository, tag, published at, pre-release) in `year` whose major version is
    above every earlier release of the repository (v1.3.2 → v2.0.0; v0.9 → v1.0 too). A first
    release raises nothing; pre-releases and tags that name no version are skipped."""
    by_repository: dict[str, list[tuple[datetime, Version, str]]] = defaultdict(list)
    for repository, tag, published_at, prerelease in releases:
        version = tag_version(tag)
        if published_at is None or prerelease or version is None or version.is_prerelease:
            continue
        by_repository[repository].append((aware(published_at), version, tag))
    found: list[MajorRelease] = []
    for repository, items in by_repository.items():
        highest: Version | None = None
        for published_at, version, tag in sorted(items, key=lambda item: item[0]):
            if (
                highest is not None
                and version.major > highest.major
                and in_year(published_at, year, tz)
            ):
                found.append(
                    MajorRelease(
                        repository=repository,
                        tag=tag,
                        version=str(version),
                        previous=str(highest),
                        major=version.major,
                        published_at=published_at.astimezone(tz),
                    )
                )
            if highest is None or version > highest:
                highest = version
    found.sort(key=lambda m: (m.published_at, m.repository.casefold()))
    return tuple(found)


# --- where the user's work went ---------------------------------------------------------------


def work_share(
    *,
    year: int,
    user: str,
    own_organizations: Sequence[str],
    pull_requests_by_repository: Mapping[str, int],
    reviews_by_repository: Mapping[str, int],
    issues_by_repository: Mapping[str, int],
) -> WorkShare:
    """The user's pull requests, reviews and issues of `year`, split between their own projects
    (theirs or their organizations') and other people's."""
    owners = {user.casefold(), *(org.casefold() for org in own_organizations)}
    counts = {}
    own = 0
    for kind, by_repository in (
        ("pull_requests", pull_requests_by_repository),
        ("reviews", reviews_by_repository),
        ("issues", issues_by_repository),
    ):
        mine = sum(n for name, n in by_repository.items() if _owner(name) in owners)
        counts[kind] = sum(by_repository.values()) - mine
        own += mine
    others_total = sum(counts.values())
    total = own + others_total
    return WorkShare(
        year=year,
        own=own,
        others=others_total,
        others_pull_requests=counts["pull_requests"],
        others_reviews=counts["reviews"],
        others_issues=counts["issues"],
        others_percent=round(100 * others_total / total) if total else None,
    )


def _owner(repository: str) -> str:
    return repository.split("/", 1)[0].casefold()


def pull_requests_by_repository(repositories: Iterable[str]) -> dict[str, int]:
    """How many pull requests each repository got, from one repository name per pull request."""
    counts: dict[str, int] = {}
    for name in repositories:
        counts[name] = counts.get(name, 0) + 1
    return counts


# --- the block --------------------------------------------------------------------------------


def received_of_year(
    *,
    year: int,
    tz: tzinfo,
    user: str,
    own_organizations: Sequence[str],
    bot_accounts: Iterable[str],
    events: ProjectEvents | None,
    stargazers: Mapping[str, tuple[Sequence[datetime], bool]] | None,
    complete_through: date | None,
    releases: Mapping[str, Sequence[Release]],
    work: tuple[Sequence[PullRequest], ContributionsToOthers],
    work_last_year: tuple[int, Sequence[PullRequest], ContributionsToOthers] | None = None,
) -> Received:
    """The report's `received` block. Stars come from `stargazers` when the walk was made
    (repository -> (star times, complete)), else from the event history; pull requests received
    only from the event history (None without it). `releases` are the listed projects' GitHub
    releases; `work` the year's pull requests by the user and the help GitHub lists by
    repository, `work_last_year` the same for the year before."""
    source = "github"
    stars: tuple[StarsGained, ...] = ()
    if stargazers is not None:
        stars = stars_from_stargazers(stargazers, year=year, tz=tz)
    elif events is not None:
        source, stars = events.source, stars_from_events(events)

    def share(
        of_year: int, pulls: Sequence[PullRequest], others: ContributionsToOthers
    ) -> WorkShare:
        return work_of_year(
            year=of_year,
            user=user,
            own_organizations=own_organizations,
            pull_requests=pulls,
            others=others,
        )

    return Received(
        source=source,
        complete_through=complete_through,
        stars=stars,
        pull_requests=(
            pull_requests_received(events, user=user, bot_accounts=bot_accounts)
            if events is not None
            else None
        ),
        major_releases=major_releases(
            [
                (r.repository, r.tag, r.published_at, r.prerelease)
                for items in releases.values()
                for r in items
            ],
            year=year,
            tz=tz,
        ),
        work=share(year, *work),
        work_last_year=share(*work_last_year) if work_last_year is not None else None,
    )


def work_of_year(
    *,
    year: int,
    user: str,
    own_organizations: Sequence[str],
    pull_requests: Iterable[PullRequest],
    others: ContributionsToOthers,
) -> WorkShare:
    """`work_share` from what the GitHub collector read: the year's pull requests by the user,
    and the reviews and issues GitHub lists by repository."""
    return work_share(
        year=year,
        user=user,
        own_organizations=own_organizations,
        pull_requests_by_repository=pull_requests_by_repository(
            p.repository for p in pull_requests
        ),
        reviews_by_repository=others.reviews_by_repository,
        issues_by_repository=others.issues_by_repository,
    )
