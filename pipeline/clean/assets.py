"""Assets of the ``curated`` group: the published datasets, staged in ``outputs/work/curated/`` until
their checks pass and the ``release`` asset promotes them."""

from pathlib import Path

import dagster as dg
import pandas as pd

from pipeline.clean.cities import load_city_mapping
from pipeline.clean.dictionary import read_indicator_dictionary, require_declaration_matches
from pipeline.clean.documents import figures_document, mentions_document
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
from pipeline.documents import per_document
from pipeline.errors import RegistryError, SourceError
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
from pipeline.raw.registry import Source, read_source_text, readable_texts
from pipeline.resources import PipelinePaths
from pipeline.schemas import records_frame
from pipeline.settings import code_version
from pipeline.validate.findings import all_findings

GROUP = "curated"
REF = {
    "zones": "ref_pilot_zones",
    "batches": "ref_pilot_zone_batches",
    "dictionary": "ref_indicator_dictionary",
    "rates": "ref_cny_per_usd",
}
NEWS = "news_article"


def _ref_key(key: str) -> dg.AssetKey:
    return dg.AssetKey(["raw", REF[key]])


def _reference(sources: list[Source], paths: PipelinePaths, key: str) -> tuple[str, dict[str, str]]:
    """Verify a reference table's hash; return its path and its lineage entry."""
    source = next((s for s in sources if s.id == REF[key]), None)
    if source is None:
        raise RegistryError(
            f"raw/sources.yaml: the reference table {REF[key]!r} is not registered, or its entry is invalid "
            "(see the registry problems in the run log). Restore its entry."
        )
    read_source_text(source, paths.raw)
    return str(source.file(paths.raw)), {source.id: source.sha256}


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
        deps=news_keys,
        code_version=code_version(),
        description=REPORTED_FIGURES.description + " Read from every registered news_article source.",
        kinds={"pandas", "parquet"},
    )
    def reported_figures(context: dg.AssetExecutionContext, paths: PipelinePaths) -> dg.MaterializeResult:
        workspace = paths.workspace
        sources = paths.sources()
        zones_path, _ = _reference(sources, paths, "zones")
        cities = read_reference_zones(zones_path)["city"].tolist()
        news = [s for s in sources if s.kind == NEWS]
        inputs = {s.id: s.sha256 for s in news}
        results, stats = per_document(
            "reported_figures", figures_document, news, paths.raw, {"cities": cities}, workspace.cache("figures")
        )
        context.log.info(f"{stats.documents} articles: {stats.cached} from the cache, {stats.computed} read")
        records, failures = [], []
        for source, result in zip(sorted(news, key=lambda s: s.id), results, strict=True):
            if result.error is not None:
                context.log.error(f"quarantined {source.id}: {result.error}")
                failures.append(SourceFailure(source.id, f"raw/{source.path}", "reported_figures", result.error))
                continue
            records += result.records
        save_failures(workspace, "reported_figures", failures)
        frame = records_frame(records, REPORTED_FIGURES)
        return write_dataset(
            frame,
            REPORTED_FIGURES,
            workspace,
            inputs,
            quarantined=dg.MetadataValue.json([f.__dict__ for f in failures]),
        )

    @dg.asset(
        group_name=GROUP,
        deps=[*news_keys, _ref_key("zones"), _ref_key("batches")],
        code_version=code_version(),
        description=ZONE_MENTIONS.description,
        kinds={"pandas", "parquet"},
    )
    def zone_mentions(paths: PipelinePaths) -> dg.MaterializeResult:
        workspace = paths.workspace
        sources = paths.sources()
        zones_path, zones_input = _reference(sources, paths, "zones")
        batches_path, batches_input = _reference(sources, paths, "batches")
        news = [s for s in sources if s.kind == NEWS]
        inputs = {**zones_input, **batches_input, **{s.id: s.sha256 for s in news}}
        params = {
            "zones": zones_path,
            "zones_sha256": zones_input[REF["zones"]],
            "batches": batches_path,
            "batches_sha256": batches_input[REF["batches"]],
        }
        results, _ = per_document(
            "zone_mentions", mentions_document, news, paths.raw, params, workspace.cache("mentions")
        )
        # an article that cannot be read is quarantined by reported_figures, which reads the same files
        records = [r for result in results if result.error is None for r in result.records]
        frame = records_frame(records, ZONE_MENTIONS)
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
