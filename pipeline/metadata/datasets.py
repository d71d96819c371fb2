"""The declaration of every dataset the pipeline writes: columns, dtypes, descriptions, units,
constraints and primary keys, each written once.

The pandera schema, the Arrow schema (descriptions and units in the Parquet field metadata), the
Dagster ``TableSchema``, the data dictionary in the report and the release manifest are all derived
from these declarations (see :mod:`pipeline.metadata.schemas`). To add or change a column, change it here.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from pipeline.corrections import RULES
from pipeline.ids import ID_PATTERN
from pipeline.metadata.crosschecks import CHECK_NAMES
from pipeline.metadata.fields import (
    CHAR_END,
    CHAR_START,
    LINE,
    PARSE_RULE,
    QUOTE,
    QUOTE_CHAR_END,
    QUOTE_CHAR_START,
    SOURCE_ID,
    DType,
    Field,
)

__all__ = ["DType", "Dataset", "Field"]

ISO_DATE = r"^\d{4}-\d{2}(-\d{2})?$"
ISO_PERIOD = r"^\d{4}(-\d{2}(-\d{2})?)?$"
ID_RULE = (
    "16 hex digits of a sha256 over the row's source, its sentence with every number masked, {what} and its "
    "occurrence among such rows of the source (pipeline/ids.py): not character offsets, so an edit elsewhere in "
    "the file keeps it, and a changed number in the sentence keeps it too (the release diff shows the change)."
)


TO_SOURCES = ("source_id", ("sources", "source_id"))  # a row's source is a row of the sources dataset


def _id_field(name: str, what: str, description: str | None = None) -> Field:
    return Field(name, "string", description or ID_RULE.format(what=what), pattern=ID_PATTERN)


@dataclass(frozen=True)
class Dataset:
    """One dataset: its fields in column order, primary key and the layer it belongs to."""

    name: str
    title: str
    description: str
    layer: Literal["parsed", "curated"]
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    contiguous: str | None = None  # an integer column whose values must have no gaps (years)
    # the column that names the table a row came from: ``contiguous`` holds within each table, and the
    # GX suite also sees each row's change from the previous row of its table (see validate.views)
    series_by: str | None = None
    published: bool = False
    # the asset that writes it also logs corrections of the source: the corrections log gathers them
    logs_corrections: bool = False
    # rules beyond the column schema, by name (pipeline/validate/rules.py), checked with the schema
    rules: tuple[str, ...] = ()
    # foreign keys: (column, (dataset, its column)); declared in datapackage.json and checked with the release
    references: tuple[tuple[str, tuple[str, str]], ...] = ()
    # the asset that writes it reads raw files and quarantines those it cannot read: it has the check
    # ``sources_read``, and the sources it quarantined are saved under its name (Workspace.failures)
    reads_sources: bool = False

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.name} has no column {name!r}")


KEY_KINDS = ("year", "region")
ROW_KINDS = ("data", "total")
# the columns a table cell has in the parsed cells and in indicator_values, declared once
TABLE = Field(
    "table_number",
    "int64",
    "The table's number among the file's indicator tables (1-based, registry order).",
    minimum=1,
)
KEY_KIND = Field("key_kind", "string", "What the table's rows are keyed by: a year or a region.", allowed=KEY_KINDS)
KEY = Field("key", "string", "The row's key, normalised: the year, or the region's name.", non_empty=True)
ROW_KIND = Field(
    "row_kind",
    "string",
    "'total' for a total or remainder row ('National total', 'Subtotal', 'Other provinces'), else 'data'.",
    allowed=ROW_KINDS,
)
COLUMN_INDEX = Field("column_index", "int64", "Position of the column after the key column (0-based).", minimum=0)
HEADER = Field("header", "string", "The column header as printed, its wrapped lines rejoined.", non_empty=True)
VALUE_TEXT = Field("value_text", "string", "The cell exactly as printed (empty for a declared missing cell).")
FOOTNOTE = Field("footnote", "string", "The footnote marker printed on the cell ('*', 'a', '1)').", nullable=True)
STATED_SOURCE = Field("stated_source", "string", "The table's 'Source: ...' line as printed.", nullable=True)

INDICATOR_TABLE_CELLS = Dataset(
    name="indicator_table_cells",
    title="Indicator table cells (parsed)",
    description=(
        "One row per printed cell of every numeric table (keyed by year or by region), with its rebuilt "
        "column header, its row's key and where its table stands."
    ),
    layer="parsed",
    fields=(
        SOURCE_ID,
        TABLE,
        KEY_KIND,
        KEY,
        Field("key_text", "string", "The key as printed (a wrapped name rejoined).", non_empty=True),
        Field("year", "int64", "The key as a year (empty in a region-keyed table).", unit="year", nullable=True),
        ROW_KIND,
        COLUMN_INDEX,
        HEADER,
        Field("header_lines", "string", "Lines of the raw file that hold the header.", non_empty=True),
        VALUE_TEXT,
        Field("value", "float64", "The cell as a number, in the unit of its column.", nullable=True),
        FOOTNOTE,
        LINE,
        CHAR_START,
        CHAR_END,
        Field("row_char_start", "int64", "Start of the cell's row in the decoded raw file.", minimum=0),
        Field("row_char_end", "int64", "End (exclusive) of the cell's row.", minimum=0),
        Field(
            "key_lines",
            "string",
            "Lines the row's key is printed on (more than one for a wrapped name).",
            non_empty=True,
        ),
        Field("table_first_line", "int64", "Line where the table's header starts.", minimum=1),
        Field("table_last_line", "int64", "Line of the table's last row.", minimum=1),
        STATED_SOURCE,
        Field(
            "furniture_lines",
            "string",
            "Lines inside the table dropped as page furniture (page numbers, running titles, the header printed "
            "again), each in the corrections log.",
        ),
    ),
    primary_key=("source_id", "table_number", "key", "column_index"),
    logs_corrections=True,
    rules=("table_lines_accounted",),
    reads_sources=True,
)

ZONE_TABLE_LINES = Dataset(
    name="zone_table_lines",
    title="Zone table lines (parsed)",
    description="One row per printed line of every pilot-zone table, labelled with its zone row and field.",
    layer="parsed",
    fields=(
        SOURCE_ID,
        Field("zone_row", "int64", "Row of the zone table (0-based).", minimum=0),
        Field("field", "string", "Which cell the line belongs to.", allowed=("region", "extent", "objectives")),
        LINE,
        CHAR_START,
        CHAR_END,
        Field("text", "string", "The printed text of the line, surrounding blanks removed.", non_empty=True),
    ),
    primary_key=("source_id", "zone_row", "field", "line"),
    logs_corrections=True,
    reads_sources=True,
)

ANNUAL_INDICATORS = Dataset(
    name="annual_indicators",
    title="Annual indicators of China's e-commerce",
    description=(
        "One row per year of each appendix indicator table (a year printed by two tables gives two rows, "
        "each with its source_id): national e-commerce, logistics costs, "
        "cross-border e-commerce market scale, third-party mobile payments, advertising turnover and "
        "internet penetration, in the units printed (see each column)."
    ),
    layer="curated",
    published=True,
    fields=(
        Field("year", "int64", "Calendar year the values refer to.", unit="year", minimum=1990, maximum=2100),
        Field(
            "ecommerce_transactions_trillion_cny",
            "float64",
            "National e-commerce transaction volume (NBS survey, in MOFCOM's China E-commerce Report).",
            unit="trillion CNY",
            nullable=True,
            minimum=0,
            maximum=100,  # a plausibility bound: far above any printed value
            raw_header="Total e-commerce",
        ),
        Field(
            "logistics_costs_trillion_cny",
            "float64",
            "Total social logistics costs (China Federation of Logistics and Purchasing); the printed "
            "header 'National Express' is most likely a garbled 'National (logistics) Expenses'.",
            unit="trillion CNY",
            nullable=True,
            minimum=0,
            maximum=50,  # a plausibility bound: far above any printed value
            raw_header="National Express",
        ),
        Field(
            "cross_border_ecommerce_market_100m_cny",
            "float64",
            "Cross-border e-commerce market scale including B2B (100EC.cn industry estimate; not the "
            "customs figure, which is a different and much smaller measure).",
            unit="100 million CNY",
            nullable=True,
            minimum=0,
            maximum=1_000_000,  # a plausibility bound: far above any printed value
            raw_header="The market scale of cross-",
        ),
        Field(
            "third_party_mobile_payments_100m_cny",
            "float64",
            "Third-party mobile payment transaction scale (iResearch); the 2015-2016 jump reflects a "
            "redefinition of the series.",
            unit="100 million CNY",
            nullable=True,
            minimum=0,
            maximum=10_000_000,  # a plausibility bound: far above any printed value
            raw_header="China Third-Partv",
        ),
        Field(
            "advertising_turnover_100m_cny",
            "float64",
            "China advertising turnover (SAIC, later SAMR).",
            unit="100 million CNY",
            nullable=True,
            minimum=0,
            maximum=100_000,  # a plausibility bound: far above any printed value
            raw_header="China's advertising",
        ),
        Field(
            "internet_penetration_pct",
            "float64",
            "Internet penetration rate (CNNIC); 2019 is the June 2019 figure.",
            unit="percent",
            nullable=True,
            minimum=0,
            maximum=100,
            raw_header="Network penetration",
        ),
        SOURCE_ID,
        LINE,
        CHAR_START,
        CHAR_END,
        PARSE_RULE,
    ),
    primary_key=("source_id", "year"),
    references=(TO_SOURCES,),
    contiguous="year",
    series_by="source_id",
    reads_sources=True,
)


def _table_fields() -> tuple[Field, ...]:
    return (
        Field("table_source_id", "string", "Raw file whose zone table printed this zone, if any.", nullable=True),
        Field(
            "table_line_start",
            "int64",
            "First line of the zone's table row in that file.",
            nullable=True,
            minimum=1,
        ),
        Field(
            "table_line_end",
            "int64",
            "Last line of the zone's table row in that file.",
            nullable=True,
            minimum=1,
        ),
        Field(
            "table_char_start",
            "int64",
            "Start of the table row in the decoded file.",
            nullable=True,
            minimum=0,
        ),
        Field(
            "table_char_end",
            "int64",
            "End (exclusive) of the table row in the decoded file.",
            nullable=True,
            minimum=0,
        ),
    )


PILOT_ZONES = Dataset(
    name="pilot_zones",
    title="Cross-border e-commerce pilot zones",
    description=(
        "The registry of comprehensive pilot zones: every zone named in the reference registry (136 of the "
        "165 approved; batch 7 is known only in part), with its province, administrative level and approval "
        "batch, the extent and objectives where an extracted zone table prints them, and the sources that "
        "mention it."
    ),
    layer="curated",
    published=True,
    fields=(
        Field(
            "zone_id",
            "string",
            "Stable id: canonical city and province, lower case.",
            pattern=r"^[a-z0-9'-]+$",
        ),
        Field("city", "string", "Canonical English name of the zone (reference registry).", non_empty=True),
        Field("city_zh", "string", "Chinese name of the zone (reference registry).", non_empty=True),
        Field("province", "string", "Province-level division of the zone (reference registry).", non_empty=True),
        Field(
            "admin_level",
            "string",
            "Administrative level: city, county-level city, new area, prefecture, autonomous prefecture.",
            allowed=("city", "county-level city", "new area", "prefecture", "autonomous prefecture"),
        ),
        Field(
            "batch",
            "int64",
            "Approval batch of the State Council (reference registry).",
            minimum=1,
            maximum=7,
        ),
        Field(
            "approved_on",
            "string",
            "Date the State Council signed the batch's reply, ISO 8601; 'YYYY-MM' where only the month is known.",
            pattern=ISO_DATE,
        ),
        Field(
            "approved_on_precision",
            "string",
            "Whether approved_on is known to the day or only the month.",
            allowed=("day", "month"),
        ),
        Field(
            "announced_on",
            "string",
            "Date the batch was made public, ISO 8601; 'YYYY-MM' where only the month is known.",
            pattern=ISO_DATE,
        ),
        Field(
            "announced_on_precision",
            "string",
            "Whether announced_on is known to the day or only the month.",
            allowed=("day", "month"),
        ),
        Field(
            "extent",
            "string",
            "Extent of the zone's objectives as printed in a zone table; null where no table has the zone.",
            nullable=True,
            allowed=("International", "National", "Region"),
        ),
        Field(
            "objectives",
            "string",
            "Main objectives from a zone table, rejoined and cleaned (see the corrections log); null where "
            "no table has the zone.",
            nullable=True,
            non_empty=True,
        ),
        Field(
            "reference_confidence",
            "string",
            "Confidence the reference registry gives the zone.",
            non_empty=True,
        ),
        Field(
            "mentioned_in",
            "list<string>",
            "Ids of the sources that print the zone (table or article), sorted; empty if none.",
        ),
        SOURCE_ID,
        replace(LINE, minimum=2),  # the header is line 1
        *_table_fields(),
        PARSE_RULE,
    ),
    primary_key=("zone_id",),
    references=(TO_SOURCES, ("table_source_id", ("sources", "source_id"))),
    logs_corrections=True,
    rules=("names_known_match",),
    reads_sources=True,
)

PILOT_ZONE_BATCHES = Dataset(
    name="pilot_zone_batches",
    title="Pilot-zone approval batches",
    description="One row per State Council approval batch: reply number, dates, zones added, cumulative total.",
    layer="curated",
    published=True,
    fields=(
        Field("batch", "int64", "Approval batch (1 = Hangzhou, 2015).", minimum=1),
        Field("state_council_reply", "string", "Number of the State Council's reply (国函).", non_empty=True),
        Field(
            "signed_on",
            "string",
            "Date the reply was signed, ISO 8601, partial where only the month is known.",
            pattern=ISO_DATE,
        ),
        Field(
            "signed_on_precision",
            "string",
            "Whether signed_on is known to the day or only the month.",
            allowed=("day", "month"),
        ),
        Field(
            "published_on",
            "string",
            "Date the reply was published, ISO 8601, partial where only the month is known.",
            pattern=ISO_DATE,
        ),
        Field(
            "published_on_precision",
            "string",
            "Whether published_on is known to the day or only the month.",
            allowed=("day", "month"),
        ),
        Field("zones_added", "int64", "Zones approved in this batch.", unit="zones", minimum=1),
        Field("zones_total", "int64", "Zones approved in this and all earlier batches.", unit="zones", minimum=1),
        Field(
            "names_known",
            "int64",
            "How many of the batch's zones the reference registry names.",
            unit="zones",
            minimum=0,
        ),
        Field(
            "reference_confidence",
            "string",
            "Confidence the reference gives the batch's facts.",
            non_empty=True,
        ),
        Field("source_url", "string", "Where the reference compiler found the batch.", non_empty=True),
        SOURCE_ID,
        replace(LINE, minimum=2),  # the header is line 1
        PARSE_RULE,
    ),
    primary_key=("batch",),
    references=(TO_SOURCES,),
    contiguous="batch",
    rules=("totals_add_up",),
)


def _figure_measures() -> tuple[str, ...]:
    """The measure vocabulary of reported figures (the committed ``pipeline/mappings/figure_measures.csv``)."""
    path = Path(__file__).resolve().parent.parent / "mappings" / "figure_measures.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple(dict.fromkeys(row["measure"] for row in csv.DictReader(handle)))


FIGURE_MEASURES = _figure_measures()


def _currency_codes() -> tuple[str, ...]:
    """The ISO codes of the currencies the figure extractor reads (``pipeline/mappings/currencies.csv``)."""
    path = Path(__file__).resolve().parent.parent / "mappings" / "currencies.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple(sorted({row["code"] for row in csv.DictReader(handle)}))


FIGURE_CURRENCIES = _currency_codes()
REPORTED_FIGURES = Dataset(
    name="reported_figures",
    title="Figures reported in the news extracts",
    description=(
        "One row per quantitative claim in the news extracts: money amounts in base units (a printed "
        "conversion is one claim with a converted value), counts, shares, growth rates, multiples and "
        "measures, with the sentence and character span they come from."
    ),
    layer="curated",
    published=True,
    fields=(
        _id_field("figure_id", "the figure's measure", None),
        SOURCE_ID,
        Field(
            "kind",
            "string",
            "amount (money), count, percent (a share or level), growth (a change in percent), points "
            "(percentage points), ratio (a multiple), measure (length, weight).",
            allowed=("amount", "count", "percent", "growth", "points", "ratio", "measure"),
        ),
        Field(
            "subject",
            "string",
            "What is measured, e.g. 'cross-border e-commerce imports and exports'.",
            non_empty=True,
        ),
        Field(
            "measure",
            "string",
            "What the figure measures, from the committed vocabulary pipeline/mappings/figure_measures.csv "
            "(each measure with its definition there: e.g. cross_border_ecommerce_trade_value is customs-cleared "
            "retail and B2B trade, ecommerce_market_value an industry estimate of market scale); 'other' when "
            "none applies.",
            allowed=FIGURE_MEASURES,
        ),
        Field(
            "zone_count_role",
            "string",
            "For a count of pilot zones: total (all zones by then), added (a batch's increment) or before (the "
            "number before a batch); empty otherwise.",
            nullable=True,
            allowed=("total", "added", "before"),
        ),
        Field(
            "uncertainty",
            "string",
            "Why the reading is uncertain (a bare number's noun read from an earlier sentence, a growth rate "
            "printed in another clause, a zone count whose role no word states); empty for a firm reading. "
            "Cross-checks use firm readings only; each uncertain one is an 'uncertain_readings' finding.",
            nullable=True,
        ),
        Field(
            "claim_id",
            "string",
            "Id of the claim (sha256 of source, measure, kind, value, unit and period, 16 hex digits): a headline "
            "figure and its restatement in the body share it; an edit elsewhere in the file leaves it unchanged.",
            pattern=r"^[0-9a-f]{16}$",
        ),
        Field("geography", "string", "China, or the city or zone the figure is about.", non_empty=True),
        Field(
            "period",
            "string",
            "Year, month or date the figure refers to (ISO 8601: YYYY, YYYY-MM or YYYY-MM-DD).",
            pattern=ISO_PERIOD,
        ),
        Field(
            "period_basis",
            "string",
            "The rule that established the period: 'attached' (a time expression printed right after the "
            "figure), 'clause' or 'sentence' (stated in its clause or sentence, not the base of a comparison), "
            "'present tense' (the clause speaks of the present: the publication date), 'carried' (the time "
            "frame an earlier sentence set), 'span' (counted from or to a time: 'since June'), 'base' (the base "
            "of a change printed after it, 'rose to 9,800 from 7,300': the year before the change's), 'restated' "
            "(a title figure the body states again takes the body's period), 'in force' (a rule of a text that "
            "says when its rules take effect: from that date), or 'publication date' (the article states none).",
            allowed=("attached", "clause", "sentence", "present tense", "carried", "span", "base", "restated",
                     "in force", "publication date"),
        ),
        Field(
            "period_note",
            "string",
            "What part of the period the figure covers, when not all of it: 'first half', 'Q1', "
            "'January-May', 'first five months', 'start of period' / 'end of period', a shopping festival, a "
            "plan period ('2025-2027'); empty for a whole year, month or day. Cross-checks that compare years "
            "use figures without a note only.",
            nullable=True,
        ),
        Field(
            "states",
            "string",
            "level (the figure is an amount, count or share at its period) or change (it states an increase or "
            "decrease by that much: 'exports rose by 300 billion yuan'). Level-based cross-checks use levels.",
            allowed=("level", "change"),
        ),
        Field(
            "value",
            "float64",
            "The figure in base units: 90.24 billion -> 90240000000; 21.8% -> 21.8; a decline is negative "
            "('fell 2.7 percent' -> -2.7; 'imports fell by 70 billion yuan' -> -70000000000).",
        ),
        Field(
            "value_high",
            "float64",
            "The high bound of a range ('10-15 percent', 'between 380 billion and 400 billion yuan'); value is "
            "its low bound. Empty for a single number.",
            nullable=True,
        ),
        Field(
            "unit",
            "string",
            "An ISO currency code (CNY, USD, HKD, EUR, MOP, ...: pipeline/mappings/currencies.csv), percent, "
            "percentage points, times, or the counted noun.",
            non_empty=True,
        ),
        Field(
            "converted_value",
            "float64",
            "The printed conversion of an amount into another currency.",
            nullable=True,
            minimum=0,
        ),
        Field(
            "converted_unit",
            "string",
            "Currency of converted_value (an ISO code from pipeline/mappings/currencies.csv).",
            nullable=True,
            allowed=FIGURE_CURRENCIES,
        ),
        Field(
            "growth_pct",
            "float64",
            "Change stated in the same sentence as an amount, in percent (negative for a decline).",
            unit="percent",
            nullable=True,
        ),
        Field(
            "qualifier",
            "string",
            "Hedge printed before the number: about, nearly, more than, over, ...",
            nullable=True,
        ),
        Field("printed", "string", "The figure as printed (whitespace normalised).", non_empty=True),
        QUOTE,
        CHAR_START,
        CHAR_END,
        QUOTE_CHAR_START,
        QUOTE_CHAR_END,
        LINE,
        PARSE_RULE,
    ),
    primary_key=("figure_id",),
    references=(TO_SOURCES,),
    reads_sources=True,
)

ZONE_MENTIONS = Dataset(
    name="zone_mentions",
    title="Pilot zones named in the news extracts",
    description=(
        "One row per pilot-zone city named in an article, linked to the registry, with the batch the "
        "article's sentence claims for it where it claims one."
    ),
    layer="curated",
    published=True,
    fields=(
        _id_field("mention_id", "the zone it names"),
        SOURCE_ID,
        CHAR_START,
        CHAR_END,
        LINE,
        Field("printed", "string", "The name as printed.", non_empty=True),
        Field("zone_id", "string", "The zone in pilot_zones.", non_empty=True),
        Field("city", "string", "Canonical name of the zone.", non_empty=True),
        Field("registry_batch", "int64", "Batch of the zone in the registry.", minimum=1, maximum=7),
        Field(
            "claim",
            "string",
            "What the sentence claims about the zone's batch: 'latest batch' or 'first zone'.",
            nullable=True,
        ),
        Field(
            "claimed_batch",
            "int64",
            "The batch that claim means at the article's publication date.",
            nullable=True,
            minimum=1,
        ),
        Field(
            "claimed_announced_on",
            "string",
            "When the claimed batch was announced (reference batch table), ISO 8601, partial where only the month "
            "is known.",
            nullable=True,
            pattern=ISO_DATE,
        ),
        Field(
            "names_in_sentence",
            "int64",
            "How many pilot-zone names the sentence prints (a list has several).",
            minimum=1,
            maximum=200,
        ),
        QUOTE,
        QUOTE_CHAR_START,
        QUOTE_CHAR_END,
        PARSE_RULE,
    ),
    primary_key=("mention_id",),
    references=(TO_SOURCES, ("zone_id", ("pilot_zones", "zone_id"))),
)

FINDING_STATUSES = (
    "consistent",
    "contradiction",
    "stale",
    "mismatch",
    "different measures",
    "jump",
    "incomplete",
    "yielded nothing",
    "uncertain",
)
FINDINGS = Dataset(
    name="findings",
    title="Cross-checks of the extracts against each other and the reference",
    description=(
        "One row per cross-check result: counts against the registry, city lists against the batch "
        "claimed, printed currency conversions against the year's rate, stated growth against two "
        "sources' figures, and figures that measure the same thing differently."
    ),
    layer="curated",
    published=True,
    fields=(
        _id_field(
            "finding_id",
            "",
            "Stable id of the finding: 16 hex digits of a sha256 over its cross-check and the stable ids of what it "
            "is about (a figure's figure_id, a cell's value_id, a source and batch); never character offsets. "
            "expectations/reviewed_findings.csv reviews findings by this id.",
        ),
        Field(
            "cross_check",
            "string",
            "Which cross-check produced the finding.",
            allowed=CHECK_NAMES,
        ),
        Field(
            "status",
            "string",
            "consistent; contradiction (the sources or registry disagree); stale (right at an earlier date); "
            "mismatch (a conversion off by more than the tolerance); different measures (not comparable); "
            "jump (a series changes by more than the declared factor in a year); incomplete (a table lists some "
            "but not all zones of a batch); yielded nothing (an article no extractor took anything from); uncertain "
            "(a figure read with an uncertain noun, growth or zone role, which no check uses).",
            allowed=FINDING_STATUSES,
        ),
        Field("message", "string", "The finding in one or two sentences.", non_empty=True),
        Field(
            "observation_ids",
            "list<string>",
            "The observations (observations.observation_id: a figure's figure_id, a cell's value_id) the finding "
            "is about, the checked one first; empty for a finding about a whole source or table.",
        ),
        Field(
            "source_ids",
            "list<string>",
            "Every source the finding rests on, sorted: the files quoted and the reference tables compared "
            "against (raw/sources.yaml ids).",
            non_empty=True,
        ),
        Field(
            "evidence",
            "list<quote>",
            "The quotes it rests on: each {source_id, char_start, char_end, text}, a span of a raw file.",
            non_empty=True,
        ),
    ),
    primary_key=("finding_id",),
)

INDICATOR_VALUES = Dataset(
    name="indicator_values",
    title="Indicator values of every appendix table, long",
    description=(
        "One row per cell of every numeric appendix table, keyed by year or by region: the indicator it "
        "measures (from raw/reference/indicator_headers.csv), its value in the printed unit, the printed "
        "header and cell, and where it stands in the raw file. Wide per-table views (annual_indicators) are "
        "derived from the same cells."
    ),
    layer="curated",
    published=True,
    fields=(
        _id_field(
            "value_id",
            "",
            "Stable id of the cell: 16 hex digits of a sha256 over its source, its row's key, its indicator and "
            "its occurrence among such cells of the source (pipeline/ids.py); not the table's number or the "
            "column's position, so a table or column added elsewhere keeps it. The cell's observation_id.",
        ),
        SOURCE_ID,
        TABLE,
        KEY_KIND,
        KEY,
        Field(
            "year",
            "int64",
            "The year the row refers to, in a year-keyed table.",
            unit="year",
            nullable=True,
            minimum=1900,
            maximum=2100,
        ),
        Field("region", "string", "The region the row refers to, in a region-keyed table.", nullable=True),
        Field(
            "region_code",
            "string",
            "GB/T 2260 code of a province-level region (raw/reference/regions.csv); empty for other regions.",
            nullable=True,
            pattern=r"^\d{6}$",
        ),
        ROW_KIND,
        COLUMN_INDEX,
        Field(
            "indicator_id",
            "string",
            "What the column measures (raw/reference/indicator_headers.csv).",
            pattern=r"^[a-z][a-z0-9_]*$",
        ),
        Field(
            "value",
            "float64",
            "The value in the column's printed unit; empty where the table prints none.",
            nullable=True,
        ),
        Field("unit", "string", "The unit of the value, as the dictionary gives it for the header.", non_empty=True),
        HEADER,
        VALUE_TEXT,
        FOOTNOTE,
        STATED_SOURCE,
        LINE,
        CHAR_START,
        CHAR_END,
        PARSE_RULE,
    ),
    primary_key=("value_id",),
    references=(TO_SOURCES,),
    reads_sources=True,
)

CORRECTIONS = Dataset(
    name="corrections",
    title="Corrections log",
    description="Every change the pipeline made to what a source prints, where and by which rule.",
    layer="curated",
    published=True,
    fields=(
        _id_field(
            "correction_id",
            "",
            "Stable id of the correction: 16 hex digits of a sha256 over its source, rule, field, the text before "
            "and after, and its occurrence among such corrections of the source (pipeline/ids.py).",
        ),
        SOURCE_ID,
        LINE,
        CHAR_START,
        CHAR_END,
        Field("field", "string", "What the text belongs to (a column, a header, or 'page').", non_empty=True),
        Field("before", "string", "The text as printed ('⏎' marks a line break)."),
        Field("after", "string", "The text as curated (empty when removed)."),
        Field("rule", "string", "The cleaning rule or mapping that made the change.", allowed=RULES),
    ),
    primary_key=("correction_id",),
    references=(TO_SOURCES,),
    rules=("pinned_quirks",),
)

SOURCES_DATASET = Dataset(
    name="sources",
    title="Sources",
    description=(
        "One row per registered raw file (raw/sources.yaml): the extracts and the reference tables every other "
        "dataset's source_id points to, with provenance and the sha256 of the bytes the release was built from."
    ),
    layer="curated",
    published=True,
    fields=(
        SOURCE_ID,
        Field(
            "kind",
            "string",
            "pdf_table_extract, news_article or reference_table.",
            allowed=("pdf_table_extract", "news_article", "reference_table"),
        ),
        Field("title", "string", "Title of the source.", non_empty=True),
        Field("publisher", "string", "Who published it.", non_empty=True),
        Field("published", "string", "When it was published, as the registry records it.", non_empty=True),
        Field("url", "string", "Where it was found, if known.", nullable=True),
        Field("path", "string", "The file in the repository (raw/...).", non_empty=True),
        Field("sha256", "string", "sha256 of the file's bytes.", pattern=r"^[0-9a-f]{64}$"),
    ),
    primary_key=("source_id",),
)

EXCHANGE_RATES = Dataset(
    name="exchange_rates",
    title="CNY per USD, annual averages",
    description=(
        "The reference rates observations convert with (raw/reference/cny_per_usd_annual.csv): one row per year."
    ),
    layer="curated",
    published=True,
    fields=(
        Field("year", "int64", "Calendar year.", unit="year", minimum=1990, maximum=2100),
        # plausibility bounds: 8.28 under the peg, 6.1 to 7.3 since 2014
        Field("cny_per_usd", "float64", "Annual average CNY per USD.", unit="CNY per USD", minimum=1, maximum=20),
        Field("usd_per_cny", "float64", "1 / cny_per_usd.", unit="USD per CNY", minimum=0.05, maximum=1),
        Field(
            "basis",
            "string",
            "What the rate is (e.g. annual average central parity) and who publishes it.",
            non_empty=True,
        ),
        Field("confidence", "string", "Confidence the reference gives the rate.", non_empty=True),
        SOURCE_ID,
        replace(LINE, minimum=2),  # the header is line 1
        PARSE_RULE,
    ),
    primary_key=("year",),
    contiguous="year",
    references=(TO_SOURCES,),
)

OBSERVATION_STATUSES = ("contradicted", "flagged", "consistent", "unchecked")
OBSERVATIONS = Dataset(
    name="observations",
    title="Observations: every quantitative fact, long",
    description=(
        "One row per quantitative fact of the release: each news figure (reported_figures), each table cell "
        "(indicator_values) and each reference count of pilot zones (pilot_zone_batches), with its measure and "
        "the measure's definition, geography with codes, period with its precision, value as printed and "
        "normalised to CNY and USD (with the rate and its source), the findings about it and a status. Use it "
        "to compare sources; the datasets it gathers keep every detail of their kind."
    ),
    layer="curated",
    published=True,
    fields=(
        _id_field(
            "observation_id",
            "",
            "Stable id: the id of the row it comes from (reported_figures.figure_id, indicator_values.value_id), or "
            "for a reference count a hash of the reference table, batch and measure.",
        ),
        Field(
            "from_dataset",
            "string",
            "The dataset whose row this is: reported_figures, indicator_values or pilot_zone_batches.",
            allowed=("reported_figures", "indicator_values", "pilot_zone_batches"),
        ),
        SOURCE_ID,
        Field(
            "measure",
            "string",
            "What is measured: a figure's measure (pipeline/mappings/figure_measures.csv), a cell's "
            "(pipeline/mappings/indicator_measures.csv, else its indicator_id), pilot_zones_added / "
            "pilot_zones_total for the reference counts. Compare values of one measure only.",
            pattern=r"^[a-z][a-z0-9_]*$",
        ),
        Field(
            "measure_definition",
            "string",
            "The measure's definition, e.g. customs-cleared retail trade vs. an industry estimate of market scale.",
        ),
        Field(
            "subject",
            "string",
            "What the source calls it: the figure's subject, the column header, the batch.",
            non_empty=True,
        ),
        Field("geography", "string", "China, or the province, city, zone or place the value is about.", non_empty=True),
        Field(
            "geography_level",
            "string",
            "country (China), province (province-level division), city / county-level city / new area / prefecture "
            "/ autonomous prefecture (a pilot-zone city, its level in the reference), country / region / world "
            "(another place of the gazetteer), aggregate (a table's remainder or subtotal row: 'Other provinces'), "
            "other. A table's national total row is China.",
            allowed=(
                "country",
                "province",
                "city",
                "county-level city",
                "new area",
                "prefecture",
                "autonomous prefecture",
                "region",
                "world",
                "aggregate",
                "other",
            ),
        ),
        Field(
            "geography_code",
            "string",
            "GB/T 2260 code of a province-level geography (raw/reference/regions.csv); empty otherwise (no "
            "committed reference gives codes of cities).",
            nullable=True,
            pattern=r"^\d{6}$",
        ),
        Field(
            "province",
            "string",
            "The province-level division of a province or pilot-zone city; empty for a name two zones share "
            "(Taizhou: 台州 Zhejiang, 泰州 Jiangsu).",
            nullable=True,
        ),
        Field("province_code", "string", "GB/T 2260 code of that province.", nullable=True, pattern=r"^\d{6}$"),
        Field(
            "period",
            "string",
            "The period as the source gives it (YYYY, YYYY-MM or YYYY-MM-DD); empty for a region-keyed table "
            "that prints no year.",
            nullable=True,
            pattern=ISO_PERIOD,
        ),
        Field(
            "period_precision",
            "string",
            "What span period_start to period_end is: year, month or day (the whole period); quarter, half, "
            "months ('first five months', 'January-May'), days ('March 1-10') or years ('2015-2019') when "
            "period_note narrows or widens it; part when the note names no span of the calendar (a shopping "
            "festival, 'end of period'), and the days are empty.",
            nullable=True,
            allowed=("year", "month", "day", "quarter", "half", "months", "days", "years", "part"),
        ),
        Field("period_start", "string", "First day of the span (ISO 8601).", nullable=True, pattern=ISO_DATE),
        Field("period_end", "string", "Last day of the span (ISO 8601).", nullable=True, pattern=ISO_DATE),
        Field(
            "period_note",
            "string",
            "The part of the period a figure covers when not all of it (reported_figures.period_note).",
            nullable=True,
        ),
        Field(
            "states",
            "string",
            "level, or change (the value is an increase or decrease by that much).",
            allowed=("level", "change"),
        ),
        Field(
            "value",
            "float64",
            "The value in unit: a news figure in base units (CNY, zones, percent), a cell in its column's printed "
            "unit (e.g. 100 million CNY); empty for a cell the table leaves empty.",
            nullable=True,
        ),
        Field("value_high", "float64", "The high bound of a range; value is its low bound.", nullable=True),
        Field("unit", "string", "The unit of value.", non_empty=True),
        Field("printed", "string", "The value as printed."),
        Field("qualifier", "string", "Hedge printed before a figure: about, nearly, more than, ...", nullable=True),
        Field(
            "value_cny",
            "float64",
            "The value in CNY: a money unit's multiplier applied ('100 million CNY'), and a USD value converted at "
            "the period's annual average rate; empty for other units, and for USD without a rate for the year.",
            unit="CNY",
            nullable=True,
        ),
        Field("value_usd", "float64", "The value in USD, likewise.", unit="USD", nullable=True),
        Field(
            "cny_per_usd",
            "float64",
            "The rate used (exchange_rates for the period's year); empty when the year has no rate.",
            unit="CNY per USD",
            nullable=True,
        ),
        Field("rate_source", "string", "Where cny_per_usd comes from: the reference table and year.", nullable=True),
        Field(
            "uncertainty",
            "string",
            "Why a figure's reading is uncertain (reported_figures.uncertainty).",
            nullable=True,
        ),
        Field(
            "status",
            "string",
            "contradicted (a finding about it says contradiction, stale or mismatch), flagged (a finding to read: a "
            "series jump, an uncertain reading), consistent (checked, and consistent), unchecked (no cross-check "
            "judges it; 'different measures' judges neither figure).",
            allowed=OBSERVATION_STATUSES,
        ),
        Field("finding_ids", "list<string>", "The findings about it (findings.finding_id), sorted."),
        Field(
            "context",
            "string",
            "Where it stands: a figure's sentence; for a cell 'header | row key | cell as printed'; for a reference "
            "count the batch and column.",
            non_empty=True,
        ),
        LINE,
        replace(CHAR_START, nullable=True),
        replace(CHAR_END, nullable=True),
        PARSE_RULE,
    ),
    primary_key=("observation_id",),
    references=(TO_SOURCES,),
)

FINDING_OBSERVATIONS = Dataset(
    name="finding_observations",
    title="Which findings are about which observations",
    description=(
        "One row per finding and observation it is about (findings.observation_ids, one per row): the link "
        "table to join findings and observations in SQL."
    ),
    layer="curated",
    published=True,
    fields=(
        Field("finding_id", "string", "The finding (findings.finding_id).", pattern=ID_PATTERN),
        Field(
            "observation_id", "string", "An observation it is about (observations.observation_id).", pattern=ID_PATTERN
        ),
        Field("position", "int64", "0 for the observation checked, 1... for those it was checked against.", minimum=0),
    ),
    primary_key=("finding_id", "observation_id"),
    references=(
        ("finding_id", ("findings", "finding_id")),
        ("observation_id", ("observations", "observation_id")),
    ),
)

DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        INDICATOR_TABLE_CELLS,
        ZONE_TABLE_LINES,
        ANNUAL_INDICATORS,
        PILOT_ZONES,
        PILOT_ZONE_BATCHES,
        REPORTED_FIGURES,
        ZONE_MENTIONS,
        INDICATOR_VALUES,
        FINDINGS,
        CORRECTIONS,
        OBSERVATIONS,
        FINDING_OBSERVATIONS,
        EXCHANGE_RATES,
        SOURCES_DATASET,
    )
}
PUBLISHED = [d for d in DATASETS.values() if d.published]
LOGGING_CORRECTIONS = [d for d in DATASETS.values() if d.logs_corrections]
