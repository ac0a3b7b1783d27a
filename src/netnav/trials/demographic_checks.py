"""Criteria about pregnancy, breastfeeding, contraception and childbearing potential, read against the case's
RECORDED sex only.

- A man: being pregnant or breastfeeding, a pregnancy test, and women's contraception or menopause do not
  concern him: the predicate says so (`not_applicable`, truth False); an exclusion then does not concern him
  and is `not_applicable` (both hand-label sets say so), as is an inclusion requirement. A requirement
  addressed to men ("male patients must agree to use contraception", "plans to father a child", sperm
  donation) is an agreement or an intention the case cannot record: `insufficient_info`, as consent
  criteria are.
- A woman: pregnancy, breastfeeding and childbearing potential are never recorded as case fields, and
  menopause is NOT inferred from age: `insufficient_info`, saying what is not recorded. A requirement addressed
  to men only does not concern her.
- Sex not recorded: `insufficient_info` ("sex not recorded").

A criterion ADDRESSED to one sex as a whole ("Women must be post-menopausal, surgically sterile or use
contraception", "Female patients of childbearing potential: negative serum test") does not concern a patient of
the other sex in any of its parts (`outside_scope`), even parts other patterns read ("surgical procedure").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal, TypeVar

from netnav.trials.verdict import Ctx, PredicateResult, RuleLike, field_evidence
from netnav.types.case import CaseProfile
from netnav.types.trials import Criterion

Sex = Literal["male", "female"]
_R = TypeVar("_R", bound=RuleLike)
_SEX = ("sex",)
# words that address (part of) a criterion to men
_MALE = re.compile(r"\bm[ae]n\b|\bmales?\b|father|sperm|partners?\b|vasectom", re.IGNORECASE)
# words that address it to women
_FEMALE = re.compile(
    r"wom[ae]n|\bfemales?\b|breast|lactat|nursing|menopaus|\bwocbp\b|\bfocbp\b", re.IGNORECASE
)
# a group of either sex ("patients of reproductive potential", "all participants must use contraception")
_EITHER = re.compile(
    r"(?:patients|participants|subjects|persons|individuals|people|anyone|both sexes|men and women|"
    r"women and men|males? and females?|females? and males?)\b",
    re.IGNORECASE,
)
# a requirement or intention rather than a state (pregnant, breastfeeding)
_REQUIREMENT = re.compile(
    r"contracept|birth control|\btests?\b|agree|willing|steril|abstin|menopaus|childbearing|child-bearing|"
    r"reproductive|conceive|father|sperm|barrier",
    re.IGNORECASE,
)
_ADDRESSED = re.compile(
    r"^\s*(?:[-*•]\s*)?(?:for\s+|all\s+|any\s+)?(?P<who>(?:wom[ae]n|females?|female (?:patients|participants|subjects)|"
    r"wocbp|focbp|m[ae]n|males?|male (?:patients|participants|subjects))\b)"
    r"(?!\s+(?:and|or|&)\s+(?:wom[ae]n|females?|m[ae]n|males?)\b)(?!\s+or\s)",
    re.IGNORECASE,
)


_MALE_WORDS = re.compile(r"\bm[ae]n\b|\bmales?\b|father|sperm", re.IGNORECASE)
_FEMALE_WORDS = re.compile(r"wom[ae]n|\bfemales?\b|\bwocbp\b", re.IGNORECASE)


def recorded_sex(case: CaseProfile) -> Sex | None:
    """The case's sex as recorded ("M"/"F", "male", "woman", ...); None when absent or unreadable."""
    raw = str(case.value("sex") or "").strip().lower()
    if re.match(r"^(?:m|male|man|men|mr)\b", raw):
        return "male"
    if re.match(r"^(?:f|female|woman|women|mrs|ms)\b", raw):
        return "female"
    return None


def _scope(words: str) -> set[Sex]:
    """Which sexes the criterion's wording addresses."""
    male = bool(_MALE.search(words))
    female = bool(_FEMALE.search(words))
    if _EITHER.search(words) and re.search(
        r"reproductive|childbearing|child-bearing|contracept", words, re.I
    ):
        return {"male", "female"} if not (male ^ female) else ({"male"} if male else {"female"})
    if male and female:
        return {"male", "female"}
    if male:
        return {"male"}
    return {"female"}  # pregnancy, breastfeeding and a pregnancy test concern women


def childbearing(case: CaseProfile, rule: RuleLike, _: Ctx) -> PredicateResult:
    """The `pregnancy` predicate (op `possible`): truth is whether the pregnancy-related condition holds; the
    qualifier holds the criterion's own words that say whom it addresses and what it asks."""
    words = rule.qualifier or ""
    sex = recorded_sex(case)
    ev = field_evidence(case, _SEX)
    if sex is None:
        return PredicateResult(
            None, "sex not recorded in the case (needed for a pregnancy criterion)", _SEX, ev
        )
    scope = _scope(words)
    if sex not in scope:
        other = "women" if sex == "male" else "men"
        return PredicateResult(
            False,
            f"the patient is {sex} (recorded); this concerns {other} only",
            _SEX,
            ev,
            not_applicable=True,
        )
    if sex == "male":
        return PredicateResult(
            None,
            "the patient is male; his agreement to use contraception or his plans to father a child are "
            "not recorded (an agreement, like consent, is given at enrolment)",
            _SEX,
            ev,
        )
    if _REQUIREMENT.search(words):
        return PredicateResult(
            None,
            "the patient is female; whether she could become pregnant (menopause or sterilisation), a "
            "pregnancy test and contraception are not recorded (menopause is not inferred from age)",
            _SEX,
            ev,
        )
    return PredicateResult(
        None, "the patient is female; pregnancy or breastfeeding is not recorded", _SEX, ev
    )


def addressed_to(text: str) -> Sex | None:
    """The sex a criterion is addressed to as a whole, from its opening words; None for everyone."""
    m = _ADDRESSED.match(text)
    if m is None:
        return None
    target: Sex = "male" if m.group("who").lower().startswith("m") else "female"
    other = _FEMALE_WORDS if target == "male" else _MALE_WORDS
    return None if other.search(text) else target  # "Women of childbearing potential and men must ..."


def outside_scope(text: str, kind: Literal["inclusion", "exclusion"], case: CaseProfile) -> Criterion | None:
    """A criterion addressed as a whole to the other sex than the case's recorded one: `not_applicable`, for an
    inclusion and an exclusion alike (both hand-label sets label a pregnancy exclusion for a man so). None
    when it concerns the patient or sex is unknown."""
    target = addressed_to(text)
    sex = recorded_sex(case)
    if target is None or sex is None or target == sex:
        return None
    reason = f"the patient is {sex} (recorded); this criterion concerns {target} patients only"
    return Criterion(
        text=text,
        kind=kind,
        label="not_applicable",
        reason=reason,
        fields=list(_SEX),
        evidence=list(field_evidence(case, _SEX)),
    )


# Fields other patterns read inside a pregnancy requirement: its time window ("within 72 hours before the first
# dose", "for 6 months after the last dose"), the test itself, sterilisation as surgery, agreement as consent.
_PREGNANCY_PARTS = frozenset(
    {
        "recent_treatment",
        "recent_surgery",
        "consent",
        "laboratory_values",
        "imaging",
        "concomitant_medication",
        "prior_toxicity",
    }
)


def without_sex_parts(pairs: Sequence[tuple[_R, PredicateResult]]) -> list[tuple[_R, PredicateResult]]:
    """When the criterion's pregnancy part does not concern the patient (a man and a pregnancy test), the
    window, test, sterilisation and agreement words that belong to that part are dropped with it; conditions
    of their own (an infection, a tumour type) stay."""
    if not any(r.field == "pregnancy" and v.not_applicable for r, v in pairs):
        return list(pairs)
    return [(r, v) for r, v in pairs if r.field not in _PREGNANCY_PARTS]
