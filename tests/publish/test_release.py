"""The release contract: content-derived ids, byte-identical output across processes and hash seeds,
atomic promotion under SIGKILL, concurrent runs, verify, retention, datapackage, diff and drift."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.cli import main as cli
from pipeline.defs.release import _renderer
from pipeline.metadata.datasets import ANNUAL_INDICATORS
from pipeline.publish.catalog import apply_retention, catalog_problems, current_release, verify_release
from pipeline.publish.compare import compare_releases, schema_drift
from pipeline.publish.datapackage import validate_datapackage
from pipeline.publish.release import PublicationRefused, publish
from pipeline.raw.registry import load_registry
from pipeline.report.build import release_history
from pipeline.settings import PROJECT_ROOT
from pipeline.store.parquet import sha256_file, write_parquet
from pipeline.store.workspace import Workspace, read_json
from tests.helpers import run_graph

HELPER = Path(__file__).with_name("publish_in_subprocess.py")
RUN_GRAPH = (
    "import sys, dagster as dg; from pathlib import Path;"
    "from pipeline.definitions import ALL_JOB, build_definitions;"
    "job = build_definitions(Path(sys.argv[1]), Path(sys.argv[2])).resolve_job_def(ALL_JOB);"
    "inst = dg.DagsterInstance.ephemeral();"
    "sys.exit(0 if job.execute_in_process(instance=inst, raise_on_error=False).success else 1)"
)


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), **extra}


def recode(outputs: Path, code: str) -> None:
    """Pretend the staged files were built by ``code`` (these tests publish under made-up code versions)."""
    for sidecar in (outputs / "work").rglob("*.inputs.json"):
        data = read_json(sidecar)
        sidecar.write_text(json.dumps({**data, "code": code}), encoding="utf-8")


def _publish(raw: Path, outputs: Path, code: str, keep: int = 10):
    recode(outputs, code)
    workspace = Workspace(outputs)
    sources = load_registry(raw)
    return publish(workspace, sources, raw, code, _renderer(workspace, sources, raw), keep=keep)


def test_two_processes_with_different_hash_seeds_write_identical_releases(
    published_once: tuple[Path, Path], tmp_path: Path
) -> None:
    raw = published_once[0]
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", RUN_GRAPH, str(raw), str(tmp_path / f"out{seed}")],
            env=_env(PYTHONHASHSEED=seed),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for seed in ("1", "2")
    ]
    for run in runs:
        _, err = run.communicate(timeout=300)
        assert run.returncode == 0, err.decode()[-2000:]
    a, b = (tmp_path / "out1" / "latest").resolve(), (tmp_path / "out2" / "latest").resolve()
    assert a.name == b.name
    assert folder_bytes(a) == folder_bytes(b)
    # and the same as the in-process run of the session fixture
    assert folder_bytes(a) == folder_bytes((published_once[1] / "latest").resolve())


def test_two_runs_at_once_on_one_outputs_folder(published_once: tuple[Path, Path], tmp_path: Path) -> None:
    raw, outputs = published_once[0], tmp_path / "outputs"
    logs = [tmp_path / f"run{i}.log" for i in range(2)]  # not pipes: waiting on one run while the other
    runs = []  # fills its pipe would deadlock
    for log in logs:
        with log.open("wb") as handle:
            runs.append(subprocess.Popen([sys.executable, "-c", RUN_GRAPH, str(raw), str(outputs)], env=_env(),
                                         stdout=subprocess.DEVNULL, stderr=handle))  # fmt: skip
    codes = [run.wait(timeout=300) for run in runs]
    assert codes == [0, 0], "\n".join(log.read_text(errors="replace")[-2000:] for log in logs)
    releases = sorted(p.name for p in (outputs / "releases").iterdir())
    assert releases == [(outputs / "latest").resolve().name]  # one release, no staging left behind
    assert verify_release(outputs / "releases" / releases[0]) == []
    catalog = read_json(outputs / "catalog.json")
    assert [r["release_id"] for r in catalog["releases"]] == releases
    assert catalog["current"] == releases[0]


def test_identical_inputs_create_no_new_release(published: tuple[Path, Path]) -> None:
    raw, outputs = published
    before = current_release(Workspace(outputs))
    catalog = read_json(outputs / "catalog.json")
    code = catalog["releases"][0]["code_version"]
    result = _publish(raw, outputs, code)
    assert (result.release_id, result.created) == (before, False)
    assert len(read_json(outputs / "catalog.json")["releases"]) == 1


def test_release_folder_holds_no_time_or_run_id(published: tuple[Path, Path]) -> None:
    _, outputs = published
    latest = (outputs / "latest").resolve()
    text = "".join(
        (latest / name).read_text(encoding="utf-8")
        for name in ("manifest.json", "datapackage.json", "quality_report.json", "quality_report.html")
    )
    assert "published_at" not in text
    assert "2026-" not in text and "T00:" not in text
    assert "published_at" in (outputs / "catalog.json").read_text(encoding="utf-8")


def _count_steps(raw: Path, outputs: Path, code: str) -> int:
    probe = outputs.parent / "probe"
    shutil.copytree(outputs, probe, symlinks=True)
    recode(probe, code)
    done = subprocess.run(
        [sys.executable, str(HELPER), str(raw), str(probe), code, "0"],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return int(done.stdout.split()[1])


def test_sigkill_at_any_step_of_publication_leaves_one_complete_current_release(
    published: tuple[Path, Path], tmp_path: Path
) -> None:
    raw, pristine = published
    old = current_release(Workspace(pristine))
    total = _count_steps(raw, pristine, "code-v2")
    assert total >= 10
    points = sorted({1, 2, total // 4, total // 2, (3 * total) // 4, total - 2, total - 1, total})
    children = {}  # killed at each point, all at once (each mostly imports Dagster); stderr to a file, no pipe
    for point in points:
        outputs = tmp_path / f"killed-at-{point}"
        shutil.copytree(pristine, outputs, symlinks=True)
        recode(outputs, "code-v2")
        with (tmp_path / f"child-{point}.err").open("wb") as err:
            children[point] = subprocess.Popen(
                [sys.executable, str(HELPER), str(raw), str(outputs), "code-v2", str(point)],
                env=_env(), stdout=subprocess.DEVNULL, stderr=err,
            )  # fmt: skip
    for point, child in children.items():
        outputs = tmp_path / f"killed-at-{point}"
        code = child.wait(timeout=300)
        stderr = (tmp_path / f"child-{point}.err").read_text(errors="replace")
        assert code == -9, f"step {point}: not killed: {stderr[-500:]}"
        current = current_release(Workspace(outputs))
        assert current is not None
        assert verify_release(outputs / "releases" / current) == [], f"killed at step {point}"
        visible = [p for p in (outputs / "releases").iterdir() if not p.name.startswith(".staging-")]
        assert all((p / "manifest.json").exists() for p in visible), f"partial release at step {point}"
        json.loads((outputs / "catalog.json").read_text(encoding="utf-8"))  # never half-written
        # the next publisher cleans up and finishes the job
        result = _publish(raw, outputs, "code-v2")
        assert current_release(Workspace(outputs)) == result.release_id != old
        assert catalog_problems(Workspace(outputs)) == [], f"catalog and latest disagree after step {point}"
        assert not list((outputs / "releases").glob(".staging-*"))
        assert verify_release(outputs / "releases" / result.release_id) == []
        assert verify_release(outputs / "releases" / str(old)) == []


def test_verify_names_altered_and_missing_files(
    published: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, outputs = published
    latest = (outputs / "latest").resolve()
    assert cli(["--outputs-dir", str(outputs), "verify"]) == 0
    with (latest / "pilot_zones.parquet").open("ab") as handle:
        handle.write(b"\0")
    (latest / "corrections.parquet").unlink()
    assert cli(["--outputs-dir", str(outputs), "verify"]) == 1
    err = capsys.readouterr().err
    assert f"{latest / 'pilot_zones.parquet'}: altered" in err
    assert f"{latest / 'corrections.parquet'}: missing (dataset corrections)" in err
    assert "annual_indicators" not in err


def test_retention_keeps_the_newest_and_never_the_current(published: tuple[Path, Path]) -> None:
    raw, outputs = published
    first = current_release(Workspace(outputs))
    ids = [_publish(raw, outputs, f"code-{n}", keep=2).release_id for n in range(3)]
    kept = sorted(p.name for p in (outputs / "releases").iterdir())
    assert kept == sorted(ids[-2:])
    # each report carries the releases before it, which outlive their folders: the chart of findings over
    # releases shows all four, though two were removed by retention
    report = read_json(outputs / "latest" / "quality_report.json")
    assert [h["release_id"] for h in report["history"][-3:]] == [first, *ids[:2]]
    statuses = report["finding_statuses"]
    assert all(h["finding_statuses"] == statuses and h["checks"] == report["verdict"]["checks"]
               for h in report["history"][-3:])  # fmt: skip
    html = (outputs / "latest" / "quality_report.html").read_text(encoding="utf-8")
    flagged = sum(statuses.values()) - statuses.get("consistent", 0) - statuses.get("uncertain", 0)
    chart = html[html.index('<svg id="chart-history"') : html.index("</svg>", html.index('<svg id="chart-history"'))]
    assert f"{ids[1][:6]}: {flagged} flagged, {statuses.get('uncertain', 0)} uncertain" in chart
    assert "this: " in chart
    catalog = read_json(outputs / "catalog.json")
    assert [r["release_id"] for r in catalog["releases"] if r["deleted"]] == [first, ids[0]]
    # re-promoting an old release makes it current; retention must not delete it
    workspace = Workspace(outputs)
    os.replace(outputs / "latest", outputs / "latest.bak")
    os.symlink(Path("releases") / ids[1], outputs / "latest")
    catalog["current"] = ids[1]
    (outputs / "catalog.json").write_text(json.dumps(catalog), encoding="utf-8")
    assert apply_retention(workspace, 1) == []  # ids[2] is the newest, ids[1] the current one
    assert sorted(p.name for p in (outputs / "releases").iterdir()) == sorted(ids[1:])


def test_datapackage_describes_the_files_and_catches_tampering(published: tuple[Path, Path]) -> None:
    _, outputs = published
    latest = (outputs / "latest").resolve()
    assert validate_datapackage(latest) == []
    package = read_json(latest / "datapackage.json")
    resource = next(r for r in package["resources"] if r["name"] == "annual_indicators")
    field = next(f for f in resource["schema"]["fields"] if f["name"] == "internet_penetration_pct")
    assert field == {
        "name": "internet_penetration_pct",
        "type": "number",
        "description": "Internet penetration rate (CNNIC); 2019 is the June 2019 figure.",
        "unit": "percent",
        "raw_header": "Network penetration",
        "constraints": {"required": False, "minimum": 0, "maximum": 100},
    }
    assert resource["schema"]["primaryKey"] == ["source_id", "year"]  # a year per table: tables are not merged
    assert (
        resource["hash"] == "sha256:" + read_json(latest / "manifest.json")["datasets"]["annual_indicators"]["sha256"]
    )
    source = next(s for s in package["sources"] if s["id"] == "paper_appendix_2020")
    assert source["sha256"].startswith("7e44105b37a5") and source["path"] == "raw/extracts/000_7a1c8b4bcb024347.txt"
    shutil.copytree(latest, outputs / "tampered")
    (outputs / "tampered" / "pilot_zones.parquet").write_bytes(b"PAR1")
    problems = validate_datapackage(outputs / "tampered")
    assert any("resource 'pilot_zones': hash does not match" in p for p in problems)


def _changed_release(latest: Path, target: Path) -> None:
    """A copy of ``latest`` whose annual_indicators lost 2001, gained 2020 and had 2019 revised."""
    shutil.copytree(latest, target)
    frame = pd.read_parquet(latest / "annual_indicators.parquet")
    frame.loc[frame["year"] == 2019, "ecommerce_transactions_trillion_cny"] = 34.9
    extra = frame.loc[frame["year"] == 2019].assign(year=2020, line=60)
    frame = pd.concat([frame.loc[frame["year"] != 2001], extra], ignore_index=True)
    write_parquet(frame, ANNUAL_INDICATORS, target / "annual_indicators.parquet")


def test_diff_on_a_constructed_change(published: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    _, outputs = published
    latest = (outputs / "latest").resolve()
    _changed_release(latest, outputs / "releases" / "changed")
    changes = compare_releases(latest, outputs / "releases" / "changed")
    diff = changes["datasets"]["annual_indicators"]
    assert (diff["added"], diff["removed"], diff["changed"]) == (1, 1, 1)
    assert [r["year"] for r in diff["examples"]["added"]] == [2020]
    assert [r["year"] for r in diff["examples"]["removed"]] == [2001]
    assert diff["examples"]["changed"] == [
        {
            "key": {"source_id": "paper_appendix_2020", "year": 2019},
            "changes": {"ecommerce_transactions_trillion_cny": {"before": 34.81, "after": 34.9}},
        }
    ]
    assert changes["datasets"]["pilot_zones"] == {
        "added": 0,
        "removed": 0,
        "changed": 0,
        "moved": 0,
        "examples": {"added": [], "removed": [], "changed": []},
    }
    assert changes["drift"] == {}
    assert cli(["--outputs-dir", str(outputs), "diff", latest.name, "changed"]) == 0
    out = capsys.readouterr().out
    assert "annual_indicators: 1 added, 1 removed, 1 changed" in out
    assert "~ source_id=paper_appendix_2020, year=2019: ecommerce_transactions_trillion_cny 34.81 -> 34.9" in out


def test_schema_drift_names_added_removed_and_retyped_columns(tmp_path: Path) -> None:
    old = pa.table({"year": pa.array([1], pa.int64()), "a": pa.array([1.0]), "b": pa.array(["x"])})
    new = pa.table({"year": pa.array([1], pa.int64()), "a": pa.array(["1.0"]), "c": pa.array([2])})
    pq.write_table(old, tmp_path / "old.parquet")
    pq.write_table(new, tmp_path / "new.parquet")
    assert schema_drift(tmp_path / "old.parquet", tmp_path / "new.parquet") == {
        "added": ["c"],
        "removed": ["b"],
        "retyped": [{"column": "a", "before": "double", "after": "string"}],
    }
    assert schema_drift(None, tmp_path / "new.parquet") == {"added": [], "removed": [], "retyped": []}


def test_gate_refuses_files_built_from_another_version_of_an_input(published: tuple[Path, Path]) -> None:
    raw, outputs = published
    inputs_file = outputs / "work" / "curated" / "pilot_zones.inputs.json"
    sidecar = read_json(inputs_file)
    sidecar["inputs"]["paper_appendix_2020"] = "f" * 64
    inputs_file.write_text(json.dumps(sidecar), encoding="utf-8")
    with pytest.raises(PublicationRefused, match="built from two versions of 'paper_appendix_2020'"):
        _publish(raw, outputs, "code-x")


def test_gate_refuses_a_failed_audit_and_names_it(published: tuple[Path, Path]) -> None:
    raw, outputs = published
    audit = outputs / "work" / "audit" / "pilot_zones.expectations.json"
    record = read_json(audit)
    record["outcomes"][0]["passed"] = False
    audit.write_text(json.dumps(record), encoding="utf-8")
    with pytest.raises(PublicationRefused, match=r"pilot_zones: blocking check 'row_count' failed"):
        _publish(raw, outputs, "code-x")
    audit.unlink()
    with pytest.raises(PublicationRefused, match="the expectations check has not run on the current staged file"):
        _publish(raw, outputs, "code-x")


def test_gate_refuses_files_built_by_other_code_or_missing_a_registered_extract(published: tuple[Path, Path]) -> None:
    raw, outputs = published
    workspace = Workspace(outputs)
    sources = load_registry(raw)
    render = _renderer(workspace, sources, raw)
    with pytest.raises(
        PublicationRefused,
        match=r"annual_indicators: the staged file was built by code version \w+, "
        r"not the current code-new; run the whole pipeline again",
    ):
        publish(workspace, sources, raw, "code-new", render)  # staged by the real code version, not "code-new"
    recode(outputs, "code-new")
    (raw / "extracts" / "late.txt").write_text("Exports reached 3 billion yuan in 2021.", encoding="utf-8")
    digest = hashlib.sha256((raw / "extracts" / "late.txt").read_bytes()).hexdigest()
    with (raw / "sources.yaml").open("a", encoding="utf-8") as registry:
        registry.write(f"""
  - id: late_article
    path: extracts/late.txt
    sha256: "{digest}"
    kind: news_article
    title: t
    publisher: p
    published: "2022-01-01"
    extracts: figures
""")
    with pytest.raises(PublicationRefused, match="late_article: registered, but no staged dataset was built from it"):
        publish(workspace, load_registry(raw), raw, "code-new", render)


def test_verify_checks_every_file_and_the_catalog(
    published: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, outputs = published
    latest = (outputs / "latest").resolve()
    manifest = read_json(latest / "manifest.json")
    assert sorted(manifest["files"]) == ["datapackage.json", "quality_report.html", "quality_report.json"]
    (latest / "quality_report.html").write_text("<p>all is well</p>", encoding="utf-8")
    (latest / "notes.txt").write_text("an extra file", encoding="utf-8")
    catalog = read_json(outputs / "catalog.json")
    (outputs / "catalog.json").write_text(json.dumps({**catalog, "current": "0" * 16}), encoding="utf-8")
    damage = [
        f"{latest / 'quality_report.html'}: altered; sha256 "
        f"{hashlib.sha256(b'<p>all is well</p>').hexdigest()} != manifest {manifest['files']['quality_report.html']}.",
        f"{latest / 'notes.txt'}: not in the release's manifest; remove it.",
    ]
    assert cli(["--outputs-dir", str(outputs), "verify", "--no-repair"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        *damage,
        f"{outputs / 'catalog.json'}: says the current release is {'0' * 16}, but latest points at {latest.name}.",
    ]
    # repairing: the catalog's current release must be a live one; latest's is (the damaged files are not
    # verify's to repair: the next run rebuilds them)
    assert cli(["--outputs-dir", str(outputs), "verify"]) == 1
    out, err = capsys.readouterr()
    assert err.splitlines() == damage
    assert out.splitlines()[0] == (
        f"repaired: {outputs / 'catalog.json'}: its current release {'0' * 16} is not a live release; current is now "
        f"{latest.name} (where latest points)."
    )
    assert read_json(outputs / "catalog.json")["current"] == latest.name


def test_a_damaged_current_release_is_rebuilt_by_the_next_run(published: tuple[Path, Path]) -> None:
    raw, outputs = published
    latest = (outputs / "latest").resolve()
    before = {p.name: p.read_bytes() for p in latest.iterdir()}
    flipped = bytearray(before["reported_figures.parquet"])
    flipped[100] ^= 0xFF
    (latest / "reported_figures.parquet").write_bytes(bytes(flipped))
    assert verify_release(latest) != []
    result = run_graph(raw, outputs)
    assert result.success
    release = next(e for e in result.get_asset_materialization_events() if e.asset_key.to_user_string() == "release")
    metadata = release.materialization.metadata
    assert metadata["status"].value == "rebuilt the current release, whose folder was damaged"
    assert metadata["repaired"].value == [
        f"{latest / 'reported_figures.parquet'}: altered; sha256 {hashlib.sha256(bytes(flipped)).hexdigest()} "
        f"!= manifest {read_json(latest / 'manifest.json')['datasets']['reported_figures']['sha256']}."
    ]
    assert (outputs / "latest").resolve() == latest and verify_release(latest) == []
    assert {p.name: p.read_bytes() for p in latest.iterdir()} == before  # the same bytes as published


def test_how_the_raw_files_are_observed_is_part_of_the_release(
    published: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Per kind (more extracts than PIPELINE_RAW_ASSETS_LIMIT) there are fewer readable checks: the release
    that counts them is another release, not the same id with other bytes."""
    raw, outputs = published
    per_file = _publish(raw, outputs, "code-layout")
    monkeypatch.setenv("PIPELINE_RAW_ASSETS_LIMIT", "2")
    per_kind = _publish(raw, outputs, "code-layout")
    assert per_kind.created and per_kind.release_id != per_file.release_id
    assert (per_file.manifest["raw_assets"], per_kind.manifest["raw_assets"]) == ("per file", "per kind")
    report = read_json(per_kind.path / "quality_report.json")
    readable = sorted(c["asset"] for c in report["asset_checks"] if c["check"] == "readable")
    references = [f"raw/{s.id}" for s in load_registry(raw) if s.kind == "reference_table"]
    assert readable == sorted(["raw/corpus/news_article", "raw/corpus/pdf_table_extract", *references])
    assert report["verdict"]["checks"] == per_kind.manifest["checks"] == {"passed": 50, "warned": 0, "failed": 0}


def test_a_predecessor_report_that_is_tampered_or_malformed_ends_the_history(
    published: tuple[Path, Path],
) -> None:
    raw, outputs = published
    previous = (outputs / "latest").resolve()
    assert release_history(previous) == [
        {"release_id": previous.name, "checks": {"passed": 53, "warned": 0, "failed": 0},
         "finding_statuses": read_json(previous / "quality_report.json")["finding_statuses"]}
    ]  # fmt: skip
    report_path = previous / "quality_report.json"
    report = read_json(report_path)
    report["history"] = [{"release_id": "x"}]  # no counts: a chart could not draw it
    report_path.write_text(json.dumps(report), encoding="utf-8")
    assert release_history(previous) == []  # the report no longer matches its manifest
    manifest = read_json(previous / "manifest.json")
    manifest["files"]["quality_report.json"] = sha256_file(report_path)
    (previous / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert [h["release_id"] for h in release_history(previous)] == [previous.name]  # its own entry, no earlier
    new = _publish(raw, outputs, "code-after")  # and the next release publishes, its chart drawn
    assert [h["release_id"] for h in read_json(new.path / "quality_report.json")["history"]] == [previous.name]
    assert '<svg id="chart-history"' in (new.path / "quality_report.html").read_text(encoding="utf-8")


def test_a_candidate_without_staged_datasets_is_not_publishable(tmp_path: Path) -> None:
    from pipeline.report.candidate import write_candidate_report
    from pipeline.settings import DEFAULT_RAW_DIR

    raw = tmp_path / "raw"
    shutil.copytree(DEFAULT_RAW_DIR, raw)
    page = write_candidate_report(Workspace(tmp_path / "outputs"), load_registry(raw), raw)
    report = read_json(page.with_suffix(".json"))
    assert report["verdict"]["publishable"] is False
    not_run = [(c["asset"], c["check"]) for c in report["asset_checks"] if "did not run" in c["description"]]
    assert ("annual_indicators", "schema") in not_run and ("findings", "expectations") in not_run
    assert report["verdict"]["sentence"].startswith("Not publishable: 25 check(s) failed")
