"""devstats.render.words.received: the sentences of the post about what others did."""

from __future__ import annotations

from datetime import UTC, datetime

from devstats.model.events import (
    Contributor,
    MajorRelease,
    PullRequestsReceived,
    Received,
    WorkShare,
)
from devstats.render.words.labels import ENGLISH, KOREAN
from devstats.render.words.received import (
    MAX_NAMED,
    major_release,
    received_lines,
    thanks,
    work_shift,
)

OPT = "kozistr/pytorch_optimizer"
PULLS = PullRequestsReceived(
    OPT,
    opened=3,
    merged=2,
    people=(Contributor("carol", 2, 1, True), Contributor("dave", 1, 1, False)),
    first_timers=("carol",),
)
MAJOR = MajorRelease(OPT, "v2.0.0", "2.0.0", "1.3.2", 2, datetime(2022, 5, 1, tzinfo=UTC))
LINK = "[pytorch\\_optimizer](https://github.com/kozistr/pytorch_optimizer)"
CAROL = "[@carol](https://github.com/carol)"
DAVE = "[@dave](https://github.com/dave)"


def share(year: int, own: int, others: int) -> WorkShare:
    percent = round(100 * others / (own + others)) if own + others else None
    return WorkShare(year, own, others, others, 0, 0, percent)


def test_thanks_name_the_people_and_the_first_timers() -> None:
    assert thanks(PULLS, ENGLISH) == (
        f"Thanks to {CAROL} and {DAVE} for the pull requests sent to {LINK} "
        f"(3 opened, 2 merged). First-time contributors among them: {CAROL}."
    )
    assert thanks(PULLS, KOREAN) == (
        f"감사하게도 {LINK}에 PR을 보내 준 분들이 있었다: {CAROL}과 {DAVE}(PR 3건 중 2건 머지)."
        f" {CAROL} 님은 이번이 첫 기여였다."
    )


def test_thanks_when_everyone_came_for_the_first_time() -> None:
    one = PullRequestsReceived(OPT, 1, 1, (Contributor("carol", 1, 1, True),), ("carol",))
    assert thanks(one, ENGLISH) == (
        f"Thanks to {CAROL} for the pull request sent to {LINK} (1 opened, 1 merged), "
        "a first contribution to it."
    )
    assert thanks(one, KOREAN) == (
        f"감사하게도 {LINK}에 PR을 보내 준 분이 있었다: {CAROL}(PR 1건 중 1건 머지). 이번이 첫 기여였다."
    )
    both = PullRequestsReceived(
        OPT,
        2,
        0,
        (Contributor("carol", 1, 0, True), Contributor("dave", 1, 0, True)),
        ("carol", "dave"),
    )
    assert thanks(both, ENGLISH).endswith(", a first contribution to it for each.")
    assert thanks(both, KOREAN).endswith(" 모두 이번이 첫 기여였다.")


def test_many_people_are_named_up_to_a_limit() -> None:
    people = tuple(Contributor(f"p{n}", 1, 0, False) for n in range(MAX_NAMED + 3))
    text = thanks(PullRequestsReceived(OPT, len(people), 0, people, ()), ENGLISH)
    assert f"@p{MAX_NAMED - 1}]" in text and f"@p{MAX_NAMED}]" not in text
    assert "and 3 more for the pull requests" in text
    assert "first contribution" not in text


def test_the_major_release_in_both_languages() -> None:
    assert major_release(MAJOR, ENGLISH) == (
        f"Released v2.0.0 of {LINK} and bumped the major version to 2 (from 1.3.2)."
    )
    assert major_release(MAJOR, KOREAN) == (
        f"{LINK}는 v2.0.0을 내면서 major 버전도 2로 올렸다(이전 버전 1.3.2)."
    )


def test_the_share_of_work_and_how_it_moved() -> None:
    # Counts of the same kind for both years (like with like), never a percentage; only with
    # the year before to compare with.
    now, before = share(2022, 40, 60), share(2021, 80, 20)
    assert work_shift(now, before, ENGLISH) == (
        "This year 60 of my 100 pull requests, reviews and issues went to other people's "
        "projects, against 20 of 100 in 2021."
    )
    assert work_shift(before, now, ENGLISH) == (
        "This year 20 of my 100 pull requests, reviews and issues went to other people's "
        "projects, against 60 of 100 in 2022."
    )
    assert work_shift(now, None, KOREAN) is None
    assert work_shift(now, before, KOREAN) == (
        "올해 한 PR, 리뷰, 이슈 100건 중 60건이 다른 사람 프로젝트를 향했다(2021년에는 100건 중 20건)."
    )
    assert work_shift(share(2022, 0, 0), before, ENGLISH) is None
    assert work_shift(now, share(2021, 0, 0), ENGLISH) is None


def test_lines_in_the_order_the_post_reads_them() -> None:
    received = Received(
        source="clickhouse",
        complete_through=None,
        stars=(),
        pull_requests=(PULLS,),
        major_releases=(MAJOR,),
        work=share(2022, 1, 1),
        work_last_year=share(2021, 2, 0),
    )
    lines = received_lines(received, ENGLISH)
    assert [line.split(" ")[0] for line in lines] == ["Thanks", "Released", "This"]
    assert received_lines(None, KOREAN) == []
    github = Received("github", None, (), None, (), None)
    assert received_lines(github, ENGLISH) == []
