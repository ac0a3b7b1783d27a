"""The keyword prefilter (records/prefilter.py, records/gating.py) never rejects a line an extractor would match.

Three levels: (1) every string a gate's pattern matches passes the gate (hypothesis generates the matches from
the patterns themselves); (2) on generated lines, an extractor whose gate rejects the line records nothing;
(3) whole reports - generated ones and every report in the test corpus - give exactly the same CaseProfile with
the prefilter as without it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netnav.records import extract_text
from netnav.records.collector import Collector
from netnav.records.extract_molecular import gene_gate
from netnav.records.extract_site import METAST, NO_METS, site_index
from netnav.records.patterns import load_patterns
from netnav.records.pipeline import LINE_EXTRACTORS
from netnav.records.prefilter import Gate, GateSet, fold, required_literals
from netnav.records.textdoc import TextDoc
from netnav.records.therapy_lines import _drug_patterns
from tests.records.helpers import SHARED

ROOT = Path(__file__).resolve().parents[2]
PAT = load_patterns()


def _gate_patterns() -> list[re.Pattern[str]]:
    out: list[re.Pattern[str]] = []
    for extractor in LINE_EXTRACTORS:
        out.extend(extractor.patterns(PAT))
    out.extend(rx for _, rx in site_index(PAT).items)
    out.extend(gene_gate(PAT).patterns)
    out.extend([NO_METS, METAST])
    out.extend(rx for rx, _ in _drug_patterns())
    unique = {(p.pattern, p.flags): p for p in out}
    return list(unique.values())


PATTERNS = _gate_patterns()


@contextmanager
def prefilter_off() -> Iterator[None]:
    """Every gate passes: the extractors run on every line, as before the prefilter."""
    with mock.patch.object(GateSet, "masks", lambda self, text, split=None, folded=None: (-1, -1)):
        yield


def _profile(text: str, name: str = "generated.txt") -> dict[str, Any]:
    return extract_text(text, name).model_dump(mode="json")


def _both(text: str, name: str = "generated.txt") -> tuple[dict[str, Any], dict[str, Any]]:
    gated = _profile(text, name)
    with prefilter_off():
        full = _profile(text, name)
    return gated, full


# (1) literal analysis -----------------------------------------------------------------------------------------


def test_literals_of_known_shapes() -> None:
    assert required_literals(re.compile(r"\bki[\s-]?67\b|\bMIB-?1\b", re.I)) == frozenset(
        {("ki", False), ("mib1", False), ("mib-1", False)}
    )
    assert required_literals(re.compile(r"\bTITLE\b")) == frozenset({("TITLE", True)})
    # a case-sensitive part joined to a case-insensitive one is compared in lower case (looser, never stricter)
    assert required_literals(re.compile(r"(?i:abc)DEF")) == frozenset({("abcdef", False)})
    assert required_literals(re.compile(r"(?i:a\w+c)DEF")) == frozenset({("DEF", True)})
    assert required_literals(re.compile(r"\d+\s*%")) == frozenset({("%", True)})
    assert required_literals(re.compile(r"\d+\s*\w")) is None  # nothing literal: the gate always passes
    assert required_literals(re.compile(r"a?b*")) is None
    assert Gate([re.compile(r"\d+\s*\w")]).may_match("anything")


def test_case_insensitive_gate_reads_unicode_look_alikes() -> None:
    """Python's case-insensitive matching equates the Kelvin sign with k and dotless i with i."""
    rx = re.compile(r"ki-?67", re.I)
    for text in ("\u212ai-67 index 5%", "k\u0131-67: 3%", "KI67 12 %"):
        assert rx.search(text)
        assert Gate([rx]).may_match(text), text
    assert not Gate([rx]).may_match("potassium 4.1 mmol/L")
    assert len(fold("Stra\u00dfe \u0130stanbul \u212a")) == len("Stra\u00dfe \u0130stanbul \u212a")


def test_gate_set_masks_split_the_line_from_the_joined_text() -> None:
    gates = GateSet([Gate([re.compile("grade", re.I)]), Gate([re.compile("mitoses", re.I)])])
    own, joined = gates.masks("Grade 2\nGrade 2 mitoses 3/2mm2", split=len("Grade 2"))
    assert own == 0b01 and joined == 0b11


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_every_match_of_a_gate_pattern_passes_its_gate(data: st.DataObject) -> None:
    pattern = data.draw(st.sampled_from(PATTERNS))
    text = data.draw(st.from_regex(pattern))
    assert pattern.search(text)
    assert Gate([pattern]).may_match(text), (pattern.pattern, text)


# (2) extractors on generated lines ---------------------------------------------------------------------------


def _corpus_words() -> list[str]:
    words: set[str] = set()
    for path in sorted((ROOT / "tests" / "records").rglob("*.txt"))[:80]:
        words.update(path.read_text(encoding="utf-8", errors="replace").split())
    literals = {text for p in PATTERNS for text, _ in (required_literals(p) or ())}
    return sorted(words | literals)


WORDS = _corpus_words()
TOKENS = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(["%", "5%", "12 %", "3/14", "2.5 cm", "per 2 mm2", ":", ";", "-", "(", ")", ",", "G2"]),
    st.text(alphabet="abcdeiklmnoprstuyACEGKLMNPST0123456789 -/%:\u212a\u0131\u017f\u00b2", max_size=8),
)
LINES = st.lists(TOKENS, min_size=1, max_size=14).map(" ".join)


def _empty(out: Collector) -> bool:
    return not (out.fields or out.negated or out.warnings or any(a.first for a in out.lists.values()))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(line=LINES, nxt=LINES, index=st.integers(0, len(LINE_EXTRACTORS) - 1))
def test_an_extractor_records_nothing_on_a_line_its_gate_rejects(line: str, nxt: str, index: int) -> None:
    extractor = LINE_EXTRACTORS[index]
    doc = TextDoc.build((line, nxt), PAT, Collector("generated.txt", None))
    first = doc.lines[0]
    if extractor.may_match(doc, first):
        return
    extractor(doc, first)
    assert _empty(doc.out), (extractor.__name__, line, nxt)


# (3) whole reports -------------------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(LINES, min_size=1, max_size=6))
def test_generated_reports_read_the_same_with_and_without_the_prefilter(lines: list[str]) -> None:
    gated, full = _both("\n".join(lines))
    assert gated == full


def _corpus() -> list[Path]:
    folders = [ROOT / "tests" / "records", SHARED / "eval" / "reports", SHARED / "eval" / "real-world"]
    out: list[Path] = []
    for folder in folders:
        if folder.exists():
            out.extend(
                p
                for p in sorted(folder.rglob("*"))
                if p.suffix in (".txt", ".md", ".json") and not p.name.endswith(".expected.json")
            )
    return out


def test_every_corpus_report_reads_the_same_with_and_without_the_prefilter() -> None:
    reports = _corpus()
    assert len(reports) > 50, "the records test corpus is missing"
    for path in reports:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".json":
            try:
                json.loads(text)
            except ValueError:
                continue
        gated, full = _both(text, path.name)
        assert gated == full, path


def test_shared_diagnoses_read_the_same_with_and_without_the_prefilter() -> None:
    source = SHARED / "data" / "pathology_reports" / "reg2025_net_nec_sclc_diagnoses.jsonl"
    if not source.exists():
        pytest.skip(f"shared data not available: {source}")
    rows = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    for row in rows:
        gated, full = _both(row["report"], f"{row['id']}.txt")
        assert gated == full, row["id"]
