"""parse_zone_table on small tables written in the style of the real appendix: a header line, then per
zone the region and extent (on one line, or on two) and objectives wrapped over blank-separated lines."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from pipeline.corrections import Correction
from pipeline.errors import SourceError
from pipeline.parse.zone_table import LINE_COLUMNS, ZoneTableConfig, parse_zone_table

ZONES = """Appendix B. Pilot zones

Region Extent Main Objectives

Xiamen International

Build a hub for cross-border E-

commerce services and

digital trade.

Fuzhou
National

Improve customs clearance for

small parcels.

harbin Region

Open a northern corridor for

trade with neighbouring countries.
"""

# (zone_row, field, line, text) of every printed line of ZONES' table
EXPECTED = [
    (0, "region", 5, "Xiamen"),
    (0, "extent", 5, "International"),
    (0, "objectives", 7, "Build a hub for cross-border E-"),
    (0, "objectives", 9, "commerce services and"),
    (0, "objectives", 11, "digital trade."),
    (1, "region", 13, "Fuzhou"),
    (1, "extent", 14, "National"),
    (1, "objectives", 16, "Improve customs clearance for"),
    (1, "objectives", 18, "small parcels."),
    (2, "region", 20, "harbin"),
    (2, "extent", 20, "Region"),
    (2, "objectives", 22, "Open a northern corridor for"),
    (2, "objectives", 24, "trade with neighbouring countries."),
]


def parse(text: str, config: ZoneTableConfig | None = None) -> tuple[pd.DataFrame, list[Correction]]:
    return parse_zone_table(text, config or ZoneTableConfig(), source_id="src", path="z.txt")


def rows(frame: pd.DataFrame) -> list[tuple[int, str, int, str]]:
    return [(int(r.zone_row), r.field, int(r.line), r.text) for r in frame.itertuples()]


def assert_spans(text: str, frame: pd.DataFrame) -> None:
    assert not frame.empty
    for r in frame.itertuples():
        assert text[r.char_start : r.char_end] == r.text


def test_three_zones() -> None:
    frame, corrections = parse(ZONES)
    assert corrections == []
    assert list(frame.columns) == LINE_COLUMNS
    assert rows(frame) == EXPECTED
    assert set(frame["source_id"]) == {"src"}
    assert_spans(ZONES, frame)
    xiamen = ZONES.index("Xiamen International")
    assert frame.iloc[0][["char_start", "char_end"]].tolist() == [xiamen, xiamen + 6]
    assert frame.iloc[1][["char_start", "char_end"]].tolist() == [xiamen + 7, xiamen + 20]


def test_leading_spaces_are_not_part_of_a_field() -> None:
    text = ZONES.replace("harbin Region", "   harbin Region").replace("small parcels.", "  small parcels.")
    frame, _ = parse(text)
    assert rows(frame) == EXPECTED
    assert_spans(text, frame)


def test_page_number_line_inside_is_dropped_and_logged() -> None:
    text = ZONES.replace("commerce services and\n", "commerce services and\n\n23\n")
    frame, corrections = parse(text)
    start = text.index("\n23\n") + 1
    assert corrections == [Correction("src", 11, start, start + 2, "page", "23", "", "page_number_line")]
    shifted = [(z, f, line + 2 if line > 10 else line, t) for z, f, line, t in EXPECTED]
    assert rows(frame) == shifted
    assert_spans(text, frame)


def test_running_header_configured_is_dropped_and_logged() -> None:
    text = ZONES.replace("Fuzhou\n", "Journal of Trade Studies 18\n\nFuzhou\n")
    config = ZoneTableConfig(page_furniture=(r"Journal of Trade Studies \d+",))
    frame, corrections = parse(text, config)
    assert [(c.rule, c.line, c.before) for c in corrections] == [("running_header", 13, "Journal of Trade Studies 18")]
    assert [t for _, _, _, t in rows(frame)] == [t for _, _, _, t in EXPECTED]


def test_crlf_and_bom_give_identical_field_texts() -> None:
    clean, _ = parse(ZONES)
    text = "\ufeff" + ZONES.replace("\n", "\r\n")
    frame, corrections = parse(text)
    assert corrections == []
    pd.testing.assert_frame_equal(
        frame[["zone_row", "field", "line", "text"]], clean[["zone_row", "field", "line", "text"]]
    )
    assert_spans(text, frame)
    # one character for the BOM plus one per earlier line ending
    assert frame["char_start"].tolist() == (clean["char_start"] + clean["line"]).tolist()


def test_bom_on_the_header_line() -> None:
    text = "\ufeff" + ZONES.split("\n", 2)[2]  # the file starts with the header line
    frame, _ = parse(text)
    assert [(z, f, t) for z, f, _, t in rows(frame)] == [(z, f, t) for z, f, _, t in EXPECTED]
    assert_spans(text, frame)


def test_missing_header() -> None:
    text = ZONES.replace("Region Extent Main Objectives", "Region Extent Objectives")
    with pytest.raises(SourceError) as caught:
        parse(text)
    assert str(caught.value) == (
        "z.txt: no zone table found: no line reads 'Region Extent Main Objectives'. "
        "Check the table's `header` in raw/sources.yaml."
    )


def test_header_with_other_spacing_is_found() -> None:
    text = ZONES.replace("Region Extent Main Objectives", "  Region   Extent  Main Objectives  ")
    frame, _ = parse(text)
    assert rows(frame) == EXPECTED


def test_text_between_header_and_first_zone() -> None:
    text = ZONES.replace("Xiamen International", "(continued from the previous page)\n\nXiamen International")
    with pytest.raises(SourceError) as caught:
        parse(text)
    assert str(caught.value) == (
        "z.txt:5: expected a zone row (a region followed by one of International, National, Region) "
        "after the table header, found '(continued from the previous page)'. Fix the extract, or add "
        "the extent used here to `extents` in raw/sources.yaml."
    )


def test_unknown_extent_before_first_zone_is_an_error_unless_configured() -> None:
    text = ZONES.replace("Xiamen International", "Xiamen Provincial")
    with pytest.raises(SourceError, match=re.escape("z.txt:5: expected a zone row")):
        parse(text)
    config = ZoneTableConfig(extents=("International", "National", "Region", "Provincial"))
    frame, _ = parse(text, config)
    assert rows(frame)[:2] == [(0, "region", 5, "Xiamen"), (0, "extent", 5, "Provincial")]


def test_zone_without_objectives() -> None:
    text = ZONES.replace("Improve customs clearance for\n\nsmall parcels.\n\n", "")
    with pytest.raises(SourceError) as caught:
        parse(text)
    assert str(caught.value) == (
        "z.txt:13: zone 'Fuzhou' (table row 2) has no objectives text. Check whether the extract "
        "lost the text or two rows were merged; if a running page header or footer stands where its objectives "
        "start, declare it under the table's `page_furniture` (a regular expression for the whole line) in "
        "raw/sources.yaml."
    )


def test_last_zone_without_objectives() -> None:
    text = ZONES.split("\nOpen a northern", 1)[0]
    with pytest.raises(SourceError, match=re.escape("z.txt:20: zone 'harbin' (table row 3)")):
        parse(text)


def test_header_without_zones() -> None:
    with pytest.raises(SourceError) as caught:
        parse("Region Extent Main Objectives\n\n\n")
    assert str(caught.value) == "z.txt: the zone table has a header but no zone rows."


def test_end_marker_stops_the_table() -> None:
    text = ZONES + "\nClosing remarks: zones listed in order of approval.\nMore prose here.\n"
    without, _ = parse(text)
    assert rows(without)[-2:] == [
        (2, "objectives", 26, "Closing remarks: zones listed in order of approval."),
        (2, "objectives", 27, "More prose here."),
    ]
    frame, _ = parse(text, ZoneTableConfig(end_marker="Closing remarks:"))
    assert rows(frame) == EXPECTED


@pytest.mark.parametrize(
    "start", ["Notes: zones listed in order.", "Source: State Council.", "Table 3 Batches", "11. Conclusion"]
)
def test_a_note_source_table_or_section_after_a_blank_line_ends_the_table(start: str) -> None:
    frame, _ = parse(ZONES + "\n" + start + "\nMore prose here.\n")
    assert rows(frame) == EXPECTED


def test_end_marker_before_any_zone_leaves_no_rows() -> None:
    text = ZONES.replace("Xiamen International", "Notes:\n\nXiamen International")
    with pytest.raises(SourceError, match="header but no zone rows"):
        parse(text, ZoneTableConfig(end_marker="Notes:"))


def test_a_running_page_header_between_zones_is_an_error_not_the_end_of_the_table() -> None:
    """It reads like a numbered section heading; ending the table there published 4 of 12 zones."""
    text = ZONES.replace("Fuzhou\n", "22 Cross-border E-commerce in China\n\nFuzhou\n")
    with pytest.raises(SourceError) as error:
        parse(text)
    assert str(error.value) == (
        "z.txt:13: '22 Cross-border E-commerce in China' looks like the end of the zone table, but a zone row "
        "follows on line 15; the table would be cut short here. If it is a running page header or footer, "
        "declare it in the table's `page_furniture` (a regular expression for the whole line) in "
        "raw/sources.yaml; if the table really ends, set its `end_marker`."
    )
    frame, corrections = parse(text, ZoneTableConfig(page_furniture=(r"\d+ Cross-border E-commerce in China",)))
    assert [t for _, _, _, t in rows(frame)] == [t for _, _, _, t in EXPECTED]  # all three zones
    assert [(c.rule, c.line) for c in corrections] == [("running_header", 13)]
