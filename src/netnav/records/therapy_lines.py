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
- "since/started/from <date>" → start, "until/stopped in <date>" → stop (an end date: stopped);
- now or before: "currently on", "continues", "remains on", "still getting" → ongoing; "no longer on",
  "was on X until", "used to have" → stopped; nothing said → given (whether still given is unknown).
Drugs joined by "and" or a comma are one line only when they form a standard regimen (therapy_progress.py);
progression is given to the therapy the text points at, the last of several when it does not say which (with
a note), and a drug-free sentence just after a therapy's sentence may carry its progression.
Negated mentions ("no prior everolimus", "has not received") give no line. FHIR bundles give none here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from netnav.records import therapy_cues as cue
from netnav.records.drug_spelling import correct_drug_words
from netnav.records.patterns import load_patterns
from netnav.records.prefilter import Gate, PatternIndex
from netnav.records.reader import SourceText
from netnav.records.therapy_progress import ambiguity_note, is_combination, progressed_mentions
from netnav.types.therapy import StopReason, TherapyLine, TherapyStatus

_I = re.IGNORECASE
_EXTRA_REGIMENS: dict[str, tuple[str, ...]] = {
    r"\bcap\s*[/+-]?\s*tem\b|\bcaptem\b|\bcapetem\b": ("capecitabine", "temozolomide"),
    r"\bPRRT\b|\blutathera\b|lu[- ]?177[- ]?dotatate|177[- ]?lu[- ]?dotatate": ("lutetium lu 177 dotatate",),
    r"\bsandostatin\b|\boctreotide\s*(?:lar)?\b": ("octreotide",),
}
_SPLIT = re.compile(
    r";|\.\s+|,\s*(?:but|then|and then|after which|followed by)\b|\s(?:but|then)\s|"
    # "progressed on lanreotide and was switched to everolimus": a new verb starts a new clause
    r"\s+and\s+(?=(?:was|were|is|has|had|then|subsequently|later|now|so|started|switched|changed|commenced|"
    r"began|moved)\b)|"
    # "the lanreotide was stopped when she started PRRT": what happened to each drug is said in its own clause
    r"\s+(?:when|as|once|after|before|because|until)\s+(?=(?:she|he|they|we|i|the patient|patient|mum|dad)\b)",
    _I,
)
_JOIN = re.compile(r"^\s*(?:\+|/|with|plus|&|-)\s*$", _I)  # written as given together
_LIST = re.compile(
    r"^\s*(?:and|,|,\s*and)\s*$", _I
)  # one regimen only when the drugs form one (is_combination)
_NEG = re.compile(
    r"\b(?:no|not|never|without|nor)\b(?! longer)[^.;]{0,25}$|has not (?:had|received)[^.;]{0,20}$|"
    r"(?:naive|naïve) to[^.;]{0,10}$",
    _I,
)
# A negation after the drug: "sunitinib was not started", "everolimus has never been given".
_NEG_AFTER = re.compile(
    r"^[^.;,]{0,25}?\b(?:was|were|has|have|had|is)\s+(?:not|never)\s+(?:yet\s+)?(?:been\s+)?"
    r"(?:started|given|commenced|received|initiated|tried|used)\b",
    _I,
)
_PROGRESSED = re.compile(
    r"progress\w*(?: of disease| disease)?\s+(?:on|through|during|while on|despite|after|following)\b|"
    r"\bPD\s+(?:on|after)\b|refractory to|failed\b|failure of|(?:grew|growing|worsen\w*) (?:on|despite)|"
    r"(?<!time to )(?<!free )progression\b(?![- ]free)|"
    r"(?<!non-)(?<!non )progressive disease\b|\bprogressed\b|\bprogressing\b(?! well)|"
    r"\(\s*PD\s*\)|(?:response|outcome|result)\s*:?\s*PD\b|"  # "(PD)", "best response: PD"
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
        gap = clause[prev.end : item.start] if prev is not None else ""
        together = _JOIN.match(gap) or (_LIST.match(gap) and prev and is_combination(prev.drugs + item.drugs))
        if prev is not None and together:
            prev.end = item.end
            prev.agent = clause[prev.start : item.end]
            prev.drugs.extend(d for d in item.drugs if d not in prev.drugs)
        else:
            out.append(item)
    return out


def _unconditional(clause: str) -> str:
    """The clause with progression spoken of as a condition blanked out (same length, so positions hold)."""
    return _IF_PROGRESSION.sub(lambda m: " " * len(m.group(0)), clause)


def _progressed(clause: str) -> bool:
    """Progression on a treatment is written, not only spoken of as a condition (`_IF_PROGRESSION`)."""
    return bool(_PROGRESSED.search(_unconditional(clause)))


def _status(clause: str) -> TherapyStatus | None:
    if cue.DECLINED.search(clause):
        return "declined"
    if cue.PAST.search(clause) or (cue.STOPPED.search(clause) and _STOP.search(clause)):
        return "stopped"  # "was on X until 2022", "stopped in 2023": no longer given
    if cue.ONGOING.search(clause):
        return "ongoing"
    plan_text = _IF_PROGRESSION.sub(" ", clause) if _STARTED.search(clause) else clause
    if cue.PLANNED.search(plan_text) and not _progressed(clause):
        return "planned"
    if cue.STOPPED.search(clause):
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
    if cue.TOXICITY.search(clause) or cue.AE_STOP.search(clause):
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
    if "stop" in cues and cues.get("status") in (None, "ongoing"):
        cues["status"] = "stopped"  # an end date written: no longer given
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


def _progress_cues(clause: str) -> list[re.Match[str]]:
    if _NO_PROGRESSION.search(clause):
        return []
    return list(_PROGRESSED.finditer(_unconditional(clause)))


def _without_progression(cues: dict[str, object]) -> dict[str, object]:
    out = {k: v for k, v in cues.items() if k != "progressed"}
    if out.get("stop_reason") == "progression":
        out.pop("stop_reason")
    return out


def _carry(out: list[TherapyLine], targets: list[int], cues: dict[str, object]) -> None:
    """Outcome cues of a clause or sentence without a drug, applied to the therapy lines written just before;
    progression goes to the last received one of several (which one grew is not written: each gets a note)."""
    received = [i for i in targets if out[i].received]
    if cues.get("progressed") and len(received) > 1:
        names = [" + ".join(out[i].drugs) for i in received]
        note = ambiguity_note(names, names[-1])
        for i in received[:-1]:
            out[i] = _apply(out[i], _without_progression(cues) | {"note": note})
        out[received[-1]] = _apply(out[received[-1]], cues | {"note": note})
        return
    for i in targets:
        out[i] = _apply(out[i], cues)


def lines_from_sentence(sentence: str, source: str, line_no: int) -> list[TherapyLine]:
    """Therapy lines of one sentence (see the module docstring for the cues)."""
    return _sentence_lines(sentence, source, line_no)[0]


def _sentence_lines(sentence: str, source: str, line_no: int) -> tuple[list[TherapyLine], list[int]]:
    """The sentence's therapy lines and the indexes of those its last drug-naming clause gave."""
    out: list[TherapyLine] = []
    last: list[int] = []  # indexes in `out` of the previous clause's lines
    written, sentence = sentence, correct_drug_words(sentence)  # "lanreotid" is lanreotide
    if not _drug_gate().may_match(sentence):
        return out, last  # no clause can name a drug, so no line (outcome cues only update a drug's line)
    for clause in _clauses(sentence):
        mentions = _mentions(clause)
        cues = _cues(clause)
        if not mentions:
            _carry(out, last, cues)
            continue
        last = []
        hit: set[int] = set()
        note: str | None = None
        if cues.get("progressed"):
            spans = [(m.start, m.end, m.drugs) for m in mentions]
            hit, note = progressed_mentions(clause, spans, _progress_cues(clause))
        for n, m in enumerate(mentions):
            base = TherapyLine(agent=m.agent, drugs=m.drugs, text=written, source=source, line=line_no)
            own = cues if n in hit or not cues.get("progressed") else _without_progression(cues)
            out.append(_apply(base, own | ({"note": note} if note else {})))
            last.append(len(out) - 1)
    return out, last


_CARRY_SENTENCES = 2  # a drug-free sentence this close after a therapy's sentence may say how it went
_CARRY_LINES = 3


def extract_therapy_lines(src: SourceText) -> list[TherapyLine]:
    """Every therapy line a text report states, in reading order (FHIR bundles: none here). Progression written
    in its own sentence just after the therapy ("She had 6 cycles of CAPTEM. Scans then showed progression.")
    is progression on the therapy of that sentence (at most `_CARRY_SENTENCES` sentences and `_CARRY_LINES`
    lines later, with no other therapy named in between)."""
    if src.fhir is not None:
        return []
    out: list[TherapyLine] = []
    last: list[int] = []
    since, last_line = 0, 0
    for line_no, sentence in _sentences(src):
        found, found_last = _sentence_lines(sentence, src.name, line_no)
        if found:
            last = [len(out) + i for i in found_last]
            out.extend(found)
            since, last_line = 0, line_no
            continue
        since += 1
        if (
            last
            and since <= _CARRY_SENTENCES
            and line_no - last_line <= _CARRY_LINES
            and _progress_cues(sentence)
        ):
            _carry(out, last, {"progressed": True, "stop_reason": "progression"})
            last = []
    return _typed(out)


def _typed(lines: list[TherapyLine]) -> list[TherapyLine]:
    """Validate the stop reason literal after cue updates (model_copy does not re-validate)."""
    reasons: set[StopReason | None] = {"progression", "toxicity", "completed", "patient choice", None}
    return [TherapyLine.model_validate(t.model_dump()) for t in lines if t.stop_reason in reasons]
