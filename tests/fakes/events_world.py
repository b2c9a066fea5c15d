"""GitHub's public event history of a fake GitHub world, as GH Archive would have recorded it.

`events_of(world)` turns what a GitHubWorld holds into `github_events` rows for
tests/fakes/github_events.py: a star event per star time, the opening (and the merge) of every
pull request, the publication of every release. Star events for stars removed since
(`unstarred`) can be added: GitHub's stargazer list no longer has them, the history still does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta

from tests.fakes.github_events import EventRow, FakeGitHubEvents, pull_request, release, star
from tests.fakes.github_world import GitHubWorld


def events_of(
    world: GitHubWorld,
    *,
    unstarred: Mapping[str, Sequence[datetime]] | None = None,
    until: datetime | None = None,
) -> list[EventRow]:
    """The world's events, oldest first; with `until`, only those before it (what the history
    had loaded at that moment), and an event elsewhere in the hour before it: the rest of
    GitHub, whose events fill every hour the history has loaded."""
    rows: list[EventRow] = []
    for repository in world.repositories.values():
        name = (
            repository.name_with_owner
        )  # the spelling GitHub gives (the world keys by lower case)
        for n, moment in enumerate(sorted(repository.starred_at)):
            rows.append(star(f"stargazer{n}", name, moment))
        for n, moment in enumerate((unstarred or {}).get(name, ())):
            rows.append(star(f"gone{n}", name, moment))
        for published in repository.releases:
            if published.published_at is not None and not published.draft:
                rows.append(release(repository.owner, name, published.tag, published.published_at))
    for pr in world.pull_requests:
        merged = pr.merged_at if pr.state == "MERGED" else None
        rows += pull_request(
            pr.author, pr.repository, pr.number, pr.created_at, title=pr.title, merged=merged
        )
    if until is not None:
        rows = [row for row in rows if row.at < until]
        rows.append(
            EventRow("PushEvent", "someone", "someone/elsewhere", until - timedelta(hours=1))
        )
    rows.sort(key=lambda row: row.at)
    return rows


def fake_events(
    world: GitHubWorld,
    *,
    unstarred: Mapping[str, Sequence[datetime]] | None = None,
    until: datetime | None = None,
    extra: Iterable[EventRow] = (),
) -> FakeGitHubEvents:
    """The event history of `world` (and `extra` rows) behind a fake ClickHouse."""
    events = FakeGitHubEvents()
    events.add(events_of(world, unstarred=unstarred, until=until))
    events.add(extra)
    return events
