"""A fake GitHub: an in-memory world of users, repositories, commits and pull requests, and a
GraphQL endpoint that executes the queries it receives with graphql-core against GitHub's real
published schema (tests/data/github-schema.graphql).

Only the fields devstats asks for have resolvers; they follow the documented semantics:

- `contributionsCollection(from, to)`: contributions at or after `from` and up to (including)
  `to`; a span over one year is an error. Commits count when their author e-mail belongs to the
  user, they are on the default branch of a repository that is not a fork, and their *author*
  date is in the window; the calendar puts every contribution on its UTC day (GitHub docs:
  "Contributions are timestamped according to Coordinated Universal Time", "the author date is
  used to calculate when a commit was made").
- `commitContributionsByRepository(maxRepositories)`: at most 100 repositories whatever is asked
  (github-profile-3d-contrib#5), most commits first; a repository's commit appears in every
  non-fork repository that holds it (a copied repository counts the same SHA again).
  `contributions(first, after, orderBy)` is a connection of one node per UTC day of the author
  dates ("The commit contributions, each representing a day") with `commitCount` and
  `occurredAt` (that day at 07:00 UTC); `totalCount` counts days.
- `ref(qualifiedName: "refs/heads/gh-pages")`: the `gh-pages` branch, when the repository has
  one; its commits count as contributions ("The `gh-pages` branch") but are not in the default
  branch's history.
- `history(author: {id|emails}, since, until, first, after)`: commits reachable from the default
  branch, newest first, authored by one of the account's e-mails, with the *commit* date in
  [since, until]; opaque cursors.
- `issueContributionsByRepository` / `pullRequestReviewContributionsByRepository`: the world's
  issues and reviews by the user in the window, grouped like the commit list (most first, at most
  100 repositories).
- `search(type: ISSUE, query)`: the qualifiers devstats sends (`repo:`, `author:`, `is:pr`,
  `is:issue`, `is:merged`, `created:`/`merged:` with `<`, `<=`, `>`, `>=` or `A..B` over ISO 8601
  times, `sort:created-asc|desc`); any other term is refused, so a test cannot rely on a
  qualifier the fake ignores. A `repo:` the viewer cannot see is an error carrying the message of
  GitHub's documented 422 for the same search over REST.
- `rateLimit { cost }` per GitHub's published formula (connection requests / 100, rounded,
  minimum 1); more than 500,000 possible nodes or `first` over 100 is refused.

`FakeGitHub.handle(request)` answers httpx requests for its own base URLs (None otherwise), so it
serves both `httpx.MockTransport` and a loopback HTTP server. Knobs inject the failures GitHub
really produces; `log` keeps every request.
"""

from __future__ import annotations

import base64
import bisect
import functools
import hashlib
import itertools
import json
import math
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    build_ast_schema,
    execute,
    parse,
    validate,
)

from tests.fakes import mock_transport
from tests.fakes.paths import DATA

SCHEMA_PATH = DATA / "github-schema.graphql"
NODE_LIMIT = 500_000
MAX_PAGE = 100
MAX_REPOSITORIES = 100
RATE_LIMIT = 5000


@functools.cache
def github_schema() -> GraphQLSchema:
    """GitHub's schema, built once per process (the SDL is 1.2 MB and takes seconds to build)."""
    return build_ast_schema(parse(SCHEMA_PATH.read_text(encoding="utf-8")), assume_valid_sdl=True)


# --- the world --------------------------------------------------------------------------------


def node_id(kind: str, database_id: int) -> str:
    """A legacy-format global node ID, e.g. "MDQ6VXNlcjE=" for User 1."""
    raw = f"0{len(kind)}:{kind}{database_id}"
    return base64.b64encode(raw.encode()).decode()


def fake_sha(*parts: object) -> str:
    return hashlib.sha1("\x00".join(map(str, parts)).encode()).hexdigest()


@dataclass
class FakeUser:
    login: str
    database_id: int
    emails: tuple[str, ...] = ()
    name: str | None = None
    is_bot: bool = False
    # Contributions the world knows only as times (no public object behind them):
    issues: list[datetime] = field(default_factory=list)
    reviews: list[datetime] = field(default_factory=list)
    restricted: list[datetime] = field(default_factory=list)  # the viewer cannot access these
    private_commits: list[datetime] = field(default_factory=list)  # in unreadable repositories

    @property
    def id(self) -> str:
        kind = "Bot" if self.is_bot else "User"
        return node_id(kind, self.database_id)

    @property
    def typename(self) -> str:
        return "Bot" if self.is_bot else "User"


@dataclass(frozen=True)
class FakeCommit:
    sha: str
    author_name: str
    author_email: str
    authored_at: datetime
    committer_name: str
    committer_email: str
    committed_at: datetime
    message: str


@dataclass(frozen=True)
class FakeGitHubRelease:
    tag: str
    name: str | None
    published_at: datetime | None  # None for a draft
    prerelease: bool = False
    draft: bool = False
    created_at: datetime | None = None  # defaults to published_at


@dataclass
class FakeRepository:
    owner: str
    name: str
    stars: int = 0
    description: str | None = None
    language: str | None = None
    is_fork: bool = False
    is_private: bool = False
    default_branch: str = "main"
    owner_is_organization: bool = False
    commits: list[FakeCommit] = field(default_factory=list)  # the default branch
    # Commits only on the `gh-pages` branch (GitHub counts them; the default branch lacks them)
    pages_commits: list[FakeCommit] = field(default_factory=list)
    # When each star was given; `stars` may be larger (stars whose times the world does not model)
    starred_at: list[datetime] = field(default_factory=list)
    releases: list[FakeGitHubRelease] = field(default_factory=list)

    @property
    def name_with_owner(self) -> str:
        return f"{self.owner}/{self.name}"

    @property
    def url(self) -> str:
        return f"https://github.com/{self.name_with_owner}"


@dataclass
class FakePullRequest:
    repository: str
    number: int
    title: str
    author: str  # login
    state: str  # OPEN, CLOSED, MERGED
    created_at: datetime
    merged_at: datetime | None = None

    @property
    def url(self) -> str:
        return f"https://github.com/{self.repository}/pull/{self.number}"


@dataclass
class FakeIssue:
    repository: str
    number: int
    title: str
    author: str  # login
    created_at: datetime
    state: str = "OPEN"  # OPEN or CLOSED

    @property
    def url(self) -> str:
        return f"https://github.com/{self.repository}/issues/{self.number}"


@dataclass(frozen=True)
class FakeReview:
    repository: str
    pull_request: int  # the reviewed pull request's number
    author: str  # login of the reviewer
    submitted_at: datetime


class GitHubWorld:
    """Users, repositories, pull requests, issues and reviews; who an e-mail belongs to."""

    def __init__(self) -> None:
        self.users: dict[str, FakeUser] = {}
        self.repositories: dict[str, FakeRepository] = {}
        self.pull_requests: list[FakePullRequest] = []
        self.issues: list[FakeIssue] = []
        self.reviews: list[FakeReview] = []
        self._next_id = itertools.count(1001)
        self._index: dict[
            str, tuple[Any, list[datetime], list[tuple[FakeRepository, FakeCommit]]]
        ] = {}

    def add_user(
        self,
        login: str,
        *,
        emails: Iterable[str] = (),
        database_id: int | None = None,
        name: str | None = None,
        is_bot: bool = False,
    ) -> FakeUser:
        user = FakeUser(
            login=login,
            database_id=database_id if database_id is not None else next(self._next_id),
            emails=tuple(e.lower() for e in emails),
            name=name,
            is_bot=is_bot,
        )
        self.users[login.lower()] = user
        return user

    def add_repository(self, owner: str, name: str, **kwargs: Any) -> FakeRepository:
        repo = FakeRepository(owner=owner, name=name, **kwargs)
        self.repositories[repo.name_with_owner.lower()] = repo
        return repo

    def add_commit(self, repository: str, commit: FakeCommit) -> None:
        self.repositories[repository.lower()].commits.append(commit)

    def add_pull_request(self, pr: FakePullRequest) -> None:
        self.pull_requests.append(pr)

    def add_issue(self, issue: FakeIssue) -> None:
        self.issues.append(issue)

    def add_review(self, review: FakeReview) -> None:
        self.reviews.append(review)

    def user(self, login: str) -> FakeUser | None:
        return self.users.get(login.lower())

    def user_by_email(self, email: str | None) -> FakeUser | None:
        if not email:
            return None
        email = email.lower()
        return next((u for u in self.users.values() if email in u.emails), None)

    def user_by_id(self, global_id: str) -> FakeUser | None:
        return next((u for u in self.users.values() if u.id == global_id), None)

    def repository(self, owner: str, name: str) -> FakeRepository | None:
        return self.repositories.get(f"{owner}/{name}".lower())

    # -- what GitHub counts --------------------------------------------------------------------

    def commit_contributions(
        self, user: FakeUser, start: datetime, end: datetime
    ) -> list[tuple[FakeRepository, FakeCommit]]:
        """Commits that count for `user` with author date in [start, end] (both inclusive)."""
        moments, found = self._counted_commits(user)
        first = bisect.bisect_left(moments, start)
        last = bisect.bisect_right(moments, end)
        return found[first:last]

    def _counted_commits(
        self, user: FakeUser
    ) -> tuple[list[datetime], list[tuple[FakeRepository, FakeCommit]]]:
        """Every commit that counts for `user`, by author date; kept until the world changes.

        Tests change repositories in place (their commit lists, fork and private flags), so the
        index is keyed by what it was built from."""
        key = (
            user.login,
            user.emails,
            tuple(
                (
                    id(r),
                    id(r.commits),
                    len(r.commits),
                    id(r.pages_commits),
                    len(r.pages_commits),
                    r.is_fork,
                    r.is_private,
                )
                for r in self.repositories.values()
            ),
        )
        cached = self._index.get(user.login)
        if cached is None or cached[0] != key:
            found = [
                (repo, commit)
                for repo in self.repositories.values()
                if not (repo.is_fork or repo.is_private)
                for commit in [*repo.commits, *repo.pages_commits]
                if commit.author_email.lower() in user.emails
            ]
            found.sort(key=lambda pair: pair[1].authored_at)
            cached = (key, [c.authored_at for _, c in found], found)
            self._index[user.login] = cached
        return cached[1], cached[2]

    def pull_request_contributions(
        self, user: FakeUser, start: datetime, end: datetime
    ) -> list[FakePullRequest]:
        result = []
        for pr in self.pull_requests:
            repo = self.repositories.get(pr.repository.lower())
            if pr.author.lower() != user.login.lower() or (repo is not None and repo.is_fork):
                continue
            if start <= pr.created_at <= end:
                result.append(pr)
        return result

    def repository_visible(self, repository: str) -> bool:
        repo = self.repositories.get(repository.lower())
        return repo is None or not repo.is_private

    def issue_contributions(
        self, user: FakeUser, start: datetime, end: datetime
    ) -> list[FakeIssue]:
        return [
            issue
            for issue in self.issues
            if issue.author.lower() == user.login.lower()
            and self.repository_visible(issue.repository)
            and start <= issue.created_at <= end
        ]

    def review_contributions(
        self, user: FakeUser, start: datetime, end: datetime
    ) -> list[FakeReview]:
        return [
            review
            for review in self.reviews
            if review.author.lower() == user.login.lower()
            and self.repository_visible(review.repository)
            and start <= review.submitted_at <= end
        ]

    def knows_repository(self, repository: str) -> bool:
        """A repository the viewer can see: added to the world, or only named by its items."""
        repo = self.repositories.get(repository.lower())
        if repo is not None:
            return not repo.is_private
        named = [*self.pull_requests, *self.issues]
        return any(item.repository.lower() == repository.lower() for item in named)


# --- GraphQL resolvers --------------------------------------------------------------------------


class _NotFoundError(Exception):
    """Becomes an error with `"type": "NOT_FOUND"`, as GitHub reports it."""


class _TypedError(Exception):
    """Becomes an error with GitHub's `type` field (None: no type, as for argument errors)."""

    def __init__(self, message: str, error_type: str | None) -> None:
        super().__init__(message)
        self.error_type = error_type


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _git_iso(moment: datetime) -> str:
    return moment.isoformat()


def _parse_time(value: Any) -> datetime:
    parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _encode_cursor(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _page(items: Sequence[Any], first: int | None, after: str | None, key: str) -> dict[str, Any]:
    """A connection page over `items`; cursors encode the offset after a per-list key."""
    offset = 0
    if after:
        try:
            prefix, _, number = base64.b64decode(after).decode().rpartition(" ")
            if prefix != key:
                raise ValueError(after)
            offset = int(number) + 1
        except ValueError:
            raise _TypedError(f"`{after}` does not appear to be a valid cursor.", None) from None
    size = first if first is not None else len(items)
    chunk = list(items[offset : offset + size])
    end = offset + len(chunk) - 1
    return {
        "totalCount": len(items),
        "nodes": chunk,
        "edges": [
            {"node": node, "cursor": _encode_cursor(f"{key} {offset + i}")}
            for i, node in enumerate(chunk)
        ],
        "pageInfo": {
            "hasNextPage": offset + len(chunk) < len(items),
            "hasPreviousPage": offset > 0,
            "startCursor": _encode_cursor(f"{key} {offset}") if chunk else None,
            "endCursor": _encode_cursor(f"{key} {end}") if chunk else None,
        },
    }


class _Actor:
    def __init__(self, world: GitHubWorld, name: str, email: str, when: datetime) -> None:
        self.name = name
        self.email = email
        self.date = _git_iso(when)  # GitTimestamp keeps the recorded offset
        account = world.user_by_email(email)
        self.user = _user_ref(account) if account else None

    def avatarUrl(self, info: Any, size: int | None = None) -> str:
        return "https://avatars.githubusercontent.com/u/0"


def _user_ref(user: FakeUser) -> dict[str, Any]:
    return {"__typename": user.typename, "login": user.login, "id": user.id}


class _CommitNode:
    def __init__(self, world: GitHubWorld, repo: FakeRepository, commit: FakeCommit) -> None:
        self.typename = "Commit"
        self._world = world
        self._repo = repo
        self._commit = commit
        self.oid = commit.sha
        self.abbreviatedOid = commit.sha[:7]
        self.message = commit.message
        self.authoredDate = _iso(commit.authored_at)
        self.committedDate = _iso(commit.committed_at)
        self.author = _Actor(world, commit.author_name, commit.author_email, commit.authored_at)
        self.committer = _Actor(
            world, commit.committer_name, commit.committer_email, commit.committed_at
        )
        self.url = f"{repo.url}/commit/{commit.sha}"

    def history(self, info: Any, **args: Any) -> dict[str, Any]:
        commits = sorted(self._repo.commits, key=lambda c: c.committed_at, reverse=True)
        author = args.get("author")
        if author:
            emails: set[str] = {e.lower() for e in author.get("emails") or []}
            if author.get("id"):
                account = self._world.user_by_id(str(author["id"]))
                if account is None:
                    raise _TypedError(
                        f"Could not resolve to a node with the global id of '{author['id']}'",
                        "NOT_FOUND",
                    )
                emails |= set(account.emails)
            commits = [c for c in commits if c.author_email.lower() in emails]
        # Commit date, as `git log --since/--until` filters.
        if args.get("since") is not None:
            since = _parse_time(args["since"])
            commits = [c for c in commits if c.committed_at >= since]
        if args.get("until") is not None:
            until = _parse_time(args["until"])
            commits = [c for c in commits if c.committed_at <= until]
        page = _page(commits, args.get("first"), args.get("after"), self._commit.sha)
        # Only the page's commits become nodes (a long history would otherwise cost every one).
        nodes = {id(c): _CommitNode(self._world, self._repo, c) for c in page["nodes"]}
        page["nodes"] = [nodes[id(c)] for c in page["nodes"]]
        for edge in page["edges"]:
            edge["node"] = nodes[id(edge["node"])]
        return page


class _RepositoryNode:
    def __init__(self, world: GitHubWorld, repo: FakeRepository) -> None:
        self._world = world
        self._repo = repo
        self.id = node_id("Repository", abs(hash(repo.name_with_owner)) % 10**8)
        self.name = repo.name
        self.nameWithOwner = repo.name_with_owner
        self.owner = {
            "__typename": "Organization" if repo.owner_is_organization else "User",
            "login": repo.owner,
        }
        self.isFork = repo.is_fork
        self.isPrivate = repo.is_private
        self.stargazerCount = repo.stars
        self.description = repo.description
        self.primaryLanguage = {"name": repo.language} if repo.language else None
        self.url = repo.url

    def stargazers(self, info: Any, **args: Any) -> dict[str, Any]:
        """Stargazers ordered by `starredAt` (the only order GitHub offers), with the times."""
        direction = ((args.get("orderBy") or {}).get("direction")) or "ASC"
        times = sorted(self._repo.starred_at, reverse=direction == "DESC")
        nodes = [
            {"starredAt": _iso(t), "login": f"stargazer{i}", "__typename": "User"}
            for i, t in enumerate(times)
        ]
        page = _page(nodes, args.get("first"), args.get("after"), f"stars:{direction}")
        for edge in page["edges"]:
            edge["starredAt"] = edge["node"]["starredAt"]
        page["totalCount"] = max(self._repo.stars, len(nodes))
        return page

    def releases(self, info: Any, **args: Any) -> dict[str, Any]:
        order = args.get("orderBy") or {"field": "CREATED_AT", "direction": "DESC"}
        releases = sorted(
            self._repo.releases,
            key=lambda r: r.created_at or r.published_at or datetime.min.replace(tzinfo=UTC),
            reverse=order.get("direction") == "DESC",
        )
        nodes = [
            {
                "tagName": r.tag,
                "name": r.name,
                "publishedAt": _iso(r.published_at) if r.published_at else None,
                "createdAt": _iso(r.created_at or r.published_at or datetime.now(UTC)),
                "isPrerelease": r.prerelease,
                "isDraft": r.draft,
                "url": f"{self._repo.url}/releases/tag/{r.tag}",
            }
            for r in releases
        ]
        return _page(nodes, args.get("first"), args.get("after"), "releases")

    def ref(self, info: Any, qualifiedName: str) -> dict[str, Any] | None:
        names = {self._repo.default_branch}
        if self._repo.pages_commits:
            names.add("gh-pages")
        name = qualifiedName.removeprefix("refs/heads/")
        return {"name": name, "prefix": "refs/heads/"} if name in names else None

    @property
    def defaultBranchRef(self) -> dict[str, Any] | None:
        if not self._repo.commits:
            return None  # an empty repository has no branch yet
        head = max(self._repo.commits, key=lambda c: c.committed_at)
        return {
            "name": self._repo.default_branch,
            "target": _CommitNode(self._world, self._repo, head),
        }


def _repository_or_stub(world: GitHubWorld, name_with_owner: str) -> FakeRepository:
    """The world's repository, or a bare one for items that name a repository it does not hold."""
    repo = world.repositories.get(name_with_owner.lower())
    owner, _, name = name_with_owner.partition("/")
    return repo or FakeRepository(owner=owner, name=name)


def _pull_request_node(world: GitHubWorld, pr: FakePullRequest) -> dict[str, Any]:
    repository = _RepositoryNode(world, _repository_or_stub(world, pr.repository))
    return {
        "number": pr.number,
        "title": pr.title,
        "url": pr.url,
        "state": pr.state,
        "createdAt": _iso(pr.created_at),
        "mergedAt": _iso(pr.merged_at) if pr.merged_at else None,
        "merged": pr.merged_at is not None,
        "repository": repository,
    }


class _ContributionsCollection:
    def __init__(self, service: FakeGitHub, user: FakeUser, start: datetime, end: datetime) -> None:
        self._service = service
        self._world = service.world
        self._user = user
        self._start = start
        self._end = end
        self.startedAt = _iso(start)
        self.endedAt = _iso(end)
        self._commits = self._world.commit_contributions(user, start, end)
        self._private_commits = [t for t in user.private_commits if start <= t <= end]
        self._pulls = self._world.pull_request_contributions(user, start, end)
        self._issues = [t for t in user.issues if start <= t <= end]
        self._reviews = [t for t in user.reviews if start <= t <= end]
        self._issue_items = self._world.issue_contributions(user, start, end)
        self._review_items = self._world.review_contributions(user, start, end)
        self._restricted = [t for t in user.restricted if start <= t <= end]
        self.totalCommitContributions = len(self._commits) + len(self._private_commits)
        self.totalIssueContributions = len(self._issues) + len(self._issue_items)
        self.totalPullRequestReviewContributions = len(self._reviews) + len(self._review_items)
        self.restrictedContributionsCount = len(self._restricted)
        self.hasAnyRestrictedContributions = bool(self._restricted)
        self.totalRepositoriesWithContributedCommits = len({r.name for r, _ in self._commits})

    def totalPullRequestContributions(self, info: Any, **args: Any) -> int:
        return len(self._pulls)

    def _moments(self) -> list[datetime]:
        return [
            *(c.authored_at for _, c in self._commits),
            *self._private_commits,
            *(p.created_at for p in self._pulls),
            *self._issues,
            *self._reviews,
            *(i.created_at for i in self._issue_items),
            *(r.submitted_at for r in self._review_items),
            *self._restricted,
        ]

    @property
    def contributionCalendar(self) -> dict[str, Any]:
        limit = self._service.calendar_day_limit
        span = (self._end - self._start).days + 1
        if limit is not None and span > limit:
            raise _TypedError(
                "Resource limits for this query exceeded.", "RESOURCE_LIMITS_EXCEEDED"
            )
        counts: dict[date, int] = {}
        for moment in self._moments():
            day = moment.astimezone(UTC).date()
            counts[day] = counts.get(day, 0) + 1
        first = self._start.astimezone(UTC).date()
        last = self._end.astimezone(UTC).date()
        weeks: list[dict[str, Any]] = []
        day = first
        while day <= last:
            weekday = (day.weekday() + 1) % 7  # GitHub weeks start on Sunday (0)
            if not weeks or weekday == 0:
                weeks.append({"contributionDays": [], "firstDay": day.isoformat()})
            count = counts.get(day, 0)
            weeks[-1]["contributionDays"].append(
                {
                    "date": day.isoformat(),
                    "contributionCount": count,
                    "weekday": weekday,
                    "color": "#ebedf0" if count == 0 else "#40c463",
                    "contributionLevel": "NONE" if count == 0 else "SECOND_QUARTILE",
                }
            )
            day += timedelta(days=1)
        return {
            "totalContributions": sum(
                d["contributionCount"] for w in weeks for d in w["contributionDays"]
            ),
            "weeks": weeks,
            "isHalloween": False,
            "colors": ["#9be9a8", "#40c463", "#30a14e", "#216e39"],
        }

    def commitContributionsByRepository(
        self,
        info: Any,
        maxRepositories: int = 25,
    ) -> list[dict[str, Any]]:
        per_repo: dict[str, list[FakeCommit]] = {}
        repos: dict[str, FakeRepository] = {}
        for repo, commit in self._commits:
            per_repo.setdefault(repo.name_with_owner, []).append(commit)
            repos[repo.name_with_owner] = repo
        ordered = sorted(per_repo, key=lambda n: (-len(per_repo[n]), n.lower()))
        ordered = ordered[: min(maxRepositories, MAX_REPOSITORIES)]
        return [
            {
                "repository": _RepositoryNode(self._world, repos[name]),
                "contributions": _DayContributions(repos[name], per_repo[name]),
                "url": repos[name].url,
                "resourcePath": f"/{name}",
            }
            for name in ordered
        ]

    def _by_repository(self, repositories: list[str], limit: int) -> list[dict[str, Any]]:
        counts: dict[str, int] = {}
        for name in repositories:
            counts[name] = counts.get(name, 0) + 1
        ordered = sorted(counts, key=lambda n: (-counts[n], n.lower()))
        return [
            {
                "repository": _RepositoryNode(self._world, _repository_or_stub(self._world, name)),
                "contributions": {"totalCount": counts[name]},
            }
            for name in ordered[: min(limit, MAX_REPOSITORIES)]
        ]

    def issueContributionsByRepository(
        self,
        info: Any,
        maxRepositories: int = 25,
        excludeFirst: bool = False,
        excludePopular: bool = False,
    ) -> list[dict[str, Any]]:
        if excludePopular:
            raise _TypedError("the fake GitHub does not model excludePopular", None)
        issues = self._issue_items
        if excludeFirst:
            ever = self._world.issue_contributions(
                self._user, datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC)
            )
            first = min(ever, key=lambda i: i.created_at) if ever else None
            issues = [i for i in issues if i is not first]
        return self._by_repository([i.repository for i in issues], maxRepositories)

    def pullRequestReviewContributionsByRepository(
        self, info: Any, maxRepositories: int = 25
    ) -> list[dict[str, Any]]:
        return self._by_repository([r.repository for r in self._review_items], maxRepositories)

    def pullRequestContributions(self, info: Any, **args: Any) -> dict[str, Any]:
        direction = ((args.get("orderBy") or {}).get("direction")) or "DESC"
        pulls = sorted(self._pulls, key=lambda p: p.created_at, reverse=direction == "DESC")
        nodes = [
            {
                "pullRequest": _pull_request_node(self._world, pr),
                "occurredAt": _iso(pr.created_at),
                "isRestricted": False,
            }
            for pr in pulls
        ]
        key = f"prs:{self._user.login}:{self.startedAt}:{self.endedAt}"
        return _page(nodes, args.get("first"), args.get("after"), key)


class _DayContributions:
    """`CommitContributionsByRepository.contributions`: one node per UTC day with commits."""

    def __init__(self, repo: FakeRepository, commits: list[FakeCommit]) -> None:
        self._repo = repo
        days: dict[date, int] = {}
        for commit in commits:
            day = commit.authored_at.astimezone(UTC).date()
            days[day] = days.get(day, 0) + 1
        self._days = days

    def __call__(self, info: Any, **args: Any) -> dict[str, Any]:
        order = args.get("orderBy") or {"field": "OCCURRED_AT", "direction": "DESC"}
        direction = order.get("direction") or "DESC"
        nodes = [
            {"commitCount": n, "occurredAt": f"{d.isoformat()}T07:00:00Z", "isRestricted": False}
            for d, n in sorted(self._days.items(), reverse=direction == "DESC")
        ]
        key = f"days:{self._repo.name_with_owner}:{direction}"
        return _page(nodes, args.get("first"), args.get("after"), key)


class _UserNode:
    def __init__(self, service: FakeGitHub, user: FakeUser) -> None:
        self._service = service
        self._user = user
        self.id = user.id
        self.login = user.login
        self.name = user.name
        self.databaseId = user.database_id

    def contributionsCollection(self, info: Any, **args: Any) -> _ContributionsCollection:
        end = _parse_time(args["to"]) if args.get("to") else self._service.now()
        start = _parse_time(args["from"]) if args.get("from") else end - timedelta(days=365)
        if args.get("from") and not args.get("to"):
            end = start + timedelta(days=365)
        if end - start > timedelta(days=366):
            raise _TypedError(
                "The total time spanned by 'from' and 'to' must not exceed 1 year", None
            )
        return _ContributionsCollection(self._service, self._user, start, end)


class _Query:
    def __init__(self, service: FakeGitHub, cost: int, nodes: int) -> None:
        self._service = service
        self._cost = cost
        self._nodes = nodes

    def user(self, info: Any, login: str) -> _UserNode:
        user = self._service.world.user(login)
        if user is None or user.is_bot:
            raise _NotFoundError(f"Could not resolve to a User with the login of '{login}'.")
        return _UserNode(self._service, user)

    def repository(self, info: Any, owner: str, name: str, **_: Any) -> _RepositoryNode:
        repo = self._service.world.repository(owner, name)
        gone = f"{owner}/{name}".lower() in self._service.unreadable_repositories
        if repo is None or repo.is_private or gone:
            raise _NotFoundError(
                f"Could not resolve to a Repository with the name '{owner}/{name}'."
            )
        return _RepositoryNode(self._service.world, repo)

    def search(self, info: Any, query: str, type: str, **args: Any) -> dict[str, Any]:
        return _search(self._service.world, query, type, args)

    def rateLimit(self, info: Any, dryRun: bool = False) -> dict[str, Any]:
        service = self._service
        return {
            "cost": self._cost,
            "limit": RATE_LIMIT,
            "nodeCount": self._nodes,
            "remaining": service.remaining,
            "used": RATE_LIMIT - service.remaining,
            "resetAt": _iso(datetime.fromtimestamp(service.reset_epoch(), tz=UTC)),
        }


# --- search -------------------------------------------------------------------------------------

# The message of the 422 GitHub documents for a search whose `repo:` the viewer cannot see
# (docs: "Access errors or missing search results"); its GraphQL error type is not documented.
CANNOT_SEARCH = (
    "The listed users and repositories cannot be searched either because the resources do not "
    "exist or you do not have permission to view them."
)


def _search_moment(text: str, *, upper: bool) -> datetime:
    """A date qualifier's value: an ISO 8601 time, or a whole UTC day (its first or last instant)."""
    if "T" in text:
        return _parse_time(text)
    day = date.fromisoformat(text)
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return start + timedelta(days=1) - timedelta(microseconds=1) if upper else start


def _date_test(value: str) -> Callable[[datetime], bool]:
    """GitHub's date syntax: `A..B` (either end may be `*`), `>`, `>=`, `<`, `<=`, or one day."""
    if ".." in value:
        low_text, high_text = value.split("..", 1)
        low = None if low_text == "*" else _search_moment(low_text, upper=False)
        high = None if high_text == "*" else _search_moment(high_text, upper=True)
        return lambda t: (low is None or t >= low) and (high is None or t <= high)
    if value.startswith(">="):
        bound = _search_moment(value[2:], upper=False)
        return lambda t: t >= bound
    if value.startswith("<="):
        bound = _search_moment(value[2:], upper=True)
        return lambda t: t <= bound
    if value.startswith(">"):
        bound = _search_moment(value[1:], upper=True)
        return lambda t: t > bound
    if value.startswith("<"):
        bound = _search_moment(value[1:], upper=False)
        return lambda t: t < bound
    first, last = _search_moment(value, upper=False), _search_moment(value, upper=True)
    return lambda t: first <= t <= last


@dataclass
class _SearchTerms:
    repository: str | None = None
    author: str | None = None
    kinds: set[str] = field(default_factory=set)  # "pr", "issue"
    merged: bool = False
    created: list[Callable[[datetime], bool]] = field(default_factory=list)
    merged_at: list[Callable[[datetime], bool]] = field(default_factory=list)
    order: str = "created-desc"  # the fake's stand-in for "best match"


def _search_terms(query: str) -> _SearchTerms:
    terms = _SearchTerms()
    for term in query.split():
        key, colon, value = term.partition(":")
        key = key.lower()
        if colon and key == "repo":
            terms.repository = value
        elif colon and key == "author":
            terms.author = value
        elif colon and key == "is" and value.lower() in {"pr", "issue"}:
            terms.kinds.add(value.lower())
        elif colon and key == "is" and value.lower() == "merged":
            terms.merged = True
        elif colon and key == "created":
            terms.created.append(_date_test(value))
        elif colon and key == "merged":
            terms.merged_at.append(_date_test(value))
        elif colon and key == "sort" and value.lower() in {"created-asc", "created-desc"}:
            terms.order = value.lower()
        else:
            raise _TypedError(f"the fake GitHub's search does not understand {term!r}", None)
    return terms


def _search(world: GitHubWorld, query: str, kind: str, args: Mapping[str, Any]) -> dict[str, Any]:
    if kind != "ISSUE":
        raise _TypedError(f"the fake GitHub only searches issues, not {kind}", None)
    terms = _search_terms(query)
    if terms.repository is not None and not world.knows_repository(terms.repository):
        raise _TypedError(CANNOT_SEARCH, None)
    found: list[tuple[datetime, dict[str, Any]]] = []
    items: list[FakePullRequest | FakeIssue] = []
    if not terms.kinds or "pr" in terms.kinds:
        items.extend(world.pull_requests)
    if not terms.merged and (not terms.kinds or "issue" in terms.kinds):
        items.extend(world.issues)
    for item in items:
        if terms.repository is not None and item.repository.lower() != terms.repository.lower():
            continue
        if terms.author is not None and item.author.lower() != terms.author.lower():
            continue
        if not world.repository_visible(item.repository):
            continue
        if not all(test(item.created_at) for test in terms.created):
            continue
        merged_at = item.merged_at if isinstance(item, FakePullRequest) else None
        if (terms.merged or terms.merged_at) and merged_at is None:
            continue
        if merged_at is not None and not all(test(merged_at) for test in terms.merged_at):
            continue
        if isinstance(item, FakePullRequest):
            node = {**_pull_request_node(world, item), "__typename": "PullRequest"}
        else:
            node = {
                "__typename": "Issue",
                "number": item.number,
                "title": item.title,
                "url": item.url,
                "state": item.state,
                "createdAt": _iso(item.created_at),
                "repository": _RepositoryNode(world, _repository_or_stub(world, item.repository)),
            }
        found.append((item.created_at, node))
    found.sort(key=lambda pair: pair[0], reverse=terms.order == "created-desc")
    page = _page([node for _, node in found], args.get("first"), args.get("after"), query)
    return {
        **page,
        "issueCount": len(found),
        "codeCount": 0,
        "discussionCount": 0,
        "repositoryCount": 0,
        "userCount": 0,
        "wikiCount": 0,
    }


def _resolve_type(value: Any, info: Any, abstract_type: Any) -> str | None:
    if isinstance(value, dict):
        return str(value.get("__typename")) if value.get("__typename") else None
    return str(getattr(value, "typename", None) or "") or None


# --- cost and node limits (GitHub's published rules) -------------------------------------------


def _argument(node: FieldNode, name: str, variables: Mapping[str, Any]) -> Any:
    for argument in node.arguments or ():
        if argument.name.value != name:
            continue
        value = argument.value
        if isinstance(value, IntValueNode):
            return int(value.value)
        if isinstance(value, VariableNode):
            return variables.get(value.name.value)
    return None


@functools.lru_cache(maxsize=256)
def _checked(query: str) -> tuple[Any, list[dict[str, Any]]]:
    """A query parsed and validated against the schema: the same text is checked once."""
    document = parse(query)
    return document, [e.formatted for e in validate(github_schema(), document)]


def aliased_reads(document: Any) -> int:
    """Top-level `repository` fields, and `contributionsCollection` fields under `user`."""
    reads = 0
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        for field_node in definition.selection_set.selections:
            if not isinstance(field_node, FieldNode):
                continue
            if field_node.name.value == "repository":
                reads += 1
            elif field_node.name.value == "user" and field_node.selection_set:
                reads += sum(
                    1
                    for inner in field_node.selection_set.selections
                    if isinstance(inner, FieldNode)
                    and inner.name.value == "contributionsCollection"
                )
    return reads


def query_cost(
    document: Any, variables: Mapping[str, Any]
) -> tuple[int, int, list[tuple[str, str | None]]]:
    """(cost, possible nodes, pagination errors) of an operation, by GitHub's formula."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    requests = 0
    nodes = 0
    errors: list[tuple[str, str | None]] = []

    def walk(selection_set: SelectionSetNode | None, multiplier: int) -> None:
        nonlocal requests, nodes
        if selection_set is None:
            return
        for selection in selection_set.selections:
            if isinstance(selection, FragmentSpreadNode):
                walk(fragments[selection.name.value].selection_set, multiplier)
            elif isinstance(selection, InlineFragmentNode):
                walk(selection.selection_set, multiplier)
            elif isinstance(selection, FieldNode):
                first = _argument(selection, "first", variables)
                last = _argument(selection, "last", variables)
                size = first if first is not None else last
                children = {
                    s.name.value
                    for s in (selection.selection_set.selections if selection.selection_set else ())
                    if isinstance(s, FieldNode)
                }
                if size is None and children & {"nodes", "edges"}:
                    errors.append(
                        (
                            "You must provide a `first` or `last` value to properly paginate "
                            f"the `{selection.name.value}` connection.",
                            "MISSING_PAGINATION_BOUNDARIES",
                        )
                    )
                if size is not None:
                    if not 1 <= size <= MAX_PAGE:
                        which = "first" if first is not None else "last"
                        errors.append(
                            (
                                f"Requesting {size} records on the `{selection.name.value}` "
                                f"connection exceeds the `{which}` limit of {MAX_PAGE} records.",
                                "EXCESSIVE_PAGINATION",
                            )
                        )
                    requests += multiplier
                    nodes += multiplier * size
                    walk(selection.selection_set, multiplier * size)
                else:
                    walk(selection.selection_set, multiplier)

    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            walk(definition.selection_set, 1)
    return max(1, round(requests / 100)), nodes, errors


# --- the endpoint -----------------------------------------------------------------------------


@dataclass
class LoggedRequest:
    method: str
    url: str
    status: int
    operation: str | None = None
    query: str | None = None
    variables: dict[str, Any] = field(default_factory=dict)
    authorization: str | None = None


@dataclass
class _Fault:
    kind: str
    times: int
    options: dict[str, Any]


BAD_CREDENTIALS = {
    "message": "Bad credentials",
    "documentation_url": "https://docs.github.com/rest",
    "status": "401",
}
REQUIRES_AUTH = {
    "message": "This endpoint requires you to be authenticated.",
    "documentation_url": (
        "https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql"
    ),
}


class FakeGitHub:
    """The GraphQL endpoint over a `GitHubWorld`, and the REST endpoints of github_rest.py."""

    def __init__(
        self,
        world: GitHubWorld,
        *,
        graphql_url: str = "https://api.github.com/graphql",
        rest_url: str = "https://api.github.com",
        token: str | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.world = world
        self.graphql_url = graphql_url
        self.rest_url = rest_url
        self.token = token  # None: any token (or none) is accepted
        self.clock = clock
        self.remaining = RATE_LIMIT
        self.calendar_day_limit: int | None = None  # RESOURCE_LIMITS_EXCEEDED above this span
        self.read_limit: int | None = None  # a query with more reads than this times out
        self.timeouts = 0  # queries answered as timed out
        # "owner/name" (lower case) of repositories that answer NOT_FOUND while the contributions
        # still list them: renamed, deleted or made private between two queries
        self.unreadable_repositories: set[str] = set()
        self.log: list[LoggedRequest] = []
        self._faults: list[_Fault] = []
        self._request_ids = itertools.count(1)

    # -- knobs ----------------------------------------------------------------------------------

    def fail_next(self, kind: str, *, times: int = 1, **options: Any) -> None:
        """Make the next `times` GraphQL requests fail.

        Kinds: "bad_credentials" (401), "server_error" (HTTP `status`, default 502),
        "rate_limited" (HTTP 200, RATE_LIMITED, x-ratelimit-remaining 0; `reset_in` seconds),
        "secondary_rate_limit" (403 with retry-after), "graphql_error" (HTTP 200 with an error
        of `type` and `message`).
        """
        known = {
            "bad_credentials",
            "server_error",
            "rate_limited",
            "secondary_rate_limit",
            "graphql_error",
        }
        if kind not in known:
            raise ValueError(f"unknown fault {kind!r}")
        self._faults.append(_Fault(kind, times, options))

    def limit_reads(self, reads: int | None) -> None:
        """Time out (HTTP 502, as GitHub answers a query it stopped after 10 seconds) on every
        query with more than `reads` aliased reads: repositories, or contribution windows."""
        self.read_limit = reads

    def limit_calendar_days(self, days: int | None) -> None:
        """Refuse contribution calendars longer than `days` with RESOURCE_LIMITS_EXCEEDED."""
        self.calendar_day_limit = days

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), tz=UTC)

    def reset_epoch(self) -> int:
        return (int(self.clock()) // 3600 + 1) * 3600

    @property
    def graphql_requests(self) -> list[LoggedRequest]:
        return [r for r in self.log if r.query is not None]

    # -- transport -------------------------------------------------------------------------------

    def transport(self) -> httpx.MockTransport:
        return mock_transport(self.handle)

    def _own(self, request: httpx.Request) -> str | None:
        """ "graphql", "rest" or None, by the request's origin and path."""
        url = request.url
        for kind, base in (("graphql", self.graphql_url), ("rest", self.rest_url)):
            parts = urlsplit(base)
            port = parts.port or (443 if parts.scheme == "https" else 80)
            if (
                url.host != parts.hostname
                or (url.port or (443 if url.scheme == "https" else 80)) != port
            ):
                continue
            if kind == "graphql" and url.path == (parts.path or "/"):
                return kind
            if kind == "rest" and url.path.startswith(parts.path.rstrip("/") + "/"):
                return kind
        return None

    def handle(self, request: httpx.Request) -> httpx.Response | None:
        kind = self._own(request)
        if kind is None:
            return None
        authorization = request.headers.get("authorization")
        entry = LoggedRequest(
            method=request.method, url=str(request.url), status=0, authorization=authorization
        )
        self.log.append(entry)
        response = self._respond(kind, request, authorization, entry)
        entry.status = response.status_code
        return response

    def _headers(
        self, *, remaining: int | None = None, extra: Mapping[str, str] = {}
    ) -> dict[str, str]:
        left = self.remaining if remaining is None else remaining
        headers = {
            "Server": "github.com",
            "Content-Type": "application/json; charset=utf-8",
            "X-GitHub-Media-Type": "github.v4; format=json",
            "X-RateLimit-Limit": str(RATE_LIMIT),
            "X-RateLimit-Remaining": str(left),
            "X-RateLimit-Reset": str(self.reset_epoch()),
            "X-RateLimit-Used": str(RATE_LIMIT - left),
            "X-RateLimit-Resource": "graphql",
            "X-GitHub-Request-Id": f"FA4E:{next(self._request_ids):06X}",
        }
        headers.update(extra)
        return headers

    def _json(self, status: int, body: Any, **kwargs: Any) -> httpx.Response:
        return httpx.Response(status, headers=self._headers(**kwargs), content=json.dumps(body))

    def _respond(
        self, kind: str, request: httpx.Request, authorization: str | None, entry: LoggedRequest
    ) -> httpx.Response:
        if kind == "rest":
            # The REST endpoints a plain PyGithub script uses (tests/fakes/github_rest.py).
            from tests.fakes.github_rest import FakeRestApi

            base = urlsplit(self.rest_url).path.rstrip("/")
            api = FakeRestApi(self.world, self.rest_url)
            status, body, headers = api.respond(request, request.url.path[len(base) :])
            self.remaining = max(0, self.remaining - 1)
            return self._json(status, body, extra={**headers, "X-RateLimit-Resource": "core"})
        if request.method != "POST":
            return self._json(404, {"message": "Not Found"})
        try:
            payload = json.loads(request.content or b"{}")
        except ValueError:
            return self._json(400, {"message": "Problems parsing JSON"})
        entry.query = str(payload.get("query") or "")
        entry.variables = dict(payload.get("variables") or {})
        entry.operation = payload.get("operationName")
        if self.token is not None:
            presented = (authorization or "").split(" ", 1)[-1] if authorization else None
            if presented is None:
                return self._json(401, REQUIRES_AUTH)
            if presented != self.token:
                return self._json(401, BAD_CREDENTIALS)
        fault = self._take_fault()
        if fault is not None:
            return self._fault_response(fault)
        return self._execute(entry.query, entry.variables)

    def _take_fault(self) -> _Fault | None:
        if not self._faults:
            return None
        fault = self._faults[0]
        fault.times -= 1
        if fault.times <= 0:
            self._faults.pop(0)
        return fault

    def _fault_response(self, fault: _Fault) -> httpx.Response:
        options = fault.options
        if fault.kind == "bad_credentials":
            return self._json(401, BAD_CREDENTIALS)
        if fault.kind == "server_error":
            body = {
                "data": None,
                "errors": [
                    {
                        "message": "Something went wrong while executing your query. This may "
                        "be the result of a timeout, or it could be a GitHub bug. Please include "
                        "`FA4E:0001` when reporting this issue."
                    }
                ],
            }
            return self._json(int(options.get("status", 502)), body)
        if fault.kind == "rate_limited":
            reset = int(self.clock()) + int(options.get("reset_in", 30))
            body = {
                "errors": [
                    {
                        "type": options.get("type", "RATE_LIMITED"),
                        "message": "API rate limit exceeded for user ID 1001.",
                    }
                ]
            }
            return self._json(200, body, remaining=0, extra={"X-RateLimit-Reset": str(reset)})
        if fault.kind == "secondary_rate_limit":
            body = {
                "message": "You have exceeded a secondary rate limit. Please wait a few minutes "
                "before you try again.",
                "documentation_url": "https://docs.github.com/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api#secondary-rate-limits",
            }
            return self._json(403, body, extra={"Retry-After": str(options.get("retry_after", 60))})
        error = {"type": options.get("type"), "message": options.get("message", "error")}
        return self._json(200, {"data": None, "errors": [error]})

    def _execute(self, query: str, variables: dict[str, Any]) -> httpx.Response:
        schema = github_schema()
        try:
            document, problems = _checked(query)
        except GraphQLError as exc:
            return self._json(200, {"errors": [exc.formatted]})
        if problems:
            return self._json(200, {"errors": problems})
        if self.read_limit is not None and aliased_reads(document) > self.read_limit:
            self.timeouts += 1
            return self._fault_response(_Fault("server_error", 1, {"status": 502}))
        cost, nodes, pagination = query_cost(document, variables)
        if pagination:
            errors = [{"type": t, "message": m} for m, t in pagination]
            return self._json(200, {"errors": errors})
        if nodes > NODE_LIMIT:
            message = (
                f"This query requests up to {nodes:,} possible nodes which exceeds the maximum "
                f"limit of {NODE_LIMIT:,}."
            )
            return self._json(
                200, {"errors": [{"type": "MAX_NODE_LIMIT_EXCEEDED", "message": message}]}
            )
        self.remaining = max(0, self.remaining - cost)
        result = execute(
            schema,
            document,
            root_value=_Query(self, cost, nodes),
            variable_values=variables,
            type_resolver=_resolve_type,
        )
        body: dict[str, Any] = {"data": result.data}
        if result.errors:
            body["errors"] = [self._format_error(e) for e in result.errors]
            if any(e.get("type") == "RESOURCE_LIMITS_EXCEEDED" for e in body["errors"]):
                # GitHub drops the partial user object with this error (profile-3d-contrib#163).
                body["data"] = {"user": None}
        return self._json(200, body)

    @staticmethod
    def _format_error(error: GraphQLError) -> dict[str, Any]:
        formatted: dict[str, Any] = {}
        original = error.original_error
        if isinstance(original, _NotFoundError):
            formatted["type"] = "NOT_FOUND"
        elif isinstance(original, _TypedError) and original.error_type:
            formatted["type"] = original.error_type
        formatted["path"] = error.path
        formatted["locations"] = [
            {"line": loc.line, "column": loc.column} for loc in error.locations or ()
        ]
        formatted["message"] = error.message
        return formatted


def history_pages(count: int, page_size: int = MAX_PAGE) -> int:
    """Pages a history of `count` commits takes (at least one page is always asked for)."""
    return max(1, math.ceil(count / page_size))
