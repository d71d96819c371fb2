"""``observations``: every quantitative fact of the release in one long table, and ``exchange_rates``,
the rates it converts with.

One row per news figure (``reported_figures``), per table cell (``indicator_values``) and per reference
count of zones (``pilot_zone_batches``: zones added and the running total of each batch), each with

- its **measure** from the committed vocabulary and the measure's definition (a figure's measure and its
  definition from ``pipeline/mappings/figure_measures.csv``; a cell's from
  ``pipeline/mappings/indicator_measures.csv``, else its indicator id with the header dictionary's
  description), so customs-cleared retail trade and an industry estimate of market scale never share a name;
- its **geography**: name, level, and the GB/T 2260 code of a province-level division
  (``raw/reference/regions.csv``); for a city, its province and the province's code (no committed
  reference gives city codes);
- its **period** as printed, with its precision and first and last day;
- its **value** as printed in its unit, and normalised to CNY and USD: a money unit's multiplier
  ('100 million CNY' = 1e8 CNY) and, across currencies, the year's average rate of
  ``raw/reference/cny_per_usd_annual.csv``, named in ``rate_source``; no rate, no conversion;
- the **findings** about it and a **status**: contradicted (a finding says contradiction, stale or
  mismatch), flagged (a series jump or an uncertain reading to read), consistent (checked and consistent),
  or unchecked;
- its provenance: source, line, characters, rule; and its ``observation_id``, the id of its row in the
  dataset it comes from (``figure_id``, ``value_id``) or, for a reference count, a hash of the reference
  table, batch and measure.
"""

from __future__ import annotations

import calendar
import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.bulk import collector_paused
from pipeline.ids import reference_count_id
from pipeline.metadata.datasets import EXCHANGE_RATES, FINDING_OBSERVATIONS, OBSERVATIONS, SOURCES_DATASET
from pipeline.metadata.schemas import columns_frame, empty_frame, typed
from pipeline.parse.periods import MONTH_NAMES
from pipeline.raw.registry import Source
from pipeline.records import frame_records

RULE = "observations/v1"
RATES_RULE = "exchange_rates/v1"
MAPPINGS = Path(__file__).resolve().parent.parent / "mappings"
MULTIPLIERS = {
    "": 1.0,
    "thousand": 1e3,
    "10,000": 1e4,
    "million": 1e6,
    "100 million": 1e8,
    "billion": 1e9,
    "trillion": 1e12,
}
CURRENCIES = ("CNY", "USD", "HKD", "EUR")
_MONEY = re.compile(rf"^(?:({'|'.join(re.escape(m) for m in MULTIPLIERS if m)}) )?({'|'.join(CURRENCIES)})$")
CONTRADICTED = ("contradiction", "stale", "mismatch")
NATIONAL = re.compile(r"^(?:national(?: total)?|total|china(?: total)?|whole country|all china)$", re.I)
FLAGGED = ("jump", "uncertain", "incomplete", "yielded nothing")
NOT_A_CHECK = ("different measures",)  # says two figures are not comparable: no verdict on either


def money_unit(unit: str) -> tuple[str, float] | None:
    """The currency and multiplier of a money unit ('100 million CNY' -> ('CNY', 1e8)); None for any other
    unit (a count, a percent, 'CNY per parcel')."""
    match = _MONEY.match(unit.strip())
    return (match.group(2), MULTIPLIERS[match.group(1) or ""]) if match else None


@cache
def figure_definitions() -> dict[str, str]:
    """Each figure measure's definition (the first row of ``figure_measures.csv`` that names it)."""
    with (MAPPINGS / "figure_measures.csv").open(encoding="utf-8", newline="") as handle:
        definitions: dict[str, str] = {}
        for row in csv.DictReader(handle):
            definitions.setdefault(row["measure"], row["definition"])
    return definitions


@cache
def indicator_measures() -> dict[str, tuple[str, str]]:
    """``indicator_measures.csv``: indicator id -> (measure, definition)."""
    with (MAPPINGS / "indicator_measures.csv").open(encoding="utf-8", newline="") as handle:
        return {row["indicator_id"]: (row["measure"], row["definition"]) for row in csv.DictReader(handle)}


@dataclass(frozen=True)
class Places:
    """What a geography name is: a province-level division (with its code), a pilot-zone city (with its
    province), or a place of the gazetteer (country, region, world)."""

    region_codes: Mapping[str, str]  # name -> GB/T 2260 code (raw/reference/regions.csv)
    zone_provinces: Mapping[str, tuple[str, str]]  # city -> (province, admin level) (reference zones)
    gazetteer: Mapping[str, str]  # place -> kind (pipeline/mappings/places.csv)

    def describe(self, name: str | None, aggregate: bool = False) -> dict[str, Any]:
        empty = {"geography_level": None, "geography_code": None, "province": None, "province_code": None}
        if not name:
            return empty
        if name == "China":
            return {**empty, "geography_level": "country"}
        if aggregate:  # a table's remainder or subtotal row: 'Other provinces'
            return {**empty, "geography_level": "aggregate"}
        if name in self.region_codes:
            code = self.region_codes[name]
            return {"geography_level": "province", "geography_code": code, "province": name, "province_code": code}
        if name in self.zone_provinces:
            province, level = self.zone_provinces[name]
            if not province:  # two zones share the name (Taizhou 台州 Zhejiang, 泰州 Jiangsu): no province
                return {**empty, "geography_level": level}
            return {**empty, "geography_level": level, "province": province,
                    "province_code": self.region_codes.get(province)}  # fmt: skip
        kind = self.gazetteer.get(name)
        return {**empty, "geography_level": kind if kind in ("country", "region", "world") else "other"}


def load_places(region_codes: Mapping[str, str], zones: pd.DataFrame) -> Places:
    with (MAPPINGS / "places.csv").open(encoding="utf-8", newline="") as handle:
        gazetteer = {row["place"]: row["kind"] for row in csv.DictReader(handle)}
    provinces: dict[str, tuple[str, str]] = {}
    for r in frame_records(zones):
        city, province, level = str(r["city"]), str(r["province"]), str(r["admin_level"])
        seen = provinces.get(city)
        # a name two zones share keeps no province (and a level only if they agree)
        provinces[city] = (province, level) if seen is None or seen == (province, level) else ("", seen[1])
    return Places(region_codes, provinces, gazetteer)


def period_bounds(period: str | None) -> tuple[str | None, str | None, str | None]:
    """(precision, first day, last day) of an ISO period: '2017' -> ('year', '2017-01-01', '2017-12-31')."""
    if not period:
        return None, None, None
    parts = period.split("-")
    year = int(parts[0])
    if len(parts) == 1:
        return "year", f"{year:04d}-01-01", f"{year:04d}-12-31"
    month = int(parts[1])
    if len(parts) == 2:
        last = calendar.monthrange(year, month)[1]
        return "month", f"{period}-01", f"{period}-{last:02d}"
    return "day", period, period


_QUARTER = re.compile(r"^Q([1-4])$")
_FIRST_N = re.compile(r"^first (\w+) (months|quarters)$")
_MONTHS = re.compile(rf"^({'|'.join(MONTH_NAMES)})-({'|'.join(MONTH_NAMES)})$")
_DAYS = re.compile(rf"^({'|'.join(MONTH_NAMES)}) (\d{{1,2}})-(\d{{1,2}})$")
_YEARS = re.compile(r"^(\d{4})-(\d{4})$")


def _last_day(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"


def note_bounds(period: str | None, note: str | None) -> tuple[str | None, str | None, str | None]:
    """(precision, first day, last day) of a figure's period, narrowed by its ``period_note``: 'Q1' of 2019 is
    2019-01-01 to 2019-03-31 ('quarter'), 'first half' 'half', 'first five months' and 'January-May'
    'months', '2015-2019' 'years', 'March 1-10' 'days'. A note that names no span of the calendar (a
    shopping festival, 'end of period') gives 'part' and no days."""
    if not note or not period:
        return period_bounds(period)
    year = int(period[:4])
    if match := _QUARTER.match(note):
        q = int(match.group(1))
        return "quarter", f"{year:04d}-{3 * q - 2:02d}-01", _last_day(year, 3 * q)
    if note in ("first half", "second half"):
        h1 = note == "first half"
        return "half", f"{year:04d}-{1 if h1 else 7:02d}-01", _last_day(year, 6 if h1 else 12)
    if (match := _FIRST_N.match(note)) and (n := _count(match.group(1))) is not None:
        months = n * (3 if match.group(2) == "quarters" else 1)
        if 1 <= months <= 12:
            return "months", f"{year:04d}-01-01", _last_day(year, months)
    if match := _MONTHS.match(note):
        start, end = MONTH_NAMES.index(match.group(1)) + 1, MONTH_NAMES.index(match.group(2)) + 1
        if start <= end:
            return "months", f"{year:04d}-{start:02d}-01", _last_day(year, end)
    if (match := _DAYS.match(note)) and len(period) >= 7:
        month = MONTH_NAMES.index(match.group(1)) + 1
        d1, d2 = int(match.group(2)), int(match.group(3))
        if 1 <= d1 <= d2 <= calendar.monthrange(year, month)[1]:
            return "days", f"{year:04d}-{month:02d}-{d1:02d}", f"{year:04d}-{month:02d}-{d2:02d}"
    if (match := _YEARS.match(note)) and int(match.group(1)) <= int(match.group(2)):
        return "years", f"{match.group(1)}-01-01", f"{match.group(2)}-12-31"
    return "part", None, None


def _count(word: str) -> int | None:
    words = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
    if word.isdigit():
        return int(word)
    return words.index(word.lower()) + 1 if word.lower() in words else None


def rates_by_year(rates: pd.DataFrame) -> dict[int, float]:
    return {int(y): float(r) for y, r in zip(rates["year"], rates["cny_per_usd"], strict=True)}


def normalise(
    value: float | None, unit: str, period: str | None, rates: Mapping[int, float], rate_source: str
) -> dict[str, Any]:
    """``value`` in CNY and in USD, the rate used and where it comes from."""
    none = {"value_cny": None, "value_usd": None, "cny_per_usd": None, "rate_source": None}
    money = money_unit(unit)
    if money is None or value is None or pd.isna(value):
        return none
    currency, multiplier = money
    base = float(value) * multiplier
    year = int(period[:4]) if period else None
    rate = rates.get(year) if year is not None else None
    used = f"{rate_source}: {year} annual average" if rate is not None else None
    if currency == "CNY":
        usd = base / rate if rate is not None else None
        return {"value_cny": base, "value_usd": usd, "cny_per_usd": rate, "rate_source": used}
    if currency == "USD":
        cny = base * rate if rate is not None else None
        return {"value_cny": cny, "value_usd": base, "cny_per_usd": rate, "rate_source": used}
    return none  # HKD, EUR: no committed reference rate


def finding_links(findings: pd.DataFrame) -> dict[str, list[tuple[str, str, int]]]:
    """Per observation id, the (finding_id, status, position) of every finding about it, by finding id; position
    0 is the observation the finding checks, 1... those it was checked against."""
    links: dict[str, list[tuple[str, str, int]]] = {}
    for finding_id, status, ids in zip(findings["finding_id"], findings["status"], findings["observation_ids"],
                                       strict=True):  # fmt: skip
        for position, observation_id in enumerate(ids):
            links.setdefault(str(observation_id), []).append((str(finding_id), str(status), position))
    return {k: sorted(v) for k, v in links.items()}


def verdicts(links: list[tuple[str, str, int]], yardstick: bool = False) -> list[str]:
    """The statuses that judge an observation: every finding about it. A ``yardstick`` (the registry's count a
    figure was checked against) is judged only by the findings that check it (position 0); being the other side
    of a finding counts as a check passed when that finding is consistent, and no further: the registry's 165
    is no less right because an article says 132. Two sources' figures that disagree are both in question."""
    return [status for _, status, position in links if not yardstick or position == 0 or status == "consistent"]


def status_of(statuses: list[str]) -> str:
    if any(s in CONTRADICTED for s in statuses):
        return "contradicted"
    if any(s in FLAGGED for s in statuses):
        return "flagged"
    if any(s == "consistent" for s in statuses):
        return "consistent"
    return "unchecked"


@dataclass(frozen=True)
class Context:
    """What every observation row is normalised with: the reference rates, places and the header descriptions."""

    rates: pd.DataFrame
    places: Places
    header_descriptions: Mapping[str, str]
    rate_source: str


Row = dict[str, Any]


def _completed(rows: list[Row], context: Context) -> pd.DataFrame:
    """The rows with their place, their values in CNY and USD and their period's bounds, as a typed frame of the
    dataset's columns; the findings about them (``finding_ids``, ``status``) are :func:`with_findings`'."""
    by_year = rates_by_year(context.rates)
    done = []
    for row in rows:
        aggregate = bool(row.pop("aggregate", False))
        precision, start, end = note_bounds(row["period"], row["period_note"])
        done.append({
            **row,
            **context.places.describe(row["geography"], aggregate),
            **normalise(row["value"], row["unit"], row["period"], by_year, context.rate_source),
            "period_precision": precision, "period_start": start, "period_end": end,
        })  # fmt: skip
    columns: dict[str, list[Any]] = {c: [r[c] for r in done] for c in OBSERVATIONS.columns if c not in FOUND}
    columns.update(finding_ids=[[] for _ in done], status=["unchecked"] * len(done), parse_rule=[RULE] * len(done))
    return columns_frame(columns, OBSERVATIONS)


FOUND = ("finding_ids", "status", "parse_rule")  # the columns with_findings sets


@collector_paused()  # one row dict per figure: 30,000 at 10,000 extracts
def figure_observations(figures: pd.DataFrame, context: Context) -> pd.DataFrame:
    """The observation rows of ``reported_figures``, without their findings."""
    definitions = figure_definitions()
    rows = [{
        "observation_id": f["figure_id"], "from_dataset": "reported_figures", "source_id": f["source_id"],
        "measure": f["measure"], "measure_definition": definitions.get(f["measure"], ""),
        "subject": f["subject"], "geography": f["geography"],
        "period": f["period"], "period_note": _none(f["period_note"]), "states": f["states"],
        "value": f["value"], "value_high": _none(f["value_high"]), "unit": f["unit"],
        "printed": f["printed"], "qualifier": _none(f["qualifier"]), "uncertainty": _none(f["uncertainty"]),
        "context": f["quote"], "line": f["line"], "char_start": f["char_start"], "char_end": f["char_end"],
    } for f in frame_records(figures)]  # fmt: skip
    return _completed(rows, context)


@collector_paused()  # one row dict per table cell: 190,000 at 10,000 extracts
def value_observations(values: pd.DataFrame, context: Context) -> pd.DataFrame:
    """The observation rows of ``indicator_values``, without their findings."""
    mapped = indicator_measures()
    rows = []
    for v in frame_records(values):
        measure, definition = mapped.get(v["indicator_id"], (v["indicator_id"], ""))
        year = v["year"]
        period = str(int(year)) if year is not None and not pd.isna(year) else None
        region = _none(v["region"])
        geography = region if region else "China"
        if region and v["row_kind"] == "total":  # 'National total' is China; 'Other provinces' a remainder
            geography = "China" if NATIONAL.match(region) else region
        rows.append({
            "observation_id": v["value_id"], "from_dataset": "indicator_values", "source_id": v["source_id"],
            "measure": measure,
            "measure_definition": definition or context.header_descriptions.get(v["indicator_id"], ""),
            "subject": v["header"], "geography": geography,
            "period": period, "period_note": None, "states": "level",
            "value": _none(v["value"]), "value_high": None, "unit": v["unit"],
            "printed": v["value_text"], "qualifier": None, "uncertainty": None,
            "context": f"{v['header']} | {v['key']} | {v['value_text']}",
            "aggregate": bool(region and v["row_kind"] == "total" and geography != "China"),
            "line": v["line"], "char_start": v["char_start"], "char_end": v["char_end"],
        })  # fmt: skip
    return _completed(rows, context)


def batch_observations(batches: pd.DataFrame, context: Context) -> pd.DataFrame:
    """The observation rows of ``pilot_zone_batches`` (zones added and the running total), without their findings."""
    definitions = figure_definitions()
    rows = []
    for b in frame_records(batches):
        for measure, column in (("pilot_zones_added", "zones_added"), ("pilot_zones_total", "zones_total")):
            rows.append({
                "observation_id": reference_count_id(b["source_id"], int(b["batch"]), measure),
                "from_dataset": "pilot_zone_batches", "source_id": b["source_id"],
                "measure": measure, "measure_definition": definitions.get(measure, ""),
                "subject": f"batch {int(b['batch'])} ({b['state_council_reply']})", "geography": "China",
                "period": b["published_on"], "period_note": None, "states": "level",
                "value": float(b[column]), "value_high": None, "unit": "zones",
                "printed": str(int(b[column])), "qualifier": None, "uncertainty": None,
                "context": f"batch {int(b['batch'])}: {column} = {int(b[column])}",
                "line": b["line"], "char_start": None, "char_end": None,
            })  # fmt: skip
    return _completed(rows, context)


@collector_paused()
def with_findings(parts: list[pd.DataFrame], findings: pd.DataFrame) -> pd.DataFrame:
    """The observations dataset: the rows of every part, in order, with the findings about each and its status."""
    frame = pd.concat(parts, ignore_index=True) if parts else empty_frame(OBSERVATIONS)
    links = finding_links(findings)
    found = [links.get(i, []) for i in frame["observation_id"].tolist()]
    kinds = frame["from_dataset"].tolist()
    frame["finding_ids"] = pd.Series([[f for f, _, _ in about] for about in found], dtype=object, index=frame.index)
    frame["status"] = [status_of(verdicts(about, yardstick=kind == "pilot_zone_batches"))
                       for about, kind in zip(found, kinds, strict=True)]  # fmt: skip
    return typed(frame, OBSERVATIONS)


def build_exchange_rates(rates: pd.DataFrame, source_id: str) -> pd.DataFrame:
    """The committed reference rates as published: one row per year, with its line in the reference file."""
    columns: dict[str, list[Any]] = {
        "year": [int(y) for y in rates["year"]],
        "cny_per_usd": [float(r) for r in rates["cny_per_usd"]],
        "usd_per_cny": [1 / float(r) for r in rates["cny_per_usd"]],
        "basis": [str(b) for b in rates["basis"]],
        "confidence": [str(c) for c in rates["confidence"]],
        "source_id": [source_id] * len(rates),
        "line": list(range(2, len(rates) + 2)),
        "parse_rule": [RATES_RULE] * len(rates),
    }
    return columns_frame(columns, EXCHANGE_RATES)


def build_finding_observations(findings: pd.DataFrame) -> pd.DataFrame:
    """One row per finding and observation it is about, with the observation's position in the finding."""
    columns: dict[str, list[Any]] = {"finding_id": [], "observation_id": [], "position": []}
    for finding_id, ids in zip(findings["finding_id"], findings["observation_ids"], strict=True):
        for position, observation_id in enumerate(ids):
            columns["finding_id"].append(str(finding_id))
            columns["observation_id"].append(str(observation_id))
            columns["position"].append(position)
    return columns_frame(columns, FINDING_OBSERVATIONS)


def build_sources(sources: list[Source]) -> pd.DataFrame:
    """The registry as a dataset: every source other rows point to."""
    ordered = sorted(sources, key=lambda s: s.id)
    columns: dict[str, list[Any]] = {
        "source_id": [s.id for s in ordered],
        "kind": [s.kind for s in ordered],
        "title": [s.title for s in ordered],
        "publisher": [s.publisher for s in ordered],
        "published": [s.published for s in ordered],
        "url": [s.url or None for s in ordered],
        "path": [f"raw/{s.path}" for s in ordered],
        "sha256": [s.sha256 for s in ordered],
    }
    return columns_frame(columns, SOURCES_DATASET)


def _none(value: Any) -> Any:
    return None if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA else value
