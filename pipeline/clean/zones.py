"""Building ``pilot_zones`` from parsed zone-table lines: the wrapped objectives are rejoined and
cleaned (:func:`pipeline.clean.text.clean_wrapped_text`), printed region names are matched to the
reference registry (:mod:`pipeline.clean.cities`), and the approval batch and its dates are joined from
the reference batch table."""

from __future__ import annotations

import re

import pandas as pd

from pipeline.clean.cities import CityMatch, UnknownCity, match_city
from pipeline.clean.text import TracedLine, clean_wrapped_text
from pipeline.corrections import Correction
from pipeline.datasets import PILOT_ZONES
from pipeline.errors import SourceError
from pipeline.parse.zone_table import RULE
from pipeline.schemas import PANDAS_DTYPES


def zone_id(city: str, province: str) -> str:
    """'Taizhou', 'Zhejiang' -> 'taizhou-zhejiang' (same-named cities stay distinct by province)."""
    slug = re.sub(r"[^a-z0-9']+", "-", f"{city} {province}".casefold()).strip("-")
    return slug


def build_pilot_zones(
    lines: pd.DataFrame,
    reference_zones: pd.DataFrame,
    reference_batches: pd.DataFrame,
    city_mapping: dict[str, tuple[str, str, str]],
    paths: dict[str, str],
) -> tuple[pd.DataFrame, list[Correction]]:
    """One row per zone row of the parsed tables, plus the corrections made on the way."""
    records: list[dict[str, object]] = []
    corrections: list[Correction] = []
    batches = reference_batches.set_index("batch")
    for (source_id, _), rows in lines.groupby(["source_id", "zone_row"], sort=True):
        source_id = str(source_id)
        path = paths.get(source_id, source_id)
        region = rows.loc[rows["field"] == "region"].iloc[0]
        extent = rows.loc[rows["field"] == "extent"].iloc[0]
        try:
            match = match_city(str(region["text"]), reference_zones, city_mapping)
        except UnknownCity as error:
            raise SourceError(path, str(error), line=int(region["line"])) from None
        if match.rule:
            corrections.append(_city_correction(source_id, region, match))
        objective_lines = [
            TracedLine(int(r.line), int(r.char_start), str(r.text))
            for r in rows.loc[rows["field"] == "objectives"].itertuples()
        ]
        objectives, fixed = clean_wrapped_text(objective_lines, source_id=source_id, field="objectives")
        corrections += fixed
        ref = reference_zones.loc[
            (reference_zones["city"] == match.city) & (reference_zones["province"] == match.province)
        ].iloc[0]
        batch = int(ref["batch"])
        records.append(
            {
                "zone_id": zone_id(match.city, match.province),
                "city": match.city,
                "city_zh": ref["city_zh"],
                "province": match.province,
                "extent": extent["text"],
                "objectives": objectives,
                "batch": batch,
                "approved_on": batches.loc[batch, "signed_on"],
                "announced_on": batches.loc[batch, "published_on"],
                "source_id": source_id,
                "source_line_start": int(rows["line"].min()),
                "source_line_end": int(rows["line"].max()),
                "source_char_start": int(rows["char_start"].min()),
                "source_char_end": int(rows["char_end"].max()),
                "parse_rule": RULE,
            }
        )
    frame = pd.DataFrame.from_records(records, columns=PILOT_ZONES.columns)
    frame = frame.astype({f.name: PANDAS_DTYPES[f.dtype] for f in PILOT_ZONES.fields})
    return frame, corrections


def _city_correction(source_id: str, region: pd.Series, match: CityMatch) -> Correction:
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


def read_reference_zones(path: str) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False).astype({"batch": "int64"})


def read_reference_batches(path: str) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False).astype({"batch": "int64"})
