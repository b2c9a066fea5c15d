"""The self-explaining pictures: read back as a person would read them (titles, labels, bars,
cells, legend), in both languages and themes, and rendered to PNG files a person can look at.

Every PNG the last tests render is kept in $DEVSTATS_ARTIFACTS when it is set (to look at them),
or else in the test run's temporary folder: a test run writes nothing into the checkout.
"""

from __future__ import annotations

import itertools
import os
import sys
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from devstats.cli import app
from devstats.model.errors import UsageError
from devstats.render.assets import asset_files
from devstats.render.charts import (
    CHART_LABELS,
    FONT_STACK,
    THEMES,
    downloads_chart,
    heatmap,
    nice_ticks,
)
from devstats.render.charts.png import draws, svg_to_png
from devstats.render.numbers import compact
from tests.fakes.png_reader import SIGNATURE, read_png

SVG = "{http://www.w3.org/2000/svg}"
EN, KO = CHART_LABELS["en"], CHART_LABELS["ko"]

# A package's year: April and May unknown (say, the history store was not running).
MONTHS: list[int | None] = [1065, 1210, 980, None, None, 1480, 1720, 1650, 1900, 1980, 2050, 2130]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(root: ET.Element, css_class: str | None = None) -> list[str]:
    found = []
    for element in root.iter(f"{SVG}text"):
        if css_class is None or css_class in element.attrib.get("class", "").split():
            found.append(element.text or "")
    return found


def rects(root: ET.Element, css_class: str) -> list[ET.Element]:
    return [r for r in root.iter(f"{SVG}rect") if css_class in r.attrib.get("class", "").split()]


def accessible_name(root: ET.Element) -> str:
    title = root.find(f"{SVG}title")
    assert title is not None and title.text is not None
    assert root.attrib["aria-labelledby"] == title.attrib["id"]
    return title.text


def description(root: ET.Element) -> str:
    desc = root.find(f"{SVG}desc")
    assert desc is not None and desc.text is not None
    assert root.attrib["aria-describedby"] == desc.attrib["id"]
    return desc.text


# ---------------------------------------------------------------------------------------------
# Downloads chart


def chart(months: list[int | None] = MONTHS, **changes: object) -> ET.Element:
    arguments: dict[str, object] = {
        "package": "pytorch_optimizer",
        "year": 2022,
        "months": months,
        "theme": "light",
        "labels": EN,
    }
    arguments.update(changes)
    return parse(downloads_chart(**arguments))  # type: ignore[arg-type]


def test_downloads_chart_names_the_package_and_the_year_and_labels_every_month() -> None:
    root = chart()
    title = "pytorch_optimizer downloads per month, 2022"
    assert accessible_name(root) == title
    assert title in texts(root)  # drawn, not only announced
    assert texts(root, "month") == list(EN.months)
    assert root.attrib["width"] == "600"
    known = [value for value in MONTHS if value is not None]
    summary = f"{compact(sum(known))} downloads in the 10 known months; peak 2,130 in Dec"
    assert summary in texts(root)
    assert description(root).startswith(summary)
    assert "Apr 2022: no figure" in description(root)
    assert "Dec 2022: 2,130 downloads" in description(root)


def test_bars_carry_their_months_and_stand_on_a_labelled_value_axis() -> None:
    root = chart()
    bars = rects(root, "bar")
    assert {bar.attrib["data-month"]: int(bar.attrib["data-value"]) for bar in bars} == {
        f"2022-{index + 1:02d}": value for index, value in enumerate(MONTHS) if value is not None
    }
    lines = [line for line in root.iter(f"{SVG}line") if "data-value" in line.attrib]
    ticks = [int(line.attrib["data-value"]) for line in lines]
    assert 3 <= len(ticks) <= 5
    assert ticks[0] == 0 and ticks[-1] >= 2130
    axis = root.find(f".//{SVG}g[@class='axis']")
    assert axis is not None
    assert texts(axis) == [compact(tick) for tick in ticks]
    # Heights are to scale: the zero line is the bars' foot, the top gridline their full height.
    zero_y = float(lines[0].attrib["y1"])
    top_y = float(lines[-1].attrib["y1"])
    for bar in bars:
        bottom = float(bar.attrib["y"]) + float(bar.attrib["height"])
        assert bottom == pytest.approx(zero_y)
        expected = (zero_y - top_y) * int(bar.attrib["data-value"]) / ticks[-1]
        assert float(bar.attrib["height"]) == pytest.approx(expected, abs=0.01)


def test_every_bar_shows_its_value_and_the_peak_reads_exactly() -> None:
    root = chart()
    values = [t for t in root.iter(f"{SVG}text") if "value" in t.attrib.get("class", "")]
    bars = rects(root, "bar")
    assert len(values) == len(bars) == 10
    for text, bar in zip(values, bars, strict=True):
        centre = float(bar.attrib["x"]) + float(bar.attrib["width"]) / 2
        assert float(text.attrib["x"]) == pytest.approx(centre)
        assert float(text.attrib["y"]) < float(bar.attrib["y"])  # above its bar
    peak = [t for t in values if "peak" in t.attrib["class"]]
    assert [t.text for t in peak] == ["2,130"]
    assert [t.text for t in values if t not in peak] == [
        compact(v) for v in MONTHS[:-1] if v is not None
    ]


def test_unknown_months_are_hatched_gaps_counted_in_a_note() -> None:
    root = chart()
    gaps = rects(root, "unknown")
    assert [gap.attrib["data-month"] for gap in gaps] == ["2022-04", "2022-05"]
    for gap in gaps:
        assert gap.attrib["fill"].startswith("url(#")
        assert gap.attrib["stroke-dasharray"]
    assert texts(root, "note") == ["2 months without a figure"]

    one = chart([None, *MONTHS[:3], *MONTHS[5:], 7])
    assert texts(one, "note") == ["1 month without a figure"]
    whole = chart([5] * 12)
    assert texts(whole, "note") == [] and rects(whole, "unknown") == []


def test_a_zero_month_is_a_bar_of_height_zero_not_a_gap() -> None:
    root = chart([0, 0, 4, *[None] * 9])
    bars = rects(root, "bar")
    assert [float(b.attrib["height"]) for b in bars[:2]] == [0, 0]
    assert texts(root, "value")[:2] == ["0", "0"]
    assert texts(root, "note") == ["9 months without a figure"]


def test_a_year_with_nothing_known_is_still_a_clear_picture() -> None:
    root = chart([None] * 12)
    assert len(rects(root, "unknown")) == 12
    assert texts(root, "note") == ["12 months without a figure"]
    assert "no downloads counted" in texts(root)
    assert texts(root, "month") == list(EN.months)


def test_downloads_chart_in_korean() -> None:
    root = chart(labels=KO)
    assert accessible_name(root) == "pytorch_optimizer 월별 다운로드 (2022년)"
    assert texts(root, "month") == [f"{month}월" for month in range(1, 13)]
    assert texts(root, "note") == ["2개월은 수치 없음"]
    assert "최고 12월 2,130회" in texts(root)[1]


def test_a_hostile_package_name_stays_text() -> None:
    name = '<script>alert("x")</script> & <!-- devstats:end -->\x00\x1b'
    svg = downloads_chart(package=name, year=2022, months=MONTHS, theme="dark", labels=EN)
    root = parse(svg)  # still well-formed
    clean = '<script>alert("x")</script> & <!-- devstats:end -->'
    assert accessible_name(root) == f"{clean} downloads per month, 2022"
    assert "<script" not in svg and "<!--" not in svg


def test_a_long_package_name_is_shortened_on_the_picture_but_not_in_its_title() -> None:
    name = "a-package-with-a-name-so-long-it-would-never-fit-on-one-line-of-a-blog-column"
    root = chart(package=name)
    assert accessible_name(root) == f"{name} downloads per month, 2022"
    drawn = texts(root)[0]
    assert drawn.endswith("…") and drawn[:-1] in accessible_name(root)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_downloads_chart_themes(theme: str) -> None:
    root = chart(theme=theme)
    background = next(root.iter(f"{SVG}rect"))
    assert background.attrib["fill"] == THEMES[theme].background
    assert {bar.attrib["fill"] for bar in rects(root, "bar")} == {THEMES[theme].bar}


def test_downloads_chart_refuses_what_is_not_a_year_of_months() -> None:
    with pytest.raises(ValueError, match="12 months"):
        downloads_chart(package="p", year=2022, months=[1] * 11, theme="light", labels=EN)
    with pytest.raises(ValueError, match="negative"):
        downloads_chart(package="p", year=2022, months=[-1] * 12, theme="light", labels=EN)
    with pytest.raises(ValueError, match="theme"):
        downloads_chart(package="p", year=2022, months=[1] * 12, theme="sepia", labels=EN)


@pytest.mark.parametrize("peak", [*range(1, 130), 999, 1000, 1001, 2130, 4100, 41_600, 1_234_567])
def test_value_axis_is_round_and_reads_exactly(peak: int) -> None:
    ticks = nice_ticks(peak)
    assert 3 <= len(ticks) <= 5
    assert ticks[0] == 0 and ticks[-1] >= peak
    step = ticks[1]
    assert all(b - a == step for a, b in itertools.pairwise(ticks))
    # The step is 1, 2, 2.5 or 5 times a power of ten.
    digits = str(step).rstrip("0")
    assert digits in ("1", "2", "25", "5")
    # No wasted half: the top is less than twice what the peak needs.
    assert ticks[-2] < peak or len(ticks) == 3
    for tick in ticks:  # every label is the exact value: "2.5k" is 2,500
        text = compact(tick)
        scale = {"k": 1_000, "M": 1_000_000}.get(text[-1], 1)
        assert float(text.rstrip("kM")) * scale == tick


# ---------------------------------------------------------------------------------------------
# Heatmap

YEAR = 2022  # 1 January 2022 was a Saturday


def action_every_day(year: int = YEAR) -> dict[date, tuple[int, int]]:
    """An Action commits every day; real work on weekdays of a few weeks, and Jan 1 has only the
    Action's commit: the demo's shape."""
    days: dict[date, tuple[int, int]] = {}
    day = date(year, 1, 1)
    while day.year == year:
        real = 1 + day.day % 9 if day.weekday() < 5 else 0
        days[day] = (real, 1)
        day += timedelta(days=1)
    days[date(year, 1, 1)] = (0, 1)
    return days


def cells(root: ET.Element) -> dict[str, ET.Element]:
    return {cell.attrib["data-date"]: cell for cell in rects(root, "day")}


def strips(root: ET.Element) -> dict[str, ET.Element]:
    return {strip.attrib["data-week"]: strip for strip in rects(root, "week")}


def week_of(day: date) -> str:
    """The first day of `day`'s column (a Sunday, or 1 January)."""
    sunday = day - timedelta(days=(day.weekday() + 1) % 7)
    return max(sunday, date(day.year, 1, 1)).isoformat()


def grid(days: dict[date, tuple[int, int]], **changes: object) -> ET.Element:
    arguments: dict[str, object] = {"year": YEAR, "days": days, "theme": "light", "labels": EN}
    arguments.update(changes)
    return parse(heatmap(**arguments))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("year", "length", "weeks"), [(2022, 365, 53), (2024, 366, 53), (2028, 366, 54)]
)
def test_one_cell_per_day_in_sunday_first_week_columns(year: int, length: int, weeks: int) -> None:
    root = grid({}, year=year)
    by_date = cells(root)
    assert len(by_date) == length
    first = date(year, 1, 1)
    for offset in range(length):
        day = first + timedelta(days=offset)
        cell = by_date[day.isoformat()]
        column = ((first.weekday() + 1) % 7 + offset) // 7
        row = (day.weekday() + 1) % 7  # Sunday on top
        assert cell.attrib["y"] == str(80 + row * 13)
        assert int(cell.attrib["x"]) - int(by_date[first.isoformat()].attrib["x"]) == column * 13
    assert len(strips(root)) == weeks


def test_colour_counts_real_work_and_the_strip_shows_automated_days() -> None:
    days = action_every_day()
    root = grid(days)
    by_date = cells(root)
    empty = THEMES["light"].levels[0]
    # Jan 1: only the Action's commit. The cell stays empty; its week's strip does not.
    jan_1 = by_date["2022-01-01"]
    assert (jan_1.attrib["data-real"], jan_1.attrib["data-automated"]) == ("0", "1")
    assert jan_1.attrib["fill"] == empty
    assert strips(root)[week_of(date(2022, 1, 1))].attrib["fill"] != THEMES["light"].automated[0]
    # A weekday with real work is coloured.
    monday = by_date["2022-03-07"]
    assert int(monday.attrib["data-real"]) == days[date(2022, 3, 7)][0] > 0
    assert monday.attrib["fill"] != empty
    # Every day automated: every week's strip at the top shade, partial weeks included, so a
    # daily Action reads as "every day" instead of painting the whole grid.
    assert {s.attrib["data-level"] for s in strips(root).values()} == {"4"}
    assert {s.attrib["fill"] for s in strips(root).values()} == {THEMES["light"].automated[4]}


def test_automated_commits_change_no_cell_colour() -> None:
    real_only = {day: (real, 0) for day, (real, _) in action_every_day().items()}
    noisy = {day: (real, 40) for day, (real, _) in real_only.items()}
    fills = {d: c.attrib["fill"] for d, c in cells(grid(real_only)).items()}
    assert {d: c.attrib["fill"] for d, c in cells(grid(noisy)).items()} == fills
    assert len(set(fills.values())) == 5  # the real counts alone use every step


def test_the_strip_shades_weeks_by_days_with_automated_commits() -> None:
    # Week of Sun 6 Mar 2022: automated commits on 0..7 of its days, one week each.
    days: dict[date, tuple[int, int]] = {}
    for week in range(8):
        sunday = date(2022, 3, 6) + timedelta(weeks=week)
        for offset in range(week):
            days[sunday + timedelta(days=offset)] = (0, 3)
    by_week = strips(grid(days))
    levels = []
    for week in range(8):
        strip = by_week[(date(2022, 3, 6) + timedelta(weeks=week)).isoformat()]
        assert int(strip.attrib["data-automated-days"]) == week
        levels.append(int(strip.attrib["data-level"]))
        assert strip.attrib["fill"] == THEMES["light"].automated[levels[-1]]
    assert levels == [0, 1, 1, 2, 2, 3, 3, 4]  # the key's steps: 1-2, 3-4, 5-6, 7
    assert all(
        cell.attrib["fill"] == THEMES["light"].levels[0] for cell in cells(grid(days)).values()
    )


def test_the_legend_says_what_the_colour_and_the_strip_count() -> None:
    days = action_every_day()
    root = grid(days)
    legend = root.find(f".//{SVG}g[@class='legend']")
    assert legend is not None
    keys = texts(legend, "key")
    assert "colour: real contributions a day, in quartiles (automated commits left out)" in keys
    assert "strip under each week: days with automated commits" in keys
    # Each colour step's range holds exactly the days drawn in that step.
    ranges = texts(legend, "step")[:5]
    assert ranges[0] == "0"
    for cell in cells(root).values():
        real = int(cell.attrib["data-real"])
        label = ranges[int(cell.attrib["data-level"])]
        if label.endswith("+"):
            assert real >= int(label[:-1])
        else:
            low, _, high = label.partition("–")
            assert int(low) <= real <= int(high or low)
    assert texts(legend, "step")[5:] == ["1–2", "3–4", "5–6", "7"]
    real_total = sum(real for real, _ in days.values())
    summary = texts(root)[1]
    assert summary.startswith(f"{real_total:,} real contributions on ")
    assert "365 automated commits on 365 days" in summary
    assert description(root).startswith(summary)


def test_month_and_weekday_labels() -> None:
    root = grid({})
    assert texts(root, "month") == list(EN.months)
    assert texts(root, "weekday") == ["Mon", "Wed", "Fri"]
    # A month's label stands over the first week whose Sunday is in that month.
    labels = {
        t.text: float(t.attrib["x"])
        for t in root.iter(f"{SVG}text")
        if t.attrib.get("class") == "month"
    }
    by_date = cells(root)
    assert labels["Mar"] == float(by_date["2022-03-06"].attrib["x"])  # 1 March was a Tuesday
    assert labels["May"] == float(by_date["2022-05-01"].attrib["x"])  # 1 May was a Sunday
    assert labels["Jan"] == float(by_date["2022-01-01"].attrib["x"])


def test_the_busiest_day_is_ringed_and_named_in_the_key() -> None:
    days = action_every_day()
    busiest = max(days, key=lambda day: days[day][0])
    root = grid(days, busiest=busiest)
    rings = rects(root, "busiest")
    assert [ring.attrib["data-date"] for ring in rings] == [busiest.isoformat()]
    cell = cells(root)[busiest.isoformat()]
    ring = rings[0]
    assert float(ring.attrib["x"]) < float(cell.attrib["x"])
    assert float(ring.attrib["x"]) + float(ring.attrib["width"]) > float(cell.attrib["x"]) + 10
    assert ring.attrib["fill"] == "none"
    name = f"{EN.months[busiest.month - 1]} {busiest.day}"
    assert f"busiest day: {name} ({days[busiest][0]})" in texts(root, "busiest")
    assert rects(grid(days), "busiest") == []
    with pytest.raises(ValueError, match="not in 2022"):
        heatmap(year=2022, days=days, theme="light", labels=EN, busiest=date(2021, 5, 5))


def test_heatmap_in_korean() -> None:
    days = action_every_day()
    root = grid(days, labels=KO, busiest=date(2022, 3, 14))
    assert accessible_name(root) == "2022년 GitHub 기여"
    assert texts(root, "month") == [f"{month}월" for month in range(1, 13)]
    assert texts(root, "weekday") == ["월", "수", "금"]
    assert "색: 하루 실제 기여 수, 사분위 기준 (자동 커밋 제외)" in texts(root, "key")
    assert f"가장 바빴던 날: 3월 14일 ({days[date(2022, 3, 14)][0]}건)" in texts(root, "busiest")


def test_heatmap_themes_and_refusals() -> None:
    dark = grid(action_every_day(), theme="dark")
    assert next(dark.iter(f"{SVG}rect")).attrib["fill"] == THEMES["dark"].background
    assert {c.attrib["fill"] for c in cells(dark).values()} <= set(THEMES["dark"].levels)
    with pytest.raises(ValueError, match="theme"):
        heatmap(year=2022, days={}, theme="sepia", labels=EN)
    with pytest.raises(ValueError, match="negative"):
        heatmap(year=2022, days={date(2022, 1, 1): (-1, 0)}, theme="light", labels=EN)


def test_font_stack_names_korean_faces_before_any_generic_family() -> None:
    families = [family.strip().strip("'") for family in FONT_STACK.split(",")]
    assert families[-1] == "sans-serif"
    for korean in ("Noto Sans CJK KR", "Apple SD Gothic Neo", "Malgun Gothic"):
        assert families.index(korean) < families.index("sans-serif")
    for svg in (
        downloads_chart(package="p", year=2022, months=MONTHS, theme="light", labels=KO),
        heatmap(year=2022, days={}, theme="light", labels=KO),
    ):
        group = parse(svg).find(f"{SVG}g")
        assert group is not None and group.attrib["font-family"] == FONT_STACK


# ---------------------------------------------------------------------------------------------
# PNG


def test_png_is_a_decodable_image_of_the_picture() -> None:
    svg = downloads_chart(package="p", year=2022, months=MONTHS, theme="dark", labels=EN)
    image = read_png(svg_to_png(svg, scale=1))
    assert (image.width, image.height) == (600, 320)
    palette = THEMES["dark"]
    assert image.rgb(2, 2) == palette.background
    december = rects(parse(svg), "bar")[-1]
    x = round(float(december.attrib["x"]) + float(december.attrib["width"]) / 2)
    y = round(float(december.attrib["y"]) + float(december.attrib["height"]) / 2)
    assert image.rgb(x, y) == palette.bar

    sharp = svg_to_png(svg)  # default scale 2: twice the pixels
    assert sharp[:8] == SIGNATURE
    assert (int.from_bytes(sharp[16:20], "big"), int.from_bytes(sharp[20:24], "big")) == (1200, 640)


def test_png_scale_is_checked() -> None:
    for scale in (0, -1, 9, float("nan")):
        with pytest.raises(UsageError, match="scale"):
            svg_to_png("<svg/>", scale=scale)


def test_png_without_the_extra_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "resvg_py", None)  # makes the import fail
    with pytest.raises(UsageError) as raised:
        svg_to_png("<svg/>")
    assert "devstats-year[png]" in str(raised.value)


def test_asset_files_in_each_format() -> None:
    pictures = {"heatmap-light": heatmap(year=2022, days={}, theme="light", labels=EN)}
    assert list(asset_files(pictures, assets_format="svg")) == ["heatmap-light.svg"]
    both = asset_files(pictures, assets_format="both", scale=1)
    assert list(both) == ["heatmap-light.svg", "heatmap-light.png"]
    assert both["heatmap-light.svg"].decode("utf-8") == pictures["heatmap-light"]
    assert both["heatmap-light.png"][:8] == SIGNATURE
    assert list(asset_files(pictures, assets_format="png", scale=1)) == ["heatmap-light.png"]
    with pytest.raises(UsageError, match="svg, png or both"):
        asset_files(pictures, assets_format="gif")


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    chosen = os.environ.get("DEVSTATS_ARTIFACTS")
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_every_picture_renders_to_a_png_kept_for_people_to_look_at(artifacts: Path) -> None:
    folder = artifacts
    days = action_every_day()
    busiest = max(days, key=lambda day: days[day][0])
    # Korean PNGs only where a font draws Hangul: elsewhere devstats refuses to write them
    in_png = [
        lang for lang in CHART_LABELS if lang != "ko" or draws("한글", font_family=FONT_STACK)
    ]
    for lang, labels in CHART_LABELS.items():
        for theme in THEMES:
            pictures = {
                f"downloads-{lang}-{theme}": downloads_chart(
                    package="pytorch_optimizer",
                    year=2022,
                    months=MONTHS,
                    theme=theme,
                    labels=labels,
                ),
                f"heatmap-{lang}-{theme}": heatmap(
                    year=2022, days=days, theme=theme, labels=labels, busiest=busiest
                ),
            }
            kind = "both" if lang in in_png else "svg"
            for name, content in asset_files(pictures, assets_format=kind).items():
                (folder / name).write_bytes(content)
                if name.endswith(".png"):
                    root = parse(pictures[name.removesuffix(".png")])
                    assert content[:8] == SIGNATURE
                    size = (
                        int.from_bytes(content[16:20], "big"),
                        int.from_bytes(content[20:24], "big"),
                    )
                    assert size == (2 * int(root.attrib["width"]), 2 * int(root.attrib["height"]))
    assert len(list(folder.glob("*-*-*.png"))) == 4 * len(in_png) >= 4


def test_a_peak_too_wide_for_its_slot_reads_compactly() -> None:
    root = chart([1_234_567, *[1_000_000] * 11])
    values = [t for t in root.iter(f"{SVG}text") if "value" in t.attrib.get("class", "")]
    assert [t.text for t in values if "peak" in t.attrib["class"]] == ["1.2M"]


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_offline_demos_pictures_are_kept_as_png(
    lang: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, artifacts: Path
) -> None:
    """The pictures the real CLI draws for the offline demo, as a reader of the post sees them:
    demo-<lang>-<picture>.png in the artifacts folder. Korean PNGs need a font with Hangul:
    where this machine has none, the run refuses before writing (tests/test_png_fonts.py)."""
    monkeypatch.chdir(tmp_path)
    for name in ("DEVSTATS_NOW", "DEVSTATS_CASSETTES", "DEVSTATS_ASSETS_FORMAT"):
        monkeypatch.delenv(name, raising=False)
    result = CliRunner().invoke(
        app,
        [
            *("2022", "--user", "kozistr", "--offline", "--history", str(tmp_path / "h.sqlite3")),
            *("--lang", lang, "--assets", "img", "--assets-format", "both", "--output", "post.md"),
        ],
    )
    if lang == "ko" and not draws("한글", font_family=FONT_STACK):
        assert result.exit_code == 2 and "draws Hangul" in result.stderr
        assert not (tmp_path / "img").exists() and not (tmp_path / "post.md").exists()
        return
    assert result.exit_code == 0, result.stderr
    drawn = sorted(path.stem for path in (tmp_path / "img").glob("*.png"))
    assert drawn == [
        "downloads-pytorch-optimizer-dark",
        "downloads-pytorch-optimizer-light",
        "heatmap-dark",
        "heatmap-light",
    ]
    assert sorted(path.stem for path in (tmp_path / "img").glob("*.svg")) == drawn
    folder = artifacts
    for name in drawn:
        png = (tmp_path / "img" / f"{name}.png").read_bytes()
        root = parse((tmp_path / "img" / f"{name}.svg").read_text(encoding="utf-8"))
        image = read_png(png)
        assert (image.width, image.height) == (
            2 * int(root.attrib["width"]),
            2 * int(root.attrib["height"]),
        )
        (folder / f"demo-{lang}-{name}.png").write_bytes(png)
    # The chart names its package and year; the heatmap says what its colours count.
    chart = parse((tmp_path / "img" / "downloads-pytorch-optimizer-light.svg").read_text("utf-8"))
    title = {
        "en": "pytorch_optimizer downloads per month, 2022",
        "ko": "pytorch_optimizer 월별 다운로드 (2022년)",
    }
    assert accessible_name(chart) == title[lang]
    heatmap_svg = parse((tmp_path / "img" / "heatmap-light.svg").read_text("utf-8"))
    assert CHART_LABELS[lang].colour_key in texts(heatmap_svg, "key")
