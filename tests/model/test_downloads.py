"""The readable source lines of schema 1.2 are derived from the provenance parts."""

from __future__ import annotations

from datetime import date

from devstats.model.downloads import (
    BASELINE,
    ENGINE,
    PEPY,
    PYPISTATS,
    STORE,
    Provenance,
    monthly_text,
    total_text,
)
from devstats.model.facts import Downloads

STORED = Provenance(STORE, stored_from=("pypistats.org",), months=("2022-01", "2022-02"))
FETCHED = Provenance(PYPISTATS, months=("2022-03", "2022-04"))


def test_months_made_of_days_are_named_for_the_store_when_it_gave_any() -> None:
    # Per month the store and pypistats.org apart; in the one line, the days are one source.
    assert monthly_text((STORED, FETCHED)) == "download store (pypistats.org)"
    engine = Provenance(ENGINE, engine="ClickHouse (ClickPy)", months=("2021-12",))
    assert monthly_text((engine, STORED, FETCHED)) == (
        "ClickHouse (ClickPy) (2021-12 – 2021-12), download store (pypistats.org) (2022-01 – 2022-04)"
    )
    assert monthly_text(()) is None


def test_a_total_line_names_its_parts_as_schema_1_2_did() -> None:
    assert total_text((Provenance(PEPY),)) == "pepy.tech"
    baseline = (Provenance(BASELINE, note="badge"), Provenance(STORE))
    assert total_text(baseline) == "baseline (badge) + download store"
    carried = (
        Provenance(ENGINE, engine="BigQuery", through=date(2022, 11, 30)),
        Provenance(STORE, through=date(2022, 12, 14)),
    )
    assert total_text(carried) == "BigQuery through 2022-11-30 + download store"
    assert total_text(()) is None


def test_downloads_derive_every_source_string_from_the_parts() -> None:
    figures = Downloads(
        total=10,
        last_month=4,
        monthly={"2022-01": 1, "2022-02": 2, "2022-03": 3, "2022-04": 4},
        window=None,
        total_window=None,
        last_month_window=None,
        mirrors=False,
        monthly_from=(STORED, FETCHED),
        total_from=(Provenance(PEPY),),
    )
    assert figures.source == "download store (pypistats.org); total: pepy.tech"
    assert figures.total_source == "pepy.tech"
    assert figures.monthly_sources == {
        "2022-01": "download store (pypistats.org)",
        "2022-02": "download store (pypistats.org)",
        "2022-03": "pypistats.org",
        "2022-04": "pypistats.org",
    }
