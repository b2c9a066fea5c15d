"""How Korean developers read names whose spelling does not tell, for choosing a particle.

korean.py reads most names from their spelling: an abbreviation letter by letter ("API"
에이피아이), a word by its sound ("Python" 파이썬). Some names are said otherwise: "MATLAB" is
매트랩, not 엠에이티엘에이비, so it takes "으로" as 랩 does ("MATLAB으로"). This table holds those,
written in Hangul as they are said; the particle follows the reading's last syllable. Names whose
usual readings all end alike are listed too when more than one reading is heard ("SQL" 에스큐엘
or 시퀄: both end in ㄹ), so the choice is written down rather than left to a rule.

A name is found at the end of the text, whole (not inside a longer word), whatever its case.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["READINGS", "reading_of"]

READINGS: Mapping[str, str] = MappingProxyType(
    {
        # spelt as capitals, read as a word
        "MATLAB": "매트랩",
        "BASIC": "베이식",
        "ABAP": "아밥",
        "GNOME": "그놈",
        # read as a word whose sound the spelling rules mistake
        ".NET": "닷넷",
        "Godot": "고도",
        "Starlark": "스타락",
        "wandb": "완디비",
        # more than one reading is heard; both end alike
        "SQL": "시퀄",
        "MySQL": "마이시퀄",
        "R": "알",
        "C": "씨",
        "JSON": "제이슨",
        "YAML": "야믈",
    }
)

_BY_LOWER = {name.lower(): reading for name, reading in READINGS.items()}
_LONGEST = max(len(name) for name in READINGS)


def reading_of(text: str) -> str | None:
    """The reading of the name `text` ends with, when the table has it: "ASP.NET" → 닷넷."""
    lower = text.lower()
    for length in range(min(_LONGEST, len(lower)), 0, -1):
        tail = lower[-length:]
        reading = _BY_LOWER.get(tail)
        if reading is None:
            continue
        before = lower[-length - 1] if len(lower) > length else ""
        if not (before.isalnum() or before == "_") or not tail[0].isalnum():
            return reading
    return None
