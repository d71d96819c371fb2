"""Readable indicator charts (#15): the curated name as the title, round y ticks, year ticks, the printed
header as a caption."""

from __future__ import annotations

import re

from pipeline.report.charts import line_chart, nice_ticks, year_ticks
from pipeline.report.html import indicator_name


def test_ticks_are_round_and_cover_the_values() -> None:
    assert nice_ticks(0, 588000) == [0, 200000, 400000, 600000]
    assert nice_ticks(0, 34.81) == [0, 10, 20, 30, 40]
    assert nice_ticks(-3, 7) == [-4, -2, 0, 2, 4, 6, 8]
    assert year_ticks(2001, 2019) == [2001, 2005, 2010, 2015, 2019]
    assert year_ticks(2015, 2019) == [2015, 2016, 2017, 2018, 2019]


def test_the_title_is_the_dictionary_meaning_and_the_printed_header_a_caption() -> None:
    column = {
        "name": "third_party_mobile_payments_100m_cny",
        "raw_header": "China Third-Partv",
        "description": "Third-party mobile payment transaction volume (iResearch). Redefined in 2016.",
    }
    assert indicator_name(column) == "Third-party mobile payment transaction volume"
    svg = line_chart("c", indicator_name(column), "100 million CNY", [(2015, 122000.0), (2016, 588000.0)],
                     "printed header: “China Third-Partv”")  # fmt: skip
    texts = re.findall(r">([^<>]+)</text>", svg)
    assert texts[:2] == ["Third-party mobile payment transaction volume", "100 million CNY"]
    assert [t for t in texts if re.fullmatch(r"[\d,]+", t) and len(t) != 4] == ["0", "200,000", "400,000", "600,000"]
    assert "2015" in texts and "2016" in texts and texts[-1] == "printed header: “China Third-Partv”"
    assert "<title>2016: 588,000 100 million CNY</title>" in svg  # a dot's tooltip
