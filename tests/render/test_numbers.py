"""Number style: compact counts, exact counts, shares and year-on-year changes."""

from __future__ import annotations

import pytest

from devstats.render.numbers import Trend, compact, delta_percent, number, percent, trend


@pytest.mark.parametrize(
    ("value", "lower", "upper"),
    [
        (0, "0", "0"),
        (950, "950", "950"),
        (999, "999", "999"),
        (1000, "1k", "1K"),
        (1049, "1k", "1K"),
        (1050, "1.1k", "1.1K"),  # half-up, not half-even
        (1712, "1.7k", "1.7K"),
        (41_600, "41.6k", "41.6K"),
        (999_949, "999.9k", "999.9K"),
        (999_950, "1M", "1M"),  # rounds up into the next unit
        (1_250_000, "1.3M", "1.3M"),
        (2_000_000, "2M", "2M"),
        (3_450_000_000, "3.5B", "3.5B"),
        (-1712, "-1.7k", "-1.7K"),
    ],
)
def test_compact(value: int, lower: str, upper: str) -> None:
    assert compact(value) == lower
    assert compact(value, upper=True) == upper


def test_compact_agrees_with_integer_half_up_rounding_for_thousands() -> None:
    # Independent reference: tenths of a thousand, rounded half-up with integer arithmetic.
    for value in range(1000, 999_950, 37):
        tenths = (value + 50) // 100
        expected = f"{tenths // 10}" if tenths % 10 == 0 else f"{tenths // 10}.{tenths % 10}"
        assert compact(value) == expected + "k", value


def test_number_groups_thousands() -> None:
    assert number(1712) == "1,712"
    assert number(950) == "950"
    assert number(1_250_000) == "1,250,000"


def test_percent_share() -> None:
    assert percent(365, 1712) == "21%"
    assert percent(1, 8) == "13%"  # 12.5 rounds half-up
    assert percent(0, 10) == "0%"
    assert percent(3, 0) is None


@pytest.mark.parametrize(
    ("current", "previous", "text", "direction"),
    [
        (1712, 1240, "+38%", Trend.UP),
        (1240, 1712, "-28%", Trend.DOWN),
        (100, 100, "±0%", Trend.SAME),
        (104, 100, "+4%", Trend.SAME),
        (96, 100, "-4%", Trend.SAME),
        (105, 100, "+5%", Trend.UP),  # the "same" band is |change| < 5%
        (95, 100, "-5%", Trend.DOWN),
        (1001, 1000, "±0%", Trend.SAME),
        (5, 0, None, Trend.UNKNOWN),
        (None, 10, None, Trend.UNKNOWN),
        (10, None, None, Trend.UNKNOWN),
    ],
)
def test_delta_and_trend(
    current: int | None, previous: int | None, text: str | None, direction: Trend
) -> None:
    assert delta_percent(current, previous) == text
    assert trend(current, previous) is direction


def test_delta_rounds_half_up_away_from_zero() -> None:
    assert delta_percent(1005, 1000) == "+1%"  # +0.5%
    assert delta_percent(995, 1000) == "-1%"  # -0.5%
