"""Sentences of a criterion that add no condition: "There is no limit on prior hormonal therapy.", "No
restriction on the number of prior lines.", "NOTE: measurable disease is defined by RECIST 1.1.", "(See
Appendix B.)". Their words are not counted as left unexplained (which turned a decided criterion into "part of
the criterion was not understood"), and no pattern reads a condition from them.

Only a NOTE that explains (defines, gives examples, refers to an appendix or a definition) is an aside; a NOTE
that states a rule of its own ("Note: patients with treated brain metastases are eligible") is kept.
"""

from __future__ import annotations

import re

_SENTENCE = re.compile(r"(?:[^.;]|\.(?=\S))*(?:[.;]|$)")  # "RECIST 1.1" does not end a sentence
_NO_LIMIT = re.compile(
    r"^\s*(?:there\s+(?:is|are)\s+)?no\s+(?:upper\s+)?(?:limit|limitation|restriction|maximum|cap)s?\s+"
    r"(?:on|to|for|of|regarding)\b",
    re.IGNORECASE,
)
_NOTE = re.compile(r"^\s*\(?\s*(?:note|nb|n\.b\.|please note|comment)\b\s*[:.-]?", re.IGNORECASE)
_EXPLAINS = re.compile(
    r"\bdefin(?:ed|ition|es)\b|\brefers? to\b|\bmeans\b|\binclud(?:es|ing)\b|\bi\.e\.|\be\.g\.|\bsuch as\b|"
    r"\bfor example\b|\b(?:is|are) considered\b|\bcounts? as\b|\bsee\b|\bappendix\b|\bsection\b|\bprotocol\b|"
    r"\bper\b|\baccording to\b",
    re.IGNORECASE,
)
_RULE_WORDS = re.compile(
    r"\b(?:eligible|ineligible|excluded|allowed|permitted|not|must|required|unless|except|only|provided)\b",
    re.IGNORECASE,
)
_SEE = re.compile(r"\(\s*(?:see|refer to|as (?:listed|described|defined) in)\b[^()]*\)", re.IGNORECASE)


def aside_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every aside in `text`: a "no limit on ..." sentence, an explaining NOTE sentence, and
    a parenthesis that only points elsewhere ("(see Appendix B)"). The first sentence is never an aside."""
    spans = [(m.start(), m.end()) for m in _SEE.finditer(text)]
    for n, m in enumerate(_SENTENCE.finditer(text)):
        sentence = m.group(0)
        if not sentence.strip() or n == 0:
            continue
        explains = bool(_NOTE.match(sentence) and _EXPLAINS.search(sentence)) and not _RULE_WORDS.search(
            sentence
        )
        if explains or _NO_LIMIT.match(sentence):
            spans.append((m.start(), m.end()))
    return sorted(spans)
