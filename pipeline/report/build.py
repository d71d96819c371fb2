"""Collecting the report's facts into one JSON-ready dict: verdict, datasets, checks, corrections."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from pipeline.datasets import PUBLISHED
from pipeline.jsonable import plain, plain_row
from pipeline.parse.tables import SourceFailure
from pipeline.raw.registry import Source
from pipeline.validate.results import CheckOutcome


def build_report(
    manifest: dict[str, Any],
    outcomes: list[CheckOutcome],
    corrections: pd.DataFrame,
    failures: list[SourceFailure],
    sources: list[Source],
    changes: dict[str, Any],
    findings: pd.DataFrame,
) -> dict[str, Any]:
    blocking = [o for o in outcomes if o.blocks]
    warned = [o for o in outcomes if not o.passed and o.severity == "WARN"]
    publishable = not blocking and not failures
    if publishable:
        sentence = (
            f"Publishable: no blocking check failed and no source was quarantined; {len(warned)} "
            "warning(s) to read below."
            if warned
            else f"Publishable: all {len(outcomes)} checks passed and no source was quarantined."
        )
    else:
        sentence = f"Not publishable: {len(blocking)} blocking check(s) failed, {len(failures)} source(s) quarantined."
    datasets = []
    for dataset in PUBLISHED:
        info = manifest["datasets"][dataset.name]
        datasets.append(
            {
                "name": dataset.name,
                "title": dataset.title,
                "description": dataset.description,
                "file": info["path"],
                "rows": info["rows"],
                "sha256": info["sha256"],
                "primary_key": list(dataset.primary_key),
                "columns": [
                    {
                        "name": f.name,
                        "type": f.dtype,
                        "unit": f.unit,
                        "nullable": f.nullable,
                        "description": f.description,
                        "raw_header": f.raw_header,
                    }
                    for f in dataset.fields
                ],
                "checks": [o.to_json() for o in outcomes if o.dataset == dataset.name],
            }
        )
    return {
        "release_id": manifest["release_id"],
        "code_version": manifest["code_version"],
        "verdict": {
            "publishable": publishable,
            "sentence": sentence,
            "checks": manifest["checks"],
        },
        "inputs": [
            {
                "id": s.id,
                "path": f"raw/{s.path}",
                "sha256": s.sha256,
                "kind": s.kind,
                "title": s.title,
                "publisher": s.publisher,
                "published": s.published,
                "extracts": s.extracts,
            }
            for s in sorted(sources, key=lambda s: s.id)
        ],
        "datasets": datasets,
        "changes": changes,
        "findings": [
            {**plain_row(row), "evidence": json.loads(row["evidence"])} for row in findings.to_dict(orient="records")
        ],
        "quarantined": [f.__dict__ for f in failures],
        "corrections": [{k: plain(v) for k, v in row.items()} for row in corrections.to_dict(orient="records")],
    }
