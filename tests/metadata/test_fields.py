"""Shared columns are declared once: the same name means the same thing in every dataset."""

from __future__ import annotations

from dataclasses import replace

from pipeline.metadata.datasets import DATASETS
from pipeline.metadata.fields import SHARED

CONSTRAINTS = ("nullable", "minimum", "maximum")  # what a dataset may tighten


def test_a_shared_column_has_one_description_and_type_everywhere() -> None:
    differ = [
        f"{d.name}.{f.name}"
        for d in DATASETS.values()
        for f in d.fields
        if f.name in SHARED and replace(f, **{c: getattr(SHARED[f.name], c) for c in CONSTRAINTS}) != SHARED[f.name]
    ]
    assert differ == []


def test_provenance_columns_have_one_name() -> None:
    """The names this replaced (``source_line``, ``source_char_start``, ...) are in no dataset."""
    names = {f.name for d in DATASETS.values() for f in d.fields}
    assert not names & {"source_line", "source_char_start", "source_char_end", "source_line_start"}
    # findings and their link table rest on quotes and ids; sources is the registry every source_id names
    published = [d for d in DATASETS.values() if d.published and d.name not in ("findings", "finding_observations",
                                                                                 "sources")]  # fmt: skip
    assert all({"source_id", "line", "parse_rule"} <= set(d.columns) or d.name == "corrections" for d in published)
    assert {"source_id", "line", "char_start", "char_end"} <= set(DATASETS["corrections"].columns)
