"""Assets of the ``curated`` group: the published datasets, staged in ``outputs/work/curated/`` until
their checks pass and the ``release`` asset promotes them."""

import dagster as dg
import pandas as pd

from pipeline.clean.cities import load_city_mapping
from pipeline.clean.indicators import build_annual_indicators
from pipeline.clean.zones import build_pilot_zones, read_reference_batches, read_reference_zones
from pipeline.corrections import Correction, corrections_frame
from pipeline.datasets import (
    ANNUAL_INDICATORS,
    CORRECTIONS,
    INDICATOR_TABLE_CELLS,
    PILOT_ZONES,
    ZONE_TABLE_LINES,
)
from pipeline.errors import SourceError
from pipeline.materialize import write_dataset
from pipeline.parquet import read_parquet
from pipeline.parse.tables import SourceFailure
from pipeline.publish.workspace import load_inputs, merge_inputs, read_json, save_failures, write_json
from pipeline.raw.registry import Source, load_registry, read_source_text
from pipeline.resources import PipelinePaths
from pipeline.schemas import empty_frame
from pipeline.settings import code_version

GROUP = "curated"
REF = {
    "zones": "ref_pilot_zones",
    "batches": "ref_pilot_zone_batches",
    "dictionary": "ref_indicator_dictionary",
}


def _reference(sources: list[Source], paths: PipelinePaths, key: str) -> str:
    """Verify a reference table's hash and return its path."""
    source = next(s for s in sources if s.id == REF[key])
    read_source_text(source, paths.raw)
    return str(source.file(paths.raw))


def _paths(sources: list[Source]) -> dict[str, str]:
    return {s.id: f"raw/{s.path}" for s in sources}


@dg.asset(
    group_name=GROUP,
    deps=[INDICATOR_TABLE_CELLS.name, dg.AssetKey(["raw", REF["dictionary"]])],
    code_version=code_version(),
    description=ANNUAL_INDICATORS.description,
    kinds={"pandas", "parquet"},
)
def annual_indicators(paths: PipelinePaths) -> dg.MaterializeResult:
    workspace = paths.workspace
    cells = read_parquet(workspace.staged(INDICATOR_TABLE_CELLS), INDICATOR_TABLE_CELLS)
    frame = build_annual_indicators(cells, _paths(load_registry(paths.raw)))
    inputs = load_inputs(workspace, INDICATOR_TABLE_CELLS)
    return write_dataset(frame, ANNUAL_INDICATORS, workspace, inputs)


@dg.asset(
    group_name=GROUP,
    deps=[ZONE_TABLE_LINES.name, dg.AssetKey(["raw", REF["zones"]]), dg.AssetKey(["raw", REF["batches"]])],
    code_version=code_version(),
    description=PILOT_ZONES.description,
    kinds={"pandas", "parquet"},
)
def pilot_zones(context: dg.AssetExecutionContext, paths: PipelinePaths) -> dg.MaterializeResult:
    workspace = paths.workspace
    sources = load_registry(paths.raw)
    lines = read_parquet(workspace.staged(ZONE_TABLE_LINES), ZONE_TABLE_LINES)
    reference_zones = read_reference_zones(_reference(sources, paths, "zones"))
    reference_batches = read_reference_batches(_reference(sources, paths, "batches"))
    mapping = load_city_mapping()
    frames: list[pd.DataFrame] = []
    corrections: list[Correction] = []
    failures: list[SourceFailure] = []
    for source_id, part in lines.groupby("source_id", sort=True):
        try:
            frame, fixed = build_pilot_zones(
                part, reference_zones, reference_batches, mapping, _paths(sources)
            )
        except SourceError as error:
            context.log.error(f"quarantined {source_id}: {error}")
            failures.append(SourceFailure(str(source_id), error.path, "pilot_zones", str(error)))
            continue
        frames.append(frame)
        corrections += fixed
    save_failures(workspace, "pilot_zones", failures)
    write_json(workspace.corrections("pilot_zones"), corrections_frame(corrections).to_dict(orient="records"))
    frame = pd.concat(frames, ignore_index=True) if frames else empty_frame(PILOT_ZONES)
    references = {s.id: s.sha256 for s in sources if s.id in (REF["zones"], REF["batches"])}
    inputs = merge_inputs(load_inputs(workspace, ZONE_TABLE_LINES), references)
    return write_dataset(frame, PILOT_ZONES, workspace, inputs)


@dg.asset(
    group_name=GROUP,
    deps=[INDICATOR_TABLE_CELLS.name, ZONE_TABLE_LINES.name, PILOT_ZONES.name],
    code_version=code_version(),
    description=CORRECTIONS.description,
    kinds={"pandas", "parquet"},
)
def corrections(paths: PipelinePaths) -> dg.MaterializeResult:
    workspace = paths.workspace
    records: list[dict[str, object]] = []
    for step in ("indicator_table", "zone_table", "pilot_zones"):
        path = workspace.corrections(step)
        if path.exists():
            records += read_json(path)
    frame = corrections_frame([Correction(**r) for r in records])  # type: ignore[arg-type]
    counts = frame.groupby("rule").size().to_dict() if not frame.empty else {}
    return write_dataset(
        frame.astype({"line": "int64", "char_start": "int64", "char_end": "int64"}),
        CORRECTIONS,
        workspace,
        merge_inputs(
            *(load_inputs(workspace, d) for d in (INDICATOR_TABLE_CELLS, ZONE_TABLE_LINES, PILOT_ZONES))
        ),
        by_rule=dg.MetadataValue.json({str(k): int(v) for k, v in counts.items()}),
    )


curated_assets = [annual_indicators, pilot_zones, corrections]
