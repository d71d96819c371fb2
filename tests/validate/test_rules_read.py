"""A dataset rule's outcome is reused only while the registry entries and raw files it may read are as they
were: for the table-lines rule, those of the sources the rows came from; for any other rule, all."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.metadata.datasets import Dataset
from pipeline.metadata.fields import LINE, SOURCE_ID
from pipeline.raw.registry import Source
from pipeline.store.memo import sources_identity
from pipeline.store.parquet import source_ids, write_parquet
from pipeline.validate.rules import READS_ROW_SOURCES, RULES, sources_read


def _source(source_id: str, raw: Path, text: str) -> Source:
    path = f"extracts/{source_id}.txt"
    (raw / "extracts").mkdir(parents=True, exist_ok=True)
    (raw / path).write_text(text, encoding="utf-8")
    return Source(source_id, path, "0" * 64, "news_article", "t", "p", "2020", None, "e")


def test_the_table_rule_reads_its_rows_sources_and_other_rules_everything(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    table, article = _source("table", raw, "Year 2020\n"), _source("article", raw, "Exports rose.\n")
    sources = [table, article]
    assert set(RULES) >= READS_ROW_SOURCES
    assert sources_read(["table_lines_accounted"], lambda: {"table"}, sources) == [table]
    assert sources_read(["table_lines_accounted", "pinned_quirks"], lambda: {"table"}, sources) == sources
    before = sources_identity(sources_read(["table_lines_accounted"], lambda: {"table"}, sources), raw)
    (raw / article.path).write_text("Exports fell.\n", encoding="utf-8")  # an article changed beside the table
    assert sources_identity(sources_read(["table_lines_accounted"], lambda: {"table"}, sources), raw) == before
    (raw / table.path).write_text("Year 2021\n", encoding="utf-8")  # the table's own file changed
    assert sources_identity(sources_read(["table_lines_accounted"], lambda: {"table"}, sources), raw) != before


def test_the_row_sources_are_read_from_the_staged_file(tmp_path: Path) -> None:
    dataset = Dataset("rows", "Rows", "Rows of two sources.", "parsed", (SOURCE_ID, LINE), ("source_id", "line"))
    frame = pd.DataFrame({"source_id": ["b", "a", "b", "b"], "line": [1, 1, 2, 3]})
    write_parquet(frame, dataset, tmp_path / "rows.parquet")
    assert source_ids(tmp_path / "rows.parquet") == {"a", "b"}
