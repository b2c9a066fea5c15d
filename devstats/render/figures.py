"""A count in every form a sentence may want ("1.7k", "41.6K", "1,712"), or "unknown"."""

from __future__ import annotations

from dataclasses import dataclass

from devstats.render import numbers
from devstats.render.words.labels import Language


@dataclass(frozen=True)
class Figure:
    """One count in every form a sentence may want; prints as the compact form ("1.7k").

    `value` is None when the count is unknown: then every text form reads "unknown" in the
    report's language and `known` is False, so a template can leave the sentence out.
    """

    value: int | None
    compact: str
    upper: str  # "41.6K", the style often used for download counts
    exact: str  # "1,712"
    known: bool

    def __str__(self) -> str:
        return self.compact


def figure(value: int | None, language: Language) -> Figure:
    if value is None:
        return Figure(None, language.unknown, language.unknown, language.unknown, False)
    return Figure(
        value,
        numbers.compact(value),
        numbers.compact(value, upper=True),
        numbers.number(value),
        True,
    )
