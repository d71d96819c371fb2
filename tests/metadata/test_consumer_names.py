"""Column names a consumer can use unquoted: no published column is a reserved word of DuckDB (``check``
and ``table`` were, in findings and indicator_values), and every list is an Arrow list, not text."""

from __future__ import annotations

import duckdb

from pipeline.metadata.datasets import PUBLISHED
from pipeline.metadata.schemas import arrow_schema


def test_no_published_column_is_a_reserved_word() -> None:
    reserved = {
        name
        for (name,) in duckdb.sql(
            "SELECT keyword_name FROM duckdb_keywords() WHERE keyword_category = 'reserved'"
        ).fetchall()
    }
    assert {"check", "table", "order", "group"} <= reserved  # the query asks what it should
    clashes = [f"{d.name}.{f.name}" for d in PUBLISHED for f in d.fields if f.name in reserved]
    assert clashes == []


def test_lists_are_list_columns() -> None:
    listed = {
        f"{d.name}.{f.name}": str(arrow_schema(d).field(f.name).type).split("<")[0]
        for d in PUBLISHED
        for f in d.fields
        if f.dtype.startswith("list")
    }
    assert listed == {
        "pilot_zones.mentioned_in": "list",
        "findings.observation_ids": "list",
        "findings.source_ids": "list",
        "findings.evidence": "list",
        "observations.finding_ids": "list",
    }
    for d in PUBLISHED:  # nothing else is described as a comma-separated or JSON list
        for f in d.fields:
            assert "comma-separated" not in f.description and "JSON" not in f.description, f"{d.name}.{f.name}"
