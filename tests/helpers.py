"""Helpers shared by tests that run the real graph."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from pipeline.defs.location import ALL_JOB, build_definitions
from pipeline.raw.reference import read_header_dictionary
from pipeline.settings import DEFAULT_RAW_DIR


def run_graph(raw: Path, outputs: Path) -> dg.ExecuteInProcessResult:
    """Materialise the whole graph (observing the raw files) into ``outputs``, in this process."""
    job = build_definitions(raw, outputs).resolve_job_def(ALL_JOB)
    with dg.DagsterInstance.ephemeral() as instance:
        return job.execute_in_process(instance=instance, raise_on_error=False)


def check_results(result: dg.ExecuteInProcessResult) -> dict[tuple[str, str], str]:
    """Every asset check the run evaluated, (asset, check) -> passed / warned / failed, as the UI shows it."""
    return {
        (e.asset_key.to_user_string(), e.check_name): "passed" if e.passed else
        ("failed" if e.severity == dg.AssetCheckSeverity.ERROR else "warned")
        for e in result.get_asset_check_evaluations()
    }  # fmt: skip


NEW_EXTRACTS = Path(__file__).resolve().parent / "data" / "new_extracts"
# the committed header dictionary, for tests that build datasets from parsed cells without the graph
HEADERS = read_header_dictionary(DEFAULT_RAW_DIR / "reference" / "indicator_headers.csv")


def register_new_extracts(raw: Path) -> list[str]:
    """Add the extracts of ``tests/data/new_extracts`` to the raw folder ``raw`` as the README says a user
    does (copy the file, add an entry with its sha256 to sources.yaml); return their ids."""
    import hashlib

    import yaml

    entries = yaml.safe_load((NEW_EXTRACTS / "sources.yaml").read_text(encoding="utf-8"))["sources"]
    registry = raw / "sources.yaml"
    text = registry.read_text(encoding="utf-8").rstrip("\n") + "\n"
    for entry in entries:
        target = raw / entry["path"]
        target.write_bytes((NEW_EXTRACTS / Path(entry["path"]).name).read_bytes())
        entry = {**entry, "sha256": hashlib.sha256(target.read_bytes()).hexdigest()}
        text += "\n" + yaml.safe_dump([entry], sort_keys=False, allow_unicode=True).replace("\n", "\n  ").rstrip()
        text = text.replace("\n- id:", "\n  - id:") + "\n"
    # and the dictionary rows their new table headers need (README: "Headers are data"), with the
    # dictionary's new sha256 recorded as `python -m pipeline register ref_indicator_headers` does
    dictionary = raw / "reference" / "indicator_headers.csv"
    old = hashlib.sha256(dictionary.read_bytes()).hexdigest()
    rows = (NEW_EXTRACTS / "indicator_headers.csv").read_text(encoding="utf-8").split("\n", 1)[1]
    dictionary.write_text(dictionary.read_text(encoding="utf-8").rstrip("\n") + "\n" + rows, encoding="utf-8")
    text = text.replace(f"sha256: {old}", f"sha256: {hashlib.sha256(dictionary.read_bytes()).hexdigest()}")
    registry.write_text(text, encoding="utf-8")
    return [e["id"] for e in entries]


SEED_IDS = (
    "paper_appendix_2020",
    "asiacargobuzz_2020_01_03",
    "peoplesdaily_2018_03_19",
    "cgtn_opinion_2024",
    "mofcom_press_2023_02_23",
    "ref_pilot_zones",
    "ref_pilot_zone_batches",
    "ref_indicator_dictionary",
    "ref_cny_per_usd",
    "ref_indicator_headers",
    "ref_regions",
)


def keep_only(raw: Path, ids: tuple[str, ...] = SEED_IDS) -> Path:
    """Rewrite the registry of the raw folder ``raw`` (a copy) to hold only the entries ``ids``, each
    exactly as written (comments, quoting), and remove the files of the others: a test about the seed
    extracts then holds whatever else a user has registered since."""
    import re

    registry = raw / "sources.yaml"
    text = registry.read_text(encoding="utf-8")
    starts = [m.start() for m in re.finditer(r"^  - id: ", text, re.MULTILINE)]
    head, blocks = text[: starts[0]], [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]
    kept = [b for b in blocks if re.match(r"  - id: (\S+)", b).group(1) in ids]  # type: ignore[union-attr]
    found = {re.match(r"  - id: (\S+)", b).group(1) for b in kept}  # type: ignore[union-attr]
    assert found == set(ids), f"not registered: {sorted(set(ids) - found)}"
    registry.write_text(head + "".join(kept).rstrip("\n") + "\n", encoding="utf-8")
    for block in blocks:  # and the files of the entries left out: else they would warn as unregistered
        if block not in kept and (path := re.search(r"^    path: (\S+)", block, re.MULTILINE)):
            (raw / path.group(1).strip("'\"")).unlink(missing_ok=True)
    return raw
