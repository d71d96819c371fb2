"""The real appendix extract (raw/extracts/000_…txt), parsed and cleaned, against values read off the
raw text by eye: all 133 cells of the indicator table (19 years x 7 columns) and all 12 zones."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipeline.clean.indicators import build_annual_indicators
from pipeline.clean.zones import clean_zone_table
from pipeline.metadata.datasets import ANNUAL_INDICATORS
from pipeline.raw.reference import load_city_mapping, read_indicator_dictionary, read_reference_zones
from pipeline.raw.registry import load_registry
from pipeline.steps.tables import parse_tables
from tests.helpers import HEADERS

# year, total e-commerce, "National Express", cross-border market, third-party payments, advertising, penetration
PRINTED = """
2001 0.12 2.0 1000 1.6 792 3.7
2002 0.19 2.2 1700 4 903 4.6
2003 0.27 2.5 2500 11 1079 6.2
2004 0.48 2.9 3300 60 1265 7.2
2005 0.74 3.4 4300 163 1416 8.5
2006 1.3 3.8 5000 451 1573 10.5
2007 1.55 4.5 6200 935 1741 16
2008 2.9 5.5 7000 2578 1900 22.6
2009 3.6 6.1 8500 5051 2041 28.9
2010 4.55 7.1 11000 10105 2341 34.3
2011 6.09 8.4 17000 22038 3126 38.3
2012 8.11 9.4 21000 36814 4698 42.1
2013 10.4 10.2 31500 54105 5020 45.8
2014 16.39 10.6 42000 80767 5606 47.9
2015 21.79 10.8 54000 122000 5973 50.3
2016 26.1 11.1 67000 588000 6489 53.2
2017 29.16 12.1 80600 1021000 6896 55.8
2018 31.63 13.3 90000 1715000 7991 59.6
2019 34.81 14.6 105000 2262000 8674 61.2
"""
COLUMNS = [
    "year",
    "ecommerce_transactions_trillion_cny",
    "logistics_costs_trillion_cny",
    "cross_border_ecommerce_market_100m_cny",
    "third_party_mobile_payments_100m_cny",
    "advertising_turnover_100m_cny",
    "internet_penetration_pct",
]

ZONES = [
    (
        "Hangzhou",
        "Zhejiang",
        "International",
        1,
        "2015-03-07",
        "Form a set of management system and rules to global cross-border E-commerce development "
        "gradually. Provide general experiences to promote the national cross-border E-commerce. Set it "
        "as an important window of opening up and the carrier of economic transformation. Enhance the "
        "competitiveness and voice of China in foreign trade.",
    ),
    (
        "Shanghai",
        "Shanghai",
        "International",
        2,
        "2016-01-12",
        "Make the first pilot on technical standards, business processes, regulatory models and "
        "information technology of cross-border E-commerce. Guide the cross-border E-commerce to scale, "
        "standardization and clustering. Create a fair and transparent business environment for all "
        "types of companies. Explore the international standards and rules for the development of "
        "cross-border E-commerce.",
    ),
    (
        "Suzhou",
        "Jiangsu",
        "National",
        2,
        "2016-01-12",
        'Innovate the business model of "Internet + China made 2025 + independent brand international". '
        "Expand the developing space of traditional foreign trade and manufacturing enterprises through "
        'the "Internet +".',
    ),
    (
        "Ningbo",
        "Zhejiang",
        "National",
        2,
        "2016-01-12",
        "Enhance the capacity and level of cross-border E-commerce services; Form an environment of "
        "convenient facility, efficient supervision as well as normal rules gradually. Promote quality "
        "trade priority and build an upgraded version of Ningbo open economy",
    ),
    (
        "Guangzhou",
        "Guangdong",
        "National",
        2,
        "2016-01-12",
        "Build the promotion system of cross-border E-commerce in Chinese characteristics and Guangzhou elements",
    ),
    (
        "Chengdu",
        "Sichuan",
        "National",
        2,
        "2016-01-12",
        "Establish a new foreign trade system consists of cross-border E-commerce applications, "
        "cross-border B2B innovation services as well as cross-border network retail integration. "
        'Promote foreign trade growth mode from the "domestic capacity-driven" to "outside '
        'demand-driven", from "outside demand-driven" to "China\'s manufacturing transformation and '
        'upgrading". Promote the structural reform of the supply side, and cultivate new impetus to '
        "foreign trade.",
    ),
    (
        "Hefei",
        "Anhui",
        "Region",
        2,
        "2016-01-12",
        "Highlight the safety of brand and quality. Efforts to crack the development of cross-border "
        "E-commerce problems. Strive to cultivate a new engine of foreign trade transformation and "
        "upgrading, a new high economic development",
    ),
    (
        "Chongqing",
        "Chongqing",
        "Region",
        2,
        "2016-01-12",
        "Form a cross-border E-commerce industry chain and the ecological chain. Form a management system "
        "and rules adapted to cross-border E-commerce. Provide the replicable and generalizable "
        "experience for other country's inland areas",
    ),
    (
        "Zhengzhou",
        "Henan",
        "Region",
        2,
        "2016-01-12",
        "Form a complete cross-border E-commerce industry chain and ecological circle, to create a new "
        "trade service chain. Improve the rules of cross-border E-commerce; enrich the development model "
        "in Chinese features. Stimulate public entrepreneurship, innovation and vitality; cultivate new "
        "advantages of foreign trade competition.",
    ),
    (
        "Shenzhen",
        "Guangdong",
        "Region",
        2,
        "2016-01-12",
        "Promote the development of E-commerce by building platforms to form a new mechanism to "
        "coordinate basic services and high-level service. Create a new situation in international "
        'cooperation in E-commerce to serve the strategy of "The Belt and Road".',
    ),
    (
        "Dalian",
        "Liaoning",
        "Region",
        2,
        "2016-01-12",
        "Make the first pilot on regulatory models, technical standards business processes, and "
        "information technology of cross-border E-commerce. Explore replication and promotion "
        "experiences to achieve a breakthrough of cross-border E-commerce in Dalian.",
    ),
    (
        "Qingdao",
        "Shandong",
        "Region",
        2,
        "2016-01-12",
        "Build the industrial chain and ecological circle of cross-border E-commerce in Qingdao. Promote "
        "new formats, foreign trade as well as industry development. Establish the cross-border "
        "E-commerce trading system and operational mechanism at the global level.",
    ),
]

APPENDIX_ID = "paper_appendix_2020"


@pytest.fixture(scope="module")
def raw() -> Path:
    from pipeline.settings import DEFAULT_RAW_DIR

    return DEFAULT_RAW_DIR


@pytest.fixture(scope="module")
def indicators(raw: Path) -> pd.DataFrame:
    sources = [
        s for s in load_registry(raw) if s.id == APPENDIX_ID or s.kind == "reference_table"
    ]  # the appendix alone (and the references)
    outcome = parse_tables(sources, raw, "indicator_table")
    assert outcome.failures == []
    return build_annual_indicators(outcome.frame, {}, HEADERS)


@pytest.fixture(scope="module")
def zones(raw: Path) -> tuple[pd.DataFrame, list]:
    sources = [
        s for s in load_registry(raw) if s.id == APPENDIX_ID or s.kind == "reference_table"
    ]  # the appendix alone (and the references)
    outcome = parse_tables(sources, raw, "zone_table")
    assert outcome.failures == []
    return clean_zone_table(
        outcome.frame,
        read_reference_zones(str(raw / "reference/pilot_zones_reference.csv")),
        load_city_mapping(),
        {},
    )


def test_all_133_indicator_cells(indicators: pd.DataFrame) -> None:
    expected = [[float(v) for v in line.split()] for line in PRINTED.strip().splitlines()]
    actual = indicators[COLUMNS].to_numpy().tolist()
    assert len(actual) == 19 and sum(len(r) for r in actual) == 133
    assert actual == expected  # exact: each value is float(printed text)
    assert indicators["year"].tolist() == list(range(2001, 2020))


def test_indicator_provenance_points_at_the_printed_row(raw: Path, indicators: pd.DataFrame) -> None:
    text = (raw / "extracts/000_7a1c8b4bcb024347.txt").read_text(encoding="utf-8")
    row = indicators.loc[indicators["year"] == 2019].iloc[0]
    assert row["source_id"] == "paper_appendix_2020"
    assert row["line"] == 58
    assert text[row["char_start"] : row["char_end"]] == "2019 34.81 14.6 105000 2262000 8674 61.2"
    assert row["parse_rule"] == "indicator_table/v2"


def test_rebuilt_headers_match_the_indicator_dictionary(raw: Path) -> None:
    appendix = [s for s in load_registry(raw) if s.id == APPENDIX_ID or s.kind == "reference_table"]
    cells = parse_tables(appendix, raw, "indicator_table").frame
    headers = cells.drop_duplicates("column_index")["header"].tolist()
    dictionary = read_indicator_dictionary(raw / "reference/indicator_dictionary.csv")
    assert headers == dictionary["raw_header"].tolist()
    assert headers[0] == "Total e-commerce" and headers[3] == "China Third-Partv"


def test_all_12_zones(zones: tuple[pd.DataFrame, list]) -> None:
    frame, _ = zones
    actual = list(frame[["city", "province", "extent", "objectives"]].itertuples(index=False, name=None))
    expected = [(c, p, e, o) for c, p, e, _, _, o in ZONES]
    assert actual == expected


def test_zone_provenance_and_corrections(raw: Path, zones: tuple[pd.DataFrame, list]) -> None:
    frame, corrections = zones
    text = (raw / "extracts/000_7a1c8b4bcb024347.txt").read_text(encoding="utf-8")
    hefei = frame.loc[frame["city"] == "Hefei"].iloc[0]
    assert (hefei["table_line_start"], hefei["table_line_end"]) == (148, 158)
    assert text[hefei["table_char_start"] :].startswith("Hefei Region")
    by_rule: dict[str, int] = {}
    for c in corrections:
        by_rule[c.rule] = by_rule.get(c.rule, 0) + 1
        assert c.source_id == "paper_appendix_2020"
    assert by_rule == {
        "city_name_case": 1,
        "city_name_ocr": 1,
        "inline_page_number": 1,
        "spaced_hyphen": 1,
        "line_break_hyphen_kept": 5,
    }
    page = next(c for c in corrections if c.rule == "inline_page_number")
    assert text[page.char_start : page.char_end] == " 20 20" and page.line == 154
    ocr = next(c for c in corrections if c.rule == "city_name_ocr")
    assert (ocr.before, ocr.after, ocr.line) == ("Chongwing", "Chongqing", 160)
    assert text[ocr.char_start : ocr.char_end] == "Chongwing"
    spaced = next(c for c in corrections if c.rule == "spaced_hyphen")
    assert text[spaced.char_start - 5 : spaced.char_end + 6] == "cross - border"


def test_declared_units_and_headers_agree_with_the_indicator_dictionary(raw: Path) -> None:
    dictionary = read_indicator_dictionary(raw / "reference/indicator_dictionary.csv")
    assert dictionary.loc[2, "meaning"].startswith("cross-border e-commerce market scale (transaction scale")
    assert "an industry estimate, not the customs figure)" in dictionary.loc[2, "meaning"]
    declared = {f.raw_header: f.unit for f in ANNUAL_INDICATORS.fields if f.raw_header}
    assert declared == dict(zip(dictionary["raw_header"], dictionary["unit"], strict=True))
