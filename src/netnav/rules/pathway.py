"""Treatment options for the case's setting, in the order the cited guideline sources give them.

`pathways/pathways.yaml` holds one pathway per setting (site, grade/differentiation, SSTR status): ordered steps
(lines of therapy) of options, each with the cards it rests on, an optional applicability condition, and wording
for why it applies or not. `build_pathway` picks the setting (three-valued: an undecided setting is reported with
what is missing, never guessed), marks each option tried (documented progression on it: not offered again),
given, declined, an option, not applicable or unknown, and marks the step the treatment history points to.
Where the sources rank nothing, the step says so (`ordered: false` and its note) instead of inventing an order.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Protocol

from pydantic import Field, ValidationError

from netnav.datafiles import load_yaml
from netnav.errors import KnowledgeError
from netnav.rules.guideline_order import GuidelineOrderSpec, guideline_orders, order_note
from netnav.rules.history import history_fields
from netnav.rules.logic import Verdict, evaluate
from netnav.rules.schema import Condition, Wording
from netnav.rules.text import join_words, label, render
from netnav.types.assessment import OptionStatus, PathwayOption, PathwayStep, TreatmentPathway
from netnav.types.base import Frozen
from netnav.types.case import CaseProfile


class OptionSpec(Frozen):
    id: str
    name: str
    drugs: list[str] = Field(default_factory=list)  # generic names; progression on any -> "tried"
    when: Condition | None = None  # applicability; absent -> applies in this setting
    cards: list[str] = Field(min_length=1)
    why: Wording
    why_not: Wording | None = None


class StepSpec(Frozen):
    title: str
    after: list[str] = Field(default_factory=list)  # progression on any of these reaches this step
    ordered: bool
    note: str | None = None
    options: list[OptionSpec] = Field(min_length=1)
    guideline_orders: list[GuidelineOrderSpec] = Field(default_factory=list)  # guideline_order.py


class PathwaySpec(Frozen):
    id: str
    setting: str
    when: Condition
    cards: list[str] = Field(min_length=1)
    order_source: str
    steps: list[StepSpec] = Field(min_length=1)


class PathwayFile(Frozen):
    version: str
    pathways: list[PathwaySpec] = Field(min_length=1)


class Cite(Protocol):
    def cite(self, card_ids: list[str]) -> list[int]: ...


def pathways_path() -> Path:
    return Path(str(resources.files("netnav.rules") / "pathways" / "pathways.yaml"))


@lru_cache(maxsize=4)
def load_pathways(path: str | None = None) -> PathwayFile:
    """The pathway file (YAML anchors allowed; top-level keys other than version/pathways are anchor holders)."""
    target = Path(path) if path else pathways_path()
    try:
        raw = load_yaml(target.read_text(encoding="utf-8"))
        data = {"version": raw["version"], "pathways": raw["pathways"]}
        file = PathwayFile.model_validate(data)
    except (OSError, KeyError, TypeError, ValueError, ValidationError) as exc:
        raise KnowledgeError(f"{target.name}: {exc}") from exc
    for p in file.pathways:
        for s in p.steps:
            for o in s.options:
                if o.when is not None and o.why_not is None:
                    raise KnowledgeError(
                        f"{target.name}: option {p.id}/{o.id} has a condition but no why_not"
                    )
            ids = {o.id for o in s.options}
            unknown = [i for g in s.guideline_orders for t in g.tiers for i in t if i not in ids]
            if unknown:
                raise KnowledgeError(f"{target.name}: {p.id} guideline order names unknown options {unknown}")
    return file


def choose(case: CaseProfile, pathways: list[PathwaySpec]) -> tuple[PathwaySpec | None, list[str]]:
    """The first pathway whose setting is true; (None, missing) when an earlier one is undecided or none fits."""
    missing: list[str] = []
    for spec in pathways:
        verdict = evaluate(spec.when, case)
        if verdict.value is True:
            return (spec, []) if not missing else (None, missing)
        if verdict.value is None:
            missing.extend(m for m in verdict.missing if m not in missing)
    return None, missing


def _drugs(case: CaseProfile) -> dict[str, set[str]]:
    fields = history_fields(case)
    out: dict[str, set[str]] = {}
    for name in ("progressed_on", "received_therapies", "declined_therapies"):
        fv = fields.get(name)
        value = fv.value if fv is not None else []
        out[name] = {str(v).lower() for v in value} if isinstance(value, list) else set()
    return out


def _hit(drugs: list[str], given: set[str]) -> list[str]:
    return [d for d in drugs if d.lower() in given]


def option_status(
    spec: OptionSpec, case: CaseProfile, drugs: dict[str, set[str]]
) -> tuple[OptionStatus, Verdict]:
    """tried (progressed on it) > declined > given > the option's condition (option / not_applicable / unknown)."""
    if _hit(spec.drugs, drugs["progressed_on"]):
        return "tried", Verdict(False)
    if _hit(spec.drugs, drugs["declined_therapies"]) and not _hit(spec.drugs, drugs["received_therapies"]):
        return "declined", Verdict(None)
    if _hit(spec.drugs, drugs["received_therapies"]):
        return "given", Verdict(True)
    verdict = Verdict(True) if spec.when is None else evaluate(spec.when, case)
    if verdict.value is None:
        return "unknown", verdict
    return ("option" if verdict.value else "not_applicable"), verdict


def _why(spec: OptionSpec, status: OptionStatus, verdict: Verdict, case: CaseProfile, audience: str) -> str:
    patient = audience == "patient"
    if status == "tried":
        names = join_words(_hit(spec.drugs, _drugs(case)["progressed_on"]))
        if patient:
            return f"Already tried: the reports say the tumour grew on {names}, so it is not usually offered again."
        return f"Documented progression on {names}; not a next-line option."
    if status == "declined":
        return (
            "Offered before and declined (reports)."
            if not patient
            else "The reports say this was offered and declined."
        )
    if status == "given":
        names = join_words(_hit(spec.drugs, _drugs(case)["received_therapies"]))
        when = _when_given(spec, case)
        if patient:
            said = {"now": "Being given now", "past": "Given before and stopped"}.get(when, "Already given")
            return f"{said} ({names}); the reports do not say the tumour grew on it."
        said = {"now": "Ongoing", "past": "Received and stopped"}.get(when, "Received")
        return f"{said} ({names}); no documented progression on it."
    if status == "unknown":
        missing = join_words([label(m) for m in verdict.missing]) or "some details"
        return f"Cannot tell yet whether this fits: {missing} is not in the reports."
    wording = spec.why if status == "option" else spec.why_not
    assert wording is not None  # checked at load for conditional options
    return render(wording.patient if patient else wording.clinician, case, {})


def _when_given(spec: OptionSpec, case: CaseProfile) -> str:
    """ "now" when a line of the option is ongoing, "past" when every line of it is stopped, else "unknown"."""
    lines = [t for t in case.therapy_lines if t.received and _hit(spec.drugs, set(t.drugs))]
    if any(t.status == "ongoing" for t in lines):
        return "now"
    return "past" if lines and all(t.status == "stopped" for t in lines) else "unknown"


def _current_step(steps: list[StepSpec], drugs: dict[str, set[str]]) -> int:
    current = 0
    for i, step in enumerate(steps):
        if step.after and _hit(step.after, drugs["progressed_on"]):
            current = i
    return current


def build_pathway(case: CaseProfile, audience: str, book: Cite) -> TreatmentPathway | None:
    """The case's treatment pathway with cited, explained options; None when no setting applies at all (for
    example a localised tumour or a tumour type these pathways do not cover)."""
    spec, missing = choose(case, load_pathways().pathways)
    if spec is None:
        if not missing:
            return None
        return TreatmentPathway(
            setting="not determined",
            order_source="",
            missing=missing,
        )
    drugs = _drugs(case)
    current = _current_step(spec.steps, drugs)
    steps: list[PathwayStep] = []
    for i, step in enumerate(spec.steps):
        options = []
        for o in step.options:
            status, verdict = option_status(o, case, drugs)
            options.append(
                PathwayOption(
                    option_id=o.id,
                    name=o.name,
                    status=status,
                    why=_why(o, status, verdict, case, audience),
                    citations=book.cite(o.cards),
                    card_ids=list(o.cards),
                    missing=list(verdict.missing) if status == "unknown" else [],
                )
            )
        names = {o.id: o.name for o in step.options}
        orders, unsure = guideline_orders(step.guideline_orders, names, case, book)
        notes = [n for n in (step.note, order_note(orders, unsure)) if n]
        steps.append(
            PathwayStep(
                title=step.title,
                ordered=step.ordered,
                note=" ".join(notes) or None,
                current=i == current,
                options=options,
                guideline_orders=orders,
            )
        )
    return TreatmentPathway(
        pathway_id=spec.id,
        setting=spec.setting,
        order_source=spec.order_source,
        steps=steps,
        citations=book.cite(spec.cards),
    )
