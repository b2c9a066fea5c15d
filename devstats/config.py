"""Settings and their precedence, in one place: flag > environment > config file > defaults.

The config file is `devstats.toml`, or the `[tool.devstats]` table of `pyproject.toml`, found in the
current folder (or given with --config). An unknown or misspelt key is an error that names it.
"""

from __future__ import annotations

import difflib
import importlib.resources
import os
import re
import shutil
import subprocess
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from devstats.errors import UsageError

DEFAULT_BOT_ACCOUNTS = ("dependabot", "renovate", "pre-commit-ci", "github-actions", "actions-user")
LOGIN_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$")
FIRST_YEAR = 2008  # GitHub opened in 2008; no contributions exist before it.
DEMO_PACKAGE = "devstats.demo"  # the top-level cassettes/ folder, as package data
DEMO_CONFIG = "devstats.toml"


@dataclass(frozen=True)
class Baseline:
    """Downloads known to have happened before a day (e.g. from pepy.tech or BigQuery)."""

    package: str
    before: date
    downloads: int
    mirrors: bool = False
    note: str = ""


@dataclass(frozen=True)
class ProjectOverride:
    title: str | None = None
    package: str | None = None
    notes: str | None = None
    hide: bool = False


@dataclass(frozen=True)
class Endpoints:
    github_rest: str = "https://api.github.com"
    github_graphql: str = "https://api.github.com/graphql"
    pypistats: str = "https://pypistats.org/api"
    pypi: str = "https://pypi.org"
    pepy: str = "https://api.pepy.tech"


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
    timezone: str = "UTC"
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
    split_automated: bool = True
    mirrors: bool = False
    include_prereleases: bool = False
    history_path: Path | None = None
    baselines: tuple[Baseline, ...] = ()
    top_projects: int = 3
    projects: Mapping[str, ProjectOverride] = field(default_factory=dict)
    endpoints: Endpoints = field(default_factory=Endpoints)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


# Keys a config file may set, with how to read each. Flags use the same names.
_PATH_KEYS = {"template", "output", "inject", "assets", "history_path", "json_output"}
_STDOUT_KEYS = {"output", "json_output"}  # "-" means standard output for these
_BOOL_KEYS = {
    "compare",
    "allow_partial",
    "split_automated",
    "mirrors",
    "include_prereleases",
    "explain",
    "verbose",
}
_LIST_KEYS = {
    "packages",
    "exclude_repos",
    "own_organizations",
    "bot_accounts",
    "automated_message_patterns",
}
_STR_KEYS = {"user", "format", "lang", "marker", "timezone"}
_INT_KEYS = {"top_projects"}
_TABLE_KEYS = {"cadence", "baselines", "projects"}
CONFIG_KEYS = frozenset(_PATH_KEYS | _BOOL_KEYS | _LIST_KEYS | _STR_KEYS | _INT_KEYS | _TABLE_KEYS)
# Environment variables: DEVSTATS_<KEY> for these keys (lists are comma-separated).
ENV_KEYS = frozenset(_STR_KEYS | _PATH_KEYS | _BOOL_KEYS | {"packages", "exclude_repos"})


def _unknown_key(key: str, known: frozenset[str] | set[str], where: str) -> UsageError:
    close = difflib.get_close_matches(key, sorted(known), n=1)
    hint = f"did you mean '{close[0]}'?" if close else f"known keys: {', '.join(sorted(known))}"
    return UsageError(f"unknown setting '{key}' in {where}", hint=hint)


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


def _as_bool(key: str, value: Any, where: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {"1", "true", "yes", "on"}:
        return True
    if isinstance(value, str) and value.strip().lower() in {"0", "false", "no", "off", ""}:
        return False
    raise UsageError(f"setting '{key}' in {where} must be true or false, not {value!r}")


def _as_list(key: str, value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise UsageError(f"setting '{key}' in {where} must be a list of strings")


def _convert(key: str, value: Any, where: str, base: Path) -> Any:
    if key in _PATH_KEYS:
        if not isinstance(value, str | Path):
            raise UsageError(f"setting '{key}' in {where} must be a path")
        if key in _STDOUT_KEYS and str(value) == "-":
            return Path("-")  # standard output, not a file named "-" in `base`
        path = Path(value).expanduser()
        return path if path.is_absolute() else base / path
    if key in _BOOL_KEYS:
        return _as_bool(key, value, where)
    if key in _LIST_KEYS:
        return _as_list(key, value, where)
    if key in _INT_KEYS:
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise UsageError(f"setting '{key}' in {where} must be a whole number") from None
        if number < 0:
            raise UsageError(f"setting '{key}' in {where} must not be negative")
        return number
    if key in _STR_KEYS:
        if not isinstance(value, str):
            raise UsageError(f"setting '{key}' in {where} must be text")
        return value
    if key == "cadence":
        if not isinstance(value, dict):
            raise UsageError(f"setting 'cadence' in {where} must be a table")
        return dict(value)
    if key == "baselines":
        return _baselines(value, where)
    if key == "projects":
        return _projects(value, where)
    raise _unknown_key(key, CONFIG_KEYS, where)


def _baselines(value: Any, where: str) -> tuple[Baseline, ...]:
    if not isinstance(value, list):
        raise UsageError(f"setting 'baselines' in {where} must be an array of tables")
    known = {f.name for f in fields(Baseline)}
    result = []
    for item in value:
        if not isinstance(item, dict):
            raise UsageError(f"each entry of 'baselines' in {where} must be a table")
        for key in item:
            if key not in known:
                raise _unknown_key(f"baselines.{key}", {f"baselines.{k}" for k in known}, where)
        try:
            before = item["before"]
            before = before if isinstance(before, date) else date.fromisoformat(str(before))
            result.append(
                Baseline(
                    package=str(item["package"]),
                    before=before,
                    downloads=int(item["downloads"]),
                    mirrors=_as_bool("baselines.mirrors", item.get("mirrors", False), where),
                    note=str(item.get("note", "")),
                )
            )
        except KeyError as exc:
            raise UsageError(f"a baseline in {where} lacks {exc.args[0]!r}") from None
        except ValueError as exc:
            raise UsageError(f"a baseline in {where} is malformed: {exc}") from None
    return tuple(result)


def _projects(value: Any, where: str) -> dict[str, ProjectOverride]:
    if not isinstance(value, dict):
        raise UsageError(f"setting 'projects' in {where} must be a table of tables")
    known = {f.name for f in fields(ProjectOverride)}
    result = {}
    for repo, item in value.items():
        if not isinstance(item, dict):
            raise UsageError(f"projects.{repo!r} in {where} must be a table")
        for key in item:
            if key not in known:
                raise _unknown_key(f"projects.{key}", {f"projects.{k}" for k in known}, where)
        result[str(repo)] = ProjectOverride(
            title=item.get("title"),
            package=item.get("package"),
            notes=item.get("notes"),
            hide=_as_bool("projects.hide", item.get("hide", False), where),
        )
    return result


def endpoints_from_env(env: Mapping[str, str]) -> Endpoints:
    # GITHUB_API_URL and GITHUB_GRAPHQL_URL are the names GitHub Actions already sets.
    return Endpoints(
        github_rest=env.get("GITHUB_API_URL", Endpoints.github_rest).rstrip("/"),
        github_graphql=env.get("GITHUB_GRAPHQL_URL", Endpoints.github_graphql),
        pypistats=env.get("DEVSTATS_PYPISTATS_URL", Endpoints.pypistats).rstrip("/"),
        pypi=env.get("DEVSTATS_PYPI_URL", Endpoints.pypi).rstrip("/"),
        pepy=env.get("DEVSTATS_PEPY_URL", Endpoints.pepy).rstrip("/"),
    )


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
        for key, value in _read_toml(demo, table=False).items():
            if key not in CONFIG_KEYS:
                raise _unknown_key(key, CONFIG_KEYS, str(demo))
            merged[key] = _convert(key, value, str(demo), demo.parent)
    table, where = find_config(cwd, config_path)
    where = where or "the config file"
    base = config_path.parent if config_path else cwd
    for key, value in table.items():
        if key not in CONFIG_KEYS:
            raise _unknown_key(key, CONFIG_KEYS, where)
        merged[key] = _convert(key, value, where, base)
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
            raise _unknown_key(key, CONFIG_KEYS, "the command line")
        merged[key] = _convert(key, value, "the command line", cwd) if key in _PATH_KEYS else value
    settings = Settings(year=year, endpoints=endpoints_from_env(env), **merged)
    validate(settings, today=today)
    return settings


def validate(settings: Settings, *, today: date | None = None) -> None:
    try:
        tz = ZoneInfo(settings.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(
            f"unknown time zone '{settings.timezone}'", hint="use an IANA name like Asia/Seoul"
        ) from None
    if today is None:
        from datetime import datetime

        today = datetime.now(tz).date()
    if settings.year < FIRST_YEAR or settings.year > today.year:
        raise UsageError(
            f"year {settings.year} is out of range",
            hint=f"choose a year from {FIRST_YEAR} to {today.year}",
        )
    if settings.user is not None and not LOGIN_RE.match(settings.user):
        raise UsageError(f"'{settings.user}' is not a valid GitHub login")
    if settings.format not in {"markdown", "json"}:
        raise UsageError(f"unknown format '{settings.format}'", hint="use markdown or json")
    if settings.lang not in {"en", "ko"}:
        raise UsageError(f"unknown language '{settings.lang}'", hint="use en or ko")
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


def require_user(settings: Settings) -> str:
    """The login whose year to report, or a UsageError saying how to give one."""
    if not settings.user:
        raise UsageError("no user given", hint="pass --user LOGIN or set user in devstats.toml")
    return settings.user


def resolve_token(env: Mapping[str, str]) -> str | None:
    """GITHUB_TOKEN, then GH_TOKEN, then `gh auth token` when the gh CLI is installed."""
    for name in ("GITHUB_TOKEN", "GH_TOKEN"):
        value = env.get(name, "").strip()
        if value:
            return value
    gh = shutil.which("gh")
    if gh is None:
        return None
    try:
        done = subprocess.run(
            [gh, "auth", "token"], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    token = done.stdout.strip()
    return token if done.returncode == 0 and token else None


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


def environ() -> Mapping[str, str]:
    return os.environ
