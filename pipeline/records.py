"""Record types that every layer passes around: a quarantined source, one document's result, the
outcome of one check; and a frame's rows as records. Nothing here knows how they are made or stored."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, fields
from typing import Any, Literal

import numpy as np
import pandas as pd

from pipeline.bulk import collector_paused
from pipeline.corrections import Correction

Severity = Literal["ERROR", "WARN"]


@dataclass(frozen=True)
class CheckOutcome:
    """One check of one dataset (or asset): passed or not, how serious a failure is, and the failing rows.

    ``asset_check`` names the Dagster asset check that reports it (``schema`` reports the pandera schema
    and the dataset's rules, ``expectations`` every expectation of its suite); empty, the check is one."""

    dataset: str
    check: str
    passed: bool
    severity: Severity
    description: str
    failures: list[dict[str, Any]] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    asset_check: str = ""

    @property
    def blocks(self) -> bool:
        return not self.passed and self.severity == "ERROR"

    def to_json(self) -> dict[str, Any]:
        # not dataclasses.asdict: it deep-copies every failing row, and a check of findings can hold 18,000
        # of them (a second of a 10,000-extract release); each row is a flat dict, copied as one
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["failures"] = [dict(row) for row in self.failures]
        data["details"] = copy.deepcopy(self.details)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CheckOutcome:
        return cls(**data)


@dataclass(frozen=True)
class SourceFailure:
    """A raw file that was quarantined: which, at which step, and the error meant for a person."""

    source_id: str
    path: str
    step: str
    message: str


@dataclass(frozen=True, init=False)
class DocumentResult:
    """One document's rows, stored by column (a list per column pickles and loads about ten times
    faster than a dict per row, which matters when a cache holds 10,000 documents)."""

    source_id: str
    columns: dict[str, list[Any]]
    corrections: list[Correction]
    error: str | None  # a SourceError's message: the document is quarantined
    error_path: str

    def __init__(
        self,
        source_id: str,
        records: list[dict[str, Any]] | None = None,
        corrections: list[Correction] | None = None,
        error: str | None = None,
        error_path: str = "",
    ) -> None:
        rows = records or []
        names = list(rows[0]) if rows else []
        object.__setattr__(self, "source_id", source_id)
        object.__setattr__(self, "columns", {n: [r[n] for r in rows] for n in names})
        object.__setattr__(self, "corrections", list(corrections or []))
        object.__setattr__(self, "error", error)
        object.__setattr__(self, "error_path", error_path)

    @property
    def records(self) -> list[dict[str, Any]]:
        names = list(self.columns)
        return [dict(zip(names, values, strict=True)) for values in zip(*self.columns.values(), strict=True)]

    @property
    def rows(self) -> int:
        return len(next(iter(self.columns.values()), []))


def combine(results: list[DocumentResult], columns: list[str]) -> dict[str, list[Any]]:
    """The rows of many documents as one column-wise dict (for ``pd.DataFrame(..., columns=...)``)."""
    combined: dict[str, list[Any]] = {c: [] for c in columns}
    for result in results:
        if result.error is None and result.rows:
            for c in columns:
                combined[c].extend(result.columns[c])
    return combined


def frame_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """``frame.to_dict(orient="records")``, value for value (Python scalars; NaN where pandas puts it, None
    for a nullable integer's NA), built column by column: pandas iterates every cell of an Arrow-backed
    string column on its own, two to five times slower on a dataset of 200,000 rows."""
    with collector_paused():
        return _records(frame)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    names = [str(c) for c in frame.columns]
    columns = []
    for _, series in frame.items():
        values = series.tolist()  # Python scalars for numeric and string columns, NaN or NA where missing
        if getattr(series.dtype, "na_value", None) is pd.NA:  # to_dict gives None for a nullable integer's NA
            values = [None if v is pd.NA else v for v in values]
        elif series.dtype == object:  # to_dict unboxes numpy scalars in object columns; tolist leaves them
            values = [v.item() if isinstance(v, np.generic) else v for v in values]
        columns.append(values)
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]
