"""Bench part `understanding`: type, number, date and issuer on real documents, and stacks not cut.

    python -m bench --only understanding

On vn-admin-real (../shared/corpora/vn-admin-real, INDEX.tsv is the truth; nothing was
trained on it: the structure rules need no training) each file is read once by sohoa's page
reading and cached (bench.real_pages); its born-digital signed files are also read as
poppler draws them (signature widgets' appearance text, where their number and day are,
which sohoa's own reading is being taught to read). For each reading it prints per file the
type expected / got / confidence and the number, date and issuer found, then per type the
accuracy and the confidently wrong count (confidence >= SURE), the exact-match rates, and
whether each multi-page file stays one document through digitize.splitting; then the
generated multi-page documents and stacks (bench.stacks). Targets: type
accuracy >= 95 %, 0 confidently wrong, number and date >= 90 %, issuer >= 85 %, no cut.
A number or date given with at least FIELD_SURE_CONFIDENCE that is not the printed one is
invented (a month-only date counts when its month is wrong), marked "!": target 0. A value
withheld (a handwritten number or day not read as print) is only a miss.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from bench import stacks
from bench.real_pages import RealFile, corpus_dir, index, read_pages
from config import defaults
from config.catalogue import get_catalogue
from config.text import fold
from digitize.doctype import classify
from digitize.fields import extract_fields
from digitize.result import FoundField
from digitize.splitting import split_batch

THRESHOLD = 0.5
"""The pipeline's default type threshold (config.defaults.TYPE_CONFIDENCE_THRESHOLD)."""
SURE = 0.6
"""A wrong type given with at least this confidence is confidently wrong."""
TARGETS = {"type": 0.95, "number": 0.90, "date": 0.90, "issuer": 0.85}


def _invented(found: FoundField | None, printed: str) -> bool:
    """A value given as read (at least FIELD_SURE_CONFIDENCE) that is not the printed one;
    a month-only date (yyyy-mm) is checked against the printed date's month."""
    if found is None or found.confidence < defaults.FIELD_SURE_CONFIDENCE:
        return False
    return not printed.startswith(found.value) if len(found.value) == 7 else found.value != printed


def _same_body(found: str | None, parent: str | None, expected: str) -> bool:
    """Issuer (and parent, where INDEX names "parent / issuer") equal, UBND spelt out, folded."""

    def norm(text: str) -> str:
        return " ".join(fold(text.replace("UBND", "Ủy ban nhân dân")).lower().split())

    parts = [p.strip() for p in expected.split("/")]
    if found is None:
        return False
    if len(parts) == 2:
        return (
            parent is not None and norm(parent) == norm(parts[0]) and norm(found) == norm(parts[1])
        )
    return norm(found) == norm(parts[0])


def _row(item: RealFile, texts: Sequence[str], words: Any) -> dict[str, Any]:
    catalogue = get_catalogue()
    kind = classify(texts, catalogue, threshold=THRESHOLD)
    fields = extract_fields(texts, catalogue.provinces, words=words)
    value = {k: f.value for k, f in fields.items()}
    segments = split_batch(texts, catalogue, threshold=THRESHOLD)
    return {
        "file": item.path.name,
        "expected": item.doc_type,
        "got": kind.document_type,
        "confidence": kind.confidence,
        "source": kind.source,
        "number": value.get("number_symbol"),
        "number_ok": value.get("number_symbol") == item.number_symbol,
        "number_invented": _invented(fields.get("number_symbol"), item.number_symbol),
        "date_invented": _invented(fields.get("issue_date"), item.issue_date)
        or _invented(fields.get("issue_month"), item.issue_date),
        "date": value.get("issue_date")
        or (f"{value['issue_month']}-??" if "issue_month" in value else None),
        "date_ok": value.get("issue_date") == item.issue_date,
        "issuer": value.get("issuing_body"),
        "parent": value.get("parent_body"),
        "issuer_ok": _same_body(
            value.get("issuing_body"), value.get("parent_body"), item.issuing_body
        ),
        "signer": value.get("signer_name"),
        "pages": len(texts),
        "parts": len(segments),
    }


def _summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    per_type: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in rows:
        counts = per_type[row["expected"]]
        counts[0] += 1
        counts[1] += row["got"] == row["expected"]
        counts[2] += row["got"] != row["expected"] and row["confidence"] >= SURE
    n = len(rows) or 1
    multi = [r for r in rows if r["pages"] > 1]
    return {
        "per_type": {
            k: {"n": v[0], "right": v[1], "sure_wrong": v[2]} for k, v in per_type.items()
        },
        "type": sum(r["got"] == r["expected"] for r in rows) / n,
        "sure_wrong": sum(v[2] for v in per_type.values()),
        "number": sum(r["number_ok"] for r in rows) / n,
        "date": sum(r["date_ok"] for r in rows) / n,
        "issuer": sum(r["issuer_ok"] for r in rows) / n,
        "number_invented": sum(r["number_invented"] for r in rows),
        "date_invented": sum(r["date_invented"] for r in rows),
        "multi_page": len(multi),
        "cut": sum(r["parts"] > 1 for r in multi),
    }


def run(quick: bool = False) -> dict[str, Any]:
    """Both readings of the corpus, each with its rows and summary."""
    corpus = corpus_dir()
    if corpus is None:
        return {"error": "vn-admin-real not found (../shared/corpora or SOHOA_CORPORA)"}
    items = index(corpus)[: 6 if quick else None]
    readings: dict[str, list[dict[str, Any]]] = {"sohoa": [], "poppler": []}
    for item in items:
        pages = read_pages(item.path)
        readings["sohoa"].append(_row(item, pages.texts, pages.words))
        born_digital = item.kind == "born_digital_signed" and pages.poppler
        texts = pages.poppler if born_digital else pages.texts
        readings["poppler"].append(_row(item, texts, None if born_digital else pages.words))
    result: dict[str, Any] = {
        name: {"rows": rows, "summary": _summary(rows)} for name, rows in readings.items()
    }
    result["generated_stacks"] = stacks.run(THRESHOLD, quick=quick)
    return result


def table(results: dict[str, Any]) -> list[str]:
    """Per file, then per type and the rates against their targets, for each reading."""
    lines: list[str] = []
    for name in ("sohoa", "poppler"):
        if name not in results:
            continue
        rows, summary = results[name]["rows"], results[name]["summary"]
        title = (
            "sohoa's reading"
            if name == "sohoa"
            else "born-digital files read as poppler draws them"
        )
        lines += [f"understanding, vn-admin-real, {title}:", _header()]
        lines += [_line(r) for r in rows]
        lines.append(
            "  per type: "
            + ", ".join(
                f"{k} {v['right']}/{v['n']} ({v['sure_wrong']} sure wrong)"
                for k, v in sorted(summary["per_type"].items())
            )
        )
        lines.append(
            f"  type {summary['type']:.0%} (target {TARGETS['type']:.0%}), confidently wrong "
            f"{summary['sure_wrong']} (target 0), number {summary['number']:.0%}, date "
            f"{summary['date']:.0%} (targets 90%), issuer {summary['issuer']:.0%} (target 85%), "
            f"multi-page files cut {summary['cut']}/{summary['multi_page']} (target 0)"
        )
        lines.append(
            f"  invented (given at confidence >= {defaults.FIELD_SURE_CONFIDENCE} and not the "
            f"printed one): number {summary['number_invented']}, date "
            f"{summary['date_invented']} (targets 0)"
        )
        lines.append("")
    if "generated_stacks" in results:
        lines += [*stacks.lines(results["generated_stacks"]), ""]
    return lines


def _header() -> str:
    return f"  {'file':12} {'expected':11} {'got':11} {'conf':>5}  {'number':16} {'date':12} issuer"


def _line(r: dict[str, Any]) -> str:
    mark = {True: "=", False: "x"}
    number_mark = "!" if r["number_invented"] else mark[r["number_ok"]]
    date_mark = "!" if r["date_invented"] else mark[r["date_ok"]]
    issuer = f"{r['parent']} / {r['issuer']}" if r["parent"] else r["issuer"]
    return (
        f"  {r['file']:12} {r['expected']:11} {r['got']:11} {r['confidence']:5.2f}  "
        f"{number_mark}{r['number'] or '-':15} {date_mark}{r['date'] or '-':11} "
        f"{mark[r['issuer_ok']]}{issuer or '-'}  [{r['parts']} part(s) of {r['pages']} p]"
    )


if __name__ == "__main__":
    print("\n".join(table(run())))
