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

import csv
import hashlib
import re
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.clean import measures
from pipeline.ids import masked, stable_ids
from pipeline.metadata.datasets import REPORTED_FIGURES
from pipeline.metadata.schemas import empty_frame, typed
from pipeline.parse import periods
from pipeline.parse.figures import RawFigure, Sentence, extract_figures, flatten, paragraphs, sentences
from pipeline.parse.lines import line_numbers
from pipeline.parse.spans import Taken, starting_in

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


PLACES_PATH = Path(__file__).resolve().parent.parent / "mappings" / "places.csv"
VERSION_FILES = (PLACES_PATH,)  # the gazetteer is code: the figures stage is versioned by it
# after a place name: an origin, a hyphenated name, a currency ("US$"), a dateline: not the place of a figure
NOT_THE_PLACE_AFTER = re.compile(
    r"-(?:based|listed|headquartered|born|registered)\b|\s?-[A-Z]|\$|\s*\([A-Z][\w ]*\)\s*--"
)
ADDRESS_BEFORE = re.compile(
    r"(?:\b(?:Avenue|Road|Street|Boulevard|Lane|Centre|Center|Hall|Hotel|Building|Tower|Plaza|Square|Mansion)\s*,\s*"
    r"|\b(?:held|hosted|convened|staged)\s+(?:at|in)\s+(?:the\s+)?)$"
)
CAPITALS = {"Beijing": "China"}  # a capital that acts ("Beijing lifted the cap") stands for its government
CAPITAL_ACTS = re.compile(
    r"(?:'s|’s)?\s+(?:has|have|had|is|was|will|would|wants|plans|says|said|announced|\w+ed)\b(?!\s+(?:by|in)\b)"
)
NATIONAL = re.compile(
    r"\b(?:China's|China|[Nn]ational|[Nn]ationwide|[Nn]ationally|[Tt]he country's|[Tt]he country|mainland|"
    r"Overall(?=,))\b"
)  # "Nationwide, exports reached ..." opening a sentence too


@dataclass(frozen=True)
class Place:
    start: int
    end: int
    name: str  # canonical: "United States" for "US", "Hangzhou" for "HANGZHOU"


@cache
def _gazetteer_rows() -> tuple[dict[str, str], ...]:
    with PLACES_PATH.open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


@cache
def _gazetteer() -> dict[str, str]:
    return {row["name"]: row["place"] for row in _gazetteer_rows()}


def _place_mentions(flat: str, cities: tuple[str, ...]) -> list[Place]:
    """Every place the text names: pilot-zone cities (any case) and the gazetteer's provinces, countries and
    regions (as capitalised), national markers as "China"; not a dateline ("BEIJING, Jan. 14 (Xinhua) --"),
    an origin ("a Beijing-based think tank") or part of a hyphenated name ("Hong Kong-Zhuhai-Macau Bridge")."""
    found: list[Place] = []
    canonical = {c.casefold().replace("’", "'"): c for c in cities}
    names = sorted({c for c in cities if c}, key=len, reverse=True)
    city_alternatives = "|".join(re.escape(n).replace("'", "['’]") for n in names)
    gazetteer = _gazetteer()
    places = "|".join(re.escape(n) for n in sorted(gazetteer, key=len, reverse=True))
    patterns = [(re.compile(rf"\b(?:{places})\b"), lambda t: gazetteer[t])]
    if city_alternatives:
        patterns.insert(0, (re.compile(rf"\b(?:{city_alternatives})\b", re.IGNORECASE),
                            lambda t: canonical[t.casefold().replace("’", "'")]))  # fmt: skip
    taken = Taken()
    for pattern, name_of in patterns:
        for m in pattern.finditer(flat):
            if taken.overlaps(m.start(), m.end()):
                continue
            after, before = flat[m.end() : m.end() + 30], flat[max(0, m.start() - 2) : m.start()]
            if NOT_THE_PLACE_AFTER.match(after):
                continue  # an origin, a hyphenated name, a currency ("US$"), a dateline
            if re.search(r"[A-Za-z]-$", before):
                continue
            if re.search(r"\b(?:next to|near|close to|such as|like|including|bordering|borders|neighbouring|outside|"
                         r"except|excluding|apart from|other than|beyond)\s+$",
                         flat[max(0, m.start() - 24) : m.start()], re.IGNORECASE):  # fmt: skip
                continue  # an aside: "In Shenzhen, next to Hong Kong, there are ..."
            if m.group(0).isupper() and len(m.group(0)) > 3 and re.match(r",\s+[A-Z][a-z]{2,4}\.?\s+\d", after):
                continue  # a dateline: "SHENZHEN, July 15 (Xinhua) --"
            if ADDRESS_BEFORE.search(flat, max(0, m.start() - 60), m.start()):
                continue  # an address or a venue: "held at the GAC press center, No. 6 Jianguomennei Avenue, Beijing"
            taken.add(*m.span())
            name = name_of(m.group(0))
            if name in CAPITALS and CAPITAL_ACTS.match(after):
                name = CAPITALS[name]  # "Beijing lifted the cap": the government, the country's figure
            found.append(Place(m.start(), m.end(), name))
    for m in NATIONAL.finditer(flat):
        if re.search(r"\bof\s+(?:the\s+)?$", flat[max(0, m.start() - 8) : m.start()]):
            continue  # "Shenzhen's share of the national total": the whole a share is taken of
        if re.search(r"\b(?:southern|northern|eastern|western|central|south|north|east|west)\s+$",
                     flat[max(0, m.start() - 10) : m.start()], re.I):  # fmt: skip
            continue  # "Shenzhen, southern China": where the place lies, not a national figure
        if not taken.overlaps(m.start(), m.end()):
            if re.match(r"-[A-Z]", flat[m.end() : m.end() + 2]):
                continue  # "China-Europe freight trains"
            found.append(Place(m.start(), m.end(), "China"))
    return sorted(found, key=lambda p: p.start)


def _first_of_coordination(flat: str, before: list[Place]) -> Place:
    """The nearest place before a figure, or the first of "Ningbo and Hangzhou together handled ..."."""
    at = len(before) - 1
    while at > 0 and re.fullmatch(r"\s*(?:,|and|,\s*and)\s*", flat[before[at - 1].end : before[at].start]):
        at -= 1
    return before[at]


def _geography(
    flat: str,
    figure: RawFigure,
    sentence: Sentence,
    clause: tuple[int, int],
    places: list[Place],
    starts: list[int],
    paragraph_spans: dict[int, tuple[int, int]],
    frame: dict[int, str],
    article_place: str = "China",
) -> str:
    """The place a figure is about (``places`` sorted by start, ``starts`` their starts): named in its clause
    (nearest before it, else after), else in its sentence; an anaphor ("the city", "this zone") takes the
    first city of the paragraph (else of the one before); else the place the paragraph is talking about
    (``frame``); else China. Counts of zones, cities, provinces, batches and approvals are national counts."""
    def named(low: int, high: int) -> list[Place]:
        return list(starting_in(places, starts, low, high))

    if figure.unit in NATIONAL_COUNTS:
        holder = [p for p in named(*clause) if p.end <= figure.start and p.name != "China"]
        if holder and HOLDS.fullmatch(flat, holder[-1].end, figure.start):
            return holder[-1].name  # "Henan now has five pilot zones", "Guangdong received eight": the province's
        return "China"

    in_clause = [p for p in named(*clause) if not _destination(flat, p)]
    before = [p for p in in_clause if p.end <= figure.start]
    if before:
        return _first_of_coordination(flat, before).name
    # a place after the figure, not past a comma ("8.6 billion yuan, of which Japan supplied 3.1 billion": the
    # total is not Japan's)
    in_clause = [p for p in in_clause if "," not in flat[figure.end : p.start]]
    if in_clause:
        return in_clause[0].name
    in_sentence = [p for p in named(sentence.start, sentence.end) if not _destination(flat, p)
                   and (p.end <= figure.start or "," not in flat[figure.end : p.start])]  # fmt: skip
    before = [p for p in in_sentence if p.end <= figure.start]
    if before or in_sentence:
        return (before[-1] if before else in_sentence[0]).name
    reach = periods.CLAUSE_REACH
    if ANAPHORA.search(flat, max(sentence.start, figure.start - reach), min(sentence.end, figure.end + reach)):
        # the zone a paragraph is about is the first one it names: this paragraph's, else the previous one's
        p_start = paragraph_spans[sentence.paragraph][0]
        here = [p for p in named(p_start, sentence.start) if p.name != "China"]
        earlier_span = paragraph_spans.get(sentence.paragraph - 1)
        earlier = here or [p for p in (named(*earlier_span) if earlier_span else []) if p.name != "China"]
        if earlier:
            return earlier[0].name
    return frame.get(sentence.paragraph, article_place)


# between a place and a count of zones it holds: "Henan now has five", "Guangdong received eight", "Jiangsu gained
# five new zones" (not "zones in 22 cities, including Beijing, ..."; not a place in a list)
HOLDS = re.compile(
    r"(?:['’]s)?\s+(?:now\s+|already\s+|also\s+)?(?:has|have|hosts?|had|received|receives|gained|gains|got|added|adds|"
    r"operates|counts|won)\s+(?:(?:about|some|more than|another|a\s+total\s+of)\s+)?"
)
DESTINATION_BEFORE = re.compile(
    r"\b(?:to|into|towards|bound\s+for|destined\s+for|going\s+to|headed\s+for)\s+(?:the\s+)?$", re.IGNORECASE
)


def _destination(flat: str, place: Place) -> bool:
    """A market goods go to ("exports to the United States", "shipments to the European Union", "Africa-bound
    sales"): where a flow out of China ends, not where the figure is (FORMAT: flows out of China are China's)."""
    return place.name != "China" and (
        DESTINATION_BEFORE.search(flat, max(0, place.start - 20), place.start) is not None
        # the later items of a list of markets: "exports to Kazakhstan and Uzbekistan"
        or re.search(r"\b(?:to|into|bound\s+for)\s+(?:the\s+)?(?:[A-Z][\w'’-]*\s*){1,3}(?:,\s*[A-Z][\w'’-]*\s*){0,4}"
                     r"(?:,\s*|\s+)(?:and|or)\s+(?:the\s+)?$|\b(?:to|into)\s+(?:the\s+)?(?:[A-Z][\w'’-]*\s*){1,3},\s*$",
                     flat[max(0, place.start - 60) : place.start]) is not None
        or re.match(r"-bound\b", flat[place.end : place.end + 7]) is not None
    )


def _article_place(flat: str, places: list[Place], sentences_: list[Sentence], chinese: frozenset[str]) -> str:
    """The place an article is about, for figures whose paragraph names none: the first Chinese province or city
    its title names ("Henan's cross-border e-commerce parcels top 100 million"), else its first sentences of body
    text; else China. A foreign market in a title ("Temu faces scrutiny in the United States") is not where the
    article's national figures are. A company the first sentences are about, introduced with its home ("Corvane
    Payments (1863.HK), the Hong Kong-based firm that ..., processed ..."), is about that home: its figures are
    the firm's (not so a source: "..., said a Beijing-based think tank")."""
    gazetteer = _gazetteer()
    for sentence in sentences_[:3]:
        home = SUBJECT_HOME.match(flat, sentence.start, sentence.end)
        if home is None:
            home = APPOSITIVE_HOME.search(flat, sentence.start, sentence.end)
            if home is not None and SOURCE_BEFORE.search(flat, sentence.start, home.start()):
                home = None
        if home is not None:
            name = gazetteer.get(home.group("place")) or next(
                (c for c in chinese if c.casefold() == home.group("place").casefold()), None
            )
            if name in chinese:
                return name
        named = [p for p in places if sentence.start <= p.start < sentence.end]
        listed = {  # "zones in 22 cities, including Beijing, Hohhot, Shenyang": a list names no subject
            i for i, (a, b) in enumerate(pairwise(named))
            if re.fullmatch(r"\s*(?:,|and|,\s*and)\s*", flat[a.end : b.start])
        }
        listed |= {i + 1 for i in listed}
        named = [p for i, p in enumerate(named) if i not in listed and (p.name in chinese or p.name == "China")]
        if named:
            return named[0].name
    return "China"


# the sentence's subject, a proper name (a dateline and a ticker allowed), with an appositive giving its home
SUBJECT_HOME = re.compile(
    r"(?:[A-Z][A-Z .'’-]+(?:,\s*[A-Z][a-z]{2,4}\.?\s+\d{1,2})?\s*(?:\([^)]{1,30}\)\s*)?--\s*)?"  # a dateline
    r"(?:[A-Z][\w&.'’-]*\s+){0,5}[A-Z][\w&.'’-]*\s*(?:\([^)]{1,30}\))?,\s+"  # "Corvane Payments (1863.HK), "
    r"(?:the|a|an)\s+(?P<place>[A-Z][\w'’]*(?:\s+[A-Z][\w'’]*)?)-(?:based|headquartered|listed)\b"
)
# a company the sentence names with its home in a definite appositive, as an object too: "raised its target on
# Lingxi Cloud (2517.HK), the Shenzhen-based developer of ..." (not a source: "..., said Li Wei, the ...-based")
APPOSITIVE_HOME = re.compile(
    r"[A-Z][\w&.'’-]*\s*(?:\([^)]{1,30}\))?,\s+the\s+(?P<place>[A-Z][\w'’]*(?:\s+[A-Z][\w'’]*)?)-"
    r"(?:based|headquartered|listed)\b"
)
SOURCE_BEFORE = re.compile(r"\b(?:said|says|told|according\s+to|quoted|cited|estimates?|estimated)\b", re.I)


@cache
def _chinese_places(cities: tuple[str, ...]) -> frozenset[str]:
    """The pilot-zone cities and the gazetteer's provinces (Hong Kong and Macao among them)."""
    provinces = {row["place"] for row in _gazetteer_rows() if row["kind"] == "province"}
    return frozenset(provinces | set(cities))


def _subject(flat: str, figure: RawFigure, sentence: Sentence) -> str:
    if figure.kind == "count":
        return f"number of {figure.unit}"
    reach = periods.CLAUSE_REACH  # the sentence near the figure: a long list of figures is read in linear time
    text = flat[max(sentence.start, figure.start - reach) : min(sentence.end, figure.end + reach)]
    for pattern, label in SUBJECTS:
        if pattern.search(text):
            return label
    if "growth" in figure.extra:
        return "growth of cross-border e-commerce"
    return "cross-border e-commerce" if re.search(r"cross-border", text, re.I) else "unclassified"


def _claim_id(source_id: str, measure: str, kind: str, figure: RawFigure, period: str) -> str:
    """A claim's id from what it says, not where: the same measure, value, unit and period in one source (a
    headline figure and the body's) is one claim. Stable under edits elsewhere in the file."""
    said = f"{source_id}|{measure}|{kind}|{figure.value!r}|{figure.value_high!r}|{figure.unit}|{period}"
    return hashlib.sha256(said.encode("utf-8")).hexdigest()[:16]


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
        body = [(j, other) for j, other in enumerate(found) if other.start >= title_end]
        same = [
            j for j, other in body
            if (other.kind, other.unit, other.value, other.value_high)
            == (figure.kind, figure.unit, figure.value, figure.value_high)
        ]  # fmt: skip
        if not same and "growth" in figure.extra:  # "exports jump 47.5 pct": "rose 47.5 percent to ..." in the body
            same = [j for j, other in body if other.growth_pct is not None and other.growth_pct == figure.value]
        if not same and figure.value_high is None and figure.value:  # a headline rounds: "tops US$3.1 billion",
            # "nearly 290" for the body's US$3.12 billion and 287 warehouses
            same = [
                j for j, other in sorted(body, key=lambda jo: abs(jo[1].value - figure.value))
                if (other.kind, other.unit) == (figure.kind, figure.unit) and other.value_high is None
                and _rounds_to(other.value, figure.value)
            ][:1]  # fmt: skip
        if same:
            out[i] = periods.Period(resolved[same[0]].period, "restated", resolved[same[0]].note)
    return out


def _rounds_to(value: float, rounded: float) -> bool:
    """``rounded`` is ``value`` to fewer significant digits (3.12 billion -> 3.1 billion, 287 -> 290, 61.3 -> 60),
    within 5 percent: a headline's round number for the body's exact one."""
    if value == 0 or abs(value - rounded) > 0.05 * abs(value):
        return False
    digits = len(f"{abs(rounded):.6g}".replace(".", "").strip("0"))  # significant digits of the round number
    return any(float(f"{value:.{n}g}") == rounded for n in range(1, digits + 1))


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
    places = _place_mentions(flat, tuple(cities))
    place_starts = [p.start for p in places]  # for bisection
    frame: dict[int, str] = {}  # per paragraph: the place its sentences so far have been about
    article_place = _article_place(flat, places, all_sentences, _chinese_places(tuple(cities)))
    period_default = publication_period(published)
    spans = []
    for figure in found:
        sentence = figure.sentence or Sentence(figure.start, figure.end, 0)
        spans.append(periods.Span(figure.start, figure.end, sentence.start, sentence.end))
    resolved = periods.resolve(
        flat,
        [(s.start, s.end) for s in all_sentences],
        spans,
        published,
        period_default,
        {(s.start, s.end): s.paragraph for s in all_sentences},
    )
    resolved = _restated_headline(text, found, resolved)
    records: list[dict[str, Any]] = []
    last_amount_measure: dict[int, str] = {}  # per paragraph: the measure of its last classified amount
    for figure, when in zip(found, resolved, strict=True):
        sentence = figure.sentence or Sentence(figure.start, figure.end, 0)
        period, basis = when.period, when.basis
        kind = "growth" if "growth" in figure.extra else figure.kind
        c_start, c_end = periods.clause_of(flat, (sentence.start, sentence.end), figure.start)
        printed_text = flat[figure.start : figure.end]
        at_number = max(0, printed_text.find(figure.value_text))
        found_measure, role = measures.classify(
            kind,
            figure.unit,
            flat[c_start:c_end].lower(),
            flat[c_start : figure.start + at_number].lower(),  # up to the number: "number of zones to 165"
            printed_text[at_number:],
            flat[figure.end : min(c_end, figure.end + 60)].lower(),
        )
        inherited = last_amount_measure.get(sentence.paragraph)
        if found_measure is None and kind == "amount" and inherited:
            found_measure = inherited  # "the total jumped to 1.69 trillion yuan": what the text keeps talking about
        measure = found_measure or "other"
        uncertain = [figure.extra["uncertain"]] if "uncertain" in figure.extra else []
        if when.uncertain:
            uncertain.append(when.uncertain)
        if role and role.endswith("?"):
            role = role[:-1]
            uncertain.append("no word says whether this count of zones is a total, an increment or the number before")
        if kind == "amount" and found_measure not in (None, "other"):
            last_amount_measure[sentence.paragraph] = measure
        geography = _geography(flat, figure, sentence, (c_start, c_end), places, place_starts, paragraph_spans, frame,
                               article_place)  # fmt: skip
        if figure.unit not in NATIONAL_COUNTS:
            frame[sentence.paragraph] = geography
        records.append(
            {
                "source_id": source_id,
                "kind": kind,
                "measure": measure,
                "zone_count_role": role,
                "uncertainty": "; ".join(uncertain) or None,
                "claim_id": _claim_id(source_id, measure, kind, figure, period),
                "subject": _subject(flat, figure, sentence),
                "geography": geography,
                "period": period,
                "period_basis": basis,
                "period_note": when.note,
                "states": "change" if "change" in figure.extra else "level",
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
    keys = ((r["source_id"], masked(r["quote"]), r["measure"]) for r in records)
    for record, figure_id in zip(records, stable_ids("figure", keys), strict=True):
        record["figure_id"] = figure_id
    return records
