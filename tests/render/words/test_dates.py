"""Dates as each language writes them: the post's year left out, any other year named."""

from __future__ import annotations

from datetime import date

import pytest

from devstats.render.words.dates import day, month, month_runs, months_span, span


@pytest.mark.parametrize(
    ("value", "english", "korean"),
    [
        (date(2022, 12, 14), "Dec 14", "12월 14일"),
        (date(2022, 1, 1), "Jan 1", "1월 1일"),
        (date(2021, 9, 22), "Sep 22, 2021", "2021년 9월 22일"),
        (date(2023, 1, 3), "Jan 3, 2023", "2023년 1월 3일"),
    ],
)
def test_a_day(value: date, english: str, korean: str) -> None:
    assert day(value, "en", 2022) == english
    assert day(value, "ko", 2022) == korean


@pytest.mark.parametrize(
    ("start", "end", "english", "korean"),
    [
        (date(2022, 11, 22), date(2022, 12, 7), "Nov 22 – Dec 7", "11월 22일 ~ 12월 7일"),
        (date(2022, 11, 1), date(2022, 11, 30), "Nov 1–30", "11월 1일 ~ 30일"),
        (date(2022, 6, 3), date(2022, 6, 3), "Jun 3", "6월 3일"),
        (
            date(2021, 9, 22),
            date(2022, 12, 14),
            "Sep 22, 2021 – Dec 14, 2022",
            "2021년 9월 22일 ~ 2022년 12월 14일",
        ),
        (
            date(2022, 12, 20),
            date(2023, 1, 3),
            "Dec 20, 2022 – Jan 3, 2023",
            "2022년 12월 20일 ~ 2023년 1월 3일",
        ),
        (date(2021, 3, 1), date(2021, 3, 31), "Mar 1–31, 2021", "2021년 3월 1일 ~ 31일"),
        (date(2021, 3, 1), date(2021, 4, 3), "Mar 1 – Apr 3, 2021", "2021년 3월 1일 ~ 4월 3일"),
    ],
)
def test_a_span(start: date, end: date, english: str, korean: str) -> None:
    assert span(start, end, "en", 2022) == english
    assert span(start, end, "ko", 2022) == korean


def test_months() -> None:
    assert (month(11, "en"), month(11, "en", short=True), month(11, "ko")) == (
        "November",
        "Nov",
        "11월",
    )
    assert (months_span(1, 6, "en"), months_span(1, 6, "ko")) == ("Jan–Jun", "1~6월")
    assert (months_span(12, 12, "en"), months_span(12, 12, "ko")) == ("Dec", "12월")
    assert month_runs([5, 1, 2, 3, 12], "en") == ["Jan–Mar", "May", "Dec"]
    assert month_runs([7, 8, 9, 10, 11], "ko") == ["7~11월"]
