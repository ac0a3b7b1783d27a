"""Reading the project's YAML data files (cards, lexicon, patterns, rules, registry) quickly and safely."""

from __future__ import annotations

import re
from typing import Any

import yaml

# libyaml's C loader is ten times faster than the pure-Python one and just as safe (no object construction).
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """Parse YAML text with the safe loader; raises yaml.YAMLError on malformed input."""
    return yaml.load(text, Loader=_LOADER)


def compiled_or_none(value: str | None) -> str | None:
    """A data file's regex, checked to compile case-insensitively; for pydantic field validators. Raises
    ValueError (turned into a validation error) naming the bad regex."""
    if value is not None:
        try:
            re.compile(value, re.IGNORECASE)
        except re.error as exc:
            raise ValueError(f"bad regex {value!r}: {exc}") from exc
    return value
