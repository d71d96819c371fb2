"""``table_coverage``: a zone table against the batches it describes. A table that lists zones of an
approval batch but not all of them (the seed appendix's first-zones table leaves out Tianjin) is not wrong
by itself (a source may print a selection), but a reader of the table would take it for the batch: a
warning that names the zones not listed and says what to check."""

from __future__ import annotations

from typing import Any

import pandas as pd

from pipeline.crosscheck.common import CheckInputs, finding
from pipeline.records import frame_records


def run(inputs: CheckInputs) -> list[dict[str, Any]]:
    return check_table_coverage(inputs.pilot_zones, inputs.batches, inputs.texts)


def _row_quote(source_id: str, zone: Any, texts: dict[str, str]) -> dict[str, Any]:
    """The first printed line of the zone's table row: its region (and extent)."""
    text = texts.get(source_id, "")
    start = int(zone["table_char_start"])
    end = text.find("\n", start, int(zone["table_char_end"]))
    end = int(zone["table_char_end"]) if end < 0 else end
    return {"source_id": source_id, "char_start": start, "char_end": end, "text": text[start:end].rstrip()}


def check_table_coverage(zones: pd.DataFrame, batches: pd.DataFrame, texts: dict[str, str]) -> list[dict[str, Any]]:
    findings: list[dict[str, Any]] = []
    if zones.empty:
        return findings
    tabled = zones.loc[zones["table_source_id"].notna()]
    by_batch = batches.set_index("batch")
    for (source_id, batch), listed in tabled.groupby(["table_source_id", "batch"], sort=True):
        source_id, batch = str(source_id), int(batch)
        reference = by_batch.loc[batch]
        added = int(reference["zones_added"])
        named = zones.loc[zones["batch"] == batch, "city"]
        missing = sorted(set(named) - set(listed["city"]))
        ordered = listed.sort_values("table_line_start")
        evidence = [_row_quote(source_id, zone, texts) for zone in frame_records(ordered)]
        where = (
            f"The zone table of {source_id} lists {len(listed)} of the {added} zones of batch {batch} "
            f"(State Council reply {reference['state_council_reply']}, signed {reference['signed_on']})"
        )
        if len(listed) >= added:
            message, status = f"{where}: all of them.", "consistent"
        else:
            unnamed = added - len(named)
            not_listed = f"not listed: {', '.join(missing)}" if missing else "every zone the registry names is listed"
            if unnamed:
                not_listed += f"; {unnamed} zones of the batch are not named in the registry"
            message = (
                f"{where}; {not_listed}. Read the table against its source: a source that prints a selection "
                "(then the table is faithful, and no reader should take it for the batch), or rows lost in "
                "extraction (then the extract must be fixed)."
            )
            status = "incomplete"
        findings.append(finding("table_coverage", f"{source_id}:batch{batch}", status, message, evidence))
    return findings
