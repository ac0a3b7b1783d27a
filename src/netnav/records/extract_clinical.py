"""Clinical values: prior therapies, functional syndrome, SSTR imaging, ECOG, age, sex."""

from __future__ import annotations

import re

from netnav.records.collector import Line
from netnav.records.gating import gated, vocabulary_index
from netnav.records.patterns import Patterns
from netnav.records.textdoc import TextDoc

I = re.IGNORECASE  # noqa: E741 (the regex-flag idiom, used in every pattern below)
FUTURE = re.compile(
    r"\b(?:recommend\w*|plan(?:ned|s)?|will (?:start|begin|receive)|consider\w*|candidate|eligib\w*|"
    r"options?|propos\w*|discuss\w*|whether|could|would|may benefit|refer(?:red|ral)?|awaiting|pending|"
    r"scheduled|work-?up|to start|(?:asked|talked|thinking|thought) about|mentioned|brought up|suggest\w*|"
    r"might|maybe|next step)\b",
    I,
)
SSTR_NEG = re.compile(
    r"(?:SSTR2?|somatostatin receptor)[- ]?negative|non[- ]?avid|not avid|"
    r"no (?:significant |abnormal |tracer )?(?:DOTATATE |DOTATOC )?uptake|"
    r"(?:DOTATATE|DOTATOC|DOTANOC|octreoscan)[^.;]{0,40}\bnegative",
    I,
)
# "no avid disease" on a whole-body scan may mean no visible disease (surveillance) or a receptor-negative tumour:
# neither positive nor negative, and a warning quotes it. (Never "avid" = positive: that was a negative read as one.)
SSTR_NO_DISEASE = re.compile(
    r"\bno (?:evidence of |scintigraphic |PET[- ])?(?:residual |recurrent |active |metastatic |measurable )?"
    r"(?:(?:SSTR2?|somatostatin receptor|DOTATATE|DOTATOC|DOTANOC|tracer|octreotide)[- ])?"
    r"(?:avid|active|expressing) (?:disease|lesions?|tumou?r|foci|focus|metasta\w*|recurrence)",
    I,
)
SSTR_POS = re.compile(
    r"(?:SSTR2?|somatostatin receptor)[- ]?(?:positive|avid|expressing)|"
    r"(?:DOTATATE|DOTATOC|DOTANOC|Ga-?68|68Ga|Cu-?64|64Cu|octreoscan|octreotide scan)"
    r"[^.;]{0,80}?\b(?:avid|uptake|positive)|(?:DOTATATE|octreotide)[- ]avid|"
    r"\bSSTR-?2?[ \t]+(?:\(?(?:IHC|immunohistochemistry|UMB-?1)\)?[ \t:]+)?"
    r"(?:[23]\+|strong(?:ly)? (?:membranous|positive))",
    I,
)
ECOG = re.compile(
    r"(?:\bECOG\b(?:\s*(?:performance status|PS))?\s*(?:score)?\s*(?:of|:|=|is|-)?|"
    # as a carer writes it down: "ecog he said 1", "ECOG the doctor says is 2"
    r"\bECOG\b(?:\s+(?:he|she|they|dr|doctor|the|was|is|score|said|says|status|noted|given|as))+\s+|"
    r"\bperformance status\s*(?:\((?:ECOG|WHO)\))?\s*(?:of|:|=|is)?\s*(?:ECOG)?|\b(?:WHO|ECOG)[- ]?PS\s*[:=]?)\s*"
    r"(?P<n>[0-4])(?:\s*(?:-|to|/)\s*(?P<hi>[0-4]))?(?!\d|\.\d)",
    I,
)
NOT_GIVEN_BEFORE = re.compile(
    r"\b(?:declin\w*|refus\w*|offered|deferr?\w*|not (?:a )?candidate|ineligible|contraindicat\w*|"
    r"did not (?:start|receive|want)|never (?:started|received))\b",
    I,
)
NOT_GIVEN_AFTER = re.compile(
    r"\b(?:(?:was|were) (?:offered|proposed|discussed|suggested|declined|refused|deferred|"
    r"not (?:given|started))|"
    r"declined|refused|chose (?:not|to defer)|deferred|preferred not|not (?:started|given)|not yet|"
    r"(?:we|she|he|they|I) said no|(?:wants?|wanted) to wait|holding off)\b",
    I,
)
AGE_SEX = re.compile(
    r"\bage\s*/\s*(?:sex|gender)\s*[:=]?\s*(?P<a>\d{1,3})\s*(?:y(?:ears?|rs?|o)?\.?)?\s*/\s*(?P<s>[MF]|male|female)\b|"
    r"\b(?:sex|gender)\s*/\s*age\s*[:=]?\s*(?P<t>[MF]|male|female)\s*/\s*(?P<b>\d{1,3})\b",
    I,
)
AGE = re.compile(
    r"\bage[d]?\s*[:=]?\s*(?P<a>\d{1,3})\b|\b(?P<b>\d{1,3})[- ](?:year|yr)s?[- ]old\b|"
    r"\b(?P<c>\d{1,3})\s*(?:yo|y/o|y\.o\.)|"
    # as a patient or carer writes it: "she is 71", "Dad's 68" (not "he is 5 days post-op", "she is 1 of 3")
    r"\b(?:she|he|patient|pt|dad|mum|mom|father|mother|husband|wife)(?:'s|\s+is)\s+(?P<d>\d{1,3})\b"
    r"(?![/'.,]\d|\s*(?:%|cm|mm|kg|lbs?|ft|feet|in\b|inch\w*|weeks?|wks?|days?|months?|mos?|hours?|hrs?|"
    r"mg|x\b|of\b|times|cycles?|doses?|points?|out of))",
    I,
)
SEX_FIELD = re.compile(
    r"(?i:\b(?:sex|gender)\s*[:=]\s*(?P<s>male|female|man|woman|M|F)\b)|"
    r"\b(?:SEX|GENDER|Sex|Gender)[ \t]+(?P<w>Male|Female|MALE|FEMALE)\b"  # table layout, no colon
)
SEX_PHRASE = re.compile(
    r"\d{1,3}[- ](?:year|yr)s?[- ]old,?\s+(?:\w+\s+)?(?P<s>man|male|gentleman|boy|woman|female|"
    r"lady|girl)\b|\b\d{1,3}\s*(?:yo|y/o)\s*(?P<t>M|F|male|female)\b",
    I,
)
TITLE = re.compile(r"\b(?P<s>Mr|Mrs|Ms|Miss)\b\.?\s+[A-Z]")
MALE = {"male", "man", "gentleman", "boy", "m", "mr"}


def extract_therapies(doc: TextDoc, line: Line) -> None:
    text = line.text
    drugs = vocabulary_index("drugs", doc.pat, lambda p: p.drugs.items())
    regimens = vocabulary_index("regimens", doc.pat, lambda p: ((g, rx) for rx, g in p.regimens.values()))
    found: list[tuple[str, re.Match[str]]] = [
        (g, m) for g, rx in drugs.candidates(text) for m in rx.finditer(text)
    ]
    for generics, rx in regimens.candidates(text):
        found.extend((g, m) for m in rx.finditer(text) for g in generics)
    starts = sorted(m.start() for _, m in found)
    for generic, m in found:
        clause_start = max(text.rfind(";", 0, m.start()), text.rfind(". ", 0, m.start()), 0)
        prev_drug = max((st for st in starts if st < m.start() and text[st : m.start()].strip()), default=-1)
        before = text[max(clause_start, prev_drug) : m.start()]
        nxt = min((st for st in starts if st >= m.end()), default=len(text))
        sentence_end = _sentence_end(text, m.end())
        after = text[m.end() : min(nxt, sentence_end)]
        if FUTURE.search(text[clause_start : m.start()]) or FUTURE.search(text[m.end() : m.end() + 25]):
            continue
        if NOT_GIVEN_BEFORE.search(before) or _declined_after(after, nxt < sentence_end):
            doc.out.negate("prior_therapies", line, generic)
            continue
        if doc.asserted("prior_therapies", line, text, m.start(), m.end()):
            doc.out.add_item("prior_therapies", generic, line)
    none = doc.pat.no_prior_therapy.search(text)
    if none:
        doc.out.empty_list("prior_therapies", line)
        doc.out.negate("prior_therapies", line, none.group(0))


def _declined_after(after: str, drug_follows: bool) -> bool:
    """A refusal after the drug ("Everolimus was offered, but she declined it"), unless the cue governs the next
    drug named right after it ("started everolimus after she had declined sunitinib")."""
    return any(
        not (drug_follows and len(after[cue.end() :].split()) <= 2) for cue in NOT_GIVEN_AFTER.finditer(after)
    )


def _sentence_end(text: str, start: int) -> int:
    m = re.search(r"[.;](?:\s|$)", text[start:])
    return start + m.start() if m else len(text)


def extract_functional(doc: TextDoc, line: Line) -> None:
    text = line.text
    for value, rx in doc.pat.functional_syndromes.items():
        m = rx.search(text)
        if not m:
            continue
        if value == "non-functioning" or doc.asserted("functional_syndrome", line, text, m.start(), m.end()):
            doc.out.add("functional_syndrome", value, line)
            return
    cues = [rx.search(text) for rx in doc.pat.carcinoid_cues]
    if all(cues):
        first = min((c for c in cues if c), key=lambda c: c.start())
        if doc.asserted("functional_syndrome", line, text, first.start(), first.end()):
            doc.out.add(
                "functional_syndrome",
                "carcinoid syndrome",
                line,
                inferred=True,
                note="inferred from flushing and diarrhoea described in the report",
            )


def extract_sstr(doc: TextDoc, line: Line) -> None:
    text = line.text
    nd = SSTR_NO_DISEASE.search(text)
    if nd and not re.search(r"lesion|mass|tumou?r|metasta|nodule", text[: nd.start()], I):
        doc.out.negate("sstr_status", line, "positive")
        doc.out.warn(f"sstr_status: line {line.no} '{nd.group(0)}' read as neither positive nor negative")
        return
    neg = SSTR_NEG.search(text)
    if neg:
        doc.out.add("sstr_status", "negative", line)
        return
    pos = SSTR_POS.search(text)
    if pos and doc.asserted("sstr_status", line, text, pos.end() - 6, pos.end()):
        doc.out.add("sstr_status", "positive", line)


def extract_ecog(doc: TextDoc, line: Line) -> None:
    """ECOG 0-4; a range ("1-2") keeps both ends as "1-2" (rules read it as 1 to 2) with a note."""
    m = ECOG.search(line.text)
    if not m:
        return
    lo, hi = int(m.group("n")), m.group("hi")
    if hi is not None and int(hi) != lo:
        a, b = sorted((lo, int(hi)))
        note = f"range ECOG {a}-{b} reported; both ends kept (not a single score)"
        doc.out.add("ecog", f"{a}-{b}", line, note=note)
    else:
        doc.out.add("ecog", lo, line)


def extract_age_sex(doc: TextDoc, line: Line) -> None:
    text = line.text
    a = AGE.search(text)
    if a:
        age = int(a.group("a") or a.group("b") or a.group("c") or a.group("d"))
        if 0 < age < 120:
            doc.out.add("age", age, line, unit="years")
    both = AGE_SEX.search(text)
    if both:
        doc.out.add("age", int(both.group("a") or both.group("b")), line, unit="years")
        raw = (both.group("s") or both.group("t")).lower()
        doc.out.add("sex", "M" if raw in MALE else "F", line)
        return
    s = SEX_FIELD.search(text) or SEX_PHRASE.search(text)
    if s:
        raw = (s.group("s") or s.groupdict().get("t") or s.groupdict().get("w") or "").lower()
        doc.out.add("sex", "M" if raw in MALE else "F", line)
        return
    t = TITLE.search(text)
    if t:
        doc.out.add(
            "sex",
            "M" if t.group("s").lower() in MALE else "F",
            line,
            inferred=True,
            note=f"inferred from the title '{t.group('s')}'",
        )


def _therapy_patterns(pat: Patterns) -> list[re.Pattern[str]]:
    return [*pat.drugs.values(), *(rx for rx, _ in pat.regimens.values()), pat.no_prior_therapy]


def _functional_patterns(pat: Patterns) -> list[re.Pattern[str]]:
    return [*pat.functional_syndromes.values(), *pat.carcinoid_cues]


# Each extractor with the patterns one of which must match before it records anything (records/gating.py).
CLINICAL_EXTRACTORS = (
    gated(extract_therapies, _therapy_patterns),
    gated(extract_functional, _functional_patterns),
    gated(extract_sstr, SSTR_NO_DISEASE, SSTR_NEG, SSTR_POS),
    gated(extract_ecog, ECOG),
    gated(extract_age_sex, AGE, AGE_SEX, SEX_FIELD, SEX_PHRASE, TITLE),
)
