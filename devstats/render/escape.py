"""Make upstream text inert in Markdown and in the HTML that Markdown may carry.

Repository names, pull-request titles and package names come from other people. They end up in a
README that GitHub renders, inside tables, link texts and `<img alt="...">` attributes, and
between `<!-- devstats:start -->` / `<!-- devstats:end -->` markers. So the escaping covers
both languages at once: HTML specials become entities (no tag, comment or marker survives),
Markdown punctuation gets a backslash (no link, emphasis, table cell or code span can be
opened), and line breaks collapse into spaces (no new block can start).

`SafeMarkdown` marks text that is already escaped or was written by devstats itself; the
Markdown renderer escapes every other string it outputs (see devstats/render/markdown.py).
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

# Everything CommonMark lets a backslash escape that can open or close inline or block syntax.
# "." "-" "+" and digits only matter at the start of a line (lists), handled separately.
# Parentheses need no escape: "[" and "]" are escaped, so no "](" can ever open a destination.
_MARKDOWN_PUNCTUATION = frozenset("\\`*_{}[]#!|~$")
_HTML_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
# A lone "&" renders as itself in Markdown and HTML; only one that could start a character
# reference ("&lt;", "&#60;") must become "&amp;".
_REFERENCE_AFTER = re.compile(r"#?[A-Za-z0-9]+;")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x85]+")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# A list marker only counts when followed by a space or the end of the line ("1.7k" is no list);
# a run of "-" or "=" could underline the previous line into a heading.
_LIST_START = re.compile(r"^(\s*)(?:([-+=])(?=[\s=-]|$)|(\d{1,9})([.)])(?=\s|$))")

# Characters kept as they are in a URL written into Markdown or an HTML attribute. Everything
# else (spaces, parentheses, quotes, "<", ">", "|", backticks, "*", "_", non-ASCII) is
# percent-encoded, so the URL cannot end a link destination, a table cell or an attribute.
_URL_SAFE_CHARS = "/:?=&%#@!$,;+-.~"
_REPOSITORY_NAME = re.compile(r"[A-Za-z0-9-]+/[A-Za-z0-9_.-]+")
_LOGIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})")


class SafeMarkdown(str):
    """Text that may be written into the Markdown as it is.

    Any operation on it (concatenation, formatting) yields a plain ``str`` again, which the
    renderer escapes: a derived string is never trusted by accident.
    """

    __slots__ = ()


def escape_markdown(text: str) -> SafeMarkdown:
    """Escape `text` so it renders literally in Markdown, in a table cell and in HTML."""
    if isinstance(text, SafeMarkdown):
        return text
    flat = _CONTROL.sub("", _LINE_BREAKS.sub(" ", text))
    out: list[str] = []
    for index, char in enumerate(flat):
        if char == "&" and not _REFERENCE_AFTER.match(flat, index + 1):
            out.append(char)
        elif char in _HTML_ENTITIES:
            out.append(_HTML_ENTITIES[char])
        elif char in _MARKDOWN_PUNCTUATION:
            out.append("\\" + char)
        else:
            out.append(char)
    escaped = "".join(out)
    # "- x", "+ x", "1. x" or "= x" at the very start would begin a list or a heading underline
    # when the text opens a line of the output.
    escaped = _LIST_START.sub(_escape_list_start, escaped, count=1)
    return SafeMarkdown(escaped)


def _escape_list_start(match: re.Match[str]) -> str:
    indent, bullet, digits, delimiter = match.groups()
    if bullet is not None:
        return f"{indent}\\{bullet}"
    return f"{indent}{digits}\\{delimiter}"


def escape_html(text: str) -> SafeMarkdown:
    """Escape for an HTML text node or a double-quoted attribute (no Markdown escaping)."""
    flat = _CONTROL.sub("", _LINE_BREAKS.sub(" ", text))
    return SafeMarkdown("".join(_HTML_ENTITIES.get(char, char) for char in flat))


def safe_url(url: str | None) -> SafeMarkdown | None:
    """An http(s) URL made safe to write into a link or an attribute, or None to drop the link.

    Anything else (javascript:, data:, relative or scheme-less URLs, URLs with whitespace or
    control characters, credentials in the authority) is refused.
    """
    if not url or any(ord(char) <= 0x20 or ord(char) == 0x7F for char in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    if "@" in parts.netloc:
        return None
    return SafeMarkdown(quote(url, safe=_URL_SAFE_CHARS).replace("&", "&amp;"))


def safe_path(path: str) -> SafeMarkdown | None:
    """A relative asset path (or an http(s) URL) made safe for a link or an attribute.

    Refuses any other scheme, so an asset mapping cannot smuggle `javascript:` into the page.
    """
    if "://" in path or ":" in path.split("/", 1)[0]:
        return safe_url(path)
    if not path or any(ord(char) < 0x20 or ord(char) == 0x7F for char in path):
        return None
    return SafeMarkdown(quote(path, safe="/-._~"))


def github_url(name: str, *, user: bool = False) -> str | None:
    """github.com URL of "owner/name" (or of a login); None for anything that is not one."""
    pattern = _LOGIN if user else _REPOSITORY_NAME
    return f"https://github.com/{name}" if pattern.fullmatch(name) else None


def markdown_link(text: str, url: str | None) -> SafeMarkdown:
    """`[text](url)` with the text escaped; just the escaped text when the URL is not safe."""
    label = escape_markdown(text)
    target = safe_url(url)
    if target is None:
        return label
    return SafeMarkdown(f"[{label}]({target})")
