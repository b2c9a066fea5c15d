"""A time zone is named in the reader's words, not as the IANA database spells it."""

from __future__ import annotations

import pytest

from devstats.render.words.zones import zone_words


@pytest.mark.parametrize(
    ("zone", "english", "korean"),
    [
        ("Asia/Seoul", "KST", "한국 시간"),  # one abbreviation all year
        ("Asia/Tokyo", "JST", "일본 시간"),
        ("Europe/Berlin", "Berlin time", "베를린 시간"),  # CET and CEST: named by the city
        ("America/New_York", "New York time", "뉴욕 시간"),
        ("Asia/Shanghai", "China time", "중국 시간"),  # "CST" is also Chicago's
        ("Asia/Dubai", "Dubai time", "Dubai 시간"),  # its abbreviation is "+04", not a name
        ("America/Argentina/Buenos_Aires", "Buenos Aires time", "Buenos Aires 시간"),
        ("UTC", "UTC", "UTC"),
    ],
)
def test_a_zone_in_the_readers_words(zone: str, english: str, korean: str) -> None:
    assert zone_words(zone, "en", 2022) == english
    assert zone_words(zone, "ko", 2022) == korean


def test_an_abbreviation_is_read_in_the_year_asked_for() -> None:
    # Pyongyang kept +08:30 ("KST") from 2015 to 2018 and +09:00 ("KST") before and after.
    assert zone_words("Asia/Pyongyang", "en", 2017) == "KST"
    # Moscow was "MSK" all year in 2022 but "MSK"/"MSD" in 2010.
    assert zone_words("Europe/Moscow", "en", 2022) == "MSK"
    assert zone_words("Europe/Moscow", "en", 2010) == "Moscow time"
