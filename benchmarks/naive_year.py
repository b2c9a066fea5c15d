"""The baseline of benchmarks/year.py: a year in open source the way a person would script it.

PyGithub over GitHub's REST API, with PyGithub's pauses between requests turned off: for each
repository the user owns, the commits they authored in the year, the stars given in the year
and the releases published in it; the pull requests they opened (a search); then, per package,
pypistats.org's downloads and PyPI's release list. Base URLs come from the environment, as for
devstats (GITHUB_API_URL, DEVSTATS_PYPISTATS_URL, DEVSTATS_PYPI_URL), and so does the token.

    python benchmarks/naive_year.py USER YEAR [PACKAGE ...]
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime, timedelta

import requests
from github import Auth, Github


def main(argv: list[str]) -> int:
    user, year, packages = argv[0], int(argv[1]), argv[2:]
    start = datetime(year, 1, 1, tzinfo=UTC)
    end = datetime(year + 1, 1, 1, tzinfo=UTC) - timedelta(seconds=1)
    github = Github(
        auth=Auth.Token(os.environ["GITHUB_TOKEN"]),
        base_url=os.environ["GITHUB_API_URL"],
        per_page=100,
        seconds_between_requests=None,
        seconds_between_writes=None,
    )
    commits = stars = releases = 0
    for repository in github.get_user(user).get_repos():
        commits += sum(1 for _ in repository.get_commits(author=user, since=start, until=end))
        stars += sum(
            1 for s in repository.get_stargazers_with_dates() if start <= s.starred_at <= end
        )
        releases += sum(
            1
            for r in repository.get_releases()
            if r.published_at is not None and start <= r.published_at <= end
        )
    query = f"author:{user} is:pr created:{start.date()}..{end.date()}"
    pulls = sum(1 for _ in github.search_issues(query))
    downloads = 0
    with requests.Session() as http:
        for package in packages:
            overall = http.get(
                f"{os.environ['DEVSTATS_PYPISTATS_URL']}/packages/{package}/overall",
                params={"mirrors": "false"},
                timeout=30,
            ).json()
            downloads += sum(
                row["downloads"] for row in overall["data"] if row["date"].startswith(str(year))
            )
            http.get(f"{os.environ['DEVSTATS_PYPI_URL']}/pypi/{package}/json", timeout=30).json()
    print(
        f"{user} in {year}: {commits} commits, {pulls} pull requests, {stars} stars, "
        f"{releases} releases, {downloads} downloads in pypistats.org's days"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
