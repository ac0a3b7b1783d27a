"""Compose a cited answer from selected evidence, then verify every sentence against its passage."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from netnav.answer.facets import Chunk, chunk_sentences, is_anaphoric, split_facets
from netnav.answer.glossary import definitions_for
from netnav.answer.questions import questions_for
from netnav.answer.select import Evidence
from netnav.answer.sentences import content_tokens, prose_units, split_sentences
from netnav.answer.shape import MAX_SUMMARY_CHUNKS, MIN_ANSWER_SCORE, best_chunks, lead_word
from netnav.answer.verify import numbers_supported, supported
from netnav.knowledge.sources import cited_kind, doc_source_type, merged_kind, source_key
from netnav.retrieve.analyze import Analysis
from netnav.settings import DISCLAIMER
from netnav.types.answer import Answer, Citation, CitedPassage, Facet, RefusalKind, Section, Sentence, Urgent
from netnav.types.documents import Document, EvidenceKind, Passage

SECTION_TITLES: dict[EvidenceKind, str] = {
    "guideline": "From the Guidelines",
    "label": "From FDA Labels",
    "research": "From the Research",
    "trial": "From Trials",
    "education": "Background",
    "experience": "Patient experience",
    "document": "Your documents",
}
_DEFAULT_ORDER: tuple[EvidenceKind, ...] = (
    "guideline",
    "label",
    "research",
    "trial",
    "education",
    "document",
    "experience",
)
SECTION_ORDER: dict[str, tuple[EvidenceKind, ...]] = {
    "definition": ("education", "guideline", "research", "label", "trial", "document", "experience"),
    "eligibility": ("label", "guideline", "trial", "research", "education", "document", "experience"),
    "treatment": _DEFAULT_ORDER,
    "trial": ("trial", "research", "label", "guideline", "education", "document", "experience"),
    "risk": ("guideline", "research", "education", "label", "trial", "document", "experience"),
    "prognosis": ("guideline", "research", "education", "label", "trial", "document", "experience"),
    "comparison": ("guideline", "education", "research", "label", "trial", "document", "experience"),
}
MAX_EXTRACTED = 2  # sentences taken from one ingested passage
MAX_SECTION_CHUNKS = 12  # length cap on the sections below the summary
MIN_RELEVANT_SCORE = 2.0  # an evidence item whose best chunk scores below this answers no facet


@dataclass
class Draft:
    """Sentences waiting for numbering: (text, evidence items it cites)."""

    summary: list[tuple[str, list[int]]] = field(default_factory=list)
    sections: dict[EvidenceKind, list[tuple[str, list[int]]]] = field(default_factory=dict)
    dropped: int = 0
    off_topic: int = 0  # chunks left out because they answer no part of the question
    facets: list[tuple[str, bool]] = field(default_factory=list)


@dataclass(frozen=True)
class Source:
    """One citable passage (an evidence item, or a card cited by the personal section)."""

    passage: Passage
    doc: Document

    def support_texts(self) -> list[str]:
        return [self.passage.text, self.passage.plain or ""]


def wording(passage: Passage, audience: str) -> str:
    return passage.plain if audience == "patient" and passage.plain else passage.text


def pick_sentences(ev: Evidence, analysis: Analysis, audience: str) -> list[str]:
    passage, doc = ev.candidate.passage, ev.candidate.doc
    if doc.is_card:
        return split_sentences(wording(passage, audience))
    sentences = prose_units(passage.text)
    query = content_tokens(analysis.question + " " + " ".join(analysis.expansion))
    scored = [(len(content_tokens(s) & query), i, s) for i, s in enumerate(sentences) if len(s.split()) >= 5]
    best = sorted([t for t in scored if t[0] > 0], key=lambda t: (-t[0], t[1]))[:MAX_EXTRACTED]
    keep = {i for _, i, _ in best}
    keep |= {i - 1 for i in keep if i > 0 and is_anaphoric(sentences[i])}
    return [sentences[i] for i in sorted(keep)]


def usable(doc: Document, analysis: Analysis) -> bool:
    """A retracted publication never supports a sentence; an older version of an ingested label (superseded,
    or listing an indication since withdrawn) only when the question asks about history. Built-in cards
    about withdrawn approvals say so in their own words and stay usable."""
    if doc.status == "retracted":
        return False
    return doc.is_card or doc.status == "current" or analysis.asks_history


def draft_answer(
    evidence: Sequence[Evidence], analysis: Analysis, audience: str, urgent: bool = False
) -> Draft:
    """Verified sentences grouped into self-contained chunks; per facet of the question its best chunk goes
    to the summary (with a yes/no lead word when the facet asks one), the rest of the chunks that answer
    some facet go to the sections by evidence kind, and chunks that answer none are left out."""
    draft = Draft()
    chunks: list[Chunk] = []
    for idx, ev in enumerate(evidence):
        if not usable(ev.candidate.doc, analysis):
            continue
        source = Source(ev.candidate.passage, ev.candidate.doc)
        kept = []
        for sentence in pick_sentences(ev, analysis, audience):
            if supported(sentence, source.support_texts()):
                kept.append(sentence)
            else:
                draft.dropped += 1
        chunks.extend(chunk_sentences(idx, kept, first_is_start=ev.candidate.doc.is_card))
    facets = split_facets(analysis)
    picks, best = best_chunks(chunks, facets)
    used: set[int] = set()
    for facet, chunk, _score in picks:
        if chunk is None or id(chunk) in used or len(used) >= MAX_SUMMARY_CHUNKS:
            continue
        group = summary_group(chunk, chunks, used)
        text = " ".join(c.text for c in group)
        lead = lead_word(text, facet) if facet.yes_no and not draft.summary and not urgent else None
        if lead:
            text = f"{lead} {text}"
        draft.summary.append((text, [chunk.item]))
        used.update(id(c) for c in group)
    if not draft.summary and chunks:
        draft.summary.append((chunks[0].text, [chunks[0].item]))
        used.add(id(chunks[0]))
    item_score: dict[int, float] = {}
    for chunk in chunks:
        item_score[chunk.item] = max(item_score.get(chunk.item, 0.0), best.get(id(chunk), 0.0))
    placed = 0
    for chunk in chunks:
        if id(chunk) in used or placed >= MAX_SECTION_CHUNKS:
            continue
        if item_score[chunk.item] < MIN_RELEVANT_SCORE:
            draft.off_topic += 1
            continue
        kind = evidence[chunk.item].candidate.doc.kind
        draft.sections.setdefault(kind, []).append((chunk.text, [chunk.item]))
        placed += 1
    answered: dict[str, bool] = {}
    for f, chunk, score in picks:
        answered[f.text] = answered.get(f.text, False) or (chunk is not None and score >= MIN_ANSWER_SCORE)
    draft.facets = list(answered.items())
    return draft


MAX_SUMMARY_SENTENCES = 4


def summary_group(chunk: Chunk, chunks: Sequence[Chunk], used: set[int]) -> list[Chunk]:
    """The chunk, plus the next chunk of the same evidence item while the summary stays short."""
    group = [chunk]
    follower = next((c for c in chunks if c.item == chunk.item and c.position == chunk.position + 1), None)
    short = follower is not None and len(chunk.sentences) + len(follower.sentences) <= MAX_SUMMARY_SENTENCES
    if follower is not None and id(follower) not in used and short:
        group.append(follower)
    return group


class Numbering:
    """Citation numbers per SOURCE in order of first use: passages of one source (two cards citing the same
    label, or two chunks of one ingested article) share its number and are listed as its `passages`."""

    def __init__(self, sources: Sequence[Source], audience: str) -> None:
        self.sources = sources
        self.audience = audience
        self.numbers: dict[str, int] = {}  # source key -> citation number
        self.passages: dict[int, list[CitedPassage]] = {}
        self.first: dict[int, Source] = {}
        self.kinds: dict[int, list[EvidenceKind]] = {}

    def cite(self, refs: list[int], text: str = "") -> list[int]:
        out: list[int] = []
        for ref in refs:
            source = self.sources[ref]
            key = source_key(source.doc)
            n = self.numbers.get(key)
            if n is None:
                n = len(self.numbers) + 1
                self.numbers[key] = n
                self.first[n] = source
                self.passages[n] = []
                self.kinds[n] = []
            self.kinds[n].append(passage_kind(source))
            self._add_passage(n, source, text)
            if n not in out:
                out.append(n)
        return out

    def _add_passage(self, n: int, source: Source, text: str) -> None:
        verbatim = not source.doc.is_card
        # an ingested document is quoted by the sentences actually used (they are its own words); a card by
        # its whole wording, which is NETNav's summary of the source
        quote = (
            verbatim_part(text, source.passage.text) if verbatim else wording(source.passage, self.audience)
        )
        listed = self.passages[n]
        for i, old in enumerate(listed):
            if old.passage_id == source.passage.id:
                if verbatim and quote not in old.quote:
                    listed[i] = CitedPassage(
                        passage_id=old.passage_id, quote=f"{old.quote} … {quote}", verbatim=True
                    )
                return
        listed.append(CitedPassage(passage_id=source.passage.id, quote=quote, verbatim=verbatim))

    @property
    def citations(self) -> list[Citation]:
        return [
            make_citation(n, self.first[n], self.passages[n], merged_kind(self.kinds[n]))
            for n in sorted(self.first)
        ]


def verbatim_part(text: str, passage_text: str) -> str:
    """The sentences of an answer sentence that appear word for word in the passage (a lead word such as
    "Yes." or text joined from elsewhere is left out); the passage itself when none do."""
    flat = " ".join(passage_text.split())
    kept = [s for s in split_sentences(text) if " ".join(s.split()) in flat]
    return " ".join(kept) if kept else passage_text


def passage_kind(source: Source) -> EvidenceKind:
    """The kind a source earns through one citing passage (see netnav.knowledge.sources.cited_kind)."""
    doc = source.doc
    own_file = not doc.is_card and "url" not in doc.identifiers
    return cited_kind(doc_source_type(doc), doc.kind, own_file)


def make_citation(n: int, source: Source, passages: list[CitedPassage], kind: EvidenceKind) -> Citation:
    """One entry per source; its kind never claims more than the source type (label only for labels)."""
    doc = source.doc
    source_type = doc_source_type(doc)
    return Citation(
        n=n,
        passage_id=passages[0].passage_id,
        source_id=doc.id,
        kind=kind,
        title=doc.title,
        publisher=doc.publisher,
        year=doc.year,
        version=doc.version,
        identifiers=dict(doc.identifiers),
        quote=passages[0].quote,
        status=doc.status,
        source_type=source_type,
        quote_is_verbatim=all(p.verbatim for p in passages),
        passages=list(passages),
    )


def add_definitions(draft: Draft, sources: list[Source], evidence: Sequence[Evidence]) -> None:
    """Explain jargon from document sentences with glossary cards (patients only), in Background."""
    doc_refs = {i for i, ev in enumerate(evidence) if not ev.candidate.doc.is_card}
    texts = [
        t for items in [draft.summary, *draft.sections.values()] for t, refs in items if set(refs) & doc_refs
    ]
    used = {s.passage.id for s in sources}
    for text, passage, doc in definitions_for(texts, used):
        sources.append(Source(passage, doc))
        draft.sections.setdefault("education", []).append((text, [len(sources) - 1]))


@dataclass(frozen=True)
class PersonalItem:
    """A sentence about the user's own case: cites the cards its rule encodes; `context` holds the case's
    source lines the rule read, so numbers quoted from the case can be checked too."""

    text: str
    sources: tuple[Source, ...]
    context: tuple[str, ...] = ()
    section: EvidenceKind | None = None  # None: the `personal` list; else placed first in that section


def compose(
    analysis: Analysis,
    evidence: Sequence[Evidence],
    audience: str,
    personal: Sequence[PersonalItem] = (),
    first_questions: Sequence[str] = (),
    timings: dict[str, float] | None = None,
    urgent: tuple[str, Sequence[Source]] | None = None,
) -> Answer:
    sources = [Source(ev.candidate.passage, ev.candidate.doc) for ev in evidence]
    draft = draft_answer(evidence, analysis, audience, urgent is not None)
    urgent_refs: list[int] = []
    if urgent is not None:
        for src in urgent[1]:
            sources.append(src)
            urgent_refs.append(len(sources) - 1)
    personal_refs: list[tuple[str, list[int]]] = []
    placed: dict[EvidenceKind, list[tuple[str, list[int]]]] = {}
    for item in personal:
        texts = [t for s in item.sources for t in s.support_texts()] + list(item.context)
        if not item.sources or not numbers_supported(item.text, texts):
            draft.dropped += 1
            continue
        refs = []
        for src in item.sources:
            sources.append(src)
            refs.append(len(sources) - 1)
        if item.section is None:
            personal_refs.append((item.text, refs))
        else:
            placed.setdefault(item.section, []).append((item.text, refs))
    for kind, items in placed.items():
        draft.sections[kind] = items + draft.sections.get(kind, [])
    if audience == "patient":
        add_definitions(draft, sources, evidence)
    numbering = Numbering(sources, audience)
    urgent_out = (
        Urgent(text=urgent[0], citations=numbering.cite(urgent_refs, urgent[0]))
        if urgent is not None and urgent_refs
        else None
    )
    personal_out = [Sentence(text=t, citations=numbering.cite(refs, t)) for t, refs in personal_refs]
    summary = [Sentence(text=t, citations=numbering.cite(refs, t)) for t, refs in draft.summary]
    sections: list[Section] = []
    for kind in SECTION_ORDER.get(analysis.intent, _DEFAULT_ORDER):
        section_items = draft.sections.get(kind)
        if section_items:
            sentences = [Sentence(text=t, citations=numbering.cite(refs, t)) for t, refs in section_items]
            sections.append(Section(kind=kind, title=SECTION_TITLES[kind], sentences=sentences))
    docs = [s.doc for s in sources]
    return Answer(
        question=analysis.original or analysis.question,
        audience=audience,
        abstained=False,
        summary=summary,
        sections=sections,
        personal=personal_out,
        questions_to_ask=questions_for(analysis.intent, docs, list(first_questions), audience),
        citations=numbering.citations,
        disclaimer=DISCLAIMER,
        timings_ms=timings or {},
        dropped_sentences=draft.dropped,
        urgent=urgent_out,
        facets=[Facet(text=t, answered=a) for t, a in draft.facets],
        rewritten_from=analysis.rewritten_from,
    )


def abstain(
    question: str,
    audience: str,
    reason: str,
    suggestion: str,
    timings: dict[str, float] | None = None,
    refusal_kind: RefusalKind | None = None,
) -> Answer:
    return Answer(
        question=question,
        audience=audience,
        abstained=True,
        abstain_reason=reason,
        suggestion=suggestion,
        disclaimer=DISCLAIMER,
        timings_ms=timings or {},
        questions_to_ask=[],
        refusal_kind=refusal_kind,
    )
