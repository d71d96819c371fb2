"""Property-based: every parser, fed random and mutated text, returns a result or raises the project's
own SourceError, and nothing else."""

from __future__ import annotations

from contextlib import suppress
from datetime import timedelta

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.clean.figures import build_reported_figures
from pipeline.clean.mentions import find_zone_mentions
from pipeline.clean.text import TracedLine, clean_wrapped_text
from pipeline.errors import SourceError
from pipeline.parse.indicator_table import IndicatorTableConfig, parse_indicator_table
from pipeline.parse.lines import split_lines
from pipeline.parse.zone_table import ZoneTableConfig, parse_zone_table
from pipeline.raw.reference import read_reference_batches, read_reference_zones
from pipeline.raw.registry import decode_text
from pipeline.settings import DEFAULT_RAW_DIR

APPENDIX = (DEFAULT_RAW_DIR / "extracts/000_7a1c8b4bcb024347.txt").read_text(encoding="utf-8")
ARTICLE = (DEFAULT_RAW_DIR / "extracts/004_59c6304593d7021f.txt").read_text(encoding="utf-8")
ZONES = read_reference_zones(str(DEFAULT_RAW_DIR / "reference/pilot_zones_reference.csv"))
BATCHES = read_reference_batches(str(DEFAULT_RAW_DIR / "reference/pilot_zone_batches_reference.csv"))
# a deadline, so that a slow path fails instead of hiding (the inputs are at most a few kB)
SETTINGS = settings(max_examples=150, deadline=timedelta(seconds=5), suppress_health_check=[HealthCheck.too_slow])
ALPHABET = st.sampled_from([*"0123456789 .,-%$¥\n\r\t()‘’\"'YearRegionNational", "\ufeff", "\x00", "é", "亿"])


@st.composite
def mutated(draw: st.DrawFn, base: str) -> str:
    """The real text with a few random cuts, insertions, duplications and replacements."""
    text = base
    for _ in range(draw(st.integers(0, 6))):
        if not text:
            break
        i = draw(st.integers(0, len(text) - 1))
        j = draw(st.integers(i, min(len(text), i + 80)))
        op = draw(st.sampled_from(["cut", "insert", "duplicate", "replace"]))
        noise = draw(st.text(ALPHABET, max_size=20))
        text = {
            "cut": text[:i] + text[j:],
            "insert": text[:i] + noise + text[i:],
            "duplicate": text[:j] + text[i:j] + text[j:],
            "replace": text[:i] + noise + text[j:],
        }[op]
    return text


TEXTS = st.one_of(st.text(ALPHABET, max_size=400), st.text(max_size=200), mutated(APPENDIX), mutated(ARTICLE))


def _ok_or_own_error(function, *args) -> None:
    """Any exception but the project's own SourceError fails the test."""
    with suppress(SourceError):
        function(*args)


@SETTINGS
@given(TEXTS)
def test_indicator_table_parser(text: str) -> None:
    _ok_or_own_error(lambda t: parse_indicator_table(t, IndicatorTableConfig(), source_id="s", path="p"), text)


@SETTINGS
@given(TEXTS)
def test_zone_table_parser(text: str) -> None:
    _ok_or_own_error(lambda t: parse_zone_table(t, ZoneTableConfig(), source_id="s", path="p"), text)


@SETTINGS
@given(TEXTS)
def test_figures_mentions_and_text_cleaning(text: str) -> None:
    figures = build_reported_figures(text, "s", "2023-02-23", ZONES["city"].tolist())
    assert isinstance(figures, pd.DataFrame)
    for row in figures.itertuples():
        assert 0 <= row.quote_char_start <= row.char_start < row.char_end <= row.quote_char_end <= len(text)
    assert isinstance(find_zone_mentions(text, "s", "2023-02-23", ZONES, BATCHES), pd.DataFrame)
    lines = [TracedLine(line.number, line.start, line.text) for line in split_lines(text)]
    cleaned, _ = clean_wrapped_text(lines, source_id="s", field="f")
    assert isinstance(cleaned, str)


@SETTINGS
@given(st.binary(max_size=300) | TEXTS.map(lambda t: t.encode("utf-8", errors="replace")))
def test_decoding(data: bytes) -> None:
    _ok_or_own_error(lambda d: decode_text(d, "raw/x.txt"), data)
