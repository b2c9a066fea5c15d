"""Settings precedence (flag > environment > config file > defaults) and validation."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from devstats.model.downloads import Baseline
from devstats.model.errors import UsageError
from devstats.model.rules import DEFAULT_BOT_ACCOUNTS
from devstats.settings.credentials import resolve_token
from devstats.settings.settings import load_settings

TODAY = date(2026, 11, 28)


def load(
    tmp_path: Path,
    flags: dict[str, object] | None = None,
    env: dict[str, str] | None = None,
    year: int = 2022,
    config: Path | None = None,
):  # type: ignore[no-untyped-def]
    return load_settings(
        year, flags or {}, env=env or {}, cwd=tmp_path, config_path=config, today=TODAY
    )


def test_defaults(tmp_path: Path) -> None:
    s = load(tmp_path)
    assert (s.format, s.lang, s.timezone, s.mirrors, s.top_projects) == (
        "markdown",
        "en",
        None,  # inferred from the user's commits; the year's bounds in UTC
        False,
        3,
    )
    assert s.bot_accounts == DEFAULT_BOT_ACCOUNTS
    assert s.endpoints.github_graphql == "https://api.github.com/graphql"
    assert s.endpoints.pypistats == "https://pypistats.org/api"


def test_flag_beats_environment_beats_file(tmp_path: Path) -> None:
    (tmp_path / "devstats.toml").write_text(
        'user = "from-file"\nlang = "ko"\ntimezone = "Asia/Seoul"\n'
    )
    s = load(tmp_path)
    assert (s.user, s.lang, s.timezone) == ("from-file", "ko", "Asia/Seoul")
    s = load(tmp_path, env={"DEVSTATS_USER": "from-env", "DEVSTATS_LANG": "en"})
    assert (s.user, s.lang, s.timezone) == ("from-env", "en", "Asia/Seoul")
    s = load(tmp_path, flags={"user": "from-flag", "lang": None}, env={"DEVSTATS_USER": "from-env"})
    assert (s.user, s.lang) == ("from-flag", "ko")


def test_pyproject_tool_table_is_read(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n[tool.devstats]\nuser = "kozistr"\npackages = ["pytorch_optimizer"]\n'
        '[[tool.devstats.baselines]]\npackage = "pytorch_optimizer"\nbefore = 2022-06-16\ndownloads = 29000\n'
    )
    s = load(tmp_path)
    assert s.user == "kozistr" and s.packages == ("pytorch_optimizer",)
    assert s.baselines == (Baseline("pytorch_optimizer", date(2022, 6, 16), 29000),)


def test_devstats_toml_wins_over_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.devstats]\nuser = "a"\n')
    (tmp_path / "devstats.toml").write_text('user = "b"\n')
    assert load(tmp_path).user == "b"


def test_misspelt_key_is_named_with_a_suggestion(tmp_path: Path) -> None:
    (tmp_path / "devstats.toml").write_text('usr = "kozistr"\n')
    with pytest.raises(UsageError) as caught:
        load(tmp_path)
    assert "unknown setting 'usr'" in str(caught.value)
    assert "did you mean 'user'" in str(caught.value)
    assert caught.value.exit_code == 2


def test_misspelt_nested_key_is_named(tmp_path: Path) -> None:
    (tmp_path / "devstats.toml").write_text('[projects."kozistr/x"]\nnote = "typo"\n')
    with pytest.raises(UsageError, match=r"projects\.note.*projects\.notes"):
        load(tmp_path)


@pytest.mark.parametrize(
    ("flags", "year", "message"),
    [
        ({}, 2007, "out of range"),
        ({}, 2027, "out of range"),
        ({"user": "-bad-"}, 2022, "not a valid GitHub login"),
        ({"user": "a" * 40}, 2022, "not a valid GitHub login"),
        ({"format": "xml"}, 2022, "unknown format"),
        ({"lang": "fr"}, 2022, "unknown language"),
        ({"timezone": "Mars/Olympus"}, 2022, "unknown time zone"),
        ({"offline": True, "replay": Path("x")}, 2022, "exclude each other"),
        ({"template": Path("missing.j2")}, 2022, "template not found"),
        ({"automated_message_patterns": ("(",)}, 2022, "bad message pattern"),
    ],
)
def test_bad_usage_is_a_usage_error(
    tmp_path: Path, flags: dict[str, object], year: int, message: str
) -> None:
    with pytest.raises(UsageError, match=message):
        load(tmp_path, flags=flags, year=year)


def test_base_urls_come_from_the_environment(tmp_path: Path) -> None:
    s = load(
        tmp_path,
        env={
            "GITHUB_API_URL": "https://ghe.example.com/api/v3/",
            "GITHUB_GRAPHQL_URL": "https://ghe.example.com/api/graphql",
            "DEVSTATS_PYPISTATS_URL": "http://127.0.0.1:9/api",
            "DEVSTATS_PYPI_URL": "http://127.0.0.1:9",
        },
    )
    assert s.endpoints.github_rest == "https://ghe.example.com/api/v3"
    assert s.endpoints.github_graphql == "https://ghe.example.com/api/graphql"
    assert s.endpoints.pypistats == "http://127.0.0.1:9/api"


def test_token_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")  # no gh CLI
    assert resolve_token({"GITHUB_TOKEN": "a", "GH_TOKEN": "b"}) == "a"
    assert resolve_token({"GH_TOKEN": "b"}) == "b"
    assert resolve_token({}) is None


def test_gh_cli_token(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gh = tmp_path / "gh"
    gh.write_text("#!/bin/sh\n[ \"$1 $2\" = 'auth token' ] && echo gho_fromgh\n")
    gh.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert resolve_token({}) == "gho_fromgh"


def test_flags_are_read_like_every_other_source(tmp_path: Path) -> None:
    # A flag's value goes through the same reader as the config file's and the environment's.
    with pytest.raises(UsageError, match="'max_age' in the command line must be a duration"):
        load_settings(2022, {"max_age": "5x"}, env={}, cwd=tmp_path, today=date(2023, 1, 1))
    with pytest.raises(UsageError, match="'bigquery_max_bytes' in the command line"):
        load_settings(
            2022, {"bigquery_max_bytes": -5}, env={}, cwd=tmp_path, today=date(2023, 1, 1)
        )
    chosen = load_settings(2022, {"max_age": "2h"}, env={}, cwd=tmp_path, today=date(2023, 1, 1))
    assert chosen.max_age == 7200
