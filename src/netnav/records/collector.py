"""Collect field values for one document.

Precedence within a document: a line of higher rank wins (clinical-history/requisition lines 0, report body 1,
addendum/amended/corrected sections 2; FHIR preliminary 0, final 1, amended/corrected 2) and the value it
replaces is kept as `history`. Between lines of the same rank the first explicit value wins and a different
later value is a warning, except in a multifocal report, where size, Ki-67, mitoses and grade keep the
highest value (the largest / highest-grade tumour) and the note lists every tumour's value.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from netnav.types.case import BIOMARKER_FIELDS, FieldData, FieldValue, HistoryEntry, NegatedFinding, Specimen

LIST_FIELDS = frozenset({"metastatic_sites", "gene_alterations", "prior_therapies"})
MULTIFOCAL_MAX_FIELDS = frozenset({"tumor_size_cm", "ki67_percent", "mitoses_per_2mm2", "grade"})


@dataclass(frozen=True)
class Line:
    no: int  # 1-based
    text: str  # what the extractors read
    shown: str | None = None  # what the user sees, when it differs (FHIR: "<display>: <value>")
    rank: int = 1  # 0 clinical history / preliminary, 1 report body / final, 2 addendum / amended
    specimen: Specimen | None = None  # blood for liquid-biopsy lines, tissue when stated

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
        self.multifocal = False  # set by the document reader when several tumours are described
        self.specimen: Specimen | None = None  # the document's specimen (blood for a liquid biopsy)
        self.ranks: dict[str, int] = {}
        self.multi_values: dict[str, list[str]] = {}
        self._negated_keys: set[tuple[str, int, str | None]] = set()
        self._warned: set[str] = set()

    def _fv(
        self, name: str, value: FieldData, line: Line, unit: str | None, inferred: bool, note: str | None
    ) -> FieldValue:
        specimen = (line.specimen or self.specimen) if name in BIOMARKER_FIELDS else None
        return FieldValue(
            value=value,
            unit=unit,
            text=line.quote,
            source=self.source,
            line=line.no,
            inferred=inferred,
            report_date=self.report_date,
            note=note,
            specimen=specimen,
        )

    def _supersede(self, name: str, old: FieldValue, new: FieldValue, why: str) -> None:
        entry = HistoryEntry(
            value=old.value,
            source=old.source,
            line=old.line,
            report_date=old.report_date,
            superseded_by=f"{new.source}:{new.line} ({why})",
        )
        history = [*old.history, entry] if not _same(old.value, new.value) else list(old.history)
        self.fields[name] = new.model_copy(update={"history": history})

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
        new = self._fv(name, value, line, unit, inferred, note)
        old = self.fields.get(name)
        old_rank = self.ranks.get(name, 1)
        if old is None or (old.inferred and not inferred and line.rank >= old_rank):
            self.fields[name] = new if old is None else new.model_copy(update={"history": old.history})
            self.ranks[name] = line.rank
            self._track(name, new)
            return
        if line.rank > old_rank and not inferred:
            why = "addendum / amended report" if line.rank == 2 else "report body over clinical history"
            self._supersede(name, old, new, why)
            self.ranks[name] = line.rank
            return
        if line.rank < old_rank or _same(old.value, value) or inferred:
            return
        if self.multifocal and name in MULTIFOCAL_MAX_FIELDS:
            self._track(name, new)
            if _greater(value, old.value):
                self.fields[name] = new.model_copy(update={"history": old.history})
            kept = self.fields[name]
            listed = ", ".join(self.multi_values[name])
            note = f"multifocal: values per tumour {listed}; the highest ({kept.value}) is used"
            self.fields[name] = kept.model_copy(update={"note": note})
            return
        self.warn(f"{name}: {self.source}:{line.no} says {value!r}; kept {old.value!r} from line {old.line}")

    def _track(self, name: str, fv: FieldValue) -> None:
        if name in MULTIFOCAL_MAX_FIELDS:
            self.multi_values.setdefault(name, []).append(f"{fv.value} (line {fv.line})")

    def replace(self, name: str, value: FieldData, line: Line, *, note: str | None = None) -> None:
        """Overwrite (used when a later statement is decisive, e.g. any involved margin)."""
        self.fields[name] = self._fv(name, value, line, None, False, note)

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

    def negate(self, name: str, line: Line, value: str | None = None) -> None:
        """Record a negative result / pertinent negative (a fact, never a finding)."""
        key = (name, line.no, value)
        if key not in self._negated_keys:  # a set: a long record may hold thousands of negatives
            self._negated_keys.add(key)
            self.negated.append(
                NegatedFinding(field=name, text=line.quote, line=line.no, source=self.source, value=value)
            )

    def warn(self, message: str) -> None:
        if message not in self._warned:
            self._warned.add(message)
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
            out[name] = self._fv(name, list(acc.items), acc.first, None, False, note)
        return out


def _greater(a: FieldData, b: FieldData) -> bool:
    """a > b for numbers and grades ("G2" > "G1"); comparator strings ("<1") rank below any number."""
    if isinstance(a, str) and isinstance(b, str):
        return a > b if a[:1] == b[:1] == "G" else False
    if isinstance(a, bool) or isinstance(b, bool):
        return False
    if isinstance(a, (int, float)):
        return not isinstance(b, (int, float)) or a > b
    return False


def _same(a: FieldData, b: FieldData) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return abs(float(a) - float(b)) < 1e-9
    if isinstance(a, str) and isinstance(b, str):
        return a.strip().lower() == b.strip().lower()
    return a == b
