"""Each small vocabulary is defined once, in its home under `netnav.types`; everything else imports it.

The check reads every module with `ast` and looks for a collection of string literals (a tuple, list,
set or dict keys) holding exactly one vocabulary's values. Outside the home that is allowed only in a
module that imports the vocabulary's type from its home (an ordering or a wording typed against it, so
mypy checks every member); an untyped copy is a second definition that can drift from the first.
"""

from __future__ import annotations

import ast
from pathlib import Path

from netnav.types.assessment import FINDING_KIND_TITLES, FINDING_STATUS_LABELS
from netnav.types.audience import AUDIENCES
from netnav.types.documents import EVIDENCE_KINDS
from netnav.types.trials import CRITERION_LABELS, TRIAL_SCOPES, TRIAL_STATUS_TAGS
from tests.structure.imports import modules

# type name -> (its values, its home module)
VOCABULARIES: dict[str, tuple[frozenset[str], str]] = {
    "Audience": (frozenset(AUDIENCES), "netnav.types.audience"),
    "EvidenceKind": (frozenset(EVIDENCE_KINDS), "netnav.types.documents"),
    "FindingKind": (frozenset(FINDING_KIND_TITLES), "netnav.types.assessment"),
    "FindingStatus": (frozenset(FINDING_STATUS_LABELS), "netnav.types.assessment"),
    "CriterionLabel": (frozenset(CRITERION_LABELS), "netnav.types.trials"),
    "TrialStatus": (frozenset(TRIAL_STATUS_TAGS), "netnav.types.trials"),
    "TrialScope": (frozenset(TRIAL_SCOPES), "netnav.types.trials"),
}
# Names of concepts that must be defined (class, function or top-level assignment) in one module only.
ONE_DEFINITION = (
    "Tri",
    "Verdict",
    "EMBEDDING_DIM",
    "KIND_TITLES",
    "STATUS_LABELS",
    "AUDIENCES",
    "atomic_write",
)
# Known second copies, each removed by the work that unifies it; this list only shrinks.
ALLOWED_DUPLICATES: dict[str, set[str]] = {}


def _strings(node: ast.AST) -> frozenset[str] | None:
    if isinstance(node, ast.Dict):
        items: list[ast.expr | None] = list(node.keys)
    elif isinstance(node, ast.Tuple | ast.List | ast.Set):
        items = list(node.elts)
    else:
        return None
    if len(items) < 2 or not all(isinstance(i, ast.Constant) and isinstance(i.value, str) for i in items):
        return None
    return frozenset(str(i.value) for i in items if isinstance(i, ast.Constant))


def _collections(tree: ast.AST) -> list[tuple[int, frozenset[str]]]:
    found = []
    for node in ast.walk(tree):
        values = _strings(node)
        if values is not None:
            found.append((getattr(node, "lineno", 0), values))
    return found


def _imported_names(tree: ast.AST) -> set[tuple[str, str]]:
    return {
        (node.module or "", alias.name)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }


def _copies() -> list[str]:
    out = []
    for name, path in modules().items():
        tree = ast.parse(Path(path).read_text(encoding="utf-8"))
        imported = _imported_names(tree)
        for line, values in _collections(tree):
            for vocab, (expected, home) in VOCABULARIES.items():
                typed = (home, vocab) in imported or ("netnav.types", vocab) in imported
                if values == expected and name != home and not typed:
                    out.append(f"{name}:{line} spells out {vocab} untyped (import it from {home})")
    return out


def test_each_vocabulary_is_spelt_out_only_in_its_home() -> None:
    assert _copies() == []


def _definitions() -> dict[str, set[str]]:
    defined: dict[str, set[str]] = {n: set() for n in ONE_DEFINITION}
    for name, path in modules().items():
        tree = ast.parse(Path(path).read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                names = [node.name]
            elif isinstance(node, ast.Assign):
                names = [t.id for t in node.targets if isinstance(t, ast.Name)]
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                names = [node.target.id]
            else:
                continue
            for n in names:
                if n in defined:
                    defined[n].add(name)
    return defined


def test_each_concept_is_defined_once() -> None:
    defined = _definitions()
    extra = {
        n: sorted(mods) for n, mods in defined.items() if len(mods) > 1 and mods != ALLOWED_DUPLICATES.get(n)
    }
    assert extra == {}


def test_allowed_duplicates_still_exist() -> None:
    defined = _definitions()
    gone = [n for n, mods in ALLOWED_DUPLICATES.items() if defined.get(n) != mods]
    assert gone == [], f"unified: delete from ALLOWED_DUPLICATES: {gone}"


def test_the_scan_sees_a_copy() -> None:
    tree = ast.parse(
        'LABELS = {"met": "MET", "not_met": "NOT MET", "unknown": "UNKNOWN"}\nA = ("patient", "clinician")'
    )
    sets = {values for _, values in _collections(tree)}
    assert frozenset(FINDING_STATUS_LABELS) in sets and frozenset(AUDIENCES) in sets


def test_cards_are_recognised_by_document_is_card_only() -> None:
    """`doc.format == "card"` is a type test; it lives in `Document.is_card` and nowhere else."""
    found = []
    for name, path in modules().items():
        for node in ast.walk(ast.parse(Path(path).read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Compare)
                and isinstance(node.left, ast.Attribute)
                and node.left.attr == "format"
                and any(isinstance(c, ast.Constant) and c.value == "card" for c in node.comparators)
                and name != "netnav.types.documents"
            ):
                found.append(f"{name}:{node.lineno}")
    assert found == []
