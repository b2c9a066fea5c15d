"""The few REST endpoints of the fake GitHub that a plain PyGithub script uses, computed from the
same `GitHubWorld` as the GraphQL endpoint (benchmarks/year.py runs such a script beside devstats).

Shapes follow GitHub's OpenAPI description; only the fields a script reads are filled, with the
types the description gives:

- `GET /users/{login}` and `GET /users/{login}/repos` (the repositories the user owns, by name);
- `GET /repos/{owner}/{repo}`;
- `GET /repos/{owner}/{repo}/commits?author=&since=&until=`: commits of the default branch,
  newest first, by the author's login or e-mail, with the *commit* date in [since, until] (as
  `git log --since/--until` filters);
- `GET /repos/{owner}/{repo}/stargazers`, with `Accept: application/vnd.github.star+json` giving
  `starred_at`: oldest first, as GitHub lists them;
- `GET /repos/{owner}/{repo}/releases`: newest first;
- `GET /search/issues?q=`: the qualifiers the GraphQL search of the fake understands.

Lists are paged with `per_page` (at most 100, default 30) and `page`, and a `Link` header with
`next` and `last`, as GitHub pages them ("Using pagination in the REST API").
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import httpx

from tests.fakes.github_world import (
    FakeCommit,
    FakePullRequest,
    FakeRepository,
    GitHubWorld,
    _search_terms,
)

NOT_FOUND = {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}
Answer = tuple[Any, dict[str, str]]  # a JSON body and extra headers


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def _since(value: str | None) -> datetime | None:
    if not value:
        return None
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class FakeRestApi:
    """Answers REST requests whose path is relative to the fake's REST base URL."""

    def __init__(self, world: GitHubWorld, api: str) -> None:
        self.world = world
        self.api = api.rstrip("/")  # what URLs in answers start with
        routes: list[tuple[str, Callable[..., Any]]] = [
            (r"/users/([^/]+)", self._user),
            (r"/users/([^/]+)/repos", self._user_repositories),
            (r"/repos/([^/]+)/([^/]+)", self._repository),
            (r"/repos/([^/]+)/([^/]+)/commits", self._commits),
            (r"/repos/([^/]+)/([^/]+)/stargazers", self._stargazers),
            (r"/repos/([^/]+)/([^/]+)/releases", self._releases),
            (r"/search/issues", self._search_issues),
        ]
        self.routes = [(re.compile(pattern), handler) for pattern, handler in routes]

    def respond(self, request: httpx.Request, path: str) -> tuple[int, Any, dict[str, str]]:
        """(status, JSON body, extra headers) for a GET of `path`."""
        if request.method != "GET":
            return 404, NOT_FOUND, {}
        for pattern, handler in self.routes:
            found = pattern.fullmatch(path)
            if found:
                result = handler(request, path, *found.groups())
                if result is None:
                    return 404, NOT_FOUND, {}
                body, headers = result
                return 200, body, headers
        return 404, NOT_FOUND, {}

    def _page(self, request: httpx.Request, path: str, items: list[Any]) -> Answer:
        """One page of `items` by `per_page` and `page`, and its `Link` header."""
        params = dict(request.url.params)
        per_page = min(100, int(params.get("per_page") or 30))
        page = max(1, int(params.get("page") or 1))
        last = max(1, math.ceil(len(items) / per_page))
        links = []
        for rel, number in (("next", page + 1), ("last", last)):
            if page < last:
                query = urlencode({**params, "per_page": per_page, "page": number})
                links.append(f'<{self.api}{path}?{query}>; rel="{rel}"')
        headers = {"Link": ", ".join(links)} if links else {}
        return items[(page - 1) * per_page : page * per_page], headers

    # --- objects ------------------------------------------------------------------------------

    def _account(self, login: str) -> dict[str, Any]:
        user = self.world.user(login)
        return {
            "login": user.login if user else login,
            "id": user.database_id if user else 0,
            "node_id": user.id if user else "",
            "type": "User",
            "site_admin": False,
            "url": f"{self.api}/users/{login}",
            "html_url": f"https://github.com/{login}",
        }

    def _repository_json(self, repo: FakeRepository) -> dict[str, Any]:
        name = repo.name_with_owner
        return {
            "id": abs(hash(name)) % 10**8,
            "node_id": "",
            "name": repo.name,
            "full_name": name,
            "owner": self._account(repo.owner),
            "private": repo.is_private,
            "fork": repo.is_fork,
            "html_url": repo.url,
            "url": f"{self.api}/repos/{name}",
            "description": repo.description,
            "language": repo.language,
            "stargazers_count": max(repo.stars, len(repo.starred_at)),
            "default_branch": repo.default_branch,
            "archived": False,
        }

    def _commit_json(self, repo: FakeRepository, commit: FakeCommit) -> dict[str, Any]:
        author = self.world.user_by_email(commit.author_email)
        committer = self.world.user_by_email(commit.committer_email)
        url = f"{self.api}/repos/{repo.name_with_owner}"
        return {
            "sha": commit.sha,
            "node_id": "",
            "url": f"{url}/commits/{commit.sha}",
            "html_url": f"{repo.url}/commit/{commit.sha}",
            "commit": {
                "url": f"{url}/git/commits/{commit.sha}",
                "author": {
                    "name": commit.author_name,
                    "email": commit.author_email,
                    "date": _iso(commit.authored_at),
                },
                "committer": {
                    "name": commit.committer_name,
                    "email": commit.committer_email,
                    "date": _iso(commit.committed_at),
                },
                "message": commit.message,
                "tree": {"sha": commit.sha, "url": f"{url}/git/trees/{commit.sha}"},
                "comment_count": 0,
            },
            "author": self._account(author.login) if author else None,
            "committer": self._account(committer.login) if committer else None,
            "parents": [],
        }

    # --- endpoints ----------------------------------------------------------------------------

    def _user(self, request: httpx.Request, path: str, login: str) -> Answer | None:
        user = self.world.user(login)
        if user is None:
            return None
        repos = f"{self.api}/users/{login}/repos"
        return {**self._account(login), "name": user.name, "repos_url": repos}, {}

    def _user_repositories(self, request: httpx.Request, path: str, login: str) -> Answer | None:
        if self.world.user(login) is None:
            return None
        owned = [
            r
            for r in self.world.repositories.values()
            if r.owner.lower() == login.lower() and not r.is_private
        ]
        owned.sort(key=lambda r: r.name.lower())
        return self._page(request, path, [self._repository_json(r) for r in owned])

    def _visible(self, owner: str, name: str) -> FakeRepository | None:
        repo = self.world.repository(owner, name)
        return None if repo is None or repo.is_private else repo

    def _repository(
        self, request: httpx.Request, path: str, owner: str, name: str
    ) -> Answer | None:
        repo = self._visible(owner, name)
        return (self._repository_json(repo), {}) if repo else None

    def _commits(self, request: httpx.Request, path: str, owner: str, name: str) -> Answer | None:
        repo = self._visible(owner, name)
        if repo is None:
            return None
        params = request.url.params
        commits = sorted(repo.commits, key=lambda c: c.committed_at, reverse=True)
        author = params.get("author")
        if author:
            account = self.world.user(author)
            emails = set(account.emails) if account else {author.lower()}
            commits = [c for c in commits if c.author_email.lower() in emails]
        since, until = _since(params.get("since")), _since(params.get("until"))
        commits = [
            c
            for c in commits
            if (since is None or c.committed_at >= since)
            and (until is None or c.committed_at <= until)
        ]
        return self._page(request, path, [self._commit_json(repo, c) for c in commits])

    def _stargazers(
        self, request: httpx.Request, path: str, owner: str, name: str
    ) -> Answer | None:
        repo = self._visible(owner, name)
        if repo is None:
            return None
        with_times = "star+json" in request.headers.get("accept", "")
        stars = []
        for i, moment in enumerate(sorted(repo.starred_at)):
            account = self._account(f"stargazer{i}")
            stars.append({"starred_at": _iso(moment), "user": account} if with_times else account)
        return self._page(request, path, stars)

    def _releases(self, request: httpx.Request, path: str, owner: str, name: str) -> Answer | None:
        repo = self._visible(owner, name)
        if repo is None:
            return None
        newest = sorted(
            repo.releases,
            key=lambda r: r.created_at or r.published_at or datetime.min.replace(tzinfo=UTC),
            reverse=True,
        )
        releases = [
            {
                "id": n + 1,
                "node_id": "",
                "url": f"{self.api}/repos/{repo.name_with_owner}/releases/{n + 1}",
                "html_url": f"{repo.url}/releases/tag/{r.tag}",
                "tag_name": r.tag,
                "name": r.name,
                "draft": r.draft,
                "prerelease": r.prerelease,
                "created_at": _iso(r.created_at or r.published_at),
                "published_at": _iso(r.published_at),
                "author": self._account(repo.owner),
                "assets": [],
                "body": "",
            }
            for n, r in enumerate(newest)
        ]
        return self._page(request, path, releases)

    def _search_issues(self, request: httpx.Request, path: str) -> Answer | None:
        terms = _search_terms(request.url.params.get("q", ""))
        found: list[FakePullRequest] = [
            pr
            for pr in self.world.pull_requests
            if (terms.author is None or pr.author.lower() == terms.author.lower())
            and all(test(pr.created_at) for test in terms.created)
        ]
        found.sort(key=lambda pr: pr.created_at, reverse=terms.order == "created-desc")
        items = [
            {
                "url": f"{self.api}/repos/{pr.repository}/issues/{pr.number}",
                "html_url": pr.url,
                "repository_url": f"{self.api}/repos/{pr.repository}",
                "number": pr.number,
                "title": pr.title,
                "state": "closed" if pr.state != "OPEN" else "open",
                "created_at": _iso(pr.created_at),
                "user": self._account(pr.author),
                "pull_request": {
                    "url": f"{self.api}/repos/{pr.repository}/pulls/{pr.number}",
                    "html_url": pr.url,
                    "merged_at": _iso(pr.merged_at),
                },
            }
            for pr in found
        ]
        page, headers = self._page(request, path, items)
        return {"total_count": len(items), "incomplete_results": False, "items": page}, headers
