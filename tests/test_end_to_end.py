"""Materialising the real graph into a temporary folder: the published release equals the extract, a
second run changes no byte, and a failing blocking check or a quarantined source leaves the previous
release current."""

from __future__ import annotations

import re
from pathlib import Path

import dagster as dg
import pandas as pd
import pytest

from pipeline.cli import main as cli
from pipeline.metadata.crosschecks import CHECK_NAMES as FINDING_CHECKS
from pipeline.metadata.datasets import DATASETS, PUBLISHED
from pipeline.publish.catalog import verify_release
from pipeline.store.workspace import read_json
from tests.helpers import check_results, keep_only, run_graph

pytestmark = pytest.mark.e2e
EXTRACT = "extracts/000_7a1c8b4bcb024347.txt"


run = run_graph
DATASET_ASSETS = {d.name for d in DATASETS.values()}  # the assets that stage a dataset (all but the graph's others)


def release_files(outputs: Path) -> dict[str, bytes]:
    latest = (outputs / "latest").resolve()
    return {p.name: p.read_bytes() for p in sorted(latest.iterdir())}


def materialized(result: dg.ExecuteInProcessResult) -> set[str]:
    return {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}


@pytest.fixture(scope="module")
def first_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dg.ExecuteInProcessResult]:
    import shutil

    from pipeline.settings import DEFAULT_RAW_DIR

    root = tmp_path_factory.mktemp("e2e")
    raw, outputs = root / "raw", root / "outputs"
    shutil.copytree(DEFAULT_RAW_DIR, raw)
    return raw, outputs, run(keep_only(raw), outputs)


def test_full_run_publishes_the_extract(first_run: tuple[Path, Path, dg.ExecuteInProcessResult]) -> None:
    _, outputs, result = first_run
    assert result.success
    assert materialized(result) == {
        "parsed_documents",
        "indicator_table_cells",
        "zone_table_lines",
        "annual_indicators",
        "indicator_values",
        "reported_figures",
        "zone_mentions",
        "pilot_zones",
        "pilot_zone_batches",
        "findings",
        "corrections",
        "observations",
        "finding_observations",
        "exchange_rates",
        "sources",
        "release",
        "quality_report",
    }
    evaluations = {f"{e.asset_key.to_user_string()}:{e.check_name}": e for e in result.get_asset_check_evaluations()}
    assert (
        len(evaluations) == 12 * 2 + 1 + 2 + 9 + 11 + 6
    )  # datasets, parsed cells, release, cross-checks, raw files, sources_read
    # the sources disagree with each other and the registry, and each such finding has been read against the
    # sources (expectations/reviewed_findings.csv): a healthy run is green
    assert sorted(k for k, e in evaluations.items() if not e.passed) == []
    reviewed = {check: evaluations[f"findings:{check}"].metadata["reviewed"].value for check in FINDING_CHECKS}
    assert reviewed == {"city_lists": 2, "counts": 4, "currency_conversions": 1, "different_measures": 3,
                        "growth_rates": 1, "series_jumps": 2, "table_coverage": 1, "inputs_yield": 0,
                        "uncertain_readings": 1}  # fmt: skip

    indicators = pd.read_parquet(outputs / "latest" / "annual_indicators.parquet")
    assert indicators["year"].tolist() == list(range(2001, 2020))
    assert indicators.loc[indicators["year"] == 2016, "third_party_mobile_payments_100m_cny"].item() == 588000.0
    assert indicators.loc[indicators["year"] == 2007, "internet_penetration_pct"].item() == 16.0
    zones = pd.read_parquet(outputs / "latest" / "pilot_zones.parquet")
    assert sorted(zones.loc[zones["extent"].notna(), "city"]) == sorted(
        [
            "Hangzhou",
            "Shanghai",
            "Suzhou",
            "Ningbo",
            "Guangzhou",
            "Chengdu",
            "Hefei",
            "Chongqing",
            "Zhengzhou",
            "Shenzhen",
            "Dalian",
            "Qingdao",
        ]
    )
    assert zones.set_index("city").loc["Chongqing", "extent"] == "Region"
    corrections = pd.read_parquet(outputs / "latest" / "corrections.parquet")
    assert len(corrections) == 9

    manifest = read_json(outputs / "latest" / "manifest.json")
    assert {k: v["rows"] for k, v in manifest["datasets"].items()} == {
        "annual_indicators": 19,
        "indicator_values": 114,  # the appendix table's 19 years x 6 indicators, long
        "reported_figures": 40,
        "zone_mentions": 58,
        "pilot_zones": 136,
        "pilot_zone_batches": 7,
        "findings": 34,
        "corrections": 9,
        "observations": 40 + 114 + 2 * 7,  # every figure, every cell, each batch's zones added and total
        "finding_observations": 39,
        "exchange_rates": 10,
        "sources": 11,
    }
    assert manifest["inputs"]["paper_appendix_2020"]["sha256"].startswith("7e44105b37a5")
    # the asset checks as the Dagster UI counts them (53, as above), and the rules they apply: 13 pandera schemas
    # (the parsed cells' too) + 4 extra rules (pinned quirks, batch totals, names known, table lines accounted) +
    # 46 GX expectations (the 7 ranges the suites repeated are checked once, by pandera, as the columns' declared
    # bounds) + the 9 finding checks (every flagged finding reviewed) + 11 readable + 6 sources_read + 2 release
    rules = {"passed": 13 + 4 + 46 + 9 + 11 + 6 + 2, "warned": 0, "failed": 0}
    assert (manifest["checks"], manifest["rules"]) == ({"passed": 53, "warned": 0, "failed": 0}, rules)
    findings = manifest["datasets"]["findings"]
    assert (findings["checks"], findings["rules"]) == (
        {"passed": 2 + 9, "warned": 0, "failed": 0}, {"passed": 3 + 9, "warned": 0, "failed": 0}
    )  # fmt: skip
    assert manifest["raw_assets"] == "per file"
    assert verify_release((outputs / "latest").resolve()) == []

    report = read_json(outputs / "latest" / "quality_report.json")
    assert report["verdict"]["publishable"] is True
    checks = {c["check"] for d in report["datasets"] for c in d["checks"]}
    assert {
        "annual_indicators_schema",
        "ecommerce_transactions_trillion_cny_monotonic",
        "pinned_quirks",
    } <= checks
    html = (outputs / "latest" / "quality_report.html").read_text(encoding="utf-8")
    assert "Chongwing" in html and "city_name_ocr" in html and "<script" not in html


def test_the_report_and_the_cli_count_the_checks_dagster_evaluated(
    first_run: tuple[Path, Path, dg.ExecuteInProcessResult], capsys: pytest.CaptureFixture[str]
) -> None:
    """One number everywhere: the report's list of checks is the run's asset check evaluations, check by check,
    and its counts are the JSON's, the manifest's, the CLI's and the quality_report asset's."""
    _, outputs, result = first_run
    report = read_json(outputs / "latest" / "quality_report.json")
    assert {(c["asset"], c["check"]): c["result"] for c in report["asset_checks"]} == check_results(result)
    assert len(report["asset_checks"]) == len(check_results(result))  # and none listed twice
    counts = report["verdict"]["checks"]
    assert counts == {"passed": 53, "warned": 0, "failed": 0}
    manifest = read_json(outputs / "latest" / "manifest.json")
    assert manifest["checks"] == counts
    assert cli(["--outputs-dir", str(outputs), "status"]) == 0
    assert "Checks (as the Dagster UI counts them): 53 passed, 0 warned, 0 failed" in capsys.readouterr().out
    events = result.get_asset_materialization_events()
    (shown,) = [e for e in events if e.asset_key.to_user_string() == "quality_report"]
    verdict = shown.materialization.metadata["verdict"].value
    assert "checks: 53 passed, 0 warned, 0 failed" in str(verdict)
    html = (outputs / "latest" / "quality_report.html").read_text(encoding="utf-8")
    assert "Checks, as the Dagster UI counts them: 53 passed, 0 warned, 0 failed" in html


def test_second_run_is_byte_identical_and_creates_no_release(
    first_run: tuple[Path, Path, dg.ExecuteInProcessResult],
) -> None:
    raw, outputs, first = first_run
    before = release_files(outputs)
    releases = sorted(p.name for p in (outputs / "releases").iterdir())
    result = run(raw, outputs)
    assert result.success
    assert sorted(p.name for p in (outputs / "releases").iterdir()) == releases
    assert release_files(outputs) == before

    # the suites' outcomes on the same bytes, suites and code were reused, not recomputed (and gave the same
    # release byte for byte, above); the first run computed them
    def reused(run_result: dg.ExecuteInProcessResult) -> set[bool]:
        return {e.metadata["reused_from_the_last_run"].value for e in run_result.get_asset_check_evaluations()
                if e.check_name == "expectations"}  # fmt: skip

    assert (reused(first), reused(result)) == ({False}, {True})
    # nor was any dataset rebuilt, or its schema checked again: nothing any of them reads has changed
    assert (_reused(first), _reused(result)) == (
        dict.fromkeys(DATASET_ASSETS, False),
        dict.fromkeys(DATASET_ASSETS, True),
    )
    schema = {e.metadata["reused_from_the_last_run"].value for e in result.get_asset_check_evaluations()
              if e.check_name == "schema"}  # fmt: skip
    assert schema == {True}
    meta = next(
        e.materialization.metadata
        for e in result.get_asset_materialization_events()
        if e.asset_key.to_user_string() == "release"
    )
    assert meta["new_release"].value is False


def test_a_fresh_outputs_folder_gets_the_same_bytes(
    first_run: tuple[Path, Path, dg.ExecuteInProcessResult], tmp_path: Path
) -> None:
    raw, outputs, _ = first_run
    assert run(raw, tmp_path / "outputs").success
    assert release_files(tmp_path / "outputs") == release_files(outputs)
    assert (tmp_path / "outputs/latest").resolve().name == (outputs / "latest").resolve().name


def _corrupt(raw: Path, old: str, new: str) -> None:
    path = raw / EXTRACT
    path.write_bytes(path.read_bytes().replace(old.encode(), new.encode(), 1))


def test_a_failing_blocking_check_leaves_the_previous_release(published: tuple[Path, Path]) -> None:
    raw, outputs = published  # a private copy of a published project
    current = (outputs / "latest").resolve().name
    # 2019's e-commerce total misprinted as 3.81: passes the schema, breaks the monotonic growth rule
    _corrupt(raw, "2019 34.81", "2019 3.81")
    assert cli(["--raw-dir", str(raw), "register", "paper_appendix_2020"]) == 0
    result = run(raw, outputs)
    assert not result.success
    failed = [e for e in result.get_asset_check_evaluations() if not e.passed]
    assert [(e.asset_key.to_user_string(), e.check_name) for e in failed] == [("annual_indicators", "expectations")]
    rows = failed[0].metadata["failure_cases"].value["ecommerce_transactions_trillion_cny_monotonic"]["rows"]
    assert [(r["year"], r["ecommerce_transactions_trillion_cny"]) for r in rows] == [(2019, 3.81)]
    assert "release" not in materialized(result)
    assert (outputs / "latest").resolve().name == current
    assert sorted(p.name for p in (outputs / "releases").iterdir()) == [current]
    staged = pd.read_parquet(outputs / "work/curated/annual_indicators.parquet")
    assert staged.loc[staged["year"] == 2019, "ecommerce_transactions_trillion_cny"].item() == 3.81
    published = pd.read_parquet(outputs / "latest/annual_indicators.parquet")
    assert published.loc[published["year"] == 2019, "ecommerce_transactions_trillion_cny"].item() == 34.81


def test_a_changed_unregistered_file_is_quarantined_and_publication_refused(published: tuple[Path, Path]) -> None:
    raw, outputs = published  # a private copy of a published project
    current = (outputs / "latest").resolve().name
    _corrupt(raw, "2005 0.74", "2005 0.75")  # edited without re-registering
    result = run(raw, outputs)
    assert not result.success
    meta = next(
        e.materialization.metadata
        for e in result.get_asset_materialization_events()
        if e.asset_key.to_user_string() == "indicator_table_cells"
    )
    (quarantined,) = meta["quarantined"].value
    assert quarantined["path"] == "raw/extracts/000_7a1c8b4bcb024347.txt"
    assert re.search(r"content has changed since it was registered as 'paper_appendix_2020'", quarantined["message"])
    assert "re-register the file" in quarantined["message"]
    assert meta["dagster/row_count"].value == 0
    assert "release" not in materialized(result)
    assert (outputs / "latest").resolve().name == current
    published = pd.read_parquet(outputs / "latest/annual_indicators.parquet")
    assert len(published) == 19


def _reused(result: dg.ExecuteInProcessResult) -> dict[str, bool]:
    return {
        e.asset_key.to_user_string(): e.materialization.metadata["reused"].value
        for e in result.get_asset_materialization_events()
        if e.asset_key.to_user_string() in DATASET_ASSETS
    }


def test_one_changed_article_rebuilds_what_reads_it_and_gives_the_bytes_of_a_fresh_run(
    published: tuple[Path, Path], tmp_path: Path
) -> None:
    raw, outputs = published  # a private copy of a published project
    article = raw / "extracts/004_59c6304593d7021f.txt"  # mofcom_press_2023_02_23
    sentence = "\n\nIn 2022, the pilot zones' cross-border e-commerce exports reached 1.55 trillion yuan.\n"
    article.write_bytes(article.read_bytes() + sentence.encode())
    assert cli(["--raw-dir", str(raw), "register", "mofcom_press_2023_02_23"]) == 0
    parts = {p.name: p.read_bytes() for p in (outputs / "work/cache").glob("observations.*.pickle")}
    zone_tables = (outputs / "work/cache/pilot_zones.tables.pickle").read_bytes()
    result = run(raw, outputs)
    assert result.success
    rebuilt = {name for name, reused in _reused(result).items() if not reused}
    # what reads the articles, and what is built from those; the tables' and the references' datasets are reused
    assert rebuilt == {
        "reported_figures", "zone_mentions", "pilot_zones", "findings", "observations", "finding_observations",
        "sources", "corrections",  # (the corrections' lineage names the article's new sha256, by pilot_zones)
    }  # fmt: skip
    # observations rebuilt the figures' rows; the table cells' and the batches' rows were kept
    kept = {name for name, data in parts.items() if (outputs / "work/cache" / name).read_bytes() == data}
    assert kept == {"observations.indicator_values.pickle", "observations.pilot_zone_batches.pickle"}
    # pilot_zones re-read the mentions, not the zone tables
    assert (outputs / "work/cache/pilot_zones.tables.pickle").read_bytes() == zone_tables
    figures = pd.read_parquet(outputs / "latest/reported_figures.parquet")
    new = figures.loc[(figures["source_id"] == "mofcom_press_2023_02_23") & (figures["value"] == 1.55e12)]
    assert new[["unit", "period", "line"]].to_numpy().tolist() == [["CNY", "2022", 11]]
    # the datasets of this partly reused run are byte for byte those of a run from nothing, and so is the release
    # id (the report differs: it lists the changes since the previous release, which the fresh run has not)
    fresh = tmp_path / "fresh"
    assert run(raw, fresh).success
    parquet = {name: data for name, data in release_files(outputs).items() if name.endswith(".parquet")}
    assert len(parquet) == len(PUBLISHED)
    assert {name: release_files(fresh)[name] for name in parquet} == parquet
    assert (fresh / "latest").resolve().name == (outputs / "latest").resolve().name


def test_a_staged_file_changed_since_it_was_written_is_rebuilt(published: tuple[Path, Path]) -> None:
    raw, outputs = published
    staged = outputs / "work/curated/annual_indicators.parquet"
    original = staged.read_bytes()
    staged.write_bytes(original[:-10] + b"0" * 10)  # damaged: its sha256 is no longer the one recorded
    result = run(raw, outputs)
    assert result.success
    assert _reused(result)["annual_indicators"] is False
    assert staged.read_bytes() == original
