"""The corrections log: one record for every change the pipeline makes to what a source says.

Parsers and cleaners return their corrections next to their results instead of changing text silently;
the ``corrections`` dataset of each release is the concatenation of them all.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd

from pipeline.ids import stable_ids

LINE_BREAK = "⏎"

# Every rule that may change source text. A new rule must be added here, or validation refuses its log.
RULES = (
    "running_header",
    "page_number_line",
    "line_break_hyphen_kept",
    "line_break_hyphen_removed",
    "spaced_hyphen",
    "inline_page_number",
    "city_name_case",
    "city_name_ocr",
    "page_header_line",
    "running_title_by_page_number",
    "continued_caption",
    "repeated_header",
    "ocr_digit_letters",
    "ocr_year_by_neighbours",
    "declared_cell_correction",
)


@dataclass(frozen=True)
class Correction:
    """One change to the source text.

    ``char_start``/``char_end`` is the span of the changed text in the decoded raw file; ``before`` is
    what was printed there (line breaks shown as ``⏎``), ``after`` what the curated data says, ``rule``
    the name of the function or mapping that made the change.
    """

    source_id: str
    line: int
    char_start: int
    char_end: int
    field: str
    before: str
    after: str
    rule: str


def corrections_frame(corrections: list[Correction]) -> pd.DataFrame:
    """The corrections as a DataFrame with the columns of :class:`Correction`, in a stable order."""
    columns = list(Correction.__dataclass_fields__)
    frame = pd.DataFrame([asdict(c) for c in corrections], columns=columns)
    return frame.sort_values(["source_id", "char_start", "rule"], kind="stable").reset_index(drop=True)


def with_correction_ids(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (from :func:`corrections_frame`, in document order) with each correction's stable id: its
    source, rule, field and text before and after, and its occurrence among such corrections of the source."""
    keys = zip(frame["source_id"], frame["rule"], frame["field"], frame["before"], frame["after"], strict=True)
    return frame.assign(correction_id=stable_ids("correction", keys))
