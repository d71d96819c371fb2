"""Readers of the reference tables and committed mappings: the pilot-zone registry and its batches,
the indicator dictionary, the city-name mapping, and the check that a reference table is the registered
one. Each reader returns plain frames or dicts; what they mean is for the clean and crosscheck layers."""

from __future__ import annotations

import csv
import difflib
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.errors import RegistryError
from pipeline.metadata.tables import header_key
from pipeline.raw.registry import Source, read_source_text

MAPPING_PATH = Path(__file__).resolve().parent.parent / "mappings" / "city_names.csv"
VERSION_FILES = (MAPPING_PATH,)  # a committed mapping is code: a stage that reads it is versioned by it

NEWS = "news_article"
REF = {
    "zones": "ref_pilot_zones",
    "batches": "ref_pilot_zone_batches",
    "dictionary": "ref_indicator_dictionary",
    "rates": "ref_cny_per_usd",
    "headers": "ref_indicator_headers",
    "regions": "ref_regions",
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


HEADER_COLUMNS = ["header", "indicator_id", "unit", "description"]


@dataclass(frozen=True)
class HeaderEntry:
    header: str
    indicator_id: str
    unit: str
    description: str
    line: int


@dataclass(frozen=True)
class HeaderDictionary:
    """What each printed table header measures: header (matched with case, spacing and hyphens ignored)
    -> indicator id, unit and description. Several headers (other wrappings, wordings) may share an id."""

    entries: tuple[HeaderEntry, ...]

    def lookup(self, printed: str) -> HeaderEntry | None:
        key = header_key(printed)
        return next((e for e in self.entries if header_key(e.header) == key), None)

    def headers(self) -> list[str]:
        return [e.header for e in self.entries]

    def closest(self, printed: str, n: int = 2) -> list[str]:
        by_key = {header_key(e.header): e.header for e in self.entries}
        return [by_key[k] for k in difflib.get_close_matches(header_key(printed), list(by_key), n=n, cutoff=0.6)]


def read_header_dictionary(source: Path | io.StringIO, path: str | None = None) -> HeaderDictionary:
    """Read ``raw/reference/indicator_headers.csv``; a :class:`RegistryError` naming the line for a
    missing field, a header listed twice, or an indicator id given two units."""
    name = path or str(source)
    handle = source.open(encoding="utf-8", newline="") if isinstance(source, Path) else source
    with handle:
        reader = csv.reader(handle)
        rows = list(reader)
    if not rows or rows[0] != HEADER_COLUMNS:
        raise RegistryError(
            f"{name}: expected the columns {','.join(HEADER_COLUMNS)}, found {rows[0] if rows else 'nothing'}."
        )
    entries: list[HeaderEntry] = []
    seen: dict[str, HeaderEntry] = {}
    units: dict[str, HeaderEntry] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(HEADER_COLUMNS) or not all(cell.strip() for cell in row):
            raise RegistryError(
                f"{name}:{number}: expected {len(HEADER_COLUMNS)} non-empty fields ({','.join(HEADER_COLUMNS)}), "
                f"found {row}; quote a field that holds a comma."
            )
        header, indicator_id, unit, description = (cell.strip() for cell in row)
        entry = HeaderEntry(header, indicator_id, unit, description, line=number)
        if not re.fullmatch(r"[a-z][a-z0-9_]*", entry.indicator_id):
            raise RegistryError(
                f"{name}:{number}: indicator_id {entry.indicator_id!r} must be snake_case (a-z, 0-9, _)."
            )
        key = header_key(entry.header)
        if key in seen and seen[key].indicator_id != entry.indicator_id:
            raise RegistryError(
                f"{name}:{number}: the header {entry.header!r} is already listed on line {seen[key].line} "
                f"as {seen[key].indicator_id!r}; one printed header has one meaning."
            )
        if entry.indicator_id in units and units[entry.indicator_id].unit != entry.unit:
            first = units[entry.indicator_id]
            raise RegistryError(
                f"{name}:{number}: {entry.indicator_id!r} has unit {entry.unit!r} here and {first.unit!r} on line "
                f"{first.line}; an indicator has one unit (give a header in another unit its own id)."
            )
        seen.setdefault(key, entry)
        units.setdefault(entry.indicator_id, entry)
        entries.append(entry)
    return HeaderDictionary(tuple(entries))


def read_region_names(path: Path) -> dict[str, str]:
    """``raw/reference/regions.csv``: each region's names as printed (its name and its aliases, casefolded)
    -> its name."""
    names: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for alias in [row["name"], *row["aliases"].split(";")]:
                if alias.strip():
                    names[alias.strip().casefold()] = row["name"]
    return names


# reference tables by their key in REF: how each is read
REFERENCE_READERS = {
    "zones": read_reference_zones,
    "batches": read_reference_batches,
    "rates": read_reference_rates,
    "dictionary": lambda path: read_indicator_dictionary(Path(path)),
    "headers": lambda path: read_header_dictionary(Path(path)),
    "regions": lambda path: read_region_names(Path(path)),
}


def read_region_codes(path: Path) -> dict[str, str]:
    """``raw/reference/regions.csv``: each region's name -> its GB/T 2260 code."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["name"]: row["code"] for row in csv.DictReader(handle)}
