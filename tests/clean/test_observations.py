"""Observations: units, periods, conversion at the year's rate, statuses from findings, and stable ids."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.clean.figures import reported_figure_records
from pipeline.clean.observations import money_unit, normalise, period_bounds, status_of
from pipeline.ids import masked, stable_ids

RATES = {2017: 6.7518, 2023: 7.0467}
SOURCE = "ref_cny_per_usd"


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ("CNY", ("CNY", 1.0)),
        ("100 million CNY", ("CNY", 1e8)),
        ("trillion CNY", ("CNY", 1e12)),
        ("10,000 CNY", ("CNY", 1e4)),
        ("million USD", ("USD", 1e6)),
        ("100 million USD", ("USD", 1e8)),
        ("HKD", ("HKD", 1.0)),
        ("CNY per parcel", None),  # a price per item is no amount
        ("10,000 sellers", None),
        ("percent", None),
        ("zones", None),
    ],
)
def test_money_units(unit: str, expected: tuple[str, float] | None) -> None:
    assert money_unit(unit) == expected


def test_periods_have_their_precision_and_days() -> None:
    assert period_bounds("2017") == ("year", "2017-01-01", "2017-12-31")
    assert period_bounds("2024-02") == ("month", "2024-02-01", "2024-02-29")
    assert period_bounds("2023-02-23") == ("day", "2023-02-23", "2023-02-23")
    assert period_bounds(None) == (None, None, None)


def test_cny_is_scaled_and_converted_at_the_years_rate() -> None:
    cell = normalise(1000.0, "100 million CNY", "2017", RATES, SOURCE)
    assert cell["value_cny"] == pytest.approx(1e11)
    assert cell["value_usd"] == pytest.approx(1e11 / 6.7518)
    assert (cell["cny_per_usd"], cell["rate_source"]) == (6.7518, "ref_cny_per_usd: 2017 annual average")


def test_usd_is_converted_and_a_year_without_a_rate_is_not() -> None:
    usd = normalise(49e9, "USD", "2017", RATES, SOURCE)
    assert (usd["value_usd"], usd["value_cny"]) == (49e9, pytest.approx(49e9 * 6.7518))
    early = normalise(0.12, "trillion CNY", "2001", RATES, SOURCE)
    assert (early["value_cny"], early["value_usd"], early["cny_per_usd"]) == (pytest.approx(1.2e11), None, None)
    no_year = normalise(5.0, "million USD", None, RATES, SOURCE)
    assert (no_year["value_cny"], no_year["value_usd"]) == (None, pytest.approx(5e6))
    assert normalise(3.0, "HKD", "2017", RATES, SOURCE)["value_cny"] is None  # no committed HKD rate
    assert normalise(21.8, "percent", "2017", RATES, SOURCE)["value_cny"] is None


def test_status_from_the_findings_about_it() -> None:
    assert status_of([]) == "unchecked"
    assert status_of(["different measures"]) == "unchecked"  # says the two are not comparable
    assert status_of(["consistent", "different measures"]) == "consistent"
    assert status_of(["consistent", "uncertain"]) == "flagged"
    assert status_of(["consistent", "stale"]) == "contradicted"
    assert status_of(["jump", "mismatch"]) == "contradicted"


def test_masking_keeps_words_and_replaces_numbers() -> None:
    assert masked("It rose  80.6% in 2017\nto 90.24 billion yuan") == "It rose #% in # to # billion yuan"


def test_equal_keys_are_told_apart_by_occurrence() -> None:
    ids = stable_ids("figure", [("a", "s", "m"), ("a", "s", "m"), ("a", "t", "m")])
    assert len(set(ids)) == 3
    assert stable_ids("figure", [("a", "t", "m")]) == [ids[2]]


ARTICLE = """China sees growth in cross-border trade

BEIJING, March 19 (Daily) -- Cross-border e-commerce imports and exports reached 90.24 billion yuan in 2017.

Shenzhen's zone handled 1,200 enterprises last year.
"""


def _ids(text: str) -> dict[str, tuple[float, str]]:
    records = reported_figure_records(text, "daily_2018", "2018-03-19", ["Shenzhen"])
    return {r["figure_id"]: (r["value"], r["printed"]) for r in records}


def test_an_edit_elsewhere_keeps_every_figure_id() -> None:
    before = _ids(ARTICLE)
    edited = ARTICLE.replace("China sees growth", "China sees strong growth")  # offsets shift below
    assert _ids(edited) == before
    assert len(before) == 2


def test_a_changed_number_keeps_its_figure_id() -> None:
    before = _ids(ARTICLE)
    after = _ids(ARTICLE.replace("90.24 billion", "92.4 billion"))
    assert set(after) == set(before)
    changed = [k for k in before if before[k] != after[k]]
    assert len(changed) == 1
    assert (before[changed[0]][0], after[changed[0]][0]) == (90.24e9, 92.4e9)


def test_a_frame_of_lists_round_trips_through_parquet(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from pipeline.metadata.datasets import FINDING_OBSERVATIONS, FINDINGS
    from pipeline.metadata.schemas import typed
    from pipeline.store.parquet import read_parquet, write_parquet

    quote = {"source_id": "a", "char_start": 1, "char_end": 5, "text": "abcd"}
    frame = typed(pd.DataFrame([{"finding_id": "0" * 16, "cross_check": "counts", "status": "consistent",
                                 "message": "m", "observation_ids": ["1" * 16], "source_ids": ["a", "ref_b"],
                                 "evidence": [quote]}]), FINDINGS)  # fmt: skip
    path = tmp_path / "findings.parquet"
    write_parquet(frame, FINDINGS, path)
    back = read_parquet(path, FINDINGS)
    assert back.loc[0, "source_ids"] == ["a", "ref_b"]
    assert back.loc[0, "evidence"] == [quote]
    assert FINDING_OBSERVATIONS.references[1] == ("observation_id", ("observations", "observation_id"))


def test_a_comma_string_where_a_list_belongs_fails_the_schema() -> None:
    from pipeline.metadata.datasets import PILOT_ZONES
    from pipeline.metadata.schemas import pandera_schema

    schema = pandera_schema(PILOT_ZONES)
    column = schema.columns["mentioned_in"]
    good = pd.DataFrame({"mentioned_in": pd.Series([["a", "b"], []], dtype="object")})
    column.validate(good)
    bad = pd.DataFrame({"mentioned_in": pd.Series(["a,b", ["a", ""]], dtype="object")})
    with pytest.raises(Exception, match="every value must be a list of non-empty texts"):
        column.validate(bad, lazy=False)


@pytest.mark.parametrize(
    ("period", "note", "expected"),
    [
        ("2019", "Q1", ("quarter", "2019-01-01", "2019-03-31")),
        ("2023", "Q4", ("quarter", "2023-10-01", "2023-12-31")),
        ("2020", "first half", ("half", "2020-01-01", "2020-06-30")),
        ("2020", "second half", ("half", "2020-07-01", "2020-12-31")),
        ("2024", "first five months", ("months", "2024-01-01", "2024-05-31")),
        ("2024", "first 2 quarters", ("months", "2024-01-01", "2024-06-30")),
        ("2022", "January-November", ("months", "2022-01-01", "2022-11-30")),
        ("2021-11", "November 1-11", ("days", "2021-11-01", "2021-11-11")),
        ("2019", "2015-2019", ("years", "2015-01-01", "2019-12-31")),
        ("2023", "Singles' Day", ("part", None, None)),  # a festival: no span the note can give
        ("2023", "end of period", ("part", None, None)),
        ("2017", None, ("year", "2017-01-01", "2017-12-31")),
    ],
)
def test_a_period_note_narrows_the_days(period: str, note: str | None, expected: tuple[object, ...]) -> None:
    from pipeline.clean.observations import note_bounds

    assert note_bounds(period, note) == expected


def test_the_other_side_of_a_finding_takes_no_contradiction() -> None:
    from pipeline.clean.observations import finding_links, verdicts

    findings = pd.DataFrame({
        "finding_id": ["f1", "f2", "f3"], "status": ["stale", "consistent", "contradiction"],
        "observation_ids": [["article_132", "registry_165"], ["article_165", "registry_165"], ["a", "b"]],
    })  # fmt: skip
    links = finding_links(findings)
    assert status_of(verdicts(links["registry_165"], yardstick=True)) == "consistent"  # an article agrees
    assert status_of(verdicts(links["article_132"])) == "contradicted"
    assert status_of(verdicts(links["b"], yardstick=True)) == "unchecked"  # only the yardstick of a contradiction
    assert status_of(verdicts(links["b"])) == "contradicted"  # another source's figure: both are in question
    assert [f for f, _, _ in links["registry_165"]] == ["f1", "f2"]


def test_a_name_two_zones_share_has_no_province_and_a_table_total_is_china() -> None:
    from pipeline.clean.observations import load_places

    zones = pd.DataFrame({
        "city": ["Taizhou", "Taizhou", "Ningbo"], "province": ["Zhejiang", "Jiangsu", "Zhejiang"],
        "admin_level": ["city", "city", "city"],
    })  # fmt: skip
    places = load_places({"Zhejiang": "330000", "Jiangsu": "320000"}, zones)
    assert places.describe("Taizhou") == {"geography_level": "city", "geography_code": None, "province": None,
                                          "province_code": None}  # fmt: skip
    assert places.describe("Ningbo")["province_code"] == "330000"
    assert places.describe("Other provinces", aggregate=True)["geography_level"] == "aggregate"
    assert places.describe("Zhejiang")["geography_code"] == "330000"


def test_a_changed_number_word_keeps_its_figure_id() -> None:
    text = "China has set up 132 pilot zones, located in six batches and covering 30 provinces.\n"
    before = _ids(text)
    after = _ids(text.replace("six batches", "seven batches"))
    assert set(after) == set(before) and len(before) == 3


def test_a_conversion_no_rate_can_check_is_about_no_observation() -> None:
    from pipeline.crosscheck.currency_conversions import check_currency_conversions

    figure = {"source_id": "s", "figure_id": "f" * 16, "printed": "60 billion yuan ($9.5 billion)", "value": 60e9,
              "unit": "CNY", "converted_value": 9.5e9, "converted_unit": "USD", "period": "2012",
              "quote": "q", "quote_char_start": 0, "quote_char_end": 1}  # fmt: skip
    rates = pd.DataFrame({"year": [2017], "cny_per_usd": [6.7518]})
    (unchecked,) = check_currency_conversions(pd.DataFrame([figure]), rates)
    assert unchecked["message"].endswith("no reference rate for 2012; not checked.")
    assert unchecked["observation_ids"] == []  # so the figure stays 'unchecked', not 'consistent'
    (checked,) = check_currency_conversions(pd.DataFrame([{**figure, "period": "2017"}]), rates)
    assert checked["observation_ids"] == ["f" * 16] and checked["status"] == "consistent"  # 6.32, within 10%
