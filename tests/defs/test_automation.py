"""The raw-files sensor and the full refresh's automation conditions, evaluated directly: run keys per
content; a file edited without registering, restored, then registered; a removed entry; the first
evaluation after a release; warnings for unregistered and mismatching files; a clear skip for a broken
registry; the tick that observes the raw files, then requests every asset and check."""

from __future__ import annotations

import datetime
import hashlib
import json
from pathlib import Path
from typing import Any

import dagster as dg
import pytest

from pipeline.cli import main as cli
from pipeline.defs.location import build_definitions
from pipeline.raw.registry import read_registry
from pipeline.raw.state import raw_state, trigger
from pipeline.store.workspace import read_json


def _sensor(raw: Path, outputs: Path) -> dg.SensorDefinition:
    return build_definitions(raw, outputs).get_sensor_def("raw_files_changed")


def _evaluate(sensor: dg.SensorDefinition, cursor: str | None) -> dg.SensorResult | dg.SkipReason:
    with dg.DagsterInstance.ephemeral() as instance:
        context = dg.build_sensor_context(instance=instance, cursor=cursor)
        return sensor(context)


def _skipped(result: dg.SensorResult) -> str | None:
    assert result.run_requests == [] and result.skip_reason is not None
    return result.skip_reason.skip_message


def _cursor(result: dg.SensorResult) -> dict[str, str]:
    assert result.cursor is not None
    return json.loads(result.cursor)


def test_sensor_requests_one_run_per_content(project_copy: tuple[Path, Path]) -> None:
    raw, outputs = project_copy  # nothing published yet: a run is due
    sensor = _sensor(raw, outputs)
    sources = read_registry(raw)[0]
    first = _evaluate(sensor, None)
    assert isinstance(first, dg.SensorResult)
    (request,) = first.run_requests
    assert _cursor(first) == {s.id: s.sha256 for s in sources}
    assert request.run_key == trigger(raw_state(raw, sources), sources, {}).key
    assert request.tags == {
        "pipeline/trigger": "raw files changed",
        "pipeline/changed": ", ".join(sorted(_cursor(first))[:8]) + " and 3 more",  # 11 files: as many as fit in 200
    }
    again = _evaluate(sensor, first.cursor)
    assert isinstance(again, dg.SensorResult) and again.run_requests == [] and again.cursor == first.cursor
    assert (
        _skipped(again)
        == f"no registered raw file changed ({len(sources)} of {len(sources)} files match their registry entries)."
    )


def test_turned_on_after_a_release_it_runs_only_when_the_inputs_differ(published: tuple[Path, Path]) -> None:
    raw, outputs = published
    sensor = _sensor(raw, outputs)
    first = _evaluate(sensor, None)  # the inputs are the current release's: nothing to do
    assert isinstance(first, dg.SensorResult) and first.run_requests == []
    catalog = read_json(outputs / "catalog.json")
    published_inputs = {i: v["sha256"] for i, v in catalog["releases"][-1]["inputs"].items()}
    assert _cursor(first) == published_inputs


def test_a_file_edited_without_registering_triggers_nothing_and_registering_it_does(
    project_copy: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    raw, outputs = project_copy
    sensor = _sensor(raw, outputs)
    cursor = _evaluate(sensor, None).cursor
    appendix = raw / "extracts" / "000_7a1c8b4bcb024347.txt"
    original = appendix.read_bytes()
    appendix.write_bytes(original + b"\n")  # edited, not registered: a warning, no run, the cursor unchanged
    edited = _evaluate(sensor, cursor)
    assert isinstance(edited, dg.SensorResult) and edited.run_requests == [] and edited.cursor == cursor
    assert _skipped(edited) == "no registered raw file changed (10 of 11 files match their registry entries)."
    appendix.write_bytes(original)  # restored: still nothing to do
    restored = _evaluate(sensor, cursor)
    assert isinstance(restored, dg.SensorResult) and restored.run_requests == [] and restored.cursor == cursor
    appendix.write_bytes(original + b"\n")
    assert cli(["--raw-dir", str(raw), "register", "paper_appendix_2020"]) == 0
    registered = _evaluate(sensor, cursor)
    assert isinstance(registered, dg.SensorResult)
    (request,) = registered.run_requests
    assert request.tags["pipeline/changed"] == "paper_appendix_2020"
    assert _cursor(registered)["paper_appendix_2020"] == hashlib.sha256(original + b"\n").hexdigest()
    assert _evaluate(sensor, registered.cursor).run_requests == []  # type: ignore[union-attr]
    # the cursor of an older version of the sensor (a bare hash) counts as none
    assert _evaluate(sensor, "0a1b2c3d4e5f60718293a4b5").run_requests != []  # type: ignore[union-attr]


def test_a_removed_registry_entry_triggers_a_run(project_copy: tuple[Path, Path]) -> None:
    raw, _ = project_copy
    sources = read_registry(raw)[0]
    state = raw_state(raw, sources)
    baseline = {**state.matching, "retired_article": "ab" * 32}
    plan = trigger(state, sources, baseline)
    assert plan.changed == ["retired_article"] and plan.inputs == state.matching
    edited = {**state.matching, "paper_appendix_2020": "cd" * 32}  # a baseline the file no longer matches
    assert trigger(state, sources, edited).changed == ["paper_appendix_2020"]  # it matches its entry: re-registered
    fewer = [s for s in sources if s.id != "cgtn_opinion_2024"]  # an entry removed from the registry
    assert trigger(raw_state(raw, fewer), fewer, state.matching).changed == ["cgtn_opinion_2024"]


def test_mismatching_and_unregistered_files_warn(project_copy: tuple[Path, Path]) -> None:
    raw, _ = project_copy
    (raw / "extracts" / "stray.txt").write_text("x", encoding="utf-8")
    appendix = raw / "extracts" / "000_7a1c8b4bcb024347.txt"
    appendix.write_bytes(appendix.read_bytes() + b"\n")
    after = raw_state(raw, read_registry(raw)[0])
    assert after.warnings == [
        "raw/extracts/000_7a1c8b4bcb024347.txt: content differs from its registry entry 'paper_appendix_2020' "
        f"(sha256 {hashlib.sha256(appendix.read_bytes()).hexdigest()[:12]}…); not triggering a run. If the change "
        "is intended: python -m pipeline register paper_appendix_2020",
        "raw/extracts/stray.txt: not in raw/sources.yaml, so the pipeline ignores it; register it (see README, "
        "'Adding a raw extract').",
    ]
    assert "paper_appendix_2020" not in after.matching


def test_broken_registry_skips_with_the_reason(project_copy: tuple[Path, Path]) -> None:
    raw, outputs = project_copy
    sensor = _sensor(raw, outputs)
    (raw / "sources.yaml").write_text("sources: [unclosed\n", encoding="utf-8")
    result = _evaluate(sensor, None)
    assert isinstance(result, dg.SkipReason)
    assert "sources.yaml:2: the source registry is not valid YAML" in result.skip_message


def _requested(result: Any) -> list[str]:
    return sorted(r.key.to_user_string() for r in result.results if r.true_subset.size)


def test_the_full_refresh_observes_the_raw_files_then_runs_everything_with_its_checks(
    project_copy: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Declarative automation in place of a schedule: each tick, the raw files are observed; once they
    are, every asset and every check is requested in the same evaluation (one run), never before."""
    raw, outputs = project_copy
    monkeypatch.setenv("PIPELINE_SCHEDULE_CRON", "30 2 * * 1")  # Mondays, 02:30 UTC
    defs = build_definitions(raw, outputs)
    sensor = defs.get_sensor_def("full_refresh")
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING and "30 2 * * 1" in (sensor.description or "")
    graph = defs.resolve_asset_graph()
    raw_keys = sorted(k.to_user_string() for k in graph.observable_asset_keys)
    everything = sorted(
        [k.to_user_string() for k in graph.materializable_asset_keys]
        # the checks of their own steps; readable and sources_read come with their asset's observation or run
        + [k.to_user_string() for k in graph.asset_check_keys if k.name not in ("readable", "sources_read")]
    )
    monday = datetime.datetime(2026, 11, 30, 2, 29, tzinfo=datetime.UTC)
    with dg.DagsterInstance.ephemeral() as instance:
        before = dg.evaluate_automation_conditions(defs=defs, instance=instance, evaluation_time=monday)
        assert before.total_requested == 0
        tick = dg.evaluate_automation_conditions(
            defs=defs, instance=instance, cursor=before.cursor, evaluation_time=monday + datetime.timedelta(minutes=2)
        )
        assert _requested(tick) == raw_keys
        job = defs.resolve_job_def("materialize_all")
        assert job.execute_in_process(instance=instance, asset_selection=list(graph.observable_asset_keys)).success
        wave = dg.evaluate_automation_conditions(
            defs=defs, instance=instance, cursor=tick.cursor, evaluation_time=monday + datetime.timedelta(minutes=3)
        )
        assert _requested(wave) == everything
        assert any(name.endswith(":schema") for name in everything) and "release:datapackage" in everything
        later = dg.evaluate_automation_conditions(
            defs=defs, instance=instance, cursor=wave.cursor, evaluation_time=monday + datetime.timedelta(days=1)
        )
        assert later.total_requested == 0  # Tuesday: no tick
