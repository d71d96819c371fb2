"""Several tables of one kind: a year or a zone printed twice is kept per table, never merged, and
the per-table rules (years increase, series do not fall) hold within each table."""

from __future__ import annotations

import pandas as pd

from pipeline.clean.indicators import build_annual_indicators, build_annual_indicators_by_table
from pipeline.clean.zones import build_zone_registry, clean_zone_table
from pipeline.crosscheck.growth_rates import check_growth_rates
from pipeline.errors import SourceError
from pipeline.metadata.datasets import ANNUAL_INDICATORS
from pipeline.parse.indicator_table import IndicatorTableConfig, parse_indicator_table
from pipeline.parse.zone_table import ZoneTableConfig, parse_zone_table
from pipeline.raw.reference import read_reference_batches, read_reference_zones
from pipeline.settings import DEFAULT_RAW_DIR, EXPECTATIONS_DIR
from pipeline.validate.gx_suites import run_suite
from pipeline.validate.pandera_checks import run_pandera
from pipeline.validate.views import suite_view
from tests.helpers import HEADERS

TABLE_A = "Year Total e-\ncommerce\n\nNetwork\npenetration\n\n2001 0.12 3.7\n\n2002 0.19 4.6\n\nSource: x\n"
TABLE_B = "Year Total e-\ncommerce\n\nNetwork\npenetration\n\n2002 0.21 4.5\n\n2003 0.18 6.2\n\nSource: y\n"


def _cells(text: str, source_id: str) -> pd.DataFrame:
    return parse_indicator_table(text, IndicatorTableConfig(), source_id=source_id, path=f"raw/{source_id}.txt")[0]


def _indicators() -> pd.DataFrame:
    cells = pd.concat([_cells(TABLE_A, "a"), _cells(TABLE_B, "b")], ignore_index=True)
    return build_annual_indicators(cells, {}, HEADERS)


def test_a_year_two_tables_print_gives_two_rows() -> None:
    frame = _indicators()
    assert frame[["source_id", "year", "ecommerce_transactions_trillion_cny", "internet_penetration_pct"]].to_dict(
        orient="records"
    ) == [
        {"source_id": "a", "year": 2001, "ecommerce_transactions_trillion_cny": 0.12, "internet_penetration_pct": 3.7},
        {"source_id": "a", "year": 2002, "ecommerce_transactions_trillion_cny": 0.19, "internet_penetration_pct": 4.6},
        {"source_id": "b", "year": 2002, "ecommerce_transactions_trillion_cny": 0.21, "internet_penetration_pct": 4.5},
        {"source_id": "b", "year": 2003, "ecommerce_transactions_trillion_cny": 0.18, "internet_penetration_pct": 6.2},
    ]
    assert list(ANNUAL_INDICATORS.primary_key) == ["source_id", "year"]
    assert run_pandera(frame, ANNUAL_INDICATORS).passed


def test_the_suite_sees_each_table_on_its_own() -> None:
    view = suite_view(_indicators(), ANNUAL_INDICATORS)
    assert view["table_rows"].tolist() == [2, 2, 2, 2]
    assert view["year_step"].tolist()[1::2] == [1.0, 1.0] and view["year_step"].isna().tolist()[::2] == [True, True]
    # 2002 -> 2003 of table b falls (0.21 -> 0.18); b's 2002 after a's 2002 is not a fall of anything
    changes = view["ecommerce_transactions_trillion_cny_change"].round(2).tolist()
    assert pd.isna(changes[0]) and changes[1] == 0.07 and pd.isna(changes[2]) and changes[3] == -0.03
    outcomes = {o.check: o for o in run_suite(view, "annual_indicators", EXPECTATIONS_DIR / "annual_indicators.json")}
    assert outcomes["years_increasing"].passed and outcomes["row_count"].passed
    falling = [o for o in outcomes.values() if not o.passed]
    assert [(o.severity, o.failures[0]["source_id"], o.failures[0]["year"]) for o in falling] == [("ERROR", "b", 2003)]


def test_a_table_with_a_defect_is_quarantined_alone() -> None:
    bad = _cells(TABLE_B, "b").assign(header="Total e-commerce")  # both columns now claim one indicator
    cells = pd.concat([_cells(TABLE_A, "a"), bad], ignore_index=True)
    frame, errors = build_annual_indicators_by_table(cells, {"b": "raw/b.txt"}, HEADERS)
    assert frame["source_id"].unique().tolist() == ["a"]
    assert list(errors) == ["b"]
    assert str(errors["b"]) == (
        "raw/b.txt:4: two columns of indicator table 1 measure 'ecommerce_transactions_trillion_cny' "
        "(header 'Total e-commerce'). If the two headers mean different things, give one its own indicator_id in "
        "raw/reference/indicator_headers.csv; a column printed twice is a defect of the extract to report, and the "
        "table cannot go into annual_indicators until then."
    )


ZONES_A = "Region Extent Main Objectives\n\nHangzhou International\n\nBuild a platform.\n"
ZONES_B = "Region Extent Main Objectives\n\nHangzhou National\n\nTrain talent.\n\nNingbo Region\n\nShip parcels.\n"


def test_a_zone_two_tables_print_takes_the_first_table_and_lists_both() -> None:
    zones = read_reference_zones(str(DEFAULT_RAW_DIR / "reference/pilot_zones_reference.csv"))
    batches = read_reference_batches(str(DEFAULT_RAW_DIR / "reference/pilot_zone_batches_reference.csv"))
    lines = pd.concat(
        [
            parse_zone_table(ZONES_B, ZoneTableConfig(), source_id="z_b", path="raw/b.txt")[0],
            parse_zone_table(ZONES_A, ZoneTableConfig(), source_id="z_a", path="raw/a.txt")[0],
        ],
        ignore_index=True,
    )
    rows, _ = clean_zone_table(lines, zones, {}, {})
    registry = build_zone_registry(zones, batches, rows, {"hangzhou-zhejiang": {"news_1"}}, "ref").set_index("zone_id")
    hangzhou = registry.loc["hangzhou-zhejiang"]
    assert (hangzhou["extent"], hangzhou["objectives"], hangzhou["table_source_id"]) == (
        "International",
        "Build a platform.",
        "z_a",
    )
    assert hangzhou["mentioned_in"] == ["news_1", "z_a", "z_b"]
    assert registry.loc["ningbo-zhejiang", "table_source_id"] == "z_b"


def _figure(source: str, start: int, period: str, value: float, growth: float | None = None) -> dict[str, object]:
    return {
        "source_id": source, "char_start": start, "char_end": start + 5, "kind": "amount", "subject": "exports",
        "geography": "Ningbo", "period": period, "value": value, "unit": "CNY", "growth_pct": growth,
        "printed": f"{value:g} yuan", "quote": f"{value:g} yuan in {period}", "quote_char_start": start,
        "quote_char_end": start + 20, "uncertainty": None, "figure_id": f"{source}{start:015d}",
    }  # fmt: skip


def test_a_stated_rate_tested_by_many_sources_is_one_finding() -> None:
    figures = pd.DataFrame(
        [
            _figure("s", 0, "2020", 110.0, growth=10.0),
            _figure("p", 0, "2019", 100.0),
            _figure("q", 0, "2019", 95.0),
            _figure("r", 0, "2019", 100.5),
        ]
    )
    [finding] = check_growth_rates(figures)
    assert finding["status"] == "contradiction"
    # the statement first, then the figures it was tested against, the farthest from the rate first
    assert finding["observation_ids"] == [f"{s}000000000000000" for s in "sqrp"]
    assert finding["message"] == (
        "exports, 2020: stated growth 10%; 3 pairs of figures for 2020 and 2019 from the sources give 9.5% to "
        "15.8%, 2 of them within 1 point: the sources' figures do not all fit the stated rate."
    )
    quoted = [e["source_id"] for e in finding["evidence"]]
    assert quoted[0] == "s" and quoted[1] == "q"  # the statement, then the pair farthest from the rate


def test_an_empty_indicator_dataset_blocks_publication() -> None:
    empty = suite_view(_indicators().iloc[0:0], ANNUAL_INDICATORS)
    outcomes = {o.check: o for o in run_suite(empty, "annual_indicators", EXPECTATIONS_DIR / "annual_indicators.json")}
    assert not outcomes["not_empty"].passed and outcomes["not_empty"].severity == "ERROR"


def test_a_zone_printed_twice_in_one_file_quarantines_that_file() -> None:
    zones = read_reference_zones(str(DEFAULT_RAW_DIR / "reference/pilot_zones_reference.csv"))
    twice = ZONES_A + "\nHangzhou National\n\nAgain.\n"
    lines = pd.concat(
        [
            parse_zone_table(twice, ZoneTableConfig(), source_id="z_a", path="raw/a.txt")[0],
            parse_zone_table(ZONES_B, ZoneTableConfig(), source_id="z_b", path="raw/b.txt")[0],
        ],
        ignore_index=True,
    )
    errors: dict[str, SourceError] = {}
    rows, _ = clean_zone_table(lines, zones, {}, {"z_a": "raw/a.txt"}, errors)
    assert sorted(set(rows["table_source_id"])) == ["z_b"]
    assert str(errors["z_a"]) == (
        "raw/a.txt:7: zone Hangzhou (Zhejiang) is printed twice in this file's tables, on lines 3 and 7. "
        "Check whether two rows were merged or a page repeated; fix the extract."
    )
