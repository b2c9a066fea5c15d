"""Rendering through Jinja: built-in templates, golden output, user templates and their errors."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from devstats.model.errors import TemplateError
from devstats.model.facts import Downloads
from devstats.model.report import PullRequests
from devstats.render.markdown import builtin_template_source, render_markdown
from tests.fakes.paths import GOLDEN, ROOT
from tests.fakes.report_factory import (
    previous_report,
    pull,
    replace,
    sample_external,
    sample_report,
    unknown_contributions,
)

ASSETS = {
    "heatmap-light": "assets/heatmap-light.svg",
    "heatmap-dark": "assets/heatmap-dark.svg",
    "downloads-pytorch-optimizer-light": "assets/downloads-pytorch-optimizer-light.svg",
    "downloads-pytorch-optimizer-dark": "assets/downloads-pytorch-optimizer-dark.svg",
}


def check_golden(name: str, text: str) -> None:
    """Compare with tests/golden/<name>; DEVSTATS_UPDATE_GOLDEN=1 rewrites the file instead."""
    path = GOLDEN / name
    if os.environ.get("DEVSTATS_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_golden_output(lang: str) -> None:
    check_golden(f"{lang}.md", render_markdown(sample_report(), lang=lang, assets=ASSETS))


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_golden_output_with_compare(lang: str) -> None:
    report = sample_report(previous=previous_report(), new_languages=("Rust",))
    check_golden(f"{lang}-compare.md", render_markdown(report, lang=lang))


def test_english_states_the_facts() -> None:
    report = sample_report()
    text = render_markdown(report, assets=ASSETS)
    total = report.contributions.total
    assert total is not None
    assert text.startswith("## Programming\n")
    # The order a person tells it: the graph, what was automated, what was mine.
    assert (
        f"My contribution graph for 2022 shows **{total / 1000:.1f}k** contributions. Taking out "
        "365 automated commits (353 from an Action that commits every day and 12 by bot "
        f"accounts) leaves about **{(total - 365) / 1000:.1f}k** contributions of my own, "
        "**1,300** of them commits to public repositories.\n" in text
    )
    assert (
        "This year I also opened 3 pull requests to 2 other people's projects, and 2 were" in text
    )
    assert "[huggingface/transformers](https://github.com/huggingface/transformers)" in text
    assert "v2.0.1" in text and "has been downloaded **41.6k** times as of Dec 31" in text
    assert "41.6K" not in text  # one number style: lower-case units everywhere
    assert "and 2.1k times in December." in text
    assert "mirror" not in text.partition("> **Notes**")[0]
    assert '<source media="(prefers-color-scheme: dark)" srcset="assets/heatmap-dark.svg">' in text
    assert (
        '<picture><source media="(prefers-color-scheme: dark)" '
        'srcset="assets/downloads-pytorch-optimizer-dark.svg">'
        '<img alt="pytorch_optimizer downloads per month, 2022" '
        'src="assets/downloads-pytorch-optimizer-light.svg"></picture>' in text
    )
    # The notes end the section: the zone, the sources, then the notices, each a sentence.
    notes = text.partition("> **Notes**\n")[2]
    assert notes.startswith("> - Days and hours are in KST (Asia/Seoul).\n")
    assert (
        "> - Only part of Jun is known for pytorch\\_optimizer, so it is left out of the "
        "monthly figures.\n"
        "> - kozistr/pytorch\\_optimizer gained at least the stars shown in 2022: not every "
        "stargazer could be read.\n"
    ) in notes
    assert text.endswith("\n") and not text.endswith("\n\n") and "\n\n\n" not in text


def test_nulls_leave_sentences_out_instead_of_printing_zero() -> None:
    unknown = unknown_contributions()
    downloads = Downloads(None, None, {}, None, None, None, False)
    packages = (replace(sample_report().packages[1], downloads=downloads),)
    report = sample_report(contributions=unknown, packages=packages)
    for lang in ("en", "ko"):
        text = render_markdown(report, lang=lang)
        assert "**0**" not in text and "unknown contributions" not in text
        assert "알 수 없음건" not in text and "잔디" not in text
    en = render_markdown(report)
    assert "contribution graph" not in en
    assert (
        "The all-time downloads of the PyPI package "
        "[pytorch\\_optimizer](https://pypi.org/project/pytorch_optimizer/) are unknown." in en
    )
    assert (
        "In 2022 I made **1,300** commits of my own to public repositories, leaving out 365 "
        "automated commits (353 from an Action that commits every day and 12 by bot accounts)."
        in en
    )
    ko = render_markdown(report, lang="ko")
    assert (
        "2022년 공개 레포에 직접 한 커밋은 **1,300개**다. 자동 커밋 365개(매일 커밋하는 Action이 "
        "만든 353개, 봇 계정이 만든 12개)는 뺐다." in ko
    )
    assert "의 누적 다운로드는 알 수 없다." in ko


def test_no_automated_commits_means_no_exclusion_sentence() -> None:
    commits = replace(sample_report().commits, automated=0, human=1665, automated_by_reason={})
    text = render_markdown(sample_report(commits=commits))
    assert "Taking out" not in text
    assert (
        "My contribution graph for 2022 shows **1.6k** contributions. None were automated "
        "commits, and **1,665** are my own commits to public repositories." in text
    )
    ko = render_markdown(sample_report(commits=commits), lang="ko")
    assert "자동 커밋은 없었다. 공개 레포에 직접 한 커밋은 **1,665개**다." in ko


def test_hostile_upstream_text_is_escaped_in_built_in_templates() -> None:
    evil = "evil/x](javascript:alert(1))<!-- devstats:end -->"
    project = replace(sample_external().projects[0], repository=evil)
    external = replace(sample_external(), projects=(project,))
    text = render_markdown(sample_report(pull_requests=PullRequests(external=external)))
    assert "<!--" not in text
    assert re.search(r"(?<!\\)\]\(javascript", text) is None
    assert "evil/x\\](javascript" in text


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_user_template_prints_raw_values_escaped(tmp_path: Path) -> None:
    hostile = pull("a/b", 1, "<script>x</script> | `y`", merged=True, day=0)
    project = replace(sample_external().projects[0], items=(hostile,))
    external = replace(sample_external(), projects=(project,))
    template = write(
        tmp_path / "mine.md.j2",
        "{% for p in external.projects[0].pulls %}{{ p.raw.title }}\n"
        "{{ 'x' ~ p.link }}\n{% endfor %}",
    )
    text = render_markdown(
        sample_report(pull_requests=PullRequests(external=external)), template=template
    )
    lines = text.splitlines()
    assert lines[0] == "&lt;script&gt;x&lt;/script&gt; \\| \\`y\\`"
    # A string built from a safe one is not trusted again: it is escaped as a whole.
    assert lines[1].startswith("x\\[")


def test_filters(tmp_path: Path) -> None:
    template = write(
        tmp_path / "f.md.j2",
        "{{ 1712|compact }} {{ 41600|compact(upper=true) }} {{ 1712|number }} "
        "{{ 365|percent(1712) }} {{ commits.human|number }} {{ 'a_b'|md }} "
        "{{ 1|plural('project', 'projects') }} {{ 2|plural('project', 'projects') }} "
        "{{ 'docs'|link('https://example.org/x') }} {{ 'bad'|link('javascript:x') }} "
        "{{ none|compact }} {{ contributions.restricted }}",
    )
    assert render_markdown(sample_report(), template=template) == (
        "1.7k 41.6K 1,712 21% 1,300 a\\_b project projects [docs](https://example.org/x) bad "
        "unknown 0\n"
    )


def test_the_particle_filter_reads_what_it_follows(tmp_path: Path) -> None:
    template = write(
        tmp_path / "p.md.j2",
        '{{ "Rust"|particle("은/는") }} {{ "Python"|particle("은/는") }} '
        '{{ commits.human|particle("과/와") }} {{ raw.user|particle("이/가") }} '
        '{{ packages[0].link|particle("으로/로") }} {{ "a_l"|particle("으로/로") }}',
    )
    # 1.3k: 케이; kozistr: 알; pytorch_optimizer (its link): 옵티마이저; a_l (escaped a\_l): 엘
    assert render_markdown(sample_report(), template=template) == (
        "Rust는 Python은 1.3k와 kozistr가 "
        "[pytorch\\_optimizer](https://pypi.org/project/pytorch_optimizer/)로 a\\_l로\n"
    )


@pytest.mark.parametrize(
    ("source", "line", "message"),
    [
        ("## Title\n\n{{ year }}\n{{ no_such_thing }}\n", 4, "no_such_thing"),
        ("{% for p in packages %}\n- {{ p.name }}\n- {{ p.nope }}\n{% endfor %}", 3, "nope"),
        ("line\n{% if year %}\nno endif\n", None, ""),
        ("a\nb\n{{ year + }}\n", 3, ""),
        ("ok\n{{ raw.report.__class__.__mro__ }}\n", 2, ""),
        ("{{ raw.report.commits.automated_by_reason.clear() }}\n", 1, "unsafe"),
        ("\n{{ year + 'x' }}", 2, ""),
    ],
    ids=[
        "undefined-name",
        "undefined-attribute-in-a-loop",
        "syntax-error",
        "syntax-error-in-an-expression",
        "python-internals",
        "changing-the-report",
        "type-error",
    ],
)
def test_template_errors_name_file_and_line(
    tmp_path: Path, source: str, line: int | None, message: str
) -> None:
    template = write(tmp_path / "bad.md.j2", source)
    where = r"\d+" if line is None else str(line)
    with pytest.raises(
        TemplateError, match=rf"^{re.escape(str(template))}:{where}: .*{message}"
    ) as raised:
        render_markdown(sample_report(), template=template)
    assert raised.value.exit_code == 2


def test_missing_template_file_and_unknown_language(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="template not found"):
        render_markdown(sample_report(), template=tmp_path / "absent.md.j2")
    template = write(tmp_path / "inc.md.j2", "{% include 'absent.j2' %}")
    with pytest.raises(TemplateError, match=r"template not found: absent\.j2"):
        render_markdown(sample_report(), template=template)
    with pytest.raises(TemplateError, match="no built-in language"):
        render_markdown(sample_report(), lang="fr")


def test_user_template_can_include_a_built_in(tmp_path: Path) -> None:
    template = write(tmp_path / "wrap.md.j2", "# My year\n\n{% include 'en.md.j2' %}")
    text = render_markdown(sample_report(), template=template)
    assert text.startswith("# My year\n\n## Programming\n")


def test_built_in_templates_come_from_the_templates_folder() -> None:
    source, filename = builtin_template_source("ko.md.j2")
    assert filename.endswith("ko.md.j2")
    assert source == (ROOT / "templates" / "ko.md.j2").read_text("utf-8")
    import jinja2

    for name in ("../pyproject.toml", "nope.md.j2", ".hidden"):
        with pytest.raises(jinja2.TemplateNotFound):
            builtin_template_source(name)


DOCS = ROOT / "docs" / "templates.md"


def test_the_documented_example_template_renders(tmp_path: Path) -> None:
    docs = DOCS.read_text(encoding="utf-8")
    example = docs.split("```jinja\n", 1)[1].split("```", 1)[0]
    text = render_markdown(sample_report(), template=write(tmp_path / "example.md.j2", example))
    assert "| [pytorch/pytorch](https://github.com/pytorch/pytorch) | 1 | 0 |" in text
    assert "- [tiny\\_pkg](https://pypi.org/project/tiny_pkg/): downloads unknown" in text
