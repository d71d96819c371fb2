"""Extracting quantitative claims from English news text: money amounts, counts, shares, growth
rates, multiples and physical measures, each with its character span in the raw file.

The extractor is rule-based and general (no knowledge of particular articles): a figure is a number
with a currency, a scale word, a percent sign or word, or a counted noun from :data:`COUNT_NOUNS`.
Numbers with none of these (years, dates, times of day, page numbers, phone numbers, ordinals) are
not figures. A printed conversion such as "90.24 billion yuan ($14.32 billion)" is one claim with a
``converted_value``. A growth rate stated in the same sentence as an amount ("... up 9.8%") is attached
to the amount as ``growth_pct`` instead of being a claim of its own.

Offsets are preserved by working on a copy of the text in which line breaks and non-breaking spaces
are replaced one-for-one by spaces, so a figure split across a line break is still found and its span
still indexes the raw file.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from decimal import Decimal

NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
GUARD = r"(?<![\w.,/:-])"  # not inside a word, a decimal, a date (2023-02-23) or a time (15:27)
SCALE = r"(?P<scale@>thousand|million|billion|trillion|bn|mn)\b"
SCALES = {"thousand": 3, "million": 6, "mn": 6, "billion": 9, "bn": 9, "trillion": 12}  # powers of ten
CURRENCIES = {
    "us$": "USD", "$": "USD", "usd": "USD", "us dollars": "USD", "u.s. dollars": "USD", "dollars": "USD",
    "¥": "CNY", "rmb": "CNY", "cny": "CNY", "yuan": "CNY", "hk$": "HKD", "hkd": "HKD",
}  # fmt: skip
WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
}  # fmt: skip
# Counted nouns and the unit they are reported in.
COUNT_NOUNS = {
    "pilot zones": "zones", "pilot zone": "zones", "zones": "zones", "zone": "zones",
    "cities": "cities", "city": "cities", "provinces": "provinces", "province": "provinces",
    "enterprises": "enterprises", "enterprise": "enterprises", "companies": "companies",
    "businesses": "businesses", "items": "items", "product types": "product types",
    "parks": "parks", "areas": "areas", "subjects": "subjects", "batches": "batches",
    "approvals": "approvals", "models": "models",
}  # fmt: skip
MEASURES = {
    "tonnes": "tonnes", "tonne": "tonnes", "tons": "tonnes", "kilometres": "kilometres",
    "kilometre": "kilometres", "kilometers": "kilometres", "kilometer": "kilometres", "km": "kilometres",
}  # fmt: skip
# Words that may stand between a number and its counted noun ("8,000 foreign trade and manufacturing
# enterprises") must not be these: "In 2017 the city", "one of the zones", "35 ways to support enterprises".
NOT_BETWEEN = (
    "the|a|an|of|in|to|ago|year|years|by|for|with|that|which|this|these|those|its|their|his|her|our|at|on|"
    "from|as|is|was|are|were|has|have|had|will|would"
)
QUALIFIERS = r"(?P<q>about|around|approximately|nearly|almost|over|more than|less than|under|some|up to|at least)"
HEDGE = r"(?:(?:about|around|approximately|nearly|almost|some|over|more than)\s+)?"
DECLINE = re.compile(
    r"\b(?:down|lower|decreas(?:e|ed|es|ing)|declin(?:e|ed|es|ing)|fell|falling|falls?|drop(?:ped|ping|s)?|"
    r"shr(?:a|i|u)nk(?:ing|s)?|contract(?:ed|ing|s)?|slipp(?:ed|ing)|slid(?:ing)?|slump(?:ed|ing)?|"
    r"plung(?:e|ed|ing)|plummet(?:ed|ing)?|tumbl(?:e|ed|ing)|sank|sink(?:ing)?|narrow(?:ed|ing)?)\b",
    re.IGNORECASE,
)
# the growth phrase right before a percent; the leftmost match is the whole phrase ("down by", not "by"),
# so DECLINE can read its direction
GROWTH_BEFORE = re.compile(
    r"(?:growth rate (?:has been|was|is|of|at)|(?<!made )(?<!make )(?<!makes )\b(?:up|down|higher|lower)(?: by)?|"
    r"\b(?:in|de)creas(?:e|ed|es|ing)(?: by| of)?|\bdeclin(?:e|ed|es|ing)(?: by| of)?|"
    r"\b(?:grew|rose|rising|growing|climbed|fell|falling|dropped|dropping|slipped|slid|shrank|shrinking|"
    r"contracted|contracting|plunged|tumbled|sank|narrowed|widened|edged (?:up|down))(?: by)?|"
    r"\b(?:a|an) (?:drop|fall|rise|increase|decrease|decline|contraction) of|surged|jumped|growth of|\bby)"
    rf"\s+{HEDGE}$",
    re.IGNORECASE,
)
GROWTH_AFTER = re.compile(
    r"^\s*(?:year-on-year|growth|increase|rise|decrease|decline|drop|fall|from a year earlier|over the previous)",
    re.I,
)
DECLINE_AFTER = re.compile(r"^\s*(?:year-on-year\s+)?(?:decrease|decline|drop|fall|contraction|slump)", re.I)

_nouns = "|".join(sorted((re.escape(n) for n in COUNT_NOUNS), key=len, reverse=True))
_word = "|".join(WORD_NUMBERS)
_words = rf"(?:{_word})(?:[\s-]+(?:{_word})){{0,5}}"  # "seven", "two hundred", "twenty-four"; bounded: linear time
_money_pre = rf"(?P<cur@>HK\$|US\$|\$|¥|RMB|CNY|USD|HKD)\s*(?P<num@>{NUM})(?:\s*{SCALE})?(?![\w%])"
_currency_after = r"US dollars|U\.S\. dollars|dollars|yuan|RMB|CNY|USD|HKD"
_money_post = rf"{GUARD}(?P<num@>{NUM})(?:\s*{SCALE})?\s+(?P<cur@>{_currency_after})\b"


def _money(n: int) -> str:
    """Both money shapes, with group names numbered n (currency first) and n + 1 (currency after)."""
    return f"(?:{_money_pre.replace('@', str(n))}|{_money_post.replace('@', str(n + 1))})"


PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("amount", re.compile(rf"{_money(1)}(?:\s*\(\s*{HEDGE}{_money(3)}\s*\))?", re.IGNORECASE)),
    ("measure", re.compile(
        rf"{GUARD}(?P<num>{NUM})(?:\s+(?P<scale>million|billion)\b)?(?:\s+|-)(?P<unit>{'|'.join(MEASURES)})\b",
        re.IGNORECASE,
    )),
    ("points", re.compile(rf"{GUARD}(?P<num>{NUM})\s*percentage\s+points?\b", re.IGNORECASE)),
    ("percent", re.compile(rf"{GUARD}(?P<num>{NUM})\s*(?:%|per\s?cent\b|percent\b)", re.IGNORECASE)),
    ("ratio", re.compile(rf"{GUARD}(?P<num>{NUM})\s+times\b", re.IGNORECASE)),
    ("count", re.compile(
        rf"(?<!\btop )(?<![\w.,/:-])(?P<num>{NUM}|{_words})(?:\s+(?P<scale>thousand|million|billion)\b)?"
        rf"(?:\s+(?:more|additional|other|new))?"
        rf"(?:\s+(?!(?:{_word}|{NOT_BETWEEN})\b)[a-z][a-z'’-]*){{0,4}}?\s+(?P<noun>{_nouns})\b",
        re.IGNORECASE,
    )),
    ("count", re.compile(
        rf"{GUARD}(?P<num>{NUM}) of them (?:are|were|have been) [a-z -]{{0,40}}?(?P<noun>{_nouns})\b",
        re.IGNORECASE,
    )),
    ("count", re.compile(
        rf"number of (?:the )?(?P<noun>{_nouns})\s+(?:(?:rose|increased|grew|climbed|went up) to|has reached|"
        rf"reached|stood at|is|was|to)\s+(?P<num>{NUM})(?![\w.,]\d)",
        re.IGNORECASE,
    )),
]  # fmt: skip
PRIORITY = {"amount": 0, "measure": 1, "points": 2, "percent": 3, "ratio": 4, "count": 5}

SENTENCE_END = re.compile(r"[.!?][\"”’)]*(?=\s+[A-Z\"“‘(]|\s*$)")
ABBREVIATIONS = re.compile(r"(?:\b[A-Z]|\bMr|\bMrs|\bMs|\bDr|\bNo|\bCo|\bLtd|\bInc|\bSt|\be\.g|\bi\.e|\bvs)$")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    paragraph: int


@dataclass
class RawFigure:
    """One match before context is attached: what was printed and where."""

    kind: str
    start: int
    end: int
    value: float
    unit: str
    value_text: str
    qualifier: str | None = None
    converted_value: float | None = None
    converted_unit: str | None = None
    growth_pct: float | None = None
    sentence: Sentence | None = None
    extra: dict[str, str] = field(default_factory=dict)


def flatten(text: str) -> str:
    """The text with line breaks, tabs and non-breaking spaces replaced one-for-one by spaces."""
    return text.translate({ord("\r"): " ", ord("\n"): " ", ord("\t"): " ", 0xA0: " ", 0xFEFF: " "})


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Spans of blocks separated by blank lines (a line break alone does not end a paragraph), without
    surrounding whitespace."""
    normal = text.replace("\r\n", " \n").replace("\r", "\n")  # same length: offsets still index text
    spans, start = [], 0
    for match in [*re.finditer(r"\n[ \t\u00a0]*\n\s*", normal), None]:
        end = match.start() if match else len(normal)
        block_start, block_end = start, end
        while block_start < block_end and normal[block_start].isspace():
            block_start += 1
        while block_end > block_start and normal[block_end - 1].isspace():
            block_end -= 1
        if block_end > block_start:
            spans.append((block_start, block_end))
        if match:
            start = match.end()
    return spans


def sentences(text: str) -> list[Sentence]:
    """Sentences within paragraphs; a full stop after an initial or a common abbreviation, or inside
    a number, does not end one."""
    flat = flatten(text)
    found: list[Sentence] = []
    for index, (p_start, p_end) in enumerate(paragraphs(text)):
        start = p_start
        for match in SENTENCE_END.finditer(flat, p_start, p_end):
            if ABBREVIATIONS.search(flat[max(start, match.start() - 4) : match.start()]):
                continue
            found.append(Sentence(start, match.end(), index))
            start = match.end()
        if flat[start:p_end].strip():
            found.append(Sentence(start, p_end, index))
    return [_trim(flat, s) for s in found]


def _trim(flat: str, sentence: Sentence) -> Sentence:
    start, end = sentence.start, sentence.end
    while start < end and flat[start].isspace():
        start += 1
    while end > start and flat[end - 1].isspace():
        end -= 1
    return Sentence(start, end, sentence.paragraph)


def number(text: str, scale: str | None = None) -> float:
    """The printed number times its scale word, computed in decimal so that 2.11 trillion is exactly
    2110000000000 and not 2109999999999.9998."""
    words = re.split(r"[\s-]+", text.lower())
    if all(w in WORD_NUMBERS for w in words):
        total = 0
        for word in words:  # "two hundred" = 2 * 100; "twenty four" = 20 + 4
            total = (total or 1) * 100 if word == "hundred" else total + WORD_NUMBERS[word]
        value = Decimal(total)
    else:
        value = Decimal(text.replace(",", ""))
    return float(value.scaleb(SCALES[scale.lower()]) if scale else value)


def _money_parts(match: re.Match[str], n: int) -> tuple[float, str, str] | None:
    for k in (n, n + 1):
        num = match.group(f"num{k}")
        if num is not None:
            value = number(num, match.group(f"scale{k}"))
            return value, CURRENCIES[match.group(f"cur{k}").lower()], num
    return None


def flat_before(match: re.Match[str], width: int = 12) -> str:
    return match.string[max(0, match.start() - width) : match.start()]


def _figure(kind: str, match: re.Match[str]) -> RawFigure | None:
    start, end = match.span()
    if kind == "amount":
        primary = _money_parts(match, 1)
        if primary is None:
            return None
        value, unit, text = primary
        converted = _money_parts(match, 3)
        return RawFigure(
            kind, start, end, value, unit, text,
            converted_value=converted[0] if converted else None,
            converted_unit=converted[1] if converted else None,
        )  # fmt: skip
    num = match.group("num")
    if kind == "measure":
        value = number(num, match.group("scale"))
        return RawFigure(kind, start, end, value, MEASURES[match.group("unit").lower()], num)
    if kind == "points":
        return RawFigure(kind, start, end, number(num), "percentage points", num)
    if kind == "percent":
        return RawFigure(kind, start, end, number(num), "percent", num)
    if kind == "ratio":
        return RawFigure(kind, start, end, number(num), "times", num)
    scale = match.groupdict().get("scale")
    between = match.string[match.end("num") : match.start("noun")]
    if re.fullmatch(r"(?:19|20)\d\d", num) and (
        between.strip()  # words between the year and the noun: "2018 Chinese enterprises" ("1900 pilot zones" has none)
        or re.search(r"\b(?:in|by|since|from|until|to|during|before|after|of|year)\s+$", flat_before(match), re.I)
    ):
        return None  # a year, not a count
    return RawFigure(kind, start, end, number(num, scale), COUNT_NOUNS[match.group("noun").lower()], num)


def _inside_name(flat: str, figure: RawFigure) -> bool:
    """A count inside a short single-quoted name ("‘one district thirteen parks’") is part of a name."""
    if figure.kind != "count":
        return False
    before, after = flat[max(0, figure.start - 30) : figure.start], flat[figure.end : figure.end + 30]
    # an opening quote stands after a space (typesetters use ‘ or ’ for it); a closing one before a non-letter
    opening = re.search(r"(?:^|\s)[‘’'][^‘’']*$", before)
    closing = re.match(r"^[^‘’']*[‘’'](?![A-Za-z])", after)
    return bool(opening and closing)


def _qualifier(flat: str, start: int) -> str | None:
    match = re.search(rf"\b{QUALIFIERS}\s+(?:of\s+)?$", flat[max(0, start - 20) : start], re.IGNORECASE)
    return match.group("q").lower() if match else None


def _is_decline(flat: str, figure: RawFigure, sentence: Sentence) -> bool:
    """Only the growth phrase right before the percent ("fell 5%", "down 9.8%") or right after it
    ("a 5% decrease") decides the sign; "Imports declined, while exports rose 12%" is +12."""
    before = GROWTH_BEFORE.search(flat[max(sentence.start, figure.start - 30) : figure.start])
    if before:
        return bool(DECLINE.search(before.group(0)))
    return bool(DECLINE_AFTER.search(flat[figure.end : min(sentence.end, figure.end + 30)]))


def _is_growth(flat: str, figure: RawFigure, sentence: Sentence) -> bool:
    before = flat[max(sentence.start, figure.start - 30) : figure.start]
    after = flat[figure.end : min(sentence.end, figure.end + 30)]
    return bool(GROWTH_BEFORE.search(before) or GROWTH_AFTER.search(after))


def extract_figures(text: str) -> list[RawFigure]:
    """Every figure in ``text`` (non-overlapping, in order), with qualifier, sentence and growth."""
    flat = flatten(text)
    matches: list[RawFigure] = []
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(flat):
            figure = _figure(kind, match)
            if figure is not None:
                matches.append(figure)
    matches.sort(key=lambda f: (f.start, PRIORITY[f.kind], -(f.end - f.start)))
    chosen: list[RawFigure] = []
    for figure in matches:
        if chosen and figure.start < chosen[-1].end:
            continue  # overlaps a figure already taken (amount > measure > percent > count)
        chosen.append(figure)
    by_sentence = sentences(text)  # in order and disjoint: the sentence of a figure is found by bisection
    starts = [s.start for s in by_sentence]
    chosen = [f for f in chosen if not _inside_name(flat, f)]
    for figure in chosen:
        at = bisect.bisect_right(starts, figure.start) - 1
        inside = at >= 0 and by_sentence[at].start <= figure.start < by_sentence[at].end
        figure.sentence = by_sentence[at] if inside else None
        figure.qualifier = _qualifier(flat, figure.start)
    return _attach_growth(flat, chosen)


def _attach_growth(flat: str, figures: list[RawFigure]) -> list[RawFigure]:
    """A growth percent in the same sentence as one amount becomes that amount's ``growth_pct``."""
    absorbed: set[int] = set()
    amounts_in: dict[Sentence, list[int]] = {}  # the amounts of each sentence (looked up per percent)
    for j, other in enumerate(figures):
        if other.kind == "amount" and other.sentence is not None:
            amounts_in.setdefault(other.sentence, []).append(j)
    for index, figure in enumerate(figures):
        if figure.kind != "percent" or figure.sentence is None or not _is_growth(flat, figure, figure.sentence):
            continue
        amounts = [
            (abs(figures[j].start - figure.start), j)
            for j in amounts_in.get(figure.sentence, [])
            if figures[j].growth_pct is None
        ]
        sign = -1.0 if _is_decline(flat, figure, figure.sentence) else 1.0
        if amounts:
            target = figures[min(amounts)[1]]
            target.growth_pct = sign * figure.value
            absorbed.add(index)
        else:
            figure.value *= sign
            figure.extra["growth"] = "yes"
    for figure in figures:  # a change in percentage points has a direction too: "narrowed by 3 points"
        if figure.kind == "points" and figure.sentence is not None and _is_decline(flat, figure, figure.sentence):
            figure.value = -figure.value
    return [f for i, f in enumerate(figures) if i not in absorbed]
