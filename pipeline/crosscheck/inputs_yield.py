"""``inputs_yield``: what each registered news article yielded. An article from which the extractors took
no figure and no zone mention is a warning, not a failure: the file may be off-topic, empty of numbers,
or written in a style the rules do not read, and every check downstream is green over nothing. The
finding says which, and what to do."""

from __future__ import annotations

from typing import Any

import pandas as pd

from pipeline.crosscheck.common import CheckInputs, finding


def run(inputs: CheckInputs) -> list[dict[str, Any]]:
    return check_inputs_yield(inputs.news, inputs.figures, inputs.mentions)


def _first_line(source_id: str, text: str) -> dict[str, object]:
    """The article's first printed line (its headline, as a rule), as the finding's quote."""
    start = len(text) - len(text.lstrip("\ufeff \t\r\n"))
    end = next((i for i in (text.find("\n", start), len(text)) if i >= 0), len(text))
    end = min(end, start + 200)
    return {"source_id": source_id, "char_start": start, "char_end": end, "text": " ".join(text[start:end].split())}


def check_inputs_yield(news: dict[str, str], figures: pd.DataFrame, mentions: pd.DataFrame) -> list[dict[str, Any]]:
    """One finding per registered news article (``news``: id -> decoded text)."""
    findings = []
    figure_counts = figures.groupby("source_id").size().to_dict() if not figures.empty else {}
    mention_counts = mentions.groupby("source_id").size().to_dict() if not mentions.empty else {}
    for source_id, text in sorted(news.items()):
        n_figures, n_mentions = int(figure_counts.get(source_id, 0)), int(mention_counts.get(source_id, 0))
        evidence = [_first_line(source_id, text)]
        if n_figures or n_mentions:
            message = f"{source_id} yielded {n_figures} figure(s) and {n_mentions} zone mention(s)."
            status = "consistent"
        else:
            words = len(text.split())
            message = (
                f"{source_id} ({words} words) yielded no figure and no zone mention, so no check ran on it. Read it: "
                "an article off the subject or without numbers can be left registered; one whose figures were "
                "missed (another style, a language the rules do not read) is a gap of the extractors to report."
            )
            status = "yielded nothing"
        findings.append(finding("inputs_yield", source_id, status, message, evidence))
    return findings
