"""A hostile or broken registry costs bounded time and memory and says what is wrong, with the line;
a registered path that is not a regular file is refused instead of blocking the run."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from pipeline.errors import RegistryError, SourceError
from pipeline.raw.registry import MAX_REGISTRY_BYTES, load_registry, read_registry, read_source_bytes
from pipeline.raw.state import raw_state

ENTRY = """  - id: art
    path: {path}
    sha256: "{sha}"
    kind: news_article
    title: {title}
    publisher: p
    published: "2020"
    extracts: e
"""


def _raw(tmp_path: Path, registry: str) -> Path:
    raw = tmp_path / "raw"
    (raw / "extracts").mkdir(parents=True)
    (raw / "sources.yaml").write_text(registry, encoding="utf-8")
    return raw


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Fail instead of hanging: a blocked read (a FIFO) raises here after ``seconds``."""

    def expired(*_: object) -> None:
        raise TimeoutError(f"took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_an_anchor_bomb_is_refused_before_it_expands(tmp_path: Path) -> None:
    lines = ['a0: &a0 "lol"']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]  # 9**9 strings
    registry = "\n".join(lines) + "\nsources:\n" + ENTRY.format(path="extracts/a.txt", sha="ab" * 32, title="*a9")
    raw = _raw(tmp_path, registry)
    with deadline(10), pytest.raises(RegistryError) as error:
        read_registry(raw)
    assert str(error.value) == (
        f"{raw / 'sources.yaml'}:1: the source registry uses a YAML anchor (&a0); write each value out in full "
        "instead."
    )


def test_an_alias_alone_is_refused_too(tmp_path: Path) -> None:
    entry = ENTRY.format(path="extracts/a.txt", sha="ab" * 32, title="*t")
    raw = _raw(tmp_path, "sources:\n" + entry)
    with pytest.raises(RegistryError, match=r"sources\.yaml:6: the source registry uses a YAML alias \(\*t\)"):
        read_registry(raw)


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deep_nesting_is_refused_with_its_line(tmp_path: Path, depth: int) -> None:
    """In a child process: were the check to miss, 100,000 levels crash the C loader (a segfault)."""
    raw = _raw(tmp_path, "sources:\n  - id: " + "[" * depth + "]" * depth + "\n")
    code = (
        "import sys; from pathlib import Path; from pipeline.raw.registry import read_registry\n"
        "try:\n    read_registry(Path(sys.argv[1]))\nexcept Exception as error:\n    print(error)\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(raw)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.strip() == (
        f"{raw / 'sources.yaml'}:2: the source registry is nested more than 16 levels deep; an entry needs 6. "
        "Fix the file (a list or mapping is probably opened and never closed)."
    )


def test_an_oversized_registry_is_refused_unread(tmp_path: Path) -> None:
    raw = _raw(tmp_path, "")
    with (raw / "sources.yaml").open("wb") as handle:
        handle.write(b"sources:\n" + b"#" * (MAX_REGISTRY_BYTES + 1) + b"\n")
    with pytest.raises(RegistryError, match=r"the source registry is 32 MiB; at most 32 MiB is read"):
        read_registry(raw)


def test_a_fifo_is_refused_not_read(tmp_path: Path) -> None:
    raw = _raw(tmp_path, "sources:\n" + ENTRY.format(path="extracts/pipe.txt", sha="ab" * 32, title="t"))
    os.mkfifo(raw / "extracts" / "pipe.txt")
    (source,) = load_registry(raw)
    with deadline(10):
        with pytest.raises(SourceError) as error:
            read_source_bytes(source, raw)
        assert str(error.value) == (
            "raw/extracts/pipe.txt: is a named pipe (FIFO), not a regular file; reading it could block the run "
            "forever. Register the extract's text file itself."
        )
        (warning,) = raw_state(raw, [source]).warnings
    assert warning.startswith("raw/extracts/pipe.txt: registered as 'art' but raw/extracts/pipe.txt: is a named pipe")


def test_a_symlink_out_of_raw_is_refused_and_one_inside_is_read(tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("root:x:0:0", encoding="utf-8")
    raw = _raw(tmp_path, "")
    (raw / "extracts" / "escape.txt").symlink_to(outside)
    (raw / "extracts" / "real.txt").write_text("Exports rose.", encoding="utf-8")
    (raw / "extracts" / "alias.txt").symlink_to(raw / "extracts" / "real.txt")
    digest = hashlib.sha256(b"Exports rose.").hexdigest()
    entries = ENTRY.format(path="extracts/escape.txt", sha=hashlib.sha256(outside.read_bytes()).hexdigest(), title="t")
    entries += ENTRY.format(path="extracts/alias.txt", sha=digest, title="t").replace("id: art", "id: ok")
    (raw / "sources.yaml").write_text("sources:\n" + entries, encoding="utf-8")
    sources, problems = read_registry(raw)
    assert problems == [
        f"{raw / 'sources.yaml'}: source 'art': path 'extracts/escape.txt' is outside raw/. Copy the file into raw/ "
        "and register that copy."
    ]
    assert [s.id for s in sources] == ["ok"] and read_source_bytes(sources[0], raw) == b"Exports rose."
    # the file behind the registered link is not a stray (nor is the link itself); a file nobody registered is
    (raw / "extracts" / "stray.txt").write_text("Imports fell.", encoding="utf-8")
    assert [w.split(":")[0] for w in raw_state(raw, sources).warnings] == [
        "raw/extracts/escape.txt",
        "raw/extracts/stray.txt",
    ]



def test_a_folder_linked_out_of_raw_is_refused(tmp_path: Path) -> None:
    """The path check looks each folder up once: a folder that is a link out of raw/ is still outside."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "x.txt").write_text("Exports rose.", encoding="utf-8")
    raw = _raw(tmp_path, "")
    (raw / "linked").symlink_to(elsewhere, target_is_directory=True)
    (raw / "extracts" / "inner").mkdir()
    (raw / "extracts" / "inner" / "y.txt").write_text("Exports rose.", encoding="utf-8")
    digest = hashlib.sha256(b"Exports rose.").hexdigest()
    entries = ENTRY.format(path="linked/x.txt", sha=digest, title="t")
    entries += ENTRY.format(path="extracts/inner/../inner/y.txt", sha=digest, title="t").replace("id: art", "id: ok")
    entries += ENTRY.format(path="extracts/inner/../../../x.txt", sha=digest, title="t").replace("id: art", "id: up")
    (raw / "sources.yaml").write_text("sources:\n" + entries, encoding="utf-8")
    sources, problems = read_registry(raw)
    assert [s.id for s in sources] == ["ok"]
    assert [p.split(": path ")[1].split(" is ")[0] for p in problems] == [
        "'linked/x.txt'",
        "'extracts/inner/../../../x.txt'",
    ]


def test_an_unchanged_registry_is_read_from_the_cache_and_a_changed_one_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import yaml

    from pipeline.raw import registry

    raw = _raw(tmp_path, "sources:\n" + ENTRY.format(path="extracts/a.txt", sha="ab" * 32, title="first"))
    cache = tmp_path / "cache"
    monkeypatch.setattr(registry, "_READ", None)
    first = read_registry(raw, cache)
    assert [s.title for s in first[0]] == ["first"] and (cache / registry.DOCUMENT_CACHE).is_file()

    def unused(*_: object, **__: object) -> None:
        raise AssertionError("the YAML was parsed again")

    monkeypatch.setattr(registry, "_READ", None)  # a new process: only the file cache is left
    monkeypatch.setattr(yaml, "load", unused)
    assert read_registry(raw, cache) == first
    monkeypatch.undo()

    # a changed registry is parsed again, and so is a damaged cache
    (raw / "sources.yaml").write_text(
        "sources:\n" + ENTRY.format(path="extracts/a.txt", sha="ab" * 32, title="second"), encoding="utf-8"
    )
    monkeypatch.setattr(registry, "_READ", None)
    assert [s.title for s in read_registry(raw, cache)[0]] == ["second"]
    (cache / registry.DOCUMENT_CACHE).write_bytes(b"not a pickle")
    monkeypatch.setattr(registry, "_READ", None)
    assert [s.title for s in read_registry(raw, cache)[0]] == ["second"]
    # and a registry that does not parse still says why, with the cache there or not
    (raw / "sources.yaml").write_text("sources: [unclosed", encoding="utf-8")
    monkeypatch.setattr(registry, "_READ", None)
    with pytest.raises(RegistryError, match="is not valid YAML"):
        read_registry(raw, cache)

def test_the_code_location_loads_whatever_the_registry_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.defs import location

    def broken(*_: Path) -> None:
        raise ZeroDivisionError("a bug in the reader")

    monkeypatch.setattr(location, "read_registry", broken)
    defs = location.build_definitions(tmp_path / "raw", tmp_path / "outputs")
    assert defs.resolve_job_def(location.ALL_JOB) is not None


def test_an_oversized_extract_is_quarantined_unread(tmp_path: Path) -> None:
    from pipeline.raw.registry import MAX_EXTRACT_BYTES

    raw = _raw(tmp_path, "sources:\n" + ENTRY.format(path="extracts/big.txt", sha="ab" * 32, title="t"))
    with (raw / "extracts" / "big.txt").open("wb") as handle:
        handle.truncate(MAX_EXTRACT_BYTES + 1)  # sparse: the test writes no 4 MiB
    (source,) = load_registry(raw)
    with pytest.raises(SourceError) as error:
        read_source_bytes(source, raw)
    assert str(error.value) == (
        "raw/extracts/big.txt: is 4.0 MiB; an extract is read up to 4 MiB (a news article is a few kB, a table "
        "appendix a few hundred). Check that it is the extract meant; split a larger document into one file per "
        "article."
    )


TRICKY = """version: 1
sources:
  # a comment before the first entry
  - id: a
    title: >
      folded
      - not an entry
    tables: [x,
      y]
  - {id: b, path: "q - r"}
  -   id: c
      note: "multi
        line"
  -
  - - nested
    - list
  - id: d
    text: |
      - literal
    # a trailing comment
"""


@pytest.mark.parametrize(
    ("text", "by_entries"),
    [
        (TRICKY, True),
        ("other: 1\nsources:\n  - id: a\n  - id: b\n", True),
        ("sources:\n- id: a\n- id: b\n", False),  # a list at the key's indentation: parsed whole
        ("sources:\n  - id: a\n  - id: b\nother: 1\n", False),  # a key after the list
        ("sources: [{id: a}, {id: b}]\n", False),
        ("sources:\n  - id: a\n", True),
        ("sources:\n", False),  # no entry
    ],
)
def test_a_registry_parsed_entry_by_entry_is_the_document_parsed_whole(text: str, by_entries: bool) -> None:
    import yaml

    from pipeline.raw import registry

    starts = registry._refuse_unsafe_yaml(Path("sources.yaml"), text)
    parts: dict[str, object] = {}
    document = None if starts is None else registry._by_entries(text, starts, {}, parts)
    assert (document is not None) is by_entries
    if document is not None:
        assert document == yaml.safe_load(text) and len(parts) == len(document["sources"])


def test_a_registry_with_one_entry_changed_parses_that_entry_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import yaml

    from pipeline.raw import registry

    entries = [ENTRY.format(path=f"extracts/{n}.txt", sha="ab" * 32, title=f"t{n}").replace("id: art", f"id: s{n}")
               for n in range(4)]  # fmt: skip
    raw = _raw(tmp_path, "sources:\n" + "".join(entries))
    cache = tmp_path / "cache"
    monkeypatch.setattr(registry, "_READ", None)
    first = read_registry(raw, cache)
    parsed: list[str] = []
    load = yaml.load

    def counting(text: str, Loader: object) -> object:
        parsed.append(text)
        return load(text, Loader=Loader)

    monkeypatch.setattr(yaml, "load", counting)
    changed = [*entries[:2], entries[2].replace("t2", "new"), entries[3]]
    (raw / "sources.yaml").write_text("sources:\n" + "".join(changed), encoding="utf-8")
    monkeypatch.setattr(registry, "_READ", None)
    again = read_registry(raw, cache)
    assert [s.title for s in again[0]] == ["t0", "t1", "new", "t3"] and again[1] == first[1] == []
    assert parsed == ["sources:\n", entries[2].replace("t2", "new")]  # the head and the changed entry
