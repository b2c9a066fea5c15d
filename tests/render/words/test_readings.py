"""Names Korean developers read otherwise than they are spelt take the particle of their reading."""

from __future__ import annotations

import pytest

from devstats.render.words.korean import Ending, ending, with_particle
from devstats.render.words.readings import READINGS, reading_of


def test_every_reading_is_written_in_hangul_syllables() -> None:
    for name, reading in READINGS.items():
        assert reading and all(0xAC00 <= ord(c) <= 0xD7A3 for c in reading), name


@pytest.mark.parametrize(
    ("text", "pair", "expected"),
    [
        # 매트랩: ㅂ, so 으로 — the letters M-A-T-L-A-B would end in 비 and take 로
        ("MATLAB", "으로/로", "MATLAB으로"),
        ("Matlab", "으로/로", "Matlab으로"),
        ("MATLAB", "은/는", "MATLAB은"),
        ("BASIC", "으로/로", "BASIC으로"),  # 베이식, not …씨
        ("ABAP", "을/를", "ABAP을"),  # 아밥, not …피
        ("GNOME", "이/가", "GNOME이"),  # 그놈, not …이
        ("ASP.NET", "은/는", "ASP.NET은"),  # 닷넷, not …티
        (".NET", "으로/로", ".NET으로"),
        ("Godot", "으로/로", "Godot로"),  # 고도: the t is silent
        ("SQL", "으로/로", "SQL로"),  # 시퀄 or 에스큐엘: ㄹ takes 로
        ("SQL", "은/는", "SQL은"),
        ("MySQL", "을/를", "MySQL을"),
        ("R", "으로/로", "R로"),  # 알
        ("R", "이/가", "R이"),
        ("C", "으로/로", "C로"),  # 씨
        ("Objective-C", "은/는", "Objective-C는"),
        ("C++", "으로/로", "C++로"),  # 씨쁠쁠, by korean.py's own rule
    ],
)
def test_a_name_takes_the_particle_of_its_reading(text: str, pair: str, expected: str) -> None:
    assert with_particle(text, pair) == expected


def test_a_name_is_read_only_when_whole() -> None:
    assert reading_of("ASP.NET") == "닷넷"
    assert reading_of("Objective-C") == "씨"
    assert reading_of("snake_c") is None  # "c" is part of a longer name
    assert reading_of("NoSQL") is None  # 노에스큐엘, left to the spelling rules
    assert ending("NoSQL") is Ending.RIEUL
    assert reading_of("Python") is None
    assert ending("Python으로 만든 MATLAB") is Ending.CONSONANT
