"""Filling statement templates from a case, and readable names for case fields."""

from __future__ import annotations

import string
from collections.abc import Mapping

from netnav.rules.history import history_fields
from netnav.rules.values import display_field
from netnav.types.case import CaseProfile

FIELD_LABELS: dict[str, str] = {
    "primary_site": "the primary site",
    "histology": "the histology",
    "differentiation": "the differentiation",
    "grade": "the stated grade",
    "ki67_percent": "the Ki-67 index",
    "mitoses_per_2mm2": "the mitotic count",
    "tumor_size_cm": "the tumour size",
    "necrosis": "necrosis",
    "lymphovascular_invasion": "lymphovascular invasion",
    "perineural_invasion": "perineural invasion",
    "margin_status": "the margins",
    "nodes_positive": "the lymph node result",
    "nodes_examined": "the number of nodes examined",
    "pT": "pT",
    "pN": "pN",
    "pM": "pM",
    "stage": "the stage",
    "metastatic_sites": "where it has spread (if anywhere)",
    "functional_syndrome": "whether it makes hormones (functioning)",
    "sstr_status": "the somatostatin-receptor (SSTR) scan result",
    "tmb_mut_per_mb": "the tumour mutational burden (TMB)",
    "msi_status": "the MSI result",
    "mmr_status": "the mismatch-repair (MMR) result",
    "pdl1_cps": "PD-L1 CPS",
    "pdl1_tps_percent": "PD-L1 TPS",
    "dll3_status": "DLL3",
    "gene_alterations": "the genetic test results",
    "prior_therapies": "the treatments already given",
    "received_therapies": "the treatments already given",
    "progressed_on": "the treatments the disease grew on",
    "declined_therapies": "treatments offered but declined",
    "planned_therapies": "treatments planned",
    "tmb_specimen": "what the TMB was measured on (tissue or blood)",
    "msi_specimen": "what the MSI was measured on (tissue or blood)",
    "ecog": "the performance status (ECOG)",
    "age": "age",
    "sex": "sex",
    "atrophic_gastritis": "whether the stomach lining shows atrophic (autoimmune) gastritis",
    "ecl_hyperplasia": "whether ECL-cell hyperplasia is seen",
    "gastrin": "the blood gastrin level",
    "gastrin_elevated": "whether the blood gastrin is raised",
    "minen_ne_component": "which kind of neuroendocrine component the mixed tumour has (NET or NEC)",
    "minen_ne_percent": "the share of the tumour that is neuroendocrine",
    "minen_non_ne_component": "which kind of non-neuroendocrine component the mixed tumour has",
    "minen_non_ne_percent": "the share of the tumour that is non-neuroendocrine",
    "minen_driver": "which part of the mixed tumour is the more aggressive (the kind and grade of each part)",
    "zollinger_ellison": "whether there is Zollinger-Ellison syndrome (a gastrinoma)",
}


UNITS: dict[str, str] = {
    "ki67_percent": "%",
    "mitoses_per_2mm2": " per 2 mm²",
    "tumor_size_cm": " cm",
    "tmb_mut_per_mb": " mut/Mb",
    "pdl1_tps_percent": "%",
    "minen_ne_percent": "%",
    "minen_non_ne_percent": "%",
}


def label(name: str) -> str:
    return FIELD_LABELS.get(name, name)


def join_words(items: list[str], last: str = "and") -> str:
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def with_unit(name: str, text: str) -> str:
    unit = UNITS.get(name, "")
    return text if not unit or text.endswith(unit.strip()) else text + unit


class _Values(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "not reported"


def render(template: str, case: CaseProfile, extras: Mapping[str, str]) -> str:
    """Fill {field} placeholders with the case's values (as written) and {label}/{possible}/{missing}."""
    fields = {**history_fields(case), **case.fields}
    values = _Values({name: with_unit(name, display_field(fv)) for name, fv in fields.items()})
    values.update(extras)
    text = string.Formatter().vformat(template, (), values)
    return " ".join(text.split())
