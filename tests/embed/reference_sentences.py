"""Fixed inputs for the reference-vector test (shared by the test and make_reference.py)."""

from __future__ import annotations

_LONG = (
    "Well-differentiated neuroendocrine tumours of the small intestine often grow slowly, "
    "and many patients live for years with stable disease under somatostatin analogue therapy. "
)

SENTENCES: list[str] = [
    "Neuroendocrine tumors of the pancreas",
    "What is tumor mutational burden?",
    "Ki-67 index 15%",
    "Tumeur neuroendocrine bien différenciée, grade 2 — Ki‑67 à 5 % (≥ 2 mitoses), 膵神経内分泌腫瘍",
    _LONG * 12,  # well over 256 tokens: exercises truncation
]
