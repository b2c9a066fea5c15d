"""Pull requests to other people's projects."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from devstats.classify.pulls import external_pull_requests, is_merged
from devstats.model.facts import PullRequest, RepositoryInfo

START = datetime(2022, 1, 1, tzinfo=UTC)


def pr(
    repository: str, number: int, *, state: str = "MERGED", day: int = 0, merged: bool | None = None
) -> PullRequest:
    created = START + timedelta(days=day)
    merged_at = (
        created + timedelta(hours=5)
        if (merged if merged is not None else state == "MERGED")
        else None
    )
    return PullRequest(
        repository=repository,
        number=number,
        title=f"PR {number}",
        url=f"https://github.com/{repository}/pull/{number}",
        state=state,
        created_at=created,
        merged_at=merged_at,
    )


def info(name: str, stars: int | None) -> RepositoryInfo:
    return RepositoryInfo(name_with_owner=name, owner=name.split("/")[0], stars=stars)


REPOSITORIES = {
    r.name_with_owner: r
    for r in (
        info("huggingface/transformers", 120_000),
        info("pytorch/pytorch", 70_000),
        info("small/lib", 12),
        info("kozistr/pytorch_optimizer", 150),
    )
}


def test_own_and_organization_repositories_are_left_out() -> None:
    prs = [
        pr("kozistr/pytorch_optimizer", 1),
        pr("KOZISTR/other", 2),
        pr("my-org/tool", 3),
        pr("small/lib", 4),
    ]
    result = external_pull_requests(prs, REPOSITORIES, user="Kozistr", own_organizations=["My-Org"])
    assert [p.repository for p in result.projects] == ["small/lib"]
    assert (result.total, result.merged) == (1, 1)


def test_projects_by_total_then_stars_then_name_items_by_creation() -> None:
    prs = [
        pr("small/lib", 10, day=3),
        pr("small/lib", 11, day=1, state="CLOSED"),
        pr("pytorch/pytorch", 20, day=5, state="OPEN"),
        pr("huggingface/transformers", 30, day=9),
        pr("unknown/zeta", 40, day=2),
        pr("unknown/alpha", 41, day=4, state="CLOSED"),
    ]
    result = external_pull_requests(prs, REPOSITORIES, user="kozistr", own_organizations=())
    assert [(p.repository, p.stars, p.total, p.merged) for p in result.projects] == [
        ("small/lib", 12, 2, 1),
        ("huggingface/transformers", 120_000, 1, 1),
        ("pytorch/pytorch", 70_000, 1, 0),
        ("unknown/alpha", None, 1, 0),
        ("unknown/zeta", None, 1, 1),
    ]
    assert [i.number for i in result.projects[0].items] == [11, 10]
    assert (result.total, result.merged) == (6, 3)
    assert result.total == sum(p.total for p in result.projects)


def test_merged_means_state_merged_or_a_merge_time() -> None:
    assert is_merged(pr("a/b", 1, state="MERGED", merged=False))
    assert is_merged(pr("a/b", 2, state="CLOSED", merged=True))
    assert not is_merged(pr("a/b", 3, state="CLOSED"))
    assert not is_merged(pr("a/b", 4, state="OPEN"))


def test_duplicates_and_case_variants_are_one_project() -> None:
    prs = [pr("Small/Lib", 1), pr("small/lib", 1), pr("small/lib", 2, day=1)]
    result = external_pull_requests(prs, REPOSITORIES, user="kozistr", own_organizations=())
    assert len(result.projects) == 1
    project = result.projects[0]
    assert (project.repository, project.stars, project.total) == ("Small/Lib", 12, 2)


def test_no_pull_requests() -> None:
    result = external_pull_requests([], {}, user="kozistr", own_organizations=())
    assert (result.total, result.merged, result.projects) == (0, 0, ())
