"""The picture files `--assets-format svg|png|both` asks for: file name -> bytes, nothing written.

Pictures arrive as SVG text under a name without extension ("heatmap-light"); the publish step
writes what this returns. PNG copies of pictures with Korean text are refused (UsageError, exit 2)
where no font draws Hangul: this runs before the publish step, so nothing is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from devstats.model.errors import UsageError
from devstats.render.charts.png import has_hangul, require_hangul_font, svg_to_png

AssetFormat = Literal["svg", "png", "both"]
ASSET_FORMATS: tuple[AssetFormat, ...] = ("svg", "png", "both")


def linked_extension(assets_format: str) -> str:
    """The extension the Markdown links: PNG only when no SVG is written."""
    return "png" if assets_format == "png" else "svg"


def asset_files(
    pictures: Mapping[str, str], *, assets_format: str, scale: float = 2.0
) -> dict[str, bytes]:
    """`name.svg` and/or `name.png` for every picture, in the order given."""
    if assets_format not in ASSET_FORMATS:
        raise UsageError(f"unknown assets format {assets_format!r}: svg, png or both")
    files: dict[str, bytes] = {}
    if assets_format != "svg" and any(has_hangul(svg) for svg in pictures.values()):
        require_hangul_font()
    for name, svg in pictures.items():
        if assets_format in ("svg", "both"):
            files[f"{name}.svg"] = svg.encode("utf-8")
        if assets_format in ("png", "both"):
            files[f"{name}.png"] = svg_to_png(svg, scale=scale)
    return files
