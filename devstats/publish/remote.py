"""Update the marked block of a file in another GitHub repository, without a checkout.

The scheduled Action can keep a block in, say, a profile repository (`you/you`) fresh while it runs
in a different one. It reads the file through the REST contents API, replaces the block between
the markers, and writes it back only when the text changed, with the previous blob SHA (so a
concurrent edit makes GitHub refuse the write instead of losing it). The commit is made as
`github-actions[bot]`, never as the user: an automated update must not count as the user's work.

PyGithub does the REST calls; its exceptions become devstats errors here, so the exit codes are
the CLI's. The token is only handed to PyGithub and never appears in a message.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

import requests
from github import Auth, Github, GithubException, GithubRetry, InputGitAuthor
from github.GithubException import BadCredentialsException, UnknownObjectException
from github.GithubObject import NotSet, Opt
from github.Repository import Repository
from urllib3.util import Retry

from devstats.model.errors import (
    AuthenticationError,
    DevstatsError,
    NotFoundError,
    PublishError,
    UpstreamError,
    UsageError,
)
from devstats.publish.inject import replace_block

BOT_NAME = "github-actions[bot]"
BOT_EMAIL = "41898282+github-actions[bot]@users.noreply.github.com"
DEFAULT_API = "https://api.github.com"
_REPO_RE = re.compile(r"^[A-Za-z0-9-]+/[A-Za-z0-9._-]+$")


def bot_identity() -> InputGitAuthor:
    return InputGitAuthor(BOT_NAME, BOT_EMAIL)


def update_remote_file(
    repo_full_name: str,
    path: str,
    block: str,
    *,
    token: str,
    marker: str = "devstats",
    base_url: str = DEFAULT_API,
    branch: str | None = None,
    message: str | None = None,
    retry: int | Retry | None = None,
) -> bool:
    """Replace the marked block of `path` in `repo_full_name`; return whether a commit was made.

    `retry` is PyGithub's: by default three attempts on 5xx with backoff.
    """
    if not _REPO_RE.match(repo_full_name):
        raise UsageError(f"'{repo_full_name}' is not an owner/name repository")
    if not token:
        raise AuthenticationError(
            "no token to update another repository",
            hint="pass a token with contents: write on that repository",
        )
    where = f"{path} in {repo_full_name}" + (f" (branch {branch})" if branch else "")
    if retry is None:
        retry = GithubRetry(total=3, backoff_factor=2.0)
    gh = Github(base_url=base_url.rstrip("/"), auth=Auth.Token(token), retry=retry, lazy=True)
    # NotSet leaves the parameter out of the request, so GitHub uses the default branch.
    ref: Opt[str] = branch if branch else NotSet
    try:
        return _replace_in(gh.get_repo(repo_full_name), path, block, ref, marker, where, message)
    except BadCredentialsException:
        raise AuthenticationError(
            f"GitHub rejected the token while updating {where}",
            hint="the token may be expired or revoked",
        ) from None
    except UnknownObjectException:
        raise NotFoundError(
            f"{where} was not found",
            hint="check the name, and that the token can read that repository",
        ) from None
    except GithubException as exc:
        raise _translate(exc, where) from None
    except requests.RequestException as exc:
        raise UpstreamError(
            f"GitHub stayed unavailable while updating {where}: {type(exc).__name__}"
        ) from None
    finally:
        gh.close()


def _replace_in(
    repo: Repository,
    path: str,
    block: str,
    ref: Opt[str],
    marker: str,
    where: str,
    message: str | None,
) -> bool:
    """One read and, when the block changed, one commit of the file."""
    found = repo.get_contents(path, ref=ref)
    if isinstance(found, list) or found.type != "file":
        raise PublishError(f"{where} is not a file")
    original = found.decoded_content
    try:
        original.decode("utf-8")
    except UnicodeDecodeError:
        raise PublishError(f"{where} is not UTF-8 text") from None
    updated = replace_block(original, block, marker=marker, where=where)
    if updated == original:
        return False
    repo.update_file(
        found.path,
        message or f"Update the {marker} block in {path}",
        updated,
        found.sha,
        branch=ref,
        committer=bot_identity(),
        author=bot_identity(),
    )
    return True


def _translate(exc: GithubException, where: str) -> DevstatsError:
    status = exc.status
    detail = exc.message or ""
    if status == 403:
        return AuthenticationError(
            f"the token may not write {where}" + (f": {detail}" if detail else ""),
            hint="give it contents: write on that repository",
        )
    if status == 409:
        return PublishError(
            f"{where} changed while it was being updated", hint="run again to rebase on it"
        )
    if status == 422:
        return PublishError(f"GitHub refused the update of {where}: {detail}")
    if status >= 500:
        return UpstreamError(f"GitHub answered {status} while updating {where}")
    return UpstreamError(f"GitHub answered {status} while updating {where}: {detail}")


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m devstats.publish.remote`: the Action's checkout-free update step."""
    parser = argparse.ArgumentParser(
        prog="python -m devstats.publish.remote",
        description="Replace the marked block of a file in a GitHub repository, committing as "
        f"{BOT_NAME}. The token comes from GITHUB_TOKEN, the API from GITHUB_API_URL.",
    )
    parser.add_argument("--repository", required=True, help="owner/name")
    parser.add_argument("--path", required=True, help="the file in that repository")
    parser.add_argument("--block-file", required=True, type=Path, help="the rendered block")
    parser.add_argument("--marker", default="devstats")
    parser.add_argument("--branch", default=None)
    parser.add_argument("--message", default=None)
    args = parser.parse_args(argv)
    env = os.environ
    try:
        try:
            block = args.block_file.read_text(encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot read {args.block_file}: {exc.strerror}") from None
        changed = update_remote_file(
            args.repository,
            args.path,
            block,
            token=env.get("GITHUB_TOKEN", "").strip(),
            marker=args.marker,
            base_url=env.get("GITHUB_API_URL") or DEFAULT_API,
            branch=args.branch or None,
            message=args.message,
        )
    except DevstatsError as exc:
        print(f"devstats: error: {exc}", file=sys.stderr)
        return exc.exit_code
    state = "updated" if changed else "no change to"
    print(
        f"devstats: {state} the '{args.marker}' block in {args.repository}:{args.path}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
