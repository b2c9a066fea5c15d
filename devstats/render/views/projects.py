"""Template context for the projects of the year and the languages the year was spent in.

Like the rest of the context, every upstream string (titles, descriptions, tags, notes) is
escaped here; the originals sit under `raw`. A project linked to a PyPI package carries that
package's whole context entry, so a template shows the package's figures once, in the project.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Annotated
from urllib.parse import quote
from zoneinfo import ZoneInfo

from devstats.classify.projects import OTHER_LANGUAGE, display_percentages
from devstats.model.facts import ProjectOfYear
from devstats.model.package_names import normalize
from devstats.model.report import Report
from devstats.render.escape import (
    SafeMarkdown,
    escape_markdown,
    github_url,
    markdown_link,
    safe_url,
)
from devstats.render.figures import Figure, figure
from devstats.render.views.base import View, about
from devstats.render.views.packages import PackageView
from devstats.render.words import dates
from devstats.render.words.korean import particle
from devstats.render.words.labels import Language
from devstats.render.words.post import BY_CODE as POST_WORDS

# Up to this many tags are listed one by one; more read as "first → last".
LISTED_TAGS = 5
_SENTENCE_END = (".", "!", "?", "。", "…")
_HANGUL = re.compile("[\uac00-\ud7a3\u3131-\u318e]")
_OTHER_SCRIPTS = re.compile("[\u3040-\u30ff\u4e00-\u9fff]")  # kana, Han


@dataclass(frozen=True)
class ProjectOriginals(View):
    """A project's strings as GitHub and the overrides gave them, unescaped."""

    repository: Annotated[str, about("`owner/name`", json="projects[].repository")]
    title: Annotated[str, about("the title", json="projects[].title")]
    url: Annotated[str | None, about("the project's page, or none", json="projects[].url")]
    description: Annotated[
        str | None, about("the description, or none", json="projects[].description")
    ]
    language: Annotated[str | None, about("the main language, or none", json="projects[].language")]
    release_tags: Annotated[
        tuple[str, ...],
        about("the year's release tags, oldest first", json="projects[].release_tags"),
    ]
    package: Annotated[
        str | None, about("the linked package's name, or none", json="projects[].package")
    ]
    notes: Annotated[str | None, about("the override's notes, or none", json="projects[].notes")]


@dataclass(frozen=True)
class ProjectView(View):
    """A project of the year (see [projects.md](projects.md)), in the report's order."""

    repository: Annotated[SafeMarkdown, about("`owner/name`", json="projects[].repository")]
    title: Annotated[SafeMarkdown, about("the title", json="projects[].title")]
    url: Annotated[SafeMarkdown | None, about("the repository's page", json="projects[].url")]
    link: Annotated[SafeMarkdown, about("`[title](url)`")]
    description: Annotated[
        SafeMarkdown | None,
        about(
            "the description, or none (none too when it only repeats the title)",
            json="projects[].description",
        ),
    ]
    description_sentence: Annotated[
        SafeMarkdown | None,
        about("the same with a full stop, or none", json="projects[].description"),
    ]
    language: Annotated[
        SafeMarkdown | None, about("the main language, or none", json="projects[].language")
    ]
    language_note: Annotated[
        SafeMarkdown | None,
        about(
            "the language, or none when the description already names it, so it is said once",
            json="projects[].language",
        ),
    ]
    human_commits: Annotated[
        Figure, about("real commits in the year", json="projects[].human_commits")
    ]
    stars: Annotated[Figure, about("stars today", json="projects[].stars")]
    stars_gained: Annotated[
        Figure, about("stars gained in the year", json="projects[].stars_gained")
    ]
    releases: Annotated[Figure, about("releases in the year", json="projects[].releases_in_year")]
    release_tags: Annotated[
        tuple[SafeMarkdown, ...],
        about("the year's release tags, oldest first", json="projects[].release_tags"),
    ]
    release_tags_text: Annotated[
        SafeMarkdown | None,
        about(
            f"up to {LISTED_TAGS} tags listed, more as `first → last`; or none",
            json="projects[].release_tags",
        ),
    ]
    package: Annotated[
        PackageView | None,
        about("the linked package's `packages[]` entry, or none", json="projects[].package"),
    ]
    package_link: Annotated[
        SafeMarkdown | None,
        about(
            "a link to the linked package even when it has no entry, or none",
            json="projects[].package",
        ),
    ]
    package_version: Annotated[
        SafeMarkdown | None,
        about(
            "the package's version as of the year's end, or none when the year's last release tag "
            "already names it",
            json="packages[].version",
        ),
    ]
    notes: Annotated[
        SafeMarkdown | None,
        about("the override's notes as one escaped paragraph, or none", json="projects[].notes"),
    ]
    stars_text: Annotated[
        SafeMarkdown | None,
        about(
            'the stars as of a day and those new in the year, as a sentence: "It has 135 '
            'stars as of Dec 15, 97 of them new this year." while the year is not over (the day '
            'the report was made), "It had 135 stars at the end of the year, …" after it / '
            '"스타는 12월 15일 기준 135개로, 올해 97개가 늘었다."; or none',
            json="projects[].stars_at_year_end, .stars_gained, .stars, generated_at",
        ),
    ]
    description_shown: Annotated[
        SafeMarkdown | None,
        about(
            "the description when it is written in the report's language (or with `--detail "
            "full`), else none: an English description is not quoted in a Korean post",
            json="projects[].description",
        ),
    ]
    raw: Annotated[ProjectOriginals, about("the originals")]


@dataclass(frozen=True)
class ShareOriginals(View):
    """A language's share as the report holds it."""

    name: Annotated[str, about("GitHub's name for the language", json="languages[].name")]
    share: Annotated[float, about("the share of real commits, 0 to 1", json="languages[].share")]


@dataclass(frozen=True)
class LanguageShareView(View):
    """One language's share of the year's real commits."""

    name: Annotated[
        SafeMarkdown,
        about(
            'the language; `Other`, GitHub\'s "no language", reads `other` / `기타`',
            json="languages[].name",
        ),
    ]
    human_commits: Annotated[Figure, about("real commits in it", json="languages[].human_commits")]
    percent: Annotated[
        SafeMarkdown,
        about(
            "`67%`: whole percentages that add up to 100",
            json="languages[].human_commits (largest remainder)",
        ),
    ]
    raw: Annotated[ShareOriginals, about("the originals")]


@dataclass(frozen=True)
class LanguagesOriginals(View):
    """The new languages as the report names them."""

    new: Annotated[tuple[str, ...], about("the new languages, unescaped", json="new_languages")]


@dataclass(frozen=True)
class LanguagesView(View):
    """The languages the year was spent in, and the new ones."""

    shares: Annotated[tuple[LanguageShareView, ...], about("largest first", json="languages[]")]
    text: Annotated[
        SafeMarkdown | None,
        about(
            '"Python 67%, JavaScript 30%, Rust 3%"; languages that round to 0% are left out; or '
            "none",
            json="languages[]",
        ),
    ]
    new: Annotated[
        tuple[SafeMarkdown, ...],
        about(
            "languages with real commits this year and none in the year before (only with "
            '`--compare`): "Rust"',
            json="new_languages",
        ),
    ]
    new_text: Annotated[
        SafeMarkdown | None, about("the same joined, or none", json="new_languages")
    ]
    new_note: Annotated[
        SafeMarkdown | None,
        about(
            'what "new" means, said: "no real commits in Rust in 2021" (a phrase) / "2021년에는 '
            'Rust로 직접 한 커밋이 없었다." (a sentence); or none',
            json="new_languages, previous.year",
        ),
    ]
    raw: Annotated[LanguagesOriginals, about("the originals")]


def linked_packages(report: Report) -> set[str]:
    """PEP 503 names of the packages that a shown project presents."""
    return {normalize(p.package) for p in report.projects if p.package}


def projects_context(
    report: Report,
    language: Language,
    packages: Mapping[str, PackageView],
    *,
    year_over: bool = True,
    detail: str = "brief",
) -> tuple[ProjectView, ...]:
    """One entry per project, in the report's order. `packages` maps PEP 503 names to the
    package entries of the context; `year_over` says whether the year had ended when the report
    was made (stars are then those at its end, else those of the day it was made)."""
    made = report.generated_at.astimezone(_zone(report.timezone)).date()

    def as_of(project: ProjectOfYear) -> date | None:
        # Today's count stands for the year's end only when that one is unknown, said as today's.
        return None if year_over and project.stars_at_year_end is not None else made

    return tuple(
        _project(
            project,
            language,
            packages,
            stars_text(project, language, as_of=as_of(project), year=report.year),
            detail,
        )
        for project in report.projects
    )


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ValueError, KeyError):
        return ZoneInfo("UTC")


def stars_text(
    project: ProjectOfYear, language: Language, *, as_of: date | None, year: int
) -> SafeMarkdown | None:
    """The project's stars as of the year's end (`as_of` None) or as of the day `as_of`, with
    those new in the year. Today's count stands for the year's end when that is unknown."""
    stars = project.stars_at_year_end
    if stars is None:
        stars = project.stars
    if stars is None:
        return None
    words = POST_WORDS[language.code].stars
    head = words["end"] if as_of is None else words["so-far"]
    gained = project.stars_gained
    if gained is None:
        tail = words["alone"]
    else:
        tail = words["all" if gained == stars else ("gained" if gained else "none")]
    day = dates.day(as_of, language.code, year) if as_of else ""
    shown = {
        "stars": figure(stars, language).exact,
        "gained": figure(gained, language).exact,
        "day": day,
    }
    return SafeMarkdown((head + tail).format(**shown))


def in_language(text: str, code: str) -> bool:
    """Whether `text` is written in the language `code`: Korean when it has Hangul, English when
    it has Latin letters and no Hangul, kana or Han characters."""
    if _HANGUL.search(text):
        return code == "ko"
    if _OTHER_SCRIPTS.search(text):
        return False
    return code == "en" and any("a" <= c.lower() <= "z" for c in text)


def _mentions(text: str, word: str) -> bool:
    """Whether `word` stands as a word in `text`, whatever its case: "written in Rust"."""
    return re.search(rf"(?<![\w+#]){re.escape(word)}(?![\w+#])", text, re.IGNORECASE) is not None


def _same_version(tag: str, version: str) -> bool:
    """Whether a release tag names the version: "v2.0.1" and "2.0.1" do."""
    return tag.lower().removeprefix("v") == version.lower().removeprefix("v")


def _project(
    project: ProjectOfYear,
    language: Language,
    packages: Mapping[str, PackageView],
    stars: SafeMarkdown | None,
    detail: str = "brief",
) -> ProjectView:
    url = project.url or github_url(project.repository)
    tags = tuple(escape_markdown(tag) for tag in project.release_tags)
    package = None
    package_link = None
    if project.package:
        package = packages.get(normalize(project.package))
        if package is not None:
            package_link = package.link
        else:
            # Named by an override but not collected: a link without figures.
            pypi = f"https://pypi.org/project/{quote(project.package, safe='')}/"
            package_link = markdown_link(project.package, pypi)
    description = (project.description or "").strip()
    if description.rstrip(".").casefold() == project.title.casefold():
        description = ""  # the title already says it
    notes = (project.notes or "").strip()
    version = package.raw.version if package is not None else None
    last_tag = project.release_tags[-1] if project.release_tags else None
    return ProjectView(
        repository=escape_markdown(project.repository),
        title=escape_markdown(project.title),
        url=safe_url(url),
        link=markdown_link(project.title, url),
        description=escape_markdown(description) if description else None,
        description_sentence=_sentence(description) if description else None,
        language=escape_markdown(project.language) if project.language else None,
        language_note=(
            escape_markdown(project.language)
            if project.language and not _mentions(description, project.language)
            else None
        ),
        human_commits=figure(project.human_commits, language),
        stars=figure(project.stars, language),
        stars_gained=figure(project.stars_gained, language),
        releases=figure(project.releases_in_year, language),
        release_tags=tags,
        release_tags_text=_tags_text(tags) if tags else None,
        package=package,
        package_link=package_link,
        package_version=(
            escape_markdown(version)
            if version and not (last_tag and _same_version(last_tag, version))
            else None
        ),
        notes=escape_markdown(notes) if notes else None,
        stars_text=stars,
        description_shown=(
            escape_markdown(description)
            if description and (detail == "full" or in_language(description, language.code))
            else None
        ),
        raw=_originals(project, url),
    )


def _originals(project: ProjectOfYear, url: str | None) -> ProjectOriginals:
    return ProjectOriginals(
        repository=project.repository,
        title=project.title,
        url=url,
        description=project.description,
        language=project.language,
        release_tags=tuple(project.release_tags),
        package=project.package,
        notes=project.notes,
    )


def _sentence(text: str) -> SafeMarkdown:
    """The escaped text as a sentence: a full stop added unless it already ends like one."""
    escaped = escape_markdown(text)
    return escaped if text.endswith(_SENTENCE_END) else SafeMarkdown(escaped + ".")


def _tags_text(tags: tuple[SafeMarkdown, ...]) -> SafeMarkdown:
    if len(tags) <= LISTED_TAGS:
        return SafeMarkdown(", ".join(tags))
    return SafeMarkdown(f"{tags[0]} → {tags[-1]}")


def languages_context(report: Report, language: Language) -> LanguagesView:
    """The year's languages with whole percentages that add up to 100, and the new ones.

    The sentence (`text`) leaves out languages that round to 0%: "Rust 0%" says nothing, and
    the shown percentages still add up to 100.
    """
    percents = display_percentages(report.languages)
    shares = tuple(
        LanguageShareView(
            name=_language_name(share.name, language),
            human_commits=figure(share.human_commits, language),
            percent=SafeMarkdown(f"{percent}%"),
            raw=ShareOriginals(name=share.name, share=share.share),
        )
        for share, percent in zip(report.languages, percents, strict=True)
    )
    shown = [s for s, percent in zip(shares, percents, strict=True) if percent > 0]
    new = tuple(escape_markdown(name) for name in report.new_languages)
    earlier = report.previous.year if report.previous is not None else report.year - 1
    return LanguagesView(
        shares=shares,
        text=(SafeMarkdown(", ".join(f"{s.name} {s.percent}" for s in shown)) if shown else None),
        new=new,
        new_text=SafeMarkdown(language.join([str(n) for n in new])) if new else None,
        new_note=_new_note(new, language, earlier) if new else None,
        raw=LanguagesOriginals(new=tuple(report.new_languages)),
    )


def _language_name(name: str, language: Language) -> SafeMarkdown:
    if name == OTHER_LANGUAGE:
        return SafeMarkdown(language.other_language)
    return escape_markdown(name)


def _new_note(new: tuple[SafeMarkdown, ...], language: Language, earlier: int) -> SafeMarkdown:
    """What "new" means, said: no real commits in these languages in the year before."""
    named = language.join([str(n) for n in new], word=language.disjunction)
    if language.code == "ko":
        named += particle(html.unescape(named.replace("\\", "")), "으로/로")
    return SafeMarkdown(language.new_languages.format(languages=named, year=earlier))
