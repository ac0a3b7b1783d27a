"""Split a registry eligibility text block into numbered inclusion / exclusion criteria.

Handles the shapes seen in ClinicalTrials.gov text: "Inclusion Criteria:" / "Exclusion Criteria:"
headings (also a bare "Inclusion" / "Exclusion:" line), bullets ("-", "*", "•", "1.", "a)"), criteria that
wrap over several lines, nested sub-bullets (joined to their parent item), old NCI-style sub-headings
("DISEASE CHARACTERISTICS:") and Markdown escapes ("\\*", "\\<=").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_HEADING = re.compile(
    r"^\s*(?:key\s+|main\s+)?(?P<kind>inclusion|exclusion|eligibility)(?:\s+criteria\b[^:\n]*)?\s*:?\s*$",
    re.IGNORECASE,
)
_INLINE_HEADING = re.compile(
    r"^\s*(?P<kind>inclusion|exclusion)\s+criteria\s*:\s*(?P<rest>\S.*)$", re.IGNORECASE
)
_BULLET = re.compile(
    r"^(?P<indent>\s*)(?P<mark>[-*•·‣⁃▪◦]|\(?\d{1,2}[.)]|\(?[a-z][.)]|\(?[ivx]{1,4}[.)])\s+(?P<body>\S.*)$"
)
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>=|~^&])")


def unescape_markdown(text: str) -> str:
    """Registry v2 text is Markdown: `\\*` is a literal star, `\\<=` a literal "<=", `1\\.` a list number."""
    return _MD_ESCAPE.sub(r"\1", text)


_SUBHEADING = re.compile(r"^\s*[A-Z][A-Z /&,()-]{3,60}:\s*$")
_COHORT_HEADING = re.compile(  # "PHASE I", "Part 2:", "Cohort A" alone on a line
    r"^\s*(?:phase|part|cohort|arm|stage)\s+(?:[ivx]{1,4}|\d{1,2}|[a-d])[ab]?\s*:?\s*$", re.IGNORECASE
)


@dataclass
class _Item:
    indent: int
    parts: list[str]
    subs: list[list[str]] = field(default_factory=list)

    def render(self) -> str:
        head = " ".join(self.parts).strip()
        subs = ["".join(" ".join(s).strip()) for s in self.subs if " ".join(s).strip()]
        if not subs:
            return head
        joiner = " " if head.endswith(":") else ": "
        return head.rstrip() + joiner + "; ".join(subs)


@dataclass
class _Section:
    kind: str
    items: list[_Item] = field(default_factory=list)
    top_indent: int | None = None
    paragraph_mode: bool = False

    def add_bullet(self, indent: int, body: str) -> None:
        if self.top_indent is None or indent <= self.top_indent or not self.items:
            if self.top_indent is None or indent < self.top_indent:
                self.top_indent = indent
            self.items.append(_Item(indent=indent, parts=[body]))
            return
        self.items[-1].subs.append([body])

    def add_text(self, text: str, after_blank: bool) -> None:
        if not self.items or (self.top_indent is None and after_blank):
            self.items.append(_Item(indent=0, parts=[text]))
            return
        item = self.items[-1]
        (item.subs[-1] if item.subs else item.parts).append(text)


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" ;")


def split_eligibility(text: str) -> tuple[list[str], list[str]]:
    """Return (inclusion, exclusion) criteria, in registry order, whitespace-normalised."""
    sections: list[_Section] = [_Section(kind="inclusion")]
    blank = True
    for raw in unescape_markdown(text).replace("\r\n", "\n").split("\n"):
        line = raw.rstrip()
        if not line.strip():
            blank = True
            continue
        heading = _HEADING.match(line) or _INLINE_HEADING.match(line)
        if heading:
            kind = heading.group("kind").lower()
            sections.append(_Section(kind="exclusion" if kind == "exclusion" else "inclusion"))
            rest = heading.groupdict().get("rest")
            if rest:
                sections[-1].add_text(rest, after_blank=True)
            blank = True
            continue
        if (_SUBHEADING.match(line) or _COHORT_HEADING.match(line)) and not _BULLET.match(line):
            blank = True  # an old-style sub-heading: not a criterion itself
            if sections[-1].items:
                sections[-1].top_indent = None
            continue
        bullet = _BULLET.match(line)
        if bullet:
            sections[-1].add_bullet(len(bullet.group("indent").expandtabs(4)), bullet.group("body"))
        else:
            sections[-1].add_text(line.strip(), after_blank=blank)
        blank = False
    inclusion: list[str] = []
    exclusion: list[str] = []
    for section in sections:
        target = exclusion if section.kind == "exclusion" else inclusion
        target.extend(c for c in (_clean(i.render()) for i in section.items) if c)
    return inclusion, exclusion
