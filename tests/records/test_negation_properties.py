"""Property test: known negative phrasings around any gene / biomarker never become a finding.

Genes are drawn from the extraction vocabulary (patterns.yaml), the phrasing from negative templates written
the ways laboratories write them; the report may carry unrelated lines around the negative one. Every gene
stated negative must be absent from `gene_alterations` and present under `negated` with its line.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netnav.records import extract_text
from netnav.records.patterns import load_patterns

GENES = sorted(load_patterns().genes)
TEMPLATES = (
    "Negative for: {a}, {b} and {c} fusions.",
    "{a}: not detected",
    "{a}   Wild type",
    "{a}, {b}, {c}: NOT DETECTED",
    "No pathogenic or likely pathogenic variants were identified in {a}, {b} or {c}.",
    "Pertinent negatives: {a}, {b}, {c}",
    "{a} and {b}: negative",
    "{a} not amplified; {b} wild-type",
    "No {a} mutation was found.",
    "Result for {a}: Not Detected",
    "{a} - no alteration detected",
    "No alterations detected in: {a}, {b}, {c}",
    "{a} (exons 2-11): no variant identified",
    "Genes without reportable alterations: {a}, {b}",
    "{a}/{b}/{c} rearrangements: none detected",
    "Not detected: {a}; {b}; {c}",
    "NEGATIVE RESULTS:\n{a}\n{b}\n{c}",
    "Pertinent negatives:\n{a} - not detected\n{b} - not detected",
)
FILLERS = (
    "MOLECULAR PROFILE - FINAL REPORT",
    "Specimen: FFPE block A2, liver core biopsy",
    "Method: targeted next-generation sequencing",
    "Diagnosis: metastatic well-differentiated neuroendocrine tumour of the pancreas",
    "Tumour content: 40%",
    "",
)
MSI_NEGATIVES = (
    "Microsatellite status: MSI-High Not Detected",
    "MSI-H: not detected",
    "Microsatellite instability: negative",
    "MSI-High   NOT DETECTED",
    "No microsatellite instability (MSI-H) detected",
)


@st.composite
def reports(draw: st.DrawFn) -> tuple[str, set[str]]:
    a, b, c = draw(st.lists(st.sampled_from(GENES), min_size=3, max_size=3, unique=True))
    template = draw(st.sampled_from(TEMPLATES))
    line = template.format(a=a, b=b, c=c)
    if draw(st.booleans()):
        line = line.upper() if draw(st.booleans()) else line.lower().replace(a.lower(), a)
    # whole words: MYC is not named by a line that only names MYCL
    named = {g for g in (a, b, c) if re.search(rf"(?<![A-Za-z0-9]){re.escape(g)}(?![A-Za-z0-9])", line)}
    before = draw(st.lists(st.sampled_from(FILLERS), max_size=3))
    after = draw(st.lists(st.sampled_from(FILLERS), max_size=2))
    return "\n".join([*before, line, *after]), named


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_negative_gene_phrasings_never_become_alterations(report: tuple[str, set[str]]) -> None:
    text, genes = report
    profile = extract_text(text, "negative.txt")
    altered = profile.value("gene_alterations") or []
    assert isinstance(altered, list)
    assert not genes & set(altered), text
    negated = {n.value for n in profile.negated if n.field == "gene_alterations"}
    assert genes <= negated, text


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(MSI_NEGATIVES), st.lists(st.sampled_from(FILLERS), max_size=3))
def test_negative_msi_phrasings_never_read_as_msi_high(line: str, fillers: list[str]) -> None:
    profile = extract_text("\n".join([*fillers, line]), "msi.txt")
    assert profile.value("msi_status") != "MSI-H", line
    assert any(n.field == "msi_status" for n in profile.negated), line
