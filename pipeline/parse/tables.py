"""Running the table parsers declared in :mod:`pipeline.metadata.tables` on one source's text.

A source that cannot be read or parsed does not stop the others: its error is returned as a
:class:`SourceFailure`, and the publish step refuses to promote a release while any source has failed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.corrections import Correction
from pipeline.metadata.tables import TABLE_PARSERS, config_from_options
from pipeline.parse.indicator_table import parse_indicator_table
from pipeline.parse.zone_table import parse_zone_table
from pipeline.raw.registry import Source, read_source_text
from pipeline.records import DocumentResult

# each declared table parser's function (pipeline.metadata.tables declares its options and datasets)
Parse = Callable[..., tuple[pd.DataFrame, list[Correction]]]
PARSE_FUNCTIONS: dict[str, Parse] = {"indicator_table": parse_indicator_table, "zone_table": parse_zone_table}
if set(PARSE_FUNCTIONS) != set(TABLE_PARSERS):
    raise ImportError(f"table parsers declared {sorted(TABLE_PARSERS)}, implemented {sorted(PARSE_FUNCTIONS)}")


def parse_document(source: Source, raw_dir: str, params: dict[str, Any]) -> DocumentResult:
    """One source's tables of kind ``params["parser"]``, as rows (see :mod:`pipeline.store.cache`)."""
    parser = params["parser"]
    text = read_source_text(source, Path(raw_dir))
    records: list[dict[str, Any]] = []
    corrections: list[Correction] = []
    for number, spec in enumerate(source.tables, start=1):
        if spec.parser != parser:
            continue
        config = config_from_options(parser, spec.options, f"raw/sources.yaml: {source.id}, table {number}")
        frame, fixed = PARSE_FUNCTIONS[parser](text, config, source_id=source.id, path=f"raw/{source.path}")
        records += frame.to_dict(orient="records")
        corrections += fixed
    return DocumentResult(source.id, records, corrections)
