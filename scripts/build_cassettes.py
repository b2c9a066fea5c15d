"""Rebuild cassettes/ — the recorded exchanges behind `devstats --offline`.

Runs the real report builder, through the real HTTP layer with its recording transport, against
the fake upstream of the demo (tests/fakes/world.py: real git history plus documented constructed
parts, see cassettes/README.md). Every request a demo command can send is recorded: the year 2022,
the year before (for --compare), the year in the example user's time zone (Asia/Seoul) and in
UTC, and the package of cassettes/devstats.toml, with and without mirrors.

    python scripts/build_cassettes.py [--out cassettes]
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from devstats.collect.pypi.package import collect_package  # noqa: E402
from devstats.http.cassettes import MANIFEST, RecordingTransport  # noqa: E402
from devstats.http.client import HttpClient  # noqa: E402
from devstats.run.asked import asked_of  # noqa: E402
from devstats.run.make import make_report  # noqa: E402
from devstats.run.services import history_engine  # noqa: E402
from devstats.settings.settings import load_settings  # noqa: E402
from devstats.store import DownloadHistory  # noqa: E402
from tests.fakes.kozistr_2022 import fake_github  # noqa: E402
from tests.fakes.world import DemoWorld  # noqa: E402

RECORDED_AT = datetime(2022, 12, 15, 9, 0, tzinfo=UTC)  # mid-December 2022, as in the review
KEPT = {"README.md", "devstats.toml"}
# The demo user's year has this many repositories with commits: no ranking lists more projects.
MOST_PROJECTS = 5


def print_nothing(_message: str) -> None:
    """Progress is not shown while recording."""


def build(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("*.json"):
        stale.unlink()
    # The fake's clock is the recording time, so rate-limit resets in the cassettes do not
    # depend on when they were rebuilt.
    world = DemoWorld(github=fake_github(clock=RECORDED_AT.timestamp))
    recorder = RecordingTransport(
        out, world.transport(), recorded_at=RECORDED_AT.isoformat(timespec="seconds")
    )
    settings = load_settings(
        2022,
        {"compare": True},
        env={},
        cwd=out,
        config_path=out / "devstats.toml",
        today=RECORDED_AT.date(),
    )
    with (
        tempfile.TemporaryDirectory() as scratch,
        HttpClient(token=None, transport=recorder) as http,
    ):
        history = DownloadHistory(Path(scratch) / "history.sqlite3")
        try:
            engine = history_engine(settings, http)
            for run in (
                settings,
                dataclasses.replace(settings, compare=False),
                # The example user lives in Seoul, the zone a run without --timezone infers from
                # the commits: its year boundaries are recorded too.
                dataclasses.replace(settings, timezone="Asia/Seoul", compare=False),
                # The stars of the listed projects are asked for in one query, so each number of
                # projects a config may list is a query of its own.
                *(
                    dataclasses.replace(settings, top_projects=top, compare=False)
                    for top in range(1, MOST_PROJECTS + 1)
                    if top != settings.top_projects
                ),
                # --timezone UTC: what a run asks when it names UTC rather than inferring a zone.
                dataclasses.replace(settings, timezone="UTC", compare=False),
            ):
                make_report(
                    asked_of(run, RECORDED_AT), http=http, history=history, engine=engine,
                    say=print_nothing,
                )  # fmt: skip
            # --mirrors asks pypistats.org for the other series; record it too.
            for package in settings.packages:
                collect_package(
                    http,
                    package,
                    year=settings.year,
                    today=RECORDED_AT.date(),
                    mirrors=True,
                    endpoints=settings.endpoints,
                    history=history,
                    pepy_api_key=None,
                    allow_partial=False,
                    engine=engine,
                    with_previous=True,
                )
        finally:
            history.close()
    files = sorted(p.name for p in out.glob("*.json") if p.name != MANIFEST)
    print(f"recorded {http.stats.requests} requests into {len(files)} cassette files in {out}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "cassettes")
    return build(parser.parse_args().out)


if __name__ == "__main__":
    raise SystemExit(main())
