"""Turning pandas and numpy scalars into plain JSON values (NaN, NA and NaT become null)."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd


def plain(value: Any) -> Any:
    if isinstance(value, list | tuple) or (hasattr(value, "ndim") and getattr(value, "ndim", 0) == 1):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def plain_row(row: dict[str, Any]) -> dict[str, Any]:
    return {str(k): plain(v) for k, v in row.items()}
