"""Trial registry entries and per-criterion matches (`trials --json`)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from netnav.types.base import Frozen, one_of

CriterionLabel = Literal["met", "not_met", "not_applicable", "insufficient_info"]
CRITERION_LABELS: dict[CriterionLabel, str] = {
    "met": "met",
    "not_met": "not met",
    "not_applicable": "not applicable",
    "insufficient_info": "need more information",
}
# Patient view of a trial criterion: what it means, without the matcher's machine reason.
CRITERION_PATIENT_WORDS: dict[CriterionLabel, str] = {
    "met": "your records fit this requirement",
    "not_met": "your records do not fit this requirement",
    "not_applicable": "does not apply to you",
    "insufficient_info": "not known yet: ask the trial team",
}
# Patient view of an exclusion criterion: "met" means the exclusion applies, i.e. it rules the person out.
CRITERION_PATIENT_WORDS_EXCLUSION: dict[CriterionLabel, str] = {
    "met": "this rules you out of the trial",
    "not_met": "this does not rule you out",
    "not_applicable": "does not apply to you",
    "insufficient_info": "not known yet: ask the trial team",
}
# The short tags of the plain-text criterion table (`netnav trials`), at most 9 characters.
CRITERION_TAGS: dict[CriterionLabel, str] = {
    "met": "MET",
    "not_met": "NOT MET",
    "not_applicable": "N/A",
    "insufficient_info": "NEED INFO",
}
TrialStatus = Literal["eligible", "possibly_eligible", "ineligible", "unknown"]
TRIAL_STATUS_TAGS: dict[TrialStatus, str] = {
    "eligible": "ELIGIBLE",
    "possibly_eligible": "POSSIBLY ELIGIBLE",
    "ineligible": "NOT ELIGIBLE",
    "unknown": "UNKNOWN",
}
# Which trials to match: "recruiting" (recruiting, not yet recruiting or active) or "all".
TrialScope = Literal["recruiting", "all"]
TRIAL_SCOPES: tuple[TrialScope, ...] = ("recruiting", "all")


def parse_trial_scope(value: str) -> TrialScope:
    """`value` as a TrialScope; raises `BadInputError` naming the accepted values."""
    return one_of(value, TRIAL_SCOPES, "--status must be 'recruiting' or 'all', not {value}")


class Site(Frozen):
    """One place a trial runs, as the registry lists it. `distance_km` is filled only for a `--near` search."""

    facility: str | None = None
    city: str | None = None
    state: str | None = None
    country: str | None = None
    status: str | None = None  # the site's own recruitment status (e.g. "Recruiting")
    contact: str | None = None  # "name, phone, email" as given by the registry
    lat: float | None = None
    lon: float | None = None
    distance_km: float | None = None


class Trial(Frozen):
    nct_id: str
    title: str
    phase: str | None = None
    overall_status: str | None = None
    last_update: str | None = None  # ISO date of the registry record's last update
    snapshot_date: str | None = None  # when our copy was taken
    fetched_at: str | None = None  # ISO timestamp of the registry download that gave this record
    conditions: list[str] = Field(default_factory=list)
    interventions: list[str] = Field(default_factory=list)
    arms: list[str] = Field(default_factory=list)
    inclusion: list[str] = Field(default_factory=list)
    exclusion: list[str] = Field(default_factory=list)
    summary: str | None = None
    source: str = "builtin"  # builtin | path of the ingested record | ctgov-api
    sites: list[Site] = Field(default_factory=list)


class Criterion(Frozen):
    text: str
    kind: Literal["inclusion", "exclusion"]
    label: CriterionLabel
    reason: str
    fields: list[str] = Field(default_factory=list)
    evidence: list[str] = Field(default_factory=list)  # "field=value (source:line)" used for the label


class TrialMatch(Frozen):
    nct_id: str
    title: str
    status: TrialStatus
    score: float
    criteria: list[Criterion]
    overall_status: str | None = None
    phase: str | None = None
    snapshot_date: str | None = None
    reason: str | None = None  # why this status (e.g. which criterion made it ineligible)
    last_update: str | None = None  # the registry record's own last-update date (never the day we looked)
    fetched_at: str | None = None  # when the record was downloaded (None for the built-in snapshot)
    sites: list[Site] = Field(default_factory=list)  # nearest first when a place was given
