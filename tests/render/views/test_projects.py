"""Projects of the year, languages and the real-work sentence: context and built-in templates."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

import pytest

from devstats.model.highlights import Highlights
from devstats.model.report import ContributionFigures, to_json
from devstats.render.markdown import render_markdown
from devstats.render.views.context import build_context
from tests.fakes.report_factory import (
    HUMAN_BY_REPOSITORY,
    previous_report,
    replace,
    sample_projects,
    sample_report,
    shares,
    unknown_contributions,
)

ASSETS = {
    "heatmap-light": "img/heatmap-light.svg",
    "heatmap-dark": "img/heatmap-dark.svg",
    "downloads-pytorch-optimizer-light": "img/downloads-pytorch-optimizer-light.svg",
    "downloads-pytorch-optimizer-dark": "img/downloads-pytorch-optimizer-dark.svg",
}


def test_human_contributions_is_the_json_figure() -> None:
    report = sample_report()
    document = json.loads(to_json(report))
    human = build_context(report, lang="en")["contributions"]["human"]
    total = sum(day.count for day in report.calendar)
    assert human.value == total - 365 == document["contributions"]["human"]
    unknown = ContributionFigures(
        total=None, commits=1, pull_requests=2, issues=3, reviews=4, restricted=5, human=None
    )
    context = build_context(sample_report(contributions=unknown), lang="en")
    assert not context["contributions"]["human"].known


def _figures_and_json_keys(
    context: dict[str, Any], document: dict[str, Any]
) -> list[tuple[Any, Any]]:
    """Pairs (context figure's value, the JSON value docs/templates.md names for it)."""
    project = context["projects"][0]
    package = context["packages"][0]
    json_package = next(p for p in document["packages"] if p["name"] == package["raw"]["name"])
    return [
        (context["contributions"]["total"].value, document["contributions"]["total"]),
        (context["contributions"]["human"].value, document["contributions"]["human"]),
        (context["commits"]["automated"].value, document["commits"]["automated"]),
        (context["commits"]["human"].value, document["commits"]["human"]),
        (
            {e["reason"]: e["count"].value for e in context["commits"]["excluded"]},
            document["commits"]["automated_by_reason"],
        ),
        (project["human_commits"].value, document["projects"][0]["human_commits"]),
        (project["stars"].value, document["projects"][0]["stars"]),
        (project["stars_gained"].value, document["projects"][0]["stars_gained"]),
        (project["releases"].value, document["projects"][0]["releases_in_year"]),
        (list(project["raw"]["release_tags"]), document["projects"][0]["release_tags"]),
        (
            [s["human_commits"].value for s in context["languages"]["shares"]],
            [entry["human_commits"] for entry in document["languages"]],
        ),
        (list(context["languages"]["raw"]["new"]), document["new_languages"]),
        (
            context["external"]["pull_requests"].value,
            document["pull_requests"]["external"]["total"],
        ),
        (context["external"]["merged"].value, document["pull_requests"]["external"]["merged"]),
        (package["downloads"]["total"].value, json_package["downloads"]["total"]),
        (package["downloads"]["last_month"].value, json_package["downloads"]["last_month"]),
        (
            {m["month"]: m["count"].value for m in package["downloads"]["monthly"]},
            json_package["downloads"]["monthly"],
        ),
        (
            context["compare"]["contributions"]["previous"].value,
            document["previous"]["contributions"]["total"],
        ),
        (
            context["compare"]["commits"]["previous"].value,
            document["previous"]["commits"]["human"],
        ),
    ]


def test_every_figure_traces_to_its_json_key() -> None:
    report = sample_report(previous=previous_report(), new_languages=("Rust",))
    context = build_context(report, lang="en")
    for shown, stored in _figures_and_json_keys(context, json.loads(to_json(report))):
        assert shown == stored


def test_projects_keep_the_report_order_and_link_their_package_by_pep503_name() -> None:
    context = build_context(sample_report(), lang="en", assets=ASSETS)
    projects = context["projects"]
    assert [p["raw"]["repository"] for p in projects] == [p.repository for p in sample_projects()]
    first = projects[0]
    # The project names "pytorch-optimizer", the report's package is "pytorch_optimizer".
    assert first["package"] is not None and first["package"]["raw"]["name"] == "pytorch_optimizer"
    assert first["package"]["chart_dark"] == "img/downloads-pytorch-optimizer-dark.svg"
    assert [p["raw"]["name"] for p in context["other_packages"]] == ["tiny_pkg"]
    assert [p["raw"]["name"] for p in context["packages"]] == ["pytorch_optimizer", "tiny_pkg"]
    assert first["release_tags_text"] == "v0.3.0 → v2.0.1"  # 7 tags: first and last
    assert projects[2]["release_tags_text"] == "v0.1.0, v0.2.0"
    assert projects[1]["release_tags_text"] is None
    # No URL from GitHub: the repository's page is built from its name.
    assert projects[1]["link"] == "[Blog](https://github.com/kozistr/kozistr.github.io)"
    assert projects[1]["description_sentence"] == "my tech blog, built with Gatsby."
    assert first["description_sentence"] == ("optimizer & lr scheduler collections in PyTorch.")
    assert not projects[2]["stars_gained"].known


def test_a_package_named_by_an_override_but_not_collected_is_still_linked() -> None:
    project = replace(sample_projects()[1], package="gatsby-theme-x")
    report = sample_report(projects=(project,))
    context = build_context(report, lang="en")
    assert context["projects"][0]["package"] is None
    assert context["projects"][0]["package_link"] == (
        "[gatsby-theme-x](https://pypi.org/project/gatsby-theme-x/)"
    )
    assert len(context["other_packages"]) == 2  # neither collected package is shown by a project
    text = render_markdown(report)
    assert "The PyPI package is [gatsby-theme-x](https://pypi.org/project/gatsby-theme-x/)." in text
    assert "### Packages\n" in text  # nothing linked: the list keeps its plain heading


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_linked_package_is_shown_once_under_its_project(lang: str) -> None:
    text = render_markdown(sample_report(), lang=lang, assets=ASSETS)
    assert text.count("41.6k") == 1
    assert text.count("downloads-pytorch-optimizer-light.svg") == 1
    section = text.split("### [pytorch\\_optimizer]", 1)[1].split("\n### ", 1)[0]
    assert "41.6k" in section and "img/downloads-pytorch-optimizer-dark.svg" in section
    assert "[tiny\\_pkg](https://pypi.org/project/tiny_pkg/)" in text.split(section, 1)[1]


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_skeleton_order(lang: str) -> None:
    text = render_markdown(sample_report(), lang=lang, assets=ASSETS)
    headings = [line for line in text.splitlines() if line.startswith("#")]
    names = {
        "en": ["## Programming", "### Languages", "### Other packages"],
        "ko": ["## 개발", "### 언어", "### 그 밖의 패키지"],
    }[lang]
    projects = [
        "### [pytorch\\_optimizer](https://github.com/kozistr/pytorch_optimizer)",
        "### [Blog](https://github.com/kozistr/kozistr.github.io)",
        "### [catboost-server-rs](https://github.com/kozistr/catboost-server-rs)",
    ]
    # Brief: the languages only restate the projects' commits, so they wait for --detail full.
    assert headings == [names[0], *projects, names[2]]
    full = render_markdown(sample_report(), lang=lang, assets=ASSETS, detail="full")
    assert [line for line in full.splitlines() if line.startswith("#")] == [
        names[0],
        *projects,
        *names[1:],
    ]
    # The graph, what was automated and what was mine; the picture; the pull requests to other
    # people's projects; then each project; the notes last.
    totals = text.index({"en": "contributions", "ko": "기여"}[lang])
    pulls = text.index("[huggingface/transformers]")
    assert totals < text.index("<picture>") < pulls < text.index(projects[0])
    assert text.index(names[-1]) < text.index("> **")


def test_project_facts_in_english() -> None:
    text = render_markdown(sample_report(), assets=ASSETS)
    assert "> optimizer & lr scheduler collections in PyTorch\n" in text
    assert (
        "This year I made **870** commits of my own to it and shipped 7 releases "
        "(v0.3.0 → v2.0.1). It had 121 stars at the end of the year, 97 of them new this year.\n"
        in text
    )
    # The version is said once: the year's last release tag already names it.
    assert (
        "The PyPI package [pytorch\\_optimizer](https://pypi.org/project/pytorch_optimizer/) has "
        "been downloaded **41.6k** times as of Dec 31, and 2.1k times in December.\n" in text
    )
    # Brief: the months and the sources are for --detail full and the notes.
    assert "Oct 2k" not in text
    notes = text.partition("> **Notes**")[2]
    assert (
        "Monthly figures are missing for Jan–May, Jul–Sep (the download data does not reach "
        "back that far) and Jun (only partly known).\n" in notes
    )
    assert (
        "> - Downloads of pytorch\\_optimizer leave out PyPI's mirrors; the total counts "
        "Jan 1, 2021 – Dec 31, 2022, and the figures come from pypistats.org.\n" in notes
    )
    full = render_markdown(sample_report(), assets=ASSETS, detail="full")
    assert "Downloads per month: Oct 2k · Nov 2.1k · Dec 2.1k.\n" in full
    # Stars at the year's end unknown: today's, said as of the day the report was made.
    assert (
        "This year I made **40** commits of my own to it and shipped 2 releases (v0.1.0, "
        "v0.2.0). It has 8 stars as of Jan 2, 2023.\n" in text
    )
    # The notes: escaped, one paragraph of their own (a "- " inside cannot start a list).
    assert "\n\nPlans for 2023: more &lt;optimizers&gt; & \\[docs\\] - and \\*tests\\*\n" in text


def test_project_facts_in_korean() -> None:
    text = render_markdown(sample_report(), lang="ko")
    # An English description is not quoted in a Korean post, unless asked for in full.
    assert "optimizer & lr scheduler" not in text
    assert "> optimizer & lr scheduler collections in PyTorch\n" in render_markdown(
        sample_report(), lang="ko", detail="full"
    )
    assert (
        "올해 이 프로젝트에 직접 한 커밋은 **870개**고, 릴리스는 7번(v0.3.0 → v2.0.1) 했다. "
        "스타는 연말 기준 121개로, 올해 97개가 늘었다.\n" in text
    )
    assert (
        "PyPI 패키지 [pytorch\\_optimizer](https://pypi.org/project/pytorch_optimizer/)의 누적 "
        "다운로드는 12월 31일 기준 **41.6k회**고, 12월 한 달 동안은 2.1k회였다.\n" in text
    )
    assert "월별로는" not in text
    full = render_markdown(sample_report(), lang="ko", detail="full")
    assert "월별로는 10월 2k회, 11월 2.1k회, 12월 2.1k회였다.\n" in full
    assert (
        "1~5월, 7~9월은 다운로드 데이터가 그만큼 거슬러 올라가지 않아서, 6월은 일부 날짜만 "
        "있어서 월별 수치가 없다.\n" in text.partition("> **참고**")[2]
    )
    assert (
        "올해 이 프로젝트에 직접 한 커밋은 **40개**고, 릴리스는 2번(v0.1.0, v0.2.0) 했다. "
        "스타는 2023년 1월 2일 기준 8개다.\n" in text
    )


def test_language_version_and_description_are_said_once() -> None:
    first, blog, server = sample_projects()
    said = replace(server, description="CatBoost model server written in Rust", releases_in_year=0)
    older = replace(first, release_tags=("v0.3.0", "v1.0.0"))
    titled = replace(blog, description="Blog.")
    report = sample_report(projects=(older, titled, said))
    en = render_markdown(report)
    assert "> CatBoost model server written in Rust\n" in en
    assert "> Blog." not in en and "### [Blog]" in en  # the title already says it
    # The last tag of the year is not the version as of the year's end: both are said.
    assert "(v0.3.0, v1.0.0)" in en and "pytorch_optimizer/) (v2.0.1) has been downloaded" in en
    ko = render_markdown(report, lang="ko")
    assert "pytorch_optimizer/)(v2.0.1)의 누적 다운로드는" in ko


@pytest.mark.parametrize(
    ("generated", "at_end", "gained", "en", "ko"),
    [
        (
            "2023-01-02",
            121,
            97,
            "It had 121 stars at the end of the year, 97 of them new this year.",
            "스타는 연말 기준 121개로, 올해 97개가 늘었다.",
        ),
        (
            "2023-01-02",
            121,
            0,
            "It had 121 stars at the end of the year, none of them new this year.",
            "스타는 연말 기준 121개고, 올해 늘어난 스타는 없다.",
        ),
        (
            "2023-01-02",
            121,
            None,
            "It had 121 stars at the end of the year.",
            "스타는 연말 기준 121개다.",
        ),
        (
            "2022-12-15",
            135,
            97,
            "It has 135 stars as of Dec 15, 97 of them new this year.",
            "스타는 12월 15일 기준 135개로, 올해 97개가 늘었다.",
        ),
        (
            "2022-12-15",
            97,
            97,
            "It has 97 stars as of Dec 15, all of them new this year.",
            "스타는 12월 15일 기준 97개로, 모두 올해 받은 스타다.",
        ),
        (
            "2023-01-02",
            None,
            97,
            "It has 135 stars as of Jan 2, 2023, 97 of them new this year.",
            "스타는 2023년 1월 2일 기준 135개로, 올해 97개가 늘었다.",
        ),
    ],
)
def test_stars_are_said_as_of_a_day(
    generated: str, at_end: int | None, gained: int | None, en: str, ko: str
) -> None:
    project = replace(sample_projects()[0], stars_at_year_end=at_end, stars_gained=gained)
    made = datetime.fromisoformat(f"{generated}T09:00:00+00:00")
    report = sample_report(projects=(project,), generated_at=made)
    assert f"). {en}\n" in render_markdown(report)
    assert f" 했다. {ko}\n" in render_markdown(report, lang="ko")


def test_languages_add_up_to_100_and_new_ones_are_named() -> None:
    report = sample_report()
    context = build_context(report, lang="en")["languages"]
    percents = [int(s["percent"].rstrip("%")) for s in context["shares"]]
    assert sum(percents) == 100
    # Largest remainder, computed here from the counts: 66.92 -> 67, 30.00 -> 30, 3.08 -> 3.
    total = sum(HUMAN_BY_REPOSITORY.values())
    exact = [n * 100 / total for n in HUMAN_BY_REPOSITORY.values()]
    assert percents == [67, 30, 3] and [round(x) for x in exact] == [67, 30, 3]
    en = render_markdown(sample_report(), detail="full")
    assert (
        "By each repository's primary language, my own commits were Python 67%, "
        "JavaScript 30%, Rust 3%.\n" in en
    )
    ko = render_markdown(sample_report(), lang="ko", detail="full")
    assert (
        "레포마다 주 언어 하나로 쳐서 나눠 보면, 직접 한 커밋은 Python 67%, JavaScript 30%, "
        "Rust 3%였다.\n" in ko
    )
    # "New" means what it says: no commits of my own in it the year before (a highlight).
    new = {"new_languages": ("Rust",), "previous": previous_report()}
    assert context["new_note"] is None
    assert (
        (build_context(sample_report(**new), lang="en")["languages"]["new_note"])
        == "no commits of my own in Rust in 2021"
    )
    highlights = {"highlights": Highlights()}  # a block with nothing but the new languages
    assert "- I made commits of my own in Rust this year, and none in 2021.\n" in render_markdown(
        sample_report(**new, **highlights)
    )
    assert (
        "- 2021년에는 Rust로 직접 한 커밋이 없었는데, 올해는 Rust로도 커밋했다.\n"
        in render_markdown(sample_report(**new, **highlights), lang="ko")
    )
    two = sample_report(new_languages=("Rust", "Python"), previous=previous_report(), **highlights)
    assert "in Rust or Python this year, and none in 2021." in render_markdown(two)
    assert "2021년에는 Rust나 Python으로 직접 한 커밋이 없었는데" in render_markdown(two, lang="ko")


def test_three_equal_languages_still_show_100_percent() -> None:
    report = sample_report(languages=shares({"C": 1, "Go": 1, "Zig": 1}))
    text = render_markdown(report, detail="full")
    assert "my own commits were C 34%, Go 33%, Zig 33%." in text


def test_no_projects_and_no_languages_leave_their_sections_out() -> None:
    report = sample_report(projects=(), languages=())
    for lang, heading in (("en", "### Languages"), ("ko", "### 언어")):
        text = render_markdown(report, lang=lang)
        assert heading not in text
        assert "### [" not in text
    assert "### Packages\n" in render_markdown(report)


def test_hostile_project_text_is_escaped() -> None:
    evil = "x](javascript:alert(1))<!-- devstats:end -->"
    project = replace(
        sample_projects()[0],
        title=evil,
        description=evil,
        notes=f"line\n# heading\n{evil}",
        release_tags=(evil,),
        releases_in_year=1,
        language="<b>Py</b>",
        url="javascript:alert(1)",
    )
    report = sample_report(projects=(project,), languages=shares({evil: 3}))
    for lang in ("en", "ko"):
        text = render_markdown(report, lang=lang)
        assert "<!--" not in text and "<b>" not in text
        assert re.search(r"(?<!\\)\]\(javascript", text) is None
        assert "\n# heading" not in text
        # An unsafe URL drops the link; the title stays as escaped text.
        assert "### x\\](javascript:alert(1))&lt;\\!-- devstats:end --&gt;\n" in text


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_pull_request_titles_are_listed_under_their_project(lang: str) -> None:
    text = render_markdown(sample_report(), lang=lang)
    assert (
        ": [Add optimizer](https://github.com/huggingface/transformers/pull/99) · "
        "[Fix typo in docs](https://github.com/huggingface/transformers/pull/101)\n" in text
    )
    state = {"en": "still open", "ko": "아직 열려 있음"}[lang]
    assert (
        f": [Support \\| pipes in \\`names\\`](https://github.com/pytorch/pytorch/pull/7) ({state})\n"
        in text
    )


def test_totals_without_a_known_calendar_fall_back_to_commits() -> None:
    unknown = unknown_contributions()
    report = sample_report(contributions=unknown)
    ko = render_markdown(report, lang="ko")
    assert (
        "2022년 공개 레포에 직접 한 커밋은 **1,300개**다. 자동 커밋 365개(매일 커밋하는 Action이 "
        "만든 353개, 봇 계정이 만든 12개)는 뺐다.\n" in ko
    )


def test_languages_rounding_to_zero_are_left_out_and_other_is_translated() -> None:
    # 600 / 390 / 5 / 5 of 1,000: 60.0, 39.0, 0.5, 0.5 -> 60, 39, 1 (earlier first), 0.
    report = sample_report(languages=shares({"Python": 600, "Go": 390, "Other": 5, "Zig": 5}))
    en = build_context(report, lang="en")["languages"]
    assert [s["percent"] for s in en["shares"]] == ["60%", "39%", "1%", "0%"]
    assert en["text"] == "Python 60%, Go 39%, other 1%"
    ko = build_context(report, lang="ko")["languages"]
    assert ko["text"] == "Python 60%, Go 39%, 기타 1%"
    assert ko["shares"][2]["raw"]["name"] == "Other"
