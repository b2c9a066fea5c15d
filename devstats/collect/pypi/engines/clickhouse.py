"""PyPI's download history from ClickPy, ClickHouse's public copy of PyPI's download log.

Facts about the upstream that shape this module:
- it is a ClickHouse server spoken to over ClickHouse's HTTP interface: the SQL is the POST body,
  the user and each query parameter's value go in the URL (`param_<name>=`, matched to
  `{name:Type}` in the SQL). Values travel only that way, never inside the SQL text;
- the public user is `demo` with an empty password (ClickHouse/clickpy README, `.env.example`);
  it is sent as `user=demo` with no `password` at all, which ClickHouse reads as the empty one.
  The user has usage quotas;
- ClickHouse reads a parameter's value in its escaped text format, so a backslash, tab or newline
  in a value must be escaped or it changes the value (or breaks the query);
- the tables (database `pypi`) are SummingMergeTree: rows with the same key are only summed when
  parts merge, so every read is `sum(count)`;
- `pypi_downloads_per_day` (date, project, count) counts every download, mirrors included. Without
  mirrors needs `pypi_downloads_per_day_by_version_by_installer_by_type`, where an unknown
  installer is stored as '' (the loader turns NULL into the default); pypistats.org's rule drops
  NULL installers too, hence `installer != ''`;
- project names are stored PEP 503-normalised;
- FORMAT JSON quotes 64-bit integers by default (`output_format_json_quote_64bit_integers`), and
  a server may be set up either way: both forms are read;
- an error is a text body `Code: N. DB::Exception: ...` with the header
  `X-ClickHouse-Exception-Code: N`. Its HTTP status comes from the code
  (ClickHouse src/Server/HTTP/exceptionCodeToHTTPStatus.cpp): a refused user is 403 (401 for a
  missing password), a syntax error 400, an unknown table 404, and everything not listed there,
  quotas and unset parameters included, 500. An error after the answer has started streaming
  arrives with status 200, inside the body.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import httpx

from devstats.collect.pypi.engines.base import (
    MIRROR_INSTALLERS,
    HistorySource,
    month_after,
    months_between,
)
from devstats.http.client import HttpClient
from devstats.model.downloads import MonthlyHistory, TotalHistory
from devstats.model.errors import DevstatsError, UpstreamError
from devstats.model.package_names import normalize

CLICKHOUSE_USER = "demo"
SOURCE = "ClickHouse (ClickPy)"

ALL_DOWNLOADS_TABLE = "pypi.pypi_downloads_per_day"
BY_INSTALLER_TABLE = "pypi.pypi_downloads_per_day_by_version_by_installer_by_type"

AUTH_HINT = (
    "set DEVSTATS_CLICKHOUSE_URL to a server that accepts it, "
    "or use --downloads-source pypistats|bigquery"
)
QUOTA_HINT = (
    "the public user's quota resets when the interval ClickHouse names ends; try again then, "
    "or use --downloads-source pypistats|bigquery"
)

# ClickHouse error codes (src/Common/ErrorCodes.cpp) treated specially, here and by the event
# history (devstats/collect/events/clickhouse.py), which speaks to the same server.
REFUSED_USER = {
    192: "UNKNOWN_USER",
    193: "WRONG_PASSWORD",
    194: "REQUIRED_PASSWORD",
    497: "ACCESS_DENIED",
    516: "AUTHENTICATION_FAILED",
}
QUOTA_EXCEEDED = 201
# Answered with HTTP 500 yet the same on every retry: give up at once.
NEVER_BETTER_ON_RETRY = {
    164: "READONLY",
    456: "UNKNOWN_QUERY_PARAMETER",
    457: "BAD_QUERY_PARAMETER",
}
ERROR_CODE = re.compile(r"Code:\s*(\d+)")
_EXCEPTION_PREFIX = re.compile(
    r"^.*?Code:\s*\d+[.,]\s*(?:e\.displayText\(\) = )?(?:DB::Exception:\s*)?"
)
_VERSION_SUFFIX = re.compile(r"\s*\(version [^()]*(?:\([^()]*\))?[^()]*\)\s*$")
_MAX_MESSAGE = 300

# The mirror installers are constants, yet they go in as parameters like every other value.
_MIRROR_PARAMS = {f"mirror_{n}": installer for n, installer in enumerate(MIRROR_INSTALLERS)}
_WITHOUT_MIRRORS = (
    "installer NOT IN ("
    + ", ".join(f"{{{name}:String}}" for name in _MIRROR_PARAMS)
    + ") AND installer != ''"
)


def _where(mirrors: bool, date_range: str) -> str:
    conditions = ["project = {project:String}", date_range]
    if not mirrors:
        conditions.append(_WITHOUT_MIRRORS)
    return " AND ".join(conditions)


def _table(mirrors: bool) -> str:
    return ALL_DOWNLOADS_TABLE if mirrors else BY_INSTALLER_TABLE


def monthly_sql(mirrors: bool) -> str:
    """Downloads per month over the half-open day range [first, end)."""
    return (
        "SELECT toStartOfMonth(date) AS month, sum(count) AS downloads\n"
        f"FROM {_table(mirrors)}\n"
        f"WHERE {_where(mirrors, 'date >= {first:Date} AND date < {end:Date}')}\n"
        "GROUP BY month\n"
        "ORDER BY month\n"
        "FORMAT JSON"
    )


def total_sql(mirrors: bool) -> str:
    """All downloads up to and including the day `through`."""
    return (
        "SELECT sum(count) AS downloads\n"
        f"FROM {_table(mirrors)}\n"
        f"WHERE {_where(mirrors, 'date <= {through:Date}')}\n"
        "FORMAT JSON"
    )


def _parameters(mirrors: bool, **values: str) -> dict[str, str]:
    """The values for the query's placeholders, mirror installers included when it has them."""
    return values if mirrors else {**values, **_MIRROR_PARAMS}


def escape_parameter(value: str) -> str:
    """A value in ClickHouse's escaped text format, as `param_<name>=` values are read."""
    return (
        value.replace("\\", "\\\\")
        .replace("\t", "\\t")
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("'", "\\'")
    )


def exception_code(response: httpx.Response) -> int | None:
    header = response.headers.get("x-clickhouse-exception-code", "").strip()
    if header.isdigit():
        return int(header)
    found = ERROR_CODE.search(response.text)
    return int(found.group(1)) if found else None


def one_line(text: str) -> str:
    """ClickHouse's message without its `Code: N. DB::Exception:` prefix and version suffix."""
    found = ERROR_CODE.search(text)  # an error streamed mid-answer follows the answer's beginning
    text = text[found.start() :] if found else text
    line = next((part.strip() for part in text.splitlines() if part.strip()), "")
    line = _VERSION_SUFFIX.sub("", _EXCEPTION_PREFIX.sub("", line, count=1))
    return line if len(line) <= _MAX_MESSAGE else line[: _MAX_MESSAGE - 3] + "..."


ErrorFor = Callable[[int, int, str], DevstatsError | None]
"""The error a ClickHouse code means (code, HTTP status, message), or None for a passing one."""


def answer_rows(
    response: httpx.Response, *, host: str, what: str, error_for: ErrorFor, hint: str | None = None
) -> list[dict[str, Any]]:
    """The rows of a FORMAT JSON answer about `what`; an UpstreamError for anything else,
    including an error ClickHouse streamed after the answer had begun (its 200 already sent)."""
    try:
        payload = response.json()
    except ValueError:
        payload = None
    streamed = payload.get("exception") if isinstance(payload, dict) else None
    if payload is None or isinstance(streamed, str):
        text = streamed if isinstance(streamed, str) else response.text
        code = ERROR_CODE.search(text)
        if code is None:
            raise UpstreamError(
                f"ClickHouse at {host} returned something that is not JSON for {what} "
                f"(HTTP {response.status_code})",
                hint=hint,
            )
        error = error_for(int(code.group(1)), 500, one_line(text))
        raise error or UpstreamError(
            f"ClickHouse at {host} failed mid-answer for {what}: {one_line(text)}", hint=hint
        )
    data = payload.get("data") if isinstance(payload, dict) else None
    if not isinstance(data, list) or not all(isinstance(row, dict) for row in data):
        raise UpstreamError(
            f"ClickHouse at {host} answered without a list of rows for {what}", hint=hint
        )
    return data


class ClickHouseSource:
    """The HistorySource reading ClickPy's tables: one query per package and question."""

    name = "clickhouse"
    label = SOURCE
    comparison = (
        "ClickPy leaves out the same mirrors as pypistats.org but not the downloads pypistats.org "
        "drops for an unrecognised Python version, so small differences are expected."
    )
    budgeted = False  # the public demo user is not billed: one query asks every month at once
    fallback: HistorySource | None = None

    def __init__(self, http: HttpClient, base_url: str) -> None:
        self._http = http
        self._base_url = base_url.rstrip("/")
        self._host = urlsplit(self._base_url).hostname or self._base_url

    def monthly(self, package: str, first: date, last: date, *, mirrors: bool) -> MonthlyHistory:
        """Months from the one holding `first` to the one holding `last`; 0 for a month
        without rows, and for every month of a package ClickPy does not know."""
        if last < first:
            raise ValueError(f"the range ends ({last}) before it starts ({first})")
        project = normalize(package)
        start, end = first.replace(day=1), month_after(last)
        rows = self._query(
            monthly_sql(mirrors),
            _parameters(mirrors, project=project, first=start.isoformat(), end=end.isoformat()),
            package,
        )
        months = dict.fromkeys(months_between(first, last), 0)
        for row in rows:
            month = self._day(row, "month", package)
            if month not in months:
                raise UpstreamError(
                    f"ClickHouse at {self._host} answered month {month} for {package!r}, "
                    f"outside {start} to {end} asked for"
                )
            months[month] += self._count(row, "downloads", package)
        return MonthlyHistory(package=project, source=SOURCE, mirrors=mirrors, months=months)

    def total(self, package: str, through: date, *, mirrors: bool) -> TotalHistory:
        """Every download ClickPy holds for `package` up to and including the UTC day
        `through`; 0 for a package it does not know."""
        project = normalize(package)
        rows = self._query(
            total_sql(mirrors),
            _parameters(mirrors, project=project, through=through.isoformat()),
            package,
        )
        # An aggregate without GROUP BY answers one row, 0 when nothing matched.
        if len(rows) != 1:
            raise UpstreamError(
                f"ClickHouse at {self._host} answered {len(rows)} rows for the total of "
                f"{package!r}; one was expected"
            )
        downloads = self._count(rows[0], "downloads", package)
        return TotalHistory(
            package=project, source=SOURCE, mirrors=mirrors, downloads=downloads, through=through
        )

    # --- one query ------------------------------------------------------------------------------

    def _query(self, sql: str, values: Mapping[str, str], package: str) -> list[dict[str, Any]]:
        params: dict[str, str | int] = {"user": CLICKHOUSE_USER}
        params.update({f"param_{name}": escape_parameter(v) for name, v in values.items()})
        response = self._http.request(
            "POST",
            f"{self._base_url}/",
            params=params,
            content=sql.encode("utf-8"),
            headers={"Content-Type": "text/plain; charset=utf-8"},
            fail_fast=self._refusal_for(package),
            what=f"ClickHouse downloads of {package!r}",
        )
        return self._rows(response, package)

    def _refusal_for(self, package: str) -> Callable[[httpx.Response], DevstatsError | None]:
        def refusal(response: httpx.Response) -> DevstatsError | None:
            status = response.status_code
            if status in (408, 429):
                return None  # a timeout or a rate limit: HttpClient waits and retries
            return self._error(exception_code(response), status, one_line(response.text), package)

        return refusal

    def _error(
        self, code: int | None, status: int, message: str, package: str
    ) -> DevstatsError | None:
        """The error to raise for a ClickHouse failure, or None when a retry may help."""
        said = f": {message}" if message else ""
        if code in REFUSED_USER or status in (401, 403):
            reason = f"Code {code}" if code is not None else f"HTTP {status}"
            return UpstreamError(
                f"ClickHouse at {self._host} refused user {CLICKHOUSE_USER} ({reason}){said}",
                hint=AUTH_HINT,
            )
        if code == QUOTA_EXCEEDED:
            return UpstreamError(
                f"ClickHouse at {self._host} refused the query for {package!r}: "
                f"user {CLICKHOUSE_USER} is over its quota (Code {code}){said}",
                hint=QUOTA_HINT,
            )
        if status < 500 or code in NEVER_BETTER_ON_RETRY:
            reason = f"Code {code}" if code is not None else f"HTTP {status}"
            return UpstreamError(
                f"ClickHouse at {self._host} rejected the query for {package!r} ({reason}){said}"
            )
        return None

    # --- reading the answer ---------------------------------------------------------------------

    def _rows(self, response: httpx.Response, package: str) -> list[dict[str, Any]]:
        def error_for(code: int, status: int, said: str) -> DevstatsError | None:
            return self._error(code, status, said, package)

        return answer_rows(response, host=self._host, what=repr(package), error_for=error_for)

    def _count(self, row: Mapping[str, Any], column: str, package: str) -> int:
        value = row.get(column)
        # FORMAT JSON sends UInt64 as a quoted string by default; a server may send a number.
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
        if isinstance(value, str) and value.isascii() and value.isdigit():
            return int(value)
        raise UpstreamError(
            f"ClickHouse at {self._host} sent a malformed {column} for {package!r}: {row!r}"
        )

    def _day(self, row: Mapping[str, Any], column: str, package: str) -> date:
        try:
            return date.fromisoformat(str(row[column]))
        except (KeyError, ValueError):
            raise UpstreamError(
                f"ClickHouse at {self._host} sent a malformed {column} for {package!r}: {row!r}"
            ) from None
