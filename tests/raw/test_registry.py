"""The source registry: loading and validating raw/sources.yaml, and reading registered files safely."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
import yaml

from pipeline.errors import RegistryError, SourceError
from pipeline.raw.registry import (
    Source,
    TableSpec,
    decode_text,
    load_registry,
    read_registry,
    read_source_bytes,
    read_source_text,
)
from tests.helpers import SEED_IDS

REAL_IDS = list(SEED_IDS)  # the seed extracts and reference tables, in registry order

CONTENT = b"Year GDP\n\n2001 1.5\n"


# --- the real registry ---------------------------------------------------------------------------


def test_real_registry_sources(real_raw_dir: Path) -> None:
    # the seed extracts and references, in this order, whatever a user registers after them
    sources = [s for s in load_registry(real_raw_dir) if s.id in REAL_IDS]
    assert [s.id for s in sources] == REAL_IDS
    assert all(isinstance(s, Source) for s in sources)
    kinds = {s.id: s.kind for s in sources}
    assert kinds["paper_appendix_2020"] == "pdf_table_extract"
    assert [i for i, k in kinds.items() if k == "news_article"] == REAL_IDS[1:5]
    assert [i for i, k in kinds.items() if k == "reference_table"] == REAL_IDS[5:]
    assert [s.id for s in sources if s.tables] == ["paper_appendix_2020"]


def test_real_registry_appendix_entry(real_raw_dir: Path) -> None:
    appendix = next(s for s in load_registry(real_raw_dir) if s.id == "paper_appendix_2020")
    assert appendix.path == "extracts/000_7a1c8b4bcb024347.txt"
    assert appendix.url is None
    assert len(appendix.tables) == 2
    assert appendix.tables == (
        TableSpec("annual_indicators", "indicator_table", {"key_header": "Year"}),
        TableSpec(
            "pilot_zones",
            "zone_table",
            {
                "header": "Region Extent Main Objectives",
                "extents": ["International", "National", "Region"],
            },
        ),
    )
    assert appendix.expected_corrections == {
        "city_name_case": 1,
        "city_name_ocr": 1,
        "inline_page_number": 1,
    }


def test_real_files_match_their_registered_hashes(real_raw_dir: Path) -> None:
    for source in load_registry(real_raw_dir):
        data = read_source_bytes(source, real_raw_dir)
        assert hashlib.sha256(data).hexdigest() == source.sha256
        assert read_source_text(source, real_raw_dir)


# --- a registry written in tmp_path --------------------------------------------------------------


def entry(**overrides: object) -> dict[str, object]:
    base: dict[str, object] = {
        "id": "sample_table",
        "path": "extracts/sample.txt",
        "sha256": hashlib.sha256(CONTENT).hexdigest(),
        "kind": "pdf_table_extract",
        "title": "A sample table",
        "publisher": "Test",
        "published": "2020",
        "url": None,
        "extracts": "One indicator table.",
        "tables": [{"dataset": "annual_indicators", "parser": "indicator_table", "key_header": "Year"}],
    }
    base.update(overrides)
    return base


def write_registry(raw: Path, *entries: dict[str, object]) -> Path:
    raw.mkdir(parents=True, exist_ok=True)
    (raw / "extracts").mkdir(exist_ok=True)
    (raw / "extracts" / "sample.txt").write_bytes(CONTENT)
    path = raw / "sources.yaml"
    path.write_text(yaml.safe_dump({"version": 1, "sources": list(entries)}, sort_keys=False))
    return path


def test_valid_registry_in_tmp_path(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    write_registry(raw, entry())
    (source,) = load_registry(raw)
    assert source == Source(
        id="sample_table",
        path="extracts/sample.txt",
        sha256=hashlib.sha256(CONTENT).hexdigest(),
        kind="pdf_table_extract",
        title="A sample table",
        publisher="Test",
        published="2020",
        url=None,
        extracts="One indicator table.",
        tables=(TableSpec("annual_indicators", "indicator_table", {"key_header": "Year"}),),
    )
    assert read_source_text(source, raw) == CONTENT.decode()


def test_missing_registry(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match=re.escape("sources.yaml: the source registry is missing.")):
        load_registry(tmp_path)


def test_malformed_yaml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text("version: 1\nsources:\n  - id: a\n     path: x\n")
    with pytest.raises(RegistryError) as caught:
        load_registry(tmp_path)
    assert str(caught.value).startswith(
        f"{path}:4: the source registry is not valid YAML (mapping values are not allowed here)."
    )


def test_malformed_yaml_line_further_down(tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text("# comment\n\nversion: 1\nsources:\n  - id: a\n    title: Trade: the data\n  - id: b\n")
    with pytest.raises(
        RegistryError,
        match=re.escape(f"{path}:6: the source registry is not valid YAML (mapping values are not allowed here)."),
    ):
        load_registry(tmp_path)


def test_no_sources_list(tmp_path: Path) -> None:
    (tmp_path / "sources.yaml").write_text("version: 1\nsources: none\n")
    with pytest.raises(RegistryError, match="expected a mapping with a list under 'sources'"):
        load_registry(tmp_path)


@pytest.mark.parametrize("bad_path", ["../../etc/passwd", "../outside.txt", "/etc/passwd"])
def test_path_outside_raw(tmp_path: Path, bad_path: str) -> None:
    raw = tmp_path / "raw"
    path = write_registry(raw, entry(path=bad_path))
    with pytest.raises(RegistryError) as caught:
        load_registry(raw)
    assert str(caught.value) == (
        f"{path}: source 'sample_table': path {bad_path!r} is outside raw/. Copy the file into raw/ "
        "and register that copy."
    )


def test_path_with_dotdot_that_stays_inside_raw_is_accepted(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    write_registry(raw, entry(path="extracts/../extracts/sample.txt"))
    (source,) = load_registry(raw)
    assert read_source_bytes(source, raw) == CONTENT


def test_duplicate_ids(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    path = write_registry(raw, entry(), entry(), entry(id="other"))
    with pytest.raises(RegistryError) as caught:
        load_registry(raw)
    assert str(caught.value) == f"{path}: source ids must be unique; repeated: sample_table."


def test_unknown_kind(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    path = write_registry(raw, entry(kind="spreadsheet"))
    with pytest.raises(RegistryError) as caught:
        load_registry(raw)
    assert str(caught.value) == (
        f"{path}: source 'sample_table': kind 'spreadsheet' is not one of pdf_table_extract, "
        "news_article, reference_table."
    )


def test_missing_required_fields(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    bad = entry()
    del bad["sha256"]
    bad["title"] = ""
    path = write_registry(raw, entry(id="first_ok"), bad)
    with pytest.raises(RegistryError) as caught:
        load_registry(raw)
    assert str(caught.value) == f"{path}: sources[1] (sample_table): missing sha256, title."


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({"id": "Bad-Id"}, "an id is lower case letters, digits and '_', starting with a letter."),
        ({"sha256": "ABC"}, "sha256 must be 64 lower-case hex digits."),
        ({"kind": "news_article"}, "only a pdf_table_extract has tables."),
        ({"tables": [{"parser": "csv"}]}, "each table needs a parser, one of indicator_table, zone_table."),
        (
            {"tables": [{"parser": "zone_table", "dataset": "annual_indicators"}]},
            "parser 'zone_table' feeds 'pilot_zones'.",
        ),
        (
            {"expected_corrections": {"spaced_hyphen": "one"}},
            "expected_corrections maps a rule name to a count.",
        ),
    ],
)
def test_invalid_entries(tmp_path: Path, overrides: dict[str, object], problem: str) -> None:
    raw = tmp_path / "raw"
    path = write_registry(raw, entry(**overrides))
    source_id = overrides.get("id", "sample_table")
    with pytest.raises(RegistryError) as caught:
        load_registry(raw)
    assert str(caught.value) == f"{path}: source {source_id!r}: {problem}"


def test_table_dataset_defaults_from_parser(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    write_registry(raw, entry(tables=[{"parser": "zone_table", "end_marker": "Notes"}]))
    (source,) = load_registry(raw)
    assert source.tables == (TableSpec("pilot_zones", "zone_table", {"end_marker": "Notes"}),)


# --- reading registered files --------------------------------------------------------------------


def test_changed_file_is_refused(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    write_registry(raw, entry())
    (source,) = load_registry(raw)
    changed = CONTENT + b"2002 1.7\n"
    (raw / "extracts" / "sample.txt").write_bytes(changed)
    with pytest.raises(SourceError) as caught:
        read_source_bytes(source, raw)
    message = str(caught.value)
    assert message.startswith(
        "raw/extracts/sample.txt: content has changed since it was registered as 'sample_table' "
        f"(sha256 {hashlib.sha256(changed).hexdigest()[:12]}…, registered {source.sha256[:12]}…)."
    )
    assert "re-register the file" in message
    assert "`python -m pipeline register sample_table`" in message
    with pytest.raises(SourceError, match="content has changed"):
        read_source_text(source, raw)


def test_missing_file(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    write_registry(raw, entry())
    (source,) = load_registry(raw)
    (raw / "extracts" / "sample.txt").unlink()
    with pytest.raises(SourceError) as caught:
        read_source_bytes(source, raw)
    assert str(caught.value) == (
        "raw/extracts/sample.txt: registered as 'sample_table' but the file does not exist. "
        "Restore the file, or remove its entry from raw/sources.yaml."
    )


@pytest.mark.parametrize("data", [b"", b"  \r\n\n\t"])
def test_decode_empty(data: bytes) -> None:
    with pytest.raises(SourceError) as caught:
        decode_text(data, "raw/x.txt")
    assert str(caught.value) == "raw/x.txt: the file is empty. Replace it with the extract's text."


def test_decode_binary() -> None:
    with pytest.raises(SourceError) as caught:
        decode_text(b"\x00\x01binary", "raw/x.txt")
    assert str(caught.value).startswith("raw/x.txt: the file contains NUL bytes: it is binary, not extracted text.")


def test_decode_gbk() -> None:
    data = b"Region Extent\n\nHangzhou\n" + "跨境电商".encode("gbk") + b"\n"
    with pytest.raises(SourceError) as caught:
        decode_text(data, "raw/x.txt")
    assert caught.value.line == 4
    assert str(caught.value) == (
        "raw/x.txt:4: not valid UTF-8 (byte 0xbf at offset 24); it may be GBK or Latin-1. "
        "Convert it to UTF-8 (e.g. `iconv -f GBK -t UTF-8`), then re-register it."
    )


def test_decode_bom_and_crlf() -> None:
    text = "\ufeffYear GDP\r\n\r\n2001 1.5\r\n跨境电商\r\n"
    assert decode_text(text.encode("utf-8"), "raw/x.txt") == text


def test_decode_bom_only_is_empty() -> None:
    with pytest.raises(SourceError, match="the file is empty"):
        decode_text(b"\xef\xbb\xbf\r\n", "raw/x.txt")


def _registry_with(tmp_path: Path, entry: str) -> Path:
    raw = tmp_path / "raw"
    (raw / "extracts").mkdir(parents=True)
    (raw / "sources.yaml").write_text("sources:\n" + entry, encoding="utf-8")
    return raw


ENTRY = """  - id: art
    path: extracts/a.txt
    sha256: "{sha}"
    kind: {kind}
    title: t
    publisher: p
    published: "{published}"
    extracts: e
"""


def test_a_news_article_needs_a_year(tmp_path: Path) -> None:
    raw = _registry_with(tmp_path, ENTRY.format(sha="ab" * 32, kind="news_article", published="unknown"))
    sources, problems = read_registry(raw)
    assert sources == []
    assert problems == [
        f"{raw / 'sources.yaml'}: source 'art': a news article needs a publication date with at least the year "
        "(YYYY, YYYY-MM or YYYY-MM-DD), got 'unknown'; periods of its figures are dated from it."
    ]


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("page_furniture: ['(']", "page_furniture pattern '(' is not a regular expression"),
        ("key_header: 2019", "table option 'key_header' must be a text, got 2019"),
        ("page_furniture: Journal", "table option 'page_furniture' must be a list of texts, got 'Journal'"),
        (
            "colour: red",
            "unknown option 'colour' for parser 'indicator_table'; its options: key, key_header, page_furniture, "
            "null_tokens, columns, cell_corrections",
        ),
        # an option of another parser is not one of this parser's (it was, with one list for all parsers)
        ("end_marker: Table 3", "unknown option 'end_marker' for parser 'indicator_table'"),
    ],
)
def test_table_options_are_validated(tmp_path: Path, option: str, message: str) -> None:
    entry = ENTRY.format(sha="ab" * 32, kind="pdf_table_extract", published="2020") + (
        f"    tables:\n      - parser: indicator_table\n        {option}\n"
    )
    _, problems = read_registry(_registry_with(tmp_path, entry))
    assert len(problems) == 1 and message in problems[0]


def test_a_registry_that_is_not_utf8(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "sources.yaml").write_bytes("sources:\n  - id: caf\xe9\n".encode("latin-1"))
    with pytest.raises(RegistryError, match=r"sources\.yaml: the source registry is not UTF-8 \(byte at offset 20\)"):
        read_registry(raw)


def test_a_folder_registered_as_a_file(tmp_path: Path) -> None:
    raw = _registry_with(tmp_path, ENTRY.format(sha="ab" * 32, kind="news_article", published="2020"))
    (raw / "extracts" / "a.txt").mkdir()
    (source,) = read_registry(raw)[0]
    with pytest.raises(SourceError, match=r"raw/extracts/a\.txt: registered as 'art' but it is a folder, not a file\."):
        read_source_bytes(source, raw)


def test_utf16_text_is_named_as_such() -> None:
    with pytest.raises(SourceError, match=r"raw/x\.txt: the file is UTF-16 text\. Convert it to UTF-8"):
        decode_text("Year 2001".encode("utf-16"), "raw/x.txt")


def test_a_parsers_options_are_its_config_fields() -> None:
    """The registry's options of a parser are exactly its config dataclass's fields, typed from them."""
    from pipeline.metadata.tables import ZoneTableConfig, config_from_options, options

    assert options("zone_table") == {
        "header": ("text", "Region Extent Main Objectives"),
        "extents": ("list of texts", ("International", "National", "Region")),
        "page_furniture": ("list of texts", ()),
        "end_marker": ("optional text", None),
    }
    config = config_from_options("zone_table", {"extents": ["National"], "end_marker": "Table 3"}, "here")
    assert config == ZoneTableConfig(extents=("National",), end_marker="Table 3")


def test_the_readme_lists_every_parser_option() -> None:
    from pipeline.metadata.tables import options_table
    from pipeline.settings import PROJECT_ROOT

    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    table = "\n".join("   " + line for line in options_table().splitlines())
    assert table in readme, "update the table in README.md 'Adding a raw extract' from options_table()"
