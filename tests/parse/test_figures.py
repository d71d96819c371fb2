"""extract_figures and its helpers on short English-news paragraphs written for these tests.

Every expected value is exact.
"""

from __future__ import annotations

import re

import pytest

from pipeline.parse.figures import RawFigure, extract_figures, flatten, number, paragraphs, sentences


def only(text: str) -> RawFigure:
    """The single figure of ``text``."""
    found = extract_figures(text)
    assert len(found) == 1, [(f.kind, f.value, f.unit, text[f.start : f.end]) for f in found]
    return found[0]


def printed(text: str, figure: RawFigure) -> str:
    return " ".join(text[figure.start : figure.end].split())


def summary(text: str) -> list[tuple[str, float, str, str]]:
    return [(f.kind, f.value, f.unit, printed(text, f)) for f in extract_figures(text)]


# --- percent and percentage points ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "shown"),
    [
        ("Online retail sales rose 12.5 per cent to a record high.", 12.5, "12.5 per cent"),
        ("Parcel volumes grew 3 percent last year.", 3.0, "3 percent"),
        ("About 80% of the goods are shipped by air.", 80.0, "80%"),
        ("Returns were 4 Percent of orders.", 4.0, "4 Percent"),
        ("The share reached 21.8 % of the total.", 21.8, "21.8 %"),
    ],
)
def test_percent_forms(text: str, value: float, shown: str) -> None:
    figure = only(text)
    assert (figure.kind, figure.value, figure.unit, printed(text, figure)) == ("percent", value, "percent", shown)


@pytest.mark.parametrize(
    "text",
    ["The export share was 15.4 percentage points higher than in 2019.", "It rose 1 percentage point."],
)
def test_percentage_points_are_not_percent(text: str) -> None:
    figure = only(text)
    assert figure.kind == "points"
    assert figure.unit == "percentage points"
    assert printed(text, figure).endswith(("percentage points", "percentage point"))


# --- money ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit", "shown"),
    [
        ("Bonded imports hit RMB2.11 trillion last year.", 2110000000000.0, "CNY", "RMB2.11 trillion"),
        ("The start-up raised $3.88 million from investors.", 3880000.0, "USD", "$3.88 million"),
        ("A deal worth US$1.5 billion was signed.", 1500000000.0, "USD", "US$1.5 billion"),
        ("Exports reached 5.6 trillion yuan.", 5600000000000.0, "CNY", "5.6 trillion yuan"),
        ("Sales totalled ¥500 million.", 500000000.0, "CNY", "¥500 million"),
        ("The fund holds 3.2 billion US dollars.", 3200000000.0, "USD", "3.2 billion US dollars"),
        ("Each parcel is taxed 1,250 yuan.", 1250.0, "CNY", "1,250 yuan"),
        ("Revenue was 3.5 bn yuan.", 3500000000.0, "CNY", "3.5 bn yuan"),
    ],
)
def test_money_amounts(text: str, value: float, unit: str, shown: str) -> None:
    figure = only(text)
    assert (figure.kind, figure.value, figure.unit, printed(text, figure)) == ("amount", value, unit, shown)
    assert figure.converted_value is None
    assert figure.converted_unit is None


@pytest.mark.parametrize(
    ("text", "value", "unit", "converted"),
    [
        ("Trade reached CNY 22.77 billion (USD 3.27 billion) last year.", 22770000000.0, "CNY", 3270000000.0),
        ("Imports were 90.24 billion yuan ($14.32 billion) in 2021.", 90240000000.0, "CNY", 14320000000.0),
        ("Trade hit 22.77 billion yuan (US$3.27 billion).", 22770000000.0, "CNY", 3270000000.0),
    ],
)
def test_printed_conversion_is_one_figure(text: str, value: float, unit: str, converted: float) -> None:
    figure = only(text)  # no separate USD figure for the bracket
    assert (figure.kind, figure.value, figure.unit) == ("amount", value, unit)
    assert figure.converted_value == converted
    assert figure.converted_unit == "USD"
    assert text[figure.end - 1] == ")"


def test_no_negative_numbers_from_hyphens_dates_and_ranges() -> None:
    # a date or a range gives no negative number; a sign printed before a number does (it was dropped, #13)
    text = (
        "On 2023-02-23 the 2019-2020 report said prices changed by -5 percent, "
        "while exports were 7 billion yuan and 40 enterprises joined, 10-15 percent more."
    )
    assert summary(text) == [
        ("percent", -5.0, "percent", "-5 percent"),
        ("amount", 7000000000.0, "CNY", "7 billion yuan"),
        ("count", 40.0, "enterprises", "40 enterprises"),
        ("percent", 10.0, "percent", "10-15 percent"),
    ]


@pytest.mark.parametrize(
    ("text", "value", "shown"),
    [
        ("Exports were minus 3.2 percent in December.", -3.2, "minus 3.2 percent"),
        ("Profit growth was -2.1% in the quarter.", -2.1, "-2.1%"),
        ("Imports changed by \u22124.5 percent.", -4.5, "\u22124.5 percent"),
        ("Exports fell minus 3 percent.", -3.0, "minus 3 percent"),  # the printed sign, not the verb's twice
        ("Revenue was 3.5pc higher.", 3.5, "3.5pc"),
    ],
)
def test_printed_signs_and_pc(text: str, value: float, shown: str) -> None:
    figure = only(text)
    assert (figure.value, printed(text, figure)) == (value, shown)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a list goes on counting what the number before it counts
        ("The group handled 412 million parcels, against 296 million in 2017.",
         [("count", 412000000.0, "parcels", "412 million parcels"), ("count", 296000000.0, "parcels", "296 million")]),
        ("Sellers rose from 2,800 sellers in 2017 to 4,500 a year later and 6,900 by December 2019.",
         [("count", 2800.0, "sellers", "2,800 sellers"), ("count", 4500.0, "sellers", "4,500"),
          ("count", 6900.0, "sellers", "6,900")]),
        # labels and names are no counts
        ("Bonded imports under the 1210 customs model fell.", []),
        ("Exports declared under codes 9710 and 9810 rose.", []),
        ("Liu is a columnist.\n\nHer book, Ten Thousand Carts, is published by Harbour Press.", []),
        ("China Approves 27 New Pilot Zones\n\nThe State Council approved them.",
         [("count", 27.0, "zones", "27 New Pilot Zones")]),  # a headline in title case states its figure
        ("Nearly two in five respondents said so.", [("percent", 40.0, "percent", "two in five")]),
        ("Three in ten shoppers buy abroad.", [("percent", 30.0, "percent", "Three in ten")]),
        ("Sales rose 2 in 2023.", []),  # no share of a year
        ("It ended its 800-dollar duty-free threshold.", [("amount", 800.0, "USD", "800-dollar")]),
        ("Couriers handled 11.06 billion parcels in 2022, of which 2.1 billion were international.",
         [("count", 11060000000.0, "parcels", "11.06 billion parcels"),
          ("count", 2100000000.0, "parcels", "2.1 billion")]),
        # the head of a compound noun, and "rebounded" is a change
        ("Imported-goods shoppers rebounded to 163 million over the year.",
         [("count", 163000000.0, "shoppers", "163 million")]),
        # a number listed before a count counts what it counts; a count of a compound noun has its head; "between"
        ("Alashankou and Horgos handled 6,374 and 5,012 China-Europe freight trains respectively.",
         [("count", 6374.0, "trains", "6,374"), ("count", 5012.0, "trains", "5,012 China-Europe freight trains")]),
        ("Chengdu ran 4,800 China-Europe freight train trips.",
         [("count", 4800.0, "trips", "4,800 China-Europe freight train trips")]),
        ("It has between 1,200 and 1,500 employees.",
         [("count", 1200.0, "employees", "between 1,200 and 1,500 employees")]),
        # "k out of n" is a share (it was read as a count of ten shoppers); short scales; "topped"
        ("Four out of ten shoppers bought abroad.", [("percent", 40.0, "percent", "Four out of ten")]),
        ("Volumes reached 3.2m parcels and the firm employs 1.2k people.",
         [("count", 3200000.0, "parcels", "3.2m parcels"), ("count", 1200.0, "people", "1.2k people")]),
        ("The site has 4.5m square metres.", [("measure", 4500000.0, "square metres", "4.5m square metres")]),
        ("The fee is $5k per seller.", [("amount", 5000.0, "USD", "$5k")]),
        ("A 5m wall.", []),
        ("Orders topped 10,000 a day.", [("count", 10000.0, "orders", "10,000")]),
        # a part of what a noun counts, "Of these, ...", and "their number" carried from an earlier bare count
        ("Nine of the new zones are in the west, and six are in the northeast.",
         [("count", 9.0, "zones", "Nine"), ("count", 6.0, "zones", "six")]),
        ("A dozen of the 165 zones set up centres.",
         [("count", 12.0, "zones", "A dozen"), ("count", 165.0, "zones", "165 zones")]),
        ("One of the zones is in Xi'an. Two of the reasons are cost.", []),
        ("Firms ran 118 overseas warehouses. Of these, 31 opened this year and 52 are in Mexico.",
         [("count", 118.0, "warehouses", "118 overseas warehouses"), ("count", 31.0, "warehouses", "31"),
          ("count", 52.0, "warehouses", "52")]),
        ("Chinese sellers numbered about 62,000 at the end of 2024. By March, their number had reached 68,000.",
         [("count", 62000.0, "sellers", "62,000"), ("count", 68000.0, "sellers", "68,000")]),
        # "their number" is of the count just named, a bare one too, not of a count sentences before it
        ("Firms ran 2,500 overseas warehouses. Chinese sellers numbered 62,000 at the end of 2024. By the end of "
         "March, their number had reached 68,000.",
         [("count", 2500.0, "warehouses", "2,500 overseas warehouses"), ("count", 62000.0, "sellers", "62,000"),
          ("count", 68000.0, "sellers", "68,000")]),
        ("The review covered 132 zones. Of the 132 assessed, 87 were rated good, 14 qualified and nine were not.",
         [("count", 132.0, "zones", "132 zones"), ("count", 132.0, "zones", "132"), ("count", 87.0, "zones", "87"),
          ("count", 14.0, "zones", "14"), ("count", 9.0, "zones", "nine")]),
        ("Flights between Chinese airports and Central Asia reached 64 a week, against 37 a year earlier, and 12 "
         "new air routes opened.", [("count", 64.0, "flights", "64"), ("count", 37.0, "flights", "37"),
                                    ("count", 12.0, "air routes", "12 new air routes")]),
        ("Zhejiang and Henan reported 156 billion and 98.7 billion yuan, respectively.",
         [("amount", 156e9, "CNY", "156 billion"), ("amount", 98.7e9, "CNY", "98.7 billion yuan")]),
        ("Capacity remains 35 percent below pre-pandemic levels.", [("percent", -35.0, "percent", "35 percent")]),
        # numbers the text uses as labels elsewhere, ages, a spelled-out number in a document's title
        ("A consultancy put total 618 sales at 798.8 billion yuan. The 618 festival is over.",
         [("amount", 798.8e9, "CNY", "798.8 billion yuan")]),
        ("Customs already counts 9610 retail shipments under the 9610 retail customs code.", []),
        ("It handled 618 parcels.", [("count", 618.0, "parcels", "618 parcels")]),
        ("My father, who at 71 still buys everything on Taobao, asked me.", []),
        ("It employs 260 workers, said manager Aziz Tursun, 38. Most goes to Uzbekistan.",
         [("count", 260.0, "workers", "260 workers")]),
        ("Notice of the Department of Commerce on Ten Measures to Stabilise Trade\n\nThe department said.", []),
        ("Parcels rose 20 percent year on year to 5.6 billion in 2023.",
         [("count", 5.6e9, "parcels", "5.6 billion")]),  # the rate is the count's growth
        ("It has some 3,000-plus sellers and 500+ buyers.",
         [("count", 3000.0, "sellers", "3,000-plus sellers"), ("count", 500.0, "buyers", "500+ buyers")]),
        ("Sales have grown by an average of 12 percent a year since 2018.",
         [("percent", 12.0, "percent", "12 percent")]),
        # fractions and shares as subjects and at a sentence's end; "twice as many"
        ('"Half the pallets we build are e-commerce," he said.', [("percent", 50.0, "percent", "Half")]),
        ("Half the time it rains.", []),
        ("In 2014 it was one in ten.", [("percent", 10.0, "percent", "one in ten")]),
        ("The region will deliver two in five, says Chen.", [("percent", 40.0, "percent", "two in five")]),
        ("It found that a quarter regularly split orders.", [("percent", 25.0, "percent", "a quarter")]),
        ("It trained 6,800 hosts, twice as many as in 2020.",
         [("count", 6800.0, "hosts", "6,800 hosts"), ("ratio", 2.0, "times", "twice")]),
        # misreadings a review found in the rules above, on plain sentences (#13)
        ("Platform commissions are 5%-10% of the sale price.", [("percent", 5.0, "percent", "5%-10%")]),  # no -10
        ("Tariffs of 25%\u2013145% hit Chinese goods.", [("percent", 25.0, "percent", "25%\u2013145%")]),
        ("The company's revenue--12 percent of which came from exports--rose to 3 billion yuan.",
         [("amount", 3000000000.0, "CNY", "3 billion yuan")]),
        ("The survey's margin of error is plus or minus 3 percentage points.",
         [("points", 3.0, "percentage points", "3 percentage points")]),
        ("Sellers receive the retail price minus 15 percent in fees.", [("percent", 15.0, "percent", "15 percent")]),
        ("Temu opened warehouses in Europe, three in six months.", []),
        ("The 2022 dollar rally hurt exporters.", []),
        ("A 3 pc luggage set.", []),  # "pc" is percent only attached to its digits ("27pc")
        ("Parcels across the region rose to 2 billion.", [("count", 2000000000.0, "parcels", "2 billion")]),
        ("The company employs 3,000 workers, and 45 is the average age.",
         [("count", 3000.0, "workers", "3,000 workers")]),
        ("Headline\n\nBy 2022, China had set up 21 Free Trade Zones.",
         [("count", 21.0, "zones", "21 Free Trade Zones")]),
    ],
)  # fmt: skip
def test_readings_of_plain_sentences(text: str, expected: list[tuple[str, float, str, str]]) -> None:
    # lists and names, k in n shares and adjective amounts, "of which", compound nouns, and what a review of
    # the rules of #13 found on plain sentences
    assert summary(text) == expected


def test_a_rate_after_a_closed_relative_clause_is_the_main_clause_s() -> None:
    # "which ... ended its 800-dollar threshold," closes before "dropped 11.3 percent": the exports' rate (#13)
    text = "Exports to the US, which in May ended its 800-dollar threshold, dropped 11.3 percent."
    (amount, rate) = extract_figures(text)
    assert amount.growth_pct is None and rate.value == -11.3
    # a growth phrase right after the comma is the amount's own
    (_share, amount) = extract_figures("E-commerce made up 3.7 percent of trade, which totaled 3.08 trillion yuan "
                                       "last year, up 8.1 percent.")
    assert amount.growth_pct == 8.1


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("Platform commissions are 5%-10% of the sale price.", 5.0, 10.0),
        ("The forecast is -2 to -1 percent.", -2.0, -1.0),
        ("It fell -10 to -15 percent.", -15.0, -10.0),  # the printed signs, not the verb's again
        ("Margins swung between -1.5 and -0.5 percent.", -1.5, -0.5),
    ],
)
def test_ranges_with_percent_signs_and_signed_bounds(text: str, low: float, high: float) -> None:
    figure = only(text)
    assert (figure.kind, figure.value, figure.value_high) == ("percent", low, high)


def test_a_rate_then_an_amount_is_no_range() -> None:
    (amount,) = extract_figures("Trade slipped 2.4% to 86.2 billion yuan.")
    assert (amount.value, amount.value_high, amount.growth_pct) == (86200000000.0, None, -2.4)


def test_a_rate_after_an_amount_s_relative_clause_with_no_main_verb_is_the_amount_s() -> None:
    text = "Cross-border exports, which reached 1.83 trillion yuan in 2023, a 19.6 percent increase, led the growth."
    assert [f.growth_pct for f in extract_figures(text)] == [19.6]


def test_a_scale_letter_after_a_currency_amount() -> None:
    assert summary("Sales fell to HK$ 900m, and 200 PCs were sold.")[0] == ("amount", 900000000.0, "HKD", "HK$ 900m")


# --- counts and measures ------------------------------------------------------------------------------


def test_thousands_separator_count_with_qualifier() -> None:
    figure = only("The platform now serves about 100,000 enterprises across the country.")
    assert (figure.kind, figure.value, figure.unit, figure.qualifier) == ("count", 100000.0, "enterprises", "about")


def test_measure_with_scale() -> None:
    text = "The port handled 1.2 million tonnes of parcels."
    figure = only(text)
    assert (figure.kind, figure.value, figure.unit, printed(text, figure)) == (
        "measure",
        1200000.0,
        "tonnes",
        "1.2 million tonnes",
    )


def test_hyphenated_measure_and_ratio() -> None:
    text = "A 55-kilometre bridge opened and trade was 2.5 times higher."
    assert summary(text) == [
        ("measure", 55.0, "kilometres", "55-kilometre"),
        ("ratio", 2.5, "times", "2.5 times"),
    ]


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("The ministry granted seven approvals in one week.", 7.0, "approvals"),
        ("Customs cleared three batches of goods.", 3.0, "batches"),
        ("Twelve cities applied.", 12.0, "cities"),
    ],
)
def test_word_numbers(text: str, value: float, unit: str) -> None:
    figure = only(text)
    assert (figure.kind, figure.value, figure.unit) == ("count", value, unit)


def test_number_of_zones_to() -> None:
    text = "The State Council approved 33 more, raising the number of pilot zones to 165."
    assert summary(text) == [("count", 165.0, "zones", "number of pilot zones to 165")]  # "33 more" has no noun


def test_of_them_are_count() -> None:
    text = "The park hosts 12,000 firms, and 9,300 of them are recognized as high-tech enterprises."
    firms, figure = extract_figures(text)  # any plural noun is counted: "12,000 firms" is a figure too
    assert (firms.kind, firms.value, firms.unit, printed(text, firms)) == ("count", 12000.0, "firms", "12,000 firms")
    assert (figure.kind, figure.value, figure.unit) == ("count", 9300.0, "enterprises")
    assert printed(text, figure) == "9,300 of them are recognized as high-tech enterprises"


def test_count_with_adjectives_between_number_and_noun() -> None:
    text = "It added 12 new pilot zones and 300 cross-border e-commerce enterprises."
    assert summary(text) == [
        ("count", 12.0, "zones", "12 new pilot zones"),
        ("count", 300.0, "enterprises", "300 cross-border e-commerce enterprises"),
    ]


# --- things that are not figures ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The zone was set up in 2017.",
        "It opened on March 19, 2018, after a long wait.",
        "The notice was dated 2023-02-23.",
        "The update was posted at 15:27.",
        "Leaders met at the 18th National Congress.",
        "For details, call 010-12345678.",
        "Page 3",
        "Hangzhou is among the top three zones in China.",
        "The Top 10 zones were named.",
        "The policy helps traders in 35 ways.",
    ],
)
def test_not_figures(text: str) -> None:
    assert extract_figures(text) == []


def test_page_furniture_line_is_ignored_between_paragraphs() -> None:
    text = "Exports rose 8 percent.\n\nPage 3\n\nImports rose 2 percent."
    assert [f.value for f in extract_figures(text)] == [8.0, 2.0]


def test_three_zones_without_top_is_a_count() -> None:
    # the control for "top three zones": the same words without "top" are a count
    assert summary("Hangzhou is among three zones in China.") == [("count", 3.0, "zones", "three zones")]


# --- qualifiers ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("About 500 companies joined.", "about"),
        ("Nearly 500 companies joined.", "nearly"),
        ("More than 2,000 enterprises joined.", "more than"),
        ("Over 30 cities took part.", "over"),
        ("Around 40 parks opened.", "around"),
        ("Some 12 provinces agreed.", "some"),
        ("Exports hit approximately $2 billion.", "approximately"),
        ("Up to 70% of parcels arrive by air.", "up to"),
        ("Exactly 500 companies joined.", None),
    ],
)
def test_qualifiers(text: str, qualifier: str | None) -> None:
    assert only(text).qualifier == qualifier


def test_qualifier_belongs_to_the_figure_it_precedes() -> None:
    found = extract_figures("About 5,000 enterprises and 12 parks are listed.")
    assert [(f.value, f.qualifier) for f in found] == [(5000.0, "about"), (12.0, None)]


# --- growth ----------------------------------------------------------------------------------------------


def test_growth_in_same_clause_is_attached_to_the_amount() -> None:
    text = "Online sales reached 3.2 billion yuan in 2020, up 9.8%."
    figure = only(text)  # no separate percent figure
    assert (figure.kind, figure.value, figure.unit, figure.growth_pct) == ("amount", 3200000000.0, "CNY", 9.8)


def test_growth_goes_to_the_nearest_amount() -> None:
    text = "Exports were 3 billion yuan in 2019 and 4 billion yuan in 2020, up 33%."
    assert [(f.value, f.growth_pct) for f in extract_figures(text)] == [(3000000000.0, None), (4000000000.0, 33.0)]


def test_growth_in_another_sentence_is_not_attached() -> None:
    text = "Online sales reached 3.2 billion yuan. Imports were up 9.8%."
    found = extract_figures(text)
    assert [(f.kind, f.value, f.growth_pct) for f in found] == [("amount", 3200000000.0, None), ("percent", 9.8, None)]
    assert found[1].extra == {"growth": "yes"}


@pytest.mark.parametrize(
    "text",
    [
        "Exports increased by 15.6 percent in 2023.",
        "Trade fell by 20%.",
        "Volumes grew 7 per cent year-on-year.",
        "It posted 12% growth.",
        "Imports grew by about 4 percent.",
    ],
)
def test_percent_on_its_own_is_growth(text: str) -> None:
    figure = only(text)
    assert figure.kind == "percent"
    assert figure.extra == {"growth": "yes"}


def test_share_in_same_sentence_as_amount_is_not_growth() -> None:
    text = "Exports were 3 billion yuan, accounting for 40% of the total."
    found = extract_figures(text)
    assert [(f.kind, f.value, f.growth_pct) for f in found] == [("amount", 3000000000.0, None), ("percent", 40.0, None)]
    assert found[1].extra == {}


# --- line breaks and spans ---------------------------------------------------------------------------------


def test_figure_split_across_a_line_break() -> None:
    text = "Cross-border trade in the zone reached 4.5\nbillion yuan in 2021."
    figure = only(text)
    assert (figure.kind, figure.value, figure.unit) == ("amount", 4500000000.0, "CNY")
    assert text[figure.start : figure.end] == "4.5\nbillion yuan"


def test_figure_split_across_a_crlf_line_break() -> None:
    text = "Cross-border trade in the zone reached 4.5\r\nbillion yuan in 2021."
    figure = only(text)  # actually: no figure at all
    assert (figure.kind, figure.value, figure.unit) == ("amount", 4500000000.0, "CNY")
    assert text[figure.start : figure.end] == "4.5\r\nbillion yuan"


def test_scale_after_crlf_is_not_dropped() -> None:
    text = "The fund raised $5\r\nmillion."
    assert summary(text) == [("amount", 5000000.0, "USD", "$5 million")]


def test_spans_index_the_original_text() -> None:
    text = (
        "Hangzhou\u00a0reported exports of 90.24 billion yuan ($14.32 billion) in 2021,\n"
        "up 9.8%. About 100,000\n"
        "enterprises\tnow trade online, raising the number of pilot zones to 165.\n"
        "\n"
        "Page 3\n"
        "\n"
        "Parcel volumes grew 3 percent, while the share was 15.4 percentage points higher.\n"
        "The port moved 1.2 million tonnes."
    )
    expected = [
        ("amount", "90.24 billion yuan ($14.32 billion)", 1),
        ("count", "100,000 enterprises", 2),
        ("count", "number of pilot zones to 165", 3),
        ("percent", "3 percent", 7),
        ("points", "15.4 percentage points", 7),
        ("measure", "1.2 million tonnes", 8),
    ]
    found = extract_figures(text)
    assert [(f.kind, printed(text, f), text.count("\n", 0, f.start) + 1) for f in found] == expected
    spans = sentences(text)
    for figure in found:
        assert figure.sentence is not None
        assert figure.sentence in spans
        assert figure.sentence.start <= figure.start < figure.end <= figure.sentence.end
    assert found[0].growth_pct == 9.8
    assert found[1].qualifier == "about"


def test_number_of_zones_rose_to() -> None:
    text = "The number of pilot zones rose to 165."
    assert summary(text) == [("count", 165.0, "zones", "number of pilot zones rose to 165")]


# --- helpers ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("printed_number", "scale", "value"),
    [
        ("2.11", "trillion", 2110000000000.0),
        ("90.24", "billion", 90240000000.0),
        ("3.88", "million", 3880000.0),
        ("1,234.5", None, 1234.5),
        ("100,000", None, 100000.0),
        ("5", "thousand", 5000.0),
        ("1.5", "bn", 1500000000.0),
        ("seven", None, 7.0),
        ("Twelve", None, 12.0),
    ],
)
def test_number(printed_number: str, scale: str | None, value: float) -> None:
    assert number(printed_number, scale) == value


def test_flatten_keeps_offsets() -> None:
    text = "a\r\nb\tc\u00a0d\ufeffe\nf"
    flat = flatten(text)
    assert flat == "a  b c d e f"
    assert len(flat) == len(text)


def test_paragraphs_are_split_by_blank_lines_only() -> None:
    text = "First line\nsame paragraph.\n \nSecond paragraph.\n\n\nThird."
    assert [text[s:e] for s, e in paragraphs(text)] == ["First line\nsame paragraph.", "Second paragraph.", "Third."]


def test_paragraphs_with_crlf_blank_line() -> None:
    text = "Para one.\r\n\r\nPara two."
    assert [text[s:e] for s, e in paragraphs(text)] == ["Para one.", "Para two."]


def test_single_crlf_does_not_end_a_paragraph() -> None:
    text = "Exports reached 3 billion yuan\r\nin 2021."
    assert paragraphs(text) == [(0, len(text))]
    assert [text[s.start : s.end] for s in sentences(text)] == [text]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Trade with the U.S. Department of Commerce grew 5.5 percent. Exports fell.",
            ["Trade with the U.S. Department of Commerce grew 5.5 percent.", "Exports fell."],
        ),
        (
            "Under Circular No. 5 the zone opened. It grew.",
            ["Under Circular No. 5 the zone opened.", "It grew."],
        ),
        (
            "Mr. Li said trade hit 3.2 billion yuan. Did it grow? Yes! It did.",
            ["Mr. Li said trade hit 3.2 billion yuan.", "Did it grow?", "Yes!", "It did."],
        ),
        ("Growth was 5.5%. In 2020 it was 6%.", ["Growth was 5.5%.", "In 2020 it was 6%."]),
        ("Trade with the EU. Exports grew.", ["Trade with the EU.", "Exports grew."]),
        ("  Leading spaces.  Trailing spaces.  ", ["Leading spaces.", "Trailing spaces."]),
    ],
)
def test_sentence_spans(text: str, expected: list[str]) -> None:
    assert [text[s.start : s.end] for s in sentences(text)] == expected


def test_sentences_know_their_paragraph_and_never_cross_it() -> None:
    text = "First one. Second one\nwraps here.\n\nThird one without a full stop"
    found = sentences(text)
    assert [(text[s.start : s.end], s.paragraph) for s in found] == [
        ("First one.", 0),
        ("Second one\nwraps here.", 0),
        ("Third one without a full stop", 1),
    ]


def test_closing_quote_stays_with_its_sentence() -> None:
    text = 'He said, "Trade rose 5%." Exports fell.'
    assert [text[s.start : s.end] for s in sentences(text)] == ['He said, "Trade rose 5%."', "Exports fell."]


# --- known bugs in the figure rules -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("A deal worth US$1.5bn was signed.", 1500000000.0, "USD"),  # actually amount 1.0 USD 'US$1'
        ("Exports hit RMB 3.5bn.", 3500000000.0, "CNY"),  # actually amount 3.0 CNY 'RMB 3'
        ("It earned $3.88million.", 3880000.0, "USD"),  # actually amount 3.0 USD '$3'
    ],
)
def test_glued_scale(text: str, value: float, unit: str) -> None:
    figure = only(text)
    assert (figure.value, figure.unit) == (value, unit)


def test_other_dollars_are_not_usd() -> None:
    assert all(f.unit != "USD" for f in extract_figures("A deal worth HK$1.2 billion was signed."))


def test_hedged_conversion_is_one_figure() -> None:
    figure = only("Trade hit RMB 22.77 billion (about US$3.27 billion).")
    assert (figure.value, figure.converted_value, figure.converted_unit) == (22770000000.0, 3270000000.0, "USD")


def test_count_with_scale_word() -> None:
    figure = only("There are 2.5 million enterprises in the sector.")
    assert (figure.value, figure.unit) == (2500000.0, "enterprises")


def test_compound_word_number() -> None:
    figure = only("The zone has two hundred enterprises.")
    assert (figure.value, figure.unit) == (200.0, "enterprises")


@pytest.mark.parametrize(
    "text",
    [
        "In 2017 the city opened a bonded park.",  # actually count 2017 cities ('2017 the city')
        "By 2020 the pilot zones had doubled trade.",  # actually count 2020 zones
        "Ten years ago the zone was farmland.",  # actually count 10 zones
        "Hangzhou is one of the pilot zones.",  # actually count 1 zones
        "The policy helps in 35 ways to support enterprises.",  # actually count 35 enterprises
    ],
)
def test_no_count_across_unrelated_words(text: str) -> None:
    # "had doubled trade" is a multiple (a figure), but no count
    assert [f for f in extract_figures(text) if f.kind == "count"] == []


def test_made_up_share_is_not_growth() -> None:
    assert only("Cross-border e-commerce made up 40 percent of total trade.").extra == {}


def test_growth_by_around() -> None:
    assert only("Exports increased by around 15.6 percent.").extra == {"growth": "yes"}


def test_decline_is_negative_growth() -> None:
    figure = only("Online sales reached 3.2 billion yuan in 2020, down 9.8%.")
    assert figure.growth_pct == -9.8


@pytest.mark.parametrize(
    "text", ["In 2018 Chinese enterprises exported more.", "By 2020 more pilot zones opened.", "Since 2015 zones grew."]
)
def test_a_year_before_a_noun_is_not_a_count(text: str) -> None:
    assert extract_figures(text) == []


def test_a_year_like_number_right_before_its_noun_is_still_a_count() -> None:
    (figure,) = extract_figures("There are 2018 enterprises in the park.")
    assert (figure.value, figure.unit) == (2018.0, "enterprises")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Imports declined, while exports rose 12%.", 12.0),
        ("Exports fell 5% in 2020.", -5.0),
        ("It posted a 5% decrease.", -5.0),
        ("Trade was down 9.8 per cent.", -9.8),
    ],
)
def test_the_sign_of_growth_comes_from_its_own_phrase(text: str, value: float) -> None:
    (figure,) = extract_figures(text)
    assert figure.value == value and figure.extra == {"growth": "yes"}


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Exports were down by 3.5% in May.", ("percent", -3.5, None)),
        ("Imports declined 2% last year.", ("percent", -2.0, None)),
        ("There was a decrease of 1% in sales.", ("percent", -1.0, None)),
        ("Sales fell again, falling 3% to 9 billion yuan.", ("amount", 9e9, -3.0)),
        ("Sales were lower by 4% at 10 billion yuan.", ("amount", 10e9, -4.0)),
        ("Output edged down 2.7 percent.", ("percent", -2.7, None)),
        ("Margins shrinking 5% hurt.", ("percent", -5.0, None)),
        ("The gap narrowed by 3 percentage points.", ("points", -3.0, None)),
        ("Its share rose 15.4 percentage points.", ("points", 15.4, None)),
        ("Imports declined, while exports rose 12%.", ("percent", 12.0, None)),
        ("Exports grew by 5% to 2 billion yuan.", ("amount", 2e9, 5.0)),
    ],
)
def test_a_decline_is_negative_whatever_its_wording(sentence: str, expected: tuple) -> None:
    (figure,) = extract_figures(sentence)
    assert (figure.kind, figure.value, figure.growth_pct) == expected


def test_a_count_of_a_two_word_noun_is_not_a_year() -> None:
    """'1900 pilot zones' is a count; '2018 Chinese enterprises' (words between) and 'in 2018' are years."""
    assert [(f.value, f.unit) for f in extract_figures("China had 1900 pilot zones.")] == [(1900, "zones")]
    assert extract_figures("In 2018 Chinese enterprises grew.") == []
    assert extract_figures("The rules of 2018 enterprises follow.") == []


@pytest.mark.parametrize(
    ("text", "kind", "low", "high"),
    [
        ("It has between 1,200 and 1,500 employees.", "count", 1200.0, 1500.0),
        ("Between 300 and 500 sellers left.", "count", 300.0, 500.0),
        ("It is growing three to four times faster than the coastal hubs.", "ratio", 3.0, 4.0),
        ("Rates were 2-3 times higher.", "ratio", 2.0, 3.0),
        ("The company hired 200-300 staff in Mexico.", "count", 200.0, 300.0),
        ("It expects 10-12 million new users.", "count", 10e6, 12e6),  # the scale is both bounds
        ("It has between 2 and 3 million users.", "count", 2e6, 3e6),
        ("Monthly rents range from 18 to 25 yuan per square metre.", "amount", 18.0, 25.0),
        ("Orders range from 100 to 200 parcels a day.", "count", 100.0, 200.0),
    ],
)
def test_ranges_of_counts_and_multiples(text: str, kind: str, low: float, high: float) -> None:
    figure = only(text)
    assert (figure.kind, figure.value, figure.value_high) == (kind, low, high)


@pytest.mark.parametrize(
    ("text", "value", "unit", "converted"),
    [
        ("Macau's online exports reached MOP 620 million (about US$77 million).", 620e6, "MOP", (77e6, "USD")),
        ("Gulf online sales hit 32 billion dirhams (US$8.7 billion).", 32e9, "AED", (8.7e9, "USD")),
        ("Brazil's sales were 12.4 billion reais (US$2.2 billion).", 12.4e9, "BRL", (2.2e9, "USD")),
        ("Sellers in Singapore paid S$2 million.", 2e6, "SGD", (None, None)),
        ("It ended its 800-dollar threshold.", 800.0, "USD", (None, None)),
    ],
)
def test_currencies_of_the_committed_mapping(text: str, value: float, unit: str, converted: tuple) -> None:
    figure = only(text)
    assert (figure.value, figure.unit, (figure.converted_value, figure.converted_unit)) == (value, unit, converted)


def test_currency_spellings_come_from_the_mapping_longest_first(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from pipeline.parse.figures import _currency_spellings

    path = tmp_path / "currencies.csv"
    path.write_text(
        "printed,code,position,note\n$,USD,before,\nXY$,XYZ,before,\nXYZ,XYZ,both,\nxy dollars,XYZ,after,\n"
        "dollars,USD,after,\n-dollar,USD,after,\n",
        encoding="utf-8",
    )
    codes, before, after = _currency_spellings(path)
    assert codes == {"$": "USD", "xy$": "XYZ", "xyz": "XYZ", "xy dollars": "XYZ", "dollars": "USD", "dollar": "USD"}
    assert re.fullmatch(before, "XY$") and re.match(before, "XY$5").group(0) == "XY$"  # not the bare "$" after XY
    assert re.search(after, "5 xy  dollars").group(0) == "xy  dollars"  # the longer form, any spaces
    assert re.search(after, "an 800-dollar cap").group(0) == "dollar" and not re.search(after, "a dollar cap")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # misreadings a black-box probe of the extractor found (#13): wrong values behind plausible rows first
        ("It spent $2.5B on marketing and $1.1B on logistics.",
         [("amount", 2.5e9, "USD", "$2.5B"), ("amount", 1.1e9, "USD", "$1.1B")]),  # they were $2 and $1
        ("The $1.2-trillion market grew. The deal is worth US$1.5-billion.",
         [("amount", 1.2e12, "USD", "$1.2-trillion"), ("amount", 1.5e9, "USD", "US$1.5-billion")]),
        ("A 3.5-billion-yuan logistics park opened in Ezhou.", [("amount", 3.5e9, "CNY", "3.5-billion-yuan")]),
        ("Exports hit 45,000 crore rupees. Revenue hit ₹2,000 crore. Revenue hit Rs 500 crore.",
         [("amount", 4.5e11, "INR", "45,000 crore rupees"), ("amount", 2e10, "INR", "₹2,000 crore"),
          ("amount", 5e9, "INR", "Rs 500 crore")]),
        ("Revenue reached a quarter of a trillion yuan.", [("amount", 2.5e11, "CNY", "a quarter of a trillion yuan")]),
        ("Growth slowed by half a percentage point.",
         [("points", -0.5, "percentage points", "half a percentage point")]),  # it was 50 percent
        ("Alibaba's 1688 platform saw overseas buyers rise 30 percent.", [("percent", 30.0, "percent", "30 percent")]),
        ("The company raised 3.6 billion yuan ($1 = 7.2 yuan) in its IPO.",
         [("amount", 3.6e9, "CNY", "3.6 billion yuan")]),  # an exchange rate is no amount
        ("The Hang Seng Index fell 1.2 percent to 18,000 points.", [("percent", -1.2, "percent", "1.2 percent")]),
        # signs of verbs the rules did not know
        ("Exports shed 4.5 percent.", [("percent", -4.5, "percent", "4.5 percent")]),
        ("Imports retreated 2.2 percent.", [("percent", -2.2, "percent", "2.2 percent")]),
        ("Exports plummeted 4 percent.", [("percent", -4.0, "percent", "4 percent")]),
        ("Exports were off 4 percent.", [("percent", -4.0, "percent", "4 percent")]),
        ("Exports gave up 4 percent.", [("percent", -4.0, "percent", "4 percent")]),
        ("Market share shed 1.3 percentage points to 22.5 percent.",
         [("points", -1.3, "percentage points", "1.3 percentage points"),
          ("percent", 22.5, "percent", "22.5 percent")]),
        ("China e-commerce exports drop 4% in May", [("percent", -4.0, "percent", "4%")]),
        ("Sales registered a year-on-year drop of 15.3 percent.", [("percent", -15.3, "percent", "15.3 percent")]),
        ("The share rose 1.5 ppt to 12%.",
         [("points", 1.5, "percentage points", "1.5 ppt"), ("percent", 12.0, "percent", "12%")]),
        ("The share rose 0.3pp.", [("points", 0.3, "percentage points", "0.3pp")]),
        ("See pp 12-15.", []),
        ("Exports jumped sixfold to 1.2 trillion yuan.",
         [("ratio", 6.0, "times", "sixfold"), ("amount", 1.2e12, "CNY", "1.2 trillion yuan")]),
        ("Call 400-820-6688 now about the 2019-2021 plans.", []),
        ("Exports fell 10 percent in 2022 and 15 percent in 2023.",
         [("percent", -10.0, "percent", "10 percent"), ("percent", -15.0, "percent", "15 percent")]),  # one verb
        ("Exports rose 10 percent, and 15 percent of sellers quit.",
         [("percent", 10.0, "percent", "10 percent"), ("percent", 15.0, "percent", "15 percent")]),
        ("Seventy-five percent of respondents said so, and exports rose by two per cent.",
         [("percent", 75.0, "percent", "Seventy-five percent"), ("percent", 2.0, "percent", "two per cent")]),
        # a unit shared by a list names the unit of all its numbers
        ("Shenzhen, Guangzhou and Hangzhou posted exports of 300 billion, 200 billion and 150 billion yuan.",
         [("amount", 3e11, "CNY", "300 billion"), ("amount", 2e11, "CNY", "200 billion"),
          ("amount", 1.5e11, "CNY", "150 billion yuan")]),
        ("Exports to the US, EU and Japan fell 5, 6 and 7 percent.",
         [("percent", -5.0, "percent", "5"), ("percent", -6.0, "percent", "6"),
          ("percent", -7.0, "percent", "7 percent")]),
        ("The number grew 21.6 percent in 2022, to 214, and 17.3 percent the following year, to 251.",
         [("percent", 21.6, "percent", "21.6 percent"), ("percent", 17.3, "percent", "17.3 percent")]),
    ],
)  # fmt: skip
def test_what_a_black_box_probe_found(text: str, expected: list[tuple[str, float, str, str]]) -> None:
    assert summary(text) == expected


@pytest.mark.parametrize(
    ("text", "printed_", "value", "converted"),
    [
        ("Sales reached 8.5 billion yen, or about $57 million, in the fiscal year.",
         "8.5 billion yen, or about $57 million", 8.5e9, (57e6, "USD")),
        ("It raised 70 billion yuan -- about $9.7 billion -- last year.", "70 billion yuan -- about $9.7 billion",
         70e9, (9.7e9, "USD")),
    ],
)
def test_a_conversion_in_running_text_is_the_amount_s(text: str, printed_: str, value: float, converted: tuple) -> None:
    figure = only(text)
    assert (printed(text, figure), figure.value, (figure.converted_value, figure.converted_unit)) == (
        printed_, value, converted)


def test_a_second_amount_after_or_in_the_same_currency_is_no_conversion() -> None:
    assert [f.value for f in extract_figures("Revenue was 3 billion yuan, or 2 billion yuan more than planned.")] == [
        3e9, 2e9]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a printed minus after an amount is its change, as a printed plus is (it was a figure of its own) (#13)
        ("Guangdong: 1.2 trillion yuan, +8.1%; Zhejiang: 541 billion yuan, -2.3%.",
         [(1.2e12, "CNY", 8.1), (541e9, "CNY", -2.3)]),
        ("Exports reached 90 billion yuan (-3.5%).", [(90e9, "CNY", -3.5)]),
        # what a rate is compared with, abbreviated: "15% QoQ to 3.2mn" (the count was lost), "12% yoy"
        ("Orders rebounded by 15% QoQ to 3.2mn.", [(3.2e6, "orders", 15.0)]),
        ("Revenue was 3 billion yuan, 12% yoy.", [(3e9, "CNY", 12.0)]),
        ("GMV came in at 2.1 billion yuan, 9% y/y.", [(2.1e9, "CNY", 9.0)]),
    ],
)  # fmt: skip
def test_signed_and_abbreviated_changes_attach_to_their_figure(
    text: str, expected: list[tuple[float, str, float]]
) -> None:
    assert [(f.value, f.unit, f.growth_pct) for f in extract_figures(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # what blind text of 2026-12-03 found (#13): a rate compared with "the previous quarter" before its count
        ("Parcels slumped 18% from the previous quarter to 41.6 million.",
         [("count", 41.6e6, "parcels", -18.0)]),
        # a count that went: "shed about 1,300 jobs"; a loss is an amount the subject names: positive, "a net loss"
        # as "a loss" (they had opposite signs)
        ("To cut costs, Harbourline shed about 1,300 jobs.", [("count", -1300.0, "jobs", None)]),
        ("The company reported a net loss of HK$120 million for 2022.", [("amount", 120e6, "HKD", None)]),
        ("Harbourline swings to a loss of HK$120 million.", [("amount", 120e6, "HKD", None)]),
        # "making up 86 percent" is a share, not the growth of the amount before it
        ("In 2020, trade reached 1.21 billion yuan, with imports making up 86 percent of the total.",
         [("amount", 1.21e9, "CNY", None), ("percent", 86.0, "percent", None)]),
        # an exchange rate is no amount
        ("All conversions here use 7.85 Hong Kong dollars per US dollar.", []),
        ("The fee is 2.3 yuan per parcel.", [("amount", 2.3, "CNY", None)]),
    ],
)  # fmt: skip
def test_what_blind_text_of_the_third_session_found(
    text: str, expected: list[tuple[str, float, str, float | None]]
) -> None:
    assert [(f.kind, f.value, f.unit, f.growth_pct) for f in extract_figures(text)] == expected


@pytest.mark.parametrize(
    ("text", "growth"),
    [
        # "an increase of" after a count is its growth, as after an amount (it was a figure of its own) (#13)
        ("The province handled 1.23 billion parcels in 2021, an increase of 45.6% year-on-year.", 45.6),
        ("The port handled 1.2 million TEU in 2021, a decrease of 3.1%.", -3.1),
        ("Sellers numbered 4,860 in 2021, a year-on-year drop of 5 percent.", -5.0),
    ],
)
def test_an_increase_of_after_a_count_is_its_growth(text: str, growth: float) -> None:
    figures = extract_figures(text)
    assert len(figures) == 1 and figures[0].growth_pct == growth


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # trade-press units: "sq. m" with its dot (it was lost), "t" for tonnes before "of" (it was lost) (#13)
        ("Total capacity reached 120,000 sq. m.", [("measure", 120000.0, "square metres", "120,000 sq. m")]),
        ("Freighters carried 86,500 t of e-commerce cargo.", [("measure", 86500.0, "tonnes", "86,500 t")]),
        ("Gate 5 t was closed.", []),  # "t" alone is no tonne
    ],
)  # fmt: skip
def test_trade_press_units(text: str, expected: list[tuple[str, float, str, str]]) -> None:
    assert summary(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "1 million" is a count ("one" alone is not), and a multiple before "to" keeps the change's noun (#13)
        ("Orders from Brazil jumped five-fold to more than 1 million.",
         [("ratio", 5.0, "times", "five-fold"), ("count", 1e6, "orders", "1 million")]),
        ("Sellers grew 3.2-fold to 48,000.",
         [("ratio", 3.2, "times", "3.2-fold"), ("count", 48000.0, "sellers", "48,000")]),
        ("Orders from Brazil rose to one.", []),
    ],
)  # fmt: skip
def test_a_multiple_and_one_million(text: str, expected: list[tuple[str, float, str, str]]) -> None:
    assert summary(text) == expected
