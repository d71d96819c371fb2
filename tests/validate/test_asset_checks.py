"""Checks counted as the Dagster UI counts them: one per asset check, however many rules it applies; and the
release's list of checks is the code location's, for a corpus observed per file or per kind."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from pipeline.defs.location import build_definitions
from pipeline.raw.registry import read_registry
from pipeline.records import CheckOutcome, SourceFailure
from pipeline.validate.asset_checks import (
    asset_checks,
    readable_outcomes,
    rule_tally,
    sources_read_outcome,
    tally,
)


def _rule(dataset: str, check: str, passed: bool, severity: str, asset_check: str = "") -> CheckOutcome:
    return CheckOutcome(dataset, check, passed, severity, f"{check} said so", [], {}, asset_check)  # type: ignore[arg-type]


def test_an_asset_check_fails_as_its_worst_failed_rule_and_counts_once() -> None:
    outcomes = [
        _rule("a", "a_schema", True, "ERROR", "schema"),
        _rule("a", "rows_known", False, "WARN", "schema"),
        _rule("a", "gx_1", False, "ERROR", "expectations"),
        _rule("a", "gx_2", False, "WARN", "expectations"),
        _rule("a", "gx_3", True, "WARN", "expectations"),
        _rule("findings", "counts", False, "WARN"),
        _rule("release", "datapackage", True, "ERROR"),
    ]
    checks = asset_checks(outcomes)
    assert [(c.asset, c.name, c.result, c.rules) for c in checks] == [
        ("a", "schema", "warned", 2),
        ("a", "expectations", "failed", 3),
        ("findings", "counts", "warned", 1),
        ("release", "datapackage", "passed", 1),
    ]
    assert checks[1].description == "2 of 3 rules failed: gx_1; gx_2"
    assert checks[2].description == "counts said so"  # a check of one rule says what the rule says
    assert tally(checks) == {"passed": 1, "warned": 2, "failed": 1}
    assert rule_tally(outcomes) == {"passed": 3, "warned": 3, "failed": 1}


def test_sources_read_names_the_first_file_and_how_many_more() -> None:
    failures = [
        SourceFailure("x", "raw/extracts/x.txt", "reported_figures", "raw/extracts/x.txt:3: not UTF-8. Re-save it."),
        SourceFailure("y", "raw/extracts/y.txt", "reported_figures", "too large"),
    ]
    outcome = sources_read_outcome("reported_figures", failures)
    assert (outcome.passed, outcome.severity) == (False, "ERROR")
    assert outcome.description == "raw/extracts/x.txt:3: not UTF-8. Re-save it. (and 1 more source(s))"
    assert sources_read_outcome("reported_figures", []).passed
    with pytest.raises(ValueError, match="zone_mentions reads no raw file itself"):
        sources_read_outcome("zone_mentions", [])


def _raw_folder(tmp_path: Path, articles: int) -> Path:
    raw = tmp_path / "raw"
    (raw / "extracts").mkdir(parents=True)
    entries = []
    for n in range(articles):
        path = raw / "extracts" / f"a{n}.txt"
        path.write_text(f"Exports reached {n + 1} billion yuan in 2021.", encoding="utf-8")
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        entries.append(
            f'  - id: a{n}\n    path: extracts/a{n}.txt\n    sha256: "{digest}"\n    kind: news_article\n'
            f'    title: t\n    publisher: p\n    published: "2022-01-01"\n    extracts: figures\n'
        )
    (raw / "sources.yaml").write_text("sources:\n" + "".join(entries), encoding="utf-8")
    return raw


@pytest.mark.parametrize("limit", ["100", "2"], ids=["per file", "per kind"])
def test_the_release_counts_the_readable_checks_the_code_location_declares(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: str
) -> None:
    monkeypatch.setenv("PIPELINE_RAW_ASSETS_LIMIT", limit)
    raw = _raw_folder(tmp_path, 3)
    sources, _ = read_registry(raw)
    defs = build_definitions(raw, tmp_path / "outputs")
    declared = {
        (key.asset_key.to_user_string(), key.name)
        for key in defs.resolve_asset_graph().asset_check_keys
        if key.name == "readable"
    }
    counted = {(o.dataset, o.check) for o in readable_outcomes(sources, raw)}
    assert counted == declared
    assert len(counted) == (3 if limit == "100" else 1)


def test_a_corpus_fails_readable_only_for_a_file_that_no_longer_matches_its_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PIPELINE_RAW_ASSETS_LIMIT", "2")
    raw = _raw_folder(tmp_path, 3)
    sources, _ = read_registry(raw)
    (raw / "extracts" / "a1.txt").write_text("Exports reached 9 billion yuan in 2021.", encoding="utf-8")
    (outcome,) = readable_outcomes(sources, raw)
    assert (outcome.dataset, outcome.passed) == ("raw/corpus/news_article", False)
    assert [f["problem"] for f in outcome.failures] == [outcome.description]
    assert "raw/extracts/a1.txt" in outcome.description and "sha256" in outcome.description


def test_a_suite_outcome_is_reused_only_for_the_same_bytes_suite_and_code(tmp_path: Path) -> None:
    from pipeline.store.workspace import Workspace, reusable_audit, save_audit
    from pipeline.validate.gx_suites import suite_key

    suite = tmp_path / "suite.json"
    suite.write_text('{"name": "x", "expectations": []}', encoding="utf-8")
    key = suite_key(suite, "view-1", "asset-1")
    assert key != suite_key(suite, "view-1", "asset-2")  # the asset's code (its dataset's declaration)
    workspace = Workspace(tmp_path / "outputs")
    saved = [_rule("annual_indicators", "gx_1", True, "ERROR", "expectations")]
    save_audit(workspace, "expectations", "sha-a", saved, key)
    assert reusable_audit(workspace, "annual_indicators", "expectations", "sha-a", key) == saved
    assert reusable_audit(workspace, "annual_indicators", "expectations", "sha-b", key) is None  # other bytes
    suite.write_text('{"name": "x", "expectations": [], "meta": {}}', encoding="utf-8")
    changed = suite_key(suite, "view-1", "asset-1")
    assert changed != key and reusable_audit(workspace, "annual_indicators", "expectations", "sha-a", changed) is None
    assert reusable_audit(workspace, "annual_indicators", "expectations", "sha-a", "") is None  # no key: never


def test_an_outcome_as_json_is_a_copy_of_what_it_holds() -> None:
    failures = [{"row": 3, "problem": "value is -1", "columns": ["value"]}]
    outcome = CheckOutcome("a", "rows_known", False, "WARN", "said so", failures, {"rules": {"n": [1, 2]}}, "schema")
    data = outcome.to_json()
    assert data == {"dataset": "a", "check": "rows_known", "passed": False, "severity": "WARN",
                    "description": "said so", "failures": failures, "details": {"rules": {"n": [1, 2]}},
                    "asset_check": "schema"}  # fmt: skip
    assert CheckOutcome.from_json(data) == outcome
    data["failures"][0]["problem"] = "edited"
    data["details"]["rules"]["n"].append(3)
    assert outcome.failures[0]["problem"] == "value is -1" and outcome.details == {"rules": {"n": [1, 2]}}
