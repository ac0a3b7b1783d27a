"""Status and outcome cues of a therapy clause (records/therapy_lines.py): declined, planned, stopped, no longer
given, still given, and stops for toxicity. Each is a regular expression over one clause, matched case-insensitively."""

from __future__ import annotations

import re

_I = re.IGNORECASE

DECLINED = re.compile(r"\bdeclin\w*|\brefus\w*|opted (?:against|not)|chose not|did not want|turned down", _I)

PLANNED = re.compile(
    r"\bplan(?:ned|s)?\b|will (?:start|begin|receive|be started)|to start\b|recommend\w*|\boffered\b|"
    r"consider\w*|\bproposed\b|candidate for|referred for|scheduled|"
    # how patients and carers write it: "they talked about maybe CAPTEM later if it grows"
    r"\b(?:talked|spoke|asked|thinking|thought|talk) about\b|\bdiscuss\w*|\bmentioned\b|\bmaybe\b|\bmight\b|"
    r"\bcould (?:try|start|have|use|be)\b|\bpossibl[ey]\b|\boptions?\b|\bnext (?:step|line|option)\b|"
    r"\bsuggest\w*|\beligible for\b|\blater if\b|\bif it (?:grows|progresses|comes back|gets worse)\b",
    _I,
)

TOXICITY = re.compile(
    r"toxicit\w*|intoleran\w*|side[- ]effects?|adverse (?:event|effect)s?|not tolerated", _I
)

# A stop for a named adverse event ("stopped for thrombocytopenia", "discontinued due to pneumonitis").
AE_STOP = re.compile(
    r"(?:stop\w*|discontinu\w*|ceased|held|came off|switched|withdrawn)\b[^.;]{0,30}?\b(?:for|due to|because of|"
    r"owing to|after)\b[^.;]{0,20}?\b(?:thrombocytopeni\w*|neutropeni\w*|an(?:a)?emia|cytopeni\w*|myelosuppression|"
    r"pneumonitis|hyperglyc\w*|mucositis|stomatitis|colitis|hepatitis|hepatotoxic\w*|nephrotoxic\w*|diarrho?ea|"
    r"fatigue|rash|neuropathy|hand[- ]foot|infection|renal (?:impairment|failure)|liver (?:toxicity|injury)|"
    r"(?:mouth )?ulcers|sores|gallstones|hyperglycaemia|diabetes)",
    _I,
)

STOPPED = re.compile(
    r"\bstop(?:ped|ping|s)?\b|discontinu\w*|ceased|held\b|withdrawn|completed|finished|\bcame off\b", _I
)

# No longer given, written without "stopped": "no longer on octreotide", "was on lanreotide until 2022",
# "used to have octreotide injections", "previously on", "off lanreotide since May".
PAST = re.compile(
    r"\bno longer\b|\bused to (?:be on|take|have|get)\b|\b(?:previously|formerly|in the past|earlier) "
    r"(?:on|took|taking|received|had|treated)\b|\bwas on\b[^.;]{0,60}?\buntil\b|\boff (?:the |her |his )?\w+ since\b|"
    r"\bcame off\b|\bended\b|\bceased\b",
    _I,
)

# Still given when the report was written: "currently on", "continues octreotide LAR", "remains on", "is on",
# "has been on ... for a year", "still getting the injections", "maintained on", "on monthly lanreotide".
ONGOING = re.compile(
    r"\b(?:currently|presently|now)\s+(?:on|receiving|taking|having|getting|treated)|\bremains? on\b|"
    r"(?<!dis)\bcontinu(?:es|ing|ed)\b(?:\s+(?:on|with|to (?:receive|take|have|get)))?|\bongoing\b|"
    r"\bstill (?:on|taking|receiving|having|getting)\b|\b(?:is|are|'s)\s+(?:now\s+)?on\b|"
    r"\b(?:has|have|'s|\u2019s|'ve) been (?:on|taking|receiving|having|getting)\b|\bmaintained on\b|"
    r"\bon (?:monthly|4-weekly|four-weekly|28-day|daily)\b|\b(?:is|are) (?:receiving|taking|having|getting)\b",
    _I,
)
