"""Question understanding: misspellings, lay synonyms, filler words, scope/safety triage (no index)."""

from __future__ import annotations

import pytest

from netnav.answer.facets import chunk_sentences, question_type, split_facets
from netnav.answer.shape import lead_word
from netnav.answer.triage import dose_request, other_cancer, triage_rules, urgent_rule
from netnav.knowledge.loader import load_cards
from netnav.retrieve.analyze import analyze, informative_terms
from netnav.retrieve.spelling import speller


@pytest.mark.parametrize(
    ("typed", "concept"),
    [
        ("is lutathra approved for my dad", "lutathera"),
        ("side effects of everolimous", "everolimus"),
        ("pembrolizmab in carcinod", "pembrolizumab"),
        ("what is sunitnib", "sunitinib"),
        ("octreotid injections", "ssa"),
        ("lanreotid every month", "ssa"),
        ("could imdeltra help", "tarlatamab"),
        ("telotrisat for diarrhoea", "telotristat"),
        ("cabozantanib for pancreatic NET", "cabozantinib"),
        ("my insulinomma", "insulinoma"),
    ],
)
def test_misspelt_drug_and_disease_names_are_recognised(typed: str, concept: str) -> None:
    analysis = analyze(typed)
    assert analysis.has(concept), (analysis.question, analysis.corrections)
    assert analysis.original == typed


@pytest.mark.parametrize(
    "word", ["dad", "husband", "teenagers", "yesterday", "tumour", "oncologist", "treated"]
)
def test_everyday_words_are_never_corrected(word: str) -> None:
    assert speller().correct_word(word) is None


@pytest.mark.parametrize(
    ("question", "concept"),
    [
        ("can I still have PRRT if my gallium scan was negative", "sstr-pet"),
        ("what is a Ga-68 dotatate scan", "sstr-pet"),
        ("is a netspot scan the same as a PET", "sstr-pet"),
        ("side effects of my octreotide shots", "ssa"),
        ("lanreotide jabs every month", "ssa"),
        ("everolimus gave me mouth sores", "stomatitis"),
        ("ulcers in my mouth on afinitor", "stomatitis"),
        ("the carcinoid in my appendix", "net"),
        ("dad has nets on liver", "net"),
        ("what is lutetium treatment", "lutathera"),
    ],
)
def test_lay_wording_maps_to_concepts(question: str, concept: str) -> None:
    assert analyze(question).has(concept)


def test_kinship_time_and_filler_words_are_not_content() -> None:
    terms = informative_terms("my dad has a small bowel NET that spread to the liver, how long has he got")
    assert not terms & {"dad", "got", "long"}
    assert informative_terms("Can I drink alcohol while on lanreotide?") >= {"alcohol", "drink"}


@pytest.mark.parametrize(
    "question",
    [
        "Does herceptin help HER2 positive breast cancer?",
        "my dad's prostate cancer PSA keeps rising, could lutetium treatment help him?",
        "177Lu-PSMA-617 for mCRPC after ARPI?",
        "first-line pembrolizumab for NSCLC with PD-L1 TPS 50%?",
        "pembrolizumab for non small cell lung cancer",
        "is keytruda used for melanoma",
        "my wife has ovarian cancer, is immunotherapy an option",
        "T-DXd for HER2-low disease",
    ],
)
def test_other_cancers_are_recognised(question: str) -> None:
    assert other_cancer(question)


@pytest.mark.parametrize(
    "question",
    [
        "Can a neuroendocrine tumour spread to the breast?",
        "What is neuroendocrine prostate cancer?",
        "small cell carcinoma of the prostate treatment",
        "my mum has a lung carcinoid and breast cancer, can she have PRRT?",
        "Is Lutathera approved for pancreatic NETs?",
    ],
)
def test_neuroendocrine_questions_mentioning_other_organs_stay_in_scope(question: str) -> None:
    assert not other_cancer(question)


@pytest.mark.parametrize(
    ("question", "audience", "expected"),
    [
        ("Can I take my sisters lanreotide injections?", "patient", True),
        ("can my husband use my octreotide shots", "patient", True),
        ("is it ok to borrow my friend's everolimus tablets", "patient", True),
        ("how much octreotide should I inject for my flushing", "patient", True),
        ("what dose of everolimus should he take", "patient", True),
        ("should I double my lanreotide dose", "patient", True),
        ("What is the labelled Lutathera regimen?", "clinician", False),
        ("how is lanreotide given", "patient", False),
        ("what is octreotide used for", "patient", False),
        ("can my patient use his wife's telotristat", "clinician", True),
    ],
)
def test_dose_and_other_peoples_medicine_requests(question: str, audience: str, expected: bool) -> None:
    assert dose_request(question, audience) is expected


@pytest.mark.parametrize(
    ("question", "rule"),
    [
        (
            "my mum had PRRT yesterday and now she is flushing, feels faint and her blood pressure is low",
            "hormonal-crisis",
        ),
        ("dad is wheezing and flushing since his liver embolisation this morning", "hormonal-crisis"),
        ("after my operation I went bright red and my heart is racing", None),
        ("I'm flushing and can't breathe properly after surgery", "hormonal-crisis"),
        ("I have diarrhoea 12 times a day and I'm dizzy", "severe-diarrhoea-dehydration"),
        ("my husband has watery diarrhea and can't keep fluids down", "severe-diarrhoea-dehydration"),
        ("I'm on captem and have a fever of 38.6", "fever-on-chemotherapy"),
        ("patient on cisplatin-etoposide now febrile 38.5", "fever-on-chemotherapy"),
        ("my dad started tarlatamab and now has a fever and is confused", "crs-after-t-cell-engager"),
        ("What are the symptoms of carcinoid crisis?", None),
        ("patient flushing with BP 75/40 after TACE", "hormonal-crisis"),
        ("pt post-op, flushed, bronchospasm, what now", "hormonal-crisis"),
        ("why do I get flushing and diarrhoea with my carcinoid", None),
        ("Does capecitabine cause fever?", None),
    ],
)
def test_urgent_symptoms(question: str, rule: str | None) -> None:
    found = urgent_rule(question)
    assert (found.id if found else None) == rule


def test_urgent_rules_cite_existing_cards() -> None:
    ids = {c.id for c in load_cards()}
    for rule, _groups in triage_rules().urgent:
        assert set(rule.cards) <= ids, rule.id


@pytest.mark.parametrize(
    ("question", "qtype"),
    [
        ("When was lutathera approved by the FDA?", "when"),
        ("Is pembrolizumab approved for MSI-H NEC?", "approval"),
        ("what are the side effects of octreotide shots", "side_effects"),
        ("NETTER-2 eligibility criteria?", "eligibility"),
        ("whats the difference between a NET and a NEC", "comparison"),
        ("What did PROMID show?", "number"),
        ("What is the labelled Lutathera regimen?", "regimen"),
        ("Should SSAs be used in poorly differentiated NEC?", "yes_no"),
        ("what is a Ki-67", "what"),
        ("how many cycles of PRRT will I have", "regimen"),
        ("how long does the everolimus course last", "regimen"),
    ],
)
def test_question_types(question: str, qtype: str) -> None:
    assert question_type(question) == qtype


def test_multi_part_questions_split_into_facets() -> None:
    facets = split_facets(analyze("What is CAPTEM and what side effects should my husband expect?"))
    assert len(facets) == 2
    assert facets[1].qtype == "side_effects"
    assert "captem" in facets[1].concepts  # inherited from the whole question
    assert len(split_facets(analyze("When was lutathera approved?"))) == 1


def test_anaphoric_sentences_stay_with_their_antecedent() -> None:
    chunks = chunk_sentences(
        0, ["PRRT is a drip.", "It targets receptors.", "Lutathera is one kind.", "In that case it works."]
    )
    assert [c.sentences for c in chunks] == [
        ["PRRT is a drip.", "It targets receptors."],
        ["Lutathera is one kind.", "In that case it works."],
    ]
    assert chunk_sentences(0, ["It can start in the ileum.", "NETs grow slowly."], first_is_start=False)[
        0
    ].sentences == ["NETs grow slowly."]


@pytest.mark.parametrize(
    ("text", "lead"),
    [
        ("No immune checkpoint inhibitor carries an FDA indication for NETs.", "No."),
        ("PRRT only works if the tumour has plenty of somatostatin receptors.", "It depends."),
        ("Responses were rare: 3.7% in KEYNOTE-158.", "Not usually."),
        ("Everolimus commonly causes stomatitis (mouth ulcers).", "Yes."),
    ],
)
def test_yes_no_lead_word(text: str, lead: str) -> None:
    assert lead_word(text) == lead


@pytest.mark.parametrize(
    "sentence",
    [
        "The exception is Merkel cell carcinoma.",
        "People with these tumors can get them.",
        "Such drugs are rare.",
    ],
)
def test_sentences_leaning_on_the_one_before_are_anaphoric(sentence: str) -> None:
    chunks = chunk_sentences(0, ["No checkpoint inhibitor is approved for NETs.", sentence])
    assert len(chunks) == 1
