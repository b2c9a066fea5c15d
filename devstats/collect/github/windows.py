"""The contributions collection of a year: windows of time and what GitHub lists in each.

The year is one window unless GitHub refuses its calendar as too expensive (then it is asked for
per quarter). A window whose repository list GitHub truncates at 100 is split, months first and
then days, and the pieces of one level are asked for together, many windows to a query
(`commit_windows_query`); only the pieces still truncated are split again. A repository with
commit contributions on more days than the year's query holds (the newest and oldest 100) has the
days between asked for per month, beside the first history query (`GapRider`); what they add
comes back as new day maps, and the windows' own are left as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from devstats.collect.github import queries as q
from devstats.collect.github.batches import BatchSize, ask_batch
from devstats.collect.github.spans import (
    Span,
    add_days,
    contribution_day,
    finer_windows,
    month_windows,
    parse_github_time,
    pieces,
    split_window,
    utc_midnight,
)
from devstats.http.answers import QueryTooLargeError
from devstats.http.client import HttpClient
from devstats.model.errors import NotFoundError
from devstats.model.facts import Notice, Progress, PullRequest, RepositoryInfo
from devstats.model.notices import notice

# --- what one window holds ----------------------------------------------------------------------


@dataclass
class WindowPart:
    window: Span
    user_id: str = ""
    total: int = 0
    commits: int = 0
    pull_requests: int = 0
    issues: int = 0
    reviews: int = 0
    restricted: int = 0
    days: dict[date, int] = field(default_factory=dict)
    # repository → days with commit contributions (GitHub's `contributions.totalCount`)
    commit_repositories: dict[str, int] = field(default_factory=dict)
    # repository → UTC day → commit contributions GitHub counts that day
    commit_days: dict[str, dict[date, int]] = field(default_factory=dict)
    # repository → (last day of its oldest page, first day of its newest page) when the two pages
    # did not hold every day: the days strictly between are still to be asked for
    gaps: dict[str, tuple[date, date]] = field(default_factory=dict)
    repositories: dict[str, RepositoryInfo] = field(default_factory=dict)
    pulls: dict[str, PullRequest] = field(default_factory=dict)
    # the repository list (or a repository's days) is incomplete: split the window
    capped: bool = False


def repository_info(node: Mapping[str, Any]) -> RepositoryInfo:
    owner = node.get("owner") or {}
    language = node.get("primaryLanguage") or {}
    return RepositoryInfo(
        name_with_owner=str(node["nameWithOwner"]),
        owner=str(owner.get("login") or str(node["nameWithOwner"]).split("/")[0]),
        stars=node.get("stargazerCount"),
        description=node.get("description"),
        language=language.get("name"),
        url=node.get("url"),
        is_fork=bool(node.get("isFork")),
    )


def _day_counts(connection: Mapping[str, Any]) -> dict[date, int]:
    # `occurredAt` is a moment on the contribution's day; GitHub's days are UTC days.
    counts: dict[date, int] = {}
    for node in connection.get("nodes") or []:
        if node:
            day = contribution_day(parse_github_time(str(node["occurredAt"])))
            counts[day] = int(node.get("commitCount") or 0)
    return counts


def _listed(
    collection: Mapping[str, Any], part: WindowPart
) -> Iterator[tuple[Mapping[str, Any], str, Mapping[str, Any]]]:
    """Each repository a window lists, recorded in `part` with GitHub's commit count for it."""
    entries = collection.get("commitContributionsByRepository") or []
    part.capped = len(entries) >= q.MAX_REPOSITORIES
    for entry in entries:
        info = repository_info(entry["repository"])
        name = info.name_with_owner
        part.repositories[name] = info
        newest = entry.get("newest") or {}
        part.commit_repositories[name] = int(newest.get("totalCount") or 0)
        yield entry, name, newest


def _read_year_repositories(collection: Mapping[str, Any], part: WindowPart) -> None:
    """The repository list of the year's query: newest and oldest 100 days of each."""
    for entry, name, newest in _listed(collection, part):
        listed = part.commit_repositories[name]
        latest = _day_counts(newest)
        earliest = _day_counts(entry.get("oldest") or {})
        part.commit_days[name] = {**earliest, **latest}
        if len(part.commit_days[name]) < listed and latest and earliest:
            part.gaps[name] = (max(earliest), min(latest))


def _read_window_repositories(collection: Mapping[str, Any], part: WindowPart) -> None:
    """The repository list of one aliased window: every day of each, in one page."""
    for _entry, name, newest in _listed(collection, part):
        part.commit_days[name] = _day_counts(newest)
        if len(part.commit_days[name]) < part.commit_repositories[name]:
            part.capped = True


def _read_pull_requests(collection: Mapping[str, Any], part: WindowPart) -> str | None:
    """Add one page of pull requests; return the cursor of the next page, if any."""
    connection = collection.get("pullRequestContributions") or {}
    for node in connection.get("nodes") or []:
        pr = (node or {}).get("pullRequest")
        if not pr:
            continue
        repository = repository_info(pr["repository"])
        part.repositories.setdefault(repository.name_with_owner, repository)
        merged = pr.get("mergedAt")
        part.pulls[str(pr["url"])] = PullRequest(
            repository=repository.name_with_owner,
            number=int(pr["number"]),
            title=str(pr["title"]),
            url=str(pr["url"]),
            state=str(pr["state"]),
            created_at=parse_github_time(str(pr["createdAt"])),
            merged_at=parse_github_time(str(merged)) if merged else None,
        )
    info = connection.get("pageInfo") or {}
    return str(info["endCursor"]) if info.get("hasNextPage") and info.get("endCursor") else None


def _read_totals(node: Mapping[str, Any], part: WindowPart) -> None:
    part.user_id = str(node["id"])
    collection = node["contributionsCollection"]
    part.commits = int(collection["totalCommitContributions"])
    part.issues = int(collection["totalIssueContributions"])
    part.pull_requests = int(collection["totalPullRequestContributions"])
    part.reviews = int(collection["totalPullRequestReviewContributions"])
    part.restricted = int(collection["restrictedContributionsCount"])
    calendar = collection["contributionCalendar"]
    part.total = int(calendar["totalContributions"])
    for week in calendar.get("weeks") or []:
        for day in week.get("contributionDays") or []:
            when = date.fromisoformat(str(day["date"]))
            part.days[when] = part.days.get(when, 0) + int(day["contributionCount"])


def _day_nodes(window: Span) -> int:
    """Day nodes asked per repository for a window: one per UTC day it touches."""
    return min(q.DAYS_PER_PAGE, window.utc_days)


# --- asking ---------------------------------------------------------------------------------------


class ContributionsReader:
    """Reads the contributions collection of a year for one user."""

    def __init__(self, http: HttpClient, url: str, user: str, say: Progress) -> None:
        self.http = http
        self.url = url
        self.user = user
        self.say = say
        self.warnings: list[Notice] = []
        # UTC days a windows query may cover, in all its windows together
        self.sizes = BatchSize(q.WINDOW_DAYS)

    def user_node(self, data: Mapping[str, Any]) -> Mapping[str, Any]:
        node = data.get("user")
        if not isinstance(node, dict):
            raise NotFoundError(f"GitHub user '{self.user}' not found")
        return node

    def _ask(self, query: str, variables: Mapping[str, Any], aliases: int = 1) -> Any:
        try:
            return ask_batch(self.http, self.url, query, variables, aliases=aliases)
        except NotFoundError:
            raise NotFoundError(f"GitHub user '{self.user}' not found") from None

    def contributions(self, year: Span) -> list[WindowPart]:
        try:
            parts = [self.window(year)]
        except QueryTooLargeError:
            # A full-year calendar can exceed GitHub's resource limits; quarters succeed.
            self.say("the full-year query was too large for GitHub; asking per quarter")
            quarters = [quarter for half in pieces(year) for quarter in pieces(half)]
            parts = [part for quarter in quarters for part in self.window_or_split(quarter)]
        self.uncap([p for p in parts if p.capped])
        return parts

    def window_or_split(self, window: Span) -> list[WindowPart]:
        try:
            return [self.window(window)]
        except QueryTooLargeError:
            pieces = split_window(window)
            if pieces is None:
                raise
            return [p for piece in pieces for p in self.window_or_split(piece)]

    def window(self, window: Span) -> WindowPart:
        """Calendar, totals, repositories and every page of pull requests of one window."""
        part = WindowPart(window)
        variables: dict[str, Any] = {"login": self.user, **window.variables(), "prCursor": None}
        node = self.user_node(self._ask(q.CONTRIBUTIONS_QUERY, variables))
        _read_totals(node, part)
        _read_year_repositories(node["contributionsCollection"], part)
        cursor = _read_pull_requests(node["contributionsCollection"], part)
        page = 1
        while cursor:
            page += 1
            self.say(f"fetching pull requests {window.label()} (page {page})")
            variables = {"login": self.user, **window.variables(), "prCursor": cursor}
            more = self.user_node(self._ask(q.PULL_REQUESTS_QUERY, variables))
            cursor = _read_pull_requests(more["contributionsCollection"], part)
        self.say(
            f"contributions {window.label()}: {part.total} on the calendar, "
            f"{len(part.commit_repositories)} repositories with commits"
        )
        return part

    def uncap(self, parts: list[WindowPart]) -> None:
        """Replace each truncated repository list by the union of its pieces' lists."""
        if not parts:
            return
        for part in parts:
            self.say(f"{q.MAX_REPOSITORIES} repositories in {part.window.label()}: splitting it")
        pieces = [p for part in parts for p in finer_windows(part.window) or ()]
        listed = self.complete_lists(pieces)
        for part in parts:
            part.commit_repositories = {}
            part.commit_days = {}
            for sub in (s for s in listed if part.window.holds(s.window)):
                for name, count in sub.commit_repositories.items():
                    part.commit_repositories[name] = part.commit_repositories.get(name, 0) + count
                for name, repo in sub.repositories.items():
                    part.repositories.setdefault(name, repo)
                add_days(part.commit_days, sub.commit_days)
            part.gaps = {}
            part.capped = False

    def complete_lists(self, windows: list[Span]) -> list[WindowPart]:
        """The repository lists of `windows`, each complete: a list still truncated is split
        into finer windows, and each level is asked for in batches."""
        complete: list[WindowPart] = []
        pending = windows
        while pending:
            pending_next: list[Span] = []
            for part in self.list_windows(pending):
                finer = finer_windows(part.window) if part.capped else None
                if finer is not None:
                    pending_next.extend(finer)
                    continue
                if part.capped:
                    limit, label = q.MAX_REPOSITORIES, part.window.label()
                    self.warnings.append(notice("repositories-capped", limit=limit, window=label))
                complete.append(part)
            pending = pending_next
        return complete

    def list_windows(self, windows: list[Span]) -> list[WindowPart]:
        """One aliased query per batch of windows; a batch GitHub refuses is halved."""
        parts: list[WindowPart] = []
        pending = windows
        while pending:
            batch, _ = self.sizes.take(pending[: q.WINDOWS_PER_QUERY], _day_nodes)
            variables = {"login": self.user, **window_variables(batch)}
            query = q.commit_windows_query(len(batch))
            try:
                data = self._ask(query, variables, aliases=len(batch))
            except QueryTooLargeError:
                if len(batch) == 1 or not self.sizes.shrink(sum(map(_day_nodes, batch))):
                    raise
                continue
            parts.extend(read_windows(self.user_node(data), batch))
            pending = pending[len(batch) :]
            self.say(f"listed the repositories of {len(parts)}/{len(windows)} windows")
        return parts


def window_variables(windows: Iterable[Span]) -> dict[str, Any]:
    """The variables of `windows` in a batched query: `$from<i>`, `$to<i>`, `$d<i>`."""
    variables: dict[str, Any] = {}
    for i, window in enumerate(windows):
        variables[f"from{i}"] = window.start.isoformat()
        variables[f"to{i}"] = window.last_second.isoformat()
        variables[f"d{i}"] = _day_nodes(window)
    return variables


def read_windows(user: Mapping[str, Any], windows: Iterable[Span]) -> list[WindowPart]:
    """The answered windows `w0`, `w1`, ... of a batched query, in order."""
    parts = []
    for i, window in enumerate(windows):
        part = WindowPart(window)
        _read_window_repositories(user.get(q.window_alias(i)) or {}, part)
        parts.append(part)
    return parts


# --- the days between a repository's newest and oldest 100 days of commits ----------------------
#
# The year's query holds a repository's newest and oldest 100 days of commit contributions; a
# repository with commits on more days leaves a gap between them. The gap's months (cut at UTC
# midnights, so each of GitHub's days falls in one) are asked for beside the first history query
# (`GapRider`), or alone when that query cannot carry them.


@dataclass(frozen=True)
class GapFill:
    """The UTC months holding the days some repositories' newest and oldest 100 days of commits
    left out (`parts[i].gaps`)."""

    parts: tuple[WindowPart, ...]
    windows: tuple[Span, ...]

    @property
    def repositories(self) -> set[str]:
        return {name for part in self.parts for name in part.gaps}

    def inside(self, listed: Iterable[WindowPart]) -> dict[str, dict[date, int]]:
        """The days of `listed` (the gap's windows) inside each gap: what the year's windows
        left out."""
        listed = list(listed)
        added: dict[str, dict[date, int]] = {}
        for part in self.parts:
            for sub in listed:
                for name, (after, before) in part.gaps.items():
                    days = sub.commit_days.get(name, {})
                    add_days(added, {name: {d: n for d, n in days.items() if after < d < before}})
        return added

    def merge(self, added: Mapping[str, Mapping[date, int]]) -> dict[str, dict[date, int]]:
        """Every day of the repositories that had a gap: the windows' days with `added`, in new
        maps (the windows' own are left as they are)."""
        names = self.repositories
        merged: dict[str, dict[date, int]] = {}
        for part in self.parts:
            add_days(merged, {n: d for n, d in part.commit_days.items() if n in names})
        add_days(merged, added)
        return merged


def gap_fill(parts: Iterable[WindowPart]) -> GapFill | None:
    with_gaps = tuple(part for part in parts if part.gaps)
    gaps = [gap for part in with_gaps for gap in part.gaps.values()]
    if not gaps:
        return None
    start = utc_midnight(min(after for after, _ in gaps) + timedelta(days=1))
    end = utc_midnight(max(before for _, before in gaps))
    return GapFill(with_gaps, month_windows(Span(start, end)) if start < end else ())


class GapRider:
    """A gap's windows, asked for beside a history query (or alone, when that fails)."""

    def __init__(self, reader: ContributionsReader, fill: GapFill) -> None:
        self.reader = reader
        self.fill = fill
        self.repositories = fill.repositories
        # At most seven months (a gap is under 200 days); more would go alone.
        self.windows = len(fill.windows) if len(fill.windows) <= q.GAP_WINDOWS else 0
        # the days the gap's windows added, once they are read
        self.added: dict[str, dict[date, int]] = {}

    def variables(self) -> dict[str, Any]:
        return {"login": self.reader.user, **window_variables(self.fill.windows)}

    def take(self, data: Mapping[str, Any]) -> dict[str, dict[date, int]]:
        """Read the windows from a history query's answer; the repositories' days, complete."""
        listed = read_windows(self.reader.user_node(data), self.fill.windows)
        complete = [part for part in listed if not part.capped]
        again = [part.window for part in listed if part.capped]
        return self._merged([*complete, *self.reader.complete_lists(again)])

    def alone(self) -> dict[str, dict[date, int]]:
        """Ask for the windows in queries of their own."""
        return self._merged(self.reader.complete_lists(list(self.fill.windows)))

    def _merged(self, listed: Iterable[WindowPart]) -> dict[str, dict[date, int]]:
        self.added = self.fill.inside(listed)
        return self.fill.merge(self.added)

    def with_added(self, days: Mapping[str, Mapping[date, int]]) -> dict[str, dict[date, int]]:
        """`days` (GitHub's count per repository and UTC day) with the days the gap added."""
        whole: dict[str, dict[date, int]] = {}
        add_days(whole, days)
        add_days(whole, self.added)
        return whole


def gap_rider(reader: ContributionsReader, parts: Iterable[WindowPart]) -> GapRider | None:
    """The days some repositories' newest and oldest pages both left out, to be asked for
    beside the first history query (None when there are none)."""
    fill = gap_fill(parts)
    if fill is None:
        return None
    first, last = fill.windows[0].start.date(), fill.windows[-1].last_second.date()
    reader.say(f"more than {2 * q.DAYS_PER_PAGE} days with commits: asking for {first}..{last}")
    return GapRider(reader, fill)
