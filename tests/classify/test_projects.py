"""devstats.classify.projects on kozistr's real 2021/2022 history plus a daily-Action repository."""

from __future__ import annotations

import json
import math
import random
from collections import Counter
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

import msgspec
import pytest

from devstats.classify.automation import SCHEDULED_CADENCE, summarize
from devstats.classify.projects import (
    OTHER_LANGUAGE,
    LanguageShare,
    ProjectOfYear,
    Release,
    display_percentages,
    languages_of_year,
    new_languages,
    projects_of_year,
    releases_of_year,
    stars_after_year,
    stars_gained_in_year,
)
from devstats.model.facts import ClassifiedCommit, Commit, Identity, RepositoryInfo
from devstats.model.package_names import normalize
from devstats.settings.settings import ProjectOverride
from tests.fakes.git_history import history_commit, history_lines

SEOUL = ZoneInfo("Asia/Seoul")
USER = "kozistr"
DAILY = "kozistr/kozistr"
ACTIONS = Identity(
    name="github-actions[bot]",
    email="41898282+github-actions[bot]@users.noreply.github.com",
    login="github-actions[bot]",
)

# Repository metadata as the collector would return it (stars and descriptions constructed for
# the test; languages as GitHub shows them for these repositories).
REPOSITORIES = {
    info.name_with_owner: info
    for info in (
        RepositoryInfo(
            "kozistr/pytorch_optimizer",
            "kozistr",
            135,
            "optimizer & lr scheduler & loss function collections in PyTorch",
            "Python",
            "https://github.com/kozistr/pytorch_optimizer",
        ),
        RepositoryInfo(
            "kozistr/kozistr.github.io",
            "kozistr",
            12,
            "Personal blog, built with Gatsby",
            "JavaScript",
            "https://github.com/kozistr/kozistr.github.io",
        ),
        RepositoryInfo(
            "kozistr/catboost-server-rs",
            "kozistr",
            8,
            "CatBoost model server written in Rust",
            "Rust",
            "https://github.com/kozistr/catboost-server-rs",
        ),
        RepositoryInfo(
            "kozistr/Awesome-GANs",
            "kozistr",
            760,
            "Awesome Generative Adversarial Networks with tensorflow",
            "Python",
            "https://github.com/kozistr/Awesome-GANs",
        ),
        RepositoryInfo(DAILY, "kozistr", 3, "profile README", None, "https://github.com/kozistr"),
    )
}


def _daily(year: int) -> list[ClassifiedCommit]:
    """One Action commit a day in kozistr/kozistr, automated."""
    day = datetime(year, 1, 1, 0, 7, tzinfo=UTC)
    commits = []
    while day.year == year:
        commit = Commit(
            sha=f"daily-{day.date().isoformat()}",
            repository=DAILY,
            author=ACTIONS,
            committer=ACTIONS,
            authored_at=day,
            committed_at=day,
            message="chore: update stats",
        )
        commits.append(ClassifiedCommit(commit, (SCHEDULED_CADENCE,)))
        day += timedelta(days=1)
    return commits


def classified(year: int) -> list[ClassifiedCommit]:
    real = [ClassifiedCommit(history_commit(line), ()) for line in history_lines(year)]
    return real + _daily(year)


def raw_counts(year: int) -> Counter[str]:
    """Commits per repository straight from the jsonl files, each SHA once."""
    return Counter({line["sha"]: line["repo"] for line in history_lines(year)}.values())


def projects(
    commits: list[ClassifiedCommit] | None = None,
    *,
    top: int = 3,
    overrides: dict[str, ProjectOverride] | None = None,
    stars_gained: dict[str, int | None] | None = None,
    releases: dict[str, list[Release]] | None = None,
    packages: tuple[str, ...] = (),
    repositories: dict[str, RepositoryInfo] | None = None,
    include_prereleases: bool = False,
    stars_after: dict[str, int | None] | None = None,
) -> tuple[ProjectOfYear, ...]:
    return projects_of_year(
        classified(2022) if commits is None else commits,
        REPOSITORIES if repositories is None else repositories,
        user=USER,
        year=2022,
        tz=SEOUL,
        top=top,
        overrides=overrides or {},
        stars_gained=stars_gained or {},
        releases=releases or {},
        packages=packages,
        include_prereleases=include_prereleases,
        stars_after=stars_after,
    )


def _plain(repository: str, sha: str, when: datetime | None = None) -> ClassifiedCommit:
    me = Identity("Kim", "kim@example.com", "kim")
    moment = when or datetime(2022, 5, 1, tzinfo=UTC)
    return ClassifiedCommit(Commit(sha, repository, me, me, moment, moment, "fix"), ())


# --- ranking ----------------------------------------------------------------------------------


def test_the_top_three_of_2022() -> None:
    counts = raw_counts(2022)
    result = projects()

    assert [p.repository for p in result] == [
        "kozistr/pytorch_optimizer",
        "kozistr/kozistr.github.io",
        "kozistr/catboost-server-rs",
    ]
    assert [p.human_commits for p in result] == [
        counts["kozistr/pytorch_optimizer"],
        counts["kozistr/kozistr.github.io"],
        counts["kozistr/catboost-server-rs"],
    ]
    assert [p.human_commits for p in result] == [639, 292, 24]  # tests/data/git-history/README.md
    first = result[0]
    assert first.title == "pytorch_optimizer"
    assert first.language == "Python"
    assert first.stars == 135
    assert first.url == "https://github.com/kozistr/pytorch_optimizer"
    assert first.description == REPOSITORIES["kozistr/pytorch_optimizer"].description
    assert json.loads(msgspec.json.encode(first)) == {
        "repository": "kozistr/pytorch_optimizer",
        "title": "pytorch_optimizer",
        "description": REPOSITORIES["kozistr/pytorch_optimizer"].description,
        "language": "Python",
        "url": "https://github.com/kozistr/pytorch_optimizer",
        "stars": 135,
        "stars_gained": None,
        "human_commits": 639,
        "releases_in_year": 0,
        "release_tags": [],
        "package": None,
        "notes": None,
        "stars_at_year_end": None,
    }


def test_the_daily_action_repository_is_never_a_project() -> None:
    commits = classified(2022)
    assert sum(1 for c in commits if c.commit.repository == DAILY) == 365
    # More commits than catboost-server-rs, but none of them human.
    result = projects(commits, top=10)
    assert DAILY not in {p.repository for p in result}
    assert len(result) == 4  # the four real repositories, Awesome-GANs last with 3
    assert result[-1].repository == "kozistr/Awesome-GANs"
    assert result[-1].human_commits == 3


def test_human_commits_agree_with_the_commit_summary() -> None:
    commits = classified(2022)
    summary = {r.repository: r.human for r in summarize(commits).by_repository}
    for project in projects(commits, top=10):
        assert project.human_commits == summary[project.repository]


def test_automated_commits_of_a_repository_do_not_count() -> None:
    commits = classified(2022)
    blog = "kozistr/kozistr.github.io"
    # Mark every blog commit automated: the blog drops out, Awesome-GANs moves up.
    changed = [
        ClassifiedCommit(c.commit, (SCHEDULED_CADENCE,)) if c.commit.repository == blog else c
        for c in commits
    ]
    assert [p.repository for p in projects(changed)] == [
        "kozistr/pytorch_optimizer",
        "kozistr/catboost-server-rs",
        "kozistr/Awesome-GANs",
    ]


def test_a_commit_seen_twice_counts_once() -> None:
    commits = classified(2022)
    doubled = commits + [c for c in commits if c.commit.repository == "kozistr/Awesome-GANs"]
    assert projects(doubled, top=10)[-1].human_commits == 3


def test_ties_go_to_more_stars_then_the_users_own_then_the_name() -> None:
    repositories = {
        "kim/b": RepositoryInfo("kim/b", "kim", 5),
        "kim/a": RepositoryInfo("kim/a", "kim", 5),
        "kim/starry": RepositoryInfo("kim/starry", "kim", 50),
        "kim/unknown-stars": RepositoryInfo("kim/unknown-stars", "kim", None),
        "other/a": RepositoryInfo("other/a", "other", 5),
    }
    commits = []
    for name in [*repositories, "kim/not-collected"]:
        commits += [_plain(name, f"{name}-{i}") for i in range(2)]
    commits.append(_plain("kim/most", "most-0"))
    commits += [_plain("kim/most", f"most-{i}") for i in range(1, 4)]

    result = projects_of_year(
        commits,
        repositories,
        user="Kim",  # any case
        year=2022,
        tz=UTC,
        top=10,
        overrides={},
        stars_gained={},
        releases={},
        packages=(),
    )

    assert [p.repository for p in result] == [
        "kim/most",
        "kim/starry",
        "kim/a",
        "kim/b",
        "other/a",
        "kim/not-collected",
        "kim/unknown-stars",
    ]
    unknown = result[-2]
    assert (unknown.stars, unknown.language, unknown.description, unknown.url) == (
        None,
        None,
        None,
        None,
    )
    assert unknown.title == "not-collected"


def test_forks_are_not_projects() -> None:
    repositories = {
        "kim/tool": RepositoryInfo("kim/tool", "kim", 1),
        "kim/fork": RepositoryInfo("kim/fork", "kim", 0, is_fork=True),
    }
    commits = [_plain("kim/fork", f"f{i}") for i in range(5)] + [_plain("kim/tool", "t")]
    result = projects(commits, repositories=repositories, top=5)
    assert [p.repository for p in result] == ["kim/tool"]


@pytest.mark.parametrize("top", [0, -1])
def test_no_room_means_no_projects(top: int) -> None:
    assert projects(top=top) == ()


# --- overrides --------------------------------------------------------------------------------


def test_overrides_give_title_notes_and_package() -> None:
    overrides = {
        "kozistr/kozistr.github.io": ProjectOverride(title="The blog", notes="Moved to Gatsby 4."),
        # keys are matched without regard to case, as GitHub does
        "KOZISTR/Catboost-Server-RS": ProjectOverride(package="catboost-serving"),
    }
    blog, server = projects(overrides=overrides)[1:]

    assert (blog.title, blog.notes, blog.package) == ("The blog", "Moved to Gatsby 4.", None)
    assert (server.title, server.notes, server.package) == (
        "catboost-server-rs",
        None,
        "catboost-serving",
    )


def test_hide_drops_a_repository_and_the_next_one_moves_up() -> None:
    overrides = {"kozistr/pytorch_optimizer": ProjectOverride(hide=True)}
    assert [p.repository for p in projects(overrides=overrides)] == [
        "kozistr/kozistr.github.io",
        "kozistr/catboost-server-rs",
        "kozistr/Awesome-GANs",
    ]


# --- package linking --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spelling", ["pytorch-optimizer", "pytorch_optimizer", "PyTorch.Optimizer"]
)
def test_a_package_is_linked_by_its_normalised_name(spelling: str) -> None:
    result = projects(packages=("catboost", spelling))
    assert [p.package for p in result] == [spelling, None, None]


def test_normalised_names_follow_pep_503() -> None:
    assert normalize("pytorch_optimizer") == "pytorch-optimizer"
    assert normalize("Foo.._-Bar") == "foo-bar"


def test_an_override_package_wins_over_the_name() -> None:
    overrides = {"kozistr/pytorch_optimizer": ProjectOverride(package="torch-optimizer-kit")}
    result = projects(overrides=overrides, packages=("pytorch-optimizer",))
    assert result[0].package == "torch-optimizer-kit"


def test_a_package_is_shown_under_one_project_only() -> None:
    # An external repository with the same normalised name as the user's own, fewer commits.
    external = "someone/Pytorch-Optimizer"
    repositories = {**REPOSITORIES, external: RepositoryInfo(external, "someone", 3000)}
    commits = classified(2022) + [_plain(external, f"ext-{i}") for i in range(30)]

    result = projects(commits, repositories=repositories, top=5, packages=("pytorch-optimizer",))

    assert [p.repository for p in result][:3] == [
        "kozistr/pytorch_optimizer",
        "kozistr/kozistr.github.io",
        external,  # 30 human commits, ahead of catboost-server-rs
    ]
    assert [p.package for p in result].count("pytorch-optimizer") == 1
    assert result[0].package == "pytorch-optimizer"

    # When an override names the package for another repository, name matching leaves it alone.
    overrides = {external: ProjectOverride(package="pytorch-optimizer")}
    result = projects(
        commits,
        repositories=repositories,
        top=5,
        overrides=overrides,
        packages=("pytorch-optimizer",),
    )
    assert {p.repository: p.package for p in result if p.package} == {external: "pytorch-optimizer"}


# --- stars and releases -----------------------------------------------------------------------


def test_stars_gained_are_passed_through_and_unknown_is_none() -> None:
    result = projects(
        stars_gained={"kozistr/pytorch_optimizer": 97, "kozistr/kozistr.github.io": None}
    )
    assert [p.stars_gained for p in result] == [97, None, None]


def test_stars_gained_counts_only_stars_inside_the_year() -> None:
    stars = [
        datetime(2021, 12, 31, 14, 59, tzinfo=UTC),  # 23:59 on 31 Dec 2021 in Seoul
        datetime(2021, 12, 31, 15, 0, tzinfo=UTC),  # midnight, 1 Jan 2022 in Seoul
        datetime(2022, 7, 1, tzinfo=UTC),
        datetime(2022, 12, 31, 14, 59, tzinfo=UTC),  # 23:59 on 31 Dec 2022 in Seoul
        datetime(2022, 12, 31, 15, 0, tzinfo=UTC),  # 2023 in Seoul
        datetime(2023, 2, 1, tzinfo=UTC),
    ]
    assert stars_gained_in_year(stars, year=2022, tz=SEOUL) == 3
    assert stars_gained_in_year(stars, year=2022, tz=UTC) == 3  # a different three
    assert stars_gained_in_year(stars[:1] + stars[-2:], year=2022, tz=UTC) == 1
    # GitHub's times are UTC: a naive time is read as UTC.
    assert stars_gained_in_year([datetime(2021, 12, 31, 20, 0)], year=2022, tz=SEOUL) == 1
    assert stars_gained_in_year([], year=2022, tz=UTC) == 0


def test_stars_after_the_year_count_only_stars_given_since_it_ended() -> None:
    newest_first = [
        datetime(2023, 3, 1, tzinfo=UTC),
        datetime(2022, 12, 31, 15, 0, tzinfo=UTC),  # 2023 in Seoul, 2022 in UTC
        datetime(2022, 7, 1, tzinfo=UTC),
        datetime(2022, 1, 2, tzinfo=UTC),
    ]
    assert stars_after_year(newest_first, year=2022, tz=SEOUL, complete=True) == 2
    assert stars_after_year(newest_first, year=2022, tz=UTC, complete=True) == 1
    # A walk cut short still knows them all once it has reached a star inside the year…
    assert stars_after_year(newest_first[:3], year=2022, tz=SEOUL, complete=False) == 2
    # …but not while every star it read came after the year.
    assert stars_after_year(newest_first[:2], year=2022, tz=SEOUL, complete=False) is None
    assert stars_after_year([], year=2022, tz=SEOUL, complete=True) == 0


def test_stars_at_the_year_end_are_current_stars_less_those_given_since() -> None:
    current = {name: info.stars for name, info in REPOSITORIES.items()}
    result = projects(
        stars_after={"kozistr/pytorch_optimizer": 10, "kozistr/kozistr.github.io": None}
    )
    by_name = {p.repository: p for p in result}
    optimizer = by_name["kozistr/pytorch_optimizer"]
    assert optimizer.stars == current["kozistr/pytorch_optimizer"]
    assert optimizer.stars_at_year_end == optimizer.stars - 10
    assert by_name["kozistr/kozistr.github.io"].stars_at_year_end is None  # unknown
    assert all(p.stars_at_year_end is None for p in projects())  # not read at all


def _release(tag: str, when: datetime | None, prerelease: bool = False) -> Release:
    return Release("kozistr/pytorch_optimizer", tag, tag, when, prerelease)


def test_releases_in_year_count_only_the_years_final_releases() -> None:
    releases = {
        "kozistr/pytorch_optimizer": [
            _release("v2.1.0", datetime(2023, 1, 3, tzinfo=UTC)),
            _release("v2.0.1", datetime(2022, 12, 31, 14, 0, tzinfo=UTC)),  # 23:00 in Seoul
            _release("v2.0.0rc1", datetime(2022, 11, 1, tzinfo=UTC), prerelease=True),
            _release("v1.3.2", datetime(2022, 6, 1, tzinfo=UTC)),
            _release("v1.0.0", datetime(2021, 12, 31, 15, 30, tzinfo=UTC)),  # 1 Jan in Seoul
            _release("v0.9.0", datetime(2021, 12, 31, 14, 30, tzinfo=UTC)),  # 2021 in Seoul
            _release("unpublished", None),
        ]
    }
    first = projects(releases=releases)[0]
    assert first.releases_in_year == 3
    assert first.release_tags == ("v1.0.0", "v1.3.2", "v2.0.1")  # oldest first

    with_pre = projects(releases=releases, include_prereleases=True)[0]
    assert with_pre.release_tags == ("v1.0.0", "v1.3.2", "v2.0.0rc1", "v2.0.1")

    others = projects(releases=releases)[1:]
    assert [(p.releases_in_year, p.release_tags) for p in others] == [(0, ()), (0, ())]


def test_releases_of_year_in_utc() -> None:
    chosen = releases_of_year(
        [_release("a", datetime(2021, 12, 31, 15, 30, tzinfo=UTC))], year=2022, tz=UTC
    )
    assert chosen == ()


# --- languages --------------------------------------------------------------------------------


def _expected_languages(year: int) -> Counter[str]:
    """Human commits per language, from the raw files and the metadata above."""
    languages: Counter[str] = Counter()
    for repository, count in raw_counts(year).items():
        languages[REPOSITORIES[repository].language or OTHER_LANGUAGE] += count
    return languages


def test_languages_of_2022_add_up_to_all_real_commits() -> None:
    commits = classified(2022)
    shares = languages_of_year(commits, REPOSITORIES)
    expected = _expected_languages(2022)
    real = sum(1 for c in commits if not c.automated)

    assert [s.name for s in shares] == ["Python", "JavaScript", "Rust"]
    assert {s.name: s.human_commits for s in shares} == dict(expected)
    assert sum(s.human_commits for s in shares) == real == 958
    assert sum(s.share for s in shares) == 1.0
    assert math.fsum(s.share for s in shares) == 1.0
    for s in shares:
        assert s.share == pytest.approx(s.human_commits / real, abs=1e-15)
    assert [s.share for s in shares] == sorted((s.share for s in shares), reverse=True)
    assert msgspec.to_builtins(shares[0]) == {
        "name": "Python",
        "human_commits": 642,
        "share": shares[0].share,
    }


def test_display_percentages_of_2022() -> None:
    shares = languages_of_year(classified(2022), REPOSITORIES)
    # Python 642/958 = 67.01 %, JavaScript 292/958 = 30.48 %, Rust 24/958 = 2.51 %: the floors
    # add up to 99 and Rust has the largest remainder.
    assert display_percentages(shares) == [67, 30, 3]


def test_a_repository_without_a_known_language_counts_as_other() -> None:
    repositories = {
        "kim/py": RepositoryInfo("kim/py", "kim", 1, language="Python"),
        "kim/none": RepositoryInfo("kim/none", "kim", 1, language=None),
    }
    commits = [_plain("kim/py", "p1"), _plain("kim/none", "n1"), _plain("kim/none", "n2")]
    commits.append(_plain("kim/unlisted", "u1"))  # not in the metadata at all
    shares = languages_of_year(commits, repositories)
    assert [(s.name, s.human_commits) for s in shares] == [(OTHER_LANGUAGE, 3), ("Python", 1)]


def test_no_real_commits_no_languages() -> None:
    assert languages_of_year(_daily(2022), REPOSITORIES) == ()
    assert display_percentages(()) == []


def test_shares_add_up_to_exactly_one_for_any_counts() -> None:
    rng = random.Random(2022)
    for case in range(300):
        counts = [rng.randint(1, rng.choice([3, 60, 300])) for _ in range(rng.randint(1, 14))]
        commits = []
        repositories = {}
        for i, count in enumerate(counts):
            name = f"kim/r{i}"
            repositories[name] = RepositoryInfo(name, "kim", 0, language=f"L{i}")
            commits += [_plain(name, f"{case}-{i}-{n}") for n in range(count)]
        shares = languages_of_year(commits, repositories)
        assert sum(s.share for s in shares) == 1.0
        assert math.fsum(s.share for s in shares) == 1.0
        assert sorted(s.human_commits for s in shares) == sorted(counts)


def _shares(counts: list[int]) -> list[LanguageShare]:
    total = sum(counts)
    return [LanguageShare(f"L{i}", c, c / total) for i, c in enumerate(counts)]


def test_display_percentages_use_largest_remainders() -> None:
    rng = random.Random(503)
    for _ in range(2000):
        counts = sorted((rng.randint(1, 400) for _ in range(rng.randint(1, 9))), reverse=True)
        total = sum(counts)
        percentages = display_percentages(_shares(counts))
        assert sum(percentages) == 100
        quotas = [Fraction(100 * c, total) for c in counts]
        up = [i for i, (p, q) in enumerate(zip(percentages, quotas, strict=True)) if p > q]
        down = [i for i in range(len(counts)) if i not in up]
        for p, q in zip(percentages, quotas, strict=True):
            assert p in (math.floor(q), math.ceil(q))
        # Every quota rounded up has a remainder at least as large as every one rounded down.
        if up and down:
            assert min(quotas[i] % 1 for i in up) >= max(quotas[i] % 1 for i in down)


def test_display_percentages_of_three_equal_languages() -> None:
    assert display_percentages(_shares([1, 1, 1])) == [34, 33, 33]


def test_rust_is_the_new_language_of_2022() -> None:
    before = languages_of_year(classified(2021), REPOSITORIES)
    now = languages_of_year(classified(2022), REPOSITORIES)

    assert {s.name for s in before} == set(_expected_languages(2021)) == {"Python", "JavaScript"}
    assert new_languages(now, before) == ("Rust",)
    assert new_languages(before, now) == ()
    assert new_languages(now, ()) == ("Python", "JavaScript", "Rust")


def test_other_is_never_a_new_language() -> None:
    current = (LanguageShare("Other", 5, 0.5), LanguageShare("go", 5, 0.5))
    previous = (LanguageShare("Go", 2, 1.0),)
    assert new_languages(current, previous) == ()
