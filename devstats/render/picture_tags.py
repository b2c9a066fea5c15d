"""How the Markdown shows a picture: its light and dark files, as `<picture>` or `![alt](…)`."""

from __future__ import annotations

from devstats.render.escape import SafeMarkdown, escape_html, safe_path


def light_and_dark(
    light_path: str | None, dark_path: str | None
) -> tuple[SafeMarkdown, SafeMarkdown] | None:
    """Safe paths of a picture's light and dark files; the light one serves both if alone."""
    if not light_path:
        return None
    light = safe_path(light_path)
    dark = safe_path(dark_path) if dark_path else light
    if light is None or dark is None:
        return None
    return light, dark


def picture_html(
    paths: tuple[SafeMarkdown, SafeMarkdown], alt: str, *, inline: bool = False
) -> SafeMarkdown:
    """A <picture> that GitHub serves as the dark file to readers in dark mode.

    `inline` writes it on one line, so it can sit inside a list item or a sentence.
    """
    light, dark = paths
    parts = [
        "<picture>",
        f'<source media="(prefers-color-scheme: dark)" srcset="{dark}">',
        f'<img alt="{escape_html(alt)}" src="{light}">',
        "</picture>",
    ]
    if inline:
        return SafeMarkdown("".join(parts))
    return SafeMarkdown(f"{parts[0]}\n  {parts[1]}\n  {parts[2]}\n{parts[3]}")
