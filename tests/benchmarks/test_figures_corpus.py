"""The figure extractor on the development split of the annotated corpus (benchmarks/figures/): a floor
under today's scores, so a change that reads fewer figures right fails here. The test, holdout, blind and blind2
splits are scored by the benchmark only (never tuned on, never asserted)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from pipeline.settings import PROJECT_ROOT

SCORER = PROJECT_ROOT / "benchmarks" / "figures" / "score.py"
# counts on the dev split (370 figures): 216 / 196 / 45 / 217 of 230 extracted when the corpus was
# committed (2026-12-01), then 202 / 47 / 217 of 225 with signed declines and "U.S. dollars", then
# 361 / 348 / 248 / 362 of 365 with the extractor of #13 (open-vocabulary counts, ranges, fractions, multiples,
# bare counts, periods resolved by rule across sentences), then 256 fully right, 294 measures and 285 places of
# 364 extracted with measures and the gazetteer, then 365 / 355 / 275 / 366, 298 measures, 299 places of 368
# extracted after the review, then 365 / 361 / 290 / 366, 299 measures, 299 places with spans ("since June"),
# seasons, signed declines ("fall", "eased", "cut ... by") and rates attached only to the amount they lead to.
# On 2026-12-02 articles 21-32 (256 figures, written blind by other hands) joined the split: 610 / 599 / 447 / 614
# of 626, 488 measures, 424 places, 620 extracted, after the rules they showed missing (wire scale abbreviations,
# cities of a batch of zones, the noun of a change, "one" is no count).
# Then 617 / 612 / 465 / 617, 499 measures, 427 places, 617 extracted with hedged conversions ("(roughly ...)"),
# growth in other words ("up a meagre", "9.9 percent more than", "a 38 percent jump"), ranges of measures, list
# markers and derived rates ("implies growth of").
# Then 476 fully right with the periods of comparisons (a base figure takes the base's time, "the 2020 level",
# "on the year before"), names ("the Tariff Act of 1930"), "today", "full-year" and weekdays of reports.
# Raise them as the extractor improves; never lower them to let a change through.
# Then 490 with months after a frame of last year, "ended 2018", targets "by the end of", future parts of a year,
# a day's year from its sentence and "made public on Tuesday".
# Then 499 with present clauses in an article about this year (as of publication) and more present verbs.
# Then 479 places with the place an article opens with as the default of its paragraphs.
# Then 503 measures: a growth rate is of trade only when its clause names trade (not "growth" or "value").
# Then 618 / 613 / 504 / 618 with years of document numbers ("[2018] No. 93"), bases after a change ("rising
# to 236 from 171") and festivals named as examples ("at peaks such as Double 11").
# Then articles 33-44 (280 figures, blind, other conventions on purpose) joined: 894 / 879 / 685 / 894 of 906,
# 702 measures, 631 places, 896 extracted, after bps, "28x", "respectively", count ranges, "12.6m a day", "eleven
# of them", collective nouns and more verbs of a change; then 894 extracted with names the text calls by name
# ("what officials call its \"six systems and two platforms\"").
# Then 880 / 695 with fiscal years and halves ("FY2024", "1H24", "Q1 2023"), "of the 2025 total", relative years
# from their sentence ("In 2018 ..., and the following year"), weekdays as names, "cut ... by 35".
# Then 699 with asides ("Temu, launched in September 2022, says it has ..."): their time is not the clause's.
# Then 642 places: a list of places in the opening names no subject.
# Then 897 / 883 / 700 with bare numbers after a count ("420 more than") or after a bare count.
# A review then found readings wrong on plain sentences the corpus lacks (a change read as a range, a rise signed
# by an earlier "cut", a foreign market in a title taken as the place of national figures, ...). Their fixes keep
# every count but one place: article 40's European sales share had been right only because its title's
# "Europe" was wrongly taken as the article's place; 642.
# Then articles 45-56 (278 figures, blind, unusual sentence structures) joined: 1,158 / 1,138 / 824 / 1,158 of
# 1,184, 880 measures, 820 places, 1,162 extracted, after "edging down 3.1 percent", "22 of 165 zones", "the count
# rose ... to 71", "4 million parcels sounds", per-unit prices with conversions, worked examples ("Run the numbers
# on a cable listed at $20. If the seller pays 15 percent ...") and "three snapshots".
# Then 843 fully right: "than in the same period of 2020" and "33 times the 2008 estimate" are bases, "the
# January-March period of 2017" one expression, so a comparison's base sets no frame.
# On 2026-12-02 (second session) 874 fully right: a part of the year of publication is what verbless and present
# clauses report on, relative clauses and appositives keep their time, "four times the 2018 floor area" and
# "up from less than 0.5 percent in 2008" are bases, and a base printed after its change is the year before.
# Then articles 57-74 (394 figures, written blind by three helpers that day; first score before any rule was
# tuned on them: 57-68 61.6 % fully right, 69-74 55.7 %) joined: 1,539 / 1,501 / 1,129 / 1,539 of 1,578, 1,174
# measures, 1,073 places, 1,546 extracted, 1 distractor ("total 618 sales") after "pc" for percent, printed signs
# ("minus 3.2 percent", "-2.1%"), "HK$ 900m", bare numbers in lists and after "against", "the 1210 customs model"
# and counts in title case inside a sentence ("her book, Ten Thousand Carts") as names.
# Then 1,140 fully right with present verbs in their base form ("Returns still eat 8-12 percent"), 1,146 with
# months and parts of a year in the topic year a sentence opened ("The following year was tougher. ... in November").
# Then 1,540 / 1,503 / 1,148 / 1,540, 1,175 measures, 1,074 places, 1,547 extracted with "two in five", "800-dollar"
# and a rate after a closed relative clause left to its main clause.
# Then 1,542 / 1,505 / 1,149 / 1,542, 1,177 measures, 1,075 places, 1,549 extracted with "of which 2.1 billion" and
# the head of a compound noun ("Imported-goods shoppers rebounded to 163 million").
# Then 1,154 fully right after a review's fixes (signs after "%" or "-", "plus or minus", "three in six months",
# "pc" only attached, a source after "from", "the fiscal year that ended in March 2023", a topic year ended by
# "Today", more past verbs; see tests/parse/test_figures.py and tests/clean/test_figures_context.py).
# On 2026-12-03 1,632 fully right and 1,411 places: "last May" before the month of publication, a relative clause's
# verb or "now" leaves the main clause's time, "on the province's share in 2018" and "on the same period last year"
# are bases; a firm introduced with its home ("the Hong Kong-based firm") is where its article's figures are, an
# address or a venue is no place.
# Then 1,641 fully right with present participles, rules in force and capacities, "mid-2024", "their number" of a
# bare count, a date's own predicate ("was founded in 2008 and employs 12,000") and a month after a year's end.
# Then five articles written blind on 2026-12-03 (99, 100, 105-107: 119 figures, 70 distractors; first score before
# any rule was tuned on them: recall 96.6 %, value+unit 95.0 %, fully right 73.1 %, precision 97.5 %, 2
# distractors) joined: 2,188 / 2,117 / 1,731 / 2,188 of 2,244, 1,658 measures, 1,490 places, 2,198 extracted,
# after printed minus signs and abbreviated comparisons ("-2.3%", "15% QoQ", "from the previous quarter"), "shed
# 1,300 jobs", a loss positive in all its forms (as most authors read it), "making up 86 percent" (no growth) and
# exchange rates ("7.85 Hong Kong dollars per US dollar"). One of their distractors is read still: "the five
# Central Asian countries" (a group's name), hence 4. Then 1,737 fully right with "in Jan-Oct" and a stock's
# date in a later clause of a text about a half; 1,738 and 2,197 extracted with "an increase of" after a count.
# Then the same author's 108-110 (74 figures, 48 distractors; first score, no rule tuned on them: recall 90.5 %,
# value+unit 89.2 %, fully right 55.4 %, precision 100 %, no distractor) joined: 2,255 / 2,183 / 1,779 / 2,255 of
# 2,318, 1,706 measures, 1,533 places, 2,264 extracted.
# Then the 99-104 author's last four, 101-104 (90 figures, 80 distractors; first score, no rule tuned on them:
# recall 94.4 %, value+unit 94.4 %, fully right 66.7 %, precision 98.8 %, 1 distractor) joined: 2,340 / 2,268 /
# 1,839 / 2,340 of 2,408, 1,766 measures, 1,597 places, 2,350 extracted, 5 distractors.
# Then 2,351 / 2,280 / 1,849 / 2,351, 1,773 measures, 1,601 places, 2,361 extracted with the bare counts and rates
# 101-110 missed ("added 27 cities to the 105 approved before", "passed 1,000 ..., 640 of them", "the number was
# 31,500", "roughly doubled, from about 4,000", "up from 31 in 2023, and some 40", a rate with its own subject after
# a comma, "just under half"). Then 1,862 fully right with headlines restated in other words (a growth, a rounded
# number) and provisions ("shall receive", "may file") dated by the text, not by a year named before.
# Then six articles written blind on 2026-12-04 (111-116: 145 figures, 95 distractors; first score, no rule tuned
# on them: recall 96.6 %, value+unit 95.9 %, fully right 73.1 %, precision 100 %, no distractor) joined: 2,491 /
# 2,419 / 1,968 / 2,491 of 2,553, 1,878 measures, 1,690 places, 2,501 extracted.
# Then 2,495 / 2,423 / 1,972 / 2,495, 1,880 measures, 1,693 places, 2,505 extracted with what they missed (an
# eighth and a sixth, no fraction in "a third batch", "four more are due", "to over 150 billion", "shall exceed 120").
# Then the scorer compared a count's unit by its head noun, as FORMAT.md defines it ("overseas warehouses" is
# warehouses): the same readings score 2,459 value+unit and 1,996 fully right.
# Then 2,001 fully right with a base dated "in the same period of 2019", a clause's own date before a time in the
# next clause, and "the fourth quarter of that year".
# Then 2,010 with a survey the text dates nowhere taking the publication date, not a year named before.
# Then six more written blind the same day (117-122: 134 figures, 103 distractors; first score, no rule tuned on
# them: recall 96.3 %, value+unit 95.5 %, fully right 61.9 %, precision 98.5 %, no distractor) joined: 2,624 /
# 2,587 / 2,093 / 2,624 of 2,687, 1,977 measures, 1,769 places, 2,636 extracted.
# Then 2,104 fully right with the rules of a text that says when they take effect in force from that date.
# Then 2,631 / 2,594 / 2,112 / 2,631, 1,982 measures, 1,775 places, 2,642 extracted with what 117-122 missed (a
# range of fractions, "from one", "one a week", "now has 2,300", "trains top 300", "half that amount", a rate after
# a long phrase of its count).
# Then 1,824 places with a market goods go to ("exports to the United States", "Africa-bound") no place of the figure.
# Then 1,843 with a firm's home in a definite appositive ("Lingxi Cloud (2517.HK), the Shenzhen-based developer")
# and "-listed" as a home.
# Then 1,992 measures with a batch's count before the total its clause goes on to read as the batch's increment.
# Then 2,634 / 2,597 / 2,115 / 2,634, 1,995 measures, 1,846 places, 2,645 extracted with a bare count before
# "recovered to" and "the pilot-zone count stood at 165".
# Then 2,122 fully right with a past verb of no list between its subject and object ("costs swallowed 23.5%").
# Then 2,125 fully right and 1,996 measures with "This spring I met", a batch dated in an aside ("The sixth batch,
# announced in February, added 27 cities") and "the 105 approved before".
# Then 2,129 with a relative clause in the present dated now ("said the firm, which serves about 1,300 sellers").
# Then 2,642 extracted and 2 distractors read, with the customs codes of a committed mapping (9610, 9710, ...), a
# number named as a code before it ("customs code 9610") and a festival in quotes ('the "618" shopping festival')
# labels, not counts.
# Then 2,131 fully right and 2,640 extracted with a rate before ", to 214" past its year and "a tenth fewer" past a
# long phrase of its count.
# Then 2,133 with a month a plan is for ("plans to hire 300 more by June") the coming one.
# Then six more written blind (129-134: 138 figures, 95 distractors; first score, no rule tuned on them: recall
# 96.4 %, value+unit 88.4 %, fully right 65.2 %, precision 98.5 %, no distractor) joined: 2,767 / 2,719 / 2,223 /
# 2,767 of 2,825, 2,094 measures, 1,934 places, 2,775 extracted.
# Then 2,770 / 2,722 / 2,228 / 2,770, 2,097 measures, 1,937 places, 2,776 extracted with "merchant base passes
# 58,000", "warehouse count passes 300", ", a 45 percent increase" and ", a year in which exports grew 46 percent".
# Then 2,772 / 2,724 / 2,232 / 2,772, 2,099 measures, 1,939 places, 2,778 extracted with the noun of a change a
# dozen words before its verb ("Complaints about ... filed through the 12315 hotline roughly doubled, from 4,000").
# Then 2,773 / 2,725 / 2,233 / 2,773, 2,100 measures, 2,779 extracted with "a dozen of them".
# Then six more written blind (135-140: 127 figures, 87 distractors; first score, no rule tuned on them: recall
# 95.3 %, value+unit 93.7 %, fully right 74.0 %, precision 98.4 %, no distractor) joined: 2,894 / 2,844 / 2,327 /
# 2,894 of 2,952, 2,189 measures, 2,033 places, 2,902 extracted.
# Then 2,898 / 2,849 / 2,333 / 2,898, 2,191 measures, 2,037 places, 2,904 extracted with what they missed ("higher
# at", lists after "yet" and "only", "the seller count jumped by a quarter, to", "we had four", "a further").
# Then 2,334 with "would cut ... by June" the coming June.
# Then 2,899 / 2,850 / 2,335 / 2,899, 2,192 measures, 2,038 places, 2,905 extracted with "N of them" counting its
# sentence's subject when no count of the sentence comes before.
# Then 2,194 measures with bonded warehouses at home as logistics capacity (a row of the committed vocabulary).
# Then 2,049 places with 34 more countries and regions in the gazetteer (data) and every market of a list goods go
# to ("to Kazakhstan, Uzbekistan and Kyrgyzstan") a destination.
# Then 2,195 measures and 2,058 places with a province's count of zones its own ("Henan now has five") and a total.
# Then six more written blind (141-146: 137 figures, 98 distractors; first score, no rule tuned on them: recall
# 95.6 %, value+unit 93.4 %, fully right 64.2 %, precision 100 %, no distractor) joined: 3,030 / 2,978 / 2,423 /
# 3,030 of 3,089, 2,299 measures, 2,148 places, 3,036 extracted.
# Then 3,032 / 2,981 / 2,425 / 3,032, 2,302 measures, 2,150 places, 3,038 extracted with "barely a quarter",
# "nine-tenths" and the head count of "warehouses in 41 countries, up from 29".
# Then 2,224 places with a place past a comma after a figure not its place ("8.6 billion yuan, of which Japan ...").
# Then 2,225 with a place the text excludes ("Outside Guangdong, Fujian had") not the figure's.
# Then six more written blind (147-152: 135 figures, 111 distractors; first score, no rule tuned on them: recall
# 97.8 %, value+unit 94.1 %, fully right 76.3 %, precision 97.8 %, 2 distractors) joined: 3,164 / 3,108 / 2,528 /
# 3,164 of 3,224, 2,396 measures, 2,293 places, 3,173 extracted, 4 distractors.
# Then 3,172 extracted and 3 distractors with a day after its month ("November 30") a date, not a count.
FLOOR = {"found": 3164, "value_unit": 3108, "fully": 2528, "correct": 3164, "measure": 2396, "geography": 2293}
MAX_WRONG_EXTRACTIONS = 3172 - 3164  # extracted figures that are no truth figure
MAX_DISTRACTORS = 3


@pytest.fixture(scope="module")
def scorer():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("figures_score", SCORER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["figures_score"] = module
    spec.loader.exec_module(module)
    return module


def test_the_corpus_is_as_large_as_promised(scorer) -> None:  # type: ignore[no-untyped-def]
    articles = [a for split in scorer.SPLITS for a in scorer.load(split)]
    assert len(articles) >= 30 and sum(len(a.truth["figures"]) for a in articles) >= 500
    assert len({a.style for a in articles}) == 6
    for article in articles:  # every truth span is in its text, so the scorer can find it
        for item in article.truth["figures"] + article.truth["distractors"]:
            scorer.span_of(article.text, item["printed"], item["occurrence"])
    encodings = [a.truth["encoding"] for a in articles]
    assert all(any(e[k] for e in encodings) for k in ("bom", "crlf", "nbsp"))
    assert all(a.text.startswith("\ufeff") == a.truth["encoding"]["bom"] for a in articles)


def test_a_count_s_unit_is_compared_by_its_head_noun(scorer) -> None:  # type: ignore[no-untyped-def]
    assert scorer.same_unit("warehouses", "overseas warehouses")
    assert scorer.same_unit("air routes", "routes")
    assert scorer.same_unit("square meters", "square metres")  # a spelling
    assert not scorer.same_unit("zones", "cities")
    assert not scorer.same_unit("points", "percentage points")  # a unit of measure matches exactly
    assert not scorer.same_unit("CNY", "USD")
    assert not scorer.same_unit("", "warehouses")


def test_the_dev_split_scores_at_least_the_floor(scorer) -> None:  # type: ignore[no-untyped-def]
    tallies, _ = scorer.score("dev")
    total = tallies["total"]
    below = {k: getattr(total, k) for k, floor in FLOOR.items() if getattr(total, k) < floor}
    assert below == {}, f"below the floor {FLOOR}: {below}"
    assert total.extracted - total.correct <= MAX_WRONG_EXTRACTIONS
    assert total.distractors <= MAX_DISTRACTORS


def test_every_reading_on_the_dev_split_passes_the_published_schema(scorer) -> None:  # type: ignore[no-untyped-def]
    # the schema's allowed values (period bases, units, measures) cover every rule the extractor can apply: a
    # rule added without its value would fail the blocking check of a release on the first article that uses it
    import pandas as pd

    from pipeline.clean.figures import build_reported_figures
    from pipeline.metadata.datasets import REPORTED_FIGURES
    from pipeline.metadata.schemas import pandera_schema

    cities = scorer.cities()
    frames = [build_reported_figures(a.text, a.path.stem, a.truth["published"], cities) for a in scorer.load("dev")]
    figures = pd.concat(frames, ignore_index=True)
    assert {"span", "base"} <= set(figures["period_basis"])
    pandera_schema(REPORTED_FIGURES).validate(figures, lazy=True)


def test_the_scorer_counts_a_wrong_period_as_not_fully_right(scorer, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = "Exports reached 5 billion yuan in 2019."
    truth = {"file": "a.txt", "style": "wire", "published": "2020-01-02", "encoding": {}, "distractors": [],
             "figures": [{"printed": "5 billion yuan", "occurrence": 1, "value": 5e9, "value_high": None,
                          "unit": "CNY", "period": "2018", "growth_pct": None, "converted_value": None,
                          "converted_unit": None}]}  # fmt: skip
    article = scorer.Article(tmp_path / "a.txt", "wire", json.loads(json.dumps(truth)), text)
    record = {"char_start": 16, "char_end": 30, "value": 5e9, "unit": "CNY", "period": "2019", "growth_pct": None,
              "converted_value": None, "converted_unit": None}  # fmt: skip
    tally = scorer.score_article(article, [record])
    assert (tally.found, tally.value_unit, tally.fully, tally.correct) == (1, 1, 0, 1)
    assert article.misses == ["wrong    '5 billion yuan': period; got {'value': 5000000000.0, 'unit': 'CNY', "
                              "'period': '2019', 'growth_pct': None, 'converted_value': None, "
                              "'converted_unit': None}"]  # fmt: skip
