"""Bring the external relevance data into the benchmark cache (never into the repository).

    .venv/bin/python benchmarks/fetch_relevance_data.py                 # download from GitHub
    .venv/bin/python benchmarks/fetch_relevance_data.py --from-git DIR  # or copy from local clones

Files, pinned to the commits named in ../shared/data/pubmed_qa/PROVENANCE.md:
- BioASQ Task 12b golden batches 1-4 (340 questions with gold PubMed articles and snippets) from
  ``MattMorgis/bioasq-rag`` (BioASQ data terms: free for research, cite BioASQ);
- PubMedQA PQA-L (1,000 expert-labelled questions with their abstracts) and its official test split
  from ``pubmedqa/pubmedqa`` (MIT).

They land in ``$NETNAV_BENCH_CACHE/relevance`` (default /tmp/netnav-bench/relevance). With
``--from-git DIR``, DIR holds clones named ``bioasq-rag`` and ``pubmedqa``; files are read with
``git show COMMIT:PATH``. The benchmark reads only the cache; tests never download anything.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import CACHE_DIR  # noqa: E402

BIOASQ = ("MattMorgis/bioasq-rag", "b62e49bd6512b2c9084bae341bdf14e1654dc200")
PUBMEDQA = ("pubmedqa/pubmedqa", "1cbae8e92f72f20c8d3747cbb3bf5bc53554d997")
FILES: tuple[tuple[tuple[str, str], str, str], ...] = (
    *((BIOASQ, f"data/BioASQ-12b/goldset/12B{i}_golden.json", f"12B{i}_golden.json") for i in range(1, 5)),
    (PUBMEDQA, "data/ori_pqal.json", "ori_pqal.json"),
    (PUBMEDQA, "data/test_ground_truth.json", "test_ground_truth.json"),
)


def relevance_dir() -> Path:
    return CACHE_DIR / "relevance"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--from-git", type=Path, help="folder with clones named bioasq-rag and pubmedqa")
    args = ap.parse_args()
    out = relevance_dir()
    out.mkdir(parents=True, exist_ok=True)
    for (repo, commit), path, name in FILES:
        target = out / name
        if target.is_file() and target.stat().st_size > 0:
            print(f"have {target}")
            continue
        if args.from_git:
            clone = args.from_git / repo.split("/")[1]
            data = subprocess.run(
                ["git", "-C", str(clone), "show", f"{commit}:{path}"], check=True, capture_output=True
            ).stdout
        else:
            url = f"https://raw.githubusercontent.com/{repo}/{commit}/{path}"
            with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - fixed https URL
                data = response.read()
        tmp = target.with_suffix(".part")
        tmp.write_bytes(data)
        tmp.replace(target)
        print(f"wrote {target} ({len(data):,} bytes) from {repo}@{commit[:7]}:{path}")


if __name__ == "__main__":
    main()
