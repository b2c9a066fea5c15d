"""Every GraphQL document the GitHub collector can send validates against GitHub's schema."""

from __future__ import annotations

import pytest
from graphql import parse, validate

from devstats.collect import first_pull_requests, github_queries
from tests.fakes.github_world import github_schema

DOCUMENTS = {**github_queries.sample_documents(), **first_pull_requests.sample_documents()}


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_document_is_valid_against_the_github_schema(name: str) -> None:
    errors = validate(github_schema(), parse(DOCUMENTS[name]))
    assert [e.message for e in errors] == []


def test_every_batch_size_is_listed() -> None:
    sizes = {n for n in DOCUMENTS if n.startswith("commit-history-")}
    assert len(sizes) == github_queries.HISTORY_BATCH_SIZE
    searches = {n for n in DOCUMENTS if n.startswith("first-pull-requests-")}
    assert len(searches) == first_pull_requests.BATCH_SIZE


def test_a_broken_document_is_rejected() -> None:
    # Guards the test itself: a field GitHub does not have must produce an error.
    broken = github_queries.CONTRIBUTIONS_QUERY.replace("totalIssueContributions", "totalIssues")
    assert validate(github_schema(), parse(broken))


def test_aliases_never_come_from_repository_names() -> None:
    document = github_queries.commit_history_query(3)
    assert "r0: repository(owner: $o0, name: $n0)" in document
    assert "r2: repository(owner: $o2, name: $n2)" in document
    with pytest.raises(ValueError):
        github_queries.commit_history_query(github_queries.HISTORY_BATCH_SIZE + 1)
