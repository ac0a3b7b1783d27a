"""How complete a reading of a criterion is: statements that only permit, and findings that must never be left
unexplained.

- `permissive(text)`: the criterion only allows something ("prior octreotide is allowed", "patients who had
  surgery are eligible"), so it sets no requirement. Only the first clause counts, and a clause that opens with a
  requirement ("Have received 4-6 cycles of platinum ...; acceptable combinations include ...") is a requirement
  whatever its later words permit.
- `CRITICAL_UNEXPLAINED`: findings decided by a number (Ki-67, mitoses, TMB, laboratory values) whose name
  no other pattern uses as a mere label (unlike "PD-L1" before "TPS >= 1 %" or "ECOG" before a performance
  status). When a criterion names one that no pattern read, it is never counted as
  complete, however few other words are left: "Ki-67 index from 15 to 55" left unread once let a
  well-differentiated GEP-NET with Ki-67 6 % be called eligible.
"""

from __future__ import annotations

import re

from netnav.trials.clauses import sentences

_PERMISSIVE = re.compile(
    r"\b(?:allowed|permitted|acceptable|are eligible|is eligible|may have (?:had|received)|"
    r"may be enrolled|may participate)\b",
    re.IGNORECASE,
)

_REQUIREMENT_OPENER = re.compile(
    r"^\W*(?:(?:patients?|participants?|subjects?)\s+)?(?:must|should|shall|have|has|had|received|"
    r"documented|required)\b",
    re.IGNORECASE,
)
# Findings whose words the residual count cannot see ("Ki-67" has too few letters) or that decide a criterion
# by a value: left unexplained, the criterion is never complete, however few other words remain.
CRITICAL_UNEXPLAINED = re.compile(
    r"\b(?:ki[- ]?67|mitos[ei]s|mitotic|tmb|creatinine|bilirubin|neutrophils?|anc|platelets?|"
    r"ha?emoglobin|lvef|qtc)\b",
    re.IGNORECASE,
)


def permissive(text: str) -> bool:
    """A statement that only allows something ("prior octreotide is allowed"): its first clause permits and
    does not open with a requirement ("Have received 4-6 cycles ...; acceptable combinations include ..." is a
    requirement whose later words merely permit)."""
    first = sentences(text)[0].split(";", 1)[0]
    return bool(_PERMISSIVE.search(first)) and not _REQUIREMENT_OPENER.match(first)
