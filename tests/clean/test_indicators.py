"""Printed indicator headers matched to the declared columns: wrapping and hyphenation ignored, and
every unknown header of a table named in one error with the closest known one."""

from __future__ import annotations

import pytest

from pipeline.clean.indicators import build_annual_indicators
from pipeline.errors import SourceError
from pipeline.parse.indicator_table import IndicatorTableConfig, parse_indicator_table
from tests.helpers import HEADERS


def cells(text: str):  # type: ignore[no-untyped-def]
    frame, _ = parse_indicator_table(text, IndicatorTableConfig(), source_id="s", path="raw/t.txt")
    return frame


def test_a_header_hyphenated_across_lines_is_the_declared_one() -> None:
    text = "Year Network pene-\ntration \n\n2018 59.6 \n\n2019 61.2 \n"  # the appendix's layout
    frame = build_annual_indicators(cells(text), {"s": "raw/t.txt"}, HEADERS)
    assert frame["internet_penetration_pct"].tolist() == [59.6, 61.2]


def test_every_unknown_header_is_named_at_once_with_the_closest_known() -> None:
    text = "Year Netwrok \npenetration \n\nCustoms \nclearance volume \n\nTotal e-\ncommerce \n\n2018 59.6 1.1 31.63 \n"
    with pytest.raises(SourceError) as error:
        build_annual_indicators(cells(text), {"s": "raw/t.txt"}, HEADERS)
    message = str(error.value)
    assert message.startswith(
        "raw/t.txt:1: 2 column header(s) of its indicator tables are not in the indicator dictionary: "
        "'Netwrok penetration' (table 1, line 1; closest known: 'Network penetration'), "
        "'Customs clearance volume' (table 1, line 4; no known header is close)."
    )
    assert message.endswith(
        "A new indicator: add a row (header, indicator_id, unit, description). Then record the file's new sha256 "
        "(python -m pipeline register ref_indicator_headers)."
    )
