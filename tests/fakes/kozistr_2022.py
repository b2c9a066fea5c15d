"""The demo dataset: GitHub as it looks for user kozistr in 2022 (and 2021, for year-over-year).

Real part: every commit in tests/data/git-history (958 lines for 2022, 550 for 2021), unchanged.
Constructed part (deterministic, seeded; each piece documented in cassettes/README.md with the
reasoning): the GitHub-side facts git does not record — which account an e-mail belongs to,
stars, descriptions and languages, the pull requests, issue/review/private contribution times —
and the commits of the daily-Action repository kozistr/kozistr, which is not public data.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from tests.fakes.github_world import (
    FakeCommit,
    FakeGitHub,
    FakeGitHubRelease,
    FakePullRequest,
    GitHubWorld,
    fake_sha,
)
from tests.fakes.paths import DATA
from tests.fakes.pypi_world import derive_releases

GIT_HISTORY = DATA / "git-history"
LOGIN = "kozistr"
# The e-mails GitHub links to the account: the one in the real history, and the account's
# noreply address (used by the Action that commits on the user's behalf).
EMAILS = ("kozistr@gmail.com", "kozistr@users.noreply.github.com")
NOREPLY = "kozistr@users.noreply.github.com"
GITHUB_ACTIONS = ("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com")
SEED = 2022

# Constructed repository metadata (stars as of the end of 2022, approximate by design).
OWN_REPOSITORIES: dict[str, dict[str, Any]] = {
    "pytorch_optimizer": {
        "stars": 135,
        "description": "optimizer & lr scheduler & loss function collections in PyTorch",
        "language": "Python",
    },
    "kozistr.github.io": {
        "stars": 12,
        "description": "Personal blog, built with Gatsby",
        "language": "JavaScript",
        "default_branch": "master",
    },
    "catboost-server-rs": {
        "stars": 8,
        "description": "CatBoost model server written in Rust",
        "language": "Rust",
    },
    "Awesome-GANs": {
        "stars": 760,
        "description": "Awesome Generative Adversarial Networks with tensorflow",
        "language": "Python",
        "default_branch": "master",
    },
}
DAILY_REPOSITORY = "kozistr/kozistr"
DAILY_REPOSITORY_META = {
    "stars": 3,
    "description": "profile README; stats refreshed daily by a GitHub Action",
    "language": None,
}


@dataclass(frozen=True)
class ExternalPullRequest:
    repository: str
    stars: int
    language: str
    description: str
    number: int
    title: str
    state: str
    created_at: datetime
    merged_at: datetime | None


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# Constructed: pull requests to exactly 5 projects the user does not own.
EXTERNAL_PULL_REQUESTS: tuple[ExternalPullRequest, ...] = (
    ExternalPullRequest(
        "huggingface/pytorch-image-models",
        24100,
        "Python",
        "PyTorch image models, scripts, pretrained weights",
        1361,
        "Fix the default betas of the Adan optimizer",
        "MERGED",
        _utc("2022-08-30T12:41:07"),
        _utc("2022-09-02T03:10:44"),
    ),
    ExternalPullRequest(
        "huggingface/pytorch-image-models",
        24100,
        "Python",
        "PyTorch image models, scripts, pretrained weights",
        1402,
        "Add a weight decay note to the MADGRAD docstring",
        "CLOSED",
        _utc("2022-10-05T09:15:30"),
        None,
    ),
    ExternalPullRequest(
        "jettify/pytorch-optimizer",
        2800,
        "Python",
        "torch-optimizer -- collection of optimizers for Pytorch",
        461,
        "Fix AdaBelief bias correction when rectify is disabled",
        "MERGED",
        _utc("2022-02-11T13:02:55"),
        _utc("2022-02-14T08:47:12"),
    ),
    ExternalPullRequest(
        "Lightning-AI/lightning",
        22300,
        "Python",
        "Deep learning framework to train, deploy, and ship AI products Lightning fast.",
        14812,
        "docs: mention third-party optimizer packages",
        "OPEN",
        _utc("2022-09-21T10:20:18"),
        None,
    ),
    ExternalPullRequest(
        "catboost/catboost",
        7000,
        "C++",
        "A fast, scalable, high performance Gradient Boosting on Decision Trees library",
        2174,
        "Fix a typo in the Rust package README",
        "MERGED",
        _utc("2022-07-25T05:33:41"),
        _utc("2022-07-26T11:02:09"),
    ),
    ExternalPullRequest(
        "catboost/catboost",
        7000,
        "C++",
        "A fast, scalable, high performance Gradient Boosting on Decision Trees library",
        2209,
        "Rust: expose prediction for a single row of features",
        "CLOSED",
        _utc("2022-08-16T02:48:55"),
        None,
    ),
    ExternalPullRequest(
        "optuna/optuna",
        8400,
        "Python",
        "A hyperparameter optimization framework",
        3867,
        "Add an example that tunes a custom PyTorch optimizer",
        "MERGED",
        _utc("2022-08-08T11:26:31"),
        _utc("2022-08-19T07:58:02"),
    ),
    ExternalPullRequest(
        "optuna/optuna",
        8400,
        "Python",
        "A hyperparameter optimization framework",
        4203,
        "Fix a broken link in the PyTorch integration docs",
        "OPEN",
        _utc("2022-12-06T14:09:50"),
        None,
    ),
)

# Constructed: when the stars were given: (first day, stars before 2022, stars during 2022).
# The total matches OWN_REPOSITORIES / DAILY_REPOSITORY_META; times are uniform in each span.
STAR_HISTORY: dict[str, tuple[date, int, int]] = {
    "kozistr/pytorch_optimizer": (date(2021, 9, 21), 38, 97),
    "kozistr/kozistr.github.io": (date(2019, 1, 1), 9, 3),
    "kozistr/catboost-server-rs": (date(2022, 7, 1), 0, 8),
    "kozistr/Awesome-GANs": (date(2017, 12, 1), 715, 45),
    DAILY_REPOSITORY: (date(2022, 1, 1), 0, 3),
}
# GitHub releases of pytorch_optimizer: one per PyPI release of the fake PyPI, published five
# minutes before the upload (the project's publish workflow runs on a created release).
RELEASE_TO_UPLOAD = timedelta(minutes=5)

# Constructed: contributions that exist only as counts (see cassettes/README.md).
PRIVATE_COMMITS = {2021: 960, 2022: 262}  # commits in private repositories
ISSUES = {2021: 15, 2022: 18}
REVIEWS = {2021: 12, 2022: 24}
RESTRICTED = {2021: 31, 2022: 38}

# The Action's cron is 0 0 * * * (UTC); GitHub starts scheduled runs late, here 3-25 minutes.
DAILY_DELAY_MINUTES = (3, 25)
BOT_COMMITTED = (  # (when, message): authored by the user, committed by github-actions[bot]
    (_utc("2022-03-14T12:17:40"), "chore: update metrics.svg"),
    (_utc("2022-07-08T04:51:02"), "chore: update metrics.svg"),
    (_utc("2022-10-21T23:36:15"), "chore: update metrics.svg"),
)
SKIP_CI = (  # (when, message): authored and committed by the user, CI skipped on purpose
    (_utc("2022-05-02T13:05:11"), "[skip ci] bump version to 1.1.0"),
    (_utc("2022-11-27T06:40:58"), "[skip ci] bump version to 1.2.0"),
)


# --- the real part ------------------------------------------------------------------------------


def history_lines(year: int) -> list[dict[str, Any]]:
    """The raw commit lines of one year, as stored in tests/data/git-history."""
    lines = []
    for path in sorted((GIT_HISTORY / f"kozistr-{year}").glob("*.jsonl")):
        with path.open(encoding="utf-8") as handle:
            lines.extend(json.loads(line) for line in handle if line.strip())
    return lines


def _commit_from_line(line: dict[str, Any]) -> FakeCommit:
    author, committer = line["author"], line["committer"]
    return FakeCommit(
        sha=line["sha"],
        author_name=author["name"],
        author_email=author["email"],
        authored_at=datetime.fromisoformat(author["date"]),
        committer_name=committer["name"],
        committer_email=committer["email"],
        committed_at=datetime.fromisoformat(committer["date"]),
        message=line["message"],
    )


_MERGE = re.compile(r"Merge pull request #(\d+) from ([^/\s]+)/(\S+)")


def pull_requests_from_merges(
    lines: list[dict[str, Any]], rng: random.Random
) -> list[FakePullRequest]:
    """Pull requests behind the real "Merge pull request #N from owner/branch" commits.

    Number, title (the merge message's last line), merge time and head owner are real; the
    author is the head owner, or dependabot[bot] for its branches; the opening time is
    constructed (1-72 hours before the merge).
    """
    pulls = []
    for line in lines:
        match = _MERGE.match(line["message"])
        if not match:
            continue
        number, head_owner, branch = int(match.group(1)), match.group(2), match.group(3)
        author = "dependabot[bot]" if branch.startswith("dependabot/") else head_owner
        merged = datetime.fromisoformat(line["committer"]["date"]).astimezone(UTC)
        created = merged - timedelta(minutes=rng.randint(60, 72 * 60))
        title = line["message"].strip().splitlines()[-1].strip()
        pulls.append(
            FakePullRequest(line["repo"], number, title, author, "MERGED", created, merged)
        )
    return pulls


# --- the constructed part -----------------------------------------------------------------------


def daily_commits(year: int = 2022) -> list[FakeCommit]:
    """One commit a day from the Action, under the user's own identity."""
    rng = random.Random(f"{SEED}-daily-{year}")
    commits = []
    day = date(year, 1, 1)
    while day.year == year:
        when = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(
            minutes=rng.randint(*DAILY_DELAY_MINUTES), seconds=rng.randint(0, 59)
        )
        message = f"chore: update stats ({day.isoformat()})"
        commits.append(
            FakeCommit(
                fake_sha(DAILY_REPOSITORY, day.isoformat()),
                LOGIN,
                EMAILS[0],
                when,
                LOGIN,
                EMAILS[0],
                when,
                message,
            )
        )
        day += timedelta(days=1)
    return commits


def bot_committed_commits() -> list[FakeCommit]:
    return [
        FakeCommit(
            fake_sha(DAILY_REPOSITORY, "bot", when.isoformat()),
            LOGIN,
            NOREPLY,
            when,
            GITHUB_ACTIONS[0],
            GITHUB_ACTIONS[1],
            when,
            message,
        )
        for when, message in BOT_COMMITTED
    ]


def skip_ci_commits() -> list[FakeCommit]:
    return [
        FakeCommit(
            fake_sha(DAILY_REPOSITORY, "skip-ci", when.isoformat()),
            LOGIN,
            EMAILS[0],
            when,
            LOGIN,
            EMAILS[0],
            when,
            message,
        )
        for when, message in SKIP_CI
    ]


def constructed_commits() -> list[FakeCommit]:
    """Everything in kozistr/kozistr: all constructed, all authored by the user."""
    return [*daily_commits(2022), *bot_committed_commits(), *skip_ci_commits()]


def star_times(repository: str) -> list[datetime]:
    first, before, during = STAR_HISTORY[repository]
    rng = random.Random(f"{SEED}-stars-{repository}")

    def uniform(start: datetime, end: datetime, count: int) -> list[datetime]:
        span = int((end - start).total_seconds())
        return [start + timedelta(seconds=rng.randrange(span)) for _ in range(count)]

    start = datetime(first.year, first.month, first.day, tzinfo=UTC)
    year = datetime(2022, 1, 1, tzinfo=UTC)
    times = uniform(start, year, before) + uniform(
        max(start, year), datetime(2023, 1, 1, tzinfo=UTC), during
    )
    return sorted(times)


def github_releases() -> list[FakeGitHubRelease]:
    return [
        FakeGitHubRelease(
            f"v{r.version}", f"pytorch-optimizer v{r.version}", r.uploaded_at - RELEASE_TO_UPLOAD
        )
        for r in derive_releases()
    ]


def _working_hours(rng: random.Random, year: int, count: int) -> list[datetime]:
    """`count` times on weekdays, 01:00-09:00 UTC (10:00-18:00 in Seoul), inside the year in
    both UTC and Asia/Seoul (January 3 to December 30)."""
    times = []
    start = date(year, 1, 3)
    days = (date(year, 12, 30) - start).days
    while len(times) < count:
        day = start + timedelta(days=rng.randint(0, days))
        if day.weekday() >= 5:
            continue
        times.append(
            datetime(day.year, day.month, day.day, tzinfo=UTC)
            + timedelta(hours=rng.randint(1, 8), minutes=rng.randint(0, 59))
        )
    return sorted(times)


def build_world() -> GitHubWorld:
    rng = random.Random(SEED)
    world = GitHubWorld()
    me = world.add_user(LOGIN, emails=EMAILS, name="Hyeongchan Kim")
    world.add_user("web-flow", emails=["noreply@github.com"], database_id=19864447)
    world.add_user(
        "dependabot[bot]",
        emails=["49699333+dependabot[bot]@users.noreply.github.com"],
        database_id=49699333,
        is_bot=True,
    )
    world.add_user(GITHUB_ACTIONS[0], emails=[GITHUB_ACTIONS[1]], database_id=41898282, is_bot=True)
    world.add_user(
        "StevenJokess",
        emails=["71307974+StevenJokess@users.noreply.github.com"],
        database_id=71307974,
    )
    world.add_user("Bing-su")
    # dowon <ks2515@naver.com> and hyeongchan.kim@toss.im stay unlinked e-mails.

    for name, meta in OWN_REPOSITORIES.items():
        world.add_repository(LOGIN, name, **meta)
    owner, _, name = DAILY_REPOSITORY.partition("/")
    world.add_repository(owner, name, **DAILY_REPOSITORY_META)

    for repository in STAR_HISTORY:
        repo_owner, _, repo_name = repository.partition("/")
        repo = world.repository(repo_owner, repo_name)
        assert repo is not None
        repo.starred_at = star_times(repository)
        assert len(repo.starred_at) == repo.stars, repository
    pytorch_optimizer = world.repository(LOGIN, "pytorch_optimizer")
    assert pytorch_optimizer is not None
    pytorch_optimizer.releases = github_releases()

    lines = [*history_lines(2021), *history_lines(2022)]
    for line in lines:
        world.add_commit(line["repo"], _commit_from_line(line))
    for commit in constructed_commits():
        world.add_commit(DAILY_REPOSITORY, commit)

    for pr in pull_requests_from_merges(lines, rng):
        world.add_pull_request(pr)
    for ext in EXTERNAL_PULL_REQUESTS:
        ext_owner, _, ext_name = ext.repository.partition("/")
        if world.repository(ext_owner, ext_name) is None:
            world.add_repository(
                ext_owner,
                ext_name,
                stars=ext.stars,
                description=ext.description,
                language=ext.language,
                owner_is_organization=True,
            )
        world.add_pull_request(
            FakePullRequest(
                ext.repository,
                ext.number,
                ext.title,
                LOGIN,
                ext.state,
                ext.created_at,
                ext.merged_at,
            )
        )

    for year in (2021, 2022):
        me.private_commits.extend(_working_hours(rng, year, PRIVATE_COMMITS[year]))
        me.issues.extend(_working_hours(rng, year, ISSUES[year]))
        me.reviews.extend(_working_hours(rng, year, REVIEWS[year]))
        me.restricted.extend(_working_hours(rng, year, RESTRICTED[year]))
    return world


def fake_github(**kwargs: Any) -> FakeGitHub:
    return FakeGitHub(build_world(), **kwargs)
