"""Rendering the report dict as one self-contained HTML page: no scripts, no external resources,
every piece of text from a source escaped."""

from __future__ import annotations

from html import escape
from typing import Any

CSS = """
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.6rem}h2{margin-top:2.2rem;border-bottom:1px solid #ccc}h3{margin-top:1.6rem}
table{border-collapse:collapse;margin:.6rem 0;font-size:.9rem}
th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f2f2f2}.ok{color:#176f2c}.warn{color:#8a5a00}.fail{color:#a4161a}
.verdict{padding:.8rem 1rem;border-radius:6px;border:2px solid}
.verdict.ok{border-color:#176f2c;background:#eef8f0}
.verdict.fail{border-color:#a4161a;background:#fcefef}code{font-size:.85rem;word-break:break-all}
@media print{body{max-width:none}h2{break-after:avoid}}
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
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _status(check: dict[str, Any]) -> str:
    if check["passed"]:
        return '<span class="ok">passed</span>'
    if check["severity"] == "WARN":
        return '<span class="warn">warning</span>'
    return '<span class="fail">FAILED</span>'


STATUS_CLASS = {"consistent": "ok", "different measures": "warn", "stale": "warn"}


def _findings(findings: list[dict[str, Any]]) -> list[str]:
    """Findings across sources: each with its status, message and the quotes it rests on."""
    flagged = [f for f in findings if f["status"] != "consistent"]
    parts = [
        '<h2 id="findings">Findings across sources</h2>',
        f"<p>{len(findings)} cross-checks of the extracts against each other and the reference tables; "
        f"{len(flagged)} flag a contradiction, a stale or mismatched figure, or two measures that must not be "
        "merged. Findings are about the sources: the datasets reproduce them faithfully.</p>",
    ]
    for check in dict.fromkeys(f["check"] for f in findings):
        parts.append(f"<h3>{escape(check.replace('_', ' ').capitalize())}</h3><ul>")
        for finding in (f for f in findings if f["check"] == check):
            css = STATUS_CLASS.get(finding["status"], "fail")
            quotes = "".join(
                f"<li><q>{escape(e['text'])}</q> <small>{escape(e['source_id'])}, characters "
                f"{e['char_start']}–{e['char_end']}</small></li>"
                for e in finding["evidence"]
            )
            parts.append(
                f'<li><strong class="{css}">{escape(finding["status"])}</strong>: {escape(finding["message"])}'
                f"<ul>{quotes}</ul></li>"
            )
        parts.append("</ul>")
    return parts


def _changes(changes: dict[str, Any]) -> list[str]:
    """The 'what changed since the previous release' section: row diff per dataset and schema drift."""
    previous = changes.get("previous_release")
    parts = ['<h2 id="changes">What changed since the previous release</h2>']
    if not previous:
        parts.append("<p>This is the first release in this outputs folder; every row is new.</p>")
    else:
        parts.append(f"<p>Compared with release <code>{escape(previous)}</code>.</p>")
    rows = [
        {
            "dataset": name,
            "rows added": d["added"],
            "rows removed": d["removed"],
            "rows changed": d["changed"],
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
    return parts


def render_html(report: dict[str, Any]) -> str:
    verdict = report["verdict"]
    counts = verdict["checks"]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Quality report, release {escape(report['release_id'])}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>Quality report: release <code>{escape(report['release_id'])}</code></h1>",
        f'<div class="verdict {"ok" if verdict["publishable"] else "fail"}"><p><strong>'
        f"{escape(verdict['sentence'])}</strong></p>"
        f"<p>Checks: {counts['passed']} passed, {counts['warned']} warned, {counts['failed']} failed. "
        f"Code version <code>{escape(report['code_version'])}</code>.</p></div>",
        '<h2 id="datasets">Datasets</h2>',
        _table(
            [
                {"dataset": d["name"], "file": d["file"], "rows": d["rows"], "sha256": d["sha256"]}
                for d in report["datasets"]
            ]
        ),
    ]
    for dataset in report["datasets"]:
        parts.append(
            f'<h2 id="{escape(dataset["name"])}">{escape(dataset["title"])} '
            f"(<code>{escape(dataset['name'])}</code>)</h2>"
        )
        parts.append(
            f"<p>{escape(dataset['description'])} {dataset['rows']} rows; primary key "
            f"<code>{escape(', '.join(dataset['primary_key']))}</code>.</p>"
        )
        parts.append("<h3>Schema</h3>")
        columns = [{k: ("" if v is None else v) for k, v in c.items()} for c in dataset["columns"]]
        parts.append(_table(columns, ["name", "type", "unit", "nullable", "description", "raw_header"]))
        parts.append("<h3>Checks</h3>")
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
                parts.append(f"<h4>Failing rows of {escape(check['check'])}</h4>")
                parts.append(_table(check["failures"]))
    parts += _findings(report["findings"])
    parts += _changes(report["changes"])
    parts.append('<h2 id="quarantined">Quarantined sources</h2>')
    parts.append(_table(report["quarantined"], ["source_id", "path", "step", "message"]))
    parts.append('<h2 id="corrections-log">Corrections log</h2>')
    parts.append(f"<p>{len(report['corrections'])} changes made to what the sources print.</p>")
    parts.append(
        _table(
            report["corrections"],
            ["source_id", "line", "char_start", "char_end", "field", "before", "after", "rule"],
        )
    )
    parts.append('<h2 id="inputs">Inputs</h2>')
    parts.append(
        _table(report["inputs"], ["id", "path", "kind", "title", "publisher", "published", "sha256", "extracts"])
    )
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
