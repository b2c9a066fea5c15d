"""What devstats knows about one PyPI package: its releases, and what each download source said.

devstats/collect/pypi/package.py gathers these; devstats/classify/packages.py and downloads.py
make the year's figures from them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar

from packaging.version import InvalidVersion, Version

from devstats.model.downloads import (
    DownloadAnswer,
    DownloadSeries,
    EngineHistory,
    PepyDownloads,
    StoredDownloads,
)
from devstats.model.facts import Notice

_Answer = TypeVar("_Answer", DownloadSeries, PepyDownloads, EngineHistory)


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
    """A package's releases and what every download source said about it.

    `said` holds one answer per source that answered, in the order they were asked
    (devstats/collect/pypi/package.py registers the sources); a source that failed or has
    nothing for the package is absent, and a notice says why.
    """

    name: str  # as the settings spell it
    project: PyPIProject
    mirrors: bool  # which pypistats.org category, and which stored days
    yesterday: date  # the last UTC day that has ended
    notices: tuple[Notice, ...]
    said: tuple[DownloadAnswer, ...] = ()
    stored: StoredDownloads | None = None  # None without a download store
    unavailable: bool = False  # pypistats.org failed and --allow-partial kept the run going

    def _first(self, kind: type[_Answer]) -> _Answer | None:
        return next((answer for answer in self.said if isinstance(answer, kind)), None)

    @property
    def series(self) -> DownloadSeries | None:
        """pypistats.org's recent days, when it answered."""
        return self._first(DownloadSeries)

    @property
    def pepy(self) -> PepyDownloads | None:
        """pepy.tech's total, when a key is set and it answered."""
        return self._first(PepyDownloads)

    @property
    def engine(self) -> EngineHistory | None:
        """A history engine's months and totals, when the settings use one and it answered."""
        return self._first(EngineHistory)
