"""Dataset declarations as Dagster sees them: the column schema of an asset (``dagster/column_schema``)."""

from __future__ import annotations

import dagster as dg

from pipeline.metadata.datasets import Dataset
from pipeline.metadata.lineage import LINEAGE


def table_schema(dataset: Dataset) -> dg.TableSchema:
    columns = []
    for f in dataset.fields:
        other = []
        if f.unit:
            other.append(f"unit: {f.unit}")
        if f.minimum is not None and f.maximum is not None:
            other.append(f"range: [{f.minimum:g}, {f.maximum:g}]")
        elif f.minimum is not None:
            other.append(f">= {f.minimum:g}")
        elif f.maximum is not None:
            other.append(f"<= {f.maximum:g}")
        if f.allowed:
            other.append("one of: " + ", ".join(f.allowed))
        if f.pattern:
            other.append(f"matches: {f.pattern}")
        columns.append(
            dg.TableColumn(
                name=f.name,
                type=f.dtype,
                description=f.description + (f" [{f.unit}]" if f.unit else ""),
                constraints=dg.TableColumnConstraints(
                    nullable=f.nullable,
                    unique=dataset.primary_key == (f.name,),
                    other=other,
                ),
            )
        )
    return dg.TableSchema(
        columns=columns,
        constraints=None,
    )


def column_lineage(dataset: Dataset) -> dg.TableColumnLineage | None:
    """The declared column lineage of ``dataset`` (:mod:`pipeline.metadata.lineage`), if any."""
    declared = LINEAGE.get(dataset.name)
    if not declared:
        return None
    return dg.TableColumnLineage(
        deps_by_column={
            column: [
                dg.TableColumnDep(asset_key=dg.AssetKey(d.split(".")[0]), column_name=d.split(".")[1]) for d in deps
            ]
            for column, deps in declared.items()
        }
    )
