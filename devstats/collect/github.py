"""GitHub activity for one user and one calendar year, through the GraphQL API.

Two kinds of request, as few as the data allows:

1. The contributions collection of the year (calendar, totals, the repositories with commit
   contributions, the pull requests). A year is one collection unless GitHub truncates the
   repository list at 100 (then that window is split and the lists merged) or refuses the
   calendar as too expensive (then the year is asked for per quarter).
2. The user's commits on the default branch of each of those repositories, ten repositories a
   request, continuing only the repositories that have more pages.

The commits are then set against GitHub's own count, per repository and per day
(`reconcile`), and every difference is named in a notice (`commit_count_notices`).

See docs/github.md for what each figure means upstream.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from devstats.collect import github_queries as q
from devstats.collect.stargazers import parse_github_time, parse_releases
from devstats.errors import NotFoundError, UpstreamError
from devstats.http import HttpClient, QueryTooLargeError
from devstats.models import (
    CalendarDay,
    Commit,
    CommitReconciliation,
    Contributions,
    DayCount,
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
    # repository → UTC day → commit contributions GitHub counts that day
    commit_days: dict[str, dict[date, int]] = field(default_factory=dict)
    # repository → (last day of its oldest page, first day of its newest page) when the two pages
    # did not hold every day: the days strictly between are still to be asked for
    gaps: dict[str, tuple[date, date]] = field(default_factory=dict)
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


def contribution_day(moment: datetime) -> date:
    """The day GitHub counts a commit contribution on: the UTC day of its author date.

    "Contributions are timestamped according to Coordinated Universal Time (UTC)" and "the author
    date is used to calculate when a commit was made" (GitHub, "Profile contributions reference").
    """
    return moment.astimezone(UTC).date()


def _day_counts(connection: Mapping[str, Any]) -> dict[date, int]:
    # `occurredAt` is a moment on the contribution's day; GitHub's days are UTC days.
    counts: dict[date, int] = {}
    for node in connection.get("nodes") or []:
        if node:
            day = contribution_day(parse_github_time(str(node["occurredAt"])))
            counts[day] = int(node.get("commitCount") or 0)
    return counts


def _read_commit_repositories(collection: Mapping[str, Any], part: _WindowPart) -> None:
    entries = collection.get("commitContributionsByRepository") or []
    part.capped = len(entries) >= q.MAX_REPOSITORIES
    for entry in entries:
        info = _repository_info(entry["repository"])
        name = info.name_with_owner
        part.repositories[name] = info
        newest = entry.get("newest") or {}
        listed = int(newest.get("totalCount") or 0)
        part.commit_repositories[name] = part.commit_repositories.get(name, 0) + listed
        latest = _day_counts(newest)
        earliest = _day_counts(entry.get("oldest") or {})
        part.commit_days[name] = {**earliest, **latest}
        if len(part.commit_days[name]) < listed and latest and earliest:
            part.gaps[name] = (max(earliest), min(latest))


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


def _add_days(into: dict[str, dict[date, int]], days: Mapping[str, Mapping[date, int]]) -> None:
    # Windows never overlap, so a UTC day split between two of them is the sum of its parts.
    for name, counts in days.items():
        merged = into.setdefault(name, {})
        for day, count in counts.items():
            merged[day] = merged.get(day, 0) + count


def _utc_midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


# --- which commit dates the history is read over ----------------------------------------------


@dataclass(frozen=True)
class HistorySpan:
    """Commit dates one reading of a repository's history covers, both ends inclusive."""

    since: datetime
    until: datetime


# `history(since:, until:)` filters on the commit date, as `git log --since/--until` does, while
# GitHub places a commit contribution on its author date. A commit authored in the year can be
# committed after it (December's work rebased, cherry-picked or merged in January), and one
# authored before the year can be committed inside it (those are read and left out). So every
# repository is read over the year and a day either side; a repository where GitHub still counts
# more commits on some day than were found is read again over the HISTORY_LATE after the year.
# Work committed later than that is not read (a busy repository is not paged through for
# months): its days are named by the reconciliation.
HISTORY_MARGIN = timedelta(days=1)
HISTORY_LATE = timedelta(days=31)


def history_spans(year: Window) -> tuple[HistorySpan, ...]:
    """The commit-date spans read in turn: the year with a margin, then the weeks after it."""
    first = HistorySpan(year.start - HISTORY_MARGIN, year.end + HISTORY_MARGIN)
    later = HistorySpan(
        first.until + timedelta(seconds=1), year.end + HISTORY_LATE - timedelta(seconds=1)
    )
    return first, later


def _short(github: Mapping[date, int], found: Iterable[Commit]) -> bool:
    """Whether GitHub counts more commits than were found on some day."""
    retrieved = Counter(contribution_day(c.authored_at) for c in found)
    return any(count > retrieved[day] for day, count in github.items())


@dataclass(frozen=True)
class _Reading:
    """One repository's place in the history queue."""

    name: str
    cursor: str | None = None
    page: int = 1
    span: int = 0  # index into the history spans


class _Collector:
    def __init__(self, http: HttpClient, url: str, user: str, progress: Progress | None) -> None:
        self.http = http
        self.url = url
        self.user = user
        self.progress = progress
        self.warnings: list[Notice] = []
        self.releases: dict[str, tuple[Release, ...]] = {}
        # repository → "gone" or "unreadable"
        self.unreadable: dict[str, str] = {}
        self.pages_branches: set[str] = set()

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
            if part.gaps:
                self.fill_gaps(part)
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
        days: dict[str, dict[date, int]] = {}
        for sub in self.repositories_in(part.window, top=True):
            for name, count in sub.commit_repositories.items():
                merged[name] = merged.get(name, 0) + count
            for name, repo in sub.repositories.items():
                part.repositories.setdefault(name, repo)
            _add_days(days, sub.commit_days)
        part.commit_repositories = merged
        part.commit_days = days
        part.gaps = {}
        part.capped = False

    def listed_in(self, window: Window) -> _WindowPart:
        """The repositories with commit contributions in `window`, and their days (one request)."""
        variables = {"login": self.user, **window.variables()}
        data = _graphql(self.http, self.url, q.COMMIT_REPOSITORIES_QUERY, variables, self.user)
        collection = _user_or_raise(data, self.user)["contributionsCollection"]
        part = _WindowPart(window)
        _read_commit_repositories(collection, part)
        return part

    def repositories_in(self, window: Window, *, top: bool = False) -> Iterable[_WindowPart]:
        pieces = split_window(window)
        if pieces is None:
            self.warnings.append(
                notice("repositories-capped", limit=q.MAX_REPOSITORIES, window=window.label())
            )
            return
        for piece in pieces:
            sub = self.listed_in(piece)
            if sub.capped:
                yield from self.repositories_in(piece)
            else:
                if sub.gaps:
                    self.fill_gaps(sub)
                yield sub

    def fill_gaps(self, part: _WindowPart) -> None:
        """Ask for the days a repository's newest and oldest pages both left out.

        The windows are cut at UTC midnights, so each of GitHub's days falls in one of them, and
        are short enough for two pages to hold every day of every repository.
        """
        start = _utc_midnight(min(after for after, _ in part.gaps.values()) + timedelta(days=1))
        end = _utc_midnight(max(before for _, before in part.gaps.values()))
        cursor = start
        while cursor < end:
            piece = Window(cursor, min(end, cursor + timedelta(days=q.DAY_PIECE_DAYS)))
            self.say(f"more than 200 days with commits: asking for {piece.label()}")
            sub = self.listed_in(piece)
            subs = list(self.repositories_in(piece)) if sub.capped else [sub]
            for each in subs:
                for name, (after, before) in part.gaps.items():
                    inside = {
                        day: count
                        for day, count in each.commit_days.get(name, {}).items()
                        if after < day < before
                    }
                    _add_days(part.commit_days, {name: inside})
            cursor = piece.end
        part.gaps = {}

    # -- commits -------------------------------------------------------------------------------

    def commits(
        self,
        user_id: str,
        repositories: list[str],
        year: Window,
        github_days: Mapping[str, Mapping[date, int]],
    ) -> dict[str, dict[str, Commit]]:
        """repository → SHA → commit, for the user's commits authored in `year`."""
        spans = history_spans(year)
        found: dict[str, dict[str, Commit]] = {name: {} for name in repositories}
        pending = [_Reading(name) for name in repositories]
        done = 0
        while pending:
            batch, pending = pending[: q.HISTORY_BATCH_SIZE], pending[q.HISTORY_BATCH_SIZE :]
            variables: dict[str, Any] = {"userId": user_id}
            for i, reading in enumerate(batch):
                variables.update(_alias_variables(i, reading, spans[reading.span]))
            try:
                data = self.http.graphql(self.url, q.commit_history_query(len(batch)), variables)
            except NotFoundError:
                # One repository gone (deleted, renamed, made private) must not cost the others:
                # ask for each alone, and note the ones that are gone.
                cursors = [
                    self._single(user_id, r, spans[r.span], year, found)
                    if len(batch) > 1
                    else self._gone(r.name)
                    for r in batch
                ]
            else:
                cursors = [
                    self._read_history(data.get(q.history_alias(i)), r.name, year, found)
                    for i, r in enumerate(batch)
                ]
            for reading, cursor in zip(batch, cursors, strict=True):
                if cursor is not None:
                    pending.append(_Reading(reading.name, cursor, reading.page + 1, reading.span))
                elif (
                    reading.span + 1 < len(spans)
                    and reading.name not in self.unreadable
                    and _short(github_days.get(reading.name, {}), found[reading.name].values())
                ):
                    pending.append(_Reading(reading.name, span=reading.span + 1))
                else:
                    done += 1
            pages = max(r.page for r in batch)
            self.say(f"fetched {done}/{len(repositories)} repositories' history (page {pages})")
        return found

    def _gone(self, name: str) -> str | None:
        """Note a repository that cannot be read; there is no next page for it."""
        self.unreadable[name] = "gone"
        return None

    def _single(
        self,
        user_id: str,
        reading: _Reading,
        span: HistorySpan,
        year: Window,
        found: dict[str, dict[str, Commit]],
    ) -> str | None:
        variables = {"userId": user_id, **_alias_variables(0, reading, span)}
        try:
            data = self.http.graphql(self.url, q.commit_history_query(1), variables)
        except NotFoundError:
            return self._gone(reading.name)
        return self._read_history(data.get(q.history_alias(0)), reading.name, year, found)

    def _read_history(
        self, node: Any, name: str, year: Window, found: dict[str, dict[str, Commit]]
    ) -> str | None:
        if not isinstance(node, dict):
            self.unreadable[name] = "unreadable"
            return None
        branch = node.get("defaultBranchRef") or {}
        if node.get("pagesBranch") and branch.get("name") != "gh-pages":
            self.pages_branches.add(name)
        history = (branch.get("target") or {}).get("history")
        if not isinstance(history, dict):
            return None  # an empty repository has no default branch yet
        repository = str(node.get("nameWithOwner") or name)
        if repository not in self.releases:
            connection = node.get("releases") or {}
            self.releases[repository] = parse_releases(repository, connection.get("nodes") or ())
        commits = found.setdefault(name, {})
        for item in history.get("nodes") or []:
            if not item:
                continue
            commit = _commit(item, repository)
            # The year of a commit contribution is that of its author date.
            if year.start <= commit.authored_at < year.end:
                commits.setdefault(commit.sha, commit)
        info = history.get("pageInfo") or {}
        return str(info["endCursor"]) if info.get("hasNextPage") and info.get("endCursor") else None


def _alias_variables(index: int, reading: _Reading, span: HistorySpan) -> dict[str, Any]:
    owner, _, repo = reading.name.partition("/")
    return {
        f"o{index}": owner,
        f"n{index}": repo,
        f"c{index}": reading.cursor,
        f"s{index}": span.since.isoformat(),
        f"u{index}": span.until.isoformat(),
    }


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


# --- merging, reconciling and the notices -----------------------------------------------------


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


def reconcile(
    github_days: Mapping[str, Mapping[date, int]],
    retrieved: Mapping[str, Iterable[Commit]],
    reasons: Mapping[str, str] | None = None,
) -> tuple[CommitReconciliation, ...]:
    """Per repository, GitHub's commit contributions per day against the commits retrieved.

    `github_days` maps a repository to GitHub's count per UTC day, `retrieved` to the commits
    found in it (each counted on the UTC day of its author date), and `reasons` to what is known
    to keep commits from being read ("gone", "unreadable", "gh-pages"); a reason is kept only
    where GitHub counts more on some day. Repositories come in name order.
    """
    known = reasons or {}
    result = []
    for name in sorted(set(github_days) | set(retrieved), key=lambda n: (n.lower(), n)):
        counted = github_days.get(name, {})
        found = Counter(contribution_day(c.authored_at) for c in retrieved.get(name, ()))
        days = tuple(
            DayCount(day, counted.get(day, 0), found[day])
            for day in sorted(set(counted) | set(found))
            if counted.get(day, 0) != found[day]
        )
        missing = any(d.github > d.retrieved for d in days)
        result.append(
            CommitReconciliation(
                repository=name,
                github_count=sum(counted.values()),
                retrieved=sum(found.values()),
                days=days,
                reason=known.get(name) if missing else None,
            )
        )
    return tuple(result)


# Days listed in one notice; the rest are counted ("and 12 more days").
NOTICE_DAYS = 10


def _repository_notice(item: CommitReconciliation, year: int, late: date) -> Notice:
    if item.reason == "gone":
        return notice(
            "repository-gone", repository=item.repository, year=str(year), counted=item.github_count
        )
    if item.reason == "unreadable":
        return notice(
            "repository-unreadable",
            repository=item.repository,
            year=str(year),
            counted=item.github_count,
        )
    shown = item.days[:NOTICE_DAYS]
    missing = any(d.github > d.retrieved for d in item.days)
    return notice(
        "commits-differ-in-repository",
        repository=item.repository,
        year=str(year),
        counted=item.github_count,
        retrieved=item.retrieved,
        days=", ".join(f"{d.day.isoformat()}: {d.github}/{d.retrieved}" for d in shown),
        more_days=len(item.days) - len(shown),
        branch="gh-pages" if item.reason == "gh-pages" else None,
        late=late.isoformat() if missing else None,
    )


def commit_count_notices(
    *,
    user: str,
    year: int,
    counted: int,
    restricted: int,
    reconciliation: Iterable[CommitReconciliation],
    unlisted: int,
    late: date,
) -> list[Notice]:
    """A notice per repository whose commits differ from GitHub's count (naming the days and,
    when known, why), then one for the whole year when the totals differ.

    `counted` is GitHub's `totalCommitContributions`, `unlisted` the part of it in repositories
    GitHub does not list, `late` the last commit day read after the year.
    """
    items = list(reconciliation)
    differing = [item for item in items if not item.matches]
    notices = [_repository_notice(item, year, late) for item in differing]
    retrieved = sum(item.retrieved for item in items)
    if counted == retrieved:
        return notices
    common: dict[str, ParamValue] = {
        "user": user,
        "year": str(year),
        "counted": counted,
        "retrieved": retrieved,
        "repositories": len(differing),
    }
    if counted > retrieved:
        total = notice(
            "commits-fewer-than-counted",
            **common,
            difference=counted - retrieved,
            unlisted=unlisted,
            restricted=restricted,
        )
    else:
        total = notice("commits-more-than-counted", **common, difference=retrieved - counted)
    return [total, *notices]


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

    The commits are those GitHub counts as commit contributions: authored in the year, on the
    default branch of each repository GitHub lists, once per repository. Raises NotFoundError for
    an unknown user; other failures come from `HttpClient`. Every figure here has a GraphQL
    source, so no REST request is made.
    """
    collector = _Collector(http, graphql_url, user, progress)
    window = year_window(year, tz)
    parts = collector.contributions(window)
    user_id = next((p.user_id for p in parts if p.user_id), "")
    if not user_id:
        raise UpstreamError("GitHub returned no id for the user")
    repositories: dict[str, RepositoryInfo] = {}
    commit_repositories: dict[str, int] = {}
    github_days: dict[str, dict[date, int]] = {}
    pulls: dict[str, PullRequest] = {}
    for part in parts:
        for name, info in part.repositories.items():
            repositories.setdefault(name, info)
        for name, days in part.commit_repositories.items():
            commit_repositories[name] = commit_repositories.get(name, 0) + days
        _add_days(github_days, part.commit_days)
        pulls.update(part.pulls)
    contributions = _merge_contributions(parts)
    ordered = sorted(commit_repositories, key=lambda n: (-commit_repositories[n], n.lower()))
    found = collector.commits(user_id, ordered, window, github_days)
    commits = [commit for per in found.values() for commit in per.values()]
    commits.sort(key=lambda c: (c.committed_at, c.sha, c.repository))
    reasons = {**{name: "gh-pages" for name in collector.pages_branches}, **collector.unreadable}
    reconciliation = reconcile(
        github_days, {name: per.values() for name, per in found.items()}, reasons
    )
    # GitHub counts these but lists no repository for them (private, or beyond the cap).
    unlisted = max(0, contributions.commits - sum(r.github_count for r in reconciliation))
    # The last day whose commits were read, in the report's time zone.
    late = history_spans(window)[-1].until.astimezone(tz).date()
    notices = commit_count_notices(
        user=user,
        year=year,
        counted=contributions.commits,
        restricted=contributions.restricted,
        reconciliation=reconciliation,
        unlisted=unlisted,
        late=late,
    )
    return GitHubActivity(
        user=user,
        contributions=contributions,
        commits=tuple(commits),
        pull_requests=tuple(sorted(pulls.values(), key=lambda p: (p.created_at, p.url))),
        repositories=tuple(repositories[n] for n in sorted(repositories, key=str.lower)),
        warnings=(*collector.warnings, *notices),
        releases=dict(collector.releases),
        reconciliation=reconciliation,
        unlisted_commits=unlisted,
    )
