"""The table parsers, declared once: each parser's name, the options a registry entry may give it (the
fields of its config dataclass: name, type, default), the parsed dataset it writes and the curated
dataset it feeds. ``raw/sources.yaml`` is validated against these declarations, and the parser gets its
options as an instance of its config: adding an option is adding a field here and using it in the
parser (``pipeline/parse/<name>.py``)."""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass, field
from typing import Any

from pipeline.errors import RegistryError
from pipeline.metadata.datasets import INDICATOR_TABLE_CELLS, ZONE_TABLE_LINES, Dataset


def option(default: Any, doc: str, *, regex: bool = False) -> Any:
    """A config field: its default, what it means (the README's table of options is checked against it)
    and whether each of its texts must compile as a regular expression."""
    return field(default=default, metadata={"doc": doc, "regex": regex})


@dataclass(frozen=True)
class CellCorrection:
    """A declared correction of one printed cell: ``printed`` ``""`` is a cell missing from a short row
    (then ``corrected`` ``""`` publishes it as empty)."""

    line: int
    column: str
    printed: str
    corrected: str
    reason: str


KEY_KINDS = ("year", "region")


def header_key(text: str) -> str:
    """A printed header as matched against the dictionary: case, spacing and hyphens ignored, so
    'Network pene-' / 'tration', 'Network penetration' and 'network  pene-tration' are one header."""
    return re.sub(r"[\s\-\u2010\u2011\u2013]+", "", text).casefold()


@dataclass(frozen=True)
class IndicatorTableConfig:
    """How to find and read one numeric table in a file (from its registry entry)."""

    key: str = option(
        "year", "What the key column holds: `year`, or `region` (a province, city, zone or country name)."
    )
    key_header: str = option("Year", "The printed header of the key column; the table starts at the line holding it.")
    page_furniture: tuple[str, ...] = option(
        (),
        "Running headers or footers inside the table that are not recognised by themselves (regular expressions, "
        "whole line). Page numbers, a page number with a running title, '(continued)' captions and the header "
        "printed again are recognised without it.",
        regex=True,
    )
    null_tokens: tuple[str, ...] = option(
        (), 'Cells that mean "no value", besides the usual `-`, `—`, `n.a.`, `n/a`, `..`, `…`, `x`.'
    )
    columns: tuple[str, ...] = option(
        (),
        "Only for a header printed row-wise whose columns the dictionary cannot tell apart: the printed "
        "header of each value column, in order, its wrapped parts joined.",
    )
    cell_corrections: tuple[CellCorrection, ...] = option(
        (),
        "Damaged cells no safe rule reads: `{line, column, printed, corrected, reason}` each (`column` the printed "
        'header, or the key header for a damaged key; `printed: ""` for a cell missing from a short row). Each '
        "is logged in the corrections log.",
    )


@dataclass(frozen=True)
class ZoneTableConfig:
    """How to find one zone table in a file (from its registry entry)."""

    header: str = option("Region Extent Main Objectives", "The table's printed header line.")
    extents: tuple[str, ...] = option(("International", "National", "Region"), "The words the extent column may hold.")
    page_furniture: tuple[str, ...] = option(
        (), "Running page headers or footers inside the table (regular expressions, whole line).", regex=True
    )
    end_marker: str | None = option(None, "A line where the table stops (optional).")


@dataclass(frozen=True)
class TableParser:
    name: str
    config: type
    parsed: Dataset  # the parsed dataset its cells or lines go to
    feeds: tuple[str, ...]  # the curated datasets built from them (a registry entry may name one)


TABLE_PARSERS: dict[str, TableParser] = {
    p.name: p
    for p in (
        TableParser(
            "indicator_table", IndicatorTableConfig, INDICATOR_TABLE_CELLS, ("indicator_values", "annual_indicators")
        ),
        TableParser("zone_table", ZoneTableConfig, ZONE_TABLE_LINES, ("pilot_zones",)),
    )
}


OPTION_KINDS = {
    "str": "text",
    "str | None": "optional text",
    "tuple[str, ...]": "list of texts",
    "tuple[CellCorrection, ...]": "list of cell corrections",
}


def option_kind(annotation: Any) -> str:
    """``text``, ``optional text`` or ``list of texts``: the YAML an option takes, from its field's type
    (as written: this module's annotations are strings)."""
    if annotation not in OPTION_KINDS:
        raise TypeError(f"unsupported option type {annotation!r}; use one of {', '.join(OPTION_KINDS)}")
    return OPTION_KINDS[annotation]


def options(parser: str) -> dict[str, tuple[str, Any]]:
    """Each option of ``parser``: (kind, default)."""
    return {f.name: (option_kind(f.type), f.default) for f in dataclasses.fields(TABLE_PARSERS[parser].config)}


def options_table() -> str:
    """The README's table of every parser's options, from the declarations."""
    rows = ["| parser | option | type | default | meaning |", "|---|---|---|---|---|"]
    for name, parser in TABLE_PARSERS.items():
        for f in dataclasses.fields(parser.config):
            shown = list(f.default) if isinstance(f.default, tuple) else f.default
            default = "none" if f.default is None else json.dumps(shown)
            rows.append(f"| `{name}` | `{f.name}` | {option_kind(f.type)} | `{default}` | {f.metadata['doc']} |")
    return "\n".join(rows)


def config_from_options(parser: str, given: dict[str, Any], where: str) -> Any:
    """The parser's config from a registry entry's options; a :class:`RegistryError` naming the entry
    for an unknown option or a value of the wrong type."""
    declared = {f.name: f for f in dataclasses.fields(TABLE_PARSERS[parser].config)}
    values: dict[str, Any] = {}
    for key, value in given.items():
        if key not in declared:
            raise RegistryError(
                f"{where}: unknown option {key!r} for parser {parser!r}; its options: {', '.join(declared)}."
            )
        kind = option_kind(declared[key].type)
        if kind == "list of cell corrections":
            value = tuple(_cell_correction(item, f"{where}, {key}") for item in (value or []))
        elif kind == "list of texts":
            if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                raise RegistryError(f"{where}: table option {key!r} must be a list of texts, got {value!r}.")
            value = tuple(value)
        elif not (isinstance(value, str) or (kind == "optional text" and value is None)):
            raise RegistryError(f"{where}: table option {key!r} must be a text, got {value!r}.")
        if key == "key" and value not in KEY_KINDS:
            raise RegistryError(f"{where}: table option 'key' must be one of {', '.join(KEY_KINDS)}, got {value!r}.")
        if declared[key].metadata.get("regex"):
            for pattern in value:
                try:
                    re.compile(pattern)
                except re.error as error:
                    raise RegistryError(
                        f"{where}: {key} pattern {pattern!r} is not a regular expression ({error})."
                    ) from None
        values[key] = value
    return TABLE_PARSERS[parser].config(**values)


def _cell_correction(item: Any, where: str) -> CellCorrection:
    fields = [f.name for f in dataclasses.fields(CellCorrection)]
    if not isinstance(item, dict) or set(item) != set(fields):
        raise RegistryError(f"{where}: each cell correction needs exactly the keys {', '.join(fields)}, got {item!r}.")
    if not isinstance(item["line"], int) or item["line"] < 1:
        raise RegistryError(
            f"{where}: `line` of a cell correction is the 1-based line of the row, got {item['line']!r}."
        )
    texts = {k: item[k] for k in fields if k != "line"}
    bad = [k for k, v in texts.items() if not isinstance(v, str)]
    if bad:
        raise RegistryError(
            f"{where}: {', '.join(bad)} of a cell correction must be text (quote numbers), got {item!r}."
        )
    if not item["reason"].strip():
        raise RegistryError(f"{where}: a cell correction needs a `reason` (why the corrected value is right).")
    return CellCorrection(**item)


def table_spec(entry: dict[str, Any], where: str) -> IndicatorTableConfig:
    """An indicator table's config from a registry-style entry (its options, without dataset and parser)."""
    options = {k: v for k, v in entry.items() if k not in ("dataset", "parser")}
    return config_from_options("indicator_table", options, where)
