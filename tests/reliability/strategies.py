"""Hypothesis strategies shared by the reliability tests: domain words mixed with hostile text."""

from __future__ import annotations

from hypothesis import strategies as st

DOMAIN = [
    "Ki-67", "15%", "<3%", "3-20%", ">20%", "mitoses", "per 2 mm2", "G1", "G2", "grade 3", "NET", "NEC", "pNET",
    "carcinoid", "pancreas", "small intestine", "ileum", "liver metastases", "lanreotide", "octreotide",
    "Lutathera", "PRRT", "177Lu-DOTATATE", "everolimus", "sunitinib", "CAPTEM", "pembrolizumab", "Keytruda",
    "TMB-H", "MSI-H", "dMMR", "PD-L1", "CPS >= 1", "ECOG 0-1", "age >= 18", "Inclusion Criteria:",
    "Exclusion Criteria:", "-", "*", "1.", "no", "not", "without", "prior", "allowed", "or", "and", "\n", "\t",
    "small cell", "well-differentiated", "poorly differentiated", "stage IV", "pT3N1M1", "SSTR-positive",
]

HOSTILE = [
    "'; DROP TABLE documents; --", "\" OR 1=1 --", "NEAR(", "title:*", "a*", "\"unbalanced", "AND OR NOT",
    "(((", ")))", "[^]", "\\", "$(rm -rf /)", "%s%s%n", "{0}", "\x00", "\u202e", "\ufeff", "<script>alert(1)</script>",
    "../../etc/passwd", "😀", "Ω", "é", "\r\n", "?*+{}|^$.", "(?P<x>", "\\d{1000000}", "x" * 300,
    "ｋｉ－６７", "ﬁ", "NaN", "-1e309", "0x7fffffff",
]

words = st.one_of(st.sampled_from(DOMAIN), st.sampled_from(HOSTILE), st.text(max_size=15))
mixed_text = st.lists(words, max_size=30).map(" ".join)
any_text = st.one_of(mixed_text, st.text(max_size=400))
