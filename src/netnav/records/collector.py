"""Collect field values for one document: first explicit value wins, conflicts become warnings."""

from __future__ import annotations

from dataclasses import dataclass, field

from netnav.types.case import FieldData, FieldValue, NegatedFinding

LIST_FIELDS = frozenset({"metastatic_sites", "gene_alterations", "prior_therapies"})


@dataclass(frozen=True)
class Line:
    no: int  # 1-based
    text: str  # what the extractors read
    shown: str | None = None  # what the user sees, when it differs (FHIR: "<display>: <value>")

    @property
    def quote(self) -> str:
        return (self.shown if self.shown is not None else self.text).strip()


@dataclass
class _ListAcc:
    items: list[str] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)
    first: Line | None = None


class Collector:
    """Accumulates values from one source file."""

    def __init__(self, source: str, report_date: str | None) -> None:
        self.source = source
        self.report_date = report_date
        self.fields: dict[str, FieldValue] = {}
        self.lists: dict[str, _ListAcc] = {}
        self.negated: list[NegatedFinding] = []
        self.warnings: list[str] = []

    def _fv(
        self, value: FieldData, line: Line, unit: str | None, inferred: bool, note: str | None
    ) -> FieldValue:
        return FieldValue(
            value=value,
            unit=unit,
            text=line.quote,
            source=self.source,
            line=line.no,
            inferred=inferred,
            report_date=self.report_date,
            note=note,
        )

    def add(
        self,
        name: str,
        value: FieldData,
        line: Line,
        *,
        unit: str | None = None,
        inferred: bool = False,
        note: str | None = None,
    ) -> None:
        new = self._fv(value, line, unit, inferred, note)
        old = self.fields.get(name)
        if old is None or (old.inferred and not inferred):
            self.fields[name] = new
            return
        if _same(old.value, value) or inferred:
            return
        self.warn(f"{name}: {self.source}:{line.no} says {value!r}; kept {old.value!r} from line {old.line}")

    def replace(self, name: str, value: FieldData, line: Line, *, note: str | None = None) -> None:
        """Overwrite (used when a later statement is decisive, e.g. any involved margin)."""
        self.fields[name] = self._fv(value, line, None, False, note)

    def add_item(self, name: str, item: str, line: Line) -> None:
        acc = self.lists.setdefault(name, _ListAcc())
        if acc.first is None:
            acc.first = line
        if item not in acc.items:
            acc.items.append(item)
            acc.refs.append(f"{item}: line {line.no}")

    def empty_list(self, name: str, line: Line) -> None:
        """The report states there were none (e.g. 'no prior systemic therapy')."""
        acc = self.lists.setdefault(name, _ListAcc())
        if acc.first is None:
            acc.first = line

    def negate(self, name: str, line: Line) -> None:
        if not any(n.field == name and n.line == line.no for n in self.negated):
            self.negated.append(NegatedFinding(field=name, text=line.quote, line=line.no, source=self.source))

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def has(self, name: str) -> bool:
        return name in self.fields or bool(self.lists.get(name) and self.lists[name].items)

    def finish(self) -> dict[str, FieldValue]:
        out = dict(self.fields)
        for name, acc in self.lists.items():
            if acc.first is None:
                continue
            note = "; ".join(acc.refs) if len(acc.refs) > 1 else None
            if not acc.items:
                note = "stated as none"
            out[name] = self._fv(list(acc.items), acc.first, None, False, note)
        return out


def _same(a: FieldData, b: FieldData) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return abs(float(a) - float(b)) < 1e-9
    if isinstance(a, str) and isinstance(b, str):
        return a.strip().lower() == b.strip().lower()
    return a == b
