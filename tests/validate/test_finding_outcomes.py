"""The cross-checks' warning checks as the release counts them: one outcome per declared cross-check, a
warning exactly when a flagged finding is unreviewed or its status changed since the review."""

from __future__ import annotations

import pandas as pd

from pipeline.metadata.crosschecks import CHECK_NAMES
from pipeline.validate.reviews import Review, finding_outcomes


def test_one_outcome_per_cross_check_and_a_warning_for_what_nobody_reviewed() -> None:
    findings = pd.DataFrame(
        [
            {"cross_check": "counts", "finding_id": "a@1", "status": "contradiction", "message": "m1"},
            {"cross_check": "counts", "finding_id": "a@2", "status": "stale", "message": "m2"},
            {"cross_check": "counts", "finding_id": "a@3", "status": "consistent", "message": "m3"},
            {"cross_check": "series_jumps", "finding_id": "t:x:2016", "status": "jump", "message": "m4"},
        ]
    )
    reviews = {
        ("counts", "a@1"): Review("counts", "a@1", "contradiction", "2026-12-01", "read"),
        ("counts", "a@2"): Review("counts", "a@2", "contradiction", "2026-12-01", "status changed since"),
        ("series_jumps", "t:x:2016"): Review("series_jumps", "t:x:2016", "jump", "2026-12-01", "redefined"),
    }
    outcomes = {o.check: o for o in finding_outcomes(findings, reviews)}
    assert list(outcomes) == list(CHECK_NAMES)
    counts = outcomes["counts"]
    assert (counts.passed, counts.severity, counts.blocks) == (False, "WARN", False)
    assert counts.failures == [{"finding_id": "a@2", "status": "stale", "message": "m2"}]
    assert counts.description.startswith("1 flagged finding(s) not reviewed: a@2 (stale).")
    assert outcomes["series_jumps"].passed and outcomes["city_lists"].passed
