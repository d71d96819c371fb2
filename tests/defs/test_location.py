"""A snapshot of the asset graph, so that renaming an asset, a group or a check is always deliberate."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest

from pipeline.definitions import defs
from pipeline.defs.location import ALL_JOB, build_definitions
from pipeline.metadata.crosschecks import CHECK_NAMES as FINDING_CHECKS

PUBLISHED = [
    "annual_indicators", "indicator_values", "reported_figures", "zone_mentions", "pilot_zones", "pilot_zone_batches",
    "findings", "corrections", "observations", "finding_observations", "exchange_rates", "sources",
]  # fmt: skip
NEWS = {"asiacargobuzz_2020_01_03", "cgtn_opinion_2024", "mofcom_press_2023_02_23", "peoplesdaily_2018_03_19"}

RAW = [
    "raw/asiacargobuzz_2020_01_03",
    "raw/cgtn_opinion_2024",
    "raw/mofcom_press_2023_02_23",
    "raw/paper_appendix_2020",
    "raw/peoplesdaily_2018_03_19",
    "raw/ref_cny_per_usd",
    "raw/ref_indicator_dictionary",
    "raw/ref_indicator_headers",
    "raw/ref_pilot_zone_batches",
    "raw/ref_pilot_zones",
    "raw/ref_regions",
]
GROUPS = {
    **{key: "raw" for key in RAW},
    "parsed_documents": "parsed",
    "indicator_table_cells": "parsed",
    "zone_table_lines": "parsed",
    "annual_indicators": "curated",
    "indicator_values": "curated",
    "reported_figures": "curated",
    "zone_mentions": "curated",
    "pilot_zones": "curated",
    "pilot_zone_batches": "curated",
    "findings": "curated",
    "corrections": "curated",
    "observations": "curated",
    "finding_observations": "curated",
    "exchange_rates": "curated",
    "sources": "curated",
    "release": "published",
    "quality_report": "report",
}
READERS = [
    "indicator_table_cells", "zone_table_lines", "annual_indicators", "indicator_values", "reported_figures",
    "pilot_zones",
]  # fmt: skip
CHECKS = sorted(
    [f"{dataset}:{check}" for dataset in PUBLISHED for check in ("schema", "expectations")]
    + ["indicator_table_cells:schema"]  # a parsed dataset with its own rule: every line of a table accounted for
    + ["release:datapackage", "release:schema_drift"]
    + [f"findings:{check}" for check in FINDING_CHECKS]
    + [f"{key}:readable" for key in RAW]  # the root cause on the raw asset: file, line, fix
    + [f"{asset}:sources_read" for asset in READERS]  # and on the asset that read (and quarantined) it
)


def test_definitions_load() -> None:
    dg.Definitions.validate_loadable(defs)


@pytest.fixture
def seed_graph(project_copy: tuple[Path, Path]) -> dg.AssetGraph:
    """The graph of the five seed extracts and six reference tables, whatever else is registered."""
    raw, outputs = project_copy  # registers the seeds only
    return build_definitions(raw, outputs).resolve_asset_graph()


def test_asset_graph_snapshot(seed_graph: dg.AssetGraph) -> None:
    graph = seed_graph
    groups = {k.to_user_string(): graph.get(k).group_name for k in graph.get_all_asset_keys()}
    assert groups == GROUPS
    assert sorted(k.to_user_string() for k in graph.observable_asset_keys) == RAW
    checks = sorted(f"{c.asset_key.to_user_string()}:{c.name}" for c in graph.asset_check_keys)
    assert checks == CHECKS
    blocking = sorted(
        f"{c.asset_key.to_user_string()}:{c.name}" for c in graph.asset_check_keys if graph.get_check_spec(c).blocking
    )
    # not blocking: a warning, or an error that must not stop the other extracts (publication is refused)
    warnings = ["release:schema_drift"] + [f"findings:{check}" for check in FINDING_CHECKS]
    warnings += [f"{key}:readable" for key in RAW] + [f"{asset}:sources_read" for asset in READERS]
    assert blocking == [c for c in CHECKS if c not in warnings]
    parents = {
        k.to_user_string(): sorted(p.to_user_string() for p in graph.get(k).parent_keys)
        for k in graph.materializable_asset_keys
    }
    assert parents["indicator_table_cells"] == [
        "parsed_documents", "raw/paper_appendix_2020", "raw/ref_indicator_headers", "raw/ref_regions"
    ]  # fmt: skip
    assert parents["indicator_values"] == [
        "indicator_table_cells", "raw/ref_indicator_headers", "raw/ref_regions"
    ]  # fmt: skip
    assert parents["release"] == sorted(PUBLISHED)
    assert parents["reported_figures"] == [
        "parsed_documents", *(k for k in RAW if k.split("/")[1] in NEWS), "raw/ref_pilot_zones"
    ]  # fmt: skip
    # derived from what the declared cross-checks read: the appendix's text is quoted, the references read
    assert parents["findings"] == sorted([
        "annual_indicators", "pilot_zones", *(k for k in RAW if k.split("/")[1] in NEWS), "raw/paper_appendix_2020",
        "raw/ref_cny_per_usd", "raw/ref_pilot_zone_batches", "raw/ref_pilot_zones", "reported_figures",
        "zone_mentions",
    ])  # fmt: skip
    assert parents["corrections"] == ["indicator_table_cells", "pilot_zones", "zone_table_lines"]
    assert parents["observations"] == [
        "findings", "indicator_values", "pilot_zone_batches", "raw/ref_cny_per_usd", "raw/ref_indicator_headers",
        "raw/ref_pilot_zones", "raw/ref_regions", "reported_figures",
    ]  # fmt: skip
    assert parents["finding_observations"] == ["findings"]
    assert parents["exchange_rates"] == ["raw/ref_cny_per_usd"]
    assert parents["sources"] == RAW  # every registered file
    assert parents["quality_report"] == ["release"]


def test_every_asset_and_check_is_described_and_versioned() -> None:
    graph = defs.resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        assert graph.get(key).description, key
    for key in graph.materializable_asset_keys:
        assert graph.get(key).code_version, key
    for check in graph.asset_check_keys:
        assert graph.get_check_spec(check).description, check


def test_a_new_registered_extract_becomes_a_raw_asset(project_copy: tuple[Path, Path]) -> None:
    raw, outputs = project_copy
    registry = raw / "sources.yaml"
    registry.write_text(
        registry.read_text(encoding="utf-8")
        + """
  - id: another_appendix
    path: extracts/another.txt
    sha256: {}
    kind: pdf_table_extract
    title: t
    publisher: p
    published: "2021"
    extracts: an indicator table
    tables:
      - parser: indicator_table
""".format("ab" * 32),
        encoding="utf-8",
    )
    graph = build_definitions(raw, outputs).resolve_asset_graph()
    parents = sorted(p.to_user_string() for p in graph.get(dg.AssetKey("indicator_table_cells")).parent_keys)
    assert parents == [
        "parsed_documents", "raw/another_appendix", "raw/paper_appendix_2020", "raw/ref_indicator_headers",
        "raw/ref_regions",
    ]  # fmt: skip
    assert build_definitions(raw, outputs).resolve_job_def(ALL_JOB) is not None


def test_every_dataset_asset_shows_its_columns_before_any_run(seed_graph: dg.AssetGraph) -> None:
    from pipeline.metadata.datasets import DATASETS

    for name, dataset in DATASETS.items():
        schema = seed_graph.get(dg.AssetKey(name)).metadata["dagster/column_schema"]
        assert [c.name for c in schema.columns] == dataset.columns, name


def test_loading_the_code_location_warns_of_nothing(seed_raw: Path, tmp_path: Path) -> None:
    """The daemon loads the location on every tick; a warning there is noise in its log (it was a
    BetaWarning per raw asset)."""
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        build_definitions(seed_raw, tmp_path / "outputs").resolve_job_def(ALL_JOB)
    assert [f"{w.category.__name__}: {w.message}" for w in caught] == []


def test_parsed_documents_is_downstream_of_every_raw_file(seed_graph: dg.AssetGraph) -> None:
    """So that it shows as unsynced when a raw file changes, and the graph draws raw/ at the top."""
    node = seed_graph.get(dg.AssetKey("parsed_documents"))
    assert sorted(k.to_user_string() for k in node.parent_keys) == RAW


def test_every_asset_has_an_owner_and_its_layer_as_a_tag() -> None:
    graph = defs.resolve_asset_graph()  # whatever is registered
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        assert node.owners == ["team:ccbec-data"], key
        assert node.group_name and node.tags.get("layer") == node.group_name, key
