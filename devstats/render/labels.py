"""The words devstats writes around the numbers, per language.

Only short phrases live here (reason labels, month names, comparison phrases); sentences live in
the templates, where their tone can be edited without touching Python. The one exception is the
notices (gaps, caps, lower bounds): one sentence per notice code, which a template cannot hold.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from devstats import notices
from devstats.notices import Wording

LANGUAGES = ("en", "ko")


@dataclass(frozen=True)
class ReasonLabel:
    label: str  # the reason alone: "from a scheduled workflow"
    phrase: str  # with the count, "{n}" stands for it: "{n} from a scheduled workflow"


@dataclass(frozen=True)
class Language:
    code: str
    unknown: str
    months: tuple[str, ...]  # short month names, January first
    reasons: dict[str, ReasonLabel]
    unknown_reason: ReasonLabel  # "{reason}" stands for the classifier's code
    conjunction: str  # joins the last two items of a list
    same: str  # "{previous}" stands for last year's figure
    up: str  # "{percent}" and "{previous}"
    down: str
    from_zero: str
    picture_alt: str  # "{user}", "{year}"
    chart_title: str  # "{package}", "{year}"
    mirrors: tuple[str, str]  # (without mirrors, including mirrors)
    states: dict[str, str]
    other_language: str  # repositories whose primary language GitHub does not know
    notices: Mapping[str, Wording]  # per notice code (devstats/notices.py); `{param}` fields

    def window(self, start: date, end: date) -> str:
        if self.code == "ko":
            return f"{start:%Y.%m.%d} ~ {end:%Y.%m.%d}"
        first = f"{self.months[start.month - 1]} {start.day}"
        last = f"{self.months[end.month - 1]} {end.day}, {end.year}"
        if start.year != end.year:
            first += f", {start.year}"
        return f"{first} – {last}"

    def join(self, items: list[str]) -> str:
        if len(items) <= 1:
            return "".join(items)
        if self.code == "ko":
            return ", ".join(items[:-1]) + f"{self.conjunction} " + items[-1]
        if len(items) == 2:
            return f"{items[0]} {self.conjunction} {items[1]}"
        return ", ".join(items[:-1]) + f", {self.conjunction} " + items[-1]

    def reason(self, code: str) -> ReasonLabel:
        if code in self.reasons:
            return self.reasons[code]
        readable = code.replace("-", " ").replace("_", " ")
        return ReasonLabel(
            label=self.unknown_reason.label.format(reason=readable),
            phrase=self.unknown_reason.phrase.format(reason=readable, n="{n}"),
        )


# Reason codes are the automation classifier's (devstats/classify/automation.py); a code missing
# here still reads sensibly through `unknown_reason`.
ENGLISH = Language(
    code="en",
    unknown="unknown",
    months=("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    reasons={
        "excluded-repository": ReasonLabel(
            "in repositories I set aside", "{n} in repositories I set aside"
        ),
        "bot-account": ReasonLabel("made by bot accounts", "{n} by bot accounts"),
        "actions-identity": ReasonLabel("pushed by GitHub Actions", "{n} pushed by GitHub Actions"),
        "message-pattern": ReasonLabel(
            "with generated commit messages", "{n} with generated commit messages"
        ),
        "scheduled-cadence": ReasonLabel(
            "from an Action that commits every day", "{n} from an Action that commits every day"
        ),
    },
    unknown_reason=ReasonLabel("flagged as {reason}", "{n} flagged as {reason}"),
    conjunction="and",
    same="about the same as last year's {previous}",
    up="{percent} on last year's {previous}",
    down="{percent} on last year's {previous}",
    from_zero="none last year",
    picture_alt="{user}'s contributions in {year}",
    chart_title="{package}: monthly downloads in {year}",
    mirrors=("without mirrors", "including mirrors"),
    states={"MERGED": "merged", "OPEN": "open", "CLOSED": "closed"},
    other_language="other",
    notices=notices.ENGLISH,
)

# Same casual register as templates/ko.md.j2. No particle follows a `{param}` whose reading
# decides it (은/는, 이/가); "의", "까지", "부터" and counters are safe after anything.
KOREAN_NOTICES: dict[str, Wording] = {
    "repositories-capped": Wording(
        "GitHub은 query 한 번에 commit 한 repo를 {limit}개까지만 보여 주는데, "
        "{window} 구간 하나만으로 그 한도를 채웠다. 빠진 repo가 있을 수 있다."
    ),
    "repository-gone": Wording(
        "{repository}: repo를 읽을 수 없어서 (그사이 삭제됐거나 이름이 바뀌었거나 private이 된 듯) "
        "그 repo의 commit은 빠졌다."
    ),
    "repository-unreadable": Wording(
        "{repository}: repo를 읽을 수 없어서 그 repo의 commit은 빠졌다."
    ),
    "commits-fewer-than-counted": Wording(
        "GitHub은 commit contribution을 {counted}개로 세는데 가져올 수 있었던 commit은 "
        "{retrieved}개뿐이다 ({difference}개 차이). private repo, 삭제된 repo, 100개 repo 제한, "
        "gh-pages branch(default branch만 읽으니까) 같은 건 목록에 안 나오기 때문.",
        tails=(
            (
                "restricted",
                " private contribution {restricted}개도 프로필에 공유돼 있는데, 이건 내용 없이 "
                "숫자로만 잡힌다.",
            ),
        ),
    ),
    "commits-more-than-counted": Wording(
        "가져온 commit은 {retrieved}개로, GitHub이 세는 commit contribution {counted}개보다 "
        "{difference}개 많다. calendar는 author date(UTC)로 세고 여기서는 고른 time zone의 "
        "commit date로 올해 commit을 고르는 데다, fork나 나랑 상관없는 repo의 commit은 GitHub이 "
        "안 세기 때문인 듯."
    ),
    "stars-lower-bound": Wording(
        "{repository}의 {year}년 star 증가 수는 최소치다. stargazer 목록을 끝까지 다 읽지 못했다."
    ),
    "downloads-not-listed": Wording(
        "{package}: pypistats.org에 다운로드 데이터가 없다. pypistats.org는 첫 다운로드 "
        "다음 날부터 잡고 180일이 지난 날은 지운다."
    ),
    "downloads-unavailable": Wording(
        "{package}: 다운로드 수치는 빼고 만들었다 (--allow-partial): {reason}"
    ),
    "downloads-month-partial": Wording(
        "{package}: {months} 다운로드 데이터가 일부 날짜만 있어서 월별 수치에서 뺐다."
    ),
    "downloads-last-month-unknown": Wording(
        "{package}: {month} 다운로드 수는 알 수 없다 (pypistats.org는 최근 180일 치만 갖고 있다)."
    ),
    "downloads-no-files": Wording("{package}: PyPI에 올라간 파일이 없어서 누적 다운로드도 없다."),
    "downloads-total-unknown": Wording(
        "{package}: 누적 다운로드는 알 수 없다. PEPY_API_KEY를 설정해서 pepy.tech의 "
        "total을 쓰거나, baseline(어느 날 이전까지의 다운로드 수, pepy.tech나 BigQuery에서 "
        "가져온 것)을 넣어 두고 download store를 계속 쌓으면 된다. BigQuery source도 붙일 예정."
    ),
    "downloads-total-short": Wording(
        "{package}: 누적 다운로드는 {limit}까지가 아니라 {end}까지만 센 값이다."
    ),
    "downloads-store-gap": Wording(
        "{package}: download store에 {baseline} 이전까지의 baseline은 있는데, 그 뒤로 {end}까지 "
        "{missing}일 치가 비어 있어서 ({days}) 누적 다운로드를 알 수 없다."
    ),
    "downloads-pepy-failed": Wording(
        "{package}: pepy.tech에서 누적 다운로드를 못 가져왔다: {reason}"
    ),
    "downloads-pepy-range": Wording(
        "{package}: pepy.tech의 total은 {last}까지 센 값인데 일별 수치가 {first}부터밖에 없어서, "
        "{limit} 기준 누적 다운로드는 알 수 없다."
    ),
}

KOREAN = Language(
    code="ko",
    unknown="알 수 없음",
    months=tuple(f"{month}월" for month in range(1, 13)),
    reasons={
        "excluded-repository": ReasonLabel("제외해 둔 repo의", "제외해 둔 repo의 commit {n}개"),
        "bot-account": ReasonLabel("bot 계정이 만든", "bot 계정이 만든 {n}개"),
        "actions-identity": ReasonLabel(
            "GitHub Actions가 push 한", "GitHub Actions가 push 한 {n}개"
        ),
        "message-pattern": ReasonLabel(
            "자동 생성 메시지가 달린", "자동 생성 메시지가 달린 commit {n}개"
        ),
        "scheduled-cadence": ReasonLabel(
            "매일 commit 하는 Action이 만든",
            "매일 commit 하는 Action이 만든 {n}개",
        ),
    },
    unknown_reason=ReasonLabel("{reason}(으)로 분류된", "{reason}(으)로 분류된 {n}개"),
    conjunction="랑",
    same="작년 {previous}{and_particle} 비슷",
    up="작년 {previous}보다 {percent}",
    down="작년 {previous}보다 {percent}",
    from_zero="작년엔 없었음",
    picture_alt="{year}년 {user}의 contributions",
    chart_title="{package}: {year}년 월별 다운로드",
    mirrors=("mirror 제외", "mirror 포함"),
    states={"MERGED": "merged", "OPEN": "open", "CLOSED": "closed"},
    other_language="기타",
    notices=KOREAN_NOTICES,
)

BY_CODE = {language.code: language for language in (ENGLISH, KOREAN)}
