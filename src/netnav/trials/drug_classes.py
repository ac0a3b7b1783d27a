"""Drug classes named in trial criteria (`data/drug_classes.yaml`): checkpoint targets (PD-1, PD-L1, PD-L2,
CTLA-4, CD137, LAG-3, TIGIT), DLL3-directed agents, PBD-based drugs and other antibody-drug conjugates, Aurora
kinase, mTOR, VEGFR and PARP inhibitors, radioligands and cytotoxic families, each with its members.

- `extend_patterns(raw)`: the criteria pattern file (as read, before validation) with one `prior_therapy`
  pattern per class `mention` and every class's members added to its `drug_classes`, so a criterion naming a
  class is read like any other prior-therapy criterion (negation, "no prior", completeness).
- `prefer_specific`: "anti-PD-1 or anti-CTLA-4 antibody" names its targets; the broad checkpoint class the
  older pattern reads from the same words is dropped unless the criterion also names checkpoint inhibitors or
  immunotherapy broadly (an anti-PD-L1 drug is then not counted as anti-PD-1).
- `narrowed`: a qualifier narrows a class ("high-dose chemotherapy", "intrathecal", "investigational", "within
  28 days"): a recorded member no longer decides that the criterion holds (the case records no dose, route or
  study status), while having no member at all still decides that it does not.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import lru_cache
from importlib import resources
from typing import Any, TypeVar

import yaml
from pydantic import Field, ValidationError, field_validator

from netnav.datafiles import compiled_or_none, load_yaml
from netnav.errors import KnowledgeError
from netnav.trials.verdict import PredicateResult, RuleLike
from netnav.types.base import Frozen

_R = TypeVar("_R", bound=RuleLike)
# words that only say a class is a kind of drug ("an anti-PD-1 antibody", "Aurora A-targeted agents"): no
# condition of their own, so not counted as words left unexplained
THERAPY_WORDS = frozenset(
    {
        *("antibody", "antibodies", "drug", "drugs", "agent", "agents", "inhibitor", "inhibitors"),
        *("targeting", "targeted", "specifically", "based", "class", "classes", "compound", "compounds"),
    }
)


class DrugClass(Frozen):
    mention: str | None = None  # how criteria name the class (regex)
    extends: str | None = None  # a class of criteria_patterns.yaml this entry widens
    members: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)

    @field_validator("mention")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        return compiled_or_none(value)


class DrugClassFile(Frozen):
    version: str
    classes: dict[str, DrugClass]


@lru_cache(maxsize=1)
def load_drug_classes() -> DrugClassFile:
    """The drug-class table, validated; raises KnowledgeError."""
    path = resources.files("netnav.trials") / "data" / "drug_classes.yaml"
    try:
        return DrugClassFile.model_validate(load_yaml(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise KnowledgeError(f"drug_classes.yaml: {exc}") from exc


# the words of a criterion about treatment received (as the older prior_* patterns require them)
_REQUIRE = (
    r"prior|previous|received|treated|pretreated|progress|refractory|relaps|recurr|after|following|fail|"
    r"exposure|exposed|had\b|treatment with|therapy with|na[iï]ve|resistan"
)
_FORBID = (
    r"other than|except|apart from|allerg|hypersens|intoleran|toxicit|ctcae|recover|adverse|eligible for|"
    r"candidate for|suitable for|will receive|plan(?:ned)? to receive"
)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def extend_patterns(raw: Any) -> Any:
    """The raw pattern file (a mapping as read from YAML) with the class patterns and members added; anything
    else is returned unchanged for the schema to reject."""
    if not isinstance(raw, Mapping) or not isinstance(raw.get("drug_classes"), Mapping):
        return raw
    table = load_drug_classes().classes
    classes = {str(k): list(v) for k, v in raw["drug_classes"].items()}
    for name, entry in table.items():
        key = entry.extends or name
        classes[key] = list(dict.fromkeys([*classes.get(key, []), *entry.members]))
    added = [
        {
            "id": f"class_{_slug(name)}",
            "regex": entry.mention,
            "field": "prior_therapy",
            "op": "any_of",
            "value": [name],
            "negatable": True,
            "require": _REQUIRE,
            "forbid": _FORBID,
        }
        for name, entry in table.items()
        if entry.mention and not entry.extends
    ]
    patterns = list(raw.get("patterns") or [])
    return {**raw, "drug_classes": classes, "patterns": [*patterns, *added]}


_TARGETS = frozenset(
    {"anti-PD-1", "anti-PD-L1", "anti-PD-L2", "anti-CTLA-4", "anti-CD137", "anti-LAG-3", "anti-TIGIT"}
)
_BROAD = re.compile(r"checkpoint|immunotherap|immuno-oncology|\bio\b|immune[- ]modulat", re.IGNORECASE)


def prefer_specific(rules: Sequence[_R], text: str) -> list[_R]:
    """Drop the broad `checkpoint` class when the criterion names checkpoint targets and not the broad class."""
    named = {
        str(v) for r in rules if r.field == "prior_therapy" and isinstance(r.value, list) for v in r.value
    }
    if not named & _TARGETS or _BROAD.search(text):
        return list(rules)
    return [
        r
        for r in rules
        if not (
            r.field == "prior_therapy"
            and isinstance(r.value, list)
            and set(map(str, r.value)) == {"checkpoint"}
        )
    ]


_NARROWING = re.compile(
    r"\b(?P<q>high[- ]dose|myeloablative|intrathecal|intravesical|intra-?arterial|intraperitoneal|"
    r"hepatic arterial|intralesional|topical|investigational|experimental)\b"
    r"(?=(?:\s+[\w-]+){0,4}?\s*(?:chemo|therap|treatment|agent|drug|inhibitor|antibod|regimen|\w+mab\b|\w+nib\b))"
    r"|(?P<w>\bwithin\s+(?:the\s+)?(?:last\s+|past\s+)?\d+\s*(?:days|weeks|months|years))",
    re.IGNORECASE,
)


def narrowing(text: str) -> str | None:
    """The qualifier that narrows a therapy class in the criterion ("high-dose", "within 28 days"), if any."""
    m = _NARROWING.search(text)
    return None if m is None else (m.group("q") or m.group("w")).lower()


def narrowed(
    text: str, rules: Sequence[RuleLike], verdicts: Sequence[PredicateResult]
) -> list[PredicateResult]:
    """A prior-therapy verdict 'given' becomes undecided when the class is narrowed by what the case does not
    record (dose, route, study status, timing); 'none given' stands."""
    qualifier = narrowing(text)
    if qualifier is None:
        return list(verdicts)
    out: list[PredicateResult] = []
    for rule, verdict in zip(rules, verdicts, strict=True):
        if rule.field == "prior_therapy" and verdict.truth is True and rule.qualifier != "current":
            reason = f"{verdict.reason}; whether it was {qualifier} is not recorded"
            verdict = replace(verdict, truth=None, reason=reason)
        out.append(verdict)
    return out
