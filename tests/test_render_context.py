"""The template context: numbers in every form, sorted lists, labels, deltas, safe strings."""

from __future__ import annotations

import pytest

from devstats.errors import UsageError
from devstats.notices import notice
from devstats.render.context import Figure, build_context
from devstats.render.escape import SafeMarkdown
from devstats.report import Contributions
from tests.report_factory import previous_report, replace, sample_report


def test_figures_carry_compact_exact_and_raw_values() -> None:
    context = build_context(sample_report(), lang="en")
    total = sum(day.count for day in sample_report().calendar)
    figure = context["contributions"]["total"]
    assert isinstance(figure, Figure)
    assert figure.value == total
    assert figure.exact == f"{total:,}"
    assert str(figure) == figure.compact
    assert context["commits"]["human"].compact == "1.3k"
    assert context["packages"][0]["downloads"]["total"].upper == "41.6K"


def test_unknown_values_read_as_unknown_never_zero() -> None:
    unknown = Contributions(
        total=None,
        commits=None,
        pull_requests=None,
        issues=None,
        reviews=None,
        restricted=None,
        human=None,
    )
    for lang, word in (("en", "unknown"), ("ko", "알 수 없음")):
        context = build_context(sample_report(contributions=unknown), lang=lang)
        total = context["contributions"]["total"]
        assert not total.known and total.value is None
        assert total.compact == total.exact == word


def test_excluded_commits_are_listed_by_count_with_labels_per_language() -> None:
    en = build_context(sample_report(), lang="en")["commits"]
    assert [item["reason"] for item in en["excluded"]] == ["scheduled-cadence", "bot-account"]
    assert [item["count"].value for item in en["excluded"]] == [353, 12]
    assert en["excluded_text"] == (
        "353 from an Action that commits every day and 12 by bot accounts"
    )
    assert en["automated_share"] == "22%"  # 365 / 1665
    ko = build_context(sample_report(), lang="ko")["commits"]
    assert ko["excluded_text"] == "매일 commit 하는 Action이 만든 353개랑 bot 계정이 만든 12개"


def test_an_unknown_reason_code_still_reads() -> None:
    commits = replace(sample_report().commits, automated_by_reason={"new-rule": 3})
    context = build_context(sample_report(commits=commits), lang="en")
    assert context["commits"]["excluded_text"] == "3 flagged as new rule"


def test_projects_and_pull_requests_are_sorted_and_linked() -> None:
    external = build_context(sample_report(), lang="en")["external"]
    assert external["project_count"].value == 2
    first = external["projects"][0]
    assert (
        first["link"] == "[huggingface/transformers](https://github.com/huggingface/transformers)"
    )
    assert [p["number"] for p in first["pulls"]] == [99, 101]  # oldest first
    second = external["projects"][1]
    assert second["stars"].known is False
    title = second["pulls"][0]["title"]
    assert title == "Support \\| pipes in \\`names\\`"
    assert second["pulls"][0]["raw"]["title"] == "Support | pipes in `names`"


def test_packages_by_downloads_with_windows_and_months() -> None:
    packages = build_context(sample_report(), lang="en")["packages"]
    assert [p["raw"]["name"] for p in packages] == ["pytorch_optimizer", "tiny_pkg"]
    downloads = packages[0]["downloads"]
    assert downloads["total_window"] == "Jan 1, 2021 – Dec 31, 2022"
    assert downloads["last_month_window"] == "Dec 1 – Dec 31, 2022"
    assert [m["label"] for m in downloads["monthly"]] == ["Oct", "Nov", "Dec"]
    assert downloads["monthly_average"].value == round((1980 + 2050 + 2130) / 3)
    assert packages[1]["downloads"] is None and packages[1]["version"] is None
    ko = build_context(sample_report(), lang="ko")["packages"][0]["downloads"]
    assert ko["total_window"] == "2021.01.01 ~ 2022.12.31"
    assert [m["label"] for m in ko["monthly"]] == ["10월", "11월", "12월"]


def test_compare_is_none_without_previous_and_phrased_with_it() -> None:
    assert build_context(sample_report(), lang="en")["compare"] is None
    report = sample_report(previous=previous_report())
    en = build_context(report, lang="en")["compare"]
    total = report.contributions.total
    assert total is not None and abs(total - 1600) / 1600 < 0.05
    assert en["contributions"]["trend"] == "same"
    assert en["contributions"]["text"] == "about the same as last year's 1.6k"
    assert en["commits"]["percent"] == "+38%"  # 1300 vs 940
    assert en["commits"]["text"] == "+38% on last year's 940"
    assert en["pull_requests"]["text"] == "none last year"
    ko = build_context(report, lang="ko")["compare"]
    assert ko["contributions"]["text"] == "작년 1.6k와 비슷"
    assert ko["commits"]["text"] == "작년 940보다 +38%"
    package = build_context(report, lang="en")["packages"][0]["compare"]
    assert package["percent"] == "+247%"  # 41,600 vs 12,000


def test_package_compare_finds_last_year_under_another_spelling() -> None:
    last = previous_report()
    respelled = replace(last.packages[0], name=last.packages[0].name.replace("_", "-").upper())
    report = sample_report(previous=replace(last, packages=(respelled,)))
    package = build_context(report, lang="en")["packages"][0]
    assert package["raw"]["name"] != respelled.name
    assert package["compare"]["percent"] == "+247%"


@pytest.mark.parametrize(
    ("previous", "particle"), [(950, "과"), (949, "와"), (1600, "와"), (1_300_000, "과")]
)
def test_korean_particle_follows_the_number(previous: int, particle: str) -> None:
    last = previous_report(contributions=replace(sample_report().contributions, total=previous))
    report = sample_report(
        previous=last,
        contributions=replace(sample_report().contributions, total=previous),
    )
    text = build_context(report, lang="ko")["compare"]["contributions"]["text"]
    assert text.endswith(f"{particle} 비슷")


def test_picture_uses_light_and_dark_assets_safely() -> None:
    report = sample_report(user="a-b")
    context = build_context(
        report,
        lang="en",
        assets={"heatmap-light": "assets/light map.svg", "heatmap-dark": "assets/dark.svg"},
    )
    picture = context["picture"]
    assert picture["light"] == "assets/light%20map.svg"
    assert (
        '<source media="(prefers-color-scheme: dark)" srcset="assets/dark.svg">' in picture["html"]
    )
    assert picture["markdown"] == "![a-b's contributions in 2022](assets/light%20map.svg)"
    assert build_context(report, lang="en")["picture"] is None
    hostile = build_context(report, lang="en", assets={"heatmap-light": "javascript:alert(1)"})
    assert hostile["picture"] is None


def test_every_upstream_string_is_escaped_and_marked_safe() -> None:
    hostile = notice("downloads-no-files", package="<b>careful</b> | here")
    report = sample_report(notices=(hostile,), user="x_y")
    context = build_context(report, lang="en")
    assert context["warnings"] == [
        "&lt;b&gt;careful&lt;/b&gt; \\| here: PyPI lists no uploaded files, so there is no "
        "download total"
    ]
    assert all(isinstance(w, SafeMarkdown) for w in context["warnings"])
    assert context["raw"]["warnings"] == [hostile.message]
    assert context["user"] == "x\\_y"
    assert context["raw"]["user"] == "x_y"
    assert context["user_url"] is None  # "x_y" is no GitHub login


def test_unknown_language_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown language"):
        build_context(sample_report(), lang="fr")


def test_one_line_lists_for_pulls_and_months() -> None:
    context = build_context(sample_report(), lang="en")
    transformers, pytorch = context["external"]["projects"]
    assert transformers["pulls_text"] == " · ".join(p["link"] for p in transformers["pulls"])
    assert pytorch["pulls_text"] == f"{pytorch['pulls'][0]['link']} (open)"
    downloads = context["packages"][0]["downloads"]
    assert downloads["monthly_text"] == "Oct 2k · Nov 2.1k · Dec 2.1k"
    assert context["packages_in_projects"] is True
    assert build_context(sample_report(projects=()), lang="en")["packages_in_projects"] is False
