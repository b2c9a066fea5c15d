"""Template context for the projects of the year and the languages the year was spent in.

Like the rest of the context, every upstream string (titles, descriptions, tags, notes) is
escaped here; the originals sit under `raw`. A project linked to a PyPI package carries that
package's whole context entry, so a template shows the package's figures once, in the project.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

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
from devstats.render.figures import figure
from devstats.render.words.korean import particle
from devstats.render.words.labels import Language

# Up to this many tags are listed one by one; more read as "first → last".
LISTED_TAGS = 5
_SENTENCE_END = (".", "!", "?", "。", "…")


def linked_packages(report: Report) -> set[str]:
    """PEP 503 names of the packages that a shown project presents."""
    return {normalize(p.package) for p in report.projects if p.package}


def projects_context(
    report: Report,
    language: Language,
    packages: Mapping[str, dict[str, Any]],
    *,
    year_over: bool = True,
) -> list[dict[str, Any]]:
    """One entry per project, in the report's order. `packages` maps PEP 503 names to the
    package entries of the context; `year_over` says whether the year had ended when the report
    was made (stars are then those at its end)."""
    return [
        {
            **_project(project, language, packages),
            "stars_text": stars_text(project, language, year=report.year, year_over=year_over),
        }
        for project in report.projects
    ]


def stars_text(
    project: ProjectOfYear, language: Language, *, year: int, year_over: bool
) -> SafeMarkdown | None:
    """The project's stars as of the year's end (or so far), with those gained in the year;
    today's stars only when the year's end is unknown."""
    if project.stars_at_year_end is not None:
        when, stars = ("end" if year_over else "so-far"), project.stars_at_year_end
    elif project.stars is not None:
        when, stars = "now", project.stars
    else:
        return None
    wording = language.stars
    gained = project.stars_gained
    if gained is None:
        tail = wording.alone
    else:
        tail = (wording.gained if gained else wording.no_gain)[when]
    shown = {
        "stars": figure(stars, language).exact,
        "gained": figure(gained, language).exact,
        "year": year,
    }
    return SafeMarkdown((wording.main[when] + tail).format(**shown))


def _mentions(text: str, word: str) -> bool:
    """Whether `word` stands as a word in `text`, whatever its case: "written in Rust"."""
    return re.search(rf"(?<![\w+#]){re.escape(word)}(?![\w+#])", text, re.IGNORECASE) is not None


def _same_version(tag: str, version: str) -> bool:
    """Whether a release tag names the version: "v2.0.1" and "2.0.1" do."""
    return tag.lower().removeprefix("v") == version.lower().removeprefix("v")


def _project(
    project: ProjectOfYear, language: Language, packages: Mapping[str, dict[str, Any]]
) -> dict[str, Any]:
    url = project.url or github_url(project.repository)
    tags = [escape_markdown(tag) for tag in project.release_tags]
    package = None
    package_link = None
    if project.package:
        package = packages.get(normalize(project.package))
        if package is not None:
            package_link = package["link"]
        else:
            # Named by an override but not collected: a link without figures.
            pypi = f"https://pypi.org/project/{quote(project.package, safe='')}/"
            package_link = markdown_link(project.package, pypi)
    description = (project.description or "").strip()
    if description.rstrip(".").casefold() == project.title.casefold():
        description = ""  # the title already says it
    notes = (project.notes or "").strip()
    version = package["raw"]["version"] if package is not None else None
    last_tag = project.release_tags[-1] if project.release_tags else None
    return {
        "repository": escape_markdown(project.repository),
        "title": escape_markdown(project.title),
        "url": safe_url(url),
        "link": markdown_link(project.title, url),
        "description": escape_markdown(description) if description else None,
        "description_sentence": _sentence(description) if description else None,
        "language": escape_markdown(project.language) if project.language else None,
        "language_note": (
            escape_markdown(project.language)
            if project.language and not _mentions(description, project.language)
            else None
        ),
        "human_commits": figure(project.human_commits, language),
        "stars": figure(project.stars, language),
        "stars_gained": figure(project.stars_gained, language),
        "releases": figure(project.releases_in_year, language),
        "release_tags": tags,
        "release_tags_text": _tags_text(tags) if tags else None,
        "package": package,
        "package_link": package_link,
        "package_version": (
            escape_markdown(version)
            if version and not (last_tag and _same_version(last_tag, version))
            else None
        ),
        "notes": escape_markdown(notes) if notes else None,
        "raw": {
            "repository": project.repository,
            "title": project.title,
            "url": url,
            "description": project.description,
            "language": project.language,
            "release_tags": list(project.release_tags),
            "package": project.package,
            "notes": project.notes,
        },
    }


def _sentence(text: str) -> SafeMarkdown:
    """The escaped text as a sentence: a full stop added unless it already ends like one."""
    escaped = escape_markdown(text)
    return escaped if text.endswith(_SENTENCE_END) else SafeMarkdown(escaped + ".")


def _tags_text(tags: list[SafeMarkdown]) -> SafeMarkdown:
    if len(tags) <= LISTED_TAGS:
        return SafeMarkdown(", ".join(tags))
    return SafeMarkdown(f"{tags[0]} → {tags[-1]}")


def languages_context(report: Report, language: Language) -> dict[str, Any]:
    """The year's languages with whole percentages that add up to 100, and the new ones.

    The sentence (`text`) leaves out languages that round to 0%: "Rust 0%" says nothing, and
    the shown percentages still add up to 100.
    """
    percents = display_percentages(report.languages)
    shares = [
        {
            "name": _language_name(share.name, language),
            "human_commits": figure(share.human_commits, language),
            "percent": SafeMarkdown(f"{percent}%"),
            "raw": {"name": share.name, "share": share.share},
        }
        for share, percent in zip(report.languages, percents, strict=True)
    ]
    shown = [s for s, percent in zip(shares, percents, strict=True) if percent > 0]
    new = [escape_markdown(name) for name in report.new_languages]
    earlier = report.previous.year if report.previous is not None else report.year - 1
    return {
        "shares": shares,
        "text": (
            SafeMarkdown(", ".join(f"{s['name']} {s['percent']}" for s in shown)) if shown else None
        ),
        "new": new,
        "new_text": SafeMarkdown(language.join([str(n) for n in new])) if new else None,
        "new_note": _new_note(new, language, earlier) if new else None,
        "raw": {"new": list(report.new_languages)},
    }


def _language_name(name: str, language: Language) -> SafeMarkdown:
    if name == OTHER_LANGUAGE:
        return SafeMarkdown(language.other_language)
    return escape_markdown(name)


def _new_note(new: list[SafeMarkdown], language: Language, earlier: int) -> SafeMarkdown:
    """What "new" means, said: no real commits in these languages in the year before."""
    named = language.join([str(n) for n in new], word=language.disjunction)
    if language.code == "ko":
        named += particle(html.unescape(named.replace("\\", "")), "으로/로")
    return SafeMarkdown(language.new_languages.format(languages=named, year=earlier))
