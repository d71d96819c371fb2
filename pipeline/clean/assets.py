"""Assets of the ``curated`` group: the published datasets, staged in ``outputs/work/curated/`` until
their checks pass and the ``release`` asset promotes them."""

from pathlib import Path

import dagster as dg
import pandas as pd

from pipeline.clean.cities import load_city_mapping
from pipeline.clean.dictionary import read_indicator_dictionary, require_declaration_matches
from pipeline.clean.indicators import build_annual_indicators_by_table
from pipeline.clean.zones import (
    build_zone_batches,
    build_zone_registry,
    clean_zone_table,
    read_reference_batches,
    read_reference_zones,
)
from pipeline.corrections import Correction, corrections_frame
from pipeline.datasets import (
    ANNUAL_INDICATORS,
    CORRECTIONS,
    FINDINGS,
    INDICATOR_TABLE_CELLS,
    PILOT_ZONE_BATCHES,
    PILOT_ZONES,
    REPORTED_FIGURES,
    ZONE_MENTIONS,
    ZONE_TABLE_LINES,
    Dataset,
)
from pipeline.documents import combine
from pipeline.errors import SourceError
from pipeline.materialize import write_dataset
from pipeline.parquet import read_parquet
from pipeline.parse.tables import SourceFailure
from pipeline.publish.workspace import (
    Workspace,
    load_inputs,
    merge_inputs,
    read_json,
    save_failures,
    write_json,
)
from pipeline.raw.assets import raw_keys
from pipeline.raw.registry import Source, readable_texts
from pipeline.resources import PipelinePaths
from pipeline.schemas import columns_frame
from pipeline.settings import code_version
from pipeline.steps import NEWS, REF, figures_step, mentions_step, reference, run_step
from pipeline.validate.findings import all_findings

GROUP = "curated"


def _ref_key(key: str) -> dg.AssetKey:
    return dg.AssetKey(["raw", REF[key]])


def _reference(sources: list[Source], paths: PipelinePaths, key: str) -> tuple[str, dict[str, str]]:
    """Verify a reference table's hash; return its path and its lineage entry."""
    return reference(sources, paths.raw, key)


def _zone_references(sources: list[Source], paths: PipelinePaths) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, str]]:
    """The verified reference zones and batches, and their lineage entries."""
    zones_path, zones_input = _reference(sources, paths, "zones")
    batches_path, batches_input = _reference(sources, paths, "batches")
    return read_reference_zones(zones_path), read_reference_batches(batches_path), {**zones_input, **batches_input}


def _paths(sources: list[Source]) -> dict[str, str]:
    return {s.id: f"raw/{s.path}" for s in sources}


def _staged(workspace: Workspace, dataset: Dataset) -> pd.DataFrame:
    return read_parquet(workspace.staged(dataset), dataset)


def curated_assets(registered: list[Source]) -> list[dg.AssetsDefinition]:
    news_keys = raw_keys(registered, [s for s in registered if s.kind == NEWS])

    @dg.asset(
        group_name=GROUP,
        deps=[INDICATOR_TABLE_CELLS.name, _ref_key("dictionary")],
        code_version=code_version(),
        description=ANNUAL_INDICATORS.description,
        kinds={"pandas", "parquet"},
    )
    def annual_indicators(context: dg.AssetExecutionContext, paths: PipelinePaths) -> dg.MaterializeResult:
        workspace = paths.workspace
        sources = paths.sources()
        dictionary_path, dictionary_input = _reference(sources, paths, "dictionary")
        require_declaration_matches(read_indicator_dictionary(Path(dictionary_path)), dictionary_path)
        cells = _staged(workspace, INDICATOR_TABLE_CELLS)
        frame, errors = build_annual_indicators_by_table(cells, _paths(sources))  # a table's defects quarantine it
        failures = []
        for source_id, error in errors.items():
            context.log.error(f"quarantined {source_id}: {error}")
            failures.append(SourceFailure(source_id, error.path, "annual_indicators", str(error)))
        save_failures(workspace, "annual_indicators", failures)
        inputs = merge_inputs(load_inputs(workspace, INDICATOR_TABLE_CELLS), dictionary_input)
        return write_dataset(frame, ANNUAL_INDICATORS, workspace, inputs)

    @dg.asset(
        group_name=GROUP,
        deps=[*news_keys, "parsed_documents"],
        code_version=code_version(),
        description=REPORTED_FIGURES.description + " Read from every registered news_article source.",
        kinds={"pandas", "parquet"},
    )
    def reported_figures(context: dg.AssetExecutionContext, paths: PipelinePaths) -> dg.MaterializeResult:
        workspace = paths.workspace
        sources = paths.sources()
        step = figures_step(sources, paths.raw)
        news = step.sources
        inputs = {s.id: s.sha256 for s in news}
        results, stats = run_step(step, paths.raw, workspace)
        context.log.info(f"{stats.documents} articles: {stats.cached} from the cache, {stats.computed} read")
        failures = []
        for source, result in zip(sorted(news, key=lambda s: s.id), results, strict=True):
            if result.error is not None:
                context.log.error(f"quarantined {source.id}: {result.error}")
                failures.append(SourceFailure(source.id, f"raw/{source.path}", "reported_figures", result.error))
        save_failures(workspace, "reported_figures", failures)
        frame = columns_frame(combine(results, REPORTED_FIGURES.columns), REPORTED_FIGURES)
        return write_dataset(
            frame,
            REPORTED_FIGURES,
            workspace,
            inputs,
            quarantined=dg.MetadataValue.json([f.__dict__ for f in failures]),
        )

    @dg.asset(
        group_name=GROUP,
        deps=[*news_keys, _ref_key("zones"), _ref_key("batches"), "parsed_documents"],
        code_version=code_version(),
        description=ZONE_MENTIONS.description,
        kinds={"pandas", "parquet"},
    )
    def zone_mentions(paths: PipelinePaths) -> dg.MaterializeResult:
        workspace = paths.workspace
        sources = paths.sources()
        step = mentions_step(sources, paths.raw)  # verifies both reference tables
        references = {REF["zones"]: step.params["zones_sha256"], REF["batches"]: step.params["batches_sha256"]}
        inputs = {**references, **{s.id: s.sha256 for s in step.sources}}
        results, _ = run_step(step, paths.raw, workspace)
        # an article that cannot be read is quarantined by reported_figures, which reads the same files
        frame = columns_frame(combine(results, ZONE_MENTIONS.columns), ZONE_MENTIONS)
        return write_dataset(frame, ZONE_MENTIONS, workspace, inputs)

    @dg.asset(
        group_name=GROUP,
        deps=[ZONE_TABLE_LINES.name, ZONE_MENTIONS.name, _ref_key("zones"), _ref_key("batches")],
        code_version=code_version(),
        description=PILOT_ZONES.description,
        kinds={"pandas", "parquet"},
    )
    def pilot_zones(context: dg.AssetExecutionContext, paths: PipelinePaths) -> dg.MaterializeResult:
        workspace = paths.workspace
        sources = paths.sources()
        lines = _staged(workspace, ZONE_TABLE_LINES)
        reference_zones, reference_batches, references = _zone_references(sources, paths)
        mapping = load_city_mapping()
        errors: dict[str, SourceError] = {}  # a table's defects quarantine only that table
        table_rows, corrections = clean_zone_table(lines, reference_zones, mapping, _paths(sources), errors)
        failures = []
        for source_id, error in sorted(errors.items()):
            context.log.error(f"quarantined {source_id}: {error}")
            failures.append(SourceFailure(source_id, error.path, "pilot_zones", str(error)))
        save_failures(workspace, "pilot_zones", failures)
        write_json(workspace.corrections("pilot_zones"), corrections_frame(corrections).to_dict(orient="records"))
        mentions = _staged(workspace, ZONE_MENTIONS)
        by_zone: dict[str, set[str]] = {}
        for zid, source_id in zip(mentions["zone_id"], mentions["source_id"], strict=True):
            by_zone.setdefault(zid, set()).add(source_id)
        frame = build_zone_registry(reference_zones, reference_batches, table_rows, by_zone, REF["zones"])
        inputs = merge_inputs(
            load_inputs(workspace, ZONE_TABLE_LINES),
            load_inputs(workspace, ZONE_MENTIONS),
            references,
        )
        return write_dataset(frame, PILOT_ZONES, workspace, inputs, with_table_rows=int(frame["extent"].notna().sum()))

    @dg.asset(
        group_name=GROUP,
        deps=[_ref_key("batches")],
        code_version=code_version(),
        description=PILOT_ZONE_BATCHES.description,
        kinds={"pandas", "parquet"},
    )
    def pilot_zone_batches(paths: PipelinePaths) -> dg.MaterializeResult:
        sources = paths.sources()
        batches_path, inputs = _reference(sources, paths, "batches")
        frame = build_zone_batches(read_reference_batches(batches_path), REF["batches"])
        return write_dataset(frame, PILOT_ZONE_BATCHES, paths.workspace, inputs)

    @dg.asset(
        group_name=GROUP,
        deps=[
            REPORTED_FIGURES.name,
            ZONE_MENTIONS.name,
            PILOT_ZONES.name,
            PILOT_ZONE_BATCHES.name,
            ANNUAL_INDICATORS.name,
            _ref_key("rates"),
        ],
        code_version=code_version(),
        description=FINDINGS.description,
        kinds={"pandas", "parquet"},
    )
    def findings(paths: PipelinePaths) -> dg.MaterializeResult:
        workspace = paths.workspace
        sources = paths.sources()
        rates_path, rates_input = _reference(sources, paths, "rates")
        zones, batches, _ = _zone_references(sources, paths)
        frame = all_findings(
            _staged(workspace, REPORTED_FIGURES),
            _staged(workspace, ZONE_MENTIONS),
            batches,
            zones,
            pd.read_csv(rates_path),
            _staged(workspace, ANNUAL_INDICATORS),
            readable_texts([s for s in sources if s.tables], paths.raw),
        )
        inputs = merge_inputs(
            *(
                load_inputs(workspace, d)
                for d in (REPORTED_FIGURES, ZONE_MENTIONS, PILOT_ZONES, PILOT_ZONE_BATCHES, ANNUAL_INDICATORS)
            ),
            rates_input,
        )
        by_status = frame.groupby("status").size().to_dict() if not frame.empty else {}
        return write_dataset(
            frame,
            FINDINGS,
            workspace,
            inputs,
            by_status=dg.MetadataValue.json({str(k): int(v) for k, v in by_status.items()}),
        )

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
        inputs = merge_inputs(
            *(load_inputs(workspace, d) for d in (INDICATOR_TABLE_CELLS, ZONE_TABLE_LINES, PILOT_ZONES))
        )
        return write_dataset(
            frame.astype({"line": "int64", "char_start": "int64", "char_end": "int64"}),
            CORRECTIONS,
            workspace,
            inputs,
            by_rule=dg.MetadataValue.json({str(k): int(v) for k, v in counts.items()}),
        )

    return [
        annual_indicators,
        reported_figures,
        zone_mentions,
        pilot_zones,
        pilot_zone_batches,
        findings,
        corrections,
    ]
