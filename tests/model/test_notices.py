"""Notices: one registry of codes, an English message each, a sentence per language, escaped."""

from __future__ import annotations

import json
import re
import string

import jsonschema
import pytest

from devstats.model.facts import Notice
from devstats.model.notices import CODES, ENGLISH, Wording, notice
from devstats.model.report import to_json
from devstats.render.markdown import render_markdown
from devstats.render.views.context import build_context, notice_text
from devstats.render.words.labels import BY_CODE, LANGUAGES
from tests.fakes.paths import ROOT
from tests.fakes.report_factory import sample_report
from tests.fakes.schema_file import load_schema

SOURCE = ROOT / "devstats"
HOSTILE = "<img src=x>*_[a](javascript:x)_* | `\n- item"


def fields(wording: Wording) -> set[str]:
    texts = [wording.text, *(tail for _param, tail in wording.tails)]
    return {
        name
        for text in texts
        for _literal, name, _spec, _conversion in string.Formatter().parse(text)
        if name is not None
    }


def sample_params(code: str) -> dict[str, str | int | None]:
    """A value for every field the English sentence has: counts as ints, the rest as strings."""
    counts = {
        "limit",
        "counted",
        "retrieved",
        "difference",
        "restricted",
        "missing",
        "unlisted",
        "repositories",
        "more_days",
    }
    wording = ENGLISH[code]
    optional = {param for param, _tail in wording.tails}
    return {name: (1234 if name in counts else f"v-{name}") for name in fields(wording) | optional}


def test_every_code_the_source_makes_is_registered_and_every_registered_code_is_made() -> None:
    made: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        made |= set(re.findall(r'\bnotice\(\s*"([a-z0-9-]+)"', path.read_text("utf-8")))
    assert made == set(CODES)


def test_every_code_is_documented_with_its_params() -> None:
    docs = (SOURCE.parent / "docs" / "templates.md").read_text("utf-8")
    for code in CODES:
        row = next(line for line in docs.splitlines() if line.startswith(f"| `{code}` |"))
        wording = ENGLISH[code]
        for name in fields(wording) | {p for p, _ in wording.tails}:
            assert f"`{name}`" in row, (code, name)


def test_codes_are_stable_kebab_case_identifiers() -> None:
    assert len(CODES) == len(set(CODES))
    for code in CODES:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", code), code


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("code", CODES)
def test_every_code_has_a_sentence_in_every_language(code: str, lang: str) -> None:
    language = BY_CODE[lang]
    assert code in language.notices
    wording = language.notices[code]
    # the sentence uses only what the notice carries, so it never falls back by accident
    assert fields(wording) <= fields(ENGLISH[code])
    assert {p for p, _ in wording.tails} == {p for p, _ in ENGLISH[code].tails}
    params = sample_params(code)
    text = notice_text(notice(code, **params), language)
    assert text and "{" not in text and "}" not in text
    for name in fields(wording):
        value = params[name]
        shown = f"{value:,}" if isinstance(value, int) else str(value)
        assert shown in text, (code, lang, name)


@pytest.mark.parametrize("code", CODES)
def test_the_message_is_the_english_sentence_with_thousands_separators(code: str) -> None:
    params = sample_params(code)
    made = notice(code, **params)
    assert made.code == code and made.params == params
    assert "{" not in made.message
    for name in fields(ENGLISH[code]):
        value = params[name]
        assert (f"{value:,}" if isinstance(value, int) else str(value)) in made.message
    if any(isinstance(v, int) for v in params.values()):
        assert "1,234" in made.message


def test_the_commit_mismatch_reads_in_korean_with_the_numbers_formatted() -> None:
    made = notice(
        "commits-fewer-than-counted",
        user="kozistr",
        year="2022",
        counted=1576,
        retrieved=1314,
        difference=262,
        restricted=0,
    )
    ko = notice_text(made, BY_CODE["ko"])
    assert (
        ko == "GitHub는 2022년 커밋 기여를 1,576개로 세는데, 그중 읽을 수 있었던 커밋은 1,314개다."
    )
    assert "비공개 기여" not in ko  # nothing restricted: the tail stays out
    unlisted = notice("commits-fewer-than-counted", **{**made.params, "unlisted": 200})
    # The post says it without the token or a calque: 비공개 레포 등.
    assert notice_text(unlisted, BY_CODE["ko"]).endswith(
        " 200개는 GitHub가 보여 주지 않는 레포(비공개 레포 등)에 있다."
    )
    assert notice_text(unlisted, BY_CODE["en"]).endswith(
        " 200 are in repositories GitHub does not show, such as private ones."
    )
    assert "restricted" not in made.message
    with_restricted = notice(
        "commits-fewer-than-counted",
        **{**made.params, "restricted": 38},
    )
    assert "프로필에 공유된 비공개 기여 38건" in notice_text(with_restricted, BY_CODE["ko"])
    assert with_restricted.message.endswith(
        "The profile also shares 38 restricted (private) contributions, counted without any "
        "details."
    )


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("code", CODES)
def test_every_string_param_is_escaped(code: str, lang: str) -> None:
    params = {
        name: (HOSTILE if isinstance(value, str) else value)
        for name, value in sample_params(code).items()
    }
    text = notice_text(notice(code, **params), BY_CODE[lang])
    assert "<img" not in text and "\n" not in text
    assert not re.search(r"(?<!\\)\]\(", text)  # no link can open
    if any(isinstance(params[name], str) for name in fields(BY_CODE[lang].notices[code])):
        assert "&lt;img src=x&gt;\\*\\_\\[a\\](javascript:x)\\_\\* \\| \\` - item" in text


def test_an_unknown_code_or_a_missing_param_falls_back_to_the_escaped_english_message() -> None:
    for lang in LANGUAGES:
        future = Notice(code="some-new-code", message="x_y: <careful>", params={"n": 3})
        assert notice_text(future, BY_CODE[lang]) == "x\\_y: &lt;careful&gt;"
        short = Notice(code="downloads-no-files", message="a*b: no files", params={})
        assert notice_text(short, BY_CODE[lang]) == "a\\*b: no files"


def test_json_warnings_are_the_notices_messages_and_validate() -> None:
    notices = (
        notice("repository-gone", repository="someone/gone"),
        notice(
            "downloads-store-gap",
            package="p",
            baseline="2022-01-01",
            missing=2_000,
            end="2022-12-31",
            days="2022-01-02, 2022-01-03 ...",
        ),
        Notice(code="some-new-code", message="from a newer collector", params={"n": None}),
    )
    report = sample_report(notices=notices)
    document = json.loads(to_json(report))
    jsonschema.validate(document, load_schema())
    assert document["warnings"] == list(report.warnings)
    assert document["notices"] == [
        {"code": n.code, "message": n.message, "params": dict(n.params), "audience": n.audience}
        for n in report.notices
    ]
    assert document["notices"][1]["params"]["missing"] == 2000
    assert "lacks 2,000 day(s)" in document["warnings"][1]
    broken = {**document, "notices": [{"code": "x", "message": "m", "params": {"n": [1]}}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, load_schema())


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_notice_is_its_own_line_of_the_notes(lang: str) -> None:
    notices = (
        notice("downloads-no-files", package=HOSTILE),
        notice("stars-lower-bound", repository="a/b", year="2022"),
        Notice(code="some-new-code", message="> # not a heading\n- nor a list", params={}),
    )
    markdown = render_markdown(sample_report(notices=notices), lang=lang)
    tail = markdown[markdown.index("> **") :].rstrip("\n").split("\n")
    assert tail[0] == ("> **Notes**" if lang == "en" else "> **참고**")
    assert all(line.startswith("> - ") for line in tail[1:])
    context = build_context(sample_report(notices=notices), lang=lang)
    # The notices close the notes, after what the notes say of the figures themselves.
    assert [f"> - {w}" for w in context["warnings"]] == tail[-len(notices) :]
    assert tail[-1] == "> - &gt; \\# not a heading - nor a list"


def test_a_report_without_notices_still_says_its_time_zone() -> None:
    for lang in LANGUAGES:
        markdown = render_markdown(sample_report(notices=(), packages=()), lang=lang)
        tail = markdown[markdown.index("> **") :].rstrip("\n").split("\n")
        assert len(tail) == 2 and "Asia/Seoul" in tail[1]
        assert "> **" not in render_markdown(sample_report(notices=()), lang=lang, notes=False)
