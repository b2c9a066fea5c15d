"""Korean particles (조사) chosen by how the word before them is read aloud.

A particle pair such as 은/는 takes its first form after a syllable that ends in a consonant (a
받침) and its second after a vowel; 으로/로 also takes 로 after ㄹ ("서울로", "PR로"). Hangul
decides by its last syllable; numbers, English words and abbreviations by how a Korean developer
says them: "3" 삼, "10" 십, "1,000" 천, "v2.0.1" …일, "GitHub" 깃허브, "PR" 피알, "API"
에이피아이, "Python" 파이썬, "Rust" 러스트, "commit" 커밋.

Names said otherwise than spelt ("MATLAB" 매트랩, ".NET" 닷넷) are read from the table in
readings.py.

A trailing parenthesis is skipped, as Korean writing does: the particle after "커밋 368개(…)"
agrees with 개. When the reading cannot be told (a Hanja character, an emoji), both forms are
written, "을(를)", as Korean software does.
"""

from __future__ import annotations

import re
from enum import Enum

from devstats.render.words.readings import reading_of

__all__ = ["Ending", "ending", "particle", "with_particle"]


class Ending(Enum):
    VOWEL = "vowel"
    CONSONANT = "consonant"  # any 받침 but ㄹ
    RIEUL = "rieul"  # ㄹ: a consonant for 은/는, 이/가 …, but 로 rather than 으로
    UNKNOWN = "unknown"


_V, _C, _R = Ending.VOWEL, Ending.CONSONANT, Ending.RIEUL

# 영 일 이 삼 사 오 육 칠 팔 구
_DIGITS = (_C, _R, _V, _C, _V, _V, _C, _R, _R, _V)
# The place a run of trailing zeros is read as: 십, 백, 천, then 만 (up to 천만), 억, 조, 경.
_PLACES = ((1, _C), (2, _C), (3, _C), (7, _C), (11, _C), (15, _V), (19, _C))
# Latin letters by their Korean names: 에이, 비, 씨, 디, 이, 에프, 지, 에이치, 아이, 제이,
# 케이, 엘, 엠, 엔, 오, 피, 큐, 알, 에스, 티, 유, 브이, 더블유, 엑스, 와이, 제트.
_LETTERS = {
    letter: {"V": _V, "C": _C, "R": _R}[reading]
    for letter, reading in zip(
        "abcdefghijklmnopqrstuvwxyz", "VVVVVVVVVVVRCCVVVRVVVVVVVV", strict=True
    )
}
# Word endings whose reading the spelling rules below get wrong: 깃허브, 도커허브; 아웃,
# 레이아웃; 텍, 레이텍.
_READ_AS = (("hub", _V), ("out", _C), ("tex", _C))
_VOWEL_LETTERS = frozenset("aeiouy")
_SKIPPED = " \t\n*_`'\"”’」』>].,!?:;~"
_NUMBER = re.compile(r"[0-9][0-9,.]*$")
_WORD = re.compile(r"[A-Za-z]+$")


def _strip(text: str) -> str:
    """The text without what is not read before a particle: closing punctuation, markup, and
    a parenthesised remark at the end."""
    while True:
        text = text.rstrip(_SKIPPED)
        if text.endswith(")") and "(" in text:
            depth = 0
            for index in range(len(text) - 1, -1, -1):
                depth += {")": 1, "(": -1}.get(text[index], 0)
                if depth == 0:
                    text = text[:index]
                    break
            else:
                return text.rstrip(")")
            continue
        return text


def _hangul(char: str) -> Ending | None:
    code = ord(char)
    if 0xAC00 <= code <= 0xD7A3:
        final = (code - 0xAC00) % 28
        return _V if final == 0 else (_R if final == 8 else _C)
    if 0x3131 <= code <= 0x314E:  # a lone consonant letter, ㄱ … ㅎ
        return _R if char == "ㄹ" else _C
    if 0x314F <= code <= 0x3163:  # a lone vowel letter
        return _V
    return None


def _number(digits: str) -> Ending:
    """How a number ends aloud: a decimal by its last digit, an integer by its place ("20" 이십)."""
    if "." in digits:
        return _DIGITS[int(digits.rstrip(".")[-1])]
    plain = digits.replace(",", "")
    if int(plain) == 0:
        return _DIGITS[0]
    zeros = len(plain) - len(plain.rstrip("0"))
    if zeros == 0:
        return _DIGITS[int(plain[-1])]
    for up_to, place in _PLACES:
        if zeros <= up_to:
            return place
    return _C


def _abbreviation(word: str) -> bool:
    """Read letter by letter: "PR", "API", and a word ending in capitals such as "PyPI"."""
    if len(word) == 1:
        return True
    tail = len(word) - len(word.rstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    return tail >= 2 or (tail == len(word))


def _english(word: str) -> Ending:
    """How a Korean developer ends an English word aloud, from its spelling."""
    lower = word.lower()
    if _abbreviation(word):
        return _LETTERS[lower[-1]]
    for suffix, reading in _READ_AS:
        if lower.endswith(suffix):
            return reading
    last = lower[-1]
    before = lower[-2] if len(lower) > 1 else ""
    earlier = lower[-3] if len(lower) > 2 else ""
    if lower.endswith("ng") or last in "mn":
        return _C  # 싱, 파이썬, 엘름
    if last == "l" or lower.endswith("le"):
        return _R  # 툴, 셸, 모듈, 구글
    if lower.endswith(("me", "ne")):
        return _C  # 타임, 라인
    if last in "kpc":
        # 스택, 노트북, 앱, 그룹, 매직 — but 스파크, 헬프, 싱크 after another consonant
        return _C if before in _VOWEL_LETTERS or before == last or before == "c" else _V
    if last == "t":
        # 커밋, 봇, 챗 — but 러스트, 스크립트, 부트
        return _C if before in _VOWEL_LETTERS and earlier not in _VOWEL_LETTERS else _V
    if last == "b":
        return _C  # 웹, 랩, 잡
    return _V  # vowels, and endings read with ㅡ or a vowel: 도커, 버그, 클라우드, 파이토치


def ending(text: str) -> Ending:
    """How `text` ends when read aloud, for choosing the particle after it."""
    text = _strip(str(text))
    if not text:
        return Ending.UNKNOWN
    reading = reading_of(text)
    if reading is not None:
        return _hangul(reading[-1]) or Ending.UNKNOWN
    if text.endswith("++"):
        return _R  # 씨쁠쁠
    if text.endswith("#"):
        return _C  # 씨샵
    if text.endswith("%"):
        return _V  # 퍼센트
    hangul = _hangul(text[-1])
    if hangul is not None:
        return hangul
    number = _NUMBER.search(text)
    if number and number.group()[-1].isdigit():
        return _number(number.group())
    word = _WORD.search(text)
    if word:
        return _english(word.group())
    return Ending.UNKNOWN


def particle(text: str, pair: str) -> str:
    """The form of `pair` ("은/는", "이/가", "을/를", "과/와", "으로/로", "이다/다", …: the form
    after a consonant first) that follows `text`."""
    after_consonant, slash, after_vowel = pair.partition("/")
    if not slash or not after_consonant or not after_vowel:
        raise ValueError(f"a particle pair is written like '은/는', not {pair!r}")
    found = ending(text)
    if found is Ending.UNKNOWN:
        return f"{after_consonant}({after_vowel})"
    if found is Ending.VOWEL or (found is Ending.RIEUL and after_consonant == "으로"):
        return after_vowel
    return after_consonant


def with_particle(text: str, pair: str) -> str:
    """`text` followed by its particle: ("Rust", "은/는") -> "Rust는"."""
    return f"{text}{particle(text, pair)}"
