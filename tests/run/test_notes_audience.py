"""Two audiences: caveats a reader needs go into the post; what only the person running devstats
can act on goes to stderr (and, in the Action, to the log as warnings and the job summary)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from devstats.model.notices import CODES, OPERATOR_CODES, notice
from devstats.render.post import for_the_post, operator_lines
from tests.fakes.paths import ROOT
from tests.fakes.process import run
from tests.fakes.report_factory import sample_report

HINT = notice("downloads-total-unknown", package="pkg")
CAVEAT = notice("downloads-month-partial", package="pkg", months="2022-06")


def test_every_operator_code_is_a_known_code_and_notices_carry_their_audience() -> None:
    assert set(CODES) >= OPERATOR_CODES
    assert HINT.audience == "operator" and CAVEAT.audience == "reader"


@pytest.mark.parametrize(
    ("notes", "kept"),
    [("none", []), ("reader", ["downloads-month-partial"]), ("all", [CAVEAT.code, HINT.code])],
)
def test_the_post_keeps_the_notices_notes_lets_in(notes: str, kept: list[str]) -> None:
    report = sample_report(notices=(CAVEAT, HINT))
    post = for_the_post(report, notes)
    assert [n.code for n in post.notices] == kept
    assert list(post.warnings) == [n.message for n in post.notices]
    assert [n.code for n in report.notices] == [CAVEAT.code, HINT.code]  # the JSON keeps both


def test_operator_lines_speak_the_operators_language() -> None:
    report = sample_report(notices=(CAVEAT, HINT))
    (english,) = operator_lines(report.notices, {"LANG": "en_US.UTF-8"})
    assert english.startswith("devstats: note: pkg: all-time downloads unknown")
    (korean,) = operator_lines(report.notices, {"LC_ALL": "ko_KR.UTF-8"})
    assert korean.startswith("devstats: note: pkg: 누적 다운로드는 알 수 없다")


def test_a_setup_hint_goes_to_stderr_not_into_the_post(tmp_path: Path) -> None:
    # Without a history engine or a baseline the all-time total is unknown: a hint for the operator.
    args = ["2022", "--offline", "--downloads-source", "pypistats"]
    done = run(args, token=None, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "PEPY_API_KEY" not in done.stdout
    assert "devstats: note: pytorch_optimizer: all-time downloads unknown" in done.stderr
    # the reader still sees it is unknown
    assert "The all-time downloads of the PyPI package" in done.stdout
    everything = run([*args, "--notes", "all"], token=None, cwd=tmp_path)
    assert "PEPY_API_KEY" in everything.stdout  # inside the note (an underscore in a word stays)
    quiet = run([*args, "--notes", "none"], token=None, cwd=tmp_path)
    assert "**Note:**" not in quiet.stdout
    document = json.loads(run([*args, "--format", "json"], token=None, cwd=tmp_path).stdout)
    assert {n["code"]: n["audience"] for n in document["notices"]}[HINT.code] == "operator"


def test_the_action_turns_maintainer_notes_into_warnings_and_a_summary(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    notices = [
        {"code": HINT.code, "message": "100% unknown\nsecond line", "audience": "operator"},
        {"code": CAVEAT.code, "message": "a reader's caveat", "audience": "reader"},
    ]
    report.write_text(json.dumps({"notices": notices}), encoding="utf-8")
    script = ROOT / "scripts" / "action_support.py"
    warnings = subprocess.run(
        [sys.executable, str(script), "warnings", str(report)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert warnings.stdout == "::warning title=devstats::100%25 unknown%0Asecond line\n"
    summary = subprocess.run(
        [sys.executable, str(script), "summary", str(report)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Notes for the maintainer" in summary.stdout
    assert "a reader's caveat" not in summary.stdout


def test_help_shows_human_metavars_and_shell_completion(tmp_path: Path) -> None:
    shown = run(["--help"], token=None, cwd=tmp_path).stdout
    for option in (
        "--output FILE|-",
        "--format markdown|json",
        "--assets DIR",
        "--notes footnote|none|all|FILE",
        "--detail brief|full",
        "--downloads-source auto|pypistats|clickhouse|bigquery",
        "--install-completion",
    ):
        assert option in shown, option
    assert "<list[str]>" not in shown and "<str>" not in shown
