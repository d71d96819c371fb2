"""Running a Great Expectations suite from ``expectations/<dataset>.json`` on a DataFrame.

GX is imported lazily (it takes about 5 s) and only here. Each suite runs in a fresh ephemeral context.
An expectation's GX severity maps to Dagster's: ``critical`` -> ERROR (blocks publication),
``warning``/``info`` -> WARN. dtype checks are left to pandera.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.jsonable import plain
from pipeline.records import CheckOutcome, Severity

SEVERITY: dict[str, Severity] = {"critical": "ERROR", "warning": "WARN", "info": "WARN"}
DETAIL_KEYS = ("observed_value", "element_count", "unexpected_count", "unexpected_percent")
MAX_FAILURES = 50


class SuiteError(ValueError):
    """A suite file that GX would silently mangle (unknown expectation type, bad severity)."""


def suite_key(suite_path: Path, *versions: str) -> str:
    """What a suite's outcomes depend on besides the data: the suite file, the installed GX and the code
    that runs it (this module's version and ``versions``, e.g. the view's and the dataset's)."""
    from importlib.metadata import version

    from pipeline.versions import function_version

    digest = hashlib.sha256(suite_path.read_bytes())
    code = (run_suite, suite_columns, validate, outcomes, _outcome)
    for part in (version("great_expectations"), *(function_version(f) for f in code), *versions):
        digest.update(b"\0" + part.encode())
    return digest.hexdigest()


def load_suite_json(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def run_suite(frame: pd.DataFrame, dataset: str, suite_path: Path) -> list[CheckOutcome]:
    """One :class:`CheckOutcome` per expectation, in the suite's order, failing rows included (whole rows of
    ``frame``, though GX validates only the columns the suite names: :func:`suite_columns`)."""
    raw = load_suite_json(suite_path)
    return outcomes(validate(frame[suite_columns(raw, frame.columns)], dataset, suite_path), frame, dataset, raw)


def suite_columns(raw: dict[str, Any], columns: Iterable[str]) -> list[str]:
    """The columns of ``columns`` the suite reads (``column``, ``column_A``/``column_B``, ``column_list`` and the
    names in a ``row_condition``), in frame order: a suite over 220,000 observations reads a few of their 40."""
    named: set[str] = set()
    for expectation in raw.get("expectations", []):
        kwargs = expectation.get("kwargs") or {}
        named.update(str(kwargs[k]) for k in ("column", "column_A", "column_B") if k in kwargs)
        named.update(str(c) for c in kwargs.get("column_list") or [])
        named.update(re.findall(r"[A-Za-z_]\w*", str(kwargs.get("row_condition") or "")))
    return [c for c in columns if c in named]


def validate(frame: pd.DataFrame, dataset: str, suite_path: Path) -> list[dict[str, Any]]:
    """GX's result of each expectation of the suite on ``frame`` (as JSON dicts), in the suite's order."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    raw = load_suite_json(suite_path)
    suite = gx.ExpectationSuite(**raw)
    if len(suite.expectations) != len(raw.get("expectations", [])):
        raise SuiteError(
            f"{suite_path}: GX rejected {len(raw['expectations']) - len(suite.expectations)} "
            "expectation(s) (unknown type or severity); fix the suite file."
        )
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    suite = context.suites.add(suite)
    batch = (
        context.data_sources.add_pandas("pipeline")
        .add_dataframe_asset(dataset)
        .add_batch_definition_whole_dataframe("all")
        .get_batch(batch_parameters={"dataframe": frame.reset_index(drop=True)})
    )
    result = batch.validate(suite, result_format="COMPLETE")
    order = {e.id: i for i, e in enumerate(suite.expectations)}
    ordered = sorted(result.results, key=lambda r: order.get(getattr(r.expectation_config, "id", None), len(order)))
    return [r.to_json_dict() for r in ordered]


def outcomes(
    results: list[dict[str, Any]], frame: pd.DataFrame, dataset: str, raw: dict[str, Any]
) -> list[CheckOutcome]:
    """The outcomes of :func:`validate`'s results, with the failing rows of ``frame`` (all its columns)."""
    return [_outcome(r, frame, dataset, raw["expectations"][i]) for i, r in enumerate(results)]


def _outcome(result: dict[str, Any], frame: pd.DataFrame, dataset: str, declared: dict[str, Any]) -> CheckOutcome:
    config = result["expectation_config"]
    kwargs = {k: v for k, v in config["kwargs"].items() if k != "batch_id"}
    meta = declared.get("meta") or {}
    body = result.get("result") or {}
    failures: list[dict[str, Any]] = []
    # a passing expectation with "mostly" still lists its unexpected rows: they are not failures
    for index in (body.get("unexpected_index_list") or [])[:MAX_FAILURES] if not result["success"] else []:
        if isinstance(index, int) and 0 <= index < len(frame):
            row = frame.reset_index(drop=True).iloc[index]
            failures.append({k: plain(v) for k, v in row.items()})
    if not failures and not result["success"]:
        failures = [{"unexpected_value": v} for v in (body.get("unexpected_list") or [])[:MAX_FAILURES]]
    info = result.get("exception_info") or {}
    infos = [info] if "raised_exception" in info else list(info.values())
    errors = [i.get("exception_message") for i in infos if isinstance(i, dict) and i.get("raised_exception")]
    details = {k: body[k] for k in DETAIL_KEYS if k in body}
    details["expectation"] = config["type"]
    details["kwargs"] = kwargs
    if errors:
        details["errors"] = errors
    return CheckOutcome(
        dataset=dataset,
        check=meta.get("id") or config["type"],
        passed=bool(result["success"]),
        severity=SEVERITY[str(config.get("severity", "critical")).lower()],
        description=meta.get("description") or config["type"],
        failures=failures,
        details=details,
    )
