"""The offline demo's post as its reader reads it (issue "The post a person pastes").

The post carries what a reader cares about; where the figures come from, their windows, the
mirror rule, partial months and retrieval limits are in the notes block (or the file `--notes`
names) and in the JSON. Every check reads what the real command prints for the demo year.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from devstats.render import numbers
from tests.fakes.process import run

OFFLINE = ["2022", "--user", "kozistr", "--offline"]
NOTES = {"en": "> **Notes**", "ko": "> **참고**"}
UPSTREAMS = ("ClickHouse", "ClickPy", "pypistats", "pepy", "BigQuery")
OPERATOR_WORDS = {"en": ("mirror", "token", "retrieved"), "ko": ("미러", "토큰")}
VARIANTS = [(lang, compare) for lang in ("en", "ko") for compare in (False, True)]


def demo(tmp_path: Path, *args: str) -> str:
    done = run([*OFFLINE, *args], token=None, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return done.stdout


def post_and_notes(text: str, lang: str) -> tuple[str, str]:
    post, marker, notes = text.partition(NOTES[lang])
    assert marker, "the notes block ends the section"
    return post, notes


def report(tmp_path: Path, *args: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(demo(tmp_path, "--format", "json", *args))
    return document


def without_links(text: str) -> str:
    """The text a reader reads: link targets, pictures and the headings' links left out."""
    text = re.sub(r"\]\([^)]*\)", "]", text)
    return re.sub(r"<picture>.*?</picture>", "", text, flags=re.S)


def args_of(lang: str, compare: bool) -> list[str]:
    return ["--lang", lang, *(["--compare"] if compare else [])]


@pytest.mark.parametrize(("lang", "compare"), VARIANTS)
def test_the_post_leaves_the_operators_words_to_the_notes(
    tmp_path: Path, lang: str, compare: bool
) -> None:
    post, notes = post_and_notes(demo(tmp_path, *args_of(lang, compare)), lang)
    read = without_links(post)
    for word in (*UPSTREAMS, *OPERATOR_WORDS[lang]):
        assert word.lower() not in read.lower(), word
    # ... and the notes carry them: the sources, the mirror rule, the month not over yet.
    assert "ClickHouse (ClickPy)" in notes and "pypistats.org" in notes
    assert {"en": "mirrors", "ko": "미러"}[lang] in notes
    assert {"en": "Dec (not over yet)", "ko": "12월은 아직 끝나지 않아서"}[lang] in notes
    assert "1,576" in notes and "1,314" in notes  # what GitHub counts and what could be read


@pytest.mark.parametrize(("lang", "compare"), VARIANTS)
def test_no_percentage_of_last_year_and_no_figure_twice(
    tmp_path: Path, lang: str, compare: bool
) -> None:
    data = report(tmp_path, *(["--compare"] if compare else []))
    post, _ = post_and_notes(demo(tmp_path, *args_of(lang, compare)), lang)
    read = without_links(post)
    # No change is said as a percentage: an all-time total least of all.
    assert "%" not in read
    package = data["packages"][0]["downloads"]
    highlights = data["highlights"]
    figures = {
        "graph total": numbers.compact(data["contributions"]["total"]),
        "my own contributions": numbers.compact(data["contributions"]["human"]),
        "automated commits": str(data["commits"]["automated"]),
        "my own commits": f"{data['commits']['human']:,}",
        "all-time downloads": numbers.compact(package["total"]),
        "last month": numbers.compact(package["last_month"]),
        "downloads this year": numbers.compact(highlights["downloads"]["total"]),
        "releases": str(data["projects"][0]["releases_in_year"]),
        "stars": str(data["projects"][0]["stars_at_year_end"]),
        "stars new this year": str(data["projects"][0]["stars_gained"]),
        "longest streak": str(highlights["streaks"]["longest"]["days"]),
        "busiest day": str(highlights["rhythm"]["busiest_day"]["count"]),
    }
    # The stars of other people's projects are theirs, not one of the year's figures
    # (huggingface/pytorch-image-models has 24.1k, as many as this year's downloads).
    own = re.sub(r"\(★ [^)]*\)", "", read)
    for name, shown in figures.items():
        count = len(re.findall(rf"(?<![\w.,:]){re.escape(shown)}(?![\w.,:]?\d)", own))
        assert count == 1, f"{name} ({shown}) is stated {count} times"


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_year_is_named_once_then_this_year(tmp_path: Path, lang: str) -> None:
    post, _ = post_and_notes(demo(tmp_path, "--lang", lang), lang)
    assert len(re.findall(r"2022", without_links(post))) == 1
    assert {"en": "This year", "ko": "올해"}[lang] in post


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_post_names_the_inferred_zone_in_the_readers_words(tmp_path: Path, lang: str) -> None:
    text = demo(tmp_path, "--lang", lang)
    post, notes = post_and_notes(text, lang)
    hours = {"en": "between 15:00 and 16:00 KST", "ko": "오후 3시에서 4시 사이(한국 시간)"}
    assert hours[lang] in post
    assert {"en": "KST (Asia/Seoul)", "ko": "한국 시간(Asia/Seoul)"}[lang] in notes
    utc = demo(tmp_path, "--lang", lang, "--timezone", "UTC")
    assert {"en": "between 06:00 and 07:00 UTC", "ko": "오전 6시에서 7시 사이(UTC)"}[lang] in utc


def test_notes_none_or_a_file_keep_the_post_clean_and_the_json_complete(tmp_path: Path) -> None:
    quiet = demo(tmp_path, "--notes", "none")
    assert "> **Notes**" not in quiet and "ClickHouse" not in quiet
    apart = demo(tmp_path, "--notes", "notes.md")
    written = (tmp_path / "notes.md").read_text(encoding="utf-8")
    assert "> **Notes**" not in apart
    footnote = post_and_notes(demo(tmp_path), "en")[1]
    assert written == "## Notes\n\n" + footnote.lstrip("\n").replace("> - ", "- ")
    data = report(tmp_path, "--notes", "none")
    downloads = data["packages"][0]["downloads"]
    assert downloads["mirrors"] is False and downloads["monthly_sources"]["2022-01"]
    assert data["notices"] and data["time_zone"]["decided_by"] == "inferred"


def test_detail_full_adds_the_months_and_each_source(tmp_path: Path) -> None:
    brief = demo(tmp_path)
    full = demo(tmp_path, "--detail", "full")
    assert "Downloads per month: Jan 2.6k · Feb 2.2k" not in brief
    assert "Downloads per month: Jan 2.6k · Feb 2.2k" in full
    assert "### Languages" in full and "### Languages" not in brief
    monthly = "Monthly figures come from ClickHouse (ClickPy) for Jan–Jun and pypistats.org"
    assert monthly in full and monthly not in brief
    # The brief post is about as long as the original section plus its highlights (what
    # others did with my projects among them).
    assert len(without_links(post_and_notes(brief, "en")[0]).split()) < 430
