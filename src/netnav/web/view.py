"""Presentation helpers for the templates. They return plain strings and tuples; the templates escape
everything (autoescape), so no helper ever builds HTML."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from netnav.types.answer import Citation, Sentence
from netnav.types.assessment import FINDING_KIND_TITLES, Assessment, Finding
from netnav.types.case import FieldValue
from netnav.types.documents import Document

FIELD_LABELS: dict[str, str] = {
    "primary_site": "Primary site",
    "histology": "Histology",
    "differentiation": "Differentiation",
    "grade": "Grade",
    "ki67_percent": "Ki-67 index",
    "mitoses_per_2mm2": "Mitoses per 2 mm²",
    "tumor_size_cm": "Tumour size",
    "necrosis": "Necrosis",
    "lymphovascular_invasion": "Lymphovascular invasion",
    "perineural_invasion": "Perineural invasion",
    "margin_status": "Margins",
    "nodes_positive": "Positive nodes",
    "nodes_examined": "Nodes examined",
    "pT": "pT",
    "pN": "pN",
    "pM": "pM",
    "stage": "Stage",
    "metastatic_sites": "Metastatic sites",
    "functional_syndrome": "Functional syndrome",
    "sstr_status": "Somatostatin receptor status",
    "tmb_mut_per_mb": "TMB (mut/Mb)",
    "msi_status": "MSI status",
    "mmr_status": "MMR status",
    "pdl1_cps": "PD-L1 CPS",
    "pdl1_tps_percent": "PD-L1 TPS",
    "dll3_status": "DLL3 status",
    "gene_alterations": "Gene alterations",
    "prior_therapies": "Prior therapies",
    "ecog": "ECOG performance status",
    "age": "Age",
    "sex": "Sex",
}
_SAFE_URL = re.compile(r"^https?://[^\s\"'<>]+$", re.IGNORECASE)


@dataclass(frozen=True)
class Link:
    label: str
    text: str
    url: str | None


def identifier_links(identifiers: dict[str, str]) -> list[Link]:
    """PMID, DOI and NCT ids as links to PubMed, doi.org and ClinicalTrials.gov; only http(s) URLs link."""
    out: list[Link] = []
    for key, value in identifiers.items():
        v = value.strip()
        if key == "pmid" and v.isdigit():
            out.append(Link("PMID", v, f"https://pubmed.ncbi.nlm.nih.gov/{v}/"))
        elif key == "doi" and v.startswith("10."):
            out.append(Link("DOI", v, "https://doi.org/" + quote(v, safe="/:;()._-")))
        elif key == "nct" and re.fullmatch(r"NCT\d{8}", v):
            out.append(Link("NCT", v, f"https://clinicaltrials.gov/study/{v}"))
        elif key == "url":
            out.append(Link("Web", v, v if _SAFE_URL.match(v) else None))
        else:
            out.append(Link(key.replace("_", " "), v, None))
    return out


def citation_details(c: Citation) -> str:
    return ", ".join(str(x) for x in (c.publisher, c.year, c.version and f"version {c.version}") if x)


def doc_details(doc: Document) -> str:
    return ", ".join(str(x) for x in (doc.publisher, doc.year, doc.version and f"version {doc.version}") if x)


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name, name.replace("_", " "))


def format_value(fv: FieldValue) -> str:
    value = fv.value
    if isinstance(value, bool):
        text = "present" if value else "absent"
    elif isinstance(value, list):
        text = ", ".join(value)
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    else:
        text = str(value)
    if fv.unit and not isinstance(value, bool | list):
        text += fv.unit if fv.unit == "%" else f" {fv.unit}"
    return text


def _needles(fv: FieldValue) -> list[str]:
    value = fv.value
    if isinstance(value, bool):
        return []
    items = value if isinstance(value, list) else [value]
    out: list[str] = []
    for item in items:
        if isinstance(item, float) and item.is_integer():
            out.append(str(int(item)))
        text = str(item)
        out.append(text)
        grade = re.fullmatch(r"G([1-4])", text)
        if grade:
            out.append(f"grade {grade.group(1)}")
        words = [w for w in re.split(r"\W+", text) if len(w) >= 4]
        out.extend(w[:5] for w in words)
    return [n for n in out if n]


def highlight(fv: FieldValue) -> tuple[str, str, str]:
    """(before, value span, after) of the source line; the span is empty when the value is not found."""
    line = fv.text
    for needle in _needles(fv):
        pattern = re.compile(
            r"(?<![\w.])" + re.escape(needle) + (r"(?![\d.])" if needle[-1].isdigit() else ""), re.IGNORECASE
        )
        match = pattern.search(line)
        if match:
            end = match.end()
            if not needle[-1].isdigit():
                while end < len(line) and (line[end].isalnum() or line[end] == "-"):
                    end += 1
            return line[: match.start()], line[match.start() : end], line[end:]
    return line, "", ""


@dataclass(frozen=True)
class Bullet:
    text: str
    citations: list[int]


def bullets(sentences: list[Sentence]) -> list[Bullet]:
    """Consecutive sentences citing the same passages read as one bullet, marked once at its end."""
    out: list[Bullet] = []
    for s in sentences:
        if out and out[-1].citations == s.citations:
            out[-1] = Bullet(out[-1].text + " " + s.text, s.citations)
        else:
            out.append(Bullet(s.text, list(s.citations)))
    return out


def finding_groups(assessment: Assessment) -> list[tuple[str, list[Finding]]]:
    """(section title, findings) for each finding kind present, in the order every view shows them."""
    groups = [
        (title, [f for f in assessment.findings if f.kind == kind])
        for kind, title in FINDING_KIND_TITLES.items()
    ]
    return [g for g in groups if g[1]]
