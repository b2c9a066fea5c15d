"""The sentences about what others did with the user's projects, per language: thanks to the
people who sent pull requests, the major release, and how the share of work on other people's
projects moved. The templates place them (templates/received.*.md.j2); the tone follows
devstats/render/words/labels.py (Korean in casual 반말, as the review post is written).
"""

from __future__ import annotations

from collections.abc import Sequence

from devstats.model.events import MajorRelease, PullRequestsReceived, Received, WorkShare
from devstats.render.escape import SafeMarkdown, escape_markdown, github_url, markdown_link
from devstats.render.words.korean import particle, with_particle
from devstats.render.words.labels import Language

# People thanked by name per project; the rest are counted.
MAX_NAMED = 8


def _person(login: str) -> str:
    return markdown_link(f"@{login}", github_url(login, user=True))


def _project(repository: str) -> str:
    return markdown_link(repository.split("/", 1)[-1], github_url(repository))


def _named(people: Sequence[str], language: Language) -> str:
    names = [_person(login) for login in people[:MAX_NAMED]]
    rest = len(people) - len(names)
    if rest:
        names.append(f"{rest}명" if language.code == "ko" else f"{rest} more")
    return language.join(names)


def thanks(received: PullRequestsReceived, language: Language) -> str:
    """Thanks, by name, to the people who sent pull requests to one project, and who came for
    the first time."""
    people = [c.login for c in received.people]
    names = _named(people, language)
    project = _project(received.repository)
    firsts = list(received.first_timers)
    everyone = bool(firsts) and len(firsts) == len(people)
    if language.code == "ko":
        who = "분들이" if len(people) > 1 else "분이"
        text = (
            f"감사하게도 {project}에 PR을 보내 준 {who} 있었다: {names}"
            f"(PR {received.opened:,}건 중 {received.merged:,}건 머지)."
        )
        if everyone:
            text += " 모두 이번이 첫 기여였다." if len(people) > 1 else " 이번이 첫 기여였다."
        elif firsts:
            text += f" {_named(firsts, language)} 님은 이번이 첫 기여였다."
        return text
    pulls = "pull request" if received.opened == 1 else "pull requests"
    text = (
        f"Thanks to {names} for the {pulls} sent to {project} "
        f"({received.opened:,} opened, {received.merged:,} merged)"
    )
    if everyone:
        return text + (
            ", a first contribution to it for each."
            if len(people) > 1
            else ", a first contribution to it."
        )
    if firsts:
        return text + f". First-time contributors among them: {_named(firsts, language)}."
    return text + "."


def major_release(release: MajorRelease, language: Language) -> str:
    """ "… and bumped the major version to 2" / "major 버전도 2로 올렸다"."""
    project = _project(release.repository)
    tag = escape_markdown(release.tag)
    if language.code == "ko":
        return (
            f"{with_particle(project, '은/는')} {with_particle(tag, '을/를')} 내면서 "
            f"major 버전도 {release.major}{particle(str(release.major), '으로/로')} 올렸다"
            f"(이전 버전 {release.previous})."
        )
    return (
        f"Released {tag} of {project} and bumped the major version to {release.major} "
        f"(from {release.previous})."
    )


def work_shift(work: WorkShare, last: WorkShare | None, language: Language) -> str | None:
    """How much of the user's pull requests, reviews and issues went to other people's projects
    this year and the year before (--compare): counts of the same kind for both years, so the
    two compare like with like; without the year before there is nothing to say it moved."""
    if last is None or not work.own + work.others or not last.own + last.others:
        return None
    now, total = work.others, work.own + work.others
    before, before_total = last.others, last.own + last.others
    if language.code == "ko":
        return (
            f"올해 한 PR, 리뷰, 이슈 {total:,}건 중 {now:,}건이 다른 사람 프로젝트를 향했다"
            f"({last.year}년에는 {before_total:,}건 중 {before:,}건)."
        )
    return (
        f"This year {now:,} of my {total:,} pull requests, reviews and issues went to other "
        f"people's projects, against {before:,} of {before_total:,} in {last.year}."
    )


def _last_per_repository(releases: Sequence[MajorRelease]) -> list[MajorRelease]:
    # Two major bumps in one year (0.x → 1.0 → 2.0) read as one: the last one says where it went.
    last = {release.repository: release for release in releases}
    return [release for release in releases if last[release.repository] is release]


def received_lines(received: Received | None, language: Language) -> list[SafeMarkdown]:
    """Every sentence of the block (Markdown, escaped), in the order the post reads them."""
    if received is None:
        return []
    lines = [thanks(r, language) for r in received.pull_requests or () if r.people]
    lines += [major_release(m, language) for m in _last_per_repository(received.major_releases)]
    if received.work is not None:
        shift = work_shift(received.work, received.work_last_year, language)
        if shift:
            lines.append(shift)
    return [SafeMarkdown(line) for line in lines]
