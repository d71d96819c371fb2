"""Property-based, with known answers: sentences generated from templates of ordinary news wording
(amount, scale word, currency, growth wording and its direction, period), read back value for value.
Every example must finish well under a deadline, so a slow path fails the test instead of hiding."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.clean.figures import reported_figure_records

SETTINGS = settings(max_examples=200, deadline=timedelta(seconds=2))
SCALES = {"": 1, " thousand": 10**3, " million": 10**6, " billion": 10**9, " trillion": 10**12}
CURRENCIES = [  # (written before, written after, unit)
    ("US$", "", "USD"), ("$", "", "USD"), ("HK$", "", "HKD"), ("RMB", "", "CNY"), ("CNY ", "", "CNY"),
    ("", " yuan", "CNY"), ("", " U.S. dollars", "USD"),
]  # fmt: skip
RISING = ["rose", "grew", "increased", "climbed", "jumped", "rose by", "grew by", "increased by"]
FALLING = ["fell", "declined", "dropped", "decreased", "slipped", "edged down", "fell by", "declined by"]
PERCENT = ["%", " percent", " per cent"]
SUBJECTS = ["Cross-border e-commerce exports", "Online retail sales", "Imports through the zone"]
YEARS = st.integers(2012, 2025)


@st.composite
def money(draw: st.DrawFn) -> tuple[str, float, str]:
    """(printed amount, value in base units, currency)."""
    whole = draw(st.integers(1, 999))
    cents = draw(st.sampled_from(["", *(f".{d}" for d in ("5", "25", "08", "75"))]))
    scale = draw(st.sampled_from(list(SCALES)))
    before, after, unit = draw(st.sampled_from(CURRENCIES))
    number = f"{whole:,}" if whole >= 1000 else str(whole)
    printed = f"{before}{number}{cents}{scale}{after}"
    return printed, float(Decimal(f"{whole}{cents}") * SCALES[scale]), unit


@st.composite
def change(draw: st.DrawFn) -> tuple[str, str, float]:
    """(wording of a change in percent, the percent as printed, its signed value)."""
    rate = draw(st.sampled_from(["0.5", "3", "7.2", "12", "18.6", "45"]))
    sign = draw(st.sampled_from([1, -1]))
    verb = draw(st.sampled_from(RISING if sign > 0 else FALLING))
    percent = f"{rate}{draw(st.sampled_from(PERCENT))}"
    return f"{verb} {percent}", percent, sign * float(rate)


def read(sentence: str, published: str = "2026-06-30") -> list[dict]:
    return reported_figure_records(sentence, "s", published, ["Hangzhou"])


@SETTINGS
@given(st.sampled_from(SUBJECTS), change(), money(), YEARS)
def test_a_change_to_an_amount_is_that_amounts_growth(subject: str, growth: tuple, amount: tuple, year: int) -> None:
    (wording, _, rate), (printed, value, unit) = growth, amount
    sentence = f"{subject} {wording} to {printed} in {year}, officials said."
    (figure,) = read(sentence)
    assert sentence[figure["char_start"] : figure["char_end"]] == printed
    assert (figure["kind"], figure["unit"], figure["period"]) == ("amount", unit, str(year))
    assert abs(figure["value"] - value) <= 1e-9 * value
    assert figure["growth_pct"] == rate


@SETTINGS
@given(st.sampled_from(SUBJECTS), change(), YEARS)
def test_a_change_on_its_own_is_a_signed_growth_figure(subject: str, growth: tuple, year: int) -> None:
    wording, percent, rate = growth
    sentence = f"In {year}, {subject.lower()} {wording} from a year earlier."
    (figure,) = read(sentence)
    assert (figure["kind"], figure["value"], figure["unit"], figure["period"]) == ("growth", rate, "percent", str(year))
    assert sentence[figure["char_start"] : figure["char_end"]] == percent


@SETTINGS
@given(st.sampled_from(SUBJECTS), money(), st.sampled_from(["up", "down"]), YEARS)
def test_up_or_down_after_an_amount_signs_its_growth(subject: str, amount: tuple, direction: str, year: int) -> None:
    printed, value, unit = amount
    sentence = f"{subject} reached {printed} in {year}, {direction} 9.8 percent year on year."
    (figure,) = read(sentence)
    assert sentence[figure["char_start"] : figure["char_end"]] == printed
    assert abs(figure["value"] - value) <= 1e-9 * value
    assert (figure["unit"], figure["period"]) == (unit, str(year))
    assert figure["growth_pct"] == (9.8 if direction == "up" else -9.8)
