"""Lines of therapy from a report's sentences: which drug or regimen, and what happened with it.

Each sentence is cut into clauses ("progressed on lanreotide; everolimus was offered, but he declined it").
A clause naming drugs gives one TherapyLine (drugs joined by "+", "/", "and" or a regimen name such as
CAPTEM are one line); a clause without a drug but with an outcome ("but he declined it", "stopped after 6
cycles for toxicity") updates the line of the clause before. Cues read from the clause:
- declined: "declined", "refused", "opted against" → status declined (never counted as given);
- planned: "plan", "will start", "recommended", "offered", "consider" → status planned;
- progression: "progressed on", "progression on/after/during", "refractory to", "failed" → progressed;
- toxicity: "toxicity", "intolerance", "side effects" with a stop → stop_reason toxicity;
- "after N cycles" / "N cycles of" → cycles; "partial response", "stable disease" … → best_response;
- "since/started/from <date>" → start, "until/stopped in <date>" → stop; "currently on" → ongoing.
Negated mentions ("no prior everolimus", "has not received") give no line. FHIR bundles give none here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from netnav.records.patterns import load_patterns
from netnav.records.prefilter import Gate, PatternIndex
from netnav.records.reader import SourceText
from netnav.types.therapy import StopReason, TherapyLine, TherapyStatus

_I = re.IGNORECASE
_EXTRA_REGIMENS: dict[str, tuple[str, ...]] = {
    r"\bcap\s*[/+-]?\s*tem\b|\bcaptem\b|\bcapetem\b": ("capecitabine", "temozolomide"),
    r"\bPRRT\b|\blutathera\b|lu[- ]?177[- ]?dotatate|177[- ]?lu[- ]?dotatate": ("lutetium lu 177 dotatate",),
    r"\bsandostatin\b|\boctreotide\s*(?:lar)?\b": ("octreotide",),
}
_SPLIT = re.compile(r";|\.\s+|,\s*(?:but|then|and then|after which|followed by)\b|\s(?:but|then)\s", _I)
_JOIN = re.compile(r"^\s*(?:\+|/|and|with|plus|&|-)\s*$", _I)
_NEG = re.compile(
    r"\b(?:no|not|never|without|nor)\b[^.;]{0,25}$|has not (?:had|received)[^.;]{0,20}$|"
    r"(?:naive|naïve) to[^.;]{0,10}$",
    _I,
)
# A negation after the drug: "sunitinib was not started", "everolimus has never been given".
_NEG_AFTER = re.compile(
    r"^[^.;,]{0,25}?\b(?:was|were|has|have|had|is)\s+(?:not|never)\s+(?:yet\s+)?(?:been\s+)?"
    r"(?:started|given|commenced|received|initiated|tried|used)\b",
    _I,
)
_DECLINED = re.compile(r"\bdeclin\w*|\brefus\w*|opted (?:against|not)|chose not|did not want|turned down", _I)
_PLANNED = re.compile(
    r"\bplan(?:ned|s)?\b|will (?:start|begin|receive|be started)|to start\b|recommend\w*|\boffered\b|"
    r"consider\w*|\bproposed\b|candidate for|referred for|scheduled|"
    # how patients and carers write it: "they talked about maybe CAPTEM later if it grows"
    r"\b(?:talked|spoke|asked|thinking|thought|talk) about\b|\bdiscuss\w*|\bmentioned\b|\bmaybe\b|\bmight\b|"
    r"\bcould (?:try|start|have|use|be)\b|\bpossibl[ey]\b|\boptions?\b|\bnext (?:step|line|option)\b|"
    r"\bsuggest\w*|\beligible for\b|\blater if\b|\bif it (?:grows|progresses|comes back|gets worse)\b",
    _I,
)
_PROGRESSED = re.compile(
    r"progress\w*(?: of disease| disease)?\s+(?:on|through|during|while on|despite|after|following)\b|"
    r"\bPD\s+(?:on|after)\b|refractory to|failed\b|failure of|(?:grew|growing|worsen\w*) (?:on|despite)|"
    r"progression\b|"
    # as patients and carers write it: "scan in december showed it's growing", "the liver spots got bigger"
    r"\b(?:it|tumou?rs?|cancer|disease|lesions?|spots?|mets|metastases|nodules?)\s*(?:is|are|was|were|has|have|had|"
    r"'s|\u2019s)?\s*(?:been\s+|now\s+|still\s+)?(?:growing|grown|grew|got bigger|getting bigger|increased in size|"
    r"enlarg\w+|spread\w*)\b|"
    r"\b(?:scans?|CT|MRI|PET|imaging)\b[^.;]{0,30}?\b(?:showed|shows|found|confirmed)\b[^.;]{0,20}?\b(?:growth|bigger|progress\w*|"
    r"new (?:spots|lesions|mets|metastases))",
    _I,
)
# Progression spoken of as a condition ("PRRT if there is progression", "until progression") has not happened.
_IF_PROGRESSION = re.compile(
    r"\b(?:if|when|once|should|until|unless|in case of|at(?: the time of)?)\b[^.;]{0,25}?"
    r"(?:progress\w*|grow\w*|gets worse|gets bigger|spreads)",
    _I,
)
# A treatment said to have started ("started lanreotide last month, they will check if it grows") was given,
# whatever is said about what happens if the tumour grows.
_STARTED = re.compile(r"(?<!will )(?<!be )(?<!to )\b(?:started|began|commenced|initiated)\b", _I)
_NO_PROGRESSION = re.compile(
    r"\bno (?:disease )?progression|without progression|non-?progressive|\bno (?:new |further )?growth|"
    r"\b(?:not|n't|n\u2019t|never|no longer)\s+(?:been\s+)?(?:growing|grown|grew|got bigger|getting bigger|spread\w*)",
    _I,
)
_TOXICITY = re.compile(
    r"toxicit\w*|intoleran\w*|side[- ]effects?|adverse (?:event|effect)s?|not tolerated", _I
)
# A stop for a named adverse event ("stopped for thrombocytopenia", "discontinued due to pneumonitis").
_AE_STOP = re.compile(
    r"(?:stop\w*|discontinu\w*|ceased|held|came off|switched|withdrawn)\b[^.;]{0,30}?\b(?:for|due to|because of|"
    r"owing to|after)\b[^.;]{0,20}?\b(?:thrombocytopeni\w*|neutropeni\w*|an(?:a)?emia|cytopeni\w*|myelosuppression|"
    r"pneumonitis|hyperglyc\w*|mucositis|stomatitis|colitis|hepatitis|hepatotoxic\w*|nephrotoxic\w*|diarrho?ea|"
    r"fatigue|rash|neuropathy|hand[- ]foot|infection|renal (?:impairment|failure)|liver (?:toxicity|injury))",
    _I,
)
_STOPPED = re.compile(
    r"\bstop(?:ped|ping|s)?\b|discontinu\w*|ceased|held\b|withdrawn|completed|finished|\bcame off\b", _I
)
_ONGOING = re.compile(
    r"currently (?:on|receiving|taking)|remains on|continues on|ongoing|still on|continuing", _I
)
_CYCLES = re.compile(
    r"\b(?P<n>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|twelve)\s+cycles?\b", _I
)
_RESPONSE = re.compile(
    r"\b(complete (?:metabolic )?response|partial response|stable disease|mixed response|"
    r"progressive disease|\b(?:CR|PR|SD)\b)",
    _I,
)
_MONTH = (  # a month's name or abbreviation only: "octreotide 1000" is not October 1000
    r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+\d{4}\b"
)
_DATE = rf"(?P<d>\d{{4}}-\d{{2}}(?:-\d{{2}})?|\d{{1,2}}/\d{{4}}|{_MONTH}|\d{{4}})"
# A date right after the verb ("started 2024-03", "since May 2023"), or after the drug, dose and schedule with
# "in"/"on" ("started lanreotide 120 mg every 28 days in March 2024", "stopped the everolimus on 2024-08-02");
# the "in"/"on" keeps a dose ("octreotide 1000 mcg") from being read as a year.
_GAP = r"\b[^.;]{0,60}?\s(?:in|on)\s+"
_START = re.compile(
    rf"(?:(?:since|started|starting|began|begun|commenced|from|initiated)\s+(?:in\s+|on\s+)?|"
    rf"(?:started|starting|began|begun|commenced|initiated){_GAP}){_DATE}",
    _I,
)
_LAST = r"\blast (?:one|dose|injection|infusion|cycle|tablet|treatment)\b"  # "last one was feb 2025"
_STOP = re.compile(
    rf"(?:(?:until|to|stopped|discontinued|ended|completed)\s+(?:in\s+|on\s+)?|"
    rf"{_LAST}\s+(?:was\s+|given\s+)?(?:in\s+|on\s+)?|"
    rf"(?:stopped|discontinued|ended|completed|finished|c[ao]me off|{_LAST}){_GAP}){_DATE}",
    _I,
)
_MON = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
# A period written as a range after the drug: "CAPTEM 2019-2020", "carboplatin/etoposide (Jan-Apr 2025)".
_RANGE = re.compile(
    rf"(?<![\w/-])(?P<a>(?:{_MON}\.?\s+)?(?:19|20)\d\d|{_MON})\.?\s*(?:-|to|until)\s*"
    rf"(?P<b>(?:{_MON}\.?\s+)?(?:19|20)\d\d)(?![\w/-])",
    _I,
)
_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}
_WORDS |= {"nine": 9, "ten": 10, "twelve": 12}
_RESPONSE_NAMES = {"cr": "complete response", "pr": "partial response", "sd": "stable disease"}


@dataclass
class _Mention:
    start: int
    end: int
    agent: str
    drugs: list[str] = field(default_factory=list)


@lru_cache(maxsize=1)
def _drug_patterns() -> tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]:
    pat = load_patterns()
    out = [(re.compile(rx, _I), drugs) for rx, drugs in _EXTRA_REGIMENS.items()]
    out.extend((rx, generics) for rx, generics in pat.regimens.values())
    out.extend((rx, (generic.lower(),)) for generic, rx in pat.drugs.items())
    return tuple(out)


@lru_cache(maxsize=1)
def _drug_gate() -> Gate:
    """False for a sentence no drug pattern can match (records/prefilter.py): it gives no therapy line."""
    return Gate(rx for rx, _ in _drug_patterns())


@lru_cache(maxsize=1)
def _drug_index() -> PatternIndex[tuple[str, ...]]:
    """The drug patterns, each with its prefilter, in `_drug_patterns` order."""
    return PatternIndex((drugs, rx) for rx, drugs in _drug_patterns())


def _mentions(clause: str) -> list[_Mention]:
    """Drug mentions in a clause; overlapping spans keep the first (regimens before single drugs)."""
    found: list[_Mention] = []
    for drugs, rx in _drug_index().candidates(clause):  # in order; a pattern left out cannot match
        for m in rx.finditer(clause):
            if any(m.start() < f.end and f.start < m.end() for f in found):
                continue
            if _NEG.search(clause[: m.start()]) or _NEG_AFTER.search(clause[m.end() :]):
                continue
            found.append(_Mention(m.start(), m.end(), m.group(0).strip(), [d.lower() for d in drugs]))
    found.sort(key=lambda f: f.start)
    return _join(clause, found)


def _join(clause: str, found: list[_Mention]) -> list[_Mention]:
    """Drugs written together ("capecitabine + temozolomide", "carboplatin/etoposide") are one regimen."""
    out: list[_Mention] = []
    for item in found:
        prev = out[-1] if out else None
        if prev is not None and _JOIN.match(clause[prev.end : item.start]):
            prev.end = item.end
            prev.agent = clause[prev.start : item.end]
            prev.drugs.extend(d for d in item.drugs if d not in prev.drugs)
        else:
            out.append(item)
    return out


def _progressed(clause: str) -> bool:
    """Progression on a treatment is written, not only spoken of as a condition (`_IF_PROGRESSION`)."""
    return bool(_PROGRESSED.search(_IF_PROGRESSION.sub(" ", clause)))


def _status(clause: str) -> TherapyStatus | None:
    if _DECLINED.search(clause):
        return "declined"
    if _ONGOING.search(clause):
        return "ongoing"
    plan_text = _IF_PROGRESSION.sub(" ", clause) if _STARTED.search(clause) else clause
    if _PLANNED.search(plan_text) and not _progressed(clause):
        return "planned"
    if _STOPPED.search(clause):
        return "stopped"
    return None


def _cues(clause: str) -> dict[str, object]:
    """Outcome cues of one clause (only those present)."""
    cues: dict[str, object] = {}
    status = _status(clause)
    if status is not None:
        cues["status"] = status
    if _progressed(clause) and not _NO_PROGRESSION.search(clause):
        cues["progressed"] = True
        cues["stop_reason"] = "progression"
    if _TOXICITY.search(clause) or _AE_STOP.search(clause):
        cues["stop_reason"] = "toxicity"
        cues.setdefault("status", "stopped")
    if (m := _CYCLES.search(clause)) is not None:
        raw = m.group("n").lower()
        cues["cycles"] = int(raw) if raw.isdigit() else _WORDS[raw]
    if (m := _RESPONSE.search(clause)) is not None:
        word = m.group(1)
        cues["best_response"] = _RESPONSE_NAMES.get(word.lower(), word.lower())
    if (m := _START.search(clause)) is not None:
        cues["start"] = m.group("d")
    if (m := _STOP.search(clause)) is not None:
        cues["stop"] = m.group("d")
    if "start" not in cues and (r := _RANGE.search(clause)) is not None:
        start, stop = r.group("a"), r.group("b")
        cues["start"] = start if start[-4:].isdigit() else f"{start} {stop[-4:]}"  # "Jan-Apr 2025": Jan 2025
        cues.setdefault("stop", stop)
    return cues


def _apply(line: TherapyLine, cues: dict[str, object]) -> TherapyLine:
    update = dict(cues)
    if line.status in ("declined", "planned") and update.get("status") in ("stopped", "given"):
        update.pop("status")  # "offered ... declined" stays declined; a toxicity word does not make it given
    status = update.get("status", line.status)
    if status in ("declined", "planned"):
        for key in ("stop_reason", "progressed", "cycles", "best_response"):
            update.pop(key, None)  # nothing happened on a therapy that was not given
    return line.model_copy(update=update)


def _clauses(sentence: str) -> Iterator[str]:
    for part in _SPLIT.split(sentence):
        if part.strip():
            yield part.strip()


def _sentences(src: SourceText) -> Iterator[tuple[int, str]]:
    for n, text in enumerate(src.lines, 1):
        for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z])", text):
            if sentence.strip():
                yield n, sentence.strip()


def lines_from_sentence(sentence: str, source: str, line_no: int) -> list[TherapyLine]:
    """Therapy lines of one sentence (see the module docstring for the cues)."""
    out: list[TherapyLine] = []
    if not _drug_gate().may_match(sentence):
        return out  # no clause can name a drug, so no line (outcome cues only update a drug's line)
    last: list[int] = []  # indexes in `out` of the previous clause's lines
    for clause in _clauses(sentence):
        mentions = _mentions(clause)
        cues = _cues(clause)
        if not mentions:
            for i in last:
                out[i] = _apply(out[i], cues)
            continue
        last = []
        for m in mentions:
            base = TherapyLine(agent=m.agent, drugs=m.drugs, text=sentence, source=source, line=line_no)
            out.append(_apply(base, cues))
            last.append(len(out) - 1)
    return out


def extract_therapy_lines(src: SourceText) -> list[TherapyLine]:
    """Every therapy line a text report states, in reading order (FHIR bundles: none here)."""
    if src.fhir is not None:
        return []
    out: list[TherapyLine] = []
    for line_no, sentence in _sentences(src):
        out.extend(lines_from_sentence(sentence, src.name, line_no))
    return _typed(out)


def _typed(lines: list[TherapyLine]) -> list[TherapyLine]:
    """Validate the stop reason literal after cue updates (model_copy does not re-validate)."""
    reasons: set[StopReason | None] = {"progression", "toxicity", "completed", "patient choice", None}
    return [TherapyLine.model_validate(t.model_dump()) for t in lines if t.stop_reason in reasons]
