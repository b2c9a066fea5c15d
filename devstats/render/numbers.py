"""Numbers the way people write them in a yearly review: 1.7k, 41.6K, 1,712, +38%.

All functions are pure. Rounding is half-up (away from zero) on the shown digit, so 1,250,000
reads "1.3M" rather than banker's "1.2M"; a trailing ".0" is dropped ("1k", not "1.0k").
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from fractions import Fraction

# Changes smaller than this (in percent, absolute) read as "about the same".
SAME_BAND_PERCENT = 5

_UNITS = ("", "k", "M", "B", "T")


def _round_half_up(value: Fraction | Decimal, places: int) -> Decimal:
    exponent = Decimal(1).scaleb(-places)
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return value.quantize(exponent, rounding=ROUND_HALF_UP)


def compact(value: int, *, upper: bool = False) -> str:
    """1712 -> "1.7k", 41600 -> "41.6K" (upper), 950 -> "950", 1_250_000 -> "1.3M"."""
    if value < 0:
        return "-" + compact(-value, upper=upper)
    if value < 1000:
        return str(value)
    unit = 0
    scaled = Fraction(value)
    while scaled >= 1000 and unit < len(_UNITS) - 1:
        scaled /= 1000
        unit += 1
    shown = _round_half_up(scaled, 1)
    # 999,950 rounds to "1000.0k": carry into the next unit so it reads "1M".
    if shown >= 1000 and unit < len(_UNITS) - 1:
        unit += 1
        shown = _round_half_up(Fraction(value, 1000**unit), 1)
    text = f"{shown:f}"
    if text.endswith(".0"):
        text = text[:-2]
    suffix = _UNITS[unit]
    if upper:
        suffix = suffix.upper()
    return text + suffix


def number(value: int) -> str:
    """Exact count with thousands separators: 1712 -> "1,712"."""
    return f"{value:,}"


def percent(part: int, whole: int) -> str | None:
    """Share of a whole, rounded half-up to a whole percent: (365, 1712) -> "21%".

    None when the whole is zero: a share of nothing has no meaningful value.
    """
    if whole == 0:
        return None
    shown = _round_half_up(Fraction(part * 100, whole), 0)
    return f"{shown:f}%"


class Trend(Enum):
    """How this year's figure compares with last year's."""

    UP = "up"
    DOWN = "down"
    SAME = "same"
    UNKNOWN = "unknown"  # either figure missing, or last year was zero


def change_percent(current: int, previous: int) -> Fraction | None:
    """Exact relative change in percent; None when the previous figure is zero."""
    if previous == 0:
        return None
    return Fraction((current - previous) * 100, previous)


def delta_percent(current: int | None, previous: int | None) -> str | None:
    """Signed change rounded half-up to a whole percent: (1712, 1240) -> "+38%".

    None when either figure is unknown or the previous one is zero.
    """
    if current is None or previous is None:
        return None
    change = change_percent(current, previous)
    if change is None:
        return None
    shown = _round_half_up(abs(change), 0)
    if shown == 0:
        return "±0%"
    sign = "+" if change > 0 else "-"
    return f"{sign}{shown:f}%"


def trend(current: int | None, previous: int | None) -> Trend:
    """UP/DOWN, or SAME when the change is within ±5% (exclusive); UNKNOWN without a base."""
    if current is None or previous is None:
        return Trend.UNKNOWN
    change = change_percent(current, previous)
    if change is None:
        return Trend.UNKNOWN
    if abs(change) < SAME_BAND_PERCENT:
        return Trend.SAME
    return Trend.UP if change > 0 else Trend.DOWN
