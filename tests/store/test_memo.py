"""Stage keys and reuse: a content hash is memoised only for a file old enough that a write would have
changed its stat, a key changes with any part, and a recorded output is reused only while every file
it names is byte for byte as written."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

from pipeline.store import memo
from pipeline.store.memo import content_sha256, outputs_record, reusable, stage_key
from pipeline.store.workspace import write_json


def _age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_a_file_is_hashed_by_its_bytes_and_a_fresh_one_every_time(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"one")
    assert content_sha256(path) == hashlib.sha256(b"one").hexdigest()
    # rewritten at once, same size: too fresh to trust its stat, so its bytes are read again
    path.write_bytes(b"two")
    assert content_sha256(path) == hashlib.sha256(b"two").hexdigest()
    assert not any(key[0] == str(path) for key in memo._HASHES)


def test_an_old_file_is_hashed_once_until_its_stat_changes(tmp_path: Path) -> None:
    path = tmp_path / "b.txt"
    path.write_bytes(b"old")
    _age(path, 60)
    assert content_sha256(path) == hashlib.sha256(b"old").hexdigest()
    assert any(key[0] == str(path) for key in memo._HASHES)
    path.write_bytes(b"new")  # same size; the write changes mtime and ctime
    _age(path, 30)
    assert content_sha256(path) == hashlib.sha256(b"new").hexdigest()


def test_a_missing_or_special_file_is_unreadable(tmp_path: Path) -> None:
    assert content_sha256(tmp_path / "missing.txt") == memo.UNREADABLE
    os.mkfifo(tmp_path / "fifo")
    assert content_sha256(tmp_path / "fifo") == memo.UNREADABLE  # not opened: a FIFO would block


def test_a_key_changes_with_its_code_and_every_part() -> None:
    base = stage_key("code-1", {"a": {"x": "1"}, "b": ["p"]})
    assert base == stage_key("code-1", {"b": ["p"], "a": {"x": "1"}})  # order of the parts does not matter
    assert base != stage_key("code-2", {"a": {"x": "1"}, "b": ["p"]})
    assert base != stage_key("code-1", {"a": {"x": "2"}, "b": ["p"]})
    assert base != stage_key("code-1", {"a": {"x": "1"}, "b": ["p", "q"]})


def test_a_record_is_reused_only_with_its_key_and_its_files_as_written(tmp_path: Path) -> None:
    root = tmp_path / "work"
    staged = root / "curated" / "d.parquet"
    staged.parent.mkdir(parents=True)
    staged.write_bytes(b"rows")
    sidecar = root / "curated" / "d.inputs.json"
    write_json(sidecar, {"key": "k1", "outputs": outputs_record(root, [staged, root / "failures" / "d.json"])})
    assert reusable(sidecar, "k1", root) is not None
    assert reusable(sidecar, "k2", root) is None  # another key: something it reads changed
    staged.write_bytes(b"rowz")
    assert reusable(sidecar, "k1", root) is None  # the staged file is not what was written
    staged.unlink()
    assert reusable(sidecar, "k1", root) is None
    write_json(sidecar, {"key": "k1", "outputs": {}})
    assert reusable(sidecar, "k1", root) is None  # a record of nothing written reuses nothing
    sidecar.write_text("{not json", encoding="utf-8")
    assert reusable(sidecar, "k1", root) is None


def test_a_cached_value_keeps_the_errors_of_quarantined_sources(tmp_path: Path) -> None:
    """A stage's cache (``memo.cached``) can hold the SourceErrors of the sources it quarantined: they come back
    with their path, line, problem and action, so the second run quarantines the same sources with the same words."""
    from pipeline.errors import SourceError

    error = SourceError("raw/tables/zones.txt", "row 4 has 3 cells, expected 5.", line=12, action="Fix the row.")
    calls: list[int] = []

    def compute() -> dict[str, SourceError]:
        calls.append(1)
        return {"zones_2020": error}

    first = memo.cached(tmp_path / "part.pickle", "k1", compute)
    again = memo.cached(tmp_path / "part.pickle", "k1", compute)
    assert calls == [1]  # the second call read the file
    (back,) = again.values()
    assert type(back) is SourceError and str(back) == str(first["zones_2020"]) == (
        "raw/tables/zones.txt:12: row 4 has 3 cells, expected 5. Fix the row."
    )
    assert (back.path, back.line, back.problem, back.action) == (error.path, 12, error.problem, "Fix the row.")
