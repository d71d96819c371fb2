"""Parsing a numeric appendix table printed by PDF-to-text: a key column (a year, or a region name such
as a province, city or pilot zone) and numeric columns whose headers may be wrapped over several lines,
either one blank-separated paragraph per column ("block-wise") or the words of every column on one line,
continued on the next ("row-wise").

Every non-blank line from the table's header to its last row is accounted for, as

- a line of the header,
- a row (its key and one cell per column),
- the continuation of a wrapped region name ("Autonomous Region" under "Xinjiang Uygur ..."),
- page furniture: a page number, a page number with a running title, a "(continued)" caption, the
  header printed again after a page break, or a line matching a declared ``page_furniture`` pattern,

or it is an error naming the line. A table ends at a ``Source:`` or ``Note:`` line, or at the first line
that is not a row with no row after it; it never ends early without saying so: a line that is no row but
has rows after it is an error, not an end.

Cells damaged by OCR are corrected only where the reading is unique (letters O, l, I for the digits 0 and
1) and the corrected number stands among its column's other values; a key year only where its neighbours
prove it. Every correction, like every dropped furniture line, is logged. A declared ``cell_corrections``
entry fixes what no safe rule can (the error for such a cell says how to declare it).
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from itertools import combinations, pairwise, product

from pipeline.corrections import Correction
from pipeline.errors import SourceError
from pipeline.metadata.tables import CellCorrection, IndicatorTableConfig, header_key
from pipeline.parse.furniture import PAGE_NUMBER, page_furniture_correction
from pipeline.parse.lines import Line, split_lines

RULE = "indicator_table/v2"

YEAR = re.compile(r"(?:1[89]|2[01])\d\d")
# a year with letters read for digits (O/o for 0, l/I for 1, B for 8 or 3, S for 5 or 8)
DAMAGED_YEAR = re.compile(r"(?=.*[OoIlSB])[12OoIl][0-9OoIlSB]{3}")
# a number as printed: sign, thousands commas, decimals; letters that OCR reads for digits are allowed
# here and judged later; a footnote marker may follow ('12*', '305a', '15.0b', '4.2 1)' is not one)
_DIGITISH = r"[0-9OoIlSB]"
CELL = re.compile(
    rf"(?P<number>[-\u2212\u2013]?(?:{_DIGITISH}{{1,3}}(?:,{_DIGITISH}{{3}})+|{_DIGITISH}+)(?:\.{_DIGITISH}+)?)"
    r"(?P<marker>\*{1,3}|[a-e]|[\u2020\u2021]|\d\))?"
)
CLEAN_NUMBER = re.compile(r"[-\u2212\u2013]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
SAFE_LETTERS = {"O": "0", "o": "0", "l": "1", "I": "1"}
NULLS = frozenset({"-", "\u2014", "\u2013", "--", "n.a.", "n.a", "na", "n/a", "..", "\u2026", "x"})
CONTINUED = re.compile(r"(?:table\s+\S+\s*)?\(?\s*continued\s*\)?\.?", re.IGNORECASE)
TABLE_END = re.compile(r"(?:sources?|notes?)\s*:", re.IGNORECASE)
SOURCE_LINE = re.compile(r"sources?\s*:", re.IGNORECASE)
# a total or a remainder row: not a region of its own, not to be summed with the regions
TOTAL_KEY = re.compile(
    r"(?:national\s+|grand\s+)?total(?:\s+\w+)?|sub-?total|all(?:\s+other)?\s+\w+|others?(?:\s+.+)?"
    r"|rest\s+of\s+.+|nationwide|remainder",
    re.IGNORECASE,
)
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
MAX_HEADER_LINES = 40


def join_header_fragments(fragments: Sequence[str], spellings: Collection[str] = ()) -> str:
    """Rebuild a header wrapped over lines: a fragment ending in a hyphen is joined to the next without a
    space; the hyphen is dropped where it splits a word ('pene-' + 'tration') and kept where the word
    is hyphenated ('e-' + 'commerce', 'cross-' + 'border', 'Year-on-' + 'year'): kept after one letter,
    before a capital, or where the part before it is a known hyphen prefix. Where the dictionary spells
    the header (``spellings``, casefolded) with the other choice at a line break ('Daily-use goods'),
    its spelling wins."""
    parts = [" ".join(f.split()) for f in fragments if f.split()]
    breaks = [i for i, part in enumerate(parts[:-1]) if part.endswith("-")]
    default = [_keeps_hyphen(" ".join(parts[: i + 1]), parts[i + 1]) for i in breaks]
    text = _joined(parts, dict(zip(breaks, default, strict=True)))
    if spellings and breaks and len(breaks) <= 4 and text.casefold() not in spellings:
        for choice in product((True, False), repeat=len(breaks)):
            other = _joined(parts, dict(zip(breaks, choice, strict=True)))
            if other.casefold() in spellings:
                return other
    return text


def _joined(parts: Sequence[str], keep: dict[int, bool]) -> str:
    text = ""
    for i, part in enumerate(parts):
        if not text:
            text = part
        elif text.endswith("-"):
            text = text + part if keep.get(i - 1, True) else text[:-1] + part
        else:
            text += " " + part
    return text


_HYPHEN_PREFIXES = {"e", "cross", "third", "year", "non", "self", "b2b", "b2c", "post", "pre", "sub"}


def _keeps_hyphen(before: str, after: str) -> bool:
    whole = re.split(r"[\s(]", before[:-1])[-1]
    word = whole.split("-")[-1].casefold()
    return (
        ("-" in whole and word in {"on", "to", "of", "by", "in", "and"})  # 'Year-on-' + 'year'
        or word in _HYPHEN_PREFIXES
        or len(word) == 1
        or after[:1].isupper()
        or after[:1].isdigit()
    )


@dataclass
class ParsedCell:
    column_index: int
    printed: str
    value: float | None
    footnote: str | None
    char_start: int
    char_end: int
    ocr_read: bool = False


@dataclass
class ParsedRow:
    line: Line
    key_printed: str
    key: str
    year: int | None
    is_total: bool
    cells: list[ParsedCell]
    key_start: int
    key_end: int
    extra_lines: list[int] = field(default_factory=list)


@dataclass
class ParsedTable:
    """One table: where it stands, its columns, its rows and how every line of it was used."""

    key_kind: str
    header_start_line: int
    last_row_line: int
    headers: list[str]
    header_lines: list[list[int]]
    rows: list[ParsedRow]
    stated_source: str | None
    furniture_lines: list[int]
    continuation_lines: list[int]
    end_line: int  # the line after which the next table of the file is looked for
    corrections: list[Correction]
    problems: list[tuple[int, str]]
    path: str

    def raise_problems(self) -> None:
        """A :class:`SourceError` naming every line of the table that is an error, if there is one."""
        _Problems(self.path, list(self.problems)).raise_if_any(CORRECTION_ACTION)

    @property
    def lines_used(self) -> set[int]:
        used = {n for lines in self.header_lines for n in lines} | {self.header_start_line}
        used |= {r.line.number for r in self.rows} | set(self.furniture_lines) | set(self.continuation_lines)
        return used


@dataclass
class _Problems:
    """Errors of one table, collected so that one message names them all."""

    path: str
    items: list[tuple[int, str]] = field(default_factory=list)

    def add(self, line: int, message: str) -> None:
        self.items.append((line, message))

    def raise_if_any(self, action: str) -> None:
        if not self.items:
            return
        items = sorted(self.items, key=lambda item: item[0])
        if len(items) == 1:
            message = f"{items[0][1]}."
        else:
            message = f"{len(items)} problems in the table: " + "; ".join(f"line {n}: {m}" for n, m in items) + "."
        raise SourceError(self.path, message, line=items[0][0], action=action)


CORRECTION_ACTION = (
    "For a damaged cell, declare it under `cell_corrections` in the table's registry entry "
    "({line: N, column: '<printed header>', printed: '<as printed>', corrected: '<the value>', reason: '...'}); "
    "for a line of running header or footer, add a pattern for it under `page_furniture`; never edit the extract."
)


def _value_tokens(line: Line) -> list[tuple[str, int, int]]:
    return [(m.group(0), line.start + m.start(), line.start + m.end()) for m in re.finditer(r"\S+", line.text)]


def _is_cell_token(token: str, nulls: Collection[str]) -> bool:
    return token.casefold() in nulls or (bool(CELL.fullmatch(token)) and any(c.isdigit() for c in token))


def _split_row(line: Line, key_kind: str, nulls: Collection[str]) -> tuple[list, list] | None:
    """(key tokens, cell tokens) of a line that may be a row, or ``None``: a year row starts with a year
    (or a damaged one); a region row is words followed by cells."""
    tokens = _value_tokens(line)
    if len(tokens) < 2:
        return None
    if key_kind == "year":
        first = tokens[0][0]
        if not (YEAR.fullmatch(first) or DAMAGED_YEAR.fullmatch(first)):
            return None
        cells = tokens[1:]
        if not all(_is_cell_token(t, nulls) for t, _, _ in cells):
            return None
        return tokens[:1], cells
    split = len(tokens)
    while split > 0 and _is_cell_token(tokens[split - 1][0], nulls):
        split -= 1
    if split == 0 or split == len(tokens):
        return None
    key = tokens[:split]
    if not any(c.isalpha() for t, _, _ in key for c in t):
        return None
    return key, tokens[split:]


def _row_shaped(split: tuple[list, list], key_kind: str) -> bool:
    """A line shaped like a row of the table with cells lost or added, even after the last row: a year and
    nothing but cells, or a short name (at most four words) and at least two cells. Prose after a table
    ends in words, or holds one number."""
    key, cells = split
    return key_kind == "year" or (len(key) <= 4 and len(cells) >= 2)


def _loose_year_row(line: Line, key_kind: str, width: int, nulls: Collection[str]) -> tuple[list, list] | None:
    """A line that starts with a year but holds tokens that are no cells ('2003 12,34 19.5'): a damaged row
    or prose; the caller decides by how many of its tokens are cells."""
    tokens = _value_tokens(line)
    if (
        key_kind != "year"
        or len(tokens) < 2
        or not (YEAR.fullmatch(tokens[0][0]) or DAMAGED_YEAR.fullmatch(tokens[0][0]))
    ):
        return None
    return tokens[:1], tokens[1:]


def _mostly_cells(tokens: list, nulls: Collection[str]) -> bool:
    """At least half the tokens are cells, or none is a word (placeholders such as 'n/a', '?')."""
    cells = sum(_is_cell_token(t, nulls) for t, _, _ in tokens)
    words = [t for t, _, _ in tokens if sum(c.isalpha() for c in t) >= 2 and t.casefold() not in nulls]
    return 2 * cells >= len(tokens) or not words


def _is_page_line(text: str) -> bool:
    """A page number alone, or with a running title before or after it ('22 Cross-border E-commerce in
    China', 'Rural E-commerce Report 2022 19'): no other number than the page's and maybe a year."""
    text = text.strip()
    if PAGE_NUMBER.fullmatch(text):
        return True
    match = re.fullmatch(r"(\d{1,4})\s+(\D.*)|(.*\S)\s+(\d{1,4})", text)
    if not match:
        return False
    title = match.group(2) or match.group(3)
    words = re.findall(r"[A-Za-z\u3400-\u9fff]{2,}", title)
    others = [n for n in re.findall(r"\d+(?:\.\d+)?", title) if not YEAR.fullmatch(n)]
    return len(words) >= 2 and not others and not re.search(r"[.,;:!?]\s*$", title.strip())


def parse_tables(
    text: str,
    specs: Sequence[IndicatorTableConfig],
    *,
    path: str,
    source_id: str,
    known_headers: Collection[str] = (),
    region_names: dict[str, str] | None = None,
) -> list[ParsedTable]:
    """Every table of ``specs`` in ``text``, in order: each is looked for after the previous one."""
    lines = split_lines(text)
    tables: list[ParsedTable] = []
    after = 0
    for number, spec in enumerate(specs, start=1):
        table = parse_table(
            lines,
            spec,
            path=path,
            source_id=source_id,
            start=after,
            known_headers=known_headers,
            region_names=region_names or {},
            number=number,
        )
        tables.append(table)
        after = table.end_line
    return tables


def parse_table(
    lines: list[Line],
    spec: IndicatorTableConfig,
    *,
    path: str,
    source_id: str,
    start: int = 0,
    known_headers: Collection[str] = (),
    region_names: dict[str, str] | None = None,
    number: int = 1,
) -> ParsedTable:
    nulls = NULLS | {t.casefold() for t in spec.null_tokens}
    furniture_patterns = [re.compile(p) for p in spec.page_furniture]
    where = f"table {number} (key header {spec.key_header!r})"
    header_index = _find_header(lines, spec, start, nulls)
    if header_index is None:
        raise SourceError(
            path,
            "no indicator table found: no line"
            + (f" after line {start}" if start else "")
            + f" starts with the key header {spec.key_header!r} followed by rows keyed by a {spec.key} "
            f"(table {number} of this file in raw/sources.yaml).",
            action="Check the table's `key_header` and `key` in raw/sources.yaml.",
        )
    corrections: list[Correction] = []
    problems = _Problems(path)
    first_row = _first_row_index(lines, header_index + 1, spec.key, nulls)
    width = _column_count(lines, first_row, spec.key, nulls)
    furniture_in_header: list[int] = []
    after_break: list[Line] = []
    header_texts, header_lines = _read_header(
        lines,
        header_index,
        first_row,
        spec,
        width,
        known_headers,
        furniture_in_header,
        corrections,
        source_id,
        path,
        after_break,
    )
    header_words = _header_vocabulary(header_texts, spec.key_header)
    # after_break is the run of lines that ends right before the first row
    for position in range(first_row - len(after_break), first_row):
        line = lines[position]
        if line.is_blank:
            continue
        kind = _furniture_kind(line.text.strip(), furniture_patterns, header_words)
        if kind is None and _next_to_page_number(lines, position):
            kind = "running_title_by_page_number"
        if kind is None:
            problems.add(
                line.number, f"{line.text.strip()[:70]!r} between the header and the first row is no page furniture"
            )
            continue
        corrections.append(page_furniture_correction(line, source_id, kind))
        furniture_in_header.append(line.number)
    declared = {(c.line, header_key(c.column)): c for c in spec.cell_corrections}
    unknown_columns = {header_key(c.column) for c in spec.cell_corrections} - {
        header_key(h) for h in (*header_texts, spec.key_header)
    }
    if unknown_columns:
        bad = next(c for c in spec.cell_corrections if header_key(c.column) in unknown_columns)
        raise SourceError(
            path,
            f"{where}: the declared cell correction of line {bad.line} names the column {bad.column!r}, which the "
            f"table does not have; its columns: {'; '.join(header_texts)}.",
            line=bad.line,
            action="Spell the column as its printed header in `cell_corrections`.",
        )

    rows: list[ParsedRow] = []
    furniture = list(furniture_in_header)
    continuation: list[int] = []
    stated_source = None
    end_line = lines[-1].number if lines else 0
    index = first_row
    while index < len(lines):
        line = lines[index]
        index += 1
        if line.is_blank:
            continue
        stripped = line.text.strip()
        if TABLE_END.match(stripped):
            if SOURCE_LINE.match(stripped):
                stated_source = stripped
            end_line = line.number
            break
        split = _split_row(line, spec.key, nulls)
        # a line that starts with a year and holds a token that is no cell ('2003 12,34 ...') is a damaged
        # row when most of its tokens are cells or rows follow it, else prose
        loose = _loose_year_row(line, spec.key, width, nulls) if split is None else None
        if split is not None and (len(split[1]) == width or _declared_short(declared, line.number)):
            as_row = split
        elif (
            loose is not None
            and len(loose[1]) == width
            and (_mostly_cells(loose[1], nulls) or _rows_follow(lines, index, spec.key, width, nulls))
        ):
            as_row = loose
        else:
            as_row = None
        if as_row is not None:
            row = _read_row(
                line,
                as_row,
                spec,
                header_texts,
                width,
                declared,
                nulls,
                problems,
                corrections,
                source_id,
                region_names or {},
            )
            if row is not None:
                rows.append(row)
            continue
        if loose is not None and _mostly_cells(loose[1], nulls) and _rows_follow(lines, index, spec.key, width, nulls):
            split = loose
        kind = _furniture_kind(stripped, furniture_patterns, header_words, split)
        if kind is None and spec.key == "region" and rows and _is_name_continuation(stripped, nulls):
            joined = _region_key(rows[-1].key_printed + " " + stripped, region_names or {})
            adjacent = line.number == (rows[-1].extra_lines or [rows[-1].line.number])[-1] + 1
            sentence = stripped[-1:] in ".;:!?" or not stripped[:1].isupper()
            if joined.casefold() in (region_names or {}) or (adjacent and not sentence):
                row = rows[-1]
                row.key_printed += " " + stripped
                row.key = joined
                row.is_total = bool(TOTAL_KEY.fullmatch(row.key))
                row.extra_lines.append(line.number)
                continuation.append(line.number)
                continue
        if (
            kind is None
            and split is None
            and _next_to_page_number(lines, index - 1)
            and not _looks_like_key(stripped, spec.key, region_names or {})
        ):
            kind = "running_title_by_page_number"
        if kind is not None:
            corrections.append(page_furniture_correction(line, source_id, kind))
            furniture.append(line.number)
            continue
        if split is not None and (_rows_follow(lines, index, spec.key, width, nulls) or _row_shaped(split, spec.key)):
            problems.add(
                line.number,
                f"row {' '.join(t for t, _, _ in split[0])} has {len(split[1])} values but the header has {width} "
                f"columns ({'; '.join(header_texts)}): a cell lost or split in extraction",
            )
            continue
        if _rows_follow(lines, index, spec.key, width, nulls):
            hint = (
                f"if it is a running header or footer, add a `page_furniture` pattern such as "
                f"{'^' + re.escape(stripped) + '$'!r}"
            )
            if spec.key == "year" and (YEAR.fullmatch(stripped) or DAMAGED_YEAR.fullmatch(stripped)):
                hint = "a row whose values were lost in extraction"
            problems.add(
                line.number,
                f"a line inside the indicator table is neither a row nor page furniture: {stripped[:70]!r}; "
                f"rows of the table follow it ({hint})",
            )
            continue
        end_line = line.number - 1
        break
    if spec.key == "year":
        _correct_damaged_years(rows, problems, corrections, source_id, spec.key_header)
    _check_keys(rows, spec.key, problems)
    _check_ocr_readings(rows, header_texts, problems)
    if not rows:
        raise SourceError(
            path, f"{where}: the table has a header but no readable row.", line=lines[header_index].number
        )
    last_row = max(r.line.number for r in rows)
    if end_line < last_row:
        end_line = last_row
    furniture = [n for n in furniture if n <= last_row]
    corrections = [c for c in corrections if c.field != "page" or c.line <= last_row]
    return ParsedTable(
        key_kind=spec.key,
        header_start_line=lines[header_index].number,
        last_row_line=last_row,
        headers=header_texts,
        header_lines=header_lines,
        rows=rows,
        stated_source=stated_source,
        furniture_lines=sorted(furniture),
        continuation_lines=continuation,
        end_line=end_line,
        corrections=corrections,
        problems=sorted(problems.items, key=lambda item: item[0]),
        path=path,
    )


def _declared_short(declared: dict, line: int) -> bool:
    return any(n == line and c.printed == "" for (n, _), c in declared.items())


def _starts_with(text: str, key_header: str) -> bool:
    words = [w.casefold() for w in key_header.split()]
    return [w.casefold() for w in text.split()[: len(words)]] == words


def _find_header(lines: list[Line], spec: IndicatorTableConfig, start: int, nulls: Collection[str]) -> int | None:
    key_words = spec.key_header.split()
    for index, line in enumerate(lines):
        if line.number <= start:
            continue
        words = line.text.split()
        if [w.casefold() for w in words[: len(key_words)]] != [w.casefold() for w in key_words]:
            continue
        if _split_row(line, spec.key, nulls) is not None and spec.key == "region":
            continue
        first = _first_row_index(lines, index + 1, spec.key, nulls)
        if first < len(lines) and first - index <= MAX_HEADER_LINES:
            return index
    return None


def _first_row_index(lines: list[Line], index: int, key_kind: str, nulls: Collection[str]) -> int:
    while index < len(lines):
        split = _split_row(lines[index], key_kind, nulls)
        # a header line such as '2021 (%)' starts with a year but holds no cell
        if (
            split is not None
            and not _is_page_line(lines[index].text)
            and (key_kind != "year" or any(CELL.fullmatch(t) for t, _, _ in split[1]))
        ):
            return index
        index += 1
    return index


def _column_count(lines: list[Line], first: int, key_kind: str, nulls: Collection[str]) -> int:
    """The number of value columns: the most common cell count of the rows that follow the header."""
    counts: dict[int, int] = {}
    seen = 0
    for line in lines[first:]:
        if line.is_blank:
            continue
        if TABLE_END.match(line.text.strip()):
            break
        split = _split_row(line, key_kind, nulls)
        if split is None:
            continue
        counts[len(split[1])] = counts.get(len(split[1]), 0) + 1
        seen += 1
        if seen >= 60:
            break
    return max(counts, key=lambda n: (counts[n], n)) if counts else 0


def _read_header(
    lines: list[Line],
    start: int,
    first_row: int,
    spec: IndicatorTableConfig,
    width: int,
    known_headers: Collection[str],
    furniture: list[int],
    corrections: list[Correction],
    source_id: str,
    path: str,
    after_break: list[Line],
) -> tuple[list[str], list[list[int]]]:
    """The headers of the ``width`` value columns and the lines each was printed on; lines after a page
    break inside the header go to ``after_break``."""
    paragraphs: list[list[tuple[int, str]]] = [[]]
    key_words = len(spec.key_header.split())
    for index in range(start, first_row):
        line = lines[index]
        if line.is_blank:
            if paragraphs[-1]:
                paragraphs.append([])
            continue
        text = line.text.strip()
        if index == start:
            text = " ".join(text.split()[key_words:])
            if not text:
                continue
        elif _is_page_line(text):
            # a page break between the header and the first row: what follows is the next page's
            # furniture (a running title, the header printed again), classified by the caller
            corrections.append(page_furniture_correction(line, source_id, "page_number_line"))
            furniture.append(line.number)
            rest = lines[index + 1 : first_row]
            if any(_starts_with(r.text, spec.key_header) for r in rest):  # the header printed again
                after_break.extend(rest)
                break
            continue
        paragraphs[-1].append((line.number, text))
    paragraphs = [p for p in paragraphs if p]
    where = f"the header of the table on line {lines[start].number}"
    if spec.columns:
        return _declared_columns(paragraphs, spec.columns, width, where, path)
    known = {header_key(h) for h in known_headers}
    spellings = {" ".join(h.split()).casefold() for h in known_headers}
    block_wise = (
        [join_header_fragments([t for _, t in p], spellings) for p in paragraphs],
        [[n for n, _ in p] for p in paragraphs],
    )
    if len(paragraphs) == width and all(header_key(h) in known for h in block_wise[0]):
        return block_wise
    # row-wise: every printed line holds words of several columns
    printed = [item for p in paragraphs for item in p]
    found = _segment_row_wise(
        printed, width, lambda h: header_key(h) in known, lambda h: _is_prefix(h, known), spellings
    )
    if len(found) == 1:
        return found[0]
    if len(paragraphs) == width:  # block-wise with headers the dictionary does not know (reported when mapped)
        return block_wise
    if len(printed) == 1 and len(printed[0][1].split()) == width:
        number, text = printed[0]
        return text.split(), [[number] for _ in range(width)]
    shown = " / ".join(t for _, t in printed)
    reason = "several ways" if found else "no way"
    raise SourceError(
        path,
        f"{where} is printed row-wise ({shown!r}) and there is {reason} to cut it into its {width} columns with "
        "the headers of the indicator dictionary.",
        line=lines[start].number,
        action="List the printed headers of the value columns, in order, under `columns` in the table's registry "
        "entry, and add a row for each new one to raw/reference/indicator_headers.csv.",
    )


def _is_prefix(partial: str, known: set[str]) -> bool:
    key = header_key(partial)
    return any(k.startswith(key) for k in known)


def _segment_row_wise(
    printed: list[tuple[int, str]], width: int, complete, prefix, spellings: Collection[str] = ()
) -> list[tuple[list[str], list[list[int]]]]:
    """Every way of cutting row-wise header lines into ``width`` columns such that every column's text is a
    known header: the first line holds a part of each column, each later line parts of some of them, in
    order. At most two ways are returned (one is the answer, two mean ambiguous)."""
    if not printed or width <= 0:
        return []
    results: list[tuple[list[str], list[list[int]]]] = []

    def groups(words: list[str], k: int):
        for cuts in combinations(range(1, len(words)), k - 1):
            bounds = (0, *cuts, len(words))
            yield [" ".join(words[a:b]) for a, b in pairwise(bounds)]

    def extend(line_index: int, texts: list[list[str]], numbers: list[list[int]]) -> None:
        if len(results) >= 2:
            return
        if line_index == len(printed):
            joined = [join_header_fragments(t, spellings) for t in texts]
            if all(complete(h) for h in joined):
                results.append((joined, [list(n) for n in numbers]))
            return
        number, text = printed[line_index]
        words = text.split()
        for k in range(1, min(width, len(words)) + 1):
            for columns in combinations(range(width), k):
                for parts in groups(words, k):
                    new_texts = [list(t) for t in texts]
                    new_numbers = [list(n) for n in numbers]
                    for column, part in zip(columns, parts, strict=True):
                        new_texts[column].append(part)
                        new_numbers[column].append(number)
                    if all(prefix(join_header_fragments(new_texts[c])) for c in columns):
                        extend(line_index + 1, new_texts, new_numbers)

    number, text = printed[0]
    words = text.split()
    if len(words) < width:
        return []
    for parts in groups(words, width):
        if all(prefix(p) for p in parts):
            extend(1, [[p] for p in parts], [[number] for _ in parts])
    return results


def _declared_columns(
    paragraphs: list[list[tuple[int, str]]], columns: Sequence[str], width: int, where: str, path: str
) -> tuple[list[str], list[list[int]]]:
    if len(columns) != width:
        raise SourceError(
            path,
            f"{where}: `columns` lists {len(columns)} headers but the rows have {width} values.",
            action="List one printed header per value column under `columns`.",
        )
    printed = [item for p in paragraphs for item in p]
    wanted = {header_key(c) for c in columns}
    found = _segment_row_wise(printed, width, lambda h: header_key(h) in wanted, lambda h: _is_prefix(h, wanted))
    found = [f for f in found if [header_key(h) for h in f[0]] == [header_key(c) for c in columns]]
    if not found:
        shown = " / ".join(t for _, t in printed)
        raise SourceError(
            path,
            f"{where}: the declared `columns` ({'; '.join(columns)}) are not the printed header ({shown!r}) cut "
            "in order.",
            action="Spell each header as printed, its wrapped parts joined, in the order of the columns.",
        )
    return found[0]


def _header_vocabulary(headers: Sequence[str], key_header: str) -> set[str]:
    words = set()
    for text in (*headers, key_header):
        for word in re.split(r"[\s\-]+", text):
            word = word.strip().casefold()
            if word:
                words.add(word)
    return words


def _is_reprinted_header(text: str, words: set[str]) -> bool:
    """A line of the header printed again after a page break (its wrapping may differ: 'sales (100 mil-')."""
    parts = [p.casefold() for p in re.split(r"[\s\-]+", text) if p]
    if not parts:
        return False
    glued = "".join(sorted(words, key=len, reverse=True))
    return all(p in words or (len(p) >= 2 and p in glued) for p in parts)


def _furniture_kind(
    text: str, patterns: Sequence[re.Pattern], header_words: set[str], split: tuple[list, list] | None = None
) -> str | None:
    """What kind of page furniture a line that is no row of the table is, or ``None``. A line that could be
    a row with lost cells ('Rural E-commerce Report 2022 19' in a region table) is furniture only when its
    numbers are a page number and years of a title."""
    if any(p.fullmatch(text) for p in patterns):
        return "running_header"
    if PAGE_NUMBER.fullmatch(text):
        return "page_number_line"
    if _is_page_line(text) and (split is None or all(YEAR.fullmatch(t) for t, _, _ in split[1][:-1])):
        return "page_header_line"
    if CONTINUED.fullmatch(text):
        return "continued_caption"
    if _is_reprinted_header(text, header_words):
        return "repeated_header"
    return None


def _next_to_page_number(lines: list[Line], index: int) -> bool:
    """Whether the non-blank line before or after ``lines[index]`` is a page number (alone or with a title):
    a running title printed beside the page number ('Page 27 of 40' / 'E-commerce Statistics Yearbook')."""
    for step in (-1, 1):
        j = index + step
        while 0 <= j < len(lines) and lines[j].is_blank:
            j += step
        if 0 <= j < len(lines) and (PAGE_NUMBER.fullmatch(lines[j].text.strip()) or _is_page_line(lines[j].text)):
            return True
    return False


def _looks_like_key(text: str, key_kind: str, region_names: dict[str, str]) -> bool:
    """A line that may be a row's key whose cells were lost: a year, or a known region name."""
    if key_kind == "year":
        return bool(YEAR.fullmatch(text) or DAMAGED_YEAR.fullmatch(text))
    return _region_key(text, region_names).casefold() in region_names


def _is_name_continuation(text: str, nulls: Collection[str]) -> bool:
    """The second line of a wrapped region name: words only, no cell."""
    tokens = text.split()
    return (
        bool(tokens)
        and not any(_is_cell_token(t, nulls) for t in tokens)
        and all(any(c.isalpha() for c in t) for t in tokens)
        and len(tokens) <= 4
    )


def _rows_follow(lines: list[Line], index: int, key_kind: str, width: int, nulls: Collection[str]) -> bool:
    """Whether a row of the table comes after ``index`` before the table's end (a Source/Note line)."""
    for line in lines[index : index + 40]:
        if line.is_blank:
            continue
        if TABLE_END.match(line.text.strip()):
            return False
        split = _split_row(line, key_kind, nulls)
        if split is not None and len(split[1]) == width and not _is_page_line(line.text):
            return True
    return False


def _region_key(printed: str, names: dict[str, str]) -> str:
    """A region as printed, normalised: a Chinese name before the English one dropped, the reference's
    short name for a long form ('Guangxi Zhuang Autonomous Region' -> 'Guangxi')."""
    text = " ".join(w for w in printed.split() if not CJK.search(w))
    text = text or printed.strip()
    return names.get(text.casefold(), text)


def _read_row(
    line: Line,
    split: tuple[list, list],
    spec: IndicatorTableConfig,
    headers: list[str],
    width: int,
    declared: dict,
    nulls: Collection[str],
    problems: _Problems,
    corrections: list[Correction],
    source_id: str,
    region_names: dict[str, str],
) -> ParsedRow | None:
    key_tokens, cell_tokens = split
    key_printed = " ".join(t for t, _, _ in key_tokens)
    key_start, key_end = key_tokens[0][1], key_tokens[-1][2]
    cells: list[ParsedCell] = []
    tokens = list(cell_tokens)
    # a short row completed by a declaration: an empty cell at the declared column
    keys = [header_key(h) for h in headers]
    for (number, column), fix in sorted(
        ((k, f) for k, f in declared.items() if k[1] in keys), key=lambda item: keys.index(item[0][1])
    ):
        if number == line.number and fix.printed == "":
            tokens.insert(keys.index(column), ("", line.end, line.end))
    if len(tokens) != width:
        problems.add(
            line.number,
            f"row {key_printed} has {len(cell_tokens)} values but the header has {width} columns "
            f"({'; '.join(headers)}): a cell lost or split in extraction",
        )
        return None
    for column_index, (token, start, end) in enumerate(tokens):
        fix = declared.get((line.number, header_key(headers[column_index])))
        cell = _read_cell(
            token, start, end, column_index, headers[column_index], fix, nulls, line, problems, corrections, source_id
        )
        if cell is not None:
            cells.append(cell)
    key = key_printed
    key_fix = declared.get((line.number, header_key(spec.key_header)))  # a damaged key, declared
    if key_fix is not None:
        if key_fix.printed != key_printed:
            problems.add(
                line.number,
                f"the declared correction of the key expects {key_fix.printed!r} but the row reads {key_printed!r}",
            )
        else:
            corrections.append(
                Correction(source_id, line.number, key_start, key_end, "key", key_printed, key_fix.corrected,
                           "declared_cell_correction")
            )  # fmt: skip
            key = key_fix.corrected
    year = None
    if spec.key == "year":
        year = int(key) if YEAR.fullmatch(key) else None
        is_total = False
    else:
        key = _region_key(key, region_names)
        is_total = bool(TOTAL_KEY.fullmatch(key))
    return ParsedRow(line, key_printed, key, year, is_total, cells, key_start, key_end)


def _read_cell(
    token: str,
    start: int,
    end: int,
    column_index: int,
    header: str,
    fix: CellCorrection | None,
    nulls: Collection[str],
    line: Line,
    problems: _Problems,
    corrections: list[Correction],
    source_id: str,
) -> ParsedCell | None:
    printed = token
    if fix is not None:
        if fix.printed != token:
            problems.add(
                line.number,
                f"the declared correction of column {header!r} expects {fix.printed!r} but the cell reads {token!r}",
            )
            return None
        corrections.append(
            _cell_correction(source_id, line, start, end, header, token, fix.corrected, "declared_cell_correction")
        )
        token = fix.corrected
        if token == "":
            return ParsedCell(column_index, printed, None, None, start, end)
    if token.casefold() in nulls:
        return ParsedCell(column_index, printed, None, None, start, end)
    match = CELL.fullmatch(token)
    if match is None:
        problems.add(line.number, f"non-numeric value {printed!r} in column {header!r} of row {line.text.split()[0]}")
        return None
    number, marker = match.group("number"), match.group("marker")
    if not CLEAN_NUMBER.fullmatch(number):
        if set(number) & {"B", "S"} or not set(number) & set(SAFE_LETTERS) or re.search(r"[A-Za-z]{2}", number):
            problems.add(
                line.number,
                f"cell {printed!r} in column {header!r} has letters for digits that cannot be read safely (B may be "
                f"8 or 3, S 5 or 8); if you know the value, declare {_declaration(line.number, header, printed)}",
            )
            return None
        fixed = "".join(SAFE_LETTERS.get(c, c) for c in number)
        corrections.append(
            _cell_correction(source_id, line, start, start + len(number), header, number, fixed, "ocr_digit_letters")
        )
        number = fixed
    value = float(number.replace(",", "").replace("\u2212", "-").replace("\u2013", "-"))
    return ParsedCell(column_index, printed, value, marker, start, end, ocr_read=number != match.group("number"))


def _declaration(line: int, column: str, printed: str) -> str:
    """The ``cell_corrections`` entry that would fix a cell, to paste into the registry."""
    return (
        f"{{line: {line}, column: {json.dumps(column)}, printed: {json.dumps(printed)}, "
        'corrected: "...", reason: "..."}'
    )


def _cell_correction(
    source_id: str, line: Line, start: int, end: int, header: str, before: str, after: str, rule: str
) -> Correction:
    return Correction(
        source_id=source_id,
        line=line.number,
        char_start=start,
        char_end=end,
        field=f"cell: {header}",
        before=before,
        after=after,
        rule=rule,
    )


def _correct_damaged_years(
    rows: list[ParsedRow], problems: _Problems, corrections: list[Correction], source_id: str, key_header: str = "Year"
) -> None:
    """A damaged key year is read only when the letters have one digit reading (O, l, I) and the
    neighbouring rows prove the year: both neighbours in the middle of the table, the run of the two
    rows before it at its end, of the two after it at its start."""
    years = [r.year for r in rows]
    for i, row in enumerate(rows):
        if row.year is not None:
            continue
        candidate = "".join(SAFE_LETTERS.get(c, c) for c in row.key_printed)
        why = None
        if not YEAR.fullmatch(candidate):
            why = "its letters have more than one digit reading (B may be 8 or 3, S 5 or 8)"
        else:
            proved = _proved_by_neighbours(int(candidate), years[max(0, i - 2) : i], years[i + 1 : i + 3])
            if not proved:
                why = f"{candidate} is not proved by the neighbouring years"
        if why:
            problems.add(
                row.line.number,
                f"the year reads {row.key_printed!r} and cannot be safely corrected: {why}; if you know the year, "
                f"declare {_declaration(row.line.number, key_header, row.key_printed)}",
            )
            continue
        corrections.append(
            Correction(
                source_id=source_id,
                line=row.line.number,
                char_start=row.key_start,
                char_end=row.key_end,
                field="key",
                before=row.key_printed,
                after=candidate,
                rule="ocr_year_by_neighbours",
            )
        )
        row.key = candidate
        row.year = int(candidate)
        years[i] = row.year
    # rows whose year could not be read are left out (their line is one error above)
    rows[:] = [r for r in rows if r.year is not None]


def _proved_by_neighbours(value: int, before: list[int | None], after: list[int | None]) -> bool:
    """Whether the years around a damaged one prove its reading: in the middle, the year before and the
    year after step by one through it; at an end, the two years beside it step by one towards it."""
    if before and after:
        if before[-1] is None or after[0] is None:
            return False
        step = value - before[-1]
        return abs(step) == 1 and after[0] - value == step
    run = after if after else before
    if len(run) < 2 or None in run:
        return False
    first, second = (run[-2], run[-1]) if not after else (run[0], run[1])
    assert first is not None and second is not None
    step = second - first
    return abs(step) == 1 and (value - second == step if not after else first - value == step)


def _check_keys(rows: list[ParsedRow], key_kind: str, problems: _Problems) -> None:
    seen: dict[str, int] = {}
    for row in rows:
        if row.key in seen:
            what = f"year {row.key}" if key_kind == "year" else f"the region {row.key!r}"
            problems.add(row.line.number, f"{what} appears twice, on lines {seen[row.key]} and {row.line.number}")
        seen.setdefault(row.key, row.line.number)


def _check_ocr_readings(rows: list[ParsedRow], headers: list[str], problems: _Problems) -> None:
    """A number read from OCR letters must stand among its column's other values (within a factor of ten
    of their range), or the reading is not safe after all."""
    for row in rows:
        for cell in row.cells:
            if not cell.ocr_read or cell.value is None:
                continue
            others = [
                abs(c.value)
                for r in rows
                for c in r.cells
                if c.column_index == cell.column_index and c.value is not None and not c.ocr_read and not r.is_total
            ]
            if len(others) < 2 or row.is_total:
                continue
            low, high = min(others), max(others)
            if not (low / 10 <= abs(cell.value) <= high * 10):
                problems.add(
                    row.line.number,
                    f"cell {cell.printed!r} in column {headers[cell.column_index]!r} would read {cell.value:g}, "
                    f"outside its column's range ({low:g} to {high:g}) by more than a factor of ten",
                )
