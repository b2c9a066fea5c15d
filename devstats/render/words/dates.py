"""Dates, spans and months as each language writes them in running text.

A date inside the post's year leaves the year out, as a person writing about that year does
("Dec 14", "12월 14일"); a date in another year names it ("Sep 22, 2021", "2021년 9월 22일").
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

__all__ = ["day", "month", "month_runs", "months_span", "span"]

_SHORT = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_LONG = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def day(value: date, language: str, year: int) -> str:
    """One day: "Dec 14" / "12월 14일" inside `year`, with the year outside it."""
    if language == "ko":
        text = f"{value.month}월 {value.day}일"
        return text if value.year == year else f"{value.year}년 {text}"
    text = f"{_SHORT[value.month - 1]} {value.day}"
    return text if value.year == year else f"{text}, {value.year}"


def span(start: date, end: date, language: str, year: int) -> str:
    """Two days, both included: "Nov 22 – Dec 7" / "11월 22일 ~ 12월 7일". A span across two
    years names both; one in another year names it once; one month is said once ("Nov 1–30",
    "11월 1일 ~ 30일"); a single day is said alone."""
    if start == end:
        return day(start, language, year)
    across = start.year != end.year
    if language == "ko":
        first = f"{start.year}년 " if across or start.year != year else ""
        first += f"{start.month}월 {start.day}일"
        if not across and start.month == end.month:
            return f"{first} ~ {end.day}일"
        last = f"{end.year}년 " if across else ""
        return f"{first} ~ {last}{end.month}월 {end.day}일"
    tail = f", {end.year}" if across or end.year != year else ""
    if not across and start.month == end.month:
        return f"{_SHORT[start.month - 1]} {start.day}–{end.day}{tail}"
    first = f"{_SHORT[start.month - 1]} {start.day}" + (f", {start.year}" if across else "")
    return f"{first} – {_SHORT[end.month - 1]} {end.day}{tail}"


def month(number: int, language: str, *, short: bool = False) -> str:
    """A month's name: "November" (or "Nov") / "11월"."""
    if language == "ko":
        return f"{number}월"
    return (_SHORT if short else _LONG)[number - 1]


def months_span(first: int, last: int, language: str) -> str:
    """Consecutive months of one year: "Jan–Jun" / "1~6월"; one month alone by its name."""
    if first == last:
        return month(first, language, short=True)
    if language == "ko":
        return f"{first}~{last}월"
    return f"{_SHORT[first - 1]}–{_SHORT[last - 1]}"


def month_runs(numbers: Iterable[int], language: str) -> list[str]:
    """Month numbers with consecutive ones as one span: [1, 2, 3, 5] → ["Jan–Mar", "May"]."""
    runs: list[list[int]] = []
    for number in sorted(set(numbers)):
        if runs and runs[-1][-1] == number - 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return [months_span(run[0], run[-1], language) for run in runs]
