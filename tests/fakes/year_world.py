"""Constructed years of a busy developer, for request-count tests and benchmarks/year.py.

`build_year(spec)` makes, deterministically from `spec.seed`:

- repositories owned by the user, with commits per repository falling off like a power law
  (a few busy projects, many small ones), each repository active over a stretch of the year
  that grows with its commits, commits at working hours (UTC), a few of them committed days
  after they were authored (rebases), and some commits by other people in the busier ones;
- the same for the year before (for --compare), at about two thirds of the pace;
- stars given over three years (more for the busier projects), releases for the packaged ones,
  pull requests (most to the user's own repositories, some to other people's), issue and
  review contributions;
- packages named after the busiest repositories, with releases and a daily download count
  from their first upload to the day before `spec.today` (tests/fakes/packages_world.py).

The truth a test needs is in the world itself (`GitHubWorld.commit_contributions`, the packages'
days), never computed from what devstats returns.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from tests.fakes.github_world import (
    FakeCommit,
    FakeGitHubRelease,
    FakePullRequest,
    GitHubWorld,
    fake_sha,
)
from tests.fakes.packages_world import FakePackage, PackagesWorld

LOGIN = "dana"
EMAIL = "dana@example.com"
OTHERS = ("lee", "kim", "park")


@dataclass(frozen=True)
class YearSpec:
    label: str
    repositories: int
    commits: int  # commit contributions in `year`
    packages: int
    year: int = 2025
    seed: int = 2025
    previous_share: float = 0.65  # commits of the year before, as a share of `commits`

    @property
    def today(self) -> date:
        """The day the report is made: two weeks into the next year."""
        return date(self.year + 1, 1, 15)


SMALL = YearSpec("small: 15 repositories, 1.7k commits, 5 packages", 15, 1_700, 5)
LARGE = YearSpec("large: 300 repositories, 15k commits, 20 packages", 300, 15_000, 20)


def repository_name(index: int) -> str:
    return f"tool-{index:03d}"


def _shares(count: int, total: int) -> list[int]:
    """`total` split over `count` repositories like a power law, at least 1 each."""
    if total <= count:
        return [1] * total + [0] * (count - total)
    weights = [1 / (i + 1) ** 0.8 for i in range(count)]
    scale = (total - count) / sum(weights)
    shares = [1 + int(w * scale) for w in weights]
    for i in range(total - sum(shares)):
        shares[i % count] += 1
    return shares


def _commit_times(rng: random.Random, year: int, count: int) -> list[datetime]:
    """`count` moments in a stretch of `year` that grows with `count`."""
    days_in_year = (date(year + 1, 1, 1) - date(year, 1, 1)).days
    length = min(days_in_year, 14 + int(4 * count**0.8))
    first = rng.randrange(days_in_year - length + 1)
    start = datetime(year, 1, 1, tzinfo=UTC)
    moments = []
    for _ in range(count):
        day = first + rng.randrange(length)
        seconds = rng.randrange(8 * 3600, 24 * 3600)
        moments.append(start + timedelta(days=day, seconds=seconds))
    return sorted(moments)


def _add_commits(world: GitHubWorld, rng: random.Random, spec: YearSpec, year: int) -> None:
    total = spec.commits if year == spec.year else int(spec.commits * spec.previous_share)
    for index, count in enumerate(_shares(spec.repositories, total)):
        name = repository_name(index)
        for n, authored in enumerate(_commit_times(rng, year, count)):
            # A few commits are rebased: committed days after they were authored.
            lag = timedelta(hours=rng.randrange(1, 72)) if rng.random() < 0.03 else timedelta()
            world.add_commit(
                f"{LOGIN}/{name}",
                FakeCommit(
                    fake_sha(name, year, n),
                    "Dana",
                    EMAIL,
                    authored,
                    "Dana",
                    EMAIL,
                    authored + lag,
                    f"Change {n} of {name} in {year}",
                ),
            )
        # Other people's commits, which the history's author filter leaves out.
        for n, when in enumerate(_commit_times(rng, year, count // 10)):
            other = OTHERS[n % len(OTHERS)]
            email = f"{other}@example.com"
            world.add_commit(
                f"{LOGIN}/{name}",
                FakeCommit(
                    fake_sha(name, year, other, n), other, email, when, other, email, when, "Fix"
                ),
            )


def _add_stars_and_releases(world: GitHubWorld, rng: random.Random, spec: YearSpec) -> None:
    first = datetime(spec.year - 2, 1, 1, tzinfo=UTC)
    span = (datetime(spec.year + 1, 1, 10, tzinfo=UTC) - first).total_seconds()
    for index in range(spec.repositories):
        repository = world.repositories[f"{LOGIN}/{repository_name(index)}"]
        given = int(900 / (index + 1) ** 0.9) + rng.randrange(5)
        repository.starred_at = sorted(
            first + timedelta(seconds=rng.randrange(int(span))) for _ in range(given)
        )
        repository.stars = given
    for index in range(spec.packages):
        repository = world.repositories[f"{LOGIN}/{repository_name(index)}"]
        repository.releases = [
            FakeGitHubRelease(f"v{version}", f"{repository.name} {version}", uploaded)
            for version, uploaded in _versions(random.Random(spec.seed * 100 + index), spec, index)
        ]


def _versions(rng: random.Random, spec: YearSpec, index: int) -> list[tuple[str, datetime]]:
    """Releases every few weeks from a first upload one to two years before the year's end."""
    moment = datetime(spec.year - 1, 1, 1, tzinfo=UTC) + timedelta(days=rng.randrange(300))
    end = datetime(spec.year, 12, 20, tzinfo=UTC)
    versions = []
    minor = 0
    while moment < end:
        versions.append((f"0.{minor}.{index % 3}", moment))
        minor += 1
        moment += timedelta(days=rng.randrange(20, 60), hours=rng.randrange(24))
    return versions


def _add_pull_requests(world: GitHubWorld, rng: random.Random, spec: YearSpec) -> None:
    start = datetime(spec.year, 1, 1, tzinfo=UTC)
    for n in range(max(10, spec.repositories // 2)):
        external = n % 5 == 0
        repository = (
            f"org{n % 7}/project{n % 11}"
            if external
            else f"{LOGIN}/{repository_name(n % spec.repositories)}"
        )
        created = start + timedelta(days=rng.randrange(360), hours=rng.randrange(24))
        merged = created + timedelta(days=rng.randrange(1, 5)) if rng.random() < 0.7 else None
        world.add_pull_request(
            FakePullRequest(
                repository,
                n + 1,
                f"Pull request {n}",
                LOGIN,
                "MERGED" if merged else "OPEN",
                created,
                merged,
            )
        )
    user = world.user(LOGIN)
    assert user is not None
    user.issues = [start + timedelta(hours=rng.randrange(360 * 24)) for _ in range(60)]
    user.reviews = [start + timedelta(hours=rng.randrange(360 * 24)) for _ in range(80)]


def _downloads(rng: random.Random, spec: YearSpec, index: int, first: date) -> FakePackage:
    versions = _versions(random.Random(spec.seed * 100 + index), spec, index)
    mean = 4000 / (index + 1)
    daily: dict[date, int] = {}
    mirrored: dict[date, int] = {}
    day = first
    while day < spec.today:
        weekend = 0.6 if day.weekday() >= 5 else 1.0
        daily[day] = max(0, round(mean * weekend * rng.uniform(0.7, 1.3)))
        mirrored[day] = rng.randrange(0, 5)
        day += timedelta(days=1)
    return FakePackage(repository_name(index), tuple(versions), daily, mirrored)


@dataclass
class YearWorld:
    spec: YearSpec
    github: GitHubWorld
    packages: PackagesWorld

    @property
    def package_names(self) -> list[str]:
        return [repository_name(i) for i in range(self.spec.packages)]


def build_year(spec: YearSpec) -> YearWorld:
    rng = random.Random(spec.seed)
    world = GitHubWorld()
    world.add_user(LOGIN, emails=[EMAIL], name="Dana")
    for other in OTHERS:
        world.add_user(other, emails=[f"{other}@example.com"])
    for index in range(spec.repositories):
        language = ("Python", "Rust", "TypeScript", "Go")[index % 4]
        world.add_repository(LOGIN, repository_name(index), language=language)
    _add_commits(world, rng, spec, spec.year - 1)
    _add_commits(world, rng, spec, spec.year)
    _add_stars_and_releases(world, rng, spec)
    _add_pull_requests(world, rng, spec)
    packages = []
    for index in range(spec.packages):
        versions = _versions(random.Random(spec.seed * 100 + index), spec, index)
        packages.append(_downloads(rng, spec, index, versions[0][1].date()))
    return YearWorld(spec, world, PackagesWorld(packages, spec.today))
