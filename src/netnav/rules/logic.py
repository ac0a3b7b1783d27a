"""Three-valued (Kleene) logic, the one used by assessment rules and trial criteria alike.

`True` = met, `False` = not met, `None` = unknown. `evaluate` runs a rule's condition tree over a
CaseProfile; an unknown result carries the fields whose absence (or imprecision) left it undecided.
`all_of` / `any_of` / `negate` combine truths, and `compare` tests a value interval (rules/values.py)
against a threshold; the trial matcher (trials/predicates.py) uses the same functions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from netnav.rules.history import HISTORY_FIELDS, history_value
from netnav.rules.schema import Condition, LeafValue
from netnav.rules.values import Interval, as_bool, as_strings, field_interval, is_empty
from netnav.types.case import CaseProfile, FieldData, FieldValue

Tri = bool | None


@dataclass(frozen=True)
class Verdict:
    value: Tri
    missing: tuple[str, ...] = field(default=())

    @classmethod
    def unknown(cls, name: str) -> Verdict:
        return cls(None, (name,))


def _merge(names: list[tuple[str, ...]]) -> tuple[str, ...]:
    out: list[str] = []
    for group in names:
        out.extend(n for n in group if n not in out)
    return tuple(out)


def evaluate(cond: Condition, case: CaseProfile) -> Verdict:
    if cond.all_ is not None:
        return _all([evaluate(c, case) for c in cond.all_])
    if cond.any_ is not None:
        return _any([evaluate(c, case) for c in cond.any_])
    if cond.not_ is not None:
        inner = evaluate(cond.not_, case)
        return Verdict(None if inner.value is None else not inner.value, inner.missing)
    return _leaf(cond, case)


def all_of(truths: Sequence[Tri]) -> Tri:
    """Kleene AND: False if any is False, True if all are True, else unknown."""
    if any(t is False for t in truths):
        return False
    return True if all(t is True for t in truths) else None


def any_of(truths: Sequence[Tri]) -> Tri:
    """Kleene OR: True if any is True, False if all are False, else unknown."""
    if any(t is True for t in truths):
        return True
    return False if all(t is False for t in truths) else None


def negate(truth: Tri) -> Tri:
    return None if truth is None else not truth


def compare(iv: Interval, op: str, x: float) -> Tri:
    """Three-valued `value <op> x` for a value known only as an interval; op in lt le gt ge eq."""
    if op == "eq":
        return _eq_number(iv, x)
    return _CMP[op](iv, x)


def _all(parts: list[Verdict]) -> Verdict:
    if any(p.value is False for p in parts):
        return Verdict(False)
    if all(p.value is True for p in parts):
        return Verdict(True)
    return Verdict(None, _merge([p.missing for p in parts if p.value is None]))


def _any(parts: list[Verdict]) -> Verdict:
    if any(p.value is True for p in parts):
        return Verdict(True)
    if all(p.value is False for p in parts):
        return Verdict(False)
    return Verdict(None, _merge([p.missing for p in parts if p.value is None]))


# The pembrolizumab TMB-H approval is defined on tissue TMB (FoundationOne CDx); a blood TMB is another measure.
# MSI: the MSI-H/dMMR approvals rest on tumour-tissue testing (PCR or IHC), and a plasma result that finds no
# MSI-H does not exclude it in the tumour (little tumour DNA may reach the blood), so a blood-only MSI reads as
# missing for the rules; tissue MMR immunohistochemistry still decides.
TISSUE_FIELDS = frozenset({"tmb_mut_per_mb", "msi_status"})


def lookup(case: CaseProfile, name: str) -> FieldValue | bool | None:
    """The field's value; a finding listed only under `negated` reads as False. A negative with a `value`
    (a gene not detected, a therapy declined, MSI-H not detected) says nothing about the field as a whole.
    A biomarker measured in blood (`specimen: blood`) is not the tissue value a rule on TISSUE_FIELDS
    refers to, and reads as missing there."""
    fv = case.fields.get(name)
    if fv is not None:
        return None if name in TISSUE_FIELDS and fv.specimen == "blood" else fv
    if name in HISTORY_FIELDS:
        return history_value(case, name)
    if any(n.field == name and n.value is None for n in case.negated):
        return False
    return None


def _leaf(cond: Condition, case: CaseProfile) -> Verdict:
    assert cond.field is not None and cond.op is not None
    name, op = cond.field, cond.op
    found = lookup(case, name)
    present = found is not None and (isinstance(found, bool) or not is_empty(found.value))
    if op == "present":
        return Verdict(present)
    if op == "absent":
        return Verdict(not present)
    if found is None:
        return Verdict.unknown(name)
    fv = found if isinstance(found, FieldValue) else None
    data: FieldData = found if isinstance(found, bool) else found.value
    result = _compare(op, data, fv, cond.value)
    return Verdict.unknown(name) if result is None else Verdict(result)


def _compare(op: str, data: FieldData, fv: FieldValue | None, ref: LeafValue) -> Tri:
    if op in _NUMERIC:
        interval = field_interval(fv) if fv is not None else None
        return None if interval is None else _NUMERIC[op](interval, ref)
    if op in ("eq", "ne"):
        same = _equals(data, fv, ref)
        return same if op == "eq" or same is None else not same
    if op == "in":
        assert isinstance(ref, list)
        return any_of([_equals(data, fv, item) for item in ref])
    if op == "contains":
        return _contains(data, ref)
    raise ValueError(f"unsupported op {op!r}")


def _equals(data: FieldData, fv: FieldValue | None, ref: LeafValue) -> Tri:
    if isinstance(ref, bool):
        return None if (b := as_bool(data)) is None else b == ref
    if isinstance(ref, int | float):
        interval = field_interval(fv) if fv is not None else None
        if interval is None:
            return None
        return _eq_number(interval, float(ref))
    if isinstance(ref, list):
        return sorted(as_strings(data)) == sorted(str(r).strip().lower() for r in ref)
    if isinstance(data, list):
        return str(ref).strip().lower() in as_strings(data)
    return str(data).strip().lower() == str(ref).strip().lower()


def _contains(data: FieldData, ref: LeafValue) -> Tri:
    needles = [str(r).lower() for r in (ref if isinstance(ref, list) else [ref])]
    return any(n in hay for hay in as_strings(data) for n in needles)


def _eq_number(iv: Interval, x: float) -> Tri:
    if iv.is_point:
        return iv.lo == x
    return False if not _inside(iv, x) else None


def _inside(iv: Interval, x: float) -> bool:
    above_lo = x > iv.lo or (x == iv.lo and not iv.lo_open)
    below_hi = x < iv.hi or (x == iv.hi and not iv.hi_open)
    return above_lo and below_hi


def _lt(iv: Interval, x: float) -> Tri:
    if iv.hi < x or (iv.hi == x and iv.hi_open):
        return True
    return False if iv.lo >= x else None


def _le(iv: Interval, x: float) -> Tri:
    if iv.hi <= x:
        return True
    return False if iv.lo > x or (iv.lo == x and iv.lo_open) else None


def _gt(iv: Interval, x: float) -> Tri:
    if iv.lo > x or (iv.lo == x and iv.lo_open):
        return True
    return False if iv.hi <= x else None


def _ge(iv: Interval, x: float) -> Tri:
    if iv.lo >= x:
        return True
    return False if iv.hi < x or (iv.hi == x and iv.hi_open) else None


def _between(iv: Interval, ref: LeafValue) -> Tri:
    assert isinstance(ref, list)
    low, high = float(ref[0]), float(ref[1])
    parts = [Verdict(_ge(iv, low)), Verdict(_le(iv, high))]
    return _all(parts).value


def _num_op(fn: Callable[[Interval, float], Tri]) -> Callable[[Interval, LeafValue], Tri]:
    def run(iv: Interval, ref: LeafValue) -> Tri:
        assert isinstance(ref, int | float)
        return fn(iv, float(ref))

    return run


_CMP: dict[str, Callable[[Interval, float], Tri]] = {"lt": _lt, "le": _le, "gt": _gt, "ge": _ge}

_NUMERIC: dict[str, Callable[[Interval, LeafValue], Tri]] = {
    "lt": _num_op(_lt),
    "le": _num_op(_le),
    "gt": _num_op(_gt),
    "ge": _num_op(_ge),
    "between": _between,
}
