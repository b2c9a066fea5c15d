"""Settings and their precedence, in one place: flag > environment > config file > defaults.

The config file is `devstats.toml`, or the `[tool.devstats]` table of `pyproject.toml`, found in the
current folder (or given with --config). An unknown or misspelt key is an error that names it.
"""

from __future__ import annotations

import difflib
import math
import re
import shutil
import subprocess
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from devstats.classify.automation import DEFAULT_BOT_ACCOUNTS, AutomationRules
from devstats.classify.cadence import CadenceRules
from devstats.endpoints import Endpoints, endpoints_from_env
from devstats.errors import UsageError
from devstats.models import Baseline, ProjectOverride

LOGIN_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$")
FIRST_YEAR = 2008  # GitHub opened in 2008; no contributions exist before it.


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
    # HTTP: retries of a failed request, the first backoff and the longest wait, in seconds
    retries: int = 4
    backoff: float = 1.0
    max_wait: float = 900.0
    # DEVSTATS_NOW: the moment the report is made as of (tests and reproducible reruns)
    now: datetime | None = None
    # PEPY_API_KEY: a secret, so never shown in a repr
    pepy_api_key: str | None = field(default=None, repr=False)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


# Keys a config file may set, with how to read each. Flags use the same names.
_PATH_KEYS = {"template", "output", "inject", "assets", "history_path", "json_output"}
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
_STR_KEYS = {"user", "format", "lang", "marker", "timezone", "assets_format"}
_INT_KEYS = {"top_projects", "retries"}
_FLOAT_KEYS = {"backoff", "max_wait"}
_TABLE_KEYS = {"cadence", "baselines", "projects"}
CONFIG_KEYS = frozenset(
    _PATH_KEYS | _BOOL_KEYS | _LIST_KEYS | _STR_KEYS | _INT_KEYS | _FLOAT_KEYS | _TABLE_KEYS
)
# Environment variables: DEVSTATS_<KEY> for these keys (lists are comma-separated).
ENV_KEYS = frozenset(
    _STR_KEYS | _PATH_KEYS | _BOOL_KEYS | _FLOAT_KEYS | {"packages", "exclude_repos", "retries"}
)
# A ceiling on retries: a typo (1e9) must not keep a failing run retrying for days.
MAX_RETRIES = 10


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


def _as_count(key: str, value: Any, where: str) -> int:
    try:
        number = float(value) if not isinstance(value, bool) else math.nan
    except (TypeError, ValueError):
        number = math.nan
    ceiling = MAX_RETRIES if key == "retries" else math.inf
    if not number.is_integer() or not 0 <= number <= ceiling:
        bounds = f"from 0 to {MAX_RETRIES}" if key == "retries" else "of 0 or more"
        raise UsageError(
            f"setting '{key}' in {where} must be a whole number {bounds}, not {value!r}"
        )
    return int(number)


def _as_seconds(key: str, value: Any, where: str) -> float:
    try:
        number = float(value) if not isinstance(value, bool) else math.nan
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number) or number < 0:
        raise UsageError(f"setting '{key}' in {where} must be a number of 0 or more, not {value!r}")
    return number


def _convert(key: str, value: Any, where: str, base: Path) -> Any:
    if key in _PATH_KEYS:
        if not isinstance(value, str | Path):
            raise UsageError(f"setting '{key}' in {where} must be a path")
        path = Path(value).expanduser()
        return path if path.is_absolute() else base / path
    if key in _BOOL_KEYS:
        return _as_bool(key, value, where)
    if key in _LIST_KEYS:
        return _as_list(key, value, where)
    if key in _INT_KEYS:
        return _as_count(key, value, where)
    if key in _FLOAT_KEYS:
        return _as_seconds(key, value, where)
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


def load_settings(
    year: int,
    flags: Mapping[str, Any],
    *,
    env: Mapping[str, str],
    cwd: Path,
    config_path: Path | None = None,
    today: date | None = None,
) -> Settings:
    """Merge flags (non-None values) over environment over config file over defaults."""
    merged: dict[str, Any] = {}
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
    settings = Settings(
        year=year,
        endpoints=endpoints_from_env(env),
        now=_now(env),
        pepy_api_key=env.get("PEPY_API_KEY") or None,
        **merged,
    )
    validate(settings, today=today)
    return settings


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
        tz = ZoneInfo(settings.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(
            f"unknown time zone '{settings.timezone}'", hint="use an IANA name like Asia/Seoul"
        ) from None
    if today is None:
        today = (settings.now or datetime.now(UTC)).astimezone(tz).date()
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
    """--offline replays DEVSTATS_CASSETTES, else the cassettes/ folder of this checkout."""
    if env.get("DEVSTATS_CASSETTES"):
        return Path(env["DEVSTATS_CASSETTES"])
    return Path(__file__).resolve().parent.parent / "cassettes"
