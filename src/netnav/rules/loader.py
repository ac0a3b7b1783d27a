"""Load and validate the rule files (one rule per YAML file in rules/data/)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml
from pydantic import ValidationError

from netnav.errors import KnowledgeError
from netnav.rules.schema import Rule
from netnav.types.assessment import FINDING_KIND_TITLES, FindingKind

KIND_ORDER: tuple[FindingKind, ...] = tuple(FINDING_KIND_TITLES)  # the order findings are shown in


def rules_dir() -> Path:
    return Path(str(resources.files("netnav.rules") / "data"))


def load_rule_file(path: Path) -> Rule:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeError(f"{path.name}: cannot read YAML: {exc}") from exc
    try:
        rule = Rule.model_validate(raw)
    except ValidationError as exc:
        raise KnowledgeError(f"{path.name}: {exc}") from exc
    if path.stem != rule.id:
        raise KnowledgeError(f"{path.name}: file name must be the rule id {rule.id!r}")
    return rule


@lru_cache(maxsize=4)
def _load(directory: str) -> tuple[Rule, ...]:
    rules = [load_rule_file(p) for p in sorted(Path(directory).glob("*.yaml"))]
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise KnowledgeError(f"duplicate rule id {rule.id!r}")
        seen.add(rule.id)
    return tuple(sorted(rules, key=lambda r: (KIND_ORDER.index(r.kind), r.order)))


def load_rules(directory: Path | None = None) -> tuple[Rule, ...]:
    """All rules, validated, ordered by kind (classification first); raises KnowledgeError."""
    return _load(str(directory or rules_dir()))
