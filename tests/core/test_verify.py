from __future__ import annotations

from netnav.answer.sentences import split_sentences
from netnav.answer.verify import numbers_supported, supported

PASSAGE = (
    "In KEYNOTE-158, pembrolizumab produced an objective response rate of 3.7% among 107 patients "
    "with previously treated well-differentiated NETs."
)


def test_a_sentence_taken_from_the_passage_is_supported() -> None:
    assert supported("Pembrolizumab produced a response rate of 3.7% among 107 patients.", [PASSAGE])


def test_a_changed_number_is_not_supported() -> None:
    assert not supported("Pembrolizumab produced a response rate of 37% among 107 patients.", [PASSAGE])


def test_a_sentence_about_something_else_is_not_supported() -> None:
    assert not supported("Lanreotide prolonged progression-free survival in CLARINET.", [PASSAGE])


def test_no_evidence_means_no_support() -> None:
    assert not supported("Anything at all.", [])


def test_numbers_check_for_case_sentences() -> None:
    assert numbers_supported(
        "Your Ki-67 of 15% places the tumour in grade 2.", ["ki67_percent: 15", "G2 3-20"]
    )
    assert not numbers_supported("Your Ki-67 of 18% places the tumour in grade 2.", ["ki67_percent: 15"])


def test_sentence_splitting_keeps_abbreviations_and_decimals() -> None:
    text = "ORR was 3.7% (e.g. in NETs). Median PFS was 4.1 months vs. 2.0 months. Next sentence here."
    assert split_sentences(text) == [
        "ORR was 3.7% (e.g. in NETs).",
        "Median PFS was 4.1 months vs. 2.0 months.",
        "Next sentence here.",
    ]


def test_prose_units_fold_lists_and_drop_navigation() -> None:
    from netnav.answer.sentences import prose_units

    text = (
        "Options may include:\n\n- Surgery to remove the tumor.\n- If surgery is not possible, care may include:\n"
        "- Chemotherapy.\n\nFor more information, see the Treatment section. Another point about NETs here."
    )
    folded = (
        "Options may include: surgery to remove the tumor; if surgery is not possible, care may include: "
        "chemotherapy."
    )
    assert prose_units(text) == [folded, "Another point about NETs here."]


def test_questions_to_ask_drop_near_duplicates() -> None:
    from netnav.answer.questions import questions_for

    asked = questions_for(
        "treatment",
        [],
        [
            "Does my tumor have a marker (MSI-high, dMMR, high TMB) that would make immunotherapy more likely to help?",
            "Is there a biomarker (MSI, dMMR, TMB) in my tumor that would make a checkpoint inhibitor "
            "an approved option?",
            "Should I have an echocardiogram to check my heart valves?",
        ],
    )
    assert len([q for q in asked if "dMMR" in q]) == 1
    assert "Should I have an echocardiogram to check my heart valves?" in asked
    assert len(asked) >= 3
