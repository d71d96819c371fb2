"""What a figure measures: a ``measure`` from the committed vocabulary ``pipeline/mappings/figure_measures.csv``
(each with its definition), and for counts of pilot zones the ``zone_count_role`` (total / added / before).

The vocabulary's rows are tried in order; a row applies when the figure's kind and unit are among the row's
(``*``: any) and its ``pattern`` (a regular expression, empty: always) matches the figure's clause. The
clause is the text of the figure's sentence between clause breaks, lower-cased. A count of pilot zones takes
its role from the words around the number (:func:`zone_role`): "from 59 ... to 105" (before, total),
"bringing the total to 105", "another five", "before this round, 59 cities", "approved 46 new zones".
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

MEASURES_PATH = Path(__file__).resolve().parent.parent / "mappings" / "figure_measures.csv"
VERSION_FILES = (MEASURES_PATH,)  # the vocabulary is code: the figures stage is versioned by it
ZONE_ROLES = {"pilot_zones_total": "total", "pilot_zones_added": "added", "pilot_zones_before": "before"}
ZONE_UNITS = frozenset({"zones", "cities", "areas"})
UNSTATED = "total?"  # a zone count whose role no word states: read as the total, and uncertain


@dataclass(frozen=True)
class MeasureRule:
    measure: str
    kinds: frozenset[str] | None  # None: any
    units: frozenset[str] | None
    pattern: re.Pattern[str] | None
    definition: str


@cache
def measure_rules(path: Path = MEASURES_PATH) -> tuple[MeasureRule, ...]:
    rules = []
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            try:
                pattern = re.compile(row["pattern"]) if row["pattern"] else None
            except re.error as error:
                raise ValueError(f"{path}:{line}: pattern {row['pattern']!r} of {row['measure']} is no regular "
                                 f"expression ({error}); fix the row.") from error  # fmt: skip
            rules.append(MeasureRule(
                row["measure"],
                None if row["kinds"] == "*" else frozenset(row["kinds"].split("|")),
                None if row["units"] == "*" else frozenset(row["units"].split("|")),
                pattern,
                row["definition"],
            ))  # fmt: skip
    if not rules or rules[-1].measure != "other":
        raise ValueError(f"{path}: the last row must be the catch-all 'other' (kinds and units '*').")
    return tuple(rules)


def definitions() -> dict[str, str]:
    return {r.measure: r.definition for r in measure_rules()}


APPROVED_AFTER = re.compile(
    r"\s*(?:(?:,\s*)?of\s+(?:them|these|which)\s+)?(?:(?:were|was|have been)\s+)?(?:newly\s+)?"
    r"(?:approved|designated|added|named)\b(?!\s+(?:so far|in all|to date))"
)


def zone_role(before: str, printed: str, after: str, clause: str) -> str:
    """total, added or before, for a count of pilot zones; ``before`` is the clause's text up to the number,
    ``after`` the text after the figure, lower-cased. The words next to the number decide first ("another
    five", "of the 165 zones", "to 105", "from 59"), then the clause's ("before this round", "in total").
    :data:`UNSTATED` when no word says which (then read as "total", and uncertain)."""
    near = before[-30:]
    if re.match(r"\s*(?:(?:were|had been)\s+)?(?:approved|designated|set up)\s+(?:before|earlier|previously)\b", after):
        return "before"  # "added 27 cities to the 105 approved before"
    if re.search(r"\bfrom\s+(?:about\s+|some\s+|more than\s+)?$", near):
        return "before"  # "rose from 59 ... to 105"
    if re.search(r"\band other\s+$", near):
        return "total"  # "Hangzhou and other 13 zones"
    if re.search(r"\bof the\s+$", near) and APPROVED_AFTER.match(after):
        return "added"  # "two of the 46 cities approved in the fifth batch": that batch
    if re.search(r"\bof the\s+$", near):
        return "total"  # "Of the 165 pilot zones, 27 ...": all of them
    if re.search(r"\b(?:new|another|more|additional|added|adds|gained|gains|received|receives|got|won)\b",
                 near[-25:] + " " + printed):  # fmt: skip
        return "added"  # "46 new zones", "Zhejiang received another five"
    if re.search(r"\b(?:before|prior to|previous(?:ly)?|existing|already|had designated|had been approved)\b", before):
        return "before"  # "Prior to the latest batch, China had designated a total of 35 cities"
    if APPROVED_AFTER.match(after):
        return "added"  # "the 27 zones approved on Friday", "27 were approved last year", "33 of them added in"
    if re.search(r"\b(?:to|total(?:s|led|ed)? of|total|reach(?:es|ed)?|stands? at|stood at|stayed at|now|nationwide|"
                 r"has|have|hosts?)\s+"
                 r"(?:(?:about|some|more than|over|nearly|a total of)\s+)?$", near):  # fmt: skip
        return "total"
    if re.search(r"\b(?:has|have)\s+(?:now\s+|so far\s+)?(?:approved|set up|established|designated|built)\b", before):
        return "total"  # the present perfect counts everything so far: "has set up 165 zones"
    if (re.search(r"\b(?:approv\w*|designat\w*|establish\w*|set up|batch|round)\b", before)
            and not re.search(r"\b(?:total|in all|altogether|so far|nationwide|to date|now)\b", before)):  # fmt: skip
        # "approved zones in 46 cities, bringing the total to 105", "a third batch of 22 zones": the batch's; the
        # total the clause goes on to is the next number's
        return "added"
    own = before + " " + printed + " " + re.split(r",|\bup from\b|\bfrom\b", after, maxsplit=1)[0]
    if re.search(r"\b(?:before|prior to|previous(?:ly)?|existing|already|had designated)\b", own):
        return "before"  # the clause's words up to the next figure's: "has five zones, up from three before the
        # sixth batch" says "before" of the three
    if re.search(r"\b(?:total|in all|altogether|so far|there are|nationwide|to date|now|includes?|covers?|comprises?)"
                 r"\b",
                 clause + " " + after[:30]):  # fmt: skip
        return "total"
    if re.search(r"\b(?:approv\w*|designat\w*|establish\w*|set up|named|batch|round|list)\b", clause):
        return "added"
    return UNSTATED


def classify(
    kind: str, unit: str, clause: str, before: str = "", printed: str = "", after: str = ""
) -> tuple[str | None, str | None]:
    """(measure, zone_count_role) of a figure of ``kind`` and ``unit``; ``clause`` is its clause lower-cased,
    ``before`` / ``after`` the clause's text around the figure (``after`` also for "37 percent of ..."). The
    measure is None when only the catch-all row applies."""
    zone_count = kind == "count" and (
        unit in ("zones", "areas") or (unit == "cities" and re.search(r"\b(?:pilot|zones?|batch|venues)\b", clause))
    )  # "35 cities as venues for cross-border e-commerce" counts zones
    role = zone_role(before, printed.lower(), after, clause) if zone_count else None
    if role == UNSTATED:
        role = "total"
        unstated = True
    else:
        unstated = False
    for rule in measure_rules():
        if rule.kinds is not None and kind not in rule.kinds:
            continue
        if rule.units is not None and unit not in rule.units and not (role and rule.measure in ZONE_ROLES):
            continue
        if rule.measure in ZONE_ROLES:
            if ZONE_ROLES[rule.measure] != role:
                continue
        elif rule.pattern is not None and not (rule.pattern.search(clause) or rule.pattern.search(after)):
            continue
        if rule is measure_rules()[-1]:
            return None, None  # no row but the catch-all: the caller may inherit what the text keeps talking about
        return rule.measure, (f"{ZONE_ROLES[rule.measure]}?" if unstated else ZONE_ROLES.get(rule.measure))
    return None, None
