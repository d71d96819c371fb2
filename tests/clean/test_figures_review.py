"""Readings a review of #13 found wrong, each a sentence written for this test: what the extractor and the
cross-checks must (and must not) make of it."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.clean.figures import build_reported_figures
from pipeline.crosscheck.counts import check_counts
from pipeline.crosscheck.growth_rates import check_growth_rates
from pipeline.crosscheck.uncertain_readings import check_uncertain_readings
from pipeline.raw.reference import read_reference_batches, read_reference_zones
from pipeline.settings import DEFAULT_RAW_DIR


def build(text: str, published: str = "2024-01-12", source: str = "s") -> pd.DataFrame:
    return build_reported_figures(text, source, published, ["Hangzhou"])


def values(text: str, *columns: str, published: str = "2024-01-12") -> list[list[object]]:
    frame = build(text, published)
    return [[None if pd.isna(v) else v for v in row] for row in frame[list(columns)].to_numpy().tolist()]


def test_two_uncertain_readings_of_one_claim_are_two_findings() -> None:
    text = (
        "The number of pilot zones reached 105 in 2020.\n\n"
        "Officials said Zhejiang received another five. Later, Jiangsu received another five."
    )
    frame = build(text)
    found = check_uncertain_readings(frame)
    keys = [f["finding_id"] for f in found]
    assert len(keys) == len(set(keys)) == 2
    assert [f["observation_ids"] for f in found] == [[i] for i in frame.loc[frame["uncertainty"].notna(), "figure_id"]]


def test_a_quarter_and_a_stated_increase_are_no_annual_levels() -> None:
    other = "Cross-border e-commerce exports reached 1.53 trillion yuan in 2022."
    text = (
        "In 2023, cross-border e-commerce exports rose 19.6 percent to 1.83 trillion yuan.\n\n"
        "In the first quarter of 2023, cross-border e-commerce exports reached 450 billion yuan.\n\n"
        "Cross-border e-commerce exports rose by 300 billion yuan in 2023."
    )
    assert values(text, "printed", "period", "period_note", "states") == [
        ["1.83 trillion yuan", "2023", None, "level"],
        ["450 billion yuan", "2023", "Q1", "level"],
        ["300 billion yuan", "2023", None, "change"],
    ]
    frame = pd.concat([build(other, source="a"), build(text, source="b")], ignore_index=True)
    # the quarter and the increase are not compared with the year: 1.53 -> 1.83 is +19.6%, one pair, consistent
    (finding,) = check_growth_rates(frame)
    assert finding["status"] == "consistent"
    assert "1.83 trillion yuan (2023) against 1.53 trillion yuan" in finding["message"]


def test_a_range_of_declines_keeps_both_bounds_negative() -> None:
    assert values("Imports fell 10 to 15 percent in 2023.", "value", "value_high") == [[-15.0, -10.0]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Exports to 120 countries grew 15 percent last year.", [["120 countries", None], ["15 percent", None]]),
        ("Throughput reached 86,500 tonnes in January-August, up 27 percent.", [["86,500 tonnes", 27.0]]),
        ("Parcel volume rose 27 percent to 86,500 tonnes.", [["86,500 tonnes", 27.0]]),
    ],
)
def test_a_rate_is_a_counts_growth_only_when_stated_for_it(text: str, expected: list[list[object]]) -> None:
    assert values(text, "printed", "growth_pct") == expected


def test_cities_that_are_no_zones_are_not_counted_as_zones() -> None:
    frame = build("Officials from 24 cities met at 9:30 on Friday.")
    assert frame.printed.tolist() == ["24 cities"]  # not the 9 of 9:30
    zones = read_reference_zones(str(DEFAULT_RAW_DIR / "reference/pilot_zones_reference.csv"))
    batches = read_reference_batches(str(DEFAULT_RAW_DIR / "reference/pilot_zone_batches_reference.csv"))
    assert check_counts(frame, batches, zones) == []


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ("Currently 165 pilot zones operate across China.", "165 pilot zones"),
        ("China Approves 27 New Pilot Zones", "27 New Pilot Zones"),
        ("“We now serve 3,000 companies,” he said.", "3,000 companies"),
        ('"We have approved 33 new pilot zones," said the official.', "33 new pilot zones"),
        ("About half a million parcels left the hub.", "half a million parcels"),
    ],
)
def test_counts_after_a_capital_or_inside_speech_are_read(text: str, printed: str) -> None:
    assert build(text).printed.tolist() == [printed]


@pytest.mark.parametrize(
    "text",
    ["The company doubled down on Europe.", "It operated for a quarter of a century.", "Article 12 applies."],
)
def test_no_figure(text: str) -> None:
    assert build(text).empty


def test_one_in_five_is_a_share() -> None:
    expected = [["One in five", "percent", 20.0]]
    assert values("One in five shoppers bought abroad.", "printed", "kind", "value") == expected


@pytest.mark.parametrize(
    ("text", "published", "period"),
    [
        ("Sales continued their march, reaching 5 billion yuan.", "2023-05-10", "2023-05-10"),  # no month
        ("The depot stores 2000 tonnes of goods.", "2023-05-10", "2023-05-10"),  # its own number is no year
        ("On February 29, exports reached 5 billion yuan.", "2026-03-05", "2024-02-29"),  # the last leap year
        ("Exports reached 5 billion yuan in November.", "2024 (early)", "2023-11"),  # early 2024: last November
    ],
)
def test_periods_from_awkward_dates(text: str, published: str, period: str) -> None:
    assert build(text, published).period.tolist()[0] == period


def test_an_impossible_publication_day_does_not_crash() -> None:
    assert build("Exports reached 5 billion yuan in November.", "2024-02-30").period.tolist() == ["2023-11"]
