"""The declaration of every dataset the pipeline writes: columns, dtypes, descriptions, units,
constraints and primary keys, each written once.

The pandera schema, the Arrow schema (descriptions and units in the Parquet field metadata), the
Dagster ``TableSchema``, the data dictionary in the report and the release manifest are all derived
from these declarations (see :mod:`pipeline.schemas`). To add or change a column, change it here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pipeline.corrections import RULES

DType = Literal["int64", "float64", "string"]

PROVENANCE_RULE = "Name and version of the parser rule that produced the row, e.g. 'zone_table/v1'."
ISO_DATE = r"^\d{4}-\d{2}(-\d{2})?$"


@dataclass(frozen=True)
class Field:
    """One column of a dataset."""

    name: str
    dtype: DType
    description: str
    unit: str | None = None
    nullable: bool = False
    minimum: float | None = None
    maximum: float | None = None
    allowed: tuple[str, ...] | None = None
    pattern: str | None = None
    non_empty: bool = False
    raw_header: str | None = None


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
    published: bool = False

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.name} has no column {name!r}")


def _source_fields(line_kind: Literal["row", "span"]) -> tuple[Field, ...]:
    fields = [Field("source_id", "string", "Id of the raw file in raw/sources.yaml.", non_empty=True)]
    if line_kind == "row":
        fields.append(
            Field("source_line", "int64", "Line of the raw file (1-based) that holds the row.", minimum=1)
        )
    else:
        fields += [
            Field(
                "source_line_start", "int64", "First line of the raw file (1-based) of the row.", minimum=1
            ),
            Field("source_line_end", "int64", "Last line of the raw file (1-based) of the row.", minimum=1),
        ]
    fields += [
        Field(
            "source_char_start",
            "int64",
            "Start of the row's span in the decoded raw file (0-based character offset).",
            minimum=0,
        ),
        Field(
            "source_char_end",
            "int64",
            "End (exclusive) of the row's span in the decoded raw file.",
            minimum=0,
        ),
        Field("parse_rule", "string", PROVENANCE_RULE, non_empty=True),
    ]
    return tuple(fields)


INDICATOR_TABLE_CELLS = Dataset(
    name="indicator_table_cells",
    title="Indicator table cells (parsed)",
    description="One row per printed cell of every indicator table, with its rebuilt column header.",
    layer="parsed",
    fields=(
        Field("source_id", "string", "Id of the raw file in raw/sources.yaml.", non_empty=True),
        Field("column_index", "int64", "Position of the column after the key column (0-based).", minimum=0),
        Field("header", "string", "Column header as printed, its wrapped lines rejoined.", non_empty=True),
        Field("header_lines", "string", "Lines of the raw file that hold the header.", non_empty=True),
        Field("year", "int64", "Value of the key column.", unit="year"),
        Field("value_text", "string", "The cell exactly as printed.", non_empty=True),
        Field("value", "float64", "The cell as a number, in the unit of its column.", nullable=True),
        Field("line", "int64", "Line of the raw file (1-based).", minimum=1),
        Field("char_start", "int64", "Start of the cell in the decoded raw file.", minimum=0),
        Field("char_end", "int64", "End (exclusive) of the cell in the decoded raw file.", minimum=0),
        Field("row_char_start", "int64", "Start of the cell's row in the decoded raw file.", minimum=0),
        Field("row_char_end", "int64", "End (exclusive) of the cell's row.", minimum=0),
    ),
    primary_key=("source_id", "year", "column_index"),
)

ZONE_TABLE_LINES = Dataset(
    name="zone_table_lines",
    title="Zone table lines (parsed)",
    description="One row per printed line of every pilot-zone table, labelled with its zone row and field.",
    layer="parsed",
    fields=(
        Field("source_id", "string", "Id of the raw file in raw/sources.yaml.", non_empty=True),
        Field("zone_row", "int64", "Row of the zone table (0-based).", minimum=0),
        Field(
            "field", "string", "Which cell the line belongs to.", allowed=("region", "extent", "objectives")
        ),
        Field("line", "int64", "Line of the raw file (1-based).", minimum=1),
        Field("char_start", "int64", "Start of the text in the decoded raw file.", minimum=0),
        Field("char_end", "int64", "End (exclusive) of the text in the decoded raw file.", minimum=0),
        Field("text", "string", "The printed text of the line, surrounding blanks removed.", non_empty=True),
    ),
    primary_key=("source_id", "zone_row", "field", "line"),
)

ANNUAL_INDICATORS = Dataset(
    name="annual_indicators",
    title="Annual indicators of China's e-commerce",
    description=(
        "One row per year of the appendix indicator tables: national e-commerce, logistics costs, "
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
            raw_header="China Third-Partv",
        ),
        Field(
            "advertising_turnover_100m_cny",
            "float64",
            "China advertising turnover (SAIC, later SAMR).",
            unit="100 million CNY",
            nullable=True,
            minimum=0,
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
        *_source_fields("row"),
    ),
    primary_key=("year",),
    contiguous="year",
)

PILOT_ZONES = Dataset(
    name="pilot_zones",
    title="Cross-border e-commerce pilot zones",
    description=(
        "One row per pilot zone printed in a zone table, with its canonical name and province from the "
        "reference registry, the extent and objectives as printed (cleaned), and its approval batch."
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
        Field(
            "province", "string", "Province-level division of the zone (reference registry).", non_empty=True
        ),
        Field(
            "extent",
            "string",
            "Extent of the zone's objectives, as printed in the table.",
            allowed=("International", "National", "Region"),
        ),
        Field(
            "objectives",
            "string",
            "Main objectives, rejoined and cleaned (see the corrections log).",
            non_empty=True,
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
            "Date the State Council signed the batch's reply, ISO 8601; 'YYYY-MM' where only the month "
            "is known.",
            pattern=ISO_DATE,
        ),
        Field(
            "announced_on",
            "string",
            "Date the batch was made public, ISO 8601; 'YYYY-MM' where only the month is known.",
            pattern=ISO_DATE,
        ),
        *_source_fields("span"),
    ),
    primary_key=("zone_id",),
)

CORRECTIONS = Dataset(
    name="corrections",
    title="Corrections log",
    description="Every change the pipeline made to what a source prints, where and by which rule.",
    layer="curated",
    published=True,
    fields=(
        Field("source_id", "string", "Id of the raw file in raw/sources.yaml.", non_empty=True),
        Field("line", "int64", "Line of the raw file (1-based) where the change starts.", minimum=1),
        Field("char_start", "int64", "Start of the changed span in the decoded raw file.", minimum=0),
        Field("char_end", "int64", "End (exclusive) of the changed span.", minimum=0),
        Field("field", "string", "What the text belongs to (a column, a header, or 'page').", non_empty=True),
        Field("before", "string", "The text as printed ('⏎' marks a line break)."),
        Field("after", "string", "The text as curated (empty when removed)."),
        Field("rule", "string", "The cleaning rule or mapping that made the change.", allowed=RULES),
    ),
    primary_key=("source_id", "char_start", "char_end", "rule"),
)

DATASETS: dict[str, Dataset] = {
    d.name: d for d in (INDICATOR_TABLE_CELLS, ZONE_TABLE_LINES, ANNUAL_INDICATORS, PILOT_ZONES, CORRECTIONS)
}
PUBLISHED = [d for d in DATASETS.values() if d.published]
