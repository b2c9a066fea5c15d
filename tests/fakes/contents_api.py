"""A fake of GitHub's repository contents endpoints, enough for `devstats.publish.remote`.

Serves, for any number of repositories held in memory:

- ``GET /repos/{owner}/{repo}`` (the repository, with its default branch),
- ``GET /repos/{owner}/{repo}/contents/{path}?ref=`` (a file, base64 with a line break every 60
  characters as GitHub sends it; ``sha`` is the git blob SHA-1 of the bytes),
- ``PUT /repos/{owner}/{repo}/contents/{path}`` (update when ``sha`` matches the current blob, 409
  when it does not, 422 when an existing file is written without ``sha``; 201 for a new file).

Shapes and status codes follow GitHub's REST documentation of "Get repository content" and
"Create or update file contents". Errors carry GitHub's body shape
``{"message", "documentation_url", "status"}``. The fake checks the token like GitHub does: a
wrong one is 401 "Bad credentials". `fail_with` makes every request answer a fixed status
(e.g. 502) to test failure paths.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

import httpx

DOCS = "https://docs.github.com/rest/repos/contents"


def blob_sha(content: bytes) -> str:
    """The git object id of a blob: what the contents API returns as `sha`."""
    return hashlib.sha1(b"blob %d\0" % len(content) + content).hexdigest()


def _b64_lines(content: bytes) -> str:
    encoded = base64.b64encode(content).decode("ascii")
    return "".join(encoded[i : i + 60] + "\n" for i in range(0, len(encoded), 60))


def _error(status: int, message: str) -> httpx.Response:
    return httpx.Response(
        status,
        json={"message": message, "documentation_url": DOCS, "status": str(status)},
    )


@dataclass
class FakeRepository:
    owner: str
    name: str
    default_branch: str = "main"
    # branch -> path -> bytes
    files: dict[str, dict[str, bytes]] = field(default_factory=dict)
    commits: list[dict[str, Any]] = field(default_factory=list)

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"


@dataclass
class ContentsApi:
    """The fake. `handle` fits tests/fakes/loopback.py `serve`."""

    token: str
    repositories: dict[str, FakeRepository] = field(default_factory=dict)
    fail_with: int | None = None
    seen: list[tuple[str, str]] = field(default_factory=list)
    # Pretend another client wrote the file between our GET and PUT (a 409 on the PUT).
    race_on_put: bool = False
    commits: list[dict[str, Any]] = field(default_factory=list)  # every accepted PUT body

    def add(self, full_name: str, files: dict[str, str], branch: str = "main") -> FakeRepository:
        owner, name = full_name.split("/")
        repo = self.repositories.setdefault(full_name, FakeRepository(owner, name))
        repo.files.setdefault(branch, {}).update(
            {path: text.encode("utf-8") for path, text in files.items()}
        )
        return repo

    def text(self, full_name: str, path: str, branch: str = "main") -> str:
        return self.repositories[full_name].files[branch][path].decode("utf-8")

    def handle(self, request: httpx.Request) -> httpx.Response | None:
        self.seen.append((request.method, request.url.path))
        if self.fail_with is not None:
            return _error(self.fail_with, "Server Error" if self.fail_with >= 500 else "Error")
        auth = request.headers.get("authorization", "")
        if auth not in {f"token {self.token}", f"Bearer {self.token}"}:
            return httpx.Response(
                401,
                json={
                    "message": "Bad credentials",
                    "documentation_url": "https://docs.github.com/rest",
                    "status": "401",
                },
            )
        match = re.fullmatch(r"/repos/([^/]+)/([^/]+)(/contents/(.+))?", request.url.path)
        if match is None:
            return _error(404, "Not Found")
        repo = self.repositories.get(f"{match[1]}/{match[2]}")
        if repo is None:
            return _error(404, "Not Found")
        if match[3] is None:
            if request.method != "GET":
                return _error(405, "Method Not Allowed")
            return httpx.Response(200, json=self._repo_json(repo))
        path = unquote(match[4])
        if request.method == "GET":
            return self._get(repo, path, request.url.params.get("ref") or repo.default_branch)
        if request.method == "PUT":
            return self._put(repo, path, json.loads(request.content))
        return _error(405, "Method Not Allowed")

    def _repo_json(self, repo: FakeRepository) -> dict[str, Any]:
        return {
            "id": 1,
            "node_id": "R_fake",
            "name": repo.name,
            "full_name": repo.full_name,
            "private": False,
            "owner": {"login": repo.owner, "id": 2, "type": "User"},
            "default_branch": repo.default_branch,
            "url": f"https://api.github.com/repos/{repo.full_name}",
        }

    def _file_json(self, repo: FakeRepository, path: str, content: bytes) -> dict[str, Any]:
        sha = blob_sha(content)
        api = f"https://api.github.com/repos/{repo.full_name}"
        return {
            "type": "file",
            "encoding": "base64",
            "size": len(content),
            "name": path.rsplit("/", 1)[-1],
            "path": path,
            "sha": sha,
            "url": f"{api}/contents/{path}",
            "git_url": f"{api}/git/blobs/{sha}",
            "html_url": f"https://github.com/{repo.full_name}/blob/{repo.default_branch}/{path}",
            "download_url": f"https://raw.githubusercontent.com/{repo.full_name}/HEAD/{path}",
        }

    def _get(self, repo: FakeRepository, path: str, branch: str) -> httpx.Response:
        files = repo.files.get(branch)
        if files is None:
            return _error(404, f"No commit found for the ref {branch}")
        if path not in files:
            folder = [p for p in files if p.startswith(path.rstrip("/") + "/")]
            if folder:
                return httpx.Response(
                    200, json=[self._file_json(repo, p, files[p]) for p in sorted(folder)]
                )
            return _error(404, "Not Found")
        content = files[path]
        body = self._file_json(repo, path, content)
        body["content"] = _b64_lines(content)
        return httpx.Response(200, json=body)

    def _put(self, repo: FakeRepository, path: str, body: dict[str, Any]) -> httpx.Response:
        for key in ("message", "content"):
            if key not in body:
                return _error(422, f'Invalid request.\n\n"{key}" wasn\'t supplied.')
        branch = body.get("branch") or repo.default_branch
        files = repo.files.setdefault(branch, {})
        current = files.get(path)
        if self.race_on_put and current is not None:
            files[path] = current + b"\n<!-- edited elsewhere -->\n"
            current = files[path]
        if current is not None and "sha" not in body:
            return _error(422, 'Invalid request.\n\n"sha" wasn\'t supplied.')
        if current is not None and body["sha"] != blob_sha(current):
            return _error(409, f"{path} does not match {body['sha']}")
        files[path] = base64.b64decode(body["content"])
        self.commits.append(body)
        repo.commits.append(body)
        commit = {
            "sha": hashlib.sha1(json.dumps(body, sort_keys=True).encode()).hexdigest(),
            "message": body["message"],
            "author": body.get("author"),
            "committer": body.get("committer"),
        }
        return httpx.Response(
            201 if current is None else 200,
            json={"content": self._file_json(repo, path, files[path]), "commit": commit},
        )
