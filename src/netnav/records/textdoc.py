"""A report's lines plus the helpers every extractor shares (context, reference ranges, specimens)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from netnav.records.collector import Collector, Line
from netnav.records.context import Flags, flags
from netnav.records.layout import build_lines, document_specimen, is_multifocal
from netnav.records.patterns import Patterns

_GRADE_TOKEN = re.compile(r"\bG[123]\b|\bgrade\s*[123]\b", re.IGNORECASE)
_HEADER = re.compile(
    r"^\s*(?:[A-Z]\s*[.)]|\d+\s*[.)]|specimen\s*[A-Z0-9]?\s*:|part\s+[A-Z0-9]+\s*:)\s*", re.IGNORECASE
)


@dataclass
class TextDoc:
    """Lines of one report and the collector its values go to."""

    lines: tuple[Line, ...]
    pat: Patterns
    out: Collector
    metastatic_block: set[int] = field(default_factory=set)  # line numbers inside a metastasis specimen
    join_lines: bool = True  # False for FHIR (one synthetic line per resource value)

    @classmethod
    def build(cls, raw: tuple[str, ...], pat: Patterns, out: Collector) -> TextDoc:
        """A text report: layout artefacts normalised, table rows joined, sections ranked (layout.py)."""
        lines = build_lines(raw)
        texts = [ln.text for ln in lines]
        out.multifocal = is_multifocal(texts)
        out.specimen = document_specimen(texts)
        return cls(lines, pat, out)

    def joined(self, line: Line) -> str:
        """The line followed by the next one (values broken over two lines)."""
        if not self.join_lines:
            return line.text
        nxt = self.lines[line.no].text.strip() if line.no < len(self.lines) else ""
        return line.text.rstrip() + " " + nxt

    def context(self, text: str, start: int, end: int) -> Flags:
        return flags(text, start, end)

    def asserted(
        self,
        field_name: str,
        line: Line,
        text: str,
        start: int,
        end: int,
        *,
        negatable: bool = False,
        allow_history: bool = True,
    ) -> bool:
        """True when the mention at text[start:end] is a finding; records negation/uncertainty."""
        f = self.context(text, start, end)
        if f.uncertain:
            self.out.warn(
                f"{field_name}: uncertain statement not used ({self.out.source}:{line.no}: "
                f"{line.quote[:120]})"
            )
            return False
        if f.negated:
            if negatable:
                self.out.negate(field_name, line)
            return False
        if f.hypothetical:
            return False
        return allow_history or not f.historical

    def is_reference(self, text: str, start: int) -> bool:
        """A number introduced as a reference range, cut-off or grading legend."""
        before = text[max(0, start - 30) : start]
        return bool(self.pat.reference_cues.search(before)) or is_legend(text)


def is_legend(text: str) -> bool:
    """Grading legends ('G1: Ki-67 <3%; G2: 3-20%; G3: >20%') define thresholds, not findings."""
    return len(_GRADE_TOKEN.findall(text)) >= 2 and "%" in text


def header_body(text: str) -> str:
    """Strip a specimen label ('A.', 'Specimen:', '1)') from the start of a line."""
    return _HEADER.sub("", text, count=1)
