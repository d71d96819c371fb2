"""Time expressions in English news text and the period each figure refers to.

A figure's period is resolved in this order, and the rule that decided it is kept (``basis``):

1. ``attached``: a time expression printed right after the figure ("1.18 million tonnes in the first
   quarter", "from 34.2 percent in 2024", "150 yuan a year earlier").
2. ``clause`` / ``sentence``: a time expression elsewhere in the figure's clause, else in its sentence,
   that is not attached to another figure and is not the base of a comparison ("higher than in 2022",
   "from a year earlier", "compared with 2016") or the start of a cumulative span ("since 2015").
3. ``present tense``: the clause speaks of the present ("there are", "has grown to", "now"): the
   publication date.
4. ``carried``: the time frame an earlier sentence set ("In 2024, ... Exports rose ...") carries over
   while the article keeps talking ("the following year" moves it on).
5. ``publication date``: the article gives no period.

Relative expressions ("last year", "in November", "on Friday", "the first half") are resolved against the
publication date and the article's current frame. Everything works on the flat text (offsets of the raw
file), so spans stay exact.
"""

from __future__ import annotations

import bisect
import calendar
import csv
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache, lru_cache
from pathlib import Path

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December",
)  # fmt: skip
_MONTH_ABBR = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
               "oct": 10, "nov": 11, "dec": 12}  # fmt: skip
MONTH_NUMBER = {m.lower(): i for i, m in enumerate(MONTH_NAMES, start=1)} | _MONTH_ABBR
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|" \
         r"Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"  # fmt: skip
# a month's abbreviation without its dot, capitalised, only in a range of months ("Jan-Oct"): alone, "Mar" or "Jun"
# is too often something else
_ABBR = r"(?-i:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)(?![\w.])"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_ORDINAL_PART = {"first": 1, "second": 2, "third": 3, "fourth": 4}
_WORD_COUNT = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
               "ten": 10, "eleven": 11, "twelve": 12}  # fmt: skip
_YEAR = r"(?<![\w.,/-])(?:19|20)\d\d(?![\w/]|-\d)"
_REL_YEAR = r"(?:last|this|next|that|the\s+same|the\s+previous|the\s+following|the\s+next|the\s+past)\s+year"

# each alternative names its groups; the first that matches at a position wins (longest forms first)
TIME = re.compile(
    rf"""
    (?<!\w)(?=\w)  # every expression starts a word: the alternation is not tried inside words
    (?:
    (?P<drange>between\s+(?P<dr_month>{_MONTH})\s+(?P<dr_d1>\d{{1,2}})\s+and\s+(?:(?P<dr_month2>{_MONTH})\s+)?(?P<dr_d2>\d{{1,2}})(?![\d%]))
  | (?P<date>(?P<d_month>{_MONTH})\s+(?P<d_day>\d{{1,2}})(?:st|nd|rd|th)?(?![\d%])(?:,?\s+(?P<d_year>{_YEAR}))?)
  | (?P<date2>(?:the\s+)?(?P<d2_day>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+(?P<d2_month>{_MONTH})(?![\w-])
        (?:,?\s+(?P<d2_year>{_YEAR}))?)  # "18 March", "the 2nd of June", "1 January 2026"
  | (?P<yrange>(?P<y_from>{_YEAR})\s*[-–]\s*(?P<y_to>(?:19|20)\d\d)(?!\d))
  | (?P<ytd>year[\s-]to[\s-]date|so\s+far\s+this\s+year)
  | (?P<endedyear>(?:(?<=ended\s)|(?<=closed\s)|(?<=finished\s))the\s+year\b)
  | (?P<mquarter>(?:the\s+)?(?P<mq_month>March|June|September|December)[\s-]+quarter(?![\w-])
        (?:\s+(?:of\s+)?(?P<mq_year>{_YEAR}))?)
  | (?P<mto>(?:the\s+)?(?P<mt_n>\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+months\s+
        (?:to|through|ended|ending|until)\s+(?:the\s+end\s+of\s+)?(?P<mt_month>{_MONTH})(?:\s+(?P<mt_year>{_YEAR}))?
      | (?:fiscal|financial)\s+year\s+(?:ended|ending|to)\s+(?:the\s+end\s+of\s+)?(?P<fye_month>{_MONTH})
        (?:\s+\d{{1,2}}(?!\d),?)?(?:\s+(?P<fye_year>{_YEAR}))?)
  | (?P<mrange>(?:(?:between|from)\s+)?(?P<m_from>{_MONTH}|{_ABBR})\s*(?:[-–]|\s+(?:and|to|through)\s+)\s*
        (?P<m_to>{_MONTH}|{_ABBR})
        (?:\s+(?:period\s+)?(?:of\s+)?(?P<m_year>{_YEAR}))?)
  | (?P<part>(?:the\s+)?(?P<p_ord>first|second|third|fourth|last)[\s-]+(?:(?P<p_n>\d+|two|three|four|five|six|
        seven|eight|nine|ten|eleven)\s+)?(?P<p_unit>half|quarters?|months)
        (?:\s+of\s+(?:(?P<p_year>{_YEAR})|(?P<p_rel>{_REL_YEAR})|the\s+year))?)
  | (?P<qalone>(?:the|this|that)\s+(?:same\s+|latest\s+|reporting\s+|current\s+)?quarter(?![\w-])
        (?!\s+(?:of|in|last|a\s+year)\b)(?!['’]s\s+(?:level|figure))
      | (?<![\w-])(?:Q(?P<qa_q>[1-4])|H(?P<qa_h>[12]))(?![\w-])(?!\s*['’]?(?:19|20)?\d\d(?!\d))
      | (?:the\s+)?same\s+(?:(?P<qa_n>\d+|two|three|four|five|six|seven|eight|nine|ten|eleven)\s+months|period|half)
        (?!\s+(?:of|in|last|a\s+year)\b))
  | (?P<edge>(?:(?:at|by|from|since|until|to)\s+)?(?:the\s+)?(?P<e_which>start|beginning|end|close)\s+of\s+
        (?:(?P<e_month>{_MONTH})(?:\s+(?P<e_myear>{_YEAR}))?|(?P<e_year>{_YEAR})|(?P<e_rel>{_REL_YEAR})|the\s+year))
  | (?P<relmonth>(?P<rm_rel>last|this|next)\s+(?P<rm_month>{_MONTH})(?![\w-]))
  | (?P<monthyear>(?P<my_month>{_MONTH})\s+(?:of\s+)?(?:(?P<my_year>{_YEAR})|(?P<my_rel>last\s+year|this\s+year)))
  | (?P<season>(?:(?P<s_rel>this|last|next)\s+)?(?P<s_name>spring|summer|autumn|winter)(?![\w-])(?!\s+(?-i:[A-Z][a-z]))
        (?:\s+(?:of\s+)?(?P<s_year>{_YEAR}))?)
  | (?P<mid>mid[\s-]?(?:(?P<mid_year>(?:19|20)\d\d)(?![\w/]|-\d)|year(?![\w-])))  # "by mid-2024", "by mid-year"
  | (?P<month>(?P<mo_name>{_MONTH})(?![\w-]))
  | (?P<year>{_YEAR})
  | (?P<yearsago>(?:(?P<ya_n>\d+|two|three|four|five|six|seven|eight|nine|ten)\s+years|(?P<ya_dec>a|one)\s+decade)\s+
        (?P<ya_dir>earlier|later|ago))
  | (?P<rel>{_REL_YEAR}|a\s+year\s+(?:earlier|ago|before|later)|the\s+year\s+(?:before|after)|(?:this|last)\s+month)
  | (?P<weekday>\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b)
  | (?P<fullyear>full[\s-]year|whole[\s-]year)
  | (?P<fy>FY\s?(?P<fy_year>(?:19|20)\d\d|\d\d)(?:E|F)?(?![\w]))
  | (?P<qh>(?:Q(?P<qh_q>[1-4])|H(?P<qh_h>[12]))\s*(?P<qh_year>(?:19|20)\d\d)(?!\d)
        |(?P<qh_n>[1-4])(?P<qh_u>[QH])(?P<qh_yy>\d\d)(?!\w))
        )
    """,
    re.VERBOSE | re.IGNORECASE,
)
# what before an expression makes it the base of a comparison, or the start of a span
BASE_BEFORE = re.compile(
    r"(?:\bthan|\b(?:the\s+)?(?:figure|level)|\b(?:from|than|over|against|with|to|versus|on)\s+(?:in\s+)?(?:the\s+)?same\s+(?:period|quarter|month|time)\s+(?:of|in|last)|\bthat\s+of|\bthose\s+of|\bcompared\s+(?:with|to)|\bfrom|\bover|\bversus|\bvs\.|\bagainst|\brelative\s+to|"
    r"\bfigure\s+for|\blevel\s+(?:of|in)|\bas\s+(?:many|much|large|big|high|fast)\s+as|"
    # "three times the number in 2018", "2.5 times what the same box cost in 2019"
    r"(?:\btimes|(?<=\d)x|\bthan|\bdouble|\btwice|\bhalf)\s+(?:(?:the|its|their)\s+(?:number|total|count|amount|volume|"
    r"value|level|"
    r"figure)(?:\s+(?:in|of|for))?|what\s+[^.;:]{0,40}?\b(?:in|of))|"
    r"\bsame\s+(?:period|quarter|month|months|time|half)(?:\s+(?:of|in|last))?|"  # "in the same quarter of 2020",
    # "up 18.6% on the same period last year"
    # "up 1.8 percentage points on the province's share in 2018", "against their level of 2019"
    r"\b(?:on|from|over|than|against|versus|with)\s+(?:the\s+|its\s+|their\s+)?(?:[\w-]+['’]s\s+)?(?:[\w-]+\s+)?"
    r"(?:share|level|figure|total|value|volume|number|count|amount)\s+(?:in|of|for))"
    r"\s+(?:(?:in|the|a|that\s+of|those\s+of)\s+)?(?:revised\s+figure\s+for\s+)?"
    r"(?:(?:the\s+)?(?:whole|full|entire)\s+(?:of\s+)?)?$",  # "the figure for the whole of 2020"
    re.IGNORECASE,
)
SINCE_BEFORE = re.compile(
    r"\b(?:since|after|before|until|till|ever\s+since)\s+(?:the\s+)?$"
    # "since the programme began in 2015"
    r"|\b(?:since|ever since)\s+(?:the|it|they|this|that)\b[^,.;:]{0,60}\b(?:in|on)\s+(?:(?:late|early|mid)[\s-]+)?$"
    # "after new tax rules took effect on April 8": an event's date (no figure in between: "after falling 3
    # percent in 2023" is that figure's period)
    r"|\b(?:since|after|before)\s+[^,.;:\d]{0,50}\b(?:\w+ed|took|began|came|went|was|were|became)\b[^,.;:\d]{0,20}\b"
    r"(?:in|on)\s+(?:(?:late|early|mid)[\s-]+)?$",
    re.IGNORECASE,
)
REPORTING = re.compile(
    r"\b(?:said|says|announced|reported|told|showed|released|published|noted|added|stated)\s+(?:on\s+)?$",
    re.IGNORECASE,
)
PRESENT = re.compile(
    r"\b(?:now|currently|at present|to date|so far|there are|there is|has|have|is|are|remains?|stands?|"
    r"includes?|benefits?|hosts?|covers?|operates?|employs?|offers?|serves?|lists?|contains?|comprises?|owns?|"
    r"runs|aims?|expects?|accounts? for|makes? up|handles?|holds|keeps?|charges|pays|costs|takes|settles?|sells|"
    r"processes|carries|earns|spends|estimates|quotes|puts|ranks|controls|"
    # base forms after a plural subject ("Returns still eat 8 percent", "Returns run at 20-30 percent"); not
    # "cost", "put", "hit", "set": their past is the same word ("and cost € 40 million to build")
    # nor words that are more often nouns ("container ships", "uses", "needs", "moves", "a cover", "a stand")
    r"run|eat|eats|publish|publishes|charters|sits|sit|averages|weighs|comes|makes|gets|reaches|pay|sell|buys|earn|"
    r"employ|operate|offer|serve|own|include|remain|hold|"
    # a rule in force, a capacity: "levies value-added tax of 15 percent", "it can process 150,000 parcels a day"
    r"levies|imposes|requires|allows|exempts|can|cannot)\b",
    re.IGNORECASE,
)
# "reported second-quarter revenue of US$3.12 billion on Wednesday": the weekday is when it was reported
FUTURE = re.compile(
    r"\b(?:will|would|shall|should|plans?\s+to|planned|aims?\s+to|wants?|strives?|strive\s+for|targets?|expects?\s+to|"
    r"expected\s+to|is\s+to|are\s+to|goal|forecasts?)\b[^.;:]*$",
    re.IGNORECASE,
)
CLAUSE_END = re.compile(r"[.;:!?](?=\s)|,\s+(?:while|but|and)\b")
LEVEL_COMPARED = re.compile(  # "1.6 times the 2020 level", "above its 2019 level", "than the 2022 total"
    r"\b(?:times|than|from|versus|vs\.?|over|above|below|against|double|triple|twice|half|compared\s+(?:with|to)|"
    r"exceed(?:s|ed|ing)?|surpass(?:es|ed|ing)?|beat|beating)\s+(?:(?:the|its|their|that)\s+)?$",
    re.IGNORECASE,
)
LEVEL_AFTER = re.compile(r"\s+(?:level|figure|total|value|volume|average|base|record|estimate|peak|mark)s?\b",
                         re.IGNORECASE)
# a year used as a noun's modifier: "the 2018 floor area" (not "from 2018 to 2020", "than the 2022 one")
ATTRIBUTIVE_AFTER = re.compile(
    r"\s+(?!(?:to|and|or|in|on|at|when|as|for|by|with|through|until|onwards?|one|ones|was|were|is|are)\b)[a-z]{3,}\b"
)
REPORTED_IN_CLAUSE = re.compile(
    r"\b(?:said|says|reported|announced|told|disclosed|posted|unveiled|published|made public)\b", re.I
)
NOW = re.compile(r"\b(?:now|currently|at present|to date|so far|today|nowadays|these days)\b", re.IGNORECASE)
PAST = re.compile(
    r"\b(?:was|were|had|did|rose|fell|grew|reached|totall?ed|hit|stood|climbed|jumped|surged|dropped|declined|"
    r"slipped|increased|decreased|handled|shipped|moved|exported|imported|recorded|came|made|took|accounted|"
    r"totalled|totaled|posted|soared|expanded|shrank|sank|slid|edged|gained|lost|added|approved|opened|saw|got|"
    r"ran|began|won|sold|bought|spent|paid|built|averaged|dropped|fallen|declined|kept|held|brought|led|meant|met|"
    r"became|gave|drew|charged|settled|earned|quoted|carried|processed|generated|delivered|multiplied|served|"
    r"offered|operated|employed|hosted|launched|opened|cleared|attracted|received|completed|produced|sent)\b",
    re.IGNORECASE,
)
SEASON_SPAN_BEFORE = re.compile(
    r"\b(?:since|after|before)\s+(?:the\s+)?(?:(?:start|beginning|end)\s+of\s+(?:the\s+)?)?$", re.IGNORECASE
)  # "since the start of summer"
CLAUSE_BREAK = re.compile(
    r";|:\s|,\s+(?:while|whereas|but|and|although|though|as|so|meaning|which\s+means)\b|\s+--\s+|\s+—\s+"
)


@dataclass(frozen=True)
class TimeExpr:
    start: int
    end: int
    kind: str  # date, year, month, part, edge, rel, weekday, yrange, mrange
    year: int | None  # resolved year (None: could not be resolved)
    month: int | None = None
    day: int | None = None
    note: str | None = None
    base: bool = False  # base of a comparison: not the period of the clause's figures
    since: bool = False  # start of a span
    reporting: bool = False  # "said Friday": when it was said, not what it is about
    sets_frame: bool = True
    aside: bool = False  # in an aside that a comma closes ("Temu, launched in September 2022, says ..."): the time
    # of the aside's own figures, not of the figures after it
    relative: int | None = None  # where the relative clause it is in starts ("subsidies of 5 million yuan, a practice
    # that began in 2021"): the time of that clause, not of the figures before it

    def label(self) -> str:
        if self.year is None:
            return ""
        if self.day is not None and self.month is not None:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"


@dataclass(frozen=True)
class Frame:
    year: int
    month: int | None = None
    topic: bool = False  # set by a sentence that opens with its time ("In 2023, ...", "Last year, ..."): the
    # article's subject, not a figure's passing date
    part: bool = False  # a part of the year ("the first half", "January-June", "Q1 2024"): what the text reports
    # on, not the present, even in the year of publication
    year_end: bool = False  # set at a year's end ("at the end of 2024", "in December"): a month named next, earlier
    # in the calendar, is in the year after


def _pub(published: str) -> date | None:
    """The publication date as a date; a year alone ("2024 (early)") is read as its start when the registry
    says early, its middle when it says mid, else its end; an impossible day (2024-02-30) as the month's last."""
    match = re.search(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", published)
    if not match:
        return None
    year = int(match.group(1))
    if match.group(2) is None:
        month = 1 if re.search(r"\bearly\b", published, re.I) else 6 if re.search(r"\bmid\b", published, re.I) else 12
        return date(year, month, 15 if month != 12 else 28)
    month = min(max(int(match.group(2)), 1), 12)
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(max(int(match.group(3) or last), 1), last))


def _month(name: str) -> int:
    return MONTH_NUMBER[name.lower().rstrip(".")]


def _n(text: str) -> int:
    return int(text) if text.isdigit() else _WORD_COUNT[text.lower()]


def _rel_year(text: str, pub: date, frame: Frame | None) -> int | None:
    t = " ".join(text.lower().split())
    base = frame.year if frame else pub.year
    if t.startswith("last year") or t in ("a year ago",):
        return pub.year - 1
    if t.startswith("this year"):
        return pub.year
    if t.startswith("next year"):
        return pub.year + 1
    if t in ("that year", "the same year", "the past year"):
        return base
    if t in ("the previous year", "a year earlier", "a year before", "the year before"):
        return base - 1
    if t in ("the following year", "the next year", "a year later", "the year after"):
        return base + 1
    return None


def _rel_year_here(flat: str, at: int, t: str, pub: date, frame: Frame | None) -> int | None:
    """A year relative to another ("that year", "the following year") counted from the last year its own
    sentence names before it ("In 2021, exports were ...; the following year ..."), else from the frame's."""
    named = [int(y) for y in re.findall(r"(?<![\d\[])((?:19|20)\d\d)(?![\d\]])", _sentence_before(flat, at))]
    if named and t in ("the following year", "the next year", "a year later", "the year after", "the previous year",
                       "that year", "the same year"):  # fmt: skip
        return _rel_year(t, pub, Frame(named[-1]))
    return _rel_year(t, pub, frame)


def _recent_month(month: int, pub: date, frame: Frame | None) -> int:
    """The year of a month named without one: the frame's year, else its latest occurrence by publication. A frame
    of the year before publication yields to a month this year that has come ("... 624,700 tonnes in 2022. Flights
    slipped to 118 in February", published in March 2023: February 2023), unless the text opened a sentence with
    that year ("In 2023, the zone handled ... In March, ..."). After a frame at a year's end ("62,000 at the end of
    2024. By the end of March, ..."), an earlier month is the next year's, if that has come."""
    if frame is not None and frame.year_end and month < 12 and (frame.year + 1, month) <= (pub.year, pub.month):
        return frame.year + 1
    if frame is not None and (frame.topic or not (frame.year == pub.year - 1 and month < pub.month)):
        return frame.year
    return pub.year if month <= pub.month else pub.year - 1


def time_expressions(flat: str, published: str, start: int = 0, end: int | None = None) -> list[TimeExpr]:
    """The time expressions in ``flat[start:end]``, resolved against the publication date only (no frame);
    :func:`resolve` re-resolves the relative ones against the article's frame."""
    pub = _pub(published)
    if pub is None:
        return []
    return [
        e for m in TIME.finditer(flat, start, len(flat) if end is None else end) if (e := _expr(flat, m, pub, None))
    ]


def _sentence_before(flat: str, at: int, reach: int = 160) -> str:
    """The text of ``at``'s sentence before it, at most ``reach`` characters."""
    return re.split(r"[.!?]\s", flat[max(0, at - reach) : at])[-1]


def _expr(flat: str, m: re.Match[str], pub: date, frame: Frame | None, recent: Frame | None = None) -> TimeExpr | None:
    """:func:`_read`, marked when it closes an aside."""
    e = _read(flat, m, pub, frame, recent)
    if e is not None and (pronoun := _relative_clause(flat, m.start())) is not None:
        e = replace(e, relative=pronoun, sets_frame=False)
    head = re.split(r"[.!?;:]\s", flat[max(0, m.start() - 120) : m.start()])[-1]
    if e is not None and re.match(r"\s*,", flat[m.end() : m.end() + 3]) and ASIDE_PARTICIPLE.search(head):
        if EVENT_ASIDE.search(head):
            return e  # "The sixth batch, announced in February, added 27 cities": the batch's time is its figures'
        return replace(e, aside=True, sets_frame=False)
    return e


# an aside that dates the event the sentence's subject is: what that subject then does has the same time
EVENT_ASIDE = re.compile(
    r"\b(?:batch|round|package|notice|plan|list)\s*,\s+(?:which\s+was\s+)?(?:approved|announced|issued|published|"
    r"released|unveiled|adopted)\b[^,;:.]*$",
    re.IGNORECASE,
)


# a relative pronoun that opens a clause ("that took effect in 2012", "which entered China last year"), not a
# determiner ("that year") or a complement ("said that ...": the figure is then inside it, after the pronoun)
RELATIVE = re.compile(
    r"\b(?:that|which|who|whose)\s+(?!year\b|month\b|day\b|week\b|quarter\b|period\b|time\b|half\b|date\b|"
    r"level\b|figure\b|of\b)[^,;:()\[\].!?]*$",
    re.IGNORECASE,
)

COMPLEMENT_BEFORE = re.compile(
    r"\b(?:said|says|say|found|finds|find|showed|shows|show|estimates?|estimated|expects?|expected|noted|notes|"
    r"believes?|believed|reported|reports|announced|announces|added|adds|stated|states|suggests?|suggested|"
    r"indicates?|indicated|means|meant|meaning|thinks?|thought|argued|argues|claims?|claimed|warned|warns|"
    r"predicted|predicts|forecast|forecasts|hopes?|hoped|knows?|knew|learned|learnt|data|figures|so|such|now|"
    r"given|told\s+\w+|reckons?|reckoned|projects?|projected|confirmed|confirms|insists?|insisted)\s+$",
    re.IGNORECASE,
)


def _relative_clause(flat: str, at: int) -> int | None:
    """Where the relative clause that position ``at`` is in starts, if it is in one (no comma, bracket or clause
    break between the pronoun and ``at``)."""
    window = flat[max(0, at - 120) : at]
    m = RELATIVE.search(window)
    if m is None or COMPLEMENT_BEFORE.search(window, 0, m.start()):
        return None  # "found that nearly two-thirds planned to expand this year": what was found, not a relative
    if re.search(r"\b(?:year|quarter|half|months?|weeks?|period|season)\s+$", window[: m.start()], re.I) and re.match(
        r"\w+\s+(?:ended|ends|ending|ran|runs|closed|finished)\b", window[m.start() :], re.I
    ):
        return None  # "in the fiscal year that ended in March 2023": the period of the figures before it
    return at - len(window) + m.start()


def _closed_relative(flat: str, e: TimeExpr, f: Span) -> bool:
    """A figure after a non-restrictive relative clause that a comma closed ("Kontor Pay, which entered China last
    year, settles EUR 3.2 billion a year"): the clause's time is not the figure's."""
    assert e.relative is not None
    return (f.start >= e.end and re.match(r"wh", flat[e.relative : e.relative + 2], re.IGNORECASE) is not None
            and "," in flat[e.end : f.start])  # fmt: skip


def _read(flat: str, m: re.Match[str], pub: date, frame: Frame | None, recent: Frame | None = None) -> TimeExpr | None:
    """``frame`` resolves "the following year"; ``recent`` (a frame set in the last two sentences, else none)
    gives the year of a month or part of a year named without one."""
    year: int | None
    g = m.groupdict()
    before = flat[max(0, m.start() - 40) : m.start()]
    base = bool(BASE_BEFORE.search(before))
    if base and re.search(r"(?:^|[.!?:]\s+|\s{2,})In\s+the\s+same\s+\w+\s+(?:of|in)\s+$",
                          flat[max(0, m.start() - 60) : m.start()]):
        base = False  # "In the same period of 2019, total trade had expanded 2.8 pct": the sentence's own time
    if base and re.search(r"\bover\s+(?:the\s+)?$", before, re.IGNORECASE) and (
        g["qalone"] or g["mto"] or (g["part"] and not (g["p_year"] or g["p_rel"])) or (g["mrange"] and not g["m_year"])
    ):
        base = False  # "rose 3.2 percent over the same nine months", "over January-June": during, not against
    if re.search(r"\b(?:double|twice|triple|treble|quadruple|times)\s+(?:that\s+of\s+|those\s+of\s+)?$", before,
                 re.IGNORECASE) and (g["rel"] or g["year"] or g["yearsago"]):  # fmt: skip
        base = True  # "more than double the year before", "three times 2019": the base of a multiple
    if re.search(r"\bon\s+(?:the\s+)?$", before, re.IGNORECASE) and (
        g["year"] or g["qh"] or (g["part"] and (g["p_year"] or g["p_rel"]))
    ):
        base = True  # "down 4.2 percent on 2021", "up 12.4 percent on the first quarter of last year"

    since = bool(SINCE_BEFORE.search(flat[max(0, m.start() - 80) : m.start()]))
    if re.search(r"(?:(?:^|[.!?:]\s+|\s{2,})From|\b(?:with\s+effect\s+from|effective\s+from|starting\s+from))\s+"
                 r"(?:the\s+)?$", flat[max(0, m.start() - 40) : m.start()]):  # fmt: skip
        base, since = False, True  # "From 1 January 2026, the limit is raised": when a span starts, no comparison
    s, e = m.span()
    if g["drange"]:
        month = _month(g["dr_month"])
        last = _month(g["dr_month2"]) if g["dr_month2"] else month
        year = pub.year if (last, int(g["dr_d2"])) <= (pub.month, pub.day) else pub.year - 1
        note = f"{MONTH_NAMES[month - 1]} {g['dr_d1']}-{g['dr_d2']}"
        return TimeExpr(s, e, "month", year, month if last == month else None, note=note, base=base, since=since,
                        sets_frame=False)  # fmt: skip
    if g["date"] or g["date2"]:
        month = _month(g["d_month"] or g["d2_month"])
        day = int(g["d_day"] or g["d2_day"])
        if day > calendar.monthrange(2000, month)[1]:
            return None
        if not (g["d_month"] or g["d2_month"])[0].isupper():
            return None  # "continued their march 5 ...": a month is capitalised
        year_text = g["d_year"] or g["d2_year"]
        after = flat[e : e + 12].lower()
        if year_text:
            year = int(year_text)
        elif re.match(r"\s*(?:this year)", after):
            year = pub.year
        elif re.match(r"\s*(?:last year)", after):
            year = pub.year - 1
        else:  # a day and month: the year its sentence named before it ("In 2016, the year new rules took effect
            # on April 8"), else the latest such day by publication (a frame year is too coarse to trust)
            own = _sentence_before(flat, s)
            named = [int(y) for y in re.findall(r"\b[Ii]n\s+((?:19|20)\d\d)(?!\d)", own)]
            year = named[-1] if named else pub.year if (month, day) <= (pub.month, pub.day) else pub.year - 1
        while (month, day) == (2, 29) and not calendar.isleap(year):
            year -= 1  # February 29 is in a leap year
        dateline = bool(re.match(r"\s*(?:\([A-Z][\w ]*\)\s*)?(?:--|—|–)", flat[e : e + 30]))
        return TimeExpr(s, e, "date", year, month, day, base=base, since=since, reporting=dateline or bool(
            REPORTING.search(before)), sets_frame=False)  # fmt: skip
    if g["yrange"]:
        return TimeExpr(s, e, "yrange", int(g["y_to"]), note=f"{g['y_from']}-{g['y_to']}", base=base, since=since)
    if g["ytd"]:  # "Year to date, the port has handled 1.2 million TEU": the year so far
        return TimeExpr(s, e, "part", pub.year, note="year to date", base=base, since=since)
    if g["endedyear"]:  # "the group ended the year with 18 overseas warehouses": the end of the text's year
        year = frame.year if frame is not None else pub.year - 1
        return TimeExpr(s, e, "edge", year, 12, note="end of period", base=base, since=since)
    if g["mquarter"]:  # "in the March quarter", "the June quarter of 2021": a quarter named by its last month
        month = _month(g["mq_month"])
        if g["mq_year"]:
            year = int(g["mq_year"])
        elif FUTURE.search(flat, max(0, s - 100), s) or re.search(r"\b(?:guided|guides|guidance|outlook)\b",
                                                                 flat[s : min(len(flat), e + 60)], re.I):
            year = pub.year if month >= pub.month else pub.year + 1  # "For the June quarter, it guided revenue of"
        else:
            year = pub.year if month <= pub.month else pub.year - 1
        return TimeExpr(s, e, "part", year, note=f"quarter to {MONTH_NAMES[month - 1]}", base=base, since=since)
    if g["mto"]:  # "in the six months to June", "the fiscal year ended September 2023": the year they end in
        month = _month(g["mt_month"] or g["fye_month"])
        year_text = g["mt_year"] or g["fye_year"]
        year = int(year_text) if year_text else _recent_month(month, pub, recent)
        to = f"to {MONTH_NAMES[month - 1]}"
        note = f"{_n(g['mt_n'])} months {to}" if g["mt_n"] else f"fiscal year {to}"
        return TimeExpr(s, e, "part", year, note=note, base=base, since=since)
    if g["mrange"]:
        first, last = _month(g["m_from"]), _month(g["m_to"])
        year = int(g["m_year"]) if g["m_year"] else _recent_month(last, pub, recent)
        note = f"{MONTH_NAMES[first - 1]}-{MONTH_NAMES[last - 1]}"
        return TimeExpr(s, e, "mrange", year, note=note, base=base, since=since)
    if g["part"]:
        ordinal, unit, n = g["p_ord"].lower(), g["p_unit"].lower(), g["p_n"]
        if unit == "months":
            if n is None:
                return None
            last_month = _n(n) if ordinal == "first" else 12
            note = f"{ordinal} {n} months"
        elif unit.startswith("quarter") and ordinal == "last" and not n and not (g["p_year"] or g["p_rel"]) and not (
                re.match(r"the\s", g["part"], re.I) or re.search(r"\s+of\s+the\s+year", g["part"], re.I)):  # fmt: skip
            # "Last quarter, revenue rose": the quarter before publication's, not the fourth
            q = (pub.month - 1) // 3 or 4
            year = pub.year if pub.month > 3 else pub.year - 1
            return TimeExpr(s, e, "part", year, note=f"Q{q}", base=base, since=since)
        elif unit.startswith("quarter"):
            count = _n(n) if n else 1
            q = _ORDINAL_PART.get(ordinal, 4)
            last_month = 3 * (count if ordinal == "first" and n else q)
            note = f"Q{q}" if not n else f"{ordinal} {n} quarters"
        else:
            last_month = 6 if ordinal == "first" else 12
            note = f"{ordinal} half"
        if g["p_year"]:
            year = int(g["p_year"])
        elif g["p_rel"]:  # "in the fourth quarter of that year": the year its sentence named, else the frame's
            year = _rel_year_here(flat, s, " ".join(g["p_rel"].lower().split()), pub, frame)
        elif recent is not None and (recent.topic or recent.part):
            year = recent.year  # "In 2019, ... In the first half, ...", "In the first quarter of 2018 ... the first
            # half": the year the text is about; a year named in passing ("the pilots began in July 2020") is not
        elif FUTURE.search(flat, max(0, s - 100), s):  # "would hand out 50 million yuan in the second half"
            year = pub.year
        else:
            year = pub.year if last_month <= pub.month else pub.year - 1
        return TimeExpr(s, e, "part", year, note=note, base=base, since=since)
    if g["qalone"]:
        text = " ".join(g["qalone"].lower().split())
        if "same" in text and "quarter" not in text:  # "over the same nine months": the period the text is in
            if frame is None:
                return None
            return TimeExpr(s, e, "part", frame.year, note="same period", base=base, since=since)
        bare = bool(g["qa_q"] or g["qa_h"])
        if bare:  # "in Q3", "H1 revenue": the latest such part by publication
            last_month = 3 * int(g["qa_q"]) if g["qa_q"] else 6 * int(g["qa_h"])
            note = f"Q{g['qa_q']}" if g["qa_q"] else ("first half" if g["qa_h"] == "1" else "second half")
        else:  # "in the quarter", "this quarter": the one the text reports on, the latest ended by publication
            last_month, note = (pub.month - 1) // 3 * 3 or 12, "quarter"
        if recent is not None and (recent.topic or recent.part):
            year = recent.year
        elif FUTURE.search(flat, max(0, s - 100), s) or (text.startswith("this") and not bare and not PAST.search(
                flat, max(0, s - 100), s)):  # fmt: skip
            year = pub.year  # "expects revenue to grow this quarter": the current one
        else:
            year = pub.year if last_month <= pub.month else pub.year - 1
        return TimeExpr(s, e, "part", year, note=note, base=base, since=since)
    if g["edge"]:
        which = g["e_which"].lower()
        first = which in ("start", "beginning")
        if g["e_month"]:
            month = _month(g["e_month"])
            if g["e_myear"]:
                year = int(g["e_myear"])
            elif FUTURE.search(flat, max(0, s - 100), s):  # "will open 300 warehouses by the end of June"
                year = pub.year if month >= pub.month else pub.year + 1
            else:
                year = _recent_month(month, pub, recent)
        else:
            if g["e_year"]:
                year = int(g["e_year"])
            elif g["e_rel"]:
                year = _rel_year(g["e_rel"], pub, frame)
            else:  # "the end of the year": the frame's, else the latest one whose edge has passed
                month = 1 if first else 12
                year = frame.year if frame else (pub.year if month <= pub.month else pub.year - 1)
            month = 1 if first else 12
        note = f"{'start' if first else 'end'} of period"
        if g["e_month"] and not first and g["edge"].lower().startswith("by") and FLOW_BEFORE.search(
                _sentence_before(flat, s, 120)):  # fmt: skip
            # "handled 6,374 trains by the end of September": a flow counted from the year's start, not a stock
            return TimeExpr(s, e, "year", year, note=f"to end of {MONTH_NAMES[month - 1]}", base=base, since=since)
        if g["edge"].lower().startswith("by") and FUTURE.search(flat, max(0, s - 100), s):
            return TimeExpr(s, e, "year", year, note="target", base=base, since=since)  # "wants 100,000 merchants by
            # the end of 2018": a target of that year
        return TimeExpr(
            s, e, "edge", year, month, note=note, base=base, since=since or g["edge"].lower().startswith("since")
        )
    if g["relmonth"]:  # "down from US$2,300 last May": the last May before the month of publication
        if not g["rm_month"][0].isupper():
            return None  # "this may help"
        month, rel = _month(g["rm_month"]), g["rm_rel"].lower()
        if rel == "last":
            year = pub.year if month < pub.month else pub.year - 1
        elif rel == "next":
            year = pub.year if month > pub.month else pub.year + 1
        else:
            year = pub.year
        return TimeExpr(s, e, "month", year, month, base=base, since=since)
    if g["monthyear"]:
        if not g["my_month"][0].isupper():
            return None
        month = _month(g["my_month"])
        year = int(g["my_year"]) if g["my_year"] else (pub.year - 1 if "last" in g["my_rel"].lower() else pub.year)
        return TimeExpr(s, e, "month", year, month, base=base, since=since)
    if g["month"]:
        word = g["mo_name"]
        if not word[0].isupper():
            return None  # "continued their march": a month is capitalised
        if word.lower() == "may" and not word[0].isupper():
            return None  # the verb "may"
        if word == "May" and not re.search(r"\b(?:in|by|of|since|until|to|from|during|end|early|late|mid)\s+$", before,
                                           re.IGNORECASE) and not re.match(r"['’]s\b|\s+(?:exports|imports|sales|"
                                                                           r"trade|data|figures)\b", flat[e : e + 10]):
            return None  # "May" at a sentence start is more often the verb
        month = _month(word)
        alone = bool(re.match(r"\s+alone\b", flat[e : e + 7]))
        if recent is None and re.search(r"\b(?:will|would|shall|(?:is|are)\s+(?:due|expected|set)\s+to|"
                                        r"(?:plans?|aims?|expects?|intends?|hopes?)(?:\s+to)?)\b[^.;:]{0,60}$",
                                        flat[max(0, s - 80) : s]):  # fmt: skip
            # "Sales will hit 2 billion yuan in December": the coming December, not the last
            year = pub.year if month >= pub.month else pub.year + 1
            return TimeExpr(s, e, "month", year, month, base=base, since=since, sets_frame=not alone)
        return TimeExpr(s, e, "month", _recent_month(month, pub, recent), month, base=base, since=since,
                        sets_frame=not alone)  # fmt: skip
    if g["mid"]:  # "by mid-2024": its June; "by mid-year": the June of the text's year, else the last one
        year = int(g["mid_year"]) if g["mid_year"] else recent.year if recent is not None and recent.topic else (
            pub.year if pub.month >= 6 else pub.year - 1)  # fmt: skip
        return TimeExpr(s, e, "month", year, 6, note="mid-year", base=base, since=since)
    if g["season"]:  # "since the start of summer", "after the spring approvals", "last winter": its year
        rel = (g["s_rel"] or "").lower()
        coming = pub.year + (1 if pub.month > {"spring": 3, "summer": 6, "autumn": 9, "winter": 12}[g["s_name"].lower()]
                             else 0)  # fmt: skip
        year = int(g["s_year"]) if g["s_year"] else pub.year - 1 if rel == "last" else coming if rel == "next" \
            else recent.year if recent is not None and not rel else pub.year  # fmt: skip
        since = since or bool(SEASON_SPAN_BEFORE.search(before))
        return TimeExpr(s, e, "season", year, note=g["s_name"].lower(), base=base, since=since, sets_frame=False)
    if g["year"]:
        if re.search(r"\b[A-Z][a-z]+\s+(?:Act|Law|Convention|Treaty|Agreement|Protocol|Accord)\s+of\s+$", before):
            return None  # "the Tariff Act of 1930": a name
        if (flat[s - 1 : s] in ("[", "〔") and flat[e : e + 1] in ("]", "〕")) or (
            flat[s - 1 : s] == "(" and re.match(r"\)\s*No\b", flat[e : e + 8])
        ):
            return None  # "Guo Han [2018] No. 93", "Announcement No. 49 [2018]": a document number
        compared = LEVEL_COMPARED.search(before)
        level = compared is not None and (bool(LEVEL_AFTER.match(flat, e)) or (  # "four times the 2018 floor area"
            bool(re.search(r"\b(?:the|its|their|that)\s+$", compared.group(0), re.IGNORECASE))
            and bool(ATTRIBUTIVE_AFTER.match(flat, e))))  # fmt: skip
        if re.search(r"\b(?:ended|closed|finished)\s+$", before, re.IGNORECASE):  # "Tmall Global ended 2018 with"
            return TimeExpr(s, e, "edge", int(g["year"]), 12, note="end of period", base=base, since=since)
        return TimeExpr(s, e, "year", int(g["year"]), base=base or level, since=since)  # "the 2020 level": a base
    if g["yearsago"]:
        n, direction = (10 if g["ya_dec"] else _n(g["ya_n"])), g["ya_dir"].lower()
        named_years = [int(y) for y in re.findall(r"(?<![\d\[])((?:19|20)\d\d)(?![\d\]])", _sentence_before(flat, s))]
        # "In 2021, exports were 1.4 trillion yuan; two years later ...": from the year its sentence named
        origin = (named_years[-1] if named_years and direction != "ago"
                  else frame.year if frame and direction != "ago" else pub.year)  # fmt: skip
        if not named_years and frame and direction != "ago" and re.search(
                r"\b(?:the\s+following|the\s+next)\s+year\b|\ba\s+year\s+later\b", _sentence_before(flat, s), re.I):
            origin += 1  # "The following year it doubled ..., and two years later it reached": from the following year
        year = origin + n if direction == "later" else origin - n
        return TimeExpr(s, e, "rel", year, base=base, since=since, sets_frame=direction == "later")
    if g["rel"]:
        t = " ".join(g["rel"].lower().split())
        if t == "last year" and re.search(r"(?<!\bin )(?<!\bover )(?<!\bduring )(?<!\bfor )\bthe\s+$", before, re.I):
            return None  # "By 2021, the last year Alibaba disclosed a figure": no year named
        if t in ("this month", "last month"):
            month, year = pub.month, pub.year
            if t == "last month":
                month, year = (12, year - 1) if month == 1 else (month - 1, year)
            return TimeExpr(s, e, "month", year, month, base=base, since=since)
        if t == "next year" and re.search(r"\b(?:from|starting|effective)\s+$", before, re.IGNORECASE):
            base, since = False, True  # "raising the rate to 33.5 percent from next year": when it takes effect
        year = _rel_year_here(flat, s, t, pub, frame)
        earlier = t in ("a year earlier", "a year before", "the year before")
        base = base or ((earlier or t == "the previous year") and bool(re.search(r"\b(?:on|over)\s+$", before)))
        level = bool(re.match(r"['’]s\s+(?:level|figure|total|value)", flat[e : e + 12]))  # "the previous year's level"
        return TimeExpr(s, e, "rel", year, base=base or level, since=since,
                        sets_frame=not (base or earlier or level or t == "next year"))  # a plan frames nothing after it
    if g["fy"] or g["qh"]:  # "FY2024 revenue", "In 1H24", "than in Q1 2023"
        text = g["fy_year"] or g["qh_year"] or g["qh_yy"]
        year = int(text) if len(text) == 4 else 2000 + int(text)
        if g["fy"]:
            note = "fiscal year"
        elif g["qh_q"] or g["qh_u"] == "Q":
            note = f"Q{g['qh_q'] or g['qh_n']}"
        else:
            note = "first half" if (g["qh_h"] or g["qh_n"]) == "1" else "second half"
        return TimeExpr(s, e, "year", year, note=note, base=base, since=since)
    if g["fullyear"]:  # "full-year exports", "its full-year target": the year the text is in
        if re.search(r"\b(?:last|this|next|that)\s+year['’]s\s+$", before, re.IGNORECASE):
            return None  # "last year's full-year total": the year is named before it
        if frame is None and PAST.search(flat, e, min(len(flat), e + 80)) and pub.month < 12:
            return TimeExpr(s, e, "year", pub.year - 1, base=base, since=since, sets_frame=False)  # a year that ended
        return TimeExpr(s, e, "year", frame.year if frame else pub.year, base=base, since=since, sets_frame=False)
    if g["weekday"]:
        if re.search(r"\b(?:my|our|his|her|their|every|each)\s+$", before, re.IGNORECASE) and re.match(
            r"\s+(?!morning|afternoon|evening|night)[a-z]", flat[e : e + 12]
        ):
            return None  # "my Tuesday tai chi group": a weekday as a name
        target = WEEKDAYS.index(g["weekday"].lower())
        back = (pub.weekday() - target) % 7
        when = pub - timedelta(days=back)
        clause_before = CLAUSE_END.split(flat[max(0, m.start() - 160) : m.start()])[-1]
        reporting = bool(REPORTING.search(before) or REPORTED_IN_CLAUSE.search(clause_before))
        return TimeExpr(s, e, "weekday", when.year, when.month, when.day, base=base, since=since, reporting=reporting,
                        sets_frame=False)  # fmt: skip
    return None


EXAMPLE_BEFORE = re.compile(r"\b(?:such as|like|including|e\.g\.)\s+(?:the\s+)?$")
ASIDE_PARTICIPLE = re.compile(
    # an appositive may come first: "Zhengzhou, the capital and one of 12 cities approved in 2016, handled ..."
    r"\w,\s+(?:(?-i:the|a|an|one|its|their|some)\s[^,;:.]{0,80}?\s)?(?:(?:which|that)\s+(?:was|were)\s+)?"
    r"(?:first\s+)?(?:approved|launched|founded|established|set up|opened|"
    r"introduced|created|designated|listed|enacted|signed|issued|named|built|published|released|unveiled|announced|"
    r"adopted|revised|amended)\b[^,;:.]*$",
    re.IGNORECASE,
)
EVENTS_PATH = Path(__file__).resolve().parent.parent / "mappings" / "events.csv"
VERSION_FILES = (EVENTS_PATH,)  # the calendar of shopping festivals is code: the figures stage is versioned by it
# what refers back to the festival the article last named: "during the festival", "festival week"
EVENT_ANAPHOR = re.compile(
    r"\b(?:the|this|that|last year's|this year's)\s+(?:shopping\s+)?(?:festival|sale|sales event|event|promotion)"
    r"(?:\s+(?:week|period|day))?\b|\bfestival\s+(?:week|period)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Event:
    name: str
    pattern: re.Pattern[str]
    month: int
    day: int | None


@cache
def events(path: Path = EVENTS_PATH) -> tuple[Event, ...]:
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple(
            Event(row["event"], re.compile(row["pattern"], re.IGNORECASE), int(row["month"]),
                  int(row["day"]) if row["day"] else None)
            for row in csv.DictReader(handle)
        )  # fmt: skip


def event_expressions(
    flat: str, start: int, end: int, pub: date, last: Event | None
) -> tuple[list[TimeExpr], Event | None]:
    """Shopping festivals named in ``flat[start:end]`` ("Double 11", "618") and phrases that refer back to the
    last one named ("during the festival"), as month periods: the latest such festival by publication."""
    found: list[tuple[int, int, Event]] = []
    for event in events():
        found += [
            (m.start(), m.end(), event)
            for m in event.pattern.finditer(flat, start, end)
            # "up to 1.1 million a day at peaks such as Double 11": an example, not the figure's period
            if not EXAMPLE_BEFORE.search(flat[max(0, m.start() - 20) : m.start()])
        ]
    for m in EVENT_ANAPHOR.finditer(flat, start, end):
        named = [f for f in found if f[0] < m.start()]
        referent = max(named, key=lambda f: f[0])[2] if named else last
        if referent is not None:
            found.append((m.start(), m.end(), referent))
    exprs = []
    for s, e, event in sorted(found, key=lambda f: f[0]):
        year = pub.year if (event.month, event.day or 1) <= (pub.month, pub.day) else pub.year - 1
        said = flat[max(0, s - 12) : e].lower()
        if re.search(r"\blast year['’]s\s", said):  # "last year's festival", "during last year's Double 11 window"
            year = pub.year - 1
        elif re.search(r"\bthis year['’]s\s", said):
            year = pub.year
        exprs.append(TimeExpr(s, e, "event", year, event.month, note=event.name, sets_frame=False))
        last = event
    return exprs, last


@dataclass(frozen=True)
class Span:
    """A figure's span, as :func:`resolve` needs it."""

    start: int
    end: int
    sentence_start: int
    sentence_end: int


@dataclass(frozen=True)
class Period:
    period: str
    basis: str
    note: str | None = None
    uncertain: str | None = None  # why the period is a guess (a frame carried far)


CLAUSE_REACH = 240  # characters either side of a figure that its clause is read within (a list of 1,000
# figures in one sentence is read in linear time, and no subject is that far from its number)


@lru_cache(maxsize=1024)  # one document's sentences at a time; keeps no more than a few texts alive
def _breaks(flat: str, start: int, end: int) -> tuple[list[int], list[int]]:
    """Clause breaks of one sentence (their starts and ends), found once per sentence."""
    found = list(CLAUSE_BREAK.finditer(flat, start, end))
    return [m.start() for m in found], [m.end() for m in found]


def clause_of(flat: str, sentence: tuple[int, int], at: int) -> tuple[int, int]:
    """The clause of ``sentence`` that position ``at`` is in (between clause breaks), at most
    :data:`CLAUSE_REACH` characters either side of it."""
    start, end = sentence
    starts, ends = _breaks(flat, start, end)
    before = bisect.bisect_right(ends, at)  # breaks that end at or before ``at``
    if before:
        start = ends[before - 1]
    after = bisect.bisect_left(starts, at)  # the first break starting at or after ``at``
    if after < len(starts):
        end = starts[after]
    start, end = max(start, at - CLAUSE_REACH), min(end, at + CLAUSE_REACH)
    return start, end


# between a figure and the year of the same period it is from: "the 9,200 TEU moved in the same period of 2019"
SAME_PERIOD_GAP = re.compile(
    r"\s+(?:[a-z]+ed\s+)?(?:in|during|for|over)\s+the\s+same\s+(?:period|quarter|month|months|time|half)\s+(?:of|in)\s+"
)


def resolve(
    flat: str,
    sentence_spans: list[tuple[int, int]],
    figures: list[Span],
    published: str,
    publication_label: str,
    paragraph_of: dict[tuple[int, int], int] | None = None,
) -> list[Period]:
    """The period of each figure, walking the article's sentences once in order with its time frame.
    ``paragraph_of`` (sentence span -> paragraph) marks a frame carried over two or more paragraph breaks as
    uncertain: the text has probably moved on."""
    pub = _pub(published)
    if pub is None:
        return [Period(publication_label, "publication date") for _ in figures]
    by_sentence: dict[tuple[int, int], list[int]] = {s: [] for s in sentence_spans}
    for i, f in enumerate(figures):
        by_sentence.setdefault((f.sentence_start, f.sentence_end), []).append(i)
    results: list[Period | None] = [None] * len(figures)
    frame: Frame | None = None
    frame_age = 0  # sentences since the frame was last set
    frame_paragraph = 0
    present_since = False  # a sentence spoke of the present since the frame was set
    starts = [f.start for f in figures]
    last_event: Event | None = None
    for (s_start, s_end), members in sorted(by_sentence.items()):
        # a month or part of a year named without its year takes the frame's: one set in the last two sentences,
        # or a topic the text opened a sentence with ("The following year was tougher. ... a seventh batch of 33
        # in November")
        recent = frame if frame_age <= 1 or (frame is not None and frame.topic and not present_since) else None
        exprs = [
            e
            for m in TIME.finditer(flat, s_start, s_end)
            if (e := _expr(flat, m, pub, frame, recent))
            # a figure's own number is no year: "stores 2000 tonnes" is no period 2000
            and not any(figures[i].start < e.end and e.start < figures[i].end for i in members)
        ]
        exprs = _year_before_in_sentence(flat, exprs)
        festival, last_event = event_expressions(flat, s_start, s_end, pub, last_event)
        # "this year's festival", "last year's Double 11": the festival's month, not the year alone
        exprs = [x for x in exprs if not any(
            (f.start <= x.start and x.end <= f.end) or re.fullmatch(r"['’]s\s+", flat[x.end : f.start])
            for f in festival)]  # fmt: skip
        spans = [(x.start, x.end) for x in exprs]
        exprs = sorted(
            [*exprs, *(x for x in festival if not any(a < x.end and x.start < b for a, b in spans))],
            key=lambda x: x.start,
        )
        bound: dict[int, int] = {}  # expression index -> the figure it is printed right after
        for k, expr in enumerate(exprs):
            before = [i for i in members if figures[i].end <= expr.start]
            if before:
                i = max(before, key=lambda j: figures[j].end)
                gap = flat[figures[i].end : expr.start]
                if (
                    (len(gap) <= 24 or SAME_PERIOD_GAP.fullmatch(gap) is not None)
                    and (not re.search(r"[;:\d]|\b(?:and|while|but|said|says|which|that|who|from)\b|\b\w+ed\b", gap)
                         # "four times the 9,200 TEU moved in the same period of 2019": the base's own time
                         or SAME_PERIOD_GAP.fullmatch(gap) is not None
                         # "the 3.1 billion yuan recorded the year before": a participle of the figure's noun phrase
                         or (re.fullmatch(r"\s+[a-z]+ed\s+(?:in\s+|during\s+)?", gap) is not None
                             and re.search(r"\bthe\s+$", flat[max(0, figures[i].start - 5) : figures[i].start])))
                    and not any(figures[i].end <= starts[j] < expr.start for j in members if j != i)
                ):
                    bound[k] = i
        for i in members:
            f = figures[i]
            attached = [exprs[k] for k, j in bound.items()
                        if j == i and not exprs[k].since and not exprs[k].reporting
                        and not (exprs[k].aside and f.start >= exprs[k].end)
                        and (not exprs[k].base or _after_from(flat, f))]  # fmt: skip
            if attached:
                results[i] = _period_of(attached[0], "attached")
                continue
            c_start, c_end = clause_of(flat, (s_start, s_end), f.start)
            free = [
                e
                for k, e in enumerate(exprs)
                if k not in bound and not e.base and not e.since and not e.reporting and e.year is not None
                and not (e.aside and f.start >= e.end)
                and not (e.relative is not None and (f.end <= e.relative or _closed_relative(flat, e, f)))
            ]
            in_clause = [e for e in free if c_start <= e.start < c_end]
            relative = PRESENT_RELATIVE.search(flat, max(c_start, f.start - 90), f.start)
            if relative is not None and not any(relative.start() <= e.start < _relative_end(flat, f.end, c_end)
                                                for e in exprs):  # fmt: skip
                # "said the firm, which serves about 1,300 Chinese sellers", "a friend who sells on three
                # platforms": a relative clause in the present speaks of now, whatever its main clause's time
                results[i] = Period(publication_label, "present tense")
                continue
            if _now_speaks_of(flat, f, (c_start, c_end), in_clause):
                results[i] = Period(publication_label, "present tense")
                continue
            pick = _nearest(in_clause, f)
            if pick is not None and pick.end <= f.start and _coordinated_present(flat, pick.end, f.start):
                # "The company was founded in 2008 and employs 12,000 people": the date is the other predicate's
                results[i] = Period(publication_label, "present tense")
                continue
            if pick is not None:
                results[i] = _period_of(pick, "clause")
                continue
            span = _span_period(flat, (c_start, c_end), [e for e in exprs if e.since and c_start <= e.start < c_end],
                                pub, publication_label)  # fmt: skip
            if span is not None:
                results[i] = span
                continue
            comparison = any(e.base for e in exprs)  # "10 times that of five years ago" measures a past period
            reporting_part = frame is not None and frame.part and frame.year == pub.year and frame_age <= 1
            if not comparison and not reporting_part and _present_tense(flat, c_start, c_end):
                # "it is used by 9,400 sellers" right after "In 1H24, revenue rose ...": the half reported on
                results[i] = Period(publication_label, "present tense")
                continue
            shared = [  # "rose from 13 zones to 35 in July 2018": the clause's one date, not a comparison's; before
                # a time in another clause ("ran 96 warehouses in 2024, totalling 1.4 million square metres; a year
                # later the count was 128")
                exprs[k]
                for k, j in bound.items()
                if j != i
                and c_start <= exprs[k].start < c_end
                and not exprs[k].base
                and not exprs[k].since
                and not _after_from(flat, figures[j])
            ]
            if shared:
                results[i] = _period_of(shared[0], "clause")
                continue
            pick = _nearest(free, f)
            if pick is not None:
                results[i] = _period_of(pick, "sentence")
                continue
            sibling = [  # "Exports reached HK$3.93 trillion last year, and online sales accounted for 7.8 percent":
                # the time of the sentence's other clause, bound to its figure, is this clause's too
                exprs[k]
                for k, j in bound.items()
                if j != i
                and not exprs[k].base
                and not exprs[k].since
                and not exprs[k].reporting
                and exprs[k].year is not None
                and not _after_from(flat, figures[j])
                # not a stock's date in a later clause ("narrowed to 9.1% from 13.4%, while net debt widened to
                # HK$1.05bn at the end of June"): the end of June is the debt's, in a text about the half
                and not (exprs[k].kind == "edge" and exprs[k].start > f.end and frame is not None and frame.part)
            ]
            if sibling:
                results[i] = _period_of(_nearest(sibling, f) or sibling[0], "sentence")
                continue
            if (frame is not None and frame.month is None and frame.year == pub.year and not frame.part
                    and not _past(flat, c_start, c_end)):  # fmt: skip
                # "Platforms keep 5-8 percent in commission" in an article about this year: as of publication
                results[i] = Period(publication_label, "present tense")
                continue
            if frame is not None and frame.year > pub.year and _finite_past(flat, c_start, c_end):
                # "By 2025, cultivate 100 enterprises. ... The province handled 1.23 billion parcels": a past verb
                # does not speak of a future year; the text gives no time of its own
                results[i] = Period(publication_label, "publication date")
                continue
            if frame is not None and not exprs and SURVEY.search(flat, s_start, s_end):
                # "A survey of 1,200 shoppers by the consumer council found that 43% had given up": a survey the
                # text dates nowhere is its own news, not a figure of the year an earlier sentence spoke of
                results[i] = Period(publication_label, "publication date")
                continue
            if (frame is not None and frame.year <= pub.year and PROVISION.search(flat, c_start, c_end)
                    and not _finite_past(flat, c_start, c_end)):  # fmt: skip
                # "Firms with export sales below 5 million yuan may file quarterly", "shall receive up to 2 million
                # yuan": a rule the text lays down is in force from its date, not in the year an earlier sentence
                # spoke of
                results[i] = Period(publication_label, "present tense")
                continue
            if frame is not None:  # a month carries into the next sentence only; after that its year
                month = frame.month if frame_age <= 1 else None
                label = f"{frame.year:04d}-{month:02d}" if month else f"{frame.year:04d}"
                here = (paragraph_of or {}).get((s_start, s_end), frame_paragraph)
                far = (
                    f"the period is carried from a time named {here - frame_paragraph} paragraphs earlier"
                    if here - frame_paragraph >= 2
                    else None
                )
                results[i] = Period(label, "carried", uncertain=far)
                continue
            results[i] = Period(publication_label, "publication date")
        moved = _next_frame(frame, exprs, bound, figures, flat)
        frame, frame_age = (moved, 1) if moved else (frame, frame_age + 1)
        # "Today the city hosts 300 firms": the text has come to the present, and its topic year no longer dates
        # a month named without a year
        present_since = False if moved else present_since or bool(NOW.search(flat, s_start, s_end))
        if moved:
            frame_paragraph = (paragraph_of or {}).get((s_start, s_end), frame_paragraph)
    for i, r in enumerate(results):
        if (r is not None and r.basis in ("clause", "sentence", "carried") and len(r.period) == 4
                and (j := _changed_from(flat, figures, i)) is not None and results[j] == r):  # fmt: skip
            # "narrowed to HK$86 million from HK$211 million" in a text about 2018: the base is the year before
            results[i] = Period(f"{int(r.period) - 1:04d}", "base", r.note,
                                "the base of a change, with no time of its own: read as the year before")
    effective = _effective_date(flat, pub)
    if effective is not None:  # "This notice takes effect on 1 May 2024": its rules are in force from that date
        for i, r in enumerate(results):
            f = figures[i]
            c_start, c_end = clause_of(flat, (f.sentence_start, f.sentence_end), f.start)
            rule = (r is not None and r.basis in ("present tense", "publication date")
                    and not NOW.search(flat, c_start, c_end)
                    and (PROVISION.search(flat, c_start, c_end) is not None
                         or RULE_START.match(flat, f.sentence_start) is not None))  # fmt: skip
            # a subsidy under a plan's targets ("By 2028, ...": "may receive up to 3 million yuan")
            granted = (r is not None and r.basis == "carried" and len(r.period) >= 4 and int(r.period[:4]) > pub.year
                       and GRANT.search(flat, c_start, c_end) is not None)  # fmt: skip
            if rule or granted:
                results[i] = Period(effective[0], "in force", f"in force from {effective[1]}")
    # figures in no sentence (should not happen) fall back to the publication date
    return [r or Period(publication_label, "publication date") for r in results]


EFFECTIVE = re.compile(
    r"\b(?:this|these|the)\s+(?:notice|plan|measures|rules|provisions|announcement|opinions|regulations?|policy|"
    r"policies|circular|document|action\s+plan)\s+(?:shall\s+|will\s+)?(?:takes?|take|took|comes?|came|enters?|"
    r"entered|goes|go|went)\s+(?:into\s+)?(?:effect|force)\s+(?:on|from|as\s+of)\s+",
    re.IGNORECASE,
)
RULE_START = re.compile(r"\s*(?:Article\s+\d+\b|\(\d+\)|\d+\.\s)")  # a numbered provision
GRANT = re.compile(r"\b(?:may|receive|subsid\w*|reimburs\w*|capped|awarded|granted)\b", re.IGNORECASE)


def _effective_date(flat: str, pub: date) -> tuple[str, str] | None:
    """The date the text's own rules take effect, when it says so ("This notice takes effect on 1 May 2024"):
    its label and its words."""
    m = EFFECTIVE.search(flat)
    if m is None:
        return None
    for e in time_expressions(flat, f"{pub.isoformat()}", m.end(), min(len(flat), m.end() + 40)):
        if e.start == m.end() and e.kind == "date" and e.year is not None:
            return e.label(), flat[e.start : e.end]
    return None


CHANGED_FROM = re.compile(
    r"^[^.;:\d]{0,24}?\bfrom\s+"
    r"(?:about\s+|around\s+|some\s+|roughly\s+|(?:less|more|fewer)\s+than\s+|nearly\s+|almost\s+)?$",
    re.IGNORECASE,
)


def _changed_from(flat: str, figures: list[Span], i: int) -> int | None:
    """The figure a base figure is compared with when it is printed after it, in its clause: "rose to 9,800 from
    7,300", "16.7 percent, up from 9.5 percent" (not "from 105 to 132": the base first is the change's own time;
    not "against 1,300 tonnes on a normal day": a comparison with another thing, not an earlier time)."""
    f = figures[i]
    before = [j for j, g in enumerate(figures) if g.sentence_start == f.sentence_start and g.end <= f.start]
    if not before:
        return None
    j = max(before, key=lambda k: figures[k].end)
    led = flat[max(0, figures[j].start - 24) : figures[j].start]
    between = flat[figures[j].end : f.start]
    changed = re.search(r"\bto\s+(?:\S+\s+){0,2}$", led) or re.search(r"\b(?:up|down)\b", between, re.I)
    if not changed:
        return None  # "drew 30,000 buyers from 120 countries": a source, not the base of a change
    if re.match(r"\s*(?:\w+\s+)?to\b", flat[f.end : f.end + 24]):
        return None  # "expanded by 29 lines, from 1,476 to 1,505": the base of the next figure
    if re.search(r",\s+(?:up|down)\s+from\s+(?:(?:about|around|some|roughly|nearly|almost)\s+)?$", between, re.I) and (
            re.match(r"\s*(?:[.,;)]|$)", flat[f.end : f.end + 3])):  # fmt: skip
        return j  # "spent £3.4bn on Chinese platforms in 2023, up from £2.1bn." (not "... up from 41 in the previous
        # quarter": a time of its own)
    return j if CHANGED_FROM.search(flat[figures[j].end : f.start]) else None


ABSOLUTE_REL = re.compile(r"(?:last|this|next)\s+year")  # counted from the publication date, not from a frame
YEAR_BEFORE = ("a year earlier", "a year before", "the year before", "the previous year", "a year ago")


def _year_before_in_sentence(flat: str, exprs: list[TimeExpr]) -> list[TimeExpr]:
    """"46 flights a week in May, against 27 a year earlier", "412 by the end of April from 265 a year earlier":
    the year before the time the sentence named, in its month, not the year before the text's frame ("a year
    ago" only after such a time: alone it counts from the publication date)."""
    out: list[TimeExpr] = []
    for e in exprs:
        said = " ".join(flat[e.start : e.end].lower().split())
        named = [p for p in out if p.year is not None and p.kind != "weekday" and not p.since and not p.reporting
                 and not p.base and p.relative is None and not p.aside  # "who founded it in 1998": not the time
                 and (p.kind != "rel" or ABSOLUTE_REL.fullmatch(flat[p.start : p.end].lower()))]  # fmt: skip
        if e.kind == "rel" and said in YEAR_BEFORE and named:
            p = named[-1]
            month = p.month if p.kind in ("month", "date", "edge") else None
            e = replace(e, year=p.year - 1, month=month, day=None)  # type: ignore[operator]
        out.append(e)
    return out


def frame_after(flat: str, start: int, end: int, published: str, frame: Frame | None) -> Frame | None:
    """The frame after reading ``flat[start:end]`` (for text with no figure)."""
    pub = _pub(published)
    if pub is None:
        return frame
    exprs = [e for m in TIME.finditer(flat, start, end) if (e := _expr(flat, m, pub, frame))]
    return _next_frame(frame, exprs, {}, [], flat) or frame


# a sentence (or paragraph: line breaks are spaces in the flat text) that opens with its time: "In 2023, ..."
OPENING_TIME = re.compile(r"(?:^\s|[.!?]\s+|\s{2,})(?:(?:In|During|For|Throughout|By|Over)\s+)?(?:the\s+)?$")


def _next_frame(frame: Frame | None, exprs: list[TimeExpr], bound: dict[int, int], figures: list[Span],
                flat: str) -> Frame | None:  # fmt: skip
    for k in range(len(exprs) - 1, -1, -1):
        e = exprs[k]
        if e.base or e.since or e.reporting or e.year is None or not e.sets_frame:
            continue
        if k in bound and _after_from(flat, figures[bound[k]]):
            continue  # "from 34.2 percent in 2024": the comparison's year, not the article's
        month = e.month if e.kind == "month" else None
        opening = OPENING_TIME.search(flat[max(0, e.start - 40) : e.start] if e.start >= 40 else " " + flat[: e.start])
        part = e.kind in ("part", "mrange") or (e.kind == "year" and e.note not in (None, "target", "fiscal year"))
        year_end = e.month == 12 and e.kind in ("month", "edge")
        return Frame(e.year, month, topic=bool(opening), part=part, year_end=year_end)
    return None


def _after_from(flat: str, figure: Span) -> bool:
    """The figure is the base of a comparison: "from 34.2 percent in 2024", "than 10 percent in 2019", "against 6.1
    per cent in the same period of 2023", "compared with 160 in 2020"."""
    before = flat[max(0, figure.start - 32) : figure.start]
    return bool(BASE_FIGURE.search(before))


BASE_FIGURE = re.compile(
    r"(?:\bfrom|(?<!more )(?<!less )(?<!fewer )(?<!greater )(?<!rather )\bthan|\bagainst|\bcompared\s+(?:with|to)|"
    r"\bversus|\bvs\.?|\b(?:double|triple|twice|treble|quadruple|times|half))\s+(?:(?:the|its|their|a)\s+)?"
    r"(?:(?<=\ba\s)(?:[a-z-]+\s+){0,2}?of\s+)?"  # "against a net loss of US$5 mln in the same quarter of 2020"
    r"(?:about\s+|around\s+|some\s+|roughly\s+|a peak of\s+|a low of\s+|(?:less|more|fewer)\s+than\s+|nearly\s+|"
    r"almost\s+|just\s+(?:over|under)\s+|under\s+|over\s+|only\s+)?$"
)


WHICH_ASIDE = re.compile(r",\s+(?:which|who|whose)\b[^,;:.]{1,120},", re.IGNORECASE)


FINITE_PAST_OBJECT = re.compile(
    r"\b(?:[a-z]{3,}s|[A-Z][a-z]+)\s+(?!(?:based|listed|registered|bonded|combined|expected|estimated|related|"
    r"licensed|dedicated|integrated|automated|advanced|red)\b)([a-z]{3,}ed|shed)\s+(?:(?:about|around|nearly|some|"
    r"roughly|more than|over|up to|almost|just|only|the|its|their|his|her|a|an)\s+)?(?:\d|the\b|its\b|their\b)"
)


def _present_tense(flat: str, start: int, end: int) -> bool:
    """The clause speaks of the present: a present-tense marker and no finite past verb. A participle after
    "has"/"have" ("have dropped", "has grown") is the present perfect; one after a comma ("..., located in")
    is no finite verb."""
    # "Imports, which make up the bulk of trade, climbed 31% to ...": the aside's verb is not the clause's,
    # and the verb after the comma that closes it is finite
    asides = [(m.start(), m.end()) for m in WHICH_ASIDE.finditer(flat, start, end)]
    present = [m for m in PRESENT.finditer(flat, start, end)
               if not re.search(r"\b(?:should|will|would|could|must|may|might|to|shall)\s+(?:\w+\s+)?$",
                                flat[max(start, m.start() - 20) : m.start()])
               and not any(a < m.start() < b for a, b in asides)]  # fmt: skip
    if not present:
        return False  # "should have 100 clusters" is a target, not the present
    for m in PAST.finditer(flat, start, end):
        before = flat[max(start, m.start() - 24) : m.start()]
        if before.endswith("-") or _reduced_relative(flat, m, present):
            continue  # "value-added tax"; "Returns of clothing bought across borders run at 20-30 percent"
        after_aside = any(b <= m.start() and not flat[b : m.start()].strip() for _, b in asides)
        if re.search(r"\b(?:has|have|'s|’s|'ve)\s+(?:\w+\s+)?$", before) or (
            re.search(r",\s*$", before) and not after_aside
        ):
            continue
        if m.group(0).lower().endswith("ed") and re.search(r"\b(?:is|are|be|been|being|by)\s+$", before):
            continue  # a passive or agent phrase: "are recognized", "traded by"
        return False
    # a past verb of no list, between its subject and its object: "costs swallowed 23.5% of revenue", "Harbourline
    # shed about 1,300 jobs"
    return FINITE_PAST_OBJECT.search(flat, start, end) is None


COORDINATED = re.compile(r"\band\s+(?:now\s+|still\s+|also\s+|today\s+)?(?=\w)", re.IGNORECASE)


def _coordinated_present(flat: str, start: int, end: int) -> bool:
    """Between a time and a figure after it, a second predicate in the present joined by "and" ("was founded in
    2008 and employs 12,000 people", "opened in 2019 and now has 46 warehouses"), with no past verb after it."""
    joins = list(COORDINATED.finditer(flat, start, end))
    if not joins:
        return False
    joined = joins[-1]
    verb = PRESENT.match(flat, joined.end())
    if verb is None or verb.group(0).lower() in ("aims", "aim", "expects", "can", "cannot") or re.match(
        r"\s+to\b", flat[verb.end() : verb.end() + 6]
    ):
        return False  # "and aims to reach 5,000 by 2027", "and is to ...": a target, not the present
    return PAST.search(flat, verb.end(), end) is None


NOT_A_NOUN = frozenset((
    "i", "you", "he", "she", "it", "we", "they", "who", "which", "that", "there", "and", "or", "but", "also", "then",
    "still", "just", "not", "never", "has", "have", "had", "is", "are", "was", "were", "be", "been", "being", "to",
    "of", "by", "as",
))  # fmt: skip


PARTICIPLE_PHRASE = re.compile(  # what follows a participle that modifies a noun: where, how, by whom
    r"\s+(?:across|in|on|at|from|to|into|through|via|by|under|with|for|over|online|abroad|overseas|locally|"
    r"directly|last|this|during)\b", re.IGNORECASE
)


def _reduced_relative(flat: str, past: re.Match[str], present: list[re.Match[str]]) -> bool:
    """A past participle right after its noun, with the clause's present verb after it and nothing that starts
    another predicate between ("Returns of clothing bought across borders run at 20-30 percent", "Goods sold
    online account for ..."): the participle modifies the noun, it is no finite past verb. Not "Sellers sold
    5,000 units and run 3 shops" (the present verb is another predicate's), "It sold ..." (a pronoun) or
    "Customs processed 2.64 billion declaration lists" (an object follows: a verb)."""
    word = re.search(r"([a-z]+)\s+$", flat[max(0, past.start() - 30) : past.start()])
    if past.group(0).lower() in ("was", "were", "had", "did"):
        return False  # "Goods from 14,000 brands were on offer": a finite verb, no participle
    if word is None or word.group(1) in NOT_A_NOUN or not PARTICIPLE_PHRASE.match(flat, past.end()):
        return False  # "Customs processed 2.64 billion lists": a verb with its object
    later = [m for m in present if m.start() > past.end()]
    if not later:
        return False
    between = flat[past.end() : later[0].start()]
    return (re.search(r"[,;:]|\b(?:and|but|or|that|which|who|while|when|as)\b", between) is None
            and PAST.search(flat, past.end(), later[0].start()) is None)  # fmt: skip


def _span_period(
    flat: str, clause: tuple[int, int], spans: list[TimeExpr], pub: date, publication_label: str
) -> Period | None:
    """The period of a figure whose clause counts from or to a time ("has hired 350 workers since June", "fell
    12.5 percent after the rules took effect on April 8"): a span within the year of publication is that year;
    a stock counted since an earlier year ("has approved 165 zones since 2015") is as of the publication date,
    unless the clause is in the past perfect ("had designated 35 cities since 2012": the text's frame decides)."""
    perfect = not re.search(r"\bhad\b", flat[clause[0] : clause[1]], re.IGNORECASE)
    for e in spans:
        if e.year is None:
            continue
        starts = re.search(r"\b(?:from|with\s+effect\s+from|effective|starting)\s+(?:the\s+)?$",
                           flat[max(0, e.start - 24) : e.start], re.I)  # fmt: skip
        if starts and (e.year, e.month or 1, e.day or 1) > (pub.year, pub.month, pub.day):
            return Period(e.label(), "span", f"from {flat[e.start:e.end]}")  # "From 1 January 2026, the limit is
            # raised to 8,000 yuan": a rule that takes effect then
        word = re.search(r"\b(since|after|before|until|till)\b[^.;:]*$", flat[max(0, e.start - 80) : e.start], re.I)
        if e.year == pub.year:
            note = f"{word.group(1).lower() if word else 'since'} {flat[e.start : e.end]}"
            return Period(f"{e.year:04d}", "span", note)
        if e.year < pub.year and word is not None and word.group(1).lower() == "since" and perfect:
            return Period(publication_label, "span", f"cumulative since {flat[e.start:e.end]}")
    return None


FLOW_BEFORE = re.compile(
    r"\b(?:handled|carried|cleared|shipped|moved|processed|exported|imported|sold|delivered|transported|generated|"
    r"made|ran|completed|totall?ed)\b", re.IGNORECASE
)  # verbs of a flow: what they count by a month's end is counted since the year began
PRESENT_RELATIVE = re.compile(
    r"(?:,\s+|\b[a-z]+\s+)(?:who|which|that)\s+(?:now\s+|still\s+|also\s+|already\s+)?"
    r"(?:serves|sells|runs|operates|employs|has|have|moves|handles|ships|borders|counts|owns|hosts|covers|"
    r"offers|lists|sell|serve|run|operate|employ|move|handle|ship)\b[^,;:.()]*$"
)


def _relative_end(flat: str, at: int, clause_end: int) -> int:
    """Where the relative clause a figure at ``at`` is in ends: its next comma, else its clause's end."""
    m = re.search(r"[,;:.]", flat[at:clause_end])
    return at + m.start() if m else clause_end


SURVEY = re.compile(r"\b(?:surveys?|surveyed|questionnaire)\b", re.IGNORECASE)  # not a poll of forecasters
PROVISION = re.compile(r"\b(?:shall|may|must|will\s+(?:be\s+)?(?:receive|get|subsidi[sz]ed?|awarded|granted|capped|"
                       r"exempt(?:ed)?|entitled|eligible|allowed))\b", re.IGNORECASE)  # a rule a text lays down
MODAL = re.compile(r"\b(?:will|would|should|could|shall|plans?|aims?|expects?|targets?|forecasts?)\b", re.IGNORECASE)


def _past(flat: str, start: int, end: int) -> bool:
    """The clause has a finite past verb (or a modal, a plan): it does not state the present."""
    if MODAL.search(flat, start, end):
        return True
    for m in PAST.finditer(flat, start, end):
        before = flat[max(start, m.start() - 24) : m.start()]
        if re.search(r"\b(?:is|are|be|been|being|by)\s+$", before) and m.group(0).lower().endswith("ed"):
            continue  # a passive: "are recognized"
        return True
    return bool(re.search(r"\b\w{3,}ed\b", flat[start:end]))


def _finite_past(flat: str, start: int, end: int) -> bool:
    """The clause has a finite verb in the past ("handled", "were approved") and no modal: not a participle used as
    an adjective ("a combined floor area", "value-added"), a passive, or the perfect."""
    if MODAL.search(flat, start, end):
        return False
    for m in PAST.finditer(flat, start, end):
        before = flat[max(start, m.start() - 24) : m.start()]
        if before.endswith("-") or re.search(r"\b(?:a|an|the|its|their|his|her|with|of|has|have|had)\s+$", before):
            continue
        if m.group(0).lower().endswith("ed") and re.search(r"\b(?:is|are|be|been|being|by)\s+$", before):
            continue
        return True
    return False


def _now_speaks_of(flat: str, f: Span, clause: tuple[int, int], in_clause: list[TimeExpr]) -> bool:
    """"now" (or "currently", "to date") in the figure's clause dates it, unless it belongs to another predicate
    ("grew 19.3 percent and now make up ...", "began in July 2020 in 10 districts and now cover 42"), or a time of
    the clause is nearer the figure, or "now" is another figure's, before a comma ("now has 165 zones, 33 of them
    added in November 2022")."""
    near = _nearest(in_clause, f)
    nows = [m for m in NOW.finditer(flat, *clause)
            if not (m.start() >= f.end and re.search(r"\band\b|,\s+(?:which|who|whose)\b", flat[f.end : m.start()]))
            and not any(x.start <= m.start() and m.end() <= x.end for x in in_clause)  # "year to date"
            and not (near is not None and m.end() <= f.start
                     and re.search(r"\d[^,]*,", flat[m.end() : f.start]))]  # fmt: skip
    if not nows:
        return False
    if near is None:
        return True

    def gap(start: int, end: int) -> int:
        return start - f.end if start >= f.end else f.start - end if end <= f.start else 0

    return min(gap(m.start(), m.end()) for m in nows) <= gap(near.start, near.end)


def _nearest(exprs: list[TimeExpr], f: Span) -> TimeExpr | None:
    if not exprs:
        return None
    after = [e for e in exprs if e.start >= f.end]
    before = [e for e in exprs if e.end <= f.start]
    if before and after:
        return min(after, key=lambda e: e.start) if after[0].start - f.end < f.start - before[-1].end else before[-1]
    return after[0] if after else before[-1] if before else exprs[0]


def _period_of(expr: TimeExpr, basis: str) -> Period:
    return Period(expr.label(), basis, expr.note)
