"""Page furniture: running headers, footers and page numbers that PDF extraction leaves between the
lines of a table. Lines are only dropped when a pattern named in the registry, or the plain page-number
shape, matches the whole line; each dropped line is logged as a correction."""

from __future__ import annotations

import re
from collections.abc import Iterable

from pipeline.corrections import Correction
from pipeline.parse.lines import Line

PAGE_NUMBER = re.compile(r"(?:page\s+)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?", re.IGNORECASE)


def is_page_number(line: Line) -> bool:
    """A line that holds nothing but a page number ("17", "Page 17", "17 / 40", "Page 27 of 40")."""
    return bool(PAGE_NUMBER.fullmatch(line.text.strip()))


def drop_running_headers(
    lines: Iterable[Line], patterns: Iterable[str], source_id: str
) -> tuple[list[Line], list[Correction]]:
    """Remove lines that wholly match one of ``patterns`` (regular expressions from the registry)."""
    compiled = [re.compile(p) for p in patterns]
    kept: list[Line] = []
    corrections: list[Correction] = []
    for line in lines:
        if compiled and any(p.fullmatch(line.text.strip()) for p in compiled):
            corrections.append(page_furniture_correction(line, source_id, "running_header"))
        else:
            kept.append(line)
    return kept, corrections


def page_furniture_correction(line: Line, source_id: str, rule: str) -> Correction:
    lead = len(line.text) - len(line.text.lstrip())
    return Correction(
        source_id=source_id,
        line=line.number,
        char_start=line.start + lead,
        char_end=line.end,
        field="page",
        before=line.text.strip(),
        after="",
        rule=rule,
    )
