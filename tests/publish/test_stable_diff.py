"""The release diff on an edited article: rows are matched by their stable ids, so an edit elsewhere in
the file changes no other row, and a changed number is one changed row with its value before and after
(not a row removed and a row added, as when rows were keyed by character offsets)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.clean.figures import build_reported_figures
from pipeline.clean.mentions import find_zone_mentions
from pipeline.metadata.datasets import REPORTED_FIGURES, ZONE_MENTIONS
from pipeline.publish.compare import diff_dataset
from pipeline.raw.reference import read_reference_batches, read_reference_zones
from pipeline.settings import DEFAULT_RAW_DIR
from pipeline.store.parquet import write_parquet

SOURCE, PUBLISHED = "asiacargobuzz_2020_01_03", "2020-01-03"
ZONES = read_reference_zones(str(DEFAULT_RAW_DIR / "reference/pilot_zones_reference.csv"))
BATCHES = read_reference_batches(str(DEFAULT_RAW_DIR / "reference/pilot_zone_batches_reference.csv"))
TEXT = (DEFAULT_RAW_DIR / "extracts/001_cd4e69f0e87097a9.txt").read_text(encoding="utf-8")


def _write(text: str, folder: Path) -> tuple[Path, Path]:
    folder.mkdir()
    figures = build_reported_figures(text, SOURCE, PUBLISHED, ZONES["city"].tolist())
    mentions = find_zone_mentions(text, SOURCE, PUBLISHED, ZONES, BATCHES)
    write_parquet(figures, REPORTED_FIGURES, folder / "reported_figures.parquet")
    write_parquet(mentions, ZONE_MENTIONS, folder / "zone_mentions.parquet")
    return folder / "reported_figures.parquet", folder / "zone_mentions.parquet"


def test_an_edited_sentence_is_one_changed_row(tmp_path: Path) -> None:
    assert "USD 49 billion" in TEXT and TEXT.count("Hangzhou") >= 1
    first_paragraph_end = TEXT.index("\n\n", 200)
    # a sentence added high up (every later offset shifts), and one number changed further down
    edited = (
        TEXT[:first_paragraph_end]
        + " The announcement was welcomed by exporters."
        + TEXT[first_paragraph_end:].replace("USD 49 billion", "USD 51 billion")
    )
    old_figures, old_mentions = _write(TEXT, tmp_path / "old")
    new_figures, new_mentions = _write(edited, tmp_path / "new")

    figures = diff_dataset(old_figures, new_figures, REPORTED_FIGURES)
    assert (figures["added"], figures["removed"], figures["changed"]) == (0, 0, 1)
    assert figures["moved"] == len(pd.read_parquet(new_figures).query("char_start > @first_paragraph_end")) - 1
    (change,) = figures["examples"]["changed"]
    assert change["changes"]["value"] == {"before": 49e9, "after": 51e9}
    assert change["changes"]["printed"] == {"before": "USD 49 billion", "after": "USD 51 billion"}
    before = pd.read_parquet(old_figures).set_index("figure_id")
    assert before.loc[change["key"]["figure_id"], "printed"] == "USD 49 billion"

    mentions = diff_dataset(old_mentions, new_mentions, ZONE_MENTIONS)
    assert len(pd.read_parquet(new_mentions)) > 30
    # every mention after the added sentence moved; none was added, removed or changed
    assert (mentions["added"], mentions["removed"], mentions["changed"]) == (0, 0, 0)
    assert mentions["moved"] == len(pd.read_parquet(new_mentions).query("char_start > @first_paragraph_end")) > 30


def test_a_finding_whose_quotes_only_moved_is_moved(tmp_path: Path) -> None:
    from pipeline.metadata.datasets import FINDINGS
    from pipeline.metadata.schemas import typed

    def findings(start: int, text: str) -> pd.DataFrame:
        quote = {"source_id": "a", "char_start": start, "char_end": start + len(text), "text": text}
        return typed(pd.DataFrame([{"finding_id": "0" * 16, "cross_check": "counts", "status": "stale",
                                    "message": "m", "observation_ids": ["1" * 16], "source_ids": ["a"],
                                    "evidence": [quote]}]), FINDINGS)  # fmt: skip

    paths = [tmp_path / f"{name}.parquet" for name in ("old", "moved", "edited")]
    for path, frame in zip(paths, (findings(10, "132 zones"), findings(55, "132 zones"), findings(55, "165 zones")),
                           strict=True):  # fmt: skip
        write_parquet(frame, FINDINGS, path)
    moved = diff_dataset(paths[0], paths[1], FINDINGS)
    assert (moved["changed"], moved["moved"]) == (0, 1)
    edited = diff_dataset(paths[0], paths[2], FINDINGS)
    assert (edited["changed"], edited["moved"]) == (1, 0)


def test_a_first_release_and_an_unchanged_file_are_diffed_without_comparing_rows(tmp_path: Path) -> None:
    """The two shortcuts (no predecessor: every row added; the same bytes: nothing changed) say what comparing
    every row says: the first five rows by key, as plain values."""
    figures, _ = _write(TEXT, tmp_path / "old")
    first = diff_dataset(None, figures, REPORTED_FIGURES)
    rows = pd.read_parquet(figures).sort_values("figure_id")
    assert first["added"] == len(rows) > 5 and (first["removed"], first["changed"], first["moved"]) == (0, 0, 0)
    shown = first["examples"]["added"]
    assert [r["figure_id"] for r in shown] == rows["figure_id"].head(5).tolist()
    assert shown[0]["value"] == float(rows["value"].iloc[0]) and isinstance(shown[0]["line"], int)
    empty = tmp_path / "empty.parquet"
    write_parquet(pd.read_parquet(figures).iloc[0:0], REPORTED_FIGURES, empty)  # a predecessor without rows
    assert diff_dataset(empty, figures, REPORTED_FIGURES) == first
    same = diff_dataset(figures, figures, REPORTED_FIGURES)
    assert same == {"added": 0, "removed": 0, "changed": 0, "moved": 0,
                    "examples": {"added": [], "removed": [], "changed": []}}  # fmt: skip


def test_every_kind_of_column_is_compared_value_by_value(tmp_path: Path) -> None:
    """Numbers, missing values, strings, nullable integers, booleans and lists: a change in any is one changed
    row, and missing against missing (NaN, NA, None) is no change."""
    from types import SimpleNamespace
    from typing import cast

    from pipeline.metadata.datasets import Dataset

    def frame(**changed: list[object]) -> pd.DataFrame:
        columns: dict[str, object] = {
            "id": pd.array(["a", "b", "c", "d"], dtype="string"),
            "f": [1.5, float("nan"), 0.0, 2.0],
            "i": [1, 2, 3, 4],
            "s": pd.array(["x", None, "z", "w"], dtype="string"),
            "n": pd.array([1, None, 3, 4], dtype="Int64"),
            "b": [True, False, True, False],
            "l": [["p"], [], None, ["q", "r"]],
        }
        columns.update(changed)
        return pd.DataFrame(columns)

    dataset = cast(Dataset, SimpleNamespace(primary_key=("id",)))
    old = tmp_path / "old.parquet"
    frame().to_parquet(old)
    cases = {
        "f": [1.5, float("nan"), 0.0, 2.5],
        "i": [1, 2, 3, 5],
        "s": pd.array(["x", "y", "z", "w"], dtype="string"),
        "n": pd.array([1, None, 3, None], dtype="Int64"),
        "b": [True, False, False, False],
        "l": [["p"], [], None, ["q", "s"]],
    }
    for column, values in cases.items():
        new = tmp_path / f"new_{column}.parquet"
        frame(**{column: values}).to_parquet(new)
        diff = diff_dataset(old, new, dataset)
        assert (diff["added"], diff["removed"], diff["changed"]) == (0, 0, 1), column
        (change,) = diff["examples"]["changed"]
        assert list(change["changes"]) == [column]
    # the same values in another row order, and missing values written anew: nothing changed
    same = tmp_path / "same.parquet"
    frame().iloc[::-1].to_parquet(same)
    assert diff_dataset(old, same, dataset)["changed"] == 0
