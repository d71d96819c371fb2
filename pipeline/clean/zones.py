"""Building the pilot-zone registry.

``clean_zone_table`` turns parsed zone-table lines into one row per printed zone: the wrapped
objectives are rejoined and cleaned (:func:`pipeline.clean.text.clean_wrapped_text`) and printed region
names are matched to the reference registry (:mod:`pipeline.clean.cities`). ``build_zone_registry``
then makes ``pilot_zones``: every zone of the reference registry with its batch dates, the table's
extent and objectives where a table prints the zone, and the sources that mention it.
``build_zone_batches`` makes ``pilot_zone_batches`` from the reference batch table, keeping partial
dates partial.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from pipeline.clean.cities import CityIndex, CityMatch, UnknownCity, match_city
from pipeline.clean.text import TracedLine, clean_wrapped_text
from pipeline.corrections import Correction
from pipeline.errors import SourceError
from pipeline.metadata.datasets import PILOT_ZONE_BATCHES, PILOT_ZONES
from pipeline.metadata.schemas import typed
from pipeline.parse.zone_table import RULE as TABLE_RULE
from pipeline.records import frame_records

REGISTRY_RULE = "zone_registry/v1"
TABLE_COLUMNS = [
    "zone_id", "city", "province", "extent", "objectives", "table_source_id",
    "table_line_start", "table_line_end", "table_char_start", "table_char_end", "parse_rule",
]  # fmt: skip


def zone_id(city: str, province: str) -> str:
    """'Taizhou', 'Zhejiang' -> 'taizhou-zhejiang' (same-named cities stay distinct by province)."""
    return re.sub(r"[^a-z0-9']+", "-", f"{city} {province}".casefold()).strip("-")


def clean_zone_table(
    lines: pd.DataFrame,
    reference_zones: pd.DataFrame,
    city_mapping: dict[str, tuple[str, str, str]],
    paths: dict[str, str],
    errors: dict[str, SourceError] | None = None,
) -> tuple[pd.DataFrame, list[Correction]]:
    """One row per zone row of the parsed tables (columns :data:`TABLE_COLUMNS`), and the corrections.

    Without ``errors`` the first table with a defect raises its :class:`SourceError`; with it, that
    table's error is stored under its source id and its rows and corrections are left out."""
    records, corrections = _clean_zone_rows(lines, reference_zones, city_mapping, paths, errors)
    return pd.DataFrame.from_records(records, columns=TABLE_COLUMNS), corrections


def _clean_zone_rows(
    lines: pd.DataFrame,
    reference_zones: pd.DataFrame,
    city_mapping: dict[str, tuple[str, str, str]],
    paths: dict[str, str],
    errors: dict[str, SourceError] | None,
) -> tuple[list[dict[str, object]], list[Correction]]:
    records: list[dict[str, object]] = []
    corrections: list[Correction] = []
    index = CityIndex.of(reference_zones)
    ordered = lines.sort_values(["source_id", "zone_row", "line", "char_start"], kind="stable")
    zone_rows: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for row in frame_records(ordered):  # plain dicts: a pandas lookup per line is 100x slower
        zone_rows.setdefault((str(row["source_id"]), int(row["zone_row"])), []).append(row)
    by_source: dict[str, list[list[dict[str, Any]]]] = {}
    for (source_id, _), rows in zone_rows.items():
        by_source.setdefault(source_id, []).append(rows)
    for source_id, tables in by_source.items():
        try:
            found, fixed = _clean_source(source_id, tables, index, city_mapping, paths)
        except SourceError as error:
            if errors is None:
                raise
            errors[source_id] = error
            continue
        records += found
        corrections += fixed
    return records, corrections


def _clean_source(
    source_id: str,
    zone_rows: list[list[dict[str, Any]]],
    index: CityIndex,
    city_mapping: dict[str, tuple[str, str, str]],
    paths: dict[str, str],
) -> tuple[list[dict[str, object]], list[Correction]]:
    records: list[dict[str, object]] = []
    corrections: list[Correction] = []
    printed_at: dict[str, int] = {}
    for rows in zone_rows:
        region = next(r for r in rows if r["field"] == "region")
        extent = next(r for r in rows if r["field"] == "extent")
        try:
            match = match_city(str(region["text"]), index, city_mapping)
        except UnknownCity as error:
            raise SourceError(paths.get(source_id, source_id), str(error), line=int(region["line"])) from None
        zid = zone_id(match.city, match.province)
        if zid in printed_at:
            raise SourceError(
                paths.get(source_id, source_id),
                f"zone {match.city} ({match.province}) is printed twice in this file's tables, on lines "
                f"{printed_at[zid]} and {int(region['line'])}.",
                line=int(region["line"]),
                action="Check whether two rows were merged or a page repeated; fix the extract.",
            )
        printed_at[zid] = int(region["line"])
        if match.rule:
            corrections.append(_city_correction(source_id, region, match))
        objective_lines = [
            TracedLine(int(r["line"]), int(r["char_start"]), str(r["text"])) for r in rows if r["field"] == "objectives"
        ]
        objectives, fixed = clean_wrapped_text(objective_lines, source_id=source_id, field="objectives")
        corrections += fixed
        records.append(
            {
                "zone_id": zone_id(match.city, match.province),
                "city": match.city,
                "province": match.province,
                "extent": extent["text"],
                "objectives": objectives,
                "table_source_id": source_id,
                "table_line_start": min(int(r["line"]) for r in rows),
                "table_line_end": max(int(r["line"]) for r in rows),
                "table_char_start": min(int(r["char_start"]) for r in rows),
                "table_char_end": max(int(r["char_end"]) for r in rows),
                "parse_rule": TABLE_RULE,
            }
        )
    return records, corrections


def _city_correction(source_id: str, region: dict[str, Any], match: CityMatch) -> Correction:
    return Correction(
        source_id=source_id,
        line=int(region["line"]),
        char_start=int(region["char_start"]),
        char_end=int(region["char_end"]),
        field="city",
        before=str(region["text"]),
        after=match.city,
        rule=str(match.rule),
    )


def build_zone_registry(
    reference_zones: pd.DataFrame,
    reference_batches: pd.DataFrame,
    table_rows: pd.DataFrame,
    mentions: dict[str, set[str]],
    reference_source_id: str,
) -> pd.DataFrame:
    """``pilot_zones``: one row per reference zone, joined with batch dates, table rows and mentions.

    Where several tables print a zone, its extent and objectives come from the first of them by
    ``table_source_id`` and line (``table_source_id`` says which); every printing table is listed in
    ``mentioned_in``. Raises ``ValueError`` if a table row matches no reference zone (the city matching
    guarantees it does, so this guards the join itself).
    """
    printing: dict[str, set[str]] = {}
    for zid, source in zip(table_rows["zone_id"], table_rows["table_source_id"], strict=True):
        printing.setdefault(str(zid), set()).add(str(source))
    table_rows = table_rows.sort_values(["table_source_id", "table_line_start"], kind="stable").drop_duplicates(
        "zone_id"
    )
    zones = reference_zones.assign(
        zone_id=[zone_id(c, p) for c, p in zip(reference_zones["city"], reference_zones["province"], strict=True)]
    )
    unknown = set(table_rows["zone_id"]) - set(zones["zone_id"])
    if unknown:
        raise ValueError(f"table rows for zones not in the reference: {sorted(unknown)}")
    batches = reference_batches.set_index("batch")
    table = table_rows.set_index("zone_id")
    records = []
    for row in zones.itertuples():
        printed = table.loc[row.zone_id] if row.zone_id in table.index else None
        sources = set(mentions.get(row.zone_id, set())) | printing.get(row.zone_id, set())
        records.append(
            {
                "zone_id": row.zone_id,
                "city": row.city,
                "city_zh": row.city_zh,
                "province": row.province,
                "admin_level": row.admin_level,
                "batch": int(row.batch),
                "approved_on": batches.loc[int(row.batch), "signed_on"],
                "approved_on_precision": date_precision(batches.loc[int(row.batch), "signed_on"]),
                "announced_on": batches.loc[int(row.batch), "published_on"],
                "announced_on_precision": date_precision(batches.loc[int(row.batch), "published_on"]),
                "extent": printed["extent"] if printed is not None else None,
                "objectives": printed["objectives"] if printed is not None else None,
                "reference_confidence": row.confidence,
                "mentioned_in": sorted(sources),
                "source_id": reference_source_id,
                "line": int(row.source_line),
                **{
                    column: (printed[column] if printed is not None else None)
                    for column in (
                        "table_source_id",
                        "table_line_start",
                        "table_line_end",
                        "table_char_start",
                        "table_char_end",
                    )
                },
                "parse_rule": REGISTRY_RULE if printed is None else f"{REGISTRY_RULE}+{TABLE_RULE}",
            }
        )
    return typed(pd.DataFrame.from_records(records, columns=PILOT_ZONES.columns), PILOT_ZONES)


def date_precision(date: str) -> str:
    """'day' for a full ISO date, 'month' for 'YYYY-MM'."""
    return "day" if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) else "month"


def build_zone_batches(reference_batches: pd.DataFrame, reference_source_id: str) -> pd.DataFrame:
    frame = reference_batches.rename(
        columns={"confidence": "reference_confidence", "source": "source_url", "source_line": "line"}
    )
    frame = frame.assign(
        signed_on_precision=frame["signed_on"].map(date_precision),
        published_on_precision=frame["published_on"].map(date_precision),
        source_id=reference_source_id,
        parse_rule=REGISTRY_RULE,
    )
    frame = frame.astype({"zones_added": "int64", "zones_total": "int64", "names_known": "int64"})
    return typed(frame, PILOT_ZONE_BATCHES)
