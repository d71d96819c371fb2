"""Reviewed findings: ``expectations/reviewed_findings.csv`` lists the flagged cross-check findings a
person has read against the sources, with the status they saw and a note. A finding check on
``findings`` warns only about flagged findings nobody has reviewed, or whose status changed since."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.metadata.crosschecks import CHECK_NAMES
from pipeline.records import CheckOutcome
from pipeline.settings import EXPECTATIONS_DIR

REVIEWS = EXPECTATIONS_DIR / "reviewed_findings.csv"
COLUMNS = ("cross_check", "finding_id", "status", "reviewed_on", "note")


class ReviewsError(ValueError):
    """The reviews file cannot be read; the message names the file, the line and the fix."""


@dataclass(frozen=True)
class Review:
    cross_check: str
    finding_id: str
    status: str
    reviewed_on: str
    note: str


def read_reviews(path: Path = REVIEWS) -> dict[tuple[str, str], Review]:
    """Reviews by (cross_check, finding_id); none if the file does not exist."""
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise ReviewsError(f"{path}:1: expected the columns {', '.join(COLUMNS)}, found "
                               f"{', '.join(reader.fieldnames or ['nothing'])}.")  # fmt: skip
        reviews: dict[tuple[str, str], Review] = {}
        for row in reader:
            line = reader.line_num
            review = Review(**{c: (row.get(c) or "").strip() for c in COLUMNS})
            empty = [c for c in COLUMNS if not getattr(review, c)]
            if empty:
                raise ReviewsError(f"{path}:{line}: {', '.join(empty)} empty; every review names the check, the "
                                   "finding, the status seen, the date and what the reviewer found.")  # fmt: skip
            if (review.cross_check, review.finding_id) in reviews:
                raise ReviewsError(f"{path}:{line}: {review.cross_check} {review.finding_id} is reviewed twice; "
                                   "keep one row.")  # fmt: skip
            reviews[(review.cross_check, review.finding_id)] = review
    return reviews


def finding_outcomes(
    findings: pd.DataFrame, reviews: dict[tuple[str, str], Review], checks: tuple[str, ...] = CHECK_NAMES
) -> list[CheckOutcome]:
    """One outcome per declared cross-check, as its Dagster check on ``findings`` reports it: passed unless a
    flagged finding is unreviewed (or its status changed since the review), then a warning. The release's
    manifest, the report, its JSON and the CLI count these with the datasets' checks, so every place shows
    the same passed / warned / failed numbers. ``checks``: only these (a finding check's own)."""
    outcomes = []
    for check in checks:
        mine = findings.loc[findings["cross_check"] == check] if not findings.empty else findings
        flagged = mine.loc[mine["status"] != "consistent"] if not mine.empty else mine
        unreviewed = [
            {"finding_id": str(r.finding_id), "status": str(r.status), "message": str(r.message)}
            for r in flagged.itertuples()
            if (review := reviews.get((check, str(r.finding_id)))) is None or review.status != r.status
        ]
        description = (
            f"{len(unreviewed)} flagged finding(s) not reviewed: "
            + "; ".join(f"{u['finding_id']} ({u['status']})" for u in unreviewed[:5])
            + ". Read them against the sources; add a row to expectations/reviewed_findings.csv."
            if unreviewed
            else f"{len(flagged)} flagged finding(s), all reviewed."
        )
        outcomes.append(CheckOutcome(
            "findings", check, not unreviewed, "WARN", description, failures=unreviewed,
            details={"findings": len(mine), "flagged": len(flagged)},
        ))  # fmt: skip
    return outcomes
