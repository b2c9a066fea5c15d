"""A fake of ClickHouse's public GitHub event history (database `github`, table `github_events`):
the SQL devstats sends runs on a real, embedded ClickHouse (chDB) over rows a test constructs.

The HTTP side reads a request as ClickHouse's HTTP interface does (tests/fakes/clickhouse.py
describes it and answers the ClickPy tables on the same host): the SQL from the POST body, the
user from `user=`, each `param_<name>` passed to ClickHouse as it arrived (chDB reads values in
the same escaped text format). Errors come back as the server sends them: `Code: N.
DB::Exception: ...`, the `X-ClickHouse-Exception-Code` header and the HTTP status of the code.

The table is the one ClickHouse publishes (shared/reference/clickhouse/github_events.schema.sql,
from ClickHouse/github-explorer), with its enums, LowCardinality columns and sort key; a column a
row does not set holds its type's default, as GH Archive's loader leaves it. chDB keeps one
engine per process, so each fake loads its rows into it before it answers, under a lock.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

from tests.fakes.clickhouse import ReceivedQuery, error_response

HOSTS = ("sql-clickhouse.clickhouse.com", "127.0.0.1", "localhost")

# The DDL ClickHouse/github-explorer publishes, in database `github` as the public server has it.
SCHEMA = """
CREATE TABLE github.github_events
(
    file_time DateTime,
    event_type Enum('CommitCommentEvent' = 1, 'CreateEvent' = 2, 'DeleteEvent' = 3,
        'ForkEvent' = 4, 'GollumEvent' = 5, 'IssueCommentEvent' = 6, 'IssuesEvent' = 7,
        'MemberEvent' = 8, 'PublicEvent' = 9, 'PullRequestEvent' = 10,
        'PullRequestReviewCommentEvent' = 11, 'PushEvent' = 12, 'ReleaseEvent' = 13,
        'SponsorshipEvent' = 14, 'WatchEvent' = 15, 'GistEvent' = 16, 'FollowEvent' = 17,
        'DownloadEvent' = 18, 'PullRequestReviewEvent' = 19, 'ForkApplyEvent' = 20,
        'Event' = 21, 'TeamAddEvent' = 22),
    actor_login LowCardinality(String),
    repo_name LowCardinality(String),
    created_at DateTime,
    updated_at DateTime,
    action Enum('none' = 0, 'created' = 1, 'added' = 2, 'edited' = 3, 'deleted' = 4,
        'opened' = 5, 'closed' = 6, 'reopened' = 7, 'assigned' = 8, 'unassigned' = 9,
        'labeled' = 10, 'unlabeled' = 11, 'review_requested' = 12,
        'review_request_removed' = 13, 'synchronize' = 14, 'started' = 15, 'published' = 16,
        'update' = 17, 'create' = 18, 'fork' = 19, 'merged' = 20),
    comment_id UInt64,
    body String,
    path String,
    position Int32,
    line Int32,
    ref LowCardinality(String),
    ref_type Enum('none' = 0, 'branch' = 1, 'tag' = 2, 'repository' = 3, 'unknown' = 4),
    creator_user_login LowCardinality(String),
    number UInt32,
    title String,
    labels Array(LowCardinality(String)),
    state Enum('none' = 0, 'open' = 1, 'closed' = 2),
    locked UInt8,
    assignee LowCardinality(String),
    assignees Array(LowCardinality(String)),
    comments UInt32,
    author_association Enum('NONE' = 0, 'CONTRIBUTOR' = 1, 'OWNER' = 2, 'COLLABORATOR' = 3,
        'MEMBER' = 4, 'MANNEQUIN' = 5),
    closed_at DateTime,
    merged_at DateTime,
    merge_commit_sha String,
    requested_reviewers Array(LowCardinality(String)),
    requested_teams Array(LowCardinality(String)),
    head_ref LowCardinality(String),
    head_sha String,
    base_ref LowCardinality(String),
    base_sha String,
    merged UInt8,
    mergeable UInt8,
    rebaseable UInt8,
    mergeable_state Enum('unknown' = 0, 'dirty' = 1, 'clean' = 2, 'unstable' = 3, 'draft' = 4,
        'blocked' = 5),
    merged_by LowCardinality(String),
    review_comments UInt32,
    maintainer_can_modify UInt8,
    commits UInt32,
    additions UInt32,
    deletions UInt32,
    changed_files UInt32,
    diff_hunk String,
    original_position UInt32,
    commit_id String,
    original_commit_id String,
    push_size UInt32,
    push_distinct_size UInt32,
    member_login LowCardinality(String),
    release_tag_name String,
    release_name String,
    review_state Enum('none' = 0, 'approved' = 1, 'changes_requested' = 2, 'commented' = 3,
        'dismissed' = 4, 'pending' = 5),
    PROJECTION max_file_time
    (
        SELECT max(file_time)
    )
)
ENGINE = MergeTree
ORDER BY (event_type, repo_name, created_at)
"""

_ELAPSED = re.compile(rb'"elapsed":\s*[0-9.e+-]+')
_NAMES_DATABASE = re.compile(r"\bgithub\s*\.", re.IGNORECASE)
_CODE = re.compile(r"Code:\s*(\d+)\.\s*(?:DB::Exception:\s*)?(.*?)(?:\s*\((\w+)\))?\s*$", re.S)


@dataclass(frozen=True)
class EventRow:
    """One event as GH Archive's loader stores it; unset columns keep their defaults."""

    event_type: str  # "WatchEvent", "PullRequestEvent", "ReleaseEvent", ...
    actor: str
    repository: str  # repo_name: owner/name at the time of the event
    at: datetime  # created_at, aware
    action: str = "none"
    number: int = 0
    creator: str = ""  # creator_user_login
    title: str = ""
    merged: bool = False
    release_tag: str = ""

    def column_values(self) -> dict[str, Any]:
        seconds = int(self.at.astimezone(UTC).timestamp())
        return {
            "file_time": seconds - seconds % 3600,  # the GH Archive hour it was loaded from
            "event_type": self.event_type,
            "actor_login": self.actor,
            "repo_name": self.repository,
            "created_at": seconds,
            "action": self.action,
            "number": self.number,
            "creator_user_login": self.creator,
            "title": self.title,
            "merged": int(self.merged),
            "merged_at": seconds if self.merged else 0,
            "release_tag_name": self.release_tag,
        }


def star(actor: str, repository: str, at: datetime) -> EventRow:
    return EventRow("WatchEvent", actor, repository, at, action="started")


def pull_request(
    actor: str,
    repository: str,
    number: int,
    opened: datetime,
    *,
    title: str = "",
    merged: datetime | None = None,
    merged_by: str = "",
) -> list[EventRow]:
    """The events of one pull request: its opening, and its merge when there is one."""
    rows = [EventRow("PullRequestEvent", actor, repository, opened, "opened", number, actor, title)]
    if merged is not None:
        closer = merged_by or repository.split("/", 1)[0]
        rows.append(
            EventRow(
                "PullRequestEvent", closer, repository, merged, "closed", number, actor, title, True
            )
        )
    return rows


def release(actor: str, repository: str, tag: str, at: datetime) -> EventRow:
    return EventRow("ReleaseEvent", actor, repository, at, action="published", release_tag=tag)


class _Engine:
    """The process's one chDB engine, and whose rows it holds."""

    lock = threading.Lock()
    loaded_by: object | None = None
    loaded_rows = -1
    session: Any = None

    @classmethod
    def load(cls, owner: object, rows: list[EventRow]) -> Any:
        if cls.session is None:
            from chdb import session  # imported here: only the event tests need the engine

            cls.session = session.Session()
            cls.session.query("CREATE DATABASE IF NOT EXISTS github")
        if cls.loaded_by is not owner or cls.loaded_rows != len(rows):
            cls.session.query("DROP TABLE IF EXISTS github.github_events")
            cls.session.query(SCHEMA)
            if rows:
                lines = "\n".join(json.dumps(row.column_values()) for row in rows)
                cls.session.query(f"INSERT INTO github.github_events FORMAT JSONEachRow {lines}")
            cls.loaded_by, cls.loaded_rows = owner, len(rows)
        return cls.session


@dataclass(eq=False)
class FakeGitHubEvents:
    """ClickHouse's public server as far as the `github` database goes; see the module docstring.

    `max_queries` is the quota per user; `failures` are answered first, one per request.
    Requests whose SQL does not name the `github` database are left to the next fake (None).
    """

    rows: list[EventRow] = field(default_factory=list)
    users: Mapping[str, str] = field(default_factory=lambda: {"demo": ""})
    hosts: tuple[str, ...] = HOSTS
    max_queries: int | None = None
    failures: list[httpx.Response] = field(default_factory=list)
    received: list[ReceivedQuery] = field(default_factory=list)

    def add(self, rows: Iterable[EventRow]) -> None:
        self.rows.extend(rows)

    def load(self) -> None:
        """Load the rows into the engine now (the first query does otherwise): a benchmark
        times devstats, not the fake's start."""
        with _Engine.lock:
            _Engine.load(self, self.rows)

    def handle(self, request: httpx.Request) -> httpx.Response | None:
        if request.url.host not in self.hosts or request.method != "POST":
            return None
        sql = request.content.decode("utf-8")
        if not _NAMES_DATABASE.search(sql):
            return None
        params = request.url.params
        user, password = params.get("user", "default"), params.get("password", "")
        values = {
            key[len("param_") :]: value
            for key, value in params.multi_items()
            if key.startswith("param_")
        }
        self.received.append(ReceivedQuery(request.method, str(request.url), sql, user, values))
        if self.failures:
            return self.failures.pop(0)
        if self.users.get(user) != password:
            return error_response(
                516,
                f"{user}: Authentication failed: password is incorrect, "
                "or there is no user with such name",
            )
        used = sum(1 for query in self.received if query.user == user)
        if self.max_queries is not None and used > self.max_queries:
            return error_response(
                201,
                f"Quota for user `{user}` for 3600s has been exceeded: queries = "
                f"{used}/{self.max_queries}. Interval will end at 2030-01-01 00:00:00. "
                f"Name of quota template: `{user}`",
            )
        if not sql.lstrip().upper().startswith("SELECT"):
            return error_response(164, f"{user}: Cannot execute query in readonly mode")
        return self._run(sql, values)

    def _run(self, sql: str, values: dict[str, str]) -> httpx.Response:
        with _Engine.lock:
            engine = _Engine.load(self, self.rows)
            try:
                answer = engine.query(sql, params=values)
            except Exception as error:  # chDB raises ClickHouse's own message
                found = _CODE.search(str(error))
                if found is None:
                    raise
                return error_response(int(found.group(1)), found.group(2).rstrip(". "))
        # The time taken is the one thing that differs between two runs of the same query:
        # a fixed one keeps recorded answers reproducible.
        body = _ELAPSED.sub(b'"elapsed": 0.001', answer.bytes())
        return httpx.Response(
            200, headers={"Content-Type": "application/json; charset=UTF-8"}, content=body
        )


def first_of(*handles: Any) -> Any:
    """One handler asking each fake in turn: the events and the ClickPy fakes share a host."""

    def route(request: httpx.Request) -> httpx.Response | None:
        for handle in handles:
            response = handle(request)
            if response is not None:
                return response
        return None

    return route
