"""Report texts for the saved-case tests (written here, in several layouts and wordings)."""

from __future__ import annotations

FIRST = """SURGICAL PATHOLOGY REPORT
Date of report: 2024-03-01
Specimen: pancreas, distal pancreatectomy
Diagnosis: Well-differentiated neuroendocrine tumor, grade 2
Ki-67 proliferation index: 12%
Mitotic count: 3 per 2 mm2
Tumor size: 2.5 cm
"""
SECOND = """PATHOLOGY CONSULTATION
Report date: 2025-06-10
Specimen: liver, core biopsy
Metastatic well differentiated neuroendocrine tumour
Ki-67 index: 25%
Mitotic count: 8 per 2 mm2
"""
UNDATED = """Pathology addendum
Ki67 labelling index 18 %
"""
