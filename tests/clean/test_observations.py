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
