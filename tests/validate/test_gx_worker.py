"""The GX worker process runs a suite to the same outcomes as this process, failures included, and a dead
worker leaves the suites to run here."""

from __future__ import annotations

import os
import signal

import pytest

from pipeline.clean.observations import build_exchange_rates
from pipeline.metadata.datasets import EXCHANGE_RATES
from pipeline.raw.reference import read_reference_rates
from pipeline.settings import DEFAULT_RAW_DIR, EXPECTATIONS_DIR
from pipeline.validate import gx_suites, gx_worker
from pipeline.validate.views import suite_view

SUITE = EXPECTATIONS_DIR / "exchange_rates.json"


@pytest.fixture
def worker() -> object:
    gx_worker.start()
    assert gx_worker._WORKER is not None
    yield gx_worker._WORKER
    if gx_worker._WORKER is not None:
        gx_worker._WORKER.shutdown()
    gx_worker._WORKER = None


def test_the_worker_gives_the_outcomes_of_this_process(worker: object) -> None:
    rates = build_exchange_rates(read_reference_rates(str(DEFAULT_RAW_DIR / "reference/cny_per_usd_annual.csv")), "r")
    broken = rates.copy()
    broken.loc[1, "year"] = broken.loc[0, "year"]  # two rates for one year: one_rate_per_year fails
    for frame in (rates, broken):
        view = suite_view(frame, EXCHANGE_RATES)
        here = gx_suites.run_suite(view, EXCHANGE_RATES.name, SUITE)
        there = gx_worker.run_suite(view, EXCHANGE_RATES.name, SUITE)
        assert there == here
    assert {o.check: o.passed for o in there} == {"row_count": True, "one_rate_per_year": False}
    assert [f["year"] for f in next(o for o in there if not o.passed).failures] == [int(rates.loc[0, "year"])] * 2
    # the worker is sent only the columns the suite reads; the failing rows still carry every column
    assert gx_suites.suite_columns(gx_suites.load_suite_json(SUITE), view.columns) != list(view.columns)
    assert all(set(f) == set(view.columns) for o in there for f in o.failures)


def test_a_suite_reads_the_columns_its_expectations_name_in_frame_order() -> None:
    raw = {"expectations": [
        {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "value"}},
        {"type": "expect_column_pair_values_a_to_be_greater_than_b",
         "kwargs": {"column_A": "value_high", "column_B": "value", "row_condition": "rate_source.notnull()",
                    "condition_parser": "pandas"}},
        {"type": "expect_compound_columns_to_be_unique", "kwargs": {"column_list": ["source_id", "line"]}},
        {"type": "expect_table_row_count_to_be_between", "kwargs": {"min_value": 1}},
    ]}  # fmt: skip
    # a name in a condition is kept even when it is a method ("notnull"): more columns than read, never fewer
    columns = ["line", "unit", "value", "source_id", "rate_source", "value_high", "notnull"]
    assert gx_suites.suite_columns(raw, columns) == ["line", "value", "source_id", "rate_source", "value_high",
                                                     "notnull"]  # fmt: skip


def test_a_killed_worker_leaves_the_suites_to_this_process(worker: object) -> None:
    view = suite_view(
        build_exchange_rates(read_reference_rates(str(DEFAULT_RAW_DIR / "reference/cny_per_usd_annual.csv")), "r"),
        EXCHANGE_RATES,
    )
    assert all(o.passed for o in gx_worker.run_suite(view, EXCHANGE_RATES.name, SUITE))  # the worker is up
    for pid in list(gx_worker._WORKER._processes):  # type: ignore[union-attr]
        os.kill(pid, signal.SIGKILL)
    assert all(o.passed for o in gx_worker.run_suite(view, EXCHANGE_RATES.name, SUITE))
    assert gx_worker._WORKER is None
