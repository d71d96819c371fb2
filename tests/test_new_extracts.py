"""A user adds an extract of each known kind as the README says (the file in raw/extracts/, an entry in
sources.yaml, nothing else): the whole graph runs, publishes the new rows with the right values, and
leaves every row of the seed extracts as it was."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipeline.settings import DEFAULT_RAW_DIR
from tests.helpers import keep_only, register_new_extracts, run_graph

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def extended(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The release built from the seed registry plus the two new extracts."""
    root = tmp_path_factory.mktemp("extended")
    raw, outputs = root / "raw", root / "outputs"
    shutil.copytree(DEFAULT_RAW_DIR, raw)
    assert register_new_extracts(keep_only(raw)) == [
        "new_ningbo_article_2021",
        "new_appendix_2023",
        "new_province_table_2023",
    ]
    result = run_graph(raw, outputs)
    assert result.success, [e.event_specific_data for e in result.get_step_failure_events()]
    return (outputs / "latest").resolve()


def test_the_new_table_is_published_with_its_values(extended: Path) -> None:
    indicators = pd.read_parquet(extended / "annual_indicators.parquet")
    new = indicators.loc[indicators["source_id"] == "new_appendix_2023"]
    assert new["year"].tolist() == [2020, 2021, 2022]
    assert new["ecommerce_transactions_trillion_cny"].tolist() == [37.21, 42.30, 43.83]
    assert new["logistics_costs_trillion_cny"].tolist() == [14.9, 16.7, 17.8]
    assert new["internet_penetration_pct"].isna().all()  # a column the table does not print
    assert new["line"].tolist() == [10, 12, 14]  # the printed rows (sed -n 10p tests/data/new_extracts/new_table.txt)


def test_a_region_table_with_new_indicators_is_published_by_registry_and_dictionary_rows_alone(extended: Path) -> None:
    """tests/data/new_extracts/new_province_table.txt: a province table with two indicators no code
    declares, Chinese names before English ones, wrapped 'Autonomous Region' names, a page number and a
    running title between rows, an OCR cell read safely ('8,93l') and one declared in the registry ('1B04')."""
    values = pd.read_parquet(extended / "indicator_values.parquet")
    new = values.loc[values["source_id"] == "new_province_table_2023"]
    columns = ["key", "region_code", "row_kind", "indicator_id", "value", "unit", "value_text", "footnote", "line"]
    new = new.sort_values(["key", "indicator_id"])  # the file is sorted by value_id
    got = new[columns].astype(object).where(new[columns].notna(), None)
    exports, firms = "cbec_b2b_exports_100m_cny", "cbec_exporting_enterprises"
    cny, n = "100 million CNY", "enterprises"
    assert [tuple(r) for r in got.itertuples(index=False)] == [
        ("Guangdong", "440000", "data", exports, 3612.4, cny, "3,612.4", None, 14),
        ("Guangdong", "440000", "data", firms, 12804.0, n, "12,804", None, 14),
        ("Guangxi", "450000", "data", exports, 212.6, cny, "212.6", None, 18),
        ("Guangxi", "450000", "data", firms, 1804.0, n, "1B04", None, 18),  # declared in the registry
        ("National total", None, "total", exports, 9845.2, cny, "9,845.2", None, 12),
        ("National total", None, "total", firms, 38216.0, n, "38,216", None, 12),
        ("Other provinces", None, "total", exports, 3813.4, cny, "3,813.4", None, 27),
        ("Other provinces", None, "total", firms, 14300.0, n, "14,300", None, 27),
        ("Xinjiang", "650000", "data", exports, 98.1, cny, "98.1*", "*", 24),
        ("Xinjiang", "650000", "data", firms, 377.0, n, "377", None, 24),
        ("Zhejiang", "330000", "data", exports, 2108.7, cny, "2,108.7", None, 16),
        ("Zhejiang", "330000", "data", firms, 8931.0, n, "8,93l", None, 16),  # read safely, and logged
    ]
    parts = new.loc[new["key"] != "National total"]  # the provinces and the remainder 'Other provinces'
    by_indicator = parts.groupby("indicator_id")["value"].sum().round(1).to_dict()
    totals = new.loc[new["key"] == "National total"].set_index("indicator_id")["value"].to_dict()
    assert by_indicator == totals  # the provinces and 'Other provinces' add up to the printed national total
    text = (DEFAULT_RAW_DIR.parent / "tests/data/new_extracts/new_province_table.txt").read_text(encoding="utf-8")
    for row in new.itertuples():
        assert text[row.char_start : row.char_end] == row.value_text
    corrections = pd.read_parquet(extended / "corrections.parquet")
    fixed = corrections.loc[corrections["source_id"] == "new_province_table_2023"].sort_values("char_start")
    assert fixed[["line", "before", "after", "rule"]].to_dict(orient="records") == [
        {"line": 16, "before": "8,93l", "after": "8,931", "rule": "ocr_digit_letters"},
        {"line": 18, "before": "1B04", "after": "1804", "rule": "declared_cell_correction"},
        {"line": 21, "before": "41", "after": "", "rule": "page_number_line"},
        {
            "line": 22,
            "before": "Provincial Monitor of Cross-border Exports",
            "after": "",
            "rule": "running_title_by_page_number",
        },
    ]
    indicators = pd.read_parquet(extended / "annual_indicators.parquet")
    assert "new_province_table_2023" not in set(indicators["source_id"])  # a region table has no year row


def test_the_new_article_is_published_with_its_figures(extended: Path) -> None:
    figures = pd.read_parquet(extended / "reported_figures.parquet")
    new = figures.loc[figures["source_id"] == "new_ningbo_article_2021"].sort_values("char_start")  # as printed
    got = new[["printed", "kind", "value", "unit", "period", "geography", "growth_pct"]].to_dict(orient="records")
    assert got[0] == {
        "printed": "25.1 billion yuan", "kind": "amount", "value": 25.1e9, "unit": "CNY", "period": "2020",
        "geography": "Ningbo", "growth_pct": 28.6,
    }  # fmt: skip
    assert got[1]["printed"] == "1,200 enterprises" and got[1]["value"] == 1200
    mentions = pd.read_parquet(extended / "zone_mentions.parquet")
    new_mentions = mentions.loc[mentions["source_id"] == "new_ningbo_article_2021"]
    assert new_mentions["city"].tolist() == ["Ningbo"] * 3  # the title, the dateline and the body
    zones = pd.read_parquet(extended / "pilot_zones.parquet").set_index("city")
    assert "new_ningbo_article_2021" in zones.loc["Ningbo", "mentioned_in"]


@pytest.mark.parametrize("name", ["annual_indicators", "reported_figures", "zone_mentions", "corrections"])
def test_the_seed_rows_are_unchanged(extended: Path, published_once: tuple[Path, Path], name: str) -> None:
    seed = pd.read_parquet(published_once[1] / "latest" / f"{name}.parquet")
    frame = pd.read_parquet(extended / f"{name}.parquet")
    kept = frame.loc[frame["source_id"].isin(set(seed["source_id"]))].reset_index(drop=True)
    pd.testing.assert_frame_equal(kept, seed)


def test_the_region_table_is_in_observations_with_its_places(extended: Path) -> None:
    observations = pd.read_parquet(extended / "observations.parquet")
    new = observations.loc[(observations["source_id"] == "new_province_table_2023")
                           & (observations["measure"] == "cbec_b2b_exports_100m_cny")]  # fmt: skip
    places = {r.geography: (r.geography_level, None if pd.isna(r.geography_code) else r.geography_code)
              for r in new.itertuples()}  # fmt: skip
    assert places["China"] == ("country", None)  # the table's 'National total'
    assert places["Other provinces"] == ("aggregate", None)
    assert places["Guangdong"] == ("province", "440000")
    guangdong = new.loc[new["geography"] == "Guangdong"].iloc[0]
    assert (guangdong["value"], guangdong["unit"], guangdong["value_cny"]) == (3612.4, "100 million CNY", 3612.4e8)
    assert pd.isna(guangdong["period"]) and pd.isna(guangdong["value_usd"])  # the table prints no year: no rate
