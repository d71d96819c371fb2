"""Rejoining text wrapped over PDF lines, with every character still pointing at the raw file.

:class:`TracedText` is a string plus, for each character, its offset in the raw file (``-1`` for a
space the join inserted). Rules that change the text (:func:`apply_rule`) log a correction with the raw
span they touched.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from pipeline.corrections import LINE_BREAK, Correction

# Words that are written with a hyphen when they are the first part of a compound ("cross-border",
# "E-commerce", "third-party"). A line that ends in one of these plus "-" keeps the hyphen when joined;
# any other word split by a hyphen at a line end is treated as soft hyphenation ("manu-" + "facturing").
COMPOUND_PREFIXES = frozenset(
    (
    "all", "anti", "co", "cost", "cross", "demand", "e", "first", "high", "inter", "large", "long",
    "low", "medium", "multi", "non", "one", "post", "pre", "re", "second", "self", "short", "small",
    "state", "supply", "third", "two", "well", "world", "year", "capacity",
    )
)  # fmt: skip

SPACED_HYPHEN = re.compile(r"(?<=[a-z]) - (?=[a-z])")
# A page number printed twice (header and footer of a page) between two sentences: "problems. 20 20 Strive"
INLINE_PAGE_NUMBER = re.compile(r"(?<=[.;:!?]) (\d{1,4}) \1(?= [A-Z])")


@dataclass(frozen=True)
class TracedLine:
    line: int
    start: int
    text: str


@dataclass
class TracedText:
    text: str
    offsets: list[int]
    lines: list[int]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The raw span ``[a, b)`` covering characters ``start..end`` of the text."""
        inside = [o for o in self.offsets[start:end] if o >= 0]
        if not inside:
            before = [o for o in self.offsets[:start] if o >= 0]
            point = before[-1] + 1 if before else 0
            return point, point
        return inside[0], inside[-1] + 1

    def line_at(self, start: int) -> int:
        return self.lines[min(start, len(self.lines) - 1)] if self.lines else 0


def _keeps_hyphen(last_word: str, next_word: str) -> bool:
    stem = last_word.rstrip("-").split("-")[-1]
    return len(stem) <= 1 or stem.casefold() in COMPOUND_PREFIXES or next_word[:1].isupper() or next_word[:1].isdigit()


def join_wrapped_lines(
    lines: Iterable[TracedLine], *, source_id: str, field: str
) -> tuple[TracedText, list[Correction]]:
    """Join lines with single spaces; a line ending in a hyphen is joined to the next without one.

    "E-" + "commerce" keeps its hyphen ("E-commerce", rule ``line_break_hyphen_kept``); a word broken
    by soft hyphenation loses it ("manu-" + "facturing", rule ``line_break_hyphen_removed``).
    """
    chars: list[str] = []
    offsets: list[int] = []
    line_of: list[int] = []
    corrections: list[Correction] = []
    previous: TracedLine | None = None
    for line in lines:
        text = line.text.strip()
        lead = len(line.text) - len(line.text.lstrip())
        if not text:
            continue
        if previous is not None:
            prev_text = previous.text.rstrip()
            if prev_text.endswith("-") and not prev_text.endswith(" -"):
                last_word = prev_text.split()[-1]
                next_word = text.split()[0]
                keep = _keeps_hyphen(last_word, next_word)
                if not keep:
                    chars.pop()
                    offsets.pop()
                    line_of.pop()
                joined = (last_word if keep else last_word[:-1]) + next_word
                word_start = previous.start + len(prev_text) - len(last_word)
                corrections.append(
                    Correction(
                        source_id=source_id,
                        line=previous.line,
                        char_start=word_start,
                        char_end=line.start + lead + len(next_word),
                        field=field,
                        before=f"{last_word}{LINE_BREAK * max(1, line.line - previous.line)}{next_word}",
                        after=joined,
                        rule="line_break_hyphen_kept" if keep else "line_break_hyphen_removed",
                    )
                )
            else:
                chars.append(" ")
                offsets.append(-1)
                line_of.append(line.line)
        for i, ch in enumerate(text):
            chars.append(ch)
            offsets.append(line.start + lead + i)
            line_of.append(line.line)
        previous = TracedLine(line.line, line.start + lead, text)
    return TracedText("".join(chars), offsets, line_of), corrections


def apply_rule(
    traced: TracedText,
    pattern: re.Pattern[str],
    replacement: str | Callable[[re.Match[str]], str],
    *,
    rule: str,
    source_id: str,
    field: str,
) -> tuple[TracedText, list[Correction]]:
    """Replace every match of ``pattern`` and log each replacement as a correction named ``rule``."""
    chars: list[str] = []
    offsets: list[int] = []
    lines: list[int] = []
    corrections: list[Correction] = []
    cursor = 0
    for match in pattern.finditer(traced.text):
        start, end = match.span()
        chars.extend(traced.text[cursor:start])
        offsets.extend(traced.offsets[cursor:start])
        lines.extend(traced.lines[cursor:start])
        new = replacement(match) if callable(replacement) else match.expand(replacement)
        raw_start, raw_end = traced.span(start, end)
        corrections.append(
            Correction(
                source_id=source_id,
                line=traced.line_at(start),
                char_start=raw_start,
                char_end=raw_end,
                field=field,
                before=match.group(0),
                after=new,
                rule=rule,
            )
        )
        chars.extend(new)
        anchor = raw_start if raw_start == raw_end else -1
        offsets.extend([anchor] * len(new))
        lines.extend([traced.line_at(start)] * len(new))
        cursor = end
    chars.extend(traced.text[cursor:])
    offsets.extend(traced.offsets[cursor:])
    lines.extend(traced.lines[cursor:])
    return TracedText("".join(chars), offsets, lines), corrections


def clean_wrapped_text(lines: Iterable[TracedLine], *, source_id: str, field: str) -> tuple[str, list[Correction]]:
    """Rejoin wrapped prose and undo the extraction defects, logging each change:
    line-break hyphenation, spaced hyphens ("cross - border") and inline page numbers ("20 20")."""
    traced, corrections = join_wrapped_lines(lines, source_id=source_id, field=field)
    traced, fixed = apply_rule(
        traced, INLINE_PAGE_NUMBER, "", rule="inline_page_number", source_id=source_id, field=field
    )
    corrections += fixed
    traced, fixed = apply_rule(traced, SPACED_HYPHEN, "-", rule="spaced_hyphen", source_id=source_id, field=field)
    corrections += fixed
    return " ".join(traced.text.split()), corrections
