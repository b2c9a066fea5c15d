"""The words devstats writes around the numbers, per language.

Only short phrases live here (reason labels, month names, comparison phrases); sentences live in
the templates, where their tone can be edited without touching Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

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
)

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
)

# How the last character of a number as devstats writes it is read aloud in Korean: True when
# the reading ends in a consonant (일, 삼, 육, 칠, 팔, 십/백/천 for 0, 엠 for M): then 과, else 와.
_KOREAN_FINAL_CONSONANT = {
    **dict.fromkeys("0136789", True),
    **dict.fromkeys("245", False),
    "k": False,
    "K": False,
    "M": True,
    "B": False,
    "T": False,
}


def korean_and_particle(number_text: str) -> str:
    """과 or 와 after a number such as "1.6k" or "950": "1.6k와", "950과"."""
    last = number_text.rstrip("%")[-1:] or "0"
    return "과" if _KOREAN_FINAL_CONSONANT.get(last, False) else "와"


BY_CODE = {language.code: language for language in (ENGLISH, KOREAN)}
