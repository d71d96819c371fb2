"""Rejoining wrapped objectives text: each rule's output, and each correction's span in the raw text."""

from __future__ import annotations

import re

from pipeline.clean.text import (
    TracedLine,
    TracedText,
    apply_rule,
    clean_wrapped_text,
    join_wrapped_lines,
)
from pipeline.corrections import Correction


def traced_lines(raw: str) -> list[TracedLine]:
    """The non-blank lines of ``raw`` with their 1-based numbers and start offsets, computed here
    independently of the parser."""
    lines: list[TracedLine] = []
    position = 0
    for number, chunk in enumerate(raw.splitlines(keepends=True), start=1):
        text = chunk.rstrip("\r\n").rstrip()
        if text.strip():
            lines.append(TracedLine(number, position, text))
        position += len(chunk)
    return lines


def join(raw: str) -> tuple[TracedText, list[Correction]]:
    return join_wrapped_lines(traced_lines(raw), source_id="src", field="objectives")


def clean(raw: str) -> tuple[str, list[Correction]]:
    return clean_wrapped_text(traced_lines(raw), source_id="src", field="objectives")


def assert_offsets(raw: str, traced: TracedText) -> None:
    """Every character that is not an inserted space is the raw character it points at."""
    assert len(traced.offsets) == len(traced.text) == len(traced.lines)
    for char, offset in zip(traced.text, traced.offsets, strict=True):
        if offset >= 0:
            assert raw[offset] == char
        else:
            assert char == " "


def test_plain_lines_joined_with_one_space() -> None:
    raw = "Form a set of rules\n\n  for global trade.  \n"
    traced, corrections = join(raw)
    assert traced.text == "Form a set of rules for global trade."
    assert corrections == []
    assert traced.lines == [1] * 19 + [3] * 18
    assert_offsets(raw, traced)


def test_e_hyphen_at_line_end_is_kept() -> None:
    raw = "cross-border E-\n\ncommerce services\n"
    traced, corrections = join(raw)
    assert traced.text == "cross-border E-commerce services"
    start = raw.index("E-")
    assert corrections == [
        Correction("src", 1, start, start + 12, "objectives", "E-⏎⏎commerce", "E-commerce", "line_break_hyphen_kept")
    ]
    assert raw[start : start + 12] == "E-\n\ncommerce"
    assert_offsets(raw, traced)


def test_cross_hyphen_at_line_end_is_kept() -> None:
    raw = "Build the chain of cross-\nborder trade\n"
    text, corrections = clean(raw)
    assert text == "Build the chain of cross-border trade"
    (correction,) = corrections
    assert (correction.rule, correction.before, correction.after, correction.line) == (
        "line_break_hyphen_kept",
        "cross-⏎border",
        "cross-border",
        1,
    )
    assert raw[correction.char_start : correction.char_end] == "cross-\nborder"


def test_soft_hyphen_at_line_end_is_removed() -> None:
    raw = "traditional manu-\n   facturing enterprises\n"
    traced, corrections = join(raw)
    assert traced.text == "traditional manufacturing enterprises"
    start = raw.index("manu-")
    end = raw.index("facturing") + len("facturing")
    assert corrections == [
        Correction(
            "src",
            1,
            start,
            end,
            "objectives",
            "manu-⏎facturing",
            "manufacturing",
            "line_break_hyphen_removed",
        )
    ]
    assert raw[start:end] == "manu-\n   facturing"
    assert_offsets(raw, traced)
    # the removed hyphen has no character in the output: "manu" is followed by "facturing"
    u = traced.text.index("manufacturing") + 3
    assert raw[traced.offsets[u]] == "u"
    assert raw[traced.offsets[u + 1]] == "f"


def test_hyphen_kept_before_capital_and_digit_and_after_compound_prefix() -> None:
    raw = "Sino-\nAmerican trade; Covid-\n19 rules; demand-\ndriven growth; non-\ntariff measures\n"
    text, corrections = clean(raw)
    assert text == "Sino-American trade; Covid-19 rules; demand-driven growth; non-tariff measures"
    assert [c.rule for c in corrections] == ["line_break_hyphen_kept"] * 4
    assert [c.line for c in corrections] == [1, 2, 3, 4]


def test_spaced_hyphen() -> None:
    raw = "innovation services as well as cross - border network\n"
    text, corrections = clean(raw)
    assert text == "innovation services as well as cross-border network"
    start = raw.index(" - ")
    assert corrections == [Correction("src", 1, start, start + 3, "objectives", " - ", "-", "spaced_hyphen")]
    assert raw[start : start + 3] == " - "


def test_spaced_hyphen_only_between_lower_case_letters() -> None:
    raw = "Exports 2019 - 2020 and Belt - Road\n"
    text, corrections = clean(raw)
    assert text == "Exports 2019 - 2020 and Belt - Road"
    assert corrections == []


def test_inline_page_number() -> None:
    raw = "crack the development of problems. 20 20 Strive to cultivate\n"
    text, corrections = clean(raw)
    assert text == "crack the development of problems. Strive to cultivate"
    start = raw.index(" 20 20")
    assert corrections == [Correction("src", 1, start, start + 6, "objectives", " 20 20", "", "inline_page_number")]


def test_inline_page_number_needs_the_same_number_twice_after_a_sentence() -> None:
    raw = "problems. 20 21 Strive; in 2015 2016 Trade; done. 20 20 more\n"
    text, corrections = clean(raw)
    assert text == raw.strip()
    assert corrections == []


def test_real_hyphens_inside_a_line_untouched() -> None:
    raw = "services and high-level service from the domestic capacity-driven\nto outside demand-driven growth\n"
    text, corrections = clean(raw)
    assert text == ("services and high-level service from the domestic capacity-driven to outside demand-driven growth")
    assert corrections == []


def test_all_rules_together_with_spans_in_the_raw_text() -> None:
    raw = (
        "Efforts to crack the E-\r\n"
        "\r\n"
        "commerce problems. 20 20 Strive to build manu-\r\n"
        "  facturing and cross - border chains with high-level\r\n"
        "\r\n"
        "cross-\r\n"
        "border service.   \r\n"
    )
    text, corrections = clean(raw)
    assert text == (
        "Efforts to crack the E-commerce problems. Strive to build manufacturing and cross-border "
        "chains with high-level cross-border service."
    )
    spans = [(c.rule, c.line, raw[c.char_start : c.char_end], c.before, c.after) for c in corrections]
    assert spans == [
        ("line_break_hyphen_kept", 1, "E-\r\n\r\ncommerce", "E-⏎⏎commerce", "E-commerce"),
        ("line_break_hyphen_removed", 3, "manu-\r\n  facturing", "manu-⏎facturing", "manufacturing"),
        ("line_break_hyphen_kept", 6, "cross-\r\nborder", "cross-⏎border", "cross-border"),
        ("inline_page_number", 3, " 20 20", " 20 20", ""),
        ("spaced_hyphen", 4, " - ", " - ", "-"),
    ]
    assert all(c.source_id == "src" and c.field == "objectives" for c in corrections)


def test_bom_offset_counts() -> None:
    raw = "\ufeffcross - border\n"
    lines = [TracedLine(1, 1, "cross - border")]
    text, corrections = clean_wrapped_text(lines, source_id="src", field="objectives")
    assert text == "cross-border"
    (correction,) = corrections
    assert (correction.char_start, correction.char_end) == (6, 9)
    assert raw[correction.char_start : correction.char_end] == " - "


def test_apply_rule_keeps_offsets_of_untouched_text() -> None:
    raw = "ab xx cd\n"
    traced, _ = join(raw)
    out, corrections = apply_rule(traced, re.compile("xx"), "Y", rule="spaced_hyphen", source_id="src", field="f")
    assert out.text == "ab Y cd"
    assert out.offsets == [0, 1, 2, -1, 5, 6, 7]
    assert corrections == [Correction("src", 1, 3, 5, "f", "xx", "Y", "spaced_hyphen")]


def test_blank_and_empty_input() -> None:
    assert clean("") == ("", [])
    assert clean("\n  \n") == ("", [])
