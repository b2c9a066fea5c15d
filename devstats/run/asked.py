"""What a report is made of: the settings that shape it, read once into narrow inputs.

`asked_of` is the one place that reads `Settings` for the report; every step of `run/make.py`
takes an `Asked` (the year, the user, the time zone, the run's "now", the few options a part
reads) instead of the whole settings. `run/kept.py`'s key covers the same settings.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from devstats.model.downloads import Baseline
from devstats.model.facts import ProjectOverride
from devstats.model.rules import AutomationRules
from devstats.settings.endpoints import Endpoints
from devstats.settings.settings import Settings, automation_rules, require_user


@dataclasses.dataclass(frozen=True)
class PackagesAsked:
    """The packages to read, and how."""

    names: tuple[str, ...] = ()
    endpoints: Endpoints = dataclasses.field(default_factory=Endpoints)
    mirrors: bool = False
    allow_partial: bool = False
    fill_only: bool = True  # the history engine fills only what pypistats.org cannot give
    baselines: tuple[Baseline, ...] = ()
    pepy_api_key: str | None = dataclasses.field(default=None, repr=False)  # a secret


@dataclasses.dataclass(frozen=True)
class Asked:
    """Whose year, as of when, and the few options the parts read."""

    year: int
    user: str
    timezone: str  # an IANA name: the report's days and years are this zone's
    now: datetime  # the moment the report is made as of, decided once a run
    rules: AutomationRules
    graphql_url: str
    events_source: str = "auto"  # --events-source, docs/events.md; and the history's server
    clickhouse_url: str = dataclasses.field(default_factory=lambda: Endpoints().clickhouse)
    own_organizations: tuple[str, ...] = ()
    include_prereleases: bool = False
    compare: bool = False  # the previous year's figures too
    top_projects: int = 3
    project_overrides: Mapping[str, ProjectOverride] = dataclasses.field(default_factory=dict)
    packages: PackagesAsked = dataclasses.field(default_factory=PackagesAsked)
    # no zone was given: `timezone` (UTC) bounds the year GitHub is asked for, and the zone the
    # user's commits were written in places its days and hours (`local_zone`)
    infer_zone: bool = False

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def asked_of(settings: Settings, now: datetime) -> Asked:
    """What `settings` ask of the report made as of `now`; a usage error (no user, an unknown
    [cadence] key) before any request."""
    return Asked(
        year=settings.year,
        user=require_user(settings),
        timezone=settings.timezone or "UTC",
        infer_zone=settings.timezone is None,
        now=now,
        rules=automation_rules(settings),
        graphql_url=settings.endpoints.github_graphql,
        events_source=settings.events_source,
        clickhouse_url=settings.endpoints.clickhouse,
        own_organizations=settings.own_organizations,
        include_prereleases=settings.include_prereleases,
        compare=settings.compare,
        top_projects=settings.top_projects,
        project_overrides=settings.projects,
        packages=PackagesAsked(
            names=settings.packages,
            endpoints=settings.endpoints,
            mirrors=settings.mirrors,
            allow_partial=settings.allow_partial,
            fill_only=settings.downloads_source == "auto",
            baselines=settings.baselines,
            pepy_api_key=settings.pepy_api_key,
        ),
    )
