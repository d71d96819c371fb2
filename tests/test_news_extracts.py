"""The four news extracts, read by eye and asserted figure by figure; the cross-check findings they
lead to; and the pilot-zone registry built from the reference."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.clean.figures import build_reported_figures
from pipeline.clean.indicators import build_annual_indicators
from pipeline.clean.mentions import find_zone_mentions
from pipeline.clean.zones import build_zone_batches, build_zone_registry, clean_zone_table
from pipeline.crosscheck.registry import all_findings
from pipeline.ids import digest
from pipeline.raw.reference import load_city_mapping, read_reference_batches, read_reference_zones
from pipeline.raw.registry import load_registry
from pipeline.settings import DEFAULT_RAW_DIR
from pipeline.steps.tables import parse_tables
from tests.helpers import HEADERS

ARTICLES = ["asiacargobuzz_2020_01_03", "peoplesdaily_2018_03_19", "cgtn_opinion_2024", "mofcom_press_2023_02_23"]
# source, printed, kind, value, unit, period, qualifier, converted (value, unit), growth_pct
FIGURES = [
    ("asiacargobuzz_2020_01_03", "24 more cross-border e-commerce zones", "count", 24, "zones", "2020-01-03", None, None, None),
    # "another 24 cities as cross-border e-commerce pilot zones": the cities are the zones
    ("asiacargobuzz_2020_01_03", "24 cities", "count", 24, "zones", "2020-01-03", None, None, None),
    # the existing batches and the cities before the new one, as of the State Council's late-December statement
    ("asiacargobuzz_2020_01_03", "three batches", "count", 3, "batches", "2019-12", None, None, None),
    # cities designated in batches are pilot zones, counted in zones (the corpus's convention)
    ("asiacargobuzz_2020_01_03", "35 cities", "count", 35, "zones", "2019", None, None, None),
    ("asiacargobuzz_2020_01_03", "13 zones", "count", 13, "zones", "2015", None, None, None),
    ("asiacargobuzz_2020_01_03", "59 cities", "count", 59, "cities", "2020-01-03", "some", None, None),
    ("asiacargobuzz_2020_01_03", "55-kilometre", "measure", 55, "kilometres", "2020-01-03", None, None, None),
    ("asiacargobuzz_2020_01_03", "100,000 product types", "count", 100000, "product types", "2020-01-03", "around", None, None),
    ("asiacargobuzz_2020_01_03", "500 businesses", "count", 500, "businesses", "2020-01-03", None, None, None),
    ("asiacargobuzz_2020_01_03", "USD 49 billion", "amount", 49e9, "USD", "2017", None, None, 21.8),
    ("asiacargobuzz_2020_01_03", "four import models", "count", 4, "models", "2020-01-03", None, None, None),
    ("asiacargobuzz_2020_01_03", "CNY 22.77 billion (USD 3.27 billion)", "amount", 22.77e9, "CNY", "2017", None, (3.27e9, "USD"), 55.1),
    ("asiacargobuzz_2020_01_03", "thirteen industrial parks", "count", 13, "parks", "2020-01-03", None, None, None),
    ("asiacargobuzz_2020_01_03", "8,000 foreign trade and manufacturing enterprises", "count", 8000, "enterprises", "2018-02", "nearly", None, None),
    ("peoplesdaily_2018_03_19", "80%", "growth", 80, "percent", "2017", None, None, None),
    ("peoplesdaily_2018_03_19", "80%", "growth", 80, "percent", "2017", None, None, None),
    ("peoplesdaily_2018_03_19", "90.24 billion yuan ($14.32 billion)", "amount", 90.24e9, "CNY", "2017", None, (14.32e9, "USD"), 80.6),
    ("peoplesdaily_2018_03_19", "50%", "growth", 50, "percent", "2018-03-19", "over", None, None),
    ("peoplesdaily_2018_03_19", "5.5 trillion yuan ($868.5 billion)", "amount", 5.5e12, "CNY", "2017", None, (868.5e9, "USD"), 28.0),
    ("peoplesdaily_2018_03_19", "10%", "percent", 10, "percent", "2017", "about", None, None),
    ("peoplesdaily_2018_03_19", "562,400 items", "count", 562400, "items", "2017", None, None, None),
    ("peoplesdaily_2018_03_19", "$3.88 million", "amount", 3.88e6, "USD", "2017", "nearly", None, None),
    ("cgtn_opinion_2024", "2.38 trillion yuan ($32.9 billion)", "amount", 2.38e12, "CNY", "2023", None, (32.9e9, "USD"), None),
    ("cgtn_opinion_2024", "10 times", "ratio", 10, "times", "2023", "about", None, None),
    ("cgtn_opinion_2024", "15.6 percent", "growth", 15.6, "percent", "2023", None, None, None),
    ("cgtn_opinion_2024", "15.4 percentage points", "points", 15.4, "percentage points", "2023", None, None, None),
    ("cgtn_opinion_2024", "7 percent", "percent", 7, "percent", "2023", "more than", None, None),
    ("cgtn_opinion_2024", "100,000 subjects", "count", 100000, "subjects", "2023", "over", None, None),
    ("cgtn_opinion_2024", "132 comprehensive experimental areas", "count", 132, "areas", "2024", None, None, None),
    ("cgtn_opinion_2024", "six batches", "count", 6, "batches", "2024", None, None, None),
    ("cgtn_opinion_2024", "30 provinces", "count", 30, "provinces", "2024", None, None, None),
    ("mofcom_press_2023_02_23", "33 cities", "count", 33, "zones", "2023-02-23", None, None, None),
    ("mofcom_press_2023_02_23", "number of the pilot zones to 165", "count", 165, "zones", "2023-02-23", None, None, None),
    ("mofcom_press_2023_02_23", "165 integrated pilot zones", "count", 165, "zones", "2023-02-23", None, None, None),
    ("mofcom_press_2023_02_23", "seven approvals", "count", 7, "approvals", "2023-02-23", None, None, None),
    ("mofcom_press_2023_02_23", "31 provinces", "count", 31, "provinces", "2023-02-23", None, None, None),
    ("mofcom_press_2023_02_23", "RMB2.11 trillion", "amount", 2.11e12, "CNY", "2022", None, None, 9.8),
    ("mofcom_press_2023_02_23", "90%", "percent", 90, "percent", "2022", "more than", None, None),
    ("mofcom_press_2023_02_23", "200,000 enterprises", "count", 200000, "enterprises", "2023-02-23", "about", None, None),
    ("mofcom_press_2023_02_23", "9,300 of them are recognized as high-tech enterprises", "count", 9300, "enterprises", "2023-02-23", "over", None, None),
]  # fmt: skip


@pytest.fixture(scope="module")
def sources() -> dict:
    return {s.id: s for s in load_registry(DEFAULT_RAW_DIR)}


@pytest.fixture(scope="module")
def texts(sources: dict) -> dict[str, str]:
    return {sid: (DEFAULT_RAW_DIR / sources[sid].path).read_text(encoding="utf-8") for sid in ARTICLES}


@pytest.fixture(scope="module")
def reference() -> tuple[pd.DataFrame, pd.DataFrame]:
    return (
        read_reference_zones(str(DEFAULT_RAW_DIR / "reference/pilot_zones_reference.csv")),
        read_reference_batches(str(DEFAULT_RAW_DIR / "reference/pilot_zone_batches_reference.csv")),
    )


@pytest.fixture(scope="module")
def figures(sources: dict, texts: dict[str, str], reference: tuple[pd.DataFrame, pd.DataFrame]) -> pd.DataFrame:
    cities = reference[0]["city"].tolist()
    return pd.concat(
        [build_reported_figures(texts[sid], sid, sources[sid].published, cities) for sid in ARTICLES], ignore_index=True
    )


@pytest.fixture(scope="module")
def mentions(sources: dict, texts: dict[str, str], reference: tuple[pd.DataFrame, pd.DataFrame]) -> pd.DataFrame:
    zones, batches = reference
    return pd.concat(
        [find_zone_mentions(texts[sid], sid, sources[sid].published, zones, batches) for sid in ARTICLES],
        ignore_index=True,
    )


def _none(value: object) -> object:
    return None if pd.isna(value) else value


def test_every_figure_of_the_four_articles(figures: pd.DataFrame, texts: dict[str, str]) -> None:
    assert len(figures) == len(FIGURES) == 40
    cursor: dict[str, int] = {}
    for row, expected in zip(figures.itertuples(), FIGURES, strict=True):
        source, printed, kind, value, unit, period, qualifier, converted, growth = expected
        text = texts[source]
        start = text.index(printed, cursor.get(source, 0))  # the next occurrence in reading order
        cursor[source] = start + 1
        assert (row.source_id, row.printed, row.kind, row.unit, row.period) == (source, printed, kind, unit, period)
        assert row.value == value and row.value >= 0
        assert (row.char_start, row.char_end) == (start, start + len(printed))
        assert text[row.quote_char_start : row.quote_char_end].find(printed) >= 0
        assert _none(row.qualifier) == qualifier
        assert (_none(row.converted_value), _none(row.converted_unit)) == (converted or (None, None))
        assert _none(row.growth_pct) == growth


def test_geography_and_subjects_of_selected_figures(figures: pd.DataFrame) -> None:
    by_printed = figures.set_index("printed")
    assert by_printed.loc["USD 49 billion", "geography"] == "Shenzhen"  # "in this zone", after "In Shenzhen"
    assert by_printed.loc["CNY 22.77 billion (USD 3.27 billion)", "geography"] == "Guangzhou"
    assert by_printed.loc["8,000 foreign trade and manufacturing enterprises", "geography"] == "Hangzhou"
    assert by_printed.loc["562,400 items", "geography"] == "Urumqi"  # "the city", named the paragraph before
    assert by_printed.loc["RMB2.11 trillion", "subject"] == "cross-border e-commerce imports and exports"
    assert (
        by_printed.loc["2.38 trillion yuan ($32.9 billion)", "subject"] == "cross-border e-commerce imports and exports"
    )
    assert by_printed.loc["33 cities", "geography"] == "China"


def test_zone_mentions_link_the_lists_of_001(mentions: pd.DataFrame) -> None:
    latest_list = mentions.loc[mentions["quote"].str.startswith("Among the latest designated areas are")]
    assert len(latest_list) == 22
    assert set(latest_list["registry_batch"]) == {3} and set(latest_list["claimed_batch"]) == {4}
    assert set(latest_list["claimed_announced_on"]) == {"2019-12-24"}  # batch 4, the newest before 2020-01-03
    assert "Xi’An" in latest_list["printed"].tolist() and "Xi'an" in latest_list["city"].tolist()
    new_three = mentions.loc[mentions["quote"].str.startswith("These new additions include")]
    assert new_three["city"].tolist() == ["Shijiazhuang", "Fuzhou", "Yantai"]
    assert new_three["zone_id"].tolist() == ["shijiazhuang-hebei", "fuzhou-fujian", "yantai-shandong"]


FINDINGS = {
    ("counts", "asiacargobuzz_2020_01_03,ref_pilot_zone_batches,ref_pilot_zones", "'24 more cross-border e-commerce zones'", "consistent"),
    ("counts", "asiacargobuzz_2020_01_03,ref_pilot_zone_batches,ref_pilot_zones", "'24 cities'", "consistent"),
    ("counts", "asiacargobuzz_2020_01_03,ref_pilot_zone_batches,ref_pilot_zones", "'three batches' as batches before the latest (2019-12)", "consistent"),
    # its period is carried from the statement two paragraphs before: an uncertain reading, which no check uses
    ("uncertain_readings", "asiacargobuzz_2020_01_03", "'35 cities' read as 35 zones (pilot_zones_before, 2019)",
     "uncertain"),
    ("counts", "asiacargobuzz_2020_01_03,ref_pilot_zone_batches,ref_pilot_zones", "'Hangzhou and other 13 zones' (14 zones)", "contradiction"),
    ("counts", "asiacargobuzz_2020_01_03,ref_pilot_zone_batches,ref_pilot_zones", "'59 cities'", "consistent"),
    ("counts", "cgtn_opinion_2024,ref_pilot_zone_batches,ref_pilot_zones", "'132 comprehensive experimental areas'", "stale"),
    ("counts", "cgtn_opinion_2024,ref_pilot_zone_batches,ref_pilot_zones", "'six batches'", "stale"),
    ("counts", "cgtn_opinion_2024,ref_pilot_zone_batches,ref_pilot_zones", "'30 provinces'", "stale"),
    ("counts", "mofcom_press_2023_02_23,ref_pilot_zone_batches,ref_pilot_zones", "'33 cities'", "consistent"),
    ("counts", "mofcom_press_2023_02_23,ref_pilot_zone_batches,ref_pilot_zones", "'number of the pilot zones to 165'", "consistent"),
    ("counts", "mofcom_press_2023_02_23,ref_pilot_zone_batches,ref_pilot_zones", "'165 integrated pilot zones'", "consistent"),
    ("counts", "mofcom_press_2023_02_23,ref_pilot_zone_batches,ref_pilot_zones", "'seven approvals'", "consistent"),
    ("counts", "mofcom_press_2023_02_23,ref_pilot_zone_batches,ref_pilot_zones", "'31 provinces'", "consistent"),
    ("city_lists", "asiacargobuzz_2020_01_03,ref_pilot_zone_batches", "Shijiazhuang, Fuzhou, Yantai", "consistent"),
    ("city_lists", "asiacargobuzz_2020_01_03,ref_pilot_zone_batches", "Shanghai, Guangzhou, Shenzhen", "contradiction"),
    ("city_lists", "asiacargobuzz_2020_01_03,ref_pilot_zone_batches", "as the first zone (batch 1): Hangzhou", "consistent"),
    ("city_lists", "asiacargobuzz_2020_01_03,ref_pilot_zone_batches", "22 are not in it (22 in batch 3)", "contradiction"),
    ("currency_conversions", "asiacargobuzz_2020_01_03,ref_cny_per_usd", "'CNY 22.77 billion (USD 3.27 billion)'", "consistent"),
    ("currency_conversions", "peoplesdaily_2018_03_19,ref_cny_per_usd", "'90.24 billion yuan ($14.32 billion)'", "consistent"),
    ("currency_conversions", "peoplesdaily_2018_03_19,ref_cny_per_usd", "'5.5 trillion yuan ($868.5 billion)'", "consistent"),
    ("currency_conversions", "cgtn_opinion_2024,ref_cny_per_usd", "10.3 times the average, a gross mismatch", "mismatch"),
    ("growth_rates", "cgtn_opinion_2024,mofcom_press_2023_02_23", "gives 12.8%, 2.8 points apart", "contradiction"),
    ("series_jumps", "paper_appendix_2020", "2004 is 5.45 times 2003 (11 -> 60 as printed)", "jump"),
    ("series_jumps", "paper_appendix_2020", "2016 is 4.82 times 2015 (122000 -> 588000 as printed)", "jump"),
    ("different_measures", "paper_appendix_2020,peoplesdaily_2018_03_19,ref_cny_per_usd", "90.24 billion yuan", "different measures"),
    ("different_measures", "paper_appendix_2020,peoplesdaily_2018_03_19,ref_cny_per_usd", "5.5 trillion yuan", "different measures"),
    (
        "different_measures",
        "asiacargobuzz_2020_01_03,peoplesdaily_2018_03_19,ref_cny_per_usd",
        "3.7 times the national",
        "contradiction",
    ),
}


@pytest.fixture(scope="module")
def findings(
    figures: pd.DataFrame, mentions: pd.DataFrame, reference: tuple[pd.DataFrame, pd.DataFrame]
) -> pd.DataFrame:
    sources = load_registry(DEFAULT_RAW_DIR)
    indicators = build_annual_indicators(parse_tables(sources, DEFAULT_RAW_DIR, "indicator_table").frame, {}, HEADERS)
    rates = pd.read_csv(DEFAULT_RAW_DIR / "reference/cny_per_usd_annual.csv")
    zones, batches = reference
    texts = {"paper_appendix_2020": (DEFAULT_RAW_DIR / "extracts/000_7a1c8b4bcb024347.txt").read_text(encoding="utf-8")}
    return all_findings(figures, mentions, batches, zones, rates, indicators, texts)


def test_every_finding(findings: pd.DataFrame) -> None:
    assert len(findings) == len(FINDINGS) == 28
    unmatched = set(FINDINGS)
    for row in findings.itertuples():
        sources = ",".join(row.source_ids)  # the quoted sources and the reference tables compared against
        match = [f for f in unmatched if f[0] == row.cross_check and f[1] == sources and f[2] in row.message]
        assert len(match) == 1, (row.cross_check, sources, row.message)
        assert match[0][3] == row.status, row.message
        unmatched.discard(match[0])
    assert unmatched == set()


def test_finding_messages_and_quotes(findings: pd.DataFrame, texts: dict[str, str]) -> None:
    conversion = findings.loc[findings["status"] == "mismatch"].iloc[0]
    assert conversion["message"] == (
        "'2.38 trillion yuan ($32.9 billion)' implies 72.34 CNY per USD; the 2023 average is 7.0467: 10.3 times "
        "the average, a gross mismatch; at the average rate the USD figure would be about 337.7 billion."
    )
    hangzhou = findings.loc[findings["message"].str.startswith("'Hangzhou and other 13 zones'")].iloc[0]
    assert hangzhou["message"] == (
        "'Hangzhou and other 13 zones' (14 zones) as zones in total (2015) says 14; the registry says 1 after batch 1; "
        "13 zones including Hangzhou is the total after batch 2 (announced 2016-01-15), later than the date claimed."
    )
    (prior,) = findings.loc[findings["message"].str.startswith("'35 cities'")].itertuples()
    assert (prior.cross_check, prior.status) == ("uncertain_readings", "uncertain")  # no count check rests on it
    assert "uncertain: the period is carried from a time named 2 paragraphs earlier." in prior.message
    stale = findings.loc[findings["message"].str.startswith("'132 comprehensive")].iloc[0]
    assert "registry says 165 after batch 7, and 132 only after batch 6" in stale["message"]
    for row in findings.itertuples():
        for quote in row.evidence:
            if quote["source_id"] in texts:
                raw = texts[quote["source_id"]][quote["char_start"] : quote["char_end"]]
                assert " ".join(raw.split()) == quote["text"]


def test_the_registry_has_every_reference_zone(reference: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    zones, batches = reference
    sources = load_registry(DEFAULT_RAW_DIR)
    rows, _ = clean_zone_table(
        parse_tables(sources, DEFAULT_RAW_DIR, "zone_table").frame, zones, load_city_mapping(), {}
    )
    registry = build_zone_registry(
        zones, batches, rows, {"hangzhou-zhejiang": {"asiacargobuzz_2020_01_03"}}, "ref_pilot_zones"
    )
    assert len(registry) == 136 and registry["zone_id"].is_unique
    assert registry.groupby("batch").size().to_dict() == {1: 1, 2: 12, 3: 22, 4: 24, 5: 46, 6: 27, 7: 4}
    taizhou = registry.loc[registry["city"] == "Taizhou"].set_index("province")
    assert taizhou.loc["Zhejiang", ["city_zh", "batch", "zone_id"]].tolist() == ["台州", 5, "taizhou-zhejiang"]
    assert taizhou.loc["Jiangsu", ["city_zh", "batch", "zone_id"]].tolist() == ["泰州", 6, "taizhou-jiangsu"]
    counties = registry.loc[registry["admin_level"] == "county-level city", "city"].tolist()
    assert sorted(counties) == ["Alashankou", "Hunchun", "Manzhouli", "Suifenhe", "Yiwu"]
    assert registry.loc[registry["city"] == "Yiwu", "province"].item() == "Zhejiang"
    assert "Jinhua" in registry["city"].tolist()  # Yiwu's parent prefecture is its own zone (batch 6)
    hangzhou = registry.set_index("zone_id").loc["hangzhou-zhejiang"]
    assert hangzhou["extent"] == "International" and hangzhou["approved_on"] == "2015-03-07"
    assert hangzhou["mentioned_in"] == ["asiacargobuzz_2020_01_03", "paper_appendix_2020"]
    assert registry["extent"].notna().sum() == 12
    lhasa = registry.set_index("city").loc["Lhasa"]
    assert (lhasa["batch"], lhasa["approved_on"], lhasa["announced_on"], lhasa["reference_confidence"]) == (
        7,
        "2022-11",
        "2022-11-24",
        "medium",
    )


def test_batches_keep_partial_dates_partial(reference: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    batches = build_zone_batches(reference[1], "ref_pilot_zone_batches").set_index("batch")
    assert batches.loc[3, ["signed_on", "signed_on_precision", "published_on", "published_on_precision"]].tolist() == [
        "2018-07-24", "day", "2018-08", "month",
    ]  # fmt: skip
    assert batches.loc[6, ["signed_on", "signed_on_precision"]].tolist() == ["2022-01", "month"]
    assert batches["zones_total"].tolist() == [1, 13, 35, 59, 105, 132, 165]
    assert batches["zones_added"].tolist() == [1, 12, 22, 24, 46, 27, 33]
    assert batches.loc[7, "names_known"] == 4
    assert batches.loc[4, "state_council_reply"] == "国函〔2019〕137号"


def test_the_zone_table_is_read_against_the_batches_it_lists(reference: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    """The appendix's zone table prints Hangzhou (batch 1, complete) and 11 of batch 2's 12 zones: Tianjin
    is not in it, and the finding names it and quotes every listed zone's row as printed."""
    from pipeline.crosscheck.table_coverage import check_table_coverage

    zones, batches = reference
    sources = load_registry(DEFAULT_RAW_DIR)
    rows, _ = clean_zone_table(
        parse_tables(sources, DEFAULT_RAW_DIR, "zone_table").frame, zones, load_city_mapping(), {}
    )
    registry = build_zone_registry(zones, batches, rows, {}, "ref_pilot_zones")
    text = (DEFAULT_RAW_DIR / "extracts/000_7a1c8b4bcb024347.txt").read_text(encoding="utf-8")
    found = check_table_coverage(registry, batches, {"paper_appendix_2020": text})
    assert [(f["finding_id"], f["status"]) for f in found] == [
        (digest("finding", "table_coverage", "paper_appendix_2020:batch1"), "consistent"),
        (digest("finding", "table_coverage", "paper_appendix_2020:batch2"), "incomplete"),
    ]
    assert [f["observation_ids"] for f in found] == [[], []]  # zones are no observations
    assert "lists 11 of the 12 zones of batch 2" in found[1]["message"]
    assert "not listed: Tianjin." in found[1]["message"]
    quoted = found[1]["evidence"]
    assert len(quoted) == 11 and quoted[0]["text"] == "shanghai International"  # as printed (its case fixed later)
    for quote in quoted:
        assert text[quote["char_start"] : quote["char_end"]].rstrip() == quote["text"]


def test_a_table_of_a_partly_named_batch_counts_the_zones_the_registry_cannot_name() -> None:
    from pipeline.crosscheck.table_coverage import check_table_coverage

    zones = pd.DataFrame(
        {"city": ["A", "B", "C"], "batch": [7, 7, 7], "table_source_id": ["t", "t", None],
         "table_line_start": [3, 5, None], "table_line_end": [3, 5, None],
         "table_char_start": [0, 2, None], "table_char_end": [1, 3, None]}
    )  # fmt: skip
    batches = pd.DataFrame({"batch": [7], "zones_added": [33], "state_council_reply": ["r"], "signed_on": ["2022-11"]})
    (only,) = check_table_coverage(zones, batches, {"t": "A\nB\n"})
    assert only["status"] == "incomplete"
    assert "lists 2 of the 33 zones of batch 7" in only["message"]
    assert "not listed: C; 30 zones of the batch are not named in the registry" in only["message"]


def test_an_article_that_yields_nothing_is_a_finding_that_says_so() -> None:
    from pipeline.crosscheck.inputs_yield import check_inputs_yield

    news = {"quiet": "\ufeffMarket notes\n\nTraders were cautious.\n", "busy": "Exports rose 5 percent.\n"}
    figures = pd.DataFrame({"source_id": ["busy"]})
    mentions = pd.DataFrame({"source_id": pd.Series([], dtype="str")})
    busy, quiet = check_inputs_yield(news, figures, mentions)
    assert (busy["finding_id"], busy["status"]) == (digest("finding", "inputs_yield", "busy"), "consistent")
    assert busy["message"] == "busy yielded 1 figure(s) and 0 zone mention(s)."
    assert (quiet["source_ids"], quiet["status"]) == (["quiet"], "yielded nothing")
    assert quiet["message"].startswith("quiet (5 words) yielded no figure and no zone mention, so no check ran on it.")
    (quote,) = quiet["evidence"]
    assert news["quiet"][quote["char_start"] : quote["char_end"]] == quote["text"] == "Market notes"
