"""What every picture is made of: its themes and font stack, XML-escaped text and attributes, text
measured well enough to lay out a legend, and the opening and closing of an `<svg>` document.

Every text that reaches a picture (a package name comes from someone else) goes through `esc`.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

# Latin system faces first; then Korean faces (Linux, macOS, Windows, and Nanum, common on Korean
# Linux desktops) before any generic family, so Hangul does not depend on the viewer's fallback;
# then the faces a bare Linux box or a CI runner has, which PNG rendering resolves the stack to.
FONT_STACK = (
    "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'Noto Sans', 'Noto Sans CJK KR', "
    "'Apple SD Gothic Neo', 'Malgun Gothic', NanumGothic, Helvetica, Arial, 'Liberation Sans', "
    "'DejaVu Sans', sans-serif"
)


@dataclass(frozen=True)
class Theme:
    background: str
    title: str  # titles and values
    muted: str  # labels, notes
    grid: str
    axis: str  # the zero line
    bar: str
    unknown: str  # hatch and dashed outline of a month nobody knows
    levels: tuple[str, str, str, str, str]  # real contributions: none, then 4 steps
    automated: tuple[str, str, str, str, str]  # days a week with automated commits: 0, then 4
    marker: str  # the ring around the busiest day


# Greens are GitHub's own contribution colours, so the heatmap sits naturally next to a profile;
# the rest are GitHub's Primer neutrals, accent blue and attention amber.
THEMES: dict[str, Theme] = {
    "light": Theme(
        background="#ffffff",
        title="#1f2328",
        muted="#59636e",
        grid="#d1d9e0",
        axis="#818b98",
        bar="#0969da",
        unknown="#afb8c1",
        levels=("#ebedf0", "#9be9a8", "#40c463", "#30a14e", "#216e39"),
        automated=("#ebedf0", "#f5d77f", "#e0b43c", "#bf8700", "#875e00"),
        marker="#cf222e",
    ),
    "dark": Theme(
        background="#0d1117",
        title="#f0f6fc",
        muted="#9198a1",
        grid="#2f353d",
        axis="#656c76",
        bar="#4493f8",
        unknown="#545d68",
        levels=("#161b22", "#0e4429", "#006d32", "#26a641", "#39d353"),
        automated=("#161b22", "#5a3e00", "#8a6100", "#c69026", "#e3b341"),
        marker="#ff7b72",
    ),
}

PADDING = 16
TITLE_SIZE = 16
TEXT_SIZE = 12
SMALL_SIZE = 11


def palette(theme: str) -> Theme:
    if theme not in THEMES:
        raise ValueError(f"unknown theme {theme!r}: light or dark")
    return THEMES[theme]


# Characters XML 1.0 does not allow at all, even escaped: one of them in a package name would
# leave the whole document unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BREAKS = re.compile(r"\s+")


def clean(value: str) -> str:
    return _BREAKS.sub(" ", _NOT_XML.sub("", value)).strip()


def esc(value: object) -> str:
    return html.escape(clean(str(value)), quote=True)


def attrs(**values: object) -> str:
    """XML attributes; a trailing underscore is dropped and other underscores become dashes."""
    return " ".join(
        f'{key.rstrip("_").replace("_", "-")}="{esc(value)}"' for key, value in values.items()
    )


def text(content: str, **attributes: object) -> str:
    return f"<text {attrs(**attributes)}>{esc(content)}</text>"


def coordinate(value: float) -> str:
    """A coordinate: whole numbers without ".0", others to two decimals."""
    rounded = round(value, 2)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded}"


def _is_wide(char: str) -> bool:
    code = ord(char)
    return (
        0x1100 <= code <= 0x11FF  # Hangul jamo
        or 0x2E80 <= code <= 0x9FFF  # CJK radicals, kana, ideographs
        or 0xAC00 <= code <= 0xD7AF  # Hangul syllables
        or 0xF900 <= code <= 0xFAFF
        or 0xFF00 <= code <= 0xFF60
    )


def text_width(content: str, size: float) -> float:
    """A generous estimate of how wide `content` is drawn at `size`, for laying out legends.

    SVG has no text measurement, and the font is the viewer's; these are average advances of
    the sans-serif faces in FONT_STACK, rounded up.
    """
    width = 0.0
    for char in content:
        if _is_wide(char):
            width += 1.0
        elif char in " .,:;'|!il()[]":
            width += 0.32
        elif char.isupper() or char in "mwMW%@":
            width += 0.72
        else:
            width += 0.58
    return width * size


def fit(content: str, size: float, room: float) -> str:
    """`content`, shortened with an ellipsis when it would not fit in `room` pixels."""
    if text_width(content, size) <= room:
        return content
    while content and text_width(content + "…", size) > room:
        content = content[:-1]
    return content.rstrip() + "…"


def opening(*, width: int, height: int, title: str, desc: str, theme: Theme, key: str) -> list[str]:
    """The <svg> element with its accessible name and description, and the background."""
    title_id, desc_id = f"{key}-title", f"{key}-desc"
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" '
        f"{attrs(width=width, height=height, viewBox=f'0 0 {width} {height}')} "
        f'role="img" {attrs(aria_labelledby=title_id, aria_describedby=desc_id)}>',
        f"<title {attrs(id=title_id)}>{esc(title)}</title>",
        f"<desc {attrs(id=desc_id)}>{esc(desc)}</desc>",
        f"<rect {attrs(width=width, height=height, fill=theme.background)}/>",
        f"<g {attrs(font_family=FONT_STACK)}>",
    ]


def closing() -> list[str]:
    return ["</g>", "</svg>"]


def heading(title: str, summary: str, theme: Theme, *, room: float) -> list[str]:
    """The picture's title and its one-line summary, top left, each shortened to fit."""
    return [
        text(
            fit(title, TITLE_SIZE, room),
            x=PADDING,
            y=30,
            font_size=TITLE_SIZE,
            font_weight=600,
            fill=theme.title,
        ),
        text(fit(summary, TEXT_SIZE, room), x=PADDING, y=52, font_size=TEXT_SIZE, fill=theme.muted),
    ]
