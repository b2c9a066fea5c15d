"""The words devstats writes around the numbers, per language.

Phrases and the sentences that depend on the data (which months are missing, where a total comes
from, how a figure compares with the year before) live here, so the templates only substitute;
the templates hold the rest of the prose, where its tone can be edited without touching Python.
Korean is written as a Korean developer writes a review post: casual 반말, the English technical
nouns Korean developers use (PR, Action, public), Hangul for the rest (커밋, 레포, 머지, 스타),
counters after numbers (기여 N건, 커밋 N개, 다운로드 N회), the year always named, and particles
chosen by devstats/render/words/korean.py. docs/templates.md has the checklist it is reviewed
against.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from devstats.model.notices import Wording
from devstats.render.words.korean import particle
from devstats.render.words.notices import ENGLISH_NOTICES, KOREAN_NOTICES

LANGUAGES = ("en", "ko")


@dataclass(frozen=True)
class ReasonLabel:
    label: str  # the reason alone: "from an Action that commits every day"
    phrase: str  # with the count, "{n}" stands for it: "{n} from an Action that commits every day"


@dataclass(frozen=True)
class Comparison:
    """How the year-over-year figures are counted: `units` maps a figure to the counter written
    after its numbers ("건", "개"). The words of a comparison are in post.py."""

    units: Mapping[str, str]


@dataclass(frozen=True)
class Language:
    code: str
    unknown: str
    months: tuple[str, ...]  # short month names, January first
    month_range: str  # "{first}", "{first_number}", "{last}": consecutive months
    reasons: dict[str, ReasonLabel]
    unknown_reason: ReasonLabel  # "{reason}": the classifier's code; "{ro}": 으로/로 after it
    conjunction: str  # joins the last two items of a list: "and", "과/와"
    disjunction: str  # "or", "이나/나"
    # what is left out of the real work: "{n}", "{reasons}" / "{label}"
    left_out_automated: str
    left_out_single: str
    left_out_excluded: str
    compare: Comparison
    merged: Mapping[str, str]  # "none", "some", "all", "one": "{merged}", "{total}"
    new_languages: str  # "{languages}" (or-joined, with 으로/로 in Korean), "{year}"
    missing_months: str  # "{clauses}"
    missing_reasons: Mapping[str, str]  # reason -> clause: "{months}", "{topic}" (with 은/는)
    # "both", "monthly", "total", and "split-both", "split-monthly" when the monthly figures
    # come from several sources: "{monthly}", "{total}"
    sources: Mapping[str, str]
    source_months: str  # one of several monthly sources: "{source}", "{months}", "{topic}"
    # the total's source: "baseline" ("{note}"), "pepy.tech", "engine" ("{engine}", "{through}",
    # "{days}": an engine's total carried on by known days), "other" ("{source}")
    total_sources: Mapping[str, str]
    baseline_note: str  # "{note}"
    download_store: str  # the download store, as a monthly source
    picture_alt: str  # "{user}", "{year}"
    mirrors: tuple[str, str]  # (without mirrors, including mirrors)
    states: dict[str, str]
    other_language: str  # repositories whose primary language GitHub does not know
    notices: Mapping[str, Wording]  # per notice code (devstats/model/notices.py); `{param}` fields

    def window(self, start: date, end: date) -> str:
        if self.code == "ko":
            return f"{start:%Y.%m.%d} ~ {end:%Y.%m.%d}"
        first = f"{self.months[start.month - 1]} {start.day}"
        last = f"{self.months[end.month - 1]} {end.day}, {end.year}"
        if start.year != end.year:
            first += f", {start.year}"
        return f"{first} – {last}"

    def day(self, value: date) -> str:
        """One day: "Nov 30, 2022" / "2022.11.30"."""
        if self.code == "ko":
            return f"{value:%Y.%m.%d}"
        return f"{self.months[value.month - 1]} {value.day}, {value.year}"

    def join(self, items: list[str], *, word: str | None = None) -> str:
        """ "a, b and c" / "a, b와 c"; `word` ("or", "이나/나") instead of the conjunction."""
        word = word or self.conjunction
        if len(items) <= 1:
            return "".join(items)
        if self.code == "ko":
            head = ", ".join(items[:-1])
            return f"{head}{particle(items[-2], word)} {items[-1]}"
        if len(items) == 2:
            return f"{items[0]} {word} {items[1]}"
        return ", ".join(items[:-1]) + f", {word} " + items[-1]

    def reason(self, code: str) -> ReasonLabel:
        if code in self.reasons:
            return self.reasons[code]
        readable = code.replace("-", " ").replace("_", " ")
        ro = particle(readable, "으로/로")
        return ReasonLabel(
            label=self.unknown_reason.label.format(reason=readable, ro=ro),
            phrase=self.unknown_reason.phrase.format(reason=readable, ro=ro, n="{n}"),
        )

    def unit(self, figure: str) -> str:
        return self.compare.units.get(figure, "")


# Reason codes are the automation classifier's (devstats/classify/automation.py); a code missing
# here still reads sensibly through `unknown_reason`.
ENGLISH = Language(
    code="en",
    unknown="unknown",
    months=("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    month_range="{first}–{last}",
    reasons={
        "excluded-repository": ReasonLabel(
            "in repositories I excluded", "{n} in repositories I excluded"
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
    disjunction="or",
    left_out_automated="{n} automated commits ({reasons})",
    left_out_single="{n} automated commits {label}",
    left_out_excluded="{n} commits in repositories I excluded",
    compare=Comparison(
        units={},
    ),
    merged={
        "none": "{merged} of {total} merged",
        "some": "{merged} of {total} merged",
        "all": "{merged} of {total} merged",
        "one": "1 of 1 merged",
    },
    new_languages="no commits of my own in {languages} in {year}",
    missing_months="Monthly figures are missing for {clauses}.",
    missing_reasons={
        "unknown": "{months} (the download data does not reach back that far)",
        "partial": "{months} (only partly known)",
        "before-first-upload": "{months} (before the first upload)",
        "not-over": "{months} (not over yet)",
    },
    sources={
        "both": "Monthly figures come from {monthly}; the total {total}.",
        "monthly": "Monthly figures come from {monthly}.",
        "total": "The total {total}.",
        "split-both": "Monthly figures come from {monthly}; the total {total}.",
        "split-monthly": "Monthly figures come from {monthly}.",
    },
    source_months="{source} for {months}",
    total_sources={
        "baseline": "is a baseline{note} plus the download store",
        "pepy.tech": "comes from pepy.tech",
        "engine": "comes from {engine} through {through}, and from {days} after that",
        "other": "comes from {source}",
    },
    baseline_note=" ({note})",
    download_store="the download store",
    picture_alt=(
        "{user}'s GitHub contributions in {year}: contributions of my own by day, automated "
        "commits apart"
    ),
    mirrors=("without mirrors", "including mirrors"),
    states={"MERGED": "merged", "OPEN": "still open", "CLOSED": "closed"},
    other_language="other",
    notices=ENGLISH_NOTICES,
)

KOREAN = Language(
    code="ko",
    unknown="알 수 없음",
    months=tuple(f"{month}월" for month in range(1, 13)),
    month_range="{first_number}~{last}",
    reasons={
        "excluded-repository": ReasonLabel("제외해 둔 레포의", "제외해 둔 레포의 커밋 {n}개"),
        "bot-account": ReasonLabel("봇 계정이 만든", "봇 계정이 만든 {n}개"),
        "actions-identity": ReasonLabel("GitHub Actions가 푸시한", "GitHub Actions가 푸시한 {n}개"),
        "message-pattern": ReasonLabel("자동 생성 메시지가 달린", "자동 생성 메시지가 달린 {n}개"),
        "scheduled-cadence": ReasonLabel(
            "매일 커밋하는 Action이 만든", "매일 커밋하는 Action이 만든 {n}개"
        ),
    },
    unknown_reason=ReasonLabel("'{reason}'{ro} 분류된", "'{reason}'{ro} 분류된 {n}개"),
    conjunction="과/와",
    disjunction="이나/나",
    left_out_automated="자동 커밋 {n}개({reasons})",
    left_out_single="{label} 자동 커밋 {n}개",
    left_out_excluded="제외해 둔 레포의 커밋 {n}개",
    compare=Comparison(
        units={
            "contributions": "건",
            "human": "건",
            "commits": "개",
            "automated": "개",
            "pull_requests": "개",
            "projects": "곳",
            "downloads": "회",
        },
    ),
    merged={
        "none": "PR {total}개, 머지된 건 없음",
        "some": "PR {total}개 중 {merged}개 머지",
        "all": "PR {total}개 모두 머지",
        "one": "PR 1개 머지",
    },
    new_languages="{year}년에는 {languages} 직접 한 커밋이 없었다.",
    missing_months="{clauses} 월별 수치가 없다.",
    missing_reasons={
        "unknown": "{topic} 다운로드 데이터가 그만큼 거슬러 올라가지 않아서",
        "partial": "{topic} 일부 날짜만 있어서",
        "before-first-upload": "{topic} 첫 업로드 전이라서",
        "not-over": "{topic} 아직 끝나지 않아서",
    },
    sources={
        "both": "월별 수치는 {monthly}에서 가져왔고, 누적 다운로드는 {total}.",
        "monthly": "월별 수치는 {monthly}에서 가져왔다.",
        "total": "누적 다운로드는 {total}.",
        "split-both": "월별 수치 중 {monthly}에서 가져왔고, 누적 다운로드는 {total}.",
        "split-monthly": "월별 수치 중 {monthly}에서 가져왔다.",
    },
    source_months="{topic} {source}",
    total_sources={
        "baseline": "baseline{note}에 다운로드 기록을 더한 값이다",
        "pepy.tech": "pepy.tech에서 가져왔다",
        "engine": "{through}까지는 {engine}, 그 뒤는 {days}에서 가져왔다",
        "other": "{source}에서 가져왔다",
    },
    baseline_note="({note})",
    download_store="다운로드 기록",
    picture_alt="{year}년 {user}의 GitHub 기여: 날마다 직접 한 기여, 자동 커밋은 따로 표시",
    mirrors=("미러 제외", "미러 포함"),
    states={"MERGED": "머지됨", "OPEN": "아직 열려 있음", "CLOSED": "머지 없이 닫힘"},
    other_language="기타",
    notices=KOREAN_NOTICES,
)

BY_CODE = {language.code: language for language in (ENGLISH, KOREAN)}
