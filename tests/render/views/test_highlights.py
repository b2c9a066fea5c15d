"""The highlights said in English and Korean: every part a sentence, a part with nothing to say
left out, every upstream name escaped, and a template that leaves the block out still renders."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from devstats.classify.contributions_to_others import first_contributions, given_to_others
from devstats.classify.highlights import Highlights, downloads_in_year, releases_shipped
from devstats.classify.rhythm import rhythm, streaks
from devstats.model.facts import FirstPullRequest, PullRequest
from devstats.render.markdown import render_markdown
from devstats.render.views.highlights import highlights_context
from devstats.render.words.labels import BY_CODE
from tests.fakes.report_factory import sample_report

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


def test_every_part_is_one_sentence_in_english() -> None:
    context = highlights_context(full(), year=2022, timezone="Asia/Seoul", language=BY_CODE["en"])
    assert context is not None and context["title"] == "Highlights of 2022"
    lines = context["lines"]
    assert lines[0].startswith("Longest streak of real work: **3 days** in a row (Jan 30 – Feb 1)")
    assert "On Dec 31 a 1-day streak was still going." in lines[0]
    assert lines[1].startswith("Busiest day: Feb 1 (5 contributions); busiest month: February (5).")
    assert "most often between 09:00 and 10:00 (Asia/Seoul)" in lines[1]
    assert lines[2].startswith("First contribution merged in 2 projects: ")
    assert "<b>" not in lines[2] and "&lt;b&gt;" in lines[2]  # the hostile name is escaped
    assert lines[3] == (
        "Help given to other people's projects: 3 reviews and 3 issues in 2 projects "
        "(most in [c/d](https://github.com/c/d) and [e/f](https://github.com/e/f))."
    )
    assert (
        lines[4]
        == "Versions shipped: 1 (1 as GitHub releases, 1 on PyPI, a version on both counted once)."
    )
    assert lines[5] == "Downloads in 2022: **2k** across 1 package (May–Jun)."


def test_the_same_in_korean_names_the_year_and_uses_counters() -> None:
    context = highlights_context(full(), year=2022, timezone="Asia/Seoul", language=BY_CODE["ko"])
    assert context is not None and context["title"] == "2022년 하이라이트"
    lines = context["lines"]
    assert lines[0].startswith("가장 길게 이어진 기록은 **3일** 연속(2022.01.30 ~ 2022.02.01)")
    assert "12월 31일에는 1일째 이어지고 있었다." in lines[0]
    assert lines[1].startswith(
        "가장 바빴던 날은 2월 1일(기여 5건), 가장 바빴던 달은 2월(기여 5건)이다."
    )
    assert lines[2].startswith("처음으로 PR이 머지된 프로젝트가 2곳이다: ")
    assert lines[5] == "2022년 한 해 패키지 1개의 다운로드는 5~6월 합쳐 **2k회**다."


def test_a_part_with_nothing_to_say_is_left_out() -> None:
    empty = Highlights(
        streaks=streaks([], 2022),
        given_to_others=given_to_others({}, {}, user="me"),
        downloads=downloads_in_year([], 2022),
    )
    context = highlights_context(empty, year=2022, timezone="UTC", language=BY_CODE["en"])
    assert context is not None and context["lines"] == ()
    assert highlights_context(None, year=2022, timezone="UTC", language=BY_CODE["en"]) is None


def test_the_built_in_templates_print_the_block_and_a_user_template_may_leave_it_out(
    tmp_path: Path,
) -> None:
    report = sample_report(highlights=full())
    english = render_markdown(report, lang="en")
    assert "### Highlights of 2022\n\n- Longest streak of real work" in english
    assert "### 2022년 하이라이트\n" in render_markdown(report, lang="ko")
    assert "Highlights" not in render_markdown(sample_report(), lang="en")  # none: no block
    own = tmp_path / "own.md.j2"
    own.write_text("{{ year }} without highlights\n", encoding="utf-8")
    assert render_markdown(report, lang="en", template=own) == "2022 without highlights\n"
