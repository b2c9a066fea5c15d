"""Settings and their precedence, in one place: flag > environment > config file > defaults.

The config file is `devstats.toml`, or the `[tool.devstats]` table of `pyproject.toml`, found in the
current folder (or given with --config). An unknown or misspelt key is an error that names it.
"""

from __future__ import annotations

import importlib.resources
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from devstats.model.downloads import Baseline
from devstats.model.errors import UsageError
from devstats.model.events import EVENTS_SOURCES
from devstats.model.facts import ProjectOverride
from devstats.model.rules import DEFAULT_BOT_ACCOUNTS, AutomationRules, CadenceRules
from devstats.settings.endpoints import Endpoints, endpoints_from_env
from devstats.settings.values import (
    as_age,
    as_bool,
    as_count,
    as_list,
    as_seconds,
    baselines,
    projects,
    unknown_key,
)

LOGIN_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$")
# PyPI's rule for a project name (PEP 508): letters and digits, with ".", "_" or "-" inside.
PACKAGE_NAME_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$")
DOWNLOADS_SOURCES = ("auto", "pypistats", "clickhouse", "bigquery")
# Where the notes on the figures go: a footnote block at the end of the post (with the operator's
# setup hints too for "all"; "reader" is the footnote's earlier name), nowhere, or a file named by
# any other value that reads as a path ("notes.md", "out/notes.md").
NOTES = ("footnote", "all", "none", "reader")
DETAILS = ("brief", "full")  # the post alone, or with the monthly figures and each source
FIRST_YEAR = 2008  # GitHub opened in 2008; no contributions exist before it.
DEMO_PACKAGE = "devstats.demo"  # the top-level cassettes/ folder, as package data
DEMO_CONFIG = "devstats.toml"


@dataclass(frozen=True)
class Settings:
    year: int
    user: str | None = None
    packages: tuple[str, ...] = ()
    format: str = "markdown"
    lang: str = "en"
    template: Path | None = None
    output: Path | None = None
    json_output: Path | None = None  # the JSON report, written beside the main output
    inject: Path | None = None
    marker: str = "devstats"
    assets: Path | None = None
    assets_format: str = "svg"  # svg, png or both
    # an IANA zone; None: inferred from the offsets of the user's own commits (UTC when too few
    # carry one), with the year's bounds in UTC (devstats/classify/timezone.py)
    timezone: str | None = None
    offline: bool = False
    record: Path | None = None
    replay: Path | None = None
    verbose: bool = False
    explain: bool = False
    compare: bool = False
    allow_partial: bool = False
    exclude_repos: tuple[str, ...] = ()
    own_organizations: tuple[str, ...] = ()
    bot_accounts: tuple[str, ...] = DEFAULT_BOT_ACCOUNTS
    automated_message_patterns: tuple[str, ...] = ()
    cadence: Mapping[str, Any] = field(default_factory=dict)
    mirrors: bool = False
    include_prereleases: bool = False
    history_path: Path | None = None
    baselines: tuple[Baseline, ...] = ()
    top_projects: int = 3
    projects: Mapping[str, ProjectOverride] = field(default_factory=dict)
    endpoints: Endpoints = field(default_factory=Endpoints)
    # which notices go into the post: none, reader (caveats a reader needs) or all; the
    # operator's ones (setup hints) always go to stderr
    notes: str = "footnote"
    detail: str = "brief"
    # where download history beyond pypistats.org's 180 days comes from (docs/downloads.md)
    downloads_source: str = "auto"
    # where stars and pull requests received come from (docs/events.md)
    events_source: str = "auto"
    bigquery_project: str | None = None  # the billing project; else GOOGLE_CLOUD_PROJECT
    bigquery_max_bytes: int = 50 * 10**9  # a query that would bill more is refused
    # the cache of upstream answers: how old an answer may be (None: the policy's defaults,
    # an hour for a year still open, 30 days for one that has ended), and --refresh
    max_age: float | None = None
    refresh: bool = False
    # HTTP: retries of a failed request, the first backoff and the longest wait, in seconds
    retries: int = 4
    backoff: float = 1.0
    max_wait: float = 900.0
    # DEVSTATS_NOW: the moment the report is made as of (tests and reproducible reruns)
    now: datetime | None = None
    # PEPY_API_KEY: a secret, so never shown in a repr
    pepy_api_key: str | None = field(default=None, repr=False)
    # GOOGLE_CLOUD_PROJECT, the client library's own variable, under bigquery_project
    google_cloud_project: str | None = None

    @property
    def notes_file(self) -> Path | None:
        """The file the notes go to, when `notes` names one."""
        return None if self.notes in NOTES else Path(self.notes)

    @property
    def tz(self) -> ZoneInfo:
        """The zone of the year's bounds: the one given, else UTC."""
        return ZoneInfo(self.timezone or "UTC")


# Keys a config file may set, with how to read each. Flags use the same names.
_PATH_KEYS = {"template", "output", "inject", "assets", "history_path", "json_output"}
_STDOUT_KEYS = {"output", "json_output"}  # "-" means standard output for these
_BOOL_KEYS = {
    "compare",
    "allow_partial",
    "mirrors",
    "include_prereleases",
    "explain",
    "verbose",
    "refresh",
}
_LIST_KEYS = {
    "packages",
    "exclude_repos",
    "own_organizations",
    "bot_accounts",
    "automated_message_patterns",
}
_STR_KEYS = {
    "user",
    "format",
    "lang",
    "marker",
    "timezone",
    "downloads_source",
    "events_source",
    "bigquery_project",
    "assets_format",
    "notes",
    "detail",
}
_INT_KEYS = {"top_projects", "retries", "bigquery_max_bytes"}
_FLOAT_KEYS = {"backoff", "max_wait"}
_AGE_KEYS = {"max_age"}
_TABLE_KEYS = {"cadence", "baselines", "projects"}
CONFIG_KEYS = frozenset(
    _PATH_KEYS
    | _BOOL_KEYS
    | _LIST_KEYS
    | _STR_KEYS
    | _INT_KEYS
    | _FLOAT_KEYS
    | _AGE_KEYS
    | _TABLE_KEYS
)
# Environment variables: DEVSTATS_<KEY> for these keys (lists are comma-separated).
ENV_KEYS = frozenset(
    _STR_KEYS
    | _PATH_KEYS
    | _BOOL_KEYS
    | _FLOAT_KEYS
    | _AGE_KEYS
    | {"packages", "exclude_repos", "retries", "bigquery_max_bytes"}
)


def find_config(cwd: Path, explicit: Path | None) -> tuple[dict[str, Any], str | None]:
    """Read the config table; return it with a description of where it came from."""
    if explicit is not None:
        if not explicit.is_file():
            raise UsageError(f"config file not found: {explicit}")
        return _read_toml(explicit, table=explicit.name == "pyproject.toml"), str(explicit)
    own = cwd / "devstats.toml"
    if own.is_file():
        return _read_toml(own, table=False), str(own)
    pyproject = cwd / "pyproject.toml"
    if pyproject.is_file():
        found = _read_toml(pyproject, table=True)
        return found, (f"{pyproject} [tool.devstats]" if found else None)
    return {}, None


def _read_toml(path: Path, *, table: bool) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"cannot read config file {path}: {exc}") from None
    if table:
        tool = data.get("tool", {})
        found = tool.get("devstats", {}) if isinstance(tool, dict) else {}
        return dict(found) if isinstance(found, dict) else {}
    return data


def notes_file(value: str, base: Path) -> str:
    """A `notes` value that names a file, read as the path settings are (relative to `base`); a
    word that is not a setting and not a path is a usage error."""
    if not any(mark in value for mark in "./\\"):
        raise UsageError(
            f"unknown notes setting '{value}'",
            hint="use footnote, none, all, or a file such as notes.md",
        )
    path = Path(value).expanduser()
    return str(path if path.is_absolute() else base / path)


def _convert(key: str, value: Any, where: str, base: Path) -> Any:
    if key in _PATH_KEYS:
        if not isinstance(value, str | Path):
            raise UsageError(f"setting '{key}' in {where} must be a path")
        if key in _STDOUT_KEYS and str(value) == "-":
            return Path("-")  # standard output, not a file named "-" in `base`
        path = Path(value).expanduser()
        return path if path.is_absolute() else base / path
    if key in _BOOL_KEYS:
        return as_bool(key, value, where)
    if key in _LIST_KEYS:
        return as_list(key, value, where)
    if key in _INT_KEYS:
        return as_count(key, value, where)
    if key in _FLOAT_KEYS:
        return as_seconds(key, value, where)
    if key in _AGE_KEYS:
        return as_age(key, value, where)
    if key in _STR_KEYS:
        if not isinstance(value, str):
            raise UsageError(f"setting '{key}' in {where} must be text")
        if key == "notes" and value not in NOTES:
            return notes_file(value, base)
        return value
    if key == "cadence":
        if not isinstance(value, dict):
            raise UsageError(f"setting 'cadence' in {where} must be a table")
        return dict(value)
    if key == "baselines":
        return baselines(value, where)
    if key == "projects":
        return projects(value, where)
    raise unknown_key(key, CONFIG_KEYS, where)


def load_settings(
    year: int,
    flags: Mapping[str, Any],
    *,
    env: Mapping[str, str],
    cwd: Path,
    config_path: Path | None = None,
    today: date | None = None,
) -> Settings:
    """Merge flags (non-None values) over environment over config file over defaults.

    With `offline` among the flags, the settings the cassettes were recorded with (their
    devstats.toml: user, packages, baselines) come first, under the config file.
    """
    merged: dict[str, Any] = {}
    demo = demo_config(env) if flags.get("offline") else None
    if demo is not None:
        _merge_table(merged, _read_toml(demo, table=False), str(demo), demo.parent)
    table, where = find_config(cwd, config_path)
    _merge_table(
        merged, table, where or "the config file", config_path.parent if config_path else cwd
    )
    for key in ENV_KEYS:
        name = f"DEVSTATS_{key.upper()}"
        if name in env and env[name] != "":
            merged[key] = _convert(key, env[name], f"environment variable {name}", cwd)
    for key, value in flags.items():
        if value is None or value == ():
            continue
        if key in {"offline", "record", "replay"}:
            merged[key] = value
            continue
        if key not in CONFIG_KEYS:
            raise unknown_key(key, CONFIG_KEYS, "the command line")
        merged[key] = _convert(key, value, "the command line", cwd)
    if (flags.get("offline") or flags.get("replay")) and flags.get("history_path") is None:
        # Replayed answers are not real downloads: unless --history names one, the run keeps
        # its own store in memory, never the user's real one.
        merged.pop("history_path", None)
    settings = Settings(
        year=year,
        endpoints=endpoints_from_env(env),
        now=_now(env),
        pepy_api_key=env.get("PEPY_API_KEY") or None,
        google_cloud_project=env.get("GOOGLE_CLOUD_PROJECT") or None,
        **merged,
    )
    validate(settings, today=today)
    return settings


def _merge_table(merged: dict[str, Any], table: Mapping[str, Any], where: str, base: Path) -> None:
    for key, value in table.items():
        if key not in CONFIG_KEYS:
            raise unknown_key(key, CONFIG_KEYS, where)
        merged[key] = _convert(key, value, where, base)


def _now(env: Mapping[str, str]) -> datetime | None:
    text = env.get("DEVSTATS_NOW")
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(f"DEVSTATS_NOW is not an ISO date-time: {text!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def automation_rules(settings: Settings) -> AutomationRules:
    """The automation rules the settings ask for; an unknown [cadence] key is a usage error."""
    known = {f.name for f in fields(CadenceRules)}
    for key in settings.cadence:
        if key not in known:
            raise UsageError(
                f"unknown setting 'cadence.{key}'", hint=f"known: {', '.join(sorted(known))}"
            )
    return AutomationRules(
        exclude_repositories=settings.exclude_repos,
        bot_accounts=settings.bot_accounts,
        message_patterns=settings.automated_message_patterns,
        cadence=CadenceRules(**settings.cadence),
    )


def validate(settings: Settings, *, today: date | None = None) -> None:
    try:
        tz = ZoneInfo(settings.timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(
            f"unknown time zone '{settings.timezone}'", hint="use an IANA name like Asia/Seoul"
        ) from None
    if today is None:
        # The year is checked against the clock (or DEVSTATS_NOW); the run's own "now" is
        # decided once, when it starts (devstats/run/services.py: moment_of_run).
        today = (settings.now or datetime.now(UTC)).astimezone(tz).date()
    if settings.year < FIRST_YEAR or settings.year > today.year:
        raise UsageError(
            f"year {settings.year} is out of range",
            hint=f"choose a year from {FIRST_YEAR} to {today.year}",
        )
    if settings.user is not None and not LOGIN_RE.match(settings.user):
        raise UsageError(f"'{settings.user}' is not a valid GitHub login")
    for package in settings.packages:
        if not PACKAGE_NAME_RE.match(package):
            raise UsageError(
                f"{package!r} is not a valid PyPI package name",
                hint="use letters, digits, '.', '_' and '-', with a letter or digit at each end",
            )
    if settings.format not in {"markdown", "json"}:
        raise UsageError(f"unknown format '{settings.format}'", hint="use markdown or json")
    if settings.downloads_source not in DOWNLOADS_SOURCES:
        raise UsageError(
            f"unknown downloads source '{settings.downloads_source}'",
            hint=f"use {', '.join(DOWNLOADS_SOURCES)}",
        )
    if settings.events_source not in EVENTS_SOURCES:
        raise UsageError(
            f"unknown events source '{settings.events_source}'",
            hint=f"use {', '.join(EVENTS_SOURCES)}",
        )
    if settings.notes not in NOTES and not any(c in settings.notes for c in "./\\"):
        raise UsageError(
            f"unknown notes setting '{settings.notes}'",
            hint="use footnote, none, all, or a file such as notes.md",
        )
    if settings.detail not in DETAILS:
        raise UsageError(f"unknown detail '{settings.detail}'", hint="use brief or full")
    if settings.lang not in {"en", "ko"}:
        raise UsageError(f"unknown language '{settings.lang}'", hint="use en or ko")
    if settings.assets_format not in {"svg", "png", "both"}:
        raise UsageError(
            f"unknown assets format '{settings.assets_format}'", hint="svg, png or both"
        )
    if sum(bool(x) for x in (settings.offline, settings.record, settings.replay)) > 1:
        raise UsageError("--offline, --record and --replay exclude each other")
    if settings.output and settings.inject:
        raise UsageError("--output and --inject exclude each other")
    if settings.template is not None and not settings.template.is_file():
        raise UsageError(f"template not found: {settings.template}")
    for pattern in settings.automated_message_patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise UsageError(f"bad message pattern {pattern!r}: {exc}") from None


def history_engine_name(settings: Settings) -> str | None:
    """The engine `--downloads-source` names: auto takes BigQuery when a billing project is set,
    else ClickHouse; None for pypistats.org alone."""
    choice = settings.downloads_source
    if choice == "auto":
        return "bigquery" if settings.bigquery_project else "clickhouse"
    return choice if choice in ("clickhouse", "bigquery") else None


def require_user(settings: Settings) -> str:
    """The login whose year to report, or a UsageError saying how to give one."""
    if not settings.user:
        raise UsageError("no user given", hint="pass --user LOGIN or set user in devstats.toml")
    return settings.user


def default_cassettes(env: Mapping[str, str]) -> Path:
    """--offline replays DEVSTATS_CASSETTES, else the bundled demo.

    The demo is the package data of `devstats.demo` (an installed wheel), or in a source checkout
    that is not installed, the top-level cassettes/ folder it is built from.
    """
    if env.get("DEVSTATS_CASSETTES"):
        return Path(env["DEVSTATS_CASSETTES"])
    try:
        bundled = importlib.resources.files(DEMO_PACKAGE)
    except ModuleNotFoundError:
        bundled = None
    if isinstance(bundled, Path) and bundled.is_dir():
        return bundled
    return Path(__file__).resolve().parent.parent / "cassettes"


def demo_config(env: Mapping[str, str]) -> Path | None:
    """The settings the replayed cassettes were recorded with, if they carry them."""
    path = default_cassettes(env) / DEMO_CONFIG
    return path if path.is_file() else None
