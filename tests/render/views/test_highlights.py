"""The highlights said in English and Korean: every part a sentence, a part with nothing to say
left out, every upstream name escaped, and a template that leaves the block out still renders."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from devstats.classify.contributions_to_others import first_contributions, given_to_others
from devstats.classify.highlights import downloads_in_year, releases_shipped
from devstats.classify.rhythm import rhythm, streaks
from devstats.model.facts import FirstPullRequest, PullRequest
from devstats.model.highlights import Highlights
from devstats.render.markdown import render_markdown
from devstats.render.views.highlights import highlights_context
from devstats.render.words.labels import BY_CODE
from tests.fakes.report_factory import replace, sample_report

SEOUL = ZoneInfo("Asia/Seoul")
HOSTILE = "evil/<b>x</b>_[y](z)"


def merged_pull(repository: str) -> FirstPullRequest:
    opened = datetime(2022, 3, 1, tzinfo=UTC)
    pr = PullRequest(
        repository=repository,
        number=1,
        title="t",
        url=f"https://github.com/{repository}/pull/1",
        state="MERGED",
        created_at=opened,
        merged_at=datetime(2022, 3, 2, tzinfo=UTC),
    )
    return FirstPullRequest(repository=repository, first_opened=pr, first_merged=pr)


def full() -> Highlights:
    # Real work on Jan 30 - Feb 1 (a run across a month boundary) and on Dec 31.
    real = {date(2022, 1, 30): 2, date(2022, 1, 31): 1, date(2022, 2, 1): 5, date(2022, 12, 31): 1}
    return Highlights(
        streaks=streaks(real, 2022),
        rhythm=rhythm([datetime(2022, 2, 1, 9, 30, tzinfo=SEOUL)], real, SEOUL),
        first_contributions=first_contributions(
            {HOSTILE: merged_pull(HOSTILE), "a/b": merged_pull("a/b")}, 2022, SEOUL, user="me"
        ),
        given_to_others=given_to_others({"c/d": 3}, {"c/d": 1, "e/f": 2}, user="me"),
        releases=releases_shipped(
            [("me/pkg", "v1.0.0", datetime(2022, 5, 1, tzinfo=UTC))],
            [("pkg", "1.0.0", datetime(2022, 5, 1, tzinfo=UTC))],
            {"pkg": "me/pkg"},
            2022,
            SEOUL,
        ),
        downloads=downloads_in_year([("pkg", {"2022-05": 1200, "2022-06": 800}, "x")], 2022),
    )


def lines_of(highlights: Highlights | None, lang: str, zone: str = "KST") -> tuple[str, ...]:
    report = sample_report(highlights=highlights, projects=())  # no project states a release
    context = highlights_context(report, BY_CODE[lang], zone)
    assert context is not None
    return tuple(context["lines"])


def test_every_part_is_one_sentence_in_english() -> None:
    context = highlights_context(sample_report(highlights=full()), BY_CODE["en"], "KST")
    assert context is not None and context["title"] == "Highlights"  # the year is named once
    lines = lines_of(full(), "en")
    # What a streak counts is said; a streak still running on the last day is no highlight.
    assert lines[0] == (
        "My longest streak was **3 days** in a row with contributions of my own (Jan 30 – Feb 1); "
        "days with only automated commits don't count."
    )
    assert lines[1] == (
        "My busiest day was Feb 1, with 5 contributions of my own, and my busiest month "
        "February, with 5. I committed most on Tuesdays, and most often between 09:00 and 10:00 "
        "KST."
    )
    assert lines[2].startswith("A pull request of mine was merged for the first time in ")
    assert "<b>" not in lines[2] and "&lt;b&gt;" in lines[2]  # the hostile name is escaped
    assert lines[3] == (
        "I left 3 reviews and opened 3 issues in 2 other people's projects, most in "
        "[c/d](https://github.com/c/d) and [e/f](https://github.com/e/f)."
    )
    assert lines[4] == "I shipped 1 version in all (one on both GitHub and PyPI counts once)."
    assert lines[5] == "pkg was downloaded **2k** times this year (May–Jun)."


def test_the_same_in_korean_with_counters_and_this_year() -> None:
    context = highlights_context(sample_report(highlights=full()), BY_CODE["ko"], "한국 시간")
    assert context is not None and context["title"] == "하이라이트"
    lines = lines_of(full(), "ko", "한국 시간")
    assert lines[0] == (
        "직접 한 기여가 있는 날이 가장 길게 이어진 건 **3일**(1월 30일 ~ 2월 1일). 자동 커밋만 "
        "있는 날은 세지 않았다."
    )
    assert lines[1] == (
        "가장 바빴던 날은 2월 1일(직접 한 기여 5건), 가장 바빴던 달은 2월(직접 한 기여 5건)이다. "
        "커밋은 화요일에 가장 많이 했고, 시간으로는 오전 9시에서 10시 사이(한국 시간)가 가장 "
        "많았다."
    )
    assert lines[2].endswith("에는 올해 처음으로 내 PR이 머지됐다.")
    assert lines[5] == "pkg는 올해 5~6월에 **2k회** 다운로드됐다."


def test_versions_shipped_are_said_only_when_the_projects_have_not_said_them() -> None:
    # The sample's projects state 7 + 2 releases; one version shipped is not a new fact
    # when a project states it, and is when none does.
    stated = sample_report(highlights=full())
    shown = sum(p.releases_in_year or 0 for p in stated.projects)
    assert shown != 1
    assert any("in all (one on both" in line for line in lines_of(full(), "en"))
    one = tuple(
        replace(p, releases_in_year=1 if i == 0 else 0) for i, p in enumerate(stated.projects)
    )
    context = highlights_context(sample_report(highlights=full(), projects=one), BY_CODE["en"], "")
    assert context is not None
    assert not any("in all (one on both" in line for line in context["lines"])


def test_a_part_with_nothing_to_say_is_left_out() -> None:
    empty = Highlights(
        streaks=streaks([], 2022),
        given_to_others=given_to_others({}, {}, user="me"),
        downloads=downloads_in_year([], 2022),
    )
    assert lines_of(empty, "en", "UTC") == ()
    assert highlights_context(sample_report(highlights=None), BY_CODE["en"], "UTC") is None


def test_the_built_in_templates_print_the_block_and_a_user_template_may_leave_it_out(
    tmp_path: Path,
) -> None:
    report = sample_report(highlights=full())
    english = render_markdown(report, lang="en")
    assert "### Highlights\n\n- My longest streak was **3 days**" in english
    assert "### 하이라이트\n" in render_markdown(report, lang="ko")
    assert "Highlights" not in render_markdown(sample_report(), lang="en")  # none: no block
    own = tmp_path / "own.md.j2"
    own.write_text("{{ year }} without highlights\n", encoding="utf-8")
    assert render_markdown(report, lang="en", template=own) == "2022 without highlights\n"
