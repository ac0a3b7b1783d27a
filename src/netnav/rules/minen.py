"""`minen_driver`: which component of a mixed neuroendocrine-non-neuroendocrine neoplasm (MiNEN) guides
treatment, derived from the case's component fields (records/extract_minen.py) and differentiation.

Reviews of MiNEN (Toor et al. 2022, PMID 35664032; Frizziero et al. 2020, PMID 31963850) advise treating the most
aggressive component whatever its share:

- "neuroendocrine carcinoma": the neuroendocrine component is a NEC (small or large cell), or is not named but
  the tumour is stated poorly differentiated;
- "non-neuroendocrine carcinoma": the neuroendocrine component is a well-differentiated NET and the other one is
  a carcinoma (adenocarcinoma, squamous, acinar, hepatocellular);
- "neuroendocrine tumour": a NET with a non-invasive component (adenoma).

Absent (unknown) when the case is not a MiNEN or its components do not decide it; never a guess.
"""

from __future__ import annotations

from netnav.types.case import CaseProfile, FieldValue

MINEN_WORDS = ("minen", "mixed", "manec")
NEC_COMPONENTS = ("neuroendocrine carcinoma",)  # also matches small / large cell NEC
NET_COMPONENT = "well-differentiated neuroendocrine tumor"
NON_INVASIVE = ("adenoma",)


def is_minen(case: CaseProfile) -> bool:
    histology = str(case.value("histology") or "").lower()
    both = case.value("minen_ne_component") is not None and case.value("minen_non_ne_component") is not None
    return both or any(w in histology for w in MINEN_WORDS)


def _driver(value: str, source: FieldValue) -> FieldValue:
    return source.model_copy(
        update={"value": value, "unit": None, "note": None, "inferred": True, "history": []}
    )


def minen_driver(case: CaseProfile) -> FieldValue | None:
    """The component that guides treatment (see the module docstring), with the source line that decides it."""
    if not is_minen(case):
        return None
    ne = case.fields.get("minen_ne_component")
    other = case.fields.get("minen_non_ne_component")
    diff = case.fields.get("differentiation")
    ne_kind = str(ne.value).lower() if ne is not None else None
    if ne is not None and ne_kind is not None and any(k in ne_kind for k in NEC_COMPONENTS):
        return _driver("neuroendocrine carcinoma", ne)
    if ne is None and diff is not None and str(diff.value).lower().startswith("poor"):
        return _driver("neuroendocrine carcinoma", diff)
    well = ne_kind == NET_COMPONENT or (ne is None and diff is not None and str(diff.value).lower() == "well")
    if not well or other is None:
        return None
    if str(other.value).lower() in NON_INVASIVE:
        return _driver("neuroendocrine tumour", other)
    return _driver("non-neuroendocrine carcinoma", other)
