"""Score the figure extractor against the annotated corpus (``corpus/dev``, ``corpus/test``; see
``corpus/FORMAT.md``). The truth was written by people who had not read the extractor, before it ran.

Usage (one command, a few seconds)::

    python3 -m uv run --frozen python benchmarks/figures/score.py [--split dev|test|holdout|blind|blind2|all] [--misses N]

Per style and in total, for each split:

- **recall**: truth figures that some extracted figure overlaps (by character span);
- **value+unit**: truth figures whose overlapping extracted figure has the right value (and high bound of
  a range) and unit (a count's unit by its head noun, as FORMAT.md defines it: "overseas warehouses" is
  ``warehouses``; since 2026-12-04);
- **fully right**: value+unit, and also period, growth rate and printed conversion right;
- **precision**: extracted figures that overlap a truth figure;
- **distractors**: extracted figures that overlap a number the truth says is not a figure;
- **measure**: truth figures whose overlapping extracted figure has the truth's ``measure`` (and, for a
  count of pilot zones, its ``zone_count_role``); **geography**: the same for ``geography``. Neither is
  part of "fully right".

The ``dev`` split is for development; ``test`` is never tuned on, only scored; ``holdout`` was written blind
after the extractor of #13 was built on ``dev`` and is never tuned on either; nor is ``blind``, written blind on
2026-12-02, or ``blind2``, written blind on 2026-12-04. ``--misses N`` prints up to
N wrong or missed figures of the chosen split, to see what fails.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parent / "corpus"
SPLITS = ("dev", "test", "holdout", "blind", "blind2")


@dataclass
class Tally:
    truth: int = 0
    found: int = 0
    value_unit: int = 0
    fully: int = 0
    measure: int = 0  # found figures whose measure (and zone role) is the truth's
    geography: int = 0  # found figures whose geography is the truth's
    extracted: int = 0
    correct: int = 0  # extracted figures that overlap a truth figure
    distractors: int = 0

    def add(self, other: Tally) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def rates(self) -> dict[str, float]:
        def share(a: int, b: int) -> float:
            return a / b if b else 1.0

        return {
            "recall": share(self.found, self.truth),
            "value_unit": share(self.value_unit, self.truth),
            "fully_right": share(self.fully, self.truth),
            "measure": share(self.measure, self.truth),
            "geography": share(self.geography, self.truth),
            "precision": share(self.correct, self.extracted),
        }


@dataclass
class Article:
    path: Path
    style: str
    truth: dict[str, Any]
    text: str
    misses: list[str] = field(default_factory=list)


def span_of(text: str, printed: str, occurrence: int) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence):
        start = text.find(printed, start + 1)
        if start < 0:
            raise ValueError(f"{printed!r} does not occur {occurrence} time(s)")
    return start, start + len(printed)


def _same_number(a: Any, b: Any) -> bool:
    if a is None or b is None or (isinstance(a, float) and math.isnan(a)) or (isinstance(b, float) and math.isnan(b)):
        return (a is None or (isinstance(a, float) and math.isnan(a))) and (
            b is None or (isinstance(b, float) and math.isnan(b))
        )
    return math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=1e-9)


def _unit(unit: Any) -> str:
    text = " ".join(str(unit or "").lower().split())
    return {"square meters": "square metres", "kilometers": "kilometres", "meters": "metres", "kg": "kilograms",
            "sq m": "square metres", "tons": "tonnes"}.get(text, text)  # spellings of one unit


UNITS_OF_MEASURE = frozenset(("percent", "percentage points", "times", "square metres", "square kilometres",
                              "cubic metres", "kilometres", "metres", "kilograms", "tonnes", "hectares", "teu"))


def same_unit(got: Any, truth: Any) -> bool:
    """The units agree: the same after spelling, or for counts the same head noun. FORMAT.md defines a count's
    unit as "the counted noun ... as a plain lower-case plural noun" and writes "2,500 overseas warehouses" as
    ``warehouses``; some truth files keep the modifier ("overseas warehouses", "charter flights"). A currency or a
    unit of measure must match exactly."""
    a, b = _unit(got), _unit(truth)
    if a == b:
        return True
    if not a or not b or {a, b} & UNITS_OF_MEASURE:
        return False  # a unit of measure ("percentage points" is no "points"); a currency code is one word
    return a.split()[-1] == b.split()[-1]


def load(split: str) -> list[Article]:
    articles = []
    for truth_path in sorted((CORPUS / split).glob("*.truth.json")):
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        path = truth_path.with_name(truth["file"])
        articles.append(Article(path, truth["style"], truth, path.read_bytes().decode("utf-8")))
    return articles


def extract(article: Article, cities: list[str]) -> list[dict[str, Any]]:
    from pipeline.clean.figures import reported_figure_records

    return reported_figure_records(article.text, article.path.stem, article.truth["published"], cities)


def score_article(article: Article, records: list[dict[str, Any]]) -> Tally:
    tally = Tally(truth=len(article.truth["figures"]), extracted=len(records))
    spans = [(int(r["char_start"]), int(r["char_end"])) for r in records]
    used: set[int] = set()
    for figure in article.truth["figures"]:
        start, end = span_of(article.text, figure["printed"], figure["occurrence"])
        overlapping = [i for i, (s, e) in enumerate(spans) if s < end and start < e]
        if not overlapping:
            article.misses.append(f"missed   {figure['printed']!r}")
            continue
        tally.found += 1
        # the extracted figure that overlaps most is the one read for this truth figure
        best = max(overlapping, key=lambda i: min(end, spans[i][1]) - max(start, spans[i][0]))
        used.update(overlapping)
        got = records[best]
        value_unit = (
            _same_number(got["value"], figure["value"])
            and _same_number(got.get("value_high"), figure.get("value_high"))
            and same_unit(got["unit"], figure["unit"])
        )
        rest = {
            "period": (got["period"], figure["period"]),
            "growth_pct": (got["growth_pct"], figure["growth_pct"]),
            "converted_value": (got["converted_value"], figure["converted_value"]),
            "converted_unit": (got["converted_unit"], figure["converted_unit"]),
        }
        wrong = [
            k
            for k, (a, b) in rest.items()
            if not (_same_number(a, b) if k in ("growth_pct", "converted_value") else (a or None) == (b or None))
        ]
        if str(got.get("geography", "")).casefold() == str(figure.get("geography", "")).casefold():
            tally.geography += 1
        elif "geography" in got:
            article.misses.append(f"where    {figure['printed']!r}: got {got.get('geography')}, truth {figure.get('geography')}")
        if (got.get("measure"), got.get("zone_count_role") or None) == (figure.get("measure"), figure.get("zone_count_role")):
            tally.measure += 1
        elif "measure" in got:
            article.misses.append(f"measure  {figure['printed']!r}: got {got.get('measure')}/{got.get('zone_count_role')}, "
                                  f"truth {figure.get('measure')}/{figure.get('zone_count_role')}")
        if value_unit:
            tally.value_unit += 1
        else:
            wrong = ["value/unit", *wrong]
        if value_unit and not wrong:
            tally.fully += 1
        else:
            shown = {"value": got["value"], "unit": got["unit"], **{k: a for k, (a, _) in rest.items()}}
            article.misses.append(f"wrong    {figure['printed']!r}: {', '.join(wrong)}; got {shown}")
    tally.correct = len(used)
    for distractor in article.truth["distractors"]:
        start, end = span_of(article.text, distractor["printed"], distractor["occurrence"])
        hits = [i for i, (s, e) in enumerate(spans) if s < end and start < e and i not in used]
        if hits:
            tally.distractors += 1
            article.misses.append(f"distract {distractor['printed']!r} ({distractor['why']}) read as a figure")
    return tally


def cities() -> list[str]:
    import pandas as pd

    from pipeline.settings import DEFAULT_RAW_DIR

    return pd.read_csv(DEFAULT_RAW_DIR / "reference" / "pilot_zones_reference.csv")["city"].tolist()


def score(split: str) -> tuple[dict[str, Tally], list[Article]]:
    """Tallies by style and ``total`` for one split, and the scored articles (with their misses)."""
    names = cities()
    by_style: dict[str, Tally] = defaultdict(Tally)
    articles = load(split)
    for article in articles:
        tally = score_article(article, extract(article, names))
        by_style[article.style].add(tally)
        by_style["total"].add(tally)
    return dict(by_style), articles


def table(split: str, tallies: dict[str, Tally]) -> str:
    rows = [
        f"{split} split",
        f"{'style':12} {'figures':>7} {'recall':>7} {'value+unit':>10} {'fully right':>11} {'precision':>9} "
        f"{'distractors':>11} {'measure':>8} {'geography':>9}",
    ]
    for style in sorted(tallies, key=lambda s: (s == "total", s)):
        t, r = tallies[style], tallies[style].rates()
        rows.append(
            f"{style:12} {t.truth:7d} {r['recall']:7.1%} {r['value_unit']:10.1%} {r['fully_right']:11.1%} "
            f"{r['precision']:9.1%} {t.distractors:11d} {r['measure']:8.1%} {r['geography']:9.1%}"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=(*SPLITS, "all"), default="all")
    parser.add_argument("--misses", type=int, default=0, help="print up to N misses of each split")
    args = parser.parse_args(argv)
    for split in SPLITS if args.split == "all" else (args.split,):
        tallies, articles = score(split)
        print(table(split, tallies))
        shown = 0
        for article in articles:
            for miss in article.misses:
                if shown < args.misses:
                    print(f"  {article.path.name}: {miss}")
                    shown += 1
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
