"""The heatmap and downloads pictures: well-formed SVG whose cells match the data."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

import pytest

from devstats.publish.outputs import plan_outputs
from devstats.render.svg import (
    CELL,
    PALETTES,
    PITCH,
    TOP,
    downloads_svg,
    heatmap_svg,
    level,
    pictures,
    quartile_thresholds,
)
from devstats.report import CalendarEntry
from tests.report_factory import sample_calendar, sample_report, year_calendar

SVG = "{http://www.w3.org/2000/svg}"


def day_cells(svg: str) -> list[ET.Element]:
    root = ET.fromstring(svg)
    return [rect for rect in root.iter(f"{SVG}rect") if "data-date" in rect.attrib]


def title_of(svg: str) -> str:
    title = ET.fromstring(svg).find(f"{SVG}title")
    assert title is not None and title.text is not None
    return title.text


@pytest.mark.parametrize(("year", "days"), [(2022, 365), (2024, 366), (2021, 365)])
def test_one_cell_per_day_of_the_year(year: int, days: int) -> None:
    svg = heatmap_svg(year_calendar(year, lambda i, d: i % 3), year=year, theme="light", title="t")
    cells = day_cells(svg)
    assert len(cells) == days
    expected = [date(year, 1, 1) + timedelta(days=i) for i in range(days)]
    assert [c.attrib["data-date"] for c in cells] == [d.isoformat() for d in expected]


def test_cells_carry_the_calendar_counts_and_sit_in_sunday_first_rows() -> None:
    calendar = sample_calendar(2022)
    svg = heatmap_svg(calendar, year=2022, theme="light", title="t")
    cells = {c.attrib["data-date"]: c for c in day_cells(svg)}
    for day in calendar:
        cell = cells[day.day.isoformat()]
        assert int(cell.attrib["data-count"]) == day.count
        assert int(cell.attrib["data-automated"]) == 1
        sunday_first_row = (day.day.weekday() + 1) % 7
        assert (float(cell.attrib["y"]) - TOP) / PITCH == sunday_first_row
    # Columns are weeks: a Saturday and the next Sunday are one column apart.
    saturday, sunday = cells["2022-01-01"], cells["2022-01-02"]  # 1 Jan 2022 was a Saturday
    assert float(sunday.attrib["x"]) - float(saturday.attrib["x"]) == PITCH


def test_days_missing_from_the_calendar_are_zero_and_other_years_ignored() -> None:
    calendar = (
        CalendarEntry(day=date(2022, 5, 5), count=4, automated=0),
        CalendarEntry(day=date(2021, 5, 5), count=9, automated=0),
    )
    cells = {
        c.attrib["data-date"]: c
        for c in day_cells(heatmap_svg(calendar, year=2022, theme="light", title="t"))
    }
    assert cells["2022-05-05"].attrib["data-count"] == "4"
    assert sum(int(c.attrib["data-count"]) for c in cells.values()) == 4


def test_automated_days_are_drawn_apart_and_human_counts_drive_the_level() -> None:
    calendar = year_calendar(
        2022,
        lambda i, d: {date(2022, 3, 1): 1, date(2022, 3, 2): 8}.get(d, 0),
        lambda i, d: {date(2022, 3, 1): 1, date(2022, 3, 2): 2}.get(d, 0),
    )
    split = {
        c.attrib["data-date"]: c
        for c in day_cells(heatmap_svg(calendar, year=2022, theme="light", title="t"))
    }
    only_bot = split["2022-03-01"]
    assert only_bot.attrib["data-level"] == "0"  # nothing left once the Action's commit is out
    assert only_bot.attrib["fill"] == PALETTES["light"].levels[0]
    assert only_bot.attrib["stroke"] == PALETTES["light"].automated
    assert split["2022-03-02"].attrib["stroke"] == PALETTES["light"].automated
    assert "stroke" not in split["2022-03-03"].attrib

    together = {
        c.attrib["data-date"]: c
        for c in day_cells(
            heatmap_svg(calendar, year=2022, theme="light", title="t", split_automated=False)
        )
    }
    assert together["2022-03-01"].attrib["data-level"] != "0"
    assert all("stroke" not in c.attrib for c in together.values())


def test_title_states_the_total_and_the_automated_count() -> None:
    calendar = sample_calendar(2022)
    svg = heatmap_svg(calendar, year=2022, theme="dark", title="kozistr")
    total = sum(d.count for d in calendar)
    assert title_of(svg) == f"kozistr: {total:,} contributions in 2022, 365 automated shown apart"
    plain = heatmap_svg(
        year_calendar(2022, lambda i, d: 1), year=2022, theme="dark", title="kozistr"
    )
    assert "automated" not in title_of(plain)
    ko = heatmap_svg(calendar, year=2022, theme="dark", title="k", lang="ko")
    assert "자동 commit 365개는 따로 표시" in title_of(ko)


def test_levels_follow_the_quartiles_of_the_shown_counts() -> None:
    calendar = sample_calendar(2022)
    svg = heatmap_svg(calendar, year=2022, theme="light", title="t")
    human = sorted(d.count - 1 for d in calendar if d.count - 1 > 0)
    n = len(human)
    bounds = [human[(k * n + 3) // 4 - 1] for k in (1, 2, 3)]  # nearest rank, computed anew
    for cell in day_cells(svg):
        shown = int(cell.attrib["data-count"]) - int(cell.attrib["data-automated"])
        expected = 0 if shown == 0 else 1 + sum(shown > b for b in bounds)
        assert int(cell.attrib["data-level"]) == expected
        assert cell.attrib["fill"] == PALETTES["light"].levels[expected]


def test_quartile_edges() -> None:
    assert quartile_thresholds([0, 0]) == ()
    assert level(3, ()) == 0
    assert quartile_thresholds([5]) == (5, 5, 5)
    assert level(5, (5, 5, 5)) == 1
    assert quartile_thresholds([1, 2, 3, 4, 0]) == (1, 2, 3)
    assert [level(c, (1, 2, 3)) for c in (0, 1, 2, 3, 4, 99)] == [0, 1, 2, 3, 4, 4]


def test_text_is_escaped_and_the_document_stays_well_formed() -> None:
    svg = heatmap_svg((), year=2022, theme="light", title='<b>&"x"</b> <!-- devstats:end -->')
    assert title_of(svg).startswith('<b>&"x"</b> <!-- devstats:end -->')
    assert "<!--" not in svg
    assert "<b>" not in svg


def test_dark_theme_uses_its_palette_and_unknown_themes_fail() -> None:
    svg = heatmap_svg(sample_calendar(), year=2022, theme="dark", title="t")
    fills = {c.attrib["fill"] for c in day_cells(svg)}
    assert fills <= set(PALETTES["dark"].levels)
    with pytest.raises(ValueError, match="theme"):
        heatmap_svg((), year=2022, theme="sepia", title="t")  # type: ignore[arg-type]


def test_cells_have_the_cell_size() -> None:
    cell = day_cells(heatmap_svg((), year=2022, theme="light", title="t"))[0]
    assert cell.attrib["width"] == cell.attrib["height"] == str(CELL)


def test_downloads_chart_bars_follow_the_months() -> None:
    monthly = {"2022-12": 2130, "2022-10": 1065, "2022-11": 0}
    svg = downloads_svg(monthly, title="pytorch_optimizer", theme="light")
    bars = [r for r in ET.fromstring(svg).iter(f"{SVG}rect") if "data-month" in r.attrib]
    assert [b.attrib["data-month"] for b in bars] == ["2022-10", "2022-11", "2022-12"]
    assert [int(b.attrib["data-count"]) for b in bars] == [1065, 0, 2130]
    heights = [float(b.attrib["height"]) for b in bars]
    assert heights[1] == 0
    assert heights[0] == pytest.approx(heights[2] / 2, abs=1)
    assert "3,195 downloads over 3 months, peak 2,130 in 2022-12" in title_of(svg)
    texts = {t.text: t.attrib for t in ET.fromstring(svg).iter(f"{SVG}text")}
    assert [name for name in texts if name and not name[0].isdigit()] == ["Oct", "Nov", "Dec"]
    # The peak sits over its own bar (the last one, so it ends at that bar's right edge).
    peak_bar = bars[2].attrib
    assert texts["2,130"]["text-anchor"] == "end"
    assert float(texts["2,130"]["x"]) == float(peak_bar["x"]) + float(peak_bar["width"])


def test_downloads_chart_labels_say_the_month_in_the_report_language() -> None:
    svg = downloads_svg(
        {"2022-06": 5, "2022-07": 9, "2022-08": 1}, title="t", theme="light", lang="ko"
    )
    texts = {t.text: t.attrib for t in ET.fromstring(svg).iter(f"{SVG}text")}
    assert {"6월", "7월", "8월"} <= set(texts)
    assert texts["9"]["text-anchor"] == "middle"  # the peak, over the middle bar


def test_downloads_chart_without_data_is_still_a_picture() -> None:
    svg = downloads_svg({}, title="x", theme="dark")
    assert title_of(svg) == "x: no data"


def test_pictures_are_every_chart_and_links_are_relative_to_the_markdown(tmp_path: Path) -> None:
    report = sample_report()
    drawn = pictures(report)
    assert sorted(drawn) == sorted(
        [
            "heatmap-light",
            "heatmap-dark",
            "downloads-pytorch-optimizer-light",
            "downloads-pytorch-optimizer-dark",
        ]
    )  # tiny_pkg has no downloads, so no chart
    assert len(day_cells(drawn["heatmap-light"])) == 365
    for theme in ("light", "dark"):
        chart = ET.fromstring(drawn[f"downloads-pytorch-optimizer-{theme}"])
        background = next(chart.iter(f"{SVG}rect"))
        assert background.attrib["fill"] == PALETTES[theme].background
        bars = [r for r in chart.iter(f"{SVG}rect") if "data-month" in r.attrib]
        assert {b.attrib["data-month"]: int(b.attrib["data-count"]) for b in bars} == (
            report.packages[1].downloads.monthly  # type: ignore[union-attr]
        )
    plan = plan_outputs(
        output=tmp_path / "docs" / "post.md",
        json_output=None,
        inject=None,
        marker="devstats",
        assets=tmp_path / "docs" / "assets",
        format="markdown",
    )
    assert plan.asset_link("heatmap-light.svg") == "assets/heatmap-light.svg"
    plain = pictures(report, split_automated=False)
    assert "automated" not in title_of(plain["heatmap-dark"])


def _png_converter() -> str | None:
    try:
        import cairosvg  # type: ignore[import-not-found, import-untyped, unused-ignore]  # noqa: F401
    except (ImportError, OSError):
        pass
    else:
        return "cairosvg"
    return "rsvg-convert" if shutil.which("rsvg-convert") else None


@pytest.mark.skipif(
    _png_converter() is None,
    reason="no SVG rasteriser: install cairosvg (pip) or rsvg-convert (apt librsvg2-bin)",
)
def test_pictures_rasterise_to_png(tmp_path: Path) -> None:
    pictures = {
        "heatmap": heatmap_svg(sample_calendar(), year=2022, theme="light", title="t"),
        "downloads": downloads_svg({"2022-11": 5, "2022-12": 9}, title="t", theme="dark"),
    }
    for name, svg in pictures.items():
        source = tmp_path / f"{name}.svg"
        source.write_text(svg, encoding="utf-8")
        target = tmp_path / f"{name}.png"
        if _png_converter() == "cairosvg":
            import cairosvg  # type: ignore[import-not-found, import-untyped, unused-ignore]

            cairosvg.svg2png(url=str(source), write_to=str(target))
        else:
            subprocess.run(["rsvg-convert", "-o", str(target), str(source)], check=True)
        data = target.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        width = int.from_bytes(data[16:20], "big")
        height = int.from_bytes(data[20:24], "big")
        root = ET.fromstring(svg)
        assert (width, height) == (int(root.attrib["width"]), int(root.attrib["height"]))
