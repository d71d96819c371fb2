"""Parsing a pilot-zone table printed as a PDF appendix: a header line (e.g. "Region Extent Main
Objectives"), then one row per zone whose first line holds the region name and its extent (or the
region on one line and the extent on the next), followed by the objectives text wrapped over many lines.

The output keeps every printed line of the table: one row per line with the zone row it belongs to, the
field (``region``, ``extent`` or ``objectives``), the text and its span. Joining the wrapped text and
normalising names is the cleaning step's job.
"""

from __future__ import annotations

import re
from typing import cast

import pandas as pd

from pipeline.corrections import Correction
from pipeline.errors import SourceError
from pipeline.metadata.tables import ZoneTableConfig
from pipeline.parse.furniture import drop_running_headers, is_page_number, page_furniture_correction
from pipeline.parse.lines import Line, split_lines

RULE = "zone_table/v1"
REGION = r"[A-Za-z][A-Za-z'’.-]*(?: [A-Za-z][A-Za-z'’.-]*){0,2}"

# What starts something after the table: "Table 3", "Source: ...", "Notes", "References", "11. Conclusion".
TABLE_END = re.compile(
    r"(?:Table|Figure|Source|Sources|Note|Notes|References|Appendix|Acknowledg\w+)\b|\d+(?:\.\d+)*\.?\s+[A-Z][a-z]"
)

LINE_COLUMNS = ["source_id", "zone_row", "field", "line", "char_start", "char_end", "text"]


def _normalise(text: str) -> str:
    return " ".join(text.split())


def parse_zone_table(
    text: str, config: ZoneTableConfig, *, source_id: str, path: str
) -> tuple[pd.DataFrame, list[Correction]]:
    """Parse the zone table in ``text`` into one row per printed line (columns :data:`LINE_COLUMNS`).

    Raises :class:`SourceError` when the header is missing, when text stands between the header and
    the first zone, or when a zone has no objectives.
    """
    lines, corrections = drop_running_headers(split_lines(text), config.page_furniture, source_id)
    header = _normalise(config.header)
    starts = [i for i, line in enumerate(lines) if _normalise(line.text) == header]
    if not starts:
        raise SourceError(
            path,
            f"no zone table found: no line reads {config.header!r}.",
            action="Check the table's `header` in raw/sources.yaml.",
        )
    extents = "|".join(re.escape(e) for e in config.extents)
    same_line = re.compile(rf"(?P<region>{REGION})\s+(?P<extent>{extents})")
    region_only = re.compile(REGION)
    extent_only = re.compile(extents)

    records: list[dict[str, object]] = []
    zone_row = -1
    index = starts[0] + 1
    while index < len(lines):
        line = lines[index]
        stripped = line.text.strip()
        if config.end_marker and stripped.startswith(config.end_marker):
            break
        if zone_row >= 0 and TABLE_END.match(stripped) and _follows_blank(lines, index):
            # a new section, table, note or source line after a blank line ends the table, unless zone
            # rows follow it: then it is a running page header ("22 Cross-border E-commerce in China"),
            # and ending here would publish a short table with every check green
            later = _later_zone_row(lines, index + 1, same_line, region_only, extent_only)
            if later is not None:
                raise SourceError(
                    path,
                    f"{stripped[:60]!r} looks like the end of the zone table, but a zone row follows on line "
                    f"{lines[later].number}; the table would be cut short here.",
                    line=line.number,
                    action="If it is a running page header or footer, declare it in the table's `page_furniture` "
                    "(a regular expression for the whole line) in raw/sources.yaml; if the table really ends, "
                    "set its `end_marker`.",
                )
            break
        if line.is_blank:
            index += 1
            continue
        if is_page_number(line):
            corrections.append(page_furniture_correction(line, source_id, "page_number_line"))
            index += 1
            continue
        offset = line.start + (len(line.text) - len(line.text.lstrip()))
        match = same_line.fullmatch(stripped)
        next_line = _next_non_blank(lines, index + 1)
        if match:
            zone_row += 1
            records.append(_record(source_id, zone_row, "region", line, offset, match, "region"))
            records.append(_record(source_id, zone_row, "extent", line, offset, match, "extent"))
        elif (
            region_only.fullmatch(stripped)
            and next_line is not None
            and extent_only.fullmatch(lines[next_line].text.strip())
        ):
            zone_row += 1
            records.append(_whole(source_id, zone_row, "region", line))
            records.append(_whole(source_id, zone_row, "extent", lines[next_line]))
            index = next_line
        elif zone_row < 0:
            raise SourceError(
                path,
                f"expected a zone row (a region followed by one of {', '.join(config.extents)}) "
                f"after the table header, found {stripped[:60]!r}.",
                line=line.number,
                action="Fix the extract, or add the extent used here to `extents` in raw/sources.yaml.",
            )
        else:
            records.append(_whole(source_id, zone_row, "objectives", line))
        index += 1

    _require_objectives(records, path)
    return pd.DataFrame.from_records(records, columns=LINE_COLUMNS), corrections


def _later_zone_row(
    lines: list[Line], start: int, same_line: re.Pattern[str], region: re.Pattern[str], extent: re.Pattern[str]
) -> int | None:
    """The index of the first line from ``start`` that has the shape of a zone row, if any."""
    for index in range(start, len(lines)):
        text = lines[index].text.strip()
        if not text:
            continue
        if same_line.fullmatch(text):
            return index
        following = _next_non_blank(lines, index + 1)
        if region.fullmatch(text) and following is not None and extent.fullmatch(lines[following].text.strip()):
            return index
    return None


def _follows_blank(lines: list[Line], index: int) -> bool:
    return index > 0 and lines[index - 1].is_blank


def _next_non_blank(lines: list[Line], index: int) -> int | None:
    while index < len(lines):
        if not lines[index].is_blank:
            return index
        index += 1
    return None


def _whole(source_id: str, zone_row: int, field: str, line: Line) -> dict[str, object]:
    stripped = line.text.strip()
    start = line.start + (len(line.text) - len(line.text.lstrip()))
    return {
        "source_id": source_id,
        "zone_row": zone_row,
        "field": field,
        "line": line.number,
        "char_start": start,
        "char_end": start + len(stripped),
        "text": stripped,
    }


def _record(
    source_id: str, zone_row: int, field: str, line: Line, offset: int, match: re.Match[str], group: str
) -> dict[str, object]:
    return {
        "source_id": source_id,
        "zone_row": zone_row,
        "field": field,
        "line": line.number,
        "char_start": offset + match.start(group),
        "char_end": offset + match.end(group),
        "text": match.group(group),
    }


def _require_objectives(records: list[dict[str, object]], path: str) -> None:
    if not records:
        raise SourceError(path, "the zone table has a header but no zone rows.")
    zone_rows: dict[int, list[dict[str, object]]] = {}
    for record in records:
        zone_rows.setdefault(cast(int, record["zone_row"]), []).append(record)
    for zone_row, rows in sorted(zone_rows.items()):
        if not any(r["field"] == "objectives" for r in rows):
            region = next(r for r in rows if r["field"] == "region")
            raise SourceError(
                path,
                f"zone {region['text']!r} (table row {zone_row + 1}) has no objectives text.",
                line=cast(int, region["line"]),
                action="Check whether the extract lost the text or two rows were merged; if a running page header "
                "or footer stands where its objectives start, declare it under the table's `page_furniture` (a "
                "regular expression for the whole line) in raw/sources.yaml.",
            )
