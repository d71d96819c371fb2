"""Per-document results: cached by content and registry entry, recomputed when a file changes, the
same whether they run in the calling process or in worker processes. On the seed registry (nine
sources), whatever else is registered."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.parse.tables import parse_document
from pipeline.raw.registry import load_registry
from pipeline.records import DocumentResult
from pipeline.steps.tables import parse_tables
from pipeline.store import cache as documents
from pipeline.store.cache import per_document

CALLS: list[str] = []


def counting(source, raw_dir, params):  # type: ignore[no-untyped-def]
    CALLS.append(source.id)
    return parse_document(source, raw_dir, params)


def test_a_second_run_reads_everything_from_the_cache(project_copy: tuple[Path, Path]) -> None:
    raw, outputs = project_copy
    sources = load_registry(raw)
    cache = outputs / "cache.pickle"
    CALLS.clear()
    first, stats = per_document("t", counting, sources, raw, {"parser": "zone_table"}, cache)
    n = len(sources)  # every registered file (a step's function decides what it reads of each)
    assert (stats.documents, stats.cached, stats.computed) == (n, 0, n) and len(CALLS) == n
    again, stats = per_document("t", counting, sources, raw, {"parser": "zone_table"}, cache)
    assert (stats.cached, stats.computed) == (n, 0) and len(CALLS) == n
    assert again == first
    zone = next(r for r in first if r.source_id == "paper_appendix_2020")
    assert zone.records[0]["text"] == "Hangzhou" and zone.records[1]["text"] == "International"


def test_other_parameters_or_a_new_registry_entry_miss_the_cache(project_copy: tuple[Path, Path]) -> None:
    raw, outputs = project_copy
    sources = load_registry(raw)
    cache = outputs / "cache.pickle"
    per_document("t", counting, sources, raw, {"parser": "zone_table"}, cache)
    _, stats = per_document("t", counting, sources, raw, {"parser": "indicator_table"}, cache)
    assert stats.computed == len(sources)
    text = (raw / "sources.yaml").read_text()
    (raw / "sources.yaml").write_text(text.replace('published: "2020-01-03"', 'published: "2020-01-04"'))
    _, stats = per_document("t", counting, load_registry(raw), raw, {"parser": "indicator_table"}, cache)
    assert (stats.cached, stats.computed) == (len(sources) - 1, 1)


def test_a_file_changed_behind_the_registry_misses_the_cache_and_is_quarantined(
    project_copy: tuple[Path, Path],
) -> None:
    raw, outputs = project_copy
    cache = outputs / "cache.pickle"
    assert parse_tables(load_registry(raw), raw, "zone_table", cache).failures == []
    appendix = raw / "extracts" / "000_7a1c8b4bcb024347.txt"
    appendix.write_bytes(appendix.read_bytes() + b"\n")
    outcome = parse_tables(load_registry(raw), raw, "zone_table", cache)
    assert [f.source_id for f in outcome.failures] == ["paper_appendix_2020"]
    assert "content has changed since it was registered" in outcome.failures[0].message
    assert outcome.stats.computed == 1


def test_a_damaged_cache_is_recomputed_not_trusted(project_copy: tuple[Path, Path]) -> None:
    raw, outputs = project_copy
    cache = outputs / "cache.pickle"
    cache.parent.mkdir(parents=True)
    cache.write_bytes(b"not a pickle")
    sources = load_registry(raw)
    results, stats = per_document("t", parse_document, sources, raw, {"parser": "zone_table"}, cache)
    assert stats.computed == len(sources) and any(r.records for r in results)


def test_worker_processes_give_the_same_results(
    project_copy: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    raw, _ = project_copy
    sources = load_registry(raw)
    serial, stats = per_document("t", parse_document, sources, raw, {"parser": "indicator_table"}, None)
    assert stats.workers == 1
    monkeypatch.setattr(documents, "PARALLEL_MIN", 2)
    monkeypatch.setattr(documents, "CHUNK", 1)
    monkeypatch.setenv("PIPELINE_WORKERS", "2")
    parallel, stats = per_document("t", parse_document, sources, raw, {"parser": "indicator_table"}, None)
    assert stats.workers == 2 and stats.computed == len(sources)
    assert parallel == serial
    cells = next(r for r in parallel if r.source_id == "paper_appendix_2020").records
    assert len(cells) == 114 and cells[0]["header"] == "Total e-commerce" and cells[0]["value"] == 0.12


def test_a_source_error_is_the_documents_result_not_an_exception(project_copy: tuple[Path, Path]) -> None:
    raw, _ = project_copy
    (raw / "extracts" / "001_cd4e69f0e87097a9.txt").write_bytes(b"")
    sources = [s for s in load_registry(raw) if s.id == "asiacargobuzz_2020_01_03"]
    [result], _ = per_document("t", parse_document, sources, raw, {"parser": "zone_table"}, None)
    assert result == DocumentResult(
        "asiacargobuzz_2020_01_03", error=result.error, error_path="raw/extracts/001_cd4e69f0e87097a9.txt"
    )
    assert result.error is not None and "content has changed" in result.error


def test_a_filled_cache_is_not_loaded_when_the_results_are_not_wanted(
    project_copy: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    raw, outputs = project_copy
    sources = load_registry(raw)
    cache = outputs / "cache.pickle"
    per_document("t", counting, sources, raw, {"parser": "zone_table"}, cache)
    assert (outputs / "cache.pickle.keys").read_text(encoding="ascii").count("\n") == len(sources)
    loaded: list[Path | None] = []
    real_load = documents.load_cache
    monkeypatch.setattr(documents, "load_cache", lambda path: loaded.append(path) or real_load(path))
    results, stats = per_document("t", counting, sources, raw, {"parser": "zone_table"}, cache, collect=False)
    assert (results, stats.computed, stats.cached, loaded) == ([], 0, len(sources), [])
    # a cache written after its index (by another writer): the index is not trusted, the cache is read
    documents.save_cache(cache, {})
    (outputs / "cache.pickle.keys").write_text("".join(f"{k}\n" for k in "abc"), encoding="ascii")
    cache.write_bytes(cache.read_bytes())
    import os

    later = (outputs / "cache.pickle.keys").stat().st_mtime_ns + 10**9
    os.utime(cache, ns=(later, later))
    CALLS.clear()
    _, stats = per_document("t", counting, sources, raw, {"parser": "zone_table"}, cache, collect=False)
    assert loaded == [cache] and stats.computed == len(sources) == len(CALLS)
