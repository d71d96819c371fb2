"""Normalising printed city names to the reference registry's canonical names.

Exact names pass through; a name that differs only in letter case is fixed by rule
``city_name_case``; anything else must be listed in the committed mapping
``pipeline/mappings/city_names.csv`` (proposed at development time by
``python -m devtools.match_city_names``). A run never guesses with a similarity score.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

MAPPING_PATH = Path(__file__).resolve().parent.parent / "mappings" / "city_names.csv"


@dataclass(frozen=True)
class CityMatch:
    city: str
    province: str
    rule: str | None  # None when the printed name is already canonical


class UnknownCity(LookupError):
    pass


@dataclass(frozen=True)
class CityIndex:
    """The reference zones by printed name and by case-folded name: (city, city_zh, province) triples."""

    exact: dict[str, list[tuple[str, str, str]]]
    folded: dict[str, list[tuple[str, str, str]]]

    @classmethod
    def of(cls, reference: pd.DataFrame) -> CityIndex:
        exact: dict[str, list[tuple[str, str, str]]] = {}
        folded: dict[str, list[tuple[str, str, str]]] = {}
        for city, city_zh, province in zip(reference["city"], reference["city_zh"], reference["province"], strict=True):
            exact.setdefault(str(city), []).append((str(city), str(city_zh), str(province)))
            folded.setdefault(str(city).casefold(), []).append((str(city), str(city_zh), str(province)))
        return cls(exact, folded)


def match_city(
    printed: str, reference: pd.DataFrame | CityIndex, mapping: dict[str, tuple[str, str, str]]
) -> CityMatch:
    """Match a printed name to exactly one reference zone, or raise :class:`UnknownCity`."""
    index = reference if isinstance(reference, CityIndex) else CityIndex.of(reference)
    name = " ".join(printed.split())
    exact = index.exact.get(name, [])
    if len(exact) == 1:
        return CityMatch(name, exact[0][2], None)
    if name in mapping:  # an explicit mapping wins, which also settles an ambiguous name
        city, province, rule = mapping[name]
        return CityMatch(city, province, rule)
    folded = index.folded.get(name.casefold(), [])
    if len(exact) > 1 or len(folded) > 1:
        candidates = exact if len(exact) > 1 else folded
        provinces = ", ".join(f"{city_zh} ({province})" for _, city_zh, province in candidates)
        raise UnknownCity(
            f"city {name!r} is ambiguous: the reference has {provinces}. List the printed name with "
            f"its province in {MAPPING_PATH.name}."
        )
    if len(folded) == 1:
        return CityMatch(folded[0][0], folded[0][2], "city_name_case")
    raise UnknownCity(
        f"city {name!r} is not in the reference registry nor in pipeline/mappings/{MAPPING_PATH.name}. "
        "Run `uv run python -m devtools.match_city_names` to propose a mapping, check it, and commit it."
    )
