"""What devstats knows about one PyPI package: its releases, and what each download source said.

devstats/collect/pypi/package.py gathers these; devstats/classify/packages.py and downloads.py
make the year's figures from them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from packaging.version import InvalidVersion, Version

from devstats.model.downloads import (
    DownloadSeries,
    EngineHistory,
    PepyDownloads,
    StoredDownloads,
)
from devstats.model.facts import Notice


@dataclass(frozen=True)
class PackageRelease:
    version: str
    uploaded_at: datetime  # the earliest upload among the release's files, UTC
    yanked: bool  # every file is yanked (as of the fetch: PyPI does not say when)
    prerelease: bool  # PEP 440 pre-, dev- (or unparseable) version


@dataclass(frozen=True)
class PyPIProject:
    name: str  # as PyPI spells it (info.name)
    releases: tuple[
        PackageRelease, ...
    ]  # ordered by upload time; releases without files are left out
    url: str | None


def parse_version(version: str) -> Version | None:
    """The PEP 440 version, or None for a legacy version string that cannot be ordered."""
    try:
        return Version(version)
    except InvalidVersion:
        return None


@dataclass(frozen=True)
class PackageFacts:
    name: str  # as the settings spell it
    project: PyPIProject
    series: DownloadSeries | None  # pypistats.org's days; None when it has none or failed
    stored: StoredDownloads | None  # None without a download store
    pepy: PepyDownloads | None
    mirrors: bool  # which pypistats.org category, and which stored days
    yesterday: date  # the last UTC day that has ended
    notices: tuple[Notice, ...]
    unavailable: bool = False  # pypistats.org failed and --allow-partial kept the run going
    engine: EngineHistory | None = None  # ClickHouse or BigQuery, when the settings use one
