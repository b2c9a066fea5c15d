"""The template context: numbers in every form, sorted lists, labels, deltas, safe strings."""

from __future__ import annotations

import pytest

from devstats.model.errors import UsageError
from devstats.model.notices import notice
from devstats.render.escape import SafeMarkdown
from devstats.render.views.context import Figure, build_context, delta
from devstats.render.words.labels import BY_CODE
from tests.fakes.report_factory import (
    previous_report,
    replace,
    sample_report,
    unknown_contributions,
)


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
    unknown = unknown_contributions()
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
    assert ko["excluded_text"] == "매일 커밋하는 Action이 만든 353개와 봇 계정이 만든 12개"
    assert en["left_out_text"] == (
        "365 automated commits (353 from an Action that commits every day and 12 by bot accounts)"
    )
    assert ko["left_out_text"] == (
        "자동 커밋 365개(매일 커밋하는 Action이 만든 353개, 봇 계정이 만든 12개)"
    )


def test_commits_in_excluded_repositories_are_not_called_automated() -> None:
    reasons = {"scheduled-cadence": 353, "excluded-repository": 291, "bot-account": 12}
    commits = replace(sample_report().commits, automated=656, automated_by_reason=reasons)
    en = build_context(sample_report(commits=commits), lang="en")["commits"]
    assert en["left_out_text"] == (
        "365 automated commits (353 from an Action that commits every day and 12 by bot "
        "accounts) and 291 commits in repositories I excluded"
    )
    assert "291 in repositories I excluded" in en["excluded_text"]
    ko = build_context(sample_report(commits=commits), lang="ko")["commits"]
    assert ko["left_out_text"].endswith("봇 계정이 만든 12개)와 제외해 둔 레포의 커밋 291개")
    only = replace(commits, automated=291, automated_by_reason={"excluded-repository": 291})
    alone = build_context(sample_report(commits=only), lang="en")["commits"]["left_out_text"]
    assert alone == "291 commits in repositories I excluded"
    one_reason = replace(commits, automated=353, automated_by_reason={"scheduled-cadence": 353})
    single = build_context(sample_report(commits=one_reason), lang="en")["commits"]
    assert single["left_out_text"] == "353 automated commits from an Action that commits every day"


def test_an_unknown_reason_code_still_reads() -> None:
    commits = replace(sample_report().commits, automated_by_reason={"new-rule": 3})
    context = build_context(sample_report(commits=commits), lang="en")
    assert context["commits"]["excluded_text"] == "3 flagged as new rule"
    ko = build_context(sample_report(commits=commits), lang="ko")["commits"]
    assert ko["excluded_text"] == "'new rule'로 분류된 3개"  # 룰: ㄹ takes 로


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
    human = report.contributions.human
    assert total is not None and human is not None and abs(total - 1600) / 1600 < 0.05
    # The graph's total is said to be the graph's.
    assert en["contributions"]["trend"] == "same"
    assert en["contributions"]["text"] == "about as many as on 2021's graph (1.6k)"
    # Both years could be read whole: my own work against my own work, in words.
    assert en["commits_complete"] is True and en["retrieval_text"] is None
    assert en["human"]["percent"] == f"-{round((1600 - human) * 100 / 1600)}%"
    assert en["human"]["text"] == "down from 1.6k in 2021"
    assert en["commits"]["percent"] == "+38%"  # 1300 vs 940
    assert en["commits"]["text"] == "up from 940 in 2021"
    assert en["pull_requests"]["text"] == "none in 2021"
    ko = build_context(report, lang="ko")["compare"]
    assert ko["contributions"]["sentence"] == "2021년 잔디 1.6k건과 비슷하다."
    assert ko["commits"]["sentence"] == "2021년 940개보다 늘었다."
    assert ko["human"]["sentence"].endswith("줄었다.")
    assert ko["pull_requests"]["sentence"] == "2021년에는 다른 사람 프로젝트에 보낸 PR이 없었다."
    # An all-time total is compared with the total at the end of the year before, never as a
    # percentage of it: 41,600 against 12,000 is 3.5 times as many.
    package = build_context(report, lang="en")["packages"][0]["compare"]
    assert package["percent"] is None
    assert package["text"] == "3.5 times the 12k at the end of 2021"
    ko_package = build_context(report, lang="ko")["packages"][0]["compare"]
    assert ko_package["text"] == "2021년 말 12k회의 3.5배"


def test_an_all_time_total_below_twice_is_up_from_the_years_end() -> None:
    last = previous_report()
    earlier = replace(last.packages[0], downloads_total=30_000)
    report = sample_report(previous=replace(last, packages=(earlier,)))
    en = build_context(report, lang="en")["packages"][0]["compare"]
    assert en["text"] == "up from 30k at the end of 2021" and en["percent"] is None
    ko = build_context(report, lang="ko")["packages"][0]["compare"]
    assert ko["text"] == "2021년 말에는 30k회"


def test_commits_compare_like_with_like_only_when_both_years_were_retrieved_whole() -> None:
    # 2021: GitHub counts 1,500 commit contributions, 940 of them were retrieved.
    last = previous_report(contributions=replace(previous_report().contributions, commits=1_500))
    # 2022: GitHub counts 1,700; the sample retrieved 1,665.
    this = replace(sample_report().contributions, commits=1_700)
    report = sample_report(previous=last, contributions=this)
    en = build_context(report, lang="en")["compare"]
    assert en["commits_complete"] is False
    # Neither my own commits nor my own contributions state a change: 560 of 2021's commits
    # count as my own work there and are missing from its commits.
    for name in ("commits", "human"):
        assert en[name]["percent"] is None and en[name]["trend"] == "unknown"
    assert en["commits"]["text"] == "940 in 2021"
    assert en["contributions"]["text"] == "about as many as on 2021's graph (1.6k)"
    assert en["retrieval_text"] == (
        "560 of 2021's 1,500 commit contributions could not be read, so the two years are "
        "compared by their contribution graphs."
    )
    ko = build_context(report, lang="ko")["compare"]
    assert ko["commits"]["sentence"] == "2021년에는 940개였다."
    assert ko["retrieval_text"] == (
        "2021년 커밋 기여 1,500개 중 560개는 읽을 수 없어서, 두 해는 잔디에 찍힌 기여로 비교했다."
    )
    # Only this year short: it is in its own note already, so the reason is said alone.
    one = sample_report(previous=previous_report(), contributions=this)
    assert build_context(one, lang="en")["compare"]["retrieval_text"] == (
        "Not every commit of this year could be read, so the two years are compared by their "
        "contribution graphs."
    )


def test_package_compare_finds_last_year_under_another_spelling() -> None:
    last = previous_report()
    respelled = replace(last.packages[0], name=last.packages[0].name.replace("_", "-").upper())
    report = sample_report(previous=replace(last, packages=(respelled,)))
    package = build_context(report, lang="en")["packages"][0]
    assert package["raw"]["name"] != respelled.name
    assert package["compare"]["text"] == "3.5 times the 12k at the end of 2021"


@pytest.mark.parametrize(
    ("name", "previous", "expected"),
    [
        ("contributions", 1_600, "2021년 잔디 1.6k건과 비슷하다"),  # 건: 과
        ("commits", 1_600, "2021년 1.6k개와 비슷하다"),  # 개: 와
        ("projects", 10, "2021년 10곳과 비슷하다"),
        ("commits", 10, "2021년 10개와 비슷하다"),
    ],
)
def test_korean_comparisons_carry_the_counter_and_its_particle(
    name: str, previous: int, expected: str
) -> None:
    text = delta(previous, previous, BY_CODE["ko"], name=name, year=2021)["text"]
    assert text == expected


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
    assert picture["markdown"] == (
        "![a-b's GitHub contributions in 2022: contributions of my own by day, automated "
        "commits apart](assets/light%20map.svg)"
    )
    assert build_context(report, lang="en")["picture"] is None
    hostile = build_context(report, lang="en", assets={"heatmap-light": "javascript:alert(1)"})
    assert hostile["picture"] is None


def test_every_upstream_string_is_escaped_and_marked_safe() -> None:
    hostile = notice("downloads-no-files", package="<b>careful</b> | here")
    report = sample_report(notices=(hostile,), user="x_y")
    context = build_context(report, lang="en")
    assert context["warnings"] == (
        "PyPI lists no uploaded files for &lt;b&gt;careful&lt;/b&gt; \\| here, so it has no "
        "download total.",
    )
    assert all(isinstance(w, SafeMarkdown) for w in context["warnings"])
    assert context["raw"]["warnings"] == (hostile.message,)
    assert context["user"] == "x\\_y"
    assert context["raw"]["user"] == "x_y"
    assert context["user_url"] is None  # "x_y" is no GitHub login


def test_unknown_language_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown language"):
        build_context(sample_report(), lang="fr")


def test_one_line_lists_for_pulls_and_months() -> None:
    context = build_context(sample_report(), lang="en")
    transformers, pytorch = context["external"]["projects"]
    # All merged: no state is said; one still open says so.
    assert transformers["pulls_text"] == " · ".join(p["link"] for p in transformers["pulls"])
    assert pytorch["pulls_text"] == f"{pytorch['pulls'][0]['link']} (still open)"
    downloads = context["packages"][0]["downloads"]
    assert downloads["monthly_text"] == "Oct 2k · Nov 2.1k · Dec 2.1k"
    assert context["packages_in_projects"] is True
    assert build_context(sample_report(projects=()), lang="en")["packages_in_projects"] is False
