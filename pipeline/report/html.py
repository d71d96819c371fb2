"""Rendering the report dict as one self-contained HTML page: no scripts, no external resources,
every piece of text from a source escaped."""

from __future__ import annotations

import re
from html import escape
from typing import Any

from pipeline.report.build import FINDINGS_SHOWN, LISTED
from pipeline.report.charts import batch_chart, history_chart, line_chart, status_chart

UNUSED_FILES_SHOWN = 20  # files whose unused lines are listed

CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC","Source Han Sans SC",
"PingFang SC","Hiragino Sans GB","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif;margin:2rem auto;max-width:72rem;
padding:0 1rem;color:#1b1b1b;overflow-wrap:anywhere}
.scroll{overflow-x:auto;max-width:100%}svg.chart{max-width:100%;height:auto}
h1{font-size:1.6rem}h2{margin-top:2.2rem;border-bottom:1px solid #ccc}h3{margin-top:1.6rem}
table{border-collapse:collapse;margin:.6rem 0;font-size:.9rem}
th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f2f2f2}.ok{color:#176f2c}.warn{color:#8a5a00}.fail{color:#a4161a}
.verdict{padding:.8rem 1rem;border-radius:6px;border:2px solid}
.verdict.ok{border-color:#176f2c;background:#eef8f0}
.verdict.fail{border-color:#a4161a;background:#fcefef}code{font-size:.85rem;word-break:break-all}
@media print{body{max-width:none}h2,h3{break-after:avoid}nav{display:none}pre.raw{white-space:pre-wrap}
.scroll{overflow:visible}tr{break-inside:avoid}}
.charts{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-start}.chart{border:1px solid #e2e2e2;background:#fff}
pre.raw{white-space:pre-wrap;font-size:.85rem;border:1px solid #ddd;padding:.6rem;background:#fafafa}
a.anchor:target+*{background:#ffe9a8}a.anchor:target{outline:3px solid #c98a00}
td{white-space:pre-wrap}
"""


def _cell(value: Any) -> str:
    if value is None:
        return '<span class="warn">null</span>'
    return escape(str(value))


def _table(rows: list[dict[str, Any]], columns: list[str] | None = None, caption: str = "", markup: str = "") -> str:
    """An HTML table; every value is escaped except the column named ``markup`` (our own HTML)."""
    if not rows:
        return "<p>None.</p>"
    columns = columns or list(rows[0])
    head = "".join(f'<th scope="col">{escape(c)}</th>' for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{r[c] if c == markup else _cell(r.get(c))}</td>" for c in columns) + "</tr>"
        for r in rows
    )
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    # a wide table scrolls inside its own box, so the page never overflows the window (1400 px or 400 px)
    return f'<div class="scroll"><table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def _status(check: dict[str, Any]) -> str:
    if check["passed"]:
        return '<span class="ok">passed</span>'
    if check["severity"] == "WARN":
        return '<span class="warn">warning</span>'
    return '<span class="fail">FAILED</span>'


STATUS_CLASS = {
    "consistent": "ok", "different measures": "warn", "stale": "warn", "jump": "warn", "incomplete": "warn",
    "yielded nothing": "warn",
    "uncertain": "warn",
}  # fmt: skip


# how much each flagged status should worry a reader, most first (what to read before using the data)
WORRY_ORDER = (
    "mismatch", "contradiction", "yielded nothing", "incomplete", "stale", "jump", "uncertain", "different measures"
)  # fmt: skip
WORRY_SHOWN = 12


def _finding_id(finding: dict[str, Any]) -> str:
    return "finding-" + re.sub(r"[^A-Za-z0-9_-]+", "-", str(finding["finding_id"]))


def _worries(report: dict[str, Any]) -> list[str]:
    """The first screen after the verdict: every reason not to trust a number, ranked, one line each with
    a link to where it is explained: quarantined sources, failed and warned checks, flagged findings."""
    items: list[str] = []
    for source in report["quarantined"]:
        items.append(
            f'<li><strong class="fail">quarantined</strong> <code>{escape(source["path"])}</code> at '
            f'{escape(source["step"])}: {escape(source["message"])} (<a href="#quarantined">all</a>)</li>'
        )
    datasets = {d["name"] for d in report["datasets"]}
    failing_first = sorted(report.get("asset_checks", []), key=lambda c: c["result"] != "failed")
    for check in failing_first:
        if check["result"] == "passed":
            continue
        anchor = f"dataset-{check['asset']}" if check["asset"] in datasets else "checks"
        items.append(
            f'<li><strong class="{"fail" if check["result"] == "failed" else "warn"}">{check["result"]}</strong> '
            f'<a href="#{escape(anchor)}">{escape(check["asset"])}</a>: {escape(check["check"])}. '
            f"{escape(check['description'])}</li>"
        )
    for warning in report.get("raw_warnings") or []:
        items.append(f'<li><strong class="warn">raw file</strong> {escape(str(warning))}</li>')
    flagged = [f for f in report["findings"] if f["status"] != "consistent"]
    rank = {status: i for i, status in enumerate(WORRY_ORDER)}
    flagged.sort(key=lambda f: (rank.get(f["status"], -1), f["cross_check"], f["finding_id"]))
    for finding in flagged[:WORRY_SHOWN]:
        css = STATUS_CLASS.get(finding["status"], "fail")
        message = finding["message"] if len(finding["message"]) <= 220 else finding["message"][:217] + "..."
        items.append(
            f'<li><strong class="{css}">{escape(finding["status"])}</strong> '
            f'<a href="#{escape(_finding_id(finding))}">{escape(finding["cross_check"].replace("_", " "))}</a>: '
            f"{escape(message)}</li>"
        )
    if len(flagged) > WORRY_SHOWN:
        items.append(f'<li>and {len(flagged) - WORRY_SHOWN} more flagged findings (<a href="#findings">all</a>)</li>')
    parts = ['<section aria-label="What to worry about"><h2 id="worries">What to worry about</h2>']
    if not items:
        parts.append("<p>Nothing: no source was quarantined, every check passed, no finding is flagged.</p>")
    else:
        parts.append(
            "<p>Ranked: what stops or weakens a release first, then what the sources disagree on (the data "
            "reproduces the sources faithfully; read these before using a figure).</p>"
        )
        parts.append('<ol class="worries">' + "".join(items) + "</ol>")
    parts.append("</section>")
    return parts


def _findings(report: dict[str, Any], embedded: set[str]) -> list[str]:
    """Findings across sources: each with its status, message and the quotes it rests on."""
    findings = report["findings"]
    statuses = report.get("finding_statuses", {})
    total = report.get("findings_total", len(findings))
    flagged = total - statuses.get("consistent", 0)
    parts = [
        '<h2 id="findings">Findings across sources</h2>',
        f"<p>{total} cross-checks of the extracts against each other and the reference tables; "
        f"{flagged} flag a contradiction, a stale or mismatched figure, or two measures that must not be "
        "merged. Findings are about the sources: the datasets reproduce them faithfully.</p>",
    ]
    if len(findings) < total:
        parts.append(
            f"<p>Shown: {len(findings)} of {total}, at most {FINDINGS_SHOWN} per check with the flagged ones first; "
            "all are in <code>findings.parquet</code>.</p>"
        )
    for check in dict.fromkeys(f["cross_check"] for f in findings):
        parts.append(f"<h3>{escape(check.replace('_', ' ').capitalize())}</h3><ul>")
        for finding in (f for f in findings if f["cross_check"] == check):
            css = STATUS_CLASS.get(finding["status"], "fail")
            quotes = "".join(
                f"<li><q>{escape(e['text'])}</q> "
                f"<small>{_link(e['source_id'], e['char_start'], e['char_end'], embedded)}</small></li>"
                for e in finding["evidence"]
            )
            parts.append(
                f'<li id="{escape(_finding_id(finding))}"><strong class="{css}">{escape(finding["status"])}</strong>: '
                f"{escape(finding['message'])}<ul>{quotes}</ul></li>"
            )
        parts.append("</ul>")
    return parts


def changed_summary(changes: dict[str, Any], shown: int = 2) -> list[str]:
    """The first screen's "what changed": one line per dataset that changed since the previous release, with
    its most telling changed values, and a line for schema drift; the full diff is in "What changed"."""
    previous = changes.get("previous_release")
    parts = ['<h2 id="changed">What changed</h2>']
    if not previous:
        return [*parts, "<p>This is the first release in this outputs folder: every row is new.</p>"]
    lines = []
    for name, d in changes["datasets"].items():
        if not (d["added"] or d["removed"] or d["changed"]):
            continue
        counts = ", ".join(f"{d[k]} {k}" for k in ("added", "removed", "changed") if d[k])
        values = [
            f"{col} {_short(ch['before'])} → {_short(ch['after'])}"
            for c in d["examples"]["changed"]
            for col, ch in c["changes"].items()
        ][:shown]
        detail = f" (e.g. {'; '.join(escape(v) for v in values)})" if values else ""
        lines.append(f"<li><code>{escape(name)}</code>: {counts} row(s){detail}</li>")
    for name, d in changes.get("drift", {}).items():
        columns = [*(f"+{c}" for c in d["added"]), *(f"−{c}" for c in d["removed"]),
                   *(f"{r['column']} retyped" for r in d["retyped"])]  # fmt: skip
        lines.append(f"<li><code>{escape(name)}</code> schema: {escape(', '.join(columns))}</li>")
    if not lines:
        return [*parts, f"<p>Nothing changed since release <code>{escape(previous)}</code>.</p>"]
    return [
        *parts,
        f"<p>Since release <code>{escape(previous)}</code> (details under "
        '<a href="#changes">What changed since the previous release</a>):</p>',
        "<ul>",
        *lines,
        "</ul>",
    ]


def _short(value: Any, width: int = 40) -> str:
    text = str(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def _changes(changes: dict[str, Any]) -> list[str]:
    """The 'what changed since the previous release' section: row diff per dataset and schema drift."""
    previous = changes.get("previous_release")
    parts = ['<h2 id="changes">What changed since the previous release</h2>']
    if not previous:
        parts.append("<p>This is the first release in this outputs folder; every row is new.</p>")
    else:
        parts.append(f"<p>Compared with release <code>{escape(previous)}</code>.</p>")
    parts.append("<details><summary>Rows added, removed, changed and moved per dataset, with examples, and "
                 "schema drift</summary>")  # fmt: skip
    rows = [
        {
            "dataset": name,
            "rows added": d["added"],
            "rows removed": d["removed"],
            "rows changed": d["changed"],
            "rows moved": d.get("moved", 0),
        }
        for name, d in changes["datasets"].items()
    ]
    parts.append(_table(rows))
    for name, d in changes["datasets"].items():
        if previous and d["examples"]["changed"]:
            examples = [
                {
                    "key": ", ".join(f"{k}={v}" for k, v in c["key"].items()),
                    "column": col,
                    "before": ch["before"],
                    "after": ch["after"],
                }
                for c in d["examples"]["changed"]
                for col, ch in c["changes"].items()
            ]
            parts.append(f"<h3>Changed rows of {escape(name)} (first {len(d['examples']['changed'])})</h3>")
            parts.append(_table(examples))
        for kind in ("added", "removed"):
            if previous and d["examples"][kind]:
                parts.append(f"<h3>{kind.capitalize()} rows of {escape(name)} (first {len(d['examples'][kind])})</h3>")
                parts.append(_table(d["examples"][kind]))
    parts.append("<h3>Schema drift</h3>")
    drift = [
        {
            "dataset": name,
            "added columns": ", ".join(d["added"]),
            "removed columns": ", ".join(d["removed"]),
            "retyped": ", ".join(f"{r['column']}: {r['before']} -> {r['after']}" for r in d["retyped"]),
        }
        for name, d in changes["drift"].items()
    ]
    parts.append(_table(drift) if drift else "<p>No column was added, removed or retyped.</p>")
    parts.append("</details>")
    return parts


def _anchor(source_id: str, start: int) -> str:
    return f"raw-{source_id}-{start}"


def _link(source_id: str, start: int, end: int, embedded: set[str]) -> str:
    if source_id not in embedded:  # a large corpus embeds only some texts: name the span instead
        return f"{escape(source_id)}, characters {start}–{end}"
    return f'<a href="#{escape(_anchor(source_id, start))}">{escape(source_id)}, characters {start}–{end}</a>'


def _verdict(report: dict[str, Any]) -> list[str]:
    verdict = report["verdict"]
    counts = verdict["checks"]
    rows = [{"dataset": d["name"], "rows": d["rows"], "file": d["file"]} for d in report["datasets"]]
    kinds: dict[str, int] = {}
    for source in report["inputs"]:
        kinds[source["kind"]] = kinds.get(source["kind"], 0) + 1
    return [
        f'<section class="verdict {"ok" if verdict["publishable"] else "fail"}" aria-label="Verdict">',
        f"<p><strong>{escape(verdict['sentence'])}</strong></p>",
        f"<p>Release <code>{escape(report['release_id'])}</code>, code version "
        f"<code>{escape(report['code_version'])}</code>. Checks, as the Dagster UI counts them: "
        f"{counts['passed']} passed, {counts['warned']} warned, {counts['failed']} failed"
        + (f' (<a href="#checks">{_rules(verdict["rules"])}</a>)' if "rules" in verdict else "")
        + f". Findings flagged: {verdict['findings_flagged']}. Inputs: "
        + ", ".join(f"{n} {escape(kind.replace('_', ' '))}(s)" for kind, n in sorted(kinds.items()))
        + ' (<a href="#inputs">list</a>).</p>',
        _table(rows, ["dataset", "rows", "file"]),
        "</section>",
    ]


def _rules(rules: dict[str, int]) -> str:
    total = rules["passed"] + rules["warned"] + rules["failed"]
    return f"{total} rules: {rules['passed']} passed, {rules['warned']} warned, {rules['failed']} failed"


def _asset_checks(report: dict[str, Any]) -> list[str]:
    """Every asset check as the Dagster UI lists it, with the number of rules it applied."""
    checks = report.get("asset_checks", [])
    rows = [{**c, "result": _status({"passed": c["result"] == "passed", "severity": c["severity"]}),
             "if it fails": "fails (ERROR)" if c["severity"] == "ERROR" else "warns"} for c in checks]  # fmt: skip
    return [
        '<h2 id="checks">Checks</h2>',
        f"<details><summary>The {len(checks)} asset checks, each with its latest result on the files of this "
        "report, as the Dagster UI shows them (a dataset's schema and expectations checks apply many rules: its "
        "section lists each)</summary>",
        _table(rows, ["asset", "check", "result", "if it fails", "rules", "description"], markup="result"),
        "</details>",
    ]


def indicator_name(column: dict[str, Any]) -> str:
    """A chart's title: the curated meaning of the column (its description up to the first bracket or full
    stop, from the indicator dictionary), not the header as printed ("China Third-Partv")."""
    description = str(column.get("description") or "")
    name = re.split(r"\s\(|\.\s|\.$", description, maxsplit=1)[0].strip()
    return name[:1].upper() + name[1:] if name else str(column["name"])


def _glance(report: dict[str, Any]) -> list[str]:
    counts = report["verdict"]["checks"]
    statuses: dict[str, int] = dict(report.get("finding_statuses", {}))
    if "finding_statuses" not in report:
        for finding in report["findings"]:
            statuses[finding["status"]] = statuses.get(finding["status"], 0) + 1
    parts = ['<h2 id="glance">At a glance</h2>', '<div class="charts">']
    parts.append(
        status_chart(
            "chart-checks", "Checks by result", {"passed": counts["passed"], "warned": counts["warned"],
                                                 "failed": counts["failed"]},
            {"passed": "#176f2c", "warned": "#c98a00", "failed": "#a4161a"},
        )
    )  # fmt: skip
    parts.append(
        status_chart(
            "chart-findings", "Findings by status", dict(sorted(statuses.items())),
            {"consistent": "#176f2c", "different measures": "#c98a00", "stale": "#c98a00", "jump": "#c98a00",
             "incomplete": "#c98a00", "yielded nothing": "#c98a00", "uncertain": "#c98a00",
             "contradiction": "#a4161a", "mismatch": "#a4161a"},
        )
    )  # fmt: skip
    history = report.get("history") or []
    if history:  # the releases before this one, and this one
        this = {"release_id": report["release_id"], "checks": counts, "finding_statuses": statuses}
        parts.append(history_chart([*history, this]))
    parts.append(batch_chart(report["series"]["batches"]))
    parts.append("</div>")
    indicators = next((d for d in report["datasets"] if d["name"] == "annual_indicators"), None)
    if indicators:
        parts.append("<h3>Annual indicators</h3>")
        tables = report["series"].get("indicator_tables", 1)
        if tables > 1:
            parts.append(
                f"<p>{tables} indicator tables; the charts draw the one with the most years, "
                f"<code>{escape(str(report['series']['indicator_table']))}</code> (tables are never merged).</p>"
            )
        parts.append('<div class="charts">')
        for column in indicators["columns"]:
            if not column["unit"] or column["name"] == "year":
                continue
            points = [(r["year"], r[column["name"]]) for r in report["series"]["indicators"]]
            caption = f"printed header: “{column['raw_header']}”" if column.get("raw_header") else ""
            parts.append(line_chart(f"chart-{column['name']}", indicator_name(column), column["unit"], points, caption))
        parts.append("</div>")
    return parts


def _coverage(report: dict[str, Any]) -> list[str]:
    rows = report["coverage"]
    read = [r for r in rows if r["kind"] != "reference_table" and r["lines"]]
    used, lines = sum(r["used"] for r in read), sum(r["lines"] for r in read)
    parts = [
        '<h2 id="coverage">Coverage of the raw files</h2>',
        "<p>Lines of each raw file that some dataset was built from. Unused lines are headings, page furniture, "
        f"prose without figures, or a gap in the parsers: read them. Of the extracts' {lines} non-blank lines, "
        f"{used} were used.</p>",
        f"<details><summary>Lines used, file by file ({len(rows)} files)</summary>",
        _table(rows[:LISTED], ["source_id", "kind", "status"]),
    ]
    if len(rows) > LISTED:
        parts.append(f"<p>The first {LISTED} of {len(rows)} files; all are in quality_report.json.</p>")
    parts.append("</details>")
    warnings = report.get("raw_warnings")
    if warnings is not None:  # a release's report has none: stray files are reported in the run's metadata
        parts.append("<h3>Files in raw/ the pipeline did not use as registered</h3>")
        parts.append(
            "<ul>" + "".join(f"<li>{escape(w)}</li>" for w in warnings) + "</ul>"
            if warnings
            else "<p>None: every file in raw/ is registered and matches its sha256.</p>"
        )
    with_unused = [r for r in rows if r.get("unused")]
    if not with_unused:
        return parts
    parts.append(f"<details><summary>Unused lines of the {len(with_unused)} files with any</summary>")
    if len(with_unused) > UNUSED_FILES_SHOWN:
        parts.append(f"<p>Unused lines of the first {UNUSED_FILES_SHOWN} of {len(with_unused)} files with any.</p>")
    for row in with_unused[:UNUSED_FILES_SHOWN]:
        shown = len(row["unused"])
        parts.append(f"<h3>Unused lines of {escape(row['source_id'])} (first {shown} of {row['unused_total']})</h3>")
        parts.append(_table(row["unused"], ["line", "text"]))
    parts.append("</details>")
    return parts


def _points(report: dict[str, Any]) -> dict[str, set[int]]:
    """The character offsets of each source that the findings and corrections shown point to."""
    points: dict[str, set[int]] = {}
    for finding in report["findings"]:
        for e in finding["evidence"]:
            points.setdefault(e["source_id"], set()).add(int(e["char_start"]))
    for c in report["corrections"]:
        points.setdefault(c["source_id"], set()).add(int(c["char_start"]))
    return points


def _embedded(report: dict[str, Any], texts: dict[str, str]) -> set[str]:
    """The extracts whose text the page carries: all of them up to LISTED, else the ones pointed to."""
    extracts = sorted(s["id"] for s in report["inputs"] if s["kind"] != "reference_table" and s["id"] in texts)
    if len(extracts) > LISTED:
        pointed = _points(report)
        extracts = [i for i in extracts if i in pointed][:LISTED]
    return set(extracts)


def _raw_texts(report: dict[str, Any], texts: dict[str, str], embedded: set[str]) -> list[str]:
    """Each embedded extract's text with an anchor at every span the findings and corrections point to."""
    points = _points(report)
    parts = ['<h2 id="raw-texts">Raw extracts</h2>', "<p>The text of each extract as the pipeline read it; links "
             "above jump to the exact character.</p>"]  # fmt: skip
    if len(embedded) < sum(1 for s in report["inputs"] if s["kind"] != "reference_table" and s["id"] in texts):
        parts.append(
            f"<p>{len(embedded)} extracts are shown: the ones the findings and corrections above quote "
            f"(at most {LISTED}). The others are in raw/ under the paths listed in the inputs.</p>"
        )
    for source in report["inputs"]:
        text = texts.get(source["id"])
        if text is None or source["kind"] == "reference_table" or source["id"] not in embedded:
            continue
        parts.append(f'<h3 id="raw-{escape(source["id"])}">{escape(source["id"])} ({escape(source["path"])})</h3>')
        chunks, cursor = [], 0
        for start in sorted(p for p in points.get(source["id"], set()) if 0 <= p <= len(text)):
            chunks.append(escape(text[cursor:start]))
            chunks.append(f'<a class="anchor" id="{escape(_anchor(source["id"], start))}"></a>')
            cursor = start
        chunks.append(escape(text[cursor:]))
        parts.append(
            f'<details><summary>The text of {escape(source["id"])}</summary><pre class="raw">{"".join(chunks)}</pre>'
            "</details>"
        )
    return parts


def _subject(report: dict[str, Any]) -> str:
    if report["verdict"]["publishable"] or report["release_id"] != "not published":
        return f"release <code>{escape(report['release_id'])}</code>"
    return "candidate run, <strong>not published</strong>"


def render_html(report: dict[str, Any], texts: dict[str, str] | None = None) -> str:
    texts = texts or {}
    embedded = _embedded(report, texts)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Quality report, release {escape(report['release_id'])}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>Quality report: {_subject(report)}</h1>",
        *_verdict(report),
        *_worries(report),
        *changed_summary(report["changes"]),
        '<nav aria-label="Contents"><p><a href="#worries">What to worry about</a> · '
        '<a href="#glance">At a glance</a> · <a href="#findings">Findings</a> · '
        '<a href="#changes">What changed</a> · <a href="#coverage">Coverage</a> · <a href="#checks">Checks</a> · '
        '<a href="#datasets">Datasets</a> · '
        '<a href="#corrections-log">Corrections</a> · <a href="#inputs">Inputs</a> · <a href="#raw-texts">Raw '
        "extracts</a></p></nav>",
        *_glance(report),
        *_findings(report, embedded),
        *_changes(report["changes"]),
        *_coverage(report),
        *_asset_checks(report),
        '<h2 id="datasets">Datasets</h2>',
    ]
    for dataset in report["datasets"]:
        parts.append(
            f'<h3 id="dataset-{escape(dataset["name"])}">{escape(dataset["title"])} '
            f"(<code>{escape(dataset['name'])}</code>)</h3>"
        )
        parts.append(
            f"<p>{escape(dataset['description'])} {dataset['rows']} rows; primary key "
            f"<code>{escape(', '.join(dataset['primary_key']))}</code>; file <code>{escape(dataset['file'])}</code>, "
            f"sha256 <code>{escape(dataset['sha256'])}</code>.</p>"
        )
        columns = [{k: ("" if v is None else v) for k, v in c.items()} for c in dataset["columns"]]
        profile = {p["column"]: p for p in dataset["profile"]}
        for column in columns:
            p = profile[column["name"]]
            column["nulls"], column["distinct"] = p["nulls"], p["distinct"]
            column["range"] = "" if p["min"] is None else f"{p['range_of']} {p['min']} – {p['max']}"
        failing = sum(1 for c in dataset["checks"] if not c["passed"])
        parts.append(
            f"<details><summary>Schema, profile and the {len(dataset['checks'])} checks of "
            f"{escape(dataset['name'])} ({failing} not passed)</summary>"
        )
        parts.append(f"<h4>Schema and profile of {escape(dataset['name'])}</h4>")
        parts.append(
            _table(
                columns, ["name", "type", "unit", "nullable", "nulls", "distinct", "range", "description", "raw_header"]
            )
        )
        parts.append(f"<h4>Checks of {escape(dataset['name'])}</h4>")
        parts.append(
            _table(
                [
                    {
                        "check": c["check"],
                        "result": _status(c),
                        "if it fails": "blocks publication" if c["severity"] == "ERROR" else "warns",
                        "description": c["description"],
                        "failing rows": len(c["failures"]),
                    }
                    for c in dataset["checks"]
                ],
                ["check", "result", "if it fails", "description", "failing rows"],
                markup="result",
            )
        )
        for check in dataset["checks"]:
            if check["failures"]:
                parts.append(f"<h4>Failing rows of {escape(dataset['name'])}: {escape(check['check'])}</h4>")
                parts.append(_table(check["failures"]))
        parts.append("</details>")
    parts.append('<h2 id="quarantined">Quarantined sources</h2>')
    parts.append(_table(report["quarantined"], ["source_id", "path", "step", "message"]))
    parts.append('<h2 id="corrections-log">Corrections log</h2>')
    total = report.get("corrections_total", len(report["corrections"]))
    shown = "" if total == len(report["corrections"]) else f" The first {len(report['corrections'])} are listed."
    parts.append(f"<p>{total} changes made to what the sources print.{shown}</p>")
    corrections = [
        {**c, "where": _link(c["source_id"], c["char_start"], c["char_end"], embedded)} for c in report["corrections"]
    ]
    parts.append(_table(corrections, ["where", "line", "field", "before", "after", "rule"], markup="where"))
    parts.append('<h2 id="inputs">Inputs</h2>')
    parts.append(
        _table(
            report["inputs"][:LISTED], ["id", "path", "kind", "title", "publisher", "published", "sha256", "extracts"]
        )
    )
    if len(report["inputs"]) > LISTED:
        parts.append(f"<p>The first {LISTED} of {len(report['inputs'])} inputs; all are in manifest.json.</p>")
    parts += _raw_texts(report, texts, embedded)
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
