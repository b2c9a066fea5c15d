"""The user's commits on the default branch of each repository, read through `history`.

Each repository's history is read over commit-date spans planned from GitHub's own count per
day: the year (and a day either side) is cut at UTC midnights into spans of about one page of
commits each, and the spans of every repository are read side by side, ten to a query under
generated aliases. So the request count follows the pages, and a busy repository costs no more
rounds of requests than a quiet one. A span that holds more than a page (commit dates that differ
from author dates) is continued with its cursor; a repository whose count is still short when its
spans are done is read over the month after the year, then further months up to a year after it,
stopping as soon as nothing is missing.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from devstats.collect.github import queries as q
from devstats.collect.github.batches import BatchSize, ask_batch
from devstats.collect.github.releases import parse_releases
from devstats.collect.github.spans import Span, contribution_day, parse_github_time, utc_midnight
from devstats.collect.github.windows import GapRider
from devstats.http.answers import QueryTooLargeError
from devstats.http.client import HttpClient
from devstats.model.errors import NotFoundError
from devstats.model.facts import Commit, Identity, Progress, Release


@dataclass(frozen=True)
class HistorySpan:
    """Commit dates one reading of a repository's history covers, both ends inclusive."""

    since: datetime
    until: datetime


# `history(since:, until:)` filters on the commit date, as `git log --since/--until` does, while
# GitHub places a commit contribution on its author date. A commit authored in the year can be
# committed after it (December's work rebased, cherry-picked or merged in January, or a pull
# request rebased and merged months later), and one authored before the year can be committed
# inside it (those are read and left out). So every repository is read over the year and a day
# either side; a repository where GitHub still counts more commits on some day than were found is
# read again over the month after the year, and while it is still short, over the stages after
# that (to 3, 6 and 12 months after the year), newest first within each, stopping as soon as
# nothing is missing. Work committed later than a year after is not read, nor more than
# LATE_PAGES pages beyond the first month (a busy repository is not paged through for a year on
# the chance of one late commit): the reconciliation names its days and the last day read.
HISTORY_MARGIN = timedelta(days=1)
LATE_STAGES = (timedelta(days=31), timedelta(days=90), timedelta(days=181), timedelta(days=365))
LATE_PAGES = 10
_SECOND = timedelta(seconds=1)


def history_spans(year: Span) -> tuple[HistorySpan, ...]:
    """The commit-date spans read in turn: the year with a margin, then the stages after it."""
    spans = [HistorySpan(year.start - HISTORY_MARGIN, year.end + HISTORY_MARGIN)]
    for stage in LATE_STAGES:
        spans.append(
            HistorySpan(spans[-1].until + timedelta(seconds=1), year.end + stage - _SECOND)
        )
    return tuple(spans)


def _cuts(days: list[tuple[datetime, int]], capacity: int, span: HistorySpan) -> list[datetime]:
    """Where to cut `span` so that no piece holds more than `capacity` commits (a day that does
    holds it alone), filling each piece as far as it goes; `days` are (UTC midnight, commits)."""
    cuts: list[datetime] = []
    held = 0
    for midnight, count in days:
        if held and held + count > capacity and span.since < midnight <= span.until:
            cuts.append(midnight)
            held = 0
        held += count
    return cuts


def plan_spans(
    span: HistorySpan, days: Mapping[date, int], page: int = q.HISTORY_PAGE_SIZE
) -> tuple[HistorySpan, ...]:
    """`span` cut at UTC midnights into as few pieces of at most a `page` of commits as GitHub's
    count per UTC day (`days`) allows, as evenly filled as that number of pieces allows: the room
    left in each is for the commits read beside the counted ones (the margin days, commits whose
    commit date lies in the piece while their author date does not). The pieces cover `span`."""
    if sum(days.values()) <= page:
        return (span,)
    ordered = [(utc_midnight(day), n) for day, n in sorted(days.items())]
    fewest = len(_cuts(ordered, page, span))
    # The smallest capacity that still needs no more pieces (more capacity, fewer cuts).
    low, high = max(1, math.ceil(sum(days.values()) / (fewest + 1))), page
    while low < high:
        middle = (low + high) // 2
        if len(_cuts(ordered, middle, span)) > fewest:
            low = middle + 1
        else:
            high = middle
    cuts = _cuts(ordered, low, span)
    starts = [span.since, *cuts]
    ends = [c - timedelta(seconds=1) for c in cuts] + [span.until]
    return tuple(HistorySpan(a, b) for a, b in zip(starts, ends, strict=True))


def _short(github: Mapping[date, int], found: Iterable[Commit]) -> bool:
    """Whether GitHub counts more commits than were found on some day."""
    retrieved = Counter(contribution_day(c.authored_at) for c in found)
    return any(count > retrieved[day] for day, count in github.items())


@dataclass(frozen=True)
class Reading:
    """One span of one repository's history, and where its reading stands."""

    name: str
    span: HistorySpan
    # 0: a span of the year; 1, 2, …: a stage after it, read only while the count is short
    stage: int = 0
    first: bool = False  # also asks for the repository's releases and gh-pages branch
    cursor: str | None = None
    page: int = 1


def _alias_variables(index: int, reading: Reading) -> dict[str, Any]:
    owner, _, repo = reading.name.partition("/")
    return {
        f"o{index}": owner,
        f"n{index}": repo,
        f"c{index}": reading.cursor,
        f"since{index}": reading.span.since.isoformat(),
        f"until{index}": reading.span.until.isoformat(),
        f"f{index}": reading.first,
    }


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


class HistoryReader:
    """Reads the user's commits of a year in many repositories, in batched queries."""

    def __init__(
        self,
        http: HttpClient,
        url: str,
        year: Span,
        say: Progress,
        now: datetime | None = None,
    ) -> None:
        self.http = http
        self.url = url
        self.year = year
        # The year's span, and the stages after it that have begun by `now` (nothing is
        # committed in the future).
        self.spans = tuple(
            span
            for i, span in enumerate(history_spans(year))
            if i == 0 or now is None or span.since < now
        )
        self.now = now
        self.read_through: dict[str, datetime] = {}  # a short repository: last commit date read
        self.late_pages: Counter[str] = Counter()  # pages read beyond the first stage
        self.say = say
        self.releases: dict[str, tuple[Release, ...]] = {}
        self.unreadable: dict[str, str] = {}  # repository → "gone" or "unreadable"
        self.pages_branches: set[str] = set()
        self.sizes = BatchSize(q.HISTORY_BATCH_SIZE)
        self.days: dict[str, dict[date, int]] = {}  # GitHub's count per UTC day, per repository
        self.open_spans: dict[str, int] = {}  # year's spans of a repository not read to the end

    def commits(
        self,
        user_id: str,
        repositories: list[str],
        github_days: Mapping[str, Mapping[date, int]],
        gap: GapRider | None = None,
    ) -> dict[str, dict[str, Commit]]:
        """repository → SHA → commit, for the user's commits authored in the year.

        The repositories of `gap` wait for their days, which ride along with the first query.
        """
        found: dict[str, dict[str, Commit]] = {name: {} for name in repositories}
        self.days = {name: dict(days) for name, days in github_days.items()}
        waiting = [name for name in repositories if gap is not None and name in gap.repositories]
        pending = self._plan([name for name in repositories if name not in waiting])
        rider = gap if gap is not None and gap.windows and pending else None
        if gap is not None and rider is None:
            pending += self._arrived(gap.alone(), waiting)
        done = 0
        while pending:
            batch, pending = self.sizes.take(pending)
            try:
                cursors, data = self._read_batch(user_id, batch, found, rider)
            except QueryTooLargeError:
                if rider is not None:  # the windows go alone; the batch is asked again
                    pending = batch + pending + self._arrived(rider.alone(), waiting)
                    rider = None
                elif self.sizes.shrink(len(batch)):
                    pending = batch + pending
                else:
                    raise
                continue
            if rider is not None:
                days = rider.take(data) if data is not None else rider.alone()
                pending += self._arrived(days, waiting)
                rider = None
            done += self._advance(batch, cursors, pending, found)
            pages = max(r.page for r in batch)
            self.say(f"fetched {done}/{len(repositories)} repositories' history (page {pages})")
        return found

    def _plan(self, names: Iterable[str]) -> list[Reading]:
        """The first readings of each repository: its planned spans of the year."""
        readings = []
        for name in names:
            spans = plan_spans(self.spans[0], self.days.get(name, {}))
            self.open_spans[name] = len(spans)
            readings += [Reading(name, span, first=i == 0) for i, span in enumerate(spans)]
        return readings

    def _arrived(self, days: Mapping[str, dict[date, int]], waiting: list[str]) -> list[Reading]:
        """The days of the waiting repositories are known: plan their readings."""
        self.days.update(days)
        return self._plan(waiting)

    def _advance(
        self,
        batch: list[Reading],
        cursors: list[str | None],
        pending: list[Reading],
        found: dict[str, dict[str, Commit]],
    ) -> int:
        """Queue what each reading of `batch` still needs; return the repositories now done."""
        done = 0
        for reading, cursor in zip(batch, cursors, strict=True):
            name = reading.name
            if reading.stage > 1:
                self.late_pages[name] += 1
            if cursor is not None:
                if reading.stage and not self._short(name, found):
                    done += 1  # what was missing is found: the rest of this stage is not needed
                elif reading.stage > 1 and self.late_pages[name] >= LATE_PAGES:
                    done += 1  # given up: the reconciliation names what is still missing
                else:
                    pending.append(replace(reading, cursor=cursor, page=reading.page + 1))
                continue
            if reading.stage == 0:
                self.open_spans[name] -= 1
                if self.open_spans[name]:
                    continue
            else:
                self.read_through[name] = reading.span.until
            later = self._next_stage(reading)
            if later is not None and self._short(name, found):
                pending.append(later)
                continue
            done += 1
        return done

    def _short(self, name: str, found: dict[str, dict[str, Commit]]) -> bool:
        return name not in self.unreadable and _short(
            self.days.get(name, {}), found.get(name, {}).values()
        )

    def _next_stage(self, reading: Reading) -> Reading | None:
        """The next stage after the year to read for a short repository, if any. A repository
        with a gh-pages branch, whose commits GitHub counts and `history` does not read, stops
        after the first."""
        stage = reading.stage + 1
        if stage >= len(self.spans) or (stage > 1 and reading.name in self.pages_branches):
            return None
        if self.late_pages[reading.name] >= LATE_PAGES:
            return None
        return Reading(reading.name, self.spans[stage], stage=stage)

    def read_until(self, name: str) -> datetime:
        """The last commit date read of a repository: the end of the last stage read (or of the
        year's span), or now when that is earlier."""
        until = self.read_through.get(name, self.spans[0].until)
        return min(until, self.now) if self.now is not None else until

    def _read_batch(
        self,
        user_id: str,
        batch: list[Reading],
        found: dict[str, dict[str, Commit]],
        rider: GapRider | None = None,
    ) -> tuple[list[str | None], dict[str, Any] | None]:
        """Read one page of each reading: each one's next cursor (None when done), and the
        answer, when the batch was answered as one (`rider` rides along in it)."""
        cursors: list[str | None] = [None] * len(batch)
        live = [(k, r) for k, r in enumerate(batch) if r.name not in self.unreadable]
        if not live:
            return cursors, None
        variables: dict[str, Any] = {"userId": user_id, **(rider.variables() if rider else {})}
        for i, (_, reading) in enumerate(live):
            variables.update(_alias_variables(i, reading))
        windows = rider.windows if rider else 0
        query = q.commit_history_query(max(1, len(live)), windows)
        try:
            data = ask_batch(self.http, self.url, query, variables, aliases=len(live) + windows)
        except NotFoundError:
            # One repository gone (deleted, renamed, made private) must not cost the others:
            # ask for each alone, and note the ones that are gone.
            for k, reading in live:
                cursors[k] = self._single(user_id, reading, found, alone=len(live) == 1)
            return cursors, None
        for i, (k, reading) in enumerate(live):
            node = data.get(q.history_alias(i))
            cursors[k] = self._read_history(node, reading, found)
        return cursors, data

    def _single(
        self,
        user_id: str,
        reading: Reading,
        found: dict[str, dict[str, Commit]],
        *,
        alone: bool,
    ) -> str | None:
        if alone or reading.name in self.unreadable:
            self.unreadable.setdefault(reading.name, "gone")
            return None
        variables = {"userId": user_id, **_alias_variables(0, reading)}
        try:
            data = self.http.graphql(self.url, q.commit_history_query(1), variables)
        except NotFoundError:
            self.unreadable[reading.name] = "gone"
            return None
        return self._read_history(data.get(q.history_alias(0)), reading, found)

    def _read_history(
        self, node: Any, reading: Reading, found: dict[str, dict[str, Commit]]
    ) -> str | None:
        name = reading.name
        if not isinstance(node, dict):
            self.unreadable[name] = "unreadable"
            return None
        branch = node.get("defaultBranchRef") or {}
        if node.get("pagesBranch") and branch.get("name") != "gh-pages":
            self.pages_branches.add(name)
        repository = str(node.get("nameWithOwner") or name)
        if "releases" in node and repository not in self.releases:
            connection = node.get("releases") or {}
            self.releases[repository] = parse_releases(repository, connection.get("nodes") or ())
        history = (branch.get("target") or {}).get("history")
        if not isinstance(history, dict):
            return None  # an empty repository has no default branch yet
        commits = found.setdefault(name, {})
        for item in history.get("nodes") or []:
            if not item:
                continue
            commit = _commit(item, repository)
            # The year of a commit contribution is that of its author date.
            if self.year.start <= commit.authored_at < self.year.end:
                commits.setdefault(commit.sha, commit)
        info = history.get("pageInfo") or {}
        return str(info["endCursor"]) if info.get("hasNextPage") and info.get("endCursor") else None
