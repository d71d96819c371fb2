"""The indicator-table parser on the hand-written tables corpus (benchmarks/tables/corpus/, the truth written
before the parser saw the text): every cell of the dev, test and holdout splits right, every expected
error raised and no other. test and holdout were each written blind and scored once before any fix they
prompted (benchmarks/tables/results.md); holdout2 is scored by the benchmark only (never tuned on, never
asserted)."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path

import pytest

from pipeline.settings import PROJECT_ROOT

SCORER = PROJECT_ROOT / "benchmarks" / "tables" / "score.py"
CORPUS = PROJECT_ROOT / "benchmarks" / "tables" / "corpus"


@pytest.fixture(scope="module")
def scorer():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("tables_score", SCORER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["tables_score"] = module
    spec.loader.exec_module(module)
    return module


def test_the_corpus_is_as_large_as_promised() -> None:
    cases = [p for split in ("dev", "test", "holdout") for p in sorted((CORPUS / split).glob("*.txt"))]
    truths = [json.loads(p.with_suffix(".truth.json").read_text(encoding="utf-8")) for p in cases]
    assert len(cases) == 30
    assert sum(len(t["cells"]) for truth in truths for t in truth["tables"]) == 1558
    assert {t["key"] for truth in truths for t in truth["tables"]} == {"year", "region"}
    assert any(t["encoding"]["bom"] for t in truths) and any(t["encoding"]["crlf"] for t in truths)
    for path, truth in zip(cases, truths, strict=True):
        assert path.read_bytes().startswith(b"\xef\xbb\xbf") == truth["encoding"]["bom"], path.name
        assert (b"\r\n" in path.read_bytes()) == truth["encoding"]["crlf"], path.name


@pytest.mark.parametrize(("split", "errors"), [("dev", 4), ("test", 4), ("holdout", 3)])
def test_every_cell_of_the_split_is_right_and_every_expected_error_raised(scorer, split: str, errors: int) -> None:  # type: ignore[no-untyped-def]
    results = scorer.score(split)
    wrong = {r["case"]: r["misses"][:5] for r in results if r["misses"]}
    assert wrong == {}
    totals = scorer.totals(results)
    assert totals["right"] == totals["cells"] and totals["extra"] == 0
    assert totals["caught"] == totals["expected_errors"] == errors and totals["spurious"] == 0
    assert totals["tables_right"] == totals["furniture_right"] == totals["sources_right"] == totals["tables"]
    assert totals["headers_right"] == totals["units_right"] == totals["columns"]


def test_the_scorer_counts_a_wrong_value_a_missed_error_and_an_extra_cell(scorer, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The scorer itself can fail: a truth edited to disagree with the text is scored as such."""
    stem = "04_city_cbec_ocr_cells"
    for suffix in (".txt", ".tables.yaml", ".dictionary.csv"):
        shutil.copy(CORPUS / "dev" / f"{stem}{suffix}", tmp_path / f"{stem}{suffix}")
    truth = json.loads((CORPUS / "dev" / f"{stem}.truth.json").read_text(encoding="utf-8"))
    cells = truth["tables"][0]["cells"]
    cells[0]["value"] = 3865.3  # a wrong value
    dropped = cells.pop()  # a cell the parser will still give: one extra
    truth["expected_errors"] = [{"line": 20, "why": "not really an error"}]
    (tmp_path / f"{stem}.truth.json").write_text(json.dumps(truth), encoding="utf-8")
    result = scorer.score_case(tmp_path / f"{stem}.txt")
    assert (result["cells"], result["found"], result["right"], result["extra"]) == (43, 43, 42, 1)
    assert (result["expected_errors"], result["caught"], result["spurious"]) == (1, 0, 0)
    assert any(f"extra cell {dropped['key']}" in m for m in result["misses"])
