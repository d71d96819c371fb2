"""Assets of the ``parsed`` group: every registered table parsed into long, untidy cells or lines.

A source that fails to parse is quarantined (listed in the asset's metadata and in the report) while
the other sources are still parsed; publication is refused until it is fixed.
"""

import dagster as dg

from pipeline.corrections import corrections_frame
from pipeline.defs.materialize import dataset_key, reused_dataset, versioned_asset, write_dataset
from pipeline.defs.raw import raw_keys
from pipeline.defs.resources import PipelinePaths
from pipeline.metadata.datasets import INDICATOR_TABLE_CELLS, ZONE_TABLE_LINES, Dataset
from pipeline.raw.reference import REF
from pipeline.raw.registry import Source, read_registry
from pipeline.records import SourceFailure
from pipeline.steps import step_keys
from pipeline.steps.tables import parse_tables, table_step
from pipeline.store.workspace import save_failures, write_json

GROUP = "parsed"


# the reference tables a parser reads besides the extracts (indicator tables: the header dictionary cuts a
# row-wise header into columns, the region names normalise region keys)
PARSER_REFERENCES = {"indicator_table": ("headers", "regions"), "zone_table": ()}


def read_by(parser: str, sources: list[Source]) -> list[Source]:
    """The sources a parser reads: the files with its tables, and its reference tables if there is one."""
    with_tables = {s.id for s in sources if any(t.parser == parser for t in s.tables)}
    references = {REF[k] for k in PARSER_REFERENCES[parser]} if with_tables else set()
    return [s for s in sources if s.id in with_tables or s.id in references]


def _parse_asset(dataset: Dataset, parser: str, sources: list[Source]) -> dg.AssetsDefinition:
    @versioned_asset(
        name=dataset.name,
        group_name=GROUP,
        deps=[*raw_keys(sources, read_by(parser, sources)), "parsed_documents"],
        description=f"{dataset.description} Parser `{parser}`, configured per source in raw/sources.yaml.",
        kinds={"pandas", "parquet"},
    )
    def parsed(context: dg.AssetExecutionContext, paths: PipelinePaths) -> dg.MaterializeResult:
        workspace = paths.workspace
        sources, problems = read_registry(paths.raw)
        registry_failures = [SourceFailure("registry", "raw/sources.yaml", "registry", p) for p in problems]
        for failure in registry_failures:
            context.log.error(f"quarantined registry entry: {failure.message}")
        key = dataset_key(
            dataset, registry=problems, documents=step_keys(table_step(sources, parser, paths.raw), paths.raw)
        )
        reused = reused_dataset(context, dataset, workspace, key)
        if reused is not None:
            return reused
        outcome = parse_tables(sources, paths.raw, parser, workspace.cache(f"parse_{parser}"))
        context.log.info(
            f"{outcome.stats.documents} documents: {outcome.stats.cached} from the cache, "
            f"{outcome.stats.computed} parsed with {outcome.stats.workers} worker(s)"
        )
        for failure in outcome.failures:
            context.log.error(f"quarantined {failure.source_id}: {failure.message}")
        save_failures(workspace, dataset.name, [*registry_failures, *outcome.failures])
        logged = corrections_frame(outcome.corrections).to_dict(orient="records")
        write_json(workspace.corrections(dataset.name), logged)
        return write_dataset(
            outcome.frame,
            dataset,
            workspace,
            {s.id: s.sha256 for s in read_by(parser, sources)},
            failures=[*registry_failures, *outcome.failures],
            key=key,
            quarantined=dg.MetadataValue.json([f.__dict__ for f in outcome.failures]),
            sources=len(outcome.frame["source_id"].unique()),  # documents with rows
            documents_parsed=outcome.stats.computed,
            documents_from_cache=outcome.stats.cached,
        )

    return parsed


def parse_assets(sources: list[Source]) -> list[dg.AssetsDefinition]:
    return [
        _parse_asset(INDICATOR_TABLE_CELLS, "indicator_table", sources),
        _parse_asset(ZONE_TABLE_LINES, "zone_table", sources),
    ]
