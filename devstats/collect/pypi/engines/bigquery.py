"""PyPI's download history from Google BigQuery: `bigquery-public-data.pypi.file_downloads`.

Facts about the upstream that shape this module:
- the table holds one row per download since 2016, is partitioned by day on `timestamp` and
  clustered by project (pypa/packaging.python.org#782), so every query here filters a half-open
  UTC range on `timestamp`: BigQuery then reads only those days' partitions;
- queries are billed by the bytes they scan (on-demand: $6.25 per TiB after the first TiB each
  month). A dry run is free and estimates the bytes; on a clustered table that estimate is an
  upper bound, since blocks of other projects are skipped only while the query runs
  (cloud.google.com/bigquery/docs/clustered-tables). A job with `maximum_bytes_billed` that
  would bill more fails without a charge (reason `bytesBilledLimitExceeded`);
- counts follow pypistats.org (psf/pypistats.org, pypistats/tasks/pypi.py): only rows whose
  `details.python` looks like a version or is NULL, and "without mirrors" leaves out the
  installers in MIRROR_INSTALLERS.

google-cloud-bigquery is an optional extra, imported only when a query is made. It speaks to
BigQuery (and google-auth to Google's token endpoint) through its own `requests` transport, with
its own retries, not through devstats' httpx layer: the client library owns the job protocol
(insert, poll, page), so it is used as it is.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from devstats.collect.pypi.engines.base import (
    MIRROR_INSTALLERS,
    HistorySource,
    OverLimit,
    month_after,
    months_between,
)
from devstats.model.downloads import HISTORY_STARTS, MonthlyHistory, TotalHistory, byte_size
from devstats.model.errors import AuthenticationError, DevstatsError, UpstreamError, UsageError
from devstats.model.package_names import normalize

if TYPE_CHECKING:
    from google.cloud.bigquery import Client

TABLE = "bigquery-public-data.pypi.file_downloads"
SOURCE = f"BigQuery ({TABLE})"
DEFAULT_MAX_BYTES_BILLED = 50 * 10**9
# In seconds: how long a query job may take from submission to its last row (a year of one
# project's rows is counted in seconds to a minute); how long one HTTP call may take; and how
# long the library keeps retrying one call that failed with a 5xx, a rate limit or a dropped
# connection.
JOB_TIMEOUT = 300.0
REQUEST_TIMEOUT = 60.0
RETRY_DEADLINE = 30.0

RAISE_LIMIT = "raise it with --bigquery-max-bytes or bigquery_max_bytes in the config file"
LOGIN = "run `gcloud auth application-default login` or set GOOGLE_APPLICATION_CREDENTIALS"

# Conditions every query shares. `project` holds the same PEP 503 name as `file.project` (the one
# pypistats.org counts on) and is the column the table is clustered by, so filtering on it lets
# BigQuery skip other packages' blocks. The Python-version test is pypistats.org's: version-like
# strings, or no version reported.
_CONDITIONS = r"""WHERE timestamp >= @start AND timestamp < @end
  AND project = @project
  AND (REGEXP_CONTAINS(details.python, r'^[0-9]\.[0-9]+.{0,}$') OR details.python IS NULL)"""
# pypistats.org's "without mirrors". In SQL `NULL NOT IN (...)` is NULL, not TRUE, so this also
# leaves out downloads whose installer is unknown, as pypistats.org's counts do.
_WITHOUT_MIRRORS = "\n  AND details.installer.name NOT IN UNNEST(@mirrors)"

_MONTHLY_SQL = """SELECT DATE_TRUNC(DATE(timestamp), MONTH) AS month, COUNT(*) AS downloads
FROM `{table}`
{conditions}
GROUP BY month
ORDER BY month"""

_TOTAL_SQL = """SELECT COUNT(*) AS downloads
FROM `{table}`
{conditions}"""

_CALLED = re.compile(r"^[A-Z]+ \S+: ")

ClientFactory = Callable[[str | None], "Client"]


class BigQuerySource:
    """Monthly and all-time downloads counted in BigQuery's copy of PyPI's download log.

    `project` is the Google Cloud project billed for the queries (default: GOOGLE_CLOUD_PROJECT,
    then the credentials' own project). No query runs whose dry-run estimate exceeds
    `max_bytes_billed`, and BigQuery is told to fail any job that would bill more.
    `client_factory` builds the `google.cloud.bigquery.Client` from that project (or None);
    the default uses Application Default Credentials. `fallback` is the engine asked for the
    months a query over the limit would have counted (ClickPy with --downloads-source auto).
    """

    name = "bigquery"
    label = SOURCE
    comparison = (
        "pypistats.org counts the same BigQuery table by the same Python-version and mirror "
        "rules, so a difference comes from when each read the month."
    )
    budgeted = True

    def __init__(
        self,
        project: str | None = None,
        *,
        max_bytes_billed: int = DEFAULT_MAX_BYTES_BILLED,
        client_factory: ClientFactory | None = None,
        fallback: HistorySource | None = None,
    ) -> None:
        if max_bytes_billed <= 0:
            raise UsageError(
                f"the BigQuery byte limit must be a positive number, not {max_bytes_billed}"
            )
        self.project = project or None
        self.max_bytes_billed = max_bytes_billed
        self._client_factory = client_factory or default_client
        self._client: Client | None = None
        self.fallback = fallback

    def monthly(self, package: str, first: date, last: date, *, mirrors: bool) -> MonthlyHistory:
        if last < first:
            raise UsageError(f"the months asked for end ({last}) before they start ({first})")
        name = normalize(package)
        months = months_between(first, last)
        sql = _MONTHLY_SQL.format(table=TABLE, conditions=_conditions(mirrors))
        start, end = months[0], month_after(months[-1])
        rows, billed = self._query(sql, name, start, end, mirrors=mirrors, what="monthly downloads")
        counts = dict.fromkeys(months, 0)
        for row in rows:
            month = row["month"]
            if month not in counts:
                raise UpstreamError(f"BigQuery answered a month outside the query: {month}")
            counts[month] = int(row["downloads"])
        return MonthlyHistory(name, SOURCE, mirrors, counts, billed)

    def total(self, package: str, through: date, *, mirrors: bool) -> TotalHistory:
        name = normalize(package)
        sql = _TOTAL_SQL.format(table=TABLE, conditions=_conditions(mirrors))
        end = through + timedelta(days=1)
        rows, billed = self._query(
            sql, name, HISTORY_STARTS, end, mirrors=mirrors, what="all-time downloads"
        )
        if len(rows) != 1:
            raise UpstreamError(f"BigQuery answered {len(rows)} rows for a count, not one")
        return TotalHistory(name, SOURCE, mirrors, int(rows[0]["downloads"]), through, billed)

    def _query(
        self, sql: str, package: str, start: date, end: date, *, mirrors: bool, what: str
    ) -> tuple[list[dict[str, Any]], int | None]:
        """Rows of `sql` over the UTC days [start, end), after a dry run within the budget."""
        self._require_library()
        from google.cloud import bigquery
        from google.cloud.bigquery.retry import DEFAULT_JOB_RETRY, DEFAULT_RETRY

        parameters: list[bigquery.ScalarQueryParameter | bigquery.ArrayQueryParameter] = [
            bigquery.ScalarQueryParameter("project", "STRING", package),
            bigquery.ScalarQueryParameter("start", "TIMESTAMP", _midnight(start)),
            bigquery.ScalarQueryParameter("end", "TIMESTAMP", _midnight(end)),
        ]
        if not mirrors:
            parameters.append(
                bigquery.ArrayQueryParameter("mirrors", "STRING", list(MIRROR_INSTALLERS))
            )
        # `retry` covers each HTTP call; `job_retry` reruns a job that failed for a passing
        # reason. At submission the library would wrap the insert in a second retry of its own
        # with a ten-minute deadline (job_retry=None there turns it off; `retry` still applies).
        retry = DEFAULT_RETRY.with_deadline(RETRY_DEADLINE)
        job_retry = DEFAULT_JOB_RETRY.with_deadline(RETRY_DEADLINE)
        with self._translated_errors(package, what):
            client = self._connect()
            dry_run = client.query(
                sql,
                job_config=bigquery.QueryJobConfig(dry_run=True, query_parameters=parameters),
                retry=retry,
                job_retry=None,
                timeout=REQUEST_TIMEOUT,
            )
            estimate = dry_run.total_bytes_processed or 0
            if estimate > self.max_bytes_billed:
                raise OverLimit(
                    f"BigQuery estimates {byte_size(estimate)} ({estimate:,} bytes) to count "
                    f"{package}'s {what}, over the limit of {byte_size(self.max_bytes_billed)}",
                    estimate=estimate,
                    limit=self.max_bytes_billed,
                    hint=RAISE_LIMIT,
                )
            job = client.query(
                sql,
                job_config=bigquery.QueryJobConfig(
                    query_parameters=parameters, maximum_bytes_billed=self.max_bytes_billed
                ),
                retry=retry,
                job_retry=None,
                timeout=REQUEST_TIMEOUT,
            )
            answer = job.result(timeout=JOB_TIMEOUT, retry=retry, job_retry=job_retry)
            rows = [dict(row.items()) for row in answer]
        billed = job.total_bytes_billed
        return rows, int(billed) if billed is not None else None

    def _require_library(self) -> None:
        try:
            import google.cloud.bigquery  # noqa: F401
        except ImportError as error:
            raise UsageError(
                "the BigQuery source needs the google-cloud-bigquery library",
                hint="install devstats-year[bigquery]",
            ) from error

    def _connect(self) -> Client:
        if self._client is None:
            self._client = self._client_factory(self.project)
        return self._client

    @contextmanager
    def _translated_errors(self, package: str, what: str) -> Iterator[None]:
        """google-auth and google-api-core failures as devstats errors of one line each."""
        import concurrent.futures

        import requests
        from google.api_core import exceptions as api
        from google.auth import exceptions as auth

        try:
            yield
        except DevstatsError:
            raise
        except api.GoogleAPICallError as error:
            raise self._call_error(error, package, what) from None
        except auth.DefaultCredentialsError as error:
            if os.environ.get("GOOGLE_APPLICATION_CREDENTIALS"):
                raise AuthenticationError(
                    "GOOGLE_APPLICATION_CREDENTIALS does not name usable Google credentials: "
                    + _first_line(error),
                    hint=LOGIN,
                ) from None
            raise AuthenticationError(
                "no Google credentials found for BigQuery", hint=LOGIN
            ) from None
        except auth.RefreshError as error:
            raise AuthenticationError(
                f"Google refused the credentials: {_first_line(error)}", hint=LOGIN
            ) from None
        except auth.GoogleAuthError as error:
            raise UpstreamError(
                f"could not get a Google access token: {_first_line(error)}"
            ) from None
        except concurrent.futures.TimeoutError:
            raise UpstreamError(
                f"BigQuery did not finish counting {package}'s {what} within {JOB_TIMEOUT:g} s"
            ) from None
        except api.RetryError as error:
            raise UpstreamError(
                f"could not reach BigQuery within {RETRY_DEADLINE:g} s: {_first_line(error.cause)}"
            ) from None
        except (api.GoogleAPIError, requests.RequestException) as error:
            raise UpstreamError(f"could not reach BigQuery: {_first_line(error)}") from None

    def _call_error(self, error: Any, package: str, what: str) -> DevstatsError:
        details = [detail for detail in error.errors if isinstance(detail, dict)]
        reasons = {str(detail.get("reason")) for detail in details}
        # BigQuery's own words; the exception's message starts with the method and URL called.
        said = [str(detail["message"]) for detail in details if detail.get("message")]
        message = _first_line(said[0] if said else _CALLED.sub("", str(error.message)))
        if "bytesBilledLimitExceeded" in reasons:
            # BigQuery refuses before scanning; nothing was billed.
            return OverLimit(
                f"BigQuery refused to count {package}'s {what}: it would bill more than the "
                f"limit of {byte_size(self.max_bytes_billed)} ({message})",
                estimate=None,
                limit=self.max_bytes_billed,
                hint=RAISE_LIMIT,
            )
        if reasons & {"quotaExceeded", "rateLimitExceeded"}:
            return UpstreamError(
                f"BigQuery quota exceeded for project {self._billed_project()}: {message}",
                hint="wait until the quota resets, or bill another project",
            )
        if error.code == 401 or "accessDenied" in reasons:
            return AuthenticationError(
                f"BigQuery refused access for project {self._billed_project()}: {message}",
                hint="the account needs the BigQuery Job User role on the billed project",
            )
        return UpstreamError(f"BigQuery failed to count {package}'s {what}: {error.code} {message}")

    def _billed_project(self) -> str:
        return str(self._client.project) if self._client is not None else "(unknown)"


def default_client(project: str | None) -> Client:
    """A BigQuery client on Application Default Credentials, billing `project`, else
    GOOGLE_CLOUD_PROJECT, else the credentials' project. The endpoint is BigQuery's, or
    BIGQUERY_EMULATOR_HOST when set (the client library reads it itself). Without credentials
    it raises google.auth's DefaultCredentialsError, which BigQuerySource translates."""
    import google.auth
    from google.cloud import bigquery

    credentials, credentials_project = google.auth.default(scopes=bigquery.Client.SCOPE)
    billed = project or os.environ.get("GOOGLE_CLOUD_PROJECT") or credentials_project
    if not billed:
        raise UsageError(
            "no Google Cloud project to bill the BigQuery queries to",
            hint="set --bigquery-project or GOOGLE_CLOUD_PROJECT",
        )
    return bigquery.Client(project=billed, credentials=credentials)


def _conditions(mirrors: bool) -> str:
    return _CONDITIONS if mirrors else _CONDITIONS + _WITHOUT_MIRRORS


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def _first_line(error: object) -> str:
    # google-auth errors carry the message as their first argument and a response after it.
    args = getattr(error, "args", ())
    text = (args[0] if args and isinstance(args[0], str) else str(error)).strip()
    return text.splitlines()[0] if text else type(error).__name__
