"""Readers of the reference tables and committed mappings: the pilot-zone registry and its batches,
the indicator dictionary, the city-name mapping, and the check that a reference table is the registered
one. Each reader returns plain frames or dicts; what they mean is for the clean and crosscheck layers."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from pipeline.errors import RegistryError
from pipeline.raw.registry import Source, read_source_text

MAPPING_PATH = Path(__file__).resolve().parent.parent / "mappings" / "city_names.csv"
VERSION_FILES = (MAPPING_PATH,)  # a committed mapping is code: a stage that reads it is versioned by it

NEWS = "news_article"
REF = {
    "zones": "ref_pilot_zones",
    "batches": "ref_pilot_zone_batches",
    "dictionary": "ref_indicator_dictionary",
    "rates": "ref_cny_per_usd",
}


def reference(sources: list[Source], raw_dir: Path, key: str) -> tuple[str, dict[str, str]]:
    """Verify a reference table's hash; return its path and its lineage entry."""
    source = next((s for s in sources if s.id == REF[key]), None)
    if source is None:
        raise RegistryError(
            f"raw/sources.yaml: the reference table {REF[key]!r} is not registered, or its entry is invalid "
            "(see the registry problems in the run log). Restore its entry."
        )
    read_source_text(source, raw_dir)
    return str(source.file(raw_dir)), {source.id: source.sha256}


def read_reference_zones(path: str) -> pd.DataFrame:
    """The reference zones, with ``source_line`` (the header is line 1)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False).astype({"batch": "int64"})
    return frame.assign(source_line=range(2, len(frame) + 2))


def read_reference_batches(path: str) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False).astype({"batch": "int64"})
    return frame.assign(source_line=range(2, len(frame) + 2))


def read_reference_rates(path: str) -> pd.DataFrame:
    return pd.read_csv(path)


def load_city_mapping(path: Path = MAPPING_PATH) -> dict[str, tuple[str, str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["variant"]: (row["city"], row["province"], row["rule"]) for row in csv.DictReader(handle)}


DICTIONARY_COLUMNS = ["raw_header", "meaning", "unit", "source_of_series", "confidence", "evidence"]
UNQUOTED_COMMA_ROWS = {"The market scale of cross-"}


def read_indicator_dictionary(path: Path) -> pd.DataFrame:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    if rows[0] != DICTIONARY_COLUMNS:
        raise ValueError(f"{path}: expected columns {DICTIONARY_COLUMNS}, found {rows[0]}")
    records, rejoined = [], []
    for number, row in enumerate(rows[1:], start=2):
        if len(row) == len(DICTIONARY_COLUMNS) + 1 and row[0] in UNQUOTED_COMMA_ROWS:
            row = [row[0], f"{row[1]},{row[2]}", *row[3:]]
            rejoined.append(row[0])
        if len(row) != len(DICTIONARY_COLUMNS):
            raise ValueError(f"{path}:{number}: expected {len(DICTIONARY_COLUMNS)} fields, found {len(row)}.")
        records.append(dict(zip(DICTIONARY_COLUMNS, row, strict=True)))
    if sorted(rejoined) != sorted(UNQUOTED_COMMA_ROWS):
        raise ValueError(
            f"{path}: expected the unquoted comma in exactly {sorted(UNQUOTED_COMMA_ROWS)}, found it in "
            f"{sorted(rejoined)}; the file changed, review this reader."
        )
    return pd.DataFrame.from_records(records, columns=DICTIONARY_COLUMNS)


# reference tables by their key in REF: how each is read
REFERENCE_READERS = {
    "zones": read_reference_zones,
    "batches": read_reference_batches,
    "rates": read_reference_rates,
    "dictionary": lambda path: read_indicator_dictionary(Path(path)),
}
