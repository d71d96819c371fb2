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
    assert register_new_extracts(keep_only(raw)) == ["new_ningbo_article_2021", "new_appendix_2023"]
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


def test_the_new_article_is_published_with_its_figures(extended: Path) -> None:
    figures = pd.read_parquet(extended / "reported_figures.parquet")
    new = figures.loc[figures["source_id"] == "new_ningbo_article_2021"]
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
    assert "new_ningbo_article_2021" in zones.loc["Ningbo", "mentioned_in"].split(",")


@pytest.mark.parametrize("name", ["annual_indicators", "reported_figures", "zone_mentions", "corrections"])
def test_the_seed_rows_are_unchanged(extended: Path, published_once: tuple[Path, Path], name: str) -> None:
    seed = pd.read_parquet(published_once[1] / "latest" / f"{name}.parquet")
    frame = pd.read_parquet(extended / f"{name}.parquet")
    kept = frame.loc[frame["source_id"].isin(set(seed["source_id"]))].reset_index(drop=True)
    pd.testing.assert_frame_equal(kept, seed)
