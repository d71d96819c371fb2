"""The declared column lineage names real columns of datasets upstream of the asset, and the assets
carry it (``dagster/column_lineage``) before any run."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from pipeline.defs.location import build_definitions
from pipeline.metadata.datasets import DATASETS
from pipeline.metadata.lineage import LINEAGE


def test_every_declared_upstream_column_exists_upstream(seed_raw: Path, tmp_path: Path) -> None:
    graph = build_definitions(seed_raw, tmp_path / "outputs").resolve_asset_graph()
    for name, columns in LINEAGE.items():
        assert set(columns) <= set(DATASETS[name].columns), name
        upstream = {k.to_user_string() for k in graph.get(dg.AssetKey(name)).parent_keys}
        for column, deps in columns.items():
            for dep in deps:
                dataset, dep_column = dep.split(".")
                assert dataset in upstream, f"{name}.{column}: {dataset} is not upstream of {name}"
                assert dep_column in DATASETS[dataset].columns, f"{name}.{column}: no column {dep}"


def test_the_assets_show_their_column_lineage(seed_raw: Path, tmp_path: Path) -> None:
    graph = build_definitions(seed_raw, tmp_path / "outputs").resolve_asset_graph()
    lineage = graph.get(dg.AssetKey("annual_indicators")).metadata["dagster/column_lineage"]
    deps = lineage.deps_by_column["internet_penetration_pct"]
    assert sorted((d.asset_key.to_user_string(), d.column_name) for d in deps) == [
        ("indicator_table_cells", "header"),
        ("indicator_table_cells", "value"),
    ]
    assert [d.column_name for d in lineage.deps_by_column["char_start"]] == ["row_char_start"]
    assert "dagster/column_lineage" in graph.get(dg.AssetKey("pilot_zones")).metadata
