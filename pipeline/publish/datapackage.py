"""A Frictionless-style ``datapackage.json`` for each release, derived from the dataset declarations,
and a validator that checks a descriptor against the files beside it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from pipeline.metadata.datasets import PUBLISHED, Dataset, Field
from pipeline.metadata.fields import LIST_DTYPES
from pipeline.metadata.schemas import ARROW_TYPES
from pipeline.raw.registry import Source
from pipeline.store.parquet import sha256_file
from pipeline.store.workspace import read_json

FRICTIONLESS_TYPES = {
    "int64": "integer",
    "float64": "number",
    "string": "string",
    # frictionless reads Parquet through pandas, where an Arrow list is a numpy array, which its 'array' type
    # rejects: a list column is declared 'any', with its Arrow type beside it ('arrowType')
    "list<string>": "any",
    "list<quote>": "any",
}
# frictionless reads Parquet through pandas, where a missing number is NaN: that is the missing value; an empty
# text ('' in corrections.after: the text was removed) is a value, not a missing one
MISSING_VALUES = ["nan"]


def _field(f: Field, dataset: Dataset) -> dict[str, Any]:
    constraints: dict[str, Any] = {"required": not f.nullable}
    if f.minimum is not None:
        constraints["minimum"] = f.minimum
    if f.maximum is not None:
        constraints["maximum"] = f.maximum
    if f.allowed is not None:
        constraints["enum"] = list(f.allowed)
    if f.pattern is not None:
        constraints["pattern"] = f.pattern
    if dataset.primary_key == (f.name,):
        constraints["unique"] = True
    field: dict[str, Any] = {
        "name": f.name,
        "type": FRICTIONLESS_TYPES[f.dtype],
        "description": f.description,
        "constraints": constraints,
    }
    if f.dtype in LIST_DTYPES:
        field["arrowType"] = str(ARROW_TYPES[f.dtype])
    if f.unit:
        field["unit"] = f.unit
    if f.raw_header:
        field["raw_header"] = f.raw_header
    return field


def _foreign_keys(dataset: Dataset) -> list[dict[str, Any]]:
    """The dataset's declared foreign keys (``Dataset.references``) in Frictionless form."""
    return [
        {"fields": [column], "reference": {"resource": other, "fields": [target]}}
        for column, (other, target) in dataset.references
    ]


def build_datapackage(manifest: dict[str, Any], sources: list[Source]) -> dict[str, Any]:
    by_id = {s.id: s for s in sources}
    resources = []
    for dataset in PUBLISHED:
        info = manifest["datasets"][dataset.name]
        resources.append(
            {
                "name": dataset.name,
                "title": dataset.title,
                "description": dataset.description,
                "path": info["path"],
                "format": "parquet",
                "mediatype": "application/vnd.apache.parquet",
                "hash": f"sha256:{info['sha256']}",
                "sha256": info["sha256"],
                # not 'bytes': frictionless compares that with what its Parquet reader counts, which is nothing
                "file_bytes": info["bytes"],
                "rows": info["rows"],
                "schema": {
                    "fields": [_field(f, dataset) for f in dataset.fields],
                    "missingValues": MISSING_VALUES,
                    "primaryKey": list(dataset.primary_key),
                    **({"foreignKeys": _foreign_keys(dataset)} if _foreign_keys(dataset) else {}),
                },
            }
        )
    return {
        "profile": "data-package",
        "name": "china-cross-border-ecommerce",
        "id": manifest["release_id"],
        "version": manifest["release_id"],
        "title": "China cross-border e-commerce: curated datasets from raw text extracts",
        "resources": resources,
        "sources": [
            {
                "title": by_id[source_id].title if source_id in by_id else source_id,
                "id": source_id,
                "path": info["path"],
                "sha256": info["sha256"],
                **({"url": by_id[source_id].url} if source_id in by_id and by_id[source_id].url else {}),
            }
            for source_id, info in manifest["inputs"].items()
        ],
    }


def _foreign_key_problems(folder: Path, package: dict[str, Any], path: Path) -> list[str]:
    """Each declared foreign key's values (nulls aside) exist in the column it references."""
    files = {r.get("name"): folder / str(r.get("path", "")) for r in package.get("resources", [])}
    problems = []
    for resource in package.get("resources", []):
        for key in resource.get("schema", {}).get("foreignKeys", []):
            (column,), target = key["fields"], key["reference"]
            (other_column,) = target["fields"]
            mine, theirs = files.get(resource.get("name")), files.get(target["resource"])
            if mine is None or theirs is None or not mine.is_file() or not theirs.is_file():
                problems.append(f"{path}: resource {resource.get('name')!r}: foreign key {column} -> "
                                f"{target['resource']}.{other_column}: no such file.")  # fmt: skip
                continue
            try:
                values = set(pq.read_table(mine, columns=[column]).column(0).drop_null().to_pylist())
                known = set(pq.read_table(theirs, columns=[other_column]).column(0).to_pylist())
            except (OSError, ValueError, KeyError) as error:
                problems.append(f"{path}: resource {resource.get('name')!r}: foreign key {column}: {error}.")
                continue
            missing = sorted(map(str, values - known))
            if missing:
                problems.append(
                    f"{path}: resource {resource.get('name')!r}: {len(missing)} value(s) of {column} are not in "
                    f"{target['resource']}.{other_column}: {', '.join(missing[:5])}."
                )
    return problems


def validate_datapackage(folder: Path) -> list[str]:
    """Problems with ``folder/datapackage.json`` against the files beside it (empty when valid)."""
    path = folder / "datapackage.json"
    if not path.exists():
        return [f"{path}: missing."]
    package = read_json(path)
    problems = [f"{path}: missing '{key}'." for key in ("name", "resources", "sources") if key not in package]
    for resource in package.get("resources", []):
        name = resource.get("name", "?")
        for key in ("path", "hash", "file_bytes", "schema"):
            if key not in resource:
                problems.append(f"{path}: resource {name!r} has no {key!r}.")
        file = folder / str(resource.get("path", ""))
        if not file.is_file():
            problems.append(f"{path}: resource {name!r}: {file.name} does not exist.")
            continue
        if resource.get("hash") != f"sha256:{sha256_file(file)}":
            problems.append(f"{path}: resource {name!r}: hash does not match {file.name}.")
        if resource.get("file_bytes") != file.stat().st_size:
            problems.append(f"{path}: resource {name!r}: bytes do not match {file.name}.")
        try:
            schema = pq.read_schema(file)
        except (OSError, ValueError) as error:  # pyarrow's ArrowInvalid is a ValueError
            problems.append(f"{path}: resource {name!r}: {file.name} is not readable Parquet ({error}).")
            continue
        fields = resource.get("schema", {}).get("fields", [])
        if [f.get("name") for f in fields] != schema.names:
            problems.append(f"{path}: resource {name!r}: fields {[f.get('name') for f in fields]} != {schema.names}.")
            continue
        for f in fields:
            scalar = {"integer": "int64", "number": "double", "string": "string"}
            expected = scalar.get(f.get("type")) if f.get("type") != "any" else f.get("arrowType")
            actual = str(schema.field(f["name"]).type)
            if expected != actual:
                problems.append(
                    f"{path}: resource {name!r}: field {f['name']!r} is {actual}, declared {f.get('type')}."
                )
            if not f.get("description"):
                problems.append(f"{path}: resource {name!r}: field {f['name']!r} has no description.")
        missing_keys = set(resource.get("schema", {}).get("primaryKey", [])) - set(schema.names)
        if missing_keys:
            problems.append(f"{path}: resource {name!r}: primary key columns {sorted(missing_keys)} do not exist.")
    problems += _foreign_key_problems(folder, package, path)
    for source in package.get("sources", []):
        if not source.get("sha256") or not source.get("path"):
            problems.append(f"{path}: source {source.get('id', '?')!r} has no path or sha256.")
    return problems
