"""What a figure means (#13): ranges, fractions, multiples, declines, counts of any noun, the measure and the
zone role, the place, the claim id and an uncertain reading, on sentences written for these tests."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipeline.clean import measures
from pipeline.clean.figures import build_reported_figures
from pipeline.crosscheck.counts import check_counts
from pipeline.crosscheck.uncertain_readings import check_uncertain_readings
from pipeline.raw.reference import read_reference_batches, read_reference_zones
from pipeline.settings import DEFAULT_RAW_DIR

CITIES = ["Hangzhou", "Ningbo", "Shenzhen", "Beijing", "Zhuhai"]


def build(text: str, published: str = "2024-01-12") -> pd.DataFrame:
    return build_reported_figures(text, "news_t", published, CITIES)


def rows(text: str, *columns: str, published: str = "2024-01-12") -> list[tuple[object, ...]]:
    frame = build(text, published)
    return [tuple(None if pd.isna(v) else v for v in r) for r in frame[list(columns)].itertuples(index=False)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Analysts expect margins of 10-15 percent.", ("10-15 percent", 10.0, 15.0, "percent")),
        ("Analysts put the market at between 380 billion and 400 billion yuan.",
         ("between 380 billion and 400 billion yuan", 380e9, 400e9, "CNY")),
        ("Forwarders quoted 30-35 yuan per kilogram.", ("30-35 yuan", 30.0, 35.0, "CNY")),
        ("Exports grew from 10 to 15 percent of sales.", ("15 percent", 15.0, None, "percent")),  # a change, no range
    ],
)  # fmt: skip
def test_a_range_has_both_bounds(text: str, expected: tuple[object, ...]) -> None:
    assert rows(text, "printed", "value", "value_high", "unit")[-1] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Guangdong handled more than one-third of the national total.", ("one-third", "percent", 33.33)),
        ("Mainland shoppers bought nearly a fifth of the goods.", ("a fifth", "percent", 20.0)),
        ("She cut air-mail shipments by half.", ("half", "growth", -50.0)),
        ("Sales of imported goods had tripled.", ("tripled", "ratio", 3.0)),
        ("Imports were more than double the previous year's level.", ("double", "ratio", 2.0)),
        ("Sea freight rates are roughly five times the level of a year earlier.", ("five times", "ratio", 5.0)),
    ],
)
def test_fractions_and_multiples(text: str, expected: tuple[object, ...]) -> None:
    assert rows(text, "printed", "kind", "value")[-1] == expected


def test_the_hedge_of_a_fraction_is_its_qualifier() -> None:
    assert rows("Guangdong handled more than one-third of the total.", "qualifier") == [("more than",)]


@pytest.mark.parametrize(
    "text",
    [
        "Sales peaked in the first half of the year.",
        "The rule applies for half a year.",
        "It grew in the third quarter.",
    ],
)
def test_parts_of_a_year_are_no_fractions(text: str) -> None:
    assert build(text).empty


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Imports fell by roughly 70 billion yuan.", ("70 billion yuan", -70e9)),
        ("She had cut her workforce by 15, to 25 people.", ("15", -15.0)),
        ("Exports edged down 2.7 percent.", ("2.7 percent", -2.7)),
        ("The gap narrowed by 3 percentage points.", ("3 percentage points", -3.0)),
    ],
)
def test_declines_are_negative(text: str, expected: tuple[object, ...]) -> None:
    assert rows(text, "printed", "value")[0] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The city has 2,500 overseas warehouses.", ("2,500 overseas warehouses", "warehouses", "overseas_warehouses")),
        ("Shenzhen is home to 150,000 cross-border e-commerce sellers.",
         ("150,000 cross-border e-commerce sellers", "sellers", "enterprises")),
        ("The hub handled 6.9 billion inbound and outbound parcels.",
         ("6.9 billion inbound and outbound parcels", "parcels", "parcels")),
        ("A dozen Ningbo forwarders signed leases.", ("A dozen Ningbo forwarders", "forwarders", "enterprises")),
        ("Trains reached 29 countries and regions.", ("29 countries", "countries", "other")),
        ("It employs 35 employees.", ("35 employees", "employees", "employment")),
    ],
)  # fmt: skip
def test_a_count_counts_any_plural_noun(text: str, expected: tuple[object, ...]) -> None:
    assert rows(text, "printed", "unit", "measure") == [expected]


@pytest.mark.parametrize(
    "text",
    [
        'The zones shall adopt the "six systems and two platforms" framework.',  # a name
        "Zhao Lei, 39, runs a shop.",  # an age
        "When the 11.11 banners go up, sales start.",  # a festival
        "Goods declared under the 9710 and 9810 codes grew.",  # labels
        "The ten largest operators control the market.",  # a rank
        "Call 12315 at 8 pm.",  # a phone number and a time
        "The pilot zones have three features.",  # what a text enumerates
    ],
)
def test_numbers_that_are_no_figures(text: str) -> None:
    assert build(text).empty, build(text)[["printed", "kind"]].to_dict("records")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The State Council approved 46 new pilot zones.", ("pilot_zones_added", "added")),
        ("This brings the total number of such zones nationwide to 105.", ("pilot_zones_total", "total")),
        ("Before this round, 59 cities had been approved as pilot zones.", ("pilot_zones_before", "before")),
        ("The number of pilot zones rose from 59 to 105.", ("pilot_zones_before", "before")),
        ("China has set up 165 comprehensive pilot zones.", ("pilot_zones_total", "total")),
        # a batch's count before the total its clause goes on to (both were read as totals)
        ("The State Council approved pilot zones in 46 cities and regions, bringing the total nationwide to 105.",
         ("pilot_zones_added", "added")),
        ("Yueyang is one of the 46 cities approved in the fifth batch of pilot zones.", ("pilot_zones_added",
                                                                                         "added")),
        ("China now has 165 pilot zones, 33 of them added in the seventh batch.", ("pilot_zones_total", "total")),
    ],
)
def test_a_count_of_zones_says_whether_it_is_a_total_an_increment_or_the_number_before(
    text: str, expected: tuple[str, str]
) -> None:
    assert rows(text, "measure", "zone_count_role")[0] == expected


def test_the_part_of_a_total_added_in_a_batch_is_its_increment() -> None:
    got = rows("China now has 165 pilot zones, 33 of them added in the seventh batch.", "measure", "zone_count_role")
    assert got == [("pilot_zones_total", "total"), ("pilot_zones_added", "added")]


def test_measures_of_amounts_shares_and_growth() -> None:
    text = (
        "Cross-border e-commerce imports and exports reached 2.38 trillion yuan. Exports stood at 1.83 trillion "
        "yuan, while imports grew a more modest 3.9 percent to 548.3 billion yuan. Total goods trade edged up "
        "0.2 percent to 41.76 trillion yuan, and cross-border e-commerce made up 5.7 percent of that total. "
        "The cap on a single purchase is 5,000 yuan."
    )
    assert rows(text, "printed", "measure", "growth_pct") == [
        ("2.38 trillion yuan", "cross_border_ecommerce_trade_value", None),
        ("1.83 trillion yuan", "cross_border_ecommerce_exports", None),
        ("548.3 billion yuan", "cross_border_ecommerce_imports", 3.9),  # "grew a more modest 3.9 percent to"
        ("41.76 trillion yuan", "foreign_trade_value", 0.2),
        ("5.7 percent", "share_of_trade", None),
        ("5,000 yuan", "other", None),  # a cap, no volume of trade
    ]


def test_every_measure_has_a_definition_and_the_vocabulary_ends_with_other() -> None:
    rules = measures.measure_rules()
    assert rules[-1].measure == "other" and all(r.definition for r in rules)
    assert {"cross_border_ecommerce_trade_value", "ecommerce_market_value", "pilot_zones_added"} <= {
        r.measure for r in rules
    }


def test_a_broken_vocabulary_row_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "figure_measures.csv"
    path.write_text("measure,kinds,units,pattern,definition\nshares,percent,*,(unclosed,A share.\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"figure_measures.csv:2: pattern '\(unclosed' of shares is no regular"):
        measures.measure_rules(path)


@pytest.mark.parametrize(
    ("text", "geography"),
    [
        ("BEIJING, Jan. 14 (Xinhua) -- Exports reached 2 trillion yuan in 2025.", "China"),  # a dateline
        ("A Beijing-based think tank put exports at 2 trillion yuan.", "China"),  # an origin, not the subject
        ("The Hong Kong-Zhuhai-Macau Bridge is 55 kilometres long.", "China"),  # a name
        ("The briefing was held at the press hall, No. 9 Yan'an Road, Hangzhou. Exports reached 2 trillion yuan.",
         "China"),  # an address
        ("At a forum held in Ningbo, officials said exports reached 2 trillion yuan.", "China"),  # a venue
        # a market goods go to is no place of the figure: a flow out of China is China's (its market is in the
        # subject), as the corpus's authors write it; what is located in a market is that market's
        ("Exports to the United States slid 9.5 percent.", "China"),
        ("Zhejiang's shipments bound for Europe rose 12 percent.", "Zhejiang"),
        ("Africa-bound online sales hit 96 billion yuan.", "China"),
        ("Sellers run 1,100 overseas warehouses in Europe.", "Europe"),
        ("Shenzhen's share of the national total rose to 15.2 percent.", "Shenzhen"),
        ("Zhejiang ranked second at 527.6 billion yuan.", "Zhejiang"),  # a province of the gazetteer
        ("Ningbo and Hangzhou together handled 1.2 million tonnes.", "Ningbo"),  # the first of a coordination
    ],
)
def test_geography(text: str, geography: str) -> None:
    assert build(text).geography.tolist()[-1] == geography



@pytest.mark.parametrize(
    ("text", "geography"),
    [
        # the firm the article is about, introduced with its home: its figures are that home's
        ("Report\n\nHANGZHOU, May 2 -- Lumora Pay (LMP.HK), the Hangzhou-headquartered payment firm, processed "
         "US$2 billion last year. Revenue rose 20 percent to 90 million yuan.", ["Hangzhou", "Hangzhou"]),
        # a source with its home is no subject: national figures stay national
        ("Report\n\nExports reached 2 trillion yuan, said Li Wei, a Shenzhen-based analyst. Imports rose 3 "
         "percent to 1 trillion yuan.", ["China", "China"]),
        # the firm named as the object with its home in a definite appositive; "-listed" is a home too
        ("Report\n\nHaixin raised its target on Lingxi Cloud (2517.HK), the Shenzhen-based developer of seller "
         "software, to HK$14.60. Revenue rose 24 percent to RMB 2.31 bn.", ["Shenzhen", "Shenzhen"]),
        ("Report\n\nBrightpeak Commerce, the Hong Kong-listed seller group, said revenue fell 6.8 per cent to "
         "US$1.18bn. Net profit slid to RMB 212 million.", ["Hong Kong", "Hong Kong"]),
        # but not a source's
        ("Report\n\nExports reached 2 trillion yuan, said Li Wei of Nanfang (NF.SZ), the Shenzhen-based broker. "
         "Imports rose 3 percent to 1 trillion yuan.", ["China", "China"]),
    ],
)
def test_a_company_introduced_with_its_home_is_where_its_figures_are(text: str, geography: list[str]) -> None:
    assert build(text, "2024-05-02").geography.tolist() == geography

def test_a_headline_restated_in_the_body_is_one_claim_with_the_bodys_period() -> None:
    text = (
        "Shenzhen trade passes 200 billion yuan in first half\n\n"
        "SHENZHEN, July 15 (Xinhua) -- Trade in Shenzhen reached 200 billion yuan in the first half of 2025.\n"
    )
    frame = build(text, "2025-07-15")
    assert frame.period.tolist() == ["2025", "2025"]
    assert frame.period_basis.tolist() == ["restated", "attached"]
    first, body = frame.claim_id.tolist()
    assert first == body and frame.claim_id.str.fullmatch(r"[0-9a-f]{16}").all()


@pytest.mark.parametrize(
    ("text", "headline"),
    [
        # a headline's growth is the body's growth of an amount
        ("Zhejiang's online exports jump 47.5 pct\n\nIn 2020 the province's online exports rose 47.5 percent to 104 "
         "billion yuan.", "47.5 pct"),
        # a headline rounds the body's number
        ("Trovia's quarterly revenue tops US$3.1 billion\n\nIn the second quarter of 2024 revenue reached US$3.12 "
         "billion.", "US$3.1 billion"),
    ],
)
def test_a_headline_restated_in_other_words_takes_the_bodys_period(text: str, headline: str) -> None:
    row = build(text, "2024-08-22").set_index("printed").loc[headline]
    assert (row.period, row.period_basis) == ("2020" if "47.5" in headline else "2024", "restated")
    # a number that is no rounding of the body's stays dated by the publication
    other = build(text.replace("3.12", "3.32").replace("47.5 percent", "41.5 percent"), "2024-08-22")
    assert other.set_index("printed").loc[headline, "period_basis"] != "restated"


def test_claim_ids_survive_an_edit_elsewhere_in_the_file() -> None:
    text = "Exports reached 3 billion yuan in 2019. Imports fell 2 percent in 2019."
    edited = "A new opening sentence. " + text.replace("Imports fell", "Imports, however, fell")
    assert build(text).claim_id.tolist() == build(edited).claim_id.tolist()


def test_an_uncertain_reading_is_a_finding_and_no_count_check_rests_on_it() -> None:
    text = (
        "The number of comprehensive pilot zones has grown fast. Officials were upbeat.\n\n"
        "By the end of the year it reached 300, the ministry said."
    )
    frame = build(text, "2019-01-01")
    (figure,) = frame.itertuples()
    assert (figure.printed, figure.unit, figure.value) == ("300", "zones", 300.0)
    assert figure.uncertainty == "the number stands alone; its noun (zones) is read from an earlier sentence"
    zones = read_reference_zones(str(DEFAULT_RAW_DIR / "reference/pilot_zones_reference.csv"))
    batches = read_reference_batches(str(DEFAULT_RAW_DIR / "reference/pilot_zone_batches_reference.csv"))
    assert check_counts(frame, batches, zones) == []  # 300 zones would contradict the registry: not on a guess
    (finding,) = check_uncertain_readings(frame)
    assert finding["status"] == "uncertain"
    assert finding["message"].startswith(
        "'300' read as 300 zones (pilot_zones_total, 2018-12) is uncertain: the number stands alone"
    )


def test_bonded_warehouses_at_home_are_logistics_capacity_not_overseas_warehouses() -> None:
    rows = build("The city has 46 bonded warehouses; 12 are in the airport zone.").set_index("printed")
    assert rows.loc["46 bonded warehouses", "measure"] == "logistics_capacity"
    assert rows.loc["12", "unit"] == "warehouses"  # a list goes on after a semicolon
    assert build("Chinese firms run 2,500 overseas warehouses.").iloc[0].measure == "overseas_warehouses"


@pytest.mark.parametrize(
    ("text", "geography"),
    [
        # places of the committed gazetteer (data): "Laos", "Hungary", "Central Asia"
        ("Vietnam was the biggest partner at 4.1 billion yuan, and Laos took 1.2 billion yuan.", "Laos"),
        ("The site in Hungary employs 420 people.", "Hungary"),
        # every market of a list goods go to is a destination, not the figure's place
        ("Zhejiang's shipments to Kazakhstan, Uzbekistan and Kyrgyzstan rose 34 percent.", "Zhejiang"),
    ],
)
def test_places_of_the_gazetteer_and_lists_of_destinations(text: str, geography: str) -> None:
    assert build(text).geography.tolist()[-1] == geography


def test_a_province_s_count_of_zones_is_the_province_s_and_a_total() -> None:
    rows = build("Henan has five pilot zones, up from three before the sixth batch. Nationwide there are 165 such "
                 "zones.").set_index("printed")
    assert rows.loc["five pilot zones", ["geography", "zone_count_role"]].tolist() == ["Henan", "total"]
    assert rows.loc["three", "zone_count_role"] == "before"
    assert rows.loc["165 such zones", "geography"] == "China"
    # zones approved in a list of cities stay national
    row = build("The State Council approved pilot zones in 22 cities, including Beijing and Hohhot.").iloc[0]
    assert row.geography == "China"


def test_a_place_the_text_excludes_is_not_the_figure_s() -> None:
    row = build("Outside Guangdong, Fujian had 3,000 sellers.").iloc[0]
    assert (row.printed, row.geography) == ("3,000 sellers", "Fujian")
