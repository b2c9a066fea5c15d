"""A package's figures in words: which months have no figure and why, and where the monthly
figures and the total come from, in English and Korean."""

from __future__ import annotations

from datetime import date

import pytest

from devstats.model.downloads import BASELINE, ENGINE, PEPY, PYPISTATS, STORE, Provenance
from devstats.model.facts import Downloads
from devstats.render.views.packages import missing_text, source_text
from devstats.render.words.labels import BY_CODE
from tests.fakes.report_factory import replace, sample_report

EN, KO = BY_CODE["en"], BY_CODE["ko"]


def downloads(**changes: object) -> Downloads:
    base = sample_report().packages[1].downloads
    assert base is not None
    return replace(base, **changes)


def test_missing_months_are_grouped_by_reason_in_calendar_order() -> None:
    gaps = downloads(
        missing_months={
            "2022-01": "before-first-upload",
            "2022-02": "before-first-upload",
            "2022-03": "unknown",
            "2022-05": "unknown",
            "2022-06": "partial",
            "2022-12": "not-over",
        }
    )
    assert missing_text(gaps, 2022, EN) == (
        "Monthly figures are missing for Jan–Feb (before the first upload), Mar, May (the "
        "download data does not reach back that far), Jun (only partly known), and Dec (not "
        "over yet)."
    )
    assert missing_text(gaps, 2022, KO) == (
        "1~2월은 첫 업로드 전이라서, 3월, 5월은 다운로드 데이터가 그만큼 거슬러 올라가지 "
        "않아서, 6월은 일부 날짜만 있어서, 12월은 아직 끝나지 않아서 월별 수치가 없다."
    )
    assert missing_text(downloads(missing_months={}), 2022, EN) is None


@pytest.mark.parametrize(
    ("changes", "en", "ko"),
    [
        (
            {
                "total_from": (
                    Provenance(BASELINE, note="seeded in March", through=date(2022, 3, 14)),
                    Provenance(STORE),
                )
            },
            "Monthly figures come from pypistats.org; the total is a baseline (seeded in March) "
            "plus the download store.",
            "월별 수치는 pypistats.org에서 가져왔고, 누적 다운로드는 baseline(seeded in March)에 "
            "다운로드 기록을 더한 값이다.",
        ),
        (
            {"total_from": (Provenance(PEPY),)},
            "Monthly figures come from pypistats.org; the total comes from pepy.tech.",
            "월별 수치는 pypistats.org에서 가져왔고, 누적 다운로드는 pepy.tech에서 가져왔다.",
        ),
        (
            {
                "monthly_from": (
                    Provenance(
                        STORE,
                        stored_from=("pypistats.org",),
                        months=("2022-10", "2022-11", "2022-12"),
                    ),
                ),
                "total_from": (
                    Provenance(ENGINE, engine="ClickHouse (ClickPy)", through=date(2022, 12, 30)),
                    Provenance(STORE),
                ),
            },
            "Monthly figures come from the download store (pypistats.org); the total comes from "
            "ClickHouse (ClickPy) through Dec 30, 2022, and from the download store after that.",
            "월별 수치는 다운로드 기록(pypistats.org)에서 가져왔고, 누적 다운로드는 2022.12.30까지는 "
            "ClickHouse (ClickPy), 그 뒤는 다운로드 기록에서 가져왔다.",
        ),
        (
            {
                "monthly_from": (
                    Provenance(ENGINE, engine="BigQuery", months=("2022-10",)),
                    Provenance(PYPISTATS, months=("2022-11", "2022-12")),
                ),
                "total_from": (),
            },
            "Monthly figures come from BigQuery for Oct and pypistats.org for Nov–Dec.",
            "월별 수치 중 10월은 BigQuery, 11~12월은 pypistats.org에서 가져왔다.",
        ),
    ],
)
def test_where_the_figures_come_from_is_one_sentence(
    changes: dict[str, object], en: str, ko: str
) -> None:
    figures = downloads(**changes)
    assert source_text(figures, EN) == en
    assert source_text(figures, KO) == ko


def test_a_total_without_monthly_figures_still_names_its_source() -> None:
    only = downloads(monthly={}, monthly_from=(), total_from=(Provenance(PEPY),))
    assert source_text(only, EN) == "The total comes from pepy.tech."
    assert source_text(only, KO) == "누적 다운로드는 pepy.tech에서 가져왔다."
    assert source_text(downloads(monthly={}, total_from=()), EN) is None
