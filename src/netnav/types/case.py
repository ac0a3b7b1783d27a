"""CaseProfile: a patient's reports read into fields, each linked to its source line."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from netnav.types.base import Frozen
from netnav.types.therapy import TherapyLine

FieldScalar = str | int | float | bool
FieldData = FieldScalar | list[str]

CANONICAL_FIELDS: tuple[str, ...] = (
    "primary_site",
    "histology",
    "differentiation",
    "grade",
    "ki67_percent",
    "mitoses_per_2mm2",
    "tumor_size_cm",
    "necrosis",
    "lymphovascular_invasion",
    "perineural_invasion",
    "margin_status",
    "nodes_positive",
    "nodes_examined",
    "pT",
    "pN",
    "pM",
    "stage",
    "metastatic_sites",
    "functional_syndrome",
    "sstr_status",
    "tmb_mut_per_mb",
    "msi_status",
    "mmr_status",
    "pdl1_cps",
    "pdl1_tps_percent",
    "dll3_status",
    "gene_alterations",
    "prior_therapies",
    "ecog",
    "age",
    "sex",
    "atrophic_gastritis",
    "ecl_hyperplasia",
    "gastrin",
    "gastrin_elevated",
    "zollinger_ellison",
    "minen_ne_component",
    "minen_ne_percent",
    "minen_non_ne_component",
    "minen_non_ne_percent",
)


Specimen = Literal["tissue", "blood"]
BIOMARKER_FIELDS: frozenset[str] = frozenset(
    {
        "tmb_mut_per_mb",
        "msi_status",
        "mmr_status",
        "pdl1_cps",
        "pdl1_tps_percent",
        "dll3_status",
        "gene_alterations",
    }
)


class HistoryEntry(Frozen):
    """A value that an addendum, an amended or later report, or a better source superseded."""

    value: FieldData
    source: str  # file name
    line: int  # 1-based line number in that file
    report_date: str | None = None
    superseded_by: str  # "<file>:<line>" of the value that replaced it, and why


class UserValue(Frozen):
    """The user's own word on a value: `confirmed` (the report is right) or `corrected` (value replaced).

    `at` is an ISO-8601 UTC timestamp; `by` names who did it ("local" for the CLI / loopback web).
    """

    value: FieldData
    action: Literal["confirmed", "corrected"]
    at: str
    by: str | None = None


class FieldValue(Frozen):
    """One extracted value. Values written with a comparator ("<1", ">50") stay strings.

    In a saved case, `history` keeps every other value seen for the field (earlier reports, conflicts)
    and `user` the user's confirmation or correction; a corrected field's `value` is the user's value,
    while `text`/`source`/`line` still point at the original report line.
    """

    value: FieldData
    unit: str | None = None
    text: str  # the exact source line (or span) the value came from
    source: str  # file name
    line: int  # 1-based line number in the source
    inferred: bool = False  # True when derived (e.g. grade inferred from Ki-67), not stated
    report_date: str | None = None  # ISO date of the report, used to resolve conflicts
    note: str | None = None  # how the value is used (e.g. "range 3-5%: upper bound used")
    specimen: Specimen | None = None  # biomarker fields: tissue or blood (liquid biopsy), when stated
    history: list[HistoryEntry] = Field(default_factory=list)  # superseded values, oldest first
    user: UserValue | None = None  # the user's confirmation or correction (saved cases)


class NegatedFinding(Frozen):
    """A negative result or pertinent negative: a fact, never a finding.

    `value` names what was negative when the field is a list or a status ("NTRK1" for gene_alterations,
    "MSI-H" for msi_status); it is None for booleans (lymphovascular_invasion stated absent).
    """

    field: str
    text: str
    line: int
    source: str | None = None
    value: str | None = None


class CaseProfile(Frozen):
    case_id: str
    fields: dict[str, FieldValue] = Field(default_factory=dict)
    negated: list[NegatedFinding] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    therapy_lines: list[TherapyLine] = Field(
        default_factory=list
    )  # treatment history (records/therapy_lines.py)

    def value(self, name: str) -> FieldData | None:
        fv = self.fields.get(name)
        return None if fv is None else fv.value
