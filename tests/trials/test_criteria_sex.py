"""Pregnancy, breastfeeding, contraception and childbearing-potential criteria read against the case's recorded
sex only (menopause is never inferred from age). Criteria written for these tests (not registry text)."""

from __future__ import annotations

import pytest

from netnav.trials.criteria import label_criterion
from netnav.trials.demographic_checks import addressed_to, recorded_sex
from netnav.types.case import CaseProfile
from tests.trials.helpers import case, pnet_case, sclc_case

MAN = sclc_case(sex="M")
WOMAN = pnet_case(sex="F", age=71)  # 71 years old: still not recorded as post-menopausal
UNKNOWN = case("nosex", primary_site="lung", histology="small cell carcinoma", age=60)
WHO: dict[str, CaseProfile] = {"man": MAN, "woman": WOMAN, "unknown": UNKNOWN}


@pytest.mark.parametrize(
    ("text", "kind", "man", "woman"),
    [
        ("Pregnant or breastfeeding", "exclusion", "not_applicable", "insufficient_info"),
        ("Women who are pregnant or lactating", "exclusion", "not_applicable", "insufficient_info"),
        ("pregnancy or nursing mothers", "exclusion", "not_applicable", "insufficient_info"),
        (
            "Breast-feeding women are excluded from this study.",
            "exclusion",
            "not_applicable",
            "insufficient_info",
        ),
        (
            "Women of childbearing potential who are not using an effective method of contraception",
            "exclusion",
            "not_applicable",
            "insufficient_info",
        ),
        (
            "Negative serum pregnancy test within 72 hours before the first dose of study drug for women of "
            "childbearing potential",
            "inclusion",
            "not_applicable",
            "insufficient_info",
        ),
        (
            "Women must be post-menopausal, infertile as the result of a surgical procedure, or willing to use "
            "a medically accepted form of birth control",
            "inclusion",
            "not_applicable",
            "insufficient_info",
        ),
        (
            "Female patients of child-bearing potential: negative urine test",
            "inclusion",
            "not_applicable",
            "insufficient_info",
        ),
        ("Not pregnant or nursing", "inclusion", "not_applicable", "insufficient_info"),
        # addressed to men: an agreement the case cannot record (like consent); does not concern a woman
        (
            "Male patients with partners of childbearing potential must agree to use effective contraception",
            "inclusion",
            "insufficient_info",
            "not_applicable",
        ),
        (
            "Men must agree not to donate sperm during the study",
            "inclusion",
            "insufficient_info",
            "not_applicable",
        ),
        # both sexes
        (
            "Patients of reproductive potential must agree to use two effective methods of contraception",
            "inclusion",
            "insufficient_info",
            "insufficient_info",
        ),
        (
            "Women and men of childbearing potential using adequate contraception",
            "inclusion",
            "insufficient_info",
            "insufficient_info",
        ),
        (
            "Pregnant or breastfeeding, or expecting to conceive or father children within the projected "
            "duration of the trial",
            "exclusion",
            "insufficient_info",
            "insufficient_info",
        ),
    ],
)
def test_pregnancy_criteria_follow_recorded_sex(text: str, kind: str, man: str, woman: str) -> None:
    got_man = label_criterion(text, kind, MAN)  # type: ignore[arg-type]
    got_woman = label_criterion(text, kind, WOMAN)  # type: ignore[arg-type]
    assert (got_man.label, got_woman.label) == (man, woman), (got_man.reason, got_woman.reason)
    assert label_criterion(text, kind, UNKNOWN).label == "insufficient_info"  # type: ignore[arg-type]
    if man in ("not_met", "not_applicable"):
        assert "the patient is male" in got_man.reason


def test_a_woman_is_never_assumed_post_menopausal_from_age() -> None:
    got = label_criterion("Women of childbearing potential must use contraception", "inclusion", WOMAN)
    assert got.label == "insufficient_info"
    assert "not inferred from age" in got.reason


def test_an_unrelated_part_keeps_the_criterion_open_for_a_man() -> None:
    got = label_criterion(
        "Pregnant or breastfeeding women, or active hepatitis B infection", "exclusion", MAN
    )
    assert got.label == "insufficient_info"
    assert "infection" in got.reason


@pytest.mark.parametrize(
    ("raw", "sex"),
    [
        ("M", "male"),
        ("male", "male"),
        ("Man", "male"),
        ("F", "female"),
        ("Female", "female"),
        ("woman", "female"),
    ],
)
def test_recorded_sex(raw: str, sex: str) -> None:
    assert recorded_sex(case("s", sex=raw)) == sex


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("Women must be post-menopausal", "female"),
        ("WOCBP must have a negative test", "female"),
        ("Male participants must use a condom", "male"),
        ("Male or female patients aged 18 or older", None),
        ("Men and women of childbearing potential must use contraception", None),
        ("Pregnant women are excluded", None),
        ("Women of childbearing potential and men must use contraception", None),
        ("Male patients with female partners of childbearing potential must use condoms", None),
    ],
)
def test_addressed_to(text: str, target: str | None) -> None:
    assert addressed_to(text) == target
