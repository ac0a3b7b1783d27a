"""Run every extractor over one report's lines and return a per-file CaseProfile.

`run_extractors` is the one place the extractors run, for text reports and for FHIR lines alike.
"""

from __future__ import annotations

from netnav.records.collector import Collector
from netnav.records.dates import report_date
from netnav.records.extract_clinical import CLINICAL_EXTRACTORS
from netnav.records.extract_gastric import GASTRIC_EXTRACTORS
from netnav.records.extract_minen import extract_minen
from netnav.records.extract_molecular import MOLECULAR_EXTRACTORS, extract_genes
from netnav.records.extract_path import PATHOLOGY_EXTRACTORS
from netnav.records.extract_site import extract_sites
from netnav.records.fhir import fhir_lines, fhir_specimen
from netnav.records.gating import line_gates
from netnav.records.ids import case_id_for
from netnav.records.patterns import load_patterns
from netnav.records.reader import SourceText
from netnav.records.textdoc import TextDoc
from netnav.records.therapy_lines import extract_therapy_lines
from netnav.types.case import CaseProfile

LINE_EXTRACTORS = PATHOLOGY_EXTRACTORS + CLINICAL_EXTRACTORS + MOLECULAR_EXTRACTORS + GASTRIC_EXTRACTORS


def run_extractors(doc: TextDoc) -> None:
    """Sites first (they mark metastasis specimens other extractors consult), then every line, then genes and
    the components of a mixed (MiNEN) tumour. Each line extractor runs only on lines where one of its own
    patterns can match (records/gating.py)."""
    extract_sites(doc)
    gates = line_gates(LINE_EXTRACTORS, doc.pat)
    for line in doc.lines:
        if line.text.strip():
            gates.run(doc, line)
    extract_genes(doc)
    extract_minen(doc)


def _fhir_doc(src: SourceText, out: Collector) -> TextDoc | None:
    lines = fhir_lines(src, out)
    if not lines:
        out.warn(f"{src.name}: FHIR JSON without usable Observation/Condition/Medication/Procedure resources")
        return None
    out.specimen = fhir_specimen(src)
    return TextDoc(tuple(lines), load_patterns(), out, join_lines=False)


def profile_from_source(src: SourceText) -> CaseProfile:
    """One file -> CaseProfile. An empty or unrelated document gives an empty profile with a warning."""
    out = Collector(src.name, report_date(src.lines))
    if not any(t.strip() for t in src.lines):
        out.warn(f"{src.name}: the document is empty; nothing extracted")
    else:
        doc = _fhir_doc(src, out) if src.fhir is not None else TextDoc.build(src.lines, load_patterns(), out)
        if doc is not None:
            run_extractors(doc)
    fields = out.finish()
    if not fields and any(t.strip() for t in src.lines):
        out.warn(f"{src.name}: no report values found (not a pathology, molecular or clinic report?)")
    return CaseProfile(
        case_id=case_id_for([src]),
        fields=fields,
        negated=list(out.negated),
        warnings=list(out.warnings),
        sources=[src.name],
        therapy_lines=extract_therapy_lines(src),
    )
