"""Reference values from the reference implementation (see make_reference.py).

Generated with sentence-transformers 6.2.0, torch 2.13.0+cpu from the bundled all-MiniLM-L6-v2 weights
(SentenceTransformer(model_dir).encode(..., normalize_embeddings=True)). The full 384-d vectors
are in reference_vectors.json next to this file.
"""

from __future__ import annotations

REFERENCE_GENERATOR = "sentence-transformers 6.2.0, torch 2.13.0+cpu"

#: Token counts incl. [CLS]/[SEP] as the reference tokenised them (the last one is truncated).
REFERENCE_TOKEN_COUNTS: list[int] = [13, 9, 8, 40, 256]

#: First 8 dimensions of each reference vector, in the order of reference_sentences.SENTENCES.
REFERENCE_FIRST8: list[list[float]] = [
    [
        0.0007320121512748301,
        0.009926466271281242,
        -0.039483413100242615,
        -0.049764566123485565,
        -0.05591654032468796,
        0.004264541435986757,
        0.12062062323093414,
        -0.001901616109535098,
    ],
    [
        -0.05379679426550865,
        0.03977052494883537,
        -0.04266611486673355,
        -0.02817906253039837,
        -0.018177982419729233,
        -0.087680384516716,
        0.06255615502595901,
        0.042934052646160126,
    ],
    [
        0.009404798969626427,
        0.03915969282388687,
        -0.009371234104037285,
        0.07733877003192902,
        0.02079680748283863,
        0.06608530879020691,
        0.06029944121837616,
        -0.015819016844034195,
    ],
    [
        0.03977271914482117,
        -0.05086860805749893,
        -0.0268577691167593,
        0.004304463975131512,
        -0.08524007350206375,
        0.06103455647826195,
        0.03207186236977577,
        0.07087191939353943,
    ],
    [
        0.0430535264313221,
        -0.0958837941288948,
        -0.01788293570280075,
        -0.04155680164694786,
        -0.0148167097941041,
        -0.00118704151827842,
        -0.05277111753821373,
        0.05183378607034683,
    ],
]
