"""Every GraphQL document the GitHub collector can send validates against GitHub's schema."""

from __future__ import annotations

import pytest
from graphql import parse, validate

from devstats.collect.github import first_pull_requests
from devstats.collect.github import queries as github_queries
from tests.fakes.github_world import github_schema

DOCUMENTS = {**github_queries.sample_documents(), **first_pull_requests.sample_documents()}


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_document_is_valid_against_the_github_schema(name: str) -> None:
    errors = validate(github_schema(), parse(DOCUMENTS[name]))
    assert [e.message for e in errors] == []


def test_every_batch_size_is_listed() -> None:
    sizes = {n for n in DOCUMENTS if n.startswith("commit-history-") and "with" not in n}
    assert len(sizes) == github_queries.HISTORY_BATCH_SIZE
    riding = {n for n in DOCUMENTS if n.startswith("commit-history-") and "with" in n}
    assert len(riding) == github_queries.HISTORY_BATCH_SIZE * github_queries.GAP_WINDOWS
    windows = {n for n in DOCUMENTS if n.startswith("commit-windows-")}
    assert len(windows) == github_queries.WINDOWS_PER_QUERY
    searches = {n for n in DOCUMENTS if n.startswith("first-pull-requests-")}
    assert len(searches) == first_pull_requests.BATCH_SIZE


def test_a_broken_document_is_rejected() -> None:
    # Guards the test itself: a field GitHub does not have must produce an error.
    broken = github_queries.CONTRIBUTIONS_QUERY.replace("totalIssueContributions", "totalIssues")
    assert validate(github_schema(), parse(broken))


def test_window_aliases_are_numbered() -> None:
    document = github_queries.commit_windows_query(2)
    assert "w1: contributionsCollection(from: $from1, to: $to1)" in document
    riding = github_queries.commit_history_query(2, 3)
    assert "w2: contributionsCollection(from: $from2, to: $to2)" in riding
    assert "r1: repository(owner: $o1, name: $n1)" in riding
    with pytest.raises(ValueError):
        github_queries.commit_windows_query(github_queries.WINDOWS_PER_QUERY + 1)
    with pytest.raises(ValueError):
        github_queries.commit_history_query(1, github_queries.GAP_WINDOWS + 1)


def test_aliases_never_come_from_repository_names() -> None:
    document = github_queries.commit_history_query(3)
    assert "r0: repository(owner: $o0, name: $n0)" in document
    assert "r2: repository(owner: $o2, name: $n2)" in document
    with pytest.raises(ValueError):
        github_queries.commit_history_query(github_queries.HISTORY_BATCH_SIZE + 1)
