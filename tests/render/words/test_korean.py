"""Korean particles follow how the word before them is read: Hangul, numbers, English words and
abbreviations. Each expectation is written out as the word is said aloud."""

from __future__ import annotations

import pytest

from devstats.render.words.korean import Ending, ending, particle, with_particle

V, C, R = Ending.VOWEL, Ending.CONSONANT, Ending.RIEUL


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Hangul: by the last syllable's final consonant.
        ("커밋", C),  # 밋: ㅅ
        ("946개", V),  # 개
        ("1.7k건", C),  # 건: ㄴ
        ("서울", R),  # 울: ㄹ
        ("곳", C),
        ("ㄹ", R),
        # Integers: by the last digit, or by the place their trailing zeros are read as.
        ("1", R),  # 일
        ("2", V),  # 이
        ("3", C),  # 삼
        ("4", V),  # 사
        ("6", C),  # 육
        ("7", R),  # 칠
        ("8", R),  # 팔
        ("9", V),  # 구
        ("0", C),  # 영
        ("10", C),  # 십
        ("20", C),  # 이십
        ("100", C),  # 백
        ("1,000", C),  # 천
        ("10000", C),  # 만
        ("1,314", V),  # 천삼백십사
        ("946", C),  # 구백사십육
        ("2022", V),  # 이천이십이
        ("1000000000000", V),  # 조
        # Decimals and versions: the last digit alone.
        ("2.5", V),  # 이 점 오
        ("v2.0.1", R),  # … 일
        ("3.10", C),  # … 영
        # Units and signs.
        ("1.7k", V),  # 케이
        ("41.6K", V),
        ("1.3M", C),  # 엠
        ("67%", V),  # 퍼센트
        # Abbreviations: letter by letter.
        ("PR", R),  # 피알
        ("API", V),  # 에이피아이
        ("HTML", R),  # …엠엘
        ("CSS", V),  # …에스
        ("PHP", V),  # …피
        ("R", R),  # 알
        ("C", V),  # 씨
        ("PyPI", V),  # 파이피아이
        ("GraphQL", R),  # 그래프큐엘
        ("iOS", V),  # 아이오에스
        ("C++", R),  # 씨쁠쁠
        ("C#", C),  # 씨샵
        # English words, as Korean developers say them.
        ("GitHub", V),  # 깃허브
        ("Python", C),  # 파이썬
        ("Rust", V),  # 러스트
        ("JavaScript", V),  # 자바스크립트
        ("TypeScript", V),
        ("Go", V),  # 고
        ("Java", V),
        ("Kotlin", C),  # 코틀린
        ("Swift", V),  # 스위프트
        ("Ruby", V),
        ("Shell", R),  # 셸
        ("Dockerfile", R),  # 도커파일
        ("Jupyter Notebook", C),  # 노트북
        ("Docker", V),  # 도커
        ("commit", C),  # 커밋
        ("bot", C),  # 봇
        ("Action", C),  # 액션
        ("release", V),  # 릴리스
        ("merge", V),  # 머지
        ("PyTorch", V),  # 파이토치
        ("pytorch_optimizer", V),  # 옵티마이저
        ("Spark", V),  # 스파크
        ("Stack", C),  # 스택
        ("app", C),  # 앱
        ("help", V),  # 헬프
        ("Google", R),  # 구글
        ("time", C),  # 타임
        ("Vue", V),  # 뷰
        ("web", C),  # 웹
        ("layout", C),  # 레이아웃
        ("LaTeX", C),  # 레이텍
        ("catboost-server-rs", V),  # …알에스
    ],
)
def test_how_a_word_ends_aloud(text: str, expected: Ending) -> None:
    assert ending(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("커밋 368개(매일 도는 Action 365개, 봇 3개)", V),  # agrees with 개
        ("**1.7k건**", C),  # markup is not read
        ("Rust.", V),
        ("[Rust]", V),
        ("PR (8개)", R),
    ],
)
def test_what_is_not_read_is_skipped(text: str, expected: Ending) -> None:
    assert ending(text) == expected


@pytest.mark.parametrize(
    ("text", "pair", "expected"),
    [
        ("Rust", "은/는", "Rust는"),
        ("Python", "은/는", "Python은"),
        ("GitHub", "이/가", "GitHub가"),
        ("PR", "을/를", "PR을"),
        ("커밋 946개", "을/를", "커밋 946개를"),
        ("기여 1.7k건", "과/와", "기여 1.7k건과"),
        ("2021년 1.6k건", "과/와", "2021년 1.6k건과"),
        ("PR", "으로/로", "PR로"),  # ㄹ takes 로
        ("Python", "으로/로", "Python으로"),
        ("Go", "으로/로", "Go로"),
        ("커밋 3개", "이다/다", "커밋 3개다"),
        ("기여 1.3k건", "이다/다", "기여 1.3k건이다"),
        ("Rust", "이랑/랑", "Rust랑"),
    ],
)
def test_with_particle(text: str, pair: str, expected: str) -> None:
    assert with_particle(text, pair) == expected


def test_an_unreadable_ending_writes_both_forms() -> None:
    assert ending("★") is Ending.UNKNOWN
    assert ending("") is Ending.UNKNOWN
    assert particle("漢", "을/를") == "을(를)"
    assert with_particle("🙂", "은/는") == "🙂은(는)"


def test_a_malformed_pair_is_refused() -> None:
    for pair in ("은는", "/는", "은/"):
        with pytest.raises(ValueError, match="은/는"):
            particle("Rust", pair)
