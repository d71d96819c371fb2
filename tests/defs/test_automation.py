"""The raw-files sensor and the schedule, evaluated directly: run keys per content, warnings for
unregistered and mismatching files, a clear skip for a broken registry."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from pipeline.defs.location import build_definitions
from pipeline.raw.registry import read_registry
from pipeline.raw.state import raw_state


def _sensor(raw: Path, outputs: Path) -> dg.SensorDefinition:
    return build_definitions(raw, outputs).get_sensor_def("raw_files_changed")


def _evaluate(sensor: dg.SensorDefinition, cursor: str | None) -> dg.SensorResult | dg.SkipReason:
    with dg.DagsterInstance.ephemeral() as instance:
        context = dg.build_sensor_context(instance=instance, cursor=cursor)
        return sensor(context)


def test_sensor_requests_one_run_per_content(project_copy: tuple[Path, Path]) -> None:
    raw, outputs = project_copy
    sensor = _sensor(raw, outputs)
    first = _evaluate(sensor, None)
    assert isinstance(first, dg.SensorResult)
    (request,) = first.run_requests
    assert request.run_key == first.cursor == raw_state(raw, read_registry(raw)[0]).key
    assert request.tags == {"pipeline/trigger": "raw files changed"}
    again = _evaluate(sensor, first.cursor)
    registered = len(read_registry(raw)[0])
    assert isinstance(again, dg.SkipReason)
    assert f"no registered raw file changed ({registered} files" in again.skip_message


def test_mismatching_and_unregistered_files_warn_and_trigger_nothing(project_copy: tuple[Path, Path]) -> None:
    raw, _ = project_copy
    before = raw_state(raw, read_registry(raw)[0])
    (raw / "extracts" / "stray.txt").write_text("x", encoding="utf-8")
    appendix = raw / "extracts" / "000_7a1c8b4bcb024347.txt"
    appendix.write_bytes(appendix.read_bytes() + b"\n")
    after = raw_state(raw, read_registry(raw)[0])
    assert after.warnings == [
        "raw/extracts/000_7a1c8b4bcb024347.txt: content differs from its registry entry 'paper_appendix_2020' "
        f"(sha256 {after_sha(appendix)[:12]}…); not triggering a run. If the change is intended: "
        "python -m pipeline register paper_appendix_2020",
        "raw/extracts/stray.txt: not in raw/sources.yaml, so the pipeline ignores it; register it (see README, "
        "'Adding a raw extract').",
    ]
    assert "paper_appendix_2020" not in after.matching and after.key != before.key
    # restoring the file restores the key: the same content never triggers twice
    appendix.write_bytes(appendix.read_bytes()[:-1])
    assert raw_state(raw, read_registry(raw)[0]).key == before.key


def after_sha(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_broken_registry_skips_with_the_reason(project_copy: tuple[Path, Path]) -> None:
    raw, outputs = project_copy
    sensor = _sensor(raw, outputs)
    (raw / "sources.yaml").write_text("sources: [unclosed\n", encoding="utf-8")
    result = _evaluate(sensor, None)
    assert isinstance(result, dg.SkipReason)
    assert "sources.yaml:2: the source registry is not valid YAML" in result.skip_message


def test_schedule_is_daily_and_configurable(project_copy: tuple[Path, Path], monkeypatch) -> None:
    raw, outputs = project_copy
    schedule = build_definitions(raw, outputs).get_schedule_def("daily_materialize_all")
    assert schedule.cron_schedule == "0 6 * * *" and schedule.job_name == "materialize_all"
    monkeypatch.setenv("PIPELINE_SCHEDULE_CRON", "30 2 * * 1")
    assert build_definitions(raw, outputs).get_schedule_def("daily_materialize_all").cron_schedule == "30 2 * * 1"
