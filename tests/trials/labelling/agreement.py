"""Agreement between the trial matcher and hand labels of trial criteria.

    python tests/trials/labelling/agreement.py LABELS [--json] [--show-disagreements N]
    python tests/trials/labelling/agreement.py LABELS --half A|B   # one half of the labelled trials
    python tests/trials/labelling/agreement.py --template OUT.jsonl   # rows to label (no labels)

Halves: the labelled NCT ids sorted; A holds the 1st, 3rd, 5th ... and B the 2nd, 4th ... . Patterns are
developed looking only at half A's disagreements; half B is the untouched check against fitting to the labels.

LABELS is JSONL, a JSON list or CSV; one row per labelled criterion with (names are matched loosely):
- `case_id` (a file stem in cases/), `kind` (inclusion | exclusion; looked up from the trial when absent),
  `text` (the criterion as written), optional `nct_id`;
- `label`: met | not_met | not_applicable | insufficient_info (for an exclusion, `met` = the exclusion
  applies), and optional `understood` (true/false: whether the labeller could decide it from the case;
  default: label != insufficient_info).

Each criterion is labelled by the matcher with `label_criterion` (the function `netnav trials` uses for
registry text) on the case. Reported: agreement on the criteria the labeller marks as understood, the share
the matcher labels insufficient_info (all rows, and the understood rows), and a confusion table.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
sys.path.insert(0, str(REPO / "src"))

from netnav.errors import NetNavError  # noqa: E402
from netnav.records import load_case_json  # noqa: E402
from netnav.trials.criteria import label_criterion  # noqa: E402
from netnav.trials.ctgov import parse_ctgov_bytes  # noqa: E402
from netnav.trials.eligibility import split_eligibility  # noqa: E402
from netnav.types.case import CaseProfile  # noqa: E402

HINT = REPO.parent / "shared" / "data" / "clinical_trials" / "hint_trials_net_sclc.jsonl"
RECORDED = REPO / "tests" / "trials" / "fixtures" / "ctgov_v2"
LABELS = ("met", "not_met", "not_applicable", "insufficient_info")
_ALIASES = {
    "case_id": ("case_id", "case", "patient", "case_file"),
    "nct_id": ("nct_id", "nctid", "trial", "nct"),
    "kind": ("kind", "type", "section"),
    "text": ("text", "criterion", "criterion_text"),
    "label": ("label", "human_label", "gold", "expected"),
    "understood": ("understood", "decidable", "is_understood"),
}


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def trial_criteria() -> dict[str, list[tuple[str, str]]]:
    """nct_id → [(kind, text)] for the HINT trials (if present) and the recorded v2 records."""
    out: dict[str, list[tuple[str, str]]] = {}
    if HINT.is_file():
        for line in HINT.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            inc, exc = split_eligibility(record["criteria"])
            out[record["nctid"]] = [("inclusion", t) for t in inc] + [("exclusion", t) for t in exc]
    for path in sorted(RECORDED.glob("*.json")):
        studies = json.loads(path.read_text(encoding="utf-8")).get("studies", [])
        for study in studies:
            try:
                [trial] = parse_ctgov_bytes(json.dumps(study).encode(), path.name)
            except NetNavError:
                continue  # the deliberately malformed record
            out[trial.nct_id] = [("inclusion", t) for t in trial.inclusion] + [
                ("exclusion", t) for t in trial.exclusion
            ]
    return out


def cases() -> dict[str, CaseProfile]:
    return {p.stem: load_case_json(p) for p in sorted((HERE / "cases").glob("*.json"))}


def _pick(row: dict[str, Any], key: str) -> Any:
    lowered = {str(k).strip().lower(): v for k, v in row.items()}
    for name in _ALIASES[key]:
        if name in lowered and lowered[name] not in (None, ""):
            return lowered[name]
    return None


def _truthy(value: Any) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes", "y", "understood")


def read_rows(path: Path) -> list[dict[str, Any]]:
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".csv":
        return list(csv.DictReader(text.splitlines()))
    stripped = text.lstrip()
    if stripped.startswith("["):
        rows: list[dict[str, Any]] = json.loads(stripped)
        return rows
    if stripped.startswith("{") and "\n{" not in stripped.strip():
        data = json.loads(stripped)
        for key in ("labels", "rows", "criteria"):
            if isinstance(data.get(key), list):
                return list(data[key])
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def half(rows: list[dict[str, Any]], which: str) -> list[dict[str, Any]]:
    """The rows of half A or B (see the module docstring); rows without an NCT id belong to neither."""
    ids = sorted({str(_pick(r, "nct_id")) for r in rows if _pick(r, "nct_id")})
    keep = {nct for i, nct in enumerate(ids) if (i % 2 == 0) == (which.upper() == "A")}
    return [r for r in rows if str(_pick(r, "nct_id")) in keep]


def _kind(row: dict[str, Any], trials: dict[str, list[tuple[str, str]]]) -> str | None:
    kind = _pick(row, "kind")
    if kind:
        return "exclusion" if str(kind).lower().startswith("ex") else "inclusion"
    text = _norm(str(_pick(row, "text") or ""))
    nct = _pick(row, "nct_id")
    pools = [trials.get(str(nct), [])] if nct else list(trials.values())
    for pool in pools:
        for k, t in pool:
            if _norm(t) == text:
                return k
    return None


def measure(rows: list[dict[str, Any]]) -> dict[str, Any]:
    profiles, trials = cases(), trial_criteria()
    confusion: Counter[tuple[str, str]] = Counter()
    skipped: list[str] = []
    compared: list[dict[str, Any]] = []
    for n, row in enumerate(rows, 1):
        case_id, text, human = _pick(row, "case_id"), _pick(row, "text"), _pick(row, "label")
        human = str(human or "").strip().lower().replace(" ", "_").replace("-", "_")
        kind = _kind(row, trials)
        profile = profiles.get(str(case_id or "").removesuffix(".json"))
        if profile is None or not text or human not in LABELS or kind is None:
            skipped.append(f"row {n}: case {case_id!r}, kind {kind!r}, label {human!r}")
            continue
        got = label_criterion(str(text), "exclusion" if kind == "exclusion" else "inclusion", profile)
        understood_raw = _pick(row, "understood")
        understood = human != "insufficient_info" if understood_raw is None else _truthy(understood_raw)
        confusion[(human, got.label)] += 1
        compared.append(
            {
                "case_id": case_id,
                "nct_id": _pick(row, "nct_id"),
                "kind": kind,
                "text": text,
                "human": human,
                "matcher": got.label,
                "reason": got.reason,
                "understood": understood,
            }
        )
    return _summary(compared, confusion, skipped)


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _summary(
    compared: list[dict[str, Any]], confusion: Counter[tuple[str, str]], skipped: list[str]
) -> dict[str, Any]:
    understood = [r for r in compared if r["understood"]]
    agree = [r for r in understood if r["human"] == r["matcher"]]
    matcher_ii = [r for r in compared if r["matcher"] == "insufficient_info"]
    return {
        "labelled": len(compared),
        "skipped_rows": len(skipped),
        "skipped_examples": skipped[:10],
        "understood_by_labeller": len(understood),
        "agreement_on_understood": _share(len(agree), len(understood)),
        "agreement_all": _share(sum(1 for r in compared if r["human"] == r["matcher"]), len(compared)),
        "matcher_insufficient_info_share": _share(len(matcher_ii), len(compared)),
        "matcher_insufficient_info_share_on_understood": _share(
            sum(1 for r in understood if r["matcher"] == "insufficient_info"), len(understood)
        ),
        "labeller_insufficient_info_share": _share(
            sum(1 for r in compared if r["human"] == "insufficient_info"), len(compared)
        ),
        "decided_agreement_on_understood": _share(
            len(agree) - sum(1 for r in agree if r["matcher"] == "insufficient_info"),
            sum(1 for r in understood if r["matcher"] != "insufficient_info"),
        ),
        "confusion_human_to_matcher": {f"{h} -> {m}": c for (h, m), c in sorted(confusion.items())},
        "disagreements": [r for r in understood if r["human"] != r["matcher"]],
    }


def template(out: Path) -> int:
    """Write every (case, trial, criterion) row, unlabelled, for a labeller."""
    rows = [
        {"case_id": cid, "nct_id": nct, "kind": kind, "text": text, "label": "", "understood": ""}
        for cid in cases()
        for nct, items in trial_criteria().items()
        for kind, text in items
    ]
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return len(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("labels", nargs="?", type=Path)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--show-disagreements", type=int, default=15)
    parser.add_argument("--template", type=Path)
    parser.add_argument("--half", choices=("A", "B", "a", "b"))
    args = parser.parse_args(argv)
    if args.template:
        print(f"wrote {template(args.template)} rows to {args.template}")
        return 0
    if args.labels is None:
        parser.error("give a labels file (or --template OUT)")
    rows = read_rows(args.labels)
    result = measure(half(rows, args.half) if args.half else rows)
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return 0
    for key, value in result.items():
        if key not in ("disagreements", "confusion_human_to_matcher", "skipped_examples"):
            print(f"{key}: {value}")
    print("confusion (human -> matcher):")
    for key, value in result["confusion_human_to_matcher"].items():
        print(f"  {key}: {value}")
    for r in result["disagreements"][: args.show_disagreements]:
        print(
            f"- [{r['case_id']} {r['nct_id']} {r['kind']}] human {r['human']} / matcher {r['matcher']}: "
            f"{r['text'][:120]}"
        )
        print(f"    matcher reason: {r['reason'][:160]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
