"""Bad input, end to end: each case runs the real graph on a copy of a published project. Nothing is
lost (the other extracts are still processed, the last good release stays current) and everything is
explained (an error naming the file, the line, the problem and what to do; the candidate report lists
the quarantined source)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from pipeline.raw.registry import read_registry
from pipeline.report.candidate import write_candidate_report
from pipeline.store.workspace import Workspace, read_json
from tests.helpers import check_results, run_graph

pytestmark = pytest.mark.e2e
APPENDIX = "extracts/000_7a1c8b4bcb024347.txt"
NEWS = "extracts/001_cd4e69f0e87097a9.txt"


def _reregister(raw: Path, path: str) -> None:
    """Record the file's new sha256, as a user who changed it on purpose would."""
    registry = raw / "sources.yaml"
    text = registry.read_text(encoding="utf-8")
    old = next(s for s in read_registry(raw)[0] if s.path == path).sha256
    registry.write_text(text.replace(old, hashlib.sha256((raw / path).read_bytes()).hexdigest()), encoding="utf-8")


def _edit(path: str, change: Callable[[bytes], bytes], reregister: bool = True) -> Callable[[Path], None]:
    def apply(raw: Path) -> None:
        (raw / path).write_bytes(change((raw / path).read_bytes()))
        if reregister:
            _reregister(raw, path)

    return apply


def _replace(old: str, new: str) -> Callable[[bytes], bytes]:
    return lambda data: data.replace(old.encode(), new.encode(), 1)


def _append_entry(entry: str) -> Callable[[Path], None]:
    def apply(raw: Path) -> None:
        with (raw / "sources.yaml").open("a", encoding="utf-8") as handle:
            handle.write(entry)

    return apply


ESCAPING = """
  - id: escaping_path
    path: ../../etc/passwd
    sha256: "%s"
    kind: news_article
    title: t
    publisher: p
    published: "2020"
    extracts: nothing
""" % ("ab" * 32)

# name, mutation, file named in the error, expected message (regex), line expected in the message
QUARANTINED = [
    ("empty file", _edit(APPENDIX, lambda _: b""), APPENDIX, r"the file is empty\. Replace it", None),
    ("binary junk", _edit(APPENDIX, lambda _: b"PK\x03\x04\x00\x00binary\x00junk"), APPENDIX,
     r"contains NUL bytes: it is binary, not extracted text\. Extract the text", None),
    ("latin-1 bytes", _edit(APPENDIX, lambda d: d.replace(b"Chongwing", "Chongwïng".encode("latin-1"))), APPENDIX,
     r"not valid UTF-8 \(byte 0xef at offset \d+\); it may be GBK or Latin-1\. Convert it to UTF-8", 160),
    ("GBK article", _edit(NEWS, lambda d: d.decode("utf-8").encode("gbk", errors="replace")), NEWS,
     r"not valid UTF-8 \(byte 0xa1 at offset 449\).* Convert it to UTF-8 \(e\.g\. `iconv -f GBK -t UTF-8`\)", 10),
    ("truncated table", _edit(APPENDIX, lambda d: d[: d.index(b"2010 4.55 7.1") + len(b"2010 4.55 7.1")]), APPENDIX,
     r"row 2010 has 2 values but the header has 6 columns", 40),
    ("extra column", _edit(APPENDIX, _replace("2005 0.74 3.4 4300", "2005 0.74 3.4 99 4300")), APPENDIX,
     r"row 2005 has 7 values but the header has 6 columns", 30),
    ("missing column", _edit(APPENDIX, _replace("2005 0.74 3.4 4300", "2005 0.74 4300")), APPENDIX,
     r"row 2005 has 5 values but the header has 6 columns", 30),
    ("non-numeric cell", _edit(APPENDIX, _replace("2005 0.74 3.4 4300", "2005 0.74 3.4 abc")), APPENDIX,
     r"non-numeric value 'abc' in column 'The market scale of cross-' of row 2005", 30),
    ("duplicated year", _edit(APPENDIX, _replace("2006 1.3 3.8", "2005 1.3 3.8")), APPENDIX,
     r"year 2005 appears twice, on lines 30 and 32", 32),
    ("wrong hash", _edit(APPENDIX, _replace("2019 34.81", "2019 34.80"), reregister=False), APPENDIX,
     r"content has changed since it was registered as 'paper_appendix_2020'.*re-register the file", None),
]  # fmt: skip


def _rows_of_others(folder: Path, name: str, broken: str) -> pd.DataFrame:
    """The rows of dataset ``name`` in ``folder`` (a release, or the staging area) from every source
    but ``broken``."""
    frame = pd.read_parquet(folder / f"{name}.parquet")
    return frame.loc[frame["source_id"] != broken].reset_index(drop=True)


def _others_unchanged(outputs: Path, broken: str) -> None:
    """Every other source's figures and indicator rows were rebuilt as in the last good release."""
    compared = 0
    for name in ("reported_figures", "annual_indicators"):
        good = _rows_of_others(outputs / "latest", name, broken)
        assert _rows_of_others(outputs / "work" / "curated", name, broken).equals(good), name
        compared += len(good)
    assert compared > 0


@pytest.fixture
def project(published: tuple[Path, Path]) -> tuple[Path, Path, str]:
    raw, outputs = published
    return raw, outputs, (outputs / "latest").resolve().name


@pytest.mark.parametrize(("name", "mutate", "path", "message", "line"), QUARANTINED, ids=[c[0] for c in QUARANTINED])
def test_bad_extract_is_quarantined_and_nothing_is_lost(
    project: tuple[Path, Path, str],
    name: str,
    mutate: Callable[[Path], None],
    path: str,
    message: str,
    line: int | None,
) -> None:
    raw, outputs, good = project
    mutate(raw)
    result = run_graph(raw, outputs)
    assert not result.success
    assert (outputs / "latest").resolve().name == good  # the last good release stays current
    failures = [f for step in (outputs / "work" / "failures").glob("*.json") for f in read_json(step)]
    messages = sorted({f["message"] for f in failures if f["path"] == f"raw/{path}"})
    matching = [m for m in messages if re.search(message, m, re.DOTALL)]
    assert len(matching) == 1, messages
    where = f"raw/{path}:{line}: " if line else f"raw/{path}: "
    assert matching[0].startswith(where), matching[0]
    # and in the UI, on the asset that read the file: a failed sources_read check quoting the message
    read = [e for e in result.get_asset_check_evaluations() if e.check_name == "sources_read" and not e.passed]
    assert read and all(e.severity.value == "ERROR" for e in read)
    quoted = [e for e in read if matching[0] in str(e.metadata["sources"].value)]
    assert quoted, [(e.asset_key.to_user_string(), e.description) for e in read]
    assert any((e.description or "").startswith(f"raw/{path}") for e in quoted)
    # the other extracts were still processed: their rows are the last good release's
    _others_unchanged(outputs, next(s.id for s in read_registry(raw)[0] if s.path == path))
    report = write_candidate_report(Workspace(outputs), read_registry(raw)[0], raw)
    candidate = read_json(report.with_suffix(".json"))
    assert candidate["verdict"]["publishable"] is False
    assert matching[0] in {q["message"] for q in candidate["quarantined"]}
    # each check the run evaluated has the result the UI shows in the candidate report too
    evaluated = check_results(result)
    listed = {(c["asset"], c["check"]): c["result"] for c in candidate["asset_checks"]}
    assert {key: listed.get(key) for key in evaluated} == evaluated
    assert candidate["verdict"]["checks"]["failed"] >= sum(r == "failed" for r in evaluated.values()) > 0
    assert "Not publishable" in report.read_text(encoding="utf-8")


def test_bom_and_crlf_give_the_same_values(project: tuple[Path, Path, str]) -> None:
    raw, outputs, good = project
    before = {n: pd.read_parquet(outputs / "latest" / f"{n}.parquet") for n in ("annual_indicators", "pilot_zones")}
    _edit(APPENDIX, lambda d: b"\xef\xbb\xbf" + d.replace(b"\n", b"\r\n"))(raw)
    assert run_graph(raw, outputs).success
    assert (outputs / "latest").resolve().name != good  # a new input, so a new release ...
    for name, frame in before.items():  # ... with the same values (only character offsets move)
        after = pd.read_parquet(outputs / "latest" / f"{name}.parquet")
        values = [c for c in frame.columns if "char" not in c]
        pd.testing.assert_frame_equal(after[values], frame[values])


def test_an_unregistered_file_is_ignored_with_a_warning(project: tuple[Path, Path, str]) -> None:
    raw, outputs, good = project
    (raw / "extracts" / "stray.txt").write_text("Exports reached 9 billion yuan.", encoding="utf-8")
    result = run_graph(raw, outputs)
    assert result.success
    assert (outputs / "latest").resolve().name == good  # nothing changed: the file is not an input
    release = next(e for e in result.get_asset_materialization_events() if e.asset_key.to_user_string() == "release")
    warnings = release.materialization.metadata["raw_warnings"].value
    assert warnings == [
        "raw/extracts/stray.txt: not in raw/sources.yaml, so the pipeline ignores it; register it (see README, "
        "'Adding a raw extract')."
    ]


def test_a_registry_path_escaping_raw_is_refused_and_the_rest_runs(project: tuple[Path, Path, str]) -> None:
    raw, outputs, good = project
    _append_entry(ESCAPING)(raw)
    result = run_graph(raw, outputs)
    assert not result.success
    assert (outputs / "latest").resolve().name == good
    (failure,) = read_json(outputs / "work" / "failures" / "indicator_table_cells.json")
    assert failure["message"].endswith(
        "source 'escaping_path': path '../../etc/passwd' is outside raw/. "
        "Copy the file into raw/ and register that copy."
    )
    _others_unchanged(outputs, "escaping_path")


def test_malformed_registry_yaml_fails_clearly_and_keeps_the_release(project: tuple[Path, Path, str]) -> None:
    raw, outputs, good = project
    registry = raw / "sources.yaml"
    lines = registry.read_text(encoding="utf-8").splitlines()
    lines[12] = "  - id: [unclosed"  # line 13 opens a flow sequence; the parser stops on line 14
    registry.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_graph(raw, outputs)
    assert not result.success
    assert (outputs / "latest").resolve().name == good
    errors = []
    for event in result.get_step_failure_events():
        error = event.event_specific_data.error
        while error is not None:  # the step error wraps the pipeline's own error as its cause
            errors.append(error.message)
            error = error.cause
    assert any(
        re.search(r"sources\.yaml:14: the source registry is not valid YAML .* Fix the syntax", m) for m in errors
    )


def test_the_root_cause_is_a_failed_check_on_the_raw_asset(project: tuple[Path, Path, str]) -> None:
    """Where a user of the Dagster UI looks first: the raw file's own check, red, naming file, line and fix."""
    raw, outputs, _ = project
    _edit(APPENDIX, _replace("2019 34.81", "2019 34.80"), reregister=False)(raw)  # edited behind the registry
    result = run_graph(raw, outputs)
    assert not result.success
    readable = {
        e.asset_key.to_user_string(): e for e in result.get_asset_check_evaluations() if e.check_name == "readable"
    }
    failed = sorted(k for k, e in readable.items() if not e.passed)
    assert failed == ["raw/paper_appendix_2020"] and len(readable) == 11
    evaluation = readable["raw/paper_appendix_2020"]
    assert evaluation.severity.value == "ERROR"
    assert re.fullmatch(
        r"raw/extracts/000_7a1c8b4bcb024347\.txt: content has changed since it was registered as "
        r"'paper_appendix_2020' .*re-register the file.*",
        evaluation.description or "",
    )
