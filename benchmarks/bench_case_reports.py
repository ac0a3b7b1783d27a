"""Reports in the formats people have: OCR accuracy and time on scanned test reports, and the time a large
(5 MB) report takes from upload to a saved case, with the time to its first progress signal.

    .venv/bin/python benchmarks/bench_case_reports.py [--large-only]

OCR: three pathology reports written for this benchmark (different layouts and wordings) are rendered to
images (DejaVu Sans, slightly rotated, Gaussian noise, speckles, JPEG at quality 60: a phone photo or a
poor scan), at three noise levels, as a JPEG photo and as an image-only PDF. Each is read through the
saved-case path (Tesseract OCR, then the normal extractors); a field counts as right when its value
equals the truth. The baseline in the same run is the same report as plain text (what extraction gets
without OCR), so OCR's cost in accuracy and time is the difference.

Large report: three ~5 MB inputs are read into a new saved case: a text report (a real report's lines followed
by repeated lab-result pages), a text record in which a whole pathology report repeats page after page (every
line names tumour values, the worst case for the keyword prefilter), and a ~5 MB text-layer PDF. Each is read
with the keyword prefilter (records/prefilter.py, the default) and, as the baseline in the same run, without it
(every extractor on every line, as before the prefilter). `first progress` is the time to the first progress
callback. Numbers depend on the machine and its load; this is a measurement, not a test.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine, print_table  # noqa: E402

REPORTS: dict[str, tuple[str, dict[str, object]]] = {
    "pancreas": (
        """SURGICAL PATHOLOGY REPORT
Date of report: 2024-03-01
Specimen: pancreas, distal pancreatectomy
Diagnosis: Well-differentiated neuroendocrine tumor, grade 2
Ki-67 proliferation index: 12%
Mitotic count: 3 per 2 mm2
Tumor size: 2.5 cm
Lymph nodes: 1 of 14 positive
""",
        {
            "primary_site": "pancreas",
            "grade": "G2",
            "ki67_percent": 12,
            "mitoses_per_2mm2": 3,
            "tumor_size_cm": 2.5,
            "nodes_positive": 1,
            "nodes_examined": 14,
        },
    ),
    "ileum": (
        """Department of Pathology - Final Report
Collected: 05/14/2025
Site: terminal ileum, segmental resection
Well differentiated neuroendocrine tumour (NET), WHO grade 1
Ki67 labelling index: 2 %
Mitoses: less than 2 per 2 mm2
Greatest dimension 1.8 cm
Lymphovascular invasion: present
""",
        {"primary_site": "small intestine", "grade": "G1", "ki67_percent": 2, "tumor_size_cm": 1.8},
    ),
    "liver": (
        """PATHOLOGY CONSULTATION
Report date: 2025-06-10
Specimen: liver, core biopsy
Metastatic well differentiated neuroendocrine tumour, consistent with pancreatic primary
Ki-67 index: 25%
Mitotic count: 8 per 2 mm2
""",
        {"ki67_percent": 25, "mitoses_per_2mm2": 8},
    ),
}
NOISE_LEVELS = (10.0, 25.0, 40.0)


def _score(fields: dict[str, object], truth: dict[str, object]) -> int:
    right = 0
    for name, expected in truth.items():
        fv = fields.get(name)
        value = getattr(fv, "value", None)
        if (
            isinstance(expected, float | int)
            and isinstance(value, int | float)
            and not isinstance(value, bool)
        ):
            right += abs(float(value) - float(expected)) < 1e-6
        else:
            right += value == expected
    return right


def bench_ocr(tmp: Path) -> list[list[str]]:
    from netnav.casebook.reading import read_report
    from tests.casebook.scans import scan_bytes

    rows = []
    for name, (text, truth) in REPORTS.items():
        plain = tmp / f"{name}.txt"
        plain.write_text(text, encoding="utf-8")
        start = time.perf_counter()
        base = read_report(plain)
        rows.append(
            [
                name,
                "text (baseline)",
                "-",
                f"{_score(base.profile.fields, truth)}/{len(truth)}",
                "-",
                f"{time.perf_counter() - start:.2f}",
            ]
        )
        for noise in NOISE_LEVELS:
            for suffix, fmt in ((".jpg", "JPEG"), (".pdf", "PDF")):
                path = tmp / f"{name}-{int(noise)}{suffix}"
                path.write_bytes(scan_bytes(text, fmt=fmt, noise=noise))
                start = time.perf_counter()
                report = read_report(path)
                seconds = time.perf_counter() - start
                flagged = str(report.meta.get("low_confidence_lines") or "")
                rows.append(
                    [
                        name,
                        f"scan {fmt.lower()}",
                        f"{noise:g}",
                        f"{_score(report.profile.fields, truth)}/{len(truth)}",
                        f"{report.meta.get('ocr_confidence')} ({len(flagged.split(',')) if flagged else 0} low)",
                        f"{seconds:.2f}",
                    ]
                )
    return rows


def _big_text(target: int) -> str:
    head, _ = REPORTS["pancreas"]
    page = "".join(
        f"Lab panel line {i}: sodium 140 mmol/L, potassium 4.1 mmol/L, creatinine 80 umol/L\n"
        for i in range(60)
    )
    out = [head]
    while sum(len(x) for x in out) < target:
        out.append(page)
    return "".join(out)


def _repeated_report(target: int) -> str:
    """A record in which a full pathology report (with its molecular part) repeats, page after page."""
    head, _ = REPORTS["pancreas"]
    page = head + (
        "Lymphovascular invasion: present. Perineural invasion: not identified.\n"
        "Margins: negative (closest 4 mm). pT2 pN1 (1/14) M0, stage IIB (AJCC 8th).\n"
        "Immunohistochemistry: synaptophysin and chromogranin positive; MLH1, PMS2, MSH2, MSH6 retained.\n"
        "Molecular: MEN1 c.1546dupC (p.R516fs) pathogenic variant detected; DAXX, ATRX not detected. TMB 2 mut/Mb,"
        " MSS.\n"
        "Clinical history: 64-year-old woman, ECOG 1, on lanreotide since 2023-05; Ga-68 DOTATATE avid liver lesion.\n"
        "Page footer - Department of Pathology - confidential\n\n"
    )
    return page * max(1, target // len(page))


@contextmanager
def prefilter_off() -> Iterator[None]:
    """The baseline: every gate passes, so every extractor runs on every line (as before the prefilter)."""
    from netnav.records.prefilter import GateSet

    with mock.patch.object(GateSet, "masks", lambda self, text, split=None, folded=None: (-1, -1)):
        yield


def _big_pdf(path: Path, target: int) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    head, _ = REPORTS["pancreas"]
    pdf = canvas.Canvas(str(path), pagesize=A4, pageCompression=0)
    lines = head.splitlines()
    n = 0
    while True:
        y = 800
        page = (
            lines
            if n == 0
            else [f"Lab panel {n}.{i}: sodium 140 mmol/L, potassium 4.1 mmol/L" for i in range(60)]
        )
        for line in page:
            pdf.drawString(40, y, line)
            y -= 12
        pdf.showPage()
        n += 1
        if n * 5200 > target:
            break
    pdf.save()


def bench_large(tmp: Path) -> list[list[str]]:
    from netnav.casebook import open_casebook

    rows = []
    text_path = tmp / "large-report.txt"
    text_path.write_text(_big_text(5 * 1024 * 1024), encoding="utf-8")
    repeated_path = tmp / "large-repeated-report.txt"
    repeated_path.write_text(_repeated_report(5 * 1024 * 1024), encoding="utf-8")
    pdf_path = tmp / "large-report.pdf"
    _big_pdf(pdf_path, 5 * 1024 * 1024)
    profiles = {}
    for path in (text_path, repeated_path, pdf_path):
        for mode in ("prefilter", "baseline (no prefilter)"):
            book = open_casebook(tmp / f"home-{path.name}-{mode[:4]}")
            first: list[float] = []
            start = time.perf_counter()

            def progress(
                _label: str, _fraction: float, first: list[float] = first, start: float = start
            ) -> None:
                if not first:
                    first.append(time.perf_counter() - start)

            with prefilter_off() if mode != "prefilter" else nullcontext():
                summary = book.create_from_files("Large", [path], progress)
            total = time.perf_counter() - start
            profile = book.profile(summary.id)
            profiles.setdefault(path.name, []).append(profile.fields)
            size = path.stat().st_size / 2**20
            rows.append(
                [
                    path.name,
                    mode,
                    f"{size:.1f}",
                    f"{first[0]:.2f}" if first else "none",
                    f"{total:.2f}",
                    str(len(profile.fields)),
                ]
            )
    for name, (gated, full) in profiles.items():
        same = {k: v.value for k, v in gated.items()} == {k: v.value for k, v in full.items()}
        print(f"{name}: same values with and without the prefilter: {same}")
    return rows


def bench_job(tmp: Path) -> list[list[str]]:
    """The web's path: the same large reports read by a background job (netnav.jobs), polled like the page."""
    from netnav.casebook.tasks import add_reports_task
    from netnav.jobs import JobRunner

    rows = []
    runner = JobRunner(workers=1)
    try:
        for source in (tmp / "large-report.txt", tmp / "large-report.pdf"):
            folder = tmp / f"job-{source.suffix[1:]}"
            folder.mkdir()
            path = folder / source.name
            shutil.copy(source, path)
            payload = {
                "home": str(tmp / f"jobhome-{source.suffix[1:]}"),
                "owner": "local",
                "case_id": None,
                "name": "Large",
                "paths": [str(path)],
                "names": {},
            }
            start = time.perf_counter()
            info = runner.submit("case-reports", add_reports_task, payload)
            first = None
            while not info.finished:
                if first is None and info.state == "running" and info.progress.stage not in ("", "queued"):
                    first = time.perf_counter() - start
                time.sleep(0.05)
                info = runner.get(info.id)
            total = time.perf_counter() - start
            shown = f"{first:.2f}" if first is not None else "none"
            rows.append([source.suffix, shown, f"{total:.2f}", info.state, info.error or ""])
    finally:
        runner.close()
    return rows


def main() -> None:
    large_only = "--large-only" in sys.argv[1:]
    if not large_only and shutil.which("tesseract") is None:
        raise SystemExit("tesseract is not installed: run `make ocr-deps` (or apt-get install tesseract-ocr)")
    print(machine())
    with tempfile.TemporaryDirectory(prefix="netnav-bench-reports-") as tmp:
        from netnav.casebook.reading import read_report
        from netnav.records import extract_text

        extract_text("warm up", "w.txt")  # load the extractors once, outside the timings
        _ = read_report
        if not large_only:
            print_table(
                "OCR on scanned test reports (baseline: the same report as text)",
                ["report", "input", "noise", "fields right", "OCR confidence", "seconds"],
                bench_ocr(Path(tmp)),
            )
        print_table(
            "A ~5 MB report into a new saved case (baseline: the same without the keyword prefilter)",
            ["file", "reading", "MB", "first progress s", "total s", "fields"],
            bench_large(Path(tmp)),
        )
        print_table(
            "The same ~5 MB reports as a background job (what the web page shows)",
            ["file", "first progress s", "done s", "state", "error"],
            bench_job(Path(tmp)),
        )
    print(machine())


if __name__ == "__main__":
    main()
