"""The offline example end to end: the real CLI on the bundled cassettes, compared exactly.

Golden files live in tests/golden/offline-*.md; `DEVSTATS_UPDATE_GOLDEN=1` rewrites them. Every
figure the prose states is also checked against the JSON report of the same run.
"""

from __future__ import annotations

import json
import os
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from devstats.cli import app
from devstats.render import numbers
from tests.fakes.paths import GOLDEN

SVG = "{http://www.w3.org/2000/svg}"
# Whatever the calling shell has set must not leak into the example run.
CLEAN_ENV: dict[str, str | None] = {
    "DEVSTATS_NOW": None,
    "DEVSTATS_CASSETTES": None,
    "GITHUB_TOKEN": None,
    "GH_TOKEN": None,
    "PEPY_API_KEY": None,
}


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty folder as the current directory (no devstats.toml of the checkout is read)."""
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    yield folder


def devstats(*args: str, history: Path) -> Run:
    result = CliRunner().invoke(
        app,
        ["2022", "--user", "kozistr", "--offline", "--history", str(history), *args],
        env=CLEAN_ENV,
    )
    return Run(result.exit_code, result.stdout, result.stderr)


def ok(*args: str, history: Path) -> Run:
    run = devstats(*args, history=history)
    assert run.code == 0, run.stderr
    return run


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("DEVSTATS_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def report_json(workdir: Path, *args: str) -> dict[str, Any]:
    run = ok("--format", "json", *args, history=workdir / "json.sqlite3")
    document: dict[str, Any] = json.loads(run.stdout)
    return document


def test_offline_english_golden_and_its_figures(workdir: Path) -> None:
    text = ok(history=workdir / "h.sqlite3").stdout
    check_golden("offline-en.md", text)
    data = report_json(workdir)
    c, commits = data["contributions"], data["commits"]
    # The original post's arithmetic: the graph, less what automation made, is my own work.
    assert c["human"] == c["total"] - commits["automated"]
    assert (
        f"My contribution graph for 2022 shows **{numbers.compact(c['total'])}** contributions. "
        f"Taking out {commits['automated']:,} automated commits (" in text
    )
    assert (
        f"leaves about **{numbers.compact(c['human'])}** contributions of my own, "
        f"**{commits['human']:,}** of them commits to public repositories.\n" in text
    )
    for project in data["projects"]:
        assert f"This year I made **{project['human_commits']:,}** commits of my own to it" in text
        # The demo was recorded on Dec 15, 2022 (09:00 UTC): the stars are those of that day.
        assert f"It has {project['stars_at_year_end']:,} stars as of Dec 15" in text
    # The linked package's numbers appear once, in its project's subsection, in one style.
    package = data["packages"][0]
    total = numbers.compact(package["downloads"]["total"])
    assert text.count(f"**{total}** times as of Dec 14") == 1
    assert numbers.compact(package["downloads"]["total"], upper=True) not in text
    # The demo's months come from ClickHouse and pypistats.org: only December is missing, and
    # the notes say why.
    assert package["downloads"]["missing_months"] == {"2022-12": "not-over"}
    assert "> - Monthly figures are missing for Dec (not over yet).\n" in text


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_offline_detail_full_golden(workdir: Path, lang: str) -> None:
    text = ok("--lang", lang, "--detail", "full", history=workdir / "h.sqlite3").stdout
    check_golden(f"offline-{lang}-full.md", text)


def test_offline_english_compare_golden(workdir: Path) -> None:
    text = ok("--compare", history=workdir / "h.sqlite3").stdout
    check_golden("offline-en-compare.md", text)


def test_offline_korean_golden_with_assets(workdir: Path) -> None:
    out = workdir / "site" / "README.md"
    out.parent.mkdir()
    ok(
        "--lang",
        "ko",
        "--output",
        str(out),
        "--assets",
        str(workdir / "site" / "img"),
        history=workdir / "h.sqlite3",
    )
    text = out.read_text(encoding="utf-8")
    check_golden("offline-ko.md", text)
    for match in re.finditer(r'(?:srcset|src)="([^"]+)"', text):
        target = out.parent / match.group(1)
        assert target.is_file(), match.group(1)
        ET.fromstring(target.read_text(encoding="utf-8"))
    assert 'srcset="img/downloads-pytorch-optimizer-dark.svg"' in text


def test_assets_format_png_links_png_and_both_links_svg(workdir: Path) -> None:
    history = workdir / "h.sqlite3"
    png = ok("--assets", "png-img", "--assets-format", "png", history=history).stdout
    assert 'srcset="png-img/heatmap-dark.png"' in png
    assert 'src="png-img/downloads-pytorch-optimizer-light.png"' in png
    assert ".svg" not in png
    assert {p.suffix for p in (workdir / "png-img").iterdir()} == {".png"}
    both = ok("--assets", "both-img", "--assets-format", "both", history=history).stdout
    assert 'srcset="both-img/heatmap-dark.svg"' in both and ".png" not in both
    written = sorted(p.name for p in (workdir / "both-img").iterdir())
    assert written == sorted(
        f"{name}.{extension}"
        for name in (
            p.removesuffix(".png") for p in (x.name for x in (workdir / "png-img").iterdir())
        )
        for extension in ("svg", "png")
    )
    wrong = devstats("--assets", "img", "--assets-format", "gif", history=history)
    assert wrong.code == 2 and "'gif' is not one of 'svg', 'png', 'both'" in wrong.stderr


def test_png_without_the_extra_stops_before_collecting(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "resvg_py", None)  # makes the import fail
    history = workdir / "h.sqlite3"
    run = devstats("--assets", "img", "--assets-format", "png", history=history)
    assert run.code == 2 and "devstats-year[png]" in run.stderr
    assert not history.exists() and not (workdir / "img").exists()


def test_offline_korean_compare_golden(workdir: Path) -> None:
    text = ok("--lang", "ko", "--compare", history=workdir / "h.sqlite3").stdout
    check_golden("offline-ko-compare.md", text)


def test_offline_korean_golden_without_assets(workdir: Path) -> None:
    text = ok("--lang", "ko", history=workdir / "h.sqlite3").stdout
    assert "<picture>" not in text
    with_assets = (GOLDEN / "offline-ko.md").read_text(encoding="utf-8")
    # The same prose as the golden file, without the pictures.
    assert text == re.sub(r"\n<picture>.*?</picture>\n", "", with_assets, flags=re.S)


def test_compare_states_like_with_like_in_both_languages(workdir: Path) -> None:
    data = report_json(workdir, "--compare")
    previous = data["previous"]
    # cassettes/README.md: the 2021 calendar total, none of its retrieved commits automated
    assert previous["contributions"]["total"] == previous["contributions"]["human"] == 1_605
    # Commits GitHub counts but does not list: 262 in 2022, 960 in 2021.
    unlisted = {
        2022: data["contributions"]["commits"] - data["commits"]["total"],
        2021: previous["contributions"]["commits"] - previous["commits"]["total"],
    }
    assert unlisted == {2022: 262, 2021: 960}
    assert previous["pull_requests"]["external"]["total"] == 0

    en = ok("--compare", history=workdir / "h.sqlite3").stdout
    post, _, notes = en.partition("> **Notes**")
    # 2021 could not be read whole: only the graphs' totals compare, said to be the graphs'.
    assert "shows **1.7k** contributions, up from 1.6k on 2021's graph. Taking out" in post
    assert "%" not in post and "in 2021)" not in post.split("\n\n")[1]
    assert (
        f"{unlisted[2021]} of 2021's {previous['contributions']['commits']:,} commit "
        "contributions could not be read, so the two years are compared by their contribution "
        "graphs." in notes
    )
    assert "to 5 other people's projects (none in 2021), and 4 were merged:" in post
    # The all-time total against the total at the end of 2021, never a percentage of it.
    before = previous["packages"][0]["downloads_total"]
    times = data["packages"][0]["downloads"]["total"] / before
    assert f"{times:.1f} times the {numbers.compact(before)} at the end of 2021" in post

    ko = ok("--compare", "--lang", "ko", history=workdir / "h.sqlite3").stdout
    post, _, notes = ko.partition("> **참고**")
    assert "잔디에 찍힌 기여는 **1.7k건**으로, 2021년 잔디 1.6k건보다 늘었다. 여기서" in post
    assert "%" not in post
    assert (
        f"2021년 커밋 기여 {previous['contributions']['commits']:,}개 중 {unlisted[2021]}개는 "
        "읽을 수 없어서, 두 해는 잔디에 찍힌 기여로 비교했다." in notes
    )
    assert "그중 4개가 머지됐다. 2021년에는 다른 사람 프로젝트에 보낸 PR이 없었다." in post
    assert f"(2021년 말 {numbers.compact(before)}회의 {times:.1f}배)" in post


README = (
    "# kozistr\n"
    "\n"
    "Hand-written intro. <!-- other:start -->keep<!-- other:end -->\n"
    "\n"
    "<!-- devstats:start -->\n"
    "old generated text\n"
    "<!-- devstats:end -->\n"
    "\n"
    "Footer, no trailing newline"
)
DONE_WHEN = ("--lang", "ko", "--compare", "--inject", "README.md", "--assets", "img/")


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_done_when_inject_twice_updates_only_the_block(workdir: Path, newline: str) -> None:
    readme = workdir / "README.md"
    original = README.replace("\n", newline).encode("utf-8")
    readme.write_bytes(original)
    history = workdir.parent / "h.sqlite3"

    first = ok(*DONE_WHEN, history=history)
    updated, wrote, zone = first.stderr.splitlines()
    assert zone.startswith("devstats: days and hours in Asia/Seoul")
    assert updated == f"devstats: updated the 'devstats' block in {readme}"
    assert wrote == f"devstats: wrote 4 pictures to {workdir / 'img'}"
    after = readme.read_bytes()
    head, _, rest = original.partition(b"<!-- devstats:start -->")
    _, _, tail = rest.partition(b"<!-- devstats:end -->")
    assert after.startswith(head + b"<!-- devstats:start -->" + newline.encode())
    assert after.endswith(newline.encode() + b"<!-- devstats:end -->" + tail)
    block = after[
        len(head) + len(b"<!-- devstats:start -->") : -len(b"<!-- devstats:end -->" + tail)
    ]
    if newline == "\r\n":
        assert b"\n" not in block.replace(b"\r\n", b"")  # every line break is CRLF
    block_text = block.decode("utf-8").replace("\r\n", "\n").strip("\n") + "\n"
    assert block_text.startswith("## 개발\n")
    assert 'srcset="img/heatmap-dark.svg"' in block_text

    pictures = {p.name: p.read_bytes() for p in (workdir / "img").iterdir()}
    second = ok(*DONE_WHEN, history=history)
    assert second.stderr.startswith("devstats: no change to the 'devstats' block in ")
    assert readme.read_bytes() == after
    assert {p.name: p.read_bytes() for p in (workdir / "img").iterdir()} == pictures

    # The heatmap colours real work and shows the daily Action's commits apart, on the days
    # the JSON says; the busiest day of real work is ringed.
    data = report_json(workdir)
    by_day = {d["date"]: d for d in data["calendar"]}
    automated_days = {day for day, d in by_day.items() if d["automated"] > 0}
    assert len(automated_days) >= 360  # one commit a day, all year
    real = {day: d["count"] - d["automated"] for day, d in by_day.items()}
    busiest = min(day for day in real if real[day] == max(real.values()))
    for name in ("heatmap-light.svg", "heatmap-dark.svg"):
        root = ET.fromstring(pictures[name])
        cells = {
            r.attrib["data-date"]: r for r in root.iter(f"{SVG}rect") if r.get("class") == "day"
        }
        assert len(cells) == 365
        assert {day: int(c.attrib["data-real"]) for day, c in cells.items()} == real
        marked = {day for day, c in cells.items() if int(c.attrib["data-automated"]) > 0}
        assert marked == automated_days
        assert not any("stroke" in c.attrib for c in cells.values())  # no outline on any cell
        rings = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "busiest"]
        assert [ring.attrib["data-date"] for ring in rings] == [busiest]
