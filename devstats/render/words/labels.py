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

from devstats.model import notices
from devstats.model.notices import Wording
from devstats.render.words.korean import particle
from devstats.render.words.notices import KOREAN_NOTICES

LANGUAGES = ("en", "ko")


@dataclass(frozen=True)
class ReasonLabel:
    label: str  # the reason alone: "from an Action that commits every day"
    phrase: str  # with the count, "{n}" stands for it: "{n} from an Action that commits every day"


@dataclass(frozen=True)
class Comparison:
    """A figure against the year before. Fields: "{year}" (the earlier year), "{previous}" (its
    figure with the unit), "{percent}" ("+6%"), "{change}" ("6%"), "{and_particle}" (과/와 after
    `previous`), "{was}" (이었다/였다 after `previous`). `text` forms go in parentheses after a
    number; `sentence` forms stand alone."""

    up: str
    down: str
    same: str
    none: str  # the earlier year had none
    previous_only: str  # no change is stated: the two figures do not compare like for like
    up_sentence: str
    down_sentence: str
    same_sentence: str
    none_sentence: str
    previous_only_sentence: str
    # (text, sentence) for figures whose empty year is worded on its own
    none_by_figure: Mapping[str, tuple[str, str]]
    units: Mapping[str, str]  # figure -> counter written after its numbers
    retrieval: str  # "{parts}": commits GitHub counts but does not list, in either year
    retrieval_part: str  # "{year}", "{missing}", "{counted}"


@dataclass(frozen=True)
class Stars:
    """Stars of a project. Keys: "end" (at the year's end), "so-far" (the year is not over),
    "now" (today's, when the year's end is unknown). Fields: "{stars}", "{gained}", "{year}"."""

    main: Mapping[str, str]
    gained: Mapping[str, str]
    no_gain: Mapping[str, str]
    alone: str  # what follows `main` without a gained figure


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
    stars: Stars
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
    left_out_automated="{n} commits not typed by hand ({reasons})",
    left_out_single="{n} commits {label}",
    left_out_excluded="{n} commits in repositories I excluded",
    compare=Comparison(
        up="{percent} on {year}'s {previous}",
        down="{percent} on {year}'s {previous}",
        same="about the same as {year}'s {previous}",
        none="none in {year}",
        previous_only="{previous} in {year}",
        up_sentence="That is {percent} on {year}'s {previous}.",
        down_sentence="That is {percent} on {year}'s {previous}.",
        same_sentence="That is about the same as {year}'s {previous}.",
        none_sentence="There were none in {year}.",
        previous_only_sentence="In {year}: {previous}.",
        none_by_figure={
            "pull_requests": (
                "no pull requests to other projects in {year}",
                "In {year} I opened no pull requests to other projects.",
            ),
        },
        units={},
        retrieval=(
            "Not every commit could be retrieved: GitHub does not list {parts}. The real work "
            "counts those commits as typed by hand and the public commits leave them out, so the "
            "public commits of the two years do not compare like for like."
        ),
        retrieval_part="{missing} of {counted} commit contributions in {year}",
    ),
    stars=Stars(
        main={
            "end": "★ {stars} at the end of {year}",
            "so-far": "★ {stars} so far",
            "now": "★ {stars} today",
        },
        gained={
            "end": " (+{gained} during the year)",
            "so-far": " (+{gained} in {year})",
            "now": " (+{gained} in {year})",
        },
        no_gain={
            "end": " (none given during the year)",
            "so-far": " (none given in {year})",
            "now": " (none given in {year})",
        },
        alone="",
    ),
    merged={
        "none": "{merged} of {total} merged",
        "some": "{merged} of {total} merged",
        "all": "{merged} of {total} merged",
        "one": "1 of 1 merged",
    },
    new_languages="no real commits in {languages} in {year}",
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
    picture_alt="{user}'s GitHub contributions in {year}: real work by day, automation apart",
    mirrors=("without mirrors", "including mirrors"),
    states={"MERGED": "merged", "OPEN": "open", "CLOSED": "closed"},
    other_language="other",
    notices=notices.ENGLISH,
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
    left_out_automated="자동으로 만들어진 커밋 {n}개({reasons})",
    left_out_single="{label} 커밋 {n}개",
    left_out_excluded="제외해 둔 레포의 커밋 {n}개",
    compare=Comparison(
        up="{year}년 {previous} 대비 {percent}",
        down="{year}년 {previous} 대비 {percent}",
        same="{year}년 {previous}{and_particle} 비슷",
        none="{year}년에는 0{unit}",
        previous_only="{year}년에는 {previous}",
        up_sentence="{year}년({previous})보다 {change} 늘었다.",
        down_sentence="{year}년({previous})보다 {change} 줄었다.",
        same_sentence="{year}년({previous})과 비슷하다.",
        none_sentence="{year}년에는 하나도 없었다.",
        previous_only_sentence="{year}년에는 {previous}{was}.",
        none_by_figure={
            "pull_requests": (
                "{year}년에는 0개",
                "{year}년에는 다른 프로젝트에 보낸 PR이 없었다.",
            ),
        },
        units={
            "contributions": "건",
            "human": "건",
            "commits": "개",
            "automated": "개",
            "pull_requests": "개",
            "projects": "곳",
            "downloads": "회",
        },
        retrieval=(
            "커밋을 전부 가져오지는 못했다. GitHub가 센 커밋 기여 중 목록에 없는 게 {parts}다. "
            "실제로 한 작업에는 이 커밋들도 손으로 한 것으로 들어가 있고 public 커밋 수에서는 "
            "빠져 있어서, 두 해의 public 커밋 수는 같은 기준으로 비교한 숫자가 아니다."
        ),
        retrieval_part="{year}년에는 {counted}개 중 {missing}개",
    ),
    stars=Stars(
        main={
            "end": "스타는 {year}년 말 기준 {stars}개",
            "so-far": "스타는 지금까지 {stars}개",
            "now": "스타는 지금 {stars}개",
        },
        gained={
            "end": "로, 그해에 {gained}개가 늘었다",
            "so-far": "로, {year}년에 {gained}개가 늘었다",
            "now": "고, {year}년에 {gained}개가 늘었다",
        },
        no_gain={
            "end": "로, 그해에 늘어난 스타는 없었다",
            "so-far": "로, {year}년에 늘어난 스타는 없었다",
            "now": "고, {year}년에 늘어난 스타는 없었다",
        },
        alone="다",
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
    picture_alt="{year}년 {user}의 GitHub 기여: 날마다 실제로 한 작업, 자동 커밋은 따로 표시",
    mirrors=("미러 제외", "미러 포함"),
    states={"MERGED": "머지됨", "OPEN": "아직 열려 있음", "CLOSED": "머지 없이 닫힘"},
    other_language="기타",
    notices=KOREAN_NOTICES,
)

BY_CODE = {language.code: language for language in (ENGLISH, KOREAN)}
