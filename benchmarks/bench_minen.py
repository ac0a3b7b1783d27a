"""What the MiNEN component pass (records/extract_minen.py) costs on a large report.

    .venv/bin/python benchmarks/bench_minen.py

Two ~5 MB text reports are read with `profile_from_source`: one where a mixed-tumour (MiNEN) pathology block with
component percentages repeats page after page (every block triggers the pass: the worst case), and the same text
with the mixed-tumour words removed (the usual case: the pass only does its substring prefilter). Each is read
with the pass and, as the baseline in the same run, with the pass replaced by a no-op. CPU seconds
(process time); numbers depend on the machine and its load: a measurement, not a test.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine  # noqa: E402

BLOCK = (
    "COLON, RIGHT HEMICOLECTOMY:\nMixed neuroendocrine-non-neuroendocrine neoplasm (MiNEN).\n"
    "Components: adenocarcinoma, moderately differentiated (55%); poorly differentiated neuroendocrine "
    "carcinoma, large cell type (45%).\nKi-67 in the neuroendocrine component: 70%.\n"
    "Lymph nodes: 3/18 positive (adenocarcinoma component).\n"
) + "Margins clear. Comment: see the synoptic report below.\n" * 20
SIZE = 5_000_000


def _cpu(path: Path, with_pass: bool) -> float:
    import netnav.records.pipeline as pipeline
    from netnav.records.reader import read_source

    src = read_source(path)
    original = pipeline.extract_minen
    if not with_pass:
        pipeline.extract_minen = lambda doc: None
    try:
        start = time.process_time()
        pipeline.profile_from_source(src)
        return time.process_time() - start
    finally:
        pipeline.extract_minen = original


def main() -> None:
    print(machine())
    mixed = (BLOCK * (SIZE // len(BLOCK) + 1))[:SIZE]
    plain = mixed.replace("Mixed neuroendocrine-non-neuroendocrine neoplasm (MiNEN)", "Carcinoma")
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in (
            ("mixed-tumour report (worst case)", mixed),
            ("same report, no mixed tumour", plain),
        ):
            path = Path(tmp) / "report.txt"
            path.write_text(text, encoding="utf-8")
            with_pass, without = _cpu(path, True), _cpu(path, False)
            print(
                f"{name}: 5 MB, CPU {with_pass:.1f} s with the MiNEN pass, {without:.1f} s without "
                f"({with_pass - without:+.1f} s)"
            )


if __name__ == "__main__":
    main()
