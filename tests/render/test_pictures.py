"""Which pictures a report gets, and what each is drawn from: real work per day, the busiest day
of real work, a package's twelve months."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

from devstats.model.report import CalendarEntry
from devstats.render.pictures import (
    busiest_day,
    months_of,
    package_slug,
    pictures,
    real_and_automated,
)
from tests.fakes.report_factory import replace, sample_report

SVG = "{http://www.w3.org/2000/svg}"


def entry(day: date, count: int, automated: int = 0) -> CalendarEntry:
    return CalendarEntry(day=day, count=count, automated=automated)


def test_package_slug() -> None:
    assert package_slug("pytorch_optimizer") == "pytorch-optimizer"
    assert package_slug("Foo.Bar--baz") == "foo-bar-baz"
    assert package_slug("../../etc") == "etc"
    assert package_slug("...") == "package"


def test_a_days_real_work_is_its_count_less_its_automated_commits() -> None:
    calendar = (
        entry(date(2022, 1, 1), 1, 1),  # only the Action's commit
        entry(date(2022, 1, 2), 5, 1),
        entry(date(2022, 1, 3), 0, 2),  # never below zero
        entry(date(2021, 12, 31), 9, 0),  # another year
    )
    assert real_and_automated(calendar, 2022) == {
        date(2022, 1, 1): (0, 1),
        date(2022, 1, 2): (4, 1),
        date(2022, 1, 3): (0, 2),
    }


def test_the_busiest_day_is_the_most_real_work_and_the_earliest_of_equals() -> None:
    days = {
        date(2022, 3, 1): (2, 9),  # most contributions, but mostly automated
        date(2022, 5, 7): (4, 0),
        date(2022, 2, 7): (4, 1),  # as busy, and earlier
        date(2022, 1, 1): (0, 1),
    }
    assert busiest_day(days) == date(2022, 2, 7)
    assert busiest_day({date(2022, 1, 1): (0, 3)}) is None  # no real work at all
    assert busiest_day({}) is None


def test_twelve_months_with_the_unknown_ones_as_none() -> None:
    downloads = sample_report().packages[1].downloads
    assert downloads is not None
    months = months_of(downloads, 2022)
    assert len(months) == 12
    assert months[9:] == [1980, 2050, 2130]
    assert months[:9] == [None] * 9


def test_a_report_gets_a_heatmap_and_a_chart_per_package_with_a_known_month() -> None:
    report = sample_report()
    drawn = pictures(report, lang="en")
    assert list(drawn) == [
        "heatmap-light",
        "heatmap-dark",
        "downloads-pytorch-optimizer-light",
        "downloads-pytorch-optimizer-dark",
    ]  # tiny_pkg has no downloads: no chart
    chart = ET.fromstring(drawn["downloads-pytorch-optimizer-dark"])
    title = chart.find(f"{SVG}title")
    assert title is not None and title.text == "pytorch_optimizer downloads per month, 2022"
    heatmap = ET.fromstring(drawn["heatmap-light"])
    cells = [r for r in heatmap.iter(f"{SVG}rect") if r.get("class") == "day"]
    real = {e.day.isoformat(): e.count - e.automated for e in report.calendar}
    assert {c.attrib["data-date"]: int(c.attrib["data-real"]) for c in cells} == real
    rings = [r for r in heatmap.iter(f"{SVG}rect") if r.get("class") == "busiest"]
    busiest = min(day for day, count in real.items() if count == max(real.values()))
    assert [ring.attrib["data-date"] for ring in rings] == [busiest]
    korean = pictures(report, lang="ko")["heatmap-dark"]
    assert "2022년 GitHub 기여" in korean


def test_no_real_work_means_no_ring() -> None:
    calendar = tuple(replace(e, count=e.automated) for e in sample_report().calendar)
    heatmap = ET.fromstring(pictures(sample_report(calendar=calendar), lang="en")["heatmap-light"])
    assert not [r for r in heatmap.iter(f"{SVG}rect") if r.get("class") == "busiest"]
