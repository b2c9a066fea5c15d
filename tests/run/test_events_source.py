"""--events-source in whole runs: child processes against the demo world on a loopback server,
whose ClickHouse host also serves GitHub's event history (tests/fakes/events_world.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.fakes.events_world import fake_events
from tests.fakes.kozistr_2022 import fake_github
from tests.fakes.loopback import serve
from tests.fakes.process import TOKEN, live_env, run
from tests.fakes.world import DemoWorld

YEAR = ["2022", "--user", "kozistr", "--package", "pytorch_optimizer", "--format", "json"]
OPTIMIZER = "kozistr/pytorch_optimizer"


def report(world: DemoWorld, tmp_path: Path, *more: str) -> tuple[dict[str, Any], str, int]:
    """The JSON report of one cold run, its stderr, and the event queries it asked."""
    assert world.events is not None
    before = len(world.events.received)
    with serve(world.handle) as server:
        done = run([*YEAR, *more], env=live_env(server, tmp_path))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and TOKEN not in done.stderr + done.stdout
    return json.loads(done.stdout), done.stderr, len(world.events.received) - before


def stars(document: dict[str, Any]) -> dict[str, int]:
    return {p["repository"]: p["stars_gained"] for p in document["projects"]}


def test_the_history_answers_a_year_it_holds_in_one_query(tmp_path: Path) -> None:
    # The fake GitHub's clock is today's: its history holds all of 2022.
    world = DemoWorld()
    document, _, asked = report(world, tmp_path)
    assert asked == 1
    received = document["received"]
    assert received["source"] == "clickhouse" and received["complete_through"] is None
    assert {s["definition"] for s in received["stars"]} == {"star-events"}
    (optimizer,) = received["pull_requests"]
    assert optimizer["repository"] == OPTIMIZER and optimizer["first_timers"] == ["Bing-su"]
    # No star of the demo was ever removed: both definitions give the same counts.
    walked, _, none_asked = report(DemoWorld(), tmp_path / "github", "--events-source", "github")
    assert none_asked == 0 and stars(walked) == stars(document)
    assert walked["received"]["source"] == "github" and walked["received"]["pull_requests"] is None
    assert {s["definition"] for s in walked["received"]["stars"]} == {"stargazers"}


def test_auto_falls_back_to_github_and_says_so_once(tmp_path: Path) -> None:
    refusing = fake_events(fake_github().world)
    refusing.users = {"someone-else": ""}  # the server refuses user demo (Code 516)
    document, told, asked = report(DemoWorld(events=refusing), tmp_path)
    assert asked == 1  # refused for good: not asked again
    assert told.count("could not be read") == 1 and "Code 516" in told
    received = document["received"]
    assert received["source"] == "github" and received["pull_requests"] is None
    assert all(s["definition"] == "stargazers" for s in received["stars"])
    assert "events-unavailable" not in {
        n["code"] for n in document["notices"] if n["audience"] == "reader"
    }
    assert stars(document)[OPTIMIZER] == 97


def test_clickhouse_asked_for_by_name_fails_when_refused(tmp_path: Path) -> None:
    refusing = fake_events(fake_github().world)
    refusing.users = {}
    world = DemoWorld(events=refusing)
    with serve(world.handle) as server:
        done = run([*YEAR, "--events-source", "clickhouse"], env=live_env(server, tmp_path))
    assert done.returncode == 5
    assert "refused user demo (Code 516)" in done.stderr and "--events-source github" in done.stderr
