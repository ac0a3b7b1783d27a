"""British and American spellings of a word are one search term (netnav.store.variants), and the
speller never takes a British spelling for a typo."""

from __future__ import annotations

import pytest

from netnav.retrieve.spelling import speller
from netnav.store.index import tokenize
from netnav.store.variants import analyzer_id, us_spelling

PAIRS = [
    ("tumour", "tumor"),
    ("tumours", "tumors"),
    ("oesophageal", "esophageal"),
    ("gastro-oesophageal", "gastro-esophageal"),
    ("haemorrhage", "hemorrhage"),
    ("anaemia", "anemia"),
    ("oestrogen", "estrogen"),
    ("paediatric", "pediatric"),
    ("diarrhoea", "diarrhea"),
    ("leukaemia", "leukemia"),
    ("oedema", "edema"),
    ("caesarean", "cesarean"),
    ("centre", "center"),
    ("centred", "centered"),
    ("fibre", "fiber"),
    ("metastasise", "metastasize"),
    ("metastasising", "metastasizing"),
    ("immunised", "immunized"),
    ("hospitalisation", "hospitalization"),
    ("haematology", "hematology"),
    ("ischaemic", "ischemic"),
    ("hypoglycaemia", "hypoglycemia"),
    ("steatorrhoea", "steatorrhea"),
    ("dyspnoea", "dyspnea"),
    ("somatostatin analogues", "somatostatin analogs"),
    ("favourable", "favorable"),
    ("randomised", "randomized"),
    ("labelled", "labeled"),
    ("analysed", "analyzed"),
    ("centimetres", "centimeters"),
    ("programme", "program"),
    ("paraesthesia", "paresthesia"),
    ("coeliac", "celiac"),
]

# -ise words that are spelt so on both sides of the Atlantic, and words that only look British
UNCHANGED = [
    "advise", "exercise", "otherwise", "promise", "premise", "expertise", "surprise", "revise", "rise",
    "precise", "organism", "specialist", "characteristic", "analysis", "metastasis", "metastases",
    "crises", "tumor", "center", "laboratory", "colorectal", "diameter", "academia", "paediatr",
]  # fmt: skip


@pytest.mark.parametrize(("british", "american"), PAIRS)
def test_both_spellings_give_the_same_terms(british: str, american: str) -> None:
    assert tokenize([f"The {british} was seen"]) == tokenize([f"The {american} was seen"])
    assert tokenize([british.upper()]) == tokenize([american])


def test_words_spelt_alike_are_left_alone() -> None:
    changed = {w: us_spelling(w) for w in UNCHANGED[:-1] if us_spelling(w) != w}
    assert changed == {}


def test_batch_and_single_tokenizers_agree_on_british_text() -> None:
    text = "Haemorrhage from oesophageal tumours; hospitalisation in a specialist centre."
    assert tokenize([text] * 70)[0] == tokenize([text])[0]
    assert tokenize([text])[0] == ["hemorrhag", "from", "esophag", "tumor", "hospit", "specialist", "center"]


@pytest.mark.parametrize(
    "word", ["oedema", "tumours", "haemorrhage", "oesophageal", "leukaemia", "metastasise", "paediatric"]
)
def test_the_speller_keeps_british_spellings(word: str) -> None:
    assert speller().correct_word(word) is None
    fixed, fixes = speller().correct(f"is {word} common with a NET", frozenset(tokenize([word])[0]))
    assert word in fixed and fixes == {}


def test_the_speller_still_corrects_typos() -> None:
    assert speller().correct_word("diffrence") == "difference"


def test_the_analyzer_is_named_by_its_table() -> None:
    assert analyzer_id().startswith("snowball-english+bm25s-en-stopwords+us-spelling-")
    assert len(analyzer_id().rsplit("-", 1)[1]) == 12
