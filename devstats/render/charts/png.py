"""PNG copies of the SVG pictures, for blogs and sites that do not take SVG.

The renderer is resvg (through the resvg-py binding), installed with the optional extra
`devstats-year[png]`: its wheels carry the whole renderer, so nothing is needed from the operating
system (see docs/decisions.md). It is imported only when a PNG is asked for.

Text is drawn with the fonts installed on the machine that renders: the pictures' font stack
names Korean faces, but Hangul only shows where one of them (or another face with Hangul, found
by resvg's fallback) is installed, such as `fonts-noto-cjk` on Debian and Ubuntu. Without one,
resvg draws boxes or nothing and says nothing; so `require_hangul_font` asks `draws` first, and a
run that would write such pictures stops with exit 2 before anything is written (devstats ships
no font: see docs/decisions.md, "Pictures in a run").
"""

from __future__ import annotations

import math
import re
from html import escape
from types import ModuleType
from typing import Any

from devstats.model.errors import PublishError, UsageError
from devstats.render.charts.svg_text import FONT_STACK

MAX_SCALE = 8.0


def _renderer() -> ModuleType:
    try:
        import resvg_py  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        raise UsageError(
            "PNG pictures need the resvg renderer", hint="install devstats-year[png]"
        ) from None
    return resvg_py


def require_renderer(*, hangul: bool = False) -> None:
    """A UsageError saying what to install, when PNG pictures cannot be rendered here (with
    `hangul`: with their Korean text drawn)."""
    _renderer()
    if hangul:
        require_hangul_font()


# Hangul syllables, and the jamo they are made of
_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")


def has_hangul(text: str) -> bool:
    return _HANGUL.search(text) is not None


def require_hangul_font() -> None:
    """A UsageError naming the fix, when no font on this machine draws Hangul."""
    if not draws("한글", font_family=FONT_STACK):
        raise UsageError(
            "no font on this machine draws Hangul, so the Korean text of the PNG pictures "
            "would be boxes",
            hint="install a font with Hangul, such as Noto Sans CJK (apt-get install "
            "fonts-noto-cjk on Debian and Ubuntu), or use --assets-format svg",
        )


def svg_to_png(svg: str, *, scale: float = 2.0) -> bytes:
    """The picture as PNG bytes, `scale` pixels per SVG unit (2 for sharp text on high-density
    screens)."""
    if not math.isfinite(scale) or not 0 < scale <= MAX_SCALE:
        raise UsageError(f"PNG scale must be above 0 and at most {MAX_SCALE:g}, not {scale}")
    renderer = _renderer()
    try:
        png = renderer.svg_to_bytes(svg_string=svg, zoom=scale)
    except ValueError as error:  # resvg's way of refusing a document
        raise PublishError(f"cannot render the picture as PNG: {error}") from None
    return bytes(png)


# Unassigned in Unicode: no font has a glyph for them, so every renderer draws its "missing
# glyph" box (or nothing) for them.
_NO_GLYPH = "\u0378"


def draws(text: str, *, font_family: str, **fonts: Any) -> bool:
    """Whether resvg, with the fonts it finds (`fonts`: its font options), has glyphs for `text`
    in `font_family`. resvg says nothing about a character no font has: it draws the font's
    missing-glyph box, or nothing. So `text` is drawn beside as many characters that no font has:
    the two pictures are the same exactly when `text` had no glyphs either."""
    renderer = _renderer()

    def picture(content: str) -> bytes:
        svg = (
            '<svg xmlns="http://www.w3.org/2000/svg" width="160" height="32">'
            f'<text x="4" y="24" font-size="20" font-family="{escape(font_family)}">'
            f"{escape(content)}</text></svg>"
        )
        return bytes(renderer.svg_to_bytes(svg_string=svg, **fonts))

    return picture(text) != picture(_NO_GLYPH * len(text))
