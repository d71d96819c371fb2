"""The warning checks on ``findings``: green when every flagged finding has been reviewed with the
status it has now; a warning naming each new or changed one; the reviews file's errors name the line."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pandas as pd
import pytest

from pipeline.defs.checks import asset_checks
from pipeline.defs.resources import PipelinePaths
from pipeline.metadata.datasets import FINDINGS
from pipeline.raw.registry import read_registry
from pipeline.store.parquet import read_parquet, write_parquet
from pipeline.validate.reviews import REVIEWS, ReviewsError, read_reviews


def _run(check: str, outputs: Path, raw: Path) -> dg.AssetCheckResult:
    (definition,) = [
        d for d in asset_checks if d.check_key.name == check and d.check_key.asset_key.path == ["findings"]
    ]
    result = definition(paths=PipelinePaths(raw_dir=str(raw), outputs_dir=str(outputs)))
    assert isinstance(result, dg.AssetCheckResult)
    return result


def test_a_new_or_changed_finding_warns_and_names_itself(published: tuple[Path, Path]) -> None:
    raw, outputs = published
    assert _run("counts", outputs, raw).passed  # all four flagged count findings are reviewed
    staged = outputs / "work" / FINDINGS.layer / f"{FINDINGS.name}.parquet"
    frame = read_parquet(staged, FINDINGS)
    changed = frame["message"].str.startswith("'132 comprehensive experimental areas'")
    (changed_id,) = frame.loc[changed, "finding_id"]
    frame.loc[changed, "status"] = "contradiction"  # reviewed as stale
    new = frame.loc[frame["cross_check"] == "counts"].iloc[[0]].assign(finding_id="f" * 16, status="stale")
    write_parquet(pd.concat([frame, new], ignore_index=True), FINDINGS, staged)
    result = _run("counts", outputs, raw)
    assert not result.passed and result.severity == dg.AssetCheckSeverity.WARN
    assert result.description == (
        f"2 flagged finding(s) not reviewed: {changed_id} (contradiction); {'f' * 16} (stale). "  # in id order
        "Read them against the sources; add a row to expectations/reviewed_findings.csv."
    )
    assert result.metadata["reviewed"].value == 3
    table = result.metadata["table"].value
    assert "reviewed as stale on 2026-12-01; now contradiction: review again" in table
    assert f"| stale | {'f' * 16} |" in table and "| not reviewed |" in table


def test_every_review_names_a_finding_of_the_seed_release(published: tuple[Path, Path]) -> None:
    _, outputs = published
    findings = read_parquet(outputs / "work" / FINDINGS.layer / f"{FINDINGS.name}.parquet", FINDINGS)
    flagged = {(r.cross_check, r.finding_id): r.status for r in findings.itertuples() if r.status != "consistent"}
    assert {key: review.status for key, review in read_reviews().items()} == flagged


def test_a_broken_reviews_file_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "reviews.csv"
    text = REVIEWS.read_text(encoding="utf-8")
    path.write_text(text + "counts,0123456789abcdef,stale,,\n", encoding="utf-8")
    line = len(text.splitlines()) + 1  # the appended row
    with pytest.raises(ReviewsError, match=rf"reviews.csv:{line}: reviewed_on, note empty; every review names"):
        read_reviews(path)
    path.write_text("check,finding,status\n", encoding="utf-8")
    with pytest.raises(ReviewsError, match=r"reviews.csv:1: expected the columns cross_check, finding_id, status, "):
        read_reviews(path)


def test_a_broken_reviews_file_refuses_the_release_saying_where(
    published: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.publish import release

    raw, outputs = published
    workspace = PipelinePaths(raw_dir=str(raw), outputs_dir=str(outputs)).workspace
    sources = read_registry(raw)[0]
    outcomes, _, problems = release.gather_audits(workspace, sources, raw)
    assert problems == [] and [o.check for o in outcomes if o.dataset == "findings"][-9:] == [
        "counts", "city_lists", "currency_conversions", "growth_rates", "series_jumps", "table_coverage",
        "inputs_yield", "uncertain_readings", "different_measures",
    ]  # fmt: skip
    broken = tmp_path / "reviewed_findings.csv"
    broken.write_text("check,finding,status\n", encoding="utf-8")
    monkeypatch.setattr(release, "REVIEWS", broken)
    _, _, problems = release.gather_audits(workspace, sources, raw)
    assert problems == [f"{broken}:1: expected the columns cross_check, finding_id, status, reviewed_on, note, "
                        "found check, finding, status."]  # fmt: skip
