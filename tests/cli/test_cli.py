"""The whole `devstats` process: exit codes, messages, outputs, record/replay, secrets.

Live runs talk over real HTTP to the fake upstream on a loopback server (tests/fakes/world.py);
offline runs replay the bundled cassettes.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest

from tests.fakes.clickpy_world import clickpy_rows
from tests.fakes.loopback import LoopbackServer, serve
from tests.fakes.process import HISTORY, TOKEN, assert_clean_failure, live_env, run
from tests.fakes.pypi_world import PyPIWorld
from tests.fakes.schema_file import load_schema
from tests.fakes.world import DemoWorld, demo_world, env_for


@pytest.fixture(scope="module")
def live() -> Iterator[tuple[DemoWorld, LoopbackServer]]:
    world = demo_world()
    with serve(world.handle) as server:
        yield world, server


def test_help_defines_every_figure() -> None:
    done = run(["--help"])
    assert done.returncode == 0
    # the commit rule, and where GitHub states it, unbroken by the line wrapping
    flat = " ".join(done.stdout.split())
    assert "by author date in the year (UTC, or --timezone), once per repository" in flat
    assert (
        "https://docs.github.com/en/account-and-profile/reference/profile-contributions-reference"
        in done.stdout
    )
    for term in (
        "contributions.total",
        "commits.human",
        "commits.automated",
        "pull_requests.external",
        "downloads.total",
        "downloads.last_month",
        "--timezone",
        "--record",
        "--replay",
        "--offline",
        "Exit codes",
    ):
        assert term in done.stdout, term


def test_version() -> None:
    done = run(["--version"])
    assert done.returncode == 0 and done.stdout.startswith("devstats ")


def test_offline_json_matches_an_independent_count_and_the_schema(tmp_path: Path) -> None:
    done = run(
        [
            "2022",
            "--user",
            "kozistr",
            "--offline",
            "--format",
            "json",
            "--history",
            str(tmp_path / "h.sqlite3"),
        ],
        token=None,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    jsonschema.validate(report, load_schema())
    # Independently: the user's own commits in the real history (author e-mail linked to the
    # account), plus the constructed kozistr/kozistr commits documented in cassettes/README.md.
    own = 0
    for path in HISTORY.glob("*.jsonl"):
        for line in path.read_text().splitlines():
            if json.loads(line)["author"]["email"] == "kozistr@gmail.com":
                own += 1
    daily, bot_committed, skip_ci = 365, 3, 2
    commits = report["commits"]
    assert commits["total"] == own + daily + bot_committed + skip_ci
    assert commits["automated_by_reason"] == {
        "bot-account": bot_committed,
        "scheduled-cadence": daily,
    }
    assert commits["automated"] == sum(commits["automated_by_reason"].values())
    assert commits["human"] == commits["total"] - commits["automated"] == own + skip_ci
    assert sum(r["total"] for r in commits["by_repository"]) == commits["total"]
    assert report["contributions"]["total"] == 1704
    assert report["contributions"]["human"] == 1704 - commits["automated"]
    external = report["pull_requests"]["external"]
    assert len(external["projects"]) == 5 and external["total"] == 8 and external["merged"] == 4
    assert all(not p["repository"].startswith("kozistr/") for p in external["projects"])
    package = report["packages"][0]
    assert package["version"] == "2.0.1"
    assert package["downloads"]["total"] == 41604
    assert [p["repository"] for p in report["projects"]] == [
        "kozistr/pytorch_optimizer",
        "kozistr/kozistr.github.io",
        "kozistr/catboost-server-rs",
    ]
    assert round(sum(lang["share"] for lang in report["languages"]), 9) == 1.0
    # `warnings` stays the list of English sentences; `notices` adds what they are made of
    assert report["warnings"] == [n["message"] for n in report["notices"]]
    (fewer,) = report["notices"]
    assert fewer["code"] == "commits-fewer-than-counted"
    assert fewer["params"]["counted"] == report["contributions"]["commits"]
    assert fewer["params"]["retrieved"] == commits["total"]
    assert fewer["params"]["difference"] == fewer["params"]["counted"] - commits["total"]
    # Months: ClickPy's for those pypistats.org no longer holds in full (January to June, June
    # only partly kept), pypistats.org's for July to November; December is not over yet.
    downloads = package["downloads"]
    world = PyPIWorld()
    by_month: Counter[str] = Counter()
    for row in clickpy_rows(world):
        if row.installer not in {"bandersnatch", ""} and row.day.year == 2022:
            by_month[f"{row.day:%Y-%m}"] += row.count
    assert downloads["monthly"] == {
        f"2022-{m:02d}": by_month[f"2022-{m:02d}"] for m in range(1, 12)
    }
    assert set(downloads["monthly_sources"].values()) == {"ClickHouse (ClickPy)", "pypistats.org"}
    assert [m for m, s in downloads["monthly_sources"].items() if s == "pypistats.org"] == [
        "2022-07", "2022-08", "2022-09", "2022-10", "2022-11"
    ]  # fmt: skip
    assert downloads["missing_months"] == {"2022-12": "not-over"}
    assert downloads["total_window"] == {"start": "2021-09-22", "end": "2022-12-14"}
    assert downloads["total_source"] == ("ClickHouse (ClickPy) through 2022-11-30 + pypistats.org")


def test_explain_shows_the_daily_action_caught_by_cadence_alone(tmp_path: Path) -> None:
    done = run(
        [
            "2022",
            "--user",
            "kozistr",
            "--offline",
            "--explain",
            "--history",
            str(tmp_path / "h.sqlite3"),
        ],
        token=None,
    )
    assert done.returncode == 0
    assert "scheduled-cadence: 365" in done.stderr
    assert "chore: update stats (2022-01-01) [scheduled-cadence]" in done.stderr
    assert "scheduled-cadence" not in done.stdout  # stdout stays the Markdown alone


def test_record_then_replay_round_trips_a_whole_run(
    live: tuple[DemoWorld, LoopbackServer], tmp_path: Path
) -> None:
    _world, server = live
    env = live_env(server, tmp_path)
    cassettes = tmp_path / "cassettes"
    recorded = run(
        [
            "2022",
            "--user",
            "kozistr",
            "--package",
            "pytorch_optimizer",
            "--format",
            "json",
            "--record",
            str(cassettes),
        ],
        env=env,
    )
    assert recorded.returncode == 0, recorded.stderr
    stored = "".join(p.read_text() for p in cassettes.glob("*.json"))
    assert TOKEN not in stored and "authorization" not in stored.lower()
    # Replay without a token: the same report, byte for byte, and not one request to the server.
    served = len(server.requests)
    replayed = run(
        [
            "2022",
            "--user",
            "kozistr",
            "--package",
            "pytorch_optimizer",
            "--format",
            "json",
            "--replay",
            str(cassettes),
        ],
        env=env,
        token=None,
    )
    assert replayed.returncode == 0, replayed.stderr
    assert replayed.stdout == recorded.stdout
    missing = run(["2021", "--user", "kozistr", "--replay", str(cassettes)], env=env, token=None)
    assert_clean_failure(
        missing, 5, "request not in the cassettes", f"POST {server.url}/github/graphql"
    )
    assert len(server.requests) == served


def test_unknown_user_exits_3(live: tuple[DemoWorld, LoopbackServer], tmp_path: Path) -> None:
    _world, server = live
    done = run(["2022", "--user", "no-such-user-here"], env=live_env(server, tmp_path))
    assert_clean_failure(done, 3, "no-such-user-here")


def test_unknown_package_exits_3_naming_both_spellings(
    live: tuple[DemoWorld, LoopbackServer], tmp_path: Path
) -> None:
    _world, server = live
    done = run(
        ["2022", "--user", "kozistr", "--package", "No_Such.Package"],
        env=live_env(server, tmp_path),
    )
    assert_clean_failure(done, 3, "No_Such.Package", "no-such-package")


def test_rejected_token_exits_4_without_the_token(
    live: tuple[DemoWorld, LoopbackServer], tmp_path: Path
) -> None:
    world, server = live
    world.github.fail_next("bad_credentials")
    done = run(["2022", "--user", "kozistr"], env=live_env(server, tmp_path))
    assert_clean_failure(done, 4, "Bad credentials")


def test_a_multi_line_graphql_error_is_one_line_without_the_token(
    live: tuple[DemoWorld, LoopbackServer], tmp_path: Path
) -> None:
    world, server = live
    message = f"Something broke.\nThe request carried {TOKEN}\n  and more."
    world.github.fail_next("graphql_error", type="INTERNAL", message=message)
    done = run(["2022", "--user", "kozistr"], env=live_env(server, tmp_path))
    assert_clean_failure(done, 5, "Something broke. The request carried <redacted> and more.")


def test_missing_token_exits_4_with_what_to_do(tmp_path: Path) -> None:
    done = run(["2022", "--user", "kozistr"], token=None, cwd=tmp_path)
    assert_clean_failure(done, 4, "GITHUB_TOKEN", "--offline")


def test_missing_user_exits_2_before_asking_for_a_token(tmp_path: Path) -> None:
    done = run(["2022"], token=None, cwd=tmp_path)
    assert_clean_failure(done, 2, "no user given", "--user")


def test_upstream_down_exits_5(live: tuple[DemoWorld, LoopbackServer], tmp_path: Path) -> None:
    world, server = live
    world.github.fail_next("server_error", times=3, status=502)
    done = run(["2022", "--user", "kozistr"], env=live_env(server, tmp_path))
    assert_clean_failure(done, 5, "HTTP 502", "after 3 attempts")


def test_rate_limit_beyond_the_longest_wait_exits_5_saying_when(
    live: tuple[DemoWorld, LoopbackServer], tmp_path: Path
) -> None:
    world, server = live
    world.github.fail_next("rate_limited", reset_in=7200)
    done = run(
        ["2022", "--user", "kozistr"], env={**live_env(server, tmp_path), "DEVSTATS_MAX_WAIT": "60"}
    )
    assert_clean_failure(done, 5, "rate limit", "resets at")


def test_unreachable_upstream_exits_5(tmp_path: Path) -> None:
    done = run(["2022", "--user", "kozistr"], env=env_for("http://127.0.0.1:9"), cwd=tmp_path)
    assert_clean_failure(done, 5, "could not be reached")


@pytest.mark.parametrize(
    ("args", "config", "phrase"),
    [
        (["2007", "--user", "kozistr"], None, "out of range"),
        (["2022", "--user", "not_a_login!"], None, "not a valid GitHub login"),
        (["2022", "--user", "kozistr"], 'usr = "x"\n', "did you mean 'user'"),
        (["2022", "--user", "kozistr"], "[cadence]\nwindow_minute = 3\n", "cadence.window_minute"),
        (["2022", "--user", "kozistr", "--template", "nope.j2"], None, "template not found"),
    ],
)
def test_bad_usage_exits_2(
    tmp_path: Path, args: list[str], config: str | None, phrase: str
) -> None:
    if config:
        (tmp_path / "devstats.toml").write_text(config)
    # Settings are checked before any request: no upstream is needed to fail here.
    done = run(args, cwd=tmp_path, env=env_for("http://127.0.0.1:9"))
    assert_clean_failure(done, 2, phrase)


def test_broken_template_exits_2_naming_file_and_line(tmp_path: Path) -> None:
    template = tmp_path / "mine.md.j2"
    template.write_text("# {{ year }}\n\n{{ no_such_name }}\n")
    done = run(
        [
            "2022",
            "--user",
            "kozistr",
            "--offline",
            "--template",
            str(template),
            "--history",
            str(tmp_path / "h.sqlite3"),
        ],
        token=None,
    )
    assert_clean_failure(done, 2, "mine.md.j2:3")


def test_failed_run_leaves_the_output_file_untouched(
    live: tuple[DemoWorld, LoopbackServer], tmp_path: Path
) -> None:
    _world, server = live
    output = tmp_path / "year.md"
    output.write_text("last year's text\n")
    done = run(
        ["2022", "--user", "no-such-user-here", "--output", str(output)],
        env=live_env(server, tmp_path),
    )
    assert done.returncode == 3
    assert output.read_text() == "last year's text\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".year")) == []


def test_inject_without_markers_exits_2_and_changes_nothing(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_bytes(b"# me\r\nno markers here\r\n")
    done = run(
        [
            "2022",
            "--user",
            "kozistr",
            "--offline",
            "--inject",
            str(readme),
            "--history",
            str(tmp_path / "h.sqlite3"),
        ],
        token=None,
    )
    assert_clean_failure(done, 2, "devstats:start")
    assert readme.read_bytes() == b"# me\r\nno markers here\r\n"


def test_output_is_written_atomically_and_the_token_never_printed(
    live: tuple[DemoWorld, LoopbackServer], tmp_path: Path
) -> None:
    _world, server = live
    output = tmp_path / "year.md"
    done = run(
        ["2022", "--user", "kozistr", "--output", str(output), "--verbose"],
        env=live_env(server, tmp_path),
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert output.read_text().startswith("## Programming")
    assert "requests" in done.stderr and "GraphQL cost" in done.stderr
    assert TOKEN not in done.stderr + done.stdout + output.read_text()


def test_mirrors_mode_is_stated_and_kept_apart(tmp_path: Path) -> None:
    done = run(
        [
            "2022",
            "--user",
            "kozistr",
            "--offline",
            "--mirrors",
            "--format",
            "json",
            "--history",
            str(tmp_path / "h.sqlite3"),
        ],
        token=None,
    )
    assert done.returncode == 0, done.stderr
    downloads = json.loads(done.stdout)["packages"][0]["downloads"]
    assert downloads["mirrors"] is True
    # With mirrors, every installer counts: bandersnatch's downloads are in the total.
    assert downloads["total"] == PyPIWorld().all_time_total(True) == 42_832
    assert downloads["last_month"] is not None and downloads["last_month_window"] == {
        "start": "2022-11-01",
        "end": "2022-11-30",
    }


def test_offline_outside_the_bundled_example_says_what_it_covers(tmp_path: Path) -> None:
    done = run(
        ["2023", "--user", "kozistr", "--offline", "--history", str(tmp_path / "h.sqlite3")],
        token=None,
    )
    assert_clean_failure(
        done,
        5,
        "query Contributions",
        '"from": "2023-01-01T00:00:00+00:00"',
        "the bundled example covers user kozistr in 2022",
    )


def test_json_output_beside_the_markdown_matches_format_json(tmp_path: Path) -> None:
    history = str(tmp_path / "h.sqlite3")
    both = run(
        [
            "2022",
            "--user",
            "kozistr",
            "--offline",
            "--history",
            history,
            "--output",
            str(tmp_path / "r.md"),
            "--json-output",
            str(tmp_path / "r.json"),
        ],
        token=None,
        env={"DEVSTATS_NOW": "2022-12-15T09:00:00+00:00"},
    )
    assert both.returncode == 0, both.stderr
    alone = run(
        ["2022", "--user", "kozistr", "--offline", "--history", history, "--format", "json"],
        token=None,
        env={"DEVSTATS_NOW": "2022-12-15T09:00:00+00:00"},
    )
    assert (tmp_path / "r.json").read_text() == alone.stdout
    assert (tmp_path / "r.md").read_text().startswith("## Programming")


def test_bad_inject_target_writes_no_json_either(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("no markers\n")
    done = run(
        [
            "2022",
            "--user",
            "kozistr",
            "--offline",
            "--history",
            str(tmp_path / "h.sqlite3"),
            "--inject",
            str(readme),
            "--json-output",
            str(tmp_path / "r.json"),
        ],
        token=None,
    )
    assert done.returncode == 2
    assert not (tmp_path / "r.json").exists()


@pytest.mark.parametrize("damage", ["garbage", "inside"])
def test_a_damaged_history_exits_2_naming_it(tmp_path: Path, damage: str) -> None:
    history = tmp_path / "h.sqlite3"
    args = ["2022", "--user", "kozistr", "--offline", "--history", str(history)]
    if damage == "garbage":
        history.write_bytes(b"not a database, just bytes " * 200)
    else:
        assert run(args, token=None, cwd=tmp_path).returncode == 0
        data = bytearray(history.read_bytes())
        page_size = int.from_bytes(data[16:18], "big")  # the header page still opens
        data[page_size:] = bytes((n * 7) & 0xFF for n in range(len(data) - page_size))
        history.write_bytes(bytes(data))
    done = run(args, token=None, cwd=tmp_path)
    assert_clean_failure(done, 2, f"download history at {history} cannot be used")


def test_download_days_end_in_utc_whatever_the_time_zone(tmp_path: Path) -> None:
    # 05:00 on 2023-01-01 in Seoul is still 2022-12-31 in UTC: December's last download day
    # has not ended, so the last complete month is November, and the data must reach Dec 30.
    args = ["2022", "--user", "kozistr", "--offline", "--timezone", "Asia/Seoul"]
    done = run(
        [*args, "--format", "json", "--history", str(tmp_path / "h.sqlite3")],
        env={"DEVSTATS_NOW": "2022-12-31T20:00:00Z"},
        token=None,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    (package,) = report["packages"]
    downloads = package["downloads"]
    assert downloads["last_month_window"] == {"start": "2022-11-01", "end": "2022-11-30"}
    assert downloads["last_month"] == downloads["monthly"]["2022-11"]
    assert not any("2022-12 are unknown" in w for w in report["warnings"])
    assert any("not 2022-12-30" in w for w in report["warnings"])


@pytest.mark.parametrize(
    "setting",
    [
        "DEVSTATS_RETRIES=inf",
        "DEVSTATS_RETRIES=2.5",
        "DEVSTATS_RETRIES=1e9",
        "DEVSTATS_BACKOFF=nan",
        "DEVSTATS_BACKOFF=-1",
        "DEVSTATS_MAX_WAIT=inf",
        "DEVSTATS_MAX_WAIT=soon",
    ],
)
def test_bad_retry_settings_exit_2_naming_them(tmp_path: Path, setting: str) -> None:
    name, _, value = setting.partition("=")
    done = run(
        ["2022", "--user", "kozistr", "--offline", "--history", str(tmp_path / "h.sqlite3")],
        env={name: value},
        token=None,
    )
    assert_clean_failure(done, 2, name, repr(value))


def test_record_into_a_path_that_cannot_be_a_folder_exits_6(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    done = run(
        ["2022", "--user", "kozistr", "--record", str(blocker / "cassettes")],
        env=env_for("http://127.0.0.1:9"),
        cwd=tmp_path,
    )
    assert_clean_failure(done, 6, "cannot record cassettes")
