"""A rule is written once: a range declared on a dataset's column (checked by pandera) is not checked
again by the GX suite."""

from __future__ import annotations

import json

import pytest

from pipeline.metadata.datasets import PUBLISHED, Dataset
from pipeline.settings import EXPECTATIONS_DIR


@pytest.mark.parametrize("dataset", PUBLISHED, ids=lambda d: d.name)
def test_no_suite_repeats_a_declared_range(dataset: Dataset) -> None:
    suite = json.loads((EXPECTATIONS_DIR / f"{dataset.name}.json").read_text(encoding="utf-8"))
    declared = {f.name for f in dataset.fields if f.minimum is not None or f.maximum is not None}
    repeated = [
        e["kwargs"]["column"]
        for e in suite["expectations"]
        if e["type"] == "expect_column_values_to_be_between" and e["kwargs"].get("column") in declared
    ]
    assert repeated == [], f"declared in pipeline/metadata/datasets.py already: {repeated}"
