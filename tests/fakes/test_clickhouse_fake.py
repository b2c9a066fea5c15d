"""The fake ClickHouse answers and fails the way ClickHouse's HTTP interface does."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import httpx
import pytest

from tests.fakes import mock_transport
from tests.fakes.clickhouse import DownloadRow, FakeClickHouse

URL = "https://sql-clickhouse.clickhouse.com/"
DAY = date(2023, 6, 10)
ROWS = [
    DownloadRow(DAY, "demo-pkg", "pip", 5),
    DownloadRow(DAY, "demo-pkg", "pip", 4),  # the same key twice: an unmerged part
    DownloadRow(DAY, "demo-pkg", "devpi", 30),
    DownloadRow(date(2023, 7, 1), "demo-pkg", "", 2),
    DownloadRow(DAY, "a\tb", "pip", 8),
]
TOTAL = "SELECT sum(count) AS downloads FROM pypi.pypi_downloads_per_day WHERE project = {p:String} FORMAT JSON"


def send(
    fake: FakeClickHouse,
    sql: str,
    params: dict[str, Any] | None = None,
    *,
    method: str = "POST",
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    with httpx.Client(transport=mock_transport(fake.handle)) as client:
        if method == "GET":
            return client.get(URL, params={**(params or {}), "query": sql}, headers=headers)
        return client.post(URL, params=params, content=sql, headers=headers)


def test_format_json_has_meta_data_rows_statistics_and_quotes_uint64() -> None:
    fake = FakeClickHouse(rows=list(ROWS))
    answer = send(fake, TOTAL, {"user": "demo", "param_p": "demo-pkg"})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/json")
    payload = answer.json()
    assert payload["meta"] == [{"name": "downloads", "type": "UInt64"}]
    assert payload["data"] == [{"downloads": "41"}]
    assert payload["rows"] == 1
    assert set(payload["statistics"]) == {"elapsed", "rows_read", "bytes_read"}

    bare = send(
        fake,
        TOTAL,
        {"user": "demo", "param_p": "demo-pkg", "output_format_json_quote_64bit_integers": "0"},
    )
    assert bare.json()["data"] == [{"downloads": 41}]


def test_group_by_month_and_the_per_installer_table() -> None:
    fake = FakeClickHouse(rows=list(ROWS))
    sql = (
        "SELECT toStartOfMonth(date) AS month, sum(count) AS downloads\n"
        "FROM pypi.pypi_downloads_per_day_by_version_by_installer_by_type\n"
        "WHERE project = {p:String} AND installer NOT IN ({m:String}) AND date < {end:Date}\n"
        "GROUP BY month ORDER BY month FORMAT JSONEachRow"
    )
    answer = send(
        fake,
        sql,
        {"user": "demo", "param_p": "demo-pkg", "param_m": "devpi", "param_end": "2024-01-01"},
    )
    rows = [json.loads(line) for line in answer.text.splitlines()]
    assert rows == [
        {"month": "2023-06-01", "downloads": "9"},
        {"month": "2023-07-01", "downloads": "2"},
    ]


def test_get_with_query_and_the_user_header_or_basic_auth() -> None:
    fake = FakeClickHouse(rows=list(ROWS))
    by_header = send(
        fake, TOTAL, {"param_p": "demo-pkg"}, method="GET", headers={"X-ClickHouse-User": "demo"}
    )
    assert by_header.json()["data"] == [{"downloads": "41"}]
    basic = httpx.BasicAuth("demo", "").auth_flow(httpx.Request("GET", URL))
    authorization = next(basic).headers["authorization"]
    by_basic = send(fake, TOTAL, {"param_p": "demo-pkg"}, headers={"Authorization": authorization})
    assert by_basic.status_code == 200
    assert [q.user for q in fake.received] == ["demo", "demo"]


@pytest.mark.parametrize(
    ("params", "user"),
    [({"user": "demo", "password": "guess"}, "demo"), ({"user": "root"}, "root"), ({}, "default")],
)
def test_a_refused_user_is_code_516_with_http_403(params: dict[str, str], user: str) -> None:
    answer = send(FakeClickHouse(rows=list(ROWS)), TOTAL, {**params, "param_p": "demo-pkg"})
    assert answer.status_code == 403
    assert answer.headers["x-clickhouse-exception-code"] == "516"
    assert answer.text.startswith(
        f"Code: 516. DB::Exception: {user}: Authentication failed: password is incorrect, "
        "or there is no user with such name. (AUTHENTICATION_FAILED) (version "
    )


def test_a_placeholder_without_its_parameter_is_code_456() -> None:
    answer = send(FakeClickHouse(rows=list(ROWS)), TOTAL, {"user": "demo"})
    # exceptionCodeToHTTPStatus does not list UNKNOWN_QUERY_PARAMETER: it is a 500.
    assert answer.status_code == 500
    assert answer.headers["x-clickhouse-exception-code"] == "456"
    assert answer.text.startswith("Code: 456. DB::Exception: Substitution `p` is not set.")


def test_parameters_are_read_in_the_escaped_format() -> None:
    fake = FakeClickHouse(rows=list(ROWS))
    escaped = send(fake, TOTAL, {"user": "demo", "param_p": "a\\tb"})
    assert escaped.json()["data"] == [{"downloads": "8"}]
    raw_tab = send(fake, TOTAL, {"user": "demo", "param_p": "a\tb"})
    assert raw_tab.headers["x-clickhouse-exception-code"] == "457"
    bad_date = send(
        fake,
        TOTAL.replace("FORMAT", "AND date <= {d:Date} FORMAT"),
        {"user": "demo", "param_p": "demo-pkg", "param_d": "2023-13-01"},
    )
    assert bad_date.headers["x-clickhouse-exception-code"] == "457"


def test_unknown_tables_columns_and_shapes_fail_like_clickhouse() -> None:
    fake = FakeClickHouse(rows=list(ROWS))
    params = {"user": "demo", "param_p": "demo-pkg"}
    table = send(fake, TOTAL.replace("per_day", "per_week"), params)
    assert (table.status_code, table.headers["x-clickhouse-exception-code"]) == (404, "60")
    column = send(fake, TOTAL.replace("FORMAT", "AND installer != '' FORMAT"), params)
    assert (column.status_code, column.headers["x-clickhouse-exception-code"]) == (404, "47")
    bare_count = send(fake, TOTAL.replace("sum(count)", "count"), params)
    assert (bare_count.status_code, bare_count.headers["x-clickhouse-exception-code"]) == (
        400,
        "62",
    )


def test_quota_counts_queries_per_user() -> None:
    fake = FakeClickHouse(rows=list(ROWS), max_queries=2)
    params = {"user": "demo", "param_p": "demo-pkg"}
    answers = [send(fake, TOTAL, params) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 500]
    assert answers[2].headers["x-clickhouse-exception-code"] == "201"
    assert "Quota for user `demo` for 3600s has been exceeded: queries = 3/2." in answers[2].text
