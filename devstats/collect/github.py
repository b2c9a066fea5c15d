"""GitHub activity for one user and one calendar year, through the GraphQL API.

Two kinds of request, as few as the data allows:

1. The contributions collection of the year (calendar, totals, the repositories with commit
   contributions, the pull requests). A year is one collection unless GitHub truncates the
   repository list at 100 (then that window is split and the lists merged) or refuses the
   calendar as too expensive (then the year is asked for per quarter).
2. The user's commits on the default branch of each of those repositories, ten repositories a
   request, continuing only the repositories that have more pages.

See docs/github.md for what each figure means upstream.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from devstats.collect import github_queries as q
from devstats.collect.stargazers import parse_github_time, parse_releases
from devstats.errors import NotFoundError, UpstreamError
from devstats.http import HttpClient, QueryTooLargeError
from devstats.models import (
    CalendarDay,
    Commit,
    Contributions,
    GitHubActivity,
    Identity,
    Notice,
    PullRequest,
    Release,
    RepositoryInfo,
)
from devstats.notices import ParamValue, notice

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Window:
    """A span of time in the user's time zone: `start` inclusive, `end` exclusive."""

    start: datetime
    end: datetime

    @property
    def last_second(self) -> datetime:
        # GitHub's `to` is inclusive ("before and up to (including) this time").
        return self.end - timedelta(seconds=1)

    def variables(self) -> dict[str, str]:
        return {"from": self.start.isoformat(), "to": self.last_second.isoformat()}

    def label(self) -> str:
        return f"{self.start.date().isoformat()}..{self.last_second.date().isoformat()}"


def year_window(year: int, tz: tzinfo) -> Window:
    return Window(datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz))


def split_window(window: Window) -> tuple[Window, Window] | None:
    """Two halves along a month boundary (year → halves → quarters → months), then by days.

    None when the window is a single day and cannot be split further.
    """
    tz = window.start.tzinfo
    month_starts = []
    cursor = datetime(window.start.year, window.start.month, 1, tzinfo=tz)
    while cursor < window.end:
        if cursor > window.start:
            month_starts.append(cursor)
        cursor = datetime(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1, tzinfo=tz)
    middle = window.start + (window.end - window.start) / 2
    if month_starts:
        cut = min(month_starts, key=lambda m: abs(m - middle))
        return Window(window.start, cut), Window(cut, window.end)
    days = (window.end.date() - window.start.date()).days
    if days < 2:
        return None
    start_day = window.start.date() + timedelta(days=days // 2)
    cut = datetime(start_day.year, start_day.month, start_day.day, tzinfo=tz)
    return Window(window.start, cut), Window(cut, window.end)


# --- one window of the contributions collection ------------------------------------------------


@dataclass
class _WindowPart:
    window: Window
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
    repositories: dict[str, RepositoryInfo] = field(default_factory=dict)
    pulls: dict[str, PullRequest] = field(default_factory=dict)
    capped: bool = False


def _user_or_raise(data: Mapping[str, Any], user: str) -> Mapping[str, Any]:
    node = data.get("user")
    if not isinstance(node, dict):
        raise NotFoundError(f"GitHub user '{user}' not found")
    return node


def _graphql(
    http: HttpClient, url: str, query: str, variables: Mapping[str, Any], user: str
) -> Any:
    try:
        return http.graphql(url, query, variables)
    except NotFoundError:
        raise NotFoundError(f"GitHub user '{user}' not found") from None


def _repository_info(node: Mapping[str, Any]) -> RepositoryInfo:
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


def _read_commit_repositories(collection: Mapping[str, Any], part: _WindowPart) -> None:
    entries = collection.get("commitContributionsByRepository") or []
    part.capped = len(entries) >= q.MAX_REPOSITORIES
    for entry in entries:
        info = _repository_info(entry["repository"])
        part.repositories[info.name_with_owner] = info
        days = int((entry.get("contributions") or {}).get("totalCount") or 0)
        part.commit_repositories[info.name_with_owner] = (
            part.commit_repositories.get(info.name_with_owner, 0) + days
        )


def _read_pull_requests(collection: Mapping[str, Any], part: _WindowPart) -> str | None:
    """Add one page of pull requests; return the cursor of the next page, if any."""
    connection = collection.get("pullRequestContributions") or {}
    for node in connection.get("nodes") or []:
        pr = (node or {}).get("pullRequest")
        if not pr:
            continue
        repository = _repository_info(pr["repository"])
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


class _Collector:
    def __init__(self, http: HttpClient, url: str, user: str, progress: Progress | None) -> None:
        self.http = http
        self.url = url
        self.user = user
        self.progress = progress
        self.warnings: list[Notice] = []
        self.releases: dict[str, tuple[Release, ...]] = {}

    def say(self, line: str) -> None:
        if self.progress is not None:
            self.progress(line)

    # -- contributions ------------------------------------------------------------------------

    def contributions(self, year: Window) -> list[_WindowPart]:
        try:
            parts = [self.window(year)]
        except QueryTooLargeError:
            # A full-year calendar can exceed GitHub's resource limits; quarters succeed.
            self.say("the full-year query was too large for GitHub; asking per quarter")
            parts = []
            for half in _pieces(year):
                for quarter in _pieces(half):
                    parts.extend(self.window_or_split(quarter))
        for part in parts:
            if part.capped:
                self.uncap(part)
        return parts

    def window_or_split(self, window: Window) -> list[_WindowPart]:
        try:
            return [self.window(window)]
        except QueryTooLargeError:
            pieces = split_window(window)
            if pieces is None:
                raise
            return [p for piece in pieces for p in self.window_or_split(piece)]

    def window(self, window: Window) -> _WindowPart:
        part = _WindowPart(window)
        variables: dict[str, Any] = {"login": self.user, **window.variables(), "prCursor": None}
        data = _graphql(self.http, self.url, q.CONTRIBUTIONS_QUERY, variables, self.user)
        node = _user_or_raise(data, self.user)
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
        _read_commit_repositories(collection, part)
        cursor = _read_pull_requests(collection, part)
        page = 1
        while cursor:
            page += 1
            self.say(f"fetching pull requests {window.label()} (page {page})")
            variables = {"login": self.user, **window.variables(), "prCursor": cursor}
            data = _graphql(self.http, self.url, q.PULL_REQUESTS_QUERY, variables, self.user)
            more = _user_or_raise(data, self.user)["contributionsCollection"]
            cursor = _read_pull_requests(more, part)
        self.say(
            f"contributions {window.label()}: {part.total} on the calendar, "
            f"{len(part.commit_repositories)} repositories with commits"
        )
        return part

    def uncap(self, part: _WindowPart) -> None:
        """Replace a truncated repository list by the union of its sub-windows' lists."""
        self.say(f"{q.MAX_REPOSITORIES} repositories in {part.window.label()}: splitting it")
        merged: dict[str, int] = {}
        for days, info in self.repositories_in(part.window, top=True):
            for name, count in days.items():
                merged[name] = merged.get(name, 0) + count
            for name, repo in info.items():
                part.repositories.setdefault(name, repo)
        part.commit_repositories = merged
        part.capped = False

    def repositories_in(
        self, window: Window, *, top: bool = False
    ) -> Iterable[tuple[dict[str, int], dict[str, RepositoryInfo]]]:
        pieces = split_window(window)
        if pieces is None:
            self.warnings.append(
                notice("repositories-capped", limit=q.MAX_REPOSITORIES, window=window.label())
            )
            return
        for piece in pieces:
            variables = {"login": self.user, **piece.variables()}
            data = _graphql(self.http, self.url, q.COMMIT_REPOSITORIES_QUERY, variables, self.user)
            collection = _user_or_raise(data, self.user)["contributionsCollection"]
            sub = _WindowPart(piece)
            _read_commit_repositories(collection, sub)
            if sub.capped:
                yield from self.repositories_in(piece)
            else:
                yield sub.commit_repositories, sub.repositories

    # -- commits -------------------------------------------------------------------------------

    def commits(self, user_id: str, repositories: list[str], year: Window) -> list[Commit]:
        pending: list[tuple[str, str | None, int]] = [(r, None, 1) for r in repositories]
        done = 0
        seen: dict[str, Commit] = {}
        while pending:
            batch, pending = pending[: q.HISTORY_BATCH_SIZE], pending[q.HISTORY_BATCH_SIZE :]
            variables: dict[str, Any] = {
                "userId": user_id,
                "since": year.start.isoformat(),
                "until": year.last_second.isoformat(),
            }
            for i, (name, cursor, _page) in enumerate(batch):
                owner, _, repo = name.partition("/")
                variables[f"o{i}"], variables[f"n{i}"], variables[f"c{i}"] = owner, repo, cursor
            try:
                data = self.http.graphql(self.url, q.commit_history_query(len(batch)), variables)
            except NotFoundError:
                # One repository gone (deleted, renamed, made private) must not cost the others:
                # ask for each alone, and note the ones that are gone.
                for item in batch:
                    next_cursor = (
                        self._single(item, variables, seen)
                        if len(batch) > 1
                        else self._gone(item[0])
                    )
                    if next_cursor is None:
                        done += 1
                    else:
                        pending.append((item[0], next_cursor, item[2] + 1))
                continue
            for i, (name, _cursor, page) in enumerate(batch):
                next_cursor = self._read_history(data.get(q.history_alias(i)), name, seen)
                if next_cursor is None:
                    done += 1
                else:
                    pending.append((name, next_cursor, page + 1))
            pages = max(page for _n, _c, page in batch)
            self.say(f"fetched {done}/{len(repositories)} repositories' history (page {pages})")
        return list(seen.values())

    def _gone(self, name: str) -> str | None:
        """Note a repository that cannot be read; there is no next page for it."""
        self.warnings.append(notice("repository-gone", repository=name))
        return None

    def _single(
        self,
        item: tuple[str, str | None, int],
        shared: Mapping[str, Any],
        seen: dict[str, Commit],
    ) -> str | None:
        name, cursor, _page = item
        owner, _, repo = name.partition("/")
        variables = {
            "userId": shared["userId"],
            "since": shared["since"],
            "until": shared["until"],
            "o0": owner,
            "n0": repo,
            "c0": cursor,
        }
        try:
            data = self.http.graphql(self.url, q.commit_history_query(1), variables)
        except NotFoundError:
            return self._gone(name)
        return self._read_history(data.get(q.history_alias(0)), name, seen)

    def _read_history(self, node: Any, name: str, seen: dict[str, Commit]) -> str | None:
        if not isinstance(node, dict):
            self.warnings.append(notice("repository-unreadable", repository=name))
            return None
        branch = node.get("defaultBranchRef") or {}
        history = (branch.get("target") or {}).get("history")
        if not isinstance(history, dict):
            return None  # an empty repository has no default branch yet
        repository = str(node.get("nameWithOwner") or name)
        if repository not in self.releases:
            connection = node.get("releases") or {}
            self.releases[repository] = parse_releases(repository, connection.get("nodes") or ())
        for commit in history.get("nodes") or []:
            if not commit or commit["oid"] in seen:
                continue
            seen[commit["oid"]] = _commit(commit, repository)
        info = history.get("pageInfo") or {}
        return str(info["endCursor"]) if info.get("hasNextPage") and info.get("endCursor") else None


def _pieces(window: Window) -> tuple[Window, ...]:
    pieces = split_window(window)
    return pieces if pieces is not None else (window,)


def _identity(actor: Mapping[str, Any] | None) -> Identity:
    actor = actor or {}
    account = actor.get("user") or {}
    return Identity(name=actor.get("name"), email=actor.get("email"), login=account.get("login"))


def _commit(node: Mapping[str, Any], repository: str) -> Commit:
    author = node.get("author") or {}
    committer = node.get("committer") or {}
    # GitActor.date is a GitTimestamp, "not converted in UTC": it keeps the offset git recorded.
    authored = author.get("date") or node["authoredDate"]
    committed = committer.get("date") or node["committedDate"]
    return Commit(
        sha=str(node["oid"]),
        repository=repository,
        author=_identity(author),
        committer=_identity(committer),
        authored_at=parse_github_time(str(authored)),
        committed_at=parse_github_time(str(committed)),
        message=str(node.get("message") or ""),
    )


# --- merging and the mismatch warning ---------------------------------------------------------


def _merge_contributions(parts: list[_WindowPart]) -> Contributions:
    days: dict[date, int] = {}
    for part in parts:
        for day, count in part.days.items():
            days[day] = days.get(day, 0) + count
    return Contributions(
        total=sum(p.total for p in parts),
        commits=sum(p.commits for p in parts),
        pull_requests=sum(p.pull_requests for p in parts),
        issues=sum(p.issues for p in parts),
        reviews=sum(p.reviews for p in parts),
        restricted=sum(p.restricted for p in parts),
        calendar=tuple(CalendarDay(day, days[day]) for day in sorted(days)),
    )


def mismatch_warning(
    user: str, year: int, counted: int, retrieved: int, restricted: int
) -> Notice | None:
    """Explain a difference between GitHub's commit count and the commits retrieved."""
    if counted == retrieved:
        return None
    common: dict[str, ParamValue] = {
        "user": user,
        "year": str(year),
        "counted": counted,
        "retrieved": retrieved,
    }
    if counted > retrieved:
        return notice(
            "commits-fewer-than-counted",
            **common,
            difference=counted - retrieved,
            restricted=restricted,
        )
    return notice("commits-more-than-counted", **common, difference=retrieved - counted)


def collect_github_activity(
    http: HttpClient,
    *,
    user: str,
    year: int,
    tz: tzinfo,
    graphql_url: str,
    progress: Progress | None = None,
) -> GitHubActivity:
    """Collect `user`'s contributions, commits and pull requests in calendar `year` (in `tz`).

    Raises NotFoundError for an unknown user; other failures come from `HttpClient`. Every
    figure here has a GraphQL source, so no REST request is made.
    """
    collector = _Collector(http, graphql_url, user, progress)
    window = year_window(year, tz)
    parts = collector.contributions(window)
    user_id = next((p.user_id for p in parts if p.user_id), "")
    if not user_id:
        raise UpstreamError("GitHub returned no id for the user")
    repositories: dict[str, RepositoryInfo] = {}
    commit_repositories: dict[str, int] = {}
    pulls: dict[str, PullRequest] = {}
    for part in parts:
        for name, info in part.repositories.items():
            repositories.setdefault(name, info)
        for name, days in part.commit_repositories.items():
            commit_repositories[name] = commit_repositories.get(name, 0) + days
        pulls.update(part.pulls)
    contributions = _merge_contributions(parts)
    ordered = sorted(commit_repositories, key=lambda n: (-commit_repositories[n], n.lower()))
    commits = collector.commits(user_id, ordered, window)
    commits.sort(key=lambda c: (c.committed_at, c.sha))
    warning = mismatch_warning(
        user, year, contributions.commits, len(commits), contributions.restricted
    )
    warnings = [*collector.warnings, *([warning] if warning else [])]
    return GitHubActivity(
        user=user,
        contributions=contributions,
        commits=tuple(commits),
        pull_requests=tuple(sorted(pulls.values(), key=lambda p: (p.created_at, p.url))),
        repositories=tuple(repositories[n] for n in sorted(repositories, key=str.lower)),
        warnings=tuple(warnings),
        releases=dict(collector.releases),
    )
