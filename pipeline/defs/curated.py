"""Assets of the ``curated`` group: the published datasets, staged in ``outputs/work/curated/`` until
their checks pass and the ``release`` asset promotes them."""

from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path

import dagster as dg
import pandas as pd

from pipeline.clean.dictionary import require_declaration_matches
from pipeline.clean.indicators import build_annual_indicators_by_table, build_indicator_values
from pipeline.clean.observations import Context as ObservationContext
from pipeline.clean.observations import (
    batch_observations,
    build_exchange_rates,
    build_finding_observations,
    build_sources,
    figure_observations,
    load_places,
    value_observations,
    with_findings,
)
from pipeline.clean.zones import build_zone_batches, build_zone_registry, clean_zone_table
from pipeline.corrections import Correction, corrections_frame, with_correction_ids
from pipeline.crosscheck.registry import findings_from
from pipeline.defs.materialize import dataset_key, reused_dataset, stage_version, versioned_asset, write_dataset
from pipeline.defs.raw import raw_keys
from pipeline.defs.resources import PipelinePaths
from pipeline.errors import SourceError
from pipeline.metadata.crosschecks import inputs_read
from pipeline.metadata.datasets import (
    ANNUAL_INDICATORS,
    CORRECTIONS,
    DATASETS,
    EXCHANGE_RATES,
    FINDING_OBSERVATIONS,
    FINDINGS,
    INDICATOR_TABLE_CELLS,
    INDICATOR_VALUES,
    LOGGING_CORRECTIONS,
    OBSERVATIONS,
    PILOT_ZONE_BATCHES,
    PILOT_ZONES,
    REPORTED_FIGURES,
    SOURCES_DATASET,
    ZONE_MENTIONS,
    ZONE_TABLE_LINES,
    Dataset,
)
from pipeline.metadata.schemas import columns_frame, typed
from pipeline.raw.reference import (
    NEWS,
    REF,
    REFERENCE_READERS,
    load_city_mapping,
    read_header_dictionary,
    read_indicator_dictionary,
    read_reference_batches,
    read_reference_rates,
    read_reference_zones,
    read_region_codes,
    reference,
)
from pipeline.raw.registry import Source, readable_texts
from pipeline.records import SourceFailure, combine
from pipeline.steps import run_step, step_keys
from pipeline.steps.news import figures_step, mentions_step
from pipeline.store.memo import cached, file_sha256, sources_identity, stage_key, staged_identity
from pipeline.store.parquet import read_parquet
from pipeline.store.workspace import (
    Workspace,
    load_inputs,
    merge_inputs,
    read_json,
    save_failures,
    write_json,
)

GROUP = "curated"
# the datasets observations gathers rows from, each with the function that makes its rows
PARTS = ((REPORTED_FIGURES, figure_observations), (INDICATOR_VALUES, value_observations),
         (PILOT_ZONE_BATCHES, batch_observations))  # fmt: skip


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


def _upstream(workspace: Workspace, *datasets: Dataset) -> dict[str, dict[str, str]]:
    """Staged datasets an asset reads, as its stage key sees them (their bytes and lineage)."""
    return {d.name: staged_identity(workspace.staged(d), workspace.inputs(d)) for d in datasets}


def _part_rows(
    build: Callable[[pd.DataFrame, ObservationContext], pd.DataFrame],
    workspace: Workspace,
    dataset: Dataset,
    context: ObservationContext,
) -> pd.DataFrame:
    return build(_staged(workspace, dataset), context)


def _staged(workspace: Workspace, dataset: Dataset) -> pd.DataFrame:
    return read_parquet(workspace.staged(dataset), dataset)


def _quarantine(
    context: dg.AssetExecutionContext, workspace: Workspace, step: str, errors: Mapping[str, SourceError]
) -> list[SourceFailure]:
    """Log and record the sources ``step`` could not use (by id, in id order) for the publish gate."""
    failures = []
    for source_id, error in sorted(errors.items()):
        context.log.error(f"quarantined {source_id}: {error}")
        failures.append(SourceFailure(source_id, error.path, step, str(error)))
    save_failures(workspace, step, failures)
    return failures


def curated_assets(registered: list[Source]) -> list[dg.AssetsDefinition]:
    news_keys = raw_keys(registered, [s for s in registered if s.kind == NEWS])

    @versioned_asset(
        group_name=GROUP,
        deps=[INDICATOR_TABLE_CELLS.name, _ref_key("dictionary"), _ref_key("headers")],
        description=ANNUAL_INDICATORS.description,
        kinds={"pandas", "parquet"},
    )
    def annual_indicators(context: dg.AssetExecutionContext, paths: PipelinePaths) -> dg.MaterializeResult:
        workspace = paths.workspace
        sources = paths.sources()
        dictionary_path, dictionary_input = _reference(sources, paths, "dictionary")
        headers_path, headers_input = _reference(sources, paths, "headers")
        key = dataset_key(
            ANNUAL_INDICATORS,
            upstream=_upstream(workspace, INDICATOR_TABLE_CELLS),
            references=[dictionary_input, headers_input],
            paths=_paths(sources),
        )
        if (reused := reused_dataset(context, ANNUAL_INDICATORS, workspace, key)) is not None:
            return reused
        headers = read_header_dictionary(Path(headers_path))
        require_declaration_matches(read_indicator_dictionary(Path(dictionary_path)), dictionary_path, headers)
        cells = _staged(workspace, INDICATOR_TABLE_CELLS)
        frame, errors = build_annual_indicators_by_table(cells, _paths(sources), headers)  # defects quarantine a source
        failures = _quarantine(context, workspace, "annual_indicators", errors)
        inputs = merge_inputs(load_inputs(workspace, INDICATOR_TABLE_CELLS), dictionary_input, headers_input)
        return write_dataset(frame, ANNUAL_INDICATORS, workspace, inputs, failures, key=key)

    @versioned_asset(
        group_name=GROUP,
        deps=[INDICATOR_TABLE_CELLS.name, _ref_key("headers"), _ref_key("regions")],
        description=INDICATOR_VALUES.description,
        kinds={"pandas", "parquet"},
    )
    def indicator_values(context: dg.AssetExecutionContext, paths: PipelinePaths) -> dg.MaterializeResult:
        workspace = paths.workspace
        sources = paths.sources()
        headers_path, headers_input = _reference(sources, paths, "headers")
        regions_path, regions_input = _reference(sources, paths, "regions")
        key = dataset_key(
            INDICATOR_VALUES,
            upstream=_upstream(workspace, INDICATOR_TABLE_CELLS),
            references=[headers_input, regions_input],
            paths=_paths(sources),
        )
        if (reused := reused_dataset(context, INDICATOR_VALUES, workspace, key)) is not None:
            return reused
        cells = _staged(workspace, INDICATOR_TABLE_CELLS)
        frame, errors = build_indicator_values(
            cells, read_header_dictionary(Path(headers_path)), read_region_codes(Path(regions_path)), _paths(sources)
        )
        failures = _quarantine(context, workspace, "indicator_values", errors)
        inputs = merge_inputs(load_inputs(workspace, INDICATOR_TABLE_CELLS), headers_input, regions_input)
        return write_dataset(
            frame,
            INDICATOR_VALUES,
            workspace,
            inputs,
            failures,
            key=key,
            tables=int(frame[["source_id", "table_number"]].drop_duplicates().shape[0]),
            indicators=int(frame["indicator_id"].nunique()),
        )

    @versioned_asset(
        group_name=GROUP,
        deps=[*news_keys, _ref_key("zones"), "parsed_documents"],  # the zone names set a figure's geography
        description=REPORTED_FIGURES.description + " Read from every registered news_article source.",
        kinds={"pandas", "parquet"},
    )
    def reported_figures(context: dg.AssetExecutionContext, paths: PipelinePaths) -> dg.MaterializeResult:
        workspace = paths.workspace
        sources = paths.sources()
        step = figures_step(sources, paths.raw)
        news = step.sources
        inputs = {s.id: s.sha256 for s in news}
        key = dataset_key(REPORTED_FIGURES, documents=step_keys(step, paths.raw))
        if (reused := reused_dataset(context, REPORTED_FIGURES, workspace, key)) is not None:
            return reused
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
            failures,
            key=key,
            quarantined=dg.MetadataValue.json([f.__dict__ for f in failures]),
        )

    @versioned_asset(
        group_name=GROUP,
        deps=[*news_keys, _ref_key("zones"), _ref_key("batches"), "parsed_documents"],
        description=ZONE_MENTIONS.description,
        kinds={"pandas", "parquet"},
    )
    def zone_mentions(context: dg.AssetExecutionContext, paths: PipelinePaths) -> dg.MaterializeResult:
        workspace = paths.workspace
        sources = paths.sources()
        step = mentions_step(sources, paths.raw)  # verifies both reference tables
        references = {REF["zones"]: step.params["zones_sha256"], REF["batches"]: step.params["batches_sha256"]}
        inputs = {**references, **{s.id: s.sha256 for s in step.sources}}
        key = dataset_key(ZONE_MENTIONS, documents=step_keys(step, paths.raw), inputs=inputs)
        if (reused := reused_dataset(context, ZONE_MENTIONS, workspace, key)) is not None:
            return reused
        results, _ = run_step(step, paths.raw, workspace)
        # an article that cannot be read is quarantined by reported_figures, which reads the same files
        frame = columns_frame(combine(results, ZONE_MENTIONS.columns), ZONE_MENTIONS)
        return write_dataset(frame, ZONE_MENTIONS, workspace, inputs, key=key)

    @versioned_asset(
        group_name=GROUP,
        deps=[ZONE_TABLE_LINES.name, ZONE_MENTIONS.name, _ref_key("zones"), _ref_key("batches")],
        description=PILOT_ZONES.description,
        kinds={"pandas", "parquet"},
    )
    def pilot_zones(context: dg.AssetExecutionContext, paths: PipelinePaths) -> dg.MaterializeResult:
        workspace = paths.workspace
        sources = paths.sources()
        _, zones_input = _reference(sources, paths, "zones")
        _, batches_input = _reference(sources, paths, "batches")
        key = dataset_key(
            PILOT_ZONES,
            upstream=_upstream(workspace, ZONE_TABLE_LINES, ZONE_MENTIONS),
            references=[zones_input, batches_input],
            paths=_paths(sources),
        )
        if (reused := reused_dataset(context, PILOT_ZONES, workspace, key)) is not None:
            return reused
        reference_zones, reference_batches, references = _zone_references(sources, paths)

        def zone_tables() -> tuple[pd.DataFrame, list[Correction], dict[str, SourceError]]:
            errors: dict[str, SourceError] = {}  # a table's defects quarantine only that table
            rows, found = clean_zone_table(
                _staged(workspace, ZONE_TABLE_LINES), reference_zones, load_city_mapping(), _paths(sources), errors
            )
            return rows, found, errors

        # the zone tables' rows are kept by the key of the lines and the reference: one changed article (a
        # mention) re-reads no table
        tables_key = stage_key(
            stage_version(PILOT_ZONES.name),
            {"part": "zone tables", "upstream": _upstream(workspace, ZONE_TABLE_LINES), "references": [zones_input],
             "paths": _paths(sources)},
        )  # fmt: skip
        table_rows, corrections, errors = cached(workspace.cache(f"{PILOT_ZONES.name}.tables"), tables_key, zone_tables)
        failures = _quarantine(context, workspace, "pilot_zones", errors)
        write_json(workspace.corrections(PILOT_ZONES.name), corrections_frame(corrections).to_dict(orient="records"))
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
        with_table_rows = int(frame["extent"].notna().sum())
        return write_dataset(frame, PILOT_ZONES, workspace, inputs, failures, key=key, with_table_rows=with_table_rows)

    @versioned_asset(
        group_name=GROUP,
        deps=[_ref_key("batches")],
        description=PILOT_ZONE_BATCHES.description,
        kinds={"pandas", "parquet"},
    )
    def pilot_zone_batches(context: dg.AssetExecutionContext, paths: PipelinePaths) -> dg.MaterializeResult:
        sources = paths.sources()
        batches_path, inputs = _reference(sources, paths, "batches")
        key = dataset_key(PILOT_ZONE_BATCHES, references=[inputs])
        if (reused := reused_dataset(context, PILOT_ZONE_BATCHES, paths.workspace, key)) is not None:
            return reused
        frame = build_zone_batches(read_reference_batches(batches_path), REF["batches"])
        return write_dataset(frame, PILOT_ZONE_BATCHES, paths.workspace, inputs, key=key)

    read = inputs_read()  # what the declared cross-checks read: the asset's upstream and lineage
    table_sources = [s for s in registered if s.tables]

    def upstream(name: str) -> list[dg.AssetKey]:
        """The asset keys behind one declared input of the cross-checks."""
        if name.startswith("ref:"):
            return [_ref_key(name.removeprefix("ref:"))]
        if name == "texts:tables":
            return raw_keys(registered, table_sources)
        if name == "texts:news":
            return raw_keys(registered, [s for s in registered if s.kind == NEWS])
        return [dg.AssetKey(name)]

    @versioned_asset(
        group_name=GROUP,
        deps=[key for name in read for key in upstream(name)],
        description=FINDINGS.description,
        kinds={"pandas", "parquet"},
    )
    def findings(context: dg.AssetExecutionContext, paths: PipelinePaths) -> dg.MaterializeResult:
        workspace = paths.workspace
        sources = paths.sources()
        identities: dict[str, object] = {}  # what each input is, for the stage key, before anything is read
        for name in read:
            if name.startswith("ref:"):
                identities[name] = _reference(sources, paths, name.removeprefix("ref:"))[1]  # verified: id -> sha256
            elif name in ("texts:tables", "texts:news"):
                read_now = [s for s in sources if (s.tables if name == "texts:tables" else s.kind == NEWS)]
                identities[name] = sources_identity(read_now, paths.raw)
            else:
                identities[name] = _upstream(workspace, DATASETS[name])
        key = dataset_key(FINDINGS, inputs=identities)
        if (reused := reused_dataset(context, FINDINGS, workspace, key)) is not None:
            return reused
        loaded: dict[str, object] = {}
        lineage: list[dict[str, str]] = []
        for name in read:
            if name.startswith("ref:"):
                table = name.removeprefix("ref:")
                path, entry = _reference(sources, paths, table)
                loaded[name], lineage = REFERENCE_READERS[table](path), [*lineage, entry]
            elif name in ("texts:tables", "texts:news"):
                read_now = [s for s in sources if (s.tables if name == "texts:tables" else s.kind == NEWS)]
                loaded[name] = readable_texts(read_now, paths.raw)
                lineage.append({s.id: s.sha256 for s in read_now})
            else:
                loaded[name] = _staged(workspace, DATASETS[name])
                lineage.append(load_inputs(workspace, DATASETS[name]))
        frame = findings_from(loaded)
        by_status = frame.groupby("status").size().to_dict() if not frame.empty else {}
        return write_dataset(
            frame,
            FINDINGS,
            workspace,
            merge_inputs(*lineage),
            key=key,
            by_status=dg.MetadataValue.json({str(k): int(v) for k, v in by_status.items()}),
        )

    @versioned_asset(
        group_name=GROUP,
        deps=[d.name for d in LOGGING_CORRECTIONS],
        description=CORRECTIONS.description,
        kinds={"pandas", "parquet"},
    )
    def corrections(context: dg.AssetExecutionContext, paths: PipelinePaths) -> dg.MaterializeResult:
        workspace = paths.workspace
        logs = {d.name: file_sha256(workspace.corrections(d.name)) for d in LOGGING_CORRECTIONS}
        key = dataset_key(CORRECTIONS, logs=logs, upstream=_upstream(workspace, *LOGGING_CORRECTIONS))
        if (reused := reused_dataset(context, CORRECTIONS, workspace, key)) is not None:
            return reused
        records: list[dict[str, object]] = []
        for dataset in LOGGING_CORRECTIONS:
            path = workspace.corrections(dataset.name)
            if path.exists():
                records += read_json(path)
        logged = corrections_frame([Correction(**r) for r in records])  # type: ignore[arg-type]
        frame = typed(with_correction_ids(logged), CORRECTIONS)
        counts = frame.groupby("rule").size().to_dict() if not frame.empty else {}
        inputs = merge_inputs(*(load_inputs(workspace, d) for d in LOGGING_CORRECTIONS))
        return write_dataset(
            frame,
            CORRECTIONS,
            workspace,
            inputs,
            key=key,
            by_rule=dg.MetadataValue.json({str(k): int(v) for k, v in counts.items()}),
        )

    @versioned_asset(
        group_name=GROUP,
        deps=[_ref_key("rates")],
        description=EXCHANGE_RATES.description,
        kinds={"pandas", "parquet"},
    )
    def exchange_rates(context: dg.AssetExecutionContext, paths: PipelinePaths) -> dg.MaterializeResult:
        rates_path, inputs = _reference(paths.sources(), paths, "rates")
        key = dataset_key(EXCHANGE_RATES, references=[inputs])
        if (reused := reused_dataset(context, EXCHANGE_RATES, paths.workspace, key)) is not None:
            return reused
        frame = build_exchange_rates(read_reference_rates(rates_path), REF["rates"])
        return write_dataset(frame, EXCHANGE_RATES, paths.workspace, inputs, key=key)

    @versioned_asset(
        group_name=GROUP,
        deps=raw_keys(registered, registered),
        description=SOURCES_DATASET.description,
        kinds={"pandas", "parquet"},
    )
    def sources(context: dg.AssetExecutionContext, paths: PipelinePaths) -> dg.MaterializeResult:
        registered_now = paths.sources()
        key = dataset_key(SOURCES_DATASET, registry=[vars(s) for s in registered_now])
        if (reused := reused_dataset(context, SOURCES_DATASET, paths.workspace, key)) is not None:
            return reused
        frame = build_sources(registered_now)
        inputs = {s.id: s.sha256 for s in registered_now}
        return write_dataset(frame, SOURCES_DATASET, paths.workspace, inputs, key=key)

    @versioned_asset(
        group_name=GROUP,
        deps=[
            REPORTED_FIGURES.name,
            INDICATOR_VALUES.name,
            PILOT_ZONE_BATCHES.name,
            FINDINGS.name,
            _ref_key("rates"),
            _ref_key("regions"),
            _ref_key("zones"),
            _ref_key("headers"),
        ],
        description=OBSERVATIONS.description,
        kinds={"pandas", "parquet"},
    )
    def observations(context: dg.AssetExecutionContext, paths: PipelinePaths) -> dg.MaterializeResult:
        workspace = paths.workspace
        registered_now = paths.sources()
        rates_path, rates_input = _reference(registered_now, paths, "rates")
        regions_path, regions_input = _reference(registered_now, paths, "regions")
        zones_path, zones_input = _reference(registered_now, paths, "zones")
        headers_path, headers_input = _reference(registered_now, paths, "headers")
        gathered = [REPORTED_FIGURES, INDICATOR_VALUES, PILOT_ZONE_BATCHES, FINDINGS]
        key_references = [rates_input, regions_input, zones_input, headers_input]
        key = dataset_key(OBSERVATIONS, upstream=_upstream(workspace, *gathered), references=key_references)
        if (reused := reused_dataset(context, OBSERVATIONS, workspace, key)) is not None:
            return reused
        headers = read_header_dictionary(Path(headers_path))
        places = load_places(read_region_codes(Path(regions_path)), read_reference_zones(zones_path))
        rows_context = ObservationContext(
            read_reference_rates(rates_path), places,
            {e.indicator_id: e.description for e in reversed(headers.entries)}, REF["rates"],
        )  # fmt: skip
        # the rows of each gathered dataset, without their findings, are kept by the key of that dataset and the
        # references: one changed article rebuilds the figures' rows, not the 190,000 of 10,000 tables' cells
        parts = []
        for dataset, build in PARTS:
            part_key = stage_key(
                stage_version(OBSERVATIONS.name),
                {"part": dataset.name, "upstream": _upstream(workspace, dataset), "references": key_references},
            )
            cache = workspace.cache(f"{OBSERVATIONS.name}.{dataset.name}")
            parts.append(cached(cache, part_key, partial(_part_rows, build, workspace, dataset, rows_context)))
        frame = with_findings(parts, _staged(workspace, FINDINGS))
        inputs = merge_inputs(
            *(load_inputs(workspace, d) for d in gathered), rates_input, regions_input, zones_input, headers_input
        )
        by_status = frame.groupby("status").size().to_dict() if not frame.empty else {}
        return write_dataset(
            frame,
            OBSERVATIONS,
            workspace,
            inputs,
            key=key,
            by_status=dg.MetadataValue.json({str(k): int(v) for k, v in by_status.items()}),
        )

    @versioned_asset(
        group_name=GROUP,
        deps=[FINDINGS.name],
        description=FINDING_OBSERVATIONS.description,
        kinds={"pandas", "parquet"},
    )
    def finding_observations(context: dg.AssetExecutionContext, paths: PipelinePaths) -> dg.MaterializeResult:
        workspace = paths.workspace
        key = dataset_key(FINDING_OBSERVATIONS, upstream=_upstream(workspace, FINDINGS))
        if (reused := reused_dataset(context, FINDING_OBSERVATIONS, workspace, key)) is not None:
            return reused
        frame = build_finding_observations(_staged(workspace, FINDINGS))
        return write_dataset(frame, FINDING_OBSERVATIONS, workspace, load_inputs(workspace, FINDINGS), key=key)

    return [
        annual_indicators,
        indicator_values,
        reported_figures,
        zone_mentions,
        pilot_zones,
        pilot_zone_batches,
        findings,
        corrections,
        observations,
        finding_observations,
        exchange_rates,
        sources,
    ]
