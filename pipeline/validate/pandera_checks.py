"""Running a dataset's pandera schema lazily and turning its failure cases into plain rows."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pandera.pandas as pa

from pipeline.errors import ValidationFailed
from pipeline.jsonable import plain
from pipeline.metadata.datasets import Dataset
from pipeline.metadata.schemas import pandera_schema
from pipeline.records import CheckOutcome

MAX_FAILURES = 50


def failure_rows(error: pa.errors.SchemaErrors) -> list[dict[str, Any]]:
    cases = error.failure_cases.head(MAX_FAILURES)
    columns = ["schema_context", "column", "check", "failure_case", "index"]
    return [{c: plain(row[c]) if c in row else None for c in columns} for _, row in cases.iterrows()]


def run_pandera(frame: pd.DataFrame, dataset: Dataset) -> CheckOutcome:
    """Validate ``frame`` against the dataset's strict schema, collecting every failure (lazy)."""
    try:
        pandera_schema(dataset).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as error:
        failures = failure_rows(error)
        return CheckOutcome(
            dataset=dataset.name,
            check=f"{dataset.name}_schema",
            passed=False,
            severity="ERROR",
            description=_description(dataset),
            failures=failures,
            details={"failure_count": len(error.failure_cases)},
        )
    return CheckOutcome(dataset.name, f"{dataset.name}_schema", True, "ERROR", _description(dataset))


def require_valid(frame: pd.DataFrame, dataset: Dataset) -> None:
    """Raise :class:`ValidationFailed` listing the failure cases if ``frame`` breaks its schema."""
    outcome = run_pandera(frame, dataset)
    if not outcome.passed:
        lines = [
            f"  column {f['column']!r}, check {f['check']!r}: value {f['failure_case']!r} (row {f['index']})"
            for f in outcome.failures[:20]
        ]
        raise ValidationFailed(
            f"{dataset.name} breaks its schema ({outcome.details['failure_count']} failure cases); "
            "nothing was written:\n" + "\n".join(lines)
        )


def _description(dataset: Dataset) -> str:
    return (
        f"pandera schema of {dataset.name}: exactly the declared columns and dtypes, unique primary key "
        f"({', '.join(dataset.primary_key)}), declared ranges, allowed values and non-empty text"
        + (f", {dataset.contiguous} without gaps" if dataset.contiguous else "")
        + "."
    )
