"""Parsing an indicator table printed as a PDF appendix: a key column (usually ``Year``) and numeric
columns whose headers are wrapped over several lines, one blank-separated paragraph per column.

The output is long and untidy on purpose: one row per printed cell with the rebuilt header text, the
value as printed and as a number, its line and its character span. Mapping headers to curated columns is
the cleaning step's job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from pipeline.corrections import Correction
from pipeline.errors import SourceError
from pipeline.metadata.tables import IndicatorTableConfig
from pipeline.parse.furniture import drop_running_headers, is_page_number, page_furniture_correction
from pipeline.parse.lines import Line, split_lines

RULE = "indicator_table/v1"
NUMBER = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
KEY_YEAR = re.compile(r"(?:1[89]|2[01])\d\d")
DAMAGED_YEAR = re.compile(r"(?=.*[OoIlSB])[12OoIl][0-9OoIlSB]{3}")  # a year with letters read for digits
TOKEN = re.compile(r"\S+")
NULL_LIKE = {"n/a", "na", "nan", "null", "none", "n.a.", "tbd", "-", "--"}

CELL_COLUMNS = [
    "source_id",
    "column_index",
    "header",
    "header_lines",
    "year",
    "value_text",
    "value",
    "line",
    "char_start",
    "char_end",
    "row_char_start",
    "row_char_end",
]


@dataclass
class _Header:
    texts: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)


def join_header_fragments(fragments: list[str]) -> str:
    """Rebuild a header wrapped over lines: a fragment ending in a hyphen is joined to the next one
    without a space ("Total e-" + "commerce" -> "Total e-commerce"); others with one space."""
    text = ""
    for fragment in fragments:
        fragment = " ".join(fragment.split())
        if not text:
            text = fragment
        elif text.endswith("-"):
            text += fragment
        else:
            text += " " + fragment
    return text


def _tokens(line: Line) -> list[tuple[str, int, int]]:
    return [(m.group(0), line.start + m.start(), line.start + m.end()) for m in TOKEN.finditer(line.text)]


def _looks_like_data_row(line: Line) -> bool:
    tokens = line.text.split()
    return len(tokens) >= 2 and bool(KEY_YEAR.fullmatch(tokens[0])) and bool(NUMBER.fullmatch(tokens[1]))


def _is_page_number_line(line: Line) -> bool:
    """A page number between rows ("17", "Page 17", "17 / 40"), but never a lone year, which is a
    row whose values were lost."""
    return is_page_number(line) and not KEY_YEAR.fullmatch(line.text.strip())


def _is_row(line: Line, width: int, config: IndicatorTableConfig) -> bool:
    tokens = line.text.split()
    return (
        len(tokens) == width + 1
        and bool(KEY_YEAR.fullmatch(tokens[0]))
        and all(NUMBER.fullmatch(t) or t in config.null_tokens for t in tokens[1:])
    )


def _row_follows(lines: list[Line], index: int, width: int, config: IndicatorTableConfig) -> bool:
    """Whether the next line with content (skipping page numbers) is a clean row of the table."""
    for line in lines[index:]:
        if line.is_blank or _is_page_number_line(line):
            continue
        return _is_row(line, width, config)
    return False


def _find_header_start(lines: list[Line], key: str) -> int:
    for index, line in enumerate(lines):
        tokens = line.text.split()
        if tokens and tokens[0].casefold() == key.casefold():
            rest = lines[index + 1 :]
            if any(_looks_like_data_row(candidate) for candidate in rest):
                return index
    raise LookupError(key)


def parse_indicator_table(
    text: str, config: IndicatorTableConfig, *, source_id: str, path: str
) -> tuple[pd.DataFrame, list[Correction]]:
    """Parse the first indicator table in ``text``.

    Returns one row per cell (columns :data:`CELL_COLUMNS`) and the page furniture removed.
    Raises :class:`SourceError` naming the line for a table that cannot be read unambiguously: no
    header, a row with too few or too many values, a non-numeric cell, a repeated year.
    """
    lines, corrections = drop_running_headers(split_lines(text), config.page_furniture, source_id)
    try:
        start = _find_header_start(lines, config.key_header)
    except LookupError:
        raise SourceError(
            path,
            f"no indicator table found: no line starts with the key header {config.key_header!r} "
            "followed by rows that start with a year.",
            action="Check the table's `key_header` in raw/sources.yaml.",
        ) from None

    headers, data_start = _read_headers(lines, start, config, corrections, source_id)
    rows = _read_rows(lines, data_start, headers, config, corrections, source_id, path)
    records = []
    for line, year, cells in rows:
        for column_index, (value_text, value, cell_start, cell_end) in enumerate(cells):
            header = headers[column_index]
            records.append(
                {
                    "source_id": source_id,
                    "column_index": column_index,
                    "header": join_header_fragments(header.texts),
                    "header_lines": ",".join(str(n) for n in header.lines),
                    "year": year,
                    "value_text": value_text,
                    "value": value,
                    "line": line.number,
                    "char_start": cell_start,
                    "char_end": cell_end,
                    "row_char_start": line.start,
                    "row_char_end": line.end,
                }
            )
    frame = pd.DataFrame.from_records(records, columns=CELL_COLUMNS)
    return frame, corrections


def _read_headers(
    lines: list[Line],
    start: int,
    config: IndicatorTableConfig,
    corrections: list[Correction],
    source_id: str,
) -> tuple[list[_Header], int]:
    """Collect the blank-separated header paragraphs from the key-header line to the first data row."""
    headers: list[_Header] = []
    current = _Header()
    first = lines[start]
    rest_of_first = first.text.split(None, 1)[1] if len(first.text.split()) > 1 else ""
    if rest_of_first:
        current.texts.append(rest_of_first)
        current.lines.append(first.number)
    index = start + 1
    while index < len(lines) and not _looks_like_data_row(lines[index]):
        line = lines[index]
        if line.is_blank:
            if current.texts:
                headers.append(current)
                current = _Header()
        elif is_page_number(line):
            corrections.append(page_furniture_correction(line, source_id, "page_number_line"))
        else:
            current.texts.append(line.text.strip())
            current.lines.append(line.number)
        index += 1
    if current.texts:
        headers.append(current)
    # All column names printed on one line ("Year GDP Exports"): one header per word.
    if len(headers) == 1 and len(headers[0].lines) == 1 and index < len(lines):
        expected = len(lines[index].text.split()) - 1
        words = headers[0].texts[0].split()
        if len(words) == expected > 1:
            headers = [_Header([word], list(headers[0].lines)) for word in words]
    return headers, index


def _read_rows(
    lines: list[Line],
    index: int,
    headers: list[_Header],
    config: IndicatorTableConfig,
    corrections: list[Correction],
    source_id: str,
    path: str,
) -> list[tuple[Line, int, list[tuple[str, float | None, int, int]]]]:
    rows: list[tuple[Line, int, list[tuple[str, float | None, int, int]]]] = []
    seen: dict[int, int] = {}
    width = len(headers)
    names = [join_header_fragments(h.texts) for h in headers]
    while index < len(lines):
        line = lines[index]
        index += 1
        if line.is_blank:
            continue
        tokens = _tokens(line)
        if _is_page_number_line(line):
            corrections.append(page_furniture_correction(line, source_id, "page_number_line"))
            continue
        if not KEY_YEAR.fullmatch(tokens[0][0]):
            numbers = [NUMBER.fullmatch(tok) or tok in config.null_tokens for tok, _, _ in tokens[1:]]
            if DAMAGED_YEAR.fullmatch(tokens[0][0]) and len(numbers) == width and all(numbers):
                # a row whose year is damaged, last row or not: dropping it would shorten the table unseen
                raise SourceError(
                    path,
                    f"a row of the indicator table has {tokens[0][0]!r} where its year should be (OCR damage: "
                    "letter O for 0, l or I for 1?).",
                    line=line.number,
                    action="Correct the year in the extract and re-register it (python -m pipeline register <id>).",
                )
            if _row_follows(lines, index, width, config):
                raise SourceError(
                    path,
                    "a line inside the indicator table is neither a row nor page furniture: "
                    f"{line.text.strip()[:60]!r}; rows of the table follow it.",
                    line=line.number,
                    action="If it is a running header or footer, add a pattern for it under `page_furniture` in the "
                    "table's registry entry; otherwise fix the extract.",
                )
            break  # the first line that is not a row, with no row after it, ends the table
        cells = tokens[1:]
        numeric = [NUMBER.fullmatch(t) or t in config.null_tokens for t, _, _ in cells]
        if len(cells) != width or not all(numeric):
            # A line that starts with a year but is not a clean row: a damaged row (error), or prose
            # after the table such as '2025 + independent brand international' (the table ends).
            prose = [t for t, _, _ in cells if sum(c.isalpha() for c in t) >= 2 and t.lower() not in NULL_LIKE]
            damaged = (
                all(numeric)
                or 2 * sum(map(bool, numeric)) >= len(cells)
                or not prose  # "2003 n/a n/a": placeholders, not words
                or _row_follows(lines, index, width, config)
            )
            if not damaged:
                break
        if len(cells) != width:
            raise SourceError(
                path,
                f"row {tokens[0][0]} has {len(cells)} values but the header has {width} columns ({'; '.join(names)}).",
                line=line.number,
                action="Fix the extract (a cell lost or split in extraction?) and re-register it.",
            )
        for (token, _, _), ok, name in zip(cells, numeric, names, strict=True):
            if not ok:
                raise SourceError(
                    path,
                    f"non-numeric value {token!r} in column {name!r} of row {tokens[0][0]}.",
                    line=line.number,
                    action="Correct the cell in the extract, or list the token under `null_tokens` "
                    "in the table's registry entry if it means 'no value'.",
                )
        year = int(tokens[0][0])
        if year in seen:
            raise SourceError(
                path,
                f"year {year} appears twice, on lines {seen[year]} and {line.number}.",
                line=line.number,
                action="Remove the duplicated row from the extract and re-register it.",
            )
        seen[year] = line.number
        values = [
            (token, None if token in config.null_tokens else float(token.replace(",", "")), s, e)
            for token, s, e in cells
        ]
        rows.append((line, year, values))
    if not rows:
        raise SourceError(path, "the indicator table has a header but no data rows.")
    return rows
