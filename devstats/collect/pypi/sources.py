"""The seam every download source plugs into: what it is asked with, and how it answers.

A source (pypistats.org, a history engine, pepy.tech) is one module with a class implementing
`DownloadSource`, and one line in `download_sources` (devstats/collect/pypi/package.py). It
answers with one of the model's `DownloadAnswer` types, which devstats/classify/downloads.py
reads; it says what went wrong in `Asking.notices`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from devstats.http.client import HttpClient
from devstats.model.downloads import DownloadAnswer, StoredDownloads
from devstats.model.facts import Notice
from devstats.settings.endpoints import Endpoints
from devstats.store import DownloadHistory


@dataclass
class Asking:
    """One package, the run's choices, and the notices the sources leave."""

    http: HttpClient
    name: str  # as the settings spell it
    year: int
    today: date  # the run's day: yesterday is the last complete UTC day
    mirrors: bool
    endpoints: Endpoints
    store: DownloadHistory | None
    allow_partial: bool
    fill_only: bool  # a history engine fills only the months the days do not give
    with_previous: bool  # --compare: the total at the previous year's end as well
    # The earliest upload among the project's files (PyPI's JSON API): no download is older, so
    # a history engine billed by the bytes it scans is asked from there, not from 2016.
    first_upload: date | None = None
    notices: list[Notice] = field(default_factory=list)


class DownloadSource(Protocol):
    """One upstream of download counts."""

    # An essential source's UpstreamError makes the package's downloads unavailable (with
    # --allow-partial) or ends the run; other sources leave a notice and no answer.
    essential: bool
    # A kept source's days are written to the download store, which is read once it answered.
    kept: bool

    def ask(
        self, asking: Asking, said: Sequence[DownloadAnswer], stored: StoredDownloads | None
    ) -> DownloadAnswer | None:
        """What this source says about `asking.name`, given what the sources before it said and
        what the store holds; None when it has nothing (with a notice saying why)."""
        ...
