"""What the command line takes: values that complete, wrong input said in one line before any
request, the cache's own subcommand, and documents named by a link that works from a wheel."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from devstats import DOCS_URL
from devstats.settings.settings import DOWNLOADS_SOURCES
from tests.fakes.loopback import serve
from tests.fakes.process import assert_clean_failure, run
from tests.fakes.world import env_for


def completions(*words: str) -> list[str]:
    """What bash completion offers after `devstats WORDS` (the last word is being typed)."""
    done = run(
        [],
        env={
            "_DEVSTATS_COMPLETE": "complete_bash",
            "COMP_WORDS": " ".join(["devstats", *words]),
            "COMP_CWORD": str(len(words)),
        },
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


@pytest.mark.parametrize(
    ("option", "values"),
    [
        ("--lang", ["en", "ko"]),
        ("--format", ["markdown", "json"]),
        ("--assets-format", ["svg", "png", "both"]),
        ("--downloads-source", list(DOWNLOADS_SOURCES)),
        ("--notes", ["footnote", "none", "all"]),
        ("--detail", ["brief", "full"]),
    ],
)
def test_options_with_a_fixed_set_complete_their_values(option: str, values: list[str]) -> None:
    assert completions("2022", "--user", "kozistr", option, "") == values
    assert completions(option, "") == values  # before the year, too


def test_the_cache_subcommand_completes() -> None:
    assert completions("") == ["cache"]
    assert completions("ca") == ["cache"]
    assert completions("cache", "") == ["info", "clear"]
    assert completions("cache", "cl") == ["clear"]


def test_option_names_still_complete_after_a_year() -> None:
    assert completions("2022", "--no") == ["--notes"]


@pytest.mark.parametrize(
    ("args", "phrases"),
    [
        (["twenty"], ["the year must be a number such as 2022, not 'twenty'"]),
        (["2022x", "--user", "kozistr"], ["not '2022x'"]),
        (["2022", "--lang", "fr"], ["'--lang'", "'fr' is not one of 'en', 'ko'"]),
        (["2022", "--assets-format", "gif"], ["'gif' is not one of 'svg', 'png', 'both'"]),
        (["2022", "--notes", "some"], ["unknown notes setting 'some'", "notes.md"]),
        (["2022", "--detail", "long"], ["'long' is not one of 'brief', 'full'"]),
        (["2022", "--package", "bad pkg!"], ["'bad pkg!' is not a valid PyPI package name"]),
        (["2022", "--package", "-dash"], ["'-dash' is not a valid PyPI package name"]),
        (["2022", "--package", "ok_one", "--package", "trailing."], ["'trailing.'"]),
    ],
)
def test_wrong_input_is_one_line_and_exit_2_before_any_request(
    args: list[str], phrases: list[str], tmp_path: Path
) -> None:
    requests: list[str] = []

    def handler(request: object) -> object:
        requests.append(repr(request))
        raise AssertionError("no request may be made")

    with serve(handler) as server:  # type: ignore[arg-type]
        if "--user" not in args:
            args = [*args, "--user", "kozistr"]
        done = run(args, env=env_for(server.url), cwd=tmp_path)
    assert_clean_failure(done, 2, *phrases)
    assert requests == []
    assert "Value error" not in done.stderr and "Usage:" not in done.stderr


def test_names_pypi_accepts_in_any_spelling_pass_the_check(tmp_path: Path) -> None:
    done = run(
        ["2022", "--user", "kozistr", "--offline", "--package", "PyTorch.Optimizer",
         "--format", "json"],
        cwd=tmp_path,
    )  # fmt: skip
    # the check lets it through, and PEP 503 finds the demo's pytorch_optimizer under it
    assert done.returncode == 0, done.stderr
    assert "not a valid PyPI package name" not in done.stderr


def test_a_report_still_takes_its_year_first_or_after_options(tmp_path: Path) -> None:
    for args in (
        ["2022", "--user", "kozistr", "--offline", "--format", "json"],
        ["--user", "kozistr", "--offline", "2022", "--format", "json"],
        ["report", "2022", "--user", "kozistr", "--offline", "--format", "json"],
    ):
        done = run(args, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        assert '"year": 2022' in done.stdout


def test_help_shows_the_report_usage_and_links_documents_by_absolute_url() -> None:
    done = run(["--help"])
    assert done.returncode == 0
    assert done.stdout.startswith("Usage: devstats [OPTIONS]")
    assert "report" not in done.stdout.split("\n", 1)[0]
    # an installed wheel has no docs/ folder: every document is named by its URL
    assert f"{DOCS_URL}/definitions.md" in done.stdout
    assert f"{DOCS_URL}/templates.md" in re.sub(r"\s+", "", done.stdout)
    flat = re.sub(r"\s+", "", done.stdout)
    assert not re.search(r"(?<![/\w])docs/\w+\.md", flat.replace(DOCS_URL.replace(" ", ""), ""))
