"""The words of the post around its figures that the templates do not hold: the notes block,
the time zone, the stars as of a day, the year's highlights and the all-time totals compared.

One term per idea and language, as docs/definitions.md ("Words the post uses") lists them:
"contribution graph" / "잔디", "automated commits" / "자동 커밋", "contributions of my own" /
"직접 한 기여", "my own commits" / "직접 한 커밋". The year is named once, at the top of the
post; after that it is "this year" / "올해". Fields in braces are filled by the views.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["BY_CODE", "PostWords"]


@dataclass(frozen=True)
class PostWords:
    code: str
    notes_title: str
    # the zone days and hours are in: "given", "inferred" (all or nearly all commits), "most"
    # (a year with a move), "default"; "{words}" the reader's name for it, "{name}" the IANA one
    zone: Mapping[str, str]
    # the year before compared by the graphs: "{year}", "{missing}", "{counted}"; "this-year"
    # when only this year's commits could not all be read
    graphs_compared: Mapping[str, str]
    offsets: str  # "{n}" commits whose hours may be off
    # stars: "so-far" (as of "{day}"), "end" (the year is over); with "{gained}" new this year,
    # "all" of them new, "none" new, or the stars alone ("alone")
    stars: Mapping[str, str]
    # the all-time downloads against the end of the year before: "up", "times" ("{times}"),
    # "same"; "{previous}" with its unit, "{year}"
    all_time: Mapping[str, str]
    # the year's figures against the year before, standing after the figure: "up", "down",
    # "same", "none", "previous-only" (not like for like); "{previous}" with its unit, "{year}",
    # and in Korean "{previous_and}" (with 과/와) and "{previous_was}" (with 이었다/였다)
    yearly: Mapping[str, str]
    # the same for the contribution graph's total, said to be the graph's
    graph: Mapping[str, str]
    # "none" said of one figure: "pull_requests"
    none_by_figure: Mapping[str, str]
    highlights_title: str
    streak: str  # "{days}", "{span}"
    streak_weeks: str  # "{weeks}"
    streak_rule: str
    busiest: str  # "{day}", "{count}", "{month}", "{month_count}"
    habits: str  # "{weekday}", "{hours}", "{zone}"
    first_merged: str  # "{projects}"
    given: str  # "{reviews}", "{issues}", "{projects}", "{top}"
    shipped: str  # "{total}", "{versions}" (the noun for the count)
    downloads_one: str  # "{package}", "{topic}" (with 은/는), "{total}", "{months}"
    downloads_many: str  # "{packages}", "{total}", "{months}"
    new_languages: str  # "{languages}" (or-joined, with 으로/로 in Korean), "{year}"
    # where a package's downloads come from and what they cover: "{package}", "{mirrors}",
    # "{span}" (the total's days), "{sources}"; "downloads_span" alone, for --detail full
    downloads_note: str
    downloads_span: str
    mirrors: tuple[str, str]  # (left out, counted)
    months_missing: str  # "{clauses}"


ENGLISH = PostWords(
    code="en",
    notes_title="Notes",
    zone={
        "given": "Days and hours are in {words}.",
        "inferred": "Days and hours are in {words}, the time zone my commits were written in.",
        "most": "Days and hours are in {words}, the time zone most of my commits were written in.",
        "default": (
            "Days and hours are in UTC: too few of my commits say which time zone they were "
            "written in."
        ),
    },
    graphs_compared={
        "previous": (
            "{missing} of {year}'s {counted} commit contributions could not be read, so the two "
            "years are compared by their contribution graphs."
        ),
        "this-year": (
            "Not every commit of this year could be read, so the two years are compared by "
            "their contribution graphs."
        ),
    },
    offsets="{n} commits say +00:00 or no time zone at all, so their hours may be off.",
    stars={
        "so-far": "It has {stars} stars as of {day}",
        "end": "It had {stars} stars at the end of the year",
        "gained": ", {gained} of them new this year.",
        "all": ", all of them new this year.",
        "none": ", none of them new this year.",
        "alone": ".",
    },
    all_time={
        "up": "up from {previous} at the end of {year}",
        "times": "{times} times the {previous} at the end of {year}",
        "same": "about as many as at the end of {year} ({previous})",
    },
    yearly={
        "up": "up from {previous} in {year}",
        "down": "down from {previous} in {year}",
        "same": "about as many as in {year} ({previous})",
        "none": "none in {year}",
        "previous-only": "{previous} in {year}",
    },
    graph={
        "up": "up from {previous} on {year}'s graph",
        "down": "down from {previous} on {year}'s graph",
        "same": "about as many as on {year}'s graph ({previous})",
        "none": "none on {year}'s graph",
        "previous-only": "{previous} on {year}'s graph",
    },
    none_by_figure={"pull_requests": "none in {year}"},
    highlights_title="Highlights",
    streak="My longest streak was **{days} days** in a row with contributions of my own ({span})",
    streak_weeks=", and {weeks} weeks in a row had some",
    streak_rule="; days with only automated commits don't count.",
    busiest=(
        "My busiest day was {day}, with {count} contributions of my own, and my busiest month "
        "{month}, with {month_count}."
    ),
    habits=" I committed most on {weekday}, and most often between {hours} {zone}.",
    first_merged="A pull request of mine was merged for the first time in {projects}.",
    given=(
        "I left {reviews} reviews and opened {issues} issues in {projects} other people's "
        "projects, most in {top}."
    ),
    shipped="I shipped {total} {versions} in all (one on both GitHub and PyPI counts once).",
    downloads_one="{package} was downloaded **{total}** times this year ({months}).",
    downloads_many="My {packages} packages were downloaded **{total}** times this year ({months}).",
    new_languages="I made commits of my own in {languages} this year, and none in {year}.",
    downloads_note=(
        "Downloads of {package} {mirrors}; the total counts {span}, and the figures come from "
        "{sources}."
    ),
    downloads_span="Downloads of {package} {mirrors}; the total counts {span}.",
    mirrors=("leave out PyPI's mirrors", "include PyPI's mirrors"),
    months_missing="Monthly figures are missing for {clauses}.",
)

KOREAN = PostWords(
    code="ko",
    notes_title="참고",
    zone={
        "given": "날짜와 시간은 {words} 기준이다.",
        "inferred": "날짜와 시간은 내 커밋에 적힌 시간대인 {words} 기준이다.",
        "most": "날짜와 시간은 내 커밋 대부분에 적힌 시간대인 {words} 기준이다.",
        "default": (
            "날짜와 시간은 UTC 기준이다. 시간대가 적힌 커밋이 너무 적어서 내 시간대를 알 수 없었다."
        ),
    },
    graphs_compared={
        "previous": (
            "{year}년 커밋 기여 {counted}개 중 {missing}개는 읽을 수 없어서, 두 해는 잔디에 "
            "찍힌 기여로 비교했다."
        ),
        "this-year": "올해 커밋을 모두 읽지는 못해서, 두 해는 잔디에 찍힌 기여로 비교했다.",
    },
    offsets="커밋 {n}개는 시간대가 +00:00으로 적혀 있거나 아예 없어서, 시간이 틀릴 수 있다.",
    stars={
        "so-far": "스타는 {day} 기준 {stars}개",
        "end": "스타는 연말 기준 {stars}개",
        "gained": "로, 올해 {gained}개가 늘었다.",
        "all": "로, 모두 올해 받은 스타다.",
        "none": "고, 올해 늘어난 스타는 없다.",
        "alone": "다.",
    },
    all_time={
        "up": "{year}년 말에는 {previous}",
        "times": "{year}년 말 {previous}의 {times}배",
        "same": "{year}년 말 {previous_and} 비슷",
    },
    yearly={
        "up": "{year}년 {previous}보다 늘었다",
        "down": "{year}년 {previous}보다 줄었다",
        "same": "{year}년 {previous_and} 비슷하다",
        "none": "{year}년에는 없었다",
        "previous-only": "{year}년에는 {previous_was}",
    },
    graph={
        "up": "{year}년 잔디 {previous}보다 늘었다",
        "down": "{year}년 잔디 {previous}보다 줄었다",
        "same": "{year}년 잔디 {previous_and} 비슷하다",
        "none": "{year}년 잔디에는 없었다",
        "previous-only": "{year}년 잔디에는 {previous_was}",
    },
    none_by_figure={"pull_requests": "{year}년에는 다른 사람 프로젝트에 보낸 PR이 없었다"},
    highlights_title="하이라이트",
    streak="직접 한 기여가 있는 날이 가장 길게 이어진 건 **{days}일**({span})",
    streak_weeks="이고, 주 단위로는 {weeks}주 연속 매주 직접 한 기여가 있었다",
    streak_rule=". 자동 커밋만 있는 날은 세지 않았다.",
    busiest=(
        "가장 바빴던 날은 {day}(직접 한 기여 {count}건), 가장 바빴던 달은 {month}(직접 한 기여 "
        "{month_count}건)이다."
    ),
    habits=" 커밋은 {weekday}에 가장 많이 했고, 시간으로는 {hours}({zone})가 가장 많았다.",
    first_merged="{projects}에는 올해 처음으로 내 PR이 머지됐다.",
    given=(
        "다른 사람 프로젝트 {projects}곳에 리뷰 {reviews}개, 이슈 {issues}개를 남겼다(가장 많이 "
        "남긴 곳: {top})."
    ),
    shipped="올해 낸 버전은 모두 {total}개다(GitHub과 PyPI에 같이 낸 버전은 한 번으로 셌다).",
    downloads_one="{topic} 올해 {months}에 **{total}회** 다운로드됐다.",
    downloads_many="패키지 {packages}개를 합치면 올해 {months}에 **{total}회** 다운로드됐다.",
    new_languages=(
        "{year}년에는 {languages} 직접 한 커밋이 없었는데, 올해는 {languages}도 커밋했다."
    ),
    downloads_note=(
        "{package} 다운로드 수는 {mirrors} 셌고, 누적 다운로드는 {span} 것이다. 수치는 "
        "{sources}에서 가져왔다."
    ),
    downloads_span="{package} 다운로드 수는 {mirrors} 셌고, 누적 다운로드는 {span} 것이다.",
    mirrors=("PyPI 미러가 받은 건 빼고", "PyPI 미러가 받은 것까지 넣어서"),
    months_missing="{clauses} 월별 수치가 없다.",
)

BY_CODE = {words.code: words for words in (ENGLISH, KOREAN)}
