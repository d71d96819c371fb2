"""Every empty-frame path, through the real graph: a registry with no news article (every dataset read
from articles is empty, and published so), and one with no extract at all (every extract-derived dataset
is staged empty with its declared schema, and the only failure is the blocking not_empty expectation)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.metadata.datasets import DATASETS
from pipeline.metadata.schemas import arrow_schema
from pipeline.settings import DEFAULT_RAW_DIR
from tests.helpers import SEED_IDS, run_graph

pytestmark = pytest.mark.e2e

REFERENCES = tuple(i for i in SEED_IDS if i.startswith("ref_"))  # the reference tables the seeds come with


def _raw(tmp_path: Path, ids: tuple[str, ...]) -> Path:
    from tests.helpers import keep_only

    raw = tmp_path / "raw"
    shutil.copytree(DEFAULT_RAW_DIR, raw)
    return keep_only(raw, ids)


def _empty_with_its_schema(path: Path, name: str) -> None:
    """No rows, and exactly the declared columns and Arrow types (the corrections asset once wrote an
    object column for an empty frame, and crashed)."""
    assert pq.ParquetFile(path).metadata.num_rows == 0, name
    written = [(f.name, f.type) for f in pq.read_schema(path)]
    assert written == [(f.name, f.type) for f in arrow_schema(DATASETS[name])], name


def test_no_news_article_publishes_empty_article_datasets(tmp_path: Path) -> None:
    raw = _raw(tmp_path, ("paper_appendix_2020", *REFERENCES))
    result = run_graph(raw, tmp_path / "outputs")
    assert result.success
    assert [e for e in result.get_asset_check_evaluations() if not e.passed] == []
    latest = tmp_path / "outputs" / "latest"
    for name in ("reported_figures", "zone_mentions"):
        _empty_with_its_schema(latest / f"{name}.parquet", name)
    assert pq.ParquetFile(latest / "annual_indicators.parquet").metadata.num_rows == 19


def test_no_extract_at_all_stages_empty_datasets_and_fails_only_on_not_empty(tmp_path: Path) -> None:
    raw = _raw(tmp_path, REFERENCES)
    outputs = tmp_path / "outputs"
    result = run_graph(raw, outputs)
    assert not result.success
    failed_steps = sorted(str(e.step_key) for e in result.all_events if e.is_step_failure)
    assert failed_steps == ["annual_indicators_expectations"]  # no asset crashed on its empty input
    failed = {
        (e.asset_key.to_user_string(), e.check_name): e for e in result.get_asset_check_evaluations() if not e.passed
    }
    assert sorted(failed) == [
        ("annual_indicators", "expectations"), ("indicator_values", "expectations"), ("pilot_zones", "expectations")
    ]  # fmt: skip
    assert failed[("indicator_values", "expectations")].severity.value == "WARN"  # an input that yielded nothing
    cases = failed[("annual_indicators", "expectations")].metadata["failure_cases"].value
    assert cases["not_empty"]["severity"] == "ERROR" and cases["not_empty"]["observed_value"] == 0
    assert failed[("pilot_zones", "expectations")].severity.value == "WARN"  # no table prints an extent
    for name in ("indicator_table_cells", "zone_table_lines", "annual_indicators", "reported_figures",
                 "zone_mentions", "corrections"):  # fmt: skip
        _empty_with_its_schema(outputs / "work" / DATASETS[name].layer / f"{name}.parquet", name)
    assert not (outputs / "latest").exists()  # nothing published
