"""Splitting raw text into numbered lines that remember where they stand in the raw file.

Every later step refers back to these line numbers (1-based) and character offsets (0-based, into the
decoded text of the file, a UTF-8 byte-order mark counting as one character), so that a curated row can
point at the exact span it came from.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\n|\r)?")
BOM = "\ufeff"


@dataclass(frozen=True)
class Line:
    """One line of a raw file: its number, its text without line ending or trailing blanks, and the
    span ``[start, end)`` of that text in the raw file."""

    number: int
    text: str
    start: int
    end: int

    @property
    def is_blank(self) -> bool:
        return not self.text.strip()


def split_lines(text: str) -> list[Line]:
    """Split ``text`` into :class:`Line` objects, tolerating LF, CRLF and CR endings, a leading BOM
    and trailing spaces; offsets always refer to ``text`` as given."""
    lines: list[Line] = []
    pos = 0
    for number, match in enumerate(_LINE.finditer(text), start=1):
        raw = match.group(0)
        if not raw:
            break
        body = raw.rstrip("\r\n")
        start = pos
        if number == 1 and body.startswith(BOM):
            body = body[1:]
            start += 1
        stripped = body.rstrip()
        lines.append(Line(number=number, text=stripped, start=start, end=start + len(stripped)))
        pos = match.end()
    return lines


def line_numbers(text: str) -> Callable[[int], int]:
    """``line_of(offset)``: the 1-based line of a character offset (the number of ``\\n`` before it, plus
    one), in logarithmic time; counting the newlines before each of many figures was quadratic."""
    breaks = [i for i, ch in enumerate(text) if ch == "\n"] if "\n" in text else []
    return lambda offset: bisect.bisect_left(breaks, offset) + 1
