"""Raw files as observable source assets: one per registry entry, its data version the sha256 of the
file's bytes as they are now (so a changed file shows as a new version in the UI)."""

import dagster as dg

from pipeline.raw.registry import Source, sha256_bytes
from pipeline.resources import PipelinePaths

GROUP = "raw"


def raw_key(source: Source) -> dg.AssetKey:
    return dg.AssetKey(["raw", source.id])


def raw_source_asset(source: Source) -> dg.AssetsDefinition:
    spec = dg.AssetSpec(
        raw_key(source),
        group_name=GROUP,
        description=f"{source.title} — {source.publisher}, {source.published}. "
        f"File raw/{source.path} ({source.kind}). Used for: {source.extracts}",
        kinds={"text" if source.kind != "reference_table" else "csv"},
        metadata={"registered_sha256": source.sha256, "path": dg.MetadataValue.path(f"raw/{source.path}")},
    )

    @dg.multi_observable_source_asset(specs=[spec], name=f"observe_raw_{source.id}")
    def observe(paths: PipelinePaths) -> dg.ObserveResult:
        path = source.file(paths.raw)
        if not path.is_file():
            return dg.ObserveResult(
                data_version=dg.DataVersion("missing"),
                metadata={"status": f"raw/{source.path} is missing"},
            )
        actual = sha256_bytes(path.read_bytes())
        return dg.ObserveResult(
            data_version=dg.DataVersion(actual),
            metadata={
                "sha256": actual,
                "matches_registry": actual == source.sha256,
                "bytes": path.stat().st_size,
            },
        )

    return observe
