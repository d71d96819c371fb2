"""The source registry: what each raw file is, where it came from, its sha256, and which tables to
parse from it.

``load_registry`` validates the YAML (safely loaded) and every entry; ``read_source_text`` re-hashes a
file and refuses one that no longer matches its entry, or that is not UTF-8 text.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import stat
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pipeline.errors import RegistryError, SourceError
from pipeline.metadata.tables import TABLE_PARSERS, config_from_options

KINDS = ("pdf_table_extract", "news_article", "reference_table")
SOURCE_ID = re.compile(r"[a-z][a-z0-9_]{1,63}")
SHA256 = re.compile(r"[0-9a-f]{64}")
REQUIRED = ("id", "path", "sha256", "kind", "title", "publisher", "published", "extracts")


@dataclass(frozen=True)
class TableSpec:
    """One table to parse from a raw file."""

    dataset: str
    parser: str
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Source:
    """One registered raw file."""

    id: str
    path: str
    sha256: str
    kind: str
    title: str
    publisher: str
    published: str
    url: str | None
    extracts: str
    tables: tuple[TableSpec, ...] = ()
    expected_corrections: dict[str, int] = field(default_factory=dict)

    def file(self, raw_dir: Path) -> Path:
        return raw_dir / self.path


def registry_path(raw_dir: Path) -> Path:
    return raw_dir / "sources.yaml"


def load_registry(raw_dir: Path) -> list[Source]:
    """Read and validate ``raw_dir/sources.yaml``; raise :class:`RegistryError` saying what is wrong."""
    sources, problems = read_registry(raw_dir)
    if problems:
        raise RegistryError(problems[0])
    return sources


def read_registry(raw_dir: Path, cache_dir: Path | None = None) -> tuple[list[Source], list[str]]:
    """The valid entries of the registry and a message for each invalid one, so that one broken entry
    does not stop the others. A registry that is not valid YAML at all raises :class:`RegistryError`.

    ``cache_dir`` (the working area's ``cache/``): keep the parsed YAML document there by the sha256 of
    the registry's bytes, so a process that reads an unchanged registry of 10,000 entries skips the YAML
    (3 of its 4 seconds); every entry is still validated against the files."""
    path = registry_path(raw_dir)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise RegistryError(f"{path}: the source registry is missing.") from None
    global _READ
    key = (str(raw_dir.resolve()), hashlib.sha256(data).hexdigest())
    last = _READ  # one read of the global: a sensor thread may replace it meanwhile
    if last is not None and last[0] == key:  # every asset reads the registry; 10,000 entries take a second
        sources, problems = last[1]
    else:
        sources, problems = _read_registry(path, data, raw_dir, cache_dir)
        _READ = (key, (sources, problems))
    return list(sources), list(problems)


_READ: tuple[tuple[str, str], tuple[list[Source], list[str]]] | None = None
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: the same documents, 10x faster
MAX_REGISTRY_BYTES = 32 * 1024 * 1024  # 10,000 entries take about 4 MB
MAX_DEPTH = 16  # the registry needs 6 levels (sources > entry > tables > table > option list)
_OPENING = {"BlockMappingStartToken", "BlockSequenceStartToken", "FlowMappingStartToken", "FlowSequenceStartToken"}
_CLOSING = {"BlockEndToken", "FlowMappingEndToken", "FlowSequenceEndToken"}


def _refuse_unsafe_yaml(path: Path, text: str) -> list[int] | None:
    """Refuse, before any value is built, what a registry never needs and an attacker uses: anchors and
    aliases (a few hundred bytes of them expand into gigabytes) and deep nesting (the YAML loaders recurse:
    1,000 levels raise RecursionError, 100,000 crash the C loader). Reads tokens only, stopping at the
    first offence; a syntax error is left to the loader, which words it better.

    Returns where the entries of the top-level ``sources`` list start (character offsets of their ``-``,
    then the offset where the list ends), as the YAML scanner found them, when the document is a block
    mapping whose last key is ``sources`` with a block list of entries; otherwise None."""
    depth = 0
    entries: list[int] = []
    state = "before"  # -> "key" (the key `sources` of the top mapping) -> "list" (its entries) -> "after"
    previous = ""
    try:
        for token in yaml.scan(text, Loader=_LOADER):
            kind = type(token).__name__
            line = token.start_mark.line + 1
            if kind in ("AnchorToken", "AliasToken"):
                sign = "&" if kind == "AnchorToken" else "*"
                raise RegistryError(
                    f"{path}:{line}: the source registry uses a YAML {kind[:-5].lower()} "
                    f"({sign}{str(getattr(token, 'value', ''))[:40]}); write each value out in full instead."
                )
            if state == "before" and depth == 1 and previous == "KeyToken" and kind == "ScalarToken":
                state = "key" if getattr(token, "value", None) == "sources" else state
            elif state == "key" and kind not in ("ValueToken", "BlockSequenceStartToken"):
                state = "none"  # not a block list under `sources`
            elif state == "list" and depth == 2 and kind == "BlockEntryToken":
                entries.append(token.start_mark.index)
            elif state == "after" and kind not in ("BlockEndToken", "StreamEndToken"):
                state = "none"  # another key after `sources`
            if kind in _OPENING:
                depth += 1
                if depth > MAX_DEPTH:
                    raise RegistryError(
                        f"{path}:{line}: the source registry is nested more than {MAX_DEPTH} levels deep; an "
                        "entry needs 6. Fix the file (a list or mapping is probably opened and never closed)."
                    )
                if state == "key" and kind == "BlockSequenceStartToken":
                    state = "list"
            elif kind in _CLOSING:
                depth -= 1
                if state == "list" and depth == 1:
                    entries.append(token.start_mark.index)
                    state = "after"
            previous = kind
    except yaml.YAMLError:
        return None
    return entries if state == "after" and len(entries) > 1 else None


def _read_registry(
    path: Path, data: bytes, raw_dir: Path, cache_dir: Path | None
) -> tuple[list[Source], list[str]]:
    document = _cached_document(path, data, cache_dir)
    if not isinstance(document, dict) or not isinstance(document.get("sources"), list):
        raise RegistryError(f"{path}: expected a mapping with a list under 'sources'.")
    sources: list[Source] = []
    problems: list[str] = []
    inside = _Inside(raw_dir)
    for index, entry in enumerate(document["sources"]):
        try:
            sources.append(_source(entry, index, path, inside))
        except RegistryError as error:
            problems.append(str(error))
    counts = Counter(s.id for s in sources)
    duplicates = sorted(i for i, n in counts.items() if n > 1)
    if duplicates:
        problems.append(f"{path}: source ids must be unique; repeated: {', '.join(duplicates)}.")
        sources = [s for s in sources if s.id not in duplicates]
    return sources, problems


# what the parsed document depends on besides the bytes: this module's rules and the YAML library
_PARSER = f"{yaml.__version__} {_LOADER.__name__} ".encode() + hashlib.sha256(Path(__file__).read_bytes()).digest()
DOCUMENT_CACHE = "registry.pickle"


def _cached_document(path: Path, data: bytes, cache_dir: Path | None) -> Any:
    """:func:`_document`, kept in ``cache_dir`` by the sha256 of the bytes and of the parser, and each
    entry of its ``sources`` list by the sha256 of the entry's text: a registry with one entry changed
    (a new sha256 after ``python -m pipeline register``) parses that entry only. The cache holds the last
    registry read; an unreadable or stale one is parsed again and replaced."""
    if cache_dir is None:
        return _document(path, data)
    key = hashlib.sha256(_PARSER + b"\0" + data).hexdigest()
    cache = cache_dir / DOCUMENT_CACHE
    known: dict[str, Any] = {}
    try:
        with cache.open("rb") as handle:
            stored_key, document, known = pickle.load(handle)  # written below, by this code, in the working area
        if stored_key == key:
            return document
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
        known = {}
    entries: dict[str, Any] = {}
    document = _document(path, data, known, entries)  # a registry that does not parse raises here, before any write
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_name(f".{cache.name}.{os.getpid()}.tmp")
        with tmp.open("wb") as handle:
            pickle.dump((key, document, entries), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, cache)
    except OSError:  # a read-only working area: the next process parses again
        pass
    return document


class _Inside:
    """Whether a registered path, resolved (links followed), is inside raw/: each folder's real path is
    looked up once, not once per entry (10,000 entries in a few folders), with string paths (pathlib's
    objects were half the time of a registry read)."""

    def __init__(self, raw_dir: Path) -> None:
        self.raw_dir = str(raw_dir)
        self.root = os.path.realpath(raw_dir)
        self.folders: dict[str, str] = {}

    def __call__(self, relative: str) -> bool:
        if os.path.isabs(relative):
            return False
        folder, name = os.path.split(relative)
        full = os.path.join(self.raw_dir, relative)
        if name in ("", ".", "..") or os.path.islink(full):
            resolved = os.path.realpath(full)  # the general case
        else:
            if folder not in self.folders:
                self.folders[folder] = os.path.realpath(os.path.join(self.raw_dir, folder))
            resolved = os.path.join(self.folders[folder], name)
        return resolved == self.root or resolved.startswith(self.root.rstrip(os.sep) + os.sep)


def _document(
    path: Path, data: bytes, known: dict[str, Any] | None = None, entries: dict[str, Any] | None = None
) -> Any:
    """The registry's YAML document, or a :class:`RegistryError` saying why it cannot be read. ``known``:
    entries already parsed, by the sha256 of their text (:func:`_by_entries`); ``entries`` receives this
    document's."""
    if len(data) > MAX_REGISTRY_BYTES:
        raise RegistryError(
            f"{path}: the source registry is {len(data) / 2**20:.0f} MiB; at most {MAX_REGISTRY_BYTES // 2**20} MiB "
            "is read. Check that it is the registry (not an extract saved over it)."
        )
    try:
        text = data.decode("utf-8")
        starts = _refuse_unsafe_yaml(path, text)
        try:
            document = None if starts is None or entries is None else _by_entries(text, starts, known or {}, entries)
            if document is None:
                document = yaml.load(text, Loader=_LOADER)  # a safe loader (C or Python)
        except yaml.YAMLError:
            document = yaml.safe_load(text)  # raises again, with PyYAML's wording and line, for the message
    except UnicodeDecodeError as error:
        raise RegistryError(
            f"{path}: the source registry is not UTF-8 (byte at offset {error.start}). Save it as UTF-8."
        ) from None
    except RecursionError:  # a nesting the token check did not see (e.g. between syntax errors)
        raise RegistryError(f"{path}: the source registry is nested too deeply to read. Fix the file.") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        raise RegistryError(
            f"{where}: the source registry is not valid YAML ({getattr(error, 'problem', error)}). "
            "Fix the syntax; `python -c 'import yaml,sys; yaml.safe_load(open(sys.argv[1]))' FILE` "
            "shows the same error."
        ) from None
    return document


def _by_entries(text: str, starts: list[int], known: dict[str, Any], entries: dict[str, Any]) -> Any:
    """The document parsed as its head (everything before the first entry) and each entry of ``sources`` on
    its own, from the lines the scanner placed it on: the same values as one parse of the whole text, since
    an entry is a node of its own (no anchors, which the scan refused) and its lines are all in its part.
    None (parse the whole) when a part does not parse as expected."""
    cuts = [text.rfind("\n", 0, start) + 1 for start in starts]
    if any(text[cut:start].strip(" ") for cut, start in zip(cuts, starts[:-1], strict=False)):
        return None  # an entry that does not start its line
    head = yaml.load(text[: cuts[0]], Loader=_LOADER)
    if not isinstance(head, dict) or list(head)[-1:] != ["sources"] or head["sources"] is not None:
        return None
    items = []
    for cut, end in zip(cuts, [*cuts[1:-1], starts[-1]], strict=False):
        part = text[cut:end]
        digest = hashlib.sha256(part.encode("utf-8")).hexdigest()
        if digest not in known:
            parsed = yaml.load(part, Loader=_LOADER)
            if not isinstance(parsed, list) or len(parsed) != 1:
                return None
            known[digest] = parsed[0]
        entries[digest] = known[digest]
        items.append(known[digest])
    head["sources"] = items
    return head


def _source(entry: Any, index: int, path: Path, inside: _Inside) -> Source:
    where = f"{path}: sources[{index}]"
    if not isinstance(entry, dict):
        raise RegistryError(f"{where}: expected a mapping, got {type(entry).__name__}.")
    missing = [key for key in REQUIRED if entry.get(key) in (None, "")]
    if missing:
        raise RegistryError(f"{where} ({entry.get('id', '?')}): missing {', '.join(missing)}.")
    where = f"{path}: source {entry['id']!r}"
    if not SOURCE_ID.fullmatch(str(entry["id"])):
        raise RegistryError(f"{where}: an id is lower case letters, digits and '_', starting with a letter.")
    if entry["kind"] not in KINDS:
        raise RegistryError(f"{where}: kind {entry['kind']!r} is not one of {', '.join(KINDS)}.")
    if not isinstance(entry["sha256"], str):
        raise RegistryError(f"{where}: YAML read the sha256 as a number; put it in quotes.")
    if not SHA256.fullmatch(entry["sha256"]):
        raise RegistryError(f"{where}: sha256 must be 64 lower-case hex digits.")
    relative = Path(str(entry["path"]))
    if not inside(str(entry["path"])):
        raise RegistryError(
            f"{where}: path {entry['path']!r} is outside raw/. Copy the file into raw/ and register that copy."
        )
    if entry["kind"] == "news_article" and not re.search(r"\d{4}", str(entry["published"])):
        raise RegistryError(
            f"{where}: a news article needs a publication date with at least the year (YYYY, YYYY-MM or "
            f"YYYY-MM-DD), got {entry['published']!r}; periods of its figures are dated from it."
        )
    tables = tuple(_table(t, where) for t in entry.get("tables") or ())
    if tables and entry["kind"] != "pdf_table_extract":
        raise RegistryError(f"{where}: only a pdf_table_extract has tables.")
    expected = entry.get("expected_corrections") or {}
    if not isinstance(expected, dict) or not all(isinstance(v, int) for v in expected.values()):
        raise RegistryError(f"{where}: expected_corrections maps a rule name to a count.")
    return Source(
        id=str(entry["id"]),
        path=relative.as_posix(),
        sha256=str(entry["sha256"]),
        kind=str(entry["kind"]),
        title=str(entry["title"]),
        publisher=str(entry["publisher"]),
        published=str(entry["published"]),
        url=entry.get("url"),
        extracts=str(entry["extracts"]),
        tables=tables,
        expected_corrections=dict(expected),
    )


def _table(entry: Any, where: str) -> TableSpec:
    if not isinstance(entry, dict) or entry.get("parser") not in TABLE_PARSERS:
        raise RegistryError(f"{where}: each table needs a parser, one of {', '.join(TABLE_PARSERS)}.")
    parser = TABLE_PARSERS[entry["parser"]]
    dataset = entry.get("dataset", parser.feeds[0])
    if dataset not in parser.feeds:
        raise RegistryError(f"{where}: parser {parser.name!r} feeds {' and '.join(repr(d) for d in parser.feeds)}.")
    options = {k: v for k, v in entry.items() if k not in ("parser", "dataset")}
    config_from_options(parser.name, options, where)  # the parser's declared options, typed
    return TableSpec(dataset=dataset, parser=parser.name, options=options)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# a news article is a few kB and an appendix a few hundred: one pasted 50 MB file must not stall a run
MAX_EXTRACT_BYTES = 4 * 1024 * 1024


def regular_file_bytes(path: Path, shown: str, limit: int = MAX_EXTRACT_BYTES) -> bytes:
    """The bytes of ``path`` if it is a regular file (or a link to one) of at most ``limit`` bytes; a
    FIFO would block the read forever, and a device or socket is no extract."""
    try:
        status = path.stat()
    except FileNotFoundError:
        raise
    except OSError as error:
        raise SourceError(shown, f"cannot be read ({error.strerror}).", action="Check its permissions.") from None
    mode = status.st_mode
    if stat.S_ISREG(mode) and status.st_size > limit:
        raise SourceError(
            shown,
            f"is {status.st_size / 2**20:.1f} MiB; an extract is read up to {limit / 2**20:.0f} MiB (a news "
            "article is a few kB, a table appendix a few hundred).",
            action="Check that it is the extract meant; split a larger document into one file per article.",
        )
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        what = "a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
        raise SourceError(
            shown,
            f"is {what}, not a regular file; reading it could block the run forever.",
            action="Register the extract's text file itself.",
        )
    return path.read_bytes()


def read_source_bytes(source: Source, raw_dir: Path) -> bytes:
    """The file's bytes, after checking they still hash to the registered sha256."""
    path = source.file(raw_dir)
    shown = f"raw/{source.path}"
    try:
        data = regular_file_bytes(path, shown)
    except IsADirectoryError:
        raise SourceError(
            shown,
            f"registered as {source.id!r} but it is a folder, not a file.",
            action="Point `path` in raw/sources.yaml at the extract's text file.",
        ) from None
    except FileNotFoundError:
        raise SourceError(
            shown,
            f"registered as {source.id!r} but the file does not exist.",
            action="Restore the file, or remove its entry from raw/sources.yaml.",
        ) from None
    actual = sha256_bytes(data)
    if actual != source.sha256:
        raise SourceError(
            shown,
            f"content has changed since it was registered as {source.id!r} "
            f"(sha256 {actual[:12]}…, registered {source.sha256[:12]}…).",
            action="If the change is intended, re-register the file: set its sha256 in "
            "raw/sources.yaml to the new value (`python -m pipeline register "
            f"{source.id}`) and commit both together; otherwise restore the original file.",
        )
    return data


def decode_text(data: bytes, shown: str) -> str:
    """Decode strict UTF-8 (a BOM is allowed); refuse empty, binary or otherwise-encoded files."""
    if not data.strip():
        raise SourceError(shown, "the file is empty.", action="Replace it with the extract's text.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceError(
            shown,
            "the file is UTF-16 text.",
            action="Convert it to UTF-8 (e.g. `iconv -f UTF-16 -t UTF-8`), then re-register it.",
        )
    if b"\x00" in data:
        raise SourceError(
            shown,
            "the file contains NUL bytes: it is binary, not extracted text.",
            action="Extract the text (e.g. `pdftotext -layout`) and register the .txt file instead.",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise SourceError(
            shown,
            f"not valid UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start}); it may be GBK or Latin-1.",
            line=line,
            action="Convert it to UTF-8 (e.g. `iconv -f GBK -t UTF-8`), then re-register it.",
        ) from None
    if not text.lstrip("\ufeff").strip():
        raise SourceError(shown, "the file is empty.", action="Replace it with the extract's text.")
    return text


def read_source_text(source: Source, raw_dir: Path) -> str:
    return decode_text(read_source_bytes(source, raw_dir), f"raw/{source.path}")


def readable_texts(sources: list[Source], raw_dir: Path) -> dict[str, str]:
    """Decoded text of every source that can be read as registered (a quarantined one is left out)."""
    texts = {}
    for source in sources:
        try:
            texts[source.id] = read_source_text(source, raw_dir)
        except SourceError:
            continue
    return texts
