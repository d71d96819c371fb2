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
import csv
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

from pipeline.parse.spans import Taken, starting_in

NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
GUARD = r"(?<![\w.,/:])(?<![\w.,/:%-]-)"  # not inside a word, a decimal, a range (10-15), a date (2023-02-23) or a
# time (15:27); a sign is no part of the number: "-2.1%", "minus 3.2 percent" are signed by :func:`_signed`
# "HK$900m", "$5k"
SCALE = r"(?P<scale@>thousand|million|billion|trillion|bn|bln|mn|mln|tn|trn|trln|crores?|lakhs?|(?<=\d)[mkb])\b"
# powers of ten; wire abbreviations ("$239.76 bln", "23.12 trln yuan") and short scales ("3.2m", "1.2k") too
SCALES = {"thousand": 3, "k": 3, "million": 6, "m": 6, "mn": 6, "mln": 6, "billion": 9, "bn": 9, "bln": 9, "b": 9,
          "trillion": 12, "tn": 12, "trn": 12, "trln": 12, "lakh": 5, "lakhs": 5, "crore": 7, "crores": 7}
CURRENCIES_PATH = Path(__file__).resolve().parent.parent / "mappings" / "currencies.csv"
CUSTOMS_CODES_PATH = CURRENCIES_PATH.with_name("customs_codes.csv")  # customs supervision codes: always labels
VERSION_FILES = (CURRENCIES_PATH, CUSTOMS_CODES_PATH)  # the mappings are code: the figures stage is versioned by them


def _currency_spellings(path: Path) -> tuple[dict[str, str], str, str]:
    """The committed currency spellings: printed form (lower case) -> ISO code, and the alternations of the forms
    printed before a number ("HK$", "RMB") and after it ("yuan", "patacas"), longest first so "HK$" wins over "$"
    and "Singapore dollars" over "dollars". A form starting with "-" is printed after a hyphen ("800-dollar")."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    codes = {row["printed"].lower().lstrip("-"): row["code"] for row in rows}

    def alternation(positions: tuple[str, ...]) -> str:
        forms = sorted((row["printed"] for row in rows if row["position"] in positions), key=len, reverse=True)
        return "|".join(
            rf"(?<=-){re.escape(f[1:])}" if f.startswith("-")
            else ("(?<![A-Za-z])" if f[:1].isalpha() else "") + re.escape(f).replace(r"\ ", r"\s+")  # not "...rs"
            for f in forms
        )  # fmt: skip

    return codes, alternation(("before", "both")), alternation(("after", "both"))


CURRENCIES, _CUR_PRE, _currency_after = _currency_spellings(CURRENCIES_PATH)
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
    # compounds whose head alone says too little: "1,293 tariff lines", "10 customs districts"
    "tariff lines": "tariff lines", "customs districts": "customs districts", "air routes": "air routes",
    "pallet positions": "pallet positions", "declaration lists": "declaration lists",
}  # fmt: skip
MEASURES = {
    "tonnes": "tonnes", "tonne": "tonnes", "tons": "tonnes", "kilometres": "kilometres",
    "kilometre": "kilometres", "kilometers": "kilometres", "kilometer": "kilometres", "km": "kilometres",
    "square metres": "square metres", "square meters": "square metres", "square metre": "square metres",
    "square meter": "square metres", "sq m": "square metres", "sqm": "square metres", "sq. m": "square metres",
    "sq.m": "square metres", "t": "tonnes",
    "square feet": "square feet", "square foot": "square feet", "sq ft": "square feet",
    "cubic metres": "cubic metres", "cubic meters": "cubic metres", "hectares": "hectares", "mu": "mu",
    "kilograms": "kilograms", "kilogram": "kilograms", "kg": "kilograms", "teu": "TEU", "teus": "TEU",
    "metres": "metres", "meters": "metres",
}  # fmt: skip
# Words that may stand between a number and its counted noun ("8,000 foreign trade and manufacturing
# enterprises") must not be these: "In 2017 the city", "one of the zones", "35 ways to support enterprises".
NOT_BETWEEN = (
    "the|a|an|of|in|to|ago|year|years|by|for|with|that|which|this|these|those|its|their|his|her|our|at|on|"
    "from|as|is|was|are|were|has|have|had|will|would"
)
QUALIFIERS = (  # the hedge printed before a number, as written ("just under half": "just under")
    r"(?P<q>just under|just over|about|around|approximately|roughly|nearly|almost|barely|over|more than|less than|"
    r"fewer than|"
    r"under|some|up to|at least|close to)"
)
HEDGE = (
    r"(?:(?:about|around|approximately|roughly|nearly|almost|some|over|more than|close to|an estimated|just|only|"
    r"an?\s+(?:annual\s+)?average\s+of|"
    r"a mere|just over|just under|as much as|as little as|up to|a further|another|an additional|"
    r"(?:a\s+)?(?:meagre|meager|modest|mere|scant|healthy|"
    r"robust|strong|brisk|solid|sharp|"
    r"steep|slight|whopping|record))\s+)?"
)  # "(roughly 50 billion yuan)", "up a meagre 2.08 percent", "edged up just 2.4 percent"
DECLINE = re.compile(
    r"\b(?:down|lower|decreas(?:e|ed|es|ing)|declin(?:e|ed|es|ing)|fell|falling|falls?|drop(?:ped|ping|s)?|"
    r"shr(?:a|i|u)nk(?:ing|s)?|contract(?:ed|ing|s)?|slipp(?:ed|ing)|slid(?:ing)?|slump(?:ed|ing)?|"
    r"plung(?:e|ed|ing)|plummet(?:ed|ing)?|tumbl(?:e|ed|ing)|sank|sink(?:ing)?|narrow(?:ed|ing)?|fallen|"
    r"eas(?:e|ed|es|ing)|dipp(?:ed|ing)|dips?|slash(?:ed|es|ing)?|trimm(?:ed|ing)|lower(?:ed|ing)|cut(?:s|ting)?|"
    r"reduc(?:e|ed|es|ing)|lost|los(?:e|es|ing)|shed(?:s|ding)?|retreat(?:ed|ing|s)?|weaken(?:ed|ing|s)?|"
    r"soften(?:ed|ing|s)?|sag(?:ged|ging|s)?|div(?:e|ed|es|ing)|dove|skid(?:ded|ding|s)?|fell\s+back|gave\s+up|"
    r"(?:was|were|is|are)\s+off|slow(?:ed|ing|s)?|sink|sinks|slides?)\b",
    re.IGNORECASE,
)
# what a rate is compared with, printed after it: "up 8 percent year on year", "15% QoQ", "+3% y/y"
COMPARED_ON = (
    r"(?i:year[\s-]on[\s-]year|y/y|y-o-y|yoy|q/q|qoq|quarter[\s-]on[\s-]quarter|m/m|month[\s-]on[\s-]month|"
    r"(?:from|on|over)\s+(?:a|the)\s+(?:(?:previous|prior|preceding|same)\s+)?(?:year|quarter|month|period)"
    r"(?:\s+(?:earlier|before|ago|last\s+year))?)"
)
# the growth phrase right before a percent; the leftmost match is the whole phrase ("down by", not "by"),
# so DECLINE can read its direction
GROWTH_BEFORE = re.compile(
    r"(?:growth rate (?:has been|was|is|of|at)|"
    r"(?<!made )(?<!make )(?<!makes )(?<!making )\b(?:up|down|higher|lower)(?: by)?|"  # not "making up 86 percent"
    r"\b(?:in|de)creas(?:e|ed|es|ing)(?: by| of)?|\bdeclin(?:e|ed|es|ing)(?: by| of)?|"
    r"\b(?:grew|rose|rising|growing|climbed|fell|falling|dropped|dropping|slipped|slid|shrank|shrinking|"
    r"contracted|contracting|plunged|tumbled|sank|narrowed|widened|edged (?:up|down)|falls?|fallen|risen|grown|"
    r"eased|easing|dipped|slumped|soared|gained|expanded|rebounded|jumps|rises|grows|falls|climbs|surges|soars|"
    r"slips|drops|declines|gains|slides|dips|tumbles|plunges|shed|sheds|retreated|weakened|softened|sagged|dived|"
    r"dove|skidded|plummeted|fell back|gave up|(?:was|were) off|slowed|slowing|"
    # headline verbs in the base form: "exports drop 4% in May", "Temu orders slide 5%"
    r"drop|sink|sinks|slide|surge|soar|jump|climb|rise|grow|fall|dip|slip|gain|tumble|plunge)(?: by)?|"
    r"\b(?:a|an|the) (?:[\w-]+ )?(?:drop|fall|rise|increase|decrease|decline|contraction|jump|surge|gain|leap|slide|"
    r"slump|climb) of|"  # "a year-on-year drop of 15.3 percent"
    r"surged|jumped|growth of|\bby|slipping|sliding|dipping|easing|edging (?:up|down)|climbing|jumping|surging|soaring|"
    r"gaining|expanding|plunging|tumbling|slumping|rebounding|advancing|"
    r"\b(?:grew|rose|fell|dropped|slipped|climbed|jumped|surged|declined|increased|decreased) "
    r"(?:a|an)(?: [a-z]+){0,2}?)"
    rf"\s+{HEDGE}$",
    re.IGNORECASE,
)
GROWTH_AFTER = re.compile(
    rf"^\s*(?:{COMPARED_ON}|year-on-year|growth|increase|rise|decrease|decline|drop|fall|from a year earlier|"
    r"over the previous|"
    r"jump|surge|gain|climb|leap|slide|slump|contraction|"
    r"(?:more|higher|lower|less|fewer|above|below)\s+than\s+(?:in\s+|during\s+|a\s+year|the\s+(?:same|previous|year|"
    r"month|quarter|first|second|third|fourth|last)|last\b|(?:19|20)\d\d|that\s+of\s+(?:a|the|last))|"
    r"(?:more|higher|lower|less|fewer)\s+(?:on|from|compared)\b|(?:higher|lower)(?=\s*[.,;])|"
    r"(?:higher|lower)\s+at\b|"  # "closed 4.7 per cent higher at HK$13.48"
    r"(?:above|below)\s+(?:(?:its|their|the|a)\s+)?(?:[\w'’-]+\s+){0,2}?levels?\b)",
    re.I,
)  # "9.9 percent more than in 2024", "a 38 percent jump on the year before", "9 per cent lower than a year earlier",
# "35 percent below pre-pandemic levels"
DECLINE_AFTER = re.compile(
    r"^\s*(?:year-on-year\s+)?(?:decrease|decline|drop|fall|contraction|slump|slide|(?:lower|less|fewer|below)\b)",
    re.I,
)

_nouns = "|".join(sorted((re.escape(n) for n in COUNT_NOUNS), key=len, reverse=True))
_word = "|".join(WORD_NUMBERS)
_words = rf"(?:{_word})(?:[\s-]+(?:{_word})){{0,5}}"  # "seven", "two hundred", "twenty-four"; bounded: linear time
_money_pre = rf"(?P<cur@>{_CUR_PRE})\s*(?P<num@>{NUM})(?:(?:\s*|-){SCALE})?(?![\w%])"  # "$1.2-trillion"
_money_words = rf"{_words}(?=\s+(?:thousand|million|billion|trillion|bn|bln|mn|mln|trn|trln)\b)"  # "two trillion yuan"
# "an 800-dollar threshold": the adjective form of an amount
_money_post = rf"{GUARD}(?P<num@>{NUM}|{_money_words})(?:(?:\s*|-){SCALE})?(?:\s+|-)(?P<cur@>{_currency_after})\b"


def _money(n: int) -> str:
    """Both money shapes, with group names numbered n (currency first) and n + 1 (currency after)."""
    return f"(?:{_money_pre.replace('@', str(n))}|{_money_post.replace('@', str(n + 1))})"


# the units of a measure, spaces as space or hyphen ("5,000-square-metre"); "t" is tonnes only before "of" ("86,500 t
# of cargo")
_MEASURE_UNITS = "|".join(
    [*sorted((re.escape(u).replace("\\ ", "[ -]") for u in MEASURES if u != "t"), key=len, reverse=True),
     r"t(?=\s+of\b)"]
)
PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("amount", re.compile(rf"{_money(1)}(?:(?:\s+per\s+[a-z]+)?\s*\(\s*{HEDGE}{_money(3)}\s*\))?", re.IGNORECASE)),
    ("measure", re.compile(
        rf"{GUARD}(?P<num>{NUM})(?:\s+(?P<scale>thousand|million|billion|mn|mln|bn|bln)\b|(?P<short>[mk]|mn|mln|bn|bln)(?=\s))?(?:\s+|-)"
        rf"(?P<unit>{_MEASURE_UNITS})\b",
        re.IGNORECASE,
    )),
    ("points", re.compile(rf"{GUARD}(?P<num>{NUM})\s*(?:percentage|pct\.?)\s+points?\b", re.IGNORECASE)),
    # "1.5 ppt", "0.3pp": abbreviated percentage points ("pp" only after a decimal: "12 pp" may be pages)
    ("points", re.compile(rf"{GUARD}(?P<num>{NUM})\s*(?:ppts?|(?<=\.\d)pp|(?<=\.\d\d)pp)(?!\w|\.\w)", re.IGNORECASE)),
    ("points", re.compile(rf"{GUARD}(?P<num>{NUM})\s+points?\b(?P<bare>)", re.IGNORECASE)),  # "6.1 points"
    ("points", re.compile(rf"{GUARD}(?P<num>{NUM})\s*(?:bps|bp|basis\s+points?)\b(?P<bps>)", re.IGNORECASE)),  # 180 bps
    ("percent", re.compile(
        rf"{GUARD}(?P<num>{NUM})\s*(?:%|per\s?cent\b|percent\b|pct\b|(?<=\d)(?-i:pc)\b)", re.IGNORECASE
    )),  # "27pc"; not "3 pc" (pieces)
    ("percent", re.compile(rf"(?<![\w-])(?P<num>{_words})\s+(?:per\s?cent|percent)\b", re.IGNORECASE)),
    # "Seventy-five percent of respondents", "rose by two per cent"
    ("ratio", re.compile(
        rf"{GUARD}(?P<num>{NUM}|{_words})(?:\s*(?:-|–|\bto\b)\s*(?P<high>{NUM}|{_words}))?"  # "three to four times"
        rf"(?:\s+times\b(?!\s+(?:a|an|per|each|every)\s+(?:day|week|month|year)\b)|-fold\b"
        # "28x FY2025E earnings"
        rf"|(?<=\d)x(?=\s+(?:the|its|their|that|FY\d*E?|forward|trailing|earnings|sales|revenue|book)\b))",
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
    value_high: float | None = None  # the high bound of a range ("10-15 percent")
    rule: str = ""  # which finder read it
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
    if "dozen" in text.lower():
        return _dozen(text)  # "a dozen", "two dozen"
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
            return value, CURRENCIES[" ".join(match.group(f"cur{k}").lower().split())], num
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
    if kind == "measure":  # "4.5m square metres": a short scale
        short = (match.group("short") or "").lower()
        value = number(num, match.group("scale") or {"m": "million", "k": "thousand"}.get(short) or (short or None))
        return RawFigure(
            kind, start, end, value, MEASURES[" ".join(match.group("unit").lower().replace("-", " ").split())], num
        )
    if kind == "points":
        if match.groupdict().get("bare") is not None and (not re.search(
            r"(?:percent|per cent|%|\bshare|\brate|\bgrowth)", match.string[max(0, start - 120) : start], re.I
        ) or number(num) >= 100):  # fmt: skip
            return None  # "6.1 points" is percentage points only where the text speaks of percentages, and no
            # hundred of them: "fell 1.2 percent to 18,000 points" is an index level
        if match.groupdict().get("bps") is not None:  # "180 bps" is 1.8 percentage points
            return RawFigure(kind, start, end, number(num) / 100, "percentage points", num)
        return RawFigure(kind, start, end, number(num), "percentage points", num)
    if kind == "percent":
        return RawFigure(kind, start, end, number(num), "percent", num)
    if kind == "ratio":
        high = match.groupdict().get("high")
        if high is not None and number(high) <= number(num):
            return None  # "2024-2 times": no range
        return RawFigure(kind, start, end, number(num), "times", num,
                         value_high=number(high) if high is not None else None)  # fmt: skip
    scale = match.groupdict().get("scale")
    between = match.string[match.end("num") : match.start("noun")]
    if re.fullmatch(r"(?:19|20)\d\d", num) and (
        between.strip()  # words between the year and the noun: "2018 Chinese enterprises" ("1900 pilot zones" has none)
        or re.search(r"\b(?:in|by|since|from|until|to|during|before|after|of|year)\s+$", flat_before(match), re.I)
    ):
        return None  # a year, not a count
    return RawFigure(kind, start, end, number(num, scale), COUNT_NOUNS[match.group("noun").lower()], num)


def _inside_name(flat: str, figure: RawFigure) -> bool:
    """A count inside a short quoted name ("‘one district thirteen parks’", "the \"six systems and two
    platforms\" framework") is part of a name."""
    if figure.kind != "count":
        return False
    before, after = flat[max(0, figure.start - 30) : figure.start], flat[figure.end : figure.end + 30]
    # an opening quote stands after a space (typesetters use ‘ or ’ for it); a closing one before a non-letter
    opening = re.search(r"(?:^|\s)[‘’'][^‘’']*$", before)
    closing = re.match(r"^[^‘’']*[‘’'](?![A-Za-z])", after)
    double_open = re.search(r"(?:^|\s)[\"“][^\"“”]*$", before)
    # a short quoted phrase used as a modifier ("the \"six systems and two platforms\" framework") is a name;
    # quoted speech ("\"We have approved 33 new zones,\" said ...") is not
    double_close = re.match(
        r"^[^\"“”,.;]{0,40}[\"”]\s+(?!(?:said|says|he|she|they|according|added|told)\b)[a-z]", after
    )
    # what the text names ("what officials call its \"six systems and two platforms\"", "the so-called \"...\"")
    named = double_open and re.search(
        r"\b(?:call|calls|called|known as|dubbed|so-called|named|termed|branded)\s+(?:it|its|their|the|this|a)?\s*"
        r"[\"“][^\"“”]*$",
        flat[max(0, figure.start - 80) : figure.start],
    )
    return bool(opening and closing) or bool(double_open and (double_close or named))


def _qualifier(flat: str, start: int) -> str | None:
    match = re.search(rf"\b{QUALIFIERS}\s+(?:of\s+)?$", flat[max(0, start - 20) : start], re.IGNORECASE)
    return match.group("q").lower() if match else None


def _is_decline(flat: str, figure: RawFigure, sentence: Sentence) -> bool:
    """Only the growth phrase right before the percent ("fell 5%", "down 9.8%") or right after it
    ("a 5% decrease") decides the sign; "Imports declined, while exports rose 12%" is +12."""
    window = flat[max(sentence.start, figure.start - 30) : figure.start]
    before = GROWTH_BEFORE.search(window)
    elided = re.search(r",?\s+and\s+(?:its\s+|their\s+|the\s+)?(?:net\s+)?[a-z][\w-]*\s+by\s+"
                       r"(?:about\s+|around\s+|roughly\s+|nearly\s+|some\s+)?$", window)
    if before and elided is not None and before.start() >= elided.start():
        # "Sales fell by a quarter to 600 million yuan, and profit by 40 percent": the verb the clause leaves out
        # is the one before
        last = list(re.finditer(r"\b(?:fell|dropped|declined|slid|slipped|shrank|decreased|sank|tumbled|plunged|rose|"
                                r"grew|climbed|jumped|increased|gained|surged)\b",
                                flat[max(sentence.start, figure.start - 120) : figure.start]))
        if last:
            return bool(DECLINE.search(last[-1].group(0)))
    if before:
        return bool(DECLINE.search(before.group(0)))
    return bool(DECLINE_AFTER.search(flat[figure.end : min(sentence.end, figure.end + 30)]))


def _is_growth(flat: str, figure: RawFigure, sentence: Sentence) -> bool:
    before = flat[max(sentence.start, figure.start - 30) : figure.start]
    if re.search(r"\bfrom\s+[\d.]+\s*(?:%|per\s?cent|percent|pct)\s+to\s+(?:about\s+|around\s+|nearly\s+)?$", before,
                 re.IGNORECASE):
        return False  # "climbed from 5.1 percent to 6.0 percent over the period": the level it reached
    after = flat[figure.end : min(sentence.end, figure.end + 30)]
    plus = re.search(r"(?:^|[\s(])\+\s*$", before)  # "(+12%)": a printed plus is a change
    # and so is a printed minus in the same place: "Guangdong: 1.2 trillion yuan, +8.1%; Zhejiang: 541 billion
    # yuan, -2.3%", "(-3.5%)" (the sign is inside the figure's span)
    minus = "signed" in figure.extra and flat[figure.start : figure.start + 1] in "-−–" and re.search(
        r"(?:[(]|\d\s*(?:[a-z]+\s*){0,2},)\s*$", before, re.IGNORECASE
    )
    return bool(GROWTH_BEFORE.search(before) or GROWTH_AFTER.search(after) or plus or minus)


def extract_figures(text: str) -> list[RawFigure]:
    """Every figure in ``text`` (non-overlapping, in order), with qualifier, sentence and growth."""
    flat = flatten(text)
    matches: list[RawFigure] = []
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(flat):
            figure = _figure(kind, match)
            if figure is not None:
                figure.rule = figure.rule or kind
                matches.append(figure)
    matches.extend(_ranges(flat))
    matches.extend(_fractions(flat))
    matches.extend(_one_in(flat))
    matches.extend(_multiples(flat))
    matches.extend(_counts(flat))
    matches.extend(_parts_of(flat))
    labels = _label_numbers(flat)
    rates = [m.span() for m in EXCHANGE_RATE_NOTE.finditer(flat)]  # "($1 = 7.2 yuan)": a rate, not two amounts
    matches = [f for f in matches if not _in_name(flat, f) and not (f.kind == "count" and f.value_text in labels)
               and not any(a <= f.start and f.end <= b for a, b in rates)
               and not (f.kind == "amount" and EXCHANGE_RATE_AFTER.match(flat, f.end))
               and not (f.kind == "amount" and _in_equation(flat, f))]  # fmt: skip
    matches.sort(
        key=lambda f: (f.start, -(f.end - f.start) if f.rule == "range" else 0, PRIORITY[f.kind], -(f.end - f.start))
    )
    chosen: list[RawFigure] = []
    for figure in matches:
        if chosen and figure.start < chosen[-1].end:
            continue  # overlaps a figure already taken (amount > measure > percent > count)
        chosen.append(figure)
    chosen = _conversions_in_text(flat, chosen)
    by_sentence = sentences(text)  # in order and disjoint: the sentence of a figure is found by bisection
    starts = [s.start for s in by_sentence]
    chosen = [f for f in chosen if not _inside_name(flat, f)]
    chosen = sorted([*chosen, *_bare_counts(flat, chosen, by_sentence)], key=lambda f: f.start)
    kept = []
    examples = _worked_examples(flat, by_sentence)
    for figure in chosen:
        at = bisect.bisect_right(starts, figure.start) - 1
        if at >= 0 and at in examples:
            continue  # "Run the numbers on a cable listed at $20. If the seller pays 15 percent ...": no claim
        inside = at >= 0 and by_sentence[at].start <= figure.start < by_sentence[at].end
        figure.sentence = by_sentence[at] if inside else None
        if figure.sentence is not None and figure.end > figure.sentence.end:
            continue  # a figure does not run on into the next sentence ("Page 3. Imports ...", "50.3¥ \n\n2016")
        figure.qualifier = _qualifier(flat, figure.start)
        kept.append(_signed(flat, figure))
    return _attach_growth(flat, kept)


# a sign: "minus 3.2 percent", "-2.1%" (not "5%-10%", "revenue--12 percent", "plus or minus 3", "price minus 15")
SIGN_BEFORE = re.compile(
    r"(?:(?<!\bor\s)(?<!±)(?<!\bprice\s)(?<!\bcost\s)(?<!\bvalue\s)(?<!\btotal\s)(?<!\bsales\s)\bminus\s+"
    r"|(?<![\w.,/:%)-])[-−–])$",
    re.IGNORECASE,
)


CONVERSION_BETWEEN = re.compile(
    r"\s*(?:,\s*or|,\s*equivalent\s+to|[-–—]{1,2})\s+(?:(?:about|around|roughly|some|nearly|approximately|almost)\s+)?",
    re.IGNORECASE,
)
CONVERSION_END = re.compile(r"\s*(?:[,.;)]|[-–—]|$)")


def _conversions_in_text(flat: str, figures: list[RawFigure]) -> list[RawFigure]:
    """A conversion printed in running text ("8.5 billion yen, or about $57 million, in ...", "70 billion yuan --
    about $9.7 billion --") belongs to the amount before it, as one in brackets does."""
    out: list[RawFigure] = []
    for figure in figures:
        last = out[-1] if out else None
        if (last is not None and last.kind == figure.kind == "amount" and last.unit != figure.unit
                and last.converted_value is None and figure.converted_value is None and last.value_high is None
                and figure.value_high is None
                and CONVERSION_BETWEEN.fullmatch(flat, last.end, figure.start)
                and CONVERSION_END.match(flat, figure.end)):  # fmt: skip
            last.converted_value, last.converted_unit, last.end = figure.value, figure.unit, figure.end
            continue
        out.append(figure)
    return out


def _signed(flat: str, figure: RawFigure) -> RawFigure:
    """A number printed with its sign ("minus 3.2 percent", "-2.1%", "−4.5 percent") is negative, and its span
    begins with the sign."""
    sign = SIGN_BEFORE.search(flat, max(0, figure.start - 8), figure.start)
    if sign is None or figure.value is None or figure.kind not in ("percent", "points", "amount", "measure"):
        return figure
    figure.start = sign.start()
    figure.value = -abs(figure.value)
    if figure.value_high is not None:
        figure.value, figure.value_high = -abs(figure.value_high), figure.value
    figure.extra["signed"] = "printed"
    return figure


# a worked example: a sentence that sets one up ("Run the numbers on a cable listed at $20", "Suppose a seller ...",
# "Imagine ..."), the conditional sentences that follow it and "That leaves ..." after them
EXAMPLE_START = re.compile(
    r"\s*[\"“]?(?:Run the numbers|Do the maths?|Do the math|Suppose|Supposing|Imagine|Picture|Assume|Assuming|"
    r"Take an? (?:example|typical|hypothetical)|Consider an?|Say an?)\b"
)
EXAMPLE_GOES_ON = re.compile(r"\s*[\"“]?(?:If|Then|That leaves|That is|This leaves|Which leaves)\b")


def _worked_examples(flat: str, by_sentence: list[Sentence]) -> set[int]:
    """The indices of the sentences of worked examples, whose numbers are no claims about the world."""
    found: set[int] = set()
    for i, sentence in enumerate(by_sentence):
        text = flat[sentence.start : sentence.end]
        if EXAMPLE_START.match(text) or (i - 1 in found and EXAMPLE_GOES_ON.match(text)):
            found.add(i)
    return found


def _attach_growth(flat: str, figures: list[RawFigure]) -> list[RawFigure]:
    """A growth percent becomes the ``growth_pct`` of the amount, measure or count it is stated for: one in its
    own clause, the nearest by the text between ("rose 10.5 percent to 90 billion yuan", "86,500 tonnes, up 27
    percent"); a rate after an amount's clause, or before an amount it does not lead to, is its own figure."""
    from pipeline.parse.periods import clause_of

    absorbed: set[int] = set()
    targets_in: dict[Sentence, list[int]] = {}  # the amounts, measures and counts of each sentence
    for j, other in enumerate(figures):
        if other.kind in ("amount", "measure", "count") and other.sentence is not None:
            targets_in.setdefault(other.sentence, []).append(j)
    absorbed |= _respectively(flat, figures)
    for index, figure in enumerate(figures):
        if index in absorbed:
            continue
        if figure.kind != "percent" or figure.sentence is None:
            continue
        if not _is_growth(flat, figure, figure.sentence):
            previous = figures[index - 1] if index else None
            if (previous is not None and previous.kind == "percent" and "growth" in previous.extra
                    and previous.sentence == figure.sentence and "signed" not in figure.extra
                    and "growth" not in figure.extra
                    and ELLIPTICAL_RATE.fullmatch(flat, previous.end, figure.start)
                    and not re.match(r"\s+of\b", flat[figure.end : figure.end + 4])):  # fmt: skip  # not a share
                # "rose 10 percent in 2022 and 15 percent in 2023": the second rate shares the first's verb
                figure.value = -figure.value if previous.value < 0 else figure.value
                figure.extra["growth"] = "yes"
            continue
        sentence = figure.sentence
        clause = clause_of(flat, (sentence.start, sentence.end), figure.start)
        implied = IMPLIED.search(flat, max(clause[0], figure.start - 60), figure.start)
        free = [j for j in targets_in.get(sentence, []) if figures[j].growth_pct is None]
        in_clause = [
            j for j in free
            if clause[0] <= figures[j].start < clause[1]
            and not _in_closed_relative(flat, figures[j], figure)
            and not _own_subject(flat, figures[j], figure)
            and (_leads_to(flat, figure, figures[j]) if figures[j].kind == "amount"
                 else _next_to(flat, figures[j], figure))
        ]  # fmt: skip
        pool = [] if implied else in_clause  # a rate in another clause is its own figure ("..., and rates eased 6
        # percent"), and so is a rate the text derives ("which implies average annual growth of 11.7 percent")
        cut_by = _declines_by(flat[max(sentence.start, figure.start - 70) : figure.start])
        printed_sign = "signed" in figure.extra  # "-2.1%" is negative whatever the verb: the value has its sign
        sign = -1.0 if (_is_decline(flat, figure, sentence) or cut_by) and not printed_sign else 1.0
        if pool:
            target = figures[min(pool, key=lambda j: len(_between(flat, figures[j], figure)))]  # the nearest by gap
            target.growth_pct = sign * figure.value
            if figure.value_high is not None:
                target.extra["uncertain"] = (
                    f"its growth is a range ({flat[figure.start : figure.end]}); only the low bound is kept"
                )
            absorbed.add(index)
        else:
            if sign < 0 and figure.value_high is not None:  # "fell 10 to 15 percent": -15 .. -10
                figure.value, figure.value_high = -figure.value_high, -figure.value
            else:
                figure.value *= sign
            figure.extra["growth"] = "yes"
    for figure in figures:  # a change in percentage points has a direction too: "narrowed by 3 points"
        if (figure.kind == "points" and figure.sentence is not None and "signed" not in figure.extra
                and _is_decline(flat, figure, figure.sentence)):  # fmt: skip
            if figure.value_high is not None:  # "narrowed by between 1 and 2 points": -2 .. -1
                figure.value, figure.value_high = -figure.value_high, -figure.value
            else:
                figure.value = -figure.value
    for figure in figures:  # a change stated as an amount or count: "imports fell by 70 billion yuan"
        if figure.kind not in ("amount", "count", "measure") or "signed" in figure.extra:
            continue
        before = flat[max(figure.sentence.start if figure.sentence else 0, figure.start - 70) : figure.start]
        if _declines_by(before):
            figure.value = -figure.value
            figure.extra["change"] = "yes"
        elif RISE_BY.search(before):
            figure.extra["change"] = "yes"  # "exports rose by 300 billion yuan": an increase, not a level
    return [f for i, f in enumerate(figures) if i not in absorbed]


ELLIPTICAL_RATE = re.compile(  # "rose 10 percent in 2022 and 15 percent in 2023"
    r"(?:\s+(?:in|during|for|over)\s+[^,;.%\d]{0,30}?(?:(?:19|20)\d\d)?)?,?\s+and\s+(?:by\s+)?"
)
RISE_BY = re.compile(
    r"\b(?:rose|grew|increased|climbed|jumped|surged|expanded|added|gained|widened)\b(?:\s+(?!by\b)[\w'’-]+){0,3}?"
    r"\s+by\s+(?:(?:about|around|roughly|nearly|almost|some|over|more than)\s+)?$",
    re.IGNORECASE,
)


NEXT_RATE = re.compile(
    r"(?:[^,;(]{0,80},|\s*\(\s*\+?)\s*"  # "86,500 tonnes (+27%)", "numbered 328 (up 19 percent)" too
    r"(?:(?:edging|rising|falling|slipping|climbing|dropping|jumping|growing)\s+)?(?:up|down)?\s*"
    # "1.23 billion parcels, an increase of 45.6%", "a year-on-year drop of 3 percent"
    r"(?:(?:an?|the)\s+(?:[\w-]+\s+)?(?:increase|rise|gain|jump|growth|decrease|decline|drop|fall)\s+of\s+)?"
    r"(?:by\s+)?(?:(?:about|around|roughly|nearly|some|just)\s+)?"
)  # "86,500 tonnes in January-August, up 27 percent", "2.19 million TEU were handled, edging down 3.1 percent"
NEXT_RATE_WORD = re.compile(
    r"\b(?:up|down|edging|rising|falling|slipping|climbing|dropping|jumping|growing|increase|rise|gain|jump|growth|"
    r"decrease|decline|drop|fall)\b|\(\s*\+?$"
)


def _next_to(flat: str, target: RawFigure, rate: RawFigure) -> bool:
    """A rate is a count's or measure's growth only when it is stated for it: "rose 27 percent to 86,500
    tonnes", "86,500 tonnes in January-August, up 27 percent" ("Exports to 120 countries grew 15 percent" is
    the exports' growth)."""
    if rate.start > target.end:
        between = flat[target.end : rate.start]
        if NEXT_RATE.fullmatch(between) and NEXT_RATE_WORD.search(between):
            return True
        # "6.2 million parcels over the festival period, a fifth more than last year"
        after = flat[rate.end : rate.end + 30]
        # (", a 45 percent increase")
        return bool(re.fullmatch(r"[^,;]{0,80},\s*(?:an?\s+)?", between)) and bool(GROWTH_AFTER.match(after))
    between = flat[rate.end : target.start]
    return bool(re.fullmatch(  # "rose 27 percent to 86,500 tonnes", "rose 20 percent year on year to 5.6 billion"
        # "grew 21.6 percent in 2022, to 214", "a further 35 percent in 2021, to more than 1,300"
        rf"\s*(?:{COMPARED_ON}\s*)?(?:\s*(?:in|during|for)\s+(?:19|20)\d\d,|\s*the\s+following\s+year,|\s*that\s+year,)?"
        r",?\s*to\s+(?:(?:about|around|some|nearly|over|more than)\s+)?", between,
        re.IGNORECASE,
    ))


RESPECTIVELY = re.compile(r"[^,;:]{0,40}?,?\s*\brespectively\b", re.IGNORECASE)
RESPECTIVELY_BEFORE = re.compile(
    r"\brespectively\s*,?\s*(?:(?:up|down|rising|falling|growing|increasing|decreasing)\s+(?:by\s+)?)?$", re.IGNORECASE
)


MAIN_VERB_AFTER_COMMA = re.compile(
    r"\s*(?:\w+\s+){0,2}?(?:rose|fell|grew|jumped|dropped|declined|climbed|increased|decreased|slipped|surged|soared|"
    r"plunged|slid|edged|gained|lost|expanded|shrank|slumped|contracted|dipped|eased|tumbled|rebounded|sank|was|were|"
    r"is|are|has|have|had)\b",
    re.IGNORECASE,
)
# after the last comma before a rate, a subject of its own and its verb of change: "In the US, where the $800
# threshold is under review, the firm said volumes at its hub contracted 12%": the rate is the volumes', not the
# threshold's ("..., up 12 percent", "..., rising 12 percent", "..., which grew 12 percent" have no subject)
OWN_SUBJECT = re.compile(
    r"\s*(?:an?\s+(?:year|period|quarter|month|time)\s+(?:in|during)\s+which\s+)?"  # ", a year in which exports grew"
    r"(?!(?:which|that|who|it|they|this|these|up|down|an?|or|and|from|to|after|before|compared|versus|against)\b)"
    r"[\w$'’-]+\s+(?:[\w$'’.-]+\s+){0,10}?(?:rose|fell|grew|jumped|dropped|declined|climbed|increased|decreased|"
    r"slipped|surged|soared|plunged|slid|edged(?:\s+(?:up|down))?|gained|lost|expanded|shrank|slumped|contracted|dipped|"
    r"eased|tumbled|rebounded|sank)\s+(?:by\s+)?(?:(?:about|around|nearly|almost|roughly|some|just)\s+)?",
    re.IGNORECASE,
)


def _own_subject(flat: str, target: RawFigure, rate: RawFigure) -> bool:
    """Between ``target`` and ``rate`` a comma, and after the last comma a subject and a verb of change that the
    rate completes: the rate is that subject's."""
    between = flat[target.end : rate.start]
    return target.end <= rate.start and "," in between and OWN_SUBJECT.fullmatch(between.rsplit(",", 1)[1]) is not None


def _in_closed_relative(flat: str, target: RawFigure, rate: RawFigure) -> bool:
    """``target`` is inside a relative clause that a comma closes before ``rate`` ("Exports to the US, which in May
    ended its 800-dollar threshold, dropped 11.3 percent"): the rate is the main clause's, not the target's."""
    between = flat[target.end : rate.start]
    if target.end > rate.start or "," not in between:
        return False
    if not MAIN_VERB_AFTER_COMMA.match(between.rsplit(",", 1)[1]):
        return False  # "..., which totaled 3.08 trillion yuan last year, up 8.1 percent" (", a 19.6 percent
        # increase"): no main clause's verb before the rate, so it is the amount's own growth
    opened = flat[max(0, target.start - 80) : target.start].rsplit(",", 1)
    return len(opened) == 2 and re.match(r"\s*(?:which|who|whose|where)\b", opened[1], re.IGNORECASE) is not None


def _respectively(flat: str, figures: list[RawFigure]) -> set[int]:
    """"exports of 51.8 billion yuan and imports of 10.6 billion yuan, up 58.7 percent and 75.2 percent
    respectively": the k-th rate is the growth of the k-th amount before it. The indices of the rates so
    attached."""
    taken: set[int] = set()
    for index, figure in enumerate(figures):
        if figure.kind != "percent" or figure.sentence is None or index in taken:
            continue
        rates = [index]  # "58.7 percent and 75.2 percent": rates joined by "and" or commas
        while rates[-1] + 1 < len(figures) and figures[rates[-1] + 1].kind == "percent" and re.fullmatch(
            r"\s*(?:,|and|,\s*and)\s*", flat[figures[rates[-1]].end : figures[rates[-1] + 1].start]
        ):
            rates.append(rates[-1] + 1)
        said = RESPECTIVELY.match(flat, figures[rates[-1]].end)
        # "were 1.1 trillion yuan and 0.8 trillion yuan respectively, up 9.8% and 12.1%": said before the rates
        said_before = RESPECTIVELY_BEFORE.search(flat, max(0, figure.start - 40), figure.start)
        if len(rates) < 2 or (said is None and said_before is None) or not _is_growth(flat, figure, figure.sentence):
            continue
        before = [j for j in range(index) if figures[j].kind in ("amount", "count", "measure")
                  and figures[j].sentence == figure.sentence and figures[j].growth_pct is None]  # fmt: skip
        after = _listed_after(flat, figures, rates[-1], said.end()) if said is not None else []
        if len(after) == len(rates):
            targets = after  # "rose 21 percent and 17 percent respectively to 30.9 billion yuan and 31.7 billion yuan"
        elif len(before) >= len(rates):
            targets = before[-len(rates) :]
        else:
            continue
        if len({figures[j].kind for j in targets}) > 1:
            continue  # "10 billion yuan from 500 companies, up 10 and 12 percent respectively": not a pair of amounts
        sign = -1.0 if _is_decline(flat, figure, figure.sentence) else 1.0  # "down 10 percent and 12 percent"
        for j, k in zip(targets, rates, strict=True):
            figures[j].growth_pct = sign * figures[k].value
        taken.update(rates)
    return taken


def _listed_after(flat: str, figures: list[RawFigure], last_rate: int, at: int) -> list[int]:
    """The amounts a list of rates leads to ("... respectively to 30.9 billion yuan and 31.7 billion yuan"): the
    figures after ``at`` joined by "and" or commas, when "to" introduces them."""
    first = last_rate + 1
    if first >= len(figures) or not re.fullmatch(
        r"\s*to\s+(?:(?:about|around|some|nearly|roughly)\s+)?", flat[at : figures[first].start]
    ):
        return []
    listed = [first]
    while listed[-1] + 1 < len(figures) and re.fullmatch(
        r"\s*(?:,|and|,\s*and)\s*(?:(?:about|around|some|nearly|roughly)\s+)?",
        flat[figures[listed[-1]].end : figures[listed[-1] + 1].start],
    ):
        listed.append(listed[-1] + 1)
    kinds = {figures[j].kind for j in listed}
    return listed if len(kinds) == 1 and kinds <= {"amount", "count", "measure"} else []


IMPLIED = re.compile(
    r"\b(?:impl(?:y|ies|ied|ying)|which means|meaning|equivalent to|compound|average annual|annual average|average|"
    r"annuali[sz]ed|CAGR|require|requires|required)\b",
    re.IGNORECASE,
)  # a rate the text derives, or a rate per year over a span: not the growth of the amount beside it
LEADS_TO = re.compile(
    r"[^;:]{0,50}?\b(?:to|at|reaching|to reach|reached|hit|totall?ing|totall?ed|hitting|for a total of|worth)\s+"
    r"(?:(?:about|around|approximately|roughly|nearly|almost|some|over|more than|a record|record|an estimated)\s+)?",
    re.IGNORECASE,
)


def _leads_to(flat: str, rate: RawFigure, amount: RawFigure) -> bool:
    """An amount printed after a growth rate is its amount only when the rate leads to it ("rose 10.5 percent
    to 90 billion yuan"); "shares fell 28.5 percent, wiping US$55 billion off its value" are two figures."""
    if amount.start < rate.end:
        return True
    between = flat[rate.end : amount.start]
    return bool(LEADS_TO.fullmatch(between)) and not re.search(r"\d", re.sub(r"\b(?:19|20)\d\d\b", "", between))


def _between(flat: str, a: RawFigure, b: RawFigure) -> str:
    return flat[min(a.end, b.end) : max(a.start, b.start)]


RISE_BETWEEN = re.compile(
    r"\b(?:grew|grow|grows|rose|rise|rises|increased|surged|raised|raise|boosted|boost|gained|climbed|jumped|expanded|"
    r"lifted|added|saw)\b|,|;|\band\b|\bbut\b|\bwhile\b",
    re.IGNORECASE,
)


def _declines_by(text: str) -> bool:
    """``DECLINE_BY`` at the end of ``text``, and no rise verb or clause break between its decline word and the
    number ("Retailers that cut prices saw sales grow by 20 percent" is a rise)."""
    match = DECLINE_BY.search(text)
    if match is None:
        return False
    words = match.group(0)
    head = re.match(r"\b\w+", words)
    return not RISE_BETWEEN.search(words, head.end() if head else 0)


DECLINE_BY = re.compile(
    r"\b(?:fell|fallen|dropped|declined|decreased|shrank|slipped|slid|cut|cuts|cutting|reduced|reducing|lowered|lost|"
    r"narrowed|contracted|"
    r"slashed|trimmed|eased)\b"
    # "cut average clearance time for export parcels by 20 percent"
    r"(?:\s+(?!by\b)[\w'’-]+){0,8}?\s+by\s+(?:(?:about|around|roughly|nearly|almost|some|over|more than)\s+)?$"
    r"|\b(?:fell|dropped|declined|decreased|shrank|slipped)\s+(?:(?:about|around|roughly|nearly|almost|some)\s+)?$"
    # "a fall of 6,300 TEU", "a drop of 8,000 sellers"
    # (not "a loss of HK$120 million": a loss is an amount the subject names, positive, as most of the corpus reads it)
    r"|\b(?:a|an)\s+(?:net\s+)?(?:fall|drop|decline|decrease|reduction|cut)\s+of\s+"
    r"(?:(?:about|around|roughly|nearly|some)\s+)?$"
    # "shed about 1,300 jobs", "axed 200 staff": a count that went
    r"|\b(?:shed|sheds|shedding|axed|axing|eliminated|laid\s+off|slashed)\s+(?:(?:about|around|roughly|nearly|almost|"
    r"some|over|more than)\s+)?$"
    # "wiping about US$55 billion off its market value"
    r"|\bwip(?:e|ed|es|ing)\s+(?:out\s+)?(?:(?:about|around|roughly|nearly|almost|some|over|more than)\s+)?$",
    re.IGNORECASE,
)


# --- ranges, fractions, multiples, counts of any noun, counts whose noun is elsewhere ------------------------

_MEASURE_WORDS = "|".join(sorted((re.escape(u) for u in MEASURES if u != "t"), key=len, reverse=True))
_SCALE_WORD = r"thousand|million|billion|trillion|bn|bln|mn|mln|tn|trn|trln"
_PERCENT_WORD = r"%|\s*per\s?cent\b|\s*percent\b|\s*pct\b"
RANGE = re.compile(
    rf"""(?:(?P<between>between)\s+)?(?<![\w.,/:-])(?:(?P<c1>{_CUR_PRE})\s*)?(?P<neg1>[-−](?=\d))?(?P<n1>{NUM})
    (?:\s*(?P<s1>{_SCALE_WORD})\b)?
    (?:(?(between)(?P<u1>{_PERCENT_WORD})|(?P<p1>%)))?  # "between 1 pct and 2 pct", "5%-10%"
    (?(between)\s+and\s+|\s*(?:-|–|to)\s*)
    (?:(?P<c2>{_CUR_PRE})\s*)?(?P<neg2>[-−](?=\d))?(?P<n2>{NUM})(?:\s*(?P<s2>{_SCALE_WORD})\b)?
    (?P<unit>\s+(?P<points>percentage[\s-]+points?|pp)\b|{_PERCENT_WORD}|\s+(?:{_currency_after})\b
      |\s+(?P<measure>{_MEASURE_WORDS})\b)?""",
    re.IGNORECASE | re.VERBOSE,
)
FRACTIONS = {
    "half": 50, "a half": 50, "one half": 50, "a third": 33.33, "one third": 33.33, "two thirds": 66.67,
    "a quarter": 25, "one quarter": 25, "three quarters": 75, "a fifth": 20, "one fifth": 20, "two fifths": 40,
    "three fifths": 60, "four fifths": 80, "a tenth": 10, "one tenth": 10, "a sixth": 16.67, "one sixth": 16.67,
    "three tenths": 30, "seven tenths": 70, "nine tenths": 90,
    "five sixths": 83.33, "an eighth": 12.5, "one eighth": 12.5, "three eighths": 37.5,
}  # fmt: skip
# a fraction word that is an ordinal of the noun after it: "a third batch of 22 cities", "a sixth round"
ORDINAL_NOUN_AFTER = re.compile(
    r"\s+(?:batch|round|phase|stage|wave|tranche|time|anniversary|edition|session|consecutive|straight|year|month|"
    r"week|day|place|generation|tier|plenum|zone|city|pilot|list|group|term|line|floor|largest|biggest|most)\b"
)
FRACTION = re.compile(
    r"(?<![\w-])(?P<frac>(?:a|one)[\s-](?:half|third|quarter|fifth|sixth|tenth)|(?:an|one)[\s-]eighth"
    r"|(?:two|three|four)[\s-](?:thirds|quarters|fifths)|five[\s-]sixths|three[\s-]eighths|(?:three|seven|nine)[\s-]tenths"
    r"|half|halved)(?![\w-])",
    re.IGNORECASE,
)
# what may stand before a fraction that is a figure ("accounted for a third", "by half", "more than half")
FRACTION_BEFORE = re.compile(
    r"\b(?:by|for|than|about|nearly|almost|roughly|some|around|over|under|below|above|at|to|from|between|just|only|"
    r"barely|scarcely|"
    r"up to|reached|is|was|are|were|"
    r"been|of|fill|fills|filled|took|take|takes|make up|made up|makes up|represent(?:s|ed)?|cut|lost|"
    r"accounting for|or|and|that)\s+$",
    re.IGNORECASE,
)
FRACTION_OF_SCALE = re.compile(
    rf"\s+of\s+an?\s+(?P<scale>thousand|million|billion|trillion)\s+(?P<cur>{_currency_after})\b", re.IGNORECASE
)  # "a quarter of a trillion yuan"
TIME_AFTER = re.compile(
    r"\s+(?:of\s+)?(?:an?\s+|the\s+)?(?:year|hour|century|day|month|week|decade|point|mile|dozen|time)s?\b", re.I
)
MULTIPLE = re.compile(r"(?<![\w-])(?P<word>doubled|tripled|trebled|quadrupled|double|triple|twice)(?![\w-])")
MULTIPLES = {"doubled": 2, "double": 2, "twice": 2, "tripled": 3, "trebled": 3, "triple": 3, "quadrupled": 4}
DOZEN = r"(?:a|one|two|three|half a)\s+dozen"
COUNT_START = re.compile(
    rf"(?<![\w.,/:$€¥£-])(?P<num>{DOZEN}|half\s+a(?=\s+(?:million|billion)\b)|{NUM}|{_words})(?:-odd|-plus|\+)?"
    rf"(?:(?<=\d)(?P<short>[mk]|bn|bln|mn|mln)(?=\s))?(?![\w%]|[.,]\d|-(?!\d))"  # "3.2m parcels", "1.2k people",
    # "1.1bn pieces", "200-300 staff"
    rf"(?:\s+(?P<scale>thousand|million|billion|mn|mln|bn|bln)\b)?",
    re.IGNORECASE,
)


# words that end a noun phrase after a number: articles, prepositions, pronouns, conjunctions, auxiliaries
def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOP_WORDS = _wordset(
    "a an the of in on at to by for from with into onto over under than as per via about after before "
    "during since until while whereas and or but nor so yet if that which who whom whose what when where "
    "why how this these those it its their his her our your my them they he she we you i is are was were "
    "be been being has have had do does did will would shall should can could may might must not no also "
    "only just than then there here each every all both either neither some any more most less least many "
    "much few such other another own same up down out off again further once very too per cent percent "
    "times year years month months week weeks day days hour hours minute minutes second seconds decade "
    "decades century centuries quarter quarters half ago earlier later old"
)
NOT_COUNTED = _wordset(
    "years months weeks days hours minutes seconds decades centuries quarters times points percent ways "
    "overseas logistics news sales-tax series species economics politics goods sales earnings revenues "
    # what a text enumerates, not what the world holds: "the zones have three features", "focus on four aspects"
    "aspects features characteristics reasons lessons things principles pillars respects questions issues "
    "hallmarks dimensions themes snapshots chapters sections episodes takeaways"
)  # plural-looking words that are not what a count counts ("overseas warehouses" counts warehouses)
FIRST_MODIFIERS = frozenset(
    ["more", "additional", "other", "new", "such", "extra"]
)  # "24 more zones", "five new zones"
IRREGULAR_PLURALS = _wordset("people staff personnel children police cattle aircraft freight")
FUNCTION_CAPITALS = _wordset(
    "about nearly almost over some more around roughly only just another all the those these and but of "
    "with up down in on at by for from to as than some another least most less approximately exactly "
    "fully barely under below above while whereas since after before when if yet still even perhaps "
    "another"
)


def _bound(text: str, scale: str | None) -> float:
    return number(" ".join(text.split()), scale)


def _ranges(flat: str) -> list[RawFigure]:
    found = []
    for m in RANGE.finditer(flat):
        unit_text = (m.group("unit") or "").strip().lower()
        c1, c2 = m.group("c1"), m.group("c2")
        if not unit_text and not (c1 or c2):
            continue
        before = flat[max(0, m.start() - 24) : m.start()]
        if m.group("between") is None and re.search(r"\bfrom\s+(?:about\s+|around\s+)?$", before, re.I) and not (
            RANGE_FROM.search(before)
        ):
            continue  # "from 10 to 15 percent" is a change, not a range ("rents range from 18 to 25 yuan" is)
        if m.group("between") is None and c1 and c2 and re.search(
                r"\bby\s+(?:about\s+|around\s+|roughly\s+|some\s+|nearly\s+)?$", before, re.I):  # fmt: skip
            continue  # "rose by roughly $5 billion to $32 billion": a change and a level ("by 25 to 30 per cent" is
            # a range)
        s1, s2 = m.group("s1"), m.group("s2")
        low, high = _bound(m.group("n1"), s1 or s2), _bound(m.group("n2"), s2)
        if m.group("neg1") or m.group("neg2"):  # "-2 to -1 percent", "-10 to -15 percent": signed bounds
            low, high = (-low if m.group("neg1") else low), (-high if m.group("neg2") else high)
            low, high = min(low, high), max(low, high)
        if high <= low:
            continue
        if m.group("u1") and not unit_text:
            continue  # "between 1 pct and 2 ...": the second bound has no unit
        if m.group("p1") and not unit_text.startswith("%"):
            continue  # "slipped 2.4% to 86.2 billion yuan": a rate and an amount, not a range
        if m.group("points"):  # "3-4 percentage points"
            kind, unit = "points", "percentage points"
        elif unit_text.startswith(("%", "per", "pct")):
            kind, unit = "percent", "percent"
        elif m.group("measure"):  # "55,000-60,000 tonnes"
            kind, unit = "measure", MEASURES[" ".join(m.group("measure").lower().split())]
        else:
            currency = " ".join((c1 or c2 or unit_text).lower().split())
            if currency not in CURRENCIES:
                continue
            kind, unit = "amount", CURRENCIES[currency]
        start = m.start()
        found.append(RawFigure(kind, start, m.end(), low, unit, m.group("n1"), value_high=high, rule="range"))
        if m.group("neg1") or m.group("neg2"):
            found[-1].extra["signed"] = "printed"  # the verb does not sign it again: "fell -10 to -15 percent"
    return found


def _fractions(flat: str) -> list[RawFigure]:
    found = []
    for m in FRACTION.finditer(flat):
        word = " ".join(m.group("frac").lower().replace("-", " ").split())
        before = flat[max(0, m.start() - 24) : m.start()]
        after = flat[m.end() : m.end() + 24]
        if (
            TIME_AFTER.match(after)
            or ORDINAL_NOUN_AFTER.match(after)
            or re.search(r"\b(?:first|second|third|fourth|last|the|this|next|each)\s+$", before, re.I)
            or re.match(r"\s+(?:a|an)\s+(?:million|billion|thousand|dozen|hundred)\b", after, re.I)
        ):
            continue  # "half a year", "the first half", "a quarter of a century", "half a million parcels"
        points = re.match(r"\s+(?:of\s+)?an?\s+percentage[\s-]+point\b", after, re.I)
        if points:  # "half a percentage point": 0.5 points, not 50 percent
            found.append(RawFigure("points", m.start(), m.end() + points.end(), FRACTIONS[word] / 100,
                                   "percentage points", m.group(0), rule="fraction"))  # fmt: skip
            continue
        scaled = FRACTION_OF_SCALE.match(flat, m.end())
        if scaled:  # "a quarter of a trillion yuan": an amount
            value = FRACTIONS[word] / 100 * 10 ** SCALES[scaled.group("scale").lower()]
            currency = CURRENCIES[" ".join(scaled.group("cur").lower().split())]
            found.append(RawFigure("amount", m.start(), scaled.end(), round(value, 2), currency, m.group(0),
                                   rule="fraction"))  # fmt: skip
            continue
        if word == "halved":
            found.append(RawFigure("percent", m.start(), m.end(), -50.0, "percent", m.group(0), rule="fraction"))
            found[-1].extra["growth"] = "yes"
            continue
        if not (re.match(r"\s+of\b", after) or FRACTION_BEFORE.search(before)
                or (word == "half" and re.match(r"\s+(?:the|its|their|our|his|her|all|that|this|those|these)\s+"
                                                r"(?!time\b)\w", after, re.I))
                or re.match(r"\s+(?:more|higher|lower|less|fewer|larger|smaller|bigger)\b", after, re.I)
                # a share as the subject of a verb of saying: "; a third said costs rose"
                or re.match(r"\s+(?:said|say|says|reported|expect|expected|plan|planned)\b", after, re.I)):  # fmt: skip
            continue  # "a fifth more than last year" is a change
        found.append(
            RawFigure("percent", m.start(), m.end(), float(FRACTIONS[word]), "percent", m.group(0), rule="fraction")
        )
    return _fraction_ranges(flat, found)


def _fraction_ranges(flat: str, found: list[RawFigure]) -> list[RawFigure]:
    """"between a quarter and a third", "from a fifth to a quarter": one range of percents, not two figures (or
    the high bound alone)."""
    out: list[RawFigure] = []
    for figure in found:
        low = out[-1] if out else None
        if (low is not None and low.kind == figure.kind == "percent" and low.value_high is None
                and re.fullmatch(r"\s+(?:and|to)\s+", flat[low.end : figure.start])
                and re.search(r"\b(?:between|from)\s+$", flat[max(0, low.start - 10) : low.start], re.I)
                and figure.value > low.value):  # fmt: skip
            low.end, low.value_high, low.value_text = figure.end, figure.value, flat[low.start : figure.end]
            continue
        out.append(figure)
    return out


ONE_IN = re.compile(
    rf"(?<![\w-])(?P<one>[Oo]ne|1|[Tt]wo|[Tt]hree|[Ff]our|[Ff]ive|[Ss]ix|[Ss]even|[Ee]ight|[Nn]ine|[2-9])\s+"
    rf"(?:in|out\s+of)\s+(?P<n>{NUM}|{_words})(?![\w%]|[.,]\d)"  # "one in five", "four out of ten"
    r"(?!\s+(?:hours?|days?|weeks?|months?|quarters?|years?|decades?)\b)"  # "three in six months": no share
)


def _one_in(flat: str) -> list[RawFigure]:
    """"One in five shoppers", "two in five": a share, 20 or 40 percent (and no count of five shoppers)."""
    found = []
    for m in ONE_IN.finditer(flat):
        try:
            k, n = number(m.group("one")), number(m.group("n"))
        except (ArithmeticError, ValueError):
            continue
        if k < n <= 1000:  # not "2 in 2023"
            share = round(100 * k / n, 2)
            found.append(RawFigure("percent", m.start(), m.end(), share, "percent", m.group(0), rule="fraction"))
    return found


FOLD = re.compile(r"(?<![\w-])(?P<word>two|three|four|five|six|seven|eight|nine|ten|twenty|hundred)fold(?![\w-])", re.I)


def _multiples(flat: str) -> list[RawFigure]:
    found = [RawFigure("ratio", m.start(), m.end(), float(WORD_NUMBERS[m.group("word").lower()]), "times", m.group(0),
                       rule="multiple") for m in FOLD.finditer(flat)]  # "jumped sixfold"  # fmt: skip
    for m in MULTIPLE.finditer(flat):
        word = m.group("word").lower()
        before, after = flat[max(0, m.start() - 16) : m.start()], flat[m.end() : m.end() + 16]
        if word in ("double", "triple", "twice"):
            if not (re.search(r"\b(?:than|nearly|almost|about|roughly|around|some|over|will|would|could|to|may|might)"
                              r"\s+$", before, re.I)  # "will double by 2028"
                    or re.match(r"\s+(?:the|that|its|their|what|as\s+(?:many|much|large|big|high|fast))\b", after,
                                re.I)):  # fmt: skip
                continue
            if re.match(r"\s+(?:a|an|per|each)\s+(?:day|week|month|year)\b", after, re.I):
                continue
        if re.match(r"\s+down\b", after):
            continue  # "doubled down on Europe"
        found.append(
            RawFigure("ratio", m.start(), m.end(), float(MULTIPLES[word]), "times", m.group(0), rule="multiple")
        )
    return found


def _plural(word: str) -> bool:
    if re.fullmatch(r"[A-Z]{2,}s", word):
        return True  # "SKUs", "SMEs"
    w = word.lower().strip("’'")
    if w in NOT_COUNTED:
        return False
    if w in IRREGULAR_PLURALS:
        return True
    return len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is", "'s", "’s"))


VERBS_IN_S = _wordset(
    "sounds seems looks means makes shows remains goes comes stands appears feels gets takes says suggests accounts"
)  # verbs that end like plural nouns, after the counted noun


def noun_phrase(flat: str, at: int) -> tuple[int, str] | None:
    """The noun phrase a count counts, starting at ``at`` (after the number): its end and its head noun,
    lower-case plural ("2,500 overseas warehouses" -> warehouses; "29 countries and regions" -> countries;
    "6.9 billion inbound and outbound parcels" -> parcels). None when no plural noun follows."""
    pos, words = at, 0
    head: tuple[int, str] | None = None
    while words < 7:
        m = re.match(
            r"\s+([A-Za-z][\w]*(?:['’][a-z]+)?(?:-[\w]+)*)(?P<possessive>['’](?=\s))?(?![\w'’-])", flat[pos : pos + 60]
        )
        if not m:
            break
        word = m.group(1)
        lower = word.lower()
        if m.group("possessive"):  # "500 companies' parcels" counts companies
            return (pos + m.end(1), lower) if _plural(word) else head
        if lower in ("and", "or") and head is None and words > 0:
            pos += m.end()
            words += 1
            continue  # "inbound and outbound parcels": adjectives joined, the noun is still to come
        if (lower in STOP_WORDS and not (words == 0 and lower in FIRST_MODIFIERS)) or lower in WORD_NUMBERS:
            break
        if head is not None and lower in VERBS_IN_S:
            break  # "4 million parcels sounds modest"
        if _plural(word):
            head = (pos + m.end(), lower.replace("’", "'"))
        elif head is not None and not (head[1] in IRREGULAR_PLURALS and lower not in STOP_WORDS and re.match(
                r"\s+[A-Za-z]+s\b", flat[pos + m.end() : pos + m.end() + 30])):  # fmt: skip
            break  # "4,800 freight train trips": a mass noun before a compound's plural head is its modifier
        pos += m.end()
        words += 1
        if head is not None and not re.match(r"\s+[A-Za-z]", flat[pos : pos + 2]):
            break
    return head


# "rose by 33 to 165 zones", "jumped from 5,000 to 12,000 parcels", "added 27 to 165": a change, not a range
NOT_A_RANGE_BEFORE = re.compile(
    r"\b(?:by|from|added|adds|adding|rose|rise|rising|fell|fall|falling|grew|grow|jumped|increased|decreased|dropped|"
    r"climbed|cut|reduced|up|down|expanded|shrank|doubled|went)\s+(?:(?:about|around|roughly|nearly|some|just)\s+)?$",
    re.IGNORECASE,
)
RANGE_FROM = re.compile(r"\brang(?:e|es|ed|ing)\s+from\s+(?:(?:about|around|roughly|some)\s+)?$", re.IGNORECASE)
COUNT_RANGE = re.compile(
    rf"\s*(?:-|–|to)\s*(?P<high>{NUM})(?![\w%.,]\d)(?:\s+(?P<hscale>thousand|million|billion)\b)?", re.IGNORECASE
)  # "10-12 million users": the scale is both bounds
BETWEEN_RANGE = re.compile(
    rf"\s+and\s+(?P<high>{NUM})(?![\w%.,]\d)(?:\s+(?P<hscale>thousand|million|billion)\b)?", re.IGNORECASE
)  # "between 300 and 500 sellers"


def _title_cased(flat: str, start: int, number_end: int, end: int) -> bool:
    """A count printed in title case inside a sentence ("Ten Thousand Carts", "in 33 Cities and Regions"), not in
    the first line (a headline in title case states its figures)."""
    words = flat[number_end:end].split()
    if not words or not all(w[0].isupper() and not w[:2].isupper()  # "50,000-odd SKUs": an acronym is no name
                            for w in words if w.lower() not in ("and", "of", "for", "the")):  # fmt: skip
        return False
    named_number = flat[start:number_end][:1].isupper()  # "Ten Thousand Carts"
    before = re.search(r"(\S+)\s+(?:(?:in|of|for|and|the)\s+)*$", flat[max(0, start - 60) : start])
    if not named_number and not (before and before.group(1)[:1].isupper()):
        return False  # "China had set up 21 Free Trade Zones": a count of things with a name; "... E-commerce in 33
        # Cities and Regions" is a title's
    blank = re.search(r"\S\s{2,}", flat)  # the flat text keeps a line break as a space: a title ends at two
    first_line_end = blank.start() if blank else len(flat)
    sentence_start = re.search(r"(?:^|[.!?:]\s+|\s{2,})$", flat[max(0, start - 4) : start]) is not None
    if named_number and re.search(r"\b(?:on|of|for)\s+$", flat[max(0, start - 6) : start]):
        return True  # "Notice ... on Ten Measures to Stabilise ...": a spelled-out number in a document's title
    return start > first_line_end and not sentence_start


def _counts(flat: str) -> list[RawFigure]:
    found = []
    for m in COUNT_START.finditer(flat):
        num = m.group("num")
        short = (m.group("short") or "").lower()
        scale = m.group("scale") or {"m": "million", "k": "thousand"}.get(short) or (short or None)
        phrase = noun_phrase(flat, m.end())
        high, high_scale = None, None
        between = re.search(r"\bbetween\s+(?:(?:about|around|roughly|some)\s+)?$",
                            flat[max(0, m.start() - 20) : m.start()], re.I)  # fmt: skip
        if (phrase is None and not scale
                and (upper := (BETWEEN_RANGE if between else COUNT_RANGE).match(flat, m.end()))
                and (not NOT_A_RANGE_BEFORE.search(flat, max(0, m.start() - 40), m.start())
                     or RANGE_FROM.search(flat, max(0, m.start() - 40), m.start()))):  # fmt: skip
            phrase = noun_phrase(flat, upper.end())  # "runs of 100 to 200 units": a range of a count
            high = upper.group("high") if phrase else None
            if phrase and upper.group("hscale"):
                scale = high_scale = upper.group("hscale")  # "10-12 million new users": both bounds in millions
        if phrase is None:
            continue
        end, noun = phrase
        before = flat[max(0, m.start() - 16) : m.start()]
        if re.search(r"\b(?:who|aged|age)\s+(?:is\s+|was\s+)?(?:at\s+)?$", before, re.I):
            continue  # "my father, who at 71 still buys ...": an age
        if re.search(r"\btop\s+$", before, re.I) or re.match(r"\s+[a-z]+est\b", flat[m.end() : end]):
            continue  # "the top three zones", "the ten largest operators": a rank, not a count
        if re.fullmatch(r"one|1|a|an", num, re.I) and not scale:
            continue  # "by one count", "One Guangzhou seller", "one reason": one of a thing is no figure
        if "." in num and not scale:
            continue  # "the 11.11 banners": a count is whole unless a scale word follows ("2.5 million users")
        if re.search(r"(?<![\d,.])\d{4,}\s+(?:and|or)\s+$", before) and "," not in num:
            continue  # "the 9710 and 9810 codes": numbers listed as labels ("6,374 and 5,012 trains" are counts)
        if _title_cased(flat, m.start(), m.end(), end):
            continue  # "her book, Ten Thousand Carts,", "Pilot Zones ... in 33 Cities and Regions": part of a name
        if re.match(r"\s+(?:model|mode|code|procedure|regime|scheme|format|standard)\b", flat[end : end + 12], re.I):
            continue  # "under the 1210 customs model": a label of the noun after it, not a count of customs
        words_between = " ".join(flat[m.end() : end].lower().split())
        if re.fullmatch(r"(?:19|20)\d\d", num) and (
            (words_between.count(" ") > 0 and words_between not in COUNT_NOUNS)
            or re.search(
                r"\b(?:in|by|since|from|until|to|during|before|after|of|year)\s+$",
                flat[max(0, m.start() - 12) : m.start()],
                re.I,
            )
            or noun not in COUNT_NOUNS
        ):
            continue  # a year, not a count ("2018 enterprises" is a count, "2019 exports" a year)
        if "dozen" in num.lower():
            value = _dozen(num)
        elif num.lower().startswith("half"):  # "half a million parcels"
            value = number("0.5", scale)
        else:
            value = number(num, scale)
        last_two = " ".join(words_between.split()[-2:])
        unit = COUNT_NOUNS.get(last_two) or COUNT_NOUNS.get(noun, noun)
        if unit == "cities" and _about_zones(flat, m.start(), end):
            unit = "zones"  # "pilot zones ... in 46 cities", "one of 12 cities approved in the second batch"
        if high is not None:
            value_high = number(high, high_scale)
            if value_high <= value or re.fullmatch(r"(?:19|20)\d\d", num):
                continue  # "2019-2021 plans": years
            start = m.start() - len(between.group(0)) if between else m.start()  # "between 300 and 500 sellers"
            found.append(RawFigure("count", start, end, value, unit, num, value_high=value_high, rule="range"))
            continue
        found.append(RawFigure("count", m.start(), end, value, unit, num, rule="count"))
    return found


PART_OF = re.compile(
    rf"(?<![\w.,/:$€¥£-])(?P<num>{DOZEN}|{NUM}|{_words})\s+of\s+(?:the|its|their|our|these|those)(?:\s+(?P<n>{NUM}))?"
    r"(?=\s)",
    re.IGNORECASE,
)


def _parts_of(flat: str) -> list[RawFigure]:
    """"Nine of the new zones", "a dozen of the 165 zones": a count of the noun it is a part of."""
    found = []
    for m in PART_OF.finditer(flat):
        num = m.group("num")
        if re.fullmatch(r"one|1|a|an|(?:19|20)\d\d", num, re.I) or "." in num:
            continue  # "one of the zones" is no figure; "2019 of the" no count
        phrase = noun_phrase(flat, m.end())
        if phrase is None or phrase[1] in NOT_COUNTED:
            continue
        value = _dozen(num) if "dozen" in num.lower() else number(num)
        if m.group("n") and number(m.group("n")) <= value:
            continue  # "10 of the 5": no part
        noun = phrase[1]
        found.append(RawFigure("count", m.start(), m.start() + len(num), value, COUNT_NOUNS.get(noun, noun), num,
                               rule="count"))  # fmt: skip
    return found


ZONE_WORDS = re.compile(r"\bbatch(?:es)?\b", re.I)  # not "pilot zones": "165 zones across 120 cities" are two counts


def _about_zones(flat: str, start: int, end: int) -> bool:
    """A count of cities is a count of pilot zones when it is printed as one ("pilot zones in 46 cities", "24 cities
    as pilot zones") or its sentence is about batches of them ("the third batch added 22 cities", "followed by 12
    cities in January 2016" after "the 13 zones set up in the first two batches"): zones are named after their
    cities. "165 pilot zones across 31 provinces and 120 cities" counts cities."""
    if ZONE_BEFORE.search(flat[max(0, start - 80) : start]) or ZONE_AFTER.match(flat[end : end + 80]):
        return True
    left = max(flat.rfind(". ", max(0, start - 240), start), flat.rfind("\n", max(0, start - 240), start), start - 240)
    right = [i for i in (flat.find(". ", end, end + 240), flat.find("\n", end, end + 240)) if i >= 0]
    return bool(ZONE_WORDS.search(flat, max(0, left), min(right) if right else end + 240))


ZONE_BEFORE = re.compile(
    r"\b(?:zones?|areas?)\s+(?:for\s+[\w\s-]{0,40}?\s+)?in\s+(?:another\s+)?$|\bbatch\s+of\s+$", re.IGNORECASE
)
ZONE_AFTER = re.compile(
    r"(?:\s+and\s+regions)?\s+(?:(?:(?:approved|designated|selected|named|chosen|set up)\s+)?"
    r"(?:as|in\s+the\s+\w+\s+batch\s+of)\s+[\w\s-]{0,40}?(?:pilot|experimental)\s+(?:zones|areas)"
    r"|(?:were|was|had been|have been)\s+approved)",
    re.IGNORECASE,
)


def _dozen(text: str) -> float:
    first = text.lower().split()[0]
    return {"a": 12.0, "one": 12.0, "two": 24.0, "three": 36.0, "half": 6.0}[first]


def _in_name(flat: str, figure: RawFigure) -> bool:
    """A number right after a capitalised word that is not a function word ("Article 12", "Double 11", "Task 1",
    "No. 1") is part of a name; so is a number in a date ("June 18")."""
    if figure.kind != "count" or figure.rule in ("fraction", "multiple"):
        return False  # "United Kingdom 8.7 percent" is a share, "Article 12" a name
    before = flat[max(0, figure.start - 24) : figure.start]
    m = re.search(r"([A-Za-z][\w.]*)\s+$", before)
    if not m:
        return False
    word = m.group(1)
    if re.fullmatch(r"No\.?|no\.", word) or word.lower().rstrip(".") in _MONTH_WORDS:
        return True
    if re.fullmatch(r"[a-z]+[A-Z][\w.]*", word):
        return True  # a product's camel-cased name: "iPhone 15 cases", "eBay 2"
    if word.lower() in NAME_HEADS:
        return True  # "Article 12", "Task 1", "Double 11", "Phase 2"
    # another capitalised word: a name ("Boeing 747 freighters") unless it starts the sentence or a title line
    # ("Currently 165 pilot zones operate", "China Approves 27 New Pilot Zones")
    starts = re.search(r"(?:^|[.!?:;]\s+|\s{2,}|\(\w{1,3}\)\s+|^\w{1,3}[.)]\s+)" + re.escape(word) + r"\s+$", before)
    title_case = re.match(r"\s+(?:[A-Z][a-z]+\s+){1,3}", flat[figure.start + len(figure.value_text) : figure.end + 1])
    return (
        word[0].isupper()
        and word.lower() not in FUNCTION_CAPITALS
        and word.lower() not in STOP_WORDS
        and not starts
        and not (title_case and not word.isupper())
    )


EXCHANGE_RATE_NOTE = re.compile(r"\([^()=]{1,30}=[^()=]{1,30}\)")


def _in_equation(flat: str, figure: RawFigure) -> bool:
    """An amount on either side of "=" ("At US$1 = 7.1 yuan, the fee is low"): an exchange rate, not a figure."""
    return re.match(r"\s*=\s*\S", flat[figure.end : figure.end + 6]) is not None or re.search(
        r"\S\s*=\s*$", flat[max(0, figure.start - 6) : figure.start]) is not None
# "7.85 Hong Kong dollars per US dollar", "6.9 yuan to the dollar": an exchange rate, not an amount
EXCHANGE_RATE_AFTER = re.compile(
    r"\s*(?:per|to\s+the|to\s+one|against\s+the|for\s+(?:one|each|every))\s+(?:U\.?S\.?\s+|US\s+|American\s+|"
    r"Hong\s+Kong\s+|Singapore\s+)?(?:dollar|euro|yuan|pound|yen|renminbi|greenback)\b",
    re.IGNORECASE,
)
LABEL_AFTER = re.compile(
    r"[\"”’']?\s+(?:(?:retail|customs|B2B|business-to-business|export|import|bonded)\s+)*(?:customs\s+)?"
    r"(?:code|codes|model|models|mode|modes|procedure|regime|scheme|festival|shopping\s+festival|promotion|platform|"
    r"app|website|marketplace|"
    r"mid-year\s+(?:sale|festival))\b",
    re.IGNORECASE,
)


def _label_numbers(flat: str) -> frozenset[str]:
    """Numbers the text uses as labels somewhere ("the 9610 retail customs code", "the 618 festival"): a count of
    the same digits elsewhere in it is that label ("counts 9610 retail shipments", "total 618 sales"), not a count.
    Only whole numbers without thousands separators: "2,500 warehouses" is never a code."""
    named = {m.group(0) for m in re.finditer(r"(?<![\w.,/-])\d{3,4}(?![\w.,/%-])", flat)
             if LABEL_AFTER.match(flat, m.end()) or LABEL_BEFORE.search(flat, max(0, m.start() - 16), m.start())}
    return frozenset(named | customs_codes())


LABEL_BEFORE = re.compile(r"\b(?:code|codes|Route|route|model|mode|No\.)\s+$")  # "customs code 9610", "Route 1210"


@cache
def customs_codes(path: Path = CUSTOMS_CODES_PATH) -> frozenset[str]:
    """The customs supervision codes of the committed mapping (9610, 9710, ...): a number that is one is a label,
    never a count ("counts 9610 retail shipments")."""
    with path.open(encoding="utf-8", newline="") as handle:
        return frozenset(row["code"].strip() for row in csv.DictReader(handle) if row["code"].strip())


NAME_HEADS = _wordset(
    "article articles task tasks page pages double phase model room gate terminal chapter section item clause "
    "paragraph annex appendix table figure grade level class type version stage pier berth hall line lines "
    "route platform window counter exhibit no"
)
_MONTH_WORDS = _wordset(
    "january february march april may june july august september october november december jan feb mar "
    "apr jun jul aug sep sept oct nov dec"
)
# a bare number whose noun is elsewhere stands in one of these slots ("to 105", "received seven", "another five")
BARE_SLOT = re.compile(
    r"\b(?:to|to the|from|at|reach(?:es|ed)?|received|gained|added|another|were|was|had|of|by|with|or|"
    r"totall?(?:ing|ed)|passed|passes|topped|exceeded|exceeds?|surpassed|surpass(?:es)?|it is|it's|it was|has|have|"
    r"now has|"
    r"(?<=s\s)tops?|"  # "now has 2,300", a headline's "trains top 300"
    r"stood at|stands at|stayed at|remained at|numbered|number|against|versus|vs\.?|compared (?:with|to)|of which|"
    r"of (?:these|them|those),|of the|of the [\d,]+(?: [a-z]+)?,)\s+"
    r"(?:(?:about|around|nearly|almost|over|more than|fewer than|less than|under|roughly|some|just)\s+)?$",
    re.IGNORECASE,
)
BARE = re.compile(
    rf"(?<![\w.,/:$€¥£(-])(?P<num>{NUM}|a\s+dozen(?=\s+of\s+(?:them|these|those)\b)|{_words})"  # "a dozen of them"
    rf"(?:(?:\s+|(?<=\d)(?=(?:mn|mln|bn|bln|trln)\b))"  # "3.2mn"
    rf"(?P<scale>thousand|million|billion|trillion|mn|mln|bn|bln|trln)\b"
    rf"|(?<=\d)(?P<m>m)(?=\s+(?:a|per|each)\s+(?:day|week|month|year)\b))?(?![\w%]|[.,:]\d|-|\))"
)
# a bare number restating a count as a rate ("4.6 billion parcels, roughly 12.6m a day") or taking part of it
# ("sent back eleven of them")
# the rest of a list after one of its numbers, up to its last item: ", 200 billion and ", " and "
LIST_CHAIN = re.compile(
    rf"(?:(?:\s*,\s*|\s+and\s+|\s*,\s*and\s+){NUM}(?:\s+(?:thousand|million|billion|trillion|bn))?(?=[\s,]))*"
    r"(?:\s*,\s*and\s+|\s*,\s*|\s+and\s+)",
    re.IGNORECASE,
)
MONTH_NAME = (  # a month, capitalised, in full or abbreviated: a number next to one is part of a date
    r"(?-i:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)"
)
YEAR = re.compile(r"(?<![\d,.])(?:19|20)\d\d(?!\d|,\d)")  # a year between a list's items is no number of it
BARE_AFTER = re.compile(
    r"\s+(?:a|per|each)\s+(?:day|week|month|year)\b|\s+of\s+(?:them|these|those)\b|\s+(?:more|fewer)\s+than\b"
    # "eight weekly freighter flights; four more are due in December"
    r"|\s+more\s+(?:are|were|will|would|is|was|have|has|had|opened|joined|followed|came|started)\b"
    r"|\s+of\s+(?:the\s+|its\s+|their\s+)?\d",
    re.IGNORECASE,
)  # "420 more than at the end of last year"
NUMBER_OF = re.compile(r"\bnumber of(?: the| such| these| its| their)?(?=\s)", re.IGNORECASE)


def _numbered_noun(flat: str, start: int, end: int) -> str | None:
    """The noun of the last "number of <noun phrase>" in ``flat[start:end]`` ("the number of overseas
    warehouses" -> warehouses)."""
    for m in reversed(list(NUMBER_OF.finditer(flat, start, end))):
        phrase = noun_phrase(flat, m.end())
        if phrase is not None:
            return COUNT_NOUNS.get(phrase[1], phrase[1])
    return None


def _bare_counts(flat: str, figures: list[RawFigure], by_sentence: list[Sentence]) -> list[RawFigure]:
    """Numbers without a noun that count something named nearby: "bringing the total number of such zones to
    105", "Zhejiang added another five", "cut her workforce by 15, to 25 people"."""
    taken = Taken((f.start, f.end) for f in figures)
    list_change: dict[int, bool | None] = {}  # per list of bare percents (by its last item): declines or not
    counts = Positioned([f for f in figures if f.kind == "count"])
    amounts_at = Positioned([f for f in figures if f.kind == "amount"])
    found = []
    for index, sentence in enumerate(by_sentence):
        for m in BARE.finditer(flat, sentence.start, sentence.end):
            if taken.overlaps(m.start(), m.end()):
                continue
            num = m.group("num")
            lone = re.fullmatch(r"one|1", num, re.I) is not None and not m.group("scale")
            if re.fullmatch(r"(?:19|20)\d\d", num) or (lone and not (
                    re.search(r"\b(?:from|against|versus|vs\.?|compared (?:with|to))\s+$",
                              flat[max(sentence.start, m.start() - 16) : m.start()], re.I)
                    or re.match(r"\s+(?:a|per|each)\s+(?:day|week|month|year)\b", flat[m.end() : m.end() + 12], re.I))):
                continue  # "one" is no count; "to more than 1 million" is, and so are "rose to 13 from one", "against
                # one a week in 2019"
            before = flat[max(sentence.start, m.start() - 30) : m.start()]
            after = flat[m.end() : m.end() + 12]
            if re.match(
                rf"\s*(?:a\.m\.|p\.m\.|am|pm|o'clock|years?|months?|days?|percent|per cent|%|st|nd|rd|th|"
                rf"{MONTH_NAME})(?!\w)",  # "from 1 March 2026": a date
                after,
                re.I,
            ):
                continue  # a time of day, a duration, a percent read elsewhere
            if re.search(rf"\b{MONTH_NAME}\.?\s+$", before):
                continue  # "from November 1 to November 30": a date
            scale = "million" if m.group("m") else m.group("scale")  # "roughly 12.6m a day"
            amounts = amounts_at.within(sentence.start, sentence.end)
            of_count = COUNT_SUBJECT.search(flat, max(sentence.start, m.start() - 80), m.start())
            if scale and SCALES[scale.lower()] >= 9 and amounts and not of_count and re.search(
                r"(?:\b(?:at|and|to|from|or|with|reach(?:ed|es)?|was|were|supplied|contributed|took|accounted\s+for|"
                r"generated|earned|spent|raised)|\band\s+(?:[A-Z][\w'’-]*\s+){0,2}[A-Z][\w'’-]*)\s+"  # "and South
                # Korea 2.4 billion"
                r"(?:(?:about|around|nearly|some|over|more than|almost|roughly|just over|just under|under)\s+)?$",
                before,
                re.IGNORECASE,
            ):  # "From 1.29 trillion to 1.98 trillion yuan" too
                # "Zhejiang at 541 billion yuan and Fujian at 203 billion": the sentence's currency
                unit = min(amounts, key=lambda f: abs(f.start - m.start())).unit
                found.append(RawFigure("amount", m.start(), m.end(), number(num, scale), unit, num, rule="bare amount"))
                continue
            joined = re.match(r"\s+(?:to|and)\s+", flat[m.end() : m.end() + 6])
            nxt = [f for f in amounts if joined and f.start == m.end() + joined.end()]
            chain = LIST_CHAIN.match(flat, m.end())
            head = [f for f in figures if chain and f.start == chain.end() and f.kind in ("amount", "percent")]
            if head and (head[0].kind == "percent") == (scale is None) and not re.search(
                    r"\b(?:from|between|to|at|reached|hit)\s+(?:(?:about|around|nearly|some)\s+)?$", before, re.I
            ) and (head[0].kind != "percent" or number(num) < 100):  # fmt: skip
                # ("grew 21.6 percent in 2022, to 214, and 17.3 percent ...": 214 is no percent)
                # "300 billion, 200 billion and 150 billion yuan", "rose 5, 6 and 7 percent": the list's last item
                # names the unit of all of them
                member = RawFigure(head[0].kind, m.start(), m.end(), number(num, scale), head[0].unit, num,
                                   rule="bare amount" if scale else "bare percent")  # fmt: skip
                if head[0].kind == "percent":  # "rose 5, 6 and 7 percent": the first item's verb is all of theirs
                    if head[0].start not in list_change:
                        phrase = GROWTH_BEFORE.search(flat, max(sentence.start, m.start() - 30), m.start())
                        declines = phrase is not None and DECLINE.search(phrase.group(0)) is not None
                        list_change[head[0].start] = None if phrase is None else declines
                        if phrase is not None:  # the head and the later items take the first item's change
                            head[0].extra["growth"] = "yes"
                            head[0].value = -head[0].value if list_change[head[0].start] else head[0].value
                    elif list_change[head[0].start] is not None:
                        member.extra["growth"] = "yes"
                        member.value = -member.value if list_change[head[0].start] else member.value
                found.append(member)
                continue
            if nxt and not scale and re.search(r"\b(?:from|between)\s+(?:(?:about|around|nearly|some)\s+)?$", before,
                                               re.IGNORECASE):  # fmt: skip
                # "rose from 1,200 to 1,500 yuan": the amount after it gives its currency
                found.append(RawFigure("amount", m.start(), m.end(), number(num), nxt[0].unit, num, rule="bare amount"))
                continue
            ahead = re.match(r"(?:\s*,)?\s+(?:and|or)\s+|\s*,\s+", flat[m.end() : m.end() + 8])
            counted = [f for f in counts.within(sentence.start, sentence.end)
                       if ahead and f.start == m.end() + ahead.end()]  # fmt: skip
            if counted and not re.search(r"\b(?:from|between)\s+(?:(?:about|around|nearly|some)\s+)?$", before, re.I):
                # "handled 6,374 and 5,012 China-Europe freight trains": the count after it names what it counts
                found.append(RawFigure("count", m.start(), m.end(), number(num, scale), counted[0].unit, num,
                                       rule="bare count"))  # fmt: skip
                continue
            # "310 million in 2017, 560 million in 2018 and 1.02 billion last year": a list goes on counting what
            # the number before it counts (not "codes 9710 and 9810": the number before is no count)
            # (a hedge and a year may come between: "86 warehouses ..., up from 31 in 2023, and some 40 in Africa")
            continued = [
                f for f in [*counts.figures, *found]
                if f.kind == "count" and sentence.start <= f.start and f.end <= m.start() and m.start() - f.end <= 80
                and not re.search(r"\d", YEAR.sub("", flat[f.end : m.start()]))
            ] if re.search(r"(?:,|:|;|\band|\bbut|\byet|\bwhile)\s+(?:(?:about|around|nearly|almost|roughly|some|over|"
                           r"more than|only|just)\s+)?$", before) and not re.match(
                r"\s+(?:is|was)\s+(?:the|a|an|its|their|his|her)\b", flat[m.end() : m.end() + 24]
                # "3,000 workers, and 45 is the average age": no count ("Of the 33 zones, 14 are in the west" is)
            ) else []  # fmt: skip
            slot = BARE_SLOT.search(before) or BARE_AFTER.match(flat, m.end())
            if not (slot or continued):
                continue
            if re.search(r",\s*$", before) and (re.match(r"\s*,", after) or (
                    re.search(r"\b[A-Z][a-z]+,\s*$", before) and re.match(r"\s*(?:[.;)]|$)", after))):  # fmt: skip
                continue  # "Zhao Lei, 39, who runs ...", "said manager Aziz Tursun, 38.": an age
            reach = by_sentence[max(0, index - 2)].start
            earlier = [f for f in [*counts.within(reach, m.start()), *found] if f.end <= m.start()]
            part = re.search(r"\b[Oo]f\s+the\s+([\d,]+)(?:\s+[a-z]+)?\s*,\s*$", before)
            same = [f for f in earlier if f.kind == "count" and f.value == number(num, scale)]
            if re.search(r"\b[Oo]f\s+the\s+$", before) and re.match(r"\s+[a-z]+ed\s*,", after + " ") and same:
                # "The review covered 132 zones ... Of the 132 assessed, ...": the count it restates
                found.append(RawFigure("count", m.start(), m.end(), same[-1].value, same[-1].unit, num,
                                       rule="bare count"))  # fmt: skip
                continue
            whole = [f for f in found if part and f.start == m.start() - len(part.group(0)) + part.start(1)]
            if whole:  # "Of the 132 assessed, 87 were rated good": a part of what that count counts
                found.append(RawFigure("count", m.start(), m.end(), number(num, scale), whole[0].unit, num,
                                       rule="bare count"))  # fmt: skip
                continue
            compared = [f for f in [*counts.within(sentence.start, m.start()), *found]
                        if sentence.start <= f.start and f.end <= m.start()]  # fmt: skip
            if compared and re.search(r"\b(?:against|versus|vs\.?|compared (?:with|to))\s+(?:(?:about|around|nearly|"
                                      r"almost|some|just|fewer than|less than|more than)\s+)?$", before, re.I):
                # "reached 64 a week, against 37 a year earlier": what the figure it is compared with counts
                last = max(compared, key=lambda f: f.end)
                found.append(RawFigure("count", m.start(), m.end(), number(num, scale), last.unit, num,
                                       rule="bare count"))  # fmt: skip
                continue
            anchor = _anchor_noun(flat, m, sentence, by_sentence[max(0, index - 2) : index], counts, found)
            if not slot and continued:  # a list goes on counting what its last count counts
                anchor = (max(continued, key=lambda f: f.end).unit, "sentence")
            earlier_bare = [f for f in found if f.rule == "bare count" and sentence.start <= f.start < m.start()]
            if anchor is None and not earlier_bare and COUNT_ANAPHOR.search(flat, max(sentence.start, m.start() - 160),
                                                                            m.start()):  # fmt: skip
                # "... numbered about 62,000 at the end of 2024. By March, their number had reached 68,000"
                reach = by_sentence[max(0, index - 2)].start
                earlier_bare = [f for f in found if f.rule == "bare count" and reach <= f.start < m.start()]
            if anchor is None and earlier_bare:  # "reach 186,000 by December (versus 152,000 ...)"
                anchor = (earlier_bare[-1].unit, "sentence")
            if anchor is None:
                continue
            noun, where = anchor
            value = number(num, scale)
            figure = RawFigure("count", m.start(), m.end(), value, noun, num, rule="bare count")
            if where == "earlier":
                figure.extra["uncertain"] = (
                    f"the number stands alone; its noun ({noun}) is read from an earlier sentence"
                )
            found.append(figure)
    return found


class Positioned:
    """Figures sorted by start, to take those starting in a range by bisection."""

    def __init__(self, figures: list[RawFigure]) -> None:
        self.figures = sorted(figures, key=lambda f: f.start)
        self.starts = [f.start for f in self.figures]

    def within(self, low: int, high: int) -> list[RawFigure]:
        return list(starting_in(self.figures, self.starts, low, high))


# the plural noun a change or level is stated for, right before its verb or a few words before it
CHANGE_NOUN = re.compile(
    # an aside between the noun and its verb: "Departures of such trains, first run from Yiwu in 2018, passed 1,000"
    r"\b([A-Za-z][\w-]*s)\s+(?:(?:had|have|has)\s+)?(?:[\w'’-]+\s+){0,12}?(?:[\w'’-]+,\s+(?:[^,;:.]{1,60},\s+)?)?"
    r"(?:dropped|rose|rising|fell|falling|grew|growing|increased|decreased|declined|climbed|jumped|expanded|shrank|"
    r"slipped|slipping|slip|slips|went up|went down|recovered|numbered|totall?ed|reached|reach|doubled|tripled|halved|"
    r"surged|soared|jumped|slumped|plunged|rebounded|rebounding|edged (?:up|down)|topped|exceeded|surpassed|passed|"
    # "roughly doubled, from about 4,000 in 2014 to 7,950", "shall exceed 120"
    r"contracted|(?:shall|will|should|to)\s+(?:exceed|surpass|top|reach)|tops?|pass(?:es)?)(?:,\s+|\s+)"
    rf"(?:(?:by\s+)?[\d.]+\s*(?:percent|per cent|%)\s+(?:{COMPARED_ON},?\s+)?)?"
    r"(?:[\w.]+-?fold\s+)?"  # "jumped five-fold to more than 1 million"
    # "edged down 3.2 percent to 765 million", "rose 20 percent year on year to 5.6 billion"
    r"(?:(?:from|by|to)\s+(?:(?:about|around|nearly|almost|over|more than|roughly|some)\s+)?[\d.,]+"
    r"(?:\s+(?:thousand|million|billion))?\s+)?(?:(?:from|to|by)\s+)?"  # "rose by 23 million to 186 million"
    r"(?:(?:about|around|nearly|almost|over|more than|roughly|some|just)\s+)?$",
)


# a count's subject before the verb of a change: "parcel volume grew 11 per cent to 1.3 billion" counts parcels, not
# the sentence's currency
COUNT_SUBJECT = re.compile(
    r"\b(?:parcels?|orders?|shipments?|packages?|users?|buyers?|shoppers?|sellers?|visitors?|containers?|trips?|"
    r"flights?|passengers?|items?)\s+(?:volumes?|numbers?|counts?)?\s*(?:[\w'’-]+\s+){0,4}?(?:grew|rose|fell|reached|"
    r"hit|climbed|jumped|increased|decreased|totall?ed|dropped|slipped|surged|soared)\b[^.;,]*$",
    re.IGNORECASE,
)
NOT_A_COUNT = _wordset(
    "rates prices wages costs fees sales revenues profits margins values volumes shares exports imports earnings "
    "charges tariffs duties taxes yields spreads rents salaries incomes"
)  # what rises and falls without being counted
COUNT_ANAPHOR = re.compile(
    r"\b(?:the|its|their)\s+(?:count|number|total|tally|network)\s+(?:\w+\s+){0,2}?(?:rose|grew|fell|climbed|jumped|"
    r"increased|decreased|dropped|reached|stood|doubled|was|were|is)\s+"
    r"(?:(?:by\s+)?[\d.]+\s*(?:percent|per cent|%)\s+)?"
    r"(?:in\s+(?:19|20)\d\d,?\s+)?(?:(?:to|at|from|by)\s+)?(?:(?:about|around|nearly|some|just)\s+)?$",
    re.IGNORECASE,
)
NOT_A_COUNT_NOUN = _wordset(
    "national total overall annual official final latest current new combined provincial global daily weekly monthly "
    "yearly city local regional unofficial"
)  # "the national tally rose to 13": an adjective, not what is counted
COMPOUND_COUNT = re.compile(  # "the pilot-zone count stood at", "Fujian's overseas warehouse count passes", "as
    # merchant base passes"
    r"(?:\b(?:the|its|their|a|as)\s+|['’]s\s+)(?:[a-z]+\s+)?(?:[a-z]+-)?([a-z]{3,})\s+(?:count|tally|base)\s+"
    r"(?:(?:had|has|have)\s+)?"
    r"(?:stood|was|were|is|rose|reached|grew|fell|climbed|jumped|hit|hits|totall?ed|dropped|passes|passed|tops|"
    r"topped|crosses|crossed)\s+(?:by\s+[^,;.]{1,30},\s+)?(?:(?:at|to|by)\s+)?"  # "jumped by a quarter, to 70,000"
    r"(?:(?:about|around|nearly|almost|some|roughly|just)\s+)?$",
    re.IGNORECASE,
)
COLLECTIVE_NOUNS = {"headcount": "employees", "workforce": "employees", "staff": "employees", "payroll": "employees"}
CUT_COLLECTIVE = re.compile(
    rf"\b(?:cut|cuts|cutting|reduced|reducing|trimmed|trimming|slashed|slashing)\s+(?:its\s+|their\s+)?"
    rf"({'|'.join(COLLECTIVE_NOUNS)})\s+by\s+(?:(?:about|around|nearly|some)\s+)?$",
    re.IGNORECASE,
)  # "after cutting staff by 600"
COLLECTIVE_CHANGE = re.compile(
    rf"\b({'|'.join(COLLECTIVE_NOUNS)})\s+(?:\w+\s+){{0,2}}?(?:fell|rose|dropped|grew|shrank|climbed|was cut|was|stood|"
    r"reached|increased|decreased|declined)\s+(?:(?:from|by|to)\s+(?:(?:about|around|nearly|some)\s+)?[\d.,]+\s+)?"
    r"(?:(?:from|to|by|at)\s+)?(?:(?:about|around|nearly|almost|over|more than|roughly|some|just)\s+)?$",
    re.IGNORECASE,
)


def _anchor_noun(
    flat: str, m: re.Match[str], sentence: Sentence, previous: list[Sentence], counts: Positioned,
    bare: list[RawFigure],
) -> tuple[str, str] | None:
    """What a bare number counts: "the number of X" before it in its sentence, else the nearest count of its
    sentence, else "the number of X" in the two sentences before, else the noun of a change ("orders dropped
    from 8,000 to 3,000"), else after "another" / "received" the count of the sentences before. With where it
    was read: "sentence" or "earlier"."""
    numbered = _numbered_noun(flat, sentence.start, m.start())
    if numbered:
        return numbered, "sentence"
    window = flat[max(sentence.start, m.start() - 160) : m.start()]  # bounded: linear in a sentence's numbers
    subject = COUNT_SUBJECT.search(window)
    if subject:  # "parcel volume grew 11 per cent to 1.3 billion"
        word = subject.group(0).split()[0].lower()
        return (word if word.endswith("s") else f"{word}s"), "sentence"
    compound = COMPOUND_COUNT.search(window)
    if compound:  # "The pilot-zone count stood at 165", "as merchant base passes 58,000": the count's noun
        word = compound.group(1).lower()
        if word not in NOT_A_COUNT_NOUN:
            return (word if _plural(word) else f"{word}s"), "sentence"
    change = CHANGE_NOUN.search(window)
    noun = change.group(1).lower() if change else ""
    head = re.match(r"\s+([a-z][\w-]*s)\b", window[change.end(1) :]) if change else None
    if head and head.group(1) not in STOP_WORDS and (head.group(1) in COUNT_NOUNS or head.group(1).endswith(
            ("ers", "ists", "ants", "ents")) or (not _plural(noun) and _plural(head.group(1)))):  # fmt: skip
        # not "Parcels across the region", "shoppers overseas"; "Overseas warehouses ... shall exceed 120": the noun
        noun = head.group(1)  # "Imported-goods shoppers rebounded to 163 million": the head of the compound
    if noun in ("numbers", "volumes", "counts", "volume", "number", "count") and change:  # "parcel numbers slip to
        # 765 million", "parcel volume grew 11 per cent to 1.3 billion": parcels
        modifier = re.search(r"\b([a-z]+)\s+$", window[: change.start(1)], re.I)
        word = modifier.group(1).lower() if modifier else ""
        noun = COLLECTIVE_NOUNS.get(word) or (f"{word}s" if word and word not in STOP_WORDS else "")
    if noun in NOT_A_COUNT:
        noun = ""  # "Freight rates jumped 20 percent to 4,000": a level of rates, not a count
    if change and _plural(noun) and noun not in STOP_WORDS | NOT_COUNTED:
        return noun, "sentence"
    if COUNT_ANAPHOR.search(window):  # "The year after, the count rose 54.3 percent to 71": the count named before
        # (a bare one too: "Sellers numbered 62,000 at the end of 2024. By March, their number had reached 68,000")
        reach = previous[0].start if previous else sentence.start
        earlier_counts = sorted([*counts.within(reach, m.start()), *(f for f in bare if reach <= f.start < m.start())],
                                key=lambda f: f.start)  # fmt: skip
        if earlier_counts:
            return earlier_counts[-1].unit, "sentence" if earlier_counts[-1].start >= sentence.start else "earlier"
    collective = COLLECTIVE_CHANGE.search(window) or CUT_COLLECTIVE.search(window)
    if collective:  # "Headcount fell by 600 to 3,400"
        return COLLECTIVE_NOUNS[collective.group(1).lower()], "sentence"
    if re.match(r"\s+of\s+(?:them|these|those)\b", flat[m.end() : m.end() + 16]) or re.search(
        r"\b[Oo]f\s+(?:them|these|those|which)\s*,\s*$", window
    ):  # "about 560 million of them", "Of these, 31 opened this year"
        reach = previous[0].start if previous else sentence.start
        # the count they are part of, a bare one too: "passed 1,000 on Monday, 640 of them this year"
        before_here = sorted([*counts.within(reach, m.start()), *(f for f in bare if reach <= f.start < m.start())],
                             key=lambda f: f.start)  # fmt: skip
        subject = re.match(r"\s*(?:The\s+|Its\s+|Their\s+)?(?:(?:Tens|Hundreds|Thousands|Millions|Dozens)\s+of\s+"
                           r"(?:(?:thousands|millions)\s+of\s+)?)?(?:[A-Za-z][a-z-]+\s+){0,2}?([A-Za-z][a-z-]+s)\b"
                           r"(?!['’]|\s+of\b)", flat[sentence.start : m.start()])
        if subject and (not before_here or before_here[-1].start < sentence.start) and _plural(
                subject.group(1).lower()) and subject.group(1).lower() not in STOP_WORDS | NOT_COUNTED:  # fmt: skip
            # "Users spent an average of 1,250 yuan, and 45 million of them bought": the sentence's subject, not
            # the count of the sentence before
            return subject.group(1).lower(), "sentence"
        if before_here:  # "904 million internet users ... about 560 million of them watched"
            return before_here[-1].unit, "sentence" if before_here[-1].start >= sentence.start else "earlier"
    here = counts.within(sentence.start, sentence.end)
    if here:
        earlier_here = [c for c in here if c.end <= m.start()]
        # not a count in a place phrase of the count before it: "382 overseas warehouses in 41 countries and
        # regions, up from 29 in 2018" counts warehouses
        heads = [c for c in earlier_here
                 if not re.search(r"\b(?:in|across|to|from|at)\s+(?:about\s+|some\s+|over\s+|more than\s+)?$",
                                  flat[max(0, c.start - 16) : c.start])]  # fmt: skip
        earlier_here = heads or earlier_here
        if earlier_here and re.search(r"\bfrom\s+(?:(?:about|around|nearly|almost|roughly|some|just)\s+)?$", window):
            # "86 overseas warehouses ..., up from 31 in 2023, and some 40 in Africa, where 12,000 livestreamers":
            # the number a change starts from counts what the figure before it counts
            return earlier_here[-1].unit, "sentence"
        return min(here, key=lambda c: abs(c.start - m.start())).unit, "sentence"
    for s in reversed(previous):
        numbered = _numbered_noun(flat, s.start, s.end)
        if numbered:
            return numbered, "earlier"

    change = re.search(
        r"\b([a-z][\w-]*s)\s+(?:(?:had|have|has)\s+)?(?:dropped|rose|fell|grew|increased|decreased|declined|climbed|jumped|"
        r"expanded|shrank|slipped|went up|went down)\s+(?:from|to|by)\b",
        flat[sentence.start : m.start()],
    )
    if change and _plural(change.group(1)):
        return change.group(1), "sentence"  # "orders dropped from about 8,000 to 3,000"
    earlier = sorted([*counts.within(previous[0].start, sentence.start),
                      *(f for f in bare if previous[0].start <= f.start < sentence.start)],
                     key=lambda f: f.start) if previous else []  # fmt: skip  # a bare count too: "dropped from
    # about 8,000 to 3,000 ... They have since recovered to roughly 6,500"
    if earlier and (
        # "At the start of 2021 we had 14 stores. By August we had four."
        re.search(r"\b(?:another|received|gained|added|got|won|had)\s+$", flat[max(0, m.start() - 20) : m.start()],
                  re.I)
        or re.search(r"\b(?:recovered|rose|fell|dropped|climbed|returned|grew|shrank)\s+to\s+(?:(?:about|roughly|some|"
                     r"nearly|around|almost)\s+)?$", flat[max(0, m.start() - 30) : m.start()], re.I)
    ):  # fmt: skip
        return earlier[-1].unit, "earlier"  # "Orders dropped to 3,000 ... They have since recovered to roughly 6,500"
    return None
