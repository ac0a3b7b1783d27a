"""Line extractors with a keyword prefilter built from their own patterns.

A `GatedExtractor` wraps one line extractor together with the patterns it needs before it can record anything
(e.g. extract_ki67 does nothing unless `KI67` matches). `LineGates.run(doc, line)` checks the gates of all line
extractors in one pass over the line (records/prefilter.py: the literal strings every match must contain, found
with an Aho-Corasick automaton) and runs only the extractors whose gate passes; most lines of a long record (lab
tables, letters, repeated headers and footers) pass few or none. Calling a GatedExtractor directly runs the
extractor without the prefilter.

Extractors that also read the next line (`joined=True`: values broken over two lines) are gated on the line and
the joined text together. tests/records/test_prefilter.py checks, with generated lines and every report in the
test corpus, that a line the gate rejects gives the extractor nothing to record.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar, cast

from netnav.records.collector import Line
from netnav.records.patterns import Patterns
from netnav.records.prefilter import Gate, GateSet, PatternIndex
from netnav.records.textdoc import TextDoc

PatternSource = re.Pattern[str] | Callable[[Patterns], Iterable[re.Pattern[str]]]
LineExtractor = Callable[[TextDoc, Line], None]
T = TypeVar("T")

_VOCABULARY: dict[tuple[str, int], tuple[Patterns, object]] = {}


def _per_vocabulary(name: str, pat: Patterns, build: Callable[[], object]) -> object:
    cached = _VOCABULARY.get((name, id(pat)))
    if cached is None or cached[0] is not pat:
        cached = (pat, build())
        _VOCABULARY[(name, id(pat))] = cached
    return cached[1]


def vocabulary_gate(name: str, pat: Patterns, build: Callable[[Patterns], Iterable[re.Pattern[str]]]) -> Gate:
    """The gate of the patterns `build(pat)` gives, built once per vocabulary and `name`."""
    gate = _per_vocabulary(f"gate:{name}", pat, lambda: Gate(build(pat)))
    assert isinstance(gate, Gate)
    return gate


def vocabulary_index(
    name: str, pat: Patterns, build: Callable[[Patterns], Iterable[tuple[T, re.Pattern[str]]]]
) -> PatternIndex[T]:
    """A `PatternIndex` of the keyed patterns `build(pat)` gives, built once per vocabulary and `name`."""
    return cast(PatternIndex[T], _per_vocabulary(f"index:{name}", pat, lambda: PatternIndex(build(pat))))


@dataclass(eq=False)
class GatedExtractor:
    """A line extractor and the patterns one of which must match before it can record anything."""

    run: LineExtractor
    sources: tuple[PatternSource, ...]
    joined: bool = False
    _gate: tuple[Patterns, Gate] | None = field(default=None, repr=False)

    @property
    def __name__(self) -> str:
        return self.run.__name__

    def __call__(self, doc: TextDoc, line: Line) -> None:
        self.run(doc, line)

    def patterns(self, pat: Patterns) -> list[re.Pattern[str]]:
        """The patterns of the gate for vocabulary `pat`."""
        out: list[re.Pattern[str]] = []
        for src in self.sources:
            out.extend([src] if isinstance(src, re.Pattern) else src(pat))
        return out

    def gate(self, pat: Patterns) -> Gate:
        """The prefilter for the pattern vocabulary `pat` (built once per vocabulary)."""
        if self._gate is None or self._gate[0] is not pat:
            self._gate = (pat, Gate(self.patterns(pat)))
        return self._gate[1]

    def gate_text(self, doc: TextDoc, line: Line) -> str:
        """The text the gate reads: the line, or the line and the joined text for a `joined` extractor."""
        return line.text + "\n" + doc.joined(line) if self.joined else line.text

    def may_match(self, doc: TextDoc, line: Line) -> bool:
        return self.gate(doc.pat).may_match(self.gate_text(doc, line))


class LineGates:
    """The gates of several extractors for one vocabulary, checked together in one pass per line."""

    def __init__(self, extractors: Sequence[GatedExtractor], pat: Patterns) -> None:
        self.extractors = tuple(extractors)
        self.gates = GateSet([ex.gate(pat) for ex in self.extractors])
        self.any_joined = any(ex.joined for ex in self.extractors)

    def run(self, doc: TextDoc, line: Line) -> None:
        """Run each extractor whose gate passes on `line` (bit i of the masks is extractor i)."""
        text = line.text + "\n" + doc.joined(line) if self.any_joined else line.text
        own, joined = self.gates.masks(text, split=len(line.text))
        for i, extractor in enumerate(self.extractors):
            if (joined if extractor.joined else own) >> i & 1:
                extractor.run(doc, line)


def line_gates(extractors: Sequence[GatedExtractor], pat: Patterns) -> LineGates:
    """`LineGates` for these extractors and vocabulary, built once."""
    gates = _per_vocabulary(f"lines:{id(extractors)}", pat, lambda: LineGates(extractors, pat))
    assert isinstance(gates, LineGates)
    return gates


def gated(run: LineExtractor, *sources: PatternSource, joined: bool = False) -> GatedExtractor:
    """`run` gated by `sources`: compiled patterns, or functions of the pattern vocabulary giving patterns."""
    return GatedExtractor(run, sources, joined)
