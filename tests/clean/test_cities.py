"""match_city: exact names, letter-case fixes, the committed mapping, and refusing to guess."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from pipeline.clean.cities import CityMatch, UnknownCity, match_city
from pipeline.raw.reference import load_city_mapping


@pytest.fixture(scope="module")
def reference() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "batch": [1, 2, 2, 2, 5, 6],
            "city": ["Hangzhou", "Shanghai", "Chongqing", "Ningbo", "Taizhou", "Taizhou"],
            "city_zh": ["杭州", "上海", "重庆", "宁波", "台州", "泰州"],
            "province": ["Zhejiang", "Shanghai", "Chongqing", "Zhejiang", "Zhejiang", "Jiangsu"],
        }
    )


@pytest.fixture(scope="module")
def mapping() -> dict[str, tuple[str, str, str]]:
    return load_city_mapping()


def test_committed_mapping_has_the_ocr_fix(mapping: dict[str, tuple[str, str, str]]) -> None:
    assert mapping["Chongwing"] == ("Chongqing", "Chongqing", "city_name_ocr")


def test_exact_match(reference: pd.DataFrame, mapping: dict[str, tuple[str, str, str]]) -> None:
    assert match_city("Hangzhou", reference, mapping) == CityMatch("Hangzhou", "Zhejiang", None)


def test_exact_match_after_collapsing_spaces(reference: pd.DataFrame, mapping: dict[str, tuple[str, str, str]]) -> None:
    assert match_city("  Ningbo ", reference, mapping) == CityMatch("Ningbo", "Zhejiang", None)


def test_case_fix(reference: pd.DataFrame, mapping: dict[str, tuple[str, str, str]]) -> None:
    assert match_city("shanghai", reference, mapping) == CityMatch("Shanghai", "Shanghai", "city_name_case")
    assert match_city("HANGZHOU", reference, mapping) == CityMatch("Hangzhou", "Zhejiang", "city_name_case")


def test_mapping_fix(reference: pd.DataFrame, mapping: dict[str, tuple[str, str, str]]) -> None:
    assert match_city("Chongwing", reference, mapping) == CityMatch("Chongqing", "Chongqing", "city_name_ocr")


def test_mapping_is_only_used_for_listed_names(reference: pd.DataFrame) -> None:
    with pytest.raises(UnknownCity, match="'Chongwing' is not in the reference registry"):
        match_city("Chongwing", reference, {})


def test_ambiguous_name(reference: pd.DataFrame, mapping: dict[str, tuple[str, str, str]]) -> None:
    with pytest.raises(UnknownCity) as caught:
        match_city("Taizhou", reference, mapping)
    assert str(caught.value) == (
        "city 'Taizhou' is ambiguous: the reference has 台州 (Zhejiang), 泰州 (Jiangsu). "
        "List the printed name with its province in city_names.csv."
    )


def test_unknown_name(reference: pd.DataFrame, mapping: dict[str, tuple[str, str, str]]) -> None:
    with pytest.raises(UnknownCity) as caught:
        match_city("Chongqin", reference, mapping)
    assert str(caught.value) == (
        "city 'Chongqin' is not in the reference registry nor in pipeline/mappings/city_names.csv. "
        "Run `uv run python -m devtools.match_city_names` to propose a mapping, check it, and "
        "commit it."
    )
    assert isinstance(caught.value, LookupError)


def test_no_similarity_guess(reference: pd.DataFrame, mapping: dict[str, tuple[str, str, str]]) -> None:
    with pytest.raises(UnknownCity, match=re.escape("devtools.match_city_names")):
        match_city("Hangzou", reference, mapping)


def test_ambiguous_name_resolved_by_the_mapping(reference: pd.DataFrame) -> None:
    mapping = {"Taizhou": ("Taizhou", "Jiangsu", "city_name_ocr")}
    assert match_city("Taizhou", reference, mapping) == CityMatch("Taizhou", "Jiangsu", "city_name_ocr")


def test_case_variant_of_an_ambiguous_name_is_reported_as_ambiguous(
    reference: pd.DataFrame, mapping: dict[str, tuple[str, str, str]]
) -> None:
    with pytest.raises(UnknownCity, match="ambiguous"):
        match_city("taizhou", reference, mapping)
