"""The services a run hands to its steps: the HTTP client (live, recording or replaying), the
download store and the history engine, opened together and closed together, for a run made as
of the moment `run/pipeline.py` decided."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

import httpx

from devstats.collect.pypi.engines.base import HistorySource
from devstats.collect.pypi.engines.clickhouse import ClickHouseSource
from devstats.collect.pypi.pypistats import pypistats_limiter
from devstats.http.cache.entries import ResponseCache, default_cache_folder
from devstats.http.cache.policy import MaxAge, upstream_policy
from devstats.http.cache.transport import CachingTransport
from devstats.http.cassettes import RecordingTransport, ReplayTransport
from devstats.http.client import HttpClient
from devstats.model.errors import AuthenticationError, ReplayMissError
from devstats.settings.credentials import resolve_token
from devstats.settings.settings import Settings, default_cassettes, history_engine_name
from devstats.store import IN_MEMORY, DownloadHistory, default_history_path

# What the bundled example covers, for the message when --offline is asked for anything else.
DEMO_COVERS = (
    "the bundled example covers user kozistr in 2022 (2021 with --compare), "
    "time zone UTC or Asia/Seoul, package pytorch_optimizer"
)


@dataclass(frozen=True)
class Services:
    http: HttpClient
    history: DownloadHistory | None
    engine: HistorySource | None  # where download history beyond pypistats.org comes from
    # the cache of upstream answers a live run goes through (None when replaying or recording)
    answers: CachingTransport | None = None


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _transport(
    settings: Settings, env: Mapping[str, str], token: str | None, now: datetime
) -> tuple[httpx.BaseTransport | None, str | None, ReplayTransport | None]:
    """(transport, token, replay): replaying needs no token; anything else does."""
    if settings.offline or settings.replay:
        replay = ReplayTransport(settings.replay or default_cassettes(env))
        return replay, None, replay
    token = token or resolve_token(env)
    if not token:
        raise AuthenticationError(
            "no GitHub token found",
            hint="set GITHUB_TOKEN (or GH_TOKEN), or log in with `gh auth login`; "
            "use --offline to try the bundled example",
        )
    if settings.record:
        recorder = RecordingTransport(
            settings.record,
            secrets=[token, settings.pepy_api_key or ""],
            recorded_at=now.astimezone(UTC).isoformat(timespec="seconds"),
        )
        return recorder, token, None
    return _caching_transport(settings, env, now), token, None


def _caching_transport(
    settings: Settings, env: Mapping[str, str], now: datetime
) -> CachingTransport:
    """Live requests go through the cache of upstream answers (record and replay do not)."""
    endpoints = settings.endpoints
    policy = upstream_policy(
        now=now,
        year_end=datetime(settings.year + 1, 1, 1, tzinfo=settings.tz),
        github_graphql=endpoints.github_graphql,
        pypistats=endpoints.pypistats,
        pypi=endpoints.pypi,
        clickhouse=endpoints.clickhouse,
        max_age=MaxAge().overridden(settings.max_age),
        refresh=settings.refresh,
    )
    cache = ResponseCache(default_cache_folder(env))
    return CachingTransport(httpx.HTTPTransport(), cache, policy)


def history_engine(settings: Settings, http: HttpClient) -> HistorySource | None:
    """The engine --downloads-source names; auto takes BigQuery when a billing project is set."""
    choice = history_engine_name(settings)
    if choice == "clickhouse":
        return ClickHouseSource(http, settings.endpoints.clickhouse)
    if choice == "bigquery":
        from devstats.collect.pypi.engines.bigquery import BigQuerySource

        # In auto, what a query over the byte limit would count is asked of ClickPy instead.
        fallback = (
            ClickHouseSource(http, settings.endpoints.clickhouse)
            if settings.downloads_source == "auto"
            else None
        )
        return BigQuerySource(
            settings.bigquery_project or settings.google_cloud_project,
            max_bytes_billed=settings.bigquery_max_bytes,
            fallback=fallback,
        )
    return None


@contextmanager
def open_services(
    settings: Settings, env: Mapping[str, str], *, now: datetime, token: str | None = None
) -> Iterator[Services]:
    """The services of one run made as of `now`; `token` when the caller has resolved it already
    (else from `env`, or the gh CLI)."""
    transport, token, replay = _transport(settings, env, token, now)
    endpoints = settings.endpoints
    # pypistats.org allows 5 requests a second and 30 a minute per client; replays need no limits.
    limiters = {} if replay else {_host(endpoints.pypistats): pypistats_limiter()}
    path = settings.history_path or (IN_MEMORY if replay else default_history_path())
    with HttpClient(
        token=token,
        auth_hosts=(_host(endpoints.github_graphql), _host(endpoints.github_rest)),
        transport=transport,
        limiters=limiters,
        max_retries=settings.retries,
        backoff=settings.backoff,
        max_wait=settings.max_wait,
    ) as http:
        history = DownloadHistory(path) if settings.packages else None
        try:
            engine = history_engine(settings, http) if settings.packages else None
            answers = transport if isinstance(transport, CachingTransport) else None
            yield Services(
                http=http,
                history=history,
                engine=engine,
                answers=answers,
            )
        except ReplayMissError as miss:
            if settings.offline and not env.get("DEVSTATS_CASSETTES"):
                miss.hint = DEMO_COVERS
            raise
        finally:
            if history is not None:
                history.close()
