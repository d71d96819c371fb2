"""Building ``reported_figures``: each extracted figure with what it measures (``subject``), where
(``geography``), when (``period`` and how that period was established) and the sentence it stands in.

Context rules, in order:
- period: :func:`pipeline.parse.periods.resolve` (a time expression attached to the figure, in its clause or
  sentence, the present tense, the frame an earlier sentence set, else the publication date), with the rule
  that decided it in ``period_basis``.
- geography: a pilot-zone city named in the sentence; for an anaphor ("this zone", "the city", "local
  customs", "through it") the first such city named earlier in the paragraph, else in the previous
  paragraph; else China. Counts of zones, cities, provinces, batches and approvals are national counts: China.
- subject: the first phrase of :data:`SUBJECTS` found in the sentence; counts are "number of <unit>".
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from pipeline.metadata.datasets import REPORTED_FIGURES
from pipeline.metadata.schemas import empty_frame, typed
from pipeline.parse import periods
from pipeline.parse.figures import RawFigure, Sentence, extract_figures, flatten, paragraphs, sentences
from pipeline.parse.lines import line_numbers

RULE = "figures/v2"
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
YEAR = re.compile(rf"(?:(?P<month>{MONTHS})\s+)?(?<![\w-])(?P<year>(?:19|20)\d\d)(?![\w-])")
PRESENT = re.compile(r"\b(?:now|currently|at present|so far|to date)\b", re.IGNORECASE)
ANAPHORA = re.compile(r"\b(?:this zone|the zone|this city|the city|local customs|through it)\b", re.I)
NATIONAL_COUNTS = {"zones", "cities", "provinces", "batches", "approvals", "areas"}
SUBJECTS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p, re.IGNORECASE), label)
    for p, label in [
        (r"imports? and exports?|import and export", "cross-border e-commerce imports and exports"),
        (r"e-commerce exports? accounted|of the total exports", "cross-border e-commerce exports"),
        (r"commodity value", "value of cross-border e-commerce exports"),
        (r"\bexported\b", "cross-border e-commerce exports"),
        (r"cross-border e-commerce (?:trade|transactions)|trade figures|trade volume", "cross-border e-commerce trade"),
        (r"e-commerce market", "e-commerce market value"),
        (r"growth rate", "growth rate of cross-border e-commerce"),
        (r"offshore products", "share of offshore products in e-commerce"),
        (r"kilometre|bridge", "length"),
    ]
]  # fmt: skip
MONTH_NUMBER = {m: i for i, m in enumerate(MONTHS.split("|"), start=1)}


def _city_pattern(cities: list[str]) -> re.Pattern[str]:
    names = sorted({c for c in cities if c}, key=len, reverse=True)
    alternatives = "|".join(re.escape(n).replace("'", "['’]") for n in names)
    return re.compile(rf"\b(?:{alternatives})\b", re.IGNORECASE)


def _geography(
    flat: str,
    figure: RawFigure,
    sentence: Sentence,
    paragraph_spans: dict[int, tuple[int, int]],
    cities: re.Pattern[str],
    canonical: dict[str, str],
) -> str:
    if figure.unit in NATIONAL_COUNTS:
        return "China"
    named = cities.findall(flat, sentence.start, sentence.end)
    if named:
        return canonical[named[0].casefold().replace("’", "'")]
    if ANAPHORA.search(flat, sentence.start, sentence.end):
        # the zone a paragraph is about is the first one it names: this paragraph's, else the previous one's
        here = cities.findall(flat, paragraph_spans[sentence.paragraph][0], sentence.start)
        before = paragraph_spans.get(sentence.paragraph - 1)
        earlier = here or (cities.findall(flat, before[0], before[1]) if before else [])
        if earlier:
            return canonical[earlier[0].casefold().replace("’", "'")]
    return "China"


def _subject(flat: str, figure: RawFigure, sentence: Sentence) -> str:
    if figure.kind == "count":
        return f"number of {figure.unit}"
    text = flat[sentence.start : sentence.end]
    for pattern, label in SUBJECTS:
        if pattern.search(text):
            return label
    if "growth" in figure.extra:
        return "growth of cross-border e-commerce"
    return "cross-border e-commerce" if re.search(r"cross-border", text, re.I) else "unclassified"


def _restated_headline(text: str, found: list[RawFigure], resolved: list[periods.Period]) -> list[periods.Period]:
    """A figure of the title line that the body states again ("... passes 200 billion yuan in first half" and
    "reached more than 200 billion yuan in the first half of the year") takes the body's period: a headline
    is written without the context that dates it."""
    first = paragraphs(text)[:1]
    if not first or re.search(r"[.!?][\"”’)]*$", text[first[0][0] : first[0][1]].rstrip()):
        return resolved  # the text starts with a sentence, not a title
    title_end = first[0][1]
    out = list(resolved)
    for i, figure in enumerate(found):
        if figure.start >= title_end:
            break
        same = [
            j for j, other in enumerate(found)
            if other.start >= title_end and (other.kind, other.unit, other.value, other.value_high)
            == (figure.kind, figure.unit, figure.value, figure.value_high)
        ]  # fmt: skip
        if same:
            out[i] = periods.Period(resolved[same[0]].period, "restated", resolved[same[0]].note)
    return out


def publication_period(published: str) -> str:
    """'2020-01-03' -> '2020-01-03'; '2024 (early)' -> '2024'; 'about 2020' -> '2020'."""
    match = re.search(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", published)
    return match.group(0) if match else ""


def build_reported_figures(text: str, source_id: str, published: str, cities: list[str]) -> pd.DataFrame:
    """One row per figure of one article (columns of ``REPORTED_FIGURES``)."""
    records = reported_figure_records(text, source_id, published, cities)
    if not records:
        return empty_frame(REPORTED_FIGURES)
    return typed(pd.DataFrame.from_records(records, columns=REPORTED_FIGURES.columns), REPORTED_FIGURES)


def reported_figure_records(text: str, source_id: str, published: str, cities: list[str]) -> list[dict[str, Any]]:
    """The rows of :func:`build_reported_figures` as plain dicts (a corpus builds one frame from all)."""
    flat = flatten(text)
    found = extract_figures(text)
    if not found:
        return []
    all_sentences = sentences(text)
    paragraph_spans: dict[int, tuple[int, int]] = {}
    for s in all_sentences:
        start, end = paragraph_spans.get(s.paragraph, (s.start, s.end))
        paragraph_spans[s.paragraph] = (min(start, s.start), max(end, s.end))
    line_of = line_numbers(text)
    canonical = {c.casefold(): c for c in cities}
    city_pattern = _city_pattern(cities)
    period_default = publication_period(published)
    spans = []
    for figure in found:
        sentence = figure.sentence or Sentence(figure.start, figure.end, 0)
        spans.append(periods.Span(figure.start, figure.end, sentence.start, sentence.end))
    resolved = periods.resolve(flat, [(s.start, s.end) for s in all_sentences], spans, published, period_default)
    resolved = _restated_headline(text, found, resolved)
    records: list[dict[str, Any]] = []
    for figure, when in zip(found, resolved, strict=True):
        sentence = figure.sentence or Sentence(figure.start, figure.end, 0)
        period, basis = when.period, when.basis
        records.append(
            {
                "source_id": source_id,
                "kind": "growth" if "growth" in figure.extra else figure.kind,
                "subject": _subject(flat, figure, sentence),
                "geography": _geography(flat, figure, sentence, paragraph_spans, city_pattern, canonical),
                "period": period,
                "period_basis": basis,
                "value": figure.value,
                "value_high": figure.value_high,
                "unit": figure.unit,
                "converted_value": figure.converted_value,
                "converted_unit": figure.converted_unit,
                "growth_pct": figure.growth_pct,
                "qualifier": figure.qualifier,
                "printed": " ".join(flat[figure.start : figure.end].split()),
                "quote": " ".join(flat[sentence.start : sentence.end].split()),
                "char_start": figure.start,
                "char_end": figure.end,
                "quote_char_start": sentence.start,
                "quote_char_end": sentence.end,
                "line": line_of(figure.start),
                "parse_rule": RULE,
            }
        )
    return records
