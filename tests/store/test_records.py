"""``frame_records`` is ``DataFrame.to_dict(orient="records")``, value for value and type for type, on every
dtype the datasets use (so the assemblers that switched to it read the same rows)."""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pandas as pd

from pipeline.records import frame_records


def _same(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    return bool(a is b or a == b)


def test_frame_records_equals_to_dict_on_every_dtype() -> None:
    frame = pd.DataFrame(
        {
            "text": pd.Series(["a", None, "c"], dtype="str"),
            "count": pd.Series([1, 2, 3], dtype="int64"),
            "maybe": pd.Series([1, None, 3], dtype="Int64"),
            "value": pd.Series([1.5, np.nan, 3.0], dtype="float64"),
            "ids": pd.Series([["x", "y"], None, []], dtype=object),
            "quotes": pd.Series([[{"source_id": "s", "char_start": 0}], [], None], dtype=object),
            "boxed": pd.Series([np.int64(4), np.float64(2.5), "t"], dtype=object),
        }
    )
    expected, got = frame.to_dict(orient="records"), frame_records(frame)
    assert len(got) == 3 and all(list(e) == list(g) for e, g in zip(expected, got, strict=True))
    for e, g in zip(expected, got, strict=True):
        assert all(_same(e[k], g[k]) for k in e), (e, g)
    assert got[1]["maybe"] is None and math.isnan(got[1]["text"]) and type(got[0]["boxed"]) is int
    assert frame_records(frame.iloc[0:0]) == [] == frame.iloc[0:0].to_dict(orient="records")


def test_the_collector_is_paused_inside_and_resumed_after() -> None:
    import gc

    from pipeline.bulk import collector_paused

    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # nested: the inner block does not resume it
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    try:
        with collector_paused():
            raise KeyError("x")
    except KeyError:
        pass
    assert gc.isenabled()  # resumed after an error too


def test_json_files_have_one_member_or_item_per_line_and_the_same_bytes_for_the_same_data() -> None:
    from pipeline.store.workspace import layout_json

    data = {"b": [{"z": 1, "a": [1, 2]}, "x"], "a": {"n": None, "e": []}, "c": "é"}
    assert layout_json(data) == (
        '{\n  "a": {\n    "e": [],\n    "n": null\n  },\n  "b": [\n    {"a": [1, 2], "z": 1},\n    "x"\n  ],\n'
        '  "c": "é"\n}\n'
    )
    assert layout_json(dict(reversed(list(data.items())))) == layout_json(data)
    assert json.loads(layout_json(data)) == data
