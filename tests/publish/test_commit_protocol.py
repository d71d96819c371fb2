"""The commit protocol of a publication, step by step: a kill or a failed write after every write of the
sequence (staging, rename, catalog, latest, retention) leaves a complete current release on which the
catalog and ``latest`` agree once reconciled, by ``verify`` or by the next run; what reconcile does with
each kind of leftover; a full disk and a read-only outputs folder give a clear error and change nothing.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from pipeline.cli import main as cli
from pipeline.publish.catalog import catalog_problems, current_release, read_catalog, reconcile, verify_release
from pipeline.publish.release import PublicationFailed, PublishResult, publish
from pipeline.raw.registry import load_registry
from pipeline.records import CheckOutcome
from pipeline.store.workspace import Workspace, read_json, write_json
from tests.publish.test_release import _publish, recode

# every file-system call that creates, renames, flushes or removes something during a publication
WRITES: list[tuple[Any, str]] = [
    (os, "replace"),
    (os, "rename"),
    (os, "symlink"),
    (os, "fsync"),
    (os, "mkdir"),
    (os, "unlink"),
    (shutil, "copyfile"),
    (shutil, "rmtree"),
]


class SimulatedKill(BaseException):
    """Raised in place of a SIGKILL: a BaseException, so that no `except Exception` clean-up runs."""


def small_report(manifest: dict[str, Any], outcomes: list[CheckOutcome], changes: dict[str, Any], folder: Path) -> None:
    """A stand-in for the quality report (the protocol does not depend on its content)."""
    write_json(folder / "quality_report.json", {"changes": {"previous_release": changes["previous_release"]}})


def publish_v2(raw: Path, outputs: Path, keep: int = 1) -> PublishResult:
    """Publish the staged files as built by other code (so a new release), keeping one release: the
    sequence then runs every step, retention included."""
    recode(outputs, "code-v2")
    return publish(Workspace(outputs), load_registry(raw), raw, "code-v2", small_report, keep=keep)


@contextmanager
def fault_before_write(
    monkeypatch: pytest.MonkeyPatch, at: int, fault: Callable[[str], BaseException]
) -> Iterator[list[str]]:
    """Count the writes (``WRITES``); the ``at``-th one raises ``fault(name)`` instead of running."""
    seen: list[str] = []
    with monkeypatch.context() as patch:
        for module, name in WRITES:
            original = getattr(module, name)

            def counted(*args: Any, _original: Any = original, _name: str = name, **kwargs: Any) -> Any:
                seen.append(_name)
                if len(seen) == at:
                    raise fault(_name)
                return _original(*args, **kwargs)

            patch.setattr(module, name, counted)
        yield seen


def consistent(outputs: Path) -> str:
    """The invariant: latest points at a complete release, the catalog names it as current and lists
    every release folder, nothing is left over. Returns the current release."""
    workspace = Workspace(outputs)
    current = current_release(workspace)
    assert current is not None
    assert verify_release(outputs / "releases" / current) == []
    assert catalog_problems(workspace) == []
    assert reconcile(workspace, apply=False) == []
    assert [p.name for p in outputs.iterdir() if p.name.startswith(".") and p.name != ".publish.lock"] == []
    return current


def test_a_kill_or_a_failed_write_after_any_write_of_publication_is_finished_or_undone(
    published: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    raw, pristine = published
    old = current_release(Workspace(pristine))
    probe = tmp_path / "probe"
    shutil.copytree(pristine, probe, symlinks=True)
    with fault_before_write(monkeypatch, 0, SimulatedKill) as seen:
        new = publish_v2(raw, probe).release_id
    steps = list(seen)
    assert {"copyfile", "rename", "replace", "symlink", "fsync", "rmtree"} <= set(steps), steps
    assert consistent(probe) == new != old
    assert sorted(p.name for p in (probe / "releases").iterdir()) == [new]  # keep=1: the old release went

    faults: list[tuple[str, Callable[[str], BaseException]]] = [
        ("killed", lambda name: SimulatedKill(name)),
        ("failed", lambda name: OSError(errno.EIO, f"injected failure of {name}", "somewhere")),
    ]
    for kind, fault in faults:
        for at in range(1, len(steps) + 1):
            where = f"{kind} at write {at} of {len(steps)} ({steps[at - 1]})"
            outputs = tmp_path / f"{kind}-{at}"
            shutil.copytree(pristine, outputs, symlinks=True)
            raised: BaseException | None = None
            with fault_before_write(monkeypatch, at, fault):
                try:
                    publish_v2(raw, outputs)
                except (SimulatedKill, PublicationFailed) as error:
                    raised = error
            if kind == "killed":
                assert isinstance(raised, SimulatedKill), where
            elif raised is not None:  # a failed write says what is current and what to do; nothing is left over
                assert "could not write somewhere: injected failure" in str(raised), where
                assert [p for p in (outputs / "releases").iterdir() if p.name.startswith(".staging-")] == [], where
            else:  # a failure that does not matter (mkdir of a folder that exists; a file of a release retention
                # deletes, which the catalog already marks deleted): published all the same
                assert steps[at - 1] in ("mkdir", "unlink"), where
                assert current_release(Workspace(outputs)) == new, where
            # whatever was interrupted, latest points at a complete release, and so does the catalog
            pointed = current_release(Workspace(outputs))
            assert pointed in (old, new) and verify_release(outputs / "releases" / str(pointed)) == [], where
            recorded = read_catalog(Workspace(outputs))["current"]
            assert recorded in (old, new) and verify_release(outputs / "releases" / str(recorded)) == [], where
            # verify reconciles: the catalog's current release is the current one
            assert cli(["--outputs-dir", str(outputs), "verify"]) == 0, f"{where}: {capsys.readouterr()}"
            capsys.readouterr()
            assert consistent(outputs) == recorded, where
            # and the next run finishes the job
            result = publish_v2(raw, outputs)
            assert result.release_id == new and consistent(outputs) == new, where
            assert sorted(p.name for p in (outputs / "releases").iterdir()) == [new], where
            catalog = read_catalog(Workspace(outputs))
            assert [(r["release_id"], r["deleted"]) for r in catalog["releases"]] == [(old, True), (new, False)], where


def test_reconcile_adopts_removes_and_marks_what_it_finds(published: tuple[Path, Path]) -> None:
    raw, outputs = published
    workspace = Workspace(outputs)
    old = current_release(workspace)
    new = publish_v2(raw, outputs, keep=10).release_id
    catalog = read_json(outputs / "catalog.json")
    # a publisher that renamed its folder into place and was killed before recording it in the catalog
    write_json(outputs / "catalog.json", {"current": old, "releases": catalog["releases"][:1]})
    os.replace(outputs / "latest", outputs / ".latest-99")  # and one killed with its new symlink not yet swapped
    os.symlink(Path("releases") / str(old), outputs / "latest")
    incomplete = outputs / "releases" / ("f" * 16)  # a folder without a manifest
    incomplete.mkdir()
    (incomplete / "findings.parquet").write_bytes(b"PAR1")
    staging = outputs / "releases" / f".staging-{'e' * 16}-99"
    staging.mkdir()
    assert reconcile(workspace, apply=False) == reconcile(workspace, apply=False)  # a dry run changes nothing
    assert reconcile(workspace) == [
        f"{staging}: left by a publisher that stopped mid-way; removed.",
        f"{outputs / '.latest-99'}: left by a publisher that stopped mid-way; removed.",
        f"{outputs / 'releases' / new}: a complete release the catalog did not list (its publisher stopped before "
        "recording it); its manifest verifies, adopted into the catalog.",
        f"{incomplete}: in no catalog entry and not a complete release ({incomplete / 'manifest.json'}: missing; "
        "this is not a complete release.); removed.",
    ]
    catalog = read_json(outputs / "catalog.json")
    adopted = catalog["releases"][1]
    assert (adopted["release_id"], adopted["adopted"], adopted["previous_release"]) == (new, True, old)
    assert catalog["current"] == old == current_release(workspace)  # adopted, not promoted: no run said so
    assert consistent(outputs) == old
    # a catalog entry whose folder is gone is marked; the catalog's current release, if gone, falls back
    shutil.rmtree(outputs / "releases" / str(old))
    assert reconcile(workspace) == [
        f"{outputs / 'catalog.json'}: release {old} has no folder {outputs / 'releases' / str(old)}; marked missing.",
        f"{outputs / 'catalog.json'}: its current release {old} is not a live release; current is now {new} "
        "(the newest live one).",
        f"{outputs / 'latest'}: pointed at {old}; moved to the catalog's current release {new}.",
    ]
    entry = read_json(outputs / "catalog.json")["releases"][0]
    assert (entry["release_id"], entry["deleted"], entry["missing"]) == (old, True, True)
    assert consistent(outputs) == new


def test_a_lost_catalog_is_rebuilt_from_the_release_folders(
    published: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, outputs = published
    current = current_release(Workspace(outputs))
    (outputs / "catalog.json").write_text("{ not json", encoding="utf-8")
    assert cli(["--outputs-dir", str(outputs), "verify"]) == 1
    assert capsys.readouterr().err.startswith(f"{outputs / 'catalog.json'}: not a release catalog (")
    (outputs / "catalog.json").unlink()  # moved aside, as the message says
    assert cli(["--outputs-dir", str(outputs), "verify"]) == 0
    out = capsys.readouterr().out
    assert f"{outputs / 'releases' / str(current)}: a complete release the catalog did not list" in out
    assert read_json(outputs / "catalog.json")["current"] == current
    assert consistent(outputs) == current


def _mount(*args: str) -> None:
    done = subprocess.run(["mount", *args], capture_output=True, text=True)
    refused = ("permission denied", "must be superuser", "not permitted")
    if done.returncode != 0 and any(word in done.stderr.lower() for word in refused):
        pytest.skip(f"cannot mount here (needs root with CAP_SYS_ADMIN): {done.stderr.strip()}")
    assert done.returncode == 0, done.stderr


@contextmanager
def mounted(point: Path, *args: str) -> Iterator[Path]:
    point.mkdir(exist_ok=True)
    _mount(*args, str(point))
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], check=True)


def _pages(folder: Path) -> int:
    """Bytes a tmpfs needs for the files under ``folder`` (whole 4 KiB pages)."""
    return sum(-(-p.stat().st_size // 4096) * 4096 for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def test_a_full_disk_fails_clearly_and_the_current_release_stays(published: tuple[Path, Path], tmp_path: Path) -> None:
    raw, pristine = published
    old = current_release(Workspace(pristine))
    release = _pages((pristine / "latest").resolve())
    with mounted(tmp_path / "small", "-t", "tmpfs", "-o", f"size={_pages(pristine) + release // 2}", "tmpfs") as volume:
        outputs = volume / "outputs"
        shutil.copytree(pristine, outputs, symlinks=True)
        with pytest.raises(PublicationFailed) as failed:
            _publish(raw, outputs, "code-v2")
        message = str(failed.value)
        assert message.startswith(f"could not write {outputs / 'releases'}/.staging-"), message
        assert (
            ": No space left on device. Nothing half-written became current; the current release is "
            f"{old}. Free space on the volume of the outputs folder (or keep fewer releases with "
            "PIPELINE_KEEP_RELEASES) and run again."
        ) in message
        assert consistent(outputs) == old
        assert sorted(p.name for p in (outputs / "releases").iterdir()) == [old]
        subprocess.run(["mount", "-o", f"remount,size={4 * (_pages(pristine) + release)}", str(volume)], check=True)
        new = _publish(raw, outputs, "code-v2").release_id  # space freed: the same run publishes
        assert consistent(outputs) == new != old


def test_a_read_only_outputs_folder_fails_clearly_and_verify_still_reads_it(
    published: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw, outputs = published
    old = current_release(Workspace(outputs))
    recode(outputs, "code-v2")  # staged files of other code: a run would publish a new release
    before = {str(p.relative_to(outputs)): p.stat().st_mtime_ns for p in outputs.rglob("*")}
    with mounted(tmp_path / "ro", "--bind", str(outputs)) as view:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(view)], check=True)
        with pytest.raises(PublicationFailed) as failed:
            publish(Workspace(view), load_registry(raw), raw, "code-v2", small_report)
        assert str(failed.value) == (
            f"could not write {view / '.publish.lock'}: Read-only file system. Nothing half-written became current; "
            f"the current release is {old}. The outputs folder {view} is on a read-only file system; mount it "
            "writable or point PIPELINE_OUTPUTS_DIR at a writable folder, and run again."
        )
        capsys.readouterr()
        assert cli(["--outputs-dir", str(view), "verify"]) == 0
        out, err = capsys.readouterr()
        assert err == f"{view / '.publish.lock'}: Read-only file system; verifying without repairing.\n"
        assert out == f"release {old}: OK\n"
    assert {str(p.relative_to(outputs)): p.stat().st_mtime_ns for p in outputs.rglob("*")} == before
    assert json.loads((outputs / "catalog.json").read_text(encoding="utf-8"))["current"] == old
