"""devstats.collect.events.plan: which upstream answers for stars and pull requests received."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from devstats.collect.events.plan import EventsRead, read_events
from devstats.model.errors import UpstreamError
from devstats.model.events import ProjectEvents

SEOUL = ZoneInfo("Asia/Seoul")
REPOS = ("kozistr/pytorch_optimizer", "kozistr/kozistr")


class Engine:
    """An event source that answers with a given freshness, or fails."""

    name = "clickhouse"
    label = "ClickHouse (GH Archive)"

    def __init__(self, loaded: datetime | None, fails: bool = False) -> None:
        self.loaded, self.fails = loaded, fails
        self.asked: list[tuple[tuple[str, ...], datetime, datetime]] = []

    def project_events(
        self, repositories: Sequence[str], *, start: datetime, end: datetime
    ) -> ProjectEvents:
        self.asked.append((tuple(repositories), start, end))
        if self.fails:
            raise UpstreamError("ClickHouse at example refused user demo (Code 516)")
        return ProjectEvents(
            "clickhouse", self.label, tuple(repositories), start, end, (), (), (), (), self.loaded
        )


def read(engine: Engine | None, source: str, year: int = 2022) -> EventsRead:
    return read_events(engine, source, REPOS, year=year, tz=SEOUL)


@pytest.mark.parametrize("source", ["auto", "clickhouse"])
def test_a_past_year_loaded_in_full_is_read_from_the_history_in_one_question(source: str) -> None:
    engine = Engine(loaded=datetime(2026, 12, 6, 11, tzinfo=UTC))
    found = read(engine, source)
    assert found.events is not None and not found.stars_from_github
    assert found.notices == () and found.complete_through is None
    assert engine.asked == [
        (REPOS, datetime(2022, 1, 1, tzinfo=SEOUL), datetime(2023, 1, 1, tzinfo=SEOUL))
    ]


def test_github_asks_no_history() -> None:
    engine = Engine(loaded=datetime(2026, 12, 6, tzinfo=UTC))
    found = read(engine, "github")
    assert found == EventsRead(events=None, stars_from_github=True, complete_through=None)
    assert engine.asked == []


def test_auto_falls_back_to_github_and_says_so_once() -> None:
    found = read(Engine(loaded=None, fails=True), "auto")
    assert found.events is None and found.stars_from_github
    (said,) = found.notices
    assert said.code == "events-unavailable" and said.audience == "operator"
    assert "Code 516" in said.message and "ClickHouse (GH Archive)" in said.message


def test_clickhouse_asked_for_by_name_fails_the_run() -> None:
    with pytest.raises(UpstreamError):
        read(Engine(loaded=None, fails=True), "clickhouse")


@pytest.mark.parametrize(("source", "from_github"), [("auto", True), ("clickhouse", False)])
def test_a_year_the_history_has_not_caught_up_with(source: str, from_github: bool) -> None:
    # Loaded through the hour starting 14:00 UTC on 5 December: 23:59 in Seoul, so the 5th is whole.
    found = read(Engine(loaded=datetime(2026, 12, 5, 14, tzinfo=UTC)), source, year=2026)
    assert found.events is not None
    assert found.stars_from_github is from_github
    assert found.complete_through == date(2026, 12, 5)
    (said,) = found.notices
    assert said.code == "events-behind"
    assert said.params == {"through": "2026-12-05", "stars": int(not from_github)}
    assert ("Nor are stars" in said.message) is not from_github
    assert said.audience == "reader"


def test_an_hour_short_of_a_day_leaves_that_day_out() -> None:
    found = read(Engine(loaded=datetime(2026, 12, 5, 13, tzinfo=UTC)), "clickhouse", year=2026)
    assert found.complete_through == date(2026, 12, 4)
