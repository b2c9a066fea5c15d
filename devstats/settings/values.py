"""How each kind of setting is read, wherever it comes from (a TOML table, an environment
variable, a flag): one reader per kind, each raising a UsageError that names the setting and
where it was given."""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable
from dataclasses import fields
from datetime import date
from typing import Any

from devstats.model.downloads import Baseline
from devstats.model.errors import UsageError
from devstats.model.facts import ProjectOverride

# A ceiling on retries: a typo (1e9) must not keep a failing run retrying for days.
MAX_RETRIES = 10


def unknown_key(key: str, known: Iterable[str], where: str) -> UsageError:
    close = difflib.get_close_matches(key, sorted(known), n=1)
    hint = f"did you mean '{close[0]}'?" if close else f"known keys: {', '.join(sorted(known))}"
    return UsageError(f"unknown setting '{key}' in {where}", hint=hint)


def as_bool(key: str, value: Any, where: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {"1", "true", "yes", "on"}:
        return True
    if isinstance(value, str) and value.strip().lower() in {"0", "false", "no", "off", ""}:
        return False
    raise UsageError(f"setting '{key}' in {where} must be true or false, not {value!r}")


def as_list(key: str, value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise UsageError(f"setting '{key}' in {where} must be a list of strings")


def as_count(key: str, value: Any, where: str) -> int:
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


def as_seconds(key: str, value: Any, where: str) -> float:
    try:
        number = float(value) if not isinstance(value, bool) else math.nan
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number) or number < 0:
        raise UsageError(f"setting '{key}' in {where} must be a number of 0 or more, not {value!r}")
    return number


def as_age(key: str, value: Any, where: str) -> float:
    """An age like 3600, "90s", "15m", "1h" or "30d", in seconds."""
    from devstats.http.cache.policy import parse_max_age

    try:
        return parse_max_age(str(value))
    except UsageError:
        raise UsageError(
            f"setting '{key}' in {where} must be a duration such as 3600, 90m, 1h or 30d, "
            f"not {value!r}"
        ) from None


def baselines(value: Any, where: str) -> tuple[Baseline, ...]:
    if not isinstance(value, list):
        raise UsageError(f"setting 'baselines' in {where} must be an array of tables")
    known = {f.name for f in fields(Baseline)}
    result = []
    for item in value:
        if not isinstance(item, dict):
            raise UsageError(f"each entry of 'baselines' in {where} must be a table")
        for key in item:
            if key not in known:
                raise unknown_key(f"baselines.{key}", {f"baselines.{k}" for k in known}, where)
        try:
            before = item["before"]
            before = before if isinstance(before, date) else date.fromisoformat(str(before))
            result.append(
                Baseline(
                    package=str(item["package"]),
                    before=before,
                    downloads=int(item["downloads"]),
                    mirrors=as_bool("baselines.mirrors", item.get("mirrors", False), where),
                    note=str(item.get("note", "")),
                )
            )
        except KeyError as exc:
            raise UsageError(f"a baseline in {where} lacks {exc.args[0]!r}") from None
        except ValueError as exc:
            raise UsageError(f"a baseline in {where} is malformed: {exc}") from None
    return tuple(result)


def projects(value: Any, where: str) -> dict[str, ProjectOverride]:
    if not isinstance(value, dict):
        raise UsageError(f"setting 'projects' in {where} must be a table of tables")
    known = {f.name for f in fields(ProjectOverride)}
    result = {}
    for repo, item in value.items():
        if not isinstance(item, dict):
            raise UsageError(f"projects.{repo!r} in {where} must be a table")
        for key in item:
            if key not in known:
                raise unknown_key(f"projects.{key}", {f"projects.{k}" for k in known}, where)
        result[str(repo)] = ProjectOverride(
            title=item.get("title"),
            package=item.get("package"),
            notes=item.get("notes"),
            hide=as_bool("projects.hide", item.get("hide", False), where),
        )
    return result
