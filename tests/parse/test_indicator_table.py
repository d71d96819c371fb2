"""parse_indicator_table on small tables written in the style of the real PDF appendix: a key header
``Year``, one blank-separated paragraph per column header (each wrapped over lines), then numeric rows."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from pipeline.corrections import Correction
from pipeline.errors import SourceError
from pipeline.metadata.tables import CellCorrection
from pipeline.parse.data_table import CORRECTION_ACTION
from pipeline.parse.indicator_table import (
    CELL_COLUMNS,
    IndicatorTableConfig,
    join_header_fragments,
    parse_indicator_table,
)
from pipeline.parse.lines import split_lines

# Three value columns, four years (1998-2001). Line numbers: header 3-10, rows 12, 14, 16, 18.
THREE_BY_FOUR = """Table 3. Trade indicators

Year Gross domestic
product

Total
exports

Total
imports

1998 84.4 18.4 14.0

1999 89.7 19.5 16.6

2000 99.2 25.0 22.5

2001 109.7 26.6 24.4

Source: national statistics.
"""

THREE_HEADERS = ["Gross domestic product", "Total exports", "Total imports"]
THREE_VALUES = {
    1998: [84.4, 18.4, 14.0],
    1999: [89.7, 19.5, 16.6],
    2000: [99.2, 25.0, 22.5],
    2001: [109.7, 26.6, 24.4],
}

SIX_HEADER = """Year Total e-
commerce

National
Express

Market
scale

Third-party
payments

Advertising
turnover

Network
penetration
"""
SIX_HEADERS = [
    "Total e-commerce",
    "National Express",
    "Market scale",
    "Third-party payments",
    "Advertising turnover",
    "Network penetration",
]
SIX_ROWS = [
    "2004 0.48 2.9 3300 60 1265 7.2",
    "2005 0.74 3.4 4300 163 1416 8.5",
    "2006 1.3 3.8 5000 451 1573 10.5",
]


def six_column_table(rows: list[str]) -> str:
    """The six-column header (lines 1-17), then each row after a blank line: row k is on line 19 + 2k."""
    return SIX_HEADER + "".join(f"\n{row}\n" for row in rows)


def parse(
    text: str, config: IndicatorTableConfig | None = None, path: str = "p.txt"
) -> tuple[pd.DataFrame, list[Correction]]:
    return parse_indicator_table(text, config or IndicatorTableConfig(), source_id="src", path=path)


def headers(frame: pd.DataFrame) -> list[str]:
    return frame.drop_duplicates("column_index").sort_values("column_index")["header"].tolist()


def grid(frame: pd.DataFrame) -> dict[int, list[float]]:
    return {
        int(year): cells.sort_values("column_index")["value"].tolist()
        for year, cells in frame.groupby("year", sort=True)
    }


def assert_spans(text: str, frame: pd.DataFrame) -> None:
    """Every cell's span and row span index the text exactly as given."""
    lines = split_lines(text)
    assert not frame.empty
    for cell in frame.itertuples():
        assert text[cell.char_start : cell.char_end] == cell.value_text
        row = text[cell.row_char_start : cell.row_char_end]
        assert row == lines[cell.line - 1].text
        assert row.split()[0] == str(cell.year)


STABLE = ["year", "column_index", "header", "header_lines", "value_text", "value", "line"]


def test_three_columns_four_years() -> None:
    frame, corrections = parse(THREE_BY_FOUR)
    assert corrections == []
    assert list(frame.columns) == CELL_COLUMNS
    assert len(frame) == 12
    assert headers(frame) == THREE_HEADERS
    assert frame.drop_duplicates("column_index")["header_lines"].tolist() == ["3,4", "6,7", "9,10"]
    assert grid(frame) == THREE_VALUES
    assert frame.drop_duplicates("year")["line"].tolist() == [12, 14, 16, 18]
    assert set(frame["source_id"]) == {"src"}
    first = frame.iloc[0]
    assert (first["year"], first["value_text"], first["char_start"], first["char_end"]) == (
        1998,
        "84.4",
        THREE_BY_FOUR.index("1998 84.4") + 5,
        THREE_BY_FOUR.index("1998 84.4") + 9,
    )
    assert_spans(THREE_BY_FOUR, frame)


def test_eight_columns() -> None:
    names = [
        ("Retail", "sales"),
        ("Online", "sales"),
        ("Parcel", "volume"),
        ("Express", "revenue"),
        ("Export", "value"),
        ("Import", "value"),
        ("Active", "sellers"),
        ("Mobile", "users"),
    ]
    header = "Year " + "\n\n".join(f"{a}\n{b}" for a, b in names)
    rows = [
        "2017 366262 71751 401 4957 15.33 12.46 8.9 7.53",
        "2018 380987 90065 507 6038 16.42 14.09 9.4 8.17",
        "2019 408017 106324 635 7498 17.23 14.31 10.1 8.47",
    ]
    text = header + "\n\n" + "\n\n".join(rows) + "\n"
    frame, corrections = parse(text)
    assert corrections == []
    assert headers(frame) == [f"{a} {b}" for a, b in names]
    assert len(frame) == 24
    assert grid(frame) == {int(row.split()[0]): [float(v) for v in row.split()[1:]] for row in rows}
    assert_spans(text, frame)


def test_page_number_line_between_rows_is_dropped_and_logged() -> None:
    clean, _ = parse(THREE_BY_FOUR)
    text = THREE_BY_FOUR.replace("1999 89.7 19.5 16.6\n\n", "1999 89.7 19.5 16.6\n17\n\n")
    frame, corrections = parse(text)
    start = text.index("\n17\n") + 1
    assert corrections == [Correction("src", 15, start, start + 2, "page", "17", "", "page_number_line")]
    assert text[start : start + 2] == "17"
    assert grid(frame) == THREE_VALUES
    assert headers(frame) == THREE_HEADERS
    assert frame.drop_duplicates("year")["line"].tolist() == [12, 14, 17, 19]
    assert_spans(text, frame)
    assert len(frame) == len(clean)


def test_page_number_line_inside_the_header_is_dropped_and_logged() -> None:
    text = THREE_BY_FOUR.replace("Total\nexports\n", "Total\n12\nexports\n")
    frame, corrections = parse(text)
    start = text.index("\n12\n") + 1
    assert corrections == [Correction("src", 7, start, start + 2, "page", "12", "", "page_number_line")]
    assert headers(frame) == THREE_HEADERS
    assert frame.drop_duplicates("column_index")["header_lines"].tolist() == ["3,4", "6,8", "10,11"]
    assert grid(frame) == THREE_VALUES


def test_crlf_line_endings() -> None:
    clean, _ = parse(THREE_BY_FOUR)
    text = THREE_BY_FOUR.replace("\n", "\r\n")
    frame, corrections = parse(text)
    assert corrections == []
    pd.testing.assert_frame_equal(frame[STABLE], clean[STABLE])
    assert_spans(text, frame)
    # each earlier line ending is one character longer
    assert frame["char_start"].tolist() == (clean["char_start"] + clean["line"] - 1).tolist()


def test_utf8_bom_values_identical_and_offsets_index_the_original_string() -> None:
    clean, _ = parse(THREE_BY_FOUR)
    text = "\ufeff" + THREE_BY_FOUR
    frame, corrections = parse(text)
    assert corrections == []
    pd.testing.assert_frame_equal(frame[STABLE], clean[STABLE])
    assert frame["char_start"].tolist() == (clean["char_start"] + 1).tolist()
    assert frame["row_char_end"].tolist() == (clean["row_char_end"] + 1).tolist()
    assert_spans(text, frame)


def test_bom_on_the_key_header_line_and_crlf() -> None:
    text = "\ufeff" + THREE_BY_FOUR.split("\n", 2)[2].replace("\n", "\r\n")  # starts with "Year"
    frame, _ = parse(text)
    assert text[1:5] == "Year"
    assert headers(frame) == THREE_HEADERS
    assert grid(frame) == THREE_VALUES
    assert frame.drop_duplicates("column_index")["header_lines"].tolist() == ["1,2", "4,5", "7,8"]
    assert_spans(text, frame)


def test_trailing_spaces() -> None:
    clean, _ = parse(THREE_BY_FOUR)
    text = "\n".join(line + "   " for line in THREE_BY_FOUR.split("\n"))
    frame, _ = parse(text)
    pd.testing.assert_frame_equal(frame[STABLE], clean[STABLE])
    assert_spans(text, frame)
    rows = frame.drop_duplicates("year")
    assert [text[r.row_char_start : r.row_char_end] for r in rows.itertuples()] == [
        "1998 84.4 18.4 14.0",
        "1999 89.7 19.5 16.6",
        "2000 99.2 25.0 22.5",
        "2001 109.7 26.6 24.4",
    ]


RUNNING_HEADER = IndicatorTableConfig(page_furniture=(r"Journal of Trade Studies \d+",))


def test_running_page_header_between_rows_is_dropped_and_logged() -> None:
    text = THREE_BY_FOUR.replace("2000 99.2", "Journal of Trade Studies 17\n\n2000 99.2")
    frame, corrections = parse(text, RUNNING_HEADER)
    start = text.index("Journal")
    assert corrections == [
        Correction("src", 16, start, start + 27, "page", "Journal of Trade Studies 17", "", "running_header")
    ]
    assert grid(frame) == THREE_VALUES
    assert headers(frame) == THREE_HEADERS
    assert_spans(text, frame)


def test_a_running_title_with_its_page_number_needs_no_pattern() -> None:
    text = THREE_BY_FOUR.replace("2000 99.2", "Journal of Trade Studies 17\n\n2000 99.2")
    frame, corrections = parse(text)
    assert [(c.line, c.before, c.rule) for c in corrections] == [
        (16, "Journal of Trade Studies 17", "page_header_line")
    ]
    assert grid(frame) == THREE_VALUES


def test_running_page_header_not_configured_is_an_error_not_a_shorter_table() -> None:
    text = THREE_BY_FOUR.replace("2000 99.2", "Journal of Trade Studies, vol. 17\n\n2000 99.2")
    line = text.splitlines().index("Journal of Trade Studies, vol. 17") + 1
    with pytest.raises(
        SourceError, match=re.escape(f"p.txt:{line}: a line inside the indicator table is neither a row")
    ):
        parse(text)


def test_join_header_fragments() -> None:
    assert join_header_fragments(["Total e-", "commerce"]) == "Total e-commerce"
    assert join_header_fragments(["The market", "scale of cross-", "border"]) == ("The market scale of cross-border")
    assert join_header_fragments(["  China  ", "Third-Party"]) == "China Third-Party"
    assert join_header_fragments([]) == ""


def test_header_with_a_hyphen_at_line_end() -> None:
    text = "Year Total e-\ncommerce\n\nNational\nExpress\n\n2001 0.12 2.0\n\n2002 0.19 2.2\n"
    frame, _ = parse(text)
    assert headers(frame) == ["Total e-commerce", "National Express"]
    assert frame.drop_duplicates("column_index")["header_lines"].tolist() == ["1,2", "4,5"]
    assert grid(frame) == {2001: [0.12, 2.0], 2002: [0.19, 2.2]}


def test_all_column_names_on_one_line() -> None:
    text = "Year GDP Exports Imports\n\n1998 84.4 18.4 14.0\n1999 89.7 19.5 16.6\n"
    frame, _ = parse(text)
    assert headers(frame) == ["GDP", "Exports", "Imports"]
    assert frame.drop_duplicates("column_index")["header_lines"].tolist() == ["1", "1", "1"]
    assert grid(frame) == {1998: [84.4, 18.4, 14.0], 1999: [89.7, 19.5, 16.6]}
    assert_spans(text, frame)


def test_one_line_multi_word_header_of_a_single_column_is_not_split() -> None:
    text = "Year Total exports\n\n1998 18.4\n1999 19.5\n"
    frame, _ = parse(text)
    assert headers(frame) == ["Total exports"]
    assert grid(frame) == {1998: [18.4], 1999: [19.5]}


def test_thousands_separators_and_negative_numbers() -> None:
    text = THREE_BY_FOUR.replace("1999 89.7 19.5 16.6", "1999 1,234.5 12,345,678 -3.5")
    frame, _ = parse(text)
    row = frame.loc[frame["year"] == 1999].sort_values("column_index")
    assert row["value_text"].tolist() == ["1,234.5", "12,345,678", "-3.5"]
    assert row["value"].tolist() == [1234.5, 12345678.0, -3.5]
    assert_spans(text, frame)


def test_badly_grouped_thousands_is_not_a_number() -> None:
    text = THREE_BY_FOUR.replace("1999 89.7", "1999 12,34")
    with pytest.raises(SourceError, match=re.escape("non-numeric value '12,34'")):
        parse(text)


def test_prose_starting_with_a_year_after_the_table_is_not_a_row() -> None:
    text = THREE_BY_FOUR.replace(
        "Source: national statistics.\n", '2025 + independent brand international". Expand the\n'
    )
    frame, corrections = parse(text)
    assert corrections == []
    assert grid(frame) == THREE_VALUES


def test_prose_line_right_after_a_six_column_table_ends_it() -> None:
    text = six_column_table(SIX_ROWS) + "2025 + independent brand international\n"
    frame, _ = parse(text)
    assert grid(frame) == {int(r.split()[0]): [float(v) for v in r.split()[1:]] for r in SIX_ROWS}
    assert headers(frame) == SIX_HEADERS


@pytest.mark.parametrize(
    "prose",
    [
        '2025 + independent brand international". Expand the',  # 6 words, 6 columns
        "2025 + independent brand international + Internet",  # same shape, no quote
    ],
)
def test_prose_with_as_many_words_as_columns_ends_the_table(prose: str) -> None:
    text = six_column_table(SIX_ROWS) + "\n" + prose + "\n"
    frame, _ = parse(text)
    assert sorted(grid(frame)) == [2004, 2005, 2006]


def test_row_with_too_few_values() -> None:
    text = six_column_table([SIX_ROWS[0], SIX_ROWS[1], "2006 1.3 3.8 5000 451 1573"])
    expected = (
        "p.txt:23: row 2006 has 5 values but the header has 6 columns ("
        + "; ".join(SIX_HEADERS)
        + "): a cell lost or split in extraction. "
        + CORRECTION_ACTION
    )
    with pytest.raises(SourceError, match=re.escape("p.txt:23: ")) as caught:
        parse(text)
    assert str(caught.value) == expected
    assert caught.value.line == 23
    assert caught.value.path == "p.txt"


def test_row_with_too_many_values() -> None:
    text = THREE_BY_FOUR.replace("2000 99.2 25.0 22.5", "2000 99.2 25.0 22.5 7")
    with pytest.raises(
        SourceError,
        match=re.escape(
            "p.txt:16: row 2000 has 4 values but the header has 3 columns "
            "(Gross domestic product; Total exports; Total imports): a cell lost or split in extraction."
        ),
    ):
        parse(text)


def test_non_numeric_cell() -> None:
    text = THREE_BY_FOUR.replace("1999 89.7 19.5 16.6", "1999 89.7 abc 16.6")
    with pytest.raises(SourceError) as caught:
        parse(text)
    expected = "p.txt:14: non-numeric value 'abc' in column 'Total exports' of row 1999. "
    assert str(caught.value) == expected + CORRECTION_ACTION


def test_duplicated_year() -> None:
    text = six_column_table([SIX_ROWS[0], SIX_ROWS[1], SIX_ROWS[1]])
    with pytest.raises(SourceError, match=re.escape("p.txt:23: year 2005 appears twice, on lines 21 and 23.")):
        parse(text)


def test_no_table_at_all() -> None:
    with pytest.raises(SourceError) as caught:
        parse("Some prose about 2019.\n\nNo table here.\n")
    assert str(caught.value) == (
        "p.txt: no indicator table found: no line starts with the key header 'Year' followed by "
        "rows keyed by a year (table 1 of this file in raw/sources.yaml). Check the table's `key_header` and "
        "`key` in raw/sources.yaml."
    )
    assert caught.value.line is None


def test_key_header_without_data_rows_is_no_table() -> None:
    with pytest.raises(SourceError, match=re.escape("p.txt: no indicator table found")):
        parse("Year GDP Exports\n\nData not available.\n")


def test_other_key_header() -> None:
    text = THREE_BY_FOUR.replace("Year Gross", "Period Gross")
    with pytest.raises(SourceError, match=r"no indicator table found: .* key header 'Year'"):
        parse(text)
    frame, _ = parse(text, IndicatorTableConfig(key_header="period"))
    assert grid(frame) == THREE_VALUES


@pytest.mark.parametrize("null", ["-", "\u2014", "n.a.", "n/a", ".."])
def test_usual_null_cells_need_no_option(null: str) -> None:
    text = THREE_BY_FOUR.replace("1999 89.7 19.5 16.6", f"1999 89.7 {null} 16.6")
    frame, corrections = parse(text)
    assert corrections == []
    cell = frame.loc[(frame["year"] == 1999) & (frame["column_index"] == 1)].iloc[0]
    assert cell["value_text"] == null
    assert pd.isna(cell["value"])


def test_null_token() -> None:
    text = THREE_BY_FOUR.replace("1999 89.7 19.5 16.6", "1999 89.7 nil 16.6")
    with pytest.raises(SourceError, match=re.escape("p.txt:14: non-numeric value 'nil' in column")):
        parse(text)
    frame, _ = parse(text, IndicatorTableConfig(null_tokens=("nil",)))
    cell = frame.loc[(frame["year"] == 1999) & (frame["column_index"] == 1)].iloc[0]
    assert cell["value_text"] == "nil"
    assert pd.isna(cell["value"])
    assert frame["value"].isna().sum() == 1
    assert frame["value"].dtype == "float64"
    assert grid(frame.dropna(subset=["value"]))[1999] == [89.7, 16.6]
    assert_spans(text, frame)


# ---------------------------------------------------------------------------------------------------
# Suspected pipeline bugs: these document behaviour that looks wrong; they fail until it is fixed.


@pytest.mark.parametrize("page_line", ["Page 17", "17 / 40"])
def test_page_number_in_other_shapes_between_rows_is_dropped(page_line: str) -> None:
    text = THREE_BY_FOUR.replace("2000 99.2", f"{page_line}\n\n2000 99.2")
    frame, corrections = parse(text)
    assert [c.rule for c in corrections] == ["page_number_line"]
    assert grid(frame) == THREE_VALUES


def test_damaged_row_in_the_middle_of_the_table_is_an_error() -> None:
    text = THREE_BY_FOUR.replace("1999 89.7 19.5 16.6", "1999 89.7 n/a")
    with pytest.raises(SourceError, match=re.escape("p.txt:14: row 1999 has 2 values but the header has 3 columns")):
        parse(text)


def test_indented_page_number_correction_span_matches_before() -> None:
    text = THREE_BY_FOUR.replace("2000 99.2", "          17\n\n2000 99.2")
    frame, corrections = parse(text)
    assert grid(frame) == THREE_VALUES
    (correction,) = corrections
    assert correction.before == "17"
    assert text[correction.char_start : correction.char_end] == correction.before


def test_a_last_row_of_placeholders_is_a_row_of_empty_cells_not_dropped() -> None:
    text = "Year GDP Exports\n\n2001 1 2\n2002 3 4\n2003 n/a n/a\n"
    frame, _ = parse(text)
    last = frame.loc[frame["year"] == 2003]
    assert last["value_text"].tolist() == ["n/a", "n/a"] and last["value"].isna().all()


def test_a_last_row_of_unknown_placeholders_is_an_error_not_dropped() -> None:
    text = "Year GDP Exports\n\n2001 1 2\n2002 3 4\n2003 ? ?\n"
    with pytest.raises(
        SourceError,
        match=re.escape(
            "p.txt:5: 2 problems in the table: line 5: non-numeric value '?' in column 'GDP' of row 2003; "
            "line 5: non-numeric value '?' in column 'Exports' of row 2003."
        ),
    ):
        parse(text)


@pytest.mark.parametrize("where", ["last", "middle", "first"])
def test_an_ocr_damaged_year_proved_by_its_neighbours_is_read_and_logged(where: str) -> None:
    """The last row '2O03 ...' used to end the table silently, one year short; a year read from letters
    O/l/I is now taken when the neighbouring years prove it, and logged."""
    rows = {
        "last": ["2001 1 2", "2002 3 4", "2O03 5 6"],
        "middle": ["2001 1 2", "2O02 3 4", "2003 5 6"],
        "first": ["200l 1 2", "2002 3 4", "2003 5 6"],
    }[where]
    text = "Year A B\n\n" + "\n\n".join(rows) + "\n"
    frame, corrections = parse_indicator_table(text, IndicatorTableConfig(), source_id="s", path="p.txt")
    assert sorted(grid(frame)) == [2001, 2002, 2003]
    damaged = next(r for r in rows if not r.split()[0].isdigit())
    (fix,) = corrections
    line = 3 + 2 * rows.index(damaged)
    assert (fix.line, fix.field, fix.before, fix.rule) == (line, "key", damaged.split()[0], "ocr_year_by_neighbours")
    assert text[fix.char_start : fix.char_end] == fix.before


@pytest.mark.parametrize(
    ("damaged", "why"),
    [
        ("2O05", "2005 is not proved by the neighbouring years"),
        ("200B", "its letters have more than one digit reading (B may be 8 or 3, S 5 or 8)"),
    ],
)
def test_an_unprovable_damaged_year_is_an_error_wherever_it_stands(damaged: str, why: str) -> None:
    text = f"Year A B\n\n2001 1 2\n\n{damaged} 3 4\n\n2003 5 6\n"
    with pytest.raises(SourceError) as error:
        parse_indicator_table(text, IndicatorTableConfig(), source_id="s", path="p.txt")
    expected = (
        f"p.txt:5: the year reads {damaged!r} and cannot be safely corrected: {why}; if you know the year, declare "
        f'{{line: 5, column: "Year", printed: "{damaged}", corrected: "...", reason: "..."}}. '
    )
    assert str(error.value) == expected + CORRECTION_ACTION


def test_a_declared_correction_fixes_a_key_and_a_cell_and_is_logged() -> None:
    text = "Year A B\n\n2001 1 2\n\n200B 3 4B\n\n2003 5 6\n"
    fixes = (
        CellCorrection(5, "Year", "200B", "2002", "the years run 2001-2003"),
        CellCorrection(5, "B", "4B", "48", "checked against the printed report"),
    )
    frame, corrections = parse_indicator_table(
        text, IndicatorTableConfig(cell_corrections=fixes), source_id="s", path="p.txt"
    )
    assert grid(frame) == {2001: [1.0, 2.0], 2002: [3.0, 48.0], 2003: [5.0, 6.0]}
    assert [(c.field, c.before, c.after, c.rule) for c in corrections] == [
        ("cell: B", "4B", "48", "declared_cell_correction"),
        ("key", "200B", "2002", "declared_cell_correction"),
    ]
    for c in corrections:
        assert text[c.char_start : c.char_end] == c.before
    wrong = (CellCorrection(5, "B", "4C", "48", "x"),)
    with pytest.raises(SourceError, match=re.escape("expects '4C' but the cell reads '4B'")):
        parse_indicator_table(
            text.replace("200B", "2002"), IndicatorTableConfig(cell_corrections=wrong), source_id="s", path="p.txt"
        )


def test_a_wrapped_region_name_is_rejoined_but_a_sentence_after_the_table_is_not() -> None:
    text = (
        "Province Exports Imports\n\nGuangdong 12.5 3.1\n\nXinjiang Uygur 1.2 0.4\nAutonomous Region\n\n"
        "Zhejiang 8.0 2.2\n\nFigures are provisional.\n"
    )
    config = IndicatorTableConfig(key="region", key_header="Province")
    names = {"xinjiang uygur autonomous region": "Xinjiang"}
    frame, _ = parse_indicator_table(text, config, source_id="s", path="p.txt", region_names=names)
    rows = frame.drop_duplicates("key")[["key", "key_text", "key_lines"]].to_numpy().tolist()
    assert rows == [
        ["Guangdong", "Guangdong", "3"],
        ["Xinjiang", "Xinjiang Uygur Autonomous Region", "5,6"],
        ["Zhejiang", "Zhejiang", "8"],
    ]
