"""Upstream text cannot inject HTML, links, table cells, code spans or the inject markers."""

from __future__ import annotations

import re

import pytest

from devstats.render.escape import (
    SafeMarkdown,
    escape_html,
    escape_markdown,
    markdown_link,
    safe_path,
    safe_url,
)


def unescaped(text: str, char: str) -> list[int]:
    """Positions of `char` not preceded by a backslash."""
    return [m.start() for m in re.finditer(re.escape(char), text) if text[m.start() - 1] != "\\"]


def test_script_tag_becomes_text() -> None:
    out = escape_markdown("<script>alert(1)</script>")
    assert "<" not in out and ">" not in out
    assert out.startswith("&lt;script&gt;")


def test_javascript_link_cannot_form() -> None:
    out = escape_markdown("click [here](javascript:alert(1))")
    # Both brackets are escaped, so "(" can never follow a closing bracket of link text.
    assert re.search(r"(?<!\\)\]\(", out) is None
    for char in "[]":
        assert unescaped(out, char) == []


def test_pipe_cannot_split_a_table_cell() -> None:
    out = escape_markdown("a | b || c")
    assert unescaped(out, "|") == []
    assert out.count("\\|") == 3


def test_backticks_cannot_open_a_code_span() -> None:
    out = escape_markdown("use `rm -rf` ``x``")
    assert unescaped(out, "`") == []


@pytest.mark.parametrize("char", list("*_[]#!~$\\"))
def test_markdown_punctuation_is_backslashed(char: str) -> None:
    assert escape_markdown(f"a{char}b") == f"a\\{char}b"


def test_marker_comment_does_not_survive() -> None:
    out = escape_markdown("Fix <!-- devstats:end --> and <!-- devstats:start -->")
    assert "<!--" not in out and "-->" not in out
    assert "&lt;" in out and "&gt;" in out


def test_ampersand_and_quote_are_entities() -> None:
    assert escape_markdown('Tom & "Jerry"') == "Tom & &quot;Jerry&quot;"
    # Only an "&" that could start a character reference is turned into "&amp;".
    assert escape_markdown("&lt;b&gt; &#60; &x") == "&amp;lt;b&amp;gt; &amp;\\#60; &x"


def test_parentheses_stay_readable() -> None:
    assert escape_markdown("(262 fewer)") == "(262 fewer)"
    assert escape_markdown("&lt;") == "&amp;lt;"  # an entity in the input stays literal


def test_line_breaks_collapse_and_control_characters_go() -> None:
    assert escape_markdown("one\ntwo\r\n\r\nthree\x00\x1b") == "one two three"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- item", "\\- item"),
        ("+ item", "\\+ item"),
        ("1. item", "1\\. item"),
        ("---", "\\---"),
        ("1.7k", "1.7k"),  # not a list marker: no space follows
        ("2.0.1", "2.0.1"),
        ("a-b", "a-b"),
    ],
)
def test_line_start_markers(text: str, expected: str) -> None:
    assert escape_markdown(text) == expected


def test_plain_names_stay_readable() -> None:
    assert escape_markdown("kozistr/Awesome-GANs") == "kozistr/Awesome-GANs"
    assert escape_markdown("pytorch_optimizer") == "pytorch\\_optimizer"


def test_safe_markdown_is_not_escaped_twice_but_derived_strings_are_plain() -> None:
    once = escape_markdown("a_b")
    assert isinstance(once, SafeMarkdown)
    assert escape_markdown(once) == once
    assert not isinstance(once + "x", SafeMarkdown)


def test_escape_html_for_attributes() -> None:
    assert escape_html('a "b" <c> & d_e') == "a &quot;b&quot; &lt;c&gt; &amp; d_e"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>",
        "vbscript:x",
        "//evil.example/x",
        "/relative/path",
        "https://user:pass@github.com/",
        "https://github.com/a b",
        "https:///nohost",
        "",
        None,
    ],
)
def test_unsafe_urls_are_dropped(url: str | None) -> None:
    assert safe_url(url) is None


def test_safe_url_encodes_what_could_end_a_link_or_attribute() -> None:
    out = safe_url('https://github.com/a/b/pull/1?x=(y)|"z"&w=`q`')
    assert out is not None
    assert out.startswith("https://github.com/a/b/pull/1?x=")
    for char in '()|"` ':
        assert char not in out
    assert "&amp;w=" in out


def test_markdown_link_drops_unsafe_targets() -> None:
    assert markdown_link("a]b", "https://x.example/") == "[a\\]b](https://x.example/)"
    assert markdown_link("click", "javascript:alert(1)") == "click"


def test_safe_path_allows_relative_assets_only() -> None:
    assert safe_path("assets/heatmap-light.svg") == "assets/heatmap-light.svg"
    assert safe_path("my assets/(x).svg") == "my%20assets/%28x%29.svg"
    assert safe_path("javascript:alert(1)") is None
    assert safe_path("https://example.org/a.svg") == "https://example.org/a.svg"
