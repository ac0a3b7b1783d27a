"""Score report extraction on folders of cases: `python -m netnav.records.evalcases DIR... [--json]`.

A case is `NAME.expected.json` beside its input: `NAME.<txt|md|json>` or a folder `NAME/` holding several
reports that are read together (extract_case on the sorted files). The expected file holds
`{"fields": {...}}` (scored as in `scoring.py`) and optionally:
- `"must_not": {field: [values]}`: values that would be a negative reported as positive (a gene listed as
  altered, `true` for an invasion stated absent, "MSI-H" when MSI-high was not detected);
- `"history": {field: [values]}`: superseded values that must be kept in the field's `history`;
- `"specimen": {field: "tissue"|"blood"}`: the specimen a biomarker value must carry.
Cases with only `expected_behaviour` (ingest, trials, ask) are not extraction cases and are skipped.
The kind of a case is the name of its folder (`negation`, `scope`, `status`, `precedence`, `layout`,
`vocabulary`, ...).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from netnav.records.scoring import Score, score_profile, values_match
from netnav.types.case import CaseProfile

INPUT_SUFFIXES = (".txt", ".md", ".json")


@dataclass(frozen=True)
class EvalCase:
    name: str
    kind: str
    inputs: tuple[Path, ...]
    fields: dict[str, Any]
    must_not: dict[str, list[Any]] = field(default_factory=dict)
    history: dict[str, list[Any]] = field(default_factory=dict)
    specimen: dict[str, str] = field(default_factory=dict)


@dataclass
class CaseResult:
    case: EvalCase
    score: Score
    false_positives: list[str]  # negatives reported as positive
    missing_history: list[str]  # superseded values or specimens not kept


def _inputs(expected: Path) -> tuple[Path, ...]:
    stem = expected.name.removesuffix(".expected.json")
    folder = expected.with_name(stem)
    if folder.is_dir():
        return tuple(sorted(p for p in folder.iterdir() if p.suffix.lower() in INPUT_SUFFIXES))
    return tuple(
        expected.with_name(stem + s) for s in INPUT_SUFFIXES if expected.with_name(stem + s).exists()
    )


def load_cases(folder: Path) -> list[EvalCase]:
    """Extraction cases under `folder` (recursively); behaviour-only cases are left out."""
    cases = []
    for expected in sorted(folder.rglob("*.expected.json")):
        data = json.loads(expected.read_text(encoding="utf-8"))
        flat = not ({"fields", "expected_behaviour", "must_not"} & set(data))
        fields = data if flat else data.get("fields") or {}
        inputs = _inputs(expected)
        if not (fields or data.get("must_not")) or not inputs:
            continue
        cases.append(
            EvalCase(
                name=expected.name.removesuffix(".expected.json"),
                kind=expected.parent.name,
                inputs=inputs,
                fields=fields,
                must_not={} if flat else data.get("must_not") or {},
                history={} if flat else data.get("history") or {},
                specimen={} if flat else data.get("specimen") or {},
            )
        )
    return cases


def _hits(got: Any, bad: Any) -> bool:
    if isinstance(got, list):
        return any(values_match(g, bad) for g in got)
    return values_match(got, bad)


def run_case(case: EvalCase) -> CaseResult:
    from netnav.records import extract_case

    profile = extract_case(list(case.inputs))
    return judge(case, profile)


def judge(case: EvalCase, profile: CaseProfile) -> CaseResult:
    score = score_profile(profile, case.fields, case.name)
    fps = []
    for name, bads in case.must_not.items():
        got = profile.value(name)
        fps += [f"{case.name}: {name} reports {b!r} (stated negative)" for b in bads if _hits(got, b)]
    missing = []
    for name, olds in case.history.items():
        fv = profile.fields.get(name)
        kept = [h.value for h in fv.history] if fv else []
        missing += [f"{case.name}: {name} history lacks {o!r}" for o in olds if not _hits(kept, o)]
    for name, want in case.specimen.items():
        fv = profile.fields.get(name)
        if fv is None or fv.specimen != want:
            missing.append(f"{case.name}: {name} specimen {fv.specimen if fv else None!r}, want {want!r}")
    return CaseResult(case, score, fps, missing)


def summarise(results: Sequence[CaseResult]) -> dict[str, Any]:
    """Overall and per-kind precision/recall, negatives reported as positive, missing history."""
    kinds: dict[str, Score] = {}
    total = Score()
    for r in results:
        kinds.setdefault(r.case.kind, Score()).add(r.score)
        total.add(r.score)

    def row(s: Score) -> dict[str, Any]:
        return {
            "precision": round(s.precision, 4),
            "recall": round(s.recall, 4),
            "correct": s.correct,
            "predicted": s.predicted,
            "expected": s.expected,
        }

    return {
        "cases": len(results),
        "overall": row(total),
        "kinds": {k: row(s) for k, s in sorted(kinds.items())},
        "negatives_reported_positive": [fp for r in results for fp in r.false_positives],
        "missing_history_or_specimen": [m for r in results for m in r.missing_history],
        "errors": total.errors,
    }


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    as_json = "--json" in args
    folders = [Path(a) for a in args if a != "--json"]
    results = [run_case(c) for f in folders for c in load_cases(f)]
    summary = summarise(results)
    if as_json:
        print(json.dumps(summary, indent=2))
        return 0
    o = summary["overall"]
    print(
        f"{summary['cases']} cases: precision {o['precision']:.3f} recall {o['recall']:.3f} "
        f"({o['correct']} correct / {o['predicted']} predicted / {o['expected']} expected)"
    )
    for kind, k in summary["kinds"].items():
        print(
            f"  {kind:<14} precision {k['precision']:.3f} recall {k['recall']:.3f} "
            f"({k['correct']}/{k['predicted']}/{k['expected']})"
        )
    print(f"negatives reported as positive: {len(summary['negatives_reported_positive'])}")
    for line in (
        summary["negatives_reported_positive"] + summary["missing_history_or_specimen"] + summary["errors"]
    ):
        print("  - " + line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
