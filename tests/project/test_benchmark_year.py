"""benchmarks/year.py on a small world: the request counts of whole runs (times are not
asserted; the benchmark prints them)."""

from __future__ import annotations

from benchmarks.year import bounds, measure
from tests.fakes.year_world import YearSpec, build_year

TINY = YearSpec("tiny: 6 repositories, 400 commits, 2 packages", 6, 400, 2)


def test_whole_runs_ask_each_host_as_little_as_the_targets_say() -> None:
    results, bound = measure(TINY, latency=0.0)
    naive, cold, warm, remade, previous, compare, again = results
    assert bound == bounds(build_year(TINY))
    assert cold.requests["/github"] <= bound.allowed
    # each package: its PyPI project, its pypistats.org days, ClickHouse's months and total
    assert cold.requests["/pypi"] == cold.requests["/pypistats"] == 2
    assert naive.requests["/github"] > 3 * cold.requests["/github"]
    nothing = {"/github": 0, "/pypistats": 0, "/pypi": 0, "/clickhouse": 0}
    assert warm.requests == nothing
    # a report made again from the cached answers asks nothing either
    assert remade.requests == nothing
    # last year's report leaves the previous year in the cache: --compare asks nothing more
    assert previous.requests["/github"] > 0
    assert compare.requests["/github"] == compare.requests["/pypistats"] == 0
    assert again.requests == nothing and again.output == compare.output
    assert "## " in cold.output and cold.output == warm.output
