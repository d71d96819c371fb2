"""Everything derived from a :class:`~pipeline.metadata.datasets.Dataset` declaration: the pandera schema, the
Arrow schema (with descriptions and units as Parquet field metadata) and the Dagster ``TableSchema``."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from typing import Any

import pandas as pd
import pandera.pandas as pa
import pyarrow as pyarrow

from pipeline.metadata.datasets import Dataset, Field
from pipeline.metadata.fields import LIST_DTYPES

PANDAS_DTYPES = {
    "int64": "int64",
    "float64": "float64",
    "string": "str",
    "list<string>": "object",
    "list<quote>": "object",
}


def pandas_dtype(f: Field) -> str:
    """The pandas dtype of a field: a nullable integer column is 'Int64'."""
    return "Int64" if f.dtype == "int64" and f.nullable else PANDAS_DTYPES[f.dtype]


def typed(frame: pd.DataFrame, dataset: Dataset) -> pd.DataFrame:
    """``frame`` with exactly the declared columns, in order, cast to the declared dtypes."""
    return frame.loc[:, dataset.columns].astype({f.name: pandas_dtype(f) for f in dataset.fields})


QUOTE_TYPE = pyarrow.struct(
    [
        pyarrow.field("source_id", pyarrow.string(), nullable=False),
        pyarrow.field("char_start", pyarrow.int64(), nullable=False),
        pyarrow.field("char_end", pyarrow.int64(), nullable=False),
        pyarrow.field("text", pyarrow.string(), nullable=False),
    ]
)
QUOTE_KEYS = tuple(QUOTE_TYPE.names)
ARROW_TYPES = {
    "int64": pyarrow.int64(),
    "float64": pyarrow.float64(),
    "string": pyarrow.string(),
    "list<string>": pyarrow.list_(pyarrow.field("element", pyarrow.string(), nullable=False)),
    "list<quote>": pyarrow.list_(pyarrow.field("element", QUOTE_TYPE, nullable=False)),
}


def _is_list_of(kind: str) -> Callable[[Any], bool]:
    def text(value: Any) -> bool:
        return isinstance(value, str) and bool(value.strip())

    def quote(value: Any) -> bool:
        return (
            isinstance(value, dict)
            and tuple(value) == QUOTE_KEYS
            and text(value["source_id"])
            and isinstance(value["char_start"], int)
            and isinstance(value["char_end"], int)
            and 0 <= value["char_start"] <= value["char_end"]
            and isinstance(value["text"], str)
        )

    item = text if kind == "list<string>" else quote
    return lambda value: isinstance(value, list) and all(item(v) for v in value)


def _checks(f: Field) -> list[pa.Check]:
    checks: list[pa.Check] = []
    if f.dtype in LIST_DTYPES:
        well_formed = _is_list_of(f.dtype)
        what = "non-empty texts" if f.dtype == "list<string>" else "quotes {source_id, char_start, char_end, text}"
        checks.append(pa.Check(lambda s: s.map(well_formed), element_wise=False, name=f"list_of_{f.dtype[5:-1]}s",
                               error=f"every value must be a list of {what}"))  # fmt: skip
        if f.non_empty:
            checks.append(pa.Check(lambda s: s.map(len) > 0, name="non_empty_list"))
        return checks
    if f.minimum is not None:
        checks.append(pa.Check.ge(f.minimum))
    if f.maximum is not None:
        checks.append(pa.Check.le(f.maximum))
    if f.allowed is not None:
        checks.append(pa.Check.isin(list(f.allowed)))
    if f.pattern is not None:
        checks.append(pa.Check.str_matches(f.pattern))
    if f.non_empty:
        checks.append(pa.Check(lambda s: s.str.strip().str.len() > 0, name="non_empty_text"))
    return checks


def _contiguous(column: str, within: str | None) -> pa.Check:
    def gapless(values: pd.Series) -> bool:
        ordered = sorted(values.tolist())
        return ordered == list(range(ordered[0], ordered[-1] + 1)) if ordered else True

    def check(frame: pd.DataFrame) -> bool:
        if within is None:
            return gapless(frame[column])
        return all(gapless(part) for _, part in frame.groupby(within, sort=True)[column])

    where = f" within each {within}" if within else ""
    return pa.Check(check, name=f"{column}_contiguous", error=f"{column} values must have no gaps{where}")


@cache
def pandera_schema(dataset: Dataset) -> pa.DataFrameSchema:
    """A strict schema: exactly the declared columns in order, declared dtypes, no coercion."""
    columns = {
        f.name: pa.Column(
            pandas_dtype(f),
            checks=_checks(f),
            nullable=f.nullable,
            description=f.description,
            title=f.unit,
        )
        for f in dataset.fields
    }
    frame_checks = [_contiguous(dataset.contiguous, dataset.series_by)] if dataset.contiguous else []
    return pa.DataFrameSchema(
        columns,
        checks=frame_checks,
        unique=list(dataset.primary_key),
        strict=True,
        ordered=True,
        coerce=False,
        name=dataset.name,
    )


def columns_frame(columns: dict[str, list[Any]], dataset: Dataset) -> pd.DataFrame:
    """One typed frame from column lists (building one frame per document and concatenating is far slower)."""
    if not any(columns.values()):
        return empty_frame(dataset)
    return typed(pd.DataFrame(columns, columns=dataset.columns), dataset)


def empty_frame(dataset: Dataset) -> pd.DataFrame:
    """A frame with no rows and exactly the dataset's columns and dtypes."""
    return pd.DataFrame({f.name: pd.Series(dtype=pandas_dtype(f)) for f in dataset.fields})


def field_metadata(f: Field) -> dict[bytes, bytes]:
    meta = {"description": f.description}
    if f.unit:
        meta["unit"] = f.unit
    if f.raw_header:
        meta["raw_header"] = f.raw_header
    return {k.encode(): v.encode() for k, v in meta.items()}


@cache
def arrow_schema(dataset: Dataset) -> pyarrow.Schema:
    fields = [
        pyarrow.field(f.name, ARROW_TYPES[f.dtype], nullable=f.nullable, metadata=field_metadata(f))
        for f in dataset.fields
    ]
    meta = {
        "dataset": dataset.name,
        "title": dataset.title,
        "description": dataset.description,
        "primary_key": json.dumps(list(dataset.primary_key)),
    }
    return pyarrow.schema(fields, metadata={k.encode(): v.encode() for k, v in meta.items()})


def schema_fingerprint(dataset: Dataset) -> str:
    """A short, stable hash of the Arrow schema (names, types, nullability, metadata)."""
    import hashlib

    return hashlib.sha256(arrow_schema(dataset).serialize().to_pybytes()).hexdigest()[:16]
