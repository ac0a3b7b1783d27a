"""Versioned extraction vocabulary (data/patterns.yaml): loaded once, validated, compiled."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from netnav.datafiles import load_yaml
from netnav.errors import KnowledgeError

PATTERNS_FILE = "patterns.yaml"
_FLAGS = re.IGNORECASE


@dataclass(frozen=True)
class HistologyRule:
    value: str
    differentiation: str | None
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Patterns:
    version: str
    sites: dict[str, re.Pattern[str]]
    metastasis_only_sites: frozenset[str]
    histology: tuple[HistologyRule, ...]
    reference_cues: re.Pattern[str]
    number_words: dict[str, int]
    drugs: dict[str, re.Pattern[str]]
    regimens: dict[str, tuple[re.Pattern[str], tuple[str, ...]]]
    no_prior_therapy: re.Pattern[str]
    genes: frozenset[str]
    gene_token: re.Pattern[str]
    ihc_gene_rules: tuple[tuple[str, re.Pattern[str]], ...]
    variant_words: re.Pattern[str]
    not_detected_words: re.Pattern[str]
    vus_headers: re.Pattern[str]
    functional_syndromes: dict[str, re.Pattern[str]]
    carcinoid_cues: tuple[re.Pattern[str], ...]
    context_rules: tuple[tuple[str, str, str], ...]


def _alts(words: list[str], flags: int = _FLAGS) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(?:" + "|".join(words) + r")(?![\w])", flags)


def _require(data: dict[str, Any], key: str, kind: type) -> Any:
    if key not in data or not isinstance(data[key], kind):
        raise KnowledgeError(f"{PATTERNS_FILE}: key {key!r} missing or not a {kind.__name__}")
    return data[key]


def _compile(raw: str, where: str, flags: int = _FLAGS) -> re.Pattern[str]:
    try:
        return re.compile(raw, flags)
    except re.error as exc:
        raise KnowledgeError(f"{PATTERNS_FILE}: bad regex in {where}: {exc}") from exc


def _histology(rules: list[dict[str, Any]]) -> tuple[HistologyRule, ...]:
    out = []
    for rule in rules:
        diff = rule.get("differentiation")
        if diff not in (None, "well", "poorly") or not isinstance(rule.get("value"), str):
            raise KnowledgeError(f"{PATTERNS_FILE}: bad histology rule {rule!r}")
        flags = 0 if rule["value"] in () else _FLAGS
        out.append(HistologyRule(rule["value"], diff, _compile(rule["pattern"], "histology", flags)))
    return tuple(out)


def _sites(data: dict[str, list[str]]) -> dict[str, re.Pattern[str]]:
    out: dict[str, re.Pattern[str]] = {}
    for site, words in data.items():
        # Upper-case abbreviations (CUP, pNET) must match case-sensitively.
        lower = [w for w in words if not w.isupper() and not (w[0].islower() and any(c.isupper() for c in w))]
        exact = [w for w in words if w not in lower]
        parts = []
        if lower:
            parts.append(r"(?i:" + "|".join(lower) + ")")
        if exact:
            parts.append("|".join(exact))
        out[site] = re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w])")
    return out


def _build(data: dict[str, Any]) -> Patterns:
    version = _require(data, "version", str)
    regimens = {
        name: (_alts([name], _FLAGS if not name.isupper() else 0), tuple(generics))
        for name, generics in _require(data, "regimens", dict).items()
    }
    genes = frozenset(_require(data, "genes", list))
    return Patterns(
        version=version,
        sites=_sites(_require(data, "sites", dict)),
        metastasis_only_sites=frozenset(_require(data, "metastasis_only_sites", list)),
        histology=_histology(_require(data, "histology", list)),
        reference_cues=_compile(_require(data, "reference_cues", str), "reference_cues"),
        number_words={k.lower(): int(v) for k, v in _require(data, "number_words", dict).items()},
        drugs={g: _alts(words) for g, words in _require(data, "drugs", dict).items()},
        regimens=regimens,
        no_prior_therapy=_compile(_require(data, "no_prior_therapy", str), "no_prior_therapy"),
        genes=genes,
        gene_token=re.compile(
            r"(?<![\w-])(" + "|".join(sorted(genes, key=len, reverse=True)) + r")(?![\w-])"
        ),
        ihc_gene_rules=tuple(
            (r["gene"], _compile(r["pattern"], "ihc_gene_rules"))
            for r in _require(data, "ihc_gene_rules", list)
        ),
        variant_words=_compile(_require(data, "variant_words", str), "variant_words"),
        not_detected_words=_compile(_require(data, "not_detected_words", str), "not_detected_words"),
        vus_headers=_compile(_require(data, "vus_headers", str), "vus_headers"),
        functional_syndromes={
            k: _compile(v, "functional_syndromes")
            for k, v in _require(data, "functional_syndromes", dict).items()
        },
        carcinoid_cues=tuple(_compile(c, "carcinoid_cues") for c in _require(data, "carcinoid_cues", list)),
        context_rules=tuple(tuple(r) for r in _require(data, "context_rules", list)),
    )


@lru_cache(maxsize=1)
def load_patterns() -> Patterns:
    """Load and validate the packaged pattern file (cached per process)."""
    text = (
        resources.files("netnav.records").joinpath("data").joinpath(PATTERNS_FILE).read_text(encoding="utf-8")
    )
    data = load_yaml(text)
    if not isinstance(data, dict):
        raise KnowledgeError(f"{PATTERNS_FILE}: top level must be a mapping")
    for rule in data.get("context_rules", []):
        if not (isinstance(rule, list) and len(rule) == 3):
            raise KnowledgeError(
                f"{PATTERNS_FILE}: context rule must be [literal, category, direction]: {rule!r}"
            )
    return _build(data)
