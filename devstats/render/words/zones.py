"""A time zone named as the post's reader says it: "KST", "Berlin time", "한국 시간".

The IANA name (Asia/Seoul) is for the JSON and the notes; a reader knows a zone by its country or
city, or by its abbreviation where one is used all year.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["zone_words"]

# Korean names of the zones Korean readers meet most; any other is named by its city as the
# IANA name spells it ("Europe/Madrid" → "Madrid 시간").
_KOREAN = {
    "UTC": "UTC",
    "Asia/Seoul": "한국 시간",
    "Asia/Tokyo": "일본 시간",
    "Asia/Shanghai": "중국 시간",
    "Asia/Taipei": "대만 시간",
    "Asia/Hong_Kong": "홍콩 시간",
    "Asia/Singapore": "싱가포르 시간",
    "Asia/Kolkata": "인도 시간",
    "Asia/Ho_Chi_Minh": "베트남 시간",
    "Europe/London": "런던 시간",
    "Europe/Berlin": "베를린 시간",
    "Europe/Paris": "파리 시간",
    "America/New_York": "뉴욕 시간",
    "America/Chicago": "시카고 시간",
    "America/Denver": "덴버 시간",
    "America/Los_Angeles": "LA 시간",
    "Australia/Sydney": "시드니 시간",
}

# Abbreviations that name more than one zone ("CST" is also Chicago's, "IST" also Dublin's and
# Jerusalem's): those zones are named by their country instead.
_ENGLISH = {
    "Asia/Shanghai": "China time",
    "Asia/Taipei": "Taiwan time",
    "Asia/Kolkata": "India time",
    "Asia/Jerusalem": "Israel time",
}


def _city(name: str) -> str:
    return name.rsplit("/", 1)[-1].replace("_", " ")


def _abbreviation(name: str, year: int) -> str | None:
    """The zone's abbreviation when it keeps one, made of letters, all year ("KST", "JST")."""
    try:
        zone = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    names = {datetime(year, month, 1, 12, tzinfo=UTC).astimezone(zone).tzname() for month in (1, 7)}
    if len(names) != 1:
        return None
    (only,) = names
    return only if only and only.isalpha() else None


def zone_words(name: str, language: str, year: int) -> str:
    """How a post in `language` ("en", "ko") names the IANA zone `name` for `year`."""
    if name == "UTC":
        return "UTC"
    if language == "ko":
        return _KOREAN.get(name) or f"{_city(name)} 시간"
    return _ENGLISH.get(name) or _abbreviation(name, year) or f"{_city(name)} time"
