"""A fake Google BigQuery and OAuth token endpoint for the real google-cloud-bigquery client.

Served over loopback HTTP (tests/fakes/loopback.py): BIGQUERY_EMULATOR_HOST points the client at
it, and a throwaway service-account key whose `token_uri` is the fake lets the real google-auth
code sign a JWT and trade it for an access token.

Routes, in the shapes of the BigQuery REST reference (cloud.google.com/bigquery/docs/reference/
rest/v2) and Google's OAuth 2.0 JWT-bearer grant (RFC 7523):
- POST /token: a signed JWT assertion -> `{"access_token", "expires_in", "token_type"}`; a bad
  signature, issuer or audience -> 400 `{"error": "invalid_grant", ...}`.
- POST /bigquery/v2/projects/{p}/jobs (jobs.insert): a dry run answers at once, DONE, with
  `statistics.totalBytesProcessed` (and `statistics.query.totalBytesProcessed`, which the client
  reads); a real query answers RUNNING.
- GET /bigquery/v2/projects/{p}/jobs/{id} (jobs.get): RUNNING for `polls_before_done` calls,
  then DONE with `statistics.query.totalBytesBilled`, or with `status.errorResult`.
- GET /bigquery/v2/projects/{p}/queries/{id} (jobs.getQueryResults): `jobComplete`, `schema`,
  `totalRows` and `rows` as `{"f": [{"v": ...}]}` (none when `maxResults=0`), paged by
  `pageToken`; a failed job -> its error as `{"error": {"code", "message", "errors"}}`.

It runs no SQL. It recognises the statement shapes devstats.collect.pypi.engines.bigquery writes (a monthly
grouping or one count over the download table) and the conditions it knows (a half-open
`timestamp` range, `file.project`, pypistats.org's Python-version test, the mirror exclusion),
reads the named query parameters the client sends, and counts the constructed `Download` rows
that pass. It refuses (400 `invalidQuery`) what it does not understand, a referenced parameter
that was not sent, and any SQL that spells out a parameter's value.

Cost model (constructed, to make the budget checks testable), as the public table's layout makes
BigQuery estimate: the table is partitioned by day on `timestamp`, so a dry run counts only the
days in the queried range, and clustered by project, which a dry run cannot prune, so each day
costs its whole partition's bytes for the columns the statement reads, whichever project it
names. The estimate is `estimate_per_day` bytes a day, or, with `column_bytes_per_day` (e.g.
PUBLIC_TABLE_COLUMNS), the sum of the bytes a day of each column read; `FULL_SCAN_BYTES` without
a `timestamp` range. A job scans `scanned_per_day` a day and bills
that rounded up to the MiB, at least 10 MiB, as BigQuery bills on demand. A job that would bill
more than its `maximumBytesBilled` fails with `bytesBilledLimitExceeded`.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from functools import cache
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qs

import httpx
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

TABLE = "bigquery-public-data.pypi.file_downloads"
TOKEN_PATH = "/token"
# google-auth names Google's token endpoint as the audience of every grant assertion, whatever
# `token_uri` the key file gives (google/oauth2/service_account.py).
GRANT_AUDIENCE = "https://oauth2.googleapis.com/token"
JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform"
MIB = 2**20
MIN_BILLED = 10 * MIB
FULL_SCAN_BYTES = 400 * 10**12  # a scan of every partition: far beyond any sane budget
# Bytes a day of each column devstats reads, across all projects (constructed): a monthly count
# without mirrors from January 2016 to November 2022 (2,526 days) reads all four, about 148 GB;
# one year of it about 21 GB, within the 50 GB default limit.
PUBLIC_TABLE_COLUMNS = {
    "timestamp": 16 * 10**6,
    "project": 14 * 10**6,
    "details.python": 12 * 10**6,
    "details.installer.name": 16_600_000,
}


@dataclass(frozen=True)
class Download:
    """`count` downloads on the UTC `day` of `project` (file.project) alike in installer and
    Python version: `count` rows of the real table."""

    day: date
    project: str
    installer: str | None
    python: str | None
    count: int


@dataclass(frozen=True)
class ServiceAccount:
    """A throwaway service-account key file (written for one test, never a real account)."""

    path: Path
    email: str
    public_key: rsa.RSAPublicKey


@cache
def _private_key() -> rsa.RSAPrivateKey:
    # One 2048-bit key per test process: generating it takes a noticeable fraction of a second.
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def write_service_account(path: Path, *, token_uri: str, project_id: str | None) -> ServiceAccount:
    """A service-account JSON key in Google's format, whose token endpoint is `token_uri`."""
    key = _private_key()
    email = "devstats-test@devstats-test.iam.gserviceaccount.com"
    info: dict[str, str] = {
        "type": "service_account",
        "private_key_id": "0123456789abcdef",
        "private_key": key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode("ascii"),
        "client_email": email,
        "client_id": "100000000000000000001",
        "token_uri": token_uri,
        "universe_domain": "googleapis.com",
    }
    if project_id is not None:
        info["project_id"] = project_id
    path.write_text(json.dumps(info), "utf-8")
    return ServiceAccount(path, email, key.public_key())


@dataclass(frozen=True)
class Condition:
    """One condition of the WHERE clause that the fake understands, applied to a row."""

    text: str
    test: Callable[[Download], bool]


@dataclass(frozen=True)
class Query:
    """What the fake understood of one jobs.insert."""

    project: str  # the billed project (from the URL)
    sql: str
    parameters: dict[str, Any]
    dry_run: bool
    maximum_bytes_billed: int | None
    shape: Literal["monthly", "total"]
    days: int | None  # days in the timestamp range; None for a full scan
    conditions: tuple[str, ...]
    columns: frozenset[str]  # the columns the statement reads


@dataclass
class _Job:
    query: Query
    rows: list[list[Any]]
    schema: list[dict[str, str]]
    processed: int
    billed: int
    polls_left: int
    error: dict[str, Any] | None = None


class QueryRefused(Exception):
    """The fake does not understand or will not run a statement: 400 invalidQuery."""

    def __init__(self, message: str, *, code: int = 400, reason: str = "invalidQuery") -> None:
        super().__init__(message)
        self.code = code
        self.reason = reason


@dataclass
class FakeBigQuery:
    downloads: Sequence[Download]
    estimate_per_day: int = 4 * 10**6
    column_bytes_per_day: dict[str, int] | None = None  # instead of estimate_per_day
    scanned_per_day: int = 1_500_000
    polls_before_done: int = 1
    quota_exceeded: bool = False  # real jobs (not dry runs) fail with 403 quotaExceeded
    jobs_denied: bool = False  # the account may not create jobs: 403 accessDenied
    # How a job over its maximumBytesBilled fails: the job ends with an errorResult (jobs.get,
    # then getQueryResults answers 400), or jobs.insert itself answers 400.
    over_limit: Literal["job", "insert"] = "job"
    accounts: dict[str, ServiceAccount] = field(default_factory=dict)  # by email
    queries: list[Query] = field(default_factory=list)
    tokens: set[str] = field(default_factory=set)
    _jobs: dict[str, _Job] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def trust(self, account: ServiceAccount) -> None:
        self.accounts[account.email] = account

    def estimate(self, query: Query) -> int:
        """The dry run's estimate: every byte of the read columns in the range's partitions."""
        if query.days is None:
            return FULL_SCAN_BYTES
        if self.column_bytes_per_day is None:
            return query.days * self.estimate_per_day
        return query.days * sum(self.column_bytes_per_day[c] for c in query.columns)

    def billed_for(self, days: int) -> int:
        """What a job over `days` days bills: scanned bytes rounded up to the MiB, >= 10 MiB."""
        scanned = days * self.scanned_per_day
        return max(MIN_BILLED, -(-scanned // MIB) * MIB)

    def handle(self, request: httpx.Request) -> httpx.Response | None:
        path = request.url.path
        with self._lock:
            if request.method == "POST" and path == TOKEN_PATH:
                return self._token(request)
            match = re.fullmatch(r"/bigquery/v2/projects/([^/]+)/(jobs|queries)(?:/([^/]+))?", path)
            if match is None:
                return None
            if not self._authorised(request):
                return _error(
                    401,
                    "Request is missing required authentication credential.",
                    "unauthorized",
                    status="UNAUTHENTICATED",
                )
            project, collection, job_id = match.groups()
            if request.method == "POST" and collection == "jobs" and job_id is None:
                return self._insert(project, json.loads(request.content))
            job = self._jobs.get(job_id or "")
            if request.method != "GET" or job is None:
                return _error(404, f"Not found: Job {project}:{job_id}", "notFound")
            if collection == "jobs":
                return self._get(project, job_id or "", job)
            return self._results(project, job_id or "", job, request.url.params)

    # -- OAuth ------------------------------------------------------------------------------

    def _token(self, request: httpx.Request) -> httpx.Response:
        form = {k: v[0] for k, v in parse_qs(request.content.decode("ascii")).items()}
        if form.get("grant_type") != JWT_GRANT:
            return _grant_error("unsupported_grant_type", "Invalid grant_type.")
        try:
            claims = self._verified_claims(form.get("assertion", ""))
        except (ValueError, InvalidSignature) as error:
            return _grant_error("invalid_grant", str(error) or "Invalid JWT Signature.")
        if CLOUD_PLATFORM not in str(claims.get("scope", "")).split():
            return _grant_error("invalid_scope", "Invalid OAuth scope or ID token audience.")
        token = f"ya29.fake-{uuid.uuid4().hex}"
        self.tokens.add(token)
        return httpx.Response(
            200, json={"access_token": token, "expires_in": 3599, "token_type": "Bearer"}
        )

    def _verified_claims(self, assertion: str) -> dict[str, Any]:
        parts = assertion.split(".")
        if len(parts) != 3:
            raise ValueError("Invalid JWT.")
        header, payload, signature = (_unb64(part) for part in parts)
        if json.loads(header).get("alg") != "RS256":
            raise ValueError("Invalid JWT algorithm.")
        claims: dict[str, Any] = json.loads(payload)
        account = self.accounts.get(str(claims.get("iss")))
        if account is None:
            raise ValueError("Invalid JWT: unknown issuer.")
        account.public_key.verify(
            signature,
            f"{parts[0]}.{parts[1]}".encode("ascii"),
            padding.PKCS1v15(),
            hashes.SHA256(),
        )
        if claims.get("aud") != GRANT_AUDIENCE:
            raise ValueError("Invalid JWT: audience is not Google's token endpoint.")
        if not claims.get("exp", 0) > time.time():
            raise ValueError("Invalid JWT: Token must be a short-lived token.")
        return claims

    def _authorised(self, request: httpx.Request) -> bool:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        return scheme == "Bearer" and token in self.tokens

    # -- jobs -------------------------------------------------------------------------------

    def _insert(self, project: str, body: dict[str, Any]) -> httpx.Response:
        if self.jobs_denied:
            return _error(
                403,
                f"Access Denied: Project {project}: User does not have bigquery.jobs.create "
                f"permission in project {project}.",
                "accessDenied",
                status="PERMISSION_DENIED",
            )
        configuration = body.get("configuration", {})
        dry_run = bool(configuration.get("dryRun"))
        try:
            query, job = self._plan(project, configuration, dry_run)
        except QueryRefused as refusal:
            return _error(refusal.code, str(refusal), refusal.reason)
        self.queries.append(query)
        reference = {"projectId": project, "location": "US"}
        if dry_run:
            estimate = str(self.estimate(query))
            return httpx.Response(
                200,
                json={
                    "kind": "bigquery#job",
                    "jobReference": reference,
                    "configuration": configuration,
                    "status": {"state": "DONE"},
                    "statistics": {
                        "creationTime": str(int(time.time() * 1000)),
                        "totalBytesProcessed": estimate,
                        "query": {
                            "totalBytesProcessed": estimate,
                            "totalBytesBilled": "0",
                            "cacheHit": False,
                            "statementType": "SELECT",
                        },
                    },
                },
            )
        if self.quota_exceeded:
            return _error(
                403,
                "Quota exceeded: Your project exceeded quota for free query bytes scanned. "
                "For more information, see https://cloud.google.com/bigquery/docs/troubleshoot-quotas",
                "quotaExceeded",
                status="PERMISSION_DENIED",
            )
        limit = query.maximum_bytes_billed
        if limit is not None and job.billed > limit:
            refusal = {
                "reason": "bytesBilledLimitExceeded",
                "message": f"Query exceeded limit for bytes billed: {limit}. "
                f"{job.billed} or higher required.",
            }
            if self.over_limit == "insert":
                return _error(400, refusal["message"], refusal["reason"])
            job.error = refusal
        job_id = body.get("jobReference", {}).get("jobId") or f"job_{uuid.uuid4().hex}"
        self._jobs[job_id] = job
        return httpx.Response(
            200,
            json={
                "kind": "bigquery#job",
                "id": f"{project}:US.{job_id}",
                "jobReference": {**reference, "jobId": job_id},
                "configuration": configuration,
                "status": {"state": "RUNNING"},
                "statistics": {"creationTime": str(int(time.time() * 1000))},
            },
        )

    def _get(self, project: str, job_id: str, job: _Job) -> httpx.Response:
        resource: dict[str, Any] = {
            "kind": "bigquery#job",
            "id": f"{project}:US.{job_id}",
            "jobReference": {"projectId": project, "jobId": job_id, "location": "US"},
            "configuration": {"query": {"query": job.query.sql}},
        }
        if job.polls_left > 0:
            job.polls_left -= 1
            return httpx.Response(200, json={**resource, "status": {"state": "RUNNING"}})
        if job.error is not None:
            status = {"state": "DONE", "errorResult": job.error, "errors": [job.error]}
            return httpx.Response(200, json={**resource, "status": status})
        statistics = {
            "totalBytesProcessed": str(job.processed),
            "query": {
                "totalBytesProcessed": str(job.processed),
                "totalBytesBilled": str(job.billed),
                "cacheHit": False,
                "statementType": "SELECT",
            },
        }
        return httpx.Response(
            200, json={**resource, "status": {"state": "DONE"}, "statistics": statistics}
        )

    def _results(
        self, project: str, job_id: str, job: _Job, params: httpx.QueryParams
    ) -> httpx.Response:
        reference = {"projectId": project, "jobId": job_id, "location": "US"}
        if job.polls_left > 0:
            return httpx.Response(
                200,
                json={"kind": "bigquery#getQueryResultsResponse", "jobReference": reference}
                | {"jobComplete": False},
            )
        if job.error is not None:
            return _error(400, job.error["message"], job.error["reason"])
        offset = int(params.get("pageToken") or params.get("startIndex") or 0)
        size = int(params["maxResults"]) if "maxResults" in params else len(job.rows)
        page = job.rows[offset : offset + size]
        answer: dict[str, Any] = {
            "kind": "bigquery#getQueryResultsResponse",
            "jobReference": reference,
            "jobComplete": True,
            "schema": {"fields": job.schema},
            "totalRows": str(len(job.rows)),
            "totalBytesProcessed": str(job.processed),
            "cacheHit": False,
        }
        if size > 0:
            answer["rows"] = [{"f": [{"v": value} for value in row]} for row in page]
            if offset + size < len(job.rows):
                answer["pageToken"] = str(offset + size)
        return httpx.Response(200, json=answer)

    # -- the statements it understands ------------------------------------------------------

    def _plan(
        self, project: str, configuration: dict[str, Any], dry_run: bool
    ) -> tuple[Query, _Job]:
        config = configuration.get("query") or {}
        sql = str(config.get("query", ""))
        if config.get("useLegacySql", True) is not False:
            raise QueryRefused("fake: only GoogleSQL (useLegacySql: false) is served")
        parameters = _parameters(config)
        for value in _scalar_values(parameters):
            if value and value.lower() in sql.lower():
                raise QueryRefused(f"fake: the SQL spells out a parameter's value: {value!r}")
        for name in re.findall(r"@(\w+)", sql):
            if name not in parameters:
                raise QueryRefused(f"Query parameter '{name}' not found")
        flat = " ".join(sql.split())
        statement = re.fullmatch(
            r"SELECT (?P<select>.+?) FROM `(?P<table>[^`]+)`(?: WHERE (?P<where>.+?))?"
            r"(?P<tail>(?: GROUP BY \w+)?(?: ORDER BY \w+)?)",
            flat,
        )
        if statement is None:
            raise QueryRefused(f"fake: cannot read the statement: {flat[:120]}")
        if statement["table"] != TABLE:
            raise QueryRefused(
                f"Not found: Table {statement['table']}", code=404, reason="notFound"
            )
        shape: Literal["monthly", "total"]
        if (
            statement["select"]
            == "DATE_TRUNC(DATE(timestamp), MONTH) AS month, COUNT(*) AS downloads"
            and statement["tail"] == " GROUP BY month ORDER BY month"
        ):
            shape = "monthly"
        elif statement["select"] == "COUNT(*) AS downloads" and not statement["tail"]:
            shape = "total"
        else:
            raise QueryRefused(f"fake: does not serve this statement: {flat[:120]}")
        conditions, day_range = _conditions(statement["where"] or "", parameters)
        rows = [d for d in self.downloads if all(c.test(d) for c in conditions)]
        days = None if day_range is None else (day_range[1] - day_range[0]).days
        read = {"timestamp"} | {_COLUMN_OF[c.text.split()[0].strip("(")] for c in conditions}
        query = Query(
            project=project,
            sql=sql,
            parameters=parameters,
            dry_run=dry_run,
            maximum_bytes_billed=(
                int(config["maximumBytesBilled"]) if "maximumBytesBilled" in config else None
            ),
            shape=shape,
            days=days,
            conditions=tuple(c.text for c in conditions),
            columns=frozenset(read),
        )
        processed = FULL_SCAN_BYTES if days is None else days * self.scanned_per_day
        billed = FULL_SCAN_BYTES if days is None else self.billed_for(days)
        if shape == "monthly":
            by_month: dict[date, int] = defaultdict(int)
            for row in rows:
                by_month[row.day.replace(day=1)] += row.count
            table = [[month.isoformat(), str(by_month[month])] for month in sorted(by_month)]
            schema = [
                {"name": "month", "type": "DATE", "mode": "NULLABLE"},
                {"name": "downloads", "type": "INTEGER", "mode": "NULLABLE"},
            ]
        else:
            table = [[str(sum(row.count for row in rows))]]
            schema = [{"name": "downloads", "type": "INTEGER", "mode": "NULLABLE"}]
        job = _Job(query, table, schema, processed, billed, self.polls_before_done)
        return query, job


def _parameters(config: dict[str, Any]) -> dict[str, Any]:
    """Named query parameters as Python values: str, datetime (TIMESTAMP), list (ARRAY)."""
    if config.get("queryParameters") and config.get("parameterMode") != "NAMED":
        raise QueryRefused("fake: parameters must be named")
    values: dict[str, Any] = {}
    for parameter in config.get("queryParameters", []):
        kind = parameter["parameterType"]["type"]
        value = parameter["parameterValue"]
        if kind == "ARRAY":
            values[parameter["name"]] = [item["value"] for item in value.get("arrayValues", [])]
        elif kind == "TIMESTAMP":
            values[parameter["name"]] = datetime.fromisoformat(value["value"]).astimezone(UTC)
        elif kind == "STRING":
            values[parameter["name"]] = value["value"]
        else:
            raise QueryRefused(f"fake: parameter type {kind} is not served")
    return values


def _scalar_values(parameters: dict[str, Any]) -> list[str]:
    return [value for value in parameters.values() if isinstance(value, str)]


# The column a condition reads, by the condition's first word.
_COLUMN_OF = {
    "timestamp": "timestamp",
    "project": "project",
    "REGEXP_CONTAINS(details.python,": "details.python",
    "details.installer.name": "details.installer.name",
}
_TIMESTAMP_RANGE = re.compile(r"timestamp >= @(\w+) AND timestamp < @(\w+)")
_PROJECT = re.compile(r"(?<![\w.])project = @(\w+)")
_PYTHON = re.compile(
    r"\(REGEXP_CONTAINS\(details\.python, r'([^']*)'\) OR details\.python IS NULL\)"
)
_NOT_MIRROR = re.compile(r"details\.installer\.name NOT IN UNNEST\(@(\w+)\)")


def _conditions(
    where: str, parameters: dict[str, Any]
) -> tuple[list[Condition], tuple[date, date] | None]:
    """The WHERE clause as conditions, and the [first, end) days of its timestamp range."""
    conditions: list[Condition] = []
    day_range: tuple[date, date] | None = None
    rest = where
    while rest:
        if match := _TIMESTAMP_RANGE.match(rest):
            start, end = parameters[match[1]], parameters[match[2]]
            if not (isinstance(start, datetime) and isinstance(end, datetime)):
                raise QueryRefused("fake: the timestamp range takes TIMESTAMP parameters")
            if any(moment.timetz() != dtime(0, tzinfo=UTC) for moment in (start, end)):
                raise QueryRefused("fake: the timestamp range must run from midnight to midnight")
            first, stop = start.date(), end.date()
            day_range = (first, stop)
            conditions.append(Condition(match[0], lambda d, a=first, b=stop: a <= d.day < b))
        elif match := _PROJECT.match(rest):
            wanted = parameters[match[1]]
            conditions.append(Condition(match[0], lambda d, p=wanted: d.project == p))
        elif match := _PYTHON.match(rest):
            pattern = re.compile(match[1])  # RE2 and Python agree on this pattern
            conditions.append(
                Condition(
                    match[0],
                    lambda d, r=pattern: d.python is None or r.search(d.python) is not None,
                )
            )
        elif match := _NOT_MIRROR.match(rest):
            mirrors = frozenset(parameters[match[1]])
            # SQL: NULL NOT IN (...) is NULL, so a row without an installer does not pass.
            conditions.append(
                Condition(
                    match[0],
                    lambda d, m=mirrors: d.installer is not None and d.installer not in m,
                )
            )
        else:
            raise QueryRefused(f"fake: does not understand the condition: {rest[:80]}")
        rest = rest[match.end() :]
        if rest.startswith(" AND "):
            rest = rest[len(" AND ") :]
        elif rest:
            raise QueryRefused(f"fake: does not understand the condition: {rest[:80]}")
    return conditions, day_range


def _unb64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _error(code: int, message: str, reason: str, *, status: str = "") -> httpx.Response:
    status = status or {400: "INVALID_ARGUMENT", 404: "NOT_FOUND"}.get(code, "UNKNOWN")
    return httpx.Response(
        code,
        json={
            "error": {
                "code": code,
                "message": message,
                "errors": [{"message": message, "domain": "global", "reason": reason}],
                "status": status,
            }
        },
    )


def _grant_error(error: str, description: str) -> httpx.Response:
    return httpx.Response(400, json={"error": error, "error_description": description})


def days(first: date, last: date) -> list[date]:
    """Every day from `first` to `last`, both included."""
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def point_google_libraries_at(
    fake: FakeBigQuery,
    server_url: str,
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    *,
    project_id: str | None = "devstats-billing",
    trusted: bool = True,
) -> ServiceAccount:
    """Make Application Default Credentials a throwaway key served by `fake`, BigQuery's endpoint
    the fake, and nothing else: no gcloud configuration, no metadata server, no project."""
    account = write_service_account(
        folder / "service-account.json", token_uri=server_url + TOKEN_PATH, project_id=project_id
    )
    if trusted:
        fake.trust(account)
    gcloud = folder / "gcloud"
    gcloud.mkdir(exist_ok=True)
    for name in GOOGLE_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(account.path))
    monkeypatch.setenv("BIGQUERY_EMULATOR_HOST", server_url)
    monkeypatch.setenv("CLOUDSDK_CONFIG", str(gcloud))
    monkeypatch.setenv("NO_GCE_CHECK", "true")
    return account


# Variables through which google-auth, google-cloud-core or requests could find credentials, a
# project, an endpoint or a proxy outside the test.
GOOGLE_ENVIRONMENT = (
    "GOOGLE_APPLICATION_CREDENTIALS",
    "GOOGLE_CLOUD_PROJECT",
    "GCLOUD_PROJECT",
    "CLOUDSDK_CORE_PROJECT",
    "GOOGLE_CLOUD_QUOTA_PROJECT",
    "GOOGLE_API_USE_CLIENT_CERTIFICATE",
    "GOOGLE_CLOUD_UNIVERSE_DOMAIN",
    "BIGQUERY_EMULATOR_HOST",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
)
