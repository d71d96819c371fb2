"""The synthetic corpus of the scale benchmark, and the pipeline run on one: the generator is
deterministic, its extracts register and parse like real ones, and a corpus larger than
PIPELINE_RAW_ASSETS_LIMIT is observed per kind."""

from __future__ import annotations

import hashlib
from pathlib import Path

import dagster as dg
import pandas as pd
import pytest

from devtools.synthetic import generate
from pipeline.defs.location import ALL_JOB, build_definitions
from pipeline.raw.registry import load_registry
from pipeline.settings import DEFAULT_RAW_DIR
from pipeline.steps.tables import parse_tables
from pipeline.store.workspace import read_json
from tests.helpers import run_graph


def _digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()


def test_the_generator_is_deterministic_and_registers_every_extract(tmp_path: Path, seed_raw: Path) -> None:
    ids = generate(tmp_path / "a", 12, source_raw=seed_raw)
    generate(tmp_path / "b", 12, source_raw=seed_raw)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert ids[:3] == ["syn_indicator_00000", "syn_zone_00001", "syn_news_00002"]
    sources = load_registry(tmp_path / "a")  # strict: every entry valid, every sha256 right
    assert len(sources) == 11 + 12
    generate(tmp_path / "c", 12, source_raw=seed_raw, seed=8)
    assert _digest(tmp_path / "c") != _digest(tmp_path / "a")
    with pytest.raises(SystemExit, match="refusing to write a synthetic corpus over or around"):
        generate(DEFAULT_RAW_DIR, 1, source_raw=DEFAULT_RAW_DIR)
    (tmp_path / "mine").mkdir()
    with pytest.raises(SystemExit, match="exists and is not a generated corpus"):
        generate(tmp_path / "mine", 1, source_raw=seed_raw)


def test_synthetic_tables_parse_with_wrapped_headers_furniture_and_nulls(tmp_path: Path, seed_raw: Path) -> None:
    raw = tmp_path / "raw"
    generate(raw, 60, source_raw=seed_raw)
    sources = load_registry(raw)
    cells = parse_tables(sources, raw, "indicator_table")
    zones = parse_tables(sources, raw, "zone_table")
    assert cells.failures == [] and zones.failures == []
    synthetic = cells.frame.loc[cells.frame["source_id"].str.startswith("syn_")]
    assert synthetic["source_id"].nunique() == 20
    assert set(synthetic["header"]) <= {
        "Total e-commerce", "National Express", "The market scale of cross-", "China Third-Partv",
        "China's advertising", "Network penetration",
    }  # fmt: skip
    assert synthetic["value"].isna().any()  # "-" cells of tables that declare null_tokens
    furniture = [c for c in cells.corrections if c.rule == "running_header"]
    assert furniture and all("Journal of Cross-border Trade Studies" in c.before for c in furniture)
    first = synthetic.loc[synthetic["source_id"] == "syn_indicator_00000"]
    text = (raw / "extracts/synthetic/syn_indicator_00000.txt").read_text(encoding="utf-8")
    for row in first.itertuples():  # every value is the text at its span
        assert text[row.char_start : row.char_end] == row.value_text
    assert zones.frame.loc[zones.frame["source_id"].str.startswith("syn_"), "source_id"].nunique() == 20


def test_a_synthetic_corpus_is_observed_per_kind_and_published(
    tmp_path: Path, seed_raw: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw, outputs = tmp_path / "raw", tmp_path / "outputs"
    generate(raw, 30, source_raw=seed_raw)
    monkeypatch.setenv("PIPELINE_RAW_ASSETS_LIMIT", "10")
    for module in ("pipeline.report.build", "pipeline.report.html"):  # small caps, so the report must use them
        monkeypatch.setattr(f"{module}.FINDINGS_SHOWN", 2)
        monkeypatch.setattr(f"{module}.LISTED", 5)
    keys = {k.to_user_string() for k in build_definitions(raw, outputs).resolve_asset_graph().get_all_asset_keys()}
    assert {"raw/corpus/news_article", "raw/corpus/pdf_table_extract", "raw/ref_pilot_zones"} <= keys
    assert "raw/syn_news_00002" not in keys and "raw/paper_appendix_2020" not in keys
    job = build_definitions(raw, outputs).resolve_job_def(ALL_JOB)
    with dg.DagsterInstance.ephemeral() as instance:
        result = job.execute_in_process(instance=instance, raise_on_error=False)
        assert result.success
        observed = instance.get_latest_data_version_record(dg.AssetKey(["raw", "corpus", "news_article"]))
        assert observed is not None
    indicators = pd.read_parquet(outputs / "latest" / "annual_indicators.parquet")
    assert indicators["source_id"].nunique() == 11  # the appendix and ten synthetic tables
    assert indicators.duplicated(["source_id", "year"]).sum() == 0 and indicators["year"].duplicated().any()
    figures = pd.read_parquet(outputs / "latest" / "reported_figures.parquet")
    assert figures["source_id"].str.startswith("syn_news_").sum() > 0
    report = read_json(outputs / "latest" / "quality_report.json")
    findings = pd.read_parquet(outputs / "latest" / "findings.parquet")
    assert report["findings_total"] == len(findings) > len(report["findings"])
    assert all(n <= 2 for n in pd.Series([f["cross_check"] for f in report["findings"]]).value_counts())
    assert report["finding_statuses"] == findings.groupby("status").size().to_dict()
    html = (outputs / "latest" / "quality_report.html").read_text(encoding="utf-8")
    assert f"Shown: {len(report['findings'])} of {len(findings)}, at most 2 per check" in html
    assert html.count('<pre class="raw">') <= 5 and "The first 5 of 41 inputs; all are in manifest.json." in html
    values = [c for c in indicators.columns if c.endswith(("_cny", "_pct"))]  # the six indicator columns
    assert len(values) == 6
    longest = indicators[values].notna().sum(axis=1).groupby(indicators["source_id"]).sum().idxmax()
    assert report["series"]["indicator_tables"] == 11 and report["series"]["indicator_table"] == longest
    assert [r["year"] for r in report["series"]["indicators"]] == indicators.loc[
        indicators["source_id"] == longest, "year"
    ].tolist()
    # a re-run takes every document from the cache and publishes nothing new
    assert run_graph(raw, outputs).success
    assert len(list((outputs / "releases").iterdir())) == 1
