"""A fake ClickHouse HTTP endpoint holding ClickPy's download tables, built from constructed rows.

It reads a request the way ClickHouse's HTTP interface does: the SQL from the POST body (or
`query=` on a GET), the user from `user=` / `X-ClickHouse-User` / Basic auth ("default" when none
is given), each `{name:Type}` placeholder's value from `param_<name>=` in ClickHouse's escaped
text format. It answers FORMAT JSON (`meta`, `data`, `rows`, `statistics`; UInt64 quoted unless
`output_format_json_quote_64bit_integers=0`) or JSONEachRow, and fails like ClickHouse: a text
body `Code: N. DB::Exception: ... (NAME) (version ...)`, the header
`X-ClickHouse-Exception-Code`, and the HTTP status ClickHouse gives that code
(src/Server/HTTP/exceptionCodeToHTTPStatus.cpp).

It is not a SQL engine: it runs the query shapes devstats sends (one table of
`pypi.pypi_downloads_per_day` or `..._by_installer_by_type`, ANDed conditions on project, date and
installer, `sum(count)`, optionally by `toStartOfMonth(date)`) and answers anything else with a
syntax error naming the part it does not know. Every answer is computed from `rows`, so a test
knows the truth independently.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx

VERSION = "25.6.1.1"  # what the fake reports as its server version in error messages

# The HTTP status ClickHouse gives each error code the fake can raise
# (src/Server/HTTP/exceptionCodeToHTTPStatus.cpp; codes not listed there are 500).
_STATUS = {
    47: 404,  # UNKNOWN_IDENTIFIER
    60: 404,  # UNKNOWN_TABLE
    62: 400,  # SYNTAX_ERROR
    73: 404,  # UNKNOWN_FORMAT
    201: 500,  # QUOTA_EXCEEDED
    202: 500,  # TOO_MANY_SIMULTANEOUS_QUERIES
    215: 500,  # NOT_AN_AGGREGATE
    456: 500,  # UNKNOWN_QUERY_PARAMETER
    457: 500,  # BAD_QUERY_PARAMETER
    516: 403,  # AUTHENTICATION_FAILED
}
_NAMES = {
    47: "UNKNOWN_IDENTIFIER",
    60: "UNKNOWN_TABLE",
    62: "SYNTAX_ERROR",
    73: "UNKNOWN_FORMAT",
    201: "QUOTA_EXCEEDED",
    202: "TOO_MANY_SIMULTANEOUS_QUERIES",
    215: "NOT_AN_AGGREGATE",
    456: "UNKNOWN_QUERY_PARAMETER",
    457: "BAD_QUERY_PARAMETER",
    516: "AUTHENTICATION_FAILED",
}
TABLES = {
    "pypi.pypi_downloads_per_day": ("date", "project", "count"),
    "pypi.pypi_downloads_per_day_by_version_by_installer_by_type": (
        "date",
        "project",
        "version",
        "installer",
        "type",
        "count",
    ),
}
_PLACEHOLDER = re.compile(r"\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*:\s*([A-Za-z0-9_()]+)\s*\}")
_ESCAPES = {"\\": "\\", "'": "'", '"': '"', "t": "\t", "n": "\n", "r": "\r", "0": "\0", "b": "\b"}
_SHAPE = re.compile(
    r"SELECT (?P<select>.+?) FROM (?P<table>[\w.]+)(?: WHERE (?P<where>.+?))?"
    r"(?: GROUP BY (?P<group>\w+))?(?: ORDER BY (?P<order>\w+))?(?: FORMAT (?P<format>\w+))?;?",
    re.IGNORECASE,
)
_SELECTED = {
    "toStartOfMonth(date)": ("Date", "month"),
    "sum(count)": ("UInt64", "downloads"),
}
_COMPARE = re.compile(r"date (>=|>|<=|<) \$(\w+)")


@dataclass(frozen=True)
class DownloadRow:
    """One row of the per-installer table: downloads of `project` by `installer` on `day`."""

    day: date
    project: str  # PEP 503-normalised, as ClickPy stores it
    installer: str  # '' where PyPI's log had no installer
    count: int


@dataclass(frozen=True)
class ReceivedQuery:
    method: str
    url: str
    sql: str  # as sent, placeholders intact
    user: str
    params: dict[str, str]  # each param_<name>, decoded as ClickHouse decodes it


class ClickHouseError(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def error_response(code: int, message: str, *, status: int | None = None) -> httpx.Response:
    """An error exactly as ClickHouse's HTTP interface sends one."""
    body = f"Code: {code}. DB::Exception: {message}. ({_NAMES.get(code, 'UNKNOWN')}) (version {VERSION} (official build))\n"
    return httpx.Response(
        status or _STATUS.get(code, 500),
        headers={
            "Content-Type": "text/plain; charset=UTF-8",
            "X-ClickHouse-Exception-Code": str(code),
        },
        text=body,
    )


def unescape(value: str, name: str) -> str:
    """A `param_` value read in ClickHouse's escaped text format (a backslash escapes)."""
    out, i = [], 0
    while i < len(value):
        char = value[i]
        if char == "\\":
            if i + 1 >= len(value):
                raise ClickHouseError(
                    457,
                    f"Cannot parse escape sequence: value {value} cannot be parsed as String for query parameter '{name}'",
                )
            nxt = value[i + 1]
            out.append(_ESCAPES.get(nxt, nxt))
            i += 2
            continue
        if char in "\t\n":
            raise ClickHouseError(
                457,
                f"Value {value} cannot be parsed as String for query parameter '{name}' because it isn't parsed completely",
            )
        out.append(char)
        i += 1
    return "".join(out)


def _typed(value: str, kind: str, name: str) -> Any:
    if kind == "String":
        return unescape(value, name)
    if kind == "Date":
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ClickHouseError(
                457, f"Value {value} cannot be parsed as Date for query parameter '{name}'"
            ) from None
    raise ClickHouseError(62, f"the fake knows no parameter type {kind}")


@dataclass
class FakeClickHouse:
    """ClickPy's download tables over ClickHouse's HTTP interface; see the module docstring.

    `users` maps each accepted user to its password; `max_queries` is the quota per user (the
    fake's interval never ends); `failures` are answered first, one per request, before the
    request is even authenticated (a proxy's 502, a server restarting).
    """

    rows: list[DownloadRow] = field(default_factory=list)
    users: Mapping[str, str] = field(default_factory=lambda: {"demo": ""})
    hosts: tuple[str, ...] = ("sql-clickhouse.clickhouse.com", "127.0.0.1", "localhost")
    quote_64bit_integers: bool = True
    max_queries: int | None = None
    failures: list[httpx.Response] = field(default_factory=list)
    received: list[ReceivedQuery] = field(default_factory=list)
    queries_by_user: dict[str, int] = field(default_factory=dict)

    def add(self, rows: Iterable[DownloadRow]) -> None:
        self.rows.extend(rows)

    # --- the HTTP side --------------------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response | None:
        if request.url.host not in self.hosts:
            return None
        params = request.url.params
        body = request.content.decode("utf-8")
        query = params.get("query", "")
        if request.method == "POST":
            sql = f"{query}\n{body}" if query else body
        elif request.method == "GET":
            sql = query
        else:
            return httpx.Response(405, text="method not allowed")
        if not sql.strip():
            return httpx.Response(200, text="Ok.\n")
        user, password = self._credentials(request)
        decoded: dict[str, str] = {}
        for key, value in params.multi_items():
            if key.startswith("param_"):
                try:
                    decoded[key[len("param_") :]] = unescape(value, key[len("param_") :])
                except ClickHouseError:
                    decoded[key[len("param_") :]] = value
        self.received.append(ReceivedQuery(request.method, str(request.url), sql, user, decoded))
        if self.failures:
            return self.failures.pop(0)
        if self.users.get(user) != password:
            return error_response(
                516,
                f"{user}: Authentication failed: password is incorrect, "
                "or there is no user with such name",
            )
        used = self.queries_by_user.get(user, 0) + 1
        self.queries_by_user[user] = used
        if self.max_queries is not None and used > self.max_queries:
            return error_response(
                201,
                f"Quota for user `{user}` for 3600s has been exceeded: "
                f"queries = {used}/{self.max_queries}. Interval will end at 2030-01-01 00:00:00. "
                f"Name of quota template: `{user}`",
            )
        quote = params.get("output_format_json_quote_64bit_integers")
        try:
            return self._answer(
                sql, params, self.quote_64bit_integers if quote is None else quote == "1"
            )
        except ClickHouseError as exc:
            return error_response(exc.code, exc.message)

    @staticmethod
    def _credentials(request: httpx.Request) -> tuple[str, str]:
        params = request.url.params
        if "user" in params or "password" in params:
            return params.get("user", "default"), params.get("password", "")
        if "x-clickhouse-user" in request.headers:
            return request.headers["x-clickhouse-user"], request.headers.get("x-clickhouse-key", "")
        authorization = request.headers.get("authorization", "")
        if authorization.lower().startswith("basic "):
            user, _, password = base64.b64decode(authorization[6:]).decode().partition(":")
            return user, password
        return "default", ""

    # --- the SQL side ---------------------------------------------------------------------------

    def _answer(self, sql: str, params: httpx.QueryParams, quote: bool) -> httpx.Response:
        values: dict[str, Any] = {}

        def bind(found: re.Match[str]) -> str:
            name, kind = found.group(1), found.group(2)
            if f"param_{name}" not in params:
                raise ClickHouseError(456, f"Substitution `{name}` is not set")
            values[name] = _typed(params[f"param_{name}"], kind, name)
            return f"${name}"

        text = " ".join(_PLACEHOLDER.sub(bind, sql).split())
        shape = _SHAPE.fullmatch(text)
        if shape is None:
            raise ClickHouseError(62, f"Syntax error: the fake cannot read {text!r}")
        table = shape["table"]
        if table not in TABLES:
            raise ClickHouseError(60, f"Table {table} does not exist")
        columns = TABLES[table]
        output = shape["format"] or "TabSeparated"
        if output not in ("JSON", "JSONEachRow"):
            raise ClickHouseError(73, f"the fake answers FORMAT JSON or JSONEachRow, not {output}")

        selected: list[tuple[str, str, str]] = []  # (expression, type, alias)
        for item in shape["select"].split(", "):
            expression, _, alias = item.partition(" AS ")
            if expression not in _SELECTED or alias != _SELECTED[expression][1]:
                raise ClickHouseError(62, f"Syntax error: the fake cannot select {item!r}")
            selected.append((expression, *_SELECTED[expression]))
        aliases = [alias for _, _, alias in selected]
        if shape["group"] not in (None, "month") or (shape["group"] and "month" not in aliases):
            raise ClickHouseError(62, f"Syntax error: the fake cannot group by {shape['group']!r}")
        if "month" in aliases and not shape["group"]:
            raise ClickHouseError(
                215, "Column `date` is not under aggregate function and not in GROUP BY"
            )

        keep = self._conditions(shape["where"] or "", values, columns)
        matched = [row for row in self.rows if all(test(row) for test in keep)]
        if shape["group"]:
            by_month: dict[date, int] = {}
            for row in matched:
                month = row.day.replace(day=1)
                by_month[month] = by_month.get(month, 0) + row.count
            result = [
                {"month": month.isoformat(), "downloads": by_month[month]}
                for month in sorted(by_month)
            ]
        else:
            # An aggregate without GROUP BY answers one row even when nothing matched.
            result = [{"downloads": sum(row.count for row in matched)}]
        result = [{alias: row[alias] for alias in aliases} for row in result]
        return self._format(output, selected, result, quote, rows_read=len(self.rows))

    def _conditions(
        self, where: str, values: Mapping[str, Any], columns: tuple[str, ...]
    ) -> list[Any]:
        tests: list[Any] = []
        for condition in (part for part in where.split(" AND ") if part):
            column = condition.split(" ", 1)[0]
            if column not in columns:
                raise ClickHouseError(
                    47, f"Unknown expression identifier `{column}` in scope SELECT"
                )
            if found := re.fullmatch(r"project = \$(\w+)", condition):
                project = values[found[1]]
                tests.append(lambda row, p=project: row.project == p)
            elif found := _COMPARE.fullmatch(condition):
                op, bound = found[1], values[found[2]]
                tests.append(
                    {
                        ">=": lambda row, b=bound: row.day >= b,
                        ">": lambda row, b=bound: row.day > b,
                        "<=": lambda row, b=bound: row.day <= b,
                        "<": lambda row, b=bound: row.day < b,
                    }[op]
                )
            elif found := re.fullmatch(r"installer NOT IN \((.+)\)", condition):
                excluded = set()
                for item in found[1].split(", "):
                    if not item.startswith("$"):
                        raise ClickHouseError(62, f"Syntax error: the fake cannot read {item!r}")
                    excluded.add(values[item[1:]])
                tests.append(lambda row, e=frozenset(excluded): row.installer not in e)
            elif condition == "installer != ''":
                tests.append(lambda row: row.installer != "")
            else:
                raise ClickHouseError(62, f"Syntax error: the fake cannot read {condition!r}")
        return tests

    @staticmethod
    def _format(
        output: str,
        selected: list[tuple[str, str, str]],
        result: list[dict[str, Any]],
        quote: bool,
        *,
        rows_read: int,
    ) -> httpx.Response:
        types = {alias: kind for _, kind, alias in selected}

        def cell(alias: str, value: Any) -> Any:
            return str(value) if quote and types[alias] in ("UInt64", "Int64") else value

        data = [{alias: cell(alias, value) for alias, value in row.items()} for row in result]
        headers = {
            "X-ClickHouse-Format": output,
            "X-ClickHouse-Summary": json.dumps(
                {"read_rows": str(rows_read), "read_bytes": str(rows_read * 24)}
            ),
        }
        if output == "JSONEachRow":
            text = "".join(json.dumps(row) + "\n" for row in data)
            headers["Content-Type"] = "application/x-ndjson; charset=UTF-8"
            return httpx.Response(200, headers=headers, text=text)
        payload = {
            "meta": [{"name": alias, "type": kind} for _, kind, alias in selected],
            "data": data,
            "rows": len(data),
            "statistics": {"elapsed": 0.001, "rows_read": rows_read, "bytes_read": rows_read * 24},
        }
        headers["Content-Type"] = "application/json; charset=UTF-8"
        return httpx.Response(200, headers=headers, text=json.dumps(payload, indent="\t") + "\n")
