"""What a column is (:class:`Field`), and the columns that several datasets share, declared once by
name (PUDL's ``fields.py``): the provenance of a row (``source_id``, ``line``, ``char_start``,
``char_end``, ``parse_rule``) and of its sentence (``quote``, ``quote_char_start``, ``quote_char_end``)
mean the same in every dataset. A dataset may tighten a shared field's constraints
(``dataclasses.replace``), never rename or redescribe it; ``tests/metadata/test_fields.py`` holds
every dataset to that."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

DType = Literal["int64", "float64", "string", "list<string>", "list<quote>"]
# a list of texts (ids), and a list of quotes: {source_id, char_start, char_end, text}, each the span of a raw
# file it stands in; in pandas a Python list, in Arrow a list column (list<struct> for quotes)
LIST_DTYPES = ("list<string>", "list<quote>")


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


SOURCE_ID = Field(
    "source_id",
    "string",
    "Id of the file in raw/sources.yaml the row was read from (an extract or a reference table).",
    non_empty=True,
)
LINE = Field("line", "int64", "Line of that file (1-based) where the row's text starts.", minimum=1)
CHAR_START = Field(
    "char_start", "int64", "Start of the row's text in the decoded file (0-based character offset).", minimum=0
)
CHAR_END = Field("char_end", "int64", "End (exclusive) of the row's text in the decoded file.", minimum=0)
PARSE_RULE = Field(
    "parse_rule",
    "string",
    "Name and version of the rule that produced the row, e.g. 'zone_table/v1'.",
    non_empty=True,
)
QUOTE = Field("quote", "string", "The sentence the row stands in (whitespace normalised).", non_empty=True)
QUOTE_CHAR_START = Field("quote_char_start", "int64", "Start of the sentence in the decoded file.", minimum=0)
QUOTE_CHAR_END = Field("quote_char_end", "int64", "End (exclusive) of the sentence in the decoded file.", minimum=0)

SHARED: dict[str, Field] = {
    f.name: f for f in (SOURCE_ID, LINE, CHAR_START, CHAR_END, PARSE_RULE, QUOTE, QUOTE_CHAR_START, QUOTE_CHAR_END)
}
