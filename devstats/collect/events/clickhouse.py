"""GitHub's public event history (GH Archive) from ClickHouse's public server: stars, pull
requests and releases of the listed projects, all of them in one query.

Facts about the upstream that shape this module (docs/events.md has the sources):
- the same server and user as ClickPy (devstats/collect/pypi/engines/clickhouse.py), spoken to
  the same way: the SQL is the POST body, values go only as `param_<name>=` matched to
  `{name:Type}` placeholders, errors and quotas are read by that module's rules;
- database `github`, table `github_events`: one row per event, ordered by
  (event_type, repo_name, created_at), so every part of the query filters on those first;
- a star is a `WatchEvent` with action `started`; un-starring leaves no event;
- `repo_name` is the name at the time of the event (a renamed repository keeps its old name on
  its old events) and is compared exactly, as the sort key holds it;
- `created_at` is a `DateTime` without a zone: the span is sent as `DateTime('UTC')` values and
  times come back as Unix seconds, so the server's own zone never matters;
- a column GH Archive had no value for holds its type's default ('' / 0 / 1970-01-01);
- `max(file_time)` (kept by a projection) is the newest hour loaded: how far the history goes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

from devstats.collect.pypi.engines.clickhouse import (
    CLICKHOUSE_USER,
    NEVER_BETTER_ON_RETRY,
    QUOTA_EXCEEDED,
    REFUSED_USER,
    answer_rows,
    escape_parameter,
    exception_code,
    one_line,
)
from devstats.http.client import HttpClient
from devstats.model.errors import DevstatsError, UpstreamError
from devstats.model.events import (
    FirstPullRequestTo,
    ProjectEvents,
    PullRequestOpened,
    ReleasePublished,
    StarEvents,
)

NAME = "clickhouse"
LABEL = "ClickHouse (GH Archive)"
TABLE = "github.github_events"
# The listed projects are a handful; a bound keeps the query (and its URL) small.
MAX_REPOSITORIES = 50

HINT = "use --events-source github to read stars from GitHub instead"
QUOTA_HINT = (
    "the public user's quota resets when the interval ClickHouse names ends; try again then, "
    "or use --events-source github"
)

_REPOSITORY = re.compile(r"^[A-Za-z0-9-]+/[A-Za-z0-9._-]+$")

# Every part of the query answers the same columns, so one UNION ALL carries them all.
_COLUMNS = "kind, repo, number, login, title, at, merged_at, events, people, later"


def _names(count: int) -> str:
    return ", ".join(f"{{r{i}:String}}" for i in range(count))


def events_sql(repositories: int) -> str:
    """The one query for `repositories` projects: placeholders r0.., start, end."""
    if not 1 <= repositories <= MAX_REPOSITORIES:
        raise ValueError(f"between 1 and {MAX_REPOSITORIES} repositories, not {repositories}")
    repos = f"repo_name IN ({_names(repositories)})"
    start = "{start:DateTime('UTC')}"
    end = "{end:DateTime('UTC')}"
    # Stars after the span too: today's count less those gives the count at the span's end.
    stars = (
        "SELECT 'star' AS kind, toString(repo_name) AS repo, toUInt32(0) AS number, "
        "'' AS login, '' AS title, toUInt32(0) AS at, toUInt32(0) AS merged_at, "
        f"countIf(created_at < {end}) AS events, "
        f"uniqExactIf(actor_login, created_at < {end}) AS people, "
        f"uniqExactIf(actor_login, created_at >= {end}) AS later\n"
        f"FROM {TABLE}\n"
        f"WHERE event_type = 'WatchEvent' AND {repos} AND created_at >= {start} "
        "AND action = 'started'\n"
        "GROUP BY repo_name"
    )
    # Pull requests opened in the span, and a merge whenever it came (a later closing event).
    pulls = (
        "SELECT 'pull', toString(repo_name), number, "
        "toString(anyIf(actor_login, action = 'opened')), argMax(title, created_at), "
        "toUInt32(toUnixTimestamp(minIf(created_at, action = 'opened'))), "
        "toUInt32(toUnixTimestamp(maxIf(created_at, action = 'closed' AND merged = 1))), "
        "count(), toUInt64(0), toUInt64(0)\n"
        f"FROM {TABLE}\n"
        f"WHERE event_type = 'PullRequestEvent' AND {repos} AND created_at >= {start} "
        "AND action IN ('opened', 'closed')\n"
        "GROUP BY repo_name, number\n"
        f"HAVING countIf(action = 'opened' AND created_at < {end}) > 0"
    )
    # Each person's first pull request to the repository ever, for those who opened one in it.
    firsts = (
        "SELECT 'first', toString(repo_name), toUInt32(0), toString(actor_login), '', "
        "toUInt32(toUnixTimestamp(min(created_at))), toUInt32(0), count(), toUInt64(0), "
        "toUInt64(0)\n"
        f"FROM {TABLE}\n"
        f"WHERE event_type = 'PullRequestEvent' AND {repos} AND created_at < {end} "
        "AND action = 'opened'\n"
        "GROUP BY repo_name, actor_login\n"
        f"HAVING max(created_at) >= {start}"
    )
    releases = (
        "SELECT 'release', toString(repo_name), toUInt32(0), '', release_tag_name, "
        "toUInt32(toUnixTimestamp(created_at)), toUInt32(0), toUInt64(1), toUInt64(0), "
        "toUInt64(0)\n"
        f"FROM {TABLE}\n"
        f"WHERE event_type = 'ReleaseEvent' AND {repos} AND created_at < {end} "
        "AND action = 'published'"
    )
    loaded = (
        "SELECT 'loaded', '', toUInt32(0), '', '', toUInt32(toUnixTimestamp(max(file_time))), "
        f"toUInt32(0), toUInt64(0), toUInt64(0), toUInt64(0)\nFROM {TABLE}"
    )
    parts = "\nUNION ALL\n".join((stars, pulls, firsts, releases, loaded))
    # The parts run in parallel: the order makes an answer the same every time it is asked.
    order = "ORDER BY kind, repo, number, login, at, title"
    return f"SELECT {_COLUMNS}\nFROM (\n{parts}\n)\n{order}\nFORMAT JSON"


def _utc_text(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("a span needs aware datetimes")
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


class ClickHouseEvents:
    """The event engine: one query per report (per year) for every listed project."""

    name = NAME
    label = LABEL

    def __init__(self, http: HttpClient, base_url: str) -> None:
        self._http = http
        self._base_url = base_url.rstrip("/")
        self._host = urlsplit(self._base_url).hostname or self._base_url

    def project_events(
        self, repositories: Sequence[str], *, start: datetime, end: datetime
    ) -> ProjectEvents:
        """Stars, pull requests and releases of `repositories` ("owner/name", exactly as GitHub
        spells them today) in the span [start, end), and how far the history is loaded."""
        names = tuple(dict.fromkeys(repositories))
        for name in names:
            if not _REPOSITORY.match(name):
                raise ValueError(f"expected a repository as owner/name, got {name!r}")
        if end <= start:
            raise ValueError(f"the span ends ({end}) before it starts ({start})")
        found = _Answer(names, start, end)
        if names:
            values = {f"r{i}": name for i, name in enumerate(names)}
            values.update(start=_utc_text(start), end=_utc_text(end))
            for row in self._query(events_sql(len(names)), values):
                found.read(row, self._malformed)
        return found.events()

    # --- one query ------------------------------------------------------------------------------

    def _query(self, sql: str, values: Mapping[str, str]) -> list[dict[str, Any]]:
        params: dict[str, str | int] = {"user": CLICKHOUSE_USER}
        params.update({f"param_{name}": escape_parameter(v) for name, v in values.items()})
        response = self._http.request(
            "POST",
            f"{self._base_url}/",
            params=params,
            content=sql.encode("utf-8"),
            headers={"Content-Type": "text/plain; charset=utf-8"},
            fail_fast=self._refusal,
            what="ClickHouse GitHub events",
        )
        return self._rows(response)

    def _refusal(self, response: httpx.Response) -> DevstatsError | None:
        status = response.status_code
        if status in (408, 429):
            return None  # a timeout or a rate limit: HttpClient waits and retries
        return self._error(exception_code(response), status, one_line(response.text))

    def _error(self, code: int | None, status: int, message: str) -> DevstatsError | None:
        """The error to raise for a ClickHouse failure, or None when a retry may help."""
        said = f": {message}" if message else ""
        reason = f"Code {code}" if code is not None else f"HTTP {status}"
        if code in REFUSED_USER or status in (401, 403):
            return UpstreamError(
                f"ClickHouse at {self._host} refused user {CLICKHOUSE_USER} ({reason}){said}",
                hint=HINT,
            )
        if code == QUOTA_EXCEEDED:
            return UpstreamError(
                f"ClickHouse at {self._host} refused the GitHub events query: user "
                f"{CLICKHOUSE_USER} is over its quota ({reason}){said}",
                hint=QUOTA_HINT,
            )
        if status < 500 or code in NEVER_BETTER_ON_RETRY:
            return UpstreamError(
                f"ClickHouse at {self._host} rejected the GitHub events query ({reason}){said}",
                hint=HINT,
            )
        return None

    def _rows(self, response: httpx.Response) -> list[dict[str, Any]]:
        return answer_rows(
            response,
            host=self._host,
            what="the GitHub events query",
            error_for=self._error,
            hint=HINT,
        )

    def _malformed(self, row: Mapping[str, Any]) -> UpstreamError:
        return UpstreamError(
            f"ClickHouse at {self._host} sent a malformed row for the GitHub events query: {row!r}"
        )


Malformed = Callable[[Mapping[str, Any]], UpstreamError]


class _Answer:
    """The rows of one answer, sorted into their kinds."""

    def __init__(self, names: tuple[str, ...], start: datetime, end: datetime) -> None:
        self.names, self.start, self.end = names, start, end
        self.stars: list[StarEvents] = []
        self.pulls: list[PullRequestOpened] = []
        self.firsts: list[FirstPullRequestTo] = []
        self.releases: list[ReleasePublished] = []
        self.loaded: datetime | None = None

    def read(self, row: Mapping[str, Any], malformed: Malformed) -> None:
        kind, repo = row.get("kind"), row.get("repo")
        if kind != "loaded" and repo not in self.names:
            raise malformed(row)
        repository = str(repo)
        if kind == "star":
            self.stars.append(
                StarEvents(
                    repository,
                    events=_count(row, "events", malformed),
                    people=_count(row, "people", malformed),
                    later_people=_count(row, "later", malformed),
                )
            )
        elif kind == "pull":
            merged = _count(row, "merged_at", malformed)
            self.pulls.append(
                PullRequestOpened(
                    repository=repository,
                    number=_count(row, "number", malformed),
                    author=str(row.get("login") or ""),
                    title=str(row.get("title") or ""),
                    opened_at=_moment(row, "at", malformed),
                    merged_at=_moment(row, "merged_at", malformed) if merged else None,
                )
            )
        elif kind == "first":
            self.firsts.append(
                FirstPullRequestTo(
                    repository, str(row.get("login") or ""), _moment(row, "at", malformed)
                )
            )
        elif kind == "release":
            self.releases.append(
                ReleasePublished(
                    repository, str(row.get("title") or ""), _moment(row, "at", malformed)
                )
            )
        elif kind == "loaded":
            # max() of an empty table is the zero time: nothing is loaded.
            self.loaded = _moment(row, "at", malformed) if _count(row, "at", malformed) else None
        else:
            raise malformed(row)

    def events(self) -> ProjectEvents:
        return ProjectEvents(
            source=NAME,
            label=LABEL,
            repositories=self.names,
            start=self.start,
            end=self.end,
            stars=tuple(sorted(self.stars, key=lambda s: s.repository)),
            pull_requests=tuple(sorted(self.pulls, key=lambda p: (p.repository, p.number))),
            first_pull_requests=tuple(
                sorted(self.firsts, key=lambda f: (f.repository, f.author.casefold()))
            ),
            releases=tuple(sorted(self.releases, key=lambda r: (r.repository, r.published_at))),
            loaded_through=self.loaded,
        )


def _count(row: Mapping[str, Any], column: str, malformed: Malformed) -> int:
    value = row.get(column)
    # FORMAT JSON quotes 64-bit integers by default; a server may be set to send numbers.
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    raise malformed(row)


def _moment(row: Mapping[str, Any], column: str, malformed: Malformed) -> datetime:
    return datetime.fromtimestamp(_count(row, column, malformed), UTC)
