"""Nothing crashes on arbitrary text; every value found in it points at a line holding its text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netnav.records import extract_text

WORDS = st.sampled_from(
    [
        "Ki-67",
        "15%",
        "<1%",
        "3-5%",
        "mitoses",
        "per 2 mm2",
        "per 10 HPF",
        "grade 2",
        "G3",
        "pancreas",
        "liver",
        "metastatic",
        "no",
        "not identified",
        "suspicious for",
        "history of",
        "LVI",
        "necrosis",
        "pT2",
        "N1",
        "stage IV",
        "TMB",
        "14 mut/Mb",
        "MSI-H",
        "MSS",
        "MLH1",
        "loss",
        "TP53",
        "R273H",
        "Lutathera",
        "CAPTEM",
        "whether",
        ":",
        ";",
        ".",
        "\n",
        "2 of 11",
        "lymph nodes",
        "1.5 cm",
        "carcinoid",
        "small cell carcinoma",
        "ECOG 1",
        "63-year-old man",
    ]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(WORDS, st.text(max_size=12)), max_size=40))
def test_arbitrary_text_never_crashes_and_lines_hold_text(parts: list[str]) -> None:
    text = " ".join(parts)
    profile = extract_text(text, "fuzz.txt")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for fv in profile.fields.values():
        assert fv.text in lines[fv.line - 1]
