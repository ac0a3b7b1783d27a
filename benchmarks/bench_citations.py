"""Citation quality over question sets: primary share, label citations that are labels, mirrors, duplicate
sources per answer, one kind per source. Not a timing benchmark.

    python benchmarks/bench_citations.py [QUESTIONS.jsonl ...] [--home DIR]

Defaults: the team dev set (../shared/eval/questions.dev.jsonl, when present) and the natural-question set
(tests/data/eval/questions.natural.jsonl). Prints one block per set and a JSON line per set.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DEV_QUESTIONS, machine  # noqa: E402

from netnav.engine import Engine  # noqa: E402
from netnav.eval.runner import load_eval_set  # noqa: E402
from netnav.knowledge.sources import PRIMARY_TYPES, is_mirror  # noqa: E402
from netnav.types.answer import Citation  # noqa: E402

NATURAL = ROOT / "tests" / "data" / "eval" / "questions.natural.jsonl"


def key(c: Citation) -> str:
    for k in ("setid", "doi", "pmid", "nct", "url", "guideline"):
        if c.identifiers.get(k):
            return f"{k}:{c.identifiers[k].strip().lower()}"
    return f"doc:{c.source_id}"


def measure(engine: Engine, path: Path) -> dict[str, object]:
    items = load_eval_set(path)
    total = primary = labels = label_docs = mirrors = dup_answers = answered = 0
    kinds_by_source: dict[str, set[str]] = defaultdict(set)
    non_primary: dict[str, int] = defaultdict(int)
    for item in items:
        answer = engine.ask(item.question, item.audience)
        if answer.abstained:
            continue
        answered += 1
        keys = [key(c) for c in answer.citations]
        dup_answers += len(keys) != len(set(keys))
        for c in answer.citations:
            total += 1
            kinds_by_source[key(c)].add(c.kind)
            if c.source_type in PRIMARY_TYPES:
                primary += 1
            else:
                non_primary[c.title[:70]] += 1
            if c.kind == "label":
                labels += 1
                label_docs += c.source_type in ("label", "fda_notice")
            mirrors += is_mirror(c.identifiers.get("url"))
    return {
        "set": path.name,
        "questions": len(items),
        "answered": answered,
        "citations": total,
        "primary_share": round(primary / total, 4) if total else None,
        "label_citations": labels,
        "label_citations_that_are_labels": round(label_docs / labels, 4) if labels else None,
        "mirror_urls": mirrors,
        "answers_with_duplicate_sources": dup_answers,
        "sources_with_more_than_one_kind": sum(len(k) > 1 for k in kinds_by_source.values()),
        "top_non_primary": sorted(non_primary.items(), key=lambda kv: -kv[1])[:8],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sets", nargs="*", type=Path)
    parser.add_argument("--home", type=Path, default=None)
    args = parser.parse_args()
    sets = args.sets or [p for p in (DEV_QUESTIONS, NATURAL) if p.is_file()]
    home = args.home or Path(tempfile.mkdtemp(prefix="netnav-cite-"))
    engine = Engine(home)
    engine.ensure_index()
    print(f"# citation quality ({machine()})")
    for path in sets:
        result = measure(engine, path)
        for k, v in result.items():
            print(f"{k}: {v}")
        print(json.dumps(result))
    engine.close()


if __name__ == "__main__":
    main()
