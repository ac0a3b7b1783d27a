"""Reading the project's YAML data files (cards, lexicon, patterns, rules, registry) quickly and safely."""

from __future__ import annotations

from typing import Any

import yaml

# libyaml's C loader is ten times faster than the pure-Python one and just as safe (no object construction).
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """Parse YAML text with the safe loader; raises yaml.YAMLError on malformed input."""
    return yaml.load(text, Loader=_LOADER)
