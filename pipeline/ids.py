"""Stable row ids: derived from what a row says and where, never from character offsets.

A row's id hashes its source, the words around it with every number masked (the sentence it stands in,
its numbers replaced by ``#``), what it is (a figure's measure, a mention's zone) and its occurrence among
the rows of the same source that share all of that. So an edit elsewhere in a file keeps every other id
(offsets shift, words do not), and a changed number in a sentence keeps the row's id: the release diff
shows one changed row with its value before and after (:mod:`pipeline.publish.compare`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence

ID_PATTERN = r"^[0-9a-f]{16}$"
_NUMBER = re.compile(
    r"\d+(?:[.,]\d+)*|\b(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|"
    r"dozens?)\b",
    re.I,
)
_SPACE = re.compile(r"\s+")


def masked(text: str) -> str:
    """``text`` with runs of whitespace collapsed and every number, in digits or a number word, replaced by '#':
    'rose 80% in 2017' -> 'rose #% in #', 'six batches' -> '# batches'."""
    return _NUMBER.sub("#", _SPACE.sub(" ", text).strip())


def digest(*parts: object) -> str:
    """16 hex digits of the sha256 of the parts, joined by a separator no part contains."""
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:16]


def stable_ids(kind: str, keys: Iterable[Sequence[object]]) -> list[str]:
    """One id per row, in the rows' order (document order): ``kind`` names the dataset, each key is the row's
    identifying parts (source first). Rows with equal keys are told apart by their occurrence (0, 1, ...)."""
    seen: dict[tuple[object, ...], int] = {}
    ids = []
    for key in keys:
        parts = tuple(key)
        occurrence = seen.get(parts, 0)
        seen[parts] = occurrence + 1
        ids.append(digest(kind, *parts, occurrence))
    return ids


REFERENCE_KIND = "reference"


def reference_count_id(source_id: str, batch: int, measure: str) -> str:
    """The observation id of a reference count of zones (a batch's pilot_zones_added or pilot_zones_total)."""
    return digest(REFERENCE_KIND, source_id, int(batch), measure)


VALUE_KIND = "indicator_value"


def value_id(source_id: str, key: str, indicator_id: str, occurrence: int = 0) -> str:
    """The ``value_id`` of a cell of indicator_values (its source, row key and indicator; as
    ``pipeline.clean.indicators.build_indicator_values`` gives it), e.g. for a cross-check on
    annual_indicators to name the cells it is about."""
    return digest(VALUE_KIND, source_id, key, indicator_id, occurrence)
