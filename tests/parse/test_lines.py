"""split_lines: line numbers and character offsets into the raw text, whatever the line endings."""

from __future__ import annotations

from pipeline.parse.lines import Line, split_lines


def _check_offsets(text: str, lines: list[Line]) -> None:
    for line in lines:
        assert text[line.start : line.end] == line.text


def test_lf_lines_numbers_and_offsets() -> None:
    text = "Year A\n\n2001 1\n"
    assert split_lines(text) == [
        Line(1, "Year A", 0, 6),
        Line(2, "", 7, 7),
        Line(3, "2001 1", 8, 14),
    ]


def test_last_line_without_line_ending_is_kept() -> None:
    assert split_lines("a\nbc") == [Line(1, "a", 0, 1), Line(2, "bc", 2, 4)]


def test_empty_text_has_no_lines() -> None:
    assert split_lines("") == []


def test_crlf_and_cr_endings_give_the_same_texts_as_lf() -> None:
    lf = "Year A\n\n2001 1\n2002 2\n"
    crlf = lf.replace("\n", "\r\n")
    cr = lf.replace("\n", "\r")
    texts = [line.text for line in split_lines(lf)]
    assert texts == ["Year A", "", "2001 1", "2002 2"]
    assert [line.text for line in split_lines(crlf)] == texts
    assert [line.text for line in split_lines(cr)] == texts
    assert [line.start for line in split_lines(crlf)] == [0, 8, 10, 18]
    _check_offsets(crlf, split_lines(crlf))
    _check_offsets(cr, split_lines(cr))


def test_mixed_endings() -> None:
    text = "a\r\nb\rc\nd"
    lines = split_lines(text)
    assert [(line.number, line.text, line.start) for line in lines] == [
        (1, "a", 0),
        (2, "b", 3),
        (3, "c", 5),
        (4, "d", 7),
    ]


def test_bom_is_not_part_of_the_text_but_counts_in_offsets() -> None:
    text = "\ufeffYear A\r\n2001 1\r\n"
    lines = split_lines(text)
    assert lines == [Line(1, "Year A", 1, 7), Line(2, "2001 1", 9, 15)]
    _check_offsets(text, lines)


def test_bom_only_removed_at_the_start_of_the_file() -> None:
    text = "a\n\ufeffb\n"
    assert split_lines(text)[1].text == "\ufeffb"


def test_trailing_blanks_removed_leading_blanks_kept() -> None:
    text = "  2001 1   \t\n2002 2  \n"
    lines = split_lines(text)
    assert lines == [Line(1, "  2001 1", 0, 8), Line(2, "2002 2", 13, 19)]
    _check_offsets(text, lines)


def test_is_blank() -> None:
    lines = split_lines("x\n   \n\t\n\ny\n")
    assert [line.is_blank for line in lines] == [False, True, True, True, False]
